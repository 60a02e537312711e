/**
 * What people read on the pages, in Debian's Chromium through the real
 * @forge/bridge: the connection page says in words how Zendesk's changes
 * reach Crosswalk (no raw webhook id), a save says what it set up, and
 * Activity counts "1 sync"; the preview's Zendesk column shows Zendesk's own
 * values; the issue panel names a Zendesk ticket "#N" and an Azure DevOps item
 * "Bug N", each with its title, says what each step changed with one time
 * where the stages were at once, and says when Zendesk did not take a status;
 * a viewer sees no Sync now. axe-core checks every state shown.
 */
import type { Browser, FrameLocator, Page } from 'playwright-core';
import { buildUi } from '../../scripts/build-ui';
import { startSandbox, type Sandbox } from '../../sandbox/sandbox';
import { SUP_CONNECTION_ID, SUP_PROJECT } from '../../sandbox/demo/zendesk-connection';
import { eventually, expectAccessible, launchBrowser, screenshot, signIn } from './support/browser';

let sandbox: Sandbox;
let browser: Browser;

beforeAll(async () => {
  await buildUi(['settings', 'issue-panel']);
  sandbox = await startSandbox();
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await sandbox?.stop();
});

const settings = (page: Page): FrameLocator => page.frameLocator('iframe[data-module="crosswalk-settings"]');
const panel = (page: Page): FrameLocator => page.frameLocator('iframe[data-module="crosswalk-panel"]');

async function as(role: string, path: string, height = 900): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height } });
  await signIn(sandbox, page, role);
  await page.goto(`${sandbox.hostUrl}${path}`);
  return page;
}

