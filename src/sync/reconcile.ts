/**
 * Reconciling one linked pair (level-triggered): read both sides, plan each
 * field three ways against the snapshot, write only the differences, store the
 * new snapshot. Running it again with nothing changed writes nothing, which is
 * why duplicate, late or reordered events and our own echoes do no harm.
 *
 * The write order is crash-safe without a write-ahead record: a field whose
 * write landed but whose base was not stored reads next time as "one side
 * holds exactly what writing the other leaves" (field-decision.ts), and a
 * comment or file copied but not recorded is recognised by what was written
 * (crossing.ts).
 */
import { isSyncError } from '../connectors/errors';
import { connectorFor } from './connector-for';
import { SyncError } from '../connectors/errors';
import * as jira from '../connectors/jira/client';
import type { Connector, Item, RemoteEvidence } from '../connectors/ports';
import { systemFor, type NotificationTouches } from '../connectors/registry';
import type { ConnectionConfig } from '../mapping/connection-config';
import { forJiraType, forRemoteItem, jiraTypeOf } from '../mapping/item-types';
import { countOtherType } from '../store/other-types';
import { readJira, readRemote, storedOnRemote, writeJira } from '../mapping/field-values';
import { connectionsForProject, getConnection } from '../store/connections';
import { clearFailure, recordFailure } from '../store/failures';
import {
  getLink,
  getLinkAndConnection,
  isUnlinked,
  issueForRemote,
  StaleLink,
  updateLink,
  type Link,
  type LinkProblem,
} from '../store/links';
import { canonicalEqual, type CanonicalValue } from './canonical';
import { afterClosedRemote } from './closed-remote';
import { syncAttachments, syncComments } from './content-sync';
import { createFromRemote, createRemoteFor, correlationIdFor, parseCorrelationId } from './create';
import { changedSinceCreate, ownStatusMoveIsNoChange, touchedTimes, unclearFields } from './field-history';
import { pairPlanContext, planFields, sentFields, type FieldReading } from './field-plan';
import { withItemShown } from './item-shown';
import { syncParent, wakeWaitingChildren } from './hierarchy';
import { syncRelated } from './related-links';
import { matchesRemoteFilter } from './remote-filter';
import { moveToStatus } from './status';
import { notTakenMessage, NOT_TAKEN, stillNotTaken } from './not-taken';
import { newCrossings, stepOf, stepValue, withStep, type ReconcileSignal } from './timeline';
import {
  editWasAlone,
  issueFromEvidence,
  NeedsRead,
  ownWriteProven,
  presumedRemote,
  remoteFromEvidence,
  type JiraEvidence,
} from './evidence';
import { enqueueReconcile } from './sync-queue';
import { refusalFor, refusedMessage, REFUSED, type Refusal } from './refusals';
import { writeIsolated } from './write-isolation';
import { resolutionAfterWrites, resolutionBeforeWrites } from './resolution-sync';
import { syncSlaField } from './sla-field';
import { conversionOf } from '../mapping/field-convert';
import { UserMap } from './user-map';
import { bodyOptionsFor } from './body-options';
import { resolveBodyReferences, richPairsOf } from './body-references';
import type { BodyOptions } from '../content/conversion';
import type { WorkItemRef } from './work-item';

/** What an event says changed; a sweep or a manual sync looks at everything. */
export interface ReconcileScope {
  comments: boolean;
  attachments: boolean;
  /** What signalled this run and when it was queued, for the issue panel's timeline (timeline.ts); never decides what is written. */
  signal?: ReconcileSignal;
  /** The remote's newest comment as the signal named it: when the pair's last comment sync saw it, no comment (nor file, where files come only with comments) is new. */
  newestRemoteComment?: string;
}

/** The cause of a job a person started with the issue panel's Create: `create-in:<connection id>`. */
export const CREATE_IN = 'create-in:';

export const FULL_SCOPE: ReconcileScope = { comments: true, attachments: true };

/**
 * What a job looks at: a remote notification's parts as its system said them (`touches`), else the cause in
 * Crosswalk's and Jira's own words (a Jira comment or attachment event, a sweep, Sync now…): never a system's words.
 */
export function scopeForCause(cause: string, queuedAt?: number, touches?: NotificationTouches): ReconcileScope {
  const signal = { cause, ...(queuedAt ? { queuedAt } : {}) };
  if (touches) {
    const all = Boolean(touches.created);
    return { comments: all || Boolean(touches.comments), attachments: all || Boolean(touches.files), signal };
  }
  const everything = /created|sync-now|sweep|bulk|retry|forward/.test(cause);
  return {
    comments: everything || /comment/.test(cause),
    attachments: everything || /attachment/.test(cause),
    signal,
  };
}

export type ReconcileOutcome =
  | { result: 'no-connection' | 'out-of-scope' | 'issue-gone' | 'not-ours' | 'unlinked' }
  /** Of a type the connection's type map leaves out: left alone, and counted (store/other-types.ts). */
  | { result: 'other-type'; type: string }
  | { result: 'forwarded'; to: WorkItemRef }
  | {
      result: 'synced';
      created: boolean;
      wroteJira: string[];
      wroteRemote: string[];
      conflicts: number;
      problems: string[];
      commentsCopied: number;
      filesCopied: number;
    };

export { correlationIdFor };

/** The Jira remote link's globalId for a remote item: upserts and removals find it by this. */
export function globalIdFor(config: Pick<ConnectionConfig, 'id'>, remote: Pick<Item, 'id'>): string {
  return `crosswalk:${config.id}:${remote.id}`;
}

/** Hands the item to the worker of its pair's key instead of working on it here. */
async function forward(to: WorkItemRef): Promise<ReconcileOutcome> {
  await enqueueReconcile([{ item: to, cause: 'forward' }]);
  return { result: 'forwarded', to };
}

