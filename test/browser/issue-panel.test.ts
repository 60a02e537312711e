/**
 * The issue panel as people use it, in Debian's Chromium through the real
 * @forge/bridge: a member sees a new issue linked to its ServiceNow incident
 * with the timeline of its sync steps (changed, queued, written, confirmed),
 * sees an agent's edit in ServiceNow arrive there, asks for a sync, unlinks it
 * after a confirmation and links it again by the incident's number; finds an
 * existing incident by words of its title and links an older issue to it;
 * creates an older issue's incident on request; a viewer (browse only) sees
 * the sync state and timeline but no action, and the server refuses them the
 * actions; a failed create shows the remote's reason with a retry; the dark
 * theme applies; a customer who cannot see the issue gets nothing.
 */
import type { Browser, FrameLocator, Page } from 'playwright-core';
import { buildUi } from '../../scripts/build-ui';
import { startSandbox, type Sandbox } from '../../sandbox/sandbox';
import { DEMO_CREDENTIALS as SN } from '../../sandbox/sims/servicenow';
import { serviceNowClient } from '../../sandbox/sims/servicenow/test-client';
import { copyFileSync } from 'node:fs';
import path from 'node:path';
import { DEMO_CONNECTION_ID } from '../../sandbox/demo/servicenow-connection';
import { clearCondition, tokenRefused, writeCondition } from '../support/alert-state';
import {
  eventually,
  expectAccessible,
  expectPageAccessible,
  launchBrowser,
  screenshot,
  SHOTS,
  signIn,
} from './support/browser';

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
    headers: {
      authorization: `Basic ${Buffer.from(`${member.email}:${member.apiToken}`).toString('base64')}`,
      'content-type': 'application/json',
    },
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
    if (
      await el.waitFor({ timeout: 1500 }).then(
        () => true,
        () => false,
      )
    )
      return (await el.textContent()) ?? '';
    await page.reload();
    return undefined;
  }, `the panel to show ${testId}`);
}

/** The panel's timeline entries, newest first, as text. */
async function timeline(page: Page): Promise<string[]> {
  return panel(page).getByTestId('timeline-step').allTextContents();
}

async function issueIdOf(key: string): Promise<string> {
  return sandbox.jira.site.issue(key, sandbox.jira.site.user(sandbox.users.find((u) => u.role === 'admin')!.accountId))
    .id;
}

/** Calls one of the panel's resolvers as `role`, as the panel would for that issue. */
async function asRole(role: string, key: string, functionKey: string, payload: unknown = {}) {
  const user = sandbox.users.find((u) => u.role === role)!;
  const res = await sandbox.platform.invokeResolver({
    installationId: sandbox.installationId,
    moduleKey: 'crosswalk-panel',
    functionKey,
    accountId: user.accountId,
    context: {
      extension: {
        type: 'jira:issuePanel',
        issue: { id: await issueIdOf(key), key },
        project: { id: '10000', key: 'DEMO' },
      },
    },
    payload,
  });
  if (!res.ok) throw new Error(`${functionKey} failed: ${res.error}`);
  return res.body as { ok: boolean; error?: { code: string; message: string } };
}

