import { kvs, WhereConditions } from '@forge/kvs';
import type { WorkItemRef } from '../sync/work-item';

/**
 * Failures that stop an item, linked or not (a create the remote refused has
 * no link to hold it): what the issue panel and the settings page show, and
 * what the sweep revisits after the queue's retries have run out.
 */
export interface SyncFailure {
  item: WorkItemRef;
  connectionId: string;
  kind: string;
  message: string;
  field?: string;
  /** Epoch ms of the latest attempt that failed. */
  at: number;
  /** Epoch ms of the first attempt that failed so (the same kind), for "since when" (absent on older records). */
  since?: number;
  attempts: number;
}

const FAILURE = 'sync-failure';

export const failureKey = (item: WorkItemRef) =>
  item.side === 'jira' ? `jira:${item.issueId}` : `remote:${item.connectionId}:${item.remoteId}`;

export async function getFailure(item: WorkItemRef): Promise<SyncFailure | undefined> {
  return kvs.entity<SyncFailure>(FAILURE).get(failureKey(item));
}

export async function recordFailure(failure: Omit<SyncFailure, 'attempts'>): Promise<SyncFailure> {
  const previous = await getFailure(failure.item);
  const since = previous?.kind === failure.kind ? (previous.since ?? previous.at) : failure.at;
  const stored: SyncFailure = { ...failure, since, attempts: (previous?.attempts ?? 0) + 1 };
  await kvs.entity<SyncFailure>(FAILURE).set(failureKey(failure.item), stored);
  return stored;
}

export async function clearFailure(item: WorkItemRef): Promise<void> {
  await kvs.entity<SyncFailure>(FAILURE).delete(failureKey(item));
}

/** Failures whose last attempt is older than `before` (epoch ms), oldest first. */
export async function failuresBefore(before: number, limit: number): Promise<SyncFailure[]> {
  const page = await kvs
    .entity<SyncFailure>(FAILURE)
    .query()
    .index('by-time')
    .where(WhereConditions.lessThan(before))
    .limit(Math.min(100, limit))
    .getMany();
  return page.results.map((r) => r.value);
}

export async function failuresOfConnection(connectionId: string, limit = 100): Promise<SyncFailure[]> {
  const page = await kvs
    .entity<SyncFailure>(FAILURE)
    .query()
    .index('by-connection', { partition: [connectionId] })
    .limit(Math.min(100, limit))
    .getMany();
  return page.results.map((r) => r.value);
}
