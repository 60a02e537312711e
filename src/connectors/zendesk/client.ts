/**
 * Zendesk Support through the Tickets, Ticket Comments, Uploads, Users,
 * Incremental Export, Webhooks and Triggers APIs, for one account. Thin by
 * design: values stay Zendesk's own (status `open`, tags as an array, people
 * as user ids); mapping happens elsewhere.
 *
 * How Zendesk's particulars meet the contract:
 * - the description is the ticket's first comment and can never change: it is
 *   written once, when Crosswalk creates a ticket, and read as `description`;
 *   a later write of `description` is left out of the update (the engine then
 *   records what Zendesk really holds as the base, so nothing loops), and the
 *   first comment is not listed as a comment (it is the description);
 * - writes are conditional: `updateItem` sends `safe_update` with the ticket's
 *   `updated_at` the engine read (`Item.version`); a stale one answers 409,
 *   which is a `conflict` the worker retries after reading again;
 * - closed tickets refuse every change (422): that failure carries
 *   `details.closed`, and `followUp` makes the follow-up ticket Zendesk offers
 *   instead (`via_followup_source_id`);
 * - files go in two steps: an upload token, then a comment that attaches it.
 */
import * as z from 'zod';
import { SyncError } from '../errors';
import { failureFromResponse, readErrorText, readJson, transientFailure, type HttpAnswer } from '../http';
import { MAX_COMMENTS, Pages } from '../paging';
import { probe } from '../access-checks';
import type {
  AccessCheck,
  Attachment,
  Capabilities,
  ChangedItems,
  Comment,
  Connector,
  FoundItem,
  Hierarchy,
  Item,
  ItemSla,
  NewAttachment,
  NewComment,
  RemoteField,
  RemoteFieldKind,
  RemoteUser,
} from '../ports';
import { itemSlaSchema, MAX_ITEM_SLAS } from '../ports';

