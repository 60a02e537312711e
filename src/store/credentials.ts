import { kvs } from '@forge/kvs';
import * as z from 'zod';

/**
 * A connection's secrets, in Forge secret storage under a key the server
 * derives from the connection id: the browser never names, reads or chooses
 * one, so no project can point its connection at another's secret.
 */
export const credentialSchema = z.object({
  password: z.string().min(1).max(1000).optional(),
  clientSecret: z.string().min(1).max(1000).optional(),
  token: z.string().min(1).max(1000).optional(),
  webhookSecret: z.string().min(16).max(200).optional(),
});
export type Credential = z.infer<typeof credentialSchema>;

const secretKey = (connectionId: string) => `credential:${connectionId}`;

export async function getCredential(connectionId: string): Promise<Credential | undefined> {
  const parsed = credentialSchema.safeParse(await kvs.getSecret(secretKey(connectionId)));
  return parsed.success ? parsed.data : undefined;
}

/** Replaces only the fields given: a new password keeps the webhook secret stored beside it. */
export async function updateCredential(connectionId: string, change: Credential): Promise<Credential> {
  const merged = { ...((await getCredential(connectionId)) ?? {}), ...credentialSchema.parse(change) };
  await kvs.setSecret(secretKey(connectionId), merged);
  return merged;
}

export async function deleteCredential(connectionId: string): Promise<void> {
  await kvs.deleteSecret(secretKey(connectionId));
}

/** Which secret fields are set, never their values: what the settings page may know. */
export function credentialFieldsSet(credential: Credential | undefined): Array<keyof Credential> {
  return credential ? (Object.keys(credential) as Array<keyof Credential>).filter((k) => Boolean(credential[k])) : [];
}
