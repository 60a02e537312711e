/**
 * Azure DevOps faults on the way: every case converges once the fault clears, within the time the retry schedule (or
 * one sweep, for a lost signal) allows, with no duplicate work item, comment, file or issue, and the failure is
 * visible on the issue panel while it lasts.
 */
import { startSandbox, type Sandbox } from '../../sandbox/sandbox';
import {
  demoAzureDevOpsConnection,
  OPS_CONNECTION_ID,
  OPS_PROJECT,
  pairOpsProject,
} from '../../sandbox/demo/azure-devops-connection';
import { DEMO_CREDENTIALS as ADO } from '../../sandbox/sims/azure-devops';
import { azureDevOpsClient, patch, type WorkItemJson } from '../../sandbox/sims/azure-devops/test-client';
import { adf, jiraClient } from '../../sandbox/sims/jira/test-client';
import { AFTER_A_CRASH_MS, rateLimitWaitMs, syncRetriesMs, sweepPeriodMs } from '../support/bounds';
import { atEachPosition, CrashCases, positions } from '../support/crash-cases';

let sandbox: Sandbox;
let jira: ReturnType<typeof jiraClient>;

beforeAll(async () => {
  sandbox = await startSandbox({ clock: 'manual', pairDemo: false });
  jira = sandbox.jiraClient();
  await pairOpsProject(sandbox.platform, sandbox.installationId, sandbox.jira);
}, 60_000);
afterAll(async () => {
  const lines = sandbox.platform.meter.invocations().flatMap((r) => r.logs);
  expect(lines.filter((l) => l.includes(ADO.integration.pat))).toEqual([]);
  await sandbox.stop();
});

const ado = () => azureDevOpsClient(sandbox.azureDevOps, ADO.agent.pat);
const control = (path: string, body: unknown, method = 'POST') =>
  fetch(`${sandbox.sims.azureDevOps.controlUrl}${path}`, { method, body: JSON.stringify(body) });
const org = () => sandbox.azureDevOps.store.org('acme')!;
/** Crosswalk's correlation marker among a work item's tags (`crosswalk:…:<connection>:<issue>`), whatever the engine puts in between. */
const markerIn = (tags: unknown, issueId: string) =>
  String(tags ?? '')
    .split('; ')
    .find((t) => t.startsWith('crosswalk:') && t.endsWith(`:${OPS_CONNECTION_ID}:${issueId}`));
const workItemsFor = (issueId: string) =>
  [...sandbox.azureDevOps.store.items(org()).values()].filter((i) => markerIn(i.fields['System.Tags'], issueId));
const onlyWorkItemFor = (issueId: string) => {
  const found = workItemsFor(issueId);
  expect(found).toHaveLength(1);
  return found[0]!;
};
const commentTexts = (issueId: string) =>
  onlyWorkItemFor(issueId)
    .comments.filter((c) => !c.versions.at(-1)!.isDeleted)
    .map((c) => c.versions.at(-1)!.text);
const asAdmin = (functionKey: string, payload?: unknown) =>
  sandbox.platform.invokeResolver({
    installationId: sandbox.installationId,
    moduleKey: 'crosswalk-settings',
    functionKey,
    payload,
    accountId: jira.userId('admin'),
    context: { extension: { type: 'jira:projectSettingsPage', project: OPS_PROJECT } },
  });
const panelCall = (issueId: string, functionKey: string) =>
  sandbox.platform.invokeResolver({
    installationId: sandbox.installationId,
    moduleKey: 'crosswalk-panel',
    functionKey,
    accountId: jira.userId('admin'),
    context: { extension: { issue: { id: issueId }, project: { id: OPS_PROJECT.id } } },
  });
/** What the issue panel shows about the issue's sync failure (null when none). */
const panelErrorOf = async (issueId: string) =>
  (
    (await panelCall(issueId, 'getIssueSync')) as {
      body: { data: { lastError: { kind: string; message: string } | null } };
    }
  ).body.data.lastError;
