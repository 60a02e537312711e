import { Queue } from '@forge/events';
import { concurrencyKeyFor, type SyncJobBody } from './work-item';

export const SYNC_QUEUE_KEY = 'crosswalk-sync';
const MAX_EVENTS_PER_PUSH = 50;

/** Enqueue "reconcile this item" jobs, one per item, serialised per item. */
export async function enqueueReconcile(jobs: SyncJobBody[]): Promise<void> {
  const queue = new Queue({ key: SYNC_QUEUE_KEY });
  for (let i = 0; i < jobs.length; i += MAX_EVENTS_PER_PUSH) {
    await queue.push(
      jobs.slice(i, i + MAX_EVENTS_PER_PUSH).map((job) => ({
        body: job,
        concurrency: { key: concurrencyKeyFor(job.item), limit: 1 },
      })),
    );
  }
}
