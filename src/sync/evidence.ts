/**
 * What a signal proves, so a reconcile reads only the side it cannot know.
 *
 * - A Jira product event carries the issue's fields as they were when it was
 *   sent, its `updated` time and the changelog of that change. When its time is
 *   newer than what the last sync saw of Jira (`jiraSeenAt`, which an applied
 *   event moves too: events arrive out of order), and every mapped field is
 *   either in the event or untouched by it (then the link's base says what Jira
 *   holds), Jira needs no read. A field changed by an earlier event that is
 *   still on its way reads as its base here (nothing is written for it); that
 *   event, older than what was seen, is read when it arrives, and a lost one is
 *   found by the sweep, as after any read. It is evidence for *reading* only: a plan that
 *   would write Jira reads Jira first and plans again (a newer change may be on
 *   its way), so nothing is ever written over a value the engine did not see.
 * - A remote whose writes are conditional (Azure DevOps `test /rev`, Zendesk
 *   `safe_update`) needs no read before a write when the link records the
 *   version at which the remote held exactly the base of every mapped field
 *   (`remoteVersion`): the write names that version, and a stale answer (412,
 *   409) means the remote changed, so it is read and the pair planned again.
 *
 * A signal that is older or doubtful, the sweep, Sync now, bulk and retries
 * carry no evidence: they read both sides as before.
 */
import * as z from 'zod';
import { remoteEvidence, type Connector, type Item, type RemoteEvidence } from '../connectors/ports';
import type { JiraIssue } from '../connectors/jira/client';
import { parseJiraTime } from '../connectors/jira/client';
import type { ConnectionConfig } from '../mapping/connection-config';
import type { Link } from '../store/links';

/** The part of a Jira product event a reconcile can use instead of reading the issue. */
export const jiraEvidence = z.object({
  key: z.string().min(1).max(50),
  /** Jira's `updated` as the event says it. */
  updated: z.string().min(1).max(40),
  fields: z.record(z.string(), z.unknown()),
  /** Field ids the event's changelog names (changed by the change the event reports). */
  changed: z.array(z.string().max(100)).max(100),
});
export type JiraEvidence = z.infer<typeof jiraEvidence>;

/** Events above this size carry no evidence (the queue takes 200 KB a push; the reconcile then reads the issue). */
export const MAX_EVIDENCE_BYTES = 16 * 1024;

const eventShape = z.object({
  issue: z
    .object({ key: z.string(), fields: z.record(z.string(), z.unknown()).optional() })
    .loose()
    .optional(),
  changelog: z
    .object({
      items: z.array(z.object({ field: z.string().optional(), fieldId: z.string().optional() }).loose()).optional(),
    })
    .loose()
    .optional(),
});

/** The evidence a Jira product event carries, or undefined when it carries none worth keeping. */
export function evidenceOfJiraEvent(event: unknown): JiraEvidence | undefined {
  const parsed = eventShape.safeParse(event);
  const issue = parsed.success ? parsed.data.issue : undefined;
  const updated = issue?.fields?.updated;
  if (!issue?.fields || typeof updated !== 'string') return undefined;
  const changed = (parsed.success ? (parsed.data.changelog?.items ?? []) : [])
    .map((i) => i.fieldId ?? i.field ?? '')
    .filter(Boolean);
  const evidence = { key: issue.key, updated, fields: issue.fields, changed: [...new Set(changed)].slice(0, 100) };
  const ok = jiraEvidence.safeParse(evidence);
  return ok.success && Buffer.byteLength(JSON.stringify(ok.data)) <= MAX_EVIDENCE_BYTES ? ok.data : undefined;
}

/**
 * The issue as the event shows it, when that is provably newer than the link's
 * Jira snapshot and says (with the base) what every mapped field holds; else
 * undefined, and the issue is read. Files are read from the issue itself, so a
 * run that looks at files reads it.
 */