const createIssue = async (summary: string) =>
  (
    await jira.request({ as: 'admin' }, 'POST', '/rest/api/3/issue', {
      fields: { project: { key: 'OPS' }, issuetype: { name: 'Task' }, summary },
    })
  ).json as { id: string; key: string };
const summaryOf = async (key: string) =>
  (await jira.request({ as: 'admin' }, 'GET', `/rest/api/3/issue/${key}?fields=summary`)).json.fields.summary as string;

describe('Azure DevOps faults converge without duplicates', () => {
  it('re-reads and decides again when a write meets a newer revision (412)', async () => {
    const issue = await createIssue('Rev guarded');
    await sandbox.settle({ within: 0 });
    const stale = {
      $id: '1',
      innerException: null,
      message:
        'TF26071: This work item has been changed by someone else since you opened it. You will need to refresh it and discard your changes.',
      typeName:
        'Microsoft.TeamFoundation.WorkItemTracking.Server.WorkItemRevisionMismatchException, Microsoft.TeamFoundation.WorkItemTracking.Server',
      typeKey: 'WorkItemRevisionMismatchException',
      errorCode: 0,
      eventId: 3200,
    };
    await control('/faults', { method: 'PATCH', path: '/_apis/wit/workitems/', status: 412, body: stale, times: 1 });
    await jira.request({ as: 'admin' }, 'PUT', `/rest/api/3/issue/${issue.key}`, {
      fields: { summary: 'Rev guarded, edited' },
    });
    await sandbox.platform.settle({ maxAdvanceMs: 0 });
    expect(await panelErrorOf(issue.id)).toMatchObject({ kind: 'conflict' });
    // One refused write: the next attempt reads again and writes.
    await sandbox.settle({ within: syncRetriesMs(1) });
    expect(onlyWorkItemFor(issue.id).fields['System.Title']).toBe('Rev guarded, edited');
    expect(await panelErrorOf(issue.id)).toBeNull();
  });

  it('retries 5xx and dropped connections, showing the failure until it clears', async () => {
    const issue = await createIssue('Through a bad patch of network');
    await sandbox.settle({ within: 0 });
    await control('/faults', { method: 'GET', path: '/_apis/wit/workitems/', status: 503, times: 2 });
    await control('/faults', { method: 'PATCH', path: '/_apis/wit/workitems/', drop: true, times: 1 });
    await jira.request({ as: 'admin' }, 'PUT', `/rest/api/3/issue/${issue.key}`, {
      fields: { summary: 'Edited while Azure DevOps struggles' },
    });
    await sandbox.platform.settle({ maxAdvanceMs: 0 });
    expect(await panelErrorOf(issue.id)).toMatchObject({ kind: 'transient', message: expect.stringContaining('503') });
    // Three failed attempts (two 503s on the read, a dropped write): the engine's next three retries.
    await sandbox.settle({ within: syncRetriesMs(3) });
    expect(onlyWorkItemFor(issue.id).fields['System.Title']).toBe('Edited while Azure DevOps struggles');
    expect(await panelErrorOf(issue.id)).toBeNull();
  });

  it("waits out Azure DevOps' 429 block and then its delays, creating every work item once, within the windows its requests need", async () => {
    // A sandbox of its own, without the scheduled sweep: its rechecks of the issues earlier cases made would share the
    // tight budget, and the time this case takes would depend on when the sweep happened to run.
    const own = await startSandbox({ clock: 'manual', pairDemo: false, scheduleTriggers: false });
    try {
      await pairOpsProject(own.platform, own.installationId, own.jira);
      await own.settle({ within: 0 });
      const admin = own.jiraClient();
      const adoControl = (path: string, body: unknown) =>
        fetch(`${own.sims.azureDevOps.controlUrl}${path}`, { method: 'PUT', body: JSON.stringify(body) });
      // A tight usage budget: answers are delayed (200 with X-RateLimit-Delay) above 4 TSTUs in the window, blocked (429) at 6.
      const budget = { windowSeconds: 60, limit: 6 };
      await adoControl('/rate-limit', {
        enabled: true,
        ...budget,
        delayThreshold: 4,
        headersFrom: 2,
        costPerRequest: 1,
      });
      const integrationRequests = async () =>
        (
          (await (await fetch(`${own.sims.azureDevOps.controlUrl}/requests`)).json()) as Array<{
            status: number;
            user: string;
          }>
        ).filter((r) => r.user === ADO.integration.uniqueName);
      const before = (await integrationRequests()).length;
      // Another script with the same PAT has just spent the budget, so Crosswalk's first calls meet the block (429)
      // whatever order its three invocations happen to run in; its calls after the block climb through the delays.
      const sameTokenScript = azureDevOpsClient(own.azureDevOps, ADO.integration.pat);
      let spent = 0;
      while ((await sameTokenScript('GET', '/acme/_apis/projects')).status !== 429) expect(++spent).toBeLessThan(10);
      const issues = await Promise.all(
        ['Throttled one', 'Throttled two', 'Throttled three'].map(
          async (summary) =>
            (
              await admin.request({ as: 'admin' }, 'POST', '/rest/api/3/issue', {
                fields: { project: { key: 'OPS' }, issuetype: { name: 'Task' }, summary },
              })
            ).json as { id: string; key: string },
        ),
      );
      const errorOf = async (issueId: string) =>
        (
          (await own.platform.invokeResolver({
            installationId: own.installationId,
            moduleKey: 'crosswalk-panel',
            functionKey: 'getIssueSync',
            accountId: admin.userId('admin'),
            context: { extension: { issue: { id: issueId }, project: { id: OPS_PROJECT.id } } },
          })) as { body: { data: { lastError: { kind: string } | null } } }
        ).body.data.lastError;
      await own.platform.settle({ maxAdvanceMs: 0 });
      expect((await Promise.all(issues.map((i) => errorOf(i.id)))).some((e) => e?.kind === 'rate-limited')).toBe(true);
      // At most ten windows here; the bound the work states is checked below, once it is known what the work took.
      const { tookMs } = await own.settle({ within: 10 * budget.windowSeconds * 1000 });
      await adoControl('/rate-limit', { enabled: false });
      const items = [...own.azureDevOps.store.items(own.azureDevOps.store.org('acme')!).values()];
      for (const i of issues)
        expect(
          items.filter((w) => markerIn(w.fields['System.Tags'], i.id)).map((w) => w.fields['System.Title']),
        ).toEqual([own.jira.site.state.issues.find((x) => x.id === i.id)!.summary]);
      const made = (await integrationRequests()).slice(before);
      expect(made.some((r) => r.status === 429)).toBe(true);
      // The requests it needed fit in that many windows of the budget; it waited out each, and at most one more.
      const answered = made.filter((r) => r.status !== 429).length;
      expect(tookMs).toBeLessThanOrEqual(
        (Math.ceil(answered / budget.limit) + 1) * rateLimitWaitMs(budget.windowSeconds * 1000),
      );
      for (const i of issues) expect(await errorOf(i.id)).toBeNull();
    } finally {
      await own.stop();
    }
  }, 120_000);

  it('creates one work item, comment and link, within one retry, when the worker crashes before any outbound call of a create', async () => {
    const cases = new CrashCases(sandbox.platform, async (arm, tag) => {
      const issue = await createIssue(`Create crash ${tag}`);
      await jira.request({ as: 'admin' }, 'POST', `/rest/api/3/issue/${issue.key}/comment`, {
        body: adf(`note ${tag}`),
      });
      arm();
      await sandbox.settle({ within: AFTER_A_CRASH_MS });
      expect(onlyWorkItemFor(issue.id).fields['System.Title']).toBe(`Create crash ${tag}`);
      expect(commentTexts(issue.id)).toEqual([`<p>Ada Admin (Jira): note ${tag}</p>`]);
      expect(
        (await jira.request({ as: 'admin' }, 'GET', `/rest/api/3/issue/${issue.key}/remotelink`)).json,
      ).toHaveLength(1);
    });
    // The first run after the changes creates the work item, its comment and the link.
    const [create] = await cases.record();
    await atEachPosition(create!, positions(1, create!.calls.length), (n) => cases.crash(create!, 1, n));
  }, 600_000);

  it('converges once, within one retry, when the worker crashes before any outbound call of an update', async () => {
    const updated = await createIssue('Update crashes');
    await sandbox.settle({ within: 0 });
    const notes: string[] = [];
    const cases = new CrashCases(sandbox.platform, async (arm, tag) => {
      // The edit's and the comment's events wait: one "sync now" reconciles them together, and the crash hits that run.
      sandbox.platform.holdProductEvents();
      await jira.request({ as: 'admin' }, 'PUT', `/rest/api/3/issue/${updated.key}`, {
        fields: { summary: `Update crash ${tag}`, labels: [`l${tag}`] },
      });
      await jira.request({ as: 'admin' }, 'POST', `/rest/api/3/issue/${updated.key}/comment`, {
        body: adf(`update note ${tag}`),
      });
      notes.push(`<p>Ada Admin (Jira): update note ${tag}</p>`);
      arm();
      await panelCall(updated.id, 'syncIssueNow');
      await sandbox.settle({ within: AFTER_A_CRASH_MS });
      await sandbox.platform.releaseProductEvents();
      await sandbox.settle({ within: 0 });
      const item = onlyWorkItemFor(updated.id);
      expect(item.fields['System.Title']).toBe(`Update crash ${tag}`);
      expect(item.fields['System.Tags']).toBe(`${markerIn(item.fields['System.Tags'], updated.id)}; l${tag}`);
      expect(commentTexts(updated.id)).toEqual(notes);
    });
    const [update] = await cases.record();
    await atEachPosition(update!, positions(1, update!.calls.length), (n) => cases.crash(update!, 1, n));
  }, 600_000);

  it('is unmoved by duplicated and reordered hook deliveries', async () => {
    const issue = await createIssue('Many deliveries');
    await sandbox.settle({ within: 0 });
    const id = onlyWorkItemFor(issue.id).id;
    await control('/hooks', { paused: true, duplicate: true }, 'PUT');
    for (const t of ['one', 'two', 'three'])
      await ado()('PATCH', `/acme/Operations/_apis/wit/workitems/${id}`, patch({ 'System.Title': `Delivery ${t}` }));
    await control('/hooks', { paused: false, duplicate: false }, 'PUT');
    await sandbox.settle({ within: 0 });
    // The first of them again, after the others: a late delivery only says "look again".
    const first = sandbox.azureDevOps.notifier.sent.filter((d) => d.eventType === 'workitem.updated').at(-6)!;
    await control('/hooks/send', { subscriptionId: first.subscriptionId, replayNotificationId: first.notificationId });
    await sandbox.settle({ within: 0 });
    expect(await summaryOf(issue.key)).toBe('Delivery three');
    expect(workItemsFor(issue.id)).toHaveLength(1);
  });
});

