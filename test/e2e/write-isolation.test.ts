/**
 * A field the target refuses never blocks the others, for every system the registry implements. Here Jira refuses
 * a priority: its admin renamed "Low" after the connection's value map was saved, so Jira no longer has the
 * priority a remote "Low" maps to. The rest of the change is written, the refusal is shown on the issue panel in
 * Jira's words with the value refused, the same value is not written again until it has rested, when the sweep
 * tries it again (the cause may have cleared), and a new value crosses at once. An item made on the remote with
 * that priority still makes its issue, without it, and says so.
 */
import { implementedSystems } from '../../src/connectors/registry';
import { startEverySystem, type EverySystem, type PairedSystem } from '../support/every-system';

let world: EverySystem;

beforeAll(async () => {
  world = await startEverySystem();
}, 180_000);
afterAll(() => world?.sandbox.stop());

const pairedFor = (kind: string): PairedSystem => world.paired.find((p) => p.system.kind === kind)!;

/** Whether the remote has priorities, Low among them, as its model adapter declares (GitHub issues have none). */
const hasPriority = (p: PairedSystem): boolean => p.remote.priorities.includes('Low');

/** The Jira admin renames a priority (Priorities page): every issue keeps it, under its new name. */
function renamePriority(from: string, to: string): void {
  const priority = world.sandbox.jira.site.state.priorities.find((p) => p.name === from);
  if (!priority) throw new Error(`Jira has no priority ${from}`);
  priority.name = to;
}

const issueFields = async (key: string) =>
  (await world.jira.request({ as: 'admin' }, 'GET', `/rest/api/3/issue/${key}?fields=summary,priority`)).json
    .fields as { summary: string; priority: { name: string } | null };

/** Jira's answers that refused an issue write (a 400 to an edit or a create). */
const refusedWrites = () =>
  world.sandbox.jira.controls.log.filter(
    (r) => r.status === 400 && /^\/rest\/api\/3\/issue(\/\d+)?$/.test(r.path) && r.method !== 'GET',
  ).length;

describe.each(implementedSystems().map((s) => [s.label, s.kind] as const))('%s', (_label, kind) => {
  afterEach(() => {
    const renamed = world.sandbox.jira.site.state.priorities.find((p) => p.name === 'Minor');
    if (renamed) renamed.name = 'Low';
  });

  it('writes the rest of a change Jira refuses one field of, shows the refusal, and does not write it again', async () => {
    const p = pairedFor(kind);
    const issue = await world.pairedIssue(p, `Refused priority from ${p.system.label}`);
    const before = await issueFields(issue.key);
    renamePriority('Low', 'Minor');

    if (!hasPriority(p)) {
      // A remote without priorities (GitHub issues) sends none for Jira to refuse: its change crosses whole.
      world.sandbox.platform.manualClock.advance(1000);
      await p.remote.edit(issue.remoteId, { summary: `Retitled in ${p.system.label}` });
      await world.quiet();
      expect(await issueFields(issue.key)).toEqual({
        summary: `Retitled in ${p.system.label}`,
        priority: expect.objectContaining({ name: before.priority?.name }),
      });
      expect((await world.panel(issue.id, p.project.id)).problems).toEqual([]);
      return;
    }

    world.sandbox.platform.manualClock.advance(1000);
    await p.remote.edit(issue.remoteId, { summary: `Retitled in ${p.system.label}`, priority: 'Low' });
    await world.quiet();

    const after = await issueFields(issue.key);
    expect(after.summary).toBe(`Retitled in ${p.system.label}`);
    expect(after.priority?.name).toBe(before.priority?.name);
    const shown = await world.panel(issue.id, p.project.id);
    expect(shown.problems).toEqual([
      expect.objectContaining({
        part: 'priority',
        kind: 'refused',
        message: expect.stringMatching(
          /^Jira refused priority “Low” from .+: Specify a valid 'id' or 'name' for Priority\./,
        ),
      }),
    ]);
    expect(shown.lastError ?? null).toBeNull();
    // What Jira refused stays as the remote has it: Jira's own value is not copied over it.
    expect(p.remote.read(issue.remoteId).priority).toBe('Low');

    // Another change on the remote crosses; the refused value is not sent again while it and the mapping stay.
    const refusedSoFar = refusedWrites();
    world.sandbox.platform.manualClock.advance(1000);
    await p.remote.edit(issue.remoteId, { summary: `Retitled again in ${p.system.label}` });
    await world.quiet();
    expect((await issueFields(issue.key)).summary).toBe(`Retitled again in ${p.system.label}`);
    expect(refusedWrites()).toBe(refusedSoFar);
    expect((await world.panel(issue.id, p.project.id)).problems).toEqual([
      expect.objectContaining({ part: 'priority', kind: 'refused' }),
    ]);

    // The cause clears (the admin renames the priority back): once the refusal has rested, the sweep tries it again.
    renamePriority('Minor', 'Low');
    await world.sandbox.platform.advanceTime(16 * 60_000);
    await world.sandbox.platform.runScheduledTrigger(world.sandbox.installationId, 'reconcile-sweep');
    await world.quiet();
    expect((await issueFields(issue.key)).priority?.name).toBe('Low');
    expect((await world.panel(issue.id, p.project.id)).problems).toEqual([]);

    // A new value on the remote is one Jira takes: it crosses at once.
    world.sandbox.platform.manualClock.advance(1000);
    await p.remote.edit(issue.remoteId, { priority: 'High' });
    await world.quiet();
    expect((await issueFields(issue.key)).priority?.name).toBe('High');
    expect((await world.panel(issue.id, p.project.id)).problems).toEqual([]);
  });

  it('makes the issue of a remote item whose priority Jira refuses, without it, and says so', async () => {
    const p = pairedFor(kind);
    renamePriority('Low', 'Minor');
    world.sandbox.platform.manualClock.advance(1000);
    const remoteId = await p.remote.create(`Made in ${p.system.label} with a refused priority`);
    if (hasPriority(p)) await p.remote.edit(remoteId, { priority: 'Low' });
    await world.quiet();

    const found = await world.jira.request({ as: 'admin' }, 'POST', '/rest/api/3/search/jql', {
      jql: `project = ${p.project.key} AND summary ~ "refused priority"`,
      fields: ['summary', 'priority'],
    });
    const made = (found.json.issues as Array<{ id: string; key: string; fields: { summary: string } }>).filter(
      (i) => i.fields.summary === `Made in ${p.system.label} with a refused priority`,
    );
    expect(made).toHaveLength(1);
    const shown = await world.panel(made[0]!.id, p.project.id);
    expect(shown.linked).toBe(true);
    if (!hasPriority(p)) {
      // A remote without priorities (GitHub issues) has none for Jira to refuse: the issue is made whole.
      expect(shown.problems).toEqual([]);
      return;
    }
    expect(p.remote.read(remoteId).priority).toBe('Low');
    expect(shown.problems).toEqual([
      expect.objectContaining({ part: 'priority', kind: 'refused', message: expect.stringContaining('“Low”') }),
    ]);
  });
});
