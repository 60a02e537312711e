/** Creating and updating tickets with Zendesk's rules (vendor-apis.md §3.1, §5.1). */
import * as z from 'zod';
import { CLOSED_TICKET_DETAIL, notFound, recordInvalid, updateConflict, ZdError, type FieldError } from './errors';
import { htmlToPlain, plainToHtml } from './html';
import {
  iso,
  PRIORITIES,
  STATUSES,
  TICKET_TYPES,
  type Audit,
  type AuditEvent,
  type Comment,
  type CustomFieldValue,
  type Priority,
  type Status,
  type Ticket,
  type TicketType,
  type ZdUser,
  type ZendeskStore,
} from './store';

const id = z.union([z.number().int(), z.string().regex(/^\d+$/).transform(Number)]);
const customValue = z.union([z.string(), z.number(), z.boolean(), z.array(z.string()), z.null()]);

export const commentInput = z.object({
  body: z.string().optional(),
  html_body: z.string().optional(),
  /** The pre-2014 name for `body`, still accepted. */
  value: z.string().optional(),
  public: z.boolean().optional(),
  author_id: id.optional(),
  uploads: z.array(z.string()).optional(),
});

export const ticketInput = z.object({
  subject: z.string().optional(),
  comment: commentInput.optional(),
  description: z.unknown().optional(),
  status: z.string().optional(),
  priority: z.string().nullable().optional(),
  type: z.string().nullable().optional(),
  problem_id: id.nullable().optional(),
  tags: z.array(z.string()).optional(),
  additional_tags: z.array(z.string()).optional(),
  remove_tags: z.array(z.string()).optional(),
  custom_fields: z.array(z.object({ id, value: customValue })).optional(),
  group_id: id.nullable().optional(),
  assignee_id: id.nullable().optional(),
  assignee_email: z.string().optional(),
  requester_id: id.optional(),
  requester: z.object({ name: z.string().optional(), email: z.string(), locale_id: z.number().optional() }).optional(),
  submitter_id: id.optional(),
  external_id: z.string().nullable().optional(),
  due_at: z.string().nullable().optional(),
  via_followup_source_id: id.optional(),
  /** "A value of false has the same effect as true." */
  safe_update: z.union([z.boolean(), z.string()]).optional(),
  updated_stamp: z.string().optional(),
});
export type TicketInput = z.infer<typeof ticketInput>;

const label = (field: string) => field.charAt(0).toUpperCase() + field.slice(1).replace(/_id$/, '').replace(/_/g, ' ');
const invalid = (field: string, value: unknown): ZdError =>
  recordInvalid({
    [field]: [{ description: `${label(field)}: ${String(value)} is not valid`, error: 'InvalidValue' }],
  });

/** Parses `{ticket: {...}}`, answering Zendesk's 422 for values of the wrong type. */
export function parseTicketBody(body: unknown): TicketInput {
  const envelope = z.object({ ticket: z.record(z.string(), z.unknown()) }).safeParse(body);
  if (!envelope.success) throw new ZdError(400, { error: 'InvalidEndpoint', description: 'Missing ticket parameter' });
  const parsed = ticketInput.safeParse(envelope.data.ticket);
  if (!parsed.success) {
    const details: Record<string, FieldError[]> = {};
    for (const issue of parsed.error.issues) {
      const field = String(issue.path[0] ?? 'base');
      (details[field] ??= []).push({ description: `${label(field)}: is invalid`, error: 'InvalidValue' });
    }
    throw recordInvalid(details);
  }
  return parsed.data;
}

/** What changed in one create or update: the trigger conditions and the audit read it. */
export interface TicketEvent {
  kind: 'create' | 'update';
  ticket: Ticket;
  actor: ZdUser;
  changes: Map<string, { previous: unknown; value: unknown }>;
  comment?: Comment;
  audit: Audit;
}

export interface TicketLimits {
  uploadTokenLifetimeSeconds: number;
  maxCommentsPerTicket: number;
}

const normalizeTags = (tags: string[]): string[] => [
  ...new Set(tags.flatMap((t) => t.trim().toLowerCase().split(/\s+/)).filter(Boolean)),
];

const sameValue = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

export class TicketService {
  constructor(
    private readonly store: ZendeskStore,
    private readonly limits: TicketLimits,
  ) {}

  get(ticketId: number): Ticket {
    const t = this.store.tickets.get(ticketId);
    if (!t || t.deleted) throw notFound();
    return t;
  }