export async function reconcileRemoteItem(connectionId: string, remoteId: string): Promise<ReconcileOutcome> {
  const issueId = await issueForRemote(connectionId, remoteId);
  if (issueId) return forward({ side: 'jira', issueId });
  const config = await getConnection(connectionId);
  if (!config?.enabled) return { result: 'no-connection' };
  const connector = await connectorFor(config);
  const remote = await connector.getItem(remoteId);
  if (!remote) return { result: 'not-ours' };
  // An item Crosswalk created from a Jira issue belongs to that issue's pair: its Jira side links it.
  const createdFor = parseCorrelationId(remote.correlationId);
  if (createdFor === 'other-site') return { result: 'not-ours' };
  if (createdFor)
    return createdFor.connectionId === config.id
      ? forward({ side: 'jira', issueId: createdFor.issueId })
      : { result: 'not-ours' };
  if (!matchesRemoteFilter(remote.fields, config.remoteFilter)) return { result: 'not-ours' };
  // Its type decides which Jira type it becomes and what of it crosses; a type the map does not name is never guessed.
  const typed = forRemoteItem(config, remote.fields, itemTypesOf(config));
  if (!typed.ok) {
    await countOtherType(config.id, 'remote', typed.unmapped, remote.id);
    return { result: 'other-type', type: typed.unmapped };
  }
  const link = await createFromRemote(typed.config, connector, remote);
  if (!link) return forward({ side: 'remote', connectionId, remoteId });
  await clearFailure({ side: 'remote', connectionId, remoteId });
  // From here on the pair is keyed by its issue.
  return forward({ side: 'jira', issueId: link.issueId });
}

const itemTypesOf = (config: ConnectionConfig) => systemFor(config.remote.type)?.itemTypes;

/**
 * The first of the project's connections (in the admin's order) that is enabled, whose JQL the issue matches and
 * whose type map takes its type, as it stands for that type. An issue the JQL of one takes but no type map does is
 * of another type: counted by the first such connection, so its page says what its map leaves out.
 */
async function connectionFor(
  issue: jira.JiraIssue,
  cause?: string,
): Promise<ConnectionConfig | 'no-connection' | 'out-of-scope' | { otherType: string }> {
  const configs = (await connectionsForProject(issue.fields.project.id)).filter(
    (c) => c.enabled && systemFor(c.remote.type),
  );
  if (!configs.length) return 'no-connection';
  // A person who may edit the issue asked for it to be made in this connection's system (the issue panel's Create):
  // that connection goes first, but only within its JQL, as the resolver checked (the issue may have changed since).
  const asked = configs.find((c) => cause === `${CREATE_IN}${c.id}`);
  let otherType: { config: ConnectionConfig; type: string } | undefined;
  for (const config of asked ? [asked, ...configs.filter((c) => c !== asked)] : configs) {
    if (!(await jira.issueMatches(issue.id, config.jiraProjectId, config.jql))) continue;
    const typed = forJiraType(config, jiraTypeOf(issue.fields), itemTypesOf(config));
    if (typed.ok) return typed.config;
    otherType ??= { config, type: typed.unmapped };
  }
  if (!otherType) return 'out-of-scope';
  await countOtherType(otherType.config.id, 'jira', otherType.type, issue.id);
  return { otherType: otherType.type };
}

