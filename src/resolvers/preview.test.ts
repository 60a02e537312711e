/**
 * Preview before saving, through the platform as each role: what the draft
 * would write for one issue or remote item and for the whole filter, computed
 * from reads only (the simulators' request logs show no write), for project
 * admins only, with a stored secret used only for the instance it was saved for.
 */
import { startSandbox, type Sandbox } from '../../sandbox/sandbox';
import { serviceNowClient } from '../../sandbox/sims/servicenow/test-client';

let sandbox: Sandbox;
/** An issue the demo connection has synced: a linked pair. */
let linkedKey: string;
beforeAll(async () => {
  sandbox = await startSandbox({ clock: 'manual', pair: ['servicenow'] });
  const made = await sandbox.jiraClient().request({ as: 'member' }, 'POST', '/rest/api/3/issue', {
    fields: {
      project: { key: 'DEMO' },
      issuetype: { name: 'Task' },
      summary: 'Synced before the preview',
      labels: ['printers'],
      customfield_10010: 'printers',
    },
  });
  linkedKey = (made.json as { key: string }).key;
  await sandbox.settle();
}, 120_000);
afterAll(async () => {
  await sandbox?.stop();
});

const accountOf = (role: string) => sandbox.users.find((u) => u.role === role)!.accountId;
const projectContext = { extension: { type: 'jira:projectSettingsPage', project: { id: '10000', key: 'DEMO' } } };

async function call(role: string, functionKey: string, payload: Record<string, unknown> = {}) {
  const r = await sandbox.platform.invokeResolver({
    installationId: sandbox.installationId,
    moduleKey: 'crosswalk-settings',
    functionKey,
    accountId: accountOf(role),
    context: projectContext,
    payload,
  });
  if (!r.ok) throw new Error(`${functionKey} failed: ${r.error}`);
  return r.body as {
    ok: boolean;
    data?: any;
    error?: { code: string; message: string; problems?: Array<{ path: string; message: string }> };
  };
}

type Logged = { method: string; path: string };
const requests = async (controlUrl: string): Promise<Logged[]> =>
  (await (await fetch(`${controlUrl}/requests`)).json()) as Logged[];
/** Jira calls that only read, though they are POSTs (search, JQL matching and parsing, workflows). */
const JIRA_READS = /\/rest\/api\/3\/(search\/jql|jql\/match|jql\/parse|workflows)$/;

async function demoDraft() {
  const list = await call('project-lead', 'listConnections');
  const { id, jiraProjectId: _p, credentialRev: _r, ...settings } = list.data.connections[0].config;
  return { connectionId: id as string, settings: settings as Record<string, any> };
}

