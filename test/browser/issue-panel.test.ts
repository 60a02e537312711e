/**
 * The issue panel as people use it, in Debian's Chromium through the real
 * @forge/bridge: a member sees a new issue linked to its ServiceNow incident,
 * asks for a sync, unlinks it after a confirmation and links it again by the
 * incident's number; a failed create shows the remote's reason with a retry;
 * the dark theme applies; a customer who cannot see the issue gets nothing.
 */
import type { Browser, FrameLocator, Page } from 'playwright-core';
import { buildUi } from '../../scripts/build-ui';
import { startSandbox, type Sandbox } from '../../sandbox/sandbox';
import { eventually, expectAccessible, launchBrowser, screenshot, signIn } from './support/browser';

let sandbox: Sandbox;
let browser: Browser;

beforeAll(async () => {
  await buildUi(['issue-panel']);
  sandbox = await startSandbox();
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await sandbox?.stop();
});

const panel = (page: Page): FrameLocator => page.frameLocator('iframe[data-module="crosswalk-panel"]');

async function createIssue(summary: string): Promise<string> {
  const member = sandbox.users.find((u) => u.role === 'member')!;
  const res = await fetch(`${sandbox.sims.jira.baseUrl}/rest/api/3/issue`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`${member.email}:${member.apiToken}`).toString('base64')}`, 'content-type': 'application/json' },
    body: JSON.stringify({ fields: { project: { key: 'DEMO' }, issuetype: { name: 'Incident' }, summary } }),
  });
  return ((await res.json()) as { key: string }).key;
}

async function openIssue(role: string, key: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await signIn(sandbox, page, role);
  await page.goto(`${sandbox.hostUrl}/browse/${key}`);
  return page;
}

/** Reloads until the panel shows `testId` (the sync runs in the background). */
async function waitInPanel(page: Page, testId: string): Promise<string> {
  return eventually(async () => {
    const el = panel(page).getByTestId(testId);
    if (await el.waitFor({ timeout: 1500 }).then(() => true, () => false)) return (await el.textContent()) ?? '';
    await page.reload();
    return undefined;
  }, `the panel to show ${testId}`);
}

describe('issue panel (browser)', () => {
  it('shows a member the linked incident, syncs on request, unlinks after a confirmation and links again by number', async () => {
    const key = await createIssue('Payment page is slow');
    const page = await openIssue('member', key);
    const linked = await waitInPanel(page, 'linked');
    const incident = /INC\d{7}/.exec(linked)?.[0];
    expect(incident).toBeDefined();
    await panel(page).getByTestId('remote-state').waitFor();
    await expectAccessible(page);
    await screenshot(page, 'issue-panel-linked');

    await panel(page).getByRole('button', { name: 'Sync now' }).click();
    await page.locator('#flags').getByText('Sync requested').waitFor();

    await panel(page).getByRole('button', { name: 'Unlink' }).click();
    await panel(page).getByRole('dialog').getByText('Neither is deleted or changed').waitFor();
    await expectAccessible(page);
    await screenshot(page, 'issue-panel-confirm-unlink');
    await panel(page).getByRole('dialog').getByRole('button', { name: 'Unlink' }).click();
    await panel(page).getByTestId('not-linked').waitFor();

    // A number that does not exist is refused at the field; the real one links.
    await panel(page).locator('#remoteKey').fill('INC9999999');
    await panel(page).getByRole('button', { name: 'Link', exact: true }).click();
    await panel(page).locator('#remoteKey-error').getByText('INC9999999 was not found').waitFor();
    await panel(page).locator('#remoteKey').fill(incident!);
    await panel(page).getByRole('button', { name: 'Link', exact: true }).click();
    await page.locator('#flags').getByText('Linked').first().waitFor();
    expect(await waitInPanel(page, 'linked')).toContain(incident!);
    await page.close();
  }, 90_000);

  it('shows why an issue could not be created in ServiceNow, with a retry, in the dark theme too', async () => {
    await fetch(`${sandbox.sims.servicenow.controlUrl}/faults`, {
      method: 'POST',
      body: JSON.stringify({ method: 'POST', path: '/api/now/table/incident', status: 400, body: { error: { message: 'Invalid value for field: category', detail: 'category' }, status: 'failure' }, times: 1 }),
    });
    const key = await createIssue('Printer on fire');
    const page = await openIssue('member', key);
    expect(await waitInPanel(page, 'sync-error')).toContain('Invalid value for field: category');
    await panel(page).getByRole('button', { name: 'Retry sync' }).waitFor();
    await expectAccessible(page);
    await screenshot(page, 'issue-panel-error');

    await page.goto(`${sandbox.hostUrl}/__host/theme?mode=dark`);
    await page.goto(`${sandbox.hostUrl}/browse/${key}`);
    await panel(page).getByTestId('sync-error').waitFor();
    await eventually(async () => (await panel(page).locator('html').getAttribute('data-color-mode')) === 'dark', 'the dark theme');
    await expectAccessible(page);
    await screenshot(page, 'issue-panel-dark');
    await panel(page).getByRole('button', { name: 'Retry sync' }).click();
    expect(await waitInPanel(page, 'linked')).toMatch(/INC\d{7}/);
    await page.goto(`${sandbox.hostUrl}/__host/theme?mode=light`);
    await page.close();
  }, 90_000);

  it('shows a customer who cannot browse the project nothing of the issue', async () => {
    const page = await openIssue('customer', 'DEMO-1');
    await page.getByText('This issue does not exist or you cannot see it.').waitFor();
    expect(await page.locator('iframe[data-module="crosswalk-panel"]').count()).toBe(0);
    await page.close();
  }, 30_000);
});
