/** The Zendesk account's state: users, groups, ticket fields, tickets with comments and audits, uploads, webhooks and triggers. */
import { randomBytes } from 'node:crypto';
import type { SlaPolicy } from './slas';

export type Role = 'end-user' | 'agent' | 'admin';
export type Status = 'new' | 'open' | 'pending' | 'hold' | 'solved' | 'closed';
export type Priority = 'low' | 'normal' | 'high' | 'urgent';
export type TicketType = 'problem' | 'incident' | 'question' | 'task';
export type CustomFieldValue = string | number | boolean | string[] | null;

export const STATUSES: readonly Status[] = ['new', 'open', 'pending', 'hold', 'solved', 'closed'];
export const PRIORITIES: readonly Priority[] = ['low', 'normal', 'high', 'urgent'];
export const TICKET_TYPES: readonly TicketType[] = ['problem', 'incident', 'question', 'task'];

export interface ZdUser {
  id: number;
  name: string;
  email: string;
  role: Role;
  active: boolean;
  created_at: string;
  updated_at: string;
  default_group_id: number | null;
}

export interface ZdGroup {
  id: number;
  name: string;
  created_at: string;
  updated_at: string;
}

export interface TicketField {
  id: number;
  type: 'text' | 'tagger' | 'checkbox' | 'integer' | 'date' | 'multiselect';
  title: string;
  /** Option values for tagger/multiselect fields. */
  options?: Array<{ name: string; value: string }>;
  created_at: string;
}

export interface Attachment {
  id: number;
  /** The token in `content_url` (the download path). */
  token: string;
  file_name: string;
  content_type: string;
  size: number;
  content: Buffer;
  /** Set once the upload is attached to a comment. */
  comment_id?: number;
}

export interface Upload {
  token: string;
  expiresAt: number;
  attachmentIds: number[];
  consumed: boolean;
}

export interface Comment {
  id: number;
  ticket_id: number;
  audit_id: number;
  author_id: number;
  body: string;
  html_body: string;
  plain_body: string;
  public: boolean;
  attachmentIds: number[];
  created_at: string;
}

export interface AuditEvent {
  id: number;
  type: 'Create' | 'Change' | 'Comment';
  field_name?: string;
  value?: unknown;
  previous_value?: unknown;
  body?: string;
  html_body?: string;
  public?: boolean;
  author_id?: number;
  attachments?: number[];
}

export interface Audit {
  id: number;
  ticket_id: number;
  author_id: number;
  created_at: string;
  events: AuditEvent[];
}

export interface Ticket {
  id: number;
  external_id: string | null;
  subject: string;
  description: string;
  status: Status;
  priority: Priority | null;
  type: TicketType | null;
  /** The problem ticket this incident is linked to: only an incident has one, and it names a problem. */
  problem_id: number | null;
  tags: string[];
  custom_fields: Map<number, CustomFieldValue>;
  requester_id: number;
  submitter_id: number;
  assignee_id: number | null;
  group_id: number | null;
  due_at: string | null;
  is_public: boolean;
  /** "The initial value set on ticket creation persists for any additional comment unless you change it." */
  comment_public_default: boolean;
  via_followup_source_id: number | null;
  followup_ids: number[];
  created_at: string;
  updated_at: string;
  /** Unix seconds; bumped on every change (the export's order key). */
  generated_timestamp: number;
  /** Milliseconds, for ordering changes within one second. */
  generated_ms: number;
  deleted: boolean;
  comments: Comment[];
  audits: Audit[];
}

export interface Webhook {
  id: string;
  name: string;
  endpoint: string;
  http_method: 'POST' | 'PUT' | 'PATCH' | 'GET' | 'DELETE';
  request_format: 'json';
  status: 'active' | 'inactive';
  subscriptions: string[];
  signing_secret: string;
  created_at: string;
  created_by: number;
  updated_at: string;
  updated_by: number;
}

export interface TriggerCondition {
  field: string;
  operator: string;
  value?: string | number | boolean | null | Array<string | number>;
}

export interface Trigger {
  id: number;
  title: string;
  active: boolean;
  position: number;
  conditions: { all: TriggerCondition[]; any: TriggerCondition[] };
  actions: Array<{ field: string; value: unknown }>;
  description: string | null;
  created_at: string;
  updated_at: string;
}

/** ISO 8601 to the second, as Zendesk writes every timestamp. */
export const iso = (ms: number): string =>
  new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');

export class ZendeskStore {
  users: ZdUser[] = [];
  groups: ZdGroup[] = [];
  fields: TicketField[] = [];
  tickets = new Map<number, Ticket>();
  attachments = new Map<number, Attachment>();
  uploads = new Map<string, Upload>();
  webhooks = new Map<string, Webhook>();
  triggers = new Map<number, Trigger>();
  slaPolicies: SlaPolicy[] = [];
  /** Account API tokens: any user's email with one of these authenticates as that user. */
  apiTokens = new Set<string>();
  /** OAuth access tokens → user id. */
  oauthTokens = new Map<string, number>();
  private counters = ZendeskStore.initialCounters();

  private static initialCounters() {
    return {
      user: 360000000000,
      group: 360000100000,
      field: 360000200000,
      ticket: 0,
      comment: 15000000000,
      audit: 16000000000,
      attachment: 17000000000,
      event: 18000000000,
      trigger: 360000300000,
    };
  }

  constructor(readonly now: () => number) {}

  /** Forgets everything, ids included. */
  clear(): void {
    this.users = [];
    this.groups = [];
    this.fields = [];
    this.slaPolicies = [];
    for (const m of [this.tickets, this.attachments, this.uploads, this.webhooks, this.triggers, this.oauthTokens])
      m.clear();
    this.apiTokens.clear();
    this.counters = ZendeskStore.initialCounters();
  }

  nextId(kind: keyof ZendeskStore['counters']): number {
    this.counters[kind] += 1;
    return this.counters[kind];
  }

  stamp(): string {
    return iso(this.now());
  }

  addUser(u: { name: string; email: string; role: Role; default_group_id?: number | null }): ZdUser {
    const at = this.stamp();
    const user: ZdUser = {
      id: this.nextId('user'),
      name: u.name,
      email: u.email.toLowerCase(),
      role: u.role,
      active: true,
      created_at: at,
      updated_at: at,
      default_group_id: u.default_group_id ?? null,
    };
    this.users.push(user);
    return user;
  }

  userById(id: number): ZdUser | undefined {
    return this.users.find((u) => u.id === id);
  }

  userByEmail(email: string): ZdUser | undefined {
    const e = email.toLowerCase();
    return this.users.find((u) => u.email === e);
  }

  addGroup(name: string): ZdGroup {
    const at = this.stamp();
    const g: ZdGroup = { id: this.nextId('group'), name, created_at: at, updated_at: at };
    this.groups.push(g);
    return g;
  }

  addField(f: Omit<TicketField, 'id' | 'created_at'>): TicketField {
    const field: TicketField = { ...f, id: this.nextId('field'), created_at: this.stamp() };
    this.fields.push(field);
    return field;
  }

  token(bytes = 18): string {
    return randomBytes(bytes).toString('base64url');
  }

  /** Live (not deleted) tickets in id order. */
  liveTickets(): Ticket[] {
    return [...this.tickets.values()].filter((t) => !t.deleted).sort((a, b) => a.id - b.id);
  }
}
