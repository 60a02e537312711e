/**
 * ServiceNow through the Table and Attachment APIs, for one connection's table.
 * Thin by design: values stay ServiceNow's strings; mapping happens elsewhere.
 */
import * as z from 'zod';
import { SyncError } from '../errors';
import { MAX_ANSWER_BYTES, readJson, transientFailure, type HttpQuirks } from '../http';

/**
 * ServiceNow answers 403 both for an ACL (the integration user may not: the credential's problem) and for a data
 * policy the record breaks (a field it requires: the item's problem); an idle instance answers a web page.
 */
export const SERVICENOW_HTTP: HttpQuirks = {
  forbidden: (message) => (/acl|permission|not authori[sz]ed/i.test(message ?? '') ? 'auth' : 'validation'),
  // A developer instance left idle hibernates, and answers its wake-up page until someone signs in.
  webPageMeans: 'hibernating or offline',
};
import { MAX_COMMENTS, MAX_FILES, Pages } from '../paging';
import { createHash } from 'node:crypto';
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
import { encodeQuery, glideDateTime } from './encoded-query';
import { journalToHtml, journalToText } from '../../content/journal';

export type ServiceNowAuth =
  | { kind: 'basic'; username: string; password: string }
  | { kind: 'oauth'; clientId: string; clientSecret: string; username?: string; password?: string };

export interface ServiceNowConnection {
  baseUrl: string;
  table: string;
  auth: ServiceNowAuth;
  /** Injected for tests; Forge's global fetch (egress-checked) otherwise. */
  fetch?: typeof fetch;
  /** Per-request timeout; a hung instance must not eat the invocation's whole budget. */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 30_000;
/** Journal entries asked for per page. */
const JOURNAL_PAGE = 500;
/** Attachment records asked for per page. */
const FILE_PAGE = 500;

const record = z.record(z.string(), z.unknown());
const resultOne = z.object({ result: record });
const resultMany = z.object({ result: z.array(record) });
/** A column read with `sysparm_display_value=all`. */
const shown = z.object({ display_value: z.string().max(1000), value: z.string().max(1000) });
const taskSlas = z.object({
  result: z
    .array(z.object({ sla: shown, stage: shown, has_breached: shown, planned_end_time: shown }).loose())
    .max(MAX_ITEM_SLAS),
});
const tokenAnswer = z.object({ access_token: z.string(), expires_in: z.number() });

/** Parses ServiceNow's UTC `YYYY-MM-DD HH:mm:ss`. */
export function parseGlideDateTime(value: unknown): number {
  return typeof value === 'string' && value ? Date.parse(value.replace(' ', 'T') + 'Z') : 0;
}

export const SERVICENOW_CAPABILITIES: Capabilities = {
  slas: true,
  commentVisibilities: ['public', 'internal'],
  commentEdit: false,
  commentDelete: false,
  commentFormat: 'text',
  descriptionFormat: 'text',
  attachments: { upload: true, delete: true },
  // ServiceNow cuts these silently; the engine predicts the cut so its own write never reads as someone else's change.
  maxLengths: { short_description: 160, correlation_id: 100 },
  userSearch: true,
  versionCountsWrites: true,
  // The Table API reads and writes date-times as `yyyy-MM-dd HH:mm:ss` in UTC (sysparm_display_value=false).
  dateTimeText: {
    format: (ms) => glideDateTime(ms),
    parse: (text) => {
      if (!/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(text)) return undefined;
      const ms = parseGlideDateTime(text);
      return Number.isNaN(ms) ? undefined : ms;
    },
  },
};

/** Incident states as ServiceNow labels them (the choice list of incident.state). */
const STATE_LABELS: Readonly<Record<string, string>> = {
  '1': 'New',
  '2': 'In Progress',
  '3': 'On Hold',
  '6': 'Resolved',
  '7': 'Closed',
  '8': 'Canceled',
};

/** How an HTML field shows an attachment inline: as the instance's own editor writes it, relative to the instance. */
const imageUrlOf = (sysId: string) => `/sys_attachment.do?sys_id=${sysId}`;

/** A dictionary column's kind, from its internal type (a column with a choice list is a choice, whatever it stores; journals are comments, not fields). */
function serviceNowKind(internalType: string, reference: string): RemoteFieldKind {
  switch (internalType) {
    case 'string':
    case 'translated_text':
    case 'email':
    case 'url':
    case 'phone_number_e164':
      return 'text';
    case 'html':
    case 'translated_html':
      return 'rich-text';
    case 'integer':
    case 'decimal':
    case 'float':
    case 'longint':
    case 'currency':
    case 'price':
      return 'number';
    case 'glide_date':
    case 'date':
      return 'date';
    case 'glide_date_time':
    case 'due_date':
      return 'date-time';
    case 'glide_list':
      return 'list';
    case 'reference':
      return reference === 'sys_user' ? 'user' : 'other';
    default:
      return 'other';
  }
}

/**
 * OAuth tokens survive in a warm instance, so they are keyed by everything
 * that identifies the grant, the secrets included (hashed): a token obtained
 * with one connection's secret is never used for another connection or a
 * wrong secret.
 */
const tokens = new Map<string, { token: string; expiresAt: number }>();

/** The column that names a record's parent: the incident's own Parent Incident, else task's generic parent. */
export function parentColumn(table: string): 'parent_incident' | 'parent' {
  return table === 'incident' ? 'parent_incident' : 'parent';
}

export class ServiceNowConnector implements Connector {
  readonly system = 'servicenow' as const;
  readonly capabilities = SERVICENOW_CAPABILITIES;
  readonly ownAuthorId: string | undefined;
  private readonly base: string;
  /** Parent records (`parentRecords`). */
  readonly hierarchy: Hierarchy;

