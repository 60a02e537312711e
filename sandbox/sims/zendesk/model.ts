/**
 * The Zendesk simulator as the model harness drives it (see adapter.ts), for
 * project SUP and its connection `sup-zendesk`.
 *
 * Zendesk's particulars the model respects:
 * - statuses: only those both sides can express at any time (a ticket with an
 *   assignee is never `new` again, so To Do is only a starting state); solved
 *   and closed both read as Done;
 * - closed tickets are final: an agent closes a ticket outright about every
 *   other time they set Done, and the account's close automation (run whenever
 *   the harness delivers notifications, i.e. as time passes) closes tickets
 *   solved 5 minutes or more ago; people cannot change a closed ticket (`writable`),
 *   and a change from Jira continues in a follow-up ticket. The item of an
 *   issue is then the follow-up (`current`), a closed predecessor is not a
 *   second item, and the conversation (comments, files) is read along the
 *   chain of follow-ups;
 * - the description is the first comment of each ticket: it is not a comment
 *   in the model (nor is a follow-up's opening);
 * - internal comments are private comments (`public: false`).
 */
import type { Sandbox } from '../../sandbox';
import { demoZendeskConnection, SUP_CONNECTION_ID, SUP_PROJECT } from '../../demo/zendesk-connection';
import { DEMO_CREDENTIALS } from '.';
import type { Ticket } from './store';
import { zendeskClient } from './test-client';
import {
  addModelIssueTypes,
  assertTyped,
  canonicalDay,
  modelTypeSettings,
  canonicalLabels,
  canonicalNumber,
  dayStartInZone,
  FAULTED_REQUESTS,
  LASTING_FAULT,
  typedPairs,
  bodyFormatsOf,
  type RemoteAdapter,
  type RemoteFault,
} from '../../../test/model/adapter';

const STATUS_TO: Record<string, string> = {
  'To Do': 'new',
  'In Progress': 'open',
  'Waiting for customer': 'pending',
  'In Review': 'hold',
  Done: 'solved',
};
const STATUS_OF: Record<string, string> = {
  new: 'To Do',
  open: 'In Progress',
  pending: 'Waiting for customer',
  hold: 'In Review',
  solved: 'Done',
  closed: 'Done',
};
const PRIORITY_TO: Record<string, string> = { Highest: 'urgent', High: 'high', Medium: 'normal', Low: 'low' };
const PRIORITY_OF: Record<string, string> = { urgent: 'Highest', high: 'High', normal: 'Medium', low: 'Low' };

/**
 * The model's types: incidents (Jira's Tasks) under the problem (Epic) that causes them, one level as Zendesk nests.
 * The type is the filter's marker too: tickets of these two types made by people become issues.
 */
const MODEL_TYPES = { Task: 'incident', Epic: 'problem' } as const;

/** People (the agent) sign in with their own API token, so revoking Crosswalk's leaves them working. */
const PEOPLE_TOKEN = 'model-people-api-token-2b9e';
/** How long after solving the account's automation closes a ticket. */
const CLOSE_AFTER_SECONDS = 5 * 60;
/** Thirteen hours ahead of UTC in summer (the clocks change 4 April): a day's start there is the day before in UTC. */
const TIME_ZONE = 'Pacific/Auckland';
/** The environment dropdown's tag-like values, Jira's option values mapped to them. */
const TIER_TAG: Record<string, string> = { Production: 'env_production', Staging: 'env_staging' };

