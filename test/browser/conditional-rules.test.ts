/**
 * Conditional rules on the settings page (issue 20, item 4): the project lead
 * adds a pair that sets ServiceNow's incident category by rules, "category from
 * type and priority": a Bug of Highest priority is a Database matter, a Task
 * an Inquiry, anything else Software. The editor says the rules write one way
 * and what happens to a change made in ServiceNow, takes its values from
 * Jira's issue types and priorities and from ServiceNow's categories, is used
 * from the keyboard, and the save keeps the rules as ServiceNow stores the
 * values. axe-core checks the state shown.
 */
import type { Browser } from 'playwright-core';
import { buildUi } from '../../scripts/build-ui';
import { startSandbox, type Sandbox } from '../../sandbox/sandbox';
import path from 'node:path';
import { expectAccessible, launchBrowser, screenshot, SHOTS } from './support/browser';
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

async function savedFields(): Promise<Array<Record<string, unknown>>> {
  const lead = sandbox.users.find((u) => u.role === 'project-lead')!;
  const listed = (await sandbox.platform.invokeResolver({
    installationId: sandbox.installationId,
    moduleKey: 'crosswalk-settings',
    functionKey: 'listConnections',
    accountId: lead.accountId,
    context: { extension: { type: 'jira:projectSettingsPage', project: { id: '10000', key: 'DEMO' } } },
    payload: {},
  })) as { body: { data: { connections: Array<{ config: { name: string; fields: any[] } }> } } };
  return listed.body.data.connections.find((c) => c.config.name === 'DEMO ↔ ACME incidents')!.config.fields;
}

describe('conditional rules on the settings page (browser)', () => {
  it('builds “category from type and priority” from the keyboard, says it writes one way, and saves it', async () => {
    const index = (await savedFields()).length;
    const page = await openSettings(browser, sandbox, 'project-lead', 'DEMO');
    const frame = settingsFrame(page);
    await frame.getByRole('button', { name: 'Show DEMO ↔ ACME incidents' }).click();
    await frame.getByRole('button', { name: 'Edit' }).click();
    await frame.getByRole('button', { name: 'Next' }).click();
    await frame.getByRole('button', { name: 'Next' }).click();
    await frame.getByTestId('remote-fields-read').waitFor();

    await frame.getByRole('button', { name: 'Add a field' }).press('Enter');
    await choose(frame, `fields.${index}.jira`, 'Issue Type (issuetype)');
    await choose(frame, `fields.${index}.remote`, 'Category (category)');
    const row = `Jira field ${index + 1} (Issue Type)`;
    await frame.getByRole('button', { name: `Set by rules: ${row}` }).press('Enter');
    const rules = frame.getByTestId(`rules-${index}`);
    await rules.waitFor();
    // The reverse direction, in words: the rules write ServiceNow's category only.
    expect(await rules.textContent()).toContain(
      'Rules write one way: a change made to it in ServiceNow stays there and is not copied back to Jira.',
    );

    const at = `fields.${index}.rules`;
    // Rule 1: a Bug of Highest priority is a Database matter.
    await choose(frame, `${at}.0.when.0.values`, 'Bug');
    await frame.getByRole('button', { name: `Add a condition to rule 1 of ${row}` }).press('Enter');
    await choose(frame, `${at}.0.when.1.field`, 'Priority (priority)');
    await choose(frame, `${at}.0.when.1.values`, 'Highest');
    await choose(frame, `${at}.0.then`, 'Database (database)');
    // Rule 2: a Task is an Inquiry.
    await frame.getByRole('button', { name: `Add a rule to ${row}` }).press('Enter');
    await choose(frame, `${at}.1.when.0.values`, 'Task');
    await choose(frame, `${at}.1.then`, 'Inquiry / Help (inquiry)');
    // Otherwise: Software.
    await choose(frame, `fields.${index}.fallback`, 'Software (software)');
    expect(await rules.textContent()).toContain("When no rule holds, ServiceNow's Category is set to “software”.");

    await page.mouse.move(0, 0);
    await frame.locator(`[id="fields.${index}.fallback"]`).blur();
    await frame.getByTestId(`mapping-${index}`).scrollIntoViewIfNeeded();
    await expectAccessible(page);
    await screenshot(page, 'settings-conditional-rules');
    // The pair and its rules alone, as a person reads them.
    const pair = frame.getByTestId(`mapping-${index}`);
    await pair.scrollIntoViewIfNeeded();
    const box = (await pair.boundingBox())!;
    // The box is where the viewport shows it; a full-page clip is in the page's own coordinates.
    const scrolled = await page.evaluate(() => window.scrollY);
    await page.screenshot({
      path: path.join(SHOTS, 'settings-conditional-rules-pair.png'),
      fullPage: true,
      clip: { x: box.x - 8, y: box.y + scrolled - 8, width: box.width + 16, height: box.height + 16 },
    });

    await frame.getByRole('button', { name: 'Save connection' }).press('Enter');
    await frame
      .getByRole('dialog')
      .waitFor({ state: 'detached', timeout: 10_000 })
      .catch(async (e: unknown) => {
        await screenshot(page, 'settings-conditional-rules-refused');
        throw new Error(`${String(e)}\n${await frame.getByRole('dialog').innerText()}`);
      });
    expect((await savedFields())[index]).toMatchObject({
      jira: 'issuetype',
      remote: 'category',
      direction: 'to-remote',
      rules: [
        {
          when: [
            { side: 'jira', field: 'issuetype', op: 'is', values: ['Bug'] },
            { side: 'jira', field: 'priority', op: 'is', values: ['Highest'] },
          ],
          then: 'database',
        },
        { when: [{ side: 'jira', field: 'issuetype', op: 'is', values: ['Task'] }], then: 'inquiry' },
      ],
      fallback: 'software',
    });
    await page.close();
  }, 120_000);
});
