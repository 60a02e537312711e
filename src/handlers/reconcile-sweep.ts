import { enqueueReconcile } from '../sync/sync-queue';
import type { SyncJobBody } from '../sync/work-item';

/**
 * The five-minute safety net for lost events: it asks each connection which
 * items changed since its cursor and enqueues them. Connections are added by
 * the sync engine; without any, there is nothing to sweep.
 */
export async function onReconcileSweep(): Promise<{ enqueued: number }> {
  const jobs: SyncJobBody[] = [];
  if (jobs.length) await enqueueReconcile(jobs);
  return { enqueued: jobs.length };
}