  constructor(private readonly conn: ServiceNowConnection) {
    this.base = conn.baseUrl.replace(/\/+$/, '');
    this.ownAuthorId = conn.auth.username;
    this.hierarchy = this.parentRecords();
  }

  readonly users = {
    idForEmail: async (email: string): Promise<string | undefined> => {
      const q = encodeQuery({
        all: [
          { field: 'email', op: '=', value: email.trim().toLowerCase() },
          { field: 'active', op: '=', value: 'true' },
        ],
      });
      const found = await this.json(
        resultMany,
        `/api/now/table/sys_user?sysparm_limit=1&sysparm_fields=sys_id&sysparm_query=${encodeURIComponent(q)}`,
        { method: 'GET' },
        'Find user',
      );
      return found.result[0] ? String(found.result[0].sys_id) : undefined;
    },
    emailForId: async (id: string): Promise<string | undefined> => {
      try {
        const found = await this.json(
          resultOne,
          `/api/now/table/sys_user/${encodeURIComponent(id)}?sysparm_fields=email`,
          { method: 'GET' },
          'Read user',
        );
        return found.result.email ? String(found.result.email).toLowerCase() : undefined;
      } catch (e) {
        if (e instanceof SyncError && e.kind === 'not-found') return undefined;
        throw e;
      }
    },
    /** Active users whose name, user name or email holds the text (one value, escaped), by name; the id is the sys_id, as `idForEmail` answers. */
    search: async (text: string, limit: number): Promise<RemoteUser[]> => {
      const t = text.trim();
      if (!t) return [];
      const q = encodeQuery({
        all: [
          { field: 'active', op: '=', value: 'true' },
          {
            any: [
              { field: 'name', op: 'LIKE', value: t },
              { field: 'user_name', op: 'LIKE', value: t },
              { field: 'email', op: 'LIKE', value: t },
            ],
          },
        ],
        orderBy: { field: 'name' },
      });
      const found = await this.json(
        resultMany,
        `/api/now/table/sys_user?sysparm_query=${encodeURIComponent(q)}&sysparm_fields=sys_id,name,user_name,email&sysparm_limit=${Math.max(1, Math.min(limit, 50))}`,
        { method: 'GET' },
        'Search users',
      );
      return found.result.flatMap((u) => {
        const id = String(u.sys_id ?? '');
        if (!id) return [];
        const email = u.email ? String(u.email) : '';
        return [{ id, name: String(u.name || u.user_name || id), ...(email ? { email } : {}) }];
      });
    },
  };

  /** Finds a record by what people call it (INC0010001) or by sys_id. */
  async findByDisplayKey(key: string): Promise<Item | undefined> {
    if (/^[0-9a-f]{32}$/.test(key)) return this.getItem(key);
    const q = encodeQuery({ all: [{ field: 'number', op: '=', value: key.trim().toUpperCase() }] });
    const found = await this.json(
      resultMany,
      `${this.tablePath()}&sysparm_limit=1&sysparm_query=${encodeURIComponent(q)}`,
      { method: 'GET' },
      'Find record',
    );
    return found.result[0] ? this.toItem(found.result[0]) : undefined;
  }