  create(input: TicketInput, actor: ZdUser): TicketEvent {
    if (input.description !== undefined) throw readOnlyDescription();
    const comment = input.comment;
    const text = comment ? (comment.html_body ?? comment.body ?? comment.value ?? '') : '';
    if (!comment || (text.trim() === '' && !comment.uploads?.length))
      throw recordInvalid({ base: [{ description: 'Description: cannot be blank', error: 'BlankValue' }] });
    const requester = this.resolveRequester(input, actor);
    const source =
      input.via_followup_source_id !== undefined ? this.store.tickets.get(input.via_followup_source_id) : undefined;
    if (input.via_followup_source_id !== undefined && !source)
      throw recordInvalid({
        via_followup_source_id: [{ description: 'Via followup source: is invalid', error: 'InvalidValue' }],
      });
    // "The parameter only works with closed tickets. It has no effect with other tickets."
    const followupOf = source?.status === 'closed' ? source : undefined;
    const now = this.store.now();
    const at = iso(now);
    const ticket: Ticket = {
      id: this.store.nextId('ticket'),
      external_id: null,
      subject: '',
      description: '',
      status: 'new',
      priority: null,
      type: null,
      problem_id: null,
      tags: followupOf && input.tags === undefined ? [...followupOf.tags] : [],
      custom_fields: new Map(),
      requester_id: requester.id,
      submitter_id: actor.id,
      assignee_id: null,
      group_id: null,
      due_at: null,
      is_public: comment.public ?? true,
      comment_public_default: comment.public ?? true,
      via_followup_source_id: followupOf?.id ?? null,
      followup_ids: [],
      created_at: at,
      updated_at: at,
      generated_timestamp: Math.floor(now / 1000),
      generated_ms: now,
      deleted: false,
      comments: [],
      audits: [],
    };
    const changes = this.apply(ticket, input, actor, true);
    const author = this.commentAuthor(comment, actor);
    const attachmentIds = this.takeUploads(comment.uploads ?? []);
    const audit = this.newAudit(ticket, actor);
    const c = this.addComment(ticket, audit, comment, author, attachmentIds);
    ticket.description = c.plain_body;
    if (!input.subject) ticket.subject = (c.plain_body.split('\n')[0] ?? '').slice(0, 80);
    if (!changes.has('subject')) changes.set('subject', { previous: null, value: ticket.subject });
    for (const [field, ch] of changes)
      audit.events.push({ id: this.store.nextId('event'), type: 'Create', field_name: field, value: ch.value });
    this.store.tickets.set(ticket.id, ticket);
    if (followupOf) followupOf.followup_ids.push(ticket.id);
    return { kind: 'create', ticket, actor, changes, comment: c, audit };
  }

  /** Applies an update atomically: every check runs before anything is written. Returns undefined when nothing changed. */
  update(ticketId: number, input: TicketInput, actor: ZdUser): TicketEvent | undefined {
    const ticket = this.get(ticketId);
    if (ticket.status === 'closed') throw recordInvalid({ status: [CLOSED_TICKET_DETAIL] });
    if (input.description !== undefined) throw readOnlyDescription();
    if (input.safe_update !== undefined && input.updated_stamp !== undefined) {
      const stamp = Date.parse(input.updated_stamp);
      if (Number.isNaN(stamp) || Math.floor(stamp / 1000) !== Math.floor(Date.parse(ticket.updated_at) / 1000))
        throw updateConflict();
    }
    if (input.comment && ticket.comments.length >= this.limits.maxCommentsPerTicket) {
      throw recordInvalid({
        base: [
          {
            description: `Comments: Ticket has reached the limit of ${this.limits.maxCommentsPerTicket} comments`,
            error: 'TooManyComments',
          },
        ],
      });
    }
    // Validate on a copy so a refused update leaves the ticket as it was.
    const draft: Ticket = { ...ticket, tags: [...ticket.tags], custom_fields: new Map(ticket.custom_fields) };
    const changes = this.apply(draft, input, actor, false);
    const comment = input.comment;
    const hasComment = Boolean(
      comment && ((comment.html_body ?? comment.body ?? comment.value ?? '').trim() !== '' || comment.uploads?.length),
    );
    if (!changes.size && !hasComment) return undefined;
    const author = hasComment && comment ? this.commentAuthor(comment, actor) : actor;
    const attachmentIds = hasComment ? this.takeUploads(comment?.uploads ?? []) : [];
    Object.assign(ticket, draft);
    const audit = this.newAudit(ticket, actor);
    const c = hasComment && comment ? this.addComment(ticket, audit, comment, author, attachmentIds) : undefined;
    for (const [field, ch] of changes)
      audit.events.push({
        id: this.store.nextId('event'),
        type: 'Change',
        field_name: field,
        value: ch.value,
        previous_value: ch.previous,
      });
    const now = this.store.now();
    ticket.updated_at = iso(now);
    ticket.generated_timestamp = Math.floor(now / 1000);
    ticket.generated_ms = now;
    return { kind: 'update', ticket, actor, changes, comment: c, audit };
  }