describe('preview before saving', () => {
  it('refuses whoever is not an admin of the project, and checks its input', async () => {
    for (const fn of ['previewItem', 'previewSummary'])
      expect((await call('member', fn, { settings: {}, item: { issueKey: 'DEMO-1' } })).error?.code).toBe('FORBIDDEN');
    const draft = await demoDraft();
    const bad = await call('project-lead', 'previewItem', { ...draft, item: { issueKey: 'not a key' } });
    expect(bad.error).toMatchObject({ code: 'BAD_REQUEST', problems: [{ path: 'item.issueKey' }] });
    const both = await call('project-lead', 'previewItem', { ...draft, item: {} });
    expect(both.error?.problems?.[0]?.path).toBe('item.issueKey');
    // The draft is checked like a save: its problems at their fields.
    const unnamed = await call('project-lead', 'previewItem', {
      ...draft,
      settings: { ...draft.settings, name: '' },
      item: { issueKey: 'DEMO-1' },
    });
    expect(unnamed.error?.problems?.[0]?.path).toBe('name');
    // Another project's issue answers like a missing one.
    const other = await call('project-lead', 'previewItem', { ...draft, item: { issueKey: 'OPS-1' } });
    expect(other.error).toMatchObject({ code: 'NOT_FOUND', problems: [{ path: 'item.issueKey' }] });
  });

  it("checks a draft against both sides' live metadata, each problem at its field", async () => {
    const draft = await demoDraft();
    const n = draft.settings.fields.length;
    const r = await call('project-lead', 'previewItem', {
      ...draft,
      settings: {
        ...draft.settings,
        jiraIssueType: 'Feature',
        fields: [
          ...draft.settings.fields,
          { jira: 'labels', remote: 'category', direction: 'to-remote' },
          { jira: 'customfield_99999', remote: 'u_nothing', direction: 'both' },
        ],
      },
      item: { issueKey: linkedKey },
    });
    expect(r.error?.problems).toEqual([
      {
        path: 'jiraIssueType',
        message: 'The project has no issue type Feature; it has Task, Bug, Incident, Epic, Story',
      },
      {
        path: `fields.${n}.remote`,
        message:
          "labels and ServiceNow's category cannot be paired: Jira's field holds a list of labels and the remote's a single option: a list cannot cross into one value",
      },
      { path: `fields.${n + 1}.jira`, message: 'Jira has no field customfield_99999' },
      { path: `fields.${n + 1}.remote`, message: 'ServiceNow has no field u_nothing' },
    ]);
  });

  it('shows per field what a draft mapping would write for a linked issue, and writes nothing anywhere', async () => {
    const draft = await demoDraft();
    // The draft adds a field: Jira's Customer reference (text) to the incident's category (one option), Jira → remote
    // only, and sends summaries the other way only. (Labels, a list, cannot go to one option: field-kinds.ts.)
    draft.settings.fields = [
      ...draft.settings.fields.map((f: any) => (f.jira === 'summary' ? { ...f, direction: 'to-jira' } : f)),
      { jira: 'customfield_10010', remote: 'category', direction: 'to-remote' },
    ];
    const key = linkedKey;
    const [jiraBefore, snBefore] = await Promise.all([
      requests(sandbox.sims.jira.controlUrl),
      requests(sandbox.sims.servicenow.controlUrl),
    ]);

    const r = await call('project-lead', 'previewItem', { ...draft, item: { issueKey: key } });
    expect(r.ok).toBe(true);
    expect(r.data.kind).toBe('update');
    expect(r.data.remote.key).toMatch(/^INC\d+/);
    const rows = Object.fromEntries(r.data.rows.map((row: any) => [row.jiraField, row]));
    expect(rows.summary).toMatchObject({ direction: 'to-jira', action: 'none', note: 'in sync' });
    // Never synced before: Jira, where the issue was made, is the source.
    expect(rows.customfield_10010).toMatchObject({
      remoteField: 'category',
      direction: 'to-remote',
      jiraValue: 'printers',
      action: 'write-remote',
      written: 'printers',
      note: 'first sync of this field: Jira is the source',
    });
    expect(r.data.outcome).toEqual({ kind: 'update' });
    expect(rows.status.jiraValue).toBeTruthy();

    // A draft that reads the incident's state 1 as Done would move the issue: along the workflow's path, step by step.
    const moved = await call('project-lead', 'previewItem', {
      ...draft,
      settings: {
        ...draft.settings,
        fields: draft.settings.fields.map((f: any) =>
          f.jira === 'status'
            ? {
                ...f,
                valueMap: [
                  { jira: 'Done', remote: '1' },
                  { jira: 'To Do', remote: '0' },
                ],
              }
            : f,
        ),
      },
      item: { issueKey: key },
    });
    expect(moved.data.rows.find((row: any) => row.jiraField === 'status')).toMatchObject({
      action: 'write-jira',
      written: 'Done',
      transitions: ['Start progress', 'Request review', 'Approve'],
    });
    const [jiraAfter, snAfter] = await Promise.all([
      requests(sandbox.sims.jira.controlUrl),
      requests(sandbox.sims.servicenow.controlUrl),
    ]);
    const jiraWrites = jiraAfter.slice(jiraBefore.length).filter((q) => q.method !== 'GET' && !JIRA_READS.test(q.path));
    const snWrites = snAfter.slice(snBefore.length).filter((q) => q.method !== 'GET');
    // The preview did read both sides (the logs record it), and wrote nothing on either.
    expect([jiraAfter.length > jiraBefore.length, snAfter.length > snBefore.length]).toEqual([true, true]);
    expect({ jiraWrites, snWrites }).toEqual({ jiraWrites: [], snWrites: [] });
    // Nothing was saved either: the stored connection is as it was.
    expect((await demoDraft()).settings.fields.map((f: any) => f.jira)).not.toContain('customfield_10010');
  });

  it('shows which comments and files would cross for one item, which would not and why, and writes nothing', async () => {
    const jira = sandbox.jiraClient();
    const made = (
      await jira.request({ as: 'member' }, 'POST', '/rest/api/3/issue', {
        fields: { project: { key: 'DEMO' }, issuetype: { name: 'Task' }, summary: 'Content to preview' },
      })
    ).json as { key: string };
    await sandbox.settle();
    // Held back: the comments and the file wait, so the preview sees them before any sync does.
    sandbox.platform.holdProductEvents();
    await jira.request({ as: 'member' }, 'POST', `/rest/api/3/issue/${made.key}/comment`, {
      body: {
        type: 'doc',
        version: 1,
        content: [
          { type: 'paragraph', content: [{ type: 'text', text: 'The printer on floor 3 jams on every duplex job' }] },
        ],
      },
    });
    const form = new FormData();
    form.append('file', new Blob([Buffer.alloc(1200, 1)], { type: 'text/plain' }), 'jam-log.txt');
    await jira.request({ as: 'member' }, 'POST', `/rest/api/3/issue/${made.key}/attachments`, form, {
      'x-atlassian-token': 'no-check',
    });
    const big = new FormData();
    big.append('file', new Blob([Buffer.alloc(3000, 2)], { type: 'application/zip' }), 'dump.zip');
    await jira.request({ as: 'member' }, 'POST', `/rest/api/3/issue/${made.key}/attachments`, big, {
      'x-atlassian-token': 'no-check',
    });
    const draft = await demoDraft();
    draft.settings.attachments = { direction: 'both', maxBytes: 2000, allowedTypes: [] };
    const snBefore = await requests(sandbox.sims.servicenow.controlUrl);
    const r = await call('project-lead', 'previewItem', { ...draft, item: { issueKey: made.key } });
    expect(r.ok).toBe(true);
    expect(r.data.content.comments.toRemote).toEqual(['Mia Member: The printer on floor 3 jams on every duplex job']);
    expect(r.data.content.files.toRemote).toEqual(['jam-log.txt (1200 bytes)']);
    expect(r.data.content.files.notCopied).toEqual(['Not copied: dump.zip (3000 bytes) is over the 2000-byte limit']);
    // A draft that syncs neither says so by having no content part.
    const none = await call('project-lead', 'previewItem', {
      ...draft,
      settings: {
        ...draft.settings,
        comments: { ...draft.settings.comments, direction: 'none' },
        attachments: { ...draft.settings.attachments, direction: 'none' },
      },
      item: { issueKey: made.key },
    });
    expect(none.data.content).toBeNull();
    expect(
      (await requests(sandbox.sims.servicenow.controlUrl)).slice(snBefore.length).filter((q) => q.method !== 'GET'),
    ).toEqual([]);
    await sandbox.platform.releaseProductEvents();
    await sandbox.settle();
  });

  it('previews an unlinked issue as a create, with the fields the new item is made with, or why it would not sync', async () => {
    const draft = await demoDraft();
    const made = await sandbox.jiraClient().request({ as: 'member' }, 'POST', '/rest/api/3/issue', {
      fields: { project: { key: 'DEMO' }, issuetype: { name: 'Task' }, summary: 'Preview me' },
    });
    const key = (made.json as { key: string }).key;
    // Not synced yet (the platform's queue has not run): a draft would create its incident.
    const r = await call('project-lead', 'previewItem', { ...draft, item: { issueKey: key } });
    expect(r.data.kind).toBe('create-remote');
    expect(r.data.rows.find((row: any) => row.jiraField === 'summary')).toMatchObject({
      action: 'write-remote',
      written: 'Preview me',
      note: 'set when the ServiceNow item is created',
    });
    // A draft that leaves To Do unmapped cannot send this issue's status: the engine's reason, as a failure.
    const unmapped = {
      ...draft,
      settings: {
        ...draft.settings,
        fields: draft.settings.fields.map((f: any) =>
          f.jira === 'status' ? { ...f, valueMap: f.valueMap.filter((e: any) => e.jira !== 'To Do') } : f,
        ),
      },
    };
    const r2 = await call('project-lead', 'previewItem', { ...unmapped, item: { issueKey: key } });
    expect(r2.data.outcome).toEqual({ kind: 'fail', reasons: ['status: Jira value "To Do" has no mapping'] });
    // A filter it does not match: nothing would happen, and the preview says why.
    const filtered = await call('project-lead', 'previewItem', {
      ...draft,
      settings: { ...draft.settings, jql: 'labels = nothing-has-this' },
      item: { issueKey: key },
    });
    expect(filtered.data).toMatchObject({ kind: 'skipped', reason: "does not match the draft's filter (JQL)" });
    await sandbox.settle();
  });

  it('previews a remote item: the Jira issue its conditions would create, or its linked pair, or why nothing happens', async () => {
    const draft = await demoDraft();
    const sn = serviceNowClient(sandbox.sims.servicenow, sandbox.sims.servicenow.credentials.agent);
    const made = await sn('POST', '/api/now/table/incident', {
      short_description: 'Switch in rack 7 is down',
      category: 'network',
      urgency: '1',
    });
    const number = made.json.result.number as string;
    // The demo creates no Jira issues from incidents: the preview says so.
    const none = await call('project-lead', 'previewItem', { ...draft, item: { remoteKey: number } });
    expect(none.data).toMatchObject({
      kind: 'skipped',
      reason: 'the draft creates no Jira issues from remote items (it has no conditions)',
    });
    // A draft that takes network incidents would create a Task with the mapped fields, then set its status by transitions.
    const taking = {
      ...draft,
      settings: { ...draft.settings, remoteFilter: [{ field: 'category', op: '=', value: 'network' }] },
    };
    const r = await call('project-lead', 'previewItem', { ...taking, item: { remoteKey: number } });
    expect(r.data.kind).toBe('create-jira');
    const rows = Object.fromEntries(r.data.rows.map((row: any) => [row.jiraField, row]));
    expect(rows.summary).toMatchObject({
      action: 'write-jira',
      written: 'Switch in rack 7 is down',
      note: 'set when the Jira issue is created',
    });
    expect(rows.priority).toMatchObject({ action: 'write-jira', written: 'High' });
    expect(rows.status).toMatchObject({
      action: 'write-jira',
      written: 'To Do',
      note: expect.stringContaining('moved there by transitions once the issue exists'),
    });
    expect(r.data.notices[0]).toContain('A Task would be created');
    // One that does not match the draft's conditions.
    const other = await call('project-lead', 'previewItem', {
      ...draft,
      settings: { ...draft.settings, remoteFilter: [{ field: 'category', op: '=', value: 'hardware' }] },
      item: { remoteKey: number },
    });
    expect(other.data.reason).toContain("does not match the draft's conditions");
    // The draft's conditions with a list of values and an OR group, read as the sync reads them.
    const listed = (remoteFilter: unknown[]) =>
      call('project-lead', 'previewItem', {
        ...draft,
        settings: { ...draft.settings, remoteFilter },
        item: { remoteKey: number },
      });
    const orGroup = {
      anyOf: [
        { field: 'category', op: '=', value: 'hardware' },
        { field: 'short_description', op: 'contains', value: 'rack 7' },
      ],
    };
    expect((await listed([{ field: 'category', op: 'IN', values: ['hardware', 'network'] }, orGroup])).data.kind).toBe(
      'create-jira',
    );
    expect((await listed([{ field: 'category', op: 'NOT IN', values: ['network'] }, orGroup])).data.reason).toContain(
      "does not match the draft's conditions",
    );
    // The linked pair of an incident Crosswalk made for an issue.
    const pair = await call('project-lead', 'previewItem', { ...draft, item: { issueKey: linkedKey } });
    const byRemote = await call('project-lead', 'previewItem', { ...draft, item: { remoteKey: pair.data.remote.key } });
    expect(byRemote.data).toMatchObject({ kind: 'update', issue: { key: linkedKey } });
    expect(
      (await call('project-lead', 'previewItem', { ...draft, item: { remoteKey: 'INC9999999' } })).error,
    ).toMatchObject({ code: 'NOT_FOUND', problems: [{ path: 'item.remoteKey' }] });
    // Another project's connection answers like a missing one.
    expect(
      (await call('project-lead', 'previewSummary', { ...draft, connectionId: 'ops-azure-devops' })).error?.code,
    ).toBe('NOT_FOUND');
  });

  it('sums the whole draft up: would create N, update M, fail K with reasons, over at most 20 examined issues', async () => {
    const draft = await demoDraft();
    const unmapped = {
      ...draft,
      settings: {
        ...draft.settings,
        fields: draft.settings.fields.map((f: any) =>
          f.jira === 'priority' ? { ...f, valueMap: [{ jira: 'Highest', remote: '1' }] } : f,
        ),
      },
    };
    const r = await call('project-lead', 'previewSummary', unmapped);
    expect(r.ok).toBe(true);
    const { counts, examined, total, note, reasons } = r.data;
    expect(counts.create + counts.update + counts.unchanged + counts.fail + counts.skipped).toBe(examined);
    expect(examined).toBeLessThanOrEqual(20);
    expect(total).toBeGreaterThan(0);
    expect(note).toMatch(/Examined (all|the first)/);
    expect(counts.fail).toBeGreaterThan(0);
    expect(reasons[0].reason).toMatch(/^priority: Jira value ".+" has no mapping$/);
    expect(note).toContain('No remote item creates a Jira issue under these settings');

    // With conditions for remote items, the unlinked incidents they take count as creates too.
    const sn = serviceNowClient(sandbox.sims.servicenow, sandbox.sims.servicenow.credentials.agent);
    const number = (
      await sn('POST', '/api/now/table/incident', {
        short_description: 'Core router reboots at night',
        category: 'network',
      })
    ).json.result.number as string;
    const withRemote = await call('project-lead', 'previewSummary', {
      ...draft,
      settings: { ...draft.settings, remoteFilter: [{ field: 'category', op: '=', value: 'network' }] },
    });
    expect(withRemote.data.items).toEqual(expect.arrayContaining([{ key: number, kind: 'create' }]));
    expect(withRemote.data.remoteExamined).toBeGreaterThan(0);
    expect(withRemote.data.note).toMatch(/Remote items: \d+ not yet linked/);
  });

  it('never sends a stored secret to another instance: a draft aimed elsewhere must carry its own', async () => {
    const draft = await demoDraft();
    const elsewhere = {
      ...draft,
      settings: { ...draft.settings, remote: { ...draft.settings.remote, baseUrl: 'https://other.service-now.com' } },
    };
    const r = await call('project-lead', 'previewSummary', elsewhere);
    expect(r.error).toMatchObject({
      code: 'BAD_REQUEST',
      problems: [{ path: 'credential.password', message: expect.stringContaining('type the secret again') }],
    });
    expect(JSON.stringify(r)).not.toContain(sandbox.sims.servicenow.credentials.integration.password);
  });
});