export async function reconcileIssue(
  issueId: string,
  scope: ReconcileScope = FULL_SCOPE,
  connectionHint?: string,
  evidence?: JiraEvidence,
  remoteShows?: RemoteEvidence,
): Promise<ReconcileOutcome> {
  // The link and its connection first (one batch read when the signal named the connection), then Jira, unless the event proves what it holds (evidence.ts).
  const stored = await getLinkAndConnection(issueId, connectionHint);
  // What the event proves is read with the connection as it stands for the issue's type, which the event names.
  const storedTyped =
    stored.link && stored.config?.enabled && evidence
      ? forJiraType(stored.config, jiraTypeOf(evidence.fields), itemTypesOf(stored.config))
      : undefined;
  const proven =
    stored.link && storedTyped?.ok
      ? issueFromEvidence(evidence, issueId, stored.link, storedTyped.config, scope.attachments)
      : undefined;
  // A run that lists comments reads the issue all the same: the list is today's, so the project it is checked against
  // must be today's as well (an event from before a move must not vouch for comments written after it). What the
  // event proves of the remote still holds.
  const fromEvent = scope.comments ? undefined : proven;
  const issue = fromEvent ?? (await jira.getIssue(issueId));
  if (!issue) return { result: 'issue-gone' };
  let link = stored.link;
  let config: ConnectionConfig | undefined;
  let connector: Connector;
  let remote: Item | undefined;
  let created = false;
  if (!link) {
    // Made from a remote item whose create has not linked it yet: that create, under the remote item's key, finishes the pair.
    if (issue.createdFrom)
      return forward({
        side: 'remote',
        connectionId: issue.createdFrom.connection,
        remoteId: issue.createdFrom.remote,
      });
    if (await isUnlinked(issueId)) return { result: 'unlinked' };
    const chosen = await connectionFor(issue, scope.signal?.cause);
    if (typeof chosen === 'string') return { result: chosen };
    if ('otherType' in chosen) return { result: 'other-type', type: chosen.otherType };
    config = chosen;
    const creating = config;
    const made = await connectorFor(creating)
      .then(async (c) => ({ connector: c, made: await createRemoteFor(creating, c, issue) }))
      .catch((e: unknown) => {
        // Not linked yet: the failure says whose it is, so a refused credential stops and alerts this connection.
        if (isSyncError(e)) e.details.connectionId ??= creating.id;
        throw e;
      });
    connector = made.connector;
    ({ link, remote, created } = made.made);
    await clearFailure({ side: 'jira', issueId });
  } else {
    config = stored.config;
    if (!config?.enabled) return { result: 'no-connection' };
    stayedInProject(config, link, issue);
    // A pair syncs as its issue's type (its fields, its status map); one whose type the map no longer names is left alone.
    const typed = forJiraType(config, jiraTypeOf(issue.fields), itemTypesOf(config));
    if (!typed.ok) {
      await countOtherType(config.id, 'jira', typed.unmapped, issue.id);
      return { result: 'other-type', type: typed.unmapped };
    }
    config = typed.config;
    connector = await connectorFor(config);
  }
  scope = await narrowedByNewestComment(scope, link, connector);
  // A Jira change toward a remote with conditional writes needs no read of the remote first; a remote change its
  // notification shows in full needs no read of the remote at all (evidence.ts).
  const presumed =
    proven && evidence && !created ? presumedRemote(connector, link, config, evidence.changed) : undefined;
  // Parents and links are not among the fields a notification shows: a connection that crosses them reads the remote.
  const shown =
    !fromEvent &&
    !created &&
    !remote &&
    config.hierarchy.direction === 'none' &&
    config.relatedLinks.direction === 'none'
      ? remoteFromEvidence(remoteShows, link, config, connector)
      : undefined;
  remote ??= presumed ?? shown?.item ?? (await connector.getItem(link.remoteId));
  const remoteKnown = remote === presumed || remote === shown?.item;
  if (!remote)
    throw new SyncError({
      system: config.remote.type,
      kind: 'not-found',
      message: `${link.remoteKey} no longer exists in ${systemFor(config.remote.type)?.label ?? config.remote.type}`,
    });
  try {
    try {
      const pairScope = created ? { ...FULL_SCOPE, ...(scope.signal ? { signal: scope.signal } : {}) } : scope;
      try {
        return await syncPair(config, connector, link, issue, remote, created, pairScope, false, {
          jira: Boolean(fromEvent),
          remote: remoteKnown,
          remoteShown: shown?.shown ?? new Set(),
        });
      } catch (e) {
        // Evidence was not enough (a write to the side it described, or the remote changed since its version): read both and plan again.
        if (!(e instanceof NeedsRead)) throw e;
        // Nothing was written before a NeedsRead: a remote really read (and not marked since) is still what it holds.
        const remoteStillRead = e.side === 'jira' && !remoteKnown && (link.origin !== 'remote' || link.remoteMarked);
        const [issueNow, remoteNow] = await Promise.all([
          jira.getIssue(issueId),
          remoteStillRead ? remote : connector.getItem(link.remoteId),
        ]);
        if (!issueNow) return { result: 'issue-gone' };
        if (!remoteNow)
          throw new SyncError({
            system: config.remote.type,
            kind: 'not-found',
            message: `${link.remoteKey} no longer exists in ${systemFor(config.remote.type)?.label ?? config.remote.type}`,
          });
        return await syncPair(config, connector, link, issueNow, remoteNow, created, pairScope);
      }
    } catch (e) {
      // A remote item closed for good (a closed Zendesk ticket): continue in its follow-up once, or report it (closed-remote.ts).
      if (!(e instanceof SyncError) || !e.details.closed) throw e;
      // First what the closed item says that Jira does not yet (a change or a comment made before it closed: the
      // follow-up starts from Jira's values, so it would be lost), copied to Jira; nothing is written to the item.
      const [before, issueNow, remoteNow] = await Promise.all([
        getLink(issueId),
        jira.getIssue(issueId),
        connector.getItem(link.remoteId),
      ]);
      if (before && issueNow && remoteNow && before.remoteId === remoteNow.id)
        await syncPair(config, connector, before, issueNow, remoteNow, false, FULL_SCOPE, true);
      const after = await afterClosedRemote(config, connector, issueId, e);
      if (after.kind === 'reported')
        return {
          result: 'synced',
          created,
          wroteJira: [],
          wroteRemote: [],
          conflicts: 0,
          problems: [after.message],
          commentsCopied: 0,
          filesCopied: 0,
        };
      return await syncPair(config, connector, after.link, after.issue, after.remote, false, FULL_SCOPE);
    }
  } catch (e) {
    // Unlinked while this ran: the pair no longer exists, so there is nothing to finish.
    if (e instanceof StaleLink && !(await getLink(issueId))) return { result: 'unlinked' };
    if (e instanceof StaleLink) throw new SyncError({ system: 'crosswalk', kind: 'conflict', message: e.message });
    throw e;
  }
}

/**
 * A remote whose comments are never edited or deleted, whose notification names its newest comment, and whose
 * newest comment the pair has seen, brought no comment with this change: comments (and files, where they only come
 * with comments) need no listing. Anything else keeps the scope.
 */
async function narrowedByNewestComment(
  scope: ReconcileScope,
  link: Link,
  connector: Connector,
): Promise<ReconcileScope> {
  const newest = scope.newestRemoteComment;
  if (!newest || !scope.comments || connector.capabilities.commentEdit || connector.capabilities.commentDelete)
    return scope;
  if (link.remoteNewestComment !== newest && !link.comments.some((p) => p.remote === newest)) return scope;
  return {
    ...scope,
    comments: false,
    attachments: scope.attachments && !connector.capabilities.attachments.onlyWithComments,
  };
}

/**
 * A link belongs to its connection's project: an issue moved to another project stops before anything more is read
 * from or written to either side (its new project may be one the remote's people must not see), as a failure on the
 * issue until it is moved back or unlinked.
 */
function stayedInProject(config: ConnectionConfig, link: Link, issue: jira.JiraIssue): void {
  if (issue.fields.project.id === config.jiraProjectId) return;
  const label = systemFor(config.remote.type)?.label ?? config.remote.type;
  throw new SyncError({
    system: 'crosswalk',
    kind: 'validation',
    message: `${link.issueKey} moved out of the project of the connection "${config.name}", so it no longer syncs with ${label}: nothing is copied either way. Move it back, or unlink it.`,
  });
}

