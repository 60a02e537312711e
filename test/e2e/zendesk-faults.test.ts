/**
 * Faults between SUP and Zendesk: every case converges once the fault clears,
 * with no duplicate ticket, comment or file, and the failure is visible on the
 * issue while it lasts. Also: forged, stale and replayed webhooks change
 * nothing, and a connection that reports closed tickets never retries them.
 */
import { startSandbox, type Sandbox } from '../../sandbox/sandbox';
import { demoZendeskConnection, SUP_CONNECTION_ID, SUP_PROJECT } from '../../sandbox/demo/zendesk-connection';
import { adf, jiraClient } from '../../sandbox/sims/jira/test-client';
import { DEMO_CREDENTIALS as ZD } from '../../sandbox/sims/zendesk';
import { zendeskClient } from '../../sandbox/sims/zendesk/test-client';

// Outbound calls (KVS, Jira, Zendesk, events) the worker makes for a create with a comment, and for an update with a comment and a file:
// a crash before each of them must converge.
// 18 since a description the remote keeps as made is no longer "written" (one read less) after a create.
const CREATE_CALLS = Number(process.env.ZD_CREATE_CALLS ?? 18);
const UPDATE_CALLS = Number(process.env.ZD_UPDATE_CALLS ?? 16);
const MOVE_CALLS = Number(process.env.ZD_MOVE_CALLS ?? 14);

let sandbox: Sandbox;
let jira: ReturnType<typeof jiraClient>;

beforeAll(async () => {
  sandbox = await startSandbox({ clock: 'manual' });
  jira = sandbox.jiraClient();
}, 60_000);
afterEach(async () => {
  sandbox.platform.clearFaults();
  // Events a failed test held are let go, so one failure does not starve every later test of its events.
  await sandbox.platform.releaseProductEvents();
});
afterAll(async () => {
  const lines = sandbox.platform.meter.invocations().flatMap((r) => r.logs);
  expect(lines.filter((l) => l.includes(ZD.apiToken))).toEqual([]);
  await sandbox.stop();
});

const agent = () => zendeskClient(sandbox.sims.zendesk, ZD.agent);
const control = (path: string, body: unknown, method = 'POST') =>
  fetch(`${sandbox.sims.zendesk.controlUrl}${path}`, { method, body: JSON.stringify(body) });
/** Our correlation id names the connection and the issue (and, where the engine adds one, the site). */
const correlates = (externalId: string | null, issueId: string) =>
  externalId !== null && externalId.startsWith('crosswalk:') && externalId.endsWith(`:${SUP_CONNECTION_ID}:${issueId}`);
const ticketsFor = (issueId: string) =>
  [...sandbox.zendesk.store.tickets.values()].filter((t) => correlates(t.external_id, issueId));
const ticketFor = (issueId: string) => ticketsFor(issueId)[0]!;
const panelOf = async (issueId: string) =>
  (
    (await sandbox.platform.invokeResolver({
      installationId: sandbox.installationId,
      moduleKey: 'crosswalk-panel',
      functionKey: 'getIssueSync',
      accountId: jira.userId('member'),
      context: { extension: { issue: { id: issueId }, project: { id: SUP_PROJECT.id } } },
    })) as { body: { data: Record<string, any> } }
  ).body.data;
const createIssue = async (summary: string) =>
  (
    await jira.request({ as: 'member' }, 'POST', '/rest/api/3/issue', {
      fields: { project: { key: 'SUP' }, issuetype: { name: 'Task' }, summary },
    })
  ).json as { id: string; key: string };
const summaryOf = async (key: string) =>
  (await jira.request({ as: 'member' }, 'GET', `/rest/api/3/issue/${key}?fields=summary`)).json.fields
    .summary as string;
const crashCount = () =>
  sandbox.platform.meter.invocations({ functionKey: 'sync-worker' }).filter((r) => r.outcome === 'crash').length;
const workerRuns = () => sandbox.platform.meter.invocations({ functionKey: 'sync-worker' }).length;
/**
 * The crash armed before call n hit exactly one run, or the run that did the work needed fewer than n calls: how many
 * depends on whether the function instance was warm (it keeps the app's own ids it looked up) or cold, as on Forge.
 */
