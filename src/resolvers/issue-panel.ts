/**
 * The issue panel's resolvers, for everyone who can see the issue (Browse
 * projects): what is linked, its state, its SLAs in the remote (read live,
 * only when the panel asks), what failed and why, the timeline of
 * its recent sync steps; for those who can edit it (Edit issues): Sync now,
 * search the remote, link, create in the remote and unlink, only within what
 * the connection syncs. Each asks Jira for the caller's permission on the
 * server and checks its input with zod.
 */
import { typeMismatch } from '../mapping/item-types';
import * as z from 'zod';
import { connectorFor } from '../sync/connector-for';
import { itemSlaSchema, MAX_ITEM_SLAS, type Connector, type ItemSla } from '../connectors/ports';
import { deleteRemoteLink, getIssue, issueMatches, issueUpdatedAt } from '../connectors/jira/client';
import type { ConnectionConfig } from '../mapping/connection-config';
import { connectionsForProject, getConnection, listConnections } from '../store/connections';
import { getFailure } from '../store/failures';
import { REFUSED } from '../sync/refusals';
import {
  clearUnlinked,
  createLink,
  deleteLink,
  getLink,
  isUnlinked,
  issueForRemote,
  LinkTaken,
  markUnlinked,
} from '../store/links';
import { systemFor } from '../connectors/registry';
import { parseCorrelationId } from '../sync/create';
import { handLinkable } from '../sync/hand-link';
import { CREATE_IN, globalIdFor } from '../sync/reconcile';
import { TIMELINE_DAYS } from '../sync/timeline';
import { enqueueReconcile } from '../sync/sync-queue';
import { badRequest, cannotEdit, cannotSee, fail, ok, requireIssuePermission } from './guards';
import { audit } from '../audit/record';
import { getConnectionCondition } from '../store/alert-state';
import { bannersOf, type ConnectionBanner } from './condition-shown';

type Call = { payload?: unknown; context: { accountId?: string } & Record<string, unknown> };

/** The issue's key as the platform's context names it, for the audit trail only (the id is what is acted on). */
const contextIssueKey = (context: Record<string, unknown>) =>
  z.object({ extension: z.object({ issue: z.object({ key: z.string().max(100) }) }) }).safeParse(context).data
    ?.extension.issue.key;

/** Why an issue without a link does not sync: said plainly instead of showing nothing. */
async function whyNotSynced(issueId: string, projectId: string): Promise<string> {
  const configs = (await connectionsForProject(projectId)).filter((c) => c.enabled);
  if (!configs.length) return 'This project is not connected to another system.';
  for (const c of configs) if (await issueMatches(issueId, projectId, c.jql)) return `Waiting to sync with ${c.name}.`;
  return 'This issue does not match the filter of any of this project’s connections.';
}

/** The panel asks for the remote's SLAs with `{withSla: true}`; other callers (and the sync) never read them. */
const issueSyncRequest = z.object({ withSla: z.literal(true) });

/**
 * What stops or slows the connections this issue syncs through, as the last alert check saw it (issue 23): the
 * linked connection's, or every enabled connection's of the project while the issue is not linked. Only
 * connection-wide conditions past their threshold; named by the connection's name and system, never by an id.
 */
async function connectionBanners(connections: readonly ConnectionConfig[]): Promise<ConnectionBanner[]> {
  const each = await Promise.all(
    connections.map(async (c) =>
      bannersOf(
        { name: c.name, system: systemFor(c.remote.type)?.label ?? c.remote.type },
        await getConnectionCondition(c.id).catch(() => undefined),
      ),
    ),
  );
  return each.flat();
}

