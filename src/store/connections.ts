import { kvs } from '@forge/kvs';
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
