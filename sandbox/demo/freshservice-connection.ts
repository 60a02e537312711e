/**
 * The connection `npm start` pairs ITS ("IT service desk") with: the
 * Freshservice simulator's tickets. Freshservice has no API for its change
 * push, so after saving, the demo does what the connection page asks of an
 * admin: a Workflow Automator rule that triggers a webhook to Crosswalk with
 * the connection's secret in a header.
 */
import { DEMO_CREDENTIALS as FS, type FreshserviceSim } from '../sims/freshservice';
import { freshserviceClient } from '../sims/freshservice/test-client';
import type { DemoContext, DemoPairing } from '../simulated-system';
import type { PairingKit } from './pairing';
import { ensureJiraProject, saveConnection } from './save-connection';
import { PAYLOAD_TEMPLATE, SECRET_HEADER_NAME } from '../../src/connectors/freshservice/notifications';

export const ITS_PROJECT = { key: 'ITS', name: 'IT service desk' } as const;

/** The webhook secret the demo admin types into the automator's header (the connection keeps it as a Forge secret). */
export const ITS_WEBHOOK_SECRET = 'its-freshservice-demo-webhook-secret';

/** The settings a project lead enters (the server adds the id and the project; the API key and the webhook secret live in secret storage). */
export const demoFreshserviceConnection = {
  name: 'ITS ↔ ACME Freshservice',
  enabled: true,
  jql: '',
  conflictPolicy: 'newest-wins',
  jiraIssueType: 'Task',
  remote: {
    type: 'freshservice',
    baseUrl: FS.instanceUrl,
    requesterEmail: FS.requester.email,
    correlationField: 'crosswalk_id',
    auth: { kind: 'api-key', agentEmail: FS.integration.email },
  },
  fields: [
    { jira: 'summary', remote: 'subject' },
    { jira: 'description', remote: 'description', transform: 'rich-text' },
    {
      jira: 'status',
      remote: 'status',
      transform: 'value-map',
      // Freshservice's codes as the API keeps them; the first value of a Jira status is what it writes.
      valueMap: [
        // Freshservice has no "new": a ticket raised there is Open before anyone works it, so Open reads as To Do.
        { jira: 'To Do', remote: '2', reverse: true },
        { jira: 'In Progress', remote: '2' },
        { jira: 'Waiting for customer', remote: '3' },
        // The account's custom status "Waiting on Customer".
        { jira: 'In Review', remote: '6' },
        { jira: 'Done', remote: '4' },
        { jira: 'Done', remote: '5' },
      ],
    },
    {
      jira: 'priority',
      remote: 'priority',
      transform: 'value-map',
      valueMap: [
        { jira: 'Highest', remote: '4' },
        { jira: 'High', remote: '3' },
        { jira: 'Medium', remote: '2' },
        { jira: 'Low', remote: '1' },
      ],
    },
    { jira: 'labels', remote: 'tags' },
  ],
} as const;

/** Every automator event Crosswalk reads (notifications.ts `touchesOf`). */
const AUTOMATOR_EVENTS = ['ticket_created', 'ticket_updated', 'note_added', 'reply_added'] as const;

/**
 * Saves the ITS connection through Crosswalk's own resolver as the project
 * lead, then adds the automator rule by the connection page's steps: the
 * notification URL, the secret header and the payload to paste.
 */
async function pair(context: DemoContext<FreshserviceSim>): Promise<void> {
  const { platform, installationId, jira, sim } = context;
  const { connectionId } = await saveConnection(context, {
    as: 'project-lead',
    // The service desk works in it.
    project: await ensureJiraProject(jira, ITS_PROJECT, 'service_desk'),
    settings: demoFreshserviceConnection,
    credential: { token: FS.integration.apiKey, webhookSecret: ITS_WEBHOOK_SECRET },
    what: 'the IT service desk project',
  });
  const rule = await fetch(`${sim.controlUrl}/automator`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      name: 'Notify Crosswalk',
      url: context.notificationUrl(connectionId),
      headers: { [SECRET_HEADER_NAME]: ITS_WEBHOOK_SECRET },
      events: AUTOMATOR_EVENTS,
      payload: PAYLOAD_TEMPLATE,
    }),
  });
  if (rule.status !== 201) throw new Error(`Could not add the automator rule: ${rule.status} ${await rule.text()}`);
}

function kit(sim: FreshserviceSim): PairingKit {
  return {
    instanceUrl: sim.instanceUrl,
    remote: demoFreshserviceConnection.remote,
    credential: { token: FS.integration.apiKey },
    itemsTitled: (title) =>
      [...sim.store.tickets.values()]
        .filter((t) => !t.deleted && t.subject === title)
        .map((t) => ({ id: String(t.id), title: t.subject })),
    // Priority is a code an agent sets: Urgent, High, Low.
    filterable: { title: 'subject', field: 'priority', values: ['4', '3', '1'] },
    createItem: async (title, priority) => {
      const sam = freshserviceClient(sim, { apiKey: FS.agent.apiKey });
      const made = await sam('POST', '/api/v2/tickets', {
        subject: title,
        description: `<div>${title}: reported by a colleague.</div>`,
        email: FS.requester.email,
        status: 2,
        priority: Number(priority),
      });
      if (made.status !== 201) throw new Error(`Could not create a ticket: ${made.status} ${made.text}`);
    },
  };
}

export const demo: DemoPairing<FreshserviceSim> = {
  project: ITS_PROJECT,
  connection: demoFreshserviceConnection,
  pair,
  kit,
};
