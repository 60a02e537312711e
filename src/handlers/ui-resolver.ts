import Resolver from '@forge/resolver';
import * as z from 'zod';
import { userHasProjectPermission } from '../jira/permissions';
import { listProjectIssuesAsUser } from '../jira/issues';
import { getProjectSettings, saveProjectSettings } from '../store/project-settings';
import { connectionForProject, credentialSchema, deleteConnection, getConnection, getConnectionHealth, getCredential, saveConnection, setConnectionHealth, setCredential } from '../store/connections';
import { validateConnectionConfig } from '../mapping/connection-config';
import { connectorFor } from '../connectors/factory';
import { isSyncError } from '../connectors/errors';
import { deleteLink, issueForRemote, linkForIssue, saveLink } from '../store/links';
import { deleteRemoteLink, getIssue } from '../connectors/jira/client';
import { globalIdFor } from '../sync/reconcile';
import { bulkProgress, enqueueBulkPage, enqueueReconcile } from '../sync/sync-queue';
import { bulkSyncIssueIds } from '../sync/bulk';
import { getBulkRun, saveBulkRun } from '../store/bulk-runs';

/** The UI context names the project; it is only a hint until Jira confirms the caller's permission. */
const projectContext = z.object({ extension: z.object({ project: z.object({ id: z.string().regex(/^\d+$/) }).loose() }).loose() }).loose();

export type ResolverResponse<T> = { ok: true; data: T } | { ok: false; error: { code: 'FORBIDDEN' | 'BAD_REQUEST'; message: string } };

const forbidden = { ok: false, error: { code: 'FORBIDDEN', message: 'Only administrators of this project can change Crosswalk settings.' } } as const;

async function requireProjectAdmin(context: { accountId?: string } & Record<string, unknown>): Promise<{ accountId: string; projectId: string } | undefined> {
  const parsed = projectContext.safeParse(context);
  if (!context.accountId || !parsed.success) return undefined;
  const projectId = parsed.data.extension.project.id;
  return (await userHasProjectPermission(context.accountId, projectId, 'ADMINISTER_PROJECTS')) ? { accountId: context.accountId, projectId } : undefined;
}

const saveRequest = z.object({ syncFilterJql: z.string().max(2000) });

const resolver = new Resolver();

resolver.define('getProjectSettings', async ({ context }) => {
  const admin = await requireProjectAdmin(context);
  if (!admin) return forbidden;
  const [settings, issues] = await Promise.all([getProjectSettings(admin.projectId), listProjectIssuesAsUser(admin.accountId, admin.projectId)]);
  return { ok: true, data: { settings: settings ?? null, issues } };
});

