import type { ParentBase } from '../sync/parent-plan';
import type { RelatedBase } from '../sync/related-links';
import { kvs, Filter, FilterConditions, WhereConditions } from '@forge/kvs';
import type { ConnectionConfig } from '../mapping/connection-config';
import { configKey, getConnection, parseConnection } from './connections';
import { CLOSED_ACCOUNT, noteAccounts } from './personal-data';
import type { CanonicalValue } from '../sync/canonical';
import type { SidePair } from '../sync/field-decision';
import type { CrossedPair } from '../sync/crossing';
import type { SyncStep } from '../sync/timeline';
import type { Refusal } from '../sync/refusals';
import type { ResolutionSnapshot } from '../sync/resolution';

/**
 * A link between a Jira issue and a remote item, with what the engine needs to
 * reconcile them: the per-side snapshot of every mapped field (the three-way
 * base) and which comments and files have crossed. Stored as a custom entity
 * so every write is conditional on the generation read: an unlink, or a second
 * writer, makes a stale write fail instead of bringing half a link back.
 */
export interface Link {
  connectionId: string;
  issueId: string;
  issueKey: string;
  remoteId: string;
  remoteKey: string;
  remoteUrl: string;
  /** The remote item's status as the remote names it (for people). */
  remoteStatus?: string;
  /** The remote item's title as last read (for people; cut to sync/item-shown.ts's bound). */
  remoteTitle?: string;
  /** Whether the Jira remote link to the remote item exists (written after the link, so a crash in between is repaired). */
  remoteLinked?: boolean;
  /** Whether the remote item carries our correlation marker (items created from the remote get it after the Jira issue exists). */
  remoteMarked?: boolean;
  /** Which side the item was first created on, or `linked` when a person linked two existing items. */
  origin: 'jira' | 'remote' | 'linked';
  /** A person linked two existing items and the pair has not synced yet: its first sync starts from the remote (sync/hand-link.ts). */
  startFromRemote?: boolean;
  base: Record<string, SidePair<CanonicalValue>>;
  /** The parent as both sides last agreed on it, each in its own ids (sync/parent-plan.ts); absent until it first crossed. */
  parent?: ParentBase;
  /** The related links as both sides last agreed on them, each in its own ids (sync/related-links.ts). */
  related?: RelatedBase;
  /** Comments and files that have crossed, as id pairs: a deleted copy is not copied again. */
  comments: CrossedPair[];
  attachments: CrossedPair[];
  /**
   * Images the remote's rich text shows that are not among its item's files (sync/body-references.ts), copied to
   * Jira to stand inline there: pairs of the Jira file and the image's URL. Not files for the file crossing.
   */
  images?: CrossedPair[];
  lastSyncAt?: string;
  /** The Jira issue's updated time as the last sync read it (or an event showed it, evidence.ts): people's changes after it are news, even a change and its undo. */
  jiraSeenAt?: number;
  /** The remote item's updated time as the last sync read it (for connectors that read per-field history). */
  remoteSeenAt?: number;
  /** The remote item's version at which it held exactly the base of every mapped field (a conditional write may then skip the read; evidence.ts). */
  remoteVersion?: string;
  /** The remote's newest comment as the last comment sync listed it (where notifications name it; reconcile.ts). */
  remoteNewestComment?: string;
  /** Problems that stop part of the item (a field, the status, a file), one per part, newest wins per part. */
  problems?: Record<string, LinkProblem>;
  conflicts?: Array<{ field: string; winner: string; reason: string; at: string }>;
  /** Things people should know that are not failures (an edit the remote cannot take), newest last. */
  notices?: string[];
  /** The latest sync steps (change seen, queued, written, confirmed), newest last, bounded (sync/timeline.ts); written only with a reconcile's own link write. */
  timeline?: SyncStep[];
  /** Whether a failure record exists for this item (so success clears it without a read). */
  failing?: boolean;
  /** Both sides' resolution as last seen, while either is resolved (sync/resolution.ts). */
  resolution?: ResolutionSnapshot;
  /** Bumped by every write; a write succeeds only over the generation it read. */
  generation: number;
}

/** A problem that stops part of the item; a refused value also says which write was refused (sync/refusals.ts). */
export interface LinkProblem {
  kind: string;
  message: string;
  at: string;
  refusal?: Refusal;
}

