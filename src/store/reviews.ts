import { kvs } from '@forge/kvs';

/**
 * Up to when a connection's conflicts were reviewed by its project's admins
 * (epoch ms): conflicts decided later are the ones to review. Kept apart from
 * the links, which only the engine writes.
 */
const key = (connectionId: string) => `conflicts-reviewed:${connectionId}`;

export async function conflictsReviewedAt(connectionId: string): Promise<number> {
  const at = await kvs.get<number>(key(connectionId));
  return typeof at === 'number' ? at : 0;
}

export async function markConflictsReviewed(connectionId: string, at: number): Promise<void> {
  await kvs.set(key(connectionId), at);
}

export async function forgetConflictReviews(connectionId: string): Promise<void> {
  await kvs.delete(key(connectionId));
}