export interface ZendeskConnection {
  /** https://{subdomain}.zendesk.com */
  baseUrl: string;
  /** The integration user's email; the API token is account-wide and works with it (`{email}/token:{token}`). */
  email: string;
  apiToken: string;
  /** Whether a change that meets a closed ticket makes a follow-up ticket (else it is reported on the issue). */
  closedTickets: 'follow-up' | 'report';
  /** Injected for tests; Forge's global fetch (egress-checked) otherwise. */
  fetch?: typeof fetch;
  /** Per-request timeout; a hung account must not eat the invocation's whole budget. */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const SYSTEM = 'zendesk';

/** Zendesk's default attachment limit (50 MB on most plans). */
export const ZENDESK_MAX_ATTACHMENT_BYTES = 50 * 1024 * 1024;

export const ZENDESK_CAPABILITIES: Capabilities = {
  slas: true,
  conditionalWrites: true,
  commentVisibilities: ['public', 'internal'],
  // Comments are immutable once written (only redaction exists, which is not an edit).
  commentEdit: false,
  commentDelete: false,
  commentFormat: 'html',
  descriptionFormat: 'html',
  attachments: { upload: true, delete: false, maxBytes: ZENDESK_MAX_ATTACHMENT_BYTES, onlyWithComments: true },
  maxLengths: { external_id: 255 },
  fixedAfterCreate: { description: "a Zendesk ticket's description is its first comment, which cannot be changed" },
  userSearch: true,
};

// ---- remote payloads (zod at the boundary; unknown keys are kept, only what we read is checked)

const customField = z.object({ id: z.number(), value: z.unknown() });
export const ticketSchema = z
  .object({
    id: z.number(),
    subject: z.string().nullable().optional(),
    description: z.string().nullable().optional(),
    status: z.string(),
    priority: z.string().nullable().optional(),
    type: z.string().nullable().optional(),
    tags: z.array(z.string()).default([]),
    external_id: z.string().nullable().optional(),
    assignee_id: z.number().nullable().optional(),
    requester_id: z.number().nullable().optional(),
    group_id: z.number().nullable().optional(),
    due_at: z.string().nullable().optional(),
    custom_fields: z.array(customField).default([]),
    followup_ids: z.array(z.number()).default([]),
    via_followup_source_id: z.number().nullable().optional(),
    problem_id: z.number().nullable().optional(),
    updated_at: z.string(),
    created_at: z.string().optional(),
  })
  .loose();
export type ZendeskTicket = z.infer<typeof ticketSchema>;

const attachmentSchema = z
  .object({
    id: z.number(),
    file_name: z.string(),
    content_url: z.string(),
    content_type: z.string().default('application/octet-stream'),
    size: z.number(),
  })
  .loose();
const commentSchema = z
  .object({
    id: z.number(),
    author_id: z.number(),
    html_body: z.string().default(''),
    body: z.string().default(''),
    public: z.boolean(),
    created_at: z.string(),
    attachments: z.array(attachmentSchema).default([]),
  })
  .loose();
const userSchema = z
  .object({
    id: z.number(),
    name: z.string(),
    email: z.string().nullable().optional(),
    active: z.boolean().optional(),
    role: z.string().optional(),
  })
  .loose();

const oneTicket = z.object({ ticket: ticketSchema });
/** `include=slas`: the ticket's SLA policy metrics (breach_at absent or null while paused and once achieved). */
const ticketSlas = z.object({
  ticket: z
    .object({
      slas: z
        .object({
          policy_metrics: z
            .array(
              z
                .object({
                  breach_at: z.string().max(40).nullable().optional(),
                  stage: z.string().max(40),
                  metric: z.string().max(100),
                })
                .loose(),
            )
            .max(50),
        })
        .loose()
        .nullable()
        .optional(),
    })
    .loose(),
});
/** Zendesk's names of its SLA metrics, as admins read them in the policy editor. */
const METRIC_NAMES: Readonly<Record<string, string>> = {
  first_reply_time: 'First reply time',
  next_reply_time: 'Next reply time',
  periodic_update_time: 'Periodic update',
  pausable_update_time: 'Pausable update',
  requester_wait_time: 'Requester wait time',
  agent_work_time: 'Agent work time',
  total_resolution_time: 'Total resolution time',
};
const manyTickets = z.object({ tickets: z.array(ticketSchema) });
const searchPage = z.object({ results: z.array(ticketSchema.extend({ result_type: z.string().optional() }).loose()) });
const commentPage = z.object({
  comments: z.array(commentSchema),
  meta: z.object({ has_more: z.boolean(), after_cursor: z.string().nullable().optional() }).optional(),
});
const oneUser = z.object({ user: userSchema });
const manyUsers = z.object({ users: z.array(userSchema) });
const uploadAnswer = z.object({ upload: z.object({ token: z.string(), attachment: attachmentSchema }) });
const oneAttachment = z.object({ attachment: attachmentSchema });
const exportPage = z.object({
  tickets: z.array(ticketSchema),
  after_cursor: z.string().nullable().optional(),
  end_of_stream: z.boolean(),
});

const fieldOption = z.object({ name: z.string(), value: z.string() }).loose();
const ticketFieldList = z.object({
  ticket_fields: z.array(
    z
      .object({
        id: z.number(),
        type: z.string(),
        title: z.string(),
        active: z.boolean().optional(),
        agent_can_edit: z.boolean().optional(),
        system_field_options: z.array(fieldOption).nullish(),
        custom_field_options: z.array(fieldOption).nullish(),
      })
      .loose(),
  ),
  next_page: z.string().nullish(),
});
const groupList = z.object({
  groups: z.array(z.object({ id: z.number(), name: z.string(), deleted: z.boolean().optional() }).loose()),
  next_page: z.string().nullish(),
});

export const webhookSchema = z.object({ id: z.string(), endpoint: z.string(), name: z.string() }).loose();
const webhookList = z.object({ webhooks: z.array(webhookSchema) });
const oneWebhook = z.object({ webhook: webhookSchema });
const signingSecret = z.object({ signing_secret: z.object({ secret: z.string() }) });
const triggerSchema = z
  .object({ id: z.number(), title: z.string(), actions: z.array(z.object({ field: z.string(), value: z.unknown() })) })
  .loose();
const triggerList = z.object({ triggers: z.array(triggerSchema), next_page: z.string().nullable().optional() });
const oneTrigger = z.object({ trigger: triggerSchema });

/** Zendesk's error bodies: `{error, description, details: {field: [{description}]}}`. */
const errorBody = z
  .object({
    error: z.unknown().optional(),
    description: z.string().optional(),
    details: z.record(z.string(), z.array(z.object({ description: z.string() }).loose())).optional(),
  })
  .loose();

function zendeskDetails(text: string): { message?: string; closed: boolean; uploadExpired: boolean; field?: string } {
  try {
    const body = errorBody.safeParse(JSON.parse(text));
    if (!body.success) return { closed: false, uploadExpired: false };
    const details = Object.entries(body.data.details ?? {}).flatMap(([field, list]) =>
      list.map((d) => ({ field, description: d.description })),
    );
    const message = details.length
      ? details.map((d) => d.description).join('; ')
      : (body.data.description ?? (typeof body.data.error === 'string' ? body.data.error : undefined));
    return {
      ...(message ? { message } : {}),
      closed:
        details.some((d) => /closed prevents ticket update/i.test(d.description)) || body.data.error === 'ClosedTicket',
      uploadExpired: details.some((d) => /^Uploads?:.*(invalid|expired)/i.test(d.description)),
      ...(details[0] && details[0].field !== 'base' ? { field: details[0].field } : {}),
    };
  } catch {
    return { closed: false, uploadExpired: false };
  }
}

/** A Zendesk failure as a typed SyncError: closed tickets and expired upload tokens are told apart from other refusals. */
export function zendeskFailure(res: HttpAnswer, text: string, what: string): SyncError {
  const base = failureFromResponse(SYSTEM, res, text, what);
  const zd = zendeskDetails(text);
  if (res.status === 403) {
    // Zendesk answers 403 for a role that may not use the endpoint (an agent on admin APIs): the credential's problem.
    return new SyncError({
      ...base.details,
      kind: 'auth',
      message: `${what} failed: HTTP 403 (the integration user's role may not do this)`,
    });
  }
  if (res.status !== 422 || (!zd.closed && !zd.uploadExpired && !zd.message)) return base;
  if (zd.closed)
    return new SyncError({
      ...base.details,
      kind: 'validation',
      closed: true,
      ...(zd.message ? { remoteMessage: zd.message } : {}),
      message: `${what} failed: the ticket is closed, and Zendesk refuses changes to closed tickets`,
    });
  // An upload token that expired before it was attached: uploading again (the next attempt) fixes it.
  if (zd.uploadExpired)
    return new SyncError({
      ...base.details,
      kind: 'transient',
      retryAfterMs: 1000,
      ...(zd.message ? { remoteMessage: zd.message } : {}),
      message: `${what} failed: the upload token expired before the file was attached; uploading again`,
    });
  return new SyncError({
    ...base.details,
    ...(zd.field ? { field: zd.field } : {}),
    ...(zd.message ? { remoteMessage: zd.message } : {}),
    message: `${what} failed: HTTP 422 (${zd.message})`,
  });
}

export const parseZendeskTime = (value: string | null | undefined): number => (value ? Date.parse(value) : 0);

/** Custom fields cross the contract as `custom_<id>`, so a mapping can name one. */
const CUSTOM_PREFIX = 'custom_';

/** Fields the engine may not write through an update: the description is the (immutable) first comment. */
const READ_ONLY = new Set(['description', 'followup_ids', 'via_followup_source_id', 'updated_at', 'created_at', 'id']);

const TICKET_FIELDS = new Set([
  'subject',
  'status',
  'priority',
  'type',
  'tags',
  'external_id',
  'assignee_id',
  'requester_id',
  'group_id',
  'due_at',
]);

const escapeHtml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * Turns the engine's field values (strings, as the mapping writes them) into
 * a Zendesk ticket body: tags become an array, empty enums and people become
 * null, `custom_<id>` becomes a custom_fields entry. Pure, unit-tested.
 */
export function ticketBody(fields: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  const custom: Array<{ id: number; value: unknown }> = [];
  for (const [key, raw] of Object.entries(fields)) {
    if (READ_ONLY.has(key)) continue;
    const customId = key.startsWith(CUSTOM_PREFIX) ? Number(key.slice(CUSTOM_PREFIX.length)) : NaN;
    if (Number.isInteger(customId) && customId > 0) {
      custom.push({ id: customId, value: raw === '' ? null : raw });
      continue;
    }
    if (!TICKET_FIELDS.has(key)) continue;
    if (key === 'tags')
      body.tags = Array.isArray(raw)
        ? raw.map(String)
        : String(raw ?? '')
            .split(/\s+/)
            .filter(Boolean);
    else if (key === 'assignee_id' || key === 'group_id')
      body[key] = raw === '' || raw === null || raw === undefined ? null : Number(raw);
    else if (key === 'requester_id') {
      if (raw !== '' && raw !== null && raw !== undefined) body[key] = Number(raw);
    } else if (key === 'priority' || key === 'type' || key === 'due_at')
      body[key] = raw === '' || raw === null || raw === undefined ? null : String(raw);
    else body[key] = raw === null || raw === undefined ? '' : String(raw);
  }
  if (custom.length) body.custom_fields = custom;
  return body;
}

/** A ticket as the contract's Item: Zendesk's own values, flat, with custom fields as `custom_<id>`. */
export function ticketFields(t: ZendeskTicket): Record<string, unknown> {
  const str = (v: number | null | undefined) => (v === null || v === undefined ? '' : String(v));
  const fields: Record<string, unknown> = {
    subject: t.subject ?? '',
    // Zendesk gives the first comment's plain text; as HTML it reads back through the same sanitiser as comments.
    description: (t.description ?? '')
      .split(/\n{2,}/)
      .map((p) => `<p>${escapeHtml(p).replace(/\n/g, '<br>')}</p>`)
      .join(''),
    status: t.status,
    priority: t.priority ?? '',
    type: t.type ?? '',
    tags: [...t.tags],
    external_id: t.external_id ?? '',
    assignee_id: str(t.assignee_id),
    requester_id: str(t.requester_id),
    group_id: str(t.group_id),
    // Written by a mapping and read back, as any field: a value that never reads back would be written every time.
    due_at: t.due_at ?? '',
    followup_ids: t.followup_ids.map(String),
    // An incident's problem (hierarchy.field): written only through setParent, never by a field mapping.
    problem_id: str(t.problem_id),
  };
  for (const f of t.custom_fields)
    fields[`${CUSTOM_PREFIX}${f.id}`] = f.value === null || f.value === undefined ? '' : f.value;
  return fields;
}

/** The newest open ticket carrying a correlation id (external ids are not unique; a follow-up carries its closed source's). */
export function pickCorrelated(tickets: readonly ZendeskTicket[], correlationId: string): ZendeskTicket | undefined {
  const mine = tickets.filter((t) => t.external_id === correlationId && t.status !== 'deleted');
  return [...mine].sort((a, b) => Number(a.status === 'closed') - Number(b.status === 'closed') || b.id - a.id)[0];
}

/** The user id of an integration email never changes; a warm instance remembers it (keyed by account and email). */
/** A ticket's audits, as far as the field history needs them. */
const auditList = z
  .object({
    audits: z.array(
      z
        .object({
          created_at: z.string(),
          author_id: z.union([z.number(), z.string()]),
          events: z.array(z.object({ type: z.string(), field_name: z.string().nullish() }).loose()),
        })
        .loose(),
    ),
    next_page: z.string().nullish(),
  })
  .loose();

/** System ticket fields by their type in the Ticket Fields API, as the Tickets API (and so a mapping) names them. */
const SYSTEM_FIELD_NAMES: Readonly<Record<string, { id: string; kind: RemoteFieldKind }>> = {
  subject: { id: 'subject', kind: 'text' },
  description: { id: 'description', kind: 'rich-text' },
  status: { id: 'status', kind: 'choice' },
  tickettype: { id: 'type', kind: 'choice' },
  priority: { id: 'priority', kind: 'choice' },
  group: { id: 'group_id', kind: 'choice' },
  assignee: { id: 'assignee_id', kind: 'user' },
};

/** Custom field kinds by type (a dropdown is a choice, a multi-select a list of choices). */
const CUSTOM_FIELD_KINDS: Readonly<Record<string, RemoteFieldKind>> = {
  text: 'text',
  textarea: 'text',
  regexp: 'text',
  tagger: 'choice',
  multiselect: 'list',
  integer: 'number',
  decimal: 'number',
  date: 'date',
};

const ownIds = new Map<string, string>();
/** People's names for comment attribution, per account; bounded so a warm instance cannot grow without limit. */
const names = new Map<string, string>();
const MAX_NAMES = 2000;

export class ZendeskConnector implements Connector {
  readonly system = 'zendesk' as const;
  readonly capabilities = ZENDESK_CAPABILITIES;
  private readonly base: string;
  private ownId: string | undefined;
  /**
   * Our own conditional writes, per ticket: the stamp before and after. A
   * reconcile reads a ticket, then may mark it (markCorrelation) before it
   * updates fields; the update's expected stamp is then the one our own mark
   * left, which is safe only because the mark itself was conditional.
   */
  private readonly ownStamps = new Map<string, { before: string; after: string }>();
  readonly followUp: Connector['followUp'];