async function jira(role: string, method: string, path: string, body?: unknown) {
  const user = sandbox.users.find((u) => u.role === role)!;
  const res = await fetch(`${sandbox.sims.jira.baseUrl}${path}`, {
    method,
    headers: {
      authorization: `Basic ${Buffer.from(`${user.email}:${user.apiToken}`).toString('base64')}`,
      'content-type': 'application/json',
    },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return res.status === 204 ? undefined : ((await res.json()) as Record<string, any>);
}

const createIssue = async (role: string, project: string, summary: string) =>
  (await jira(role, 'POST', '/rest/api/3/issue', {
    fields: { project: { key: project }, issuetype: { name: 'Task' }, summary, priority: { name: 'High' } },
  })) as { id: string; key: string };
const transition = (key: string, id: string) =>
  jira('member', 'POST', `/rest/api/3/issue/${key}/transitions`, { transition: { id } });
const ticketOf = (issueId: string) =>
  [...sandbox.zendesk.store.tickets.values()].find((t) => t.external_id?.endsWith(`:${SUP_CONNECTION_ID}:${issueId}`));

/** Reloads until the panel's `testId` says what `expected` matches (the sync runs in the background). */
async function panelSays(page: Page, testId: string, expected: RegExp): Promise<string> {
  return eventually(
    async () => {
      await page.reload();
      const el = panel(page).getByTestId(testId).first();
      await el.waitFor({ timeout: 3000 });
      const text = (await el.textContent()) ?? '';
      return expected.test(text) ? text : undefined;
    },
    `the panel's ${testId} to say ${expected}`,
    30_000,
  );
}

describe('what people read (browser)', () => {
  let supIssue: { id: string; key: string };

  it('the connection page says in words how Zendesk tells Crosswalk of changes, a save says what it set up, and Activity counts "1 sync"', async () => {
    supIssue = await createIssue('member', 'SUP', 'Refund sent to the old card');
    await sandbox.settle();
    await eventually(async () => ticketOf(supIssue.id), 'the ticket');
    const page = await as('project-lead', `/projects/${SUP_PROJECT.key}/settings/crosswalk`, 1800);
    const frame = settings(page);
    const summary = await frame.getByTestId('push-summary').textContent();
    expect(summary).toBe(
      'Zendesk tells Crosswalk about each ticket change through a webhook and a trigger that Crosswalk sets up when the connection is saved, and removes when it is deleted.',
    );
    // The one sync so far (the ticket's create), counted as one.
    await frame.getByRole('img', { name: '1 sync and 0 failing items over the last 14 days' }).waitFor();
    await expectAccessible(page);
    await screenshot(page, 'texts-connection-page');

    // Saved again from the wizard: what was set up, named as Zendesk's Admin Center lists it, never by its id.
    await frame.getByRole('button', { name: 'Edit' }).click();
    await frame.getByRole('button', { name: 'Next' }).click();
    await frame.getByRole('button', { name: 'Next' }).click();
    await frame.getByRole('button', { name: 'Save connection' }).press('Enter');
    await frame.getByRole('dialog').waitFor({ state: 'detached' });
    const provisioned = (await frame.getByTestId('push-provisioned').textContent()) ?? '';
    expect(provisioned).toMatch(
      /^Zendesk now sends ticket changes to Crosswalk: the webhook “Crosswalk [a-p]{10}” and the trigger “Crosswalk: tell Jira about ticket changes \([a-p]{10}\)” are set up\.$/,
    );
    for (const hook of sandbox.zendesk.store.webhooks.values()) expect(provisioned).not.toContain(hook.id);
    await page.mouse.move(0, 0);
    await expectAccessible(page);
    await screenshot(page, 'texts-connection-saved');
    await page.close();
  }, 120_000);

  it("the preview's Zendesk column shows Zendesk's own values, Jira's column Jira's", async () => {
    const page = await as('project-lead', `/projects/${SUP_PROJECT.key}/settings/crosswalk`, 1800);
    const frame = settings(page);
    await frame.getByRole('button', { name: 'Edit' }).click();
    await frame.getByRole('button', { name: 'Next' }).click();
    await frame.getByRole('button', { name: 'Next' }).click();
    await frame.getByRole('button', { name: 'Preview', exact: true }).press('Enter');
    await frame.locator('[id="item.issueKey"]').fill(supIssue.key);
    await frame.getByRole('button', { name: 'Preview this item' }).click();
    const table = frame.getByRole('table', { name: `What would be written for ${supIssue.key}` });
    await table.waitFor();
    const cells = async (field: string) =>
      table
        .getByRole('row', { name: new RegExp(`^${field} / ${field}`) })
        .getByRole('cell')
        .allTextContents();
    // Field, Jira now, direction, Zendesk now, outcome.
    expect((await cells('status')).slice(0, 4)).toEqual(['status / status', 'To Do', '↔ both ways', 'new']);
    expect((await cells('priority')).slice(0, 4)).toEqual(['priority / priority', 'High', '↔ both ways', 'high']);
    await expectAccessible(page);
    await screenshot(page, 'texts-preview');
    await frame.getByRole('button', { name: 'Cancel' }).press('Enter');
    await page.close();
  }, 90_000);

  it('the issue panel names the ticket as Zendesk does with its title, says what each step changed, and shows one time for stages at once', async () => {
    await transition(supIssue.key, '11'); // Start progress
    await sandbox.settle();
    const page = await as('member', `/browse/${supIssue.key}`);
    const id = ticketOf(supIssue.id)!.id;
    expect(await panelSays(page, 'linked', /Refund/)).toBe(`Linked to #${id} Refund sent to the old card`);
    const step = await panelSays(page, 'timeline-step', /Status →/);
    expect(step).toMatch(/^ConfirmedStatus → In Progress \(Jira → Zendesk\)Queued by a Jira change/);
    // Changed, queued, written and confirmed within the same seconds: one time, not four.
    expect(step).not.toMatch(/Written|Changed/);
    expect(step.match(/\d{1,2}:\d{2}:\d{2}/g)).toHaveLength(1);
    await expectAccessible(page);
    await screenshot(page, 'texts-panel-zendesk');
    await page.close();
  }, 90_000);

  it('says on the panel when Zendesk did not take a status, and does not call the pair in agreement', async () => {
    for (const id of ['21', '31']) await transition(supIssue.key, id); // Review, Done: the ticket is solved (and assigned).
    await sandbox.settle();
    await transition(supIssue.key, '41'); // Reopen: To Do, which the map pairs with "new".
    await sandbox.settle();
    const page = await as('member', `/browse/${supIssue.key}`);
    const problem = await panelSays(page, 'sync-problem', /kept status/);
    expect(problem).toContain('Zendesk did not take the status');
    expect(problem).toContain("Zendesk kept status “open” when Crosswalk wrote “new” for Jira's “To Do”");
    expect(problem).toContain('Zendesk does not return a ticket to New once someone is assigned to it');
    expect(await panel(page).getByTestId('pending').textContent()).toBe(
      'Jira and Zendesk do not agree on everything: see below.',
    );
    await panel(page).getByTestId('timeline-step').getByText('Status: Zendesk kept open (Jira → Zendesk)').waitFor();
    await expectAccessible(page);
    await screenshot(page, 'texts-panel-not-taken');
    await page.close();
  }, 120_000);

  it('names an Azure DevOps work item "Bug N" with its title', async () => {
    const issue = await createIssue('admin', 'OPS', 'Checkout button misaligned on mobile');
    await sandbox.settle();
    const page = await as('admin', `/browse/${issue.key}`);
    const linked = await panelSays(page, 'linked', /Checkout/);
    expect(linked).toMatch(/^Linked to Bug \d+ Checkout button misaligned on mobile$/);
    await expectAccessible(page);
    await screenshot(page, 'texts-panel-azure-devops');
    await page.close();
  }, 90_000);

  it('shows a viewer (browse only) the sync state and history, and no Sync now', async () => {
    const issue = await createIssue('member', 'DEMO', 'Badge reader at the side door');
    await sandbox.settle();
    const page = await as('viewer', `/browse/${issue.key}`);
    await panelSays(page, 'linked', /INC\d{7}/);
    await panel(page).getByTestId('timeline-step').first().waitFor();
    expect(await panel(page).getByRole('button').count()).toBe(0);
    await expectAccessible(page);
    await screenshot(page, 'texts-panel-viewer');
    await page.close();
  }, 90_000);
});
