/**
 * A templated summary round-trips, for every system the registry implements: the project admin gives the summary
 * pair the template "[{key}] {summary}" on the remote side (through the settings resolver), and from then on the
 * remote's title carries the Jira key while Jira's summary stays the bare words; an edit of the words on either
 * side crosses without the template growing or echoing, and the remote's title keeps its key.
 */
import { implementedSystems } from '../../src/connectors/registry';
import { startEverySystem, type EverySystem, type PairedSystem } from '../support/every-system';

let world: EverySystem;

beforeAll(async () => {
  world = await startEverySystem();
}, 180_000);
afterAll(() => world?.sandbox.stop());

const pairedFor = (kind: string): PairedSystem => world.paired.find((p) => p.system.kind === kind)!;

const summaryOf = async (p: PairedSystem, key: string) =>
  (await world.jira.request(p.person, 'GET', `/rest/api/3/issue/${key}?fields=summary`)).json.fields.summary as string;

describe.each(implementedSystems().map((s) => [s.label, s.kind] as const))('%s', (_label, kind) => {
  it('refuses a template that cannot be read back, at its field', async () => {
    const p = pairedFor(kind);
    const { id, config } = await world.connectionOf(p);
    const at = (config.fields as Array<{ jira: string }>).findIndex((f) => f.jira === 'summary');
    const saved = await world.settings(p, 'saveConnection', {
      connectionId: id,
      settings: {
        ...config,
        fields: config.fields.map((f: { jira: string }, i: number) =>
          i === at ? { ...f, template: { side: 'remote', text: '[{key}]' } } : f,
        ),
      },
    });
    expect(saved.ok).toBe(false);
    expect(saved.error?.problems).toEqual([
      {
        path: `fields.${at}.template.text`,
        message: 'the template must hold the value once, as {summary} (it holds it 0 times)',
      },
    ]);
  });

  it('writes the Jira key around the summary there, and reads it back as the bare words both ways', async () => {
    const p = pairedFor(kind);
    const { id, config } = await world.connectionOf(p);
    const saved = await world.settings(p, 'saveConnection', {
      connectionId: id,
      settings: {
        ...config,
        fields: config.fields.map((f: { jira: string }) =>
          f.jira === 'summary' ? { ...f, template: { side: 'remote', text: '[{key}] {summary}' } } : f,
        ),
      },
    });
    expect(saved).toMatchObject({ ok: true });

    const issue = await world.pairedIssue(p, `Printer jams on ${p.system.label}`);
    expect(p.remote.read(issue.remoteId).summary).toBe(`[${issue.key}] Printer jams on ${p.system.label}`);
    expect(await summaryOf(p, issue.key)).toBe(`Printer jams on ${p.system.label}`);

    // An agent there edits the words and keeps the key: Jira takes the words alone.
    world.sandbox.platform.manualClock.advance(60_000);
    await p.remote.edit(issue.remoteId, { summary: `[${issue.key}] Printer jams on floor 3` });
    await world.quiet();
    expect(await summaryOf(p, issue.key)).toBe('Printer jams on floor 3');
    expect(p.remote.read(issue.remoteId).summary).toBe(`[${issue.key}] Printer jams on floor 3`);

    // A Jira edit goes there inside the template, once.
    world.sandbox.platform.manualClock.advance(60_000);
    const edited = await world.jira.request(p.person, 'PUT', `/rest/api/3/issue/${issue.key}`, {
      fields: { summary: 'Printer fixed' },
    });
    expect(edited.status).toBe(204);
    await world.quiet();
    expect(p.remote.read(issue.remoteId).summary).toBe(`[${issue.key}] Printer fixed`);
    expect(await summaryOf(p, issue.key)).toBe('Printer fixed');

    // Put back as it was, for the other tests of this world.
    expect(await world.settings(p, 'saveConnection', { connectionId: id, settings: config })).toMatchObject({
      ok: true,
    });
  });
});
