/** The ServiceNow simulator as the model harness drives it (see adapter.ts). */
import type { Sandbox } from '../../sandbox';
import { DEMO_CONNECTION_ID, demoServiceNowConnection } from '../../demo/servicenow-connection';
import { serviceNowClient } from './test-client';
import {
  addModelIssueTypes,
  assertTyped,
  canonicalDay,
  modelTypeSettings,
  dayStartInZone,
  FAULTED_REQUESTS,
  LASTING_FAULT,
  typedPairs,
  bodyFormatsOf,
  type RemoteAdapter,
  type RemoteFault,
} from '../../../test/model/adapter';

const STATE_OF: Record<string, string> = { 'To Do': '1', 'In Progress': '2', 'Waiting for customer': '3', Done: '6' };
const STATUS_OF: Record<string, string> = {
  '1': 'To Do',
  '2': 'In Progress',
  '3': 'Waiting for customer',
  '6': 'Done',
  '7': 'Done',
};
/** The model's people (Jira roles) and their ServiceNow users: Mia by her email (Abel Tuter's), Lee by the connection's user table (Beth). */
const SN_USER_OF: Record<string, string> = { member: 'abel.tuter', 'project-lead': 'beth.agent' };
const URGENCY_OF: Record<string, string> = { High: '1', Medium: '2', Low: '3' };
const PRIORITY_OF: Record<string, string> = { '1': 'High', '2': 'Medium', '3': 'Low' };
/**
 * The incident's one date-time people write that no rule the model reaches sets: `closed_at` (a glide_date_time,
 * `yyyy-MM-dd HH:mm:ss` in UTC), set by the instance only on entering Closed (7), which neither the model nor the
 * mapping writes (Done writes Resolved, 6). The simulated incident has no due date, and no number or single option
 * free of the instance's rules (impact feeds priority and never empties; urgency is the priority's pair): so only
 * the date is typed here.
 */
const DUE = 'closed_at';
/** Eight hours behind UTC in winter (the clocks change 14 March): an evening there is the next day in UTC. */
const TIME_ZONE = 'America/Los_Angeles';
/** An agent sets the date-time at the end of that day's business, 18:00 there: in UTC, already the next day. */
const END_OF_BUSINESS_MS = 18 * 3_600_000;
/**
 * The model's types as categories: a database outage (Epic) above the software incidents (Task) it causes, as the
 * Parent Incident nests them. Category is both the type and the filter's marker: the model's incidents are those
 * of these two categories (the instance's other incidents are inquiries, Crosswalk's default category).
 */
const MODEL_TYPES = { Task: 'software', Epic: 'database' } as const;
const glideTime = (ms: number) => new Date(ms).toISOString().replace('T', ' ').slice(0, 19);

