import { evaluateConditions, type Observations } from './evaluate';
import { DEFAULT_ALERT_SETTINGS } from './settings';

const MIN = 60_000;
const T = DEFAULT_ALERT_SETTINGS.thresholds;
const seen = (over: Partial<Observations>): Observations => ({
  now: 100 * MIN,
  system: 'Zendesk',
  failures: [],
  notifications: { lastNotifiedAt: null, sweepFoundSince: [] },
  ...over,
});
const kinds = (o: Observations, previous = evaluateConditions(o, T).slice(0, 0)) =>
  evaluateConditions(o, T, previous).map((c) => `${c.kind}${c.pastThreshold ? '!' : ''}`);

describe('which conditions hold', () => {
  it('a healthy connection has none', () => {
    expect(kinds(seen({}))).toEqual([]);
  });

  it('a refused credential is past its threshold at once, counting the items it stopped', () => {
    const c = evaluateConditions(
      seen({ credentialRefused: { since: 99 * MIN, message: '401' }, failures: [{ kind: 'auth', since: 99 * MIN }] }),
      T,
    );
    expect(c).toEqual([expect.objectContaining({ kind: 'credential-refused', pastThreshold: true, itemsWaiting: 1 })]);
    expect(c[0]!.words).toBe("Zendesk refuses Crosswalk's sign-in, so nothing syncs");
  });

  it("a refusal stamped a moment after the check began (another invocation's clock) is past a zero threshold", () => {
    const c = evaluateConditions(seen({ credentialRefused: { since: 100 * MIN + 16, message: '401' } }), T);
    expect(c[0]).toMatchObject({ kind: 'credential-refused', pastThreshold: true, since: 100 * MIN });
  });

  it('an unanswered remote is alerted only after its threshold, from the first failure or sweep that saw it', () => {
    expect(kinds(seen({ reach: { kind: 'unreachable', since: 80 * MIN } }))).toEqual(['unreachable']);
    expect(kinds(seen({ reach: { kind: 'unreachable', since: 70 * MIN } }))).toEqual(['unreachable!']);
    expect(kinds(seen({ failures: [{ kind: 'transient', since: 60 * MIN }] }))).toEqual(['unreachable!']);
  });

  it('a rate limit has its own threshold', () => {
    expect(kinds(seen({ reach: { kind: 'rate-limited', since: 50 * MIN } }))).toEqual(['rate-limited']);
    expect(kinds(seen({ reach: { kind: 'rate-limited', since: 40 * MIN } }))).toEqual(['rate-limited!']);
  });

  it('an item whose one field was refused (the rest crossed) waits for a person too', () => {
    expect(kinds(seen({ failures: [{ kind: 'refused', since: 0 }] }))).toEqual(['items-failing']);
  });

  it('failing items pass the threshold above N, since the moment the N+1th failed', () => {
    const failures = Array.from({ length: T.failingItems + 1 }, (_, i) => ({ kind: 'validation', since: i * MIN }));
    expect(kinds(seen({ failures: failures.slice(0, T.failingItems) }))).toEqual(['items-failing']);
    const over = evaluateConditions(seen({ failures }), T);
    expect(over).toEqual([
      expect.objectContaining({
        kind: 'items-failing',
        pastThreshold: true,
        since: T.failingItems * MIN,
        itemsWaiting: 11,
      }),
    ]);
  });

  it('notifications are silent when the sweep keeps finding changes none announced, for the set time', () => {
    const found = (times: number[], last: number | null = null) =>
      seen({ notifications: { lastNotifiedAt: last, sweepFoundSince: times } });
    expect(kinds(found([90 * MIN]))).toEqual(['notifications-silent']);
    expect(kinds(found([60 * MIN]))).toEqual(['notifications-silent']);
    expect(kinds(found([60 * MIN, 95 * MIN]))).toEqual(['notifications-silent!']);
    expect(kinds(found([80 * MIN, 95 * MIN]))).toEqual(['notifications-silent']);
  });

  it('a bulk sync that has not moved is stalled after its threshold', () => {
    expect(kinds(seen({ bulk: { total: 400, done: 120, unchangedSince: 95 * MIN } }))).toEqual([]);
    expect(kinds(seen({ bulk: { total: 400, done: 120, unchangedSince: 85 * MIN } }))).toEqual(['bulk-stalled']);
    expect(kinds(seen({ bulk: { total: 400, done: 120, unchangedSince: 70 * MIN } }))).toEqual(['bulk-stalled!']);
    expect(kinds(seen({ bulk: { total: 400, done: 400, unchangedSince: 0 } }))).toEqual([]);
  });

  it('a sweep that has fallen behind is a backlog once its oldest change is older than the set age', () => {
    expect(kinds(seen({ sweepBehindSince: 50 * MIN }))).toEqual([]);
    expect(kinds(seen({ sweepBehindSince: 30 * MIN }))).toEqual(['backlog-old!']);
  });

  it('keeps since when a condition held at the previous check, so the alert says since when it really holds', () => {
    const previous = evaluateConditions(seen({ reach: { kind: 'unreachable', since: 20 * MIN } }), T);
    const now = evaluateConditions(seen({ failures: [{ kind: 'transient', since: 90 * MIN }] }), T, previous);
    expect(now[0]).toMatchObject({ kind: 'unreachable', since: 20 * MIN, pastThreshold: true });
  });
});