export async function getIssueSyncResolver({ payload, context }: Call) {
  const caller = await requireIssuePermission(context, 'BROWSE_PROJECTS');
  if (!caller) return cannotSee;
  const withSla = issueSyncRequest.safeParse(payload).success;
  const [link, failure, updatedAt] = await Promise.all([
    getLink(caller.issueId),
    getFailure({ side: 'jira', issueId: caller.issueId }),
    issueUpdatedAt(caller.issueId).catch(() => undefined),
  ]);
  const involved = link
    ? await getConnection(link.connectionId).then((c) => (c ? [c] : []))
    : (await connectionsForProject(caller.projectId)).filter((c) => c.enabled);
  const banners = await connectionBanners(involved);
  // A refused value is on the link's problems, in the target's words; its record only brings the sweep back (refusals.ts).
  const lastError =
    failure && failure.kind !== REFUSED
      ? {
          kind: failure.kind,
          message: failure.message,
          at: new Date(failure.at).toISOString(),
          ...(failure.field ? { field: failure.field } : {}),
        }
      : null;
  if (!link)
    return ok({
      linked: false as const,
      reason: (await isUnlinked(caller.issueId))
        ? 'Someone unlinked this issue; it syncs again once it is linked.'
        : await whyNotSynced(caller.issueId, caller.projectId),
      lastError,
      banners,
    });
  const config = withSla ? involved[0] : undefined;
  const sla = config
    ? await connectorFor(config).then(
        (connector) => readSla(connector, link.remoteId),
        () => null,
      )
    : null;
  return ok({
    linked: true as const,
    connectionId: link.connectionId,
    remoteKey: link.remoteKey,
    remoteTitle: link.remoteTitle ?? null,
    remoteUrl: link.remoteUrl,
    remoteState: link.remoteStatus ?? null,
    lastSyncAt: link.lastSyncAt ?? null,
    lastError,
    // A refusal's digests are the engine's memory, not something people read.
    problems: Object.entries(link.problems ?? {}).map(([part, { refusal: _refusal, ...p }]) => ({ part, ...p })),
    conflicts: (link.conflicts ?? []).slice(-5),
    notices: (link.notices ?? []).slice(-5),
    timeline: timelineOf(link, failure),
    timelineDays: TIMELINE_DAYS,
    pending: pendingOf(link, failure, updatedAt),
    sla,
    banners,
  });
}

/** How long the panel waits for the remote's SLAs before it answers without them. */
export const SLA_WAIT_MS = 5_000;

/**
 * The linked item's SLAs read live from the remote, for the panel only: null
 * where the remote has none to offer (no `slaOf`), refuses the read, fails or
 * is slower than `waitMs`; the rest of the panel never waits on it longer.
 */
export async function readSla(
  connector: Pick<Connector, 'slaOf'>,
  remoteId: string,
  waitMs = SLA_WAIT_MS,
  now: () => number = Date.now,
): Promise<SlaShown[] | null> {
  if (!connector.slaOf) return null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const read = await Promise.race([
      connector.slaOf(remoteId),
      new Promise<undefined>((resolve) => {
        timer = setTimeout(() => resolve(undefined), waitMs);
      }),
    ]);
    const slas = z.array(itemSlaSchema).max(MAX_ITEM_SLAS).safeParse(read);
    return slas.success ? slaShown(slas.data, now()) : null;
  } catch {
    return null;
  } finally {
    clearTimeout(timer);
  }
}

export interface SlaShown {
  name: string;
  stage: ItemSla['stage'];
  breachAt: string | null;
  /** Until the breach, at the time of reading (the remote's clock, not the browser's); negative once past it; null while paused or once over. */
  msLeft: number | null;
}

const STAGE_ORDER: Record<ItemSla['stage'], number> = { breached: 0, running: 1, paused: 2, met: 3, cancelled: 4 };

/** What the panel shows of the SLAs: those that still matter first (breached, then the next to breach), cancelled last. */
export function slaShown(slas: readonly ItemSla[], now: number): SlaShown[] {
  return [...slas]
    .sort(
      (a, b) =>
        STAGE_ORDER[a.stage] - STAGE_ORDER[b.stage] ||
        (a.breachAt ?? Number.MAX_SAFE_INTEGER) - (b.breachAt ?? Number.MAX_SAFE_INTEGER),
    )
    .map((s) => ({
      name: s.name,
      stage: s.stage,
      breachAt: s.breachAt !== undefined ? new Date(s.breachAt).toISOString() : null,
      // A paused SLA's clock stands still: its breach time moves on when it runs again.
      msLeft: s.breachAt !== undefined && (s.stage === 'running' || s.stage === 'breached') ? s.breachAt - now : null,
    }));
}

