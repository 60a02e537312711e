/**
 * The Jira admin page's resolver: every connection on the site, with its
 * health, for Jira administrators only (the global ADMINISTER permission,
 * asked of Jira as the caller on every call). Credentials are never part of
 * the answer: only which systems and hosts are used.
 */
import api, { route } from '@forge/api';
import * as z from 'zod';
import { implementedSystems, systemFor } from '../connectors/registry';
import { listConnections } from '../store/connections';
import { failuresOfConnection } from '../store/failures';
import { getConnectionHealth } from '../store/health';
import { badRequest, fail, ok } from './guards';

type Call = { payload?: unknown; context: { accountId?: string } & Record<string, unknown> };

export const forbiddenJiraAdmin = fail('FORBIDDEN', 'Only Jira administrators can see every Crosswalk connection.');

const myPermissions = z.object({ permissions: z.record(z.string(), z.object({ havePermission: z.boolean() }).loose()) });

/** Whether the caller holds Jira's global Administer permission, as Jira says to them. */
export async function isJiraAdmin(accountId: string | undefined): Promise<boolean> {
  if (!accountId) return false;
  const res = await api.asUser(accountId).requestJira(route`/rest/api/3/mypermissions?permissions=ADMINISTER`, { headers: { Accept: 'application/json' } });
  if (res.status === 401 || res.status === 403 || res.status === 404) return false;
  if (!res.ok) throw new Error(`Jira permission check failed with HTTP ${res.status}`);
  const parsed = myPermissions.safeParse(await res.json());
  return parsed.success && parsed.data.permissions.ADMINISTER?.havePermission === true;
}

const projectSchema = z.object({ id: z.string(), key: z.string(), name: z.string() }).loose();

async function projectOf(accountId: string, projectId: string): Promise<{ key: string; name: string } | undefined> {
  const res = await api.asUser(accountId).requestJira(route`/rest/api/3/project/${projectId}`, { headers: { Accept: 'application/json' } });
  if (!res.ok) return undefined;
  const parsed = projectSchema.safeParse(await res.json());
  return parsed.success ? { key: parsed.data.key, name: parsed.data.name } : undefined;
}

export async function adminOverviewResolver({ payload, context }: Call) {
  if (!(await isJiraAdmin(context.accountId))) return forbiddenJiraAdmin;
  const request = z.object({}).strict().safeParse(payload ?? {});
  if (!request.success) return badRequest(request.error);
  const configs = await listConnections();
  const projects = new Map<string, Promise<{ key: string; name: string } | undefined>>();
  const connections = await Promise.all(
    configs.map(async (c) => {
      if (!projects.has(c.jiraProjectId)) projects.set(c.jiraProjectId, projectOf(context.accountId!, c.jiraProjectId));
      const [project, health, failures] = await Promise.all([projects.get(c.jiraProjectId)!, getConnectionHealth(c.id), failuresOfConnection(c.id)]);
      return {
        id: c.id,
        name: c.name,
        system: systemFor(c.remote.type)?.label ?? c.remote.type,
        host: new URL(c.remote.baseUrl).host,
        project: { id: c.jiraProjectId, key: project?.key ?? null, name: project?.name ?? null },
        enabled: c.enabled,
        health: health ? { kind: health.kind, message: health.message, at: health.at } : null,
        failures: failures.length,
      };
    }),
  );
  connections.sort((a, b) => (a.project.key ?? '').localeCompare(b.project.key ?? '') || a.name.localeCompare(b.name));
  return ok({ connections, systems: implementedSystems().map((s) => ({ kind: s.kind, label: s.label, hostPatterns: s.hostPatterns })) });
}
