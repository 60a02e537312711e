/**
 * The issue panel's resolvers, for everyone who can see the issue (Browse
 * projects): what is linked, its state, what failed and why, the timeline of
 * its recent sync steps; for those who can edit it (Edit issues): Sync now,
 * search the remote, link, create in the remote and unlink. Each asks Jira for
 * the caller's permission on the server and checks its input with zod.
 */
import * as z from 'zod';
import { connectorFor } from '../connectors/factory';
import { deleteRemoteLink, getIssue, issueMatches, issueUpdatedAt } from '../connectors/jira/client';
import { connectionsForProject, getConnection } from '../store/connections';
import { getFailure } from '../store/failures';
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
import { CREATE_IN, globalIdFor } from '../sync/reconcile';
import { TIMELINE_DAYS } from '../sync/timeline';
import { enqueueReconcile } from '../sync/sync-queue';
import { badRequest, cannotEdit, cannotSee, fail, ok, requireIssuePermission } from './guards';

type Call = { payload?: unknown; context: { accountId?: string } & Record<string, unknown> };

/** Why an issue without a link does not sync: said plainly instead of showing nothing. */
async function whyNotSynced(issueId: string, projectId: string): Promise<string> {
  const configs = (await connectionsForProject(projectId)).filter((c) => c.enabled);
  if (!configs.length) return 'This project is not connected to another system.';
  for (const c of configs) if (await issueMatches(issueId, projectId, c.jql)) return `Waiting to sync with ${c.name}.`;
  return 'This issue does not match the filter of any of this project’s connections.';
}

export async function getIssueSyncResolver({ context }: Call) {
  const caller = await requireIssuePermission(context, 'BROWSE_PROJECTS');
  if (!caller) return cannotSee;
  const [link, failure, updatedAt] = await Promise.all([
    getLink(caller.issueId),
    getFailure({ side: 'jira', issueId: caller.issueId }),
    issueUpdatedAt(caller.issueId).catch(() => undefined),
  ]);
  const lastError = failure
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
    });
  return ok({
    linked: true as const,
    connectionId: link.connectionId,
    remoteKey: link.remoteKey,
    remoteTitle: link.remoteTitle ?? null,
    remoteUrl: link.remoteUrl,
    remoteState: link.remoteStatus ?? null,
    lastSyncAt: link.lastSyncAt ?? null,
    lastError,
    problems: Object.entries(link.problems ?? {}).map(([part, p]) => ({ part, ...p })),
    conflicts: (link.conflicts ?? []).slice(-5),
    notices: (link.notices ?? []).slice(-5),
    timeline: timelineOf(link, failure),
    timelineDays: TIMELINE_DAYS,
    pending: pendingOf(link, failure, updatedAt),
  });
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
    failure && failure.at >= since
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

/** Remote items the caller may link the issue to, by number or words, with the issue each is already linked to. */
export async function searchRemoteResolver({ payload, context }: Call) {
  const caller = await requireIssuePermission(context, 'EDIT_ISSUES');
  if (!caller) return cannotEdit;
  const request = searchRequest.safeParse(payload);
  if (!request.success) return badRequest(request.error);
  const config = await targetConnection(caller.projectId, request.data.connectionId);
  if (!config)
    return fail('BAD_REQUEST', 'This project is not connected', [
      { path: 'connectionId', message: 'This project has no such connection' },
    ]);
  const found = await (await connectorFor(config)).searchItems(request.data.text, 8);
  const items = await Promise.all(
    found.map(async (f) => {
      const linkedIssueId = await issueForRemote(config.id, f.id);
      const linkedTo = linkedIssueId ? ((await getLink(linkedIssueId))?.issueKey ?? 'another issue') : null;
      return {
        remoteKey: f.displayKey,
        title: f.title,
        status: f.status ?? null,
        url: f.url,
        updatedAt: new Date(f.updatedAt).toISOString(),
        linkedTo: linkedIssueId === caller.issueId ? 'this issue' : linkedTo,
      };
    }),
  );
  return ok({ system: systemFor(config.remote.type)?.label ?? config.remote.type, items });
}

const createRequest = z.object({ connectionId: z.string().max(100).optional() }).strict();

/**
 * Makes the issue's item in the remote now, whatever the connection's JQL
 * says: the sync queue's worker for this issue creates it (one writer per
 * pair; a retry finds the item it made by its correlation id).
 */
export async function createInRemoteResolver({ payload, context }: Call) {
  const caller = await requireIssuePermission(context, 'EDIT_ISSUES');
  if (!caller) return cannotEdit;
  const request = createRequest.safeParse(payload ?? {});
  if (!request.success) return badRequest(request.error);
  if (await getLink(caller.issueId)) return fail('BAD_REQUEST', 'This issue is already linked; unlink it first');
  const config = await targetConnection(caller.projectId, request.data.connectionId);
  if (!config)
    return fail('BAD_REQUEST', 'This project is not connected', [
      { path: 'connectionId', message: 'This project has no such connection' },
    ]);
  await clearUnlinked(caller.issueId);
  await enqueueReconcile([{ item: { side: 'jira', issueId: caller.issueId }, cause: `${CREATE_IN}${config.id}` }]);
  return ok({
    queued: true,
    system: systemFor(config.remote.type)?.label ?? config.remote.type,
    connection: config.name,
  });
}

const linkRequest = z
  .object({ remoteKey: z.string().trim().min(1).max(100), connectionId: z.string().optional() })
  .strict();

/** Links the issue to an existing remote item, by its number; the next reconcile aligns them by the conflict policy. */
export async function linkIssueResolver({ payload, context }: Call) {
  const caller = await requireIssuePermission(context, 'EDIT_ISSUES');
  if (!caller) return cannotEdit;
  const request = linkRequest.safeParse(payload);
  if (!request.success) return badRequest(request.error);
  const configs = (await connectionsForProject(caller.projectId)).filter(
    (c) => c.enabled && (!request.data.connectionId || c.id === request.data.connectionId),
  );
  const config = configs[0];
  if (!config) return fail('BAD_REQUEST', 'This project is not connected');
  const remote = await (await connectorFor(config)).findByDisplayKey(request.data.remoteKey);
  if (!remote) return fail('BAD_REQUEST', `${request.data.remoteKey} was not found`);
  const issue = await getIssue(caller.issueId);
  if (!issue) return fail('BAD_REQUEST', 'The issue no longer exists');
  try {
    await createLink({
      connectionId: config.id,
      issueId: caller.issueId,
      issueKey: issue.key,
      remoteId: remote.id,
      remoteKey: remote.displayKey,
      remoteUrl: remote.url,
      origin: 'linked',
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
      (await getLink(caller.issueId))
        ? 'This issue is already linked; unlink it first'
        : `${remote.displayKey} is already linked to another issue`,
    );
  }
  await clearUnlinked(caller.issueId);
  await enqueueReconcile([{ item: { side: 'jira', issueId: caller.issueId }, cause: 'sync-now' }]);
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
  return ok({ unlinked: true, stillClaimed: Boolean(await issueForRemote(link.connectionId, link.remoteId)) });
}