  constructor(private readonly conn: ZendeskConnection) {
    this.base = conn.baseUrl.replace(/\/+$/, '');
    this.ownId = ownIds.get(this.ownKey);
    // Only a connection that chose follow-ups offers them; otherwise a closed ticket is reported.
    this.followUp =
      conn.closedTickets === 'follow-up'
        ? (closedId, fields, correlationId) => this.createFollowUp(closedId, fields, correlationId)
        : undefined;
  }

  private get ownKey(): string {
    return `${this.base}|${this.conn.email.toLowerCase()}`;
  }

  /** The integration user's Zendesk id (known once a list or write has run; see `whoAmI`). */
  get ownAuthorId(): string | undefined {
    return this.ownId;
  }

  readonly users = {
    idForEmail: async (email: string): Promise<string | undefined> => {
      const found = await this.json(
        manyUsers,
        `/api/v2/users/search?query=${encodeURIComponent(`email:${email.trim().toLowerCase()}`)}`,
        { method: 'GET' },
        'Find user',
      );
      const hit = found.users.find(
        (u) => (u.email ?? '').toLowerCase() === email.trim().toLowerCase() && u.active !== false,
      );
      return hit ? String(hit.id) : undefined;
    },
    emailForId: async (userId: string): Promise<string | undefined> => {
      try {
        const found = await this.json(
          oneUser,
          `/api/v2/users/${encodeURIComponent(userId)}`,
          { method: 'GET' },
          'Read user',
        );
        return found.user.email ? found.user.email.toLowerCase() : undefined;
      } catch (e) {
        if (e instanceof SyncError && e.kind === 'not-found') return undefined;
        throw e;
      }
    },
    /**
     * Agents and admins (end users cannot be assignees) whose name or email holds the text, by name; the id is the
     * Zendesk user id, as `idForEmail` answers. The text is one quoted phrase (quotes and backslashes dropped), so it
     * cannot add search keywords; each role is its own search, as one query's two `role:` terms would not widen it.
     */
    search: async (text: string, limit: number): Promise<RemoteUser[]> => {
      const phrase = text.replace(/["\\]/g, ' ').replace(/\s+/g, ' ').trim();
      if (!phrase) return [];
      const pages = await Promise.all(
        (['agent', 'admin'] as const).map((role) =>
          this.json(
            manyUsers,
            `/api/v2/users/search?query=${encodeURIComponent(`role:${role} "${phrase}"`)}`,
            { method: 'GET' },
            'Search users',
          ),
        ),
      );
      const seen = new Set<number>();
      return pages
        .flatMap((p) => p.users)
        .filter(
          (u) => (u.role === 'agent' || u.role === 'admin') && u.active !== false && !seen.has(u.id) && seen.add(u.id),
        )
        .sort((a, b) => a.name.localeCompare(b.name))
        .slice(0, Math.max(1, limit))
        .map((u) => ({ id: String(u.id), name: u.name, ...(u.email ? { email: u.email } : {}) }));
    },
  };

  private authHeader(): string {
    return `Basic ${Buffer.from(`${this.conn.email}/token:${this.conn.apiToken}`).toString('base64')}`;
  }

  private async raw(url: string, init: RequestInit, what: string): Promise<Response> {
    try {
      return await (this.conn.fetch ?? fetch)(url, {
        ...init,
        signal: AbortSignal.timeout(this.conn.timeoutMs ?? DEFAULT_TIMEOUT_MS),
      });
    } catch (e) {
      const name = (e as { name?: unknown } | null)?.name;
      const timedOut = name === 'TimeoutError' || name === 'AbortError';
      throw transientFailure(
        SYSTEM,
        what,
        timedOut ? new Error(`no answer within ${(this.conn.timeoutMs ?? DEFAULT_TIMEOUT_MS) / 1000} s`) : e,
      );
    }
  }

  private call(path: string, init: RequestInit, what: string): Promise<Response> {
    // A write may add comments: what was listed before it is not what the ticket holds now.
    if ((init.method ?? 'GET') !== 'GET') this.listed.clear();
    return this.raw(
      `${this.base}${path}`,
      {
        ...init,
        headers: {
          accept: 'application/json',
          ...(init.headers as Record<string, string> | undefined),
          authorization: this.authHeader(),
        },
      },
      what,
    );
  }

  private async json<T>(schema: z.ZodType<T>, path: string, init: RequestInit, what: string): Promise<T> {
    const res = await this.call(path, init, what);
    if (!res.ok) throw zendeskFailure(res, await readErrorText(res), what);
    const parsed = schema.safeParse(await readJson(SYSTEM, res, what));
    if (!parsed.success)
      throw new SyncError({
        system: SYSTEM,
        kind: 'transient',
        message: `${what}: unexpected answer from Zendesk (${parsed.error.issues[0]?.path.join('.') ?? ''} ${parsed.error.issues[0]?.message ?? ''})`,
      });
    return parsed.data;
  }

  /** A call whose answer we do not read (204s). */
  private async send(path: string, init: RequestInit, what: string): Promise<void> {
    const res = await this.call(path, init, what);
    const text = await readErrorText(res);
    if (!res.ok) throw zendeskFailure(res, text, what);
  }

  /** Learns the integration user's id once (cached per account and email for the warm instance). */
  async whoAmI(): Promise<{ id: string; email: string; name: string }> {
    const me = await this.json(oneUser, '/api/v2/users/me', { method: 'GET' }, 'Read the integration user');
    // An anonymous answer (id null in real Zendesk, refused by our schema) never gets here.
    this.ownId = String(me.user.id);
    ownIds.set(this.ownKey, this.ownId);
    return { id: this.ownId, email: me.user.email ?? this.conn.email, name: me.user.name };
  }

  private async ensureOwnId(): Promise<string> {
    return this.ownId ?? (await this.whoAmI()).id;
  }

  private toItem(t: ZendeskTicket): Item {
    return {
      id: String(t.id),
      displayKey: `#${t.id}`,
      url: `${this.base}/agent/tickets/${t.id}`,
      updatedAt: parseZendeskTime(t.updated_at),
      ...(t.created_at ? { createdAt: parseZendeskTime(t.created_at) } : {}),
      version: t.updated_at,
      fields: ticketFields(t),
      ...(t.external_id ? { correlationId: t.external_id } : {}),
    };
  }

  /**
   * The account's ticket fields (`/api/v2/ticket_fields`): system fields under the names the Tickets API uses
   * (`type`, `group_id`, `assignee_id`; status, type and priority with their options, groups from `/groups`),
   * custom fields as `custom_<id>` with their options, plus the tags and requester every ticket has. Inactive
   * fields are left out.
   */
  async describeFields(): Promise<RemoteField[]> {
    const [listed, groups] = await Promise.all([
      this.json(ticketFieldList, '/api/v2/ticket_fields', { method: 'GET' }, 'Read the ticket fields'),
      // Groups are values of group_id; an agent who may not list them still gets the fields.
      this.json(groupList, '/api/v2/groups', { method: 'GET' }, 'Read the groups').catch((e: unknown) => {
        if (e instanceof SyncError && e.kind === 'auth') return { groups: [] };
        throw e;
      }),
    ]);
    const fields: RemoteField[] = [
      { id: 'tags', name: 'Tags', kind: 'list' },
      // Only task tickets have one; Zendesk keeps it as an ISO 8601 date-time.
      { id: 'due_at', name: 'Due date', kind: 'date-time' },
      { id: 'requester_id', name: 'Requester', kind: 'user' },
    ];
    for (const f of listed.ticket_fields) {
      if (f.active === false) continue;
      const system = SYSTEM_FIELD_NAMES[f.type];
      if (system) {
        const options =
          f.type === 'group'
            ? groups.groups.filter((g) => !g.deleted).map((g) => ({ value: String(g.id), label: g.name }))
            : (f.system_field_options ?? []).map((o) => ({ value: o.value, label: o.name }));
        fields.push({
          id: system.id,
          name: f.title,
          kind: system.kind === 'choice' && !options.length ? 'other' : system.kind,
          ...(f.agent_can_edit === false ? { readOnly: true } : {}),
          ...(options.length ? { values: options } : {}),
        });
        continue;
      }
      if (f.system_field_options || !/^[a-z_]+$/.test(f.type) || ['custom_status', 'requester'].includes(f.type))
        continue;
      const options = (f.custom_field_options ?? []).map((o) => ({ value: o.value, label: o.name }));
      fields.push({
        id: `${CUSTOM_PREFIX}${f.id}`,
        name: f.title,
        kind: CUSTOM_FIELD_KINDS[f.type] ?? 'other',
        ...(f.type === 'integer' ? { precision: 0 } : {}),
        ...(f.agent_can_edit === false ? { readOnly: true } : {}),
        ...(options.length ? { values: options } : {}),
      });
    }
    return fields.sort((a, b) => a.name.localeCompare(b.name));
  }

  async testConnection(): Promise<
    { ok: true; identity: string; checks: AccessCheck[] } | { ok: false; error: SyncError }
  > {
    try {
      const me = await this.json(oneUser, '/api/v2/users/me', { method: 'GET' }, 'Read the integration user');
      const role = me.user.role ?? 'unknown';
      const checks: AccessCheck[] = [
        // Only agents and admins may read and change tickets, and private comments.
        {
          what: 'Sign in as an agent or admin',
          ok: role === 'agent' || role === 'admin',
          required: true,
          ...(role === 'agent' || role === 'admin'
            ? {}
            : { detail: `the user is ${role === 'end-user' ? 'an end user' : `a ${role}`}` }),
        },
        ...(await Promise.all([
          probe('Read tickets changed lately (incremental export), for the sweep', true, () =>
            this.listChanged(Date.now() - 120_000),
          ),
          probe('Manage webhooks and triggers, for change notifications', true, () =>
            this.json(webhookList, '/api/v2/webhooks', { method: 'GET' }, 'List webhooks'),
          ),
        ])),
      ];
      return { ok: true, identity: me.user.email ?? this.conn.email, checks };
    } catch (e) {
      if (e instanceof SyncError) return { ok: false, error: e };
      throw e;
    }
  }

  async getItem(itemId: string): Promise<Item | undefined> {
    if (!/^\d+$/.test(itemId)) return undefined;
    try {
      return this.toItem(
        (await this.json(oneTicket, `/api/v2/tickets/${itemId}`, { method: 'GET' }, `Read ticket #${itemId}`)).ticket,
      );
    } catch (e) {
      if (e instanceof SyncError && e.kind === 'not-found') return undefined;
      throw e;
    }
  }

  async findByDisplayKey(key: string): Promise<Item | undefined> {
    const m = /^#?\s*(\d+)$/.exec(key.trim());
    return m ? this.getItem(m[1]!) : undefined;
  }

  /**
   * By number (#981 or 981), or words through the Search API (`type:ticket`
   * and the words as one quoted phrase, so they never read as search
   * operators), most recently updated first.
   */
  async searchItems(text: string, limit: number): Promise<FoundItem[]> {
    const t = text.trim();
    if (!t) return [];
    const found = (i: Item, subject: unknown): FoundItem => {
      const status = this.statusLabel(i);
      return { ...i, title: typeof subject === 'string' ? subject : '', ...(status ? { status } : {}) };
    };
    if (/^#?\s*\d+$/.test(t)) {
      const item = await this.findByDisplayKey(t);
      return item ? [found(item, item.fields.subject)] : [];
    }
    const phrase = t.replace(/["\\]/g, ' ').replace(/\s+/g, ' ').trim();
    if (!phrase) return [];
    const query = `type:ticket "${phrase}"`;
    const page = await this.json(
      searchPage,
      `/api/v2/search.json?query=${encodeURIComponent(query)}&sort_by=updated_at&sort_order=desc&per_page=${Math.max(1, Math.min(limit, 20))}`,
      { method: 'GET' },
      'Search tickets',
    );
    return page.results.slice(0, limit).map((r) => found(this.toItem(r), r.subject));
  }

  async findByCorrelation(correlationId: string): Promise<Item | undefined> {
    const found = await this.json(
      manyTickets,
      `/api/v2/tickets?external_id=${encodeURIComponent(correlationId)}`,
      { method: 'GET' },
      'Find by external id',
    );
    const hit = pickCorrelated(found.tickets, correlationId);
    return hit ? this.toItem(hit) : undefined;
  }

  /** The description becomes the first comment (public, as Zendesk's description is what the requester sees). */
  private openingComment(
    fields: Readonly<Record<string, unknown>>,
    fallback: string,
  ): { html_body: string; public: boolean } {
    const html = typeof fields.description === 'string' ? fields.description.trim() : '';
    return { html_body: html && html !== '<p></p>' ? html : `<p>${escapeHtml(fallback)}</p>`, public: true };
  }

  async createItem(fields: Readonly<Record<string, unknown>>, correlationId: string): Promise<Item> {
    const subject = String(fields.subject ?? '').trim();
    const ticket = {
      ...ticketBody(fields),
      external_id: correlationId,
      comment: this.openingComment(fields, subject || 'Created from Jira by Crosswalk'),
    };
    const made = await this.json(
      oneTicket,
      '/api/v2/tickets',
      { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ticket }) },
      'Create ticket',
    );
    return this.toItem(made.ticket);
  }

  async updateItem(itemId: string, fields: Readonly<Record<string, unknown>>, expectedVersion?: string): Promise<Item> {
    const body = ticketBody(fields);
    if (!Object.keys(body).length) {
      // Only read-only fields (the description): nothing Zendesk would take, so the item stays as it is.
      const current = await this.getItem(itemId);
      if (!current)
        throw new SyncError({ system: SYSTEM, kind: 'not-found', message: `Ticket #${itemId} no longer exists` });
      return current;
    }
    return this.put(itemId, body, expectedVersion);
  }

  /** One conditional PUT of the ticket (`safe_update` with the stamp the caller read, or our own write's after it). */
  private async put(itemId: string, body: Readonly<Record<string, unknown>>, expectedVersion?: string): Promise<Item> {
    const own = this.ownStamps.get(itemId);
    const stamp = own && own.before === expectedVersion ? own.after : expectedVersion;
    const ticket = { ...body, ...(stamp ? { safe_update: true, updated_stamp: stamp } : {}) };
    const done = await this.json(
      oneTicket,
      `/api/v2/tickets/${itemId}`,
      { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ticket }) },
      `Update ticket #${itemId}`,
    );
    if (stamp) this.ownStamps.set(itemId, { before: stamp, after: done.ticket.updated_at });
    return this.toItem(done.ticket);
  }