const LINK = 'link';
const CLAIM = 'link-remote';
const claimKey = (connectionId: string, remoteId: string) => `${connectionId}:${remoteId}`;
/** Where a remote item's link claim is kept (read in a batch with other keys by the web trigger). */
export const CLAIM_ENTITY = CLAIM;
export const claimKeyOf = claimKey;

interface LinkRecord {
  issueId: string;
  connectionId: string;
  remoteId: string;
  generation: number;
  state: Omit<Link, 'issueId' | 'connectionId' | 'remoteId' | 'generation'>;
}

const toRecord = ({ issueId, connectionId, remoteId, generation, ...state }: Link): LinkRecord => ({
  issueId,
  connectionId,
  remoteId,
  generation,
  state,
});
const fromRecord = (r: LinkRecord): Link => ({
  ...r.state,
  issueId: r.issueId,
  connectionId: r.connectionId,
  remoteId: r.remoteId,
  generation: r.generation,
  comments: r.state.comments ?? [],
  attachments: r.state.attachments ?? [],
});

/** Someone else changed or removed the link since it was read. */
export class StaleLink extends Error {
  constructor(readonly issueId: string) {
    super(`The link of issue ${issueId} changed while it was being synced`);
  }
}

/** The remote item (or the issue) is already linked to something else. */
export class LinkTaken extends Error {}

const conditionFailed = (e: unknown) =>
  /CONDITION_FAILED|condition/i.test(`${(e as { code?: unknown })?.code ?? ''} ${(e as Error)?.message ?? ''}`);

export async function getLink(issueId: string): Promise<Link | undefined> {
  const r = await kvs.entity<LinkRecord>(LINK).get(issueId);
  return r ? fromRecord(r) : undefined;
}

/**
 * The link and its connection in one batch read when the caller knows which
 * connection the item came through (a remote notification, the sweep); the
 * connection is read on its own only when the link names another one, or
 * when there was no hint.
 */
export async function getLinkAndConnection(
  issueId: string,
  connectionHint?: string,
): Promise<{ link?: Link; config?: ConnectionConfig }> {
  if (!connectionHint) {
    const link = await getLink(issueId);
    return link ? { link, config: await getConnection(link.connectionId) } : {};
  }
  const got = await kvs.batchGet<unknown>([{ key: issueId, entityName: LINK }, { key: configKey(connectionHint) }]);
  const record = got.successfulKeys.find((r) => r.entityName === LINK)?.value as LinkRecord | undefined;
  // A key the batch could not read for another reason than its absence is read again on its own.
  const failed = got.failedKeys.filter((f) => f.error.code !== 'KEY_NOT_FOUND');
  const link = failed.some((f) => f.entityName === LINK)
    ? await getLink(issueId)
    : record
      ? fromRecord(record)
      : undefined;
  if (!link) return {};
  const hinted = got.successfulKeys.find((r) => !r.entityName && r.key === configKey(connectionHint))?.value;
  const config =
    link.connectionId === connectionHint && !failed.some((f) => !f.entityName)
      ? parseConnection(hinted)
      : await getConnection(link.connectionId);
  return { link, config };
}

/** Which of these issues have a link (through any connection), read 25 to a batch. */
export async function linkedIssueIds(issueIds: readonly string[]): Promise<Set<string>> {
  const ids = [...new Set(issueIds)];
  const out = new Set<string>();
  for (let i = 0; i < ids.length; i += 25) {
    const chunk = ids.slice(i, i + 25);
    const got = await kvs.batchGet<LinkRecord>(chunk.map((key) => ({ key, entityName: LINK })));
    for (const r of got.successfulKeys) if (r.value) out.add(r.key);
    // A key the batch could not read for another reason than its absence is read on its own.
    for (const f of got.failedKeys) if (f.error.code !== 'KEY_NOT_FOUND' && (await getLink(f.key))) out.add(f.key);
  }
  return out;
}

/** The remote item paired with an issue through this connection, or undefined while it has none. */
export async function remoteForIssue(connectionId: string, issueId: string): Promise<string | undefined> {
  const link = await getLink(issueId);
  return link?.connectionId === connectionId ? link.remoteId : undefined;
}

