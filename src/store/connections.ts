import { kvs, WhereConditions } from '@forge/kvs';
import { connectionConfigSchema, type ConnectionConfig } from '../mapping/connection-config';
import { migrateStoredConnection, storedForm } from './connection-versions';
import { cursorKey } from './cursors';
import { noteAccounts } from './personal-data';

/**
 * Connection configs and each project's ordered list of them. Ids are chosen
 * by the server and claimed with FAIL_IF_EXISTS, so one project can never
 * write over another's connection.
 */
export const configKey = (id: string) => `connection:${id}`;
const projectKey = (projectId: string) => `project-connections:${projectId}`;

export async function getConnection(id: string): Promise<ConnectionConfig | undefined> {
  return parseConnection(await kvs.get(configKey(id)));
}

/**
 * A stored connection as read (a batch read hands over raw values), brought forward from the version it was stored
 * in (connection-versions.ts); anything else is no connection.
 */
export function parseConnection(value: unknown): ConnectionConfig | undefined {
  const parsed = connectionConfigSchema.safeParse(migrateStoredConnection(value));
  return parsed.success ? parsed.data : undefined;
}

/** The ids of a project's connections in the order the admin set (the first whose JQL matches an issue wins). */
export async function connectionIdsForProject(projectId: string): Promise<string[]> {
  return ((await kvs.get(projectKey(projectId))) as string[] | undefined) ?? [];
}

export async function connectionsForProject(projectId: string): Promise<ConnectionConfig[]> {
  const configs = await Promise.all((await connectionIdsForProject(projectId)).map(getConnection));
  return configs.filter((c): c is ConnectionConfig => Boolean(c));
}

/** Stores a new connection under the first free id from `candidates`; returns the id it got. */
export async function createConnection(
  candidates: readonly string[],
  build: (id: string) => ConnectionConfig,
): Promise<ConnectionConfig> {
  for (const id of candidates) {
    const config = build(id);
    await noteAccounts(userAccounts(config));
    try {
      await kvs.set(configKey(id), storedForm(config), { keyPolicy: 'FAIL_IF_EXISTS' });
    } catch (e) {
      if (isKeyTaken(e)) continue;
      throw e;
    }
    const ids = await connectionIdsForProject(config.jiraProjectId);
    await kvs.set(projectKey(config.jiraProjectId), [...ids.filter((x) => x !== id), id]);
    // The sweep starts from the moment the connection exists: an issue created before its first sweep whose event
    // was lost is still inside the first look-back (a fixed window from the first sweep's time could miss it).
    const now = Date.now();
    await kvs.batchSet([
      { key: cursorKey(id, 'jira'), value: now },
      { key: cursorKey(id, 'remote'), value: now },
    ]);
    return config;
  }
  throw new Error('No free connection id');
}

/** Replaces an existing connection's settings; the id and project never change, and neither does its credential revision. */
export async function replaceConnection(config: ConnectionConfig): Promise<void> {
  const { credentialRev: _given, ...settings } = config;
  await noteAccounts(userAccounts(config));
  const credentialRev = (await getConnection(config.id))?.credentialRev;
  await kvs.set(configKey(config.id), storedForm({ ...settings, ...(credentialRev ? { credentialRev } : {}) }));
}

/** Marks the connection's credential as replaced (store/credentials.ts): warm instances read it again. */
export async function setCredentialRev(id: string, credentialRev: string): Promise<void> {
  const config = await getConnection(id);
  if (config) await kvs.set(configKey(id), storedForm({ ...config, credentialRev }));
}

export async function setConnectionOrder(projectId: string, ids: readonly string[]): Promise<void> {
  await kvs.set(projectKey(projectId), [...ids]);
}

/**
 * Deletes a connection. Its id stays claimed by a marker that is no connection (`getConnection` and the lists skip
 * it), so no later connection ever gets that id: links, claims and correlation markers that name it can never be
 * taken for another connection's, even before its links have ended (sync/end-links.ts).
 */
export async function deleteConnection(config: ConnectionConfig): Promise<void> {
  const ids = await connectionIdsForProject(config.jiraProjectId);
  await kvs
    .transact()
    .set(configKey(config.id), { deleted: true, at: new Date().toISOString() })
    .set(
      projectKey(config.jiraProjectId),
      ids.filter((x) => x !== config.id),
    )
    .execute();
}

/** The Atlassian accounts a connection names (its user table): personal data (store/personal-data.ts). */
export const userAccounts = (config: ConnectionConfig): string[] => config.users.table.map((r) => r.jiraAccountId);

/**
 * Takes closed accounts out of every connection's user table (a row pairs a person with a remote user, so a
 * closed account's row goes whole; its remote user is matched by email again, or shown as unmatched).
 */
export async function dropUserRows(closed: ReadonlySet<string>): Promise<number> {
  let changed = 0;
  for (const config of await listConnections()) {
    const table = config.users.table.filter((r) => !closed.has(r.jiraAccountId));
    if (table.length === config.users.table.length) continue;
    await kvs.set(configKey(config.id), storedForm({ ...config, users: { ...config.users, table } }));
    changed++;
  }
  return changed;
}

export async function listConnections(): Promise<ConnectionConfig[]> {
  const out: ConnectionConfig[] = [];
  let cursor: string | undefined;
  do {
    let q = kvs.query().where('key', WhereConditions.beginsWith('connection:')).limit(100);
    if (cursor) q = q.cursor(cursor);
    const page = await q.getMany();
    for (const r of page.results) {
      const config = parseConnection(r.value);
      if (config) out.push(config);
    }
    cursor = page.nextCursor;
  } while (cursor);
  return out;
}

function isKeyTaken(e: unknown): boolean {
  const text = `${(e as { code?: unknown })?.code ?? ''} ${(e as Error)?.message ?? ''}`;
  return /KEY_ALREADY_EXISTS|already exists/i.test(text);
}
