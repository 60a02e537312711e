/**
 * The project settings page's resolvers: a project's connections, created and
 * changed by its admins only. Ids and secret keys are the server's: a request
 * names at most the id of a connection of the caller's own project.
 */
import { clearOtherTypes, otherTypesOf } from '../store/other-types';
import { randomBytes } from 'node:crypto';
import { getAppContext, webTrigger } from '@forge/api';
import { checkPublicHost } from './address-guard';
import * as z from 'zod';
import { connectorFor } from '../sync/connector-for';
import { isSyncError } from '../connectors/errors';
import { parseJqlAsUser } from '../connectors/jira/client';
import { implementedSystems, systemFor } from '../connectors/registry';
import {
  validateConnectionSettings,
  type ConnectionConfig,
  type ConnectionSettings,
} from '../mapping/connection-config';
import { getBulkRun, saveBulkRun } from '../store/bulk-runs';
import {
  connectionsForProject,
  createConnection,
  deleteConnection,
  getConnection,
  replaceConnection,
} from '../store/connections';
import {
  credentialFieldsSet,
  credentialSchema,
  deleteCredential,
  getCredential,
  updateCredential,
} from '../store/credentials';
import { forgetConflictReviews } from '../store/reviews';
import { connectionIdCandidates } from '../store/connection-ids';
import { getConnectionHealth, setConnectionHealth } from '../store/health';
import { deleteAlertSettings } from '../store/alert-settings';
import { deleteAlertState } from '../store/alert-state';
import { forgetRemoteReach } from '../store/reach';
import { bulkSyncIssueIds, cancelBulkRun } from '../sync/bulk';
import { failureKey } from '../store/failures';
import { usageOfConnection } from '../store/links';
import { bulkProgress, enqueueBulkPage, enqueueEndLinks } from '../sync/sync-queue';
import { badRequest, fail, forbiddenAdmin, ok, requireProjectAdmin } from './guards';
import { failuresFor } from './project-tools';
import { describeSystem, secretLabel, secretsNeeded } from './systems';
import { secretStaysWith } from '../mapping/secret-binding';
import { typedFromMetadata } from './field-typing';
import { audit, auditConnectionSaved } from '../audit/record';

type Context = { accountId?: string } & Record<string, unknown>;
type Call = { payload?: unknown; context: Context };

const connectionRef = z.object({ connectionId: z.string().regex(/^[a-z0-9-]{3,60}$/) });
const notOurs = fail('NOT_FOUND', 'This project has no such connection.');

/** A connection of the caller's own project, or nothing: another project's id answers exactly like a missing one. */
async function ownConnection(projectId: string, payload: unknown): Promise<ConnectionConfig | undefined> {
  const ref = connectionRef.safeParse(payload);
  if (!ref.success) return undefined;
  const config = await getConnection(ref.data.connectionId);
  return config?.jiraProjectId === projectId ? config : undefined;
}

async function describe(config: ConnectionConfig) {
  return {
    config,
    credentialFields: credentialFieldsSet(await getCredential(config.id)),
    health: (await getConnectionHealth(config.id)) ?? null,
  };
}

/** The admin's JQL, checked by Jira's parser: a query that does not parse cannot be pasted into ours. */
export async function jqlProblems(
  accountId: string,
  settings: ConnectionSettings,
): Promise<Array<{ path: string; message: string }>> {
  if (!settings.jql.trim()) return [];
  const check = await parseJqlAsUser(accountId, settings.jql);
  if (!check.ok) return check.errors.map((message) => ({ path: 'jql', message }));
  return check.hasOrderBy ? [{ path: 'jql', message: 'The filter cannot have ORDER BY' }] : [];
}

const saveRequest = z
  .object({ connectionId: z.string().optional(), settings: z.unknown(), credential: credentialSchema.optional() })
  .strict();

