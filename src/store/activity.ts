import { kvs } from '@forge/kvs';
import { concurrencyKeyFor, type WorkItemRef } from '../sync/work-item';

/** The last thing that happened to an item, so people can see what is pending and why. */
export interface ItemActivity {
  item: WorkItemRef;
  lastCause: string;
  lastSeenAt: string;
  attempts: number;
}

const key = (item: WorkItemRef) => `activity:${concurrencyKeyFor(item)}`;

export async function recordItemSeen(item: WorkItemRef, cause: string, at: Date): Promise<ItemActivity> {
  const previous = (await kvs.get(key(item))) as ItemActivity | undefined;
  const next: ItemActivity = { item, lastCause: cause, lastSeenAt: at.toISOString(), attempts: (previous?.attempts ?? 0) + 1 };
  await kvs.set(key(item), next);
  return next;
}

export async function getItemActivity(item: WorkItemRef): Promise<ItemActivity | undefined> {
  return (await kvs.get(key(item))) as ItemActivity | undefined;
}