export async function issueForRemote(connectionId: string, remoteId: string): Promise<string | undefined> {
  return (await kvs.entity<{ issueId: string }>(CLAIM).get(claimKey(connectionId, remoteId)))?.issueId;
}

/**
 * The issues linked to many remote items of one connection (those without a
 * link are absent), read 25 claims to a batch (Forge's batch size): the
 * sweep asks this for each page of remote changes, where one read per item
 * ran into storage's rate limit within a few pages.
 */
export async function issuesForRemotes(
  connectionId: string,
  remoteIds: readonly string[],
): Promise<Map<string, string>> {
  const ids = [...new Set(remoteIds)];
  const out = new Map<string, string>();
  for (let i = 0; i < ids.length; i += 25) {
    const chunk = ids.slice(i, i + 25);
    const got = await kvs.batchGet<{ issueId?: unknown }>(
      chunk.map((id) => ({ key: claimKey(connectionId, id), entityName: CLAIM })),
    );
    for (const id of chunk) {
      const key = claimKey(connectionId, id);
      const issueId = got.successfulKeys.find((r) => r.key === key)?.value?.issueId;
      if (typeof issueId === 'string') out.set(id, issueId);
      // A claim the batch could not read for another reason than its absence is read on its own.
      else if (got.failedKeys.some((f) => f.key === key && f.error.code !== 'KEY_NOT_FOUND')) {
        const alone = await issueForRemote(connectionId, id);
        if (alone) out.set(id, alone);
      }
    }
  }
  return out;
}

/** Creates both directions at once, only if neither the issue nor the remote item is linked yet. */
export async function createLink(link: Omit<Link, 'generation'>): Promise<Link> {
  const created: Link = { ...link, generation: 1 };
  const absent = new Filter<LinkRecord>().and('issueId', FilterConditions.notExists());
  try {
    await kvs
      .transact()
      .set(link.issueId, toRecord(created), { entityName: LINK, conditions: absent })
      .set(
        claimKey(link.connectionId, link.remoteId),
        { issueId: link.issueId },
        {
          entityName: CLAIM,
          conditions: new Filter<{ issueId: string }>().and('issueId', FilterConditions.notExists()),
        },
      )
      .execute();
  } catch (e) {
    if (conditionFailed(e)) throw new LinkTaken(`Issue ${link.issueId} or ${link.remoteKey} is already linked`);
    throw e;
  }
  return created;
}

/** Writes the link over the generation it was read at; throws StaleLink when it changed or was removed meanwhile. */
export async function updateLink(link: Link): Promise<Link> {
  const next: Link = { ...link, generation: link.generation + 1 };
  try {
    await kvs
      .transact()
      .set(link.issueId, toRecord(next), {
        entityName: LINK,
        conditions: new Filter<LinkRecord>().and('generation', FilterConditions.equalTo(link.generation)),
      })
      .execute();
  } catch (e) {
    if (conditionFailed(e)) throw new StaleLink(link.issueId);
    throw e;
  }
  return next;
}

/**
 * Moves a link to another remote item (a closed item's follow-up), in one
 * transaction over the generation read: the link changes, the old item's
 * claim goes and the new item's claim is made, or nothing happens.
 */
export async function moveLinkToRemote(
  link: Link,
  to: Pick<Link, 'remoteId' | 'remoteKey' | 'remoteUrl'> & Partial<Link>,
): Promise<Link> {
  const next: Link = { ...link, ...to, generation: link.generation + 1 };
  try {
    await kvs
      .transact()
      .set(link.issueId, toRecord(next), {
        entityName: LINK,
        conditions: new Filter<LinkRecord>().and('generation', FilterConditions.equalTo(link.generation)),
      })
      .delete(claimKey(link.connectionId, link.remoteId), { entityName: CLAIM })
      .set(
        claimKey(link.connectionId, to.remoteId),
        { issueId: link.issueId },
        {
          entityName: CLAIM,
          conditions: new Filter<{ issueId: string }>().and('issueId', FilterConditions.notExists()),
        },
      )
      .execute();
  } catch (e) {
    if (conditionFailed(e)) throw new StaleLink(link.issueId);
    throw e;
  }
  return next;
}

export async function deleteLink(link: Pick<Link, 'issueId' | 'connectionId' | 'remoteId'>): Promise<void> {
  await kvs
    .transact()
    .delete(link.issueId, { entityName: LINK })
    .delete(claimKey(link.connectionId, link.remoteId), { entityName: CLAIM })
    .execute();
}