  /**
   * Problems and incidents: an incident names its problem in `problem_id`,
   * which every ticket read returns. Only a ticket of type problem can be a
   * parent and only an incident a child, so the relation is one level deep.
   * The connector never changes a ticket's type to make a link fit: the type
   * may be a mapped field, and the refusal says why the link cannot be made.
   */
  readonly hierarchy: Hierarchy = {
    label: 'Problem',
    field: 'problem_id',
    rules: {
      oneParent: true,
      typeField: 'type',
      parentTypes: ['problem'],
      childTypes: ['incident'],
      nested: false,
      refusesCycles: true,
      scope: 'tickets of the account',
    },
    parentOf: (item) => {
      const v = item.fields.problem_id;
      return (typeof v === 'string' || typeof v === 'number') && String(v) ? String(v) : undefined;
    },
    refusal: (child, parent) => {
      if (!parent) return undefined;
      if (parent.id === child.id) return `${child.displayKey} cannot be its own problem`;
      const kind = (item: Item) => (typeof item.fields.type === 'string' && item.fields.type) || 'ticket with no type';
      if (child.fields.type !== 'incident')
        return `In Zendesk only an incident is linked to a problem; ${child.displayKey} is a ${kind(child)}`;
      if (parent.fields.type !== 'problem')
        return `In Zendesk only a problem ticket has incidents; ${parent.displayKey} is a ${kind(parent)}`;
      return undefined;
    },
    // One PUT; a problem_id Zendesk will not keep is refused by it with 422 on problem_id (validation).
    setParent: async (childId, parentId, expectedVersion) => {
      if (parentId !== undefined && !/^\d+$/.test(parentId))
        throw new SyncError({ system: SYSTEM, kind: 'validation', message: `'${parentId}' is not a ticket number` });
      return this.put(childId, { problem_id: parentId === undefined ? null : Number(parentId) }, expectedVersion);
    },
  };

