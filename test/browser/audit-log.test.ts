/**
 * The settings page's audit log (issue 23), in Debian's Chromium through the
 * real @forge/bridge: a project lead pauses and resumes a connection and sees
 * both in the log, newest first, with their name and the two connections'
 * creates below; chooses one connection to see its entries alone; Export CSV
 * downloads the entries shown as quoted CSV.
 */
import { readFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { buildUi } from '../../scripts/build-ui';
import { startSandbox, type Sandbox } from '../../sandbox/sandbox';
import { eventually, expectAccessible, launchBrowser, screenshot } from './support/browser';
import { demoServiceNowConnection } from '../../sandbox/demo/servicenow-connection';
import { choose, openSettings, settingsFrame } from './support/settings';

let sandbox: Sandbox;
let browser: Browser;

beforeAll(async () => {
  await buildUi(['settings']);
  sandbox = await startSandbox({ pair: ['servicenow'] });
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await sandbox?.stop();
});

describe('audit log on the settings page (browser)', () => {
  it('shows pause and resume by the project lead, newest first, and exports them as CSV', async () => {
    const lead = sandbox.users.find((u) => u.role === 'project-lead')!;
    // A second connection of DEMO, saved as the lead would from the wizard.
    const second = await sandbox.platform.invokeResolver({
      installationId: sandbox.installationId,
      moduleKey: 'crosswalk-settings',
      functionKey: 'saveConnection',
      payload: {
        settings: { ...demoServiceNowConnection, name: 'Second desk', jql: 'labels = second' },
        credential: { password: sandbox.sims.servicenow.credentials.integration.password },
      },
      accountId: lead.accountId,
      context: { extension: { type: 'jira:projectSettingsPage', project: { id: '10000', key: 'DEMO' } } },
    });
    expect(second).toMatchObject({ ok: true, body: { ok: true } });
    const secondId = (second as { body: { data: { config: { id: string } } } }).body.data.config.id;
    const page = await openSettings(browser, sandbox, 'project-lead', 'DEMO');
    const frame = settingsFrame(page);
    const log = frame.getByRole('table', { name: 'Audit log' });
    await log
      .getByRole('row', { name: /Connection created/ })
      .first()
      .waitFor();

    const detail = frame.getByTestId('connection-detail');
    await detail.getByRole('button', { name: 'Pause' }).click();
    await detail.getByRole('button', { name: 'Resume' }).waitFor();
    await detail.getByRole('button', { name: 'Resume' }).click();
    await detail.getByRole('button', { name: 'Pause' }).waitFor();

    // The header, then newest first: resumed, paused, the demo pairing's create.
    const actions = (rows: string[]) => rows.slice(1).map((r) => /Resumed|Paused|Connection created/.exec(r)?.[0]);
    const rows = await eventually(async () => {
      const texts = await log.getByRole('row').allTextContents();
      return actions(texts).join() === 'Resumed,Paused,Connection created,Connection created' && texts;
    }, 'the pause and the resume in the audit log');
    for (const row of rows.slice(1)) expect(row).toContain(lead.displayName);
    expect(rows[3]).toContain('secrets typed: password');
    expect(rows[3]).toContain(secondId);
    await expectAccessible(page);
    await frame.getByTestId('audit-log').scrollIntoViewIfNeeded();
    await screenshot(page, 'settings-audit-log');

    // One connection alone: the second's create only.
    await choose(frame, 'audit-connection', 'Second desk');
    const alone = await eventually(async () => {
      const texts = await log.getByRole('row').allTextContents();
      return texts.length === 2 && texts;
    }, "the second connection's entries alone");
    expect(alone[1]).toContain('Connection created');
    expect(alone[1]).toContain(secondId);
    await choose(frame, 'audit-connection', 'All connections');
    await eventually(async () => (await log.getByRole('row').count()) === 5, 'every entry again');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      frame.getByRole('button', { name: 'Export CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^crosswalk-audit-\d{4}-\d{2}-\d{2}\.csv$/);
    const lines = readFileSync((await download.path())!, 'utf8').split('\r\n');
    expect(lines[0]).toBe('"Time (UTC)","Person","Account id","Action","Connection","Item","What changed"');
    expect(lines.slice(1, 4).map((l) => l.split('","')[3])).toEqual(['Resumed', 'Paused', 'Connection created']);
    expect(lines[1]).toContain(`"${lead.displayName}","${lead.accountId}"`);
    expect(lines[3]).toContain(`"${secondId}"`);
    await page.close();
  }, 90_000);
});