describe('a bad PAT answered with the sign-in page', () => {
  it('stops the connection visibly for the admin and on the issue, and sync resumes once fixed', async () => {
    const issue = await createIssue('Before the PAT expired');
    await sandbox.settle({ within: 0 });
    await control('/sign-in-page', { on: true, mode: '203' }, 'PUT');
    const bad = await asAdmin('saveConnection', {
      connectionId: OPS_CONNECTION_ID,
      settings: demoAzureDevOpsConnection,
      credential: { token: 'expired-pat-0000000000000000000000000000000000000000' },
    });
    // The service hooks cannot be renewed with it; the save itself stands and says so.
    expect(bad).toMatchObject({ body: { ok: true, data: { pushSetup: { ok: false } } } });
    await jira.request({ as: 'admin' }, 'PUT', `/rest/api/3/issue/${issue.key}`, {
      fields: { summary: 'Edited with an expired PAT' },
    });
    // An auth failure is not retried: it waits for the admin.
    await sandbox.settle({ within: 0 });
    expect(await panelErrorOf(issue.id)).toMatchObject({
      kind: 'auth',
      message: expect.stringContaining('sign-in page'),
    });
    expect(await asAdmin('listConnections')).toMatchObject({
      body: { data: { connections: [{ health: { kind: 'auth' } }] } },
    });
    // The redirect form of the same answer is just as much an auth failure: it is never followed.
    await control('/sign-in-page', { on: true, mode: '302' }, 'PUT');
    await panelCall(issue.id, 'syncIssueNow');
    await sandbox.platform.settle({ maxAdvanceMs: 0 });
    expect(await panelErrorOf(issue.id)).toMatchObject({
      kind: 'auth',
      message: expect.stringContaining('sign-in page'),
    });

    const good = await asAdmin('saveConnection', {
      connectionId: OPS_CONNECTION_ID,
      settings: demoAzureDevOpsConnection,
      credential: { token: ADO.integration.pat },
    });
    expect(good).toMatchObject({ body: { ok: true, data: { pushSetup: { ok: true }, health: null } } });
    expect(JSON.stringify([bad, good])).not.toContain(ADO.integration.pat);
    await panelCall(issue.id, 'syncIssueNow');
    await sandbox.settle({ within: 0 });
    expect(onlyWorkItemFor(issue.id).fields['System.Title']).toBe('Edited with an expired PAT');
    expect(await panelErrorOf(issue.id)).toBeNull();
    await control('/sign-in-page', { on: false }, 'PUT');
  });
});

