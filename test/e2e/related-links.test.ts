/**
 * Jira's "relates to" links cross as the remote's links between peers where it has them, for every system the
 * registry implements: between two synced issues, a link made or taken away on either side is made or taken away on
 * the other, once; a link to an issue that does not sync stays in Jira. A remote without such links refuses the
 * setting when it is saved, saying so.
 */
import { implementedSystems } from '../../src/connectors/registry';
import { startEverySystem, type EverySystem, type PairedSystem } from '../support/every-system';

let world: EverySystem;

beforeAll(async () => {
  world = await startEverySystem();
}, 180_000);
afterAll(() => world?.sandbox.stop());

const pairedFor = (kind: string): PairedSystem => world.paired.find((p) => p.system.kind === kind)!;

/** The issues a Jira issue relates to, by key. */
async function relatedKeys(p: PairedSystem, key: string): Promise<string[]> {
  const got = await world.jira.request(p.person, 'GET', `/rest/api/3/issue/${key}?fields=issuelinks`);
  return (
    got.json.fields.issuelinks as Array<{
      type: { name: string };
      inwardIssue?: { key: string };
      outwardIssue?: { key: string };
    }>
  )
    .filter((l) => l.type.name === 'Relates')
    .map((l) => (l.inwardIssue ?? l.outwardIssue)!.key)
    .sort();
}

describe.each(implementedSystems().map((s) => [s.label, s.kind] as const))('%s', (label, kind) => {
  it('crosses related links between synced issues both ways, where the remote has them', async () => {
    const p = pairedFor(kind);
    const { id, config } = await world.connectionOf(p);
    const saved = await world.settings(p, 'saveConnection', {
      connectionId: id,
      settings: { ...config, relatedLinks: { direction: 'both' } },
    });
    const related = p.remote.related;
    if (!related) {
      expect(saved.ok).toBe(false);
      expect(saved.error?.problems).toEqual([
        { path: 'relatedLinks.direction', message: `${label} has no links between items Crosswalk can copy` },
      ]);
      return;
    }
    expect(saved.error?.problems ?? []).toEqual([]);
    const a = await world.pairedIssue(p, `Related A on ${label}`);
    const b = await world.pairedIssue(p, `Related B on ${label}`);
    const c = await world.pairedIssue(p, `Related C on ${label}`);

    // Linked in Jira: linked there, once, from both ends.
    world.sandbox.platform.manualClock.advance(60_000);
    const linked = await world.jira.request(p.person, 'POST', '/rest/api/3/issueLink', {
      type: { name: 'Relates' },
      inwardIssue: { key: a.key },
      outwardIssue: { key: b.key },
    });
    expect(linked.status).toBe(201);
    await world.quiet();
    expect(related.relatedOf(a.remoteId)).toEqual([b.remoteId]);
    expect(related.relatedOf(b.remoteId)).toEqual([a.remoteId]);

    // Linked there: linked in Jira, once.
    world.sandbox.platform.manualClock.advance(60_000);
    await related.link(c.remoteId, a.remoteId);
    await world.quiet();
    expect(await relatedKeys(p, a.key)).toEqual([b.key, c.key].sort());
    expect(await relatedKeys(p, c.key)).toEqual([a.key]);

    // Taken away there: taken away in Jira; the other link stays.
    world.sandbox.platform.manualClock.advance(60_000);
    await related.link(a.remoteId, b.remoteId, true);
    await world.quiet();
    expect(await relatedKeys(p, a.key)).toEqual([c.key]);
    expect(related.relatedOf(a.remoteId)).toEqual([c.remoteId]);

    // A link to an issue the connection does not sync stays in Jira.
    const outside = await world.jira.request(p.person, 'POST', '/rest/api/3/issue', {
      fields: {
        project: { key: 'DEMO' === p.project.key ? 'OPS' : 'DEMO' },
        issuetype: { name: 'Task' },
        summary: 'Elsewhere',
      },
    });
    if (outside.status === 201) {
      world.sandbox.platform.manualClock.advance(60_000);
      await world.jira.request(p.person, 'POST', '/rest/api/3/issueLink', {
        type: { name: 'Relates' },
        inwardIssue: { key: c.key },
        outwardIssue: { key: outside.json.key },
      });
      await world.quiet();
      expect(related.relatedOf(c.remoteId)).toEqual([a.remoteId]);
    }

    const restored = await world.settings(p, 'saveConnection', { connectionId: id, settings: config });
    expect(restored).toMatchObject({ ok: true });
  });
});
