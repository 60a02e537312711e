/**
 * Adopting what already exists (issue 24), for every system the registry implements: issues and remote items made
 * by people before Crosswalk paired them (while the connection was paused), matched by the admin's ordered rules —
 * the remote item's title names the issue's key (a remote field, the one the connection maps Jira's summary to),
 * a person's Jira remote link points at the item, equal titles (offered, confirmed by the admin), an issue two items
 * name (ambiguous, resolved by hand), an item two issues name (refused, given to one by hand) — previewed with
 * nothing written, then adopted: the links exist, and neither the adoption nor the pairs' next reconcile (the
 * sweep, once the connection is resumed) writes anything to either side, even where the two sides differ. A later
 * change on either side then crosses as usual.
 */
import { implementedSystems } from '../../src/connectors/registry';
import type { MatchRule } from '../../src/adoption/match';
import { startEverySystem, type EverySystem, type PairedSystem, type ResolverAnswer } from '../support/every-system';

let world: EverySystem;

beforeAll(async () => {
  world = await startEverySystem();
}, 180_000);
afterAll(() => world?.sandbox.stop());

const pairedFor = (kind: string): PairedSystem => world.paired.find((p) => p.system.kind === kind)!;

type Issue = { id: string; key: string };

async function newIssue(p: PairedSystem, summary: string): Promise<Issue> {
  world.sandbox.platform.manualClock.advance(1000);
  const created = await world.jira.request(p.person, 'POST', '/rest/api/3/issue', {
    fields: { project: { key: p.project.key }, issuetype: { name: 'Task' }, summary },
  });
  if (created.status !== 201) throw new Error(`Could not create an issue in ${p.project.key}: ${created.text}`);
  return { id: created.json.id as string, key: created.json.key as string };
}

const summaryOf = async (key: string) =>
  (await world.jira.request({ as: 'admin' }, 'GET', `/rest/api/3/issue/${key}?fields=summary`)).json.fields
    .summary as string;

const remoteLinksOf = (issueId: string) =>
  world.sandbox.jira.site.state.issues.find((i) => i.id === issueId)!.remoteLinks.map((l) => ({ ...l }));

/**
 * Crosswalk's writes so far: to the remote (its simulator's log), and Jira's events of the app's own changes in the
 * project (the other systems' connections share the site and its sweep).
 */
const writes = async (p: PairedSystem) => ({
  remote: await p.remote.writesByCrosswalk(),
  jira: world.sandbox.jira.site.events.filter(
    (e) =>
      e.selfGenerated &&
      (e.fields as { issue?: { fields?: { project?: { key?: string } } } }).issue?.fields?.project?.key ===
        p.project.key,
  ).length,
});

async function saveEnabled(p: PairedSystem, enabled: boolean): Promise<void> {
  const { id, config } = await world.connectionOf(p);
  const saved = await world.settings(p, 'saveConnection', { connectionId: id, settings: { ...config, enabled } });
  if (!saved.ok) throw new Error(`Could not ${enabled ? 'resume' : 'pause'} ${id}: ${saved.error?.message}`);
}