describe('the five-minute sweep', () => {
  it('catches Azure DevOps changes whose deliveries were lost, and creates issues for lost creations, within one sweep period', async () => {
    const issue = await createIssue('Synced before deliveries go missing');
    await sandbox.settle({ within: 0 });
    const id = onlyWorkItemFor(issue.id).id;
    await control('/hooks', { lose: 100 }, 'PUT');
    await ado()(
      'PATCH',
      `/acme/Operations/_apis/wit/workitems/${id}`,
      patch({ 'System.Title': 'Edited while deliveries are lost' }),
    );
    const made = (
      await ado()<WorkItemJson>(
        'POST',
        '/acme/Operations/_apis/wit/workitems/$Bug',
        patch({ 'System.Title': 'Created while deliveries are lost', 'System.Tags': 'jira' }),
      )
    ).json;
    await sandbox.settle({ within: 0 });
    expect(await summaryOf(issue.key)).toBe('Synced before deliveries go missing');
    // Nothing but the scheduled sweep can find the changes now; it runs once in every period.
    await sandbox.platform.advanceTime(sweepPeriodMs(sandbox.platform));
    await sandbox.settle({ within: 0 });
    await control('/hooks', { lose: 0 }, 'PUT');
    expect(await summaryOf(issue.key)).toBe('Edited while deliveries are lost');
    const found = (
      await jira.request({ as: 'admin' }, 'POST', '/rest/api/3/search/jql', {
        jql: 'project = OPS AND summary ~ "Created while deliveries"',
      })
    ).json.issues;
    expect(found).toHaveLength(1);
    // A second sweep over the same window finds everything in place.
    await sandbox.platform.runScheduledTrigger(sandbox.installationId, 'reconcile-sweep');
    await sandbox.settle({ within: 0 });
    expect(
      (
        await jira.request({ as: 'admin' }, 'POST', '/rest/api/3/search/jql', {
          jql: 'project = OPS AND summary ~ "Created while deliveries"',
        })
      ).json.issues,
    ).toHaveLength(1);
    void made;
  });
});