/** Toward Jira only: what a closed remote item still says that Jira does not, before the pair moves on (nothing is written to the item). */
function towardJiraOnly(config: ConnectionConfig): ConnectionConfig {
  const only = (d: 'both' | 'to-jira' | 'to-remote' | 'none') => (d === 'both' || d === 'to-jira' ? 'to-jira' : 'none');
  return {
    ...config,
    comments: { ...config.comments, direction: only(config.comments.direction) },
    attachments: { ...config.attachments, direction: only(config.attachments.direction) },
  };
}

/** The remote item after Crosswalk's own file writes: its fields as first read with its version now, unless a field moved. */
async function afterOwnFileWrites(config: ConnectionConfig, connector: Connector, first: Item): Promise<Item> {
  const now = await connector.getItem(first.id);
  if (!now) return first;
  const same = config.fields.every(
    (m) => JSON.stringify(first.fields[m.remote] ?? null) === JSON.stringify(now.fields[m.remote] ?? null),
  );
  return same ? { ...first, ...(now.version !== undefined ? { version: now.version } : {}) } : now;
}

/** Which sides a run knows from evidence instead of a read (evidence.ts): the event's issue, the remote as the link vouches for it. */
interface Known {
  jira: boolean;
  /** The remote is known from the link (and, where a notification showed them, `remoteShown`'s fields from it), not read. */
  remote: boolean;
  remoteShown: ReadonlySet<string>;
}
const READ_BOTH: Known = { jira: false, remote: false, remoteShown: new Set() };

