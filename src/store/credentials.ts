import { randomUUID } from 'node:crypto';
import { kvs } from '@forge/kvs';
import { setCredentialRev } from './connections';

/*
 * A connection's secrets, in Forge secret storage under a key the server
 * derives from the connection id: the browser never names, reads or chooses
 * one, so no project can point its connection at another's secret.
 */
import { credentialSchema, type Credential } from '../vocabulary/credential';
export { credentialSchema, type Credential };

const secretKey = (connectionId: string) => `credential:${connectionId}`;

export async function getCredential(connectionId: string): Promise<Credential | undefined> {
  const parsed = credentialSchema.safeParse(await kvs.getSecret(secretKey(connectionId)));
  return parsed.success ? parsed.data : undefined;
}

/**
 * The credential a warm instance read, per connection, with the connection's
 * `credentialRev` it was read under. The connection is read fresh by every
 * invocation, and every credential update gives it a new revision, so a
 * cached credential is used only while it is still the stored one. A
 * connection without a revision (saved before revisions existed) is always
 * read from secret storage.
 */
const warm = new Map<string, { rev: string; credential: Credential }>();

/** The connection's credential: from this warm instance when the connection's revision says it is still current, else from secret storage. */
export async function credentialFor(config: {
  id: string;
  credentialRev?: string | undefined;
}): Promise<Credential | undefined> {
  const cached = warm.get(config.id);
  if (config.credentialRev && cached?.rev === config.credentialRev) return cached.credential;
  const credential = await getCredential(config.id);
  if (credential && config.credentialRev) warm.set(config.id, { rev: config.credentialRev, credential });
  else warm.delete(config.id);
  return credential;
}

/** Forgets what this instance holds for a connection (its remote refused the credential): the next use reads it again. */
export function forgetCredential(connectionId: string): void {
  warm.delete(connectionId);
}

/**
 * Replaces only the fields given: a new password keeps the webhook secret
 * stored beside it. The connection then gets a new credential revision, so no
 * warm instance keeps using the old credential (the secret is written first:
 * an instance that reads the old revision meanwhile reads the new secret).
 */
export async function updateCredential(connectionId: string, change: Credential): Promise<Credential> {
  const merged = { ...((await getCredential(connectionId)) ?? {}), ...credentialSchema.parse(change) };
  await kvs.setSecret(secretKey(connectionId), merged);
  forgetCredential(connectionId);
  await setCredentialRev(connectionId, randomUUID());
  return merged;
}

export async function deleteCredential(connectionId: string): Promise<void> {
  forgetCredential(connectionId);
  await kvs.deleteSecret(secretKey(connectionId));
}

/** Which secret fields are set, never their values: what the settings page may know. */
export function credentialFieldsSet(credential: Credential | undefined): Array<keyof Credential> {
  return credential ? (Object.keys(credential) as Array<keyof Credential>).filter((k) => Boolean(credential[k])) : [];
}