const expectCrashedOnceOrRanShort = (n: number, crashesBefore: number, runsBefore: number) => {
  const crashed = crashCount() - crashesBefore;
  if (crashed === 1) return;
  expect(crashed).toBe(0);
  const runs = sandbox.platform.meter.invocations({ functionKey: 'sync-worker' }).slice(runsBefore);
  expect(runs.length).toBeGreaterThan(0);
  expect(Math.max(...runs.map((r) => r.outboundCalls))).toBeLessThan(n);
};
const saveSettings = (change: Record<string, unknown>) =>
  sandbox.platform.invokeResolver({
    installationId: sandbox.installationId,
    moduleKey: 'crosswalk-settings',
    functionKey: 'saveConnection',
    accountId: jira.userId('project-lead'),
    payload: { connectionId: SUP_CONNECTION_ID, settings: { ...demoZendeskConnection, ...change } },
    context: { extension: { project: SUP_PROJECT } },
  });
const ticketPath = (issueId: string) => `/api/v2/tickets/${ticketFor(issueId).id}`;

describe('Zendesk faults converge without duplicates', () => {
  it('re-reads and writes again when the ticket changed after it was read (409 on a stale stamp)', async () => {
    const issue = await createIssue('Stamp test');
    await sandbox.settle();
    // Zendesk answers the next conditional write with 409 once, as if an agent had written in between.
    await control('/faults', {
      method: 'PUT',
      path: ticketPath(issue.id),
      status: 409,
      body: {
        error: 'UpdateConflict',
        description:
          'Safe Update prevented the update due to outdated ticket data. Please fetch the latest ticket data and try again.',
        details: {},
      },
      times: 1,
    });
    await jira.request({ as: 'member' }, 'PUT', `/rest/api/3/issue/${issue.key}`, {
      fields: { summary: 'Stamp test, edited' },
    });
    await sandbox.platform.settle({ maxAdvanceMs: 0 });
    expect(await panelOf(issue.id)).toMatchObject({ lastError: { kind: 'conflict' } });
    await sandbox.settle();
    expect(ticketFor(issue.id).subject).toBe('Stamp test, edited');
    expect(await panelOf(issue.id)).toMatchObject({ lastError: null });

    // A real stale stamp: an agent edits between our read and our write; the update is refused whole, then redone on fresh data.
    await agent()('PUT', ticketPath(issue.id), { ticket: { priority: 'urgent' } });
    await jira.request({ as: 'member' }, 'PUT', `/rest/api/3/issue/${issue.key}`, {
      fields: { summary: 'Stamp test, edited twice' },
    });
    await sandbox.settle();
    expect({ subject: ticketFor(issue.id).subject, priority: ticketFor(issue.id).priority }).toEqual({
      subject: 'Stamp test, edited twice',
      priority: 'urgent',
    });
  });

  it('waits out a 429 with the Retry-After Zendesk gives, then creates the ticket once', async () => {
    await control('/faults', {
      method: 'POST',
      path: '/api/v2/tickets',
      status: 429,
      headers: { 'Retry-After': '120' },
      body: { error: 'APIRateLimitExceeded', description: 'Number of allowed API requests per minute exceeded' },
      times: 1,
    });
    const issue = await createIssue('Created during a rate limit');
    await sandbox.platform.settle({ maxAdvanceMs: 60_000 });
    expect(ticketsFor(issue.id)).toHaveLength(0);
    expect(await panelOf(issue.id)).toMatchObject({ lastError: { kind: 'rate-limited' } });
    await sandbox.settle();
    expect(ticketsFor(issue.id)).toHaveLength(1);
    expect(await panelOf(issue.id)).toMatchObject({ lastError: null });
  });

  it('retries 5xx and dropped connections, showing the failure until it clears', async () => {
    const issue = await createIssue('Meets a flaky Zendesk');
    await sandbox.settle();
    await control('/faults', { method: 'PUT', path: ticketPath(issue.id), status: 503, times: 1 });
    await control('/faults', { method: 'PUT', path: ticketPath(issue.id), drop: true, times: 1 });
    await jira.request({ as: 'member' }, 'PUT', `/rest/api/3/issue/${issue.key}`, {
      fields: { summary: 'Edited while Zendesk is flaky' },
    });
    await sandbox.platform.settle({ maxAdvanceMs: 0 });
    expect(await panelOf(issue.id)).toMatchObject({ lastError: { kind: 'transient' } });
    await sandbox.settle();
    expect(ticketFor(issue.id).subject).toBe('Edited while Zendesk is flaky');
    expect(await panelOf(issue.id)).toMatchObject({ lastError: null });
  });

  it('uploads again when the upload token expired before the file was attached', async () => {
    const issue = await createIssue('Token expiry');
    await sandbox.settle();
    await control('/faults', {
      method: 'PUT',
      path: ticketPath(issue.id),
      status: 422,
      body: {
        error: 'RecordInvalid',
        description: 'Record validation errors',
        details: { base: [{ description: 'Uploads: token abc is invalid or has expired', error: 'InvalidValue' }] },
      },
      times: 1,
    });
    const form = new FormData();
    form.append('file', new Blob([Buffer.alloc(5000, 7)], { type: 'text/plain' }), 'log.txt');
    await jira.request({ as: 'member' }, 'POST', `/rest/api/3/issue/${issue.key}/attachments`, form, {
      'x-atlassian-token': 'no-check',
    });
    await sandbox.platform.settle({ maxAdvanceMs: 0 });
    expect(await panelOf(issue.id)).toMatchObject({
      lastError: { kind: 'transient', message: expect.stringContaining('upload token expired') },
    });
    await sandbox.settle();
    const files = ticketFor(issue.id)
      .comments.flatMap((c) => c.attachmentIds)
      .map((a) => sandbox.zendesk.store.attachments.get(a)!.file_name);
    expect(files).toEqual(['log.txt']);
    expect(await panelOf(issue.id)).toMatchObject({ lastError: null });
  });

  it.each(Array.from({ length: CREATE_CALLS }, (_, i) => i + 1))(
    'creates one ticket, comment and link when the worker crashes before outbound call %i of a create',
    async (n) => {
      const issue = await createIssue(`Crash at call ${n}`);
      await jira.request({ as: 'member' }, 'POST', `/rest/api/3/issue/${issue.key}/comment`, {
        body: adf(`comment for crash ${n}`),
      });
      const crashes = crashCount();
      const runs = workerRuns();
      sandbox.platform.injectCrash({ functionKey: 'sync-worker', atOutboundCall: n, times: 1 });
      await sandbox.settle();
      expectCrashedOnceOrRanShort(n, crashes, runs);
      expect(ticketsFor(issue.id)).toHaveLength(1);
      expect(
        ticketFor(issue.id)
          .comments.slice(1)
          .map((c) => c.plain_body),
      ).toEqual([`Mia Member (Jira): comment for crash ${n}`]);
      expect(
        (await jira.request({ as: 'member' }, 'GET', `/rest/api/3/issue/${issue.key}/remotelink`)).json,
      ).toHaveLength(1);
    },
  );

  let updated: { id: string; key: string };
  it.each(Array.from({ length: UPDATE_CALLS }, (_, i) => i + 1))(
    'applies an edit, a comment and a file once when the worker crashes before outbound call %i of an update',
    async (n) => {
      updated ??= await createIssue('Updated under crashes');
      await sandbox.settle();
      // The three changes' own events wait: one "sync now" reconciles them together, and the crash hits that run.
      sandbox.platform.holdProductEvents();
      await jira.request({ as: 'member' }, 'PUT', `/rest/api/3/issue/${updated.key}`, {
        fields: { summary: `Update ${n}` },
      });
      await jira.request({ as: 'member' }, 'POST', `/rest/api/3/issue/${updated.key}/comment`, {
        body: adf(`update comment ${n}`),
      });
      const form = new FormData();
      form.append('file', new Blob([Buffer.alloc(100 + n, n)], { type: 'text/plain' }), `file-${n}.txt`);
      await jira.request({ as: 'member' }, 'POST', `/rest/api/3/issue/${updated.key}/attachments`, form, {
        'x-atlassian-token': 'no-check',
      });
      const crashes = crashCount();
      const runs = workerRuns();
      sandbox.platform.injectCrash({ functionKey: 'sync-worker', atOutboundCall: n, times: 1 });
      await sandbox.platform.invokeResolver({
        installationId: sandbox.installationId,
        moduleKey: 'crosswalk-panel',
        functionKey: 'syncIssueNow',
        accountId: jira.userId('member'),
        context: { extension: { issue: { id: updated.id }, project: { id: SUP_PROJECT.id } } },
      });
      await sandbox.settle();
      expectCrashedOnceOrRanShort(n, crashes, runs);
      await sandbox.platform.releaseProductEvents();
      await sandbox.settle();
      const t = ticketFor(updated.id);
      expect(t.subject).toBe(`Update ${n}`);
      expect(t.comments.filter((c) => c.plain_body === `Mia Member (Jira): update comment ${n}`)).toHaveLength(1);
      expect(
        t.comments
          .flatMap((c) => c.attachmentIds)
          .map((a) => sandbox.zendesk.store.attachments.get(a)!.file_name)
          .filter((f) => f === `file-${n}.txt`),
      ).toHaveLength(1);
      expect(ticketsFor(updated.id)).toHaveLength(1);
    },
  );

  // Found by the model: a crash between two transitions of a longer move left Jira half-way, which then read as a
  // person's newer change and won over the Zendesk change it was copying (Done in Zendesk ended as "In Review").
  it.each(Array.from({ length: MOVE_CALLS }, (_, i) => i + 1))(
    'finishes a three-step status move from Zendesk when the worker crashes before outbound call %i',
    async (n) => {
      const issue = await createIssue(`Move under crash ${n}`);
      await sandbox.settle();
      const crashes = crashCount();
      sandbox.platform.injectCrash({ functionKey: 'sync-worker', atOutboundCall: n, times: 1 });
      // To Do → Done is three transitions in the demo workflow.
      await agent()('PUT', ticketPath(issue.id), { ticket: { status: 'solved' } });
      await sandbox.settle();
      expect(crashCount() - crashes).toBeLessThanOrEqual(1);
      sandbox.platform.clearFaults();
      await sandbox.settle();
      const fields = (await jira.request({ as: 'member' }, 'GET', `/rest/api/3/issue/${issue.key}?fields=status`)).json
        .fields;
      expect({ jira: fields.status.name, zendesk: ticketFor(issue.id).status }).toEqual({
        jira: 'Done',
        zendesk: 'solved',
      });
      expect(ticketsFor(issue.id)).toHaveLength(1);
    },
  );
});

