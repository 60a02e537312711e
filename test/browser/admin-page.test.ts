/**
 * The Jira admin page, in Debian's Chromium through the real @forge/bridge: a
 * Jira admin sees every connection on the site with its health and usage and
 * opens a project's settings from it; narrows the hosts connections may use,
 * which the server then enforces when a project lead saves a connection; a
 * project lead, who is not a Jira admin, is refused by the server (the global
 * ADMINISTER permission, asked of Jira), for the page and for the options.
 */
import type { Browser, Page } from 'playwright-core';
import { buildUi } from '../../scripts/build-ui';
import { startSandbox, type Sandbox } from '../../sandbox/sandbox';
import { demoZendeskConnection, SUP_PROJECT } from '../../sandbox/demo/zendesk-connection';
import { DEMO_CONNECTION_ID } from '../../sandbox/demo/servicenow-connection';
import { clearCondition, tokenRefused, writeCondition } from '../support/alert-state';
import { eventually, expectAccessible, launchBrowser, screenshot, signIn } from './support/browser';

let sandbox: Sandbox;
let browser: Browser;

beforeAll(async () => {
  await buildUi(['admin', 'settings']);
  sandbox = await startSandbox();
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await sandbox?.stop();
});

async function openAdmin(role: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await signIn(sandbox, page, role);
  await page.goto(`${sandbox.hostUrl}/jira/settings/apps/crosswalk`);
  return page;
}

const admin = (page: Page) => page.frameLocator('iframe[data-module="crosswalk-admin"]');

