/**
 * The one connector contract. Jira and every remote system (ServiceNow, Azure
 * DevOps, Zendesk; later GitHub, Freshdesk, Asana) implement it, so the engine
 * never knows which system it talks to. What a system cannot do is declared in
 * its capabilities, never discovered by failing.
 *
 * Values cross this boundary in the system's own representation (`fields` is
 * what the system stores); mapping to canonical values is the mapping layer's
 * job, so connectors stay thin.
 */
import type { SyncError } from './errors';

export type SystemKind = 'jira' | 'servicenow' | 'azure-devops' | 'zendesk';
export type Visibility = 'public' | 'internal';

export interface Capabilities {
  /** Which comment visibilities exist (ServiceNow comments/work_notes, Zendesk public/private, ADO discussion = public only). */
  commentVisibilities: readonly Visibility[];
  /** Whether a comment can be edited or deleted after it is written (ServiceNow journals cannot). */
  commentEdit: boolean;
  commentDelete: boolean;
  /** The body format the system stores. */
  commentFormat: 'adf' | 'text' | 'html' | 'markdown';
  descriptionFormat: 'adf' | 'text' | 'html' | 'markdown';
  attachments: { upload: boolean; delete: boolean; maxBytes?: number };
  /** How a create is made idempotent: a correlation field we can search for. */
  correlation: 'correlation_id' | 'external_id' | 'hyperlink' | 'issue-property';
  /** Writes carry the revision read (ADO `rev`); a stale one is refused. */
  optimisticConcurrency: boolean;
  /** A closed item can no longer change (Zendesk): changes open a follow-up instead. */
  closedIsFinal: boolean;
  /** Status moves only through workflow transitions (Jira). */
  statusByTransition: boolean;
  /** Change notifications the system can push to our web trigger. */
  webhook: 'forge-trigger' | 'hmac-sha256' | 'basic-auth' | 'none';
  /** Field length limits the system enforces silently or loudly. */
  maxLengths: Readonly<Record<string, number>>;
}

export interface ItemRef {
  id: string;
  /** What people call it: DEMO-12, INC0010001, 4512, #981. */
  displayKey: string;
  url: string;
}

export interface Item extends ItemRef {
  /** Epoch ms of the last change, as the system reports it. */
  updatedAt: number;
  /** Revision token for optimistic concurrency (ADO rev, ServiceNow sys_mod_count). */
  version?: string;
  /** The system's own field values. */
  fields: Readonly<Record<string, unknown>>;
  /** Our correlation marker, when the item was created by Crosswalk. */
  correlationId?: string;
}

export interface Author {
  id?: string;
  displayName: string;
  email?: string;
}

export interface Comment {
  id: string;
  body: string | Readonly<Record<string, unknown>>;
  visibility: Visibility;
  author: Author;
  createdAt: number;
  updatedAt: number;
  /** Marker of the comment this one was copied from, when Crosswalk wrote it. */
  origin?: string;
}

export interface Attachment {
  id: string;
  fileName: string;
  contentType: string;
  size: number;
  createdAt: number;
  origin?: string;
}

export interface NewComment {
  body: string | Readonly<Record<string, unknown>>;
  visibility: Visibility;
  /** Written into the comment so a retry can find it instead of adding it twice. */
  origin: string;
}

export interface NewAttachment {
  fileName: string;
  contentType: string;
  size: number;
  body: ReadableStream<Uint8Array> | Uint8Array;
  origin: string;
}

export interface ChangedItems {
  items: Array<{ id: string; updatedAt: number }>;
  /** Opaque; pass back to continue. Absent when caught up. */
  cursor?: string;
}

export interface Connector {
  readonly system: SystemKind;
  readonly capabilities: Capabilities;

  /** Cheap authenticated call that proves the credentials and scope work. */
  testConnection(): Promise<{ ok: true; identity: string } | { ok: false; error: SyncError }>;

  getItem(id: string): Promise<Item | undefined>;
  /** Finds an item by what people call it (INC0010001, a work item id, a ticket number). */
  findByDisplayKey(key: string): Promise<Item | undefined>;
  /** Finds an item Crosswalk created, by the correlation marker written at create time. */
  findByCorrelation(correlationId: string): Promise<Item | undefined>;
  createItem(fields: Readonly<Record<string, unknown>>, correlationId: string): Promise<Item>;
  /** Writes only the given fields; returns the item as stored (which becomes the new base). */
  updateItem(id: string, fields: Readonly<Record<string, unknown>>, expectedVersion?: string): Promise<Item>;
  /** Items changed at or after `since` (epoch ms), oldest first, for the safety-net sweep. */
  listChanged(since: number, cursor?: string): Promise<ChangedItems>;

  listComments(itemId: string): Promise<Comment[]>;
  addComment(itemId: string, comment: NewComment): Promise<Comment>;
  /** Only when `capabilities.commentEdit`. */
  updateComment?(itemId: string, commentId: string, body: NewComment['body']): Promise<Comment>;

  /** People on the remote side, for user mapping by email; absent where a system hides emails. */
  readonly users?: {
    idForEmail(email: string): Promise<string | undefined>;
    emailForId(id: string): Promise<string | undefined>;
  };

  listAttachments(itemId: string): Promise<Attachment[]>;
  downloadAttachment(itemId: string, attachmentId: string): Promise<{ body: ReadableStream<Uint8Array>; size: number; contentType: string }>;
  uploadAttachment(itemId: string, file: NewAttachment): Promise<Attachment>;
}

/** What each system can do, as data (docs/ARCHITECTURE.md, "Connectors"). */
export const CAPABILITIES: Readonly<Record<SystemKind, Capabilities>> = {
  jira: {
    commentVisibilities: ['public', 'internal'],
    commentEdit: true,
    commentDelete: true,
    commentFormat: 'adf',
    descriptionFormat: 'adf',
    attachments: { upload: true, delete: true },
    correlation: 'issue-property',
    optimisticConcurrency: false,
    closedIsFinal: false,
    statusByTransition: true,
    webhook: 'forge-trigger',
    maxLengths: { summary: 255, 'issue-property': 32_768 },
  },
  servicenow: {
    commentVisibilities: ['public', 'internal'],
    commentEdit: false,
    commentDelete: false,
    commentFormat: 'text',
    descriptionFormat: 'text',
    attachments: { upload: true, delete: true },
    correlation: 'correlation_id',
    optimisticConcurrency: false,
    closedIsFinal: false,
    statusByTransition: false,
    webhook: 'hmac-sha256',
    maxLengths: { short_description: 160, correlation_id: 100 },
  },
  'azure-devops': {
    commentVisibilities: ['public'],
    commentEdit: true,
    commentDelete: true,
    commentFormat: 'html',
    descriptionFormat: 'html',
    attachments: { upload: true, delete: true, maxBytes: 60 * 1024 * 1024 },
    correlation: 'hyperlink',
    optimisticConcurrency: true,
    closedIsFinal: false,
    statusByTransition: false,
    webhook: 'basic-auth',
    maxLengths: { 'System.Title': 255 },
  },
  zendesk: {
    commentVisibilities: ['public', 'internal'],
    commentEdit: false,
    commentDelete: false,
    commentFormat: 'html',
    descriptionFormat: 'html',
    attachments: { upload: true, delete: false, maxBytes: 50 * 1024 * 1024 },
    correlation: 'external_id',
    optimisticConcurrency: false,
    closedIsFinal: true,
    statusByTransition: false,
    webhook: 'hmac-sha256',
    maxLengths: {},
  },
};
