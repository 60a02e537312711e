import { kvs } from '@forge/kvs';

export const cursorKey = (connectionId: string, side: 'jira' | 'remote') => `cursor:${connectionId}:${side}`;

/** Sweep cursors: epoch ms up to which each side of a connection has been looked at. */
export async function getCursor(connectionId: string, side: 'jira' | 'remote'): Promise<number | undefined> {
  return (await kvs.get(cursorKey(connectionId, side))) as number | undefined;
}

export async function setCursor(connectionId: string, side: 'jira' | 'remote', at: number): Promise<void> {
  await kvs.set(cursorKey(connectionId, side), at);
}

/**
 * The Jira side's cursor when a sweep had to stop inside a run of issues
 * updated within its look-back window: JQL cannot page past them by time, so
 * the issues already taken there are kept and skipped next time.
 */
export interface CappedCursor {
  at: number;
  /** Issues already taken that the next query's look-back window still returns, with their update time. */
  taken: Array<{ id: string; at: number }>;
}

export async function getCappedCursor(connectionId: string): Promise<CappedCursor | undefined> {
  return (await kvs.get(`cursor:${connectionId}:jira-taken`)) as CappedCursor | undefined;
}

export async function setCappedCursor(connectionId: string, cursor: CappedCursor | undefined): Promise<void> {
  if (cursor) await kvs.set(`cursor:${connectionId}:jira-taken`, cursor);
  else await kvs.delete(`cursor:${connectionId}:jira-taken`);
}
