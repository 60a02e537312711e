/**
 * The ticket rules, apart from HTTP: create, partial update, trash and
 * restore, replies and notes, inline attachments within the per-ticket cap,
 * the mandatory-on-close check, and the filter index's versions. Every change
 * is told to `onEvent` (the Workflow Automator listens) with who made it.
 */
import { CLOSING_STATUSES, CUSTOM_FIELDS } from './codes';
import { accessDenied, FsError, invalidValue, notFound, validation } from './errors';
import type { UploadedFile } from './request';
import type { Agent, Conversation, CustomValue, FreshserviceStore, IndexedFields, Ticket } from './store';
import type { NoteInput, ReplyInput, TicketCreateInput, TicketUpdateInput } from './validate';

export type TicketEventName = 'ticket_created' | 'ticket_updated' | 'note_added' | 'reply_added';
export const TICKET_EVENTS: readonly TicketEventName[] = [
  'ticket_created',
  'ticket_updated',
  'note_added',
  'reply_added',
];

export interface TicketEvent {
  name: TicketEventName;
  ticket: Ticket;
  performer: Agent;
  /** The reply or note an event of that kind added. */
  conversation?: Conversation;
  /** The ticket attributes the change set (`attachments` for files). */
  changes: string[];
}

export interface TicketRules {
  /** All files of one ticket together (its own and its conversations'), in bytes: 40 MB (vendor-apis-more.md §2.4). */
  maxAttachmentBytesPerTicket: number;
  /** Whether fields marked "required for closure" are enforced on Resolved/Closed (off in the demo account). */
  mandatoryOnClose: boolean;
}

const DAY_MS = 24 * 3600_000;

export class TicketService {
  constructor(
    private readonly store: FreshserviceStore,
    private readonly rules: TicketRules,
    private readonly onEvent: (e: TicketEvent) => void,
  ) {}

  private now(): number {
    return this.store.now();
  }

  /** A ticket that is not in the trash; a trashed one answers 404 to writes. */
  live(id: number): Ticket {
    const t = this.store.tickets.get(id);
    if (!t || t.deleted) throw notFound();
    return t;
  }

  any(id: number): Ticket {
    const t = this.store.tickets.get(id);
    if (!t) throw notFound();
    return t;
  }

  create(input: TicketCreateInput, files: UploadedFile[], performer: Agent): Ticket {
    const requesterId = this.requesterFor(input);
    this.checkPeople(input);
    const now = this.now();
    const t: Ticket = {
      id: this.store.id('ticket'),
      subject: input.subject,
      description: input.description ?? '',
      type: input.type ?? 'Incident',
      status: input.status ?? 2,
      priority: input.priority ?? 1,
      source: input.source ?? 2,
      urgency: input.urgency ?? 1,
      impact: input.impact ?? 1,
      requester_id: requesterId,
      responder_id: input.responder_id ?? null,
      group_id: input.group_id ?? null,
      category: input.category ?? null,
      due_by: input.due_by ? parseUtc('due_by', input.due_by) : now + 3 * DAY_MS,
      tags: input.tags ?? [],
      cc_emails: input.cc_emails ?? [],
      custom_fields: { ...(input.custom_fields ?? {}) },
      attachment_ids: [],
      deleted: false,
      created_at: now,
      updated_at: now,
      resolved_at: null,
      closed_at: null,
      first_responded_at: null,
      indexVersions: [],
    };
    this.checkMandatoryOnClose(t, true, false);
    this.checkAttachmentCap(0, files);
    this.store.tickets.set(t.id, t);
    t.attachment_ids = this.storeFiles(t.id, null, files);
    this.noteStatusTimes(t);
    this.index(t);
    this.onEvent({ name: 'ticket_created', ticket: t, performer, changes: Object.keys(input) });
    return t;
  }

  /** Sets only what the body names; `tags` replaces the list, `custom_fields` merges by name. */
  update(
    id: number,
    input: TicketUpdateInput,
    files: UploadedFile[],
    performer: Agent,
    bypassMandatory: boolean,
  ): Ticket {
    const t = this.live(id);
    if (bypassMandatory && performer.role !== 'admin') throw accessDenied();
    this.checkPeople(input);
    if (input.requester_id !== undefined && !this.store.personById(input.requester_id))
      throw invalidValue('requester_id', 'There is no contact matching the given requester_id');
    const next: Ticket = {
      ...t,
      ...dropUndefined({
        subject: input.subject,
        description: input.description,
        type: input.type,
        status: input.status,
        priority: input.priority,
        source: input.source,
        urgency: input.urgency,
        impact: input.impact,
        requester_id: input.requester_id,
        responder_id: input.responder_id,
        group_id: input.group_id,
        category: input.category,
        tags: input.tags,
        cc_emails: input.cc_emails,
      }),
      due_by: input.due_by === undefined ? t.due_by : input.due_by === null ? null : parseUtc('due_by', input.due_by),
      custom_fields: { ...t.custom_fields, ...(input.custom_fields ?? {}) },
    };
    // Checked when the ticket enters Resolved/Closed, or its fields change while it is there.
    const closing = next.status !== t.status || input.custom_fields !== undefined;
    this.checkMandatoryOnClose(next, closing, bypassMandatory);
    this.checkAttachmentCap(this.store.ticketAttachmentBytes(id), files);
    const changes = changedAttributes(t, next);
    Object.assign(t, next);
    const added = this.storeFiles(id, null, files);
    t.attachment_ids.push(...added);
    if (added.length) changes.push('attachments');
    // A write that changed nothing leaves the ticket as it was: no new stamp, no automator event.
    if (!changes.length) return t;
    t.updated_at = this.now();
    this.noteStatusTimes(t);
    this.index(t);
    this.onEvent({ name: 'ticket_updated', ticket: t, performer, changes });
    return t;
  }