  delete(ticketId: number): Ticket {
    const ticket = this.get(ticketId);
    ticket.deleted = true;
    const now = this.store.now();
    ticket.generated_timestamp = Math.floor(now / 1000);
    ticket.generated_ms = now;
    return ticket;
  }

  private resolveRequester(input: TicketInput, actor: ZdUser): ZdUser {
    if (input.requester_id !== undefined) {
      const u = this.store.userById(input.requester_id);
      if (!u) throw recordInvalid({ requester: [{ description: 'Requester: is invalid', error: 'InvalidValue' }] });
      return u;
    }
    if (input.requester) {
      const email = input.requester.email.trim();
      if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email))
        throw recordInvalid({
          requester: [
            {
              description: `Requester: ${input.requester.name ?? ''} ${email} is not properly formatted`.replace(
                /\s+/g,
                ' ',
              ),
              error: 'InvalidValue',
            },
          ],
        });
      return (
        this.store.userByEmail(email) ??
        this.store.addUser({ name: input.requester.name ?? email.split('@')[0]!, email, role: 'end-user' })
      );
    }
    return actor;
  }

  /** Resolves upload tokens to their attachments; an unknown, used or expired token refuses the whole request. */
  private takeUploads(tokens: string[]): number[] {
    const now = this.store.now();
    const uploads = tokens.map((token) => ({ token, upload: this.store.uploads.get(token) }));
    const bad = uploads.filter((u) => !u.upload || u.upload.consumed || u.upload.expiresAt <= now);
    if (bad.length)
      throw recordInvalid({
        base: bad.map((u) => ({
          description: `Uploads: token ${u.token} is invalid or has expired`,
          error: 'InvalidValue',
        })),
      });
    return uploads.flatMap((u) => {
      u.upload!.consumed = true;
      return u.upload!.attachmentIds;
    });
  }

  private newAudit(ticket: Ticket, actor: ZdUser): Audit {
    const audit: Audit = {
      id: this.store.nextId('audit'),
      ticket_id: ticket.id,
      author_id: actor.id,
      created_at: this.store.stamp(),
      events: [],
    };
    ticket.audits.push(audit);
    return audit;
  }

  private commentAuthor(input: z.infer<typeof commentInput>, actor: ZdUser): ZdUser {
    const author = input.author_id !== undefined ? this.store.userById(input.author_id) : actor;
    if (!author) throw recordInvalid({ author_id: [{ description: 'Author: is invalid', error: 'InvalidValue' }] });
    return author;
  }

  private addComment(
    ticket: Ticket,
    audit: Audit,
    input: z.infer<typeof commentInput>,
    author: ZdUser,
    attachmentIds: number[],
  ): Comment {
    let body: string;
    let html: string;
    if (input.html_body !== undefined) {
      html = input.html_body;
      body = htmlToPlain(html);
    } else {
      body = input.body ?? input.value ?? '';
      html = plainToHtml(body);
    }
    // End users cannot write internal notes.
    const isPublic = author.role === 'end-user' ? true : (input.public ?? ticket.comment_public_default);
    if (input.public !== undefined) ticket.comment_public_default = input.public;
    const comment: Comment = {
      id: this.store.nextId('comment'),
      ticket_id: ticket.id,
      audit_id: audit.id,
      author_id: author.id,
      body,
      html_body: html,
      plain_body: body,
      public: isPublic,
      attachmentIds,
      created_at: audit.created_at,
    };
    for (const aid of attachmentIds) {
      const a = this.store.attachments.get(aid);
      if (a) a.comment_id = comment.id;
    }
    ticket.comments.push(comment);
    if (isPublic) ticket.is_public = true;
    const event: AuditEvent = {
      id: this.store.nextId('event'),
      type: 'Comment',
      body,
      html_body: html,
      public: isPublic,
      author_id: author.id,
      attachments: attachmentIds,
    };
    audit.events.push(event);
    return comment;
  }

  /**
   * An incident's link to its problem. Only an incident is linked (a ticket
   * whose type leaves incident loses its link, as the agent's form drops the
   * field), and the ticket linked to must be a problem: a missing, deleted or
   * non-problem ticket is refused with 422 on `problem_id`, as is a link on a
   * ticket that is not an incident.
   */
  private applyProblem(
    t: Ticket,
    input: TicketInput,
    set: <K extends keyof Ticket>(field: K, value: Ticket[K]) => void,
  ): void {
    if (input.problem_id !== undefined && input.problem_id !== null) {
      if (t.type !== 'incident') throw problemInvalid('Problem: can only be set on a ticket of type incident');
      const problem = this.store.tickets.get(input.problem_id);
      if (!problem || problem.deleted) throw problemInvalid('Problem: is invalid');
      if (problem.type !== 'problem') throw problemInvalid('Problem: must be a ticket of type problem');
      set('problem_id', input.problem_id);
    } else if (input.problem_id === null) set('problem_id', null);
    if (t.type !== 'incident' && t.problem_id !== null) set('problem_id', null);
  }

  /** Writes the input's fields onto the ticket, returning what changed. Throws (before any write to a real ticket) on invalid values. */
  private apply(
    t: Ticket,
    input: TicketInput,
    actor: ZdUser,
    creating: boolean,
  ): Map<string, { previous: unknown; value: unknown }> {
    const changes = new Map<string, { previous: unknown; value: unknown }>();
    const set = <K extends keyof Ticket>(field: K, value: Ticket[K]) => {
      if (sameValue(t[field], value)) return;
      changes.set(field, { previous: t[field], value });
      t[field] = value;
    };
    if (input.subject !== undefined) set('subject', input.subject);
    if (input.external_id !== undefined) set('external_id', input.external_id);
    if (input.priority !== undefined) {
      if (input.priority !== null && input.priority !== '' && !PRIORITIES.includes(input.priority as Priority))
        throw invalid('priority', input.priority);
      set('priority', (input.priority || null) as Priority | null);
    }
    if (input.type !== undefined) {
      if (input.type !== null && input.type !== '' && !TICKET_TYPES.includes(input.type as TicketType))
        throw invalid('type', input.type);
      set('type', (input.type || null) as TicketType | null);
    }
    this.applyProblem(t, input, set);
    if (input.due_at !== undefined) {
      if (input.due_at !== null && Number.isNaN(Date.parse(input.due_at))) throw invalid('due_at', input.due_at);
      set('due_at', input.due_at === null ? null : iso(Date.parse(input.due_at)));
    }
    if (input.group_id !== undefined) {
      if (input.group_id !== null && !this.store.groups.some((g) => g.id === input.group_id))
        throw recordInvalid({ group: [{ description: 'Group: is invalid', error: 'InvalidValue' }] });
      set('group_id', input.group_id);
    }
    let assignee = input.assignee_id;
    if (input.assignee_email !== undefined) assignee = this.store.userByEmail(input.assignee_email)?.id ?? -1;
    if (assignee !== undefined) {
      const u = assignee === null ? undefined : this.store.userById(assignee);
      if (assignee !== null && (!u || u.role === 'end-user'))
        throw recordInvalid({ assignee: [{ description: 'Assignee: is invalid', error: 'InvalidValue' }] });
      set('assignee_id', assignee);
      if (u && t.group_id === null) set('group_id', u.default_group_id);
    }
    if (!creating && input.requester_id !== undefined) {
      if (!this.store.userById(input.requester_id))
        throw recordInvalid({ requester: [{ description: 'Requester: is invalid', error: 'InvalidValue' }] });
      set('requester_id', input.requester_id);
    }
    let tags = input.tags !== undefined ? normalizeTags(input.tags) : [...t.tags];
    if (input.additional_tags) tags = normalizeTags([...tags, ...input.additional_tags]);
    if (input.remove_tags) {
      const drop = new Set(normalizeTags(input.remove_tags));
      tags = tags.filter((x) => !drop.has(x));
    }
    set('tags', tags);
    if (input.custom_fields) {
      const next = new Map(t.custom_fields);
      for (const f of input.custom_fields) {
        // Unknown field ids are dropped silently, as Zendesk does.
        if (!this.store.fields.some((d) => d.id === f.id)) continue;
        const previous = next.get(f.id) ?? null;
        const value: CustomFieldValue = f.value === '' ? null : f.value;
        if (sameValue(previous, value)) continue;
        next.set(f.id, value);
        changes.set(`custom_fields_${f.id}`, { previous, value });
      }
      t.custom_fields = next;
    }
    let status = t.status;
    if (input.status !== undefined) {
      if (!STATUSES.includes(input.status as Status)) throw invalid('status', input.status);
      status = input.status as Status;
    }
    // New tickets with an assignee are open; solving assigns the agent who solves.
    if (status === 'new' && t.assignee_id !== null) status = 'open';
    if ((status === 'solved' || status === 'closed') && t.assignee_id === null && actor.role !== 'end-user') {
      set('assignee_id', actor.id);
      if (t.group_id === null) set('group_id', actor.default_group_id);
    }
    set('status', status);
    if (creating) changes.set('status', { previous: null, value: t.status });
    return changes;
  }
}

/** Why a ticket cannot be linked to a problem (the details Zendesk's 422 gives on `problem_id`). */
const problemInvalid = (description: string): ZdError =>
  recordInvalid({ problem_id: [{ description, error: 'InvalidValue' }] });

const readOnlyDescription = (): ZdError =>
  new ZdError(422, {
    error: 'RecordInvalid',
    description:
      'The description key on the ticket object is read-only. Use the comment resource instead for setting the ticket description.',
  });
