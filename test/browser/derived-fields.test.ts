/**
 * A field the remote computes, on the settings page (issue 19 §3): the project
 * lead pairs Jira's priority with ServiceNow's incident priority, which
 * ServiceNow looks up from impact and urgency. The editor says so at the field,
 * shows the matrix of impact and urgency written for each priority (from
 * ServiceNow's own values, its default lookup to start), lets the lead change a
 * pair, asks which Jira value a priority several map to maps back to, and the
 * save keeps both. axe-core checks each state shown.
 */
import type { Browser } from 'playwright-core';
import { buildUi } from '../../scripts/build-ui';
import { startSandbox, type Sandbox } from '../../sandbox/sandbox';
import { expectAccessible, launchBrowser, screenshot } from './support/browser';
import { choose, openSettings, settingsFrame } from './support/settings';

let sandbox: Sandbox;
let browser: Browser;

beforeAll(async () => {
  await buildUi(['settings']);
  sandbox = await startSandbox();
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await sandbox?.stop();
});

async function savedPriorityPair() {
  const lead = sandbox.users.find((u) => u.role === 'project-lead')!;
  const listed = (await sandbox.platform.invokeResolver({
    installationId: sandbox.installationId,
    moduleKey: 'crosswalk-settings',
    functionKey: 'listConnections',
    accountId: lead.accountId,
    context: { extension: { type: 'jira:projectSettingsPage', project: { id: '10000', key: 'DEMO' } } },
    payload: {},
  })) as { body: { data: { connections: Array<{ config: { name: string; fields: any[] } }> } } };
  const config = listed.body.data.connections.find((c) => c.config.name === 'DEMO ↔ ACME incidents')!.config;
  return config.fields.find((f) => f.jira === 'priority');
}

describe('a derived remote field on the settings page (browser)', () => {
  it('pairs Jira priority with ServiceNow priority: the matrix of impact and urgency is shown, changed and saved', async () => {
    const page = await openSettings(browser, sandbox, 'project-lead', 'DEMO');
    const frame = settingsFrame(page);
    await frame.getByRole('button', { name: 'Show DEMO ↔ ACME incidents' }).click();
    await frame.getByRole('button', { name: 'Edit' }).click();
    await frame.getByRole('button', { name: 'Next' }).click();
    await frame.getByRole('button', { name: 'Next' }).click();
    await frame.getByTestId('remote-fields-read').waitFor();
    const index = 3;
    expect(await frame.getByTestId(`mapping-${index}`).textContent()).toContain('Urgency (urgency)');

    // The remote's list says the priority is computed, and from what.
    await choose(frame, `fields.${index}.remote`, 'Priority (priority), computed from impact and urgency');
    const matrix = frame.getByTestId(`derived-${index}`);
    await matrix.waitFor();
    expect(await matrix.textContent()).toContain(
      "ServiceNow computes an incident's priority from its impact and urgency",
    );
    // ServiceNow's default lookup, in its own values: 1 - Critical ← 1 - High and 1 - High, and so on.
    const pair = async (value: string) =>
      (await frame.getByTestId(`derived-${index}-${value}`).textContent())?.replace(/\s+/g, ' ');
    expect(await pair('1')).toContain('1 - Critical1 - High (1)1 - High (1)');
    expect(await pair('3')).toContain('3 - Moderate2 - Medium (2)2 - Medium (2)');
    expect(await pair('5')).toContain('5 - Planning3 - Low (3)3 - Low (3)');
    await frame.getByTestId(`derived-differs-${index}`).waitFor({ state: 'detached' });

    // The value map's remote side lists the priorities; Highest and High both go to 1 - Critical.
    const valueMap = frame.getByTestId('value-map-priority');
    expect(await valueMap.textContent()).toContain('1 - Critical (1)');
    await choose(frame, `fields.${index}.valueMap.1.remote`, '1 - Critical (1)');
    const problems = frame.getByTestId(`value-map-problems-${index}`);
    await problems.waitFor();
    expect(await problems.textContent()).toContain(
      'priority 1 is mapped from High and Medium: choose which one it maps back to',
    );
    await choose(frame, `fields.${index}.valueMap.back.1`, 'Jira High');
    await problems.waitFor({ state: 'detached' });
    expect(await frame.getByTestId(`maps-back-${index}-1`).textContent()).toContain(
      'High and Medium are written to ServiceNow as 1 - Critical (1); read back, it becomes Jira High.',
    );

    // The lead's instance looks 3 - Moderate up from impact 1 and urgency 3: the editor takes it, a warning says it is not ServiceNow's default.
    await choose(frame, `fields.${index}.derived.3.impact`, '1 - High (1)');
    await choose(frame, `fields.${index}.derived.3.urgency`, '3 - Low (3)');
    // Away from the select: its announcement of the choice is not part of the row.
    await frame.locator(`[id="fields.${index}.derived.3.urgency"]`).blur();
    expect(await pair('3')).toContain('3 - Moderate1 - High (1)3 - Low (3)');
    await frame.getByTestId(`derived-differs-${index}`).waitFor({ state: 'detached' });
    await page.mouse.move(0, 0);
    await frame.getByTestId(`mapping-${index}`).scrollIntoViewIfNeeded();
    await expectAccessible(page);
    await screenshot(page, 'settings-priority-matrix');

    await choose(frame, `fields.${index}.derived.2.urgency`, '3 - Low (3)');
    const differs = frame.getByTestId(`derived-differs-${index}`);
    await differs.waitFor();
    expect(await differs.textContent()).toContain(
      "impact 1 and urgency 3 give priority 3 by ServiceNow's default lookup, not 2",
    );
    await expectAccessible(page);
    await screenshot(page, 'settings-priority-matrix-differs');
    await choose(frame, `fields.${index}.derived.2.urgency`, '2 - Medium (2)');
    await differs.waitFor({ state: 'detached' });

    await frame.getByRole('button', { name: 'Save connection' }).press('Enter');
    await frame.getByRole('dialog').waitFor({ state: 'detached' });
    const saved = await savedPriorityPair();
    expect(saved).toMatchObject({ jira: 'priority', remote: 'priority', transform: 'value-map' });
    expect(saved.valueMap).toEqual(
      expect.arrayContaining([
        { jira: 'High', remote: '1', reverse: true },
        { jira: 'Medium', remote: '1' },
      ]),
    );
    expect(saved.derived).toEqual({
      inputs: ['impact', 'urgency'],
      write: [
        { value: '1', set: { impact: '1', urgency: '1' } },
        { value: '2', set: { impact: '1', urgency: '2' } },
        { value: '3', set: { impact: '1', urgency: '3' } },
        { value: '4', set: { impact: '2', urgency: '3' } },
        { value: '5', set: { impact: '3', urgency: '3' } },
      ],
    });
    await page.close();
  }, 120_000);
});
