/**
 * A customer's own host in the connection wizard, in Chromium through the real
 * @forge/bridge: the wizard says an Azure DevOps Server host is not one every
 * site reaches, a Jira administrator allows it in Jira's own dialog
 * (customer-managed egress), and the wizard then says Crosswalk may reach it.
 * Someone who is not a Jira administrator is told to ask one, and an
 * administrator who denies it is told so. axe-core checks every state shown.
 */
import type { Browser, FrameLocator, Page } from 'playwright-core';
import { buildUi } from '../../scripts/build-ui';
import { startSandbox, type Sandbox } from '../../sandbox/sandbox';
import { expectAccessible, launchBrowser, screenshot, signIn } from './support/browser';

const HOST = 'devops.contoso.com';
const SERVER_URL = `https://${HOST}/tfs/DefaultCollection`;

let sandbox: Sandbox;
let browser: Browser;

beforeAll(async () => {
  await buildUi(['settings']);
  sandbox = await startSandbox({ pair: [] });
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await sandbox?.stop();
});

const settings = (page: Page): FrameLocator => page.frameLocator('iframe[data-module="crosswalk-settings"]');
const approved = () => sandbox.platform.customerEgress(sandbox.installationId).domains('FETCH_BACKEND_SIDE');

/** Opens the wizard on a project's settings page and enters an Azure DevOps Server collection URL at its second step. */
async function serverUrlInWizard(role: string, project: string): Promise<{ page: Page; frame: FrameLocator }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1400 } });
  await signIn(sandbox, page, role);
  await page.goto(`${sandbox.hostUrl}/projects/${project}/settings/crosswalk`);
  const frame = settings(page);
  await frame.getByRole('button', { name: 'Add connection' }).click();
  await frame.getByRole('dialog').waitFor();
  const system = frame.locator('[id="system"]');
  await system.focus();
  await system.pressSequentially('Azure DevOps');
  await frame.getByRole('option', { name: 'Azure DevOps', exact: true }).waitFor();
  await system.press('Enter');
  await frame.locator('#name').fill('Operations on our own server');
  await frame.getByRole('button', { name: 'Next' }).click();
  await frame.locator('[id="remote.baseUrl"]').fill(SERVER_URL);
  await frame.getByText(`A Jira administrator must allow ${HOST}`).waitFor();
  return { page, frame };
}

describe('allowing a customer host from the connection wizard (browser)', () => {
  it("tells a project's lead who is not a Jira administrator to ask one, and allows nothing", async () => {
    const { page, frame } = await serverUrlInWizard('project-lead', 'DEMO');
    await expectAccessible(page);
    await frame.getByRole('button', { name: `Allow ${HOST}` }).click();
    await frame
      .getByRole('alert')
      .filter({ hasText: `${HOST} was not allowed` })
      .waitFor();
    expect(await frame.getByRole('alert').textContent()).toContain(
      'Only an administrator can change which domains this app may reach',
    );
    // Jira showed no dialog: the request was refused before it.
    expect(await page.getByRole('dialog').count()).toBe(0);
    await expectAccessible(page);
    await screenshot(page, 'egress-approval-not-admin');
    expect(approved()).toEqual([]);
    await page.close();
  });

  it("lets a Jira administrator allow the host in Jira's dialog, or deny it", async () => {
    const { page, frame } = await serverUrlInWizard('admin', 'OPS');
    await expectAccessible(page);
    await screenshot(page, 'egress-approval-needed');

    // Denied: nothing saved, and the wizard says so.
    await frame.getByRole('button', { name: `Allow ${HOST}` }).click();
    const dialog = page.getByRole('dialog', { name: 'Allow Crosswalk to connect to another domain?' });
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Deny' }).click();
    await frame.getByRole('alert').filter({ hasText: 'The administrator did not allow the domain' }).waitFor();
    expect(approved()).toEqual([]);

    // Allowed: Jira's dialog names the host and why; the wizard then says Crosswalk may reach it.
    await frame.getByRole('button', { name: `Allow ${HOST}` }).click();
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain(HOST);
    expect(await dialog.textContent()).toContain('Crosswalk syncs Jira issues with Azure DevOps Server');
    await screenshot(page, 'egress-approval-dialog');
    await dialog.getByRole('button', { name: 'Allow' }).click();
    await frame.getByText(`Crosswalk may reach ${HOST}`).waitFor();
    expect(approved()).toEqual([HOST]);
    await expectAccessible(page);
    await screenshot(page, 'egress-approval-allowed');

    // The next time the wizard opens with that host, it is known to be allowed.
    await page.reload();
    const again = await (async () => {
      const f = settings(page);
      await f.getByRole('button', { name: 'Add connection' }).click();
      const system = f.locator('[id="system"]');
      await system.focus();
      await system.pressSequentially('Azure DevOps');
      await f.getByRole('option', { name: 'Azure DevOps', exact: true }).waitFor();
      await system.press('Enter');
      await f.getByRole('button', { name: 'Next' }).click();
      await f.locator('[id="remote.baseUrl"]').fill(SERVER_URL);
      return f;
    })();
    await again.getByText(`Crosswalk may reach ${HOST}`).waitFor();
    await page.close();
  });
});
