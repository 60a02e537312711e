/**
 * The steps every demo pairing takes the same way, whatever the system: the
 * Jira project made through Jira's REST API when the site has none, and the
 * connection saved through Crosswalk's own settings resolver as a person of
 * the site would save it. What is particular to a system (its settings, its
 * secrets, any hand set-up on its simulator) stays in `<kind>-connection.ts`.
 */
import type { Platform } from '../platform';
import type { JiraSim } from '../sims/jira';
import { PROJECT_ROLES, type JiraUser } from '../sims/jira/state';

/** One of the demo site's people by role (the demo site has one of each). */
export function siteUser(jira: JiraSim, role: JiraUser['role']): JiraUser {
  const user = jira.site.state.users.find((u) => u.role === role);
  if (!user) throw new Error(`The demo site has no ${role}`);
  return user;
}

/** Jira's REST API as one of the demo site's people (Basic auth, email and API token), as a person's script calls it. */
function asJiraUser(jira: JiraSim, role: JiraUser['role'], method: string, path: string, body?: unknown) {
  const user = siteUser(jira, role);
  return fetch(`${jira.baseUrl}${path}`, {
    method,
    headers: {
      authorization: `Basic ${Buffer.from(`${user.emailAddress}:${user.apiToken}`).toString('base64')}`,
      accept: 'application/json',
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
}

/**
 * The demo's Jira project as the site has it; when the site has none by that key, made by the site admin, led by the
 * project lead, with the site's member and viewer in its roles as the other demo projects have them.
 */
export async function ensureJiraProject(
  jira: JiraSim,
  project: { key: string; name: string },
  projectTypeKey: 'software' | 'service_desk',
): Promise<{ id: string; key: string }> {
  const existing = jira.site.state.projects.find((p) => p.key === project.key);
  if (existing) return { id: existing.id, key: existing.key };
  const res = await asJiraUser(jira, 'admin', 'POST', '/rest/api/3/project', {
    key: project.key,
    name: project.name,
    leadAccountId: siteUser(jira, 'project-lead').accountId,
    projectTypeKey,
  });
  const made = (await res.json()) as { id?: number | string; key?: string };
  if (res.status !== 201 || made.id === undefined)
    throw new Error(`Could not make project ${project.key}: ${res.status} ${JSON.stringify(made)}`);
  for (const [role, who] of [
    [PROJECT_ROLES.Members, 'member'],
    [PROJECT_ROLES.Viewers, 'viewer'],
  ] as const) {
    const person = jira.site.state.users.find((u) => u.role === who);
    if (!person) continue;
    const added = await asJiraUser(jira, 'admin', 'POST', `/rest/api/3/project/${project.key}/role/${role}`, {
      user: [person.accountId],
    });
    if (added.status !== 200) throw new Error(`Could not add the ${who} to ${project.key}: ${added.status}`);
  }
  return { id: String(made.id), key: project.key };
}

export interface ConnectionToSave {
  /** Who saves it on the project's settings page: its lead, or a site admin where the demo has always paired it so. */
  as: 'project-lead' | 'admin';
  project: { id: string; key: string };
  settings: Readonly<Record<string, unknown>>;
  /** The secrets, by the connection's secret fields (they go to Forge secret storage, not to the settings). */
  credential: Readonly<Record<string, string>>;
  /** Saving provisions the remote's change push (webhooks, service hooks): the pairing fails unless it was made. */
  provisionsPush?: boolean;
  /** The project in an error's words ("the support project"). */
  what: string;
}

/** Saves a connection through Crosswalk's settings resolver, and tells the id the server gave it. */
export async function saveConnection(
  { platform, installationId, jira }: { platform: Platform; installationId: string; jira: JiraSim },
  connection: ConnectionToSave,
): Promise<{ connectionId: string }> {
  const saved = await platform.invokeResolver({
    installationId,
    moduleKey: 'crosswalk-settings',
    functionKey: 'saveConnection',
    accountId: siteUser(jira, connection.as).accountId,
    context: { extension: { type: 'jira:projectSettingsPage', project: connection.project } },
    payload: { settings: connection.settings, credential: connection.credential },
  });
  const answer = saved.ok
    ? (saved.body as { ok?: boolean; data?: { config?: { id?: string }; pushSetup?: { ok?: boolean } | null } })
    : undefined;
  const connectionId = answer?.ok ? answer.data?.config?.id : undefined;
  if (!connectionId || (connection.provisionsPush && !answer?.data?.pushSetup?.ok))
    throw new Error(`Could not pair ${connection.what}: ${JSON.stringify(saved)}`);
  return { connectionId };
}
