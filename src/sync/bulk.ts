import { Queue } from '@forge/events';
import { searchIssueIds } from '../connectors/jira/client';
import type { ConnectionConfig } from '../mapping/connection-config';
import { getConnection } from '../store/connections';
import { getBulkRun, saveBulkRun, type BulkRun } from '../store/bulk-runs';
import {
  BULK_BACKLOG,
  BULK_PAGE_SIZE,
  bulkProgress,
  enqueueBulkPage,
  enqueueReconcile,
  SYNC_QUEUE_KEY,
} from './sync-queue';
import type { BulkPageBody } from './work-item';

const MAX_BULK_ISSUES = 10_000;

/** The issues a bulk sync covers, oldest first so pages are stable while it runs. */
export function bulkSyncIssueIds(config: ConnectionConfig): Promise<string[]> {
  return searchIssueIds(
    `project = ${config.jiraProjectId}${config.jql.trim() ? ` AND (${config.jql})` : ''} ORDER BY created ASC`,
    MAX_BULK_ISSUES,
  );
}

/** Drops the queue events of these jobs that have not started (running ones finish); a job already gone is fine. */
async function cancelJobs(jobIds: readonly string[]): Promise<void> {
  const queue = new Queue({ key: SYNC_QUEUE_KEY });
  for (const id of jobIds)
    await queue
      .getJob(id)
      .cancel()
      .catch(() => undefined);
}

/**
 * How long a page waits before looking again while the run's backlog is full: a minute more each time it finds it
 * full in a row, up to the queue's 15 minutes. A fast remote (Zendesk's minute window) drains it within a minute or
 * two; a slow one (an hourly ServiceNow rule) is looked at about four times an hour, which keeps the chain of pushes
 * a bulk run makes well within Forge's 1,000.
 */
function recheckSeconds(held: number): number {
  return Math.min(900, 60 * (held + 1));
}
/** The run's latest queue jobs asked about its backlog (each answers for one push of up to 50 items): older ones are almost always done. */
const BACKLOG_JOBS = 40;

/**
 * Enqueues one page of a bulk sync and schedules the next a minute later; a cancelled run enqueues nothing more.
 * While the run's earlier items are still queued beyond the backlog (a remote's rate limit holds them), the page
 * waits and looks again instead of adding to the queue.
 */
export async function runBulkPage(page: BulkPageBody): Promise<void> {
  const config = await getConnection(page.bulk.connectionId);
  if (!config?.enabled) return;
  const current = await getBulkRun(config.id);
  if (current?.cancelledAt) return;
  if (current?.jobIds.length && (await bulkProgress(current.jobIds.slice(-BACKLOG_JOBS))).inProgress >= BULK_BACKLOG) {
    const held = (page.bulk.held ?? 0) + 1;
    return enqueueBulkPage({ bulk: { ...page.bulk, held } }, recheckSeconds(held - 1));
  }
  const ids = await bulkSyncIssueIds(config);
  const slice = ids.slice(page.bulk.offset, page.bulk.offset + BULK_PAGE_SIZE);
  const jobIds = await enqueueReconcile(
    slice.map((issueId) => ({ item: { side: 'jira' as const, issueId }, cause: 'bulk', connectionId: config.id })),
  );
  const run = await getBulkRun(config.id);
  // Cancelled while this page was being enqueued: drop what it just queued too.
  if (run?.cancelledAt) return cancelJobs(jobIds);
  if (run) await saveBulkRun({ ...run, jobIds: [...run.jobIds, ...jobIds] });
  if (page.bulk.offset + BULK_PAGE_SIZE < ids.length)
    await enqueueBulkPage({ bulk: { connectionId: config.id, offset: page.bulk.offset + BULK_PAGE_SIZE } }, 60);
}

/**
 * Cancels a connection's bulk sync: no further page is enqueued, and its
 * queued items not yet started are dropped (items being synced finish; what
 * synced stays synced). Answers the run as cancelled, or undefined when there
 * is none running.
 */
export async function cancelBulkRun(connectionId: string): Promise<BulkRun | undefined> {
  const run = await getBulkRun(connectionId);
  if (!run || run.cancelledAt) return run;
  const cancelled: BulkRun = { ...run, cancelledAt: new Date().toISOString() };
  // Marked first, so a page about to run enqueues nothing (and one running drops what it queued).
  await saveBulkRun(cancelled);
  const before = await bulkProgress(run.jobIds);
  await cancelJobs(run.jobIds);
  const after = await bulkProgress(run.jobIds);
  const done: BulkRun = { ...cancelled, cancelledEvents: Math.max(0, after.failed - before.failed) };
  await saveBulkRun(done);
  return done;
}
