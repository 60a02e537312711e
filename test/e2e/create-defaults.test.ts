/**
 * Defaults on create, for every system the registry implements: the project admin chooses, from the remote's own
 * values as the mapping editor lists them (the remoteFields resolver), a value a new remote item starts with where
 * no mapped field gives one (a ServiceNow assignment group, a Zendesk group, …). A value the field does not list is
 * refused when the connection is saved, at the default. The default is a value on create only: the pair does not
 * sync it afterwards, and an agent's change there stays.
 */
import { implementedSystems } from '../../src/connectors/registry';
import { startEverySystem, type EverySystem, type PairedSystem } from '../support/every-system';

let world: EverySystem;

beforeAll(async () => {
  world = await startEverySystem();
}, 180_000);
afterAll(() => world?.sandbox.stop());

const pairedFor = (kind: string): PairedSystem => world.paired.find((p) => p.system.kind === kind)!;

interface Listed {
  id: string;
  name: string;
  kind: string;
  readOnly?: boolean;
  values?: Array<{ value: string; label: string }>;
}

/**
 * A field of listed values no mapped field writes: the one the model adapter names (`createDefaultField`), else a
 * group where the remote has one (whom new work goes to), else another.
 */
async function defaultableField(p: PairedSystem, id: string, config: Record<string, any>): Promise<Listed> {
  const listed = (await world.settings(p, 'remoteFields', { connectionId: id })).data.fields as Listed[];
  const mapped = new Set<string>([
    ...config.fields.map((f: { remote: string }) => f.remote),
    ...config.requiredOnEnter.flatMap((r: { field: string; set: Record<string, string> }) => [
      r.field,
      ...Object.keys(r.set),
    ]),
  ]);
  const candidates = listed.filter((f) => !f.readOnly && !mapped.has(f.id) && (f.values?.length ?? 0) >= 2);
  const named = p.remote.createDefaultField;
  const field = named
    ? candidates.find((f) => f.id === named)
    : (candidates.find((f) => /group|area/i.test(f.name)) ?? candidates[0]);
  expect(field).toBeDefined();
  return field!;
}

describe.each(implementedSystems().map((s) => [s.label, s.kind] as const))('%s', (_label, kind) => {
  it('starts a new item with the value chosen from its own, where no mapped field gives one', async () => {
    const p = pairedFor(kind);
    const { id, config } = await world.connectionOf(p);
    const field = await defaultableField(p, id, config);

    // What a new item holds without a default, so the one chosen is another.
    const before = await world.pairedIssue(p, `Without a default on ${p.system.label}`);
    const usual = p.remote.field(before.remoteId, field!.id);
    const chosen = field!.values!.find((v) => v.value !== usual)!;

    const refused = await world.settings(p, 'saveConnection', {
      connectionId: id,
      settings: { ...config, createDefaults: [{ field: field!.id, value: 'no-such-value' }] },
    });
    expect(refused.ok).toBe(false);
    expect(refused.error?.problems).toEqual([
      { path: 'createDefaults.0.value', message: expect.stringMatching(new RegExp(`has no value no-such-value`)) },
    ]);
    const saved = await world.settings(p, 'saveConnection', {
      connectionId: id,
      settings: { ...config, createDefaults: [{ field: field!.id, value: chosen.value }] },
    });
    expect(saved).toMatchObject({ ok: true });

    const issue = await world.pairedIssue(p, `With a default on ${p.system.label}`);
    expect(p.remote.field(issue.remoteId, field!.id)).toBe(chosen.value);
    // Nothing else changed: the item before keeps what it had.
    expect(p.remote.field(before.remoteId, field!.id)).toBe(usual);

    expect(await world.settings(p, 'saveConnection', { connectionId: id, settings: config })).toMatchObject({
      ok: true,
    });
  });

  it("gives a type's own default before the connection's, and its type", async () => {
    const p = pairedFor(kind);
    const { id, config } = await world.connectionOf(p);
    const field = await defaultableField(p, id, config);
    const [shared, own] = field.values!;
    // The remote's type for a Task, where it has one; else (Freshservice: an incident and a service request) its first.
    const { types } = p.remote.typeMap;
    const task = { jira: 'Task', remote: (types.find((t) => t.jira === 'Task') ?? types[0]!).remote };
    const typeField = p.system.itemTypes!.field;
    const saved = await world.settings(p, 'saveConnection', {
      connectionId: id,
      settings: {
        ...config,
        createDefaults: [{ field: field.id, value: shared!.value }],
        types: [
          { jira: 'Task', remote: task.remote, fields: [], createDefaults: [{ field: field.id, value: own!.value }] },
        ],
      },
    });
    expect(saved.error?.problems ?? []).toEqual([]);

    const issue = await world.pairedIssue(p, `A task with its own default on ${p.system.label}`);
    expect(p.remote.field(issue.remoteId, field.id)).toBe(own!.value);
    expect(p.remote.field(issue.remoteId, typeField)).toBe(task.remote);

    expect(await world.settings(p, 'saveConnection', { connectionId: id, settings: config })).toMatchObject({
      ok: true,
    });
  });
});
