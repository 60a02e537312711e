/**
 * The connection `npm start` pairs ITS ("IT service desk") with: the
 * Freshservice simulator's tickets. Freshservice has no API for its change
 * push, so after saving, the demo does what the connection page asks of an
 * admin: a Workflow Automator rule that triggers a webhook to Crosswalk with
 * the connection's secret in a header.
 */
import { DEMO_CREDENTIALS as FS, type FreshserviceSim } from '../sims/freshservice';
import { freshserviceClient } from '../sims/freshservice/test-client';
import type { JiraSim } from '../sims/jira';
import { PROJECT_ROLES } from '../sims/jira/state';
import type { DemoContext, DemoPairing } from '../simulated-system';
import type { PairingKit } from './pairing';
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

/** Jira's REST API as the site's admin (the demo's hands, as a person's would be). */
function asSiteAdmin(jira: JiraSim) {
  const admin = jira.site.state.users.find((u) => u.siteAdmin && u.accountType === 'atlassian' && u.apiToken);
  if (!admin) throw new Error('The Jira site has no site admin to make the ITS project');
  const authorization = `Basic ${Buffer.from(`${admin.emailAddress}:${admin.apiToken}`).toString('base64')}`;
  return (path: string, body: unknown) =>
    fetch(`${jira.baseUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', authorization },
      body: JSON.stringify(body),
    });
}

/**
 * The ITS project, made through Jira's REST API by a site admin when the site has none, led by the project lead,
 * with the site's member and viewer in its roles as the other demo projects have them (the service desk works in it).
 */
async function ensureProject(jira: JiraSim): Promise<{ id: string; key: string }> {
  const existing = jira.site.project(ITS_PROJECT.key);
  if (existing) return { id: existing.id, key: existing.key };
  const person = (role: string) => jira.site.state.users.find((u) => u.role === role);
  const lead = person('project-lead');
  if (!lead) throw new Error('The Jira site has no project lead to lead the ITS project');
  const post = asSiteAdmin(jira);
  const res = await post('/rest/api/3/project', {
    key: ITS_PROJECT.key,
    name: ITS_PROJECT.name,
    leadAccountId: lead.accountId,
    projectTypeKey: 'service_desk',
  });
  if (res.status !== 201) throw new Error(`Could not make the ITS project: ${res.status} ${await res.text()}`);
  const made = (await res.json()) as { id: number | string; key: string };
  for (const [role, who] of [
    [PROJECT_ROLES.Members, person('member')],
    [PROJECT_ROLES.Viewers, person('viewer')],
  ] as const) {
    if (!who) continue;
    const added = await post(`/rest/api/3/project/${made.key}/role/${role}`, { user: [who.accountId] });
    if (added.status !== 200) throw new Error(`Could not add ${who.displayName} to ITS: ${added.status}`);
  }
  return { id: String(made.id), key: made.key };
}

/**
 * Saves the ITS connection through Crosswalk's own resolver as the project
 * lead, then adds the automator rule by the connection page's steps: the
 * notification URL, the secret header and the payload to paste.
 */
async function pair(context: DemoContext<FreshserviceSim>): Promise<void> {
  const { platform, installationId, jira, sim } = context;
  const project = await ensureProject(jira);
  const lead = jira.site.state.users.find((u) => u.role === 'project-lead')!;
  const saved = await platform.invokeResolver({
    installationId,
    moduleKey: 'crosswalk-settings',
    functionKey: 'saveConnection',
    accountId: lead.accountId,
    context: { extension: { type: 'jira:projectSettingsPage', project } },
    payload: {
      settings: demoFreshserviceConnection,
      credential: { token: FS.integration.apiKey, webhookSecret: ITS_WEBHOOK_SECRET },
    },
  });
  const answer = saved.ok ? (saved.body as { ok?: boolean; data?: { config?: { id?: string } } }) : undefined;
  const connectionId = answer?.ok ? answer.data?.config?.id : undefined;
  if (!connectionId) throw new Error(`Could not pair the IT service desk project: ${JSON.stringify(saved)}`);
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
