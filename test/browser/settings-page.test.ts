/**
 * The first slice, as a person uses it: a project admin saves a Crosswalk
 * setting on the project settings page in a real browser, reloads and sees it;
 * a member is refused. Runs Debian's Chromium through playwright-core.
 */
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { buildUi } from '../../scripts/build-ui';
import { startSandbox, type Sandbox } from '../../sandbox/sandbox';
import { launchBrowser, signIn as signInAs, SHOTS } from './support/browser';

let sandbox: Sandbox;
let browser: Browser;

beforeAll(async () => {
  await buildUi();
  sandbox = await startSandbox();
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await sandbox?.stop();
});

const signIn = (page: Page, role: string) => signInAs(sandbox, page, role);

const settingsFrame = (page: Page) => page.frameLocator('iframe[data-module="crosswalk-settings"]');

describe('project settings page (browser)', () => {
  it('lets a project admin change which issues sync, checked by Jira\'s JQL parser, and it survives a reload', async () => {
    const page = await browser.newPage();
    await signIn(page, 'project-lead');
    await page.goto(`${sandbox.hostUrl}/projects/DEMO/settings/crosswalk`);
    const frame = settingsFrame(page);
    await frame.locator('#filter').waitFor();
    await frame.getByText('DEMO ↔ ACME incidents').waitFor();
    // A filter Jira cannot parse is refused with Jira's own message, and nothing is saved.
    await frame.locator('#filter').fill('labels = customer) OR (project = OPS');
    await frame.getByRole('button', { name: 'Save' }).click();
    await frame.getByRole('alert').waitFor();
    await frame.locator('#filter').fill('labels = customer');
    await frame.getByRole('button', { name: 'Save' }).click();
    await frame.getByRole('status').filter({ hasText: 'Settings saved.' }).waitFor();
    await page.reload();
    await expect(settingsFrame(page).locator('#filter')).toHaveValueEventually('labels = customer');
    await page.screenshot({ path: path.join(SHOTS, 'settings-admin.png'), fullPage: true });
    await page.close();
  }, 60_000);

  it('refuses a member on the server, whatever the page shows', async () => {
    const page = await browser.newPage();
    await signIn(page, 'member');
    await page.goto(`${sandbox.hostUrl}/projects/DEMO/settings/crosswalk`);
    const refusal = settingsFrame(page).locator('[data-testid="refusal"]');
    await refusal.waitFor();
    expect(await refusal.textContent()).toContain('Only administrators of this project');
    await page.screenshot({ path: path.join(SHOTS, 'settings-member-refused.png'), fullPage: true });
    await page.close();
  }, 60_000);

  it('shows the issue view with the Crosswalk panel', async () => {
    const page = await browser.newPage();
    await signIn(page, 'member');
    await page.goto(`${sandbox.hostUrl}/browse/DEMO-1`);
    expect(await page.locator('#summary').textContent()).toBe('VPN drops every 20 minutes');
    await page.frameLocator('iframe[data-module="crosswalk-panel"]').getByText('DEMO-1 is not linked to a remote ticket.').waitFor();
    await page.screenshot({ path: path.join(SHOTS, 'issue-view.png'), fullPage: true });
    await page.close();
  }, 60_000);
});

describe('issue panel (browser)', () => {
  it('shows the linked ServiceNow incident once a new issue has synced', async () => {
    const member = sandbox.users.find((u) => u.role === 'member')!;
    const auth = `Basic ${Buffer.from(`${member.email}:${member.apiToken}`).toString('base64')}`;
    const created = (await (await fetch(`${sandbox.sims.jira.baseUrl}/rest/api/3/issue`, { method: 'POST', headers: { authorization: auth, 'content-type': 'application/json' }, body: JSON.stringify({ fields: { project: { key: 'DEMO' }, issuetype: { name: 'Incident' }, summary: 'Payment page is slow' } }) })).json()) as { key: string };
    const page = await browser.newPage();
    await signIn(page, 'member');
    const panel = () => page.frameLocator('iframe[data-module="crosswalk-panel"]');
    const deadline = Date.now() + 20_000;
    for (;;) {
      await page.goto(`${sandbox.hostUrl}/browse/${created.key}`);
      const linked = panel().locator('[data-testid="linked"]');
      if (await linked.waitFor({ timeout: 2_000 }).then(() => true, () => false)) {
        expect(await linked.textContent()).toMatch(/Linked to INC\d{7}/);
        break;
      }
      if (Date.now() > deadline) throw new Error('The issue never showed as linked');
    }
    await page.screenshot({ path: path.join(SHOTS, 'issue-panel-linked.png'), fullPage: true });
    await page.close();
  }, 60_000);
});

declare global {
  // A polling matcher: the iframe reloads asynchronously after page.reload().
  namespace jest {
    interface Matchers<R> {
      toHaveValueEventually(expected: string): Promise<R>;
    }
  }
}

expect.extend({
  async toHaveValueEventually(locator: { inputValue(): Promise<string> }, expected: string) {
    const deadline = Date.now() + 10_000;
    let actual = '';
    while (Date.now() < deadline) {
      actual = await locator.inputValue().catch(() => '');
      if (actual === expected) return { pass: true, message: () => `value is ${expected}` };
      await new Promise((r) => setTimeout(r, 100));
    }
    return { pass: false, message: () => `expected value ${expected}, got ${actual}` };
  },
});