async function syncPair(
  config: ConnectionConfig,
  connector: Connector,
  link: Link,
  issue: jira.JiraIssue,
  remote: Item,
  created: boolean,
  scope: ReconcileScope,
  remoteClosed = false,
  known: Known = READ_BOTH,
): Promise<ReconcileOutcome> {
  if (remoteClosed) config = towardJiraOnly(config);
  // A hand-made link's first sync writes nothing to the remote: its fields take the remote's values (syncFields), its
  // comments and files cross toward Jira only, and what the issue held before stays in Jira (hand-link.ts).
  const holdBack = Boolean(link.startFromRemote);
  const contentConfig = holdBack ? towardJiraOnly(config) : config;
  if (holdBack) scope = { ...FULL_SCOPE, ...(scope.signal ? { signal: scope.signal } : {}) };
  const label = systemFor(config.remote.type)?.label ?? config.remote.type;
  // Every read of the issue is checked, the ones after a NeedsRead or a closed item included.
  stayedInProject(config, link, issue);
  const before = JSON.stringify(link);
  let next: Link = { ...link };
  delete next.startFromRemote;
  if (!next.remoteLinked) {
    // Upserted by globalId: repeating it after a crash cannot create a second link.
    await jira.upsertRemoteLink(issue.id, {
      globalId: globalIdFor(config, remote),
      url: remote.url,
      title: remote.displayKey,
      summary: label,
    });
    next.remoteLinked = true;
  }
  if (next.origin === 'remote' && !next.remoteMarked && !remoteClosed) {
    await connector.markCorrelation(remote.id, correlationIdFor(config, issue.id));
    next.remoteMarked = true;
  }
  const problems: Record<string, LinkProblem> = {};
  const at = new Date().toISOString();
  // Files first: an image in a description or comment is one of them, and shows inline only once it has crossed
  // (body-options.ts), so the fields and comments of this run already see it.
  let filesCopied = 0;
  if (scope.attachments) {
    const result = await syncAttachments(contentConfig, connector, next, issue, holdBack);
    filesCopied = result.copied;
    next = result.link;
    if (result.skipped.length)
      problems.attachments = { kind: 'validation', message: `Not copied: ${result.skipped.join('; ')}`, at };
    // A file written to the remote changed its item's version (on Zendesk, by a comment): a conditional field write
    // needs the version now (a remote without conditional writes is written as it was read). When no mapped field moved meanwhile, the change was ours alone, and the fields are
    // planned from the first read, as if the file had come after them; otherwise from the item as it is now.
    if (result.wroteRemote && connector.capabilities.conditionalWrites) {
      remote = await afterOwnFileWrites(config, connector, remote);
      known = { ...known, remote: false, remoteShown: new Set() };
    }
  }
  // What the rich fields' images name (and people, where the remote marks them), resolved before they are compared.
  // Those of one format: a connection's rich pairs keep the item's description format, or one each field names (a
  // ServiceNow HTML column beside its plain description); the richest holds images and people.
  const rich = richPairsOf(config, connector.capabilities.descriptionFormat);
  const prepared = await resolveBodyReferences(
    config,
    connector,
    next,
    {
      format: rich.format,
      jiraDocs: rich.pairs.map((m) => issue.fields[m.jira]),
      remoteBodies: rich.pairs.map((m) => remote.fields[m.remote]),
      toJira: !remoteClosed && rich.pairs.some((m) => m.direction !== 'to-remote'),
    },
    jira.attachmentsOf(issue),
  );
  next = prepared.link;
  const fields = await syncFields(
    config,
    connector,
    next,
    issue,
    remote,
    created,
    remoteClosed,
    known,
    prepared.bodies,
  );
  next = fields.link;
  for (const [part, message] of Object.entries(fields.problems)) problems[part] = { kind: 'validation', message, at };
  // The parent, once the fields agree: a reference to another pair, crossing as the item paired with it (hierarchy.ts).
  const parent = await syncParent({
    config,
    connector,
    link: next,
    issue,
    remote: fields.remoteAfter,
    known: { jira: known.jira, remote: fields.remotePresumed },
    startFromRemote: holdBack || link.origin === 'remote',
    systemLabel: label,
  });
  next = parent.link;
  // Our parent write moved the item's version and no mapped field: where the link vouched for the fields at the
  // version before it, it does at the one after.
  if (
    parent.remoteAfter?.version &&
    next.remoteVersion !== undefined &&
    next.remoteVersion === fields.remoteAfter.version
  )
    next.remoteVersion = parent.remoteAfter.version;
  if (parent.problem) problems.parent = { kind: 'validation', message: parent.problem, at };
  // Related links between pairs of this connection, where the remote has them (related-links.ts).
  const relatedLinks = await syncRelated({
    config,
    connector,
    link: next,
    issue,
    remote: parent.remoteAfter ?? fields.remoteAfter,
    known: { jira: known.jira, remote: fields.remotePresumed && !parent.remoteAfter },
  });
  next = relatedLinks.link;
  // Children that arrived before this pair existed wait for it: its first sync looks at them again.
  if (!link.lastSyncAt) await wakeWaitingChildren(config, link);
  // The remote's SLA, one way into its Jira field (sla-field.ts): read once per sync of the pair, written on a difference.
  const sla = remoteClosed ? {} : await syncSlaField(config, connector, issue, remote.id);
  if (sla.refused) problems.sla = { kind: 'validation', message: sla.refused, at };
  for (const [part, message] of Object.entries(fields.notTaken)) problems[part] = { kind: NOT_TAKEN, message, at };
  for (const [part, r] of Object.entries(fields.refused))
    problems[part] = { kind: REFUSED, message: r.message, at, refusal: r.refusal };
  let commentsCopied = 0;
  if (scope.comments) {
    const result = await syncComments(contentConfig, connector, next, holdBack);
    commentsCopied = result.copied;
    next = result.link;
    if (result.withheld) problems.comments = { kind: 'validation', message: result.withheld, at };
  }
  // The newest remote comment this run listed (after its own copies), so a notification naming it needs no listing.
  const newestListed =
    scope.comments && connector.newestCommentListed ? await connector.newestCommentListed(remote.id) : undefined;
  if (newestListed) next.remoteNewestComment = newestListed;
  // Each part's problem is replaced by this run's finding for that part; parts not looked at keep theirs, and a value
  // the remote did not take stays said while neither side has moved since (not-taken.ts).
  const kept = Object.fromEntries(
    Object.entries(next.problems ?? {}).filter(([part, p]) =>
      part === 'attachments'
        ? !scope.attachments
        : part === 'comments'
          ? !scope.comments
          : stillNotTaken(p, link.base[part], next.base[part]) ||
            (p.kind === REFUSED && fields.stillRefused.includes(part)),
    ),
  );
  // A problem found again as it was keeps its first time, so a pair that stays as it is writes no link.
  for (const [part, p] of Object.entries(problems))
    if (
      next.problems?.[part]?.message === p.message &&
      JSON.stringify(next.problems[part]!.refusal) === JSON.stringify(p.refusal)
    )
      problems[part] = next.problems[part]!;
  const merged = { ...kept, ...problems };
  next.problems = Object.keys(merged).length ? merged : undefined;
  if (!next.problems) delete next.problems;
  // What the panel shows of the item: a remote known only as the link vouches for it keeps what was last read.
  next = withItemShown(next, connector, fields.remoteAfter, fields.remotePresumed);
  // A value refused in this run keeps a failure record, so the sweep comes back once it has rested and tries it again
  // (refusals.ts) and the settings page lists the item; an item with nothing refused any more has none.
  const refusedNow = Object.values(fields.refused);
  const stillRefused = Object.values(merged).some((p) => p.kind === REFUSED);
  if (refusedNow.length) {
    await recordFailure({
      item: { side: 'jira', issueId: issue.id },
      connectionId: config.id,
      kind: REFUSED,
      message: refusedNow[0]!.message,
      at: Date.now(),
    });
    next.failing = true;
  } else if (next.failing && !stillRefused) {
    await clearFailure({ side: 'jira', issueId: issue.id });
    next.failing = false;
  }
  // The issue panel's timeline rides on this one link write (timeline.ts): a step only when something crossed.
  const jiraIdOf = (remoteField: string) => config.fields.find((m) => m.remote === remoteField)?.jira ?? remoteField;
  const values: Record<string, string> = {};
  for (const m of config.fields) {
    const held = fields.heldAfter[m.jira];
    const shown = held === undefined ? undefined : stepValue(m, held);
    if (shown !== undefined) values[m.jira] = shown;
  }
  const step = stepOf({
    wroteJira: fields.wroteJira,
    wroteRemote: fields.wroteRemote.map(jiraIdOf),
    values,
    kept: Object.keys(fields.notTaken),
    comments: newCrossings(link.comments, next.comments),
    files: newCrossings(link.attachments, next.attachments),
    created,
    ...(scope.signal ? { signal: scope.signal } : {}),
    changedAt: { jira: issue.updatedAt, remote: remote.updatedAt },
    writtenAt: Date.parse(at),
    confirmedAt: Date.now(),
  });
  if (step) next.timeline = withStep(next.timeline, step, step.confirmedAt);
  const changed = JSON.stringify({ ...next, lastSyncAt: link.lastSyncAt }) !== before;
  if (changed) await updateLink({ ...next, lastSyncAt: at });
  return {
    result: 'synced',
    created,
    wroteJira: fields.wroteJira,
    wroteRemote: fields.wroteRemote,
    conflicts: fields.conflicts,
    problems: Object.values(merged).map((p) => p.message),
    commentsCopied,
    filesCopied,
  };
}

/** Remote times may be cut to the second (ServiceNow): a change within a second of Jira's counts as possibly after it. */
const REMOTE_TIME_SLACK_MS = 1000;

