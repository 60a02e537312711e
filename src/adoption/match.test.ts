import fc from 'fast-check';
import {
  DAY_MS,
  matchExisting,
  normalUrl,
  type JiraCandidate,
  type MatchResult,
  type MatchRule,
  type RemoteCandidate,
} from './match';

const T0 = Date.UTC(2026, 0, 10);
const issue = (id: string, key: string, over: Partial<JiraCandidate> = {}): JiraCandidate => ({
  id,
  key,
  url: `https://acme.atlassian.net/browse/${key}`,
  summary: `Issue ${key}`,
  created: T0,
  fields: {},
  remoteLinks: [],
  linked: false,
  ...over,
});
const item = (id: string, displayKey: string, over: Partial<RemoteCandidate> = {}): RemoteCandidate => ({
  id,
  displayKey,
  url: `https://remote.example/items/${id}`,
  title: `Item ${displayKey}`,
  created: T0,
  fields: {},
  linked: false,
  ...over,
});
const FIELD: MatchRule = { kind: 'remote-field', field: 'correlation' };
const LINK: MatchRule = { kind: 'jira-remote-link' };
const NUMBER: MatchRule = { kind: 'jira-field', field: 'customfield_10050' };
const TITLE: MatchRule = { kind: 'title-window', days: 2 };

describe('matchExisting, rule by rule', () => {
  it('pairs an item whose field is the key, or names it as a word, a line or its browse URL', () => {
    const r = matchExisting(
      [FIELD],
      [issue('1', 'OPS-1'), issue('2', 'OPS-2'), issue('3', 'OPS-3'), issue('4', 'OPS-4'), issue('5', 'OPS-5')],
      [
        item('a', 'INC1', { fields: { correlation: 'OPS-1' } }),
        item('b', 'INC2', { fields: { correlation: 'Escalated to Jira (OPS-2).' } }),
        item('c', 'INC3', { fields: { correlation: 'Opened by the desk\nJira: ops-3\n' } }),
        item('d', 'INC4', { fields: { correlation: 'See [the issue](https://ACME.atlassian.net/browse/OPS-4/)' } }),
      ],
    );
    expect(r.pair.map((p) => [p.issueId, p.remoteId, p.kind, p.needsConfirmation])).toEqual([
      ['1', 'a', 'remote-field', false],
      ['2', 'b', 'remote-field', false],
      ['3', 'c', 'remote-field', false],
      ['4', 'd', 'remote-field', false],
    ]);
    expect(r.create).toEqual(['5']);
  });

  it('does not take a longer key, another site’s browse URL or a number inside a word for the key', () => {
    const r = matchExisting(
      [FIELD],
      [issue('1', 'OPS-1')],
      [
        item('a', 'INC1', { fields: { correlation: 'OPS-12' } }),
        item('b', 'INC2', { fields: { correlation: 'XOPS-1 and OPS-1x' } }),
        item('c', 'INC3', { fields: { correlation: 'https://other.atlassian.net/browse/OPS-1' } }),
        item('d', 'INC4', { fields: { other: 'OPS-1' } }),
      ],
    );
    expect(r.pair).toEqual([]);
    expect(r.create).toEqual(['1']);
  });

  it('pairs by a remote link whose URL is the item’s, up to scheme and host case and a trailing slash', () => {
    const r = matchExisting(
      [LINK],
      [
        issue('1', 'OPS-1', { remoteLinks: ['HTTPS://Remote.Example/items/a/'] }),
        issue('2', 'OPS-2', { remoteLinks: ['https://remote.example/items/B'] }),
      ],
      [item('a', 'INC1'), item('B', 'INC2'), item('c', 'INC3')],
    );
    expect(r.pair.map((p) => [p.issueId, p.remoteId])).toEqual([
      ['1', 'a'],
      ['2', 'B'],
    ]);
    expect(normalUrl('https://remote.example/items/b')).not.toBe(normalUrl('https://remote.example/items/B'));
  });

  it('pairs by a Jira field holding the display key, its number, #number or the number after its prefix, never digits inside one', () => {
    const f = NUMBER.kind === 'jira-field' ? NUMBER.field : '';
    const r = matchExisting(
      [NUMBER],
      [
        issue('1', 'OPS-1', { fields: { [f]: 'INC0010001' } }),
        issue('2', 'OPS-2', { fields: { [f]: ' #12 ' } }),
        issue('3', 'OPS-3', { fields: { [f]: 4 } }),
        issue('4', 'OPS-4', { fields: { [f]: '' } }),
        issue('5', 'OPS-5', { fields: { [f]: '77' } }),
        issue('6', 'OPS-6', { fields: { [f]: '10001' } }),
      ],
      [item('s1', 'INC0010001'), item('g12', '#12'), item('w4', 'Bug 4'), item('f77', '#SR-77')],
    );
    expect(r.pair.map((p) => [p.issueId, p.remoteId])).toEqual([
      ['1', 's1'],
      ['2', 'g12'],
      ['3', 'w4'],
      ['5', 'f77'],
    ]);
    expect(r.create).toEqual(['4', '6']);
  });

  it('offers equal titles created within the window, marked for confirmation', () => {
    const r = matchExisting(
      [TITLE],
      [
        issue('1', 'OPS-1', { summary: '  Printer on fire ' }),
        issue('2', 'OPS-2', { summary: 'VPN down', created: T0 }),
      ],
      [
        item('a', 'INC1', { title: 'PRINTER ON FIRE', created: T0 + DAY_MS }),
        item('b', 'INC2', { title: 'vpn down', created: T0 + 3 * DAY_MS }),
      ],
    );
    expect(r.pair).toEqual([{ issueId: '1', remoteId: 'a', rule: 0, kind: 'title-window', needsConfirmation: true }]);
    expect(r.create).toEqual(['2']);
  });
});

