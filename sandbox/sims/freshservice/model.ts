/**
 * The Freshservice simulator as the model harness drives it (test/model/adapter.ts), for project ITS and its
 * connection `its-freshservice`, saved with the demo pairing's mapping (sandbox/demo/freshservice-connection.ts).
 *
 * Freshservice's particulars the model respects:
 * - statuses: Open (2) stands for both To Do and In Progress and reads back as To Do, so In Progress is left out of
 *   the model (it cannot round-trip); Resolved (4) and Closed (5) both read as Done, and a person closes outright
 *   about every other time they set Done;
 * - internal comments are private notes; a person's public comment is a reply (it emails the requester);
 * - files travel only inline, as multipart parts of a ticket update, and can be deleted by id;
 * - no hierarchy: Freshservice's ticket API has no parent of an incident or a service request that the connector
 *   maps, so the adapter has no `hierarchy`;
 * - the change push is the Workflow Automator rule an admin adds by hand (the demo pairing's steps): the adapter adds
 *   it after saving the connection, holds its deliveries and lets them go when the harness says.
 */
import type { Sandbox } from '../../sandbox';
import { demoFreshserviceConnection, ITS_PROJECT, ITS_WEBHOOK_SECRET } from '../../demo/freshservice-connection';
import type { RunningSimulator } from '../../simulated-system';
import { PAYLOAD_TEMPLATE, SECRET_HEADER_NAME } from '../../../src/connectors/freshservice/notifications';
import {
  addModelIssueTypes,
  bodyFormatsOf,
  canonicalLabels,
  FAULTED_REQUESTS,
  LASTING_FAULT,
  modelTypeSettings,
  type RemoteAdapter,
  type RemoteFault,
} from '../../../test/model/adapter';
import { htmlToPlain } from '../zendesk/html';
import { DEMO_CREDENTIALS, type FreshserviceSim } from './index';
import type { Ticket } from './store';
import { freshserviceClient } from './test-client';

/** The server names a project's first connection of a system `<project key>-<kind>` (store/connection-ids.ts). */
export const ITS_CONNECTION_ID = 'its-freshservice';

const STATUS_TO: Readonly<Record<string, number>> = {
  'To Do': 2,
  'Waiting for customer': 3,
  'In Review': 6,
  Done: 4,
};
const STATUS_OF: Readonly<Record<number, string>> = {
  2: 'To Do',
  3: 'Waiting for customer',
  6: 'In Review',
  4: 'Done',
  5: 'Done',
};
const PRIORITY_TO: Readonly<Record<string, number>> = { Highest: 4, High: 3, Medium: 2, Low: 1 };
const PRIORITY_OF: Readonly<Record<number, string>> = { 4: 'Highest', 3: 'High', 2: 'Medium', 1: 'Low' };

/** The model's types: Jira's Task is an incident, its Epic a service request (no parent relation between them). */
const MODEL_TYPES = { Task: 'Incident', Epic: 'Service Request' } as const;

/** Ticket attributes that are numbers in the API, though the harness names values as text. */
const NUMERIC = new Set([
  'status',
  'priority',
  'urgency',
  'impact',
  'source',
  'group_id',
  'responder_id',
  'requester_id',
]);

/**
 * The running simulator, as the sandbox lists every registered system's by kind (`Sandbox.remotes`). Read through
 * a widened type because this branch's `Sandbox` predates that list; on main it is `sandbox.remotes.freshservice`.
 */
function simIn(sandbox: Sandbox): FreshserviceSim {
  const remotes = (sandbox as Sandbox & { remotes?: Readonly<Record<string, RunningSimulator>> }).remotes;
  const sim = remotes?.freshservice;
  if (!sim) throw new Error('The sandbox runs no Freshservice simulator: is freshservice in the registry?');
  return sim as FreshserviceSim;
}

