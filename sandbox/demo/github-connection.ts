/**
 * The pairing `npm start` makes for GitHub: Jira project WEB ("Website") with
 * the issues of the GitHub simulator's repository acme/website, signed in with
 * the integration's fine-grained token. Saving the connection through
 * Crosswalk's own resolver makes the repository webhook (the connector
 * provisions it): nothing to set up by hand.
 */
import type { DemoContext, DemoPairing } from '../simulated-system';
import { DEMO_CREDENTIALS as GH, type GitHubSim } from '../sims/github';
import { gitHubClient } from '../sims/github/test-client';
import type { PairingKit } from './pairing';
import { ensureJiraProject, saveConnection } from './save-connection';

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

export const demo: DemoPairing<GitHubSim> = {
  project: WEB_PROJECT,
  connection: demoGitHubConnection,
  /** Saves the WEB connection through Crosswalk's own resolver, as WEB's lead; saving makes the repository webhook. */
  async pair(context: DemoContext<GitHubSim>): Promise<void> {
    await saveConnection(context, {
      as: 'project-lead',
      project: await ensureJiraProject(context.jira, WEB_PROJECT, 'software'),
      settings: demoGitHubConnection,
      credential: { token: GH.integration.token },
      provisionsPush: true,
      what: 'the website project',
    });
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