export function zendeskAdapter(): RemoteAdapter {
  let sandbox: Sandbox;
  /** Whether the connection maps the model's types (then the type is the filter's marker, for both). */
  let withTypes = false;
  let outage = false;
  /** The account's custom fields the model pairs (their ids are the account's to give, in setup). */
  let countField = 0;
  let tierField = 0;
  /** Images pasted into the comment being written: their upload tokens go with it. */
  const pasted: string[] = [];
  const integration = DEMO_CREDENTIALS.integration.email;
  const agent = () => zendeskClient(sandbox.zendesk, { email: DEMO_CREDENTIALS.agent.email, apiToken: PEOPLE_TOKEN });
  const control = (path: string, body?: unknown, method = 'POST') =>
    fetch(`${sandbox.zendesk.baseUrl}/_control${path}`, {
      method,
      ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
    });
  const notifier = () => sandbox.zendesk.notifier;
  const ticket = (id: string | number): Ticket => sandbox.zendesk.store.tickets.get(Number(id))!;
  const marker = (issueId: string) => new RegExp(`^crosswalk:[0-9a-f]{8}:${SUP_CONNECTION_ID}:${issueId}$`);
  const ok = async (what: string, res: Promise<{ status: number; text: string }>) => {
    const { status, text } = await res;
    if (status >= 300) throw new Error(`Zendesk ${what} answered ${status}: ${text.slice(0, 200)}`);
  };
  /** The follow-up Crosswalk made to continue a ticket, if any (it carries a correlation marker). */
  const successor = (t: Ticket): Ticket | undefined =>
    t.followup_ids
      .map((id) => sandbox.zendesk.store.tickets.get(id))
      .filter((f): f is Ticket => Boolean(f && !f.deleted && f.external_id?.startsWith('crosswalk:')))
      .at(-1);
  /** A ticket and the closed tickets it follows up, oldest first. */
  const chain = (id: string): Ticket[] => {
    const out: Ticket[] = [];
    for (
      let t: Ticket | undefined = ticket(id);
      t;
      t = t.via_followup_source_id ? sandbox.zendesk.store.tickets.get(t.via_followup_source_id) : undefined
    )
      out.unshift(t);
    return out;
  };
  /** The dropdown's value as the Jira option it maps to ('' for none). */
  const tierOf = (value: unknown): string => {
    if (value === null || value === undefined || value === '') return '';
    return Object.entries(TIER_TAG).find(([, tag]) => tag === value)?.[0] ?? `tag ${JSON.stringify(value)}`;
  };
  const current = (id: string): string => {
    let t = ticket(id);
    for (let next = successor(t); next; next = successor(t)) t = next;
    return String(t.id);
  };
  return {
    name: 'zendesk',
    projectKey: SUP_PROJECT.key,
    connectionId: SUP_CONNECTION_ID,
    // A ticket with an assignee is never new again: To Do is only where items start. Done is listed
    // twice so it is picked more often: solved and closed (final) tickets are where Zendesk differs most.
    labels: true,
    statuses: ['In Progress', 'Waiting for customer', 'In Review', 'Done', 'Done'],
    priorities: ['Highest', 'High', 'Medium', 'Low'],
    summaryLimit: 255,
    hasInternalComments: true,
    ruleChoice: { field: 'type', bugHighest: 'problem', task: 'task', fallback: 'question', other: 'incident' },
    // A ticket's due date is a date-time (Zendesk shows one on tasks; the sim keeps it on the model's incidents and problems
    // too, which the model relies on). The account's admin adds a number field and a dropdown for the model.
    typed: ['due', 'count', 'tier'],
    timeZone: TIME_ZONE,
    modelTypes: MODEL_TYPES,
    async setup(s, opts) {
      sandbox = s;
      withTypes = Boolean(opts?.types);
      if (withTypes) await addModelIssueTypes(s, SUP_PROJECT.key);
      s.zendesk.store.apiTokens.add(PEOPLE_TOKEN);
      countField = s.zendesk.store.addField({ type: 'integer', title: 'Affected users' }).id;
      tierField = s.zendesk.store.addField({
        type: 'tagger',
        title: 'Environment',
        options: Object.entries(TIER_TAG).map(([name, value]) => ({ name, value })),
      }).id;
      const lead = s.jira.site.state.users.find((u) => u.role === 'project-lead')!;
      const saved = await s.platform.invokeResolver({
        installationId: s.installationId,
        moduleKey: 'crosswalk-settings',
        functionKey: 'saveConnection',
        accountId: lead.accountId,
        context: { extension: { type: 'jira:projectSettingsPage', project: SUP_PROJECT } },
        payload: {
          connectionId: SUP_CONNECTION_ID,
          settings: {
            ...demoZendeskConnection,
            // Tickets of the model's types (of type task, without them) made by people become issues.
            remoteFilter: withTypes
              ? [{ field: 'type', op: 'IN', values: Object.values(MODEL_TYPES) }]
              : [{ field: 'type', op: '=', value: 'task' }],
            ...modelTypeSettings(MODEL_TYPES, opts),
            timeZone: TIME_ZONE,
            fields: [
              ...demoZendeskConnection.fields,
              ...typedPairs({
                due: { remote: 'due_at' },
                count: { remote: `custom_${countField}` },
                tier: {
                  remote: `custom_${tierField}`,
                  valueMap: Object.entries(TIER_TAG).map(([jira, remote]) => ({ jira, remote })),
                },
              }),
            ],
          },
        },
      });
      if (!saved.ok || !(saved.body as { ok?: boolean }).ok)
        throw new Error(`Could not configure the model connection: ${JSON.stringify(saved)}`);
      assertTyped(saved, this.typed);
      notifier().paused = true;
    },
    remotesForIssue(issueId) {
      const mine = sandbox.zendesk.store.liveTickets().filter((t) => marker(issueId).test(t.external_id ?? ''));
      // A closed ticket continued in a follow-up is the follow-up's past, not a second item.
      return mine
        .filter((t) => !(t.status === 'closed' && t.followup_ids.some((f) => mine.some((m) => m.id === f))))
        .map((t) => String(t.id));
    },
    current,
    writable(id) {
      return ticket(current(id)).status !== 'closed';
    },
    field: (id, name) => String((ticket(id) as unknown as Record<string, unknown>)[name] ?? ''),
    read(id) {
      const t = ticket(id);
      const tickets = chain(id);
      const attachments = sandbox.zendesk.store.attachments;
      return {
        id,
        summary: t.subject,
        status: STATUS_OF[t.status] ?? `status ${t.status}`,
        priority: t.priority ? (PRIORITY_OF[t.priority] ?? `priority ${t.priority}`) : '',
        labels: canonicalLabels(t.tags),
        due: canonicalDay(t.due_at, TIME_ZONE),
        count: canonicalNumber(t.custom_fields.get(countField)),
        tier: tierOf(t.custom_fields.get(tierField)),
        // Each ticket's first comment is its description (or a follow-up's opening), not a comment.
        comments: tickets.flatMap((x) => x.comments.slice(1).map((c) => ({ text: c.plain_body, internal: !c.public }))),
        files: tickets.flatMap((x) =>
          x.comments.flatMap((c) => c.attachmentIds.map((a) => attachments.get(a)?.file_name ?? `attachment ${a}`)),
        ),
      };
    },
    async create(summary, raw = {}) {
      const res = await agent()<{ ticket: { id: number } }>('POST', '/api/v2/tickets', {
        ticket: {
          subject: summary,
          comment: { body: `Reported by a customer: ${summary}` },
          type: withTypes ? MODEL_TYPES.Task : 'task',
          priority: 'normal',
          ...raw,
        },
      });
      if (res.status >= 300) throw new Error(`create answered ${res.status}: ${res.text.slice(0, 200)}`);
      return String(res.json.ticket.id);
    },
    // A problem's incidents: one level, so no Sub-task.
    hierarchy: {
      levels: [
        { jira: 'Epic', remote: 'problem' },
        { jira: 'Story', remote: 'incident' },
      ],
      parentOf: (id) => String(ticket(id).problem_id ?? ''),
      async setParent(id, parentId) {
        await ok(
          'a problem',
          agent()('PUT', `/api/v2/tickets/${current(id)}`, {
            ticket: { problem_id: parentId ? Number(parentId) : null },
          }),
        );
      },
    },
    // A task waits on someone else (pending) where a problem or question is worked on (open).
    typeMap: {
      types: [
        { jira: 'Bug', remote: 'problem', status: { 'To Do': 'new', 'In Progress': 'open', Done: 'solved' } },
        { jira: 'Story', remote: 'question', status: { 'To Do': 'new', 'In Progress': 'open', Done: 'solved' } },
        { jira: 'Task', remote: 'task', status: { 'To Do': 'new', 'In Progress': 'pending', Done: 'solved' } },
      ],
      unmapped: 'incident',
    },
    async edit(id, change) {
      const body: Record<string, unknown> = {};
      if (change.summary !== undefined) body.subject = change.summary;
      if (change.priority !== undefined) body.priority = PRIORITY_TO[change.priority]!;
      if (change.status !== undefined) body.status = STATUS_TO[change.status]!;
      // A person changes the tags they mean and leaves any others as they are.
      const tags =
        change.labels === undefined
          ? undefined
          : [
              ...ticket(current(id)).tags.filter((x) => canonicalLabels([x]) === ''),
              ...change.labels.split(',').filter(Boolean),
            ];
      // An agent's date picker in the connection's zone writes the day's start there; null empties a field.
      if (change.due !== undefined)
        body.due_at = change.due ? new Date(dayStartInZone(change.due, TIME_ZONE)).toISOString() : null;
      const custom = [
        ...(change.count === undefined
          ? []
          : [{ id: countField, value: change.count === '' ? null : Number(change.count) }]),
        ...(change.tier === undefined ? [] : [{ id: tierField, value: change.tier ? TIER_TAG[change.tier]! : null }]),
      ];
      if (custom.length) body.custom_fields = custom;
      // Agents may close a ticket outright through the API; one does about every other time (by the ticket's history, so a seed replays).
      const t = ticket(current(id));
      if (body.status === 'solved' && t.audits.length % 2 === 0) body.status = 'closed';
      await ok('edit', agent()('PUT', `/api/v2/tickets/${t.id}`, { ticket: { ...body, ...(tags ? { tags } : {}) } }));
    },
    async setFields(id, raw) {
      await ok('edit', agent()('PUT', `/api/v2/tickets/${current(id)}`, { ticket: raw }));
    },
    async comment(id, text, internal) {
      await ok(
        'comment',
        agent()('PUT', `/api/v2/tickets/${current(id)}`, { ticket: { comment: { body: text, public: !internal } } }),
      );
    },
    async attach(id, fileName, bytes) {
      const up = await agent()<{ upload: { token: string } }>(
        'POST',
        `/api/v2/uploads?filename=${encodeURIComponent(fileName)}`,
        new Uint8Array(bytes),
        { 'content-type': 'text/plain' },
      );
      if (up.status >= 300) throw new Error(`upload answered ${up.status}: ${up.text.slice(0, 200)}`);
      await ok(
        'attach',
        agent()('PUT', `/api/v2/tickets/${current(id)}`, {
          ticket: { comment: { body: `Attached ${fileName}`, public: false, uploads: [up.json.upload.token] } },
        }),
      );
    },
    async fault(kind: RemoteFault, on: boolean) {
      if (kind === 'refuse-writes') {
        if (on)
          await control('/faults', {
            user: integration,
            method: 'PUT',
            path: '/api/v2/tickets/',
            status: 422,
            body: {
              error: 'RecordInvalid',
              description: 'Record validation errors',
              details: { base: [{ description: 'The ticket cannot be updated: it is locked by a trigger' }] },
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
              user: integration,
              status: 429,
              headers: { 'Retry-After': '30' },
              body: {
                error: 'APIRateLimitExceeded',
                description: 'Number of allowed API requests per minute exceeded',
              },
              times: kind === 'rate-limit-lasting' ? LASTING_FAULT : FAULTED_REQUESTS['rate-limit'],
            });
          else await control('/faults', undefined, 'DELETE');
          return;
        case 'server-error':
          if (on)
            await control('/faults', {
              user: integration,
              status: 503,
              body: { error: 'ServiceUnavailable', description: 'Service temporarily unavailable' },
              times: FAULTED_REQUESTS['server-error'],
            });
          else await control('/faults', undefined, 'DELETE');
          return;
        case 'timeout':
          if (on) await control('/faults', { user: integration, drop: true, times: FAULTED_REQUESTS.timeout });
          else await control('/faults', undefined, 'DELETE');
          return;
        case 'outage':
          outage = on;
          await control('/outage', { on }, 'PUT');
          return;
        case 'bad-credentials':
          // An admin revoked the API token Crosswalk uses (people have their own).
          if (on) sandbox.zendesk.store.apiTokens.delete(DEMO_CREDENTIALS.integration.apiToken);
          else sandbox.zendesk.store.apiTokens.add(DEMO_CREDENTIALS.integration.apiToken);
          return;
      }
    },
    notifications: {
      async deliver() {
        // Time has passed: the account's close automation runs (not while the account is down).
        if (!outage)
          await ok(
            'close automation',
            control('/automations/close-solved', { afterSeconds: CLOSE_AFTER_SECONDS }).then(async (r) => ({
              status: r.status,
              text: await r.text(),
            })),
          );
        const n = notifier();
        n.paused = false;
        await n.flush();
        n.paused = true;
      },
      duplicateLast() {
        // Zendesk's redelivery: the same invocation again.
        const last = notifier().sent.at(-1);
        if (last)
          notifier().queue.push({
            invocation_id: last.invocation_id,
            webhook_id: last.webhook_id,
            url: last.url,
            method: last.method,
            body: last.body,
          });
      },
      lose() {
        const n = notifier().queue.length;
        notifier().queue.length = 0;
        return n;
      },
    },
    format: bodyFormatsOf('zendesk'),
    bodies: {
      // The description is the ticket's first comment, kept as it was made.
      description: (id) => ticket(id).comments[0]?.html_body ?? '',
      async comment(id, body) {
        const uploads = pasted.splice(0);
        await ok(
          'comment',
          agent()('PUT', `/api/v2/tickets/${current(id)}`, {
            ticket: { comment: { html_body: body, public: true, ...(uploads.length ? { uploads } : {}) } },
          }),
        );
      },
      comments: (id) => chain(id).flatMap((x) => x.comments.slice(1).map((c) => c.html_body)),
      async pasteImage(_id, fileName, bytes) {
        const up = await agent()<{ upload: { token: string; attachment: { content_url: string } } }>(
          'POST',
          `/api/v2/uploads?filename=${encodeURIComponent(fileName)}`,
          new Uint8Array(bytes),
          // As the agent's browser reaches it: at the account's own address, which its URLs then name.
          { 'content-type': 'image/png', 'x-forwarded-host': new URL(demoZendeskConnection.remote.baseUrl).host },
        );
        if (up.status >= 300) throw new Error(`upload answered ${up.status}: ${up.text.slice(0, 200)}`);
        pasted.push(up.json.upload.token);
        return up.json.upload.attachment.content_url;
      },
    },
    async writesByCrosswalk() {
      const log = (await (await control('/requests', undefined, 'GET')).json()) as Array<{
        method: string;
        user: string;
      }>;
      return log.filter((r) => r.method !== 'GET' && r.user === integration).length;
    },
  };
}

/** The model harness's adapter for this system (test/model/adapters.ts finds it by the registry's kind). */
export const modelAdapter = zendeskAdapter;