describe.each(implementedSystems().map((s) => [s.label, s.kind] as const))('%s', (_label, kind) => {
  it('previews, adopts with a baseline that writes nothing to either side, then syncs later changes', async () => {
    const p = pairedFor(kind);
    const label = p.system.label;
    const { id: connectionId, config } = await world.connectionOf(p);
    // The remote field the connection maps Jira's summary to (from the connection, not the system's name).
    const titleField = (config.fields as Array<{ jira: string; remote: string }>).find(
      (m) => m.jira === 'summary',
    )?.remote;
    if (!titleField) throw new Error(`${label}'s connection maps no summary`);
    const rules: MatchRule[] = [
      { kind: 'remote-field', field: titleField },
      { kind: 'jira-remote-link' },
      { kind: 'title-window', days: 30 },
    ];
    const preview = (r: MatchRule[] = rules) =>
      world.settings(p, 'adoptionPreview', { connectionId, rules: r }) as Promise<ResolverAnswer>;

    // People make items on both sides while the connection is paused: nothing crosses.
    await saveEnabled(p, false);
    const tag = `${kind} ${Date.now() % 100_000}`;
    const a = await newIssue(p, `Named by its item (${tag})`);
    const rA = await p.remote.create(`Escalated from ${a.key}`);
    const b = await newIssue(p, `Linked by a person (${tag})`);
    const rB = await p.remote.create(`Remote link target (${tag})`);
    const c = await newIssue(p, `Printer on fire (${tag})`);
    const rC = await p.remote.create(`  printer ON FIRE (${tag}) `.replace(tag.toUpperCase(), tag));
    const d = await newIssue(p, `Claimed first (${tag})`);
    const e = await newIssue(p, `Claimed second (${tag})`);
    const g = await newIssue(p, `Named twice (${tag})`);
    const rD = await p.remote.create(`Duplicate of ${d.key}, ${e.key} and ${g.key}`);
    const rG = await p.remote.create(`About ${g.key}`);
    const f = await newIssue(p, `Nothing like it there (${tag})`);

    // The person who links B to rB copies rB's address from the remote; here it is the URL its connector gives, read
    // from a preview by titles alone against a throwaway issue titled as rB is.
    const probeIssue = await newIssue(p, `Remote link target (${tag})`);
    const probe = await preview([{ kind: 'title-window', days: 30 }]);
    expect(probe.ok).toBe(true);
    const rBUrl = (probe.data.pair as Array<{ issueId: string; remoteId: string; url: string }>).find(
      (x) => x.remoteId === rB,
    )?.url;
    expect(rBUrl).toMatch(/^https:\/\//);
    // The probe issue goes; a person links B to rB, writing the host in capitals.
    expect((await world.jira.request({ as: 'admin' }, 'DELETE', `/rest/api/3/issue/${probeIssue.key}`)).status).toBe(
      204,
    );
    const linkUrl = rBUrl!.replace(/^https:\/\/([^/]+)/, (_m, host: string) => `https://${host.toUpperCase()}`);
    const linked = await world.jira.request(p.person, 'POST', `/rest/api/3/issue/${b.key}/remotelink`, {
      object: { url: linkUrl, title: 'The remote item' },
    });
    expect(linked.status).toBe(201);

    // What each side said before the pairing stays where it is: no comment crosses for having been there.
    await p.remote.comment(rA, `Said in ${label} before the pairing`, false);
    const commented = await world.jira.request(p.person, 'POST', `/rest/api/3/issue/${a.key}/comment`, {
      body: {
        type: 'doc',
        version: 1,
        content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Said in Jira' }] }],
      },
    });
    expect(commented.status).toBe(201);

    // The preview: what would pair, be created, stay ambiguous, be refused; nothing written.
    const before = await writes(p);
    const shown = await preview();
    expect(shown.ok).toBe(true);
    const data = shown.data;
    expect(data.bounded).toEqual({ issues: false, remote: false });
    const pairOf = (issueId: string) =>
      (data.pair as Array<{ issueId: string; remoteId: string; kind: string; needsConfirmation: boolean }>).find(
        (x) => x.issueId === issueId,
      );
    expect(pairOf(a.id)).toMatchObject({ remoteId: rA, kind: 'remote-field', needsConfirmation: false });
    expect(pairOf(b.id)).toMatchObject({ remoteId: rB, kind: 'jira-remote-link', needsConfirmation: false });
    expect(pairOf(c.id)).toMatchObject({ remoteId: rC, kind: 'title-window', needsConfirmation: true });
    for (const other of [d, e, f, g]) expect(pairOf(other.id)).toBeUndefined();
    expect(data.ambiguous).toContainEqual(
      expect.objectContaining({
        issueId: g.id,
        issueKey: g.key,
        kind: 'remote-field',
        candidates: expect.arrayContaining([
          expect.objectContaining({ remoteId: rD }),
          expect.objectContaining({ remoteId: rG }),
        ]),
      }),
    );
    expect(data.refused).toContainEqual(
      expect.objectContaining({
        remoteId: rD,
        issues: [expect.objectContaining({ issueId: d.id }), expect.objectContaining({ issueId: e.id })],
      }),
    );
    expect(data.create).toContainEqual({ issueId: f.id, issueKey: f.key });
    expect(data.counts).toMatchObject({
      pair: data.pair.filter((x: { needsConfirmation: boolean }) => !x.needsConfirmation).length,
      ambiguous: data.ambiguous.length,
      refused: data.refused.length,
    });
    expect(await writes(p)).toEqual(before);

    // Who is left unpaired goes (people delete them), so whatever the resumed connection writes is about the pairs.
    for (const gone of [e, f])
      expect((await world.jira.request({ as: 'admin' }, 'DELETE', `/rest/api/3/issue/${gone.key}`)).status).toBe(204);

    // Adopt: the rules' pairs, the confirmed title pair, G resolved by hand, rD given to D.
    const linksBefore = [a, b, c, d, g].map((i) => remoteLinksOf(i.id));
    const adopted = await world.settings(p, 'adoptPairs', {
      connectionId,
      rules,
      confirmed: [
        { issueId: c.id, remoteId: rC },
        { issueId: g.id, remoteId: rG },
        { issueId: d.id, remoteId: rD },
      ],
    });
    expect(adopted.ok).toBe(true);
    expect(adopted.data.skipped).toEqual([]);
    expect(adopted.data.remaining).toBe(0);
    expect((adopted.data.adopted as Array<{ issueKey: string }>).map((x) => x.issueKey).sort()).toEqual(
      [a.key, b.key, c.key, d.key, g.key].sort(),
    );
    expect(await writes(p)).toEqual(before);
    expect([a, b, c, d, g].map((i) => remoteLinksOf(i.id))).toEqual(linksBefore);
    // Each adoption is in the audit trail, by whoever adopted, with both keys.
    const log = await world.settings(p, 'auditLog', { connectionId, limit: 50 });
    expect(
      (log.data.entries as Array<{ action: string; issueKey?: string; remoteKey?: string }>)
        .filter((x) => x.action === 'issue-adopted')
        .map((x) => x.issueKey)
        .sort(),
    ).toEqual([a.key, b.key, c.key, d.key, g.key].sort());
    // Adopted pairs are linked: a second preview leaves them out.
    const again = await preview();
    for (const i of [a, b, c, d, g]) {
      expect(again.data.pair.find((x: { issueId: string }) => x.issueId === i.id)).toBeUndefined();
      expect(again.data.create).not.toContainEqual(expect.objectContaining({ issueId: i.id }));
    }
    expect(again.data.refused.find((x: { remoteId: string }) => x.remoteId === rD)).toBeUndefined();

    // Resumed, every pair is reconciled (the held notifications, then the sweep): nothing is written to either side,
    // and where the two sides differ they keep their own values.
    await saveEnabled(p, true);
    const resumed = await writes(p);
    await world.quiet();
    await world.sandbox.platform.advanceTime(6 * 60_000);
    await world.sandbox.platform.runScheduledTrigger(world.sandbox.installationId, 'reconcile-sweep');
    await world.quiet();
    expect(await writes(p)).toEqual(resumed);
    expect(await summaryOf(a.key)).toBe(`Named by its item (${tag})`);
    expect(p.remote.read(rA).summary).toBe(`Escalated from ${a.key}`);
    expect(p.remote.read(rA).comments).toHaveLength(1);
    expect(
      (await world.jira.request({ as: 'admin' }, 'GET', `/rest/api/3/issue/${a.key}/comment`)).json.comments,
    ).toHaveLength(1);
    for (const [i, r] of [
      [a, rA],
      [b, rB],
      [c, rC],
      [d, rD],
      [g, rG],
    ] as const) {
      const panel = await world.panel(i.id, p.project.id);
      expect({ issue: i.key, linked: panel.linked }).toEqual({ issue: i.key, linked: true });
      // The pair did sync (its first run shows the pair on the issue: Crosswalk's remote link, Jira's own marker).
      expect(remoteLinksOf(i.id).filter((l) => l.application?.name === 'Crosswalk')).toHaveLength(1);
      expect(p.remote.remotesForIssue(i.id)).toEqual([]);
      void r;
    }

    // A later change crosses as usual, either way.
    world.sandbox.platform.manualClock.advance(1000);
    const edited = await world.jira.request(p.person, 'PUT', `/rest/api/3/issue/${a.key}`, {
      fields: { summary: `Renamed in Jira (${tag})` },
    });
    expect(edited.status).toBe(204);
    await world.quiet();
    expect(p.remote.read(rA).summary).toBe(`Renamed in Jira (${tag})`);
    expect(p.remote.read(rA).comments).toHaveLength(1);
    world.sandbox.platform.manualClock.advance(1000);
    await p.remote.edit(rB, { summary: `Renamed in ${label} (${tag})` });
    await world.quiet();
    expect(await summaryOf(b.key)).toBe(`Renamed in ${label} (${tag})`);
  }, 120_000);
});