export function issueFromEvidence(
  evidence: JiraEvidence | undefined,
  issueId: string,
  link: Link,
  config: ConnectionConfig,
  lookingAtFiles: boolean,
): JiraIssue | undefined {
  if (!evidence || lookingAtFiles || link.jiraSeenAt === undefined || readsAcross(config)) return undefined;
  const updatedAt = parseJiraTime(evidence.updated);
  // Strictly newer than what the last sync saw: an equal time may be the same change, or another made in the same instant.
  if (!Number.isFinite(updatedAt) || updatedAt <= link.jiraSeenAt) return undefined;
  const project = evidence.fields.project as { id?: unknown } | undefined;
  if (!project || typeof project.id !== 'string') return undefined;
  const changed = new Set(evidence.changed);
  // A parent change (Jira records it as IssueParentAssociation) that the event does not show the new parent of, or a
  // change of the issue's links (Link), which the event never shows: read.
  if ((changed.has('parent') || changed.has('IssueParentAssociation')) && !('parent' in evidence.fields))
    return undefined;
  if (changed.has('Link') || changed.has('issuelinks')) return undefined;
  // A field the change named is taken from the event; every other mapped field is untouched by it and reads as its base
  // (an event's shape of an unchanged field, a status without its category, is never compared with a read one).
  const known = config.fields.every((m) =>
    changed.has(m.jira) ? m.jira in evidence.fields : link.base[m.jira] !== undefined,
  );
  if (!known) return undefined;
  const shown = Object.fromEntries(
    config.fields.filter((m) => changed.has(m.jira)).map((m) => [m.jira, evidence.fields[m.jira]]),
  );
  return {
    id: issueId,
    key: evidence.key,
    fields: {
      ...shown,
      project: { ...project, id: project.id },
      // Its type, which the event names whatever changed: the pair syncs as that type (mapping/item-types.ts).
      ...(evidence.fields.issuetype ? { issuetype: evidence.fields.issuetype } : {}),
      // Its parent where the event shows it; else not known, and counted as unchanged (sync/hierarchy.ts).
      ...('parent' in evidence.fields ? { parent: evidence.fields.parent } : {}),
      updated: evidence.updated,
    },
    updatedAt,
  };
}

/**
 * The remote item as the link knows it, for a write that names the version
 * it holds (conditional writes), or for a Jira change that writes nothing to
 * it; undefined when the link cannot vouch for every mapped field, or the
 * write needs the item's raw values.
 */
export function presumedRemote(
  connector: Connector,
  link: Link,
  config: ConnectionConfig,
  jiraChanged: readonly string[],
): Item | undefined {
  // An event that changed no mapped field (a comment, a file, an unmapped field) has nothing to write to the remote,
  // so the remote need not be known better than the link knows it; a plan that still writes it reads it first.
  const nothingToWrite = !config.fields.some((m) => jiraChanged.includes(m.jira));
  if (
    readsAcross(config) ||
    !(connector.capabilities.conditionalWrites || nothingToWrite) ||
    !link.remoteVersion ||
    link.remoteSeenAt === undefined
  )
    return undefined;
  if (
    (config.requiredOnEnter.length && !nothingToWrite) ||
    !config.fields.every((m) => link.base[m.jira] !== undefined)
  )
    return undefined;
  return {
    id: link.remoteId,
    displayKey: link.remoteKey,
    url: link.remoteUrl,
    updatedAt: link.remoteSeenAt,
    version: link.remoteVersion,
    fields: {},
  };
}

/** Remote evidence above this size is not carried (the queue takes 200 KB a push; the reconcile then reads the item). */
export const MAX_REMOTE_EVIDENCE_BYTES = 16 * 1024;

/** The evidence worth carrying in a job: small enough, else none. */
export function carriedRemoteEvidence(evidence: RemoteEvidence | undefined): RemoteEvidence | undefined {
  const ok = remoteEvidence.safeParse(evidence);
  return ok.success && Buffer.byteLength(JSON.stringify(ok.data)) <= MAX_REMOTE_EVIDENCE_BYTES ? ok.data : undefined;
}

