import { kvs } from '@forge/kvs';

/**
 * Whether the remote answered the sweep's listing, kept by the sweep (one read a sweep, a write only when it
 * changes): a remote down while nobody changes anything fails no item, yet an admin wants to know.
 */
export interface RemoteReach {
  kind: 'unreachable' | 'rate-limited';
  /** Epoch ms of the first listing that failed so. */
  since: number;
}

const key = (connectionId: string) => `remote-reach:${connectionId}`;

export async function getRemoteReach(connectionId: string): Promise<RemoteReach | undefined> {
  return (await kvs.get(key(connectionId))) as RemoteReach | undefined;
}

/** Notes a failed listing; the first one of a kind sets since when. */
export async function noteUnanswered(connectionId: string, kind: RemoteReach['kind'], at: number): Promise<void> {
  const was = await getRemoteReach(connectionId);
  if (was?.kind !== kind) await kvs.set(key(connectionId), { kind, since: at } satisfies RemoteReach);
}

export async function noteAnswered(connectionId: string): Promise<void> {
  if (await getRemoteReach(connectionId)) await kvs.delete(key(connectionId));
}

export async function forgetRemoteReach(connectionId: string): Promise<void> {
  await kvs.delete(key(connectionId));
}