export async function saveConnectionResolver({ payload, context }: Call) {
  const admin = await requireProjectAdmin(context);
  if (!admin) return forbiddenAdmin;
  const request = saveRequest.safeParse(payload);
  if (!request.success) return badRequest(request.error);
  const checked = validateConnectionSettings(request.data.settings);
  if (!checked.ok) return fail('BAD_REQUEST', 'The connection has problems', checked.problems);
  const problems = await jqlProblems(admin.accountId, checked.settings);
  const host = await checkPublicHost(
    new URL(checked.settings.remote.baseUrl).hostname,
    getAppContext().environmentType === 'PRODUCTION',
  );
  if (!host.ok) problems.push({ path: 'remote.baseUrl', message: host.reason });
  if (problems.length) return fail('BAD_REQUEST', 'The connection has problems', problems);
  const typed = await typedPairs(admin.projectId, request.data, checked.settings);
  if (typed.problems.length) return fail('BAD_REQUEST', 'The connection has problems', typed.problems);
  checked.settings.fields = typed.fields;
  if (typed.types) checked.settings.types = typed.types;
  // The SLA field's kind is the server's, from Jira's metadata, like the pairs' kinds.
  if (typed.slaField) checked.settings.slaField = typed.slaField;
  let config: ConnectionConfig;
  let before: ConnectionConfig | undefined;
  let moved = false;
  if (request.data.connectionId !== undefined) {
    const existing = await ownConnection(admin.projectId, { connectionId: request.data.connectionId });
    if (!existing) return notOurs;
    before = existing;
    // A stored secret stays with the instance, sign-in and scope it was typed for: pointed elsewhere, it is typed again.
    const system = systemFor(checked.settings.remote.type)!;
    moved = !secretStaysWith(existing.remote, checked.settings.remote, system.behaviourSettings);
    if (moved && system.missingCredential(checked.settings.remote, request.data.credential ?? {})) {
      const field = secretsNeeded(system, checked.settings.remote)[0] ?? 'password';
      return fail('BAD_REQUEST', 'The connection has problems', [
        {
          path: `credential.${field}`,
          message: `Type the ${secretLabel(system, field)} again: the connection now reaches another instance or other items, or signs in another way, and a stored secret is only sent where it was given.`,
        },
      ]);
    }
    config = { ...checked.settings, id: existing.id, jiraProjectId: existing.jiraProjectId };
    await replaceConnection(config);
    // What the old type map left alone says nothing of the new one: counted anew from here.
    if (!sameTypes(existing, config)) await clearOtherTypes(config.id);
    // The old secrets (the webhook's too) belong to the old instance: only what was typed now is kept.
    if (moved) await deleteCredential(config.id);
  } else {
    const candidates = connectionIdCandidates(
      { ...(admin.projectKey ? { key: admin.projectKey } : {}), id: admin.projectId },
      checked.settings.remote.type,
      randomBytes(4).toString('hex'),
    );
    config = await createConnection(candidates, (id) => ({ ...checked.settings, id, jiraProjectId: admin.projectId }));
  }
  if (moved || (request.data.credential && Object.keys(request.data.credential).length)) {
    await updateCredential(config.id, request.data.credential ?? {});
    // New credentials: let the next sync show whether the connection works.
    await setConnectionHealth(config.id, undefined);
  }
  const pushSetup = await provisionPush(config);
  // Names of the secrets typed, never their values.
  await auditConnectionSaved(admin, before, config, Object.keys(request.data.credential ?? {}));
  return ok({ ...(await describe(config)), pushSetup });
}

/**
 * The draft's field pairs typed from both sides' live metadata (field-typing.ts), read with the secret the save
 * would keep: the one typed now, or the stored one where it stays with this instance and sign-in.
 */
async function typedPairs(
  projectId: string,
  request: { connectionId?: string | undefined; credential?: Record<string, string> | undefined },
  settings: ConnectionSettings,
) {
  const system = systemFor(settings.remote.type)!;
  const previous =
    request.connectionId !== undefined
      ? await ownConnection(projectId, { connectionId: request.connectionId })
      : undefined;
  const stays = previous && secretStaysWith(previous.remote, settings.remote, system.behaviourSettings);
  const credential = { ...((stays && (await getCredential(previous.id))) || {}), ...(request.credential ?? {}) };
  const connector = system.missingCredential(settings.remote, credential)
    ? undefined
    : system.create(settings.remote as never, credential);
  return typedFromMetadata(
    settings,
    projectId,
    connector,
    previous,
    system.label,
    system.derivedFields?.(settings.remote as never),
  );
}

/** Where a connection's remote sends its change notifications. */
export async function notificationUrl(config: ConnectionConfig): Promise<string> {
  return `${(await webTrigger.getUrl('remote-webhook')).replace(/\/+$/, '')}/${config.remote.type}/${config.id}`;
}

/**
 * Creates the remote's change push (service hook, webhook) for systems that
 * can do it through their API. A failure does not undo the save: it is
 * answered to the admin, and the sweep keeps the connection in sync meanwhile.
 */
