/**
 * The audit trail (issue 23) through the local platform and the real
 * resolvers: each audited action writes exactly one entry naming the person
 * who did it, a secret's value is in none, only the project's admins read
 * it, and entries expire after 90 days by the KVS TTL.
 */
import { startSandbox, type Sandbox } from '../../sandbox/sandbox';
import { serviceNowClient } from '../../sandbox/sims/servicenow/test-client';
import type { AuditRow } from '../../src/resolvers/audit';
import type { jiraClient } from '../../sandbox/sims/jira/test-client';

let sandbox: Sandbox;
let jira: ReturnType<typeof jiraClient>;

beforeAll(async () => {
  // No scheduled sweep: the expiry case moves the clock by months, which would run tens of thousands of sweeps.
  sandbox = await startSandbox({ clock: 'manual', scheduleTriggers: false, pair: ['servicenow'] });
  jira = sandbox.jiraClient();
  await sandbox.settle();
}, 120_000);
afterAll(() => sandbox?.stop());

const CONNECTION = 'demo-servicenow';
const DEMO = { id: '10000', key: 'DEMO' };
const DAY = 86_400_000;
/** Between actions: time inside an invocation runs on from the platform clock, so a slow one must not reach the next. */
const STEP = 60_000;
type Answer = { ok: boolean; data?: any; error?: { code: string } };
type Entry = AuditRow;

const invoke = async (role: string, moduleKey: string, functionKey: string, payload: unknown, context: unknown) => {
  const r = await sandbox.platform.invokeResolver({
    installationId: sandbox.installationId,
    moduleKey,
    functionKey,
    payload,
    accountId: jira.userId(role),
    context: context as Record<string, unknown>,
  });
  if (!r.ok) throw new Error(`${functionKey}: ${r.error}`);
  return r.body as Answer;
};
const settingsAs = (role: string, functionKey: string, payload?: unknown) =>
  invoke(role, 'crosswalk-settings', functionKey, payload, {
    extension: { type: 'jira:projectSettingsPage', project: DEMO },
  });
const panelAs = (role: string, issue: { id: string; key: string }, functionKey: string, payload?: unknown) =>
  invoke(role, 'crosswalk-panel', functionKey, payload, {
    extension: { type: 'jira:issuePanel', issue: { id: issue.id, key: issue.key }, project: DEMO },
  });
const sn = (method: string, path: string, body?: unknown) =>
  serviceNowClient(sandbox.sims.servicenow, sandbox.sims.servicenow.credentials.agent)(method, path, body);

/** Every entry of the project (or one connection), newest first, read page by page. */
async function allEntries(payload: Record<string, unknown> = {}, limit = 100): Promise<Entry[]> {
  const entries: Entry[] = [];
  let cursor: string | null = null;
  do {
    const page = await settingsAs('project-lead', 'auditLog', { ...payload, limit, ...(cursor ? { cursor } : {}) });
    expect(page.ok).toBe(true);
    entries.push(...page.data.entries);
    cursor = page.data.cursor;
  } while (cursor);
  return entries;
}

let seen = 0;
/** The action wrote exactly one entry, the newest, by `role`. */
async function expectOneEntry(role: string, expected: Partial<Entry>): Promise<Entry> {
  const entries = await allEntries();
  expect(entries.length - seen).toBe(1);
  seen = entries.length;
  const [newest] = entries;
  expect(newest).toMatchObject({ ...expected, actor: jira.userId(role) });
  // The manual clock stands still otherwise: the next action is a minute later, longer than any invocation takes, so "newest first" is one order.
  await sandbox.platform.advanceTime(STEP);
  return newest!;
}