/** Links of a connection, a page at a time (for the settings page and deleting a connection). */
export async function linksOfConnection(
  connectionId: string,
  cursor?: string,
): Promise<{ links: Link[]; cursor?: string }> {
  let q = kvs
    .entity<LinkRecord>(LINK)
    .query()
    .index('by-connection')
    .where(WhereConditions.equalTo(connectionId))
    .limit(100);
  if (cursor) q = q.cursor(cursor);
  const page = await q.getMany();
  return {
    links: page.results.map((r) => fromRecord(r.value)),
    ...(page.nextCursor ? { cursor: page.nextCursor } : {}),
  };
}

/** At most this many pages of links are read for a connection's figures (they then say "at least"). */
export const MAX_USAGE_PAGES = 20;

export interface LinkUsage {
  /** Items in sync: the connection's links (at least this many when `capped`). */
  items: number;
  capped: boolean;
  /** Sync steps confirmed at or after `since` (sync/timeline.ts). */
  stepsSince: number;
  /** The newest sync among the links read: a link's lastSyncAt or its newest step's confirmedAt; null when none synced. */
  lastSyncAt: string | null;
}

/**
 * What a connection's links say about it (the settings and admin pages),
 * read a page at a time, at most MAX_USAGE_PAGES pages.
 */
export async function usageOfConnection(connectionId: string, since: number): Promise<LinkUsage> {
  let items = 0;
  let stepsSince = 0;
  let latest = Number.NEGATIVE_INFINITY;
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await linksOfConnection(connectionId, cursor);
    items += page.links.length;
    for (const l of page.links) {
      const synced = l.lastSyncAt ? Date.parse(l.lastSyncAt) : Number.NaN;
      if (Number.isFinite(synced) && synced > latest) latest = synced;
      for (const s of l.timeline ?? []) {
        if (s.confirmedAt >= since) stepsSince++;
        if (Number.isFinite(s.confirmedAt) && s.confirmedAt > latest) latest = s.confirmedAt;
      }
    }
    cursor = page.cursor;
  } while (cursor && ++pages < MAX_USAGE_PAGES);
  return {
    items,
    capped: Boolean(cursor),
    stepsSince,
    lastSyncAt: Number.isFinite(latest) ? new Date(latest).toISOString() : null,
  };
}

/**
 * A person unlinked the issue: it stays out of sync (its correlation id would
 * otherwise link it again on its next change) until someone links it again.
 */
export async function markUnlinked(issueId: string, by: string): Promise<void> {
  await noteAccounts([by]);
  await kvs.set(`unlinked:${issueId}`, { by, at: new Date().toISOString() });
}

export async function isUnlinked(issueId: string): Promise<boolean> {
  return (await kvs.get(`unlinked:${issueId}`)) !== undefined;
}

export async function clearUnlinked(issueId: string): Promise<void> {
  await kvs.delete(`unlinked:${issueId}`);
}

/** Who unlinked issues, for every marker (personal data: store/personal-data.ts), a page of 100 at a time. */
export async function unlinkedBy(): Promise<Array<{ issueId: string; by: string }>> {
  const out: Array<{ issueId: string; by: string }> = [];
  let cursor: string | undefined;
  do {
    let q = kvs.query().where('key', WhereConditions.beginsWith('unlinked:')).limit(100);
    if (cursor) q = q.cursor(cursor);
    const page = await q.getMany<{ by?: string }>();
    for (const r of page.results)
      if (typeof r.value?.by === 'string') out.push({ issueId: r.key.slice('unlinked:'.length), by: r.value.by });
    cursor = page.nextCursor;
  } while (cursor);
  return out;
}

/** Unlink markers keep their meaning (the issue stays unlinked) without naming a closed account. */
export async function anonymiseUnlinkedBy(closed: ReadonlySet<string>): Promise<number> {
  const named = (await unlinkedBy()).filter((m) => closed.has(m.by));
  for (const { issueId } of named) {
    const marker = await kvs.get<{ by: string; at: string }>(`unlinked:${issueId}`);
    if (marker && closed.has(marker.by)) await kvs.set(`unlinked:${issueId}`, { ...marker, by: CLOSED_ACCOUNT });
  }
  return named.length;
}
