/**
 * How soon things must converge, from the schedules the platform and the engine keep (forge-platform.md §2,
 * src/handlers/sync-worker.ts, manifest.yml), for the `within` bound each end-to-end and fault case states: the
 * retries after the failures the case causes, one sweep period when a signal was lost. A case that converges only by
 * a slower path (a later retry, a sweep, a day of retries) fails.
 */
import { EVENT_LIMITS } from '../../sandbox/platform/events';
import { SCHEDULE_INTERVAL_MS, type Platform } from '../../sandbox/platform/platform';
import { backOfTheLine, retryDelaySeconds } from '../../src/handlers/sync-worker';
import { SEARCH_SETTLE_MS } from '../../src/sync/create';

/** No retry waits longer than this: the platform's backoff and the wait the engine asks for are both capped at it. */
export const LONGEST_RETRY_WAIT_MS = Math.max(
  EVENT_LIMITS.maxBackoffMs,
  EVENT_LIMITS.maxRetryAfterSeconds * 1000,
  retryDelaySeconds(Infinity) * 1000,
);

/** A crashed (or timed-out) run's event runs again this much later: the platform's first backoff. */
export const AFTER_A_CRASH_MS = EVENT_LIMITS.firstBackoffMs;

/**
 * The time the engine's retries take after `failures` failed attempts in a row (a 5xx, a dropped connection, a
 * refused write: anything retryable the remote said without a window of its own): 10 s, then 20 s, then 40 s, ….
 */
export function syncRetriesMs(failures: number): number {
  let total = 0;
  for (let attempt = 0; attempt < failures; attempt++) total += retryDelaySeconds(attempt) * 1000;
  return total;
}

/**
 * A remote's window (a 429's Retry-After) as the engine waits it out: the window, and what a job that comes back while
 * it is still open adds to it (at most a tenth of it, sync-worker.ts), and a second the engine rounds up to.
 */
export function rateLimitWaitMs(windowMs: number): number {
  return windowMs + backOfTheLine(undefined, windowMs) * 1000 + 1000;
}

/**
 * A create from a remote item that crashed after it marked the create as started, before it made (or linked) the
 * issue: the next run cannot tell a missing issue from one Jira's search does not show yet, so it waits until the
 * mark is SEARCH_SETTLE_MS old (create.ts), in whole seconds.
 */
export const SEARCH_WAIT_MS = SEARCH_SETTLE_MS + 1000;

/** The period of the sweep that finds what lost signals did not say (the manifest's `reconcile-sweep`). */
export function sweepPeriodMs(platform: Platform): number {
  const sweep = platform.manifest.scheduledTriggers.find((t) => t.key === 'reconcile-sweep');
  if (!sweep) throw new Error('The manifest has no reconcile-sweep');
  return SCHEDULE_INTERVAL_MS[sweep.interval];
}