describe('Zendesk webhooks', () => {
  let issue: { id: string; key: string };
  beforeAll(async () => {
    issue = await createIssue('Webhook target');
    await sandbox.settle();
  });

  it('are unmoved by duplicated and reordered deliveries', async () => {
    await control('/webhooks/deliveries', { paused: true }, 'PUT');
    for (const s of ['one', 'two', 'three']) {
      await agent()('PUT', ticketPath(issue.id), { ticket: { subject: `Agent edit ${s}` } });
      sandbox.platform.manualClock.advance(1000);
    }
    // Delivered newest first, and the newest twice.
    sandbox.zendesk.notifier.queue.reverse();
    sandbox.zendesk.notifier.queue.splice(1, 0, { ...sandbox.zendesk.notifier.queue[0]! });
    await control('/webhooks/deliveries/flush', {});
    await sandbox.settle();
    expect(await summaryOf(issue.key)).toBe('Agent edit three');
    const statuses = sandbox.zendesk.notifier.sent.slice(-4).map((d) => d.status);
    // The exact duplicate (same invocation, same signature) is answered as already received, enqueuing nothing (a 401
    // would tell Zendesk its webhook is failing); the others are accepted.
    expect(statuses).toEqual([202, 202, 202, 202]);
    expect(
      sandbox.platform.meter
        .invocations({ functionKey: 'on-remote-webhook' })
        .slice(-4)
        .map((r) => r.eventsPushed),
    ).toEqual([1, 0, 1, 1]);
    // Matching an issue against JQL is a read Jira takes as POST (the panel's guard matches the issue).
    const jiraWrites = () =>
      sandbox.jira.controls.log.filter((r) => r.method !== 'GET' && !r.path.endsWith('/jql/match')).length;
    const writes = jiraWrites();
    await sandbox.platform.invokeResolver({
      installationId: sandbox.installationId,
      moduleKey: 'crosswalk-panel',
      functionKey: 'syncIssueNow',
      accountId: jira.userId('member'),
      context: { extension: { issue: { id: issue.id }, project: { id: SUP_PROJECT.id } } },
    });
    await sandbox.settle();
    expect(jiraWrites()).toBe(writes);
  });

  it('lost ones are caught by the sweep, through the incremental export', async () => {
    await control('/webhooks/deliveries', { lose: 1 }, 'PUT');
    await agent()('PUT', ticketPath(issue.id), { ticket: { subject: 'Edited, webhook lost' } });
    await sandbox.settle();
    expect(await summaryOf(issue.key)).toBe('Agent edit three');
    sandbox.platform.manualClock.advance(5 * 60_000);
    const sweep = await sandbox.platform.runScheduledTrigger(sandbox.installationId, 'reconcile-sweep');
    expect(sweep.status).toBe('success');
    await sandbox.settle();
    expect(await summaryOf(issue.key)).toBe('Edited, webhook lost');
    const exports = (
      (await (await fetch(`${sandbox.sims.zendesk.controlUrl}/requests`)).json()) as Array<{
        path: string;
        query: string;
        status: number;
      }>
    ).filter((r) => r.path.startsWith('/api/v2/incremental/'));
    expect(exports.at(-1)).toMatchObject({ status: 200, query: expect.stringContaining('start_time=') });
  });

  it('forged, stale and replayed deliveries change nothing', async () => {
    const hook = [...sandbox.zendesk.store.webhooks.values()][0]!;
    const body = JSON.stringify({
      ticket_id: String(ticketFor(issue.id).id),
      updated_at: '2026-01-01T00:00:00Z',
      event: 'ticket',
      changed_by: ZD.agent.email,
    });
    const runs = workerRuns();
    for (const variant of [{ forged: true }, { ageSeconds: 3600 }]) {
      const res = (await (
        await control('/webhooks/deliveries/send', { webhook_id: hook.id, body, ...variant })
      ).json()) as { status: number };
      expect(res.status).toBe(401);
    }
    // A genuine delivery replayed byte for byte (same signature, timestamp and invocation id) is refused too.
    const genuine = sandbox.zendesk.notifier.sent.filter((d) => d.status === 202).at(-1)!;
    const replay = await fetch(genuine.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-zendesk-webhook-signature': genuine.signature,
        'x-zendesk-webhook-signature-timestamp': genuine.timestamp,
        'x-zendesk-webhook-invocation-id': genuine.invocation_id,
        'x-zendesk-webhook-id': genuine.webhook_id,
      },
      body: genuine.body,
    });
    expect(replay.status).toBe(401);
    // The same body with a signature made with some other secret is not Zendesk's.
    const bad = await fetch(genuine.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-zendesk-webhook-signature': Buffer.alloc(32, 1).toString('base64'),
        'x-zendesk-webhook-signature-timestamp': genuine.timestamp,
      },
      body: genuine.body,
    });
    expect(bad.status).toBe(401);
    await sandbox.settle();
    expect(workerRuns()).toBe(runs);
  });

  it("from Crosswalk's own writes are dropped before they cost a sync", async () => {
    const runs = workerRuns();
    await jira.request({ as: 'member' }, 'PUT', `/rest/api/3/issue/${issue.key}`, {
      fields: { summary: 'Edited in Jira' },
    });
    await sandbox.settle();
    expect(ticketFor(issue.id).subject).toBe('Edited in Jira');
    const own = sandbox.zendesk.notifier.sent.at(-1)!;
    expect(JSON.parse(own.body)).toMatchObject({ changed_by: ZD.integration.email });
    expect(own.status).toBe(202);
    // The Jira event's reconcile only: Zendesk's notification of our own write enqueued nothing.
    expect(workerRuns() - runs).toBe(1);
  });
});