describe('issue panel (browser)', () => {
  it('shows a member the linked incident and the timeline of its sync steps, follows an agent’s edit, syncs on request, unlinks after a confirmation and links again by number', async () => {
    const key = await createIssue('Payment page is slow');
    const page = await openIssue('member', key);
    const linked = await waitInPanel(page, 'linked');
    const incident = /INC\d{7}/.exec(linked)?.[0];
    expect(incident).toBeDefined();
    await panel(page).getByTestId('remote-state').waitFor();
    // The create is the first step: queued by the Jira event and confirmed (stages within seconds show one time).
    const [created] = await timeline(page);
    expect(created).toMatch(/Created in ServiceNow.*Jira → ServiceNow/);
    expect(created).toMatch(/Queued by a Jira change.*Confirmed /);
    expect(await panel(page).getByTestId('pending').textContent()).toBe('Nothing waiting to sync from Jira.');
    await expectAccessible(page);
    await screenshot(page, 'issue-panel-linked');

    // An agent edits the incident in ServiceNow: the change comes to Jira and shows as the newest step.
    const workerRunsBefore = sandbox.platform.meter.invocations({ functionKey: 'sync-worker' }).length;
    const agent = serviceNowClient(sandbox.servicenow, SN.agent);
    const found = await agent('GET', `/api/now/table/incident?sysparm_query=number=${incident}`);
    await agent('PATCH', `/api/now/table/incident/${found.json.result[0].sys_id}`, {
      short_description: 'Payment page is slow (checkout only)',
    });
    await eventually(async () => {
      await page.reload();
      await panel(page).getByTestId('timeline').waitFor({ timeout: 3000 });
      const steps = await timeline(page);
      return (
        steps.length >= 2 &&
        // The new summary, cut to the 32 characters a step keeps.
        steps[0]!.includes('Summary → Payment page is slow (checkout … (ServiceNow → Jira)') &&
        /Queued by a ServiceNow notification/.test(steps[0]!)
      );
    }, 'the agent’s edit on the timeline');
    await page.reload();
    expect(await page.locator('#summary').textContent()).toBe('Payment page is slow (checkout only)');
    // The step costs no storage call of its own: the run that copied the edit wrote the link once, and nothing else.
    const copied = sandbox.platform.meter
      .invocations({ functionKey: 'sync-worker' })
      .slice(workerRunsBefore)
      .filter((r) => r.kvs.writes > 0);
    expect(copied.map((r) => r.kvs.writes)).toEqual([1]);
    await panel(page).getByTestId('timeline').waitFor();
    await expectAccessible(page);
    await screenshot(page, 'issue-panel-timeline');

    await panel(page).getByRole('button', { name: 'Sync now' }).click();
    await page.locator('#flags').getByText('Sync requested').waitFor();

    await panel(page).getByRole('button', { name: 'Unlink' }).click();
    await panel(page).getByRole('dialog').getByText('Neither is deleted or changed').waitFor();
    await expectAccessible(page);
    await screenshot(page, 'issue-panel-confirm-unlink');
    await panel(page).getByRole('dialog').getByRole('button', { name: 'Unlink' }).click();
    await panel(page).getByTestId('not-linked').waitFor();

    // A number that does not exist finds nothing, said at the field; the real one is found and links.
    await panel(page).locator('#remoteSearch').fill('INC9999999');
    await panel(page).getByRole('button', { name: 'Search' }).click();
    await panel(page).locator('#remoteSearch-error').getByText('Nothing in ServiceNow matches “INC9999999”').waitFor();
    await expectAccessible(page);
    await panel(page).locator('#remoteSearch').fill(incident!);
    await panel(page).getByRole('button', { name: 'Search' }).click();
    await panel(page)
      .getByRole('button', { name: `Link to ${incident}` })
      .click();
    await page.locator('#flags').getByText('Linked').first().waitFor();
    expect(await waitInPanel(page, 'linked')).toContain(incident!);
    await page.close();
  }, 120_000);

  it('keeps the search an unlink opened when a slower answer from before the unlink arrives after it', async () => {
    const key = await createIssue('Badge reader beeps twice');
    const page = await openIssue('member', key);
    await waitInPanel(page, 'linked');
    await panel(page).getByTestId('remote-state').waitFor();
    const control = sandbox.sims.servicenow.controlUrl;
    const held = async () => ((await (await fetch(`${control}/faults`)).json()) as { held: number }).held;
    const slaReadsDone = () =>
      sandbox.platform.meter.invocations().filter((r) => r.requests.some((q) => q.includes('/api/now/table/task_sla')))
        .length;
    // The reload Sync now makes after its pause asks the incident's SLAs; ServiceNow keeps that request waiting.
    await fetch(`${control}/faults`, {
      method: 'POST',
      body: JSON.stringify({ method: 'GET', path: '/api/now/table/task_sla', hold: true, times: 1 }),
    });
    const before = slaReadsDone();
    await panel(page).getByRole('button', { name: 'Sync now' }).click();
    await eventually(async () => (await held()) === 1, 'the reload after Sync now to wait at ServiceNow');

    await panel(page).getByRole('button', { name: 'Unlink' }).click();
    await panel(page).getByRole('dialog').getByRole('button', { name: 'Unlink' }).click();
    await panel(page).locator('#remoteSearch').waitFor();
    // The older answer, which still says "linked", now arrives: the panel shows the newer one all the same.
    await fetch(`${control}/faults`, { method: 'DELETE' });
    await eventually(async () => slaReadsDone() > before, 'the older answer to arrive');
    await page.waitForTimeout(300);
    expect(await panel(page).getByTestId('linked').count()).toBe(0);
    await panel(page).locator('#remoteSearch').fill('INC9999999');
    await panel(page).getByRole('button', { name: 'Search' }).click();
    await panel(page).locator('#remoteSearch-error').getByText('Nothing in ServiceNow matches “INC9999999”').waitFor();
    await page.close();
  }, 90_000);

  it('lets a member find an existing incident by words of its title and link an older issue to it; one linked elsewhere says so', async () => {
    const page = await openIssue('member', 'DEMO-2');
    await panel(page).getByTestId('not-linked').waitFor();
    await panel(page).locator('#remoteSearch').fill('laptop');
    await panel(page).getByRole('button', { name: 'Search' }).click();
    const results = panel(page).getByTestId('search-results');
    await results.getByText('Laptop will not boot after update').waitFor();
    await expectAccessible(page);
    await screenshot(page, 'issue-panel-search');
    const row = results.getByRole('listitem').filter({ hasText: 'Laptop will not boot after update' });
    const number = /INC\d{7}/.exec((await row.textContent()) ?? '')![0];
    await row.getByRole('button', { name: `Link to ${number}` }).click();
    expect(await waitInPanel(page, 'linked')).toContain(number);
    // The first sync of a link made by hand takes the incident's values: the timeline shows the step toward Jira.
    await eventually(async () => {
      await page.reload();
      await panel(page).getByTestId('timeline').waitFor({ timeout: 3000 });
      return (await timeline(page)).some((t) => /ServiceNow → Jira/.test(t));
    }, 'the first sync of the linked pair on the timeline');

    // Another issue finds the same incident marked as linked to DEMO-2, and cannot take it.
    const other = await openIssue('member', 'DEMO-3');
    await panel(other).locator('#remoteSearch').fill(number);
    await panel(other).getByRole('button', { name: 'Search' }).click();
    await panel(other).getByTestId('search-results').getByText('Linked to DEMO-2').waitFor();
    await expectAccessible(other);
    expect(
      await panel(other)
        .getByRole('button', { name: `Link to ${number}` })
        .isDisabled(),
    ).toBe(true);
    await other.close();
    await page.close();
  }, 120_000);

  it('creates an older issue’s incident when a member asks', async () => {
    const page = await openIssue('member', 'DEMO-3');
    await panel(page).getByTestId('not-linked').waitFor();
    await panel(page).getByRole('button', { name: 'Create in ServiceNow' }).click();
    await page.locator('#flags').getByText('Creating in ServiceNow').waitFor();
    expect(await waitInPanel(page, 'linked')).toMatch(/INC\d{7}/);
    const [created] = await timeline(page);
    expect(created).toMatch(/Created in ServiceNow/);
    expect(created).toMatch(/Queued by Create/);
    await expectAccessible(page);
    await screenshot(page, 'issue-panel-created');
    await page.close();
  }, 90_000);

  it('shows a viewer, who may browse but not edit, the sync state and timeline without actions; the server refuses them every action', async () => {
    const key = await createIssue('Printer queue stuck');
    const page = await openIssue('viewer', key);
    await waitInPanel(page, 'linked');
    await panel(page).getByTestId('timeline-step').first().waitFor();
    expect(await panel(page).getByRole('button', { name: 'Sync now' }).count()).toBe(0);
    expect(await panel(page).getByRole('button', { name: 'Unlink' }).count()).toBe(0);
    await expectAccessible(page);
    await screenshot(page, 'issue-panel-viewer');
    for (const [fn, payload] of [
      ['syncIssueNow', {}],
      ['unlinkIssue', {}],
      ['searchRemote', { text: 'printer' }],
      ['createInRemote', {}],
      ['linkIssue', { remoteKey: 'INC0000001' }],
    ] as const) {
      expect(await asRole('viewer', key, fn, payload)).toEqual({
        ok: false,
        error: { code: 'FORBIDDEN', message: 'You need permission to edit this issue.' },
      });
    }
    // The member may; their input is checked at its fields.
    expect(await asRole('member', key, 'searchRemote', { text: '' })).toMatchObject({
      ok: false,
      error: { code: 'BAD_REQUEST', problems: [{ path: 'text' }] },
    });
    expect(await asRole('member', key, 'searchRemote', { text: 'printer', extra: 1 })).toMatchObject({
      ok: false,
      error: { code: 'BAD_REQUEST' },
    });
    expect(await asRole('customer', key, 'getIssueSync')).toEqual({
      ok: false,
      error: { code: 'FORBIDDEN', message: 'You cannot see this issue.' },
    });
    await page.close();
  }, 90_000);

  it('shows why an issue could not be created in ServiceNow, with a retry, in the dark theme too', async () => {
    await fetch(`${sandbox.sims.servicenow.controlUrl}/faults`, {
      method: 'POST',
      body: JSON.stringify({
        method: 'POST',
        path: '/api/now/table/incident',
        status: 400,
        body: { error: { message: 'Invalid value for field: category', detail: 'category' }, status: 'failure' },
        times: 1,
      }),
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
    await eventually(
      async () => (await panel(page).locator('html').getAttribute('data-color-mode')) === 'dark',
      'the dark theme',
    );
    await expectAccessible(page);
    await screenshot(page, 'issue-panel-dark');
    await panel(page).getByRole('button', { name: 'Retry sync' }).click();
    expect(await waitInPanel(page, 'linked')).toMatch(/INC\d{7}/);
    // The retried create is on the timeline, readable in the dark theme too.
    await panel(page)
      .getByTestId('timeline-step')
      .first()
      .getByText(/Created in ServiceNow/)
      .waitFor();
    await expectAccessible(page);
    await screenshot(page, 'issue-panel-timeline-dark');
    await page.goto(`${sandbox.hostUrl}/__host/theme?mode=light`);
    await page.close();
  }, 90_000);

  it('shows a one-line banner on every issue of a connection that is failing as a whole, above the item’s own state', async () => {
    const key = await createIssue('Synced before the password was changed');
    const page = await openIssue('member', key);
    await waitInPanel(page, 'linked');
    const now = Date.now();
    await writeCondition(sandbox, DEMO_CONNECTION_ID, {
      conditions: [
        tokenRefused(now - 20 * 60_000, 'ServiceNow refuses the password'),
        // Not connection-wide: the banner leaves it to the admin page and the gadget.
        { ...tokenRefused(now - 20 * 60_000, '12 items fail'), kind: 'items-failing' },
      ],
    });
    try {
      await page.reload();
      const banner = panel(page).getByTestId('connection-banner');
      await banner.waitFor();
      expect(await banner.count()).toBe(1);
      expect(await banner.innerText()).toMatch(
        /^ServiceNow connection DEMO ↔ ACME incidents: ServiceNow refuses the password since \d\d:\d\d\. It holds up every issue of this connection, not only this one\.$/,
      );
      // The item's own state still shows below it; no internal id is named.
      expect(await panel(page).getByTestId('linked').textContent()).toMatch(/Linked to INC\d+/);
      expect(await panel(page).locator('body').innerText()).not.toContain(DEMO_CONNECTION_ID);
      await expectAccessible(page);
      await screenshot(page, 'issue-panel-connection-failing');
      copyFileSync(
        path.join(SHOTS, 'issue-panel-connection-failing.png'),
        path.resolve(__dirname, '../../docs/screenshots/issue-panel-connection-failing.png'),
      );
      // Past the condition (the next check stored an ok), the banner goes.
      await writeCondition(sandbox, DEMO_CONNECTION_ID, { conditions: [] });
      await page.reload();
      await panel(page).getByTestId('linked').waitFor();
      expect(await panel(page).getByTestId('connection-banner').count()).toBe(0);
    } finally {
      await clearCondition(sandbox, DEMO_CONNECTION_ID);
      await page.close();
    }
  }, 60_000);

  it('shows a customer who cannot browse the project nothing of the issue', async () => {
    const page = await openIssue('customer', 'DEMO-1');
    await page.getByText('This issue does not exist or you cannot see it.').waitFor();
    expect(await page.locator('iframe[data-module="crosswalk-panel"]').count()).toBe(0);
    // No Crosswalk frame to check: the host page the customer sees is.
    await expectPageAccessible(page);
    await screenshot(page, 'issue-panel-customer');
    await page.close();
  }, 30_000);
});
