import { kvs } from '@forge/kvs';
import type { CanonicalValue } from '../sync/canonical';
import type { SidePair } from '../sync/field-decision';

/**
 * A link between a Jira issue and a remote item, with the last synced snapshot:
 * per field, what each side held after the last sync (the three-way base).
 */
export interface Link {
  connectionId: string;
  issueId: string;
  issueKey: string;
  remoteId: string;
  remoteKey: string;
  remoteUrl: string;
  /** Whether the Jira remote link to the remote item exists (written after the link, so a crash in between is repaired). */
  remoteLinked?: boolean;
  /** Which side the item was first created on, or `linked` when a person linked two existing items. */
  origin: 'jira' | 'remote' | 'linked';
  base: Record<string, SidePair<CanonicalValue>>;
  lastSyncAt?: string;
  lastError?: { kind: string; message: string; at: string; field?: string };
  conflicts?: Array<{ field: string; winner: string; reason: string; at: string }>;
  /** Things people should know that are not failures (an edit the remote cannot take), newest last. */
  notices?: string[];
}

const byIssue = (issueId: string) => `link:jira:${issueId}`;
const byRemote = (connectionId: string, remoteId: string) => `link:remote:${connectionId}:${remoteId}`;

export async function linkForIssue(issueId: string): Promise<Link | undefined> {
  return (await kvs.get(byIssue(issueId))) as Link | undefined;
}

export async function issueForRemote(connectionId: string, remoteId: string): Promise<string | undefined> {
  return (await kvs.get(byRemote(connectionId, remoteId))) as string | undefined;
}

/** Both directions of the link in one transaction, so a crash never leaves half a link. */
export async function saveLink(link: Link): Promise<void> {
  await kvs.transact().set(byIssue(link.issueId), link).set(byRemote(link.connectionId, link.remoteId), link.issueId).execute();
}

export async function updateLink(link: Link): Promise<void> {
  await kvs.set(byIssue(link.issueId), link);
}

export async function deleteLink(link: Link): Promise<void> {
  await kvs.transact().delete(byIssue(link.issueId)).delete(byRemote(link.connectionId, link.remoteId)).execute();
}