  async markCorrelation(itemId: string, correlationId: string): Promise<void> {
    const current = await this.getItem(itemId);
    if (!current)
      throw new SyncError({ system: SYSTEM, kind: 'not-found', message: `Ticket #${itemId} no longer exists` });
    // A closed ticket takes no marker (it refuses every change); the link itself records the pair.
    if (current.correlationId === correlationId || current.fields.status === 'closed') return;
    await this.updateItem(itemId, { external_id: correlationId }, current.version);
  }

  titleOf(item: Item): string | undefined {
    const subject = item.fields.subject;
    return typeof subject === 'string' && subject ? subject : undefined;
  }

  /**
   * The ticket's SLA policy metrics, through the `include=slas` side-load of
   * one ticket read: each by its metric's name, active ones with when they
   * breach (breached once that is past), paused, or achieved (met). Undefined
   * when the integration user may not read the ticket (403) or it is gone.
   */
  async slaOf(itemId: string): Promise<ItemSla[] | undefined> {
    if (!/^\d+$/.test(itemId)) return undefined;
    let found: z.infer<typeof ticketSlas>;
    try {
      found = await this.json(
        ticketSlas,
        `/api/v2/tickets/${itemId}?include=slas`,
        { method: 'GET' },
        `Read the SLAs of ticket #${itemId}`,
      );
    } catch (e) {
      if (e instanceof SyncError && (e.details.httpStatus === 403 || e.kind === 'not-found')) return undefined;
      throw e;
    }
    const metrics = found.ticket.slas?.policy_metrics;
    if (!metrics) return undefined;
    const now = Date.now();
    return metrics.slice(0, MAX_ITEM_SLAS).flatMap((m) => {
      const breachAt = m.breach_at ? Date.parse(m.breach_at) : NaN;
      const stage =
        m.stage === 'achieved'
          ? 'met'
          : m.stage === 'paused'
            ? 'paused'
            : Number.isFinite(breachAt) && breachAt <= now
              ? 'breached'
              : 'running';
      const sla = itemSlaSchema.safeParse({
        name: METRIC_NAMES[m.metric] ?? m.metric.replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase()),
        stage,
        ...(Number.isFinite(breachAt) && breachAt >= 0 ? { breachAt } : {}),
      });
      return sla.success ? [sla.data] : [];
    });
  }