  /** To the trash: out of the list and filter, still readable by id, restorable. */
  trash(id: number): void {
    const t = this.live(id);
    t.deleted = true;
    t.updated_at = this.now();
    this.index(t);
  }

  restore(id: number): void {
    const t = this.any(id);
    if (!t.deleted) throw invalidValue('id', 'The ticket is not in the trash');
    t.deleted = false;
    t.updated_at = this.now();
    this.index(t);
  }

  /** A public reply (it emails the requester): never private, never editable afterwards. */
  reply(id: number, input: ReplyInput, files: UploadedFile[], performer: Agent): Conversation {
    const t = this.live(id);
    const requester = this.store.personById(t.requester_id);
    const c = this.addConversation(t, files, {
      kind: 'reply',
      body: input.body,
      private: false,
      incoming: false,
      user_id: performer.id,
      to_emails: requester ? [requester.email] : [],
      cc_emails: input.cc_emails ?? [],
      bcc_emails: input.bcc_emails ?? [],
      support_email: input.from_email ?? 'support@acme.freshservice.com',
    });
    t.first_responded_at ??= c.created_at;
    this.onEvent({ name: 'reply_added', ticket: t, performer, conversation: c, changes: ['conversations'] });
    return c;
  }

  /** A note: private unless it says `private: false` (vendor-apis-more.md §2.3). */
  note(id: number, input: NoteInput, files: UploadedFile[], performer: Agent): Conversation {
    const t = this.live(id);
    if (input.user_id !== undefined && !this.store.personById(input.user_id))
      throw invalidValue('user_id', 'There is no user matching the given user_id');
    const c = this.addConversation(t, files, {
      kind: 'note',
      body: input.body,
      private: input.private ?? true,
      incoming: input.incoming ?? false,
      user_id: input.user_id ?? performer.id,
      to_emails: input.notify_emails ?? [],
      cc_emails: [],
      bcc_emails: [],
      support_email: null,
    });
    this.onEvent({ name: 'note_added', ticket: t, performer, conversation: c, changes: ['conversations'] });
    return c;
  }

  /** Only notes can be edited; a reply has gone out by email and stays as sent. */
  editConversation(conversationId: number, body: string): Conversation {
    const c = this.store.conversations.get(conversationId);
    if (!c) throw notFound();
    this.live(c.ticket_id);
    if (c.kind === 'reply')
      throw validation({ field: 'body', message: 'Only notes can be edited, not replies', code: 'invalid_value' });
    c.body = body;
    c.updated_at = this.now();
    return c;
  }

  deleteConversation(conversationId: number): void {
    const c = this.store.conversations.get(conversationId);
    if (!c) throw notFound();
    for (const a of c.attachment_ids) this.store.attachments.delete(a);
    this.store.conversations.delete(conversationId);
  }

  deleteAttachment(ticketId: number, attachmentId: number): void {
    const t = this.live(ticketId);
    const a = this.store.attachments.get(attachmentId);
    if (!a || a.ticket_id !== ticketId) throw notFound();
    this.store.attachments.delete(attachmentId);
    t.attachment_ids = t.attachment_ids.filter((id) => id !== attachmentId);
    for (const c of this.store.conversationsOf(ticketId))
      c.attachment_ids = c.attachment_ids.filter((id) => id !== attachmentId);
    t.updated_at = this.now();
  }

  /** The filter index's versions that are visible `lagMs` after their write. */
  static indexedAt(t: Ticket, asOf: number): IndexedFields | undefined {
    let found: IndexedFields | undefined;
    for (const v of t.indexVersions) if (v.at <= asOf) found = v.fields;
    return found;
  }

  private addConversation(
    t: Ticket,
    files: UploadedFile[],
    fields: Omit<Conversation, 'id' | 'ticket_id' | 'attachment_ids' | 'created_at' | 'updated_at'>,
  ): Conversation {
    this.checkAttachmentCap(this.store.ticketAttachmentBytes(t.id), files);
    const now = this.now();
    const c: Conversation = {
      ...fields,
      id: this.store.id('conversation'),
      ticket_id: t.id,
      attachment_ids: [],
      created_at: now,
      updated_at: now,
    };
    this.store.conversations.set(c.id, c);
    c.attachment_ids = this.storeFiles(t.id, c.id, files);
    t.updated_at = now;
    this.index(t);
    return c;
  }

