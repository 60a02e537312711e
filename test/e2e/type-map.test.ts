/**
 * Several work item types in one connection, for every system the registry implements: the project admin maps
 * Jira's Bug, Story and Task to three of the remote's types (each system's adapter names them: Azure DevOps work item
 * types, Zendesk ticket types, ServiceNow categories), each with a status map of its own, and Bugs with a field only
 * they carry. From then on each issue crosses as its type, both ways, with its type's statuses; a remote item of a type
 * the map does not name is left alone and counted on the settings page, never guessed into a type.
 */
import { implementedSystems } from '../../src/connectors/registry';
import { startEverySystem, type EverySystem, type PairedSystem } from '../support/every-system';

let world: EverySystem;

beforeAll(async () => {
  world = await startEverySystem();
  // Each project's admin has added these issue types to its scheme.
  await world.addIssueTypes(['Bug', 'Story', 'Task']);
}, 180_000);
afterAll(() => world?.sandbox.stop());

const pairedFor = (kind: string): PairedSystem => world.paired.find((p) => p.system.kind === kind)!;

const DUE = '2027-03-15';

/** The issue as Jira holds it now: its type, status, summary and due date. */
async function jiraIssue(p: PairedSystem, key: string) {
  const got = await world.jira.request(
    p.person,
    'GET',
    `/rest/api/3/issue/${key}?fields=issuetype,status,summary,duedate`,
  );
  return got.json as {
    fields: { issuetype: { name: string }; status: { name: string }; summary: string; duedate: string | null };
  };
}

/** Moves an issue along the demo workflow as a person in Jira would, to one of its statuses. */
async function moveTo(p: PairedSystem, key: string, status: string) {
  for (let hop = 0; hop < 4; hop++) {
    const { fields } = await jiraIssue(p, key);
    if (fields.status.name === status) return;
    const listed = await world.jira.request(p.person, 'GET', `/rest/api/3/issue/${key}/transitions`);
    const transitions = listed.json.transitions as Array<{ id: string; to: { name: string } }>;
    const next = transitions.find((t) => t.to.name === status) ?? transitions.find((t) => t.to.name === 'In Review');
    if (!next) throw new Error(`${key} cannot move toward ${status}`);
    const moved = await world.jira.request(p.person, 'POST', `/rest/api/3/issue/${key}/transitions`, {
      transition: { id: next.id },
    });
    if (moved.status !== 204) throw new Error(`${key} did not move: ${moved.text}`);
  }
}

/** The Jira issue made from a remote item, found by its summary. */
const issueNamed = (summary: string) => world.sandbox.jira.site.state.issues.find((i) => i.summary === summary);

/** Whether a Jira status's remote value is its alone in the map (so it reads back as that status). */
const isOwnState = (map: Readonly<Record<string, string>>, jira: string) =>
  Object.entries(map).filter(([, remote]) => remote === map[jira]).length === 1;

/**
 * A type's status map as the page saves it: where several Jira statuses share a remote value, the first is the one it
 * reads back as (an admin's choice the page asks for).
 */
const statusMapOf = (map: Readonly<Record<string, string>>) =>
  Object.entries(map).map(([jira, remote], i, all) => ({
    jira,
    remote,
    ...(all.filter(([, r]) => r === remote).length > 1 && all.findIndex(([, r]) => r === remote) === i
      ? { reverse: true }
      : {}),
  }));

/** An item of a type the map leaves out stays on the remote, and the settings page counts it once. */
async function leftAlone(p: PairedSystem, typeField: string, statusField: string, moved: string): Promise<void> {
  world.sandbox.platform.manualClock.advance(60_000);
  const other = await p.remote.create(`Other type on ${p.system.label}`, { [typeField]: p.remote.typeMap.unmapped });
  await world.quiet();
  // Delivered twice, it still counts once.
  world.sandbox.platform.manualClock.advance(60_000);
  await p.remote.setFields(other, { [statusField]: moved });
  await world.quiet();
  expect(issueNamed(`Other type on ${p.system.label}`)).toBeUndefined();
  const listed = await world.settings(p, 'listConnections', {});
  expect(listed.data.connections[0].usage.otherTypes).toEqual([
    expect.objectContaining({ side: 'remote', type: p.remote.typeMap.unmapped, count: 1 }),
  ]);
}

