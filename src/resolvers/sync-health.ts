/**
 * The dashboard gadget "Crosswalk: sync health" (jira:dashboardGadget, issue 23): each connection, enabled or paused,
 * of every project the caller may browse, with its condition as the last alert check saw it (or "not checked yet"),
 * items waiting and failing, and its last sync. Jira decides what the caller may see: each project's Browse projects
 * permission is asked of Jira as the caller on every call, and a project they may not browse is never named, not even
 * by a count.
 */
import api, { route } from '@forge/api';
import * as z from 'zod';
import { systemFor } from '../connectors/registry';
import { userHasProjectPermission } from '../jira/permissions';
import type { ConnectionConfig } from '../mapping/connection-config';
import { getConnectionCondition } from '../store/alert-state';
import { listConnections } from '../store/connections';
import { failuresOfConnection } from '../store/failures';
import { getConnectionHealth } from '../store/health';
import { conditionShown } from './condition-shown';
import { badRequest, fail, ok } from './guards';

type Call = { payload?: unknown; context: { accountId?: string } & Record<string, unknown> };

/** Projects checked in one call (one permission question each): past it the answer says some were left out. */
export const MAX_GADGET_PROJECTS = 50;

export const signInToSee = fail('FORBIDDEN', 'Sign in to see Crosswalk’s sync health.');

const projectSchema = z.object({ key: z.string(), name: z.string() }).loose();

/** The project as the caller sees it, or undefined when they may not browse it (Jira then answers 404). */
async function browsableProject(
  accountId: string,
  projectId: string,
): Promise<{ id: string; key: string; name: string } | undefined> {
  if (!(await userHasProjectPermission(accountId, projectId, 'BROWSE_PROJECTS'))) return undefined;
  const res = await api
    .asUser(accountId)
    .requestJira(route`/rest/api/3/project/${projectId}`, { headers: { Accept: 'application/json' } });
  if (!res.ok) return undefined;
  const parsed = projectSchema.safeParse(await res.json());
  return parsed.success ? { id: projectId, key: parsed.data.key, name: parsed.data.name } : undefined;
}

async function rowOf(config: ConnectionConfig) {
  const [condition, health, failures] = await Promise.all([
    getConnectionCondition(config.id),
    getConnectionHealth(config.id),
    failuresOfConnection(config.id),
  ]);
  return {
    name: config.name,
    system: systemFor(config.remote.type)?.label ?? config.remote.type,
    enabled: config.enabled,
    condition: conditionShown(condition, { health, failures: failures.length }),
  };
}

export async function syncHealthResolver({ payload, context }: Call) {
  if (!context.accountId) return signInToSee;
  const request = z
    .object({})
    .strict()
    .safeParse(payload ?? {});
  if (!request.success) return badRequest(request.error);
  const accountId = context.accountId;
  const byProject = new Map<string, ConnectionConfig[]>();
  for (const c of await listConnections())
    byProject.set(c.jiraProjectId, [...(byProject.get(c.jiraProjectId) ?? []), c]);
  // Projects in the order of their ids (the oldest first), so a site past the bound always shows the same ones.
  const projectIds = [...byProject.keys()].sort((a, b) => Number(a) - Number(b) || a.localeCompare(b));
  const checked = projectIds.slice(0, MAX_GADGET_PROJECTS);
  const visible = (await Promise.all(checked.map((id) => browsableProject(accountId, id)))).filter(
    (p): p is NonNullable<typeof p> => Boolean(p),
  );
  const projects = await Promise.all(
    visible.map(async (p) => ({
      key: p.key,
      name: p.name,
      connections: await Promise.all([...byProject.get(p.id)!].sort((a, b) => a.name.localeCompare(b.name)).map(rowOf)),
    })),
  );
  projects.sort((a, b) => a.key.localeCompare(b.key));
  return ok({
    projects,
    /** Projects with connections left unchecked by the bound: the gadget says some may be missing. */
    projectsLeftOut: Math.max(0, projectIds.length - checked.length) > 0,
    maxProjects: MAX_GADGET_PROJECTS,
  });
}
