/**
 * Freshservice (API v2) tickets for one account, optionally one workspace.
 * Thin by design: values stay Freshservice's own (status "2", people and
 * groups by id, tags as an array; see fields.ts); mapping happens elsewhere.
 *
 * How Freshservice's particulars meet the contract:
 * - writes are not conditional (no ETag, no version, §2.6): the engine reads
 *   before it writes;
 * - a public Jira comment is a reply (Freshservice emails it to the
 *   requester), an internal one a private note; only notes can be edited, so
 *   editing a reply is refused with the reason (`REPLY_EDIT_REFUSED`);
 * - files travel inline, as `attachments[]` parts of a private note, so a file
 *   never emails the requester, and count against 40 MB per ticket;
 * - Crosswalk's correlation marker lives in a custom text field the admin
 *   names; see `findByCorrelation` for why the filter API alone is not trusted.
 */
import { SyncError } from '../errors';
import { Pages, MAX_COMMENTS } from '../paging';
import { limitBytes } from '../byte-limit';
import { probe } from '../access-checks';
import type {
  AccessCheck,
  Attachment,
  Capabilities,
  ChangedItems,
  Comment,
  Connector,
  FoundItem,
  Item,
  NewAttachment,
  NewComment,
  RemoteField,
  RemoteUser,
} from '../ports';
import { correlationOf, STATUS_NAMES, ticketBody, ticketFields } from './fields';
import { FreshserviceHttp, SYSTEM, freshserviceFailure } from './http';
import { readErrorText } from '../http';
import { describeFormFields, statusNamesOf } from './form-fields';
import {
  attachmentSchema,
  conversationList,
  formFieldList,
  manyTickets,
  oneConversation,
  oneTicket,
  parseFreshserviceTime,
  type FreshserviceConversation,
  type FreshserviceTicket,
} from './wire';
import { PersonDirectory } from './people';
import { isReply, toComment, REPLY_EDIT_REFUSED } from './conversations';

/** Freshservice's attachment limit: 40 MB for all of one ticket's files (§2.4). */
export const FRESHSERVICE_MAX_ATTACHMENT_BYTES = 40 * 1024 * 1024;

export const FRESHSERVICE_CAPABILITIES: Capabilities = {
  commentVisibilities: ['public', 'internal'],
  // Notes can be edited, replies cannot: the contract has no "per comment", so a reply's edit is refused as validation.
  commentEdit: true,
  // Internal comments are notes, which can be edited; public ones are replies, which cannot.
  commentEditVisibilities: ['internal'],
  commentDelete: true,
  commentFormat: 'html',
  descriptionFormat: 'html',
  attachments: { upload: true, delete: true, maxBytes: FRESHSERVICE_MAX_ATTACHMENT_BYTES },
  maxLengths: {},
  conditionalWrites: false,
  userSearch: true,
};

export interface FreshserviceConnection {
  /** https://<domain>.freshservice.com */
  baseUrl: string;
  apiKey: string;
  /** The integration agent's email: the key's owner, whose changes are Crosswalk's own. */
  agentEmail: string;
  /** Who tickets made from Jira are requested for. */
  requesterEmail: string;
  workspaceId?: number | undefined;
  /** The custom text field (its name, no prefix) that carries Crosswalk's correlation marker. */
  correlationField: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
  now?: () => number;
}

/** A sweep page: Freshservice's maximum (§2.5). */
const PER_PAGE = 100;
/** Freshservice advises against pages past 500 (deep pagination). */
const MAX_SWEEP_PAGES = 500;
/**
 * How far back a correlation is looked for in the live ticket list, past the
 * filter index: a create retried after a crash comes within the engine's retry
 * waits (minutes), long before this; an older ticket has long been indexed.
 */
export const CORRELATION_LOOKBACK_MS = 60 * 60_000;
/** Pages of recent tickets read for one correlation (100 each). */
const CORRELATION_PAGES = 3;
/** How long a warm instance trusts the account's status names (custom statuses change rarely). */
const STATUS_NAMES_TTL_MS = 10 * 60_000;

const statusNamesCache = new Map<string, { at: number; names: Readonly<Record<string, string>> }>();

/** Freshservice writes times to the second, UTC: `YYYY-MM-DDTHH:MM:SSZ`. */
export const freshserviceTime = (ms: number) =>
  new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');

interface SweepCursor {
  since: string;
  page: number;
}

