/**
 * The connection `npm start` pairs OPS ("Operations") with: Bugs of the Azure
 * DevOps simulator's project Operations in organization acme.
 */
import type { Platform } from '../platform';
import type { JiraSim } from '../sims/jira';
import { DEMO_CREDENTIALS as ADO, type AzureDevOpsSim } from '../sims/azure-devops';
import { azureDevOpsClient, patch } from '../sims/azure-devops/test-client';
import type { DemoPairing, RunningSimulator } from '../simulated-system';
import { created } from './pairing';
import { saveConnection } from './save-connection';

/** The id the server gives the first Azure DevOps connection of project OPS. */
export const OPS_CONNECTION_ID = 'ops-azure-devops';
export const OPS_PROJECT = { id: '10001', key: 'OPS' } as const;

/** The settings a project admin enters (the server adds the id and the project; the PAT and the hook secret live in secret storage). */
export const demoAzureDevOpsConnection = {
  name: 'OPS ↔ acme/Operations bugs',
  enabled: true,
  jql: '',
  conflictPolicy: 'newest-wins',
  jiraIssueType: 'Task',
  // Bugs someone tags "jira" in Azure DevOps become OPS issues.
  remoteFilter: [{ field: 'System.Tags', op: 'contains', value: 'jira' }],
  // Any bug of the project may be linked to an OPS issue by hand (the issue panel's Link).
  linkFilter: [{ field: 'System.WorkItemType', op: '=', value: 'Bug' }],
  remote: {
    type: 'azure-devops',
    baseUrl: `https://dev.azure.com/${ADO.organization}`,
    project: ADO.project,
    workItemType: 'Bug',
    auth: { kind: 'pat', user: ADO.integration.uniqueName },
  },
  fields: [
    { jira: 'summary', remote: 'System.Title' },
    { jira: 'description', remote: 'System.Description', transform: 'rich-text' },
    {
      jira: 'status',
      remote: 'System.State',
      transform: 'value-map',
      // The Agile Bug has four states. "Waiting for customer" has none of its own (Active already means In Progress):
      // an issue moved there keeps its work item's state and the issue panel says so, rather than guessing.
      valueMap: [
        { jira: 'To Do', remote: 'New' },
        { jira: 'In Progress', remote: 'Active' },
        { jira: 'In Review', remote: 'Resolved' },
        { jira: 'Done', remote: 'Closed' },
      ],
    },
    // Priority 1–4; a new Bug's 2 is Jira's default Medium. Jira's Highest has no fifth value to go to.
    {
      jira: 'priority',
      remote: 'Microsoft.VSTS.Common.Priority',
      transform: 'value-map',
      valueMap: [
        { jira: 'High', remote: '1' },
        { jira: 'Medium', remote: '2' },
        { jira: 'Low', remote: '3' },
        { jira: 'Lowest', remote: '4' },
      ],
    },
    { jira: 'labels', remote: 'System.Tags', transform: 'list', separator: ';' },
  ],
} as const;

/** Saves the OPS connection through Crosswalk's own resolver, as OPS's admin; saving creates the service hooks. */
export async function pairOpsProject(platform: Platform, installationId: string, jira: JiraSim): Promise<void> {
  const { connectionId } = await saveConnection(
    { platform, installationId, jira },
    {
      as: 'admin',
      project: OPS_PROJECT,
      settings: demoAzureDevOpsConnection,
      credential: { token: ADO.integration.pat },
      provisionsPush: true,
      what: 'the OPS project',
    },
  );
  // Tests and the model address the connection by the id the server gives the first one.
  if (connectionId !== OPS_CONNECTION_ID)
    throw new Error(`The OPS connection was saved as ${connectionId}, not ${OPS_CONNECTION_ID}`);
}

/** OPS ↔ Azure DevOps as `npm start` pairs it. */
export const demo: DemoPairing<AzureDevOpsSim & RunningSimulator> = {
  project: { key: OPS_PROJECT.key, name: 'Operations' },
  connection: demoAzureDevOpsConnection,
  pair: ({ platform, installationId, jira }) => pairOpsProject(platform, installationId, jira),
  kit: (sim) => ({
    instanceUrl: `https://dev.azure.com/${ADO.organization}`,
    remote: demoAzureDevOpsConnection.remote,
    credential: { token: ADO.integration.pat },
    itemsTitled: (title) =>
      [...sim.store.items(sim.store.org(ADO.organization)!).values()]
        .filter((i) => !i.deleted && i.fields['System.Title'] === title)
        .map((i) => ({ id: String(i.id), title })),
    filterable: { title: 'System.Title', field: 'Microsoft.VSTS.Common.Priority', values: ['1', '2', '3'] },
    createItem: async (title, priority) =>
      created(
        'a work item',
        await azureDevOpsClient(sim, ADO.agent.pat)(
          'POST',
          `/${ADO.organization}/${encodeURIComponent(ADO.project)}/_apis/wit/workitems/$${demoAzureDevOpsConnection.remote.workItemType}`,
          patch({ 'System.Title': title, 'Microsoft.VSTS.Common.Priority': Number(priority) }),
        ),
      ),
  }),
};
