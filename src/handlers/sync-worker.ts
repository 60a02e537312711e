import { syncJobBody } from '../sync/work-item';
import { recordItemSeen } from '../store/activity';

/**
 * Consumer of the sync queue. Until connections exist (the engine arrives with
 * the ServiceNow issue), reconciling an item means recording that it was seen.
 */
export async function runSyncJob(event: { body: unknown }): Promise<void> {
  const job = syncJobBody.safeParse(event.body);
  if (!job.success) {
    // A malformed job can never succeed; retrying it would only burn invocations.
    console.error('Dropping malformed sync job', job.error.issues.map((i) => i.path.join('.')).join(', '));
    return;
  }
  await recordItemSeen(job.data.item, job.data.cause, new Date());
}