  statusLabel(item: Item): string | undefined {
    const status = item.fields.status;
    return typeof status === 'string' && status ? status.charAt(0).toUpperCase() + status.slice(1) : undefined;
  }

  /**
   * Changed tickets through the cursor-based incremental export, not search:
   * the export sees every change (deletions too) in change order and has no
   * index lag, at the price of its own limit (10 requests a minute) and of
   * `start_time` having to be at least a minute old. The five-minute sweep
   * looks back further than that anyway; a tighter `since` is moved back.
   */
  async listChanged(since: number, cursor?: string): Promise<ChangedItems> {
    const startTime = Math.min(Math.floor(since / 1000), Math.floor(Date.now() / 1000) - 61);
    const query = cursor ? `cursor=${encodeURIComponent(cursor)}` : `start_time=${Math.max(0, startTime)}`;
    const page = await this.json(
      exportPage,
      `/api/v2/incremental/tickets/cursor?${query}&per_page=100`,
      { method: 'GET' },
      'List changed tickets',
    );
    const items = page.tickets
      .filter((t) => t.status !== 'deleted')
      .map((t) => ({ id: String(t.id), updatedAt: parseZendeskTime(t.updated_at) }));
    return { items, ...(!page.end_of_stream && page.after_cursor ? { cursor: page.after_cursor } : {}) };
  }

  /** Every comment, oldest first, through cursor pagination. */
  /**
   * Every comment of a ticket, the description (its first) included: listed once
   * per connector (one reconcile) until a write, as comments and files both come
   * from this list.
   */
  private allComments(itemId: string): Promise<Array<z.infer<typeof commentSchema>>> {
    const listing = this.listed.get(itemId) ?? this.listComments_(itemId);
    this.listed.set(itemId, listing);
    listing.catch(() => this.listed.delete(itemId));
    return listing;
  }

  private readonly listed = new Map<string, Promise<Array<z.infer<typeof commentSchema>>>>();

  /** The ticket's newest comment as this connector last listed it (the description counts): a notification naming it brought no new comment, nor files (they come only with comments). */
  async newestCommentListed(itemId: string): Promise<string | undefined> {
    const listing = this.listed.get(itemId);
    const comments = listing ? await listing.catch(() => undefined) : undefined;
    const last = comments?.at(-1);
    return last ? String(last.id) : undefined;
  }

