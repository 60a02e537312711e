/**
 * The pairing `npm start` makes for GitHub: Jira project WEB ("Website") with
 * the issues of the GitHub simulator's repository acme/website, signed in with
 * the integration's fine-grained token. Saving the connection through
 * Crosswalk's own resolver makes the repository webhook (the connector
 * provisions it): nothing to set up by hand.
 */
import { PROJECT_ROLES } from '../sims/jira/state';
import type { DemoContext, DemoPairing } from '../simulated-system';
import type { JiraSim } from '../sims/jira';
import { DEMO_CREDENTIALS as GH, type GitHubSim } from '../sims/github';
import { gitHubClient } from '../sims/github/test-client';
import type { PairingKit } from './pairing';

export const WEB_PROJECT = { key: 'WEB', name: 'Website' } as const;

/** The settings a project lead enters (the server adds the id and the project; the token and the webhook secret live in secret storage). */
export const demoGitHubConnection = {
  name: 'WEB ↔ acme/website issues',
  enabled: true,
  jql: '',
  conflictPolicy: 'newest-wins',
  jiraIssueType: 'Task',
  remote: {
    type: 'github',
    baseUrl: GH.webUrl,
    // The token's account: its changes are Crosswalk's own (an App would be `<slug>[bot]`).
    auth: { kind: 'token', login: GH.integration.login },
  },
  fields: [
    { jira: 'summary', remote: 'title' },
    { jira: 'description', remote: 'body', transform: 'rich-text' },
    {
      jira: 'status',
      remote: 'state',
      transform: 'value-map',
      // GitHub has two states: an issue opened or reopened on GitHub reads as To Do; the other open statuses are Jira's.
      valueMap: [
        { jira: 'To Do', remote: 'open', reverse: true },
        { jira: 'In Progress', remote: 'open' },
        { jira: 'In Review', remote: 'open' },
        { jira: 'Waiting for customer', remote: 'open' },
        { jira: 'Done', remote: 'closed' },
      ],
    },
    { jira: 'labels', remote: 'labels' },
  ],
} as const;

/** The Jira REST API as one of the demo site's people (Basic auth, email and API token). */
async function asJiraUser(
  jira: JiraSim,
  role: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<Response> {
  const user = jira.site.state.users.find((u) => u.role === role);
  if (!user) throw new Error(`The demo site has no ${role}`);
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

/** Project WEB as the site has it, made by the site admin (led by the project lead) when the site has none. */
async function websiteProject(jira: JiraSim): Promise<{ id: string; key: string }> {
  const existing = jira.site.state.projects.find((p) => p.key === WEB_PROJECT.key);
  if (existing) return { id: existing.id, key: existing.key };
  const lead = jira.site.state.users.find((u) => u.role === 'project-lead');
  if (!lead) throw new Error('The demo site has no project lead');
  const res = await asJiraUser(jira, 'admin', 'POST', '/rest/api/3/project', {
    key: WEB_PROJECT.key,
    name: WEB_PROJECT.name,
    leadAccountId: lead.accountId,
    projectTypeKey: 'software',
  });
  const made = (await res.json()) as { id?: number | string; key?: string };
  if (res.status !== 201 || made.id === undefined)
    throw new Error(`Could not make project ${WEB_PROJECT.key}: ${res.status} ${JSON.stringify(made)}`);
  // The site's member works in it and its viewer reads it, as in the other demo projects.
  for (const [role, who] of [
    [PROJECT_ROLES.Members, 'member'],
    [PROJECT_ROLES.Viewers, 'viewer'],
  ] as const) {
    const person = jira.site.state.users.find((u) => u.role === who);
    if (!person) continue;
    const added = await asJiraUser(jira, 'admin', 'POST', `/rest/api/3/project/${WEB_PROJECT.key}/role/${role}`, {
      user: [person.accountId],
    });
    if (added.status !== 200) throw new Error(`Could not add the ${who} to ${WEB_PROJECT.key}: ${added.status}`);
  }
  return { id: String(made.id), key: WEB_PROJECT.key };
}

export const demo: DemoPairing<GitHubSim> = {
  project: WEB_PROJECT,
  connection: demoGitHubConnection,
  /** Saves the WEB connection through Crosswalk's own resolver, as WEB's lead; saving makes the repository webhook. */
  async pair({ platform, installationId, jira }: DemoContext<GitHubSim>): Promise<void> {
    const project = await websiteProject(jira);
    const lead = jira.site.state.users.find((u) => u.role === 'project-lead')!;
    const saved = await platform.invokeResolver({
      installationId,
      moduleKey: 'crosswalk-settings',
      functionKey: 'saveConnection',
      accountId: lead.accountId,
      context: { extension: { type: 'jira:projectSettingsPage', project } },
      payload: { settings: demoGitHubConnection, credential: { token: GH.integration.token } },
    });
    const answer = saved.ok
      ? (saved.body as { ok?: boolean; data?: { pushSetup?: { ok: boolean } | null } })
      : undefined;
    if (!answer?.ok || !answer.data?.pushSetup?.ok)
      throw new Error(`Could not pair the website project: ${JSON.stringify(saved)}`);
  },
  kit(sim: GitHubSim): PairingKit {
    return {
      instanceUrl: sim.instanceUrl,
      remote: demoGitHubConnection.remote,
      credential: { token: GH.integration.token },
      itemsTitled: (title) => {
        const repo = sim.store.repoByName(GH.owner, GH.repo);
        return [...sim.store.issues.values()]
          .filter((i) => i.repoId === repo?.id && !i.isPullRequest && !i.deleted && i.title === title)
          .map((i) => ({ id: String(i.number), title: i.title }));
      },
      // The org's issue types: one per issue, set by the person who files it.
      filterable: { title: 'title', field: 'type', values: ['Bug', 'Feature', 'Task'] },
      createItem: async (title, type) => {
        const made = await gitHubClient(sim, GH.agent.token)('POST', `/repos/${GH.owner}/${GH.repo}/issues`, {
          title,
          type,
          body: `${title}: reported on the website.`,
        });
        if (made.status !== 201) throw new Error(`Could not create an issue: ${made.status}`);
      },
    };
  },
};