export function freshserviceAdapter(): RemoteAdapter {
  let sandbox: Sandbox;
  let withTypes = false;
  /** The group people's model tickets are raised in: the connection's remote filter takes those (not the seeded ones). */
  let modelGroupId = 0;
  const sim = () => simIn(sandbox);
  const integration = DEMO_CREDENTIALS.integration.email;
  /** People act as Sam Agent, with Sam's own key: revoking Crosswalk's leaves them working. */
  const agent = () => freshserviceClient(sim(), { apiKey: DEMO_CREDENTIALS.agent.apiKey });
  const control = (path: string, body?: unknown, method = 'POST') =>
    fetch(`${sim().controlUrl}${path}`, {
      method,
      ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
    });
  const ticket = (id: string | number): Ticket => {
    const t = sim().store.tickets.get(Number(id));
    if (!t) throw new Error(`No Freshservice ticket ${id}`);
    return t;
  };
  const marker = (issueId: string) => new RegExp(`^crosswalk:[0-9a-f]{8}:${ITS_CONNECTION_ID}:${issueId}$`);
  const ok = async (what: string, res: Promise<{ status: number; text: string }>) => {
    const { status, text } = await res;
    if (status >= 300) throw new Error(`Freshservice ${what} answered ${status}: ${text.slice(0, 200)}`);
  };
  /** A ticket's files, its own and its conversations', by id. */
  const filesOf = (t: Ticket) =>
    [...sim().store.attachments.values()].filter((a) => a.ticket_id === t.id).sort((a, b) => a.id - b.id);
  const conversations = (id: string) => sim().store.conversationsOf(Number(id));
  const put = (id: string, body: unknown) => agent()('PUT', `/api/v2/tickets/${id}`, body);

  return {
    name: 'freshservice',
    projectKey: ITS_PROJECT.key,
    connectionId: ITS_CONNECTION_ID,
    labels: true,
    // Done twice: Resolved and Closed both read as Done, where the two sides differ most.
    statuses: ['To Do', 'Waiting for customer', 'In Review', 'Done', 'Done'],
    priorities: ['Highest', 'High', 'Medium', 'Low'],
    summaryLimit: 255,
    hasInternalComments: true,
    // The ticket's category (ticket_form_fields), which the demo mapping leaves alone.
    ruleChoice: { field: 'category', bugHighest: 'Network', task: 'Access', fallback: 'Software', other: 'Hardware' },
    typed: [],
    timeZone: 'UTC',
    modelTypes: MODEL_TYPES,
    async setup(s, opts) {
      sandbox = s;
      withTypes = Boolean(opts?.types);
      if (withTypes) await addModelIssueTypes(s, ITS_PROJECT.key);
      modelGroupId = sim().store.addGroup('Model', 'Tickets the model raises').id;
      const lead = s.jira.site.state.users.find((u) => u.role === 'project-lead')!;
      const saved = await s.platform.invokeResolver({
        installationId: s.installationId,
        moduleKey: 'crosswalk-settings',
        functionKey: 'saveConnection',
        accountId: lead.accountId,
        context: {
          extension: {
            type: 'jira:projectSettingsPage',
            project: {
              id: s.jira.site.state.projects.find((p) => p.key === ITS_PROJECT.key)!.id,
              key: ITS_PROJECT.key,
            },
          },
        },
        payload: {
          connectionId: ITS_CONNECTION_ID,
          settings: {
            ...demoFreshserviceConnection,
            remoteFilter: [
              { field: 'group_id', op: '=', value: String(modelGroupId) },
              ...(withTypes ? [{ field: 'type', op: 'IN', values: Object.values(MODEL_TYPES) }] : []),
            ],
            // The type map only: Freshservice has no parents to cross, so the model's hierarchy setting is left out.
            ...typeMapOnly(modelTypeSettings(MODEL_TYPES, opts)),
          },
          credential: { token: DEMO_CREDENTIALS.integration.apiKey, webhookSecret: ITS_WEBHOOK_SECRET },
        },
      });
      if (!saved.ok || !(saved.body as { ok?: boolean }).ok)
        throw new Error(`Could not configure the model connection: ${JSON.stringify(saved)}`);
      // What the connection page asks of a Freshservice admin: the automator rule with the secret in a header.
      const hook = s.platform.webTriggerUrl(s.installationId, 'remote-webhook');
      if (!hook) throw new Error('The app has no remote-webhook trigger');
      // In place of the demo's rule (one rule, one delivery a change), as the admin would edit it.
      await control('/automator', undefined, 'DELETE');
      await ok(
        'automator rule',
        control('/automator', {
          name: 'Notify Crosswalk',
          url: `${hook}/freshservice/${ITS_CONNECTION_ID}`,
          headers: { [SECRET_HEADER_NAME]: ITS_WEBHOOK_SECRET },
          events: ['ticket_created', 'ticket_updated', 'note_added', 'reply_added'],
          payload: PAYLOAD_TEMPLATE,
        }).then(async (r) => ({ status: r.status, text: await r.text() })),
      );
      sim().notifier.paused = true;
    },
    remotesForIssue(issueId) {
      return [...sim().store.tickets.values()]
        .filter((t) => !t.deleted && marker(issueId).test(String(t.custom_fields.crosswalk_id ?? '')))
        .map((t) => String(t.id));
    },
    field(id, name) {
      const t = ticket(id);
      const raw: unknown =
        name in t.custom_fields ? t.custom_fields[name] : (t as unknown as Record<string, unknown>)[name];
      return raw === null || raw === undefined ? '' : Array.isArray(raw) ? raw.join(' ') : String(raw);
    },
    read(id) {
      const t = ticket(id);
      return {
        id,
        summary: t.subject,
        status: STATUS_OF[t.status] ?? `status ${t.status}`,
        priority: PRIORITY_OF[t.priority] ?? `priority ${t.priority}`,
        labels: canonicalLabels(t.tags),
        comments: conversations(id).map((c) => ({
          text: htmlToPlain(c.body),
          internal: c.kind === 'note' && c.private,
        })),
        files: filesOf(t).map((a) => a.name),
      };
    },
    async create(summary, raw = {}) {
      const res = await agent()<{ ticket: { id: number } }>('POST', '/api/v2/tickets', {
        subject: summary,
        description: `<div>Reported by a colleague: ${summary}</div>`,
        email: DEMO_CREDENTIALS.requester.email,
        type: MODEL_TYPES.Task,
        priority: 2,
        group_id: modelGroupId,
        ...remoteValues(raw),
      });
      if (res.status >= 300) throw new Error(`create answered ${res.status}: ${res.text.slice(0, 200)}`);
      return String(res.json.ticket.id);
    },
    // No `hierarchy`: Freshservice tickets have no parent the connection maps (parents stay in Jira).
    // Two types only: a Bug is an incident and a Story a service request; a Task has none of its own left.
    typeMap: {
      types: [
        { jira: 'Bug', remote: 'Incident', status: { 'To Do': '2', 'In Progress': '2', Done: '4' } },
        { jira: 'Story', remote: 'Service Request', status: { 'To Do': '2', 'In Progress': '3', Done: '4' } },
      ],
      unmapped: '',
    },
    async edit(id, change) {
      const body: Record<string, unknown> = {};
      if (change.summary !== undefined) body.subject = change.summary;
      if (change.priority !== undefined) body.priority = PRIORITY_TO[change.priority]!;
      if (change.status !== undefined) body.status = STATUS_TO[change.status]!;
      const t = ticket(id);
      // An agent closes outright about every other time (by the ticket's history, so a seed replays).
      if (body.status === 4 && t.indexVersions.length % 2 === 0) body.status = 5;
      // A person changes the tags they mean and leaves any others (the filter's, Crosswalk's) as they are.
      if (change.labels !== undefined)
        body.tags = [...t.tags.filter((x) => canonicalLabels([x]) === ''), ...change.labels.split(',').filter(Boolean)];
      await ok('edit', put(id, body));
    },
    async setFields(id, raw) {
      await ok('edit', put(id, remoteValues(raw)));
    },
    async comment(id, text, internal) {
      const body = `<div>${escapeHtml(text)}</div>`;
      await ok(
        'comment',
        internal
          ? agent()('POST', `/api/v2/tickets/${id}/notes`, { body, private: true })
          : agent()('POST', `/api/v2/tickets/${id}/reply`, { body }),
      );
    },
    async attach(id, fileName, bytes) {
      const form = new FormData();
      form.append('attachments[]', new Blob([new Uint8Array(bytes)], { type: 'text/plain' }), fileName);
      await ok('attach', put(id, form));
    },
    async deleteFile(id, fileName) {
      const file = filesOf(ticket(id)).find((a) => a.name === fileName);
      if (!file) throw new Error(`Ticket ${id} has no file ${fileName}`);
      await ok('file delete', agent()('DELETE', `/api/v2/tickets/${id}/attachments/${file.id}`));
    },
    async fault(kind: RemoteFault, on: boolean) {
      if (kind === 'refuse-writes') {
        if (on)
          await control('/faults', {
            user: integration,
            method: 'PUT',
            path: '/api/v2/tickets/',
            status: 400,
            body: {
              description: 'Validation failed',
              errors: [
                {
                  field: '',
                  message: 'The ticket cannot be updated: it is locked by a business rule',
                  code: 'invalid_value',
                },
              ],
            },
            times: LASTING_FAULT,
          });
        else await control('/faults', undefined, 'DELETE');
        return;
      }
      const clear = () => control('/faults', undefined, 'DELETE');
      switch (kind) {
        case 'rate-limit':
        case 'rate-limit-lasting':
          if (on)
            await control('/faults', {
              user: integration,
              status: 429,
              headers: { 'Retry-After': '30', 'X-RateLimit-Total': '400', 'X-RateLimit-Remaining': '0' },
              body: {
                description: 'Rate limit exceeded',
                errors: [{ message: 'Retry after 30 seconds', code: 'rate_limited' }],
              },
              times: kind === 'rate-limit-lasting' ? LASTING_FAULT : FAULTED_REQUESTS['rate-limit'],
            });
          else await clear();
          return;
        case 'server-error':
          if (on)
            await control('/faults', {
              user: integration,
              status: 500,
              body: {
                description: 'Internal server error',
                errors: [{ message: 'Something went wrong', code: 'internal_error' }],
              },
              times: FAULTED_REQUESTS['server-error'],
            });
          else await clear();
          return;
        case 'timeout':
          if (on) await control('/faults', { user: integration, drop: true, times: FAULTED_REQUESTS.timeout });
          else await clear();
          return;
        case 'outage':
          await control('/outage', { on }, 'PUT');
          return;
        case 'bad-credentials':
          // An admin regenerated the integration agent's API key; Sam's still works.
          await control('/credentials', { revoked: on }, 'PUT');
          return;
      }
    },
    notifications: {
      async deliver() {
        const n = sim().notifier;
        n.paused = false;
        await n.flush();
        n.paused = true;
      },
      duplicateLast() {
        // The automator sends again what it sent last (a person re-ran the rule, a proxy repeated it).
        const last = sim().notifier.sent.at(-1);
        if (last)
          sim().notifier.queue.push({
            rule_id: last.rule_id,
            event: last.event,
            ticket_id: last.ticket_id,
            url: last.url,
            headers: last.headers,
            body: last.body,
          });
      },
      lose() {
        const queue = sim().notifier.queue;
        const lost = queue.length;
        queue.length = 0;
        return lost;
      },
    },
    async writesByCrosswalk() {
      const log = (await (await control('/requests', undefined, 'GET')).json()) as Array<{
        method: string;
        agent: string;
      }>;
      return log.filter((r) => r.method !== 'GET' && r.agent === integration).length;
    },
    // Read when asked: the registry entry is another folder's, and may be added after this module loads.
    get format() {
      return bodyFormatsOf('freshservice');
    },
    bodies: {
      description: (id) => ticket(id).description,
      async setDescription(id, body) {
        await ok('description', put(id, { description: body }));
      },
      async comment(id, body) {
        await ok('comment', agent()('POST', `/api/v2/tickets/${id}/reply`, { body }));
      },
      comments: (id) => conversations(id).map((c) => c.body),
      // A public Jira comment is a reply, emailed to the requester: Freshservice keeps it as sent.
      // As the agent portal's editor: the pasted image is stored as the ticket's file, shown by its attachment URL
      // at the account's own address (what the API's `attachment_url` names).
      pasteImage(id, fileName, bytes) {
        const fileId = sim().store.addPastedImage(ticket(id).id, fileName, 'image/png', bytes);
        return Promise.resolve(`${demoFreshserviceConnection.remote.baseUrl}/api/v2/attachments/${fileId}`);
      },
    },
  };
}

function typeMapOnly(
  settings: ReturnType<typeof modelTypeSettings>,
): Omit<ReturnType<typeof modelTypeSettings>, 'hierarchy'> {
  return settings.types ? { types: settings.types } : {};
}

/** The harness's raw values (text) as the API takes them: codes and ids as numbers, the rest as given. */
function remoteValues(raw: Readonly<Record<string, string>>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(raw).map(([k, v]) => [k, NUMERIC.has(k) && /^\d+$/.test(v) ? Number(v) : v]),
  );
}

const escapeHtml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export const modelAdapter = freshserviceAdapter;