/**
 * The remote item as a notification shows it, when that provably is all that
 * changed since the link's snapshot: its version is exactly the one after the
 * version at which the remote held the base of every mapped field (a version
 * that counts writes), so the fields it does not show still hold their base;
 * or, on a system whose versions do not count writes, the notification shows
 * the whole item and is strictly newer than what the pair has seen. Else
 * undefined, and the item is read. Like Jira's, it is evidence for
 * reading: a remote without conditional writes is read before it is written.
 */
export function remoteFromEvidence(
  evidence: RemoteEvidence | undefined,
  link: Link,
  config: ConnectionConfig,
  connector: Pick<Connector, 'capabilities'>,
): { item: Item; shown: ReadonlySet<string> } | undefined {
  if (!evidence || readsAcross(config) || link.remoteSeenAt === undefined) return undefined;
  if (connector.capabilities.versionCountsWrites) {
    if (!link.remoteVersion || !isNextWrite(link.remoteVersion, evidence.version)) return undefined;
    if (evidence.updatedAt < link.remoteSeenAt) return undefined;
  } else if (!evidence.complete || evidence.updatedAt <= link.remoteSeenAt) {
    // A version that does not count writes (GitHub's `updated_at`) says nothing of what came between: only the whole
    // item, strictly newer than anything the pair has seen, is as good as a read at its time. An equal time may be
    // another change in the same second (the stamps have seconds), or one already seen: read.
    return undefined;
  }
  const shown = new Set(evidence.complete ? config.fields.map((m) => m.remote) : Object.keys(evidence.fields));
  if (!config.fields.every((m) => shown.has(m.remote) || link.base[m.jira] !== undefined)) return undefined;
  return {
    item: {
      id: link.remoteId,
      displayKey: link.remoteKey,
      url: link.remoteUrl,
      updatedAt: evidence.updatedAt,
      version: evidence.version,
      fields: evidence.fields,
    },
    shown,
  };
}

/** Versions that count writes: `after` is the one write after `before`. */
function isNextWrite(before: string, after: string): boolean {
  const [was, is] = [Number(before), Number(after)];
  return Number.isInteger(was) && is === was + 1;
}

/**
 * Whether the remote's answer to our write shows our write alone since `before`: a conditional write that named
 * `before`'s version (refused had anything changed), or a version that counts writes and moved by exactly one.
 */
export function ownWriteProven(
  connector: Pick<Connector, 'capabilities'>,
  before: Pick<Item, 'version'>,
  after: Pick<Item, 'version'>,
): boolean {
  if (!before.version || !after.version) return false;
  if (connector.capabilities.conditionalWrites) return true;
  return Boolean(connector.capabilities.versionCountsWrites) && isNextWrite(before.version, after.version);
}

/**
 * Whether a Jira edit's answer shows it as the only change after `since`: every history entry after `since` is
 * the edit's own (one author, the newest entry naming every field written). Another person's change in between
 * would show as an entry by someone else.
 */
export function editWasAlone(
  answer: { recentHistory?: JiraIssue['recentHistory'] } | undefined,
  since: number,
  written: readonly string[],
): boolean {
  const history = answer?.recentHistory;
  const newest = history?.entries[0];
  if (!history || !newest || newest.at <= since || !written.every((f) => newest.fields.includes(f))) return false;
  const reachesBack = history.complete || history.entries.some((h) => h.at <= since);
  return (
    reachesBack &&
    history.entries.filter((h) => h.at > since).every((h) => h.authorId !== undefined && h.authorId === newest.authorId)
  );
}

/** A side known only from evidence would be written, or a conditional write found the remote changed: read and plan again. */
export class NeedsRead extends Error {
  constructor(readonly side: 'jira' | 'remote') {
    super(`The ${side} side must be read before it is written`);
  }
}

/**
 * A connection with a pair's rules (rules.ts): a rule's value depends on fields no event or notification needs to
 * show (Jira's priority, a remote field the mapping does not pair), and where no rule holds, on what the target
 * holds now. Both sides are read, so every rule is evaluated on what each side holds, at the cost of a read.
 */
function readsAcross(config: Pick<ConnectionConfig, 'fields'>): boolean {
  return config.fields.some((m) => m.rules?.length);
}