async function provisionPush(config: ConnectionConfig): Promise<{ ok: boolean; description: string } | null> {
  const system = systemFor(config.remote.type);
  if (!system?.notifications.provision || !config.enabled) return null;
  try {
    const connector = await connectorFor(config);
    const secret = (await getCredential(config.id))?.webhookSecret ?? randomBytes(24).toString('base64url');
    const made = await system.notifications.provision(connector, { url: await notificationUrl(config), secret });
    await updateCredential(config.id, { webhookSecret: made.secret ?? secret });
    return { ok: true, description: made.description };
  } catch (e) {
    if (!isSyncError(e)) throw e;
    return {
      ok: false,
      description: `Change notifications could not be set up: ${e.message}. Crosswalk still syncs every five minutes.`,
    };
  }
}

export async function listConnectionsResolver({ context }: Call) {
  const admin = await requireProjectAdmin(context);
  if (!admin) return forbiddenAdmin;
  const configs = await connectionsForProject(admin.projectId);
  const connections = await mapBounded(configs, USAGE_PARALLEL, async (config) => ({
    ...(await describe(config)),
    usage: await listedUsage(admin, config.id),
  }));
  // Each system's settings shape drives the add/edit wizard (src/resolvers/systems.ts).
  return ok({ connections, systems: implementedSystems().map(describeSystem) });
}

/** How many of a project's connections have their links read at once. */
const USAGE_PARALLEL = 4;

const sameTypes = (a: ConnectionConfig, b: ConnectionConfig) =>
  JSON.stringify(a.types.map((t) => [t.jira, t.remote])) === JSON.stringify(b.types.map((t) => [t.jira, t.remote]));

/**
 * A connection's figures for the settings page's list: items in sync and the
 * latest sync (from its links, bounded as on the admin page) and how many
 * items are failing, the ones its health view lists (a hundred or more: the
 * figure then says "at least").
 */
async function listedUsage(admin: { accountId: string; projectId: string }, connectionId: string) {
  const [links, { failures }, otherTypes] = await Promise.all([
    usageOfConnection(connectionId, Date.now()),
    failuresFor(admin.accountId, admin.projectId, connectionId),
    otherTypesOf(connectionId),
  ]);
  return {
    // What the type map leaves alone, per side and type: counted, never guessed into a type (mapping/item-types.ts).
    otherTypes: otherTypes.map((t) => ({ side: t.side, type: t.type, count: t.count, lastAt: t.lastAt })),
    itemsInSync: links.items,
    itemsCapped: links.capped,
    lastSyncAt: links.lastSyncAt,
    itemsFailing: failures.length,
    failingCapped: failures.length >= 100,
  };
}

/** fn over every item, at most `limit` at a time, answers in the items' order. */
async function mapBounded<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** Removes the connection and its credential; links stay, so re-creating the connection resumes them. */
export async function deleteConnectionResolver({ payload, context }: Call) {
  const admin = await requireProjectAdmin(context);
  if (!admin) return forbiddenAdmin;
  const config = await ownConnection(admin.projectId, payload);
  if (!config) return notOurs;
  const system = systemFor(config.remote.type);
  if (system?.notifications.unprovision) {
    // Best effort: a remote that cannot be reached keeps a hook that no longer verifies.
    await connectorFor(config)
      .then(async (connector) => system.notifications.unprovision!(connector, { url: await notificationUrl(config) }))
      .catch((e: unknown) =>
        console.warn(
          `Could not remove the change notifications of ${config.id}: ${e instanceof Error ? e.message : String(e)}`,
        ),
      );
  }
  await deleteConnection(config);
  // Its links end with it, in the queue (a resolver has 25 s); meanwhile they sync no more (no connection).
  await enqueueEndLinks(config.id);
  await deleteCredential(config.id);
  await setConnectionHealth(config.id, undefined);
  await forgetConflictReviews(config.id);
  await Promise.all([deleteAlertSettings(config.id), deleteAlertState(config.id), forgetRemoteReach(config.id)]);
  await audit(admin, 'connection-deleted', { connectionId: config.id });
  return ok({ deleted: true });
}

