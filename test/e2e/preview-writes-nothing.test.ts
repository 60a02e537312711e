/**
 * "Nothing is written or saved" by the preview (README, "Preview before
 * saving"), for every registered system with its connection as the demo
 * seeds it: a linked issue with a Jira edit and a comment not yet synced, an
 * issue never synced, the linked item by its key, and the whole draft
 * (previewSummary). Each answers what it would write, and the preview reads
 * both sides (their request logs grow) but writes to neither: no write
 * request reaches Jira or the remote, its invocations make no storage write
 * (KVS operations as the platform meters them) and push no event, nothing
 * else runs, and the saved connection is as it was.
 */
import { startSandbox, type Sandbox } from '../../sandbox/sandbox';
import { implementedSystems, type SystemDefinition } from '../../src/connectors/registry';

let sandbox: Sandbox;

/** Jira calls that only read, though they are POSTs (search, JQL matching and parsing, workflows). */
const JIRA_READS = /\/rest\/api\/3\/(search\/jql|jql\/match|jql\/parse|workflows)$/;

/** Where each system's simulator logs the requests it answered, and which of its POSTs only read. */
interface Seeded {
  connectionId: string;
  project: { id: string; key: string };
  admin: string;
  member: { accountId: string; email: string; apiToken: string };
  linked: { key: string; id: string };
  unsynced: string;
}
const seeded = new Map<string, Seeded>();

type Logged = { method: string; path: string };
const requests = async (controlUrl: string): Promise<Logged[]> =>
  (await (await fetch(`${controlUrl}/requests`)).json()) as Logged[];