async function syncFields(
  config: ConnectionConfig,
  connector: Connector,
  link: Link,
  issue: jira.JiraIssue,
  remote: Item,
  created: boolean,
  remoteClosed = false,
  known: Known = READ_BOTH,
  bodies: BodyOptions = bodyOptionsFor(connector, [...link.attachments, ...(link.images ?? [])]),
) {
  // Evidence shows Jira as it was at its event's time. A remote change since then is weighed against Jira as it is now:
  // Jira may have changed again meanwhile (a second transition in the same instant), and settling the base on the older
  // value would let that later-looking Jira change beat the newer remote one (found by the soak, ServiceNow seed 95040).
  if (
    known.jira &&
    !known.remote &&
    (link.remoteSeenAt === undefined || remote.updatedAt > link.remoteSeenAt) &&
    remote.updatedAt >= issue.updatedAt - REMOTE_TIME_SLACK_MS
  )
    throw new NeedsRead('jira');
  const users = new UserMap(config, connector);
  const conversion = {
    ...conversionOf(config, connector.capabilities, { key: issue.key, remoteKey: remote.displayKey }),
    bodies,
    // A pair's rules may read either side's fields (rules.ts).
    ruleInputs: { jira: issue.fields, remote: remote.fields },
  };
  const readings: FieldReading[] = [];
  // A side known from evidence reads, where the evidence does not name a field, as the link's base (evidence.ts vouches for that).
  const fromBase = (m: (typeof config.fields)[number], side: 'jira' | 'remote') => ({
    ok: true as const,
    value: link.base[m.jira]![side],
  });
  for (const m of config.fields) {
    const jiraReading =
      known.jira && !(m.jira in issue.fields)
        ? fromBase(m, 'jira')
        : m.transform === 'user'
          ? await users.fromJira(issue.fields[m.jira])
          : readJira(m, issue.fields, conversion);
    readings.push({
      m,
      jira: jiraReading,
      remote:
        known.remote && !known.remoteShown.has(m.remote)
          ? fromBase(m, 'remote')
          : readRemote(m, remote.fields, connector.capabilities.descriptionFormat, conversion),
    });
  }
  await ownStatusMoveIsNoChange(readings, link, issue.recentHistory);
  // A field's first sync takes its value from the side the item was made on; on a link a person made by hand, from
  // the remote, whatever the conflict policy: linking must not overwrite an existing item (hand-link.ts).
  const context = pairPlanContext(link, created);
  // A field back at its base while the other side changed may have been changed and changed back: history says (field-history.ts).
  // A remote known from the link, or from a notification of the one write after it, has no history to ask about.
  const unclear = unclearFields(readings, link, issue, remote, connector, known.remote);
  // A field the event did not show reads as its base: when it may have changed since (changed and changed back, or by an
  // event still on its way), evidence cannot say, so Jira is read (evidence.ts). A field the event showed is Jira's value
  // at the event's time, and its history reads as after any read.
  if (known.jira && unclear.unclear.some((f) => !(f in issue.fields))) throw new NeedsRead('jira');
  const { jiraTouchedAt, remoteTouchedAt } = await touchedTimes(unclear, readings, link, issue, remote, connector);
  // A link whose first sync came later than its create (a crash in between): a person's changes since the create, on
  // the side the pair was not made from, are weighed against the origin's, not overwritten by them.
  if (!created && !Object.keys(link.base).length) {
    const since = await changedSinceCreate(readings, link, issue, remote, connector);
    Object.assign(jiraTouchedAt, since.jira);
    Object.assign(remoteTouchedAt, since.remote);
  }
  const plan = planFields({
    jiraTouchedAt,
    remoteTouchedAt,
    config,
    readings,
    base: link.base,
    updatedAt: { jira: issue.updatedAt, remote: remote.updatedAt },
    ...context,
    remoteMaxLengths: connector.capabilities.maxLengths,
    remoteRichText: connector.capabilities.descriptionFormat,
    conversion,
    remoteRaw: remote.fields,
    issueKey: issue.key,
    ...(connector.capabilities.fixedAfterCreate ? { remoteFixed: connector.capabilities.fixedAfterCreate } : {}),
    remoteKey: remote.displayKey,
  });
  // Jira's resolution joins the write that resolves the remote; the remote's is told on the issue after (resolution.ts).
  // A closed item takes no write, and its resolution is final.
  const resolution = remoteClosed
    ? undefined
    : await resolutionBeforeWrites({
        config,
        issue,
        remote,
        remoteRead: !known.remote,
        snapshot: link.resolution,
        remoteFields: plan.remoteFields,
      });
  // Evidence is for reading: a side known only from it is read before anything is written to it (a remote with
  // conditional writes is written naming the version it is known at, and a refusal reads it).
  if (known.jira && plan.jiraWrites.length) throw new NeedsRead('jira');
  if (known.remote && !connector.capabilities.conditionalWrites && Object.keys(plan.remoteFields).length)
    throw new NeedsRead('remote');
  const problems: Record<string, string> = { ...plan.problems };
  const base = { ...link.base, ...plan.settled };
  const at = new Date().toISOString();
  const conflicts = [
    ...(link.conflicts ?? []),
    ...plan.conflicts.map((c) => ({ field: c.field, winner: c.winner, reason: c.reason, at })),
  ].slice(-20);

  // Write each side at most once per reconcile: one remote update, one Jira edit, and the transitions a status needs.
  let remoteAfter = remote;
  const wroteRemote: string[] = [];
  /** Per Jira field written, the canonical value the side it was written to holds after (the timeline's values). */
  const heldAfter: Record<string, CanonicalValue> = {};
  const notTaken: Record<string, string> = {};
  // A closed item takes no write: what Jira holds goes to its follow-up, and the base of those fields stays where it was.
  /** Per Jira field, a value a side refused in this run (write-isolation.ts, refusals.ts). */
  const refused: Record<string, { message: string; refusal: Refusal }> = {};
  const systemLabel = systemFor(config.remote.type)?.label ?? config.remote.type;
  if (Object.keys(plan.remoteFields).length && !remoteClosed) {
    // One write of every field; a field the remote refuses is left out and the rest written (write-isolation.ts).
    const isolated = await writeIsolated(
      plan.remoteFields,
      async (fields, previous: Item | undefined) => {
        try {
          return await connector.updateItem(remote.id, fields, previous?.version ?? remote.version);
        } catch (e) {
          // The remote changed since the version the link vouched for: read it and decide again.
          if (known.remote && e instanceof SyncError && e.kind === 'conflict') throw new NeedsRead('remote');
          throw e;
        }
      },
      {
        mustGoTogether: [
          ...enteringTogether(config, plan.remoteFields),
          ...(plan.remoteTogether ?? []),
          ...(resolution?.together ?? []),
        ],
      },
    );
    remoteAfter = isolated.answer ?? remote;
    for (const w of plan.remoteWrites) {
      const words = sentFields(w)
        .map((f) => isolated.refused[f])
        .find((x) => x !== undefined);
      if (words !== undefined) {
        refused[w.m.jira] = {
          message: refusedMessage({
            targetLabel: systemLabel,
            field: w.m.remote,
            value: w.value,
            words,
            otherLabel: 'Jira',
          }),
          refusal: refusalFor(w.m, 'remote', w.value, Date.now()),
        };
        continue;
      }
      // The base is what the remote really holds now (its own cuts included).
      const held = readRemote(w.m, remoteAfter.fields, connector.capabilities.descriptionFormat, conversion);
      base[w.m.jira] = { jira: w.current.jira, remote: held.ok ? held.value : w.value };
      wroteRemote.push(w.m.remote);
      heldAfter[w.m.jira] = held.ok ? held.value : String(remoteAfter.fields[w.m.remote] ?? '');
      // A value the remote answered with another one: the answer stands, and the pair is said not to agree (not-taken.ts).
      const written = w.written?.value ?? plan.remoteFields[w.m.remote] ?? '';
      const heldRaw = remoteAfter.fields[w.m.remote];
      const notTakenNow = notTakenMessage({
        m: w.m,
        jiraValue: w.current.jira,
        written,
        heldRaw,
        held,
        expected: storedOnRemote(
          w.m,
          w.value,
          connector.capabilities.maxLengths,
          connector.capabilities.descriptionFormat,
          conversion,
        ),
        systemLabel,
        before: w.current.remote,
        ...(w.m.derived && w.written ? { through: w.written.fields } : {}),
        ...whyNotTaken(config, w.m.remote, written, heldRaw),
      });
      if (notTakenNow) {
        notTaken[w.m.jira] = notTakenNow;
        // Said in the remote's own value, as the problem says it: Jira's name for it would read as agreement.
        heldAfter[w.m.jira] = String(heldRaw ?? '');
      }
    }
  }
  const jiraFields: Record<string, unknown> = {};
  const jiraDone: typeof plan.jiraWrites = [];
  let status: (typeof plan.jiraWrites)[number] | undefined;
  for (const w of plan.jiraWrites) {
    if (w.m.transform === 'user') {
      const accountId = w.value === null || w.value === '' ? null : await users.toJira(String(w.value));
      if (accountId === undefined) {
        problems[w.m.jira] = `${config.remote.type} user ${String(w.value)} has no matching Jira user`;
        continue;
      }
      jiraFields[w.m.jira] = accountId === null ? null : { accountId };
      jiraDone.push(w);
      continue;
    }
    const write = writeJira(w.m, w.value, conversion, issue.fields[w.m.jira]);
    if (write.kind === 'skip') problems[w.m.jira] = write.reason;
    else if (write.kind === 'status') status = w;
    else {
      jiraFields[write.field] = write.value;
      jiraDone.push(w);
    }
  }
  const wroteJira: string[] = [];
  // Jira as our own edit left it, when its answer shows the edit alone since what was read: seen, so its own change is not taken for a person's.
  let jiraAfterOwnEdit: number | undefined;
  if (Object.keys(jiraFields).length) {
    // Jira names every field it refuses: the edit goes again without them (write-isolation.ts).
    const isolated = await writeIsolated(jiraFields, (fields) => jira.editIssue(issue.id, fields));
    const answer = isolated.answer;
    if (answer && !known.jira && editWasAlone(answer, issue.updatedAt, isolated.lastWritten))
      jiraAfterOwnEdit = answer.updatedAt;
    for (const w of jiraDone) {
      const words = isolated.refused[w.m.jira];
      if (words !== undefined) {
        refused[w.m.jira] = {
          message: refusedMessage({
            targetLabel: 'Jira',
            field: w.m.jira,
            value: w.value,
            words,
            otherLabel: systemLabel,
          }),
          refusal: refusalFor(w.m, 'jira', w.value, Date.now()),
        };
        continue;
      }
      base[w.m.jira] = { jira: w.value, remote: w.current.remote };
      wroteJira.push(w.m.jira);
      heldAfter[w.m.jira] = w.value;
    }
  }
  let jiraResolvedAs: string | undefined;
  if (status) {
    const write = writeJira(status.m, status.value, conversion);
    const moved =
      write.kind === 'status'
        ? await moveToStatus(issue, write.statusName, resolution?.plan.jiraOnDone)
        : { ok: false as const, reason: 'status cannot be emptied' };
    if (moved.ok) {
      jiraResolvedAs = moved.resolution;
      base[status.m.jira] = { jira: status.value, remote: status.current.remote };
      wroteJira.push(status.m.jira);
      heldAfter[status.m.jira] = status.value;
    } else problems.status = moved.reason;
  }
  // A field whose base did not move keeps its old base, so the next run decides it again.
  const sameBase =
    Object.keys(base).length === Object.keys(link.base).length &&
    Object.entries(base).every(
      ([k, v]) =>
        link.base[k] && canonicalEqual(link.base[k]!.jira, v.jira) && canonicalEqual(link.base[k]!.remote, v.remote),
    );
  // A notice already shown moves to the end instead of showing twice.
  const notices = plan.notices.length
    ? [...(link.notices ?? []).filter((n) => !plan.notices.includes(n)), ...plan.notices].slice(-10)
    : link.notices;
  // Jira as an event showed it counts as seen at the event's time, as a read would (evidence.ts): an older event that
  // arrives later is then read instead, and a change the event did not show is found by that read or the sweep.
  // A status moved after our edit is a later change of ours that no answer dated: Jira then counts as seen only as read.
  // Known, not read, and not written: fields it did not show hold what the link says.
  const remotePresumed = known.remote && remoteAfter === remote;
  // A run that presumed the remote cannot weigh a Jira field changed and changed back since Jira was last seen (it
  // reads as its base, and matters only against a remote change this run could not see): Jira then stays seen where it
  // was, so the run that reads the remote asks Jira's history from there (found by the soak, Azure DevOps seed 2015845).
  const jiraSeenAt =
    remotePresumed && mappedChangeUnseen(config, link, issue)
      ? (link.jiraSeenAt ?? issue.updatedAt)
      : Math.max(issue.updatedAt, link.jiraSeenAt ?? 0, status ? 0 : (jiraAfterOwnEdit ?? 0));
  // The version at which the remote holds exactly the base of every mapped field, or none (a refused write keeps an old base).
  const finalBase = sameBase ? link.base : base;
  const holdsBase = config.fields.every((m) => {
    if (remotePresumed && !known.remoteShown.has(m.remote))
      return (
        link.base[m.jira] !== undefined &&
        finalBase[m.jira] !== undefined &&
        canonicalEqual(link.base[m.jira]!.remote, finalBase[m.jira]!.remote)
      );
    const held = readRemote(m, remoteAfter.fields, connector.capabilities.descriptionFormat, conversion);
    return held.ok && finalBase[m.jira] !== undefined && canonicalEqual(held.value, finalBase[m.jira]!.remote);
  });
  const remoteVersion = holdsBase && !remoteClosed ? remoteAfter.version : undefined;
  // Our own write, when the remote proves nobody else wrote between what we knew and it, leaves the remote seen as it
  // answered: its own change is then not taken for someone else's (no history read, no second look at Jira next time).
  // Where writes are not conditional and versions do not count them (GitHub, Freshservice), the write's answer is a
  // read of the whole item after it: when the remote was read this run and the answer holds the base of every mapped
  // field, any other change in between touched no mapped field, so nothing would be lost by counting it seen.
  const wroteAlone =
    remoteAfter !== remote &&
    (ownWriteProven(connector, remote, remoteAfter) || (!known.remote && !remotePresumed && holdsBase));
  const remoteSeenAt = wroteAlone
    ? Math.max(remoteAfter.updatedAt, link.remoteSeenAt ?? 0)
    : Math.max(remote.updatedAt, link.remoteSeenAt ?? 0);
  const resolutionSeen = resolution
    ? await resolutionAfterWrites({ run: resolution, config, connector, issue, remote, remoteAfter, jiraResolvedAs })
    : link.resolution;
  const { jiraSeenAt: _j, remoteSeenAt: _r, remoteVersion: _v, resolution: _s, ...rest } = link;
  const seen = {
    jiraSeenAt,
    ...(remoteSeenAt !== undefined ? { remoteSeenAt } : {}),
    ...(remoteVersion !== undefined ? { remoteVersion } : {}),
  };
  return {
    link: {
      ...rest,
      ...seen,
      base: finalBase,
      ...(resolutionSeen ? { resolution: resolutionSeen } : {}),
      conflicts: plan.conflicts.length ? conflicts : link.conflicts,
      ...(notices ? { notices } : {}),
    },
    remoteAfter,
    remotePresumed,
    wroteJira,
    wroteRemote,
    heldAfter,
    notTaken,
    conflicts: plan.conflicts.length,
    problems,
    refused,
    stillRefused: plan.stillRefused,
  };
}