resolver.define('saveProjectSettings', async ({ payload, context }) => {
  const admin = await requireProjectAdmin(context);
  if (!admin) return forbidden;
  const request = saveRequest.safeParse(payload);
  if (!request.success) return { ok: false, error: { code: 'BAD_REQUEST', message: request.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') } };
  const settings = { syncFilterJql: request.data.syncFilterJql.trim(), updatedBy: admin.accountId, updatedAt: new Date().toISOString() };
  await saveProjectSettings(admin.projectId, settings);
  return { ok: true, data: { settings } };
});

const saveConnectionRequest = z.object({ config: z.unknown(), credential: credentialSchema.optional() });

/** Creates or replaces the project's connection. Credentials are write-only: they are stored as secrets and never returned. */
resolver.define('saveConnection', async ({ payload, context }) => {
  const admin = await requireProjectAdmin(context);
  if (!admin) return forbidden;
  const request = saveConnectionRequest.safeParse(payload);
  if (!request.success) return { ok: false, error: { code: 'BAD_REQUEST', message: 'Expected {config, credential?}' } };
  const checked = validateConnectionConfig(request.data.config);
  if (!checked.ok) return { ok: false, error: { code: 'BAD_REQUEST', message: 'The configuration has problems', problems: checked.problems } };
  if (checked.config.jiraProjectId !== admin.projectId) return { ok: false, error: { code: 'BAD_REQUEST', message: 'A connection belongs to the project it is configured on' } };
  if (request.data.credential) await setCredential(checked.config.remote.auth.secretRef, request.data.credential);
  await saveConnection(checked.config);
  // New settings or credentials: let the next sync show whether the connection works.
  if (request.data.credential) await setConnectionHealth(checked.config.id, undefined);
  return { ok: true, data: { config: checked.config, hasCredential: Boolean(await getCredential(checked.config.remote.auth.secretRef)) } };
});

resolver.define('getConnection', async ({ context }) => {
  const admin = await requireProjectAdmin(context);
  if (!admin) return forbidden;
  const config = await connectionForProject(admin.projectId);
  if (!config) return { ok: true, data: null };
  return { ok: true, data: { config, hasCredential: Boolean(await getCredential(config.remote.auth.secretRef)), health: (await getConnectionHealth(config.id)) ?? null } };
});

/** Removes the connection and its credential; links stay, so re-creating the connection resumes them. */
resolver.define('deleteConnection', async ({ context }) => {
  const admin = await requireProjectAdmin(context);
  if (!admin) return forbidden;
  const config = await connectionForProject(admin.projectId);
  if (!config) return { ok: true, data: { deleted: false } };
  await deleteConnection(config);
  await setConnectionHealth(config.id, undefined);
  return { ok: true, data: { deleted: true } };
});

resolver.define('testConnection', async ({ context }) => {
  const admin = await requireProjectAdmin(context);
  if (!admin) return forbidden;
  const config = await connectionForProject(admin.projectId);
  if (!config) return { ok: false, error: { code: 'BAD_REQUEST', message: 'No connection is configured for this project' } };
  try {
    const result = await (await connectorFor(config)).testConnection();
    if (result.ok) await setConnectionHealth(config.id, undefined);
    return { ok: true, data: result.ok ? { reachable: true, identity: result.identity } : { reachable: false, kind: result.error.kind, message: result.error.message } };
  } catch (e) {
    if (isSyncError(e)) return { ok: true, data: { reachable: false, kind: e.kind, message: e.message } };
    throw e;
  }
});

const issueContext = z.object({ extension: z.object({ issue: z.object({ id: z.string().regex(/^\d+$/) }).loose(), project: z.object({ id: z.string().regex(/^\d+$/) }).loose() }).loose() }).loose();

async function requireIssueBrowse(context: { accountId?: string } & Record<string, unknown>): Promise<{ issueId: string; accountId: string } | undefined> {
  const parsed = issueContext.safeParse(context);
  if (!context.accountId || !parsed.success) return undefined;
  const ok = await userHasProjectPermission(context.accountId, parsed.data.extension.project.id, 'BROWSE_PROJECTS');
  return ok ? { issueId: parsed.data.extension.issue.id, accountId: context.accountId } : undefined;
}

/** What the issue panel shows: the linked remote ticket, last sync and any error. */
resolver.define('getIssueSync', async ({ context }) => {
  const caller = await requireIssueBrowse(context);
  if (!caller) return { ok: false, error: { code: 'FORBIDDEN', message: 'You cannot see this issue.' } };
  const link = await linkForIssue(caller.issueId);
  const remoteState = link?.base.status?.remote;
  return { ok: true, data: link ? { remoteKey: link.remoteKey, remoteUrl: link.remoteUrl, remoteState: typeof remoteState === 'string' ? remoteState : null, lastSyncAt: link.lastSyncAt ?? null, lastError: link.lastError ?? null, conflicts: (link.conflicts ?? []).slice(-5), notices: (link.notices ?? []).slice(-5) } : null };
});

resolver.define('syncIssueNow', async ({ context }) => {
  const caller = await requireIssueBrowse(context);
  if (!caller) return { ok: false, error: { code: 'FORBIDDEN', message: 'You cannot see this issue.' } };
  await enqueueReconcile([{ item: { side: 'jira', issueId: caller.issueId }, cause: 'sync-now' }]);
  return { ok: true, data: { queued: true } };
});

/** Syncs every existing issue the connection's JQL selects: paged through search, fanned out through the queue. */
resolver.define('bulkSync', async ({ context }) => {
  const admin = await requireProjectAdmin(context);
  if (!admin) return forbidden;
  const config = await connectionForProject(admin.projectId);
  if (!config?.enabled) return { ok: false, error: { code: 'BAD_REQUEST', message: 'Enable the connection first' } };
  const total = (await bulkSyncIssueIds(config)).length;
  await saveBulkRun({ connectionId: config.id, startedAt: new Date().toISOString(), total, jobIds: [] });
  // The fan-out runs in the queue, a page at a time, so it respects Forge's event rate and a resolver's 25 s.
  await enqueueBulkPage({ bulk: { connectionId: config.id, offset: 0 } });
  return { ok: true, data: { total } };
});

resolver.define('bulkSyncProgress', async ({ context }) => {
  const admin = await requireProjectAdmin(context);
  if (!admin) return forbidden;
  const config = await connectionForProject(admin.projectId);
  const run = config && (await getBulkRun(config.id));
  if (!run) return { ok: true, data: null };
  return { ok: true, data: { total: run.total, startedAt: run.startedAt, ...(await bulkProgress(run.jobIds)) } };
});

async function requireIssueEdit(context: { accountId?: string } & Record<string, unknown>): Promise<{ issueId: string; projectId: string } | undefined> {
  const parsed = issueContext.safeParse(context);
  if (!context.accountId || !parsed.success) return undefined;
  const ok = await userHasProjectPermission(context.accountId, parsed.data.extension.project.id, 'EDIT_ISSUES');
  return ok ? { issueId: parsed.data.extension.issue.id, projectId: parsed.data.extension.project.id } : undefined;
}

const cannotEdit = { ok: false, error: { code: 'FORBIDDEN', message: 'You need permission to edit this issue.' } } as const;

/** Links the issue to an existing remote item, by its number; the next reconcile aligns them by the conflict policy. */
resolver.define('linkIssue', async ({ payload, context }) => {
  const caller = await requireIssueEdit(context);
  if (!caller) return cannotEdit;
  const request = z.object({ remoteKey: z.string().trim().min(1).max(100) }).safeParse(payload);
  if (!request.success) return { ok: false, error: { code: 'BAD_REQUEST', message: 'Give the number of the remote item' } };
  const config = await connectionForProject(caller.projectId);
  if (!config?.enabled) return { ok: false, error: { code: 'BAD_REQUEST', message: 'This project is not connected' } };
  if (await linkForIssue(caller.issueId)) return { ok: false, error: { code: 'BAD_REQUEST', message: 'This issue is already linked; unlink it first' } };
  const remote = await (await connectorFor(config)).findByDisplayKey(request.data.remoteKey);
  if (!remote) return { ok: false, error: { code: 'BAD_REQUEST', message: `${request.data.remoteKey} was not found` } };
  const taken = await issueForRemote(config.id, remote.id);
  if (taken) return { ok: false, error: { code: 'BAD_REQUEST', message: `${remote.displayKey} is already linked to another issue` } };
  const issue = await getIssue(caller.issueId);
  if (!issue) return { ok: false, error: { code: 'BAD_REQUEST', message: 'The issue no longer exists' } };
  await saveLink({ connectionId: config.id, issueId: caller.issueId, issueKey: issue.key, remoteId: remote.id, remoteKey: remote.displayKey, remoteUrl: remote.url, origin: 'linked', base: {}, remoteLinked: false });
  await enqueueReconcile([{ item: { side: 'jira', issueId: caller.issueId }, cause: 'sync-now' }]);
  return { ok: true, data: { remoteKey: remote.displayKey } };
});

/** Stops syncing the issue: removes the link and the remote link on the issue; both items stay as they are. */
resolver.define('unlinkIssue', async ({ context }) => {
  const caller = await requireIssueEdit(context);
  if (!caller) return cannotEdit;
  const link = await linkForIssue(caller.issueId);
  if (!link) return { ok: true, data: { unlinked: false } };
  const config = await getConnection(link.connectionId);
  await deleteLink(link);
  if (config) await deleteRemoteLink(caller.issueId, globalIdFor(config, { id: link.remoteId }));
  return { ok: true, data: { unlinked: true } };
});

export const uiResolver = resolver.getDefinitions();