async function jira(user: Seeded['member'], method: string, path: string, body?: unknown) {
  const res = await fetch(`${sandbox.sims.jira.baseUrl}${path}`, {
    method,
    headers: {
      authorization: `Basic ${Buffer.from(`${user.email}:${user.apiToken}`).toString('base64')}`,
      'content-type': 'application/json',
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, json: (text ? JSON.parse(text) : undefined) as Record<string, unknown> };
}

async function resolver(
  moduleKey: string,
  functionKey: string,
  accountId: string,
  extension: Record<string, unknown>,
  payload: unknown,
) {
  const r = await sandbox.platform.invokeResolver({
    installationId: sandbox.installationId,
    moduleKey,
    functionKey,
    accountId,
    context: { extension },
    payload,
  });
  if (!r.ok) throw new Error(`${functionKey} failed: ${r.error}`);
  return r.body as { ok: boolean; data?: any; error?: unknown };
}

beforeAll(async () => {
  sandbox = await startSandbox({ clock: 'manual' });
  const admin = sandbox.users.find((u) => u.role === 'admin')!;
  const overview = await resolver('crosswalk-admin', 'adminOverview', admin.accountId, { type: 'jira:adminPage' }, {});
  const connections = overview.data.connections as Array<{
    id: string;
    system: string;
    project: { id: string; key: string };
  }>;
  const doc = (text: string) => ({
    type: 'doc',
    version: 1,
    content: [{ type: 'paragraph', content: [{ type: 'text', text }] }],
  });
  for (const system of implementedSystems()) {
    const c = connections.find((x) => x.system === system.label);
    if (!c) continue; // Said by the test of that system.
    const project = sandbox.jira.site.project(c.project.key)!;
    const member = sandbox.users.find((u) => u.accountId === project.roles.Members[0])!;
    const issueType = sandbox.jira.site.state.issueTypes.find((t) => t.id === project.issueTypeIds[0])!.name;
    const made = await jira(member, 'POST', '/rest/api/3/issue', {
      fields: {
        project: { key: c.project.key },
        issuetype: { name: issueType },
        summary: `Preview of ${system.label}`,
      },
    });
    seeded.set(system.kind, {
      connectionId: c.id,
      project: c.project,
      admin: admin.accountId,
      member,
      linked: { key: String(made.json.key), id: String(made.json.id) },
      unsynced: '',
    });
  }
  await sandbox.settle();
  // Changes Crosswalk has not heard of yet (their events held back): an edit and a comment to copy, an issue to create.
  sandbox.platform.holdProductEvents();
  for (const [kind, s] of seeded) {
    await jira(s.member, 'PUT', `/rest/api/3/issue/${s.linked.key}`, {
      fields: { summary: `Preview of ${systemFor(kind).label}, edited` },
    });
    await jira(s.member, 'POST', `/rest/api/3/issue/${s.linked.key}/comment`, { body: doc('Seen again this morning') });
    const project = sandbox.jira.site.project(s.project.key)!;
    const issueType = sandbox.jira.site.state.issueTypes.find((t) => t.id === project.issueTypeIds[0])!.name;
    const made = await jira(s.member, 'POST', '/rest/api/3/issue', {
      fields: { project: { key: s.project.key }, issuetype: { name: issueType }, summary: 'Never synced' },
    });
    s.unsynced = String(made.json.key);
  }
}, 120_000);

afterAll(async () => {
  sandbox?.platform.discardHeldProductEvents();
  await sandbox?.stop();
});

const systemFor = (kind: string): SystemDefinition => implementedSystems().find((s) => s.kind === kind)!;

describe('the preview writes nothing and saves nothing, for every registered system', () => {
  it.each(implementedSystems().map((s) => [s.label, s] as const))(
    '%s: one issue, one never synced, the linked item and the whole draft',
    async (_label, system) => {
      const s = seeded.get(system.kind);
      if (!s) throw new Error(`The demo seeds no connection for ${system.label}: add one to sandbox/demo`);
      const sim = sandbox.remotes[system.kind]!;
      const remote = { controlUrl: () => sim.controlUrl, reads: sim.readsByPost };
      const settingsContext = { type: 'jira:projectSettingsPage', project: s.project };
      const saved = async () =>
        (await resolver('crosswalk-settings', 'listConnections', s.admin, settingsContext, {})).data.connections.find(
          (c: { config: { id: string } }) => c.config.id === s.connectionId,
        ).config as Record<string, unknown>;
      const before = await saved();
      const { id: connectionId, jiraProjectId: _project, credentialRev: _rev, ...settings } = before;
      const sync = await resolver(
        'crosswalk-panel',
        'getIssueSync',
        s.member.accountId,
        { type: 'jira:issuePanel', issue: { id: s.linked.id, key: s.linked.key }, project: s.project },
        {},
      );
      const remoteKey = String(sync.data.remoteKey);

      const [jiraBefore, remoteBefore] = await Promise.all([
        requests(sandbox.sims.jira.controlUrl),
        requests(remote.controlUrl()),
      ]);
      const runsBefore = sandbox.platform.meter.invocations().length;
      const preview = (functionKey: string, payload: Record<string, unknown>) =>
        resolver('crosswalk-settings', functionKey, s.admin, settingsContext, { connectionId, settings, ...payload });

      const linked = await preview('previewItem', { item: { issueKey: s.linked.key } });
      expect(linked.data).toMatchObject({ kind: 'update' });
      // It would write: the edit and the comment are on their way to the remote.
      expect(linked.data.rows.filter((r: { action: string }) => r.action === 'write-remote')).not.toEqual([]);
      expect(linked.data.content.comments.toRemote).toEqual([expect.stringContaining('Seen again this morning')]);
      const unsynced = await preview('previewItem', { item: { issueKey: s.unsynced } });
      expect(unsynced.data).toMatchObject({ kind: 'create-remote' });
      const item = await preview('previewItem', { item: { remoteKey } });
      expect(item.ok).toBe(true);
      const summary = await preview('previewSummary', {});
      expect(summary.data.counts.create + summary.data.counts.update).toBeGreaterThan(0);

      const [jiraAfter, remoteAfter] = await Promise.all([
        requests(sandbox.sims.jira.controlUrl),
        requests(remote.controlUrl()),
      ]);
      // Both sides were read...
      expect([jiraAfter.length > jiraBefore.length, remoteAfter.length > remoteBefore.length]).toEqual([true, true]);
      // ...and neither was written.
      const jiraWrites = jiraAfter
        .slice(jiraBefore.length)
        .filter((q) => q.method !== 'GET' && !JIRA_READS.test(q.path));
      const remoteWrites = remoteAfter
        .slice(remoteBefore.length)
        .filter((q) => q.method !== 'GET' && !remote.reads?.test(q.path));
      expect({ jiraWrites, remoteWrites }).toEqual({ jiraWrites: [], remoteWrites: [] });
      // Nothing stored, nothing queued: the four previews were the only runs, with no KVS write and no event.
      const runs = sandbox.platform.meter.invocations().slice(runsBefore);
      expect(runs.map((r) => ({ fn: r.functionKey, kvsWrites: r.kvs.writes, events: r.eventsPushed }))).toEqual(
        Array.from({ length: 4 }, () => ({ fn: 'ui-resolver', kvsWrites: 0, events: 0 })),
      );
      expect(await saved()).toEqual(before);
    },
    60_000,
  );
});
