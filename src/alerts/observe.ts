/**
 * What the alert check reads about one connection (the shell around evaluate.ts): only records the sync keeps
 * anyway (the failing items, the connection's health, the sweep's cursors and reach, the links' sync steps, the
 * bulk run) and, while a bulk sync runs, its queue jobs' counts. Nothing is asked of the remote.
 */
import type { ConnectionConfig } from '../mapping/connection-config';
import { getBulkRun } from '../store/bulk-runs';
import { getCappedCursor } from '../store/cursors';
import { failuresOfConnection } from '../store/failures';
import { getConnectionHealth } from '../store/health';
import { linksOfConnection } from '../store/links';
import { getRemoteReach } from '../store/reach';
import { bulkProgress } from '../sync/sync-queue';
import type { AlertState } from '../store/alert-state';
import type { Observations } from './evaluate';

/** Pages of links (100 each) read for the steps that tell notifications from the sweep, and the last sync. */
const MAX_LINK_PAGES = 10;

export interface Observed {
  seen: Observations;
  failing: number;
  lastSyncAt: number | null;
  /** The first affected issue (a failing one, else the most recently synced): Jira's email is sent about it. */
  firstIssue?: { issueId: string; issueKey?: string };
  bulk?: AlertState['bulk'];
}

export async function observeConnection(
  config: ConnectionConfig,
  system: string,
  previous: AlertState | undefined,
  now: number,
): Promise<Observed> {
  const [health, reach, failures, capped, steps, bulk] = await Promise.all([
    getConnectionHealth(config.id),
    getRemoteReach(config.id),
    failuresOfConnection(config.id),
    getCappedCursor(config.id),
    stepsOf(config),
    bulkOf(config.id, previous?.bulk, now),
  ]);
  const failingIssue = failures.find((f) => f.item.side === 'jira');
  const firstIssue =
    failingIssue?.item.side === 'jira'
      ? { issueId: failingIssue.item.issueId, ...keyOf(steps.keys, failingIssue.item.issueId) }
      : steps.latestIssue;
  return {
    seen: {
      now,
      system,
      ...(health?.kind === 'auth'
        ? { credentialRefused: { since: Date.parse(health.at) || now, message: health.message } }
        : {}),
      ...(reach ? { reach } : {}),
      failures: failures.map((f) => ({ kind: f.kind, since: f.since ?? f.at })),
      notifications: { lastNotifiedAt: steps.lastNotifiedAt, sweepFoundSince: steps.sweepFound },
      ...(bulk && bulk.done < bulk.total ? { bulk } : {}),
      ...(capped ? { sweepBehindSince: capped.at } : {}),
    },
    failing: failures.length,
    lastSyncAt: steps.lastSyncAt,
    ...(firstIssue ? { firstIssue } : {}),
    ...(bulk ? { bulk: { startedAt: bulk.startedAt, done: bulk.done, unchangedSince: bulk.unchangedSince } } : {}),
  };
}

const keyOf = (keys: ReadonlyMap<string, string>, issueId: string) => {
  const issueKey = keys.get(issueId);
  return issueKey ? { issueKey } : {};
};

/**
 * The steps the links keep (sync/timeline.ts): the last sync, the last one a notification caused (its cause names
 * the system, as the change-push check reads it), and the remote changes only the sweep brought after it.
 */
async function stepsOf(config: ConnectionConfig) {
  const prefix = `${config.remote.type}:`;
  let lastSyncAt: number | null = null;
  let lastNotifiedAt: number | null = null;
  let latestIssue: { issueId: string; issueKey?: string; at: number } | undefined;
  const sweepSteps: number[] = [];
  const keys = new Map<string, string>();
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await linksOfConnection(config.id, cursor);
    for (const link of page.links) {
      keys.set(link.issueId, link.issueKey);
      for (const step of link.timeline ?? []) {
        if (lastSyncAt === null || step.confirmedAt > lastSyncAt) lastSyncAt = step.confirmedAt;
        if (!latestIssue || step.confirmedAt > latestIssue.at)
          latestIssue = { issueId: link.issueId, issueKey: link.issueKey, at: step.confirmedAt };
        if (step.cause?.startsWith(prefix) && (lastNotifiedAt === null || step.confirmedAt > lastNotifiedAt))
          lastNotifiedAt = step.confirmedAt;
        // A remote change brought by either half of the sweep (the Jira half reads the remote of a pair too).
        if (step.cause?.startsWith('sweep:') && step.toward !== 'remote') sweepSteps.push(step.confirmedAt);
      }
    }
    cursor = page.cursor;
  } while (cursor && ++pages < MAX_LINK_PAGES);
  return {
    lastSyncAt,
    lastNotifiedAt,
    sweepFound: sweepSteps.filter((at) => lastNotifiedAt === null || at > lastNotifiedAt),
    keys,
    latestIssue: latestIssue ? { issueId: latestIssue.issueId, issueKey: latestIssue.issueKey } : undefined,
  };
}

/** The running bulk sync's progress, and since when it has not moved (kept in the alert state between checks). */
async function bulkOf(connectionId: string, previous: AlertState['bulk'], now: number) {
  const run = await getBulkRun(connectionId);
  if (!run || run.cancelledAt) return undefined;
  // A run the previous check saw finished is not asked about again (its queue jobs cost a call each).
  if (previous?.startedAt === run.startedAt && previous.done >= run.total) return { ...previous, total: run.total };
  const stats = await bulkProgress(run.jobIds);
  const done = stats.success + stats.failed;
  const unchangedSince =
    previous?.startedAt === run.startedAt && previous.done === done ? previous.unchangedSince : now;
  return { startedAt: run.startedAt, total: run.total, done, unchangedSince };
}