  private async listComments_(itemId: string): Promise<Array<z.infer<typeof commentSchema>>> {
    const out: Array<z.infer<typeof commentSchema>> = [];
    const what = `Read comments of #${itemId}`;
    // Zendesk keeps at most 5,000 comments on a ticket: past that many pages the listing is broken, not long.
    const pages = new Pages({
      system: SYSTEM,
      what,
      label: 'Zendesk',
      maxPages: MAX_COMMENTS / 100,
      why: `Crosswalk reads at most ${MAX_COMMENTS.toLocaleString('en-US')} comments, as many as a ticket holds`,
    });
    let after: string | undefined;
    do {
      const answer = await this.json(
        commentPage,
        `/api/v2/tickets/${itemId}/comments?page[size]=100${after ? `&page[after]=${encodeURIComponent(after)}` : ''}`,
        { method: 'GET' },
        what,
      );
      out.push(...answer.comments);
      after = answer.meta?.has_more ? (answer.meta.after_cursor ?? undefined) : undefined;
    } while (pages.more(after));
    return out;
  }

  /**
   * From the ticket's audits: fields changed after `since` by anyone but Crosswalk's user, with when each last
   * changed. Audit times are to the second, so a change in the same second as `since` counts (the engine asks only
   * about a field that reads as unchanged).
   */
  async fieldChangesSince(id: string, since: number): Promise<Map<string, number>> {
    const own = await this.ensureOwnId();
    const from = Math.floor(since / 1000) * 1000;
    const out = new Map<string, number>();
    let path: string | undefined = `/api/v2/tickets/${encodeURIComponent(id)}/audits.json`;
    for (let pages = 0; path && pages < 20; pages++) {
      const page: z.infer<typeof auditList> = await this.json(
        auditList,
        path,
        { method: 'GET' },
        `Read the history of ticket #${id}`,
      );
      for (const audit of page.audits) {
        const at = parseZendeskTime(audit.created_at);
        if (at < from || String(audit.author_id) === own) continue;
        for (const e of audit.events)
          if (e.type === 'Change' && e.field_name) out.set(e.field_name, Math.max(out.get(e.field_name) ?? 0, at));
      }
      path = page.next_page ? new URL(page.next_page).pathname + new URL(page.next_page).search : undefined;
    }
    return out;
  }

  async listComments(itemId: string): Promise<Comment[]> {
    await this.ensureOwnId();
    // The first comment is the description: it crosses as the description field, not as a comment.
    const comments = (await this.allComments(itemId)).slice(1);
    const people = await this.namesOf(comments.map((c) => String(c.author_id)));
    return comments.map((c) => {
      const at = parseZendeskTime(c.created_at);
      const authorId = String(c.author_id);
      return {
        id: String(c.id),
        body: c.html_body,
        visibility: c.public ? ('public' as const) : ('internal' as const),
        author: { id: authorId, displayName: people.get(authorId) ?? `Zendesk user ${authorId}` },
        createdAt: at,
        updatedAt: at,
      };
    });
  }

  /** Names of comment authors (for attribution in Jira); ours are never needed, so never looked up. */
  private async namesOf(userIds: readonly string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (const userId of new Set(userIds)) {
      if (userId === this.ownId) continue;
      const key = `${this.base}|${userId}`;
      let name = names.get(key);
      if (name === undefined) {
        try {
          name = (await this.json(oneUser, `/api/v2/users/${userId}`, { method: 'GET' }, 'Read user')).user.name;
        } catch (e) {
          if (!(e instanceof SyncError && e.kind === 'not-found')) throw e;
          name = `Zendesk user ${userId}`;
        }
        if (names.size >= MAX_NAMES) names.clear();
        names.set(key, name);
      }
      out.set(userId, name);
    }
    return out;
  }