describe('matchExisting, between rules and issues', () => {
  it('lets the first rule that finds anything decide, even when a later one would find one', () => {
    const r = matchExisting(
      [FIELD, LINK],
      [issue('1', 'OPS-1', { remoteLinks: ['https://remote.example/items/c'] })],
      [
        item('a', 'INC1', { fields: { correlation: 'OPS-1' } }),
        item('b', 'INC2', { fields: { correlation: 'Jira OPS-1' } }),
        item('c', 'INC3'),
      ],
    );
    expect(r.pair).toEqual([]);
    expect(r.ambiguous).toEqual([{ issueId: '1', rule: 0, kind: 'remote-field', candidates: ['a', 'b'] }]);
  });

  it('goes on to the next rule when one finds nothing', () => {
    const r = matchExisting(
      [FIELD, LINK],
      [issue('1', 'OPS-1', { remoteLinks: ['https://remote.example/items/c'] })],
      [item('c', 'INC3')],
    );
    expect(r.pair).toEqual([
      { issueId: '1', remoteId: 'c', rule: 1, kind: 'jira-remote-link', needsConfirmation: false },
    ]);
  });

  it('refuses an item two issues name, pairing neither', () => {
    const r = matchExisting(
      [FIELD, LINK],
      [
        issue('1', 'OPS-1'),
        issue('2', 'OPS-2', { remoteLinks: ['https://remote.example/items/a'] }),
        issue('3', 'OPS-3'),
      ],
      [
        item('a', 'INC1', { fields: { correlation: 'OPS-1' } }),
        item('b', 'INC2', { fields: { correlation: 'OPS-3' } }),
      ],
    );
    expect(r.refused).toEqual([{ remoteId: 'a', issueIds: ['1', '2'] }]);
    expect(r.pair.map((p) => [p.issueId, p.remoteId])).toEqual([['3', 'b']]);
    expect(r.create).toEqual([]);
  });

  it('leaves out issues and items already linked', () => {
    const r = matchExisting(
      [FIELD],
      [issue('1', 'OPS-1', { linked: true }), issue('2', 'OPS-2')],
      [
        item('a', 'INC1', { fields: { correlation: 'OPS-1' } }),
        item('b', 'INC2', { fields: { correlation: 'OPS-2' }, linked: true }),
      ],
    );
    expect(r).toEqual({ pair: [], create: ['2'], ambiguous: [], refused: [] });
  });

  it('without rules, creates every issue not linked', () => {
    expect(matchExisting([], [issue('2', 'OPS-2'), issue('10', 'OPS-10')], [item('a', 'X')]).create).toEqual([
      '2',
      '10',
    ]);
  });
});