export async function testConnectionResolver({ payload, context }: Call) {
  const admin = await requireProjectAdmin(context);
  if (!admin) return forbiddenAdmin;
  const config = await ownConnection(admin.projectId, payload);
  if (!config) return notOurs;
  try {
    const result = await (await connectorFor(config)).testConnection();
    if (result.ok) await setConnectionHealth(config.id, undefined);
    return ok(
      result.ok
        ? { reachable: true, identity: result.identity, checks: result.checks ?? [] }
        : { reachable: false, kind: result.error.kind, message: result.error.message },
    );
  } catch (e) {
    if (isSyncError(e)) return ok({ reachable: false, kind: e.kind, message: e.message });
    throw e;
  }
}

/** Syncs every existing issue the connection's JQL selects: paged through search, fanned out through the queue. */
export async function bulkSyncResolver({ payload, context }: Call) {
  const admin = await requireProjectAdmin(context);
  if (!admin) return forbiddenAdmin;
  const config = await ownConnection(admin.projectId, payload);
  if (!config) return notOurs;
  if (!config.enabled) return fail('BAD_REQUEST', 'Enable the connection first');
  const total = (await bulkSyncIssueIds(config)).length;
  await saveBulkRun({ connectionId: config.id, startedAt: new Date().toISOString(), total, jobIds: [] });
  // The fan-out runs in the queue, a page at a time, so it respects Forge's event rate and a resolver's 25 s.
  await enqueueBulkPage({ bulk: { connectionId: config.id, offset: 0 } });
  await audit(admin, 'bulk-sync-started', { connectionId: config.id, changes: { issues: total } });
  return ok({ total });
}

export async function bulkSyncProgressResolver({ payload, context }: Call) {
  const admin = await requireProjectAdmin(context);
  if (!admin) return forbiddenAdmin;
  const config = await ownConnection(admin.projectId, payload);
  if (!config) return notOurs;
  const run = await getBulkRun(config.id);
  if (!run) return ok(null);
  return ok(await describeRun(admin, config, run));
}

/**
 * A run's progress as people read it: synced, in progress, failed (the queue
 * counts the events a cancel dropped among its failed ones; those are
 * "cancelled" here, with the issues no page reached), and the items of this
 * connection that failed since the run started, with the remote's reason.
 */
async function describeRun(
  admin: { accountId: string; projectId: string },
  config: ConnectionConfig,
  run: NonNullable<Awaited<ReturnType<typeof getBulkRun>>>,
) {
  const stats = await bulkProgress(run.jobIds);
  const dropped = run.cancelledAt ? (run.cancelledEvents ?? 0) : 0;
  const failed = Math.max(0, stats.failed - dropped);
  const enqueued = stats.success + stats.inProgress + stats.failed;
  const cancelled = run.cancelledAt ? dropped + Math.max(0, run.total - enqueued) : 0;
  const since = Date.parse(run.startedAt);
  const { failures, labels } = await failuresFor(admin.accountId, admin.projectId, config.id);
  const recent = failures.filter((f) => f.at >= since).slice(0, 50);
  return {
    total: run.total,
    startedAt: run.startedAt,
    success: stats.success,
    inProgress: stats.inProgress,
    failed,
    cancelled,
    cancelledAt: run.cancelledAt ?? null,
    failures: recent.map((f) => ({
      id: failureKey(f.item),
      issueKey: f.item.side === 'jira' ? (labels.get(f.item.issueId)?.key ?? null) : null,
      summary: f.item.side === 'jira' ? (labels.get(f.item.issueId)?.summary ?? null) : null,
      remoteId: f.item.side === 'remote' ? f.item.remoteId : null,
      kind: f.kind,
      message: f.message,
      at: new Date(f.at).toISOString(),
    })),
  };
}

/** Cancels the connection's bulk sync: nothing more is queued, queued items not yet started are dropped; what synced stays synced. */
export async function cancelBulkSyncResolver({ payload, context }: Call) {
  const admin = await requireProjectAdmin(context);
  if (!admin) return forbiddenAdmin;
  const config = await ownConnection(admin.projectId, payload);
  if (!config) return notOurs;
  const current = await getBulkRun(config.id);
  if (!current) return fail('BAD_REQUEST', 'No bulk sync has run for this connection');
  const stats = await bulkProgress(current.jobIds);
  if (!current.cancelledAt && stats.inProgress === 0 && stats.success + stats.failed >= current.total)
    return fail('BAD_REQUEST', 'The bulk sync has already finished');
  const run = (await cancelBulkRun(config.id)) ?? current;
  await audit(admin, 'bulk-sync-cancelled', { connectionId: config.id });
  return ok(await describeRun(admin, config, run));
}
