/**
 * The project settings page as people use it, in Debian's Chromium through the
 * real @forge/bridge in the sandbox host: a project lead adds a connection
 * with the wizard (problems shown at their fields, credentials write-only),
 * tests, pauses and resumes a connection, cancels a bulk sync part-way, and
 * retries a failure from the health view; a member is refused by the server.
 * axe-core checks every state shown. Each test sets up what it needs, and
 * orders what it tests by the platform's clock or an explicit hold, never by a
 * real wait. (Listing, testing, pausing, syncing existing issues and deleting
 * run for every system in every-system.test.ts.)
 */
import type { Browser, FrameLocator, Page } from 'playwright-core';
import { buildUi } from '../../scripts/build-ui';
import { startSandbox, type Sandbox } from '../../sandbox/sandbox';
import { eventually, expectAccessible, launchBrowser, screenshot, signIn } from './support/browser';
import { SteppableClock } from './support/clock';

let sandbox: Sandbox;
let browser: Browser;
const clock = new SteppableClock();

beforeAll(async () => {
  await buildUi(['settings']);
  sandbox = await startSandbox({ clock });
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await sandbox?.stop();
});

const settings = (page: Page): FrameLocator => page.frameLocator('iframe[data-module="crosswalk-settings"]');

async function openSettings(role: string): Promise<Page> {
  // Tall enough for the wizard's last step: playwright cannot scroll the host page to a dialog fixed inside the frame.
  const page = await browser.newPage({ viewport: { width: 1280, height: 1800 } });
  await signIn(sandbox, page, role);
  await page.goto(`${sandbox.hostUrl}/projects/DEMO/settings/crosswalk`);
  return page;
}

/** Picks an option of an Atlaskit select from the keyboard, as a person would: type to filter, Enter to choose. */
async function choose(frame: FrameLocator, inputId: string, option: string) {
  const input = frame.locator(`[id="${inputId}"]`);
  await input.focus();
  await input.pressSequentially(option);
  await frame.getByRole('option', { name: option, exact: true }).waitFor();
  await input.press('Enter');
  await frame.getByRole('option').first().waitFor({ state: 'detached' });
}

/** Reloads the page and waits until its health view has read the failures, however long the page takes to load. */
async function reloadHealth(page: Page): Promise<FrameLocator> {
  await page.reload();
  const frame = settings(page);
  await frame
    .getByText('No failing items.')
    .or(frame.getByRole('table', { name: 'Failing items' }))
    .waitFor({ timeout: 20_000 });
  return frame;
}

const member = () => sandbox.users.find((u) => u.role === 'member')!;
const jiraAuth = () => `Basic ${Buffer.from(`${member().email}:${member().apiToken}`).toString('base64')}`;

async function createIssue(summary: string): Promise<string> {
  const res = await fetch(`${sandbox.sims.jira.baseUrl}/rest/api/3/issue`, {
    method: 'POST',
    headers: { authorization: jiraAuth(), 'content-type': 'application/json' },
    body: JSON.stringify({ fields: { project: { key: 'DEMO' }, issuetype: { name: 'Incident' }, summary } }),
  });
  return ((await res.json()) as { key: string }).key;
}