/** Jira times may differ from the worker's clock by a little; a change within this of the last sync is that sync's own. */
const PENDING_SLACK_MS = 2000;

/**
 * What waits to sync, as far as the panel can tell without asking the remote:
 * a Jira change newer than the last time the sync saw or wrote the issue (its
 * own writes end before their step is confirmed), and a failure the sweep
 * retries.
 */
export function pendingOf(
  link: { jiraSeenAt?: number; timeline?: Array<{ confirmedAt: number }> },
  failure: { at: number } | undefined,
  updatedAt: number | undefined,
): { jiraChangedAt: string | null; retrying: boolean } {
  const seen = Math.max(link.jiraSeenAt ?? 0, ...(link.timeline ?? []).map((s) => s.confirmedAt));
  const waiting = updatedAt !== undefined && seen > 0 && updatedAt > seen + PENDING_SLACK_MS;
  return { jiraChangedAt: waiting ? new Date(updatedAt).toISOString() : null, retrying: Boolean(failure) };
}

const iso = (ms: number | undefined) => (ms ? new Date(ms).toISOString() : null);

/**
 * The pair's recent sync steps, newest first: what the reconcile kept on the
 * link (timeline.ts), and the current failure, which is stored on its own.
 */
function timelineOf(
  link: NonNullable<Awaited<ReturnType<typeof getLink>>>,
  failure: Awaited<ReturnType<typeof getFailure>>,
) {
  const since = Date.now() - TIMELINE_DAYS * 86_400_000;
  const steps = (link.timeline ?? [])
    .filter((s) => s.confirmedAt >= since)
    .map((s) => ({
      kind: 'synced' as const,
      toward: s.toward,
      fields: s.fields,
      values: s.values ?? {},
      kept: s.kept ?? [],
      comments: s.comments ?? 0,
      files: s.files ?? 0,
      created: s.created ?? false,
      cause: s.cause ?? null,
      changedAt: iso(s.changedAt),
      queuedAt: iso(s.queuedAt),
      writtenAt: iso(s.writtenAt)!,
      confirmedAt: iso(s.confirmedAt)!,
      at: iso(s.confirmedAt)!,
    }));
  const failed =
    failure && failure.kind !== REFUSED && failure.at >= since
      ? [
          {
            kind: 'failed' as const,
            message: failure.message,
            failureKind: failure.kind,
            attempts: failure.attempts,
            at: iso(failure.at)!,
          },
        ]
      : [];
  return [...steps, ...failed].sort((a, b) => b.at.localeCompare(a.at));
}

/** Sync now and Retry write both sides as the app: for people who may edit the issue, not for a viewer (browse only). */
export async function syncIssueNowResolver({ context }: Call) {
  const caller = await requireIssuePermission(context, 'EDIT_ISSUES');
  if (!caller) return cannotEdit;
  await enqueueReconcile([{ item: { side: 'jira', issueId: caller.issueId }, cause: 'sync-now' }]);
  const link = await getLink(caller.issueId);
  await audit(caller, 'sync-now', {
    connectionId: link?.connectionId,
    issueKey: link?.issueKey ?? contextIssueKey(context),
    remoteKey: link?.remoteKey,
  });
  return ok({ queued: true });
}

const searchRequest = z
  .object({
    text: z.string().trim().min(1, 'Type a number or some words of the title').max(100),
    connectionId: z.string().max(100).optional(),
  })
  .strict();

/** The project's enabled connection the caller named (or its first); another project's id is not found, like an unknown one. */
async function targetConnection(projectId: string, connectionId: string | undefined) {
  const configs = (await connectionsForProject(projectId)).filter(
    (c) => c.enabled && (!connectionId || c.id === connectionId),
  );
  return configs[0];
}

const notConnected = fail('BAD_REQUEST', 'This project is not connected', [
  { path: 'connectionId', message: 'This project has no such connection' },
]);
const labelOf = (config: ConnectionConfig) => systemFor(config.remote.type)?.label ?? config.remote.type;
const hostOf = (config: ConnectionConfig) => new URL(config.remote.baseUrl).host.toLowerCase();

