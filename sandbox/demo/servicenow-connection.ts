/** The connection `npm start` pairs DEMO with: the ServiceNow simulator's incidents. */
import type { RunningSimulator, DemoPairing } from '../simulated-system';
import { DEMO_CREDENTIALS as SERVICENOW_DEMO, type ServiceNowSim } from '../sims/servicenow';
import { serviceNowClient } from '../sims/servicenow/test-client';
import { created } from './pairing';
import { saveConnection } from './save-connection';

export const DEMO_WEBHOOK_SECRET = 'demo-webhook-secret';

/** The id the server gives the first ServiceNow connection of project DEMO. */
export const DEMO_CONNECTION_ID = 'demo-servicenow';

/** The settings a project lead enters (the server adds the id, the project and the secret's key). */
export const demoServiceNowConnection = {
  name: 'DEMO ↔ ACME incidents',
  enabled: true,
  jql: '',
  conflictPolicy: 'newest-wins',
  // Software incidents may be linked to DEMO issues by hand (the issue panel's Link); no incident creates an issue.
  linkFilter: [{ field: 'category', op: '=', value: 'software' }],
  remote: {
    type: 'servicenow',
    baseUrl: 'https://acme.service-now.com',
    table: 'incident',
    auth: { kind: 'basic', username: 'crosswalk.integration' },
  },
  // Resolving an incident needs a close code and notes, written along with the state.
  requiredOnEnter: [
    {
      field: 'state',
      values: ['6', '7'],
      set: { close_code: 'Solution provided', close_notes: 'Resolved in Jira ({issueKey})' },
    },
  ],
  fields: [
    { jira: 'summary', remote: 'short_description' },
    { jira: 'description', remote: 'description', transform: 'rich-text' },
    {
      jira: 'status',
      remote: 'state',
      transform: 'value-map',
      valueMap: [
        { jira: 'To Do', remote: '1' },
        { jira: 'In Progress', remote: '2' },
        { jira: 'Waiting for customer', remote: '3' },
        { jira: 'Done', remote: '6' },
        { jira: 'Done', remote: '7' },
      ],
    },
    {
      jira: 'priority',
      remote: 'urgency',
      transform: 'value-map',
      valueMap: [
        { jira: 'High', remote: '1' },
        { jira: 'Medium', remote: '2' },
        { jira: 'Low', remote: '3' },
      ],
    },
  ],
} as const;

/** The project ServiceNow pairs with, already on the demo site. */
const DEMO_PROJECT = { id: '10000', key: 'DEMO' } as const;

/**
 * DEMO ↔ ServiceNow as `npm start` pairs it: saved through Crosswalk's own resolver as the project lead, then
 * ServiceNow's notifications pointed at the web trigger, as its admin would paste the business rule.
 */
export const demo: DemoPairing<ServiceNowSim & RunningSimulator> = {
  project: { key: DEMO_PROJECT.key, name: 'Demo' },
  connection: demoServiceNowConnection,
  async pair(context) {
    const { sim, notificationUrl } = context;
    const { connectionId } = await saveConnection(context, {
      as: 'project-lead',
      project: DEMO_PROJECT,
      settings: demoServiceNowConnection,
      credential: { password: SERVICENOW_DEMO.integration.password, webhookSecret: DEMO_WEBHOOK_SECRET },
      what: 'the demo project',
    });
    await fetch(`${sim.controlUrl}/notifications`, {
      method: 'PUT',
      body: JSON.stringify({ url: notificationUrl(connectionId), secret: DEMO_WEBHOOK_SECRET, tables: ['incident'] }),
    });
  },
  kit: (sim) => ({
    instanceUrl: 'https://acme.service-now.com',
    remote: demoServiceNowConnection.remote,
    credential: { password: SERVICENOW_DEMO.integration.password },
    itemsTitled: (title) =>
      sim.store
        .rows(demoServiceNowConnection.remote.table)
        .filter((r) => r.short_description === title)
        .map((r) => ({ id: String(r.sys_id), title: String(r.short_description) })),
    // An incident's priority is computed from impact and urgency; the urgency is the agent's to set.
    filterable: { title: 'short_description', field: 'urgency', values: ['1', '2', '3'] },
    createItem: async (title, urgency) =>
      created(
        'an incident',
        await serviceNowClient(sim, SERVICENOW_DEMO.agent)(
          'POST',
          `/api/now/table/${demoServiceNowConnection.remote.table}`,
          {
            short_description: title,
            urgency,
          },
        ),
      ),
  }),
};
