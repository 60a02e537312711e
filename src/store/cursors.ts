import { kvs } from '@forge/kvs';

/** Sweep cursors: epoch ms up to which each side of a connection has been looked at. */
export async function getCursor(connectionId: string, side: 'jira' | 'remote'): Promise<number | undefined> {
  return (await kvs.get(`cursor:${connectionId}:${side}`)) as number | undefined;
}

export async function setCursor(connectionId: string, side: 'jira' | 'remote', at: number): Promise<void> {
  await kvs.set(`cursor:${connectionId}:${side}`, at);
}