describe.each(implementedSystems().map((s) => [s.label, s.kind] as const))('%s', (_label, kind) => {
  it('carries Bug, Story and Task in one connection, each with its own fields and statuses, both ways', async () => {
    const p = pairedFor(kind);
    const { id, config } = await world.connectionOf(p);
    const described = await world.settings(p, 'remoteFields', { connectionId: id });
    expect(described.ok).toBe(true);
    const typeField = described.data.itemTypes.field as string;
    const status = config.fields.find((f: { jira: string }) => f.jira === 'status');
    // A type's own field beyond its statuses: the due date, where the system has one to pair (GitHub has none).
    const due = config.fields.find((f: { jira: string }) => f.jira === 'duedate');
    expect(status).toBeTruthy();
    expect(Boolean(due)).toBe(p.remote.typed.includes('due'));
    const types = p.remote.typeMap.types.map((t) => ({
      jira: t.jira,
      remote: t.remote,
      fields: [
        { ...status, valueMap: statusMapOf(t.status) },
        // Only Bugs carry their due date.
        ...(t.jira === 'Bug' && due ? [due] : []),
      ],
      createDefaults: [],
    }));
    const saved = await world.settings(p, 'saveConnection', {
      connectionId: id,
      settings: {
        ...config,
        fields: config.fields.filter((f: { jira: string }) => f.jira !== 'status' && f.jira !== 'duedate'),
        types,
        remoteFilter: [
          {
            field: typeField,
            op: 'IN',
            values: [...types.map((t) => t.remote), p.remote.typeMap.unmapped].filter(Boolean),
          },
        ],
      },
    });
    expect(saved.error?.problems ?? []).toEqual([]);
    expect(saved.data.config.types.map((t: { jira: string; remote: string }) => [t.jira, t.remote])).toEqual(
      types.map((t) => [t.jira, t.remote]),
    );

    // Jira → remote: each issue becomes an item of its own type, with its own fields.
    const made = [];
    for (const t of p.remote.typeMap.types) {
      const issue = await world.pairedIssue(p, `${t.jira} on ${p.system.label}`, {
        issuetype: { name: t.jira },
        duedate: DUE,
      });
      expect(p.remote.field(issue.remoteId, typeField)).toBe(t.remote);
      if (due) expect(p.remote.read(issue.remoteId).due ?? '').toBe(t.jira === 'Bug' ? DUE : '');
      made.push({ ...issue, type: t });
    }

    // Each type's status map: the same Jira move becomes each type's own remote state.
    for (const m of made) {
      world.sandbox.platform.manualClock.advance(60_000);
      await moveTo(p, m.key, 'In Progress');
    }
    await world.quiet();
    for (const m of made)
      expect([m.type.jira, p.remote.field(m.remoteId, status.remote)]).toEqual([
        m.type.jira,
        m.type.status['In Progress'],
      ]);

    for (const m of made) {
      world.sandbox.platform.manualClock.advance(60_000);
      await moveTo(p, m.key, 'Done');
    }
    await world.quiet();
    for (const m of made)
      expect([m.type.jira, p.remote.field(m.remoteId, status.remote)]).toEqual([m.type.jira, m.type.status.Done]);

    // Remote → Jira: an item made there of a mapped type becomes an issue of its Jira type, and its type's states move it.
    const story = p.remote.typeMap.types.find((t) => t.jira === 'Story')!;
    world.sandbox.platform.manualClock.advance(60_000);
    const remoteStory = await p.remote.create(`Story from ${p.system.label}`, { [typeField]: story.remote });
    await world.quiet();
    const fromRemote = issueNamed(`Story from ${p.system.label}`);
    expect(fromRemote).toBeDefined();
    expect((await jiraIssue(p, fromRemote!.key)).fields.issuetype.name).toBe('Story');
    world.sandbox.platform.manualClock.advance(60_000);
    // A state of its own that reads back as one Jira status (GitHub's open is To Do, In Progress and more: it is closed there).
    const moved = (['In Progress', 'Done'] as const).find((s) => isOwnState(story.status, s))!;
    await p.remote.setFields(remoteStory, { [status.remote]: story.status[moved]! });
    await world.quiet();
    expect((await jiraIssue(p, fromRemote!.key)).fields.status.name).toBe(moved);

    // An item of a type the map leaves out is left alone, and the settings page counts it (where the remote has a
    // type more than Jira's three: Freshservice has two, both mapped).
    if (p.remote.typeMap.unmapped) await leftAlone(p, typeField, status.remote, story.status[moved]!);

    // Put back as it was, for the other tests of this world.
    const restored = await world.settings(p, 'saveConnection', { connectionId: id, settings: config });
    expect(restored).toMatchObject({ ok: true });
  });

  it('refuses a type map that pairs a remote type twice or names a type Jira does not have', async () => {
    const p = pairedFor(kind);
    const { id, config } = await world.connectionOf(p);
    const [bug, story] = p.remote.typeMap.types;
    const saved = await world.settings(p, 'saveConnection', {
      connectionId: id,
      settings: {
        ...config,
        types: [
          { jira: 'Bug', remote: bug!.remote },
          { jira: 'Story', remote: bug!.remote },
          { jira: 'Feature request', remote: story!.remote },
        ],
      },
    });
    expect(saved.ok).toBe(false);
    expect(saved.error?.problems).toEqual([
      {
        path: 'types.1.remote',
        message: `${bug!.remote} is paired with Bug already: an item of it could not tell which Jira type it becomes`,
      },
    ]);
    const unknown = await world.settings(p, 'saveConnection', {
      connectionId: id,
      settings: { ...config, types: [{ jira: 'Feature request', remote: story!.remote }] },
    });
    expect(unknown.ok).toBe(false);
    expect(unknown.error?.problems).toEqual([
      expect.objectContaining({
        path: 'types.0.jira',
        message: expect.stringMatching(/^The project has no issue type Feature request/),
      }),
    ]);
  });
});
