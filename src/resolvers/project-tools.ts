/**
 * The settings page's checks and its health view, for project admins only:
 * how many issues a JQL filter selects, a connection's failures, and retrying
 * them. Everything a request names is checked against the caller's own
 * project on the server.
 */
import api, { route } from '@forge/api';
import * as z from 'zod';
import { parseJqlAsUser } from '../connectors/jira/client';
import { connectionIdsForProject, getConnection, setConnectionOrder } from '../store/connections';
import { failureKey, failuresOfConnection, type SyncFailure } from '../store/failures';
import { enqueueReconcile } from '../sync/sync-queue';
import { badRequest, fail, forbiddenAdmin, ok, requireProjectAdmin } from './guards';

type Call = { payload?: unknown; context: { accountId?: string } & Record<string, unknown> };

const connectionId = z.string().regex(/^[a-z0-9-]{3,60}$/, 'must be a connection id');
const notOurs = fail('NOT_FOUND', 'This project has no such connection.');

async function ownConnection(projectId: string, id: string) {
  const config = await getConnection(id);
  return config?.jiraProjectId === projectId ? config : undefined;
}

const COUNT_CAP = 10_000;
const countRequest = z.object({ jql: z.string().max(2000, 'must be at most 2000 characters') }).strict();

/**
 * Counts the project's issues a filter selects, as the admin sees them. The
 * filter is first parsed by Jira on its own (so it cannot close our
 * parenthesis or add an ORDER BY) and only then placed inside
 * `project = <id> AND (…)`, where it can only narrow the project's issues.
 */
export async function countMatchingIssuesResolver({ payload, context }: Call) {
  const admin = await requireProjectAdmin(context);
  if (!admin) return forbiddenAdmin;
  const request = countRequest.safeParse(payload);
  if (!request.success) return badRequest(request.error);
  const jql = request.data.jql.trim();
  if (jql) {
    const check = await parseJqlAsUser(admin.accountId, jql);
    if (!check.ok)
      return fail(
        'BAD_REQUEST',
        'The filter has problems',
        check.errors.map((message) => ({ path: 'jql', message })),
      );
    if (check.hasOrderBy)
      return fail('BAD_REQUEST', 'The filter has problems', [
        { path: 'jql', message: 'The filter cannot have ORDER BY' },
      ]);
  }
  const query = `project = ${admin.projectId}${jql ? ` AND (${jql})` : ''}`;
  let count = 0;
  let nextPageToken: string | undefined;
  do {
    const res = await api.asUser(admin.accountId).requestJira(route`/rest/api/3/search/jql`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({
        jql: query,
        maxResults: 5000,
        fields: ['id'],
        ...(nextPageToken ? { nextPageToken } : {}),
      }),
    });
    if (!res.ok)
      return fail('BAD_REQUEST', 'Jira could not count the issues', [
        { path: 'jql', message: `Jira answered HTTP ${res.status}` },
      ]);
    const page = z
      .object({ issues: z.array(z.unknown()), nextPageToken: z.string().optional() })
      .safeParse(await res.json());
    if (!page.success) return fail('BAD_REQUEST', 'Jira answered in an unexpected shape');
    count += page.data.issues.length;
    nextPageToken = page.data.nextPageToken;
  } while (nextPageToken && count < COUNT_CAP);
  return ok({ count: Math.min(count, COUNT_CAP), capped: count >= COUNT_CAP && Boolean(nextPageToken) });
}

const failuresRequest = z.object({ connectionId }).strict();

/** Issue keys and summaries of failed Jira items of the project, as the admin may see them. */
async function issueLabels(
  accountId: string,
  projectId: string,
  failures: SyncFailure[],
): Promise<Map<string, { key: string; summary: string }>> {
  const ids = [...new Set(failures.flatMap((f) => (f.item.side === 'jira' ? [f.item.issueId] : [])))];
  const labels = new Map<string, { key: string; summary: string }>();
  if (!ids.length) return labels;
  const res = await api.asUser(accountId).requestJira(route`/rest/api/3/search/jql`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({
      jql: `project = ${projectId} AND id in (${ids.join(',')})`,
      maxResults: 100,
      fields: ['summary'],
    }),
  });
  if (!res.ok) return labels;
  const page = z
    .object({
      issues: z.array(
        z
          .object({
            id: z.string(),
            key: z.string(),
            fields: z.object({ summary: z.string().optional() }).loose().optional(),
          })
          .loose(),
      ),
    })
    .safeParse(await res.json());
  if (page.success)
    for (const i of page.data.issues) labels.set(i.id, { key: i.key, summary: i.fields?.summary ?? '' });
  return labels;
}