  private async authHeader(forceNew = false): Promise<string> {
    const a = this.conn.auth;
    if (a.kind === 'basic') return `Basic ${Buffer.from(`${a.username}:${a.password}`).toString('base64')}`;
    const key = createHash('sha256')
      .update(JSON.stringify([this.base, a.clientId, a.clientSecret, a.username ?? '', a.password ?? '']))
      .digest('hex');
    const cached = tokens.get(key);
    if (!forceNew && cached && cached.expiresAt > Date.now() + 30_000) return `Bearer ${cached.token}`;
    const form = new URLSearchParams({
      client_id: a.clientId,
      client_secret: a.clientSecret,
      ...(a.username && a.password
        ? { grant_type: 'password', username: a.username, password: a.password }
        : { grant_type: 'client_credentials' }),
    });
    const res = await this.raw(
      `${this.base}/oauth_token.do`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: form.toString(),
      },
      'Sign in to ServiceNow',
    );
    const answer = tokenAnswer.safeParse(
      await readJson('servicenow', res, 'Sign in to ServiceNow', MAX_ANSWER_BYTES, SERVICENOW_HTTP),
    );
    if (!answer.success)
      throw new SyncError({ system: 'servicenow', kind: 'auth', message: 'ServiceNow did not return an access token' });
    tokens.set(key, { token: answer.data.access_token, expiresAt: Date.now() + answer.data.expires_in * 1000 });
    return `Bearer ${answer.data.access_token}`;
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
        'servicenow',
        what,
        timedOut ? new Error(`no answer within ${(this.conn.timeoutMs ?? DEFAULT_TIMEOUT_MS) / 1000} s`) : e,
      );
    }
  }

  /** An authenticated API call; an expired OAuth token is renewed once. */
  private async call(path: string, init: RequestInit, what: string): Promise<Response> {
    const send = async (fresh: boolean) =>
      this.raw(
        `${this.base}${path}`,
        {
          ...init,
          headers: {
            accept: 'application/json',
            ...(init.headers as Record<string, string>),
            authorization: await this.authHeader(fresh),
          },
        },
        what,
      );
    const res = await send(false);
    if (res.status === 401 && this.conn.auth.kind === 'oauth') return send(true);
    return res;
  }

  private async json<T>(schema: z.ZodType<T>, path: string, init: RequestInit, what: string): Promise<T> {
    const res = await this.call(path, init, what);
    const parsed = schema.safeParse(await readJson('servicenow', res, what, MAX_ANSWER_BYTES, SERVICENOW_HTTP));
    if (!parsed.success)
      throw new SyncError({
        system: 'servicenow',
        kind: 'transient',
        message: `${what}: unexpected answer from ServiceNow`,
      });
    return parsed.data;
  }

  private toItem(r: Record<string, unknown>): Item {
    const sysId = String(r.sys_id ?? '');
    return {
      id: sysId,
      displayKey: String(r.number ?? sysId),
      url: `${this.base}/nav_to.do?uri=${this.conn.table}.do?sys_id=${sysId}`,
      updatedAt: parseGlideDateTime(r.sys_updated_on),
      ...(typeof r.sys_created_on === 'string' && r.sys_created_on
        ? { createdAt: parseGlideDateTime(r.sys_created_on) }
        : {}),
      version: String(r.sys_mod_count ?? ''),
      fields: r,
      ...(r.correlation_id ? { correlationId: String(r.correlation_id) } : {}),
    };
  }

  private tablePath(id?: string): string {
    return `/api/now/table/${this.conn.table}${id ? `/${encodeURIComponent(id)}` : ''}?sysparm_exclude_reference_link=true`;
  }

  async testConnection(): Promise<
    { ok: true; identity: string; checks: AccessCheck[] } | { ok: false; error: SyncError }
  > {
    try {
      await this.json(
        resultMany,
        `${this.tablePath()}&sysparm_limit=1&sysparm_fields=sys_id`,
        { method: 'GET' },
        'Read one record',
      );
      const table = encodeURIComponent(this.conn.table);
      const one = (path: string, what: string) => () => this.json(resultMany, path, { method: 'GET' }, what);
      // The table itself answered above; what else the sync reads is tried once each (writes are tried by the first sync).
      const checks = await Promise.all([
        probe(
          'Read comments and work notes (sys_journal_field)',
          true,
          one(
            `/api/now/table/sys_journal_field?sysparm_limit=1&sysparm_fields=sys_id&sysparm_query=name%3D${table}`,
            'Read journal entries',
          ),
        ),
        probe(
          'Read attachments (Attachment API)',
          true,
          one(`/api/now/attachment?sysparm_limit=1&sysparm_query=table_name%3D${table}`, 'Read attachments'),
        ),
        probe(
          'Read field history (sys_audit), to tell a change undone from no change',
          false,
          one(
            `/api/now/table/sys_audit?sysparm_limit=1&sysparm_fields=sys_id&sysparm_query=tablename%3D${table}`,
            'Read field history',
          ),
        ),
        probe(
          'Read field definitions (sys_dictionary, sys_choice), for the mapping editor',
          false,
          one(
            `/api/now/table/sys_dictionary?sysparm_limit=1&sysparm_fields=element&sysparm_query=name%3D${table}`,
            'Read field definitions',
          ),
        ),
        probe(
          'Read users (sys_user), to map people by email',
          false,
          one('/api/now/table/sys_user?sysparm_limit=1&sysparm_fields=sys_id', 'Read users'),
        ),
      ]);
      return {
        ok: true,
        identity:
          this.conn.auth.kind === 'basic'
            ? this.conn.auth.username
            : (this.conn.auth.username ?? this.conn.auth.clientId),
        checks: [{ what: `Read ${this.conn.table} records`, ok: true, required: true }, ...checks],
      };
    } catch (e) {
      if (e instanceof SyncError) return { ok: false, error: e };
      throw e;
    }
  }

  async resolvedBy(item: Item): Promise<string | undefined> {
    const id = item.fields.resolved_by;
    if (typeof id !== 'string' || !id) return undefined;
    try {
      const found = await this.json(
        resultOne,
        `/api/now/table/sys_user/${encodeURIComponent(id)}?sysparm_fields=name`,
        { method: 'GET' },
        'Read user',
      );
      return found.result.name ? String(found.result.name) : undefined;
    } catch (e) {
      if (e instanceof SyncError && e.kind === 'not-found') return undefined;
      throw e;
    }
  }

  async getItem(id: string): Promise<Item | undefined> {
    try {
      return this.toItem(
        (await this.json(resultOne, this.tablePath(id), { method: 'GET' }, `Read ${this.conn.table} ${id}`)).result,
      );
    } catch (e) {
      if (e instanceof SyncError && e.kind === 'not-found') return undefined;
      throw e;
    }
  }

  /** By number (INC0010001, or its digits) or words of the short description: the Table API with an encoded query, newest first, whole records. */
  async searchItems(text: string, limit: number): Promise<FoundItem[]> {
    const t = text.trim();
    if (!t) return [];
    const byNumber = /^[A-Za-z]{0,6}\d{3,}$/.test(t);
    const q = encodeQuery({
      all: [
        byNumber
          ? { field: 'number', op: 'LIKE', value: t.toUpperCase() }
          : { field: 'short_description', op: 'LIKE', value: t },
      ],
      orderBy: { field: 'sys_updated_on', descending: true },
    });
    const found = await this.json(
      resultMany,
      `${this.tablePath()}&sysparm_limit=${Math.max(1, Math.min(limit, 20))}&sysparm_query=${encodeURIComponent(q)}`,
      { method: 'GET' },
      `Search ${this.conn.table}`,
    );
    return found.result.map((r) => {
      const item = this.toItem(r);
      const status = this.statusLabel(item);
      return { ...item, title: String(r.short_description ?? ''), ...(status ? { status } : {}) };
    });
  }

  async findByCorrelation(correlationId: string): Promise<Item | undefined> {
    const q = encodeQuery({ all: [{ field: 'correlation_id', op: '=', value: correlationId }] });
    const found = await this.json(
      resultMany,
      `${this.tablePath()}&sysparm_limit=1&sysparm_query=${encodeURIComponent(q)}`,
      { method: 'GET' },
      'Find by correlation id',
    );
    return found.result[0] ? this.toItem(found.result[0]) : undefined;
  }

  async createItem(fields: Readonly<Record<string, unknown>>, correlationId: string): Promise<Item> {
    const body = { ...fields, correlation_id: correlationId, correlation_display: 'Crosswalk' };
    return this.toItem(
      (
        await this.json(
          resultOne,
          this.tablePath(),
          { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) },
          `Create ${this.conn.table}`,
        )
      ).result,
    );
  }

  async updateItem(id: string, fields: Readonly<Record<string, unknown>>): Promise<Item> {
    return this.toItem(
      (
        await this.json(
          resultOne,
          this.tablePath(id),
          { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify(fields) },
          `Update ${this.conn.table} ${id}`,
        )
      ).result,
    );
  }

  /**
   * Parent records: an incident's own Parent Incident (`parent_incident`, a
   * reference to incident, whose children the parent counts in
   * `child_incidents`), and task's `parent` on any other table. Either is a
   * column every read of the record returns (as a bare sys_id, with
   * `sysparm_exclude_reference_link`).
   */
  private parentRecords(): Hierarchy {
    const field = parentColumn(this.conn.table);
    return {
      label: field === 'parent_incident' ? 'Parent Incident' : 'Parent',
      field,
      rules: {
        oneParent: true,
        nested: true,
        // The instance keeps whatever a reference names: nothing there stops a record becoming its own ancestor.
        refusesCycles: false,
        scope: `${this.conn.table} records`,
      },
      parentOf: (item: Item) => {
        const v = item.fields[field];
        return typeof v === 'string' && v ? v : undefined;
      },
      refusal: (child: Item, parent: Item | undefined) =>
        parent && parent.id === child.id ? `${child.displayKey} cannot be its own parent` : undefined,
      setParent: (childId: string, parentId: string | undefined) => this.setParent(field, childId, parentId),
    };
  }

  /**
   * One PATCH of the reference column; a new parent is read first (its sys_id
   * alone), because the Table API stores a reference to a missing record
   * without a word and the child would then name nothing. There is no
   * conditional write: the expected version is not checked.
   */
  private async setParent(field: string, childId: string, parentId: string | undefined): Promise<Item> {
    if (parentId !== undefined) {
      // A 200 is the proof: the record exists and the integration user may read it.
      await this.json(
        resultOne,
        `/api/now/table/${this.conn.table}/${encodeURIComponent(parentId)}?sysparm_fields=sys_id`,
        { method: 'GET' },
        `Read ${this.conn.table} ${parentId}`,
      ).catch((e: unknown) => {
        if (e instanceof SyncError && e.kind === 'not-found')
          throw new SyncError({
            ...e.details,
            message: `The parent ${this.conn.table} record ${parentId} does not exist (or the integration user may not read it)`,
          });
        throw e;
      });
    }
    return this.updateItem(childId, { [field]: parentId ?? '' });
  }

  async markCorrelation(id: string, correlationId: string): Promise<void> {
    await this.updateItem(id, { correlation_id: correlationId, correlation_display: 'Crosswalk' });
  }

  /**
   * The record's task SLAs (Service Level Management's `task_sla`), newest
   * first, in one Table API read: the definition by its name (display
   * values), the stage (the 2011 engine keeps a breached SLA in progress and
   * says so in `has_breached`) and the breach time. Undefined where the
   * integration user may not read them (an ACL: 403) or the instance has no
   * such table (the plugin not active).
   */
  async slaOf(itemId: string): Promise<ItemSla[] | undefined> {
    const q = encodeQuery({
      all: [{ field: 'task', op: '=', value: itemId }],
      orderBy: { field: 'sys_created_on', descending: true },
    });
    let found: z.infer<typeof taskSlas>;
    try {
      found = await this.json(
        taskSlas,
        `/api/now/table/task_sla?sysparm_query=${encodeURIComponent(q)}&sysparm_display_value=all&sysparm_exclude_reference_link=true&sysparm_fields=sla,stage,has_breached,planned_end_time&sysparm_limit=${MAX_ITEM_SLAS}`,
        { method: 'GET' },
        `Read the SLAs of ${this.conn.table} ${itemId}`,
      );
    } catch (e) {
      if (e instanceof SyncError && (e.details.httpStatus === 403 || e.kind === 'not-found')) return undefined;
      throw e;
    }
    return found.result.flatMap((r) => {
      const breached = r.has_breached.value === 'true';
      const stage =
        r.stage.value === 'paused'
          ? 'paused'
          : r.stage.value === 'cancelled'
            ? 'cancelled'
            : r.stage.value === 'breached' || breached
              ? 'breached'
              : r.stage.value === 'achieved'
                ? 'met'
                : 'running';
      const breachAt = parseGlideDateTime(r.planned_end_time.value);
      const sla = itemSlaSchema.safeParse({
        name: r.sla.display_value || 'SLA',
        stage,
        ...(breachAt > 0 ? { breachAt } : {}),
      });
      return sla.success ? [sla.data] : [];
    });
  }

  titleOf(item: Item): string | undefined {
    const title = item.fields.short_description;
    return typeof title === 'string' && title ? title : undefined;
  }

  statusLabel(item: Item): string | undefined {
    const state = item.fields.state;
    return typeof state === 'string' && state ? (STATE_LABELS[state] ?? state) : undefined;
  }

  async listChanged(since: number, cursor?: string): Promise<ChangedItems> {
    const pageSize = 100;
    const offset = Number(cursor ?? 0);
    const q = encodeQuery({
      all: [{ field: 'sys_updated_on', op: '>=', value: glideDateTime(since) }],
      orderBy: { field: 'sys_updated_on' },
    });
    const page = await this.json(
      resultMany,
      `${this.tablePath()}&sysparm_fields=sys_id,sys_updated_on&sysparm_limit=${pageSize}&sysparm_offset=${offset}&sysparm_query=${encodeURIComponent(q)}`,
      { method: 'GET' },
      'List changed records',
    );
    return {
      items: page.result.map((r) => ({ id: String(r.sys_id), updatedAt: parseGlideDateTime(r.sys_updated_on) })),
      ...(page.result.length === pageSize ? { cursor: String(offset + pageSize) } : {}),
    };
  }

  /**
   * From the record's field history (sys_audit): fields changed after `since` by anyone but Crosswalk's user, with
   * when each last changed. History is kept to the second, so a change in the same second as `since` counts (the
   * engine asks only about a field that reads as unchanged). Without read access to sys_audit the answer is empty:
   * the engine then decides by values alone, as before.
   */
  async fieldChangesSince(id: string, since: number): Promise<Map<string, number>> {
    const all = [
      { field: 'tablename', op: '=' as const, value: this.conn.table },
      { field: 'documentkey', op: '=' as const, value: id },
      { field: 'sys_created_on', op: '>=' as const, value: glideDateTime(Math.floor(since / 1000) * 1000) },
      ...(this.ownAuthorId ? [{ field: 'user', op: '!=' as const, value: this.ownAuthorId }] : []),
    ];
    const q = encodeQuery({ all, orderBy: { field: 'sys_created_on' } });
    const out = new Map<string, number>();
    try {
      const page = await this.json(
        resultMany,
        `/api/now/table/sys_audit?sysparm_fields=fieldname,sys_created_on,user&sysparm_limit=1000&sysparm_query=${encodeURIComponent(q)}`,
        { method: 'GET' },
        `Read the history of ${id}`,
      );
      for (const r of page.result) {
        const field = String(r.fieldname ?? '');
        if (field) out.set(field, Math.max(out.get(field) ?? 0, parseGlideDateTime(r.sys_created_on)));
      }
    } catch (e) {
      if (e instanceof SyncError && (e.details.httpStatus === 403 || e.details.httpStatus === 401)) return out;
      throw e;
    }
    return out;
  }

  /**
   * The table's columns from the data dictionary (sys_dictionary, the collection row left out) and their choice
   * lists (sys_choice, active ones, in their order). Without read access to the dictionary the answer is
   * undefined (the admin types names); without access to the choice lists, the columns come without values.
   */
  async describeFields(): Promise<RemoteField[] | undefined> {
    const dictionaryQuery = encodeQuery({
      all: [
        { field: 'name', op: '=', value: this.conn.table },
        { field: 'element', op: 'ISNOTEMPTY' },
      ],
    });
    const choiceQuery = encodeQuery({
      all: [
        { field: 'name', op: '=', value: this.conn.table },
        { field: 'inactive', op: '=', value: 'false' },
      ],
    });
    // 403 is an ACL on these tables; 401 is a bad credential, which fails like any other call.
    const refused = (e: unknown) => e instanceof SyncError && e.details.httpStatus === 403;
    const [dictionary, choices] = await Promise.all([
      this.json(
        resultMany,
        `/api/now/table/sys_dictionary?sysparm_query=${encodeURIComponent(dictionaryQuery)}&sysparm_fields=element,column_label,internal_type,read_only,reference`,
        { method: 'GET' },
        `Read the dictionary of ${this.conn.table}`,
      ).catch((e: unknown) => {
        if (refused(e)) return undefined;
        throw e;
      }),
      this.json(
        resultMany,
        `/api/now/table/sys_choice?sysparm_query=${encodeURIComponent(choiceQuery)}&sysparm_fields=element,value,label,sequence`,
        { method: 'GET' },
        `Read the choice lists of ${this.conn.table}`,
      ).catch((e: unknown) => {
        if (refused(e)) return { result: [] };
        throw e;
      }),
    ]);
    if (!dictionary) return undefined;
    // A reference to the groups is chosen from them (a default assignment group): the active ones, by name.
    const groups = dictionary.result.some((r) => String(r.reference ?? '') === 'sys_user_group')
      ? await this.activeGroups()
      : undefined;
    const valuesOf = new Map<string, Array<{ value: string; label: string; sequence: number }>>();
    for (const c of choices.result) {
      const element = String(c.element ?? '');
      if (!element) continue;
      const list = valuesOf.get(element) ?? [];
      list.push({
        value: String(c.value ?? ''),
        label: String(c.label ?? c.value ?? ''),
        sequence: Number(c.sequence ?? 0) || 0,
      });
      valuesOf.set(element, list);
    }
    const seen = new Set<string>();
    const fields: RemoteField[] = [];
    for (const r of dictionary.result) {
      const id = String(r.element ?? '');
      if (!id || seen.has(id)) continue;
      seen.add(id);
      const values = valuesOf
        .get(id)
        ?.sort((a, b) => a.sequence - b.sequence)
        .map(({ value, label }) => ({ value, label }));
      const kind: RemoteFieldKind = values?.length
        ? 'choice'
        : serviceNowKind(String(r.internal_type ?? ''), String(r.reference ?? ''));
      const listed = String(r.reference ?? '') === 'sys_user_group' ? groups : values;
      const type = String(r.internal_type ?? '');
      fields.push({
        id,
        name: String(r.column_label || id),
        kind,
        ...(kind === 'number' && (type === 'integer' || type === 'longint') ? { precision: 0 } : {}),
        // An HTML column keeps its body as HTML, where the description and journals are plain text.
        ...(kind === 'rich-text' ? { format: 'html' as const } : {}),
        ...(String(r.read_only) === 'true' ? { readOnly: true } : {}),
        ...(listed?.length ? { values: listed } : {}),
      });
    }
    return fields.sort((a, b) => a.name.localeCompare(b.name));
  }

  /** The instance's active groups by name, as a reference to them is chosen (at most 200; none where an ACL hides them). */
  private async activeGroups(): Promise<Array<{ value: string; label: string }>> {
    const q = encodeQuery({ all: [{ field: 'active', op: '=', value: 'true' }], orderBy: { field: 'name' } });
    const page = await this.json(
      resultMany,
      `/api/now/table/sys_user_group?sysparm_fields=sys_id,name&sysparm_limit=200&sysparm_query=${encodeURIComponent(q)}`,
      { method: 'GET' },
      'Read groups',
    ).catch((e: unknown) => {
      if (e instanceof SyncError && e.details.httpStatus === 403) return { result: [] };
      throw e;
    });
    return page.result.map((g) => ({ value: String(g.sys_id), label: String(g.name || g.sys_id) }));
  }

  async listComments(itemId: string): Promise<Comment[]> {
    const q = encodeQuery({
      all: [
        { field: 'element_id', op: '=', value: itemId },
        { field: 'element', op: 'IN', values: ['comments', 'work_notes'] },
      ],
      orderBy: { field: 'sys_created_on' },
    });
    // In pages: without sysparm_limit ServiceNow answers up to 10,000 rows in one body and silently leaves out the rest.
    const pages = new Pages({
      system: 'servicenow',
      what: 'Read journal',
      label: 'ServiceNow',
      maxPages: MAX_COMMENTS / JOURNAL_PAGE,
      why: `Crosswalk reads at most ${MAX_COMMENTS.toLocaleString('en-US')} journal entries, as many comments as a Jira issue holds`,
    });
    const entries: Array<Record<string, unknown>> = [];
    let full: boolean;
    do {
      const page = await this.json(
        resultMany,
        `/api/now/table/sys_journal_field?sysparm_limit=${JOURNAL_PAGE}&sysparm_offset=${entries.length}&sysparm_query=${encodeURIComponent(q)}`,
        { method: 'GET' },
        'Read journal',
      );
      entries.push(...page.result);
      // A full page may have more after it; a shorter one is the end.
      full = page.result.length >= JOURNAL_PAGE;
    } while (pages.more(full ? entries.length : undefined));
    const names = await this.namesOf(entries.map((r) => String(r.sys_created_by ?? '')));
    return entries.map((r) => {
      // An entry may format part of itself ([code]HTML[/code]): such an entry crosses as HTML, with its formatting.
      const value = String(r.value ?? '');
      const html = journalToHtml(value);
      const at = parseGlideDateTime(r.sys_created_on);
      const userName = String(r.sys_created_by ?? '');
      return {
        id: String(r.sys_id),
        ...(html === undefined ? { body: journalToText(value) } : { body: html, format: 'html' as const }),
        visibility: r.element === 'work_notes' ? ('internal' as const) : ('public' as const),
        author: { id: userName, displayName: names.get(userName) ?? userName },
        createdAt: at,
        updatedAt: at,
      };
    });
  }

  /** Journal entries name their author by user name; people should read the person's name. */
  private async namesOf(userNames: readonly string[]): Promise<Map<string, string>> {
    const wanted = [...new Set(userNames.filter(Boolean))];
    if (!wanted.length) return new Map();
    const q = encodeQuery({ all: [{ field: 'user_name', op: 'IN', values: wanted }] });
    const found = await this.json(
      resultMany,
      `/api/now/table/sys_user?sysparm_fields=user_name,name&sysparm_query=${encodeURIComponent(q)}`,
      { method: 'GET' },
      'Read users',
    );
    return new Map(found.result.filter((u) => u.name).map((u) => [String(u.user_name), String(u.name)]));
  }

  async addComment(itemId: string, comment: NewComment): Promise<Comment> {
    const field = comment.visibility === 'internal' ? 'work_notes' : 'comments';
    const text = String(comment.body);
    await this.updateItem(itemId, { [field]: text });
    // The journal entry's id is only known by reading it back: the newest entry we wrote with this text, asked of
    // this journal and, where known, our own entries only (one read; our own name needs no lookup).
    const own = this.ownAuthorId ? [{ field: 'sys_created_by', op: '=' as const, value: this.ownAuthorId }] : [];
    const q = encodeQuery({
      all: [{ field: 'element_id', op: '=', value: itemId }, { field: 'element', op: '=', value: field }, ...own],
      orderBy: { field: 'sys_created_on', descending: true },
    });
    const page = await this.json(
      resultMany,
      `/api/now/table/sys_journal_field?sysparm_limit=20&sysparm_query=${encodeURIComponent(q)}`,
      { method: 'GET' },
      'Read journal',
    );
    const entry = page.result.find((r) => journalToText(String(r.value ?? '')) === journalToText(text));
    if (!entry)
      throw new SyncError({
        system: 'servicenow',
        kind: 'transient',
        message: 'The journal entry was written but could not be read back',
      });
    const at = parseGlideDateTime(entry.sys_created_on);
    const author = String(entry.sys_created_by ?? '');
    return {
      id: String(entry.sys_id),
      body: journalToText(String(entry.value ?? '')),
      visibility: comment.visibility,
      author: { id: author, displayName: author },
      createdAt: at,
      updatedAt: at,
    };
  }

  async listAttachments(itemId: string): Promise<Attachment[]> {
    const q = encodeQuery({
      all: [
        { field: 'table_sys_id', op: '=', value: itemId },
        { field: 'table_name', op: '=', value: this.conn.table },
      ],
    });
    // In pages, as the journal: the attachment API's default page silently leaves out the rest.
    const pages = new Pages({
      system: 'servicenow',
      what: 'List attachments',
      label: 'ServiceNow',
      maxPages: MAX_FILES / FILE_PAGE,
      why: `Crosswalk reads at most ${MAX_FILES.toLocaleString('en-US')} files, as many as a Jira issue holds`,
    });
    const files: Array<Record<string, unknown>> = [];
    let full: boolean;
    do {
      const page = await this.json(
        resultMany,
        `/api/now/attachment?sysparm_limit=${FILE_PAGE}&sysparm_offset=${files.length}&sysparm_query=${encodeURIComponent(q)}`,
        { method: 'GET' },
        'List attachments',
      );
      files.push(...page.result);
      full = page.result.length >= FILE_PAGE;
    } while (pages.more(full ? files.length : undefined));
    return files.map((r) => ({
      id: String(r.sys_id),
      fileName: String(r.file_name),
      contentType: String(r.content_type ?? 'application/octet-stream'),
      size: Number(r.size_bytes ?? 0),
      createdAt: parseGlideDateTime(r.sys_created_on),
      ...(r.sys_created_by ? { authorId: String(r.sys_created_by) } : {}),
      url: imageUrlOf(String(r.sys_id)),
    }));
  }

  imageKey(src: string): string {
    const id = this.attachmentOfImage(src);
    return id ? `sys_attachment:${id}` : src.trim();
  }

  /**
   * An image pasted into an HTML field is an attachment of the record's `ZZ_YY` table (`ZZ_YYincident`), so it is
   * not among the record's files: the file's own record says whose it is, and only this record's own is taken (an
   * image naming another record's file is never copied from it).
   */
  async inlineFile(itemId: string, src: string): Promise<{ id: string; fileName: string } | undefined> {
    const id = this.attachmentOfImage(src);
    if (!id) return undefined;
    const file = await this.json(
      resultOne,
      `/api/now/attachment/${encodeURIComponent(id)}`,
      { method: 'GET' },
      'Read an inline image',
    ).catch((e: unknown) => {
      // Gone, or hidden from the integration user by an ACL: nothing to copy.
      if (e instanceof SyncError && (e.details.httpStatus === 404 || e.details.httpStatus === 403)) return undefined;
      throw e;
    });
    const table = String(file?.result.table_name ?? '');
    if (!file || String(file.result.table_sys_id) !== itemId) return undefined;
    if (table !== this.conn.table && table !== `ZZ_YY${this.conn.table}`) return undefined;
    return { id, fileName: String(file.result.file_name || 'image.png') };
  }

  /** The attachment an image URL of this instance shows (`sys_attachment.do?sys_id=`, relative or absolute). */
  private attachmentOfImage(src: string): string | undefined {
    let url: URL;
    try {
      url = new URL(src.trim(), `${this.base}/`);
    } catch {
      return undefined;
    }
    if (url.origin !== new URL(this.base).origin || !/^\/sys_attachment\.do$/i.test(url.pathname)) return undefined;
    const id = url.searchParams.get('sys_id') ?? '';
    return /^[0-9a-f]{32}$/i.test(id) ? id.toLowerCase() : undefined;
  }

  async downloadAttachment(
    _itemId: string,
    attachmentId: string,
  ): Promise<{ body: ReadableStream<Uint8Array>; size: number; contentType: string }> {
    const res = await this.call(
      `/api/now/attachment/${encodeURIComponent(attachmentId)}/file`,
      { method: 'GET', headers: { accept: '*/*' } },
      'Download attachment',
    );
    if (!res.ok || !res.body) {
      await readJson('servicenow', res, 'Download attachment', MAX_ANSWER_BYTES, SERVICENOW_HTTP);
      throw new SyncError({ system: 'servicenow', kind: 'transient', message: 'Download attachment: empty body' });
    }
    return {
      body: res.body,
      size: Number(res.headers.get('content-length') ?? 0),
      contentType: res.headers.get('content-type') ?? 'application/octet-stream',
    };
  }

  async deleteAttachment(_itemId: string, attachmentId: string): Promise<void> {
    const res = await this.call(
      `/api/now/attachment/${encodeURIComponent(attachmentId)}`,
      { method: 'DELETE', headers: { accept: 'application/json' } },
      'Delete attachment',
    );
    if (res.status === 204 || res.status === 404) return;
    await readJson('servicenow', res, 'Delete attachment', MAX_ANSWER_BYTES, SERVICENOW_HTTP);
  }

  async uploadAttachment(itemId: string, file: NewAttachment): Promise<Attachment> {
    const query = new URLSearchParams({ table_name: this.conn.table, table_sys_id: itemId, file_name: file.fileName });
    const init: RequestInit & { duplex?: 'half' } = {
      method: 'POST',
      headers: { 'content-type': file.contentType },
      body: file.body as BodyInit,
    };
    if (file.body instanceof ReadableStream) init.duplex = 'half';
    const res = await this.json(resultOne, `/api/now/attachment/file?${query.toString()}`, init, 'Upload attachment');
    return {
      id: String(res.result.sys_id),
      fileName: file.fileName,
      contentType: file.contentType,
      size: Number(res.result.size_bytes ?? file.size),
      createdAt: parseGlideDateTime(res.result.sys_created_on),
      ...(this.ownAuthorId ? { authorId: this.ownAuthorId } : {}),
      url: imageUrlOf(String(res.result.sys_id)),
    };
  }
}
