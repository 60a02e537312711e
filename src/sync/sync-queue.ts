import { Queue } from '@forge/events';
import { concurrencyKeyFor, type BulkPageBody, type EndLinksBody, type SyncJobBody } from './work-item';

export const SYNC_QUEUE_KEY = 'crosswalk-sync';
const MAX_EVENTS_PER_PUSH = 50;

/** Enqueue "reconcile this item" jobs, one per item, serialised per pair. Returns the queue's job ids. */
export async function enqueueReconcile(jobs: SyncJobBody[]): Promise<string[]> {
  // Each job carries when it was queued (for the issue panel's timeline; the queue itself does not say).
  const queue = new Queue({ key: SYNC_QUEUE_KEY });
  const jobIds: string[] = [];
  for (let i = 0; i < jobs.length; i += MAX_EVENTS_PER_PUSH) {
    const { jobId } = await queue.push(
      jobs.slice(i, i + MAX_EVENTS_PER_PUSH).map((job) => ({
        body: { ...job, queuedAt: job.queuedAt ?? Date.now() },
        concurrency: { key: concurrencyKeyFor(job.item), limit: 1 },
      })),
    );
    jobIds.push(jobId);
  }
  return jobIds;
}

/** Progress of a fan-out, summed over its queue jobs. */
export async function bulkProgress(
  jobIds: readonly string[],
): Promise<{ success: number; inProgress: number; failed: number }> {
  const queue = new Queue({ key: SYNC_QUEUE_KEY });
  const totals = { success: 0, inProgress: 0, failed: 0 };
  for (const id of jobIds) {
    const s = await queue.getJob(id).getStats();
    totals.success += s.success;
    totals.inProgress += s.inProgress;
    totals.failed += s.failed;
  }
  return totals;
}

/** Forge allows 500 events a minute per installation; a bulk page (one a minute at most) stays well under it. */
export const BULK_PAGE_SIZE = 50;
/**
 * A bulk sync's items queued and not yet done, above which no further page goes in: a remote's rate limit then
 * holds the rest back in Jira rather than in the queue, whose events live 24 hours (a ServiceNow rule of 300
 * requests an hour passes about 20 issues with their comments and files an hour).
 */
export const BULK_BACKLOG = 25;

export async function enqueueBulkPage(page: BulkPageBody, delayInSeconds = 0): Promise<void> {
  await new Queue({ key: SYNC_QUEUE_KEY }).push({
    body: page,
    ...(delayInSeconds ? { delayInSeconds } : {}),
    concurrency: { key: `bulk-${page.bulk.connectionId}`, limit: 1 },
  });
}

/** Queues the next page of ending a deleted connection's links; one page at a time per connection. */
export async function enqueueEndLinks(connectionId: string): Promise<void> {
  const body: EndLinksBody = { endLinks: { connectionId } };
  await new Queue({ key: SYNC_QUEUE_KEY }).push({ body, concurrency: { key: `end-links-${connectionId}`, limit: 1 } });
}
