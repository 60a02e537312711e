/** The account's records, in memory: agents, requesters, groups, tickets, conversations and attachments. */
import type { TicketType } from './codes';

export type CustomValue = string | number | boolean | null;

export interface Agent {
  id: number;
  first_name: string;
  last_name: string;
  email: string;
  /** The agent's own API key (Basic `<apikey>:X`). */
  apiKey: string;
  /** An account admin may use `bypass_mandatory`; an agent may not. */
  role: 'admin' | 'agent';
  active: boolean;
  group_ids: number[];
}

export interface Requester {
  id: number;
  first_name: string;
  last_name: string;
  primary_email: string;
  active: boolean;
}

export interface Group {
  id: number;
  name: string;
  description: string | null;
}

export interface Attachment {
  id: number;
  name: string;
  content_type: string;
  size: number;
  content: Buffer;
  ticket_id: number;
  /** The reply or note that carried it; null for a file on the ticket itself. */
  conversation_id: number | null;
  created_at: number;
}

export interface Conversation {
  id: number;
  ticket_id: number;
  kind: 'reply' | 'note';
  /** HTML, as written. */
  body: string;
  incoming: boolean;
  private: boolean;
  user_id: number;
  to_emails: string[];
  cc_emails: string[];
  bcc_emails: string[];
  support_email: string | null;
  attachment_ids: number[];
  created_at: number;
  updated_at: number;
}

/** What the filter endpoint can search, as of one moment (the index keeps these, not the live tickets). */
export type IndexedFields = Readonly<Record<string, CustomValue | readonly string[]>>;

export interface Ticket {
  id: number;
  subject: string;
  /** HTML, as written. */
  description: string;
  type: TicketType;
  status: number;
  priority: number;
  source: number;
  urgency: number;
  impact: number;
  requester_id: number;
  responder_id: number | null;
  group_id: number | null;
  category: string | null;
  due_by: number | null;
  tags: string[];
  cc_emails: string[];
  custom_fields: Record<string, CustomValue>;
  attachment_ids: number[];
  deleted: boolean;
  created_at: number;
  updated_at: number;
  /** When the ticket first entered Resolved / Closed, and when an agent first replied (the `stats` include). */
  resolved_at: number | null;
  closed_at: number | null;
  first_responded_at: number | null;
  /** The filter index's versions of the ticket, oldest first: `at` is when the write that made it happened. */
  indexVersions: Array<{ at: number; fields: IndexedFields }>;
}

export class FreshserviceStore {
  agents: Agent[] = [];
  requesters: Requester[] = [];
  groups: Group[] = [];
  tickets = new Map<number, Ticket>();
  conversations = new Map<number, Conversation>();
  attachments = new Map<number, Attachment>();
  private nextId = { ticket: 1, conversation: 1, attachment: 1, person: 1, group: 1 };

  constructor(readonly now: () => number) {}

  clear(): void {
    this.agents = [];
    this.requesters = [];
    this.groups = [];
    this.tickets.clear();
    this.conversations.clear();
    this.attachments.clear();
    this.nextId = { ticket: 1, conversation: 1, attachment: 1, person: 1, group: 1 };
  }

  /** Ids look like Freshservice's: people and groups in one large range, tickets counting from 1. */
  id(kind: keyof FreshserviceStore['nextId']): number {
    const n = this.nextId[kind]++;
    return kind === 'person' ? 21000000000 + n : kind === 'group' ? 21000100000 + n : n;
  }

  /**
   * An image pasted into the agent portal's editor: the editor uploads it as the ticket's own file before the reply
   * or note is sent, and the body then shows it by its `attachment_url` (serialize.ts). Returns the file's id.
   */
  addPastedImage(ticketId: number, name: string, contentType: string, content: Buffer): number {
    const ticket = this.tickets.get(ticketId);
    if (!ticket) throw new Error(`No ticket ${ticketId}`);
    const id = this.id('attachment');
    this.attachments.set(id, {
      id,
      name,
      content_type: contentType,
      size: content.length,
      content,
      ticket_id: ticketId,
      conversation_id: null,
      created_at: this.now(),
    });
    ticket.attachment_ids.push(id);
    return id;
  }

  addGroup(name: string, description: string | null = null): Group {
    const g = { id: this.id('group'), name, description };
    this.groups.push(g);
    return g;
  }

  addAgent(a: Omit<Agent, 'id' | 'active'>): Agent {
    const agent = { ...a, id: this.id('person'), active: true };
    this.agents.push(agent);
    return agent;
  }

  addRequester(first_name: string, last_name: string, email: string): Requester {
    const r = { id: this.id('person'), first_name, last_name, primary_email: email.toLowerCase(), active: true };
    this.requesters.push(r);
    return r;
  }

  agentById = (id: number): Agent | undefined => this.agents.find((a) => a.id === id);
  agentByEmail = (email: string): Agent | undefined =>
    this.agents.find((a) => a.email.toLowerCase() === email.toLowerCase());
  agentByKey = (key: string): Agent | undefined => this.agents.find((a) => a.active && a.apiKey === key);
  requesterById = (id: number): Requester | undefined => this.requesters.find((r) => r.id === id);
  requesterByEmail = (email: string): Requester | undefined =>
    this.requesters.find((r) => r.primary_email === email.toLowerCase());
  groupById = (id: number): Group | undefined => this.groups.find((g) => g.id === id);

  /** Anyone who can be named as a ticket's requester or a note's author: requesters and agents alike. */
  personById(id: number): { id: number; name: string; email: string } | undefined {
    const r = this.requesterById(id);
    if (r) return { id, name: `${r.first_name} ${r.last_name}`.trim(), email: r.primary_email };
    const a = this.agentById(id);
    return a ? { id, name: `${a.first_name} ${a.last_name}`.trim(), email: a.email } : undefined;
  }

  ticketAttachmentBytes(ticketId: number): number {
    let total = 0;
    for (const a of this.attachments.values()) if (a.ticket_id === ticketId) total += a.size;
    return total;
  }

  conversationsOf(ticketId: number): Conversation[] {
    return [...this.conversations.values()].filter((c) => c.ticket_id === ticketId).sort((a, b) => a.id - b.id);
  }
}
