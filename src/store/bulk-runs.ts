import { kvs } from '@forge/kvs';

/** The last bulk sync of a connection, so the settings page can show its progress. */
export interface BulkRun {
  connectionId: string;
  startedAt: string;
  total: number;
  jobIds: string[];
  /** When an admin cancelled it: no further page is enqueued, and queued items not yet started are dropped. */
  cancelledAt?: string;
  /** Queue events the cancel dropped (the queue counts them among its failed ones). */
  cancelledEvents?: number;
}

const key = (connectionId: string) => `bulk-run:${connectionId}`;

export async function saveBulkRun(run: BulkRun): Promise<void> {
  await kvs.set(key(run.connectionId), run);
}

export async function getBulkRun(connectionId: string): Promise<BulkRun | undefined> {
  return (await kvs.get(key(connectionId))) as BulkRun | undefined;
}
