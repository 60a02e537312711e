/**
 * The Jira admin page, in Debian's Chromium through the real @forge/bridge: a
 * Jira admin sees every connection on the site with its health and opens a
 * project's settings from it; a project lead, who is not a Jira admin, is
 * refused by the server (the global ADMINISTER permission, asked of Jira).
 */
import type { Browser, Page } from 'playwright-core';
import { buildUi } from '../../scripts/build-ui';
import { startSandbox, type Sandbox } from '../../sandbox/sandbox';
import { expectAccessible, launchBrowser, screenshot, signIn } from './support/browser';

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
    await Promise.all([page.waitForURL(/\/projects\/DEMO\/settings\/crosswalk$/), admin(page).getByRole('button', { name: 'Project settings of DEMO' }).click()]);
    await page.frameLocator('iframe[data-module="crosswalk-settings"]').getByRole('row', { name: /DEMO ↔ ACME incidents/ }).waitFor();
    await page.close();
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