  private requesterFor(input: TicketCreateInput): number {
    if (input.requester_id !== undefined) {
      if (!this.store.personById(input.requester_id))
        throw invalidValue('requester_id', 'There is no contact matching the given requester_id');
      return input.requester_id;
    }
    if (input.email) {
      // An unknown email becomes a new requester, as Freshservice adds a contact for it.
      const known = this.store.requesterByEmail(input.email) ?? this.store.agentByEmail(input.email);
      if (known) return known.id;
      const [local] = input.email.split('@');
      return this.store.addRequester(local ?? input.email, '', input.email).id;
    }
    if (input.phone) {
      if (!input.name)
        throw validation({
          field: 'name',
          message: 'A name is required with a phone number and no email',
          code: 'missing_field',
        });
      return this.store.addRequester(input.name, '', `${input.phone.replace(/\D/g, '')}@phone.acme.example`).id;
    }
    throw validation({
      field: 'requester_id',
      message: 'Please fill at least 1 of requester_id, email, phone fields',
      code: 'missing_field',
    });
  }

  private checkPeople(input: { responder_id?: number | null; group_id?: number | null }): void {
    if (input.responder_id && !this.store.agentById(input.responder_id))
      throw invalidValue('responder_id', 'There is no agent matching the given responder_id');
    if (input.group_id && !this.store.groupById(input.group_id))
      throw invalidValue('group_id', 'There is no group matching the given group_id');
  }

  /** Entering Resolved or Closed needs every "required for closure" field, unless an admin bypasses the check. */
  private checkMandatoryOnClose(next: Ticket, checkNow: boolean, bypass: boolean): void {
    if (!this.rules.mandatoryOnClose || bypass || !checkNow || !CLOSING_STATUSES.has(next.status)) return;
    const missing = CUSTOM_FIELDS.filter((f) => f.requiredForClosure && isBlank(next.custom_fields[f.name]));
    if (!missing.length) return;
    throw new FsError(
      400,
      'Validation failed',
      missing.map((f) => ({
        field: `custom_fields.${f.name}`,
        message: 'It should not be blank as this is a mandatory field',
        code: 'missing_field' as const,
      })),
    );
  }

  private checkAttachmentCap(existingBytes: number, files: UploadedFile[]): void {
    const adding = files.reduce((n, f) => n + f.content.length, 0);
    if (existingBytes + adding > this.rules.maxAttachmentBytesPerTicket)
      throw invalidValue(
        'attachments',
        `The cumulative size of all attachments of a ticket cannot exceed ${Math.round(this.rules.maxAttachmentBytesPerTicket / 1024 / 1024)} MB`,
      );
  }

  private storeFiles(ticketId: number, conversationId: number | null, files: UploadedFile[]): number[] {
    return files.map((f) => {
      const id = this.store.id('attachment');
      this.store.attachments.set(id, {
        id,
        name: f.name,
        content_type: f.content_type,
        size: f.content.length,
        content: f.content,
        ticket_id: ticketId,
        conversation_id: conversationId,
        created_at: this.now(),
      });
      return id;
    });
  }

  private noteStatusTimes(t: Ticket): void {
    if (t.status === 4) t.resolved_at ??= this.now();
    if (t.status === 5) {
      t.resolved_at ??= this.now();
      t.closed_at ??= this.now();
    }
  }

  /** Records what the filter will find once the index catches up with this write. */
  private index(t: Ticket): void {
    const fields: Record<string, CustomValue | readonly string[]> = {
      status: t.status,
      priority: t.priority,
      urgency: t.urgency,
      impact: t.impact,
      source: t.source,
      type: t.type,
      group_id: t.group_id,
      agent_id: t.responder_id,
      requester_id: t.requester_id,
      category: t.category,
      tag: [...t.tags],
      created_at: t.created_at,
      updated_at: t.updated_at,
      due_by: t.due_by,
      deleted: t.deleted,
    };
    for (const f of CUSTOM_FIELDS) fields[f.name] = t.custom_fields[f.name] ?? null;
    t.indexVersions.push({ at: this.now(), fields });
  }
}

const isBlank = (v: CustomValue | undefined): boolean => v === undefined || v === null || v === '';

function dropUndefined<T extends Record<string, unknown>>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

const COMPARED: ReadonlyArray<keyof Ticket> = [
  'subject',
  'description',
  'type',
  'status',
  'priority',
  'source',
  'urgency',
  'impact',
  'requester_id',
  'responder_id',
  'group_id',
  'category',
  'due_by',
  'tags',
  'cc_emails',
  'custom_fields',
];

function changedAttributes(before: Ticket, after: Ticket): string[] {
  return COMPARED.filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));
}

/** Input dates without a zone are read as UTC (vendor-apis-more.md §2.2). */
export function parseUtc(field: string, text: string): number {
  const zoned = /[zZ]|[+-]\d\d:?\d\d$/.test(text) || /^\d{4}-\d{2}-\d{2}$/.test(text) ? text : `${text}Z`;
  const ms = Date.parse(zoned);
  if (Number.isNaN(ms)) throw invalidValue(field, 'It should be in the YYYY-MM-DDTHH:MM:SSZ format');
  return ms;
}