  async addComment(itemId: string, comment: NewComment): Promise<Comment> {
    const own = await this.ensureOwnId();
    const html = String(comment.body);
    const isPublic = comment.visibility === 'public';
    await this.json(
      oneTicket,
      `/api/v2/tickets/${itemId}`,
      {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ticket: { comment: { html_body: html, public: isPublic } } }),
      },
      `Comment on #${itemId}`,
    );
    // The comment's id is only known by reading it back: our newest comment with this visibility and body.
    const newest = await this.json(
      commentPage,
      `/api/v2/tickets/${itemId}/comments?page[size]=20&sort=-created_at`,
      { method: 'GET' },
      `Read comments of #${itemId}`,
    );
    const written =
      newest.comments.find((c) => String(c.author_id) === own && c.public === isPublic && c.html_body === html) ??
      newest.comments.find((c) => String(c.author_id) === own && c.public === isPublic);
    if (!written)
      throw new SyncError({
        system: SYSTEM,
        kind: 'transient',
        message: 'The comment was written but could not be read back',
      });
    const at = parseZendeskTime(written.created_at);
    return {
      id: String(written.id),
      body: written.html_body,
      visibility: comment.visibility,
      author: { id: own, displayName: 'Crosswalk' },
      createdAt: at,
      updatedAt: at,
    };
  }

  async listAttachments(itemId: string): Promise<Attachment[]> {
    await this.ensureOwnId();
    // Files live on comments, the first (description) comment's included.
    return (await this.allComments(itemId)).flatMap((c) =>
      c.attachments.map((a) => ({
        id: String(a.id),
        fileName: a.file_name,
        contentType: a.content_type,
        size: a.size,
        createdAt: parseZendeskTime(c.created_at),
        authorId: String(c.author_id),
        // A comment shows an inline image by this URL.
        url: a.content_url,
      })),
    );
  }

  async downloadAttachment(
    _itemId: string,
    attachmentId: string,
  ): Promise<{ body: ReadableStream<Uint8Array>; size: number; contentType: string }> {
    const meta = (
      await this.json(
        oneAttachment,
        `/api/v2/attachments/${encodeURIComponent(attachmentId)}`,
        { method: 'GET' },
        'Read attachment',
      )
    ).attachment;
    let url: URL;
    try {
      url = new URL(meta.content_url);
    } catch {
      throw new SyncError({
        system: SYSTEM,
        kind: 'validation',
        message: `Attachment ${attachmentId} has no usable content URL`,
      });
    }
    // Credentials go only to the account's own host, never to wherever a content URL points.
    const sameHost = url.origin === new URL(this.base).origin;
    if (url.protocol !== 'https:' && !sameHost)
      throw new SyncError({
        system: SYSTEM,
        kind: 'validation',
        message: `Attachment ${attachmentId} is not served over https`,
      });
    const res = await this.raw(
      url.toString(),
      { method: 'GET', headers: { accept: '*/*', ...(sameHost ? { authorization: this.authHeader() } : {}) } },
      'Download attachment',
    );
    if (!res.ok || !res.body) {
      const text = await readErrorText(res);
      if (!res.ok) throw zendeskFailure(res, text, 'Download attachment');
      throw new SyncError({ system: SYSTEM, kind: 'transient', message: 'Download attachment: empty body' });
    }
    return {
      body: res.body,
      size: Number(res.headers.get('content-length') ?? meta.size),
      contentType: res.headers.get('content-type') ?? meta.content_type,
    };
  }

  /**
   * Two steps: the bytes go to /uploads (streamed) for a token, then a private
   * comment attaches it (a file's visibility is never widened). A token that
   * expired in between is a transient failure: the next attempt downloads and
   * uploads again, since the body is streamed, not kept.
   */
  async uploadAttachment(itemId: string, file: NewAttachment): Promise<Attachment> {
    const own = await this.ensureOwnId();
    const init: RequestInit & { duplex?: 'half' } = {
      method: 'POST',
      headers: {
        'content-type': file.contentType || 'application/octet-stream',
        ...(file.size ? { 'content-length': String(file.size) } : {}),
      },
      body: file.body as BodyInit,
    };
    if (file.body instanceof ReadableStream) init.duplex = 'half';
    const upload = (
      await this.json(
        uploadAnswer,
        `/api/v2/uploads?filename=${encodeURIComponent(file.fileName)}`,
        init,
        `Upload ${file.fileName}`,
      )
    ).upload;
    const comment = {
      html_body: `<p>${escapeHtml(`File from Jira: ${file.fileName}`)}</p>`,
      public: false,
      uploads: [upload.token],
    };
    await this.json(
      oneTicket,
      `/api/v2/tickets/${itemId}`,
      { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ticket: { comment } }) },
      `Attach ${file.fileName} to #${itemId}`,
    );
    return {
      id: String(upload.attachment.id),
      fileName: upload.attachment.file_name,
      contentType: upload.attachment.content_type,
      size: upload.attachment.size,
      createdAt: Date.now(),
      authorId: own,
      url: upload.attachment.content_url,
    };
  }

  /**
   * The follow-up Zendesk offers for a closed ticket, made once: a retry after
   * a crash finds the follow-up it made among the closed ticket's follow-ups
   * (it carries the same external id) instead of making a second one.
   */
  private async createFollowUp(
    closedId: string,
    fields: Readonly<Record<string, unknown>>,
    correlationId: string,
  ): Promise<Item> {
    const closed = (
      await this.json(oneTicket, `/api/v2/tickets/${closedId}`, { method: 'GET' }, `Read ticket #${closedId}`)
    ).ticket;
    if (closed.followup_ids.length) {
      const known = await this.json(
        manyTickets,
        `/api/v2/tickets/show_many?ids=${closed.followup_ids.slice(-100).join(',')}`,
        { method: 'GET' },
        'Read follow-ups',
      );
      const mine = pickCorrelated(known.tickets, correlationId);
      if (mine && mine.status !== 'closed') return this.toItem(mine);
    }
    const subject = String(fields.subject ?? closed.subject ?? '').trim();
    const description = typeof fields.description === 'string' ? fields.description : '';
    const opening = `<p>${escapeHtml(`Follow-up to closed ticket #${closedId}, continued from Jira by Crosswalk.`)}</p>${description}`;
    const ticket = {
      ...ticketBody(fields),
      subject,
      external_id: correlationId,
      via_followup_source_id: Number(closedId),
      comment: { html_body: opening, public: true },
    };
    const made = await this.json(
      oneTicket,
      '/api/v2/tickets',
      { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ticket }) },
      `Create a follow-up to #${closedId}`,
    );
    return this.toItem(made.ticket);
  }

  // ---- change push (webhook + trigger), used by the registry entry

  async listWebhooks(): Promise<Array<z.infer<typeof webhookSchema>>> {
    return (await this.json(webhookList, '/api/v2/webhooks', { method: 'GET' }, 'List webhooks')).webhooks;
  }

  async createWebhook(webhook: { name: string; endpoint: string }): Promise<string> {
    const body = {
      webhook: {
        ...webhook,
        http_method: 'POST',
        request_format: 'json',
        status: 'active',
        subscriptions: ['conditional_ticket_events'],
      },
    };
    return (
      await this.json(
        oneWebhook,
        '/api/v2/webhooks',
        { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) },
        'Create webhook',
      )
    ).webhook.id;
  }

  async webhookSecret(webhookId: string): Promise<string> {
    return (
      await this.json(
        signingSecret,
        `/api/v2/webhooks/${encodeURIComponent(webhookId)}/signing_secret`,
        { method: 'GET' },
        'Read the webhook signing secret',
      )
    ).signing_secret.secret;
  }

  async deleteWebhook(webhookId: string): Promise<void> {
    await this.send(`/api/v2/webhooks/${encodeURIComponent(webhookId)}`, { method: 'DELETE' }, 'Delete webhook');
  }

  async listTriggers(): Promise<Array<z.infer<typeof triggerSchema>>> {
    const out: Array<z.infer<typeof triggerSchema>> = [];
    for (let page = 1; page <= 20; page++) {
      const answer = await this.json(
        triggerList,
        `/api/v2/triggers?page=${page}&per_page=100`,
        { method: 'GET' },
        'List triggers',
      );
      out.push(...answer.triggers);
      if (!answer.next_page) break;
    }
    return out;
  }

  async createTrigger(trigger: Record<string, unknown>): Promise<number> {
    return (
      await this.json(
        oneTrigger,
        '/api/v2/triggers',
        { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ trigger }) },
        'Create trigger',
      )
    ).trigger.id;
  }

  async updateTrigger(triggerId: number, trigger: Record<string, unknown>): Promise<void> {
    await this.json(
      oneTrigger,
      `/api/v2/triggers/${triggerId}`,
      { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ trigger }) },
      'Update trigger',
    );
  }

  async deleteTrigger(triggerId: number): Promise<void> {
    await this.send(`/api/v2/triggers/${triggerId}`, { method: 'DELETE' }, 'Delete trigger');
  }
}