function parseSweepCursor(cursor: string): SweepCursor {
  try {
    const value = JSON.parse(cursor) as Partial<SweepCursor>;
    if (typeof value.since === 'string' && Number.isInteger(value.page) && (value.page ?? 0) >= 1)
      return { since: value.since, page: value.page! };
  } catch {
    // fall through
  }
  throw new SyncError({ system: SYSTEM, kind: 'validation', message: 'Bad Freshservice sweep cursor' });
}

/**
 * Ids go into paths only as Freshservice's own ids (digits): anything else
 * names no ticket or conversation, and never reaches the URL.
 */
function idInPath(kind: 'ticket' | 'conversation', id: string): string {
  if (!/^\d{1,18}$/.test(id))
    throw new SyncError({
      system: SYSTEM,
      kind: 'not-found',
      message: `No Freshservice ${kind} has the id ${JSON.stringify(id)}`,
    });
  return id;
}
const ticketPath = (itemId: string) => `/api/v2/tickets/${idInPath('ticket', itemId)}`;
const conversationPath = (commentId: string) => `/api/v2/conversations/${idInPath('conversation', commentId)}`;

export class FreshserviceConnector implements Connector {
  readonly system = SYSTEM;
  readonly capabilities = FRESHSERVICE_CAPABILITIES;
  readonly http: FreshserviceHttp;
  private readonly people: PersonDirectory;
  /** Conversations listed by this connector (one reconcile) until a write: comments and files both come from them. */
  private readonly listed = new Map<string, Promise<FreshserviceConversation[]>>();
  /**
   * The ticket as this connector's `getItem` last read it, until a write: the ticket's own files come with it, so a
   * reconcile that reads the fields and then the files asks Freshservice once (its per-minute budget is small).
   */
  private readonly ticketRead = new Map<string, FreshserviceTicket>();

  constructor(private readonly conn: FreshserviceConnection) {
    this.http = new FreshserviceHttp({
      baseUrl: conn.baseUrl,
      apiKey: conn.apiKey,
      ...(conn.fetch ? { fetch: conn.fetch } : {}),
      ...(conn.timeoutMs ? { timeoutMs: conn.timeoutMs } : {}),
      ...(conn.now ? { now: conn.now } : {}),
    });
    this.people = new PersonDirectory(this.http, conn.agentEmail);
  }

  private now(): number {
    return (this.conn.now ?? Date.now)();
  }

  /** The integration agent's id, once learned (testConnection, or any listing of comments or files). */
  get ownAuthorId(): string | undefined {
    return this.people.ownId;
  }

  readonly users = {
    idForEmail: (email: string) => this.people.idForEmail(email),
    emailForId: (id: string) => this.people.emailForId(id),
    search: (text: string, limit: number): Promise<RemoteUser[]> => this.people.searchAgents(text, limit),
  };

  private workspaceQuery(prefix: '&' | '?'): string {
    return this.conn.workspaceId ? `${prefix}workspace_id=${this.conn.workspaceId}` : '';
  }

  private inScope(t: FreshserviceTicket): boolean {
    return !this.conn.workspaceId || !t.workspace_id || t.workspace_id === this.conn.workspaceId;
  }

  /** Freshservice's own names in its agent portal: #INC-12 for an incident, #SR-12 for a service request. */
  private displayKeyOf(t: FreshserviceTicket): string {
    return `#${t.type === 'Service Request' ? 'SR' : 'INC'}-${t.id}`;
  }

  private toItem(t: FreshserviceTicket): Item {
    const correlationId = correlationOf(t, this.conn.correlationField);
    return {
      id: String(t.id),
      displayKey: this.displayKeyOf(t),
      url: `${this.http.base}/a/tickets/${t.id}`,
      updatedAt: parseFreshserviceTime(t.updated_at),
      ...(t.created_at ? { createdAt: parseFreshserviceTime(t.created_at) } : {}),
      version: t.updated_at,
      fields: ticketFields(t),
      ...(correlationId ? { correlationId } : {}),
    };
  }

  private invalidate(itemId: string): void {
    this.listed.delete(itemId);
    this.ticketRead.delete(itemId);
  }