/**
 * Who has a remote item: the issue linked to it through this connection or any
 * other of the site's that reaches the same remote (another project's
 * connection to the same instance), so one remote item is never in two pairs.
 */
async function claimsOn(config: ConnectionConfig) {
  const others = (await listConnections()).filter(
    (c) => c.id !== config.id && c.remote.type === config.remote.type && hostOf(c) === hostOf(config),
  );
  return async (remoteId: string): Promise<{ issueId: string; connectionId: string } | undefined> => {
    for (const c of [config, ...others]) {
      const issueId = await issueForRemote(c.id, remoteId);
      if (issueId) return { issueId, connectionId: c.id };
    }
    return undefined;
  };
}

/** How many of the remote's newest matches a search looks at, and how many of those the connection lets be linked it shows. */
const SEARCH_LOOKS_AT = 20;
const SEARCH_SHOWS = 8;

/**
 * Remote items the caller may link the issue to, by number or words, with the
 * issue each is already linked to: only those the connection syncs
 * (sync/hand-link.ts), however many more the integration account could read.
 */
export async function searchRemoteResolver({ payload, context }: Call) {
  const caller = await requireIssuePermission(context, 'EDIT_ISSUES');
  if (!caller) return cannotEdit;
  const request = searchRequest.safeParse(payload);
  if (!request.success) return badRequest(request.error);
  const config = await targetConnection(caller.projectId, request.data.connectionId);
  if (!config) return notConnected;
  const found = (await (await connectorFor(config)).searchItems(request.data.text, SEARCH_LOOKS_AT))
    .filter((f) => handLinkable(config, f, parseCorrelationId(f.correlationId), caller.issueId).ok)
    .slice(0, SEARCH_SHOWS);
  if (!found.length && !config.remoteFilter.length && !config.linkFilter.length)
    return fail('BAD_REQUEST', 'Nothing can be linked by hand through this connection', [
      {
        path: 'text',
        message: `${config.name} lets no ${labelOf(config)} item be linked by hand; a project admin can choose which on the settings page`,
      },
    ]);
  const claimOf = await claimsOn(config);
  const items = await Promise.all(
    found.map(async (f) => {
      const claim = await claimOf(f.id);
      const linkedTo = !claim
        ? null
        : claim.issueId === caller.issueId
          ? 'this issue'
          : claim.connectionId === config.id
            ? ((await getLink(claim.issueId))?.issueKey ?? 'another issue')
            : 'an issue of another connection';
      return {
        remoteKey: f.displayKey,
        title: f.title,
        status: f.status ?? null,
        url: f.url,
        updatedAt: new Date(f.updatedAt).toISOString(),
        linkedTo,
      };
    }),
  );
  return ok({ system: labelOf(config), items });
}

/** The issue is outside the connection's JQL: nothing of it may be synced through that connection. */
const outsideJql = (config: ConnectionConfig) =>
  fail('BAD_REQUEST', `This issue is outside the issues ${config.name} syncs (its filter), so it cannot sync there`);

const createRequest = z.object({ connectionId: z.string().max(100).optional() }).strict();

/**
 * Makes the issue's item in the remote now, in the connection the caller
 * chose among those whose JQL takes the issue: the sync queue's worker for
 * this issue creates it (one writer per pair; a retry finds the item it made
 * by its correlation id), and checks the JQL again.
 */
export async function createInRemoteResolver({ payload, context }: Call) {
  const caller = await requireIssuePermission(context, 'EDIT_ISSUES');
  if (!caller) return cannotEdit;
  const request = createRequest.safeParse(payload ?? {});
  if (!request.success) return badRequest(request.error);
  if (await getLink(caller.issueId)) return fail('BAD_REQUEST', 'This issue is already linked; unlink it first');
  const config = await targetConnection(caller.projectId, request.data.connectionId);
  if (!config) return notConnected;
  if (!(await issueMatches(caller.issueId, caller.projectId, config.jql))) return outsideJql(config);
  await clearUnlinked(caller.issueId);
  await enqueueReconcile([{ item: { side: 'jira', issueId: caller.issueId }, cause: `${CREATE_IN}${config.id}` }]);
  await audit(caller, 'create-in-remote', { connectionId: config.id, issueKey: contextIssueKey(context) });
  return ok({ queued: true, system: labelOf(config), connection: config.name });
}

