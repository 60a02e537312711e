import api, { route } from '@forge/api';
import * as z from 'zod';

const myPermissions = z.object({
  permissions: z.record(z.string(), z.object({ havePermission: z.boolean() }).loose()),
});
const jqlMatch = z.object({ matches: z.array(z.object({ matchedIssues: z.array(z.number()) }).loose()) });

export type ProjectPermission = 'ADMINISTER_PROJECTS' | 'BROWSE_PROJECTS' | 'EDIT_ISSUES';

/** `mypermissions` as the user, for a project (`projectId`) or for one issue (`issueId`, its own project and security level). */
async function hasPermission(
  accountId: string,
  permission: ProjectPermission,
  on: { projectId: string } | { issueId: string },
): Promise<boolean> {
  const res = await api
    .asUser(accountId)
    .requestJira(
      'issueId' in on
        ? route`/rest/api/3/mypermissions?issueId=${on.issueId}&permissions=${permission}`
        : route`/rest/api/3/mypermissions?projectId=${on.projectId}&permissions=${permission}`,
      { headers: { Accept: 'application/json' } },
    );
  if (res.status === 401 || res.status === 403 || res.status === 404) return false;
  if (!res.ok) throw new Error(`Jira permission check failed with HTTP ${res.status}`);
  const parsed = myPermissions.safeParse(await res.json());
  return parsed.success && parsed.data.permissions[permission]?.havePermission === true;
}

/**
 * Asks Jira, as the calling user, whether they hold a project permission.
 * The UI's context can be tampered with in the browser, so every resolver
 * re-checks here on the server (forge-platform.md §6).
 */
export async function userHasProjectPermission(
  accountId: string,
  projectId: string,
  permission: ProjectPermission,
): Promise<boolean> {
  return hasPermission(accountId, permission, { projectId });
}

/** The same for one issue: Jira answers for the issue's own project (and its security level), whatever the caller claims. */
export async function userHasIssuePermission(
  accountId: string,
  issueId: string,
  permission: ProjectPermission,
): Promise<boolean> {
  return hasPermission(accountId, permission, { issueId });
}

/**
 * Whether the issue is in the project, as the user sees it: Jira's `jql/match`
 * matches an issue only for someone who may browse it, so an issue they cannot
 * see, or one of another project, is not in it.
 */
export async function issueInProjectForUser(accountId: string, issueId: string, projectId: string): Promise<boolean> {
  // Both ids were checked to be numbers: the query is `project = <number>` and nothing else.
  if (!/^\d+$/.test(issueId) || !/^\d+$/.test(projectId)) return false;
  const res = await api.asUser(accountId).requestJira(route`/rest/api/3/jql/match`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({ issueIds: [Number(issueId)], jqls: [`project = ${projectId}`] }),
  });
  if (res.status === 401 || res.status === 403 || res.status === 404) return false;
  if (!res.ok) throw new Error(`Jira issue match failed with HTTP ${res.status}`);
  const parsed = jqlMatch.safeParse(await res.json());
  return parsed.success && Boolean(parsed.data.matches[0]?.matchedIssues.includes(Number(issueId)));
}