  async testConnection(): Promise<
    { ok: true; identity: string; checks: AccessCheck[] } | { ok: false; error: SyncError }
  > {
    try {
      const me = await this.people.integrationAgent();
      const checks: AccessCheck[] = [
        {
          what: `Sign in as the integration agent ${this.conn.agentEmail}`,
          ok: Boolean(me),
          required: true,
          ...(me ? {} : { detail: 'no active agent has this email: its changes could not be told from people’s' }),
        },
        ...(await Promise.all([
          probe('Read tickets changed lately, for the sweep', true, () => this.listChanged(this.now() - 120_000)),
          probe('Find the requester tickets made from Jira are for', true, async () => {
            if (!(await this.people.idForEmail(this.conn.requesterEmail)))
              throw new SyncError({
                system: SYSTEM,
                kind: 'validation',
                message: `no requester or agent has the email ${this.conn.requesterEmail}`,
              });
          }),
          probe('Read the ticket form fields, for the mapping editor and status names', false, () =>
            this.describeFields(),
          ),
        ])),
      ];
      return { ok: true, identity: this.conn.agentEmail, checks };
    } catch (e) {
      if (e instanceof SyncError) return { ok: false, error: e };
      throw e;
    }
  }

  private async readTicket(itemId: string): Promise<FreshserviceTicket | undefined> {
    if (!/^\d+$/.test(itemId)) return undefined;
    try {
      const { ticket } = await this.http.json(
        oneTicket,
        ticketPath(itemId),
        { method: 'GET' },
        `Read ticket ${itemId}`,
      );
      return this.inScope(ticket) ? ticket : undefined;
    } catch (e) {
      if (e instanceof SyncError && e.kind === 'not-found') return undefined;
      throw e;
    }
  }

  async getItem(itemId: string): Promise<Item | undefined> {
    const ticket = await this.readTicket(itemId);
    if (!ticket) return undefined;
    this.ticketRead.set(itemId, ticket);
    // Custom statuses are named in the form fields: known before statusLabel is asked, once per warm instance.
    await this.statusNames().catch(() => undefined);
    return this.toItem(ticket);
  }

  async findByDisplayKey(key: string): Promise<Item | undefined> {
    const m = /^#?\s*(?:(?:INC|SR)-)?(\d+)$/i.exec(key.trim());
    return m ? this.getItem(m[1]!) : undefined;
  }

  /**
   * By number (#INC-12, SR-12, 12), or by words of the subject among the
   * tickets changed in the last 30 days, newest first: Freshservice's filter
   * API has no subject search, and the list is what it offers instead.
   */
  async searchItems(text: string, limit: number): Promise<FoundItem[]> {
    const t = text.trim();
    if (!t) return [];
    const found = (i: Item): FoundItem => {
      const status = this.statusLabel(i);
      return { ...i, title: String(i.fields.subject ?? ''), ...(status ? { status } : {}) };
    };
    if (/^#?\s*(?:(?:INC|SR)-)?\d+$/i.test(t)) {
      const item = await this.findByDisplayKey(t);
      return item ? [found(item)] : [];
    }
    await this.statusNames().catch(() => undefined);
    const words = t.toLowerCase().split(/\s+/).filter(Boolean);
    const out: FoundItem[] = [];
    const since = freshserviceTime(this.now() - 30 * 24 * 60 * 60_000);
    for (let page = 1; page <= 3 && out.length < limit; page++) {
      const { tickets } = await this.http.json(
        manyTickets,
        `/api/v2/tickets?updated_since=${since}&order_type=desc&per_page=${PER_PAGE}&page=${page}${this.workspaceQuery('&')}`,
        { method: 'GET' },
        'Search tickets',
      );
      for (const ticket of tickets) {
        const subject = (ticket.subject ?? '').toLowerCase();
        if (this.inScope(ticket) && words.every((w) => subject.includes(w))) out.push(found(this.toItem(ticket)));
      }
      if (tickets.length < PER_PAGE) break;
    }
    return out.sort((a, b) => b.updatedAt - a.updatedAt).slice(0, Math.max(0, limit));
  }

  /**
   * The ticket Crosswalk made for this correlation, found two ways because the
   * filter API searches an index that lags behind writes (how far is not
   * documented): a create retried after a crash, minutes after the first try,
   * could ask the index before it knows the ticket and make a second one.
   * So the live ticket list of the last hour (no index; newest first) is read
   * too and matched on the custom field; a ticket older than that has long been
   * indexed, and the filter finds it. The list first: it is exact, and the
   * common retry lands there.
   */
  async findByCorrelation(correlationId: string): Promise<Item | undefined> {
    const recent = await this.recentWithCorrelation(correlationId);
    if (recent) return this.toItem(recent);
    const indexed = await this.filterByCorrelation(correlationId);
    return indexed ? this.toItem(indexed) : undefined;
  }