describe('project settings page (browser)', () => {
  it('lets a project lead add a connection with the wizard: problems at their fields, Jira counts the filter, secrets never shown again; and delete it only after a confirmation', async () => {
    const page = await openSettings('project-lead');
    const frame = settings(page);
    await frame.getByRole('row', { name: /DEMO ↔ ACME incidents/ }).waitFor();
    await frame.getByText('OK', { exact: true }).first().waitFor();
    await expectAccessible(page);

    await frame.getByRole('button', { name: 'Add connection' }).click();
    await frame.getByRole('dialog').waitFor();
    await frame.locator('#name').fill('Service requests');
    await expectAccessible(page);
    await screenshot(page, 'wizard-step-1');
    await frame.getByRole('button', { name: 'Next' }).click();

    // Step 2 comes from ServiceNow's settings shape: instance, table, auth method and its secret.
    await frame.locator('[id="remote.baseUrl"]').fill('https://acme.example.com');
    await frame.locator('[id="remote.table"]').fill('sc_task');
    await frame.locator('[id="remote.auth.username"]').fill('crosswalk.integration');
    await frame.locator('[id="credential.password"]').fill('s3cret-pass-1');
    await expectAccessible(page);
    await screenshot(page, 'wizard-step-2');
    await frame.getByRole('button', { name: 'Next' }).click();

    // Jira's own parser refuses a filter that would escape its parentheses, at the field.
    await frame.locator('#jql').fill('labels = customer) OR (project = OPS');
    await frame.getByRole('button', { name: 'Count matching issues' }).click();
    await frame.locator('#jql-error').waitFor();
    await frame.locator('#jql').fill('');
    await frame.getByRole('button', { name: 'Count matching issues' }).click();
    await frame.getByText(/issues? of this project match/).waitFor();
    // Which remote items create Jira issues, and of which type (the project's own types, read from Jira).
    // By the keyboard: inside the tall dialog, a click can land outside the frame's viewport.
    await frame.getByRole('button', { name: 'Add a condition' }).press('Enter');
    await frame.locator('[id="remoteFilter.0.field"]').fill('category');
    await frame.locator('[id="remoteFilter.0.value"]').fill('request');
    await choose(frame, 'jiraIssueType', 'Incident');
    // Not saved yet: a pair's ServiceNow user is typed by id, and the page says why.
    await frame.getByRole('button', { name: 'Add a pair' }).click();
    await frame.getByRole('textbox', { name: 'ServiceNow user ID 1' }).waitFor();
    expect(await frame.getByTestId('remote-users-typed').textContent()).toContain(
      'searched by name once the connection is saved',
    );
    await frame.getByRole('button', { name: 'Remove pair 1' }).click();
    await page.mouse.move(0, 0);
    await expectAccessible(page);
    await screenshot(page, 'wizard-step-3');

    // The server refuses a host Crosswalk may not reach: the wizard goes back to the field.
    await frame.getByRole('button', { name: 'Save connection' }).press('Enter');
    await frame.locator('[id="remote.baseUrl-error"]').waitFor();
    expect(await frame.locator('[id="remote.baseUrl-error"]').textContent()).toContain('*.service-now.com');
    await expectAccessible(page);
    await screenshot(page, 'wizard-problem');
    await frame.locator('[id="remote.baseUrl"]').fill('https://acme.service-now.com');
    await frame.getByRole('button', { name: 'Next' }).click();
    await frame.getByRole('button', { name: 'Save connection' }).press('Enter');
    await frame.getByRole('dialog').waitFor({ state: 'detached' });
    await frame.getByRole('row', { name: /Service requests/ }).waitFor();

    // Edit: the stored password is never shown; the field says it is set and may be replaced.
    await frame.getByRole('button', { name: 'Edit' }).click();
    await frame.getByRole('button', { name: 'Next' }).click();
    expect(await frame.locator('[id="credential.password"]').inputValue()).toBe('');
    await frame.getByText('A value is stored and never shown').waitFor();
    const html = await Promise.all(page.frames().map((f) => f.content()));
    expect(html.join('')).not.toContain('s3cret-pass-1');
    await frame.getByRole('button', { name: 'Cancel' }).click();

    // The admin sets the order in which an issue is matched against the connections.
    await frame.getByRole('button', { name: 'Up: match Service requests earlier' }).click();
    await eventually(
      async () => /Service requests/.test((await frame.getByRole('row').nth(1).textContent()) ?? ''),
      'the new order',
    );

    // ServiceNow's change push is pasted by its admin: the business rule with the URL, and a signing secret shown once.
    await frame.getByRole('button', { name: 'Show Service requests' }).click();
    await frame.getByTestId('push-url').waitFor();
    await frame.getByRole('button', { name: 'Generate the signing secret' }).click();
    await frame.getByRole('dialog').getByRole('button', { name: 'Generate' }).click();
    const secret = (await frame.getByTestId('signing-secret').textContent())!;
    expect(secret.length).toBeGreaterThanOrEqual(24);
    expect(await frame.getByLabel('Business rule to paste').textContent()).toContain(secret);
    await expectAccessible(page);
    await screenshot(page, 'settings-change-push');
    await page.reload();
    await settings(page)
      .getByRole('row', { name: /Service requests/ })
      .waitFor();
    const after = await Promise.all(page.frames().map((f) => f.content()));
    expect(after.join('')).not.toContain(secret);

    // The connection this test made goes again, only after a confirmation: the incidents connection matches first again.
    const reloaded = settings(page);
    await reloaded.getByRole('button', { name: 'Show Service requests' }).click();
    await reloaded.getByRole('button', { name: 'Delete', exact: true }).click();
    const confirm = reloaded.getByTestId('confirm-delete');
    await confirm.getByText('Linked issues and remote items stay as they are').waitFor();
    await page.mouse.move(0, 0);
    await expectAccessible(page);
    await screenshot(page, 'settings-confirm-delete');
    await confirm.getByRole('button', { name: 'Delete connection' }).click();
    await reloaded.getByRole('row', { name: /Service requests/ }).waitFor({ state: 'detached' });
    await reloaded.getByRole('row', { name: /DEMO ↔ ACME incidents/ }).waitFor();
    expect(await reloaded.getByRole('row', { name: /Service requests/ }).count()).toBe(0);
    await page.close();
  }, 120_000);

  it('shows the transitions the sync takes to each mapped status and a conflict policy per field; tests the connection, pauses and resumes it', async () => {
    const page = await openSettings('project-lead');
    const frame = settings(page);
    await frame.getByRole('row', { name: /DEMO ↔ ACME incidents/ }).waitFor();
    await frame.getByRole('button', { name: 'Show DEMO ↔ ACME incidents' }).click();

    // A Jira admin removes "Reopen" from the workflow: To Do can no longer be reached from Done.
    const transitions = [
      { id: '11', name: 'Start progress', from: ['10000', '10004'], to: '10001' },
      { id: '21', name: 'Request review', from: ['10001'], to: '10002' },
      { id: '31', name: 'Approve', from: ['10002'], to: '10003' },
      { id: '51', name: 'Wait for customer', from: ['10001', '10002'], to: '10004' },
      { id: '61', name: 'Back to backlog', from: ['10001', '10002', '10004'], to: '10000' },
    ];
    const setTransitions = (list: unknown[]) =>
      fetch(`${sandbox.sims.jira.controlUrl}/workflows/wf-1/transitions`, {
        method: 'PUT',
        body: JSON.stringify(list),
      });
    await setTransitions(transitions);

    // The mapping editor reads Jira's fields and values as the admin: value maps pick Jira's values and name the unmapped ones.
    await frame.getByRole('button', { name: 'Edit' }).click();
    await frame.getByRole('button', { name: 'Next' }).click();
    await frame.getByRole('button', { name: 'Next' }).click();
    await frame.getByTestId('value-map-status').waitFor();
    const unmapped = await frame.getByTestId('unmapped-priority').textContent();
    expect(unmapped).toMatch(/Highest|Lowest/);
    // Each mapped status with the transitions the sync takes to reach it (Done only through review), per workflow:
    // Task's here (Epic and Sub-task have a workflow of their own, shown in its own table).
    const paths = frame.getByRole('table', { name: /^Transition paths for Task\b/ });
    await frame.getByRole('table', { name: /^Transition paths for Epic\b/ }).waitFor();
    const done = paths.getByRole('row', { name: /^Done/ });
    await done.waitFor();
    expect(await done.textContent()).toContain('From To Do: Start progress → Request review → Approve');
    expect(await done.textContent()).toContain('From every status');
    const toDo = paths.getByRole('row', { name: /^To Do/ });
    expect(await toDo.textContent()).toContain('Unreachable from 1');
    expect(await toDo.textContent()).toContain('From Done: cannot be reached');
    // A conflict policy per field: summary keeps Jira's value when both sides changed it.
    await choose(frame, 'fields.0.conflictPolicy', 'Jira wins');
    await expectAccessible(page);
    await screenshot(page, 'wizard-mapping');
    await setTransitions([...transitions, { id: '41', name: 'Reopen', from: ['10003'], to: '10000' }]);
    // The dialog is taller than the window: close it from the keyboard (the change is discarded, after asking).
    await frame.getByRole('button', { name: 'Cancel' }).press('Enter');
    await frame.getByRole('button', { name: 'Discard changes' }).press('Enter');
    await frame.getByRole('dialog').waitFor({ state: 'detached' });

    await frame.getByRole('button', { name: 'Test connection' }).click();
    await frame.getByText('Reached https://acme.service-now.com and signed in').waitFor();
    // Each thing the sync needs is tried and listed; the demo's integration user may do all of it.
    const checks = frame.getByRole('list', { name: 'What Crosswalk can do there' });
    await checks.getByText('Read comments and work notes (sys_journal_field)').waitFor();
    expect(await checks.getByText('Missing').count()).toBe(0);
    expect(await checks.getByText('Allowed', { exact: true }).count()).toBe(6);
    await expectAccessible(page);
    await screenshot(page, 'settings-test-connection');
    await frame.getByRole('button', { name: 'Pause' }).click();
    await frame.getByRole('button', { name: 'Resume' }).waitFor();
    await frame.getByRole('row', { name: /DEMO ↔ ACME incidents.*Paused/ }).waitFor();
    await page.mouse.move(0, 0);
    await expectAccessible(page);
    await screenshot(page, 'settings-paused');
    await frame.getByRole('button', { name: 'Resume' }).click();
    await frame.getByRole('button', { name: 'Pause' }).waitFor();
    await page.close();
  }, 60_000);

  it('cancels a bulk sync part-way: what synced stays synced, the rest is said not synced', async () => {
    // An issue in sync whose next sync is held at ServiceNow: its bulk item waits behind that run (one sync of an
    // issue at a time), so it is still queued when the lead cancels, whatever the timing.
    const key = await createIssue('Desk phone has no dial tone');
    const issueId = sandbox.jira.site.state.issues.find((i) => i.key === key)!.id;
    const incident = await eventually(
      async () =>
        sandbox.servicenow.store.rows('incident').find((r) => (r.correlation_id ?? '').endsWith(`:${issueId}`)),
      'the issue to reach ServiceNow',
    );
    const control = sandbox.sims.servicenow.controlUrl;
    const held = async () => ((await (await fetch(`${control}/faults`)).json()) as { held: number }).held;
    await fetch(`${control}/faults`, {
      method: 'POST',
      body: JSON.stringify({ method: 'GET', path: `/api/now/table/incident/${incident.sys_id}`, hold: true, times: 1 }),
    });
    const page = await openSettings('project-lead');
    const frame = settings(page);
    try {
      const member = sandbox.users.find((u) => u.role === 'member')!;
      const asked = await sandbox.platform.invokeResolver({
        installationId: sandbox.installationId,
        moduleKey: 'crosswalk-panel',
        functionKey: 'syncIssueNow',
        accountId: member.accountId,
        context: {
          extension: { type: 'jira:issuePanel', issue: { id: issueId, key }, project: { id: '10000', key: 'DEMO' } },
        },
        payload: {},
      });
      expect(asked.ok).toBe(true);
      await eventually(async () => (await held()) === 1, "the issue's sync to wait at ServiceNow");

      await frame.getByRole('button', { name: 'Show DEMO ↔ ACME incidents' }).click();
      await frame.getByRole('button', { name: 'Sync existing issues' }).click();
      // Every other issue syncs; the held issue's item waits, queued.
      const running = await eventually(
        async () => {
          const t = (await frame.getByTestId('bulk-progress').textContent()) ?? '';
          const m = /(\d+) of (\d+) done(?:, (\d+) failed)? \(1 in progress\)/.exec(t);
          return m && Number(m[1]) === Number(m[2]) - 1 ? m : undefined;
        },
        'every item but the held one to finish',
        60_000,
      );
      const total = Number(running[2]);
      await frame.getByRole('button', { name: 'Cancel bulk sync' }).click();
      const text = await eventually(
        async () => {
          const t = (await frame.getByTestId('bulk-progress').textContent()) ?? '';
          return /Cancelled/.test(t) && !/finishing/.test(t) ? t : undefined;
        },
        'the cancelled run to settle',
        30_000,
      );
      const m = /(\d+) of (\d+) synced(?:, (\d+) failed)?, (\d+) not synced/.exec(text);
      expect(m).not.toBeNull();
      // The held issue's item is the one not synced; every other item synced (or failed) before the cancel.
      expect({ total: Number(m![2]), notSynced: Number(m![4]) }).toEqual({ total, notSynced: 1 });
      expect(Number(m![1]) + Number(m![3] ?? 0)).toBe(total - 1);
      await frame.getByRole('button', { name: 'Sync existing issues' }).waitFor();
      expect(await frame.getByRole('button', { name: 'Cancel bulk sync' }).count()).toBe(0);
      await expectAccessible(page);
      await screenshot(page, 'settings-bulk-cancelled');
    } finally {
      await fetch(`${control}/faults`, { method: 'DELETE' });
      await page.close();
    }
    // Released, the held sync finishes: what synced stays synced.
    await eventually(async () => (await held()) === 0, 'the held sync to be released');
    expect(sandbox.servicenow.store.get('incident', incident.sys_id!)?.correlation_id).toMatch(
      new RegExp(`:${issueId}$`),
    );
  }, 120_000);

  it('previews a draft before it is saved: per field for one issue, and the whole filter, writing nothing', async () => {
    const page = await openSettings('project-lead');
    const frame = settings(page);
    await frame.getByRole('button', { name: 'Show DEMO ↔ ACME incidents' }).click();
    // Paused, so the engine does not sync the edit below before the preview shows it.
    await frame.getByRole('button', { name: 'Pause' }).click();
    await frame.getByRole('button', { name: 'Resume' }).waitFor();
    const key = 'DEMO-1';
    const edited = await fetch(`${sandbox.sims.jira.baseUrl}/rest/api/3/issue/${key}`, {
      method: 'PUT',
      headers: { authorization: jiraAuth(), 'content-type': 'application/json' },
      body: JSON.stringify({ fields: { summary: 'VPN drops every 20 minutes (Berlin and Munich)' } }),
    });
    expect(edited.status).toBe(204);
    const unsynced = await createIssue('Projector in room 4 flickers');
    // A comment made while paused: the preview shows it would be copied.
    const commented = await fetch(`${sandbox.sims.jira.baseUrl}/rest/api/3/issue/${key}/comment`, {
      method: 'POST',
      headers: { authorization: jiraAuth(), 'content-type': 'application/json' },
      body: JSON.stringify({
        body: {
          type: 'doc',
          version: 1,
          content: [
            { type: 'paragraph', content: [{ type: 'text', text: 'Drops coincide with the 20-minute rekey' }] },
          ],
        },
      }),
    });
    expect(commented.status).toBe(201);
    const remoteWrites = async () =>
      (
        (await (await fetch(`${sandbox.sims.servicenow.controlUrl}/requests`)).json()) as Array<{ method: string }>
      ).filter((r) => r.method !== 'GET').length;
    const writesBefore = await remoteWrites();

    await frame.getByRole('button', { name: 'Edit' }).click();
    await frame.getByRole('button', { name: 'Next' }).click();
    await frame.getByRole('button', { name: 'Next' }).click();
    // The draft turns sync on again; the preview plans with the draft, not with what is saved.
    // The dialog is taller than the window: from the keyboard, as in the other tests.
    await frame.getByLabel('Sync is on (uncheck to save the connection paused)').press('Space');
    await frame.getByRole('button', { name: 'Preview', exact: true }).press('Enter');
    await frame.getByTestId('preview').waitFor();
    await frame.locator('[id="item.issueKey"]').fill(key);
    await frame.getByRole('button', { name: 'Preview this item' }).click();
    const summaryRow = frame
      .getByRole('table', { name: `What would be written for ${key}` })
      .getByRole('row', { name: /summary \/ short_description/ });
    await summaryRow.waitFor();
    expect(await summaryRow.textContent()).toContain('VPN drops every 20 minutes (Berlin and Munich)');
    expect(await summaryRow.textContent()).toContain('Writes ServiceNow');
    await frame
      .getByRole('list', { name: 'Comments copied to ServiceNow' })
      .getByText('Mia Member: Drops coincide with the 20-minute rekey')
      .waitFor();
    await expectAccessible(page);
    await screenshot(page, 'settings-preview');

    // The same pair, named by its incident.
    const linkedTo = /linked to (INC\d+)/.exec((await frame.getByTestId('preview-result').textContent()) ?? '')?.[1];
    expect(linkedTo).toBeDefined();
    await choose(frame, 'preview.side', 'A ServiceNow item');
    await frame.locator('[id="item.remoteKey"]').fill(linkedTo!);
    await frame.getByRole('button', { name: 'Preview this item' }).click();
    await frame.getByText(`${key} is linked to ${linkedTo}: an update.`).waitFor();
    await choose(frame, 'preview.side', 'A Jira issue');

    // An issue not synced yet would create an incident, made with its mapped fields.
    await frame.locator('[id="item.issueKey"]').fill(unsynced);
    await frame.getByRole('button', { name: 'Preview this item' }).click();
    await frame.getByText(`${unsynced} would create a new ServiceNow item`).waitFor();
    // A key of no issue here is answered at the field.
    await frame.locator('[id="item.issueKey"]').fill('OPS-1');
    await frame.getByRole('button', { name: 'Preview this item' }).click();
    await frame.locator('[id="item.issueKey-error"]').waitFor();

    await frame.getByRole('button', { name: 'Preview all matching issues' }).click();
    const summary = frame.getByTestId('preview-summary');
    await summary.waitFor();
    expect(await summary.textContent()).toMatch(/Would create \d+, update \d+, fail \d+/);
    expect(await summary.textContent()).toMatch(/Examined (all|the first)/);

    // Back in the mapping, the draft drops Medium from the priority map: the issues with Medium would fail, and say why.
    await frame.getByRole('button', { name: 'Back' }).press('Enter');
    await frame.getByTestId('value-map-priority').getByRole('button', { name: 'Remove value 2' }).press('Enter');
    await frame.getByRole('button', { name: 'Preview', exact: true }).press('Enter');
    await frame.getByRole('button', { name: 'Preview all matching issues' }).click();
    const reasons = frame.getByRole('table', { name: 'Why items would fail or be left alone' });
    await reasons.waitFor();
    expect(await reasons.textContent()).toContain('priority: Jira value "Medium" has no mapping');
    expect(await frame.getByTestId('preview-summary').textContent()).toMatch(/fail [1-9]\d*/);
    await expectAccessible(page);
    await screenshot(page, 'settings-preview-summary');

    // Nothing was written to ServiceNow, and the draft was not saved (the connection is still paused).
    await frame.getByRole('button', { name: 'Cancel' }).press('Enter');
    await frame.getByRole('button', { name: 'Discard changes' }).press('Enter');
    await frame.getByRole('dialog').waitFor({ state: 'detached' });
    await frame.getByRole('row', { name: /DEMO ↔ ACME incidents.*Paused/ }).waitFor();
    expect(await remoteWrites()).toBe(writesBefore);
    await frame.getByRole('button', { name: 'Resume' }).click();
    await frame.getByRole('button', { name: 'Pause' }).waitFor();
    await page.close();
  }, 90_000);

  it('matches people by email, lists who has no match and why, and pairs one by hand', async () => {
    // Lee Lead reports an issue: Lee has no ServiceNow user with that email; Mia Member's email is Abel Tuter's there.
    const lead = sandbox.users.find((u) => u.role === 'project-lead')!;
    await fetch(`${sandbox.sims.jira.baseUrl}/rest/api/3/issue`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${lead.email}:${lead.apiToken}`).toString('base64')}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({
        fields: { project: { key: 'DEMO' }, issuetype: { name: 'Task' }, summary: 'Badge reader at the side door' },
      }),
    });
    await createIssue('Coffee machine leaks');
    const page = await openSettings('project-lead');
    const frame = settings(page);
    await frame.getByRole('button', { name: 'Show DEMO ↔ ACME incidents' }).click();
    await frame.getByRole('button', { name: 'Edit' }).click();
    await frame.getByRole('button', { name: 'Next' }).click();
    await frame.getByRole('button', { name: 'Next' }).click();
    await frame.getByRole('button', { name: 'Check who matches' }).press('Enter');
    const table = frame.getByRole('table', { name: 'Who matches' });
    await table.waitFor();
    expect(await table.getByRole('row', { name: /Mia Member/ }).textContent()).toContain('By email');
    expect(await table.getByRole('row', { name: /Lee Lead/ }).textContent()).toContain('No match');
    await frame.getByText("Lee Lead: no active ServiceNow user has this person's email.").waitFor();
    await frame.getByRole('button', { name: 'Pair Lee Lead by hand' }).press('Enter');
    // The connection is saved, so ServiceNow's people are searched as the lead types part of a name: Beth, by name and email.
    const beth = sandbox.servicenow.store.userByName('beth.agent')!;
    const picker = frame.locator('[id="users.table.0.remoteUserId"]');
    await picker.focus();
    await picker.pressSequentially('bet');
    await frame.getByRole('option', { name: 'Beth Agent (beth@acme.example)', exact: true }).waitFor();
    await expectAccessible(page);
    await screenshot(page, 'wizard-people-picker');
    await picker.press('Enter');
    await frame.getByRole('option').first().waitFor({ state: 'detached' });
    await frame.getByText('Beth Agent (beth@acme.example)', { exact: true }).waitFor();
    await expectAccessible(page);
    await screenshot(page, 'wizard-people');
    await frame.getByRole('button', { name: 'Save connection' }).press('Enter');
    await frame.getByRole('dialog').waitFor({ state: 'detached' });
    // Saved: the connection's user table holds Beth's sys_id, as matching by email would answer it.
    const listed = (await sandbox.platform.invokeResolver({
      installationId: sandbox.installationId,
      moduleKey: 'crosswalk-settings',
      functionKey: 'listConnections',
      accountId: lead.accountId,
      context: { extension: { type: 'jira:projectSettingsPage', project: { id: '10000', key: 'DEMO' } } },
      payload: {},
    })) as {
      ok: boolean;
      body: { data: { connections: Array<{ config: { id: string; users: { table: unknown[] } } }> } };
    };
    expect(listed.body.data.connections.find((c) => c.config.id === 'demo-servicenow')?.config.users.table).toEqual([
      { jiraAccountId: lead.accountId, remoteUserId: beth.sys_id },
    ]);
    // The pair is there when the connection is edited again (shown by its id until a search names it), and Lee now matches by hand.
    await frame.getByRole('button', { name: 'Edit' }).click();
    await frame.getByRole('button', { name: 'Next' }).click();
    await frame.getByRole('button', { name: 'Next' }).click();
    await frame.getByText(beth.sys_id, { exact: true }).waitFor();
    await frame.getByRole('button', { name: 'Check who matches' }).press('Enter');
    await eventually(
      async () =>
        /By hand/.test(
          (await frame
            .getByRole('table', { name: 'Who matches' })
            .getByRole('row', { name: /Lee Lead/ })
            .textContent()) ?? '',
        ),
      'Lee to match by hand',
    );
    await frame.getByRole('button', { name: 'Cancel' }).press('Enter');
    await page.close();
  }, 90_000);

  it("shows a failing item with the remote's reason in the health view, and retries it", async () => {
    // Quiet first: the one refused create must be this test's issue, not an earlier test's still on its way.
    await sandbox.settle();
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
    const page = await openSettings('project-lead');
    await eventually(
      async () => (await (await reloadHealth(page)).getByRole('row', { name: new RegExp(key) }).count()) > 0,
      'the failure to show',
      60_000,
    );
    const frame = settings(page);
    await frame.getByText('Invalid value for field: category').first().waitFor();
    await expectAccessible(page);
    await screenshot(page, 'settings-health');
    await frame.getByRole('button', { name: `Retry ${key}` }).click();
    await page.locator('#flags').getByText('Retry queued').waitFor();
    await eventually(
      async () => (await (await reloadHealth(page)).getByText('No failing items.').count()) > 0,
      'the retried item to sync',
      60_000,
    );
    await page.close();
  }, 150_000);

  it("checks that ServiceNow's notifications arrive: the admin changes an incident and the page says which one came through", async () => {
    const page = await openSettings('project-lead');
    const frame = settings(page);
    await frame.getByRole('button', { name: 'Show DEMO ↔ ACME incidents' }).click();
    await frame.getByRole('button', { name: 'Check that notifications arrive' }).click();
    await frame.getByText('Waiting for a notification').waitFor();
    // As the ServiceNow admin would: change an incident that is in sync.
    const key = await createIssue('Notification check');
    const issueId = sandbox.jira.site.state.issues.find((i) => i.key === key)!.id;
    const synced = () =>
      sandbox.servicenow.store.rows('incident').find((r) => (r.correlation_id ?? '').endsWith(`:${issueId}`));
    await eventually(async () => Boolean(synced()), 'the issue to reach ServiceNow');
    const incident = synced()!;
    const { username, password } = sandbox.sims.servicenow.credentials.agent;
    const res = await fetch(`${sandbox.sims.servicenow.baseUrl}/api/now/table/incident/${incident.sys_id}`, {
      method: 'PATCH',
      headers: {
        authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ short_description: `${incident.short_description} (checked)` }),
    });
    expect(res.status).toBe(200);
    await frame.getByRole('heading', { name: 'Notifications arrive' }).waitFor({ timeout: 30_000 });
    await frame
      .getByText(new RegExp(`${incident.number} changed in ServiceNow and was synced to [A-Z]+-\\d+`))
      .waitFor();
    await expectAccessible(page);
    await screenshot(page, 'settings-push-check');
    await page.close();
  }, 60_000);

  it('shows the last two weeks of syncs as a chart, and lists a conflict with who won until it is marked reviewed', async () => {
    // Both sides change an incident's priority before either change is seen: a conflict the policy decides.
    const key = await createIssue('Priority tug of war');
    const issueId = sandbox.jira.site.state.issues.find((i) => i.key === key)!.id;
    const incident = () =>
      sandbox.servicenow.store.rows('incident').find((r) => (r.correlation_id ?? '').endsWith(`:${issueId}`));
    await eventually(async () => Boolean(incident()), 'the issue to reach ServiceNow');
    sandbox.platform.holdProductEvents();
    await fetch(`${sandbox.sims.jira.baseUrl}/rest/api/3/issue/${key}`, {
      method: 'PUT',
      headers: { authorization: jiraAuth(), 'content-type': 'application/json' },
      body: JSON.stringify({ fields: { priority: { name: 'High' } } }),
    });
    // ServiceNow's edit is the newer one: two seconds later on the platform's clock (its times have whole seconds).
    clock.step(2000);
    const { username, password } = sandbox.sims.servicenow.credentials.agent;
    await fetch(`${sandbox.sims.servicenow.baseUrl}/api/now/table/incident/${incident()!.sys_id}`, {
      method: 'PATCH',
      headers: {
        authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ urgency: '3' }),
    });
    await sandbox.settle();
    await sandbox.platform.releaseProductEvents();
    await sandbox.settle();

    const page = await openSettings('project-lead');
    const frame = settings(page);
    await frame.getByRole('button', { name: 'Show DEMO ↔ ACME incidents' }).click();
    await frame.getByRole('img', { name: /syncs? and \d+ failing items? over the last 14 days/ }).waitFor();
    const conflicts = frame.getByRole('table', { name: 'Conflicts to review' });
    await conflicts
      .getByRole('row', { name: new RegExp(`${key} ↔ ${incident()!.number} priority ServiceNow's value`) })
      .waitFor();
    // At rest: the pointer off the selected Show button (its hover colour is Atlaskit's, judged with the pointer away).
    await page.mouse.move(0, 0);
    await expectAccessible(page);
    await screenshot(page, 'settings-activity');
    await frame.getByRole('button', { name: 'Mark all as reviewed' }).click();
    await frame.getByText(/No conflicts to review since the last review/).waitFor();
    await page.close();
  }, 60_000);

  it("offers the remote's own fields and allowed values in the mapping editor (ServiceNow, then Azure DevOps)", async () => {
    const page = await openSettings('project-lead');
    const frame = settings(page);
    await frame.getByRole('button', { name: 'Show DEMO ↔ ACME incidents' }).click();
    await frame.getByRole('button', { name: 'Edit' }).click();
    await frame.getByRole('button', { name: 'Next' }).click();
    await frame.getByRole('button', { name: 'Next' }).click();
    // The server read the incident table's dictionary and choice lists with the stored credential.
    await frame.getByTestId('remote-fields-read').waitFor();
    expect(await frame.getByTestId('remote-fields-read').textContent()).toMatch(/^\d+ fields read from ServiceNow/);
    // Each pair's remote field is picked by name, with its column name.
    expect(await frame.getByTestId('mapping-0').textContent()).toContain('Short description (short_description)');
    expect(await frame.getByTestId('mapping-2').textContent()).toContain('State (state)');
    const remoteField = frame.locator('[id="fields.0.remote"]');
    await remoteField.focus();
    await remoteField.pressSequentially('Resolution');
    await frame.getByRole('option', { name: 'Resolution code (close_code)' }).waitFor();
    await frame.getByRole('option', { name: 'Use "Resolution" (not in ServiceNow\'s list)' }).waitFor();
    // Typed away again (Escape would close the dialog; a backspace too many would clear the field).
    for (let i = 0; i < 'Resolution'.length; i++) await remoteField.press('Backspace');
    await remoteField.blur();
    expect(await frame.getByTestId('mapping-0').textContent()).toContain('Short description (short_description)');
    // The state map's remote side lists the incident states; the states left unmapped are named.
    const stateMap = frame.getByTestId('value-map-status');
    expect(await stateMap.textContent()).toContain('In Progress (2)');
    expect(await frame.getByTestId('unmapped-remote-status').textContent()).toContain('Canceled (8)');
    await choose(frame, 'fields.2.valueMap.0.remote', 'On Hold (3)');
    expect(await stateMap.textContent()).toContain('On Hold (3)');
    expect(await frame.getByTestId('unmapped-remote-status').textContent()).toContain('New (1)');
    // The remote filter names a field and one of its values from the same lists.
    await frame.getByRole('button', { name: 'Add a condition' }).press('Enter');
    await choose(frame, 'remoteFilter.0.field', 'Category (category)');
    await choose(frame, 'remoteFilter.0.value', 'Software (software)');
    await expectAccessible(page);
    await screenshot(page, 'wizard-remote-fields');
    await frame.getByRole('button', { name: 'Cancel' }).press('Enter');
    await frame.getByRole('button', { name: 'Discard changes' }).press('Enter');
    await frame.getByRole('dialog').waitFor({ state: 'detached' });
    await page.close();

    // Another system: OPS's Azure DevOps Bugs, as OPS's admin.
    const ops = await browser.newPage({ viewport: { width: 1280, height: 1800 } });
    await signIn(sandbox, ops, 'admin');
    await ops.goto(`${sandbox.hostUrl}/projects/OPS/settings/crosswalk`);
    const opsFrame = settings(ops);
    await opsFrame.getByRole('button', { name: 'Show OPS ↔ acme/Operations bugs' }).click();
    await opsFrame.getByRole('button', { name: 'Edit' }).click();
    await opsFrame.getByRole('button', { name: 'Next' }).click();
    await opsFrame.getByRole('button', { name: 'Next' }).click();
    await opsFrame.getByTestId('remote-fields-read').waitFor();
    expect(await opsFrame.getByTestId('mapping-0').textContent()).toContain('Title (System.Title)');
    expect(await opsFrame.getByTestId('value-map-status').textContent()).toContain('Resolved');
    await opsFrame.getByTestId('unmapped-remote-status').waitFor({ state: 'detached' });
    await expectAccessible(ops);
    await ops.close();
  }, 150_000);

  it('suggests the remote field a Jira field pairs with, and the values of a value map, by name and kind', async () => {
    const page = await openSettings('project-lead');
    const frame = settings(page);
    await frame.getByRole('button', { name: 'Show DEMO ↔ ACME incidents' }).click();
    await frame.getByRole('button', { name: 'Edit' }).click();
    await frame.getByRole('button', { name: 'Next' }).click();
    await frame.getByRole('button', { name: 'Next' }).click();
    await frame.getByTestId('remote-fields-read').waitFor();
    // The dialog is taller than the window: from the keyboard, as in the other tests.
    await frame.getByRole('button', { name: 'Add a field' }).press('Enter');
    const index = (await frame.locator('[data-testid^="mapping-"]').count()) - 1;
    await choose(frame, `fields.${index}.jira`, 'Assignee (assignee)');
    await frame.getByTestId(`suggestion-${index}`).getByText('Suggested: Assigned to (assigned_to)').waitFor();
    await frame.getByRole('button', { name: 'Use Assigned to for Assignee' }).press('Enter');
    expect(await frame.getByTestId(`mapping-${index}`).textContent()).toContain('Assigned to (assigned_to)');
    expect(await frame.getByTestId(`mapping-${index}`).textContent()).toContain('People');
    await page.mouse.move(0, 0);
    await expectAccessible(page);
    await screenshot(page, 'wizard-suggestion');
    await page.close();
  }, 60_000);

  it('lists each connection with its items in sync, its last sync and how many items are failing', async () => {
    // Quiet first: the one refused create must be this test's issue, not an earlier test's still on its way.
    await sandbox.settle();
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
    await createIssue('Label printer jams on every second label');
    const page = await openSettings('project-lead');
    const frame = settings(page);
    // A healthy connection with an item the remote refused: the health column says how many items are failing.
    await eventually(async () => {
      await page.reload();
      const text =
        (await settings(page)
          .getByRole('row', { name: /DEMO ↔ ACME incidents/ })
          .textContent({ timeout: 5000 })) ?? '';
      return /OK\s*· \d+ items? failing/.test(text);
    }, 'the failing item to be counted');
    // Issues sync in the background: the list says so once one has.
    await createIssue('Projector in room 4 flickers');
    const lastSync = await eventually(async () => {
      await page.reload();
      const text = (await settings(page).getByTestId('last-sync-demo-servicenow').textContent({ timeout: 5000 })) ?? '';
      return /^(just now|\d+ min ago)$/.test(text) ? text : undefined;
    }, 'the synced issue to show on the list');
    expect(lastSync).toMatch(/just now|ago/);
    expect(Number(await frame.getByTestId('items-in-sync-demo-servicenow').textContent())).toBeGreaterThanOrEqual(1);
    const row = (await frame.getByRole('row', { name: /DEMO ↔ ACME incidents/ }).textContent()) ?? '';
    expect(row).toContain(lastSync);
    await expectAccessible(page);
    await screenshot(page, 'settings-page');
    await page.close();
  }, 60_000);

  it('sets which comments and files cross: directions, the largest file and the types, saved with the connection', async () => {
    const page = await openSettings('project-lead');
    const frame = settings(page);
    await frame.getByRole('button', { name: 'Show DEMO ↔ ACME incidents' }).click();
    await frame.getByRole('button', { name: 'Edit' }).click();
    await frame.getByRole('button', { name: 'Next' }).click();
    await frame.getByRole('button', { name: 'Next' }).click();
    const rules = frame.getByTestId('content-rules');
    await rules
      .getByText("those restricted to a role or group as ServiceNow's internal ones", { exact: false })
      .waitFor();
    await frame.locator('[id="attachments.maxBytes"]').fill('2');
    await frame.locator('[id="attachments.allowedTypes"]').fill('image/, application/pdf');
    await choose(frame, 'comments.direction', '→ Jira to remote only');
    await page.mouse.move(0, 0);
    await expectAccessible(page);
    await frame.getByRole('button', { name: 'Save connection' }).press('Enter');
    await frame.getByRole('dialog').waitFor({ state: 'detached' });
    const lead = sandbox.users.find((u) => u.role === 'project-lead')!;
    const listed = (await sandbox.platform.invokeResolver({
      installationId: sandbox.installationId,
      moduleKey: 'crosswalk-settings',
      functionKey: 'listConnections',
      accountId: lead.accountId,
      context: { extension: { type: 'jira:projectSettingsPage', project: { id: '10000', key: 'DEMO' } } },
      payload: {},
    })) as {
      body: { data: { connections: Array<{ config: { name: string; comments: unknown; attachments: unknown } }> } };
    };
    const saved = listed.body.data.connections.find((c) => c.config.name === 'DEMO ↔ ACME incidents')!.config;
    expect(saved.comments).toEqual({ direction: 'to-remote' });
    expect(saved.attachments).toEqual({
      direction: 'both',
      maxBytes: 2 * 1024 * 1024,
      allowedTypes: ['image/', 'application/pdf'],
    });
    await page.close();
  }, 60_000);

  it('refuses a member on the server, whatever the page shows', async () => {
    const page = await openSettings('member');
    const refusal = settings(page).getByTestId('refusal');
    await refusal.waitFor();
    expect(await refusal.textContent()).toContain('Only administrators of this project');
    await expectAccessible(page);
    await screenshot(page, 'settings-member-refused');
    await page.close();
  }, 60_000);
});
