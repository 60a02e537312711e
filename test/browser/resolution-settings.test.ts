/**
 * Resolutions and the SLA field on the connection's page, in Debian's Chromium through the real @forge/bridge: the
 * DEMO project's admin pairs Jira's "Won't Do" with ServiceNow's "No resolution provided" and picks the Jira
 * date-time field the incident's SLA goes into; the field picker offers only Jira's dates and date-times. Saving
 * stores both, the SLA field typed by the server. axe-core checks the step shown.
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

describe('resolutions and the SLA field (browser)', () => {
  it('pairs a Jira resolution with a ServiceNow resolution code and copies the SLA into a Jira date-time field', async () => {
    const page = await openSettings(browser, sandbox, 'admin', 'DEMO');
    const frame = settingsFrame(page);
    await frame.getByRole('button', { name: 'Show DEMO ↔ ACME incidents' }).click();
    await frame.getByRole('button', { name: 'Edit' }).click();
    await frame.getByRole('button', { name: 'Next' }).click();
    await frame.getByRole('button', { name: 'Next' }).click();
    const rules = frame.getByTestId('resolution-rules');
    await rules.waitFor();
    await rules.getByRole('button', { name: 'Pair a resolution' }).press('Enter');
    await frame.locator('[id="resolution.codes.0.jira"]').fill("Won't Do");
    await frame.locator('[id="resolution.codes.0.remote"]').fill('No resolution provided');

    // Only Jira's dates and date-times can hold a breach time.
    const sla = frame.locator('[id="slaField.jira"]');
    await sla.focus();
    await sla.press('ArrowDown');
    const offered = await frame.getByRole('option').allInnerTexts();
    expect(offered).toEqual(expect.arrayContaining(['Not copied', 'Customer deadline (customfield_10018)']));
    expect(offered.some((o) => o.startsWith('Summary') || o.startsWith('Affected users'))).toBe(false);
    await sla.press('Escape');
    await choose(frame, 'slaField.jira', 'Customer deadline (customfield_10018)');
    await rules.scrollIntoViewIfNeeded();
    await expectAccessible(page);
    await screenshot(page, 'resolution-pairs-and-sla-field');
    await frame.getByRole('button', { name: 'Save connection' }).press('Enter');
    await frame.getByRole('dialog').waitFor({ state: 'detached' });
    await page.close();

    const listed = await sandbox.platform.invokeResolver({
      installationId: sandbox.installationId,
      moduleKey: 'crosswalk-settings',
      functionKey: 'listConnections',
      accountId: sandbox.users.find((u) => u.role === 'admin')!.accountId,
      context: { extension: { type: 'jira:projectSettingsPage', project: { id: '10000', key: 'DEMO' } } },
      payload: {},
    });
    if (!listed.ok) throw new Error(`listConnections failed: ${listed.error}`);
    const config = (listed.body as { data: { connections: Array<{ config: any }> } }).data.connections[0]!.config;
    expect(config.resolution).toEqual({
      direction: 'both',
      codes: [{ jira: "Won't Do", remote: 'No resolution provided' }],
    });
    expect(config.slaField).toEqual({ jira: 'customfield_10018', kind: 'date-time' });
  }, 90_000);
});