describe('status mapping: the transition path for each mapped status', () => {
  it('refuses a member and checks its input', async () => {
    expect((await call('member', 'statusPaths', { statuses: ['Done'] })).error?.code).toBe('FORBIDDEN');
    expect((await call('project-lead', 'statusPaths', { statuses: [] })).error?.problems?.[0]?.path).toBe('statuses');
  });

  it('answers the path from every status of the workflow, and says which status cannot be reached from where', async () => {
    const r = await call('project-lead', 'statusPaths', { statuses: ['Done', 'Waiting for customer', 'Blocked'] });
    // DEMO's standard issue types share one workflow, shown once; its Epics follow a workflow of their own.
    expect(r.data.workflows).toHaveLength(2);
    const [wf, epics] = r.data.workflows;
    expect(wf.issueTypes).toEqual(expect.arrayContaining(['Task', 'Bug', 'Incident', 'Story']));
    expect(epics.issueTypes).toEqual(['Epic']);
    const done = wf.statuses.find((s: any) => s.status === 'Done');
    expect(done.from.find((f: any) => f.from === 'To Do').path).toEqual([
      'Start progress',
      'Request review',
      'Approve',
    ]);
    expect(done.unreachableFrom).toEqual([]);
    expect(wf.statuses.find((s: any) => s.status === 'Blocked')).toMatchObject({ inWorkflow: false });

    // An admin removes "Reopen": To Do can no longer be reached from Done, and the answer says so.
    const transitions = [
      { id: '11', name: 'Start progress', from: ['10000', '10004'], to: '10001' },
      { id: '21', name: 'Request review', from: ['10001'], to: '10002' },
      { id: '31', name: 'Approve', from: ['10002'], to: '10003' },
      { id: '51', name: 'Wait for customer', from: ['10001', '10002'], to: '10004' },
      { id: '61', name: 'Back to backlog', from: ['10001', '10002', '10004'], to: '10000' },
    ];
    await fetch(`${sandbox.sims.jira.controlUrl}/workflows/wf-1/transitions`, {
      method: 'PUT',
      body: JSON.stringify(transitions),
    });
    try {
      const after = await call('project-lead', 'statusPaths', { statuses: ['To Do'] });
      const toDo = after.data.workflows[0].statuses[0];
      expect(toDo.unreachableFrom).toEqual(['Done']);
      expect(toDo.from.find((f: any) => f.from === 'Done').reason).toBe(
        'No workflow transition path from "Done" to "To Do"',
      );
    } finally {
      await fetch(`${sandbox.sims.jira.controlUrl}/workflows/wf-1/transitions`, {
        method: 'PUT',
        body: JSON.stringify([...transitions, { id: '41', name: 'Reopen', from: ['10003'], to: '10000' }]),
      });
    }
  });
});