  private async recentWithCorrelation(correlationId: string): Promise<FreshserviceTicket | undefined> {
    const since = freshserviceTime(this.now() - CORRELATION_LOOKBACK_MS);
    for (let page = 1; page <= CORRELATION_PAGES; page++) {
      const { tickets } = await this.http.json(
        manyTickets,
        `/api/v2/tickets?updated_since=${since}&order_type=desc&per_page=${PER_PAGE}&page=${page}${this.workspaceQuery('&')}`,
        { method: 'GET' },
        'Find the ticket Crosswalk made (recent tickets)',
      );
      const hit = tickets.find(
        (t) => this.inScope(t) && correlationOf(t, this.conn.correlationField) === correlationId,
      );
      if (hit) return hit;
      if (tickets.length < PER_PAGE) return undefined;
    }
    return undefined;
  }

  private async filterByCorrelation(correlationId: string): Promise<FreshserviceTicket | undefined> {
    // The query is a quoted string of its own syntax: a value that could close the quote is never sent.
    if (/['"\\]/.test(correlationId)) return undefined;
    const query = `"${this.conn.correlationField}:'${correlationId}'"`;
    if (query.length > 512) return undefined;
    const { tickets } = await this.http.json(
      manyTickets,
      `/api/v2/tickets/filter?query=${encodeURIComponent(query)}${this.workspaceQuery('&')}`,
      { method: 'GET' },
      'Find the ticket Crosswalk made (filter)',
    );
    // The index may hold an old value: the ticket's own field decides.
    return tickets.find((t) => this.inScope(t) && correlationOf(t, this.conn.correlationField) === correlationId);
  }

  async createItem(fields: Readonly<Record<string, unknown>>, correlationId: string): Promise<Item> {
    const body = ticketBody(fields);
    const subject = String(body.subject ?? '').trim();
    const description = String(body.description ?? '').trim();
    const { custom_fields: custom, ...rest } = body as { custom_fields?: Record<string, unknown> };
    const ticket = {
      // Freshservice requires a status and a priority on create; a mapping that names neither gets Open and Low.
      status: 2,
      priority: 1,
      ...rest,
      subject: subject || 'Created from Jira by Crosswalk',
      description: description && description !== '<p></p>' ? description : '<p>Created from Jira by Crosswalk</p>',
      email: this.conn.requesterEmail,
      ...(this.conn.workspaceId ? { workspace_id: this.conn.workspaceId } : {}),
      custom_fields: { ...custom, [this.conn.correlationField]: correlationId },
    };
    const made = await this.http.send(oneTicket, 'POST', '/api/v2/tickets', ticket, 'Create ticket');
    return this.toItem(made.ticket);
  }

  async markCorrelation(itemId: string, correlationId: string): Promise<void> {
    this.ticketRead.delete(itemId);
    await this.http.send(
      oneTicket,
      'PUT',
      ticketPath(itemId),
      { custom_fields: { [this.conn.correlationField]: correlationId } },
      `Mark ticket ${itemId} with its Jira issue`,
    );
  }

  async updateItem(itemId: string, fields: Readonly<Record<string, unknown>>): Promise<Item> {
    const body = ticketBody(fields);
    if (!Object.keys(body).length) {
      const current = await this.getItem(itemId);
      if (!current)
        throw new SyncError({ system: SYSTEM, kind: 'not-found', message: `Ticket ${itemId} no longer exists` });
      return current;
    }
    this.ticketRead.delete(itemId);
    const done = await this.http.send(oneTicket, 'PUT', ticketPath(itemId), body, `Update ticket ${itemId}`);
    return this.toItem(done.ticket);
  }

  /** The account's status names (custom ones included), cached per warm instance for a while. */
  private async statusNames(): Promise<Readonly<Record<string, string>>> {
    const cached = statusNamesCache.get(this.http.base);
    if (cached && this.now() - cached.at < STATUS_NAMES_TTL_MS) return cached.names;
    const listed = await this.http.json(
      formFieldList,
      `/api/v2/ticket_form_fields${this.workspaceQuery('?')}`,
      { method: 'GET' },
      'Read the ticket form fields',
    );
    const names = { ...STATUS_NAMES, ...statusNamesOf(listed.ticket_fields) };
    statusNamesCache.set(this.http.base, { at: this.now(), names });
    return names;
  }

  statusLabel(item: Item): string | undefined {
    const code = item.fields.status;
    if (typeof code !== 'string' || !code) return undefined;
    const names = statusNamesCache.get(this.http.base)?.names ?? STATUS_NAMES;
    return names[code] ?? `Status ${code}`;
  }

  titleOf(item: Item): string | undefined {
    const subject = item.fields.subject;
    return typeof subject === 'string' && subject ? subject : undefined;
  }

  /**
   * `GET /api/v2/tickets?updated_since=…&order_type=asc`, page by page. Never
   * without `updated_since`: Freshservice then answers only tickets created in
   * the last 30 days. The cursor keeps the sweep's start and the next page, so a
   * sweep resumed later reads on where it stopped. Freshservice orders the list
   * by creation, not by change: a ticket changed while the pages are read moves
   * into the list, which shifts later tickets one page on (read twice, never
   * missed); the changed ticket itself is newer than this sweep's start, so the
   * next sweep reads it.
   */
  async listChanged(since: number, cursor?: string): Promise<ChangedItems> {
    const at = cursor ? parseSweepCursor(cursor) : { since: freshserviceTime(since), page: 1 };
    if (at.page > MAX_SWEEP_PAGES)
      throw new SyncError({
        system: SYSTEM,
        kind: 'over-limit',
        message: `List changed tickets stopped: more than ${MAX_SWEEP_PAGES} pages changed since ${at.since}`,
      });
    const { data, headers } = await this.http.answer(
      manyTickets,
      `/api/v2/tickets?updated_since=${encodeURIComponent(at.since)}&order_type=asc&per_page=${PER_PAGE}&page=${at.page}${this.workspaceQuery('&')}`,
      { method: 'GET' },
      'List changed tickets',
    );
    const tickets = data.tickets;
    // The `link` header says there is a next page; a full page without one is read on to be sure.
    const hasNext = /rel="?next"?/i.test(headers.get('link') ?? '');
    const items = tickets
      .filter((t) => this.inScope(t))
      .map((t) => ({ id: String(t.id), updatedAt: parseFreshserviceTime(t.updated_at) }))
      .sort((a, b) => a.updatedAt - b.updatedAt);
    const more = hasNext || tickets.length === PER_PAGE;
    return { items, ...(more ? { cursor: JSON.stringify({ since: at.since, page: at.page + 1 }) } : {}) };
  }

  private conversations(itemId: string): Promise<FreshserviceConversation[]> {
    const listing = this.listed.get(itemId) ?? this.listConversations(itemId);
    this.listed.set(itemId, listing);
    listing.catch(() => this.listed.delete(itemId));
    return listing;
  }

  private async listConversations(itemId: string): Promise<FreshserviceConversation[]> {
    const what = `Read the conversations of ticket ${itemId}`;
    const pages = new Pages({
      system: SYSTEM,
      what,
      label: 'Freshservice',
      maxPages: MAX_COMMENTS / PER_PAGE,
      why: `Crosswalk reads at most ${MAX_COMMENTS.toLocaleString('en-US')} comments, as many as a Jira issue holds`,
    });
    const out: FreshserviceConversation[] = [];
    let page = 1;
    let next: number | undefined;
    do {
      const { conversations } = await this.http.json(
        conversationList,
        `${ticketPath(itemId)}/conversations?per_page=${PER_PAGE}&page=${page}`,
        { method: 'GET' },
        what,
      );
      out.push(...conversations);
      next = conversations.length === PER_PAGE ? ++page : undefined;
    } while (pages.more(next));
    return out.sort((a, b) => a.id - b.id);
  }

  async listComments(itemId: string): Promise<Comment[]> {
    await this.people.ensureOwnId();
    const conversations = await this.conversations(itemId);
    const names = await this.people.namesOf(conversations.map((c) => (c.user_id ? String(c.user_id) : '')));
    return conversations.map((c) => toComment(c, names));
  }

  /** A public comment is a reply (emailed to the requester), an internal one a private note. */
  async addComment(itemId: string, comment: NewComment): Promise<Comment> {
    const own = await this.people.ensureOwnId();
    const body = String(comment.body);
    this.invalidate(itemId);
    const written =
      comment.visibility === 'public'
        ? await this.http.send(
            oneConversation,
            'POST',
            `${ticketPath(itemId)}/reply`,
            { body },
            `Reply on ticket ${itemId}`,
          )
        : await this.http.send(
            oneConversation,
            'POST',
            `${ticketPath(itemId)}/notes`,
            { body, private: true },
            `Add a private note to ticket ${itemId}`,
          );
    return toComment(written.conversation, new Map(own ? [[own, 'Crosswalk']] : []));
  }

  /** Only notes can be edited (§2.3): a reply's edit is refused with the reason, before anything is sent. */
  async updateComment(itemId: string, commentId: string, body: NewComment['body']): Promise<Comment> {
    const current = (await this.conversations(itemId)).find((c) => String(c.id) === commentId);
    if (!current)
      throw new SyncError({
        system: SYSTEM,
        kind: 'not-found',
        message: `Conversation ${commentId} of ticket ${itemId} is gone`,
      });
    if (isReply(current)) throw new SyncError({ system: SYSTEM, kind: 'validation', message: REPLY_EDIT_REFUSED });
    this.invalidate(itemId);
    const done = await this.http.send(
      oneConversation,
      'PUT',
      conversationPath(commentId),
      { body: String(body) },
      `Edit note ${commentId} of ticket ${itemId}`,
    );
    const names = await this.people.namesOf([done.conversation.user_id ? String(done.conversation.user_id) : '']);
    return toComment(done.conversation, names);
  }

  async deleteComment(itemId: string, commentId: string): Promise<void> {
    this.invalidate(itemId);
    await this.http.delete(conversationPath(commentId), `Delete conversation ${commentId} of ticket ${itemId}`);
  }

  /** The ticket's own files and those of its conversations, each with who added it. */
  async listAttachments(itemId: string): Promise<Attachment[]> {
    await this.people.ensureOwnId();
    const [ticket, conversations] = await Promise.all([this.readTicketAttachments(itemId), this.conversations(itemId)]);
    const onTicket = ticket.attachments.map((a) => ({
      id: String(a.id),
      fileName: a.name,
      contentType: a.content_type ?? 'application/octet-stream',
      size: a.size,
      createdAt: parseFreshserviceTime(a.created_at ?? ticket.createdAt),
      ...(ticket.requesterId ? { authorId: ticket.requesterId } : {}),
      ...inlineUrl(a),
    }));
    const onConversations = conversations.flatMap((c) =>
      (c.attachments ?? []).map((a) => ({
        id: String(a.id),
        fileName: a.name,
        contentType: a.content_type ?? 'application/octet-stream',
        size: a.size,
        createdAt: parseFreshserviceTime(a.created_at ?? c.created_at),
        ...(c.user_id ? { authorId: String(c.user_id) } : {}),
        ...inlineUrl(a),
      })),
    );
    return [...onTicket, ...onConversations];
  }

  private async readTicketAttachments(itemId: string): Promise<{
    attachments: Array<{
      id: number;
      name: string;
      content_type?: string | null;
      size: number;
      created_at?: string | null;
      attachment_url?: string | null;
    }>;
    createdAt: string | null;
    requesterId: string | undefined;
  }> {
    // Taken once: a second look at the files (after this run wrote some) reads them again.
    const ticket = this.ticketRead.get(itemId) ?? (await this.readTicket(itemId));
    this.ticketRead.delete(itemId);
    if (!ticket)
      throw new SyncError({ system: SYSTEM, kind: 'not-found', message: `Ticket ${itemId} no longer exists` });
    const raw = (ticket as { attachments?: unknown }).attachments;
    const attachments = Array.isArray(raw)
      ? raw.flatMap((a) => {
          const parsed = attachmentSchema.safeParse(a);
          return parsed.success ? [parsed.data] : [];
        })
      : [];
    return {
      attachments,
      createdAt: ticket.created_at ?? null,
      requesterId: ticket.requester_id ? String(ticket.requester_id) : undefined,
    };
  }

  /** `GET /api/v2/attachments/{id}`: the bytes, counted as they stream (no file past 40 MB exists on a ticket). */
  async downloadAttachment(
    itemId: string,
    attachmentId: string,
  ): Promise<{ body: ReadableStream<Uint8Array>; size: number; contentType: string }> {
    const what = `Download attachment ${attachmentId} of ticket ${itemId}`;
    const res = await this.http.request(
      `/api/v2/attachments/${encodeURIComponent(attachmentId)}`,
      { method: 'GET', headers: { accept: '*/*' } },
      what,
    );
    if (!res.ok) throw freshserviceFailure(res, await readErrorText(res), what);
    if (!res.body) throw new SyncError({ system: SYSTEM, kind: 'transient', message: `${what}: empty body` });
    const limited = limitBytes(res.body, FRESHSERVICE_MAX_ATTACHMENT_BYTES, what);
    return {
      body: limited.stream,
      size: Number(res.headers.get('content-length') ?? 0),
      contentType: res.headers.get('content-type') ?? 'application/octet-stream',
    };
  }

  /**
   * A private note carrying the file as a multipart `attachments[]` part:
   * Freshservice has no upload of its own (§2.4), and a private note never
   * emails the requester, whatever the Jira file was. The bytes are gathered
   * first (a multipart body needs them whole), at most the ticket's 40 MB.
   */
  async uploadAttachment(itemId: string, file: NewAttachment): Promise<Attachment> {
    const own = await this.people.ensureOwnId();
    const what = `Attach ${file.fileName} to ticket ${itemId}`;
    const bytes = await gather(file.body, FRESHSERVICE_MAX_ATTACHMENT_BYTES, what);
    const form = new FormData();
    form.append('body', `<p>${escapeHtml(`File from Jira: ${file.fileName}`)}</p>`);
    form.append('private', 'true');
    form.append(
      'attachments[]',
      new Blob([bytes], { type: file.contentType || 'application/octet-stream' }),
      file.fileName,
    );
    this.invalidate(itemId);
    const done = await this.http.json(
      oneConversation,
      `${ticketPath(itemId)}/notes`,
      { method: 'POST', body: form },
      what,
    );
    const stored = [...(done.conversation.attachments ?? [])].reverse().find((a) => a.name === file.fileName);
    if (!stored)
      throw new SyncError({
        system: SYSTEM,
        kind: 'transient',
        message: `${what}: the note was written without the file`,
      });
    return {
      id: String(stored.id),
      fileName: stored.name,
      contentType: stored.content_type ?? file.contentType,
      size: stored.size,
      createdAt: parseFreshserviceTime(stored.created_at ?? done.conversation.created_at),
      ...(own ? { authorId: own } : {}),
      ...inlineUrl(stored),
    };
  }

  /**
   * Through the ticket, whichever reply or note carried the file: the ticket's
   * delete takes any of its files, so no listing is needed to find the holder.
   */
  async deleteAttachment(itemId: string, attachmentId: string): Promise<void> {
    this.invalidate(itemId);
    await this.http.delete(
      `${ticketPath(itemId)}/attachments/${encodeURIComponent(attachmentId)}`,
      `Delete attachment ${attachmentId} of ticket ${itemId}`,
    );
  }

  /** The ticket form's fields (`/api/v2/ticket_form_fields`) as the mapping editor lists them; see form-fields.ts. */
  async describeFields(): Promise<RemoteField[] | undefined> {
    try {
      const listed = await this.http.json(
        formFieldList,
        `/api/v2/ticket_form_fields${this.workspaceQuery('?')}`,
        { method: 'GET' },
        'Read the ticket form fields',
      );
      statusNamesCache.set(this.http.base, {
        at: this.now(),
        names: { ...STATUS_NAMES, ...statusNamesOf(listed.ticket_fields) },
      });
      return describeFormFields(listed.ticket_fields);
    } catch (e) {
      if (e instanceof SyncError && e.kind === 'auth') return undefined;
      throw e;
    }
  }
}

const escapeHtml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** A file's bytes whole, in one buffer of their own, failing `over-limit` past `maxBytes` (the stream is then cancelled). */
async function gather(body: NewAttachment['body'], maxBytes: number, what: string): Promise<Uint8Array<ArrayBuffer>> {
  if (body instanceof Uint8Array) {
    if (body.byteLength > maxBytes)
      throw new SyncError({
        system: SYSTEM,
        kind: 'over-limit',
        message: `${what} stopped: larger than 40 MB, Freshservice's limit per ticket`,
      });
    return new Uint8Array(body);
  }
  const reader = limitBytes(body, maxBytes, what).stream.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    total += value.byteLength;
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.byteLength;
  }
  return out;
}

/**
 * Where a ticket's HTML shows the file inline: its `attachment_url`, which an `<img src>` in a description or a
 * conversation names (a signed URL may carry a query; the file is known by its origin and path).
 */
function inlineUrl(a: { attachment_url?: string | null }): { url?: string } {
  return a.attachment_url ? { url: a.attachment_url } : {};
}