describe('Jira admin page (browser)', () => {
  it('shows a Jira admin every connection with its health and opens its project settings', async () => {
    const page = await openAdmin('admin');
    const row = admin(page).getByRole('row', { name: /Demo service desk \(DEMO\).*DEMO ↔ ACME incidents.*ServiceNow/ });
    await row.waitFor();
    expect(await row.textContent()).toContain('OK');
    await admin(page).getByText('Remote hosts Crosswalk may reach').waitFor();
    await expectAccessible(page);
    await screenshot(page, 'admin-page');
    await Promise.all([
      page.waitForURL(/\/projects\/DEMO\/settings\/crosswalk$/),
      admin(page).getByRole('button', { name: 'Project settings of DEMO' }).click(),
    ]);
    await page
      .frameLocator('iframe[data-module="crosswalk-settings"]')
      .getByRole('row', { name: /DEMO ↔ ACME incidents/ })
      .waitFor();
    await page.close();
  }, 60_000);

  it('shows each connection’s usage from what is stored, and narrows the hosts connections may use, enforced when one is saved', async () => {
    // One issue in sync with ServiceNow.
    const member = sandbox.users.find((u) => u.role === 'member')!;
    const made = await fetch(`${sandbox.sims.jira.baseUrl}/rest/api/3/issue`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${member.email}:${member.apiToken}`).toString('base64')}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({
        fields: { project: { key: 'DEMO' }, issuetype: { name: 'Incident' }, summary: 'Usage counts this one' },
      }),
    });
    const key = ((await made.json()) as { key: string }).key;
    await eventually(
      async () => sandbox.jira.site.state.issues.find((i) => i.key === key)?.remoteLinks.length,
      'the issue to sync',
    );
    const page = await openAdmin('admin');
    const row = admin(page).getByRole('row', { name: /DEMO ↔ ACME incidents/ });
    await row.waitFor();
    const cells = await row.getByRole('cell').allTextContents();
    // In sync, syncs in 7 days, failures in 7 days.
    expect(cells.slice(4, 7)).toEqual(['1', '1', '0']);

    // A host outside every system is refused at the field.
    await admin(page).locator('#allowedHosts').fill('acme.service-now.com evil.example.com');
    await admin(page).getByRole('button', { name: 'Save allowed hosts' }).click();
    await admin(page)
      .locator('#allowedHosts-error')
      .getByText(/evil\.example\.com is not a host of any system/)
      .waitFor();
    // ServiceNow and Azure DevOps only: the connections to every other system are flagged, Zendesk's among them.
    await admin(page).locator('#allowedHosts').fill('acme.service-now.com dev.azure.com');
    await admin(page).getByRole('button', { name: 'Save allowed hosts' }).click();
    await page
      .locator('#flags')
      .getByText(/refused when next saved\):.*SUP ↔ ACME Zendesk tickets/)
      .waitFor();
    const flagged = await page.locator('#flags').innerText();
    expect(flagged).not.toMatch(/DEMO ↔ ACME incidents|OPS ↔/);
    await admin(page)
      .getByRole('row', { name: /SUP ↔ ACME Zendesk tickets.*Host not allowed/ })
      .waitFor();
    await expectAccessible(page);
    await screenshot(page, 'admin-page-hosts');

    // The server enforces the list when the project lead saves the Zendesk connection.
    const lead = sandbox.users.find((u) => u.role === 'project-lead')!;
    const save = await sandbox.platform.invokeResolver({
      installationId: sandbox.installationId,
      moduleKey: 'crosswalk-settings',
      functionKey: 'saveConnection',
      accountId: lead.accountId,
      context: { extension: { type: 'jira:projectSettingsPage', project: SUP_PROJECT } },
      payload: { settings: demoZendeskConnection, credential: { token: sandbox.sims.zendesk.credentials.apiToken } },
    });
    expect(save.ok && save.body).toMatchObject({
      ok: false,
      error: {
        code: 'BAD_REQUEST',
        problems: [
          { path: 'remote.baseUrl', message: expect.stringContaining('not one of the hosts a Jira admin allowed') },
        ],
      },
    });
    // A project lead may not change the site's options.
    const refused = await sandbox.platform.invokeResolver({
      installationId: sandbox.installationId,
      moduleKey: 'crosswalk-admin',
      functionKey: 'saveSiteOptions',
      accountId: lead.accountId,
      context: { extension: { type: 'jira:adminPage' } },
      payload: { allowedHosts: null },
    });
    expect(refused.ok && refused.body).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });

    // Back to every host: the Zendesk connection saves again.
    await admin(page).locator('#allowedHosts').fill('');
    await admin(page).getByRole('button', { name: 'Save allowed hosts' }).click();
    await page.locator('#flags').getByText('Connections may use every host above.').waitFor();
    const again = await sandbox.platform.invokeResolver({
      installationId: sandbox.installationId,
      moduleKey: 'crosswalk-settings',
      functionKey: 'saveConnection',
      accountId: lead.accountId,
      context: { extension: { type: 'jira:projectSettingsPage', project: SUP_PROJECT } },
      payload: { settings: demoZendeskConnection, credential: { token: sandbox.sims.zendesk.credentials.apiToken } },
    });
    expect(again.ok && (again.body as { ok: boolean }).ok).toBe(true);
    await page.close();
  }, 90_000);

  it('shows each connection’s condition as the last alert check saw it', async () => {
    await writeCondition(sandbox, DEMO_CONNECTION_ID, {
      conditions: [tokenRefused(Date.now() - 15 * 60_000, 'ServiceNow refuses the password')],
    });
    try {
      const page = await openAdmin('admin');
      const row = admin(page).getByRole('row', { name: /DEMO ↔ ACME incidents/ });
      await row.waitFor();
      expect((await row.getByRole('cell').nth(3).innerText()).replace(/\s+/g, ' ')).toMatch(
        /^Failing ServiceNow refuses the password, since \d\d:\d\d$/,
      );
      // A connection no check has looked at yet says so.
      expect(await admin(page).getByRole('row', { name: /OPS ↔/ }).innerText()).toContain('Not checked yet');
      await expectAccessible(page);
      await screenshot(page, 'admin-page-condition');
      await page.close();
    } finally {
      await clearCondition(sandbox, DEMO_CONNECTION_ID);
    }
  }, 60_000);

  it('refuses a project lead who is not a Jira admin', async () => {
    const page = await openAdmin('project-lead');
    const refusal = admin(page).getByTestId('refusal');
    await refusal.waitFor();
    expect(await refusal.textContent()).toContain('Only Jira administrators');
    expect(await admin(page).getByRole('row').count()).toBe(0);
    await expectAccessible(page);
    await screenshot(page, 'admin-page-refused');
    await page.close();
  }, 60_000);
});
