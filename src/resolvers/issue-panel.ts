/**
 * The issue panel's resolvers, for everyone who can see the issue: what is
 * linked, its state, what failed and why; sync now, link and unlink for those
 * who can edit it.
 */
import * as z from 'zod';
import { connectorFor } from '../connectors/factory';
import { deleteRemoteLink, getIssue, issueMatches } from '../connectors/jira/client';
import { connectionsForProject, getConnection } from '../store/connections';
import { getFailure } from '../store/failures';
import { clearUnlinked, createLink, deleteLink, getLink, isUnlinked, issueForRemote, LinkTaken, markUnlinked } from '../store/links';
import { globalIdFor } from '../sync/reconcile';
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
  const [link, failure] = await Promise.all([getLink(caller.issueId), getFailure({ side: 'jira', issueId: caller.issueId })]);
  const lastError = failure ? { kind: failure.kind, message: failure.message, at: new Date(failure.at).toISOString(), ...(failure.field ? { field: failure.field } : {}) } : null;
  if (!link) return ok({ linked: false as const, reason: (await isUnlinked(caller.issueId)) ? 'Someone unlinked this issue; it syncs again once it is linked.' : await whyNotSynced(caller.issueId, caller.projectId), lastError });
  return ok({
    linked: true as const,
    remoteKey: link.remoteKey,
    remoteUrl: link.remoteUrl,
    remoteState: link.remoteStatus ?? null,
    lastSyncAt: link.lastSyncAt ?? null,
    lastError,
    problems: Object.entries(link.problems ?? {}).map(([part, p]) => ({ part, ...p })),
    conflicts: (link.conflicts ?? []).slice(-5),
    notices: (link.notices ?? []).slice(-5),
  });
}

export async function syncIssueNowResolver({ context }: Call) {
  const caller = await requireIssuePermission(context, 'BROWSE_PROJECTS');
  if (!caller) return cannotSee;
  await enqueueReconcile([{ item: { side: 'jira', issueId: caller.issueId }, cause: 'sync-now' }]);
  return ok({ queued: true });
}

const linkRequest = z.object({ remoteKey: z.string().trim().min(1).max(100), connectionId: z.string().optional() }).strict();

/** Links the issue to an existing remote item, by its number; the next reconcile aligns them by the conflict policy. */
export async function linkIssueResolver({ payload, context }: Call) {
  const caller = await requireIssuePermission(context, 'EDIT_ISSUES');
  if (!caller) return cannotEdit;
  const request = linkRequest.safeParse(payload);
  if (!request.success) return badRequest(request.error);
  const configs = (await connectionsForProject(caller.projectId)).filter((c) => c.enabled && (!request.data.connectionId || c.id === request.data.connectionId));
  const config = configs[0];
  if (!config) return fail('BAD_REQUEST', 'This project is not connected');
  const remote = await (await connectorFor(config)).findByDisplayKey(request.data.remoteKey);
  if (!remote) return fail('BAD_REQUEST', `${request.data.remoteKey} was not found`);
  const issue = await getIssue(caller.issueId);
  if (!issue) return fail('BAD_REQUEST', 'The issue no longer exists');
  try {
    await createLink({ connectionId: config.id, issueId: caller.issueId, issueKey: issue.key, remoteId: remote.id, remoteKey: remote.displayKey, remoteUrl: remote.url, origin: 'linked', base: {}, comments: [], attachments: [], remoteLinked: false, remoteMarked: true });
  } catch (e) {
    if (!(e instanceof LinkTaken)) throw e;
    return fail('BAD_REQUEST', (await getLink(caller.issueId)) ? 'This issue is already linked; unlink it first' : `${remote.displayKey} is already linked to another issue`);
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
