import { kvs } from '@forge/kvs';

/** A connection-wide problem (bad credentials): every item stops until an admin fixes it. */
export interface ConnectionHealth {
  kind: string;
  message: string;
  at: string;
}

export async function setConnectionHealth(connectionId: string, health: ConnectionHealth | undefined): Promise<void> {
  if (health) await kvs.set(`connection-health:${connectionId}`, health);
  else await kvs.delete(`connection-health:${connectionId}`);
}

export async function getConnectionHealth(connectionId: string): Promise<ConnectionHealth | undefined> {
  return (await kvs.get(`connection-health:${connectionId}`)) as ConnectionHealth | undefined;
}