describe('user mapping: who the draft would match, and who not', () => {
  it('matches people by email as the engine does, lists the unmatched with why, and takes manual pairs first', async () => {
    expect((await call('member', 'userMatches', { settings: {} })).error?.code).toBe('FORBIDDEN');
    await sandbox.jiraClient().request({ as: 'project-lead' }, 'POST', '/rest/api/3/issue', {
      fields: { project: { key: 'DEMO' }, issuetype: { name: 'Task' }, summary: 'Reported by the lead' },
    });
    const draft = await demoDraft();
    const r = await call('project-lead', 'userMatches', draft);
    expect(r.ok).toBe(true);
    // No field of the demo mapping carries people: assignee and reporter are checked, and the answer says so.
    expect(r.data).toMatchObject({ mappedFields: false, fields: ['assignee', 'reporter'] });
    const byName = Object.fromEntries(r.data.people.map((p: any) => [p.displayName, p]));
    // Mia's email is Abel Tuter's in ServiceNow.
    expect(byName['Mia Member']).toMatchObject({
      match: 'email',
      remoteUserId: expect.any(String),
      fields: expect.arrayContaining(['reporter']),
    });
    expect(byName['Lee Lead']).toMatchObject({
      match: 'none',
      reason: "no active ServiceNow user has this person's email",
    });
    expect(r.data.unmatched).toBeGreaterThan(0);
    expect(JSON.stringify(r.data)).not.toContain('@demo.example');

    // A manual pair for Lee, and matching by email off: Lee by the pair, Mia unmatched with the reason.
    const paired = await call('project-lead', 'userMatches', {
      ...draft,
      settings: {
        ...draft.settings,
        users: {
          matchByEmail: false,
          table: [{ jiraAccountId: byName['Lee Lead'].accountId, remoteUserId: 'beth.agent' }],
        },
      },
    });
    const after = Object.fromEntries(paired.data.people.map((p: any) => [p.displayName, p]));
    expect(after['Lee Lead']).toMatchObject({ match: 'pair', remoteUserId: 'beth.agent' });
    expect(after['Mia Member']).toMatchObject({
      match: 'none',
      reason: 'matching by email is off, and there is no pair for this person',
    });
  });
});

