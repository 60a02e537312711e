/** The connection `npm start` pairs SUP ("Customer support") with: the Zendesk simulator's tickets. */

/** The id the server gives the first Zendesk connection of project SUP. */
export const SUP_CONNECTION_ID = 'sup-zendesk';
export const SUP_PROJECT = { id: '10002', key: 'SUP' } as const;

/** The settings a project lead enters (the server adds the id and the project; the API token and the webhook secret live in secret storage). */
export const demoZendeskConnection = {
  name: 'SUP ↔ ACME Zendesk tickets',
  enabled: true,
  jql: '',
  conflictPolicy: 'newest-wins',
  jiraIssueType: 'Task',
  // Customers' questions may be linked to SUP issues by hand (the issue panel's Link); no ticket creates an issue.
  linkFilter: [{ field: 'type', op: '=', value: 'question' }],
  remote: {
    type: 'zendesk',
    baseUrl: 'https://acme.zendesk.com',
    auth: { kind: 'api-token', email: 'crosswalk@acme.example' },
    closedTickets: 'follow-up',
  },
  fields: [
    { jira: 'summary', remote: 'subject' },
    // The description is the ticket's first comment: written when the ticket is made, read when an issue is made from one.
    { jira: 'description', remote: 'description', transform: 'rich-text' },
    {
      jira: 'status',
      remote: 'status',
      transform: 'value-map',
      valueMap: [
        { jira: 'To Do', remote: 'new' },
        { jira: 'In Progress', remote: 'open' },
        { jira: 'Waiting for customer', remote: 'pending' },
        { jira: 'In Review', remote: 'hold' },
        // Solved first: it is what a Jira Done writes; closed (final) also reads as Done.
        { jira: 'Done', remote: 'solved' },
        { jira: 'Done', remote: 'closed' },
      ],
    },
    {
      jira: 'priority',
      remote: 'priority',
      transform: 'value-map',
      valueMap: [
        { jira: 'Highest', remote: 'urgent' },
        { jira: 'High', remote: 'high' },
        { jira: 'Medium', remote: 'normal' },
        { jira: 'Low', remote: 'low' },
      ],
    },
    { jira: 'labels', remote: 'tags' },
  ],
} as const;

import type { Platform } from '../platform';
import type { JiraSim } from '../sims/jira';
import { DEMO_CREDENTIALS as ZENDESK_DEMO, type ZendeskSim } from '../sims/zendesk';
import { zendeskClient } from '../sims/zendesk/test-client';
import type { DemoPairing, RunningSimulator } from '../simulated-system';
import { created } from './pairing';
import { saveConnection } from './save-connection';

/**
 * Saves the SUP connection through Crosswalk's own resolver, as SUP's project lead.
 * Saving it makes the Zendesk webhook and trigger (the connector provisions
 * them) and stores the signing secret Zendesk chose: nothing to set by hand.
 */
export async function pairSupportProject(platform: Platform, installationId: string, jira: JiraSim): Promise<void> {
  await saveConnection(
    { platform, installationId, jira },
    {
      as: 'project-lead',
      project: SUP_PROJECT,
      settings: demoZendeskConnection,
      credential: { token: ZENDESK_DEMO.integration.apiToken },
      provisionsPush: true,
      what: 'the support project',
    },
  );
}

/** SUP ↔ Zendesk as `npm start` pairs it. */
export const demo: DemoPairing<ZendeskSim & RunningSimulator> = {
  project: { key: SUP_PROJECT.key, name: 'Customer support' },
  connection: demoZendeskConnection,
  pair: ({ platform, installationId, jira }) => pairSupportProject(platform, installationId, jira),
  kit: (sim) => ({
    instanceUrl: `https://${ZENDESK_DEMO.host}`,
    remote: demoZendeskConnection.remote,
    credential: { token: ZENDESK_DEMO.integration.apiToken },
    itemsTitled: (title) =>
      [...sim.store.tickets.values()]
        .filter((t) => t.subject === title)
        .map((t) => ({ id: String(t.id), title: t.subject })),
    filterable: { title: 'subject', field: 'priority', values: ['urgent', 'high', 'low'] },
    createItem: async (title, priority) =>
      created(
        'a ticket',
        await zendeskClient(sim, ZENDESK_DEMO.agent)('POST', '/api/v2/tickets', {
          ticket: { subject: title, priority, comment: { body: `${title}: reported by a customer.` } },
        }),
      ),
  }),
};