/**
 * A connection's failing items, and the project's issues whose first sync
 * failed before any connection held them (the engine records those without a
 * connection): only those Jira confirms are in the caller's project.
 */
export async function failuresFor(accountId: string, projectId: string, connection: string) {
  const [own, unattributed] = await Promise.all([failuresOfConnection(connection), failuresOfConnection('')]);
  const candidates = [...own, ...unattributed.filter((f) => f.item.side === 'jira')];
  const labels = await issueLabels(accountId, projectId, candidates);
  const failures = [...own, ...unattributed.filter((f) => f.item.side === 'jira' && labels.has(f.item.issueId))].sort(
    (a, b) => b.at - a.at,
  );
  return { failures, labels };
}

/** A connection's failing items, newest first, grouped by kind on the page. */
export async function connectionFailuresResolver({ payload, context }: Call) {
  const admin = await requireProjectAdmin(context);
  if (!admin) return forbiddenAdmin;
  const request = failuresRequest.safeParse(payload);
  if (!request.success) return badRequest(request.error);
  const config = await ownConnection(admin.projectId, request.data.connectionId);
  if (!config) return notOurs;
  const { failures, labels } = await failuresFor(admin.accountId, admin.projectId, config.id);
  return ok({
    failures: failures.map((f) => ({
      id: failureKey(f.item),
      side: f.item.side,
      issueKey: f.item.side === 'jira' ? (labels.get(f.item.issueId)?.key ?? null) : null,
      summary: f.item.side === 'jira' ? (labels.get(f.item.issueId)?.summary ?? null) : null,
      remoteId: f.item.side === 'remote' ? f.item.remoteId : null,
      kind: f.kind,
      message: f.message,
      field: f.field ?? null,
      at: new Date(f.at).toISOString(),
      attempts: f.attempts,
    })),
  });
}

const retryRequest = z
  .object({ connectionId, failureIds: z.array(z.string().min(1).max(300)).min(1).max(100).optional() })
  .strict();

/**
 * Retries failed items: one, some, or all of a connection's. The browser names
 * failures by id; the items enqueued are the stored ones, so a request cannot
 * reach an item of another connection.
 */
export async function retryFailuresResolver({ payload, context }: Call) {
  const admin = await requireProjectAdmin(context);
  if (!admin) return forbiddenAdmin;
  const request = retryRequest.safeParse(payload);
  if (!request.success) return badRequest(request.error);
  const config = await ownConnection(admin.projectId, request.data.connectionId);
  if (!config) return notOurs;
  const wanted = request.data.failureIds ? new Set(request.data.failureIds) : undefined;
  const failures = (await failuresFor(admin.accountId, admin.projectId, config.id)).failures.filter(
    (f) => !wanted || wanted.has(failureKey(f.item)),
  );
  if (wanted && failures.length !== wanted.size)
    return fail('BAD_REQUEST', 'Some of these failures are no longer recorded; reload the list', [
      { path: 'failureIds', message: 'unknown failure' },
    ]);
  if (failures.length) await enqueueReconcile(failures.map((f) => ({ item: f.item, cause: 'retry:ui' })));
  return ok({ queued: failures.length });
}

const orderRequest = z.object({ connectionIds: z.array(connectionId).min(1).max(50) }).strict();

/** Sets the order in which an issue is matched against the project's connections: the same ids, in a new order. */
export async function reorderConnectionsResolver({ payload, context }: Call) {
  const admin = await requireProjectAdmin(context);
  if (!admin) return forbiddenAdmin;
  const request = orderRequest.safeParse(payload);
  if (!request.success) return badRequest(request.error);
  const current = await connectionIdsForProject(admin.projectId);
  const wanted = request.data.connectionIds;
  if (
    wanted.length !== current.length ||
    new Set(wanted).size !== wanted.length ||
    !wanted.every((id) => current.includes(id))
  ) {
    return fail('BAD_REQUEST', "The order must name each of this project's connections once", [
      { path: 'connectionIds', message: "must list each of this project's connections once" },
    ]);
  }
  await setConnectionOrder(admin.projectId, wanted);
  return ok({ connectionIds: wanted });
}
