import { InvocationError, InvocationErrorCode } from '@forge/events';
import { isSyncError } from '../connectors/errors';
import { linkForIssue, updateLink } from '../store/links';
import { setConnectionHealth } from '../store/connections';
import { reconcileIssue, reconcileRemoteItem, scopeForCause } from '../sync/reconcile';
import { bulkPageBody, syncJobBody, type WorkItemRef } from '../sync/work-item';
import { runBulkPage } from '../sync/bulk';

const FIRST_RETRY_SECONDS = 10;
const MAX_RETRY_SECONDS = 900;

/**
 * Consumer of the sync queue: reconcile one item. Transient and rate-limited
 * failures come back through InvocationError (with the remote's window); the
 * others are recorded on the link where people see them, and not retried blindly.
 */
export async function runSyncJob(event: { body: unknown; retryContext?: { retryCount: number } }): Promise<ReturnType<typeof retry> | undefined> {
  const bulk = bulkPageBody.safeParse(event.body);
  if (bulk.success) {
    await runBulkPage(bulk.data);
    return undefined;
  }
  const job = syncJobBody.safeParse(event.body);
  if (!job.success) {
    // A malformed job can never succeed; retrying it would only burn invocations.
    console.error('Dropping malformed sync job', job.error.issues.map((i) => i.path.join('.')).join(', '));
    return undefined;
  }
  const { item, cause } = job.data;
  try {
    const scope = scopeForCause(cause);
    if (item.side === 'jira') await reconcileIssue(item.issueId, scope);
    else await reconcileRemoteItem(item.connectionId, item.remoteId, scope);
    return undefined;
  } catch (e) {
    if (!isSyncError(e)) throw e;
    await recordFailure(item, e.kind, e.message, e.details.field);
    if (e.retryable) {
      const attempt = event.retryContext?.retryCount ?? 0;
      const backoff = Math.min(MAX_RETRY_SECONDS, FIRST_RETRY_SECONDS * 2 ** attempt);
      const seconds = e.details.retryAfterMs !== undefined ? Math.ceil(e.details.retryAfterMs / 1000) : backoff;
      return retry(seconds, e.kind === 'rate-limited');
    }
    return undefined;
  }
}

function retry(seconds: number, rateLimited: boolean) {
  return new InvocationError({
    retryAfter: Math.min(MAX_RETRY_SECONDS, Math.max(1, seconds)),
    retryReason: rateLimited ? InvocationErrorCode.FUNCTION_UPSTREAM_RATE_LIMITED : InvocationErrorCode.FUNCTION_RETRY_REQUEST,
  });
}

async function recordFailure(item: WorkItemRef, kind: string, message: string, field?: string): Promise<void> {
  const at = new Date().toISOString();
  const link = item.side === 'jira' ? await linkForIssue(item.issueId) : undefined;
  if (link) await updateLink({ ...link, lastError: { kind, message, at, ...(field ? { field } : {}) } });
  // Bad credentials stop the whole connection: say so where the admin looks.
  const connectionId = link?.connectionId ?? (item.side === 'remote' ? item.connectionId : undefined);
  if (kind === 'auth' && connectionId) await setConnectionHealth(connectionId, { kind, message, at });
}
