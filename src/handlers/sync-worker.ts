import { InvocationError, InvocationErrorCode } from '@forge/events';
import { isSyncError, SyncError } from '../connectors/errors';
import { remoteWait } from '../connectors/pacing';
import { getConnection } from '../store/connections';
import { clearFailure, recordFailure } from '../store/failures';
import { setConnectionHealth } from '../store/health';
import { getLink, updateLink } from '../store/links';
import { runBulkPage } from '../sync/bulk';
import { reconcileIssue, reconcileRemoteItem, scopeForCause } from '../sync/reconcile';
import { endLinksPage } from '../sync/end-links';
import { enqueueEndLinks } from '../sync/sync-queue';
import { bulkPageBody, endLinksBody, syncJobBody, type WorkItemRef } from '../sync/work-item';

const FIRST_RETRY_SECONDS = 10;
const MAX_RETRY_SECONDS = 900;
/** A failure that is not a remote's answer (a bug, an unexpected shape) is retried a few times, then left to the sweep. */
const MAX_INTERNAL_RETRIES = 3;

/** How long a retryable failure waits before the next attempt (attempt 0 is the first): 10 s, 20 s, 40 s, … ≤ 15 min. */
export function retryDelaySeconds(attempt: number): number {
  return Math.min(MAX_RETRY_SECONDS, FIRST_RETRY_SECONDS * 2 ** attempt);
}

/**
 * Consumer of the sync queue: reconcile one item. Every failure is recorded
 * where people see it (the issue panel, the settings page) before anything
 * else; transient and rate-limited ones come back through InvocationError with
 * the remote's window, the others wait for a person or the sweep.
 */
export async function runSyncJob(event: {
  body: unknown;
  retryContext?: { retryCount: number };
}): Promise<InvocationError | undefined> {
  const bulk = bulkPageBody.safeParse(event.body);
  if (bulk.success) {
    await runBulkPage(bulk.data);
    return undefined;
  }
  const ending = endLinksBody.safeParse(event.body);
  if (ending.success) {
    const { connectionId } = ending.data.endLinks;
    if ((await endLinksPage(connectionId)).more) await enqueueEndLinks(connectionId);
    return undefined;
  }
  const job = syncJobBody.safeParse(event.body);
  if (!job.success) {
    // A malformed job can never succeed; retrying it would only burn invocations.
    console.error('Dropping malformed sync job', job.error.issues.map((i) => i.path.join('.')).join(', '));
    return undefined;
  }
  const { item, cause, connectionId } = job.data;
  const attempt = event.retryContext?.retryCount ?? 0;
  // A remote that told this instance to wait (its rate limit's window, connectors/pacing.ts) is not asked again before
  // then: a job that names its connection comes back after it, having read and written nothing.
  const wait = connectionId ? remoteWait(connectionId) : { left: 0, span: 0 };
  if (wait.left > 0) return retry(Math.ceil(wait.left / 1000) + backOfTheLine(job.data.queuedAt, wait.span), true);
  try {
    const outcome =
      item.side === 'jira'
        ? await reconcileIssue(
            item.issueId,
            {
              ...scopeForCause(cause, job.data.queuedAt, job.data.touches),
              ...(job.data.newestComment ? { newestRemoteComment: job.data.newestComment } : {}),
            },
            connectionId,
            job.data.jira,
            job.data.remote,
          )
        : await reconcileRemoteItem(item.connectionId, item.remoteId);
    // A revisited failure whose item no longer syncs (gone, out of scope, unlinked) has nothing left to show.
    if (cause.startsWith('retry') && outcome.result !== 'synced' && outcome.result !== 'forwarded')
      await clearFailure(item);
    return undefined;
  } catch (e) {
    // Storage over its rate limit (Forge's 1,000 requests a second, 4,000 units a minute): nothing is wrong with the item,
    // so nothing is recorded (that would only add to the load); it comes back after a spread-out wait, not with its siblings.
    if (storageRateLimited(e)) return retry(5 + Math.floor(Math.random() * 55), true);
    const error = isSyncError(e)
      ? e
      : new SyncError({
          system: 'crosswalk',
          kind: 'transient',
          message: `Internal error: ${e instanceof Error ? e.message : String(e)}`,
        });
    await noteFailure(item, error, connectionId);
    if (!isSyncError(e) && attempt >= MAX_INTERNAL_RETRIES) return undefined;
    if (error.retryable) {
      const seconds =
        error.details.retryAfterMs !== undefined
          ? Math.ceil(error.details.retryAfterMs / 1000)
          : retryDelaySeconds(attempt);
      return retry(seconds, error.kind === 'rate-limited');
    }
    return undefined;
  }
}

/** Forge KVS's answer when the installation's storage rate limit is reached (transactions say TOO_MANY_REQUESTS). */
function storageRateLimited(e: unknown): boolean {
  const code = (e as { code?: unknown } | undefined)?.code;
  return (
    (e as Error | undefined)?.name === 'ForgeKvsError' &&
    (code === 'RATE_LIMIT_EXCEEDED' || code === 'TOO_MANY_REQUESTS')
  );
}

/**
 * Seconds a waiting job adds to the remote's window, so that when it opens the jobs queued longest go first: up to a
 * tenth of the window (at most a minute), less the older the job, none from 10 hours on. A job is then never starved
 * past the queue's 24-hour retention by younger ones that happened to come back sooner, and a short window (Zendesk's
 * minute) loses only seconds.
 */
export function backOfTheLine(queuedAt: number | undefined, windowMs: number): number {
  const youth = queuedAt === undefined ? 1 : Math.max(0, 1 - (Date.now() - queuedAt) / (10 * 3600_000));
  return Math.ceil(Math.min(60, windowMs / 10_000) * youth);
}

function retry(seconds: number, rateLimited: boolean): InvocationError {
  return new InvocationError({
    retryAfter: Math.min(MAX_RETRY_SECONDS, Math.max(1, seconds)),
    retryReason: rateLimited
      ? InvocationErrorCode.FUNCTION_UPSTREAM_RATE_LIMITED
      : InvocationErrorCode.FUNCTION_RETRY_REQUEST,
  });
}

/**
 * Records the failure for the item, linked or not, and marks its link so the next success clears it. An issue not
 * linked yet (its create failed) belongs to the connection its job names: a credential refused on a create stops the
 * connection as much as one refused on an update.
 */
async function noteFailure(item: WorkItemRef, e: SyncError, jobConnectionId: string | undefined): Promise<void> {
  const link = item.side === 'jira' ? await getLink(item.issueId) : undefined;
  const connectionId =
    link?.connectionId ??
    (item.side === 'remote' ? item.connectionId : (e.details.connectionId ?? jobConnectionId ?? ''));
  await recordFailure({
    item,
    connectionId,
    kind: e.kind,
    message: e.message,
    ...(e.details.field ? { field: e.details.field } : {}),
    at: Date.now(),
  });
  if (link && !link.failing) {
    await updateLink({ ...link, failing: true }).catch(() => undefined);
  }
  // Bad credentials stop the whole connection: say so where the admin looks.
  if (e.kind === 'auth' && connectionId && (await getConnection(connectionId)))
    await setConnectionHealth(connectionId, { kind: e.kind, message: e.message, at: new Date().toISOString() });
}