async function currentSettings(): Promise<Record<string, any>> {
  const listed = await settingsAs('project-lead', 'listConnections');
  const { id: _id, jiraProjectId: _p, credentialRev: _r, ...settings } = listed.data.connections[0].config;
  return settings;
}
const save = async (settings: Record<string, unknown>, credential?: Record<string, string>) => {
  const r = await settingsAs('project-lead', 'saveConnection', {
    connectionId: CONNECTION,
    settings,
    ...(credential ? { credential } : {}),
  });
  expect(r).toMatchObject({ ok: true });
};
const newIssue = async (summary: string) =>
  (
    await jira.request({ as: 'member' }, 'POST', '/rest/api/3/issue', {
      fields: { project: { key: 'DEMO' }, issuetype: { name: 'Task' }, summary },
    })
  ).json as { id: string; key: string };

describe('the audit trail', () => {
  const NEW_PASSWORD = 'Tr0ub4dor-audit-never-stored';

  it("records the demo pairing's create by the project lead", async () => {
    const entries = await allEntries();
    seen = entries.length;
    await sandbox.platform.advanceTime(STEP);
    expect(entries).toEqual([
      expect.objectContaining({
        action: 'connection-created',
        actor: jira.userId('project-lead'),
        connectionId: CONNECTION,
        changes: expect.objectContaining({ secrets: expect.arrayContaining(['password']) }),
      }),
    ]);
  });

  it('records each change to the connection once, naming what changed and never a value', async () => {
    const settings = await currentSettings();
    await save({ ...settings, jql: 'labels = audited' });
    await expectOneEntry('project-lead', {
      action: 'settings-changed',
      connectionId: CONNECTION,
      changes: { settings: ['jql'] },
    });

    await save({ ...settings, jql: 'labels = audited' }, { password: NEW_PASSWORD });
    await expectOneEntry('project-lead', { action: 'secret-replaced', changes: { secrets: ['password'] } });

    const fields = (settings.fields as Array<{ jira: string; remote: string }>).filter((f) => f.jira !== 'priority');
    await save({ ...settings, jql: 'labels = audited', fields });
    await expectOneEntry('project-lead', {
      action: 'mapping-changed',
      changes: { pairsRemoved: ['priority ↔ urgency'] },
    });

    const newSecret = await settingsAs('project-lead', 'newSigningSecret', { connectionId: CONNECTION });
    expect(newSecret.ok).toBe(true);
    await expectOneEntry('project-lead', { action: 'secret-replaced', changes: { secrets: ['webhookSecret'] } });

    const stored = JSON.stringify(await allEntries());
    expect(stored).not.toContain(NEW_PASSWORD);
    expect(stored).not.toContain(newSecret.data.secret);
    expect(stored).not.toContain('audited');

    // The integration user's real password again, so the sync below signs in.
    const { password } = sandbox.sims.servicenow.credentials.integration;
    await save({ ...settings, jql: 'labels = audited', fields }, { password });
    await expectOneEntry('project-lead', { action: 'secret-replaced', changes: { secrets: ['password'] } });
    expect(JSON.stringify(await allEntries())).not.toContain(password);
  });

  it('records pause, manual links, unlinks, creates in the remote, Sync now and bulk runs, by whoever did them', async () => {
    const settings = await currentSettings();
    await save({ ...settings, enabled: false });
    await expectOneEntry('project-lead', { action: 'connection-paused', changes: null });
    // Made while paused, so not created in ServiceNow: it is linked by hand below.
    const handLinked = await newIssue('Linked by hand');
    await sandbox.settle();
    await save({ ...settings, jql: '', enabled: true });
    await expectOneEntry('project-lead', { action: 'connection-resumed', changes: { settings: ['jql'] } });

    const incident = (
      await sn('POST', '/api/now/table/incident', { short_description: 'Printer on fire', category: 'software' })
    ).json as { result: { number: string } };
    const linked = await panelAs('member', handLinked, 'linkIssue', { remoteKey: incident.result.number });
    expect(linked).toMatchObject({ ok: true });
    await expectOneEntry('member', {
      action: 'issue-linked',
      connectionId: CONNECTION,
      issueKey: handLinked.key,
      remoteKey: incident.result.number,
    });
    await sandbox.settle();

    const issue = await newIssue('Synced both ways');
    await sandbox.settle();
    const incidentNumber = (await panelAs('member', issue, 'getIssueSync')).data.remoteKey as string;
    expect(await panelAs('member', issue, 'syncIssueNow')).toMatchObject({ ok: true });
    await expectOneEntry('member', {
      action: 'sync-now',
      connectionId: CONNECTION,
      issueKey: issue.key,
      remoteKey: incidentNumber,
    });
    await sandbox.settle();
    expect(await panelAs('member', issue, 'unlinkIssue')).toMatchObject({ ok: true, data: { unlinked: true } });
    await expectOneEntry('member', { action: 'issue-unlinked', issueKey: issue.key, remoteKey: incidentNumber });
    expect(await panelAs('member', issue, 'createInRemote', {})).toMatchObject({ ok: true });
    await expectOneEntry('member', { action: 'create-in-remote', connectionId: CONNECTION, issueKey: issue.key });
    await sandbox.settle();

    // Cancelled before the queue runs its first page (the clock stands still): both in the same instant, so either order.
    const bulk = await settingsAs('project-lead', 'bulkSync', { connectionId: CONNECTION });
    expect(bulk.ok).toBe(true);
    expect(await settingsAs('project-lead', 'cancelBulkSync', { connectionId: CONNECTION })).toMatchObject({
      ok: true,
    });
    const entries = await allEntries();
    expect(entries.length - seen).toBe(2);
    seen = entries.length;
    expect(entries.slice(0, 2)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          action: 'bulk-sync-started',
          actor: jira.userId('project-lead'),
          connectionId: CONNECTION,
          changes: { issues: bulk.data.total },
        }),
        expect.objectContaining({
          action: 'bulk-sync-cancelled',
          actor: jira.userId('project-lead'),
          connectionId: CONNECTION,
        }),
      ]),
    );
    await sandbox.settle();
    await sandbox.platform.advanceTime(STEP);
  });

  it('a refused action writes nothing, and only the project’s admins read the trail', async () => {
    const issue = await newIssue('Viewer only');
    await sandbox.settle();
    expect(await panelAs('viewer', issue, 'unlinkIssue')).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await settingsAs('member', 'bulkSync', { connectionId: CONNECTION })).toMatchObject({ ok: false });
    expect((await allEntries()).length).toBe(seen);

    for (const role of ['member', 'viewer'])
      expect(await settingsAs(role, 'auditLog', {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    // The lead administers DEMO, not OPS: asked with OPS as the context, the answer is a refusal, not OPS's entries.
    const asOps = await invoke(
      'project-lead',
      'crosswalk-settings',
      'auditLog',
      {},
      {
        extension: { type: 'jira:projectSettingsPage', project: { id: '10001', key: 'OPS' } },
      },
    );
    expect(asOps).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });

  it('pages newest first without gaps or repeats, and keeps a deleted connection’s entries', async () => {
    const whole = await allEntries();
    const paged = await allEntries({}, 3);
    expect(paged).toEqual(whole);
    const times = whole.map((e) => Date.parse(e.at));
    expect([...times].sort((a, b) => b - a)).toEqual(times);

    expect(await settingsAs('project-lead', 'deleteConnection', { connectionId: CONNECTION })).toMatchObject({
      ok: true,
    });
    await expectOneEntry('project-lead', { action: 'connection-deleted', connectionId: CONNECTION });
    await sandbox.settle();
    const ofConnection = await allEntries({ connectionId: CONNECTION });
    expect(ofConnection.length).toBe(whole.length + 1 - whole.filter((e) => e.connectionId !== CONNECTION).length);
    expect(ofConnection.every((e) => e.connectionId === CONNECTION)).toBe(true);
  });

  it('entries expire 90 days after they were written', async () => {
    const before = await allEntries();
    expect(before.length).toBeGreaterThan(10);
    await sandbox.platform.advanceTime(89 * DAY);
    expect(await allEntries()).toEqual(before);
    await sandbox.platform.advanceTime(2 * DAY);
    expect(await allEntries()).toEqual([]);
  });
});