export function serviceNowAdapter(): RemoteAdapter {
  let sandbox: Sandbox;
  /** Whether the connection maps the model's types (then category is the type, and the filter's marker with it). */
  let withTypes = false;
  const agent = () => serviceNowClient(sandbox.sims.servicenow, sandbox.sims.servicenow.credentials.agent);
  const control = (path: string, body?: unknown, method = 'POST') =>
    fetch(`${sandbox.sims.servicenow.controlUrl}${path}`, {
      method,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  const notifier = () => sandbox.servicenow.notifier;
  const integration = () => sandbox.sims.servicenow.credentials.integration.username;
  const ok = async (res: Promise<{ status: number }>) => {
    const { status } = await res;
    if (status >= 300) throw new Error(`ServiceNow answered ${status}`);
  };
  return {
    name: 'servicenow',
    projectKey: 'DEMO',
    connectionId: DEMO_CONNECTION_ID,
    statuses: ['To Do', 'In Progress', 'Waiting for customer', 'Done'],
    priorities: ['High', 'Medium', 'Low'],
    summaryLimit: 160,
    hasInternalComments: true,
    ruleChoice: { field: 'category', bugHighest: 'database', task: 'inquiry', fallback: 'software', other: 'hardware' },
    people: ['', 'member', 'project-lead'],
    typed: ['due'],
    timeZone: TIME_ZONE,
    modelTypes: MODEL_TYPES,
    async setup(s, opts) {
      sandbox = s;
      withTypes = Boolean(opts?.types);
      if (withTypes) await addModelIssueTypes(s, 'DEMO');
      const lead = s.jira.site.state.users.find((u) => u.role === 'project-lead')!;
      const beth = s.servicenow.store.userByName('beth.agent')!.sys_id;
      const saved = await s.platform.invokeResolver({
        installationId: s.installationId,
        moduleKey: 'crosswalk-settings',
        functionKey: 'saveConnection',
        accountId: lead.accountId,
        context: { extension: { type: 'jira:projectSettingsPage', project: { id: '10000', key: 'DEMO' } } },
        payload: {
          connectionId: DEMO_CONNECTION_ID,
          settings: {
            ...demoServiceNowConnection,
            remoteFilter: withTypes
              ? [{ field: 'category', op: 'IN', values: Object.values(MODEL_TYPES) }]
              : [{ field: 'category', op: '=', value: 'model' }],
            ...modelTypeSettings(MODEL_TYPES, opts),
            timeZone: TIME_ZONE,
            fields: [
              ...demoServiceNowConnection.fields,
              { jira: 'assignee', remote: 'assigned_to', transform: 'user' },
              ...typedPairs({ due: { remote: DUE } }),
            ],
            users: { matchByEmail: true, table: [{ jiraAccountId: lead.accountId, remoteUserId: beth }] },
          },
        },
      });
      if (!saved.ok || !(saved.body as { ok?: boolean }).ok)
        throw new Error(`Could not configure the model connection: ${JSON.stringify(saved)}`);
      assertTyped(saved, this.typed);
      notifier().config!.paused = true;
    },
    remotesForIssue(issueId) {
      return sandbox.servicenow.store
        .rows('incident')
        .filter(
          (r) =>
            /^crosswalk:[0-9a-f]{8}:/.test(r.correlation_id ?? '') &&
            r.correlation_id!.endsWith(`:${DEMO_CONNECTION_ID}:${issueId}`),
        )
        .map((r) => r.sys_id!);
    },
    field: (id, name) => String(sandbox.servicenow.store.rows('incident').find((r) => r.sys_id === id)?.[name] ?? ''),
    read(id) {
      const row = sandbox.servicenow.store.rows('incident').find((r) => r.sys_id === id)!;
      const journal = sandbox.servicenow.store.rows('sys_journal_field').filter((j) => j.element_id === id);
      return {
        id,
        summary: row.short_description ?? '',
        status: STATUS_OF[row.state ?? ''] ?? `state ${row.state}`,
        priority: PRIORITY_OF[row.urgency ?? ''] ?? `urgency ${row.urgency}`,
        assignee: row.assigned_to
          ? (Object.entries(SN_USER_OF).find(
              ([, name]) => sandbox.servicenow.store.userByName(name)?.sys_id === row.assigned_to,
            )?.[0] ?? `user ${row.assigned_to}`)
          : '',
        due: canonicalDay(row[DUE], TIME_ZONE),
        comments: journal.map((j) => ({ text: j.value ?? '', internal: j.element === 'work_notes' })),
        files: sandbox.servicenow.store
          .rows('sys_attachment')
          .filter((a) => a.table_sys_id === id)
          .map((a) => a.file_name ?? ''),
      };
    },
    async create(summary, raw = {}) {
      const res = await agent()('POST', '/api/now/table/incident', {
        short_description: summary,
        category: withTypes ? MODEL_TYPES.Task : 'model',
        urgency: '2',
        ...raw,
      });
      if (res.status >= 300) throw new Error(`create answered ${res.status}`);
      return (res.json as { result: { sys_id: string } }).result.sys_id;
    },
    // An incident's Parent Incident nests: a database outage's software incident's hardware follow-up.
    hierarchy: {
      levels: [
        { jira: 'Epic', remote: 'database' },
        { jira: 'Story', remote: 'software' },
        { jira: 'Sub-task', remote: 'hardware' },
      ],
      parentOf: (id) =>
        String(sandbox.servicenow.store.rows('incident').find((r) => r.sys_id === id)?.parent_incident ?? ''),
      async setParent(id, parentId) {
        await ok(agent()('PATCH', `/api/now/table/incident/${id}`, { parent_incident: parentId }));
      },
    },
    // Categories tell kinds of work apart; a hardware task waits On Hold where software work is In Progress.
    typeMap: {
      types: [
        { jira: 'Bug', remote: 'software', status: { 'To Do': '1', 'In Progress': '2', Done: '6' } },
        { jira: 'Story', remote: 'inquiry', status: { 'To Do': '1', 'In Progress': '2', Done: '6' } },
        { jira: 'Task', remote: 'hardware', status: { 'To Do': '1', 'In Progress': '3', Done: '6' } },
      ],
      unmapped: 'network',
    },
    async edit(id, change) {
      const body: Record<string, string> = {};
      if (change.summary !== undefined) body.short_description = change.summary;
      if (change.priority !== undefined) body.urgency = URGENCY_OF[change.priority]!;
      if (change.assignee !== undefined)
        body.assigned_to = change.assignee
          ? sandbox.servicenow.store.userByName(SN_USER_OF[change.assignee]!)!.sys_id!
          : '';
      // The agent works in the connection's zone; '' empties the field.
      if (change.due !== undefined)
        body[DUE] = change.due ? glideTime(dayStartInZone(change.due, TIME_ZONE) + END_OF_BUSINESS_MS) : '';
      if (change.status !== undefined) {
        body.state = STATE_OF[change.status]!;
        if (body.state === '6')
          Object.assign(body, { close_code: 'Solution provided', close_notes: 'Resolved by the agent' });
      }
      await ok(agent()('PATCH', `/api/now/table/incident/${id}`, body));
    },
    async setFields(id, raw) {
      await ok(agent()('PATCH', `/api/now/table/incident/${id}`, raw));
    },
    async comment(id, text, internal) {
      await ok(agent()('PATCH', `/api/now/table/incident/${id}`, { [internal ? 'work_notes' : 'comments']: text }));
    },
    async attach(id, fileName, bytes) {
      const { username, password } = sandbox.sims.servicenow.credentials.agent;
      const res = await fetch(
        `${sandbox.sims.servicenow.baseUrl}/api/now/attachment/file?table_name=incident&table_sys_id=${id}&file_name=${encodeURIComponent(fileName)}`,
        {
          method: 'POST',
          headers: {
            authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`,
            'content-type': 'text/plain',
          },
          body: new Uint8Array(bytes),
        },
      );
      if (res.status >= 300) throw new Error(`attach answered ${res.status}`);
    },
    async deleteFile(id, fileName) {
      const row = sandbox.servicenow.store
        .rows('sys_attachment')
        .find((a) => a.table_sys_id === id && a.file_name === fileName);
      if (!row) throw new Error(`no file ${fileName} on ${id}`);
      await ok(agent()('DELETE', `/api/now/attachment/${row.sys_id}`));
    },
    async fault(kind: RemoteFault, on: boolean) {
      if (kind === 'refuse-writes') {
        if (on)
          await control('/faults', {
            user: integration(),
            method: 'PATCH',
            path: '/api/now/table/',
            status: 400,
            body: {
              error: { message: 'Operation Failed', detail: 'Data Policy Exception: the record cannot be saved' },
              status: 'failure',
            },
            times: LASTING_FAULT,
          });
        else await control('/faults', undefined, 'DELETE');
        return;
      }
      switch (kind) {
        case 'rate-limit':
        case 'rate-limit-lasting':
          if (on)
            await control('/faults', {
              user: integration(),
              status: 429,
              headers: { 'Retry-After': '30' },
              body: { error: { message: 'Rate limit exceeded', detail: 'Too many requests' }, status: 'failure' },
              times: kind === 'rate-limit-lasting' ? LASTING_FAULT : FAULTED_REQUESTS['rate-limit'],
            });
          else await control('/faults', undefined, 'DELETE');
          return;
        case 'server-error':
          if (on)
            await control('/faults', { user: integration(), status: 503, times: FAULTED_REQUESTS['server-error'] });
          else await control('/faults', undefined, 'DELETE');
          return;
        case 'timeout':
          if (on) await control('/faults', { user: integration(), drop: true, times: FAULTED_REQUESTS.timeout });
          else await control('/faults', undefined, 'DELETE');
          return;
        case 'outage':
          await control('/hibernate', { on }, 'PUT');
          return;
        case 'bad-credentials': {
          const user = sandbox.servicenow.store.userByName(sandbox.sims.servicenow.credentials.integration.username)!;
          user.password = on ? 'rotated-by-the-admin' : sandbox.sims.servicenow.credentials.integration.password;
          return;
        }
      }
    },
    notifications: {
      async deliver() {
        const n = notifier();
        n.config!.paused = false;
        await n.flush();
        n.config!.paused = true;
      },
      duplicateLast() {
        const last = notifier().sent.at(-1);
        if (last) notifier().queue.push(last.body);
      },
      lose() {
        const n = notifier().queue.length;
        notifier().queue.length = 0;
        return n;
      },
    },
    format: bodyFormatsOf('servicenow'),
    bodies: {
      description: (id) => sandbox.servicenow.store.rows('incident').find((r) => r.sys_id === id)?.description ?? '',
      async setDescription(id, body) {
        await ok(agent()('PATCH', `/api/now/table/incident/${id}`, { description: body }));
      },
      async comment(id, body) {
        await ok(agent()('PATCH', `/api/now/table/incident/${id}`, { comments: body }));
      },
      comments: (id) =>
        sandbox.servicenow.store
          .rows('sys_journal_field')
          .filter((j) => j.element_id === id)
          .map((j) => j.value ?? ''),
    },
    async writesByCrosswalk() {
      const log = (await (await control('/requests', undefined, 'GET')).json()) as Array<{
        method: string;
        user: string;
      }>;
      return log.filter(
        (r) => r.method !== 'GET' && r.user === sandbox.sims.servicenow.credentials.integration.username,
      ).length;
    },
  };
}

/** The model harness's adapter for this system (test/model/adapters.ts finds it by the registry's kind). */
export const modelAdapter = serviceNowAdapter;