describe('a connection that reports closed tickets', () => {
  it('shows the closed ticket on the issue and never retries the refused change', async () => {
    const issue = await createIssue('Closed, reported');
    await sandbox.settle();
    await agent()('PUT', ticketPath(issue.id), { ticket: { status: 'closed' } });
    await sandbox.settle();
    await saveSettings({ remote: { ...demoZendeskConnection.remote, closedTickets: 'report' } });
    await jira.request({ as: 'member' }, 'PUT', `/rest/api/3/issue/${issue.key}`, {
      fields: { summary: 'Closed, reported, edited' },
    });
    await sandbox.settle();
    const id = ticketFor(issue.id).id;
    expect(ticketsFor(issue.id).map((t) => t.subject)).toEqual(['Closed, reported']);
    expect(await panelOf(issue.id)).toMatchObject({
      lastError: null,
      problems: [expect.objectContaining({ message: expect.stringContaining(`#${id} is closed in Zendesk`) })],
    });
    // Not a failure to retry: no queue retries, and once the sweep's look-back has passed, no more attempts at all.
    const refusals = async () =>
      (
        (await (await fetch(`${sandbox.sims.zendesk.controlUrl}/requests`)).json()) as Array<{
          method: string;
          path: string;
          status: number;
        }>
      ).filter((r) => r.method === 'PUT' && r.path === `/api/v2/tickets/${id}` && r.status === 422).length;
    // advanceTime lets each sweep on the way finish before time moves on, as time passes for real.
    await sandbox.platform.advanceTime(10 * 60_000);
    await sandbox.settle();
    const settled = await refusals();
    await sandbox.platform.advanceTime(10 * 60_000);
    await sandbox.settle();
    expect(await refusals()).toBe(settled);
    expect(ticketsFor(issue.id)).toHaveLength(1);
    await saveSettings({});
  });
});
