/**
 * Which conditions hold for a connection now (pure): from what the check observed (alerts/observe.ts) and the
 * connection's thresholds. A condition seen at the previous check keeps its `since`, so a message says since when it
 * holds, not since when it was last looked at.
 */
import type { ConditionKind, ObservedCondition } from './condition';
import type { AlertThresholds } from './settings';

/** What the check read about one connection. Every time is epoch ms. */
export interface Observations {
  now: number;
  /** What the system is called ("Zendesk"). */
  system: string;
  /** The connection-wide problem stored when the remote refused the credential (store/health.ts). */
  credentialRefused?: { since: number; message: string };
  /** The sweep's own reading of the remote (store/reach.ts): unanswered or rate-limited since. */
  reach?: { kind: 'unreachable' | 'rate-limited'; since: number };
  /** The connection's failing items (at most 100 read), with since when each fails. */
  failures: ReadonlyArray<{ kind: string; since: number }>;
  /** Syncs of remote changes that only the sweep found, after the last sync a notification caused. */
  notifications: { lastNotifiedAt: number | null; sweepFoundSince: number[] };
  /** The connection's bulk sync while it runs: done so far and since when that figure has not moved. */
  bulk?: { total: number; done: number; unchangedSince: number };
  /** The oldest change the sweep found but could not take yet (its event budget ran out). */
  sweepBehindSince?: number;
}

const RETRYABLE = new Set(['transient', 'rate-limited', 'conflict']);
/**
 * Failures a person must act on, one item each (a refused credential is the connection's own condition): a whole write
 * refused, or one field's value refused while the rest crossed (`refused`, sync/refusals.ts), among others.
 */
const NEEDS_A_PERSON = new Set(['validation', 'refused', 'over-limit', 'not-found', 'unsupported']);
/** A bulk run that has not moved for this long is shown as possibly stalled, before its alert threshold. */
const BULK_QUIET_MS = 10 * 60_000;

export function evaluateConditions(
  seen: Observations,
  thresholds: AlertThresholds,
  previous: readonly ObservedCondition[] = [],
): ObservedCondition[] {
  const { now, system } = seen;
  const out: ObservedCondition[] = [];
  const before = new Map(previous.map((c) => [c.kind, c.since]));
  const add = (
    kind: ConditionKind,
    since: number,
    thresholdMs: number,
    c: { itemsWaiting: number; words: string; check: string; ready?: boolean },
  ) => {
    // A time a little ahead of this check's own (another invocation's clock) counts as now.
    const held = Math.min(since, before.get(kind) ?? since, now);
    out.push({
      kind,
      since: held,
      itemsWaiting: c.itemsWaiting,
      words: c.words,
      check: c.check,
      pastThreshold: (c.ready ?? true) && now - held >= thresholdMs,
    });
  };
  const count = (kinds: ReadonlySet<string> | string) =>
    seen.failures.filter((f) => (typeof kinds === 'string' ? f.kind === kinds : kinds.has(f.kind)));
  const earliest = (times: readonly number[]) => (times.length ? Math.min(...times) : undefined);

  if (seen.credentialRefused) {
    add('credential-refused', seen.credentialRefused.since, 0, {
      itemsWaiting: count('auth').length,
      words: `${system} refuses Crosswalk's sign-in, so nothing syncs`,
      check: `Enter a working credential for ${system} on the connection's settings page (Edit → sign-in), or ask the ${system} admin whether the integration account was disabled or its token revoked.`,
    });
  }
  for (const kind of ['unreachable', 'rate-limited'] as const) {
    const failing = count(kind === 'unreachable' ? 'transient' : 'rate-limited');
    const since = earliest([...(seen.reach?.kind === kind ? [seen.reach.since] : []), ...failing.map((f) => f.since)]);
    if (since === undefined) continue;
    if (kind === 'unreachable')
      add(kind, since, thresholds.unreachableMinutes * 60_000, {
        itemsWaiting: failing.length,
        words: `${system} does not answer (network or server errors), so changes wait`,
        check: `Check that ${system} is up and reachable from the internet. Crosswalk keeps trying and catches up by itself once ${system} answers.`,
      });
    else
      add(kind, since, thresholds.rateLimitedMinutes * 60_000, {
        itemsWaiting: failing.length,
        words: `${system} keeps refusing requests over its rate limit, so changes wait`,
        check: `Check what else uses the same ${system} account (scripts, other integrations) or raise its limit. Crosswalk waits as ${system} asks and resumes by itself.`,
      });
  }
  const stuck = count(NEEDS_A_PERSON);
  if (stuck.length) {
    const order = stuck.map((f) => f.since).sort((a, b) => a - b);
    const over = stuck.length > thresholds.failingItems;
    add('items-failing', order[over ? thresholds.failingItems : 0]!, 0, {
      itemsWaiting: stuck.length,
      words: `${stuck.length} item${stuck.length === 1 ? '' : 's'} cannot sync until someone fixes what ${system} or Jira refused`,
      check: `Open the connection's failing items on the settings page: each says what was refused and where to fix it, then Retry.`,
      ready: over,
    });
  }
  const found = [...seen.notifications.sweepFoundSince].sort((a, b) => a - b);
  if (found.length) {
    add('notifications-silent', found[0]!, thresholds.silentMinutes * 60_000, {
      itemsWaiting: 0,
      words: `${system}'s change notifications are not reaching Crosswalk: the five-minute sweep found ${found.length} change${found.length === 1 ? '' : 's'} no notification announced, so sync runs up to five minutes late`,
      check: `Check ${system}'s notification set-up against the connection page's "Change notifications" section, then use its test there.`,
      ready: found.length >= 2,
    });
  }
  if (seen.bulk && seen.bulk.done < seen.bulk.total && now - seen.bulk.unchangedSince >= BULK_QUIET_MS) {
    add('bulk-stalled', seen.bulk.unchangedSince, thresholds.bulkStalledMinutes * 60_000, {
      itemsWaiting: seen.bulk.total - seen.bulk.done,
      words: `The bulk sync has not moved (${seen.bulk.done} of ${seen.bulk.total} done)`,
      check: `Look at the bulk sync's progress and failing items on the connection page; cancel it and start it again if it stays stuck.`,
    });
  }
  const waiting = count(RETRYABLE);
  const oldest = earliest([
    ...(seen.sweepBehindSince !== undefined ? [seen.sweepBehindSince] : []),
    ...waiting.map((f) => f.since),
  ]);
  if (oldest !== undefined && now - oldest >= thresholds.backlogMinutes * 60_000)
    add('backlog-old', oldest, thresholds.backlogMinutes * 60_000, {
      itemsWaiting: waiting.length,
      words: `Changes wait longer than ${thresholds.backlogMinutes} minutes to sync`,
      check: `Crosswalk is behind: see whether ${system} is rate-limited or unreachable above; a large bulk sync may also hold the queue.`,
    });
  return out;
}