const linkRequest = z
  .object({ remoteKey: z.string().trim().min(1).max(100), connectionId: z.string().max(100).optional() })
  .strict();

/**
 * Links the issue to an existing remote item, by its number: an item the
 * connection syncs (sync/hand-link.ts) that no issue has yet, and an issue the
 * connection's JQL takes. The pair's first sync starts from the remote.
 */
export async function linkIssueResolver({ payload, context }: Call) {
  const caller = await requireIssuePermission(context, 'EDIT_ISSUES');
  if (!caller) return cannotEdit;
  const request = linkRequest.safeParse(payload);
  if (!request.success) return badRequest(request.error);
  const config = await targetConnection(caller.projectId, request.data.connectionId);
  if (!config) return notConnected;
  if (await getLink(caller.issueId)) return fail('BAD_REQUEST', 'This issue is already linked; unlink it first');
  if (!(await issueMatches(caller.issueId, caller.projectId, config.jql))) return outsideJql(config);
  const remote = await (await connectorFor(config)).findByDisplayKey(request.data.remoteKey);
  if (!remote) return fail('NOT_FOUND', `${request.data.remoteKey} was not found in ${labelOf(config)}`);
  const takenBy = `${remote.displayKey} is already linked to another issue`;
  const verdict = handLinkable(config, remote, parseCorrelationId(remote.correlationId), caller.issueId);
  if (!verdict.ok)
    return verdict.reason === 'outside'
      ? fail('FORBIDDEN', `${remote.displayKey} is not among the ${labelOf(config)} items ${config.name} syncs`)
      : fail('BAD_REQUEST', takenBy);
  if (await (await claimsOn(config))(remote.id)) return fail('BAD_REQUEST', takenBy);
  const issue = await getIssue(caller.issueId);
  if (!issue) return fail('BAD_REQUEST', 'The issue no longer exists');
  const mismatch = typeMismatch(config, issue.fields, remote.fields, systemFor(config.remote.type)?.itemTypes);
  if (mismatch) return fail('BAD_REQUEST', `${remote.displayKey} cannot be linked to ${issue.key}: ${mismatch}`);
  try {
    await createLink({
      connectionId: config.id,
      issueId: caller.issueId,
      issueKey: issue.key,
      remoteId: remote.id,
      remoteKey: remote.displayKey,
      remoteUrl: remote.url,
      origin: 'linked',
      startFromRemote: true,
      base: {},
      comments: [],
      attachments: [],
      remoteLinked: false,
      remoteMarked: true,
    });
  } catch (e) {
    if (!(e instanceof LinkTaken)) throw e;
    return fail(
      'BAD_REQUEST',
      (await getLink(caller.issueId)) ? 'This issue is already linked; unlink it first' : takenBy,
    );
  }
  await clearUnlinked(caller.issueId);
  await enqueueReconcile([{ item: { side: 'jira', issueId: caller.issueId }, cause: 'sync-now' }]);
  await audit(caller, 'issue-linked', { connectionId: config.id, issueKey: issue.key, remoteKey: remote.displayKey });
  return ok({ remoteKey: remote.displayKey });
}

/** Stops syncing the issue: removes the link and the remote link on the issue; both items stay as they are. */
export async function unlinkIssueResolver({ context }: Call) {
  const caller = await requireIssuePermission(context, 'EDIT_ISSUES');
  if (!caller) return cannotEdit;
  const link = await getLink(caller.issueId);
  if (!link) return ok({ unlinked: false });
  await markUnlinked(caller.issueId, caller.accountId);
  await deleteLink(link);
  const config = await getConnection(link.connectionId);
  if (config) await deleteRemoteLink(caller.issueId, globalIdFor(config, { id: link.remoteId }));
  await audit(caller, 'issue-unlinked', {
    connectionId: link.connectionId,
    issueKey: link.issueKey,
    remoteKey: link.remoteKey,
  });
  return ok({ unlinked: true, stillClaimed: Boolean(await issueForRemote(link.connectionId, link.remoteId)) });
}
