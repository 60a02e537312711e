import { kvs, WhereConditions } from '@forge/kvs';
import * as z from 'zod';
import { connectionConfigSchema, type ConnectionConfig } from '../mapping/connection-config';

/**
 * Connections and their credentials. The config is plain storage; the
 * credential is a Forge secret that no resolver ever returns.
 */
const configKey = (id: string) => `connection:${id}`;
const projectKey = (projectId: string) => `project-connection:${projectId}`;
const secretKey = (ref: string) => `credential:${ref}`;

export const credentialSchema = z.object({ password: z.string().optional(), clientSecret: z.string().optional(), token: z.string().optional(), webhookSecret: z.string().optional() });
export type Credential = z.infer<typeof credentialSchema>;

export async function getConnection(id: string): Promise<ConnectionConfig | undefined> {
  const parsed = connectionConfigSchema.safeParse(await kvs.get(configKey(id)));
  return parsed.success ? parsed.data : undefined;
}

export async function connectionForProject(projectId: string): Promise<ConnectionConfig | undefined> {
  const id = (await kvs.get(projectKey(projectId))) as string | undefined;
  return id ? getConnection(id) : undefined;
}

export async function saveConnection(config: ConnectionConfig): Promise<void> {
  await kvs.transact().set(configKey(config.id), config).set(projectKey(config.jiraProjectId), config.id).execute();
}

export async function deleteConnection(config: ConnectionConfig): Promise<void> {
  await kvs.transact().delete(configKey(config.id)).delete(projectKey(config.jiraProjectId)).execute();
  await kvs.deleteSecret(secretKey(config.remote.auth.secretRef));
}

export async function setCredential(ref: string, credential: Credential): Promise<void> {
  await kvs.setSecret(secretKey(ref), credentialSchema.parse(credential));
}

export async function getCredential(ref: string): Promise<Credential | undefined> {
  const parsed = credentialSchema.safeParse(await kvs.getSecret(secretKey(ref)));
  return parsed.success ? parsed.data : undefined;
}

export async function listConnections(): Promise<ConnectionConfig[]> {
  const out: ConnectionConfig[] = [];
  let cursor: string | undefined;
  do {
    let q = kvs.query().where('key', WhereConditions.beginsWith('connection:')).limit(100);
    if (cursor) q = q.cursor(cursor);
    const page = await q.getMany();
    for (const r of page.results) {
      const parsed = connectionConfigSchema.safeParse(r.value);
      if (parsed.success) out.push(parsed.data);
    }
    cursor = page.nextCursor;
  } while (cursor);
  return out;
}

/** Sweep cursors: epoch ms up to which each side has been looked at. */
export async function getCursor(connectionId: string, side: 'jira' | 'remote'): Promise<number | undefined> {
  return (await kvs.get(`cursor:${connectionId}:${side}`)) as number | undefined;
}

export async function setCursor(connectionId: string, side: 'jira' | 'remote', at: number): Promise<void> {
  await kvs.set(`cursor:${connectionId}:${side}`, at);
}

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