describe('matchExisting, whatever the input', () => {
  const keys = ['OPS-1', 'OPS-2', 'OPS-3', 'OPS-4', 'OPS-5', 'OPS-6'];
  const titles = ['Printer', 'printer ', 'VPN', 'Mail'];
  const issueArb = fc.record({
    n: fc.integer({ min: 0, max: 5 }),
    summary: fc.constantFrom(...titles),
    day: fc.integer({ min: 0, max: 6 }),
    number: fc.option(fc.constantFrom('INC1', '#2', '3', 'Bug 4'), { nil: undefined }),
    links: fc.array(fc.constantFrom('a', 'b', 'c', 'd', 'e'), { maxLength: 2 }),
    linked: fc.boolean(),
  });
  const itemArb = fc.record({
    id: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f'),
    displayKey: fc.constantFrom('INC1', '#2', '3', 'Bug 4', 'INC9'),
    title: fc.constantFrom(...titles),
    day: fc.integer({ min: 0, max: 6 }),
    correlation: fc.option(
      fc.constantFrom(...keys).map((k) => `ref ${k}`),
      { nil: undefined },
    ),
    linked: fc.boolean(),
  });
  const ruleArb = fc.array(fc.constantFrom<MatchRule>(FIELD, LINK, NUMBER, TITLE, { kind: 'title-window', days: 0 }), {
    maxLength: 4,
  });
  const world = fc.record({
    rules: ruleArb,
    issues: fc.uniqueArray(issueArb, { selector: (i) => i.n, maxLength: 6 }).map((list) =>
      list.map((i) =>
        issue(String(i.n + 1), keys[i.n]!, {
          summary: i.summary,
          created: T0 + i.day * DAY_MS,
          fields: i.number ? { customfield_10050: i.number } : {},
          remoteLinks: i.links.map((l) => `https://remote.example/items/${l}`),
          linked: i.linked,
        }),
      ),
    ),
    items: fc.uniqueArray(itemArb, { selector: (i) => i.id, maxLength: 6 }).map((list) =>
      list.map((i) =>
        item(i.id, i.displayKey, {
          title: i.title,
          created: T0 + i.day * DAY_MS,
          fields: i.correlation ? { correlation: i.correlation } : {},
          linked: i.linked,
        }),
      ),
    ),
  });

  const check = (
    test: (r: MatchResult, w: { rules: MatchRule[]; issues: JiraCandidate[]; items: RemoteCandidate[] }) => void,
  ) => fc.assert(fc.property(world, (w) => test(matchExisting(w.rules, w.issues, w.items), w)));

  it('never pairs one item twice, nor an issue twice', () =>
    check((r) => {
      expect(new Set(r.pair.map((p) => p.remoteId)).size).toBe(r.pair.length);
      expect(new Set(r.pair.map((p) => p.issueId)).size).toBe(r.pair.length);
    }));

  it('never pairs, lists or offers anything already linked', () =>
    check((r, w) => {
      const linkedIssues = new Set(w.issues.filter((i) => i.linked).map((i) => i.id));
      const linkedItems = new Set(w.items.filter((i) => i.linked).map((i) => i.id));
      for (const p of r.pair) expect(linkedIssues.has(p.issueId) || linkedItems.has(p.remoteId)).toBe(false);
      for (const a of r.ambiguous) for (const c of a.candidates) expect(linkedItems.has(c)).toBe(false);
      for (const f of r.refused) expect(linkedItems.has(f.remoteId)).toBe(false);
      for (const id of r.create) expect(linkedIssues.has(id)).toBe(false);
    }));

  it('puts every issue not linked in exactly one answer', () =>
    check((r, w) => {
      const placed = [
        ...r.pair.map((p) => p.issueId),
        ...r.create,
        ...r.ambiguous.map((a) => a.issueId),
        ...r.refused.flatMap((f) => f.issueIds),
      ];
      expect([...placed].sort()).toEqual(
        w.issues
          .filter((i) => !i.linked)
          .map((i) => i.id)
          .sort(),
      );
    }));

  it('offers title pairs only for confirmation, and nothing else needs it', () =>
    check((r) => {
      for (const p of r.pair) expect(p.needsConfirmation).toBe(p.kind === 'title-window');
    }));

  it('gives the same answer whatever order issues and items come in', () =>
    fc.assert(
      fc.property(world, fc.nat(), (w, seed) => {
        const shuffle = <T>(list: T[]) =>
          list
            .map((x, i) => ({ x, k: (i * 7919 + seed) % 101 }))
            .sort((a, b) => a.k - b.k)
            .map((e) => e.x);
        expect(matchExisting(w.rules, shuffle(w.issues), shuffle(w.items))).toEqual(
          matchExisting(w.rules, w.issues, w.items),
        );
      }),
    ));
});