describe('bulk sync: cancel, and the failures listed', () => {
  it('cancels a running bulk sync: nothing more is queued, and the answer says how many were not synced', async () => {
    expect((await call('member', 'cancelBulkSync', { connectionId: 'demo-servicenow' })).error?.code).toBe('FORBIDDEN');
    expect((await call('project-lead', 'cancelBulkSync', { connectionId: 'ops-azure-devops' })).error?.code).toBe(
      'NOT_FOUND',
    );
    const started = await call('project-lead', 'bulkSync', { connectionId: 'demo-servicenow' });
    expect(started.data.total).toBeGreaterThan(0);
    const cancelled = await call('project-lead', 'cancelBulkSync', { connectionId: 'demo-servicenow' });
    expect(cancelled.data).toMatchObject({ total: started.data.total, cancelledAt: expect.any(String) });
    await sandbox.settle();
    const after = await call('project-lead', 'bulkSyncProgress', { connectionId: 'demo-servicenow' });
    const { total, success, failed, cancelled: notSynced, inProgress } = after.data;
    expect(inProgress).toBe(0);
    expect(notSynced).toBeGreaterThan(0);
    expect(success + failed + notSynced).toBe(total);
  });

  it("lists the items that failed since the run started, with the remote's reason", async () => {
    const made = await sandbox.jiraClient().request({ as: 'member' }, 'POST', '/rest/api/3/issue', {
      fields: { project: { key: 'DEMO' }, issuetype: { name: 'Task' }, summary: 'Refused by ServiceNow' },
    });
    const key = (made.json as { key: string }).key;
    await fetch(`${sandbox.sims.servicenow.controlUrl}/faults`, {
      method: 'POST',
      body: JSON.stringify({
        method: 'POST',
        path: '/api/now/table/incident',
        status: 400,
        body: { error: { message: 'Invalid value for field: category', detail: 'category' }, status: 'failure' },
        times: 20,
      }),
    });
    const started = await call('project-lead', 'bulkSync', { connectionId: 'demo-servicenow' });
    expect(started.ok).toBe(true);
    await sandbox.settle({ maxAdvanceMs: 60_000 });
    const progress = await call('project-lead', 'bulkSyncProgress', { connectionId: 'demo-servicenow' });
    expect(progress.data.cancelledAt).toBeNull();
    expect(progress.data.failures).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          issueKey: key,
          message: expect.stringContaining('Invalid value for field: category'),
        }),
      ]),
    );
    // A finished run cannot be cancelled.
    expect((await call('project-lead', 'cancelBulkSync', { connectionId: 'demo-servicenow' })).error?.message).toBe(
      'The bulk sync has already finished',
    );
    await fetch(`${sandbox.sims.servicenow.controlUrl}/faults`, { method: 'DELETE' });
  });
});