/**
 * Whether Jira changed a mapped field since the link last saw it, by the history its read carried (none carried:
 * it may have).
 */
function mappedChangeUnseen(config: ConnectionConfig, link: Link, issue: jira.JiraIssue): boolean {
  const seen = link.jiraSeenAt;
  if (seen === undefined || issue.updatedAt <= seen) return false;
  if (!issue.recentHistory) return true;
  const mapped = new Set(config.fields.map((m) => m.jira));
  return issue.recentHistory.entries.some((h) => h.at > seen && h.fields.some((f) => mapped.has(f)));
}

/**
 * The remote fields that must be written together: a status and what entering it requires (requiredOnEnter), so
 * isolating a refusal never writes a state without its close code, or a close code without its state.
 */
function enteringTogether(config: ConnectionConfig, fields: Readonly<Record<string, string>>): string[][] {
  return config.requiredOnEnter
    .filter((rule) => fields[rule.field] !== undefined && rule.values.includes(fields[rule.field]!))
    .map((rule) => [rule.field, ...Object.keys(rule.set)]);
}

/** The system's own reason for a value it did not take, where its registry entry has one. */
function whyNotTaken(config: ConnectionConfig, field: string, written: string, held: unknown): { why?: string } {
  const why = systemFor(config.remote.type)?.texts.valueNotTaken?.(field, written, String(held ?? ''));
  return why ? { why } : {};
}
