import api, { route } from '@forge/api';
import * as z from 'zod';

const myPermissions = z.object({
  permissions: z.record(z.string(), z.object({ havePermission: z.boolean() }).loose()),
});

export type ProjectPermission = 'ADMINISTER_PROJECTS' | 'BROWSE_PROJECTS' | 'EDIT_ISSUES';

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
  const res = await api
    .asUser(accountId)
    .requestJira(route`/rest/api/3/mypermissions?projectId=${projectId}&permissions=${permission}`, {
      headers: { Accept: 'application/json' },
    });
  if (res.status === 401 || res.status === 403 || res.status === 404) return false;
  if (!res.ok) throw new Error(`Jira permission check failed with HTTP ${res.status}`);
  const parsed = myPermissions.safeParse(await res.json());
  return parsed.success && parsed.data.permissions[permission]?.havePermission === true;
}
