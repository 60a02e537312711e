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
import * as z from 'zod';
import type { SyncError } from './errors';
import type { DateTimeText } from '../vocabulary/system-terms';

/** A registry kind (src/connectors/registry.ts): 'servicenow', 'github'…; the engine never branches on one. */
export type RemoteSystemKind = string;
export type Visibility = 'public' | 'internal';
export type { BodyFormat } from '../content/body-format';
import { REMOTE_BODY_FORMATS, type BodyFormat, type RemoteBodyFormat } from '../content/body-format';

export interface Capabilities {
  /** Which comment visibilities exist (ServiceNow comments/work_notes, Zendesk public/private, ADO discussion = public only). */
  commentVisibilities: readonly Visibility[];
  /** Whether a comment can be edited or deleted after it is written (ServiceNow journals cannot). */
  commentEdit: boolean;
  /**
   * Where only some of its comments can be edited once written, the visibilities of those (Freshservice: notes, which
   * internal comments become, not replies, which public ones become and which were emailed); absent: all of them.
   */
  commentEditVisibilities?: readonly Visibility[];
  commentDelete: boolean;
  /** Whether its items have SLAs the connector reads (`slaOf`), so a connection may copy one into a Jira field. */
  slas?: boolean;
  /** The body format the system stores; the engine converts Jira's ADF to it and back. */
  commentFormat: BodyFormat;
  descriptionFormat: BodyFormat;
  /** `onlyWithComments`: files arrive only on a new comment (Zendesk), so a change that brought no comment brought no file. */
  attachments: { upload: boolean; delete: boolean; maxBytes?: number; onlyWithComments?: boolean };
  /** Field length limits the system enforces silently (ServiceNow cuts short_description at 160). */
  maxLengths: Readonly<Record<string, number>>;
  /**
   * Fields written only when an item is made and never changed after, with
   * why (Zendesk's description is the ticket's first comment): a later Jira
   * edit of one is not written, and is shown on the issue as a notice.
   */
  fixedAfterCreate?: Readonly<Record<string, string>>;
  /**
   * `updateItem` with an `expectedVersion` refuses, as a `conflict` SyncError,
   * when the item changed since that version (Azure DevOps `test /rev`, Zendesk
   * `safe_update`): the engine may then write without reading first.
   */
  conditionalWrites?: boolean;
  /**
   * An item's `version` counts its writes, one a write (ServiceNow
   * `sys_mod_count`, Azure DevOps `rev`): a write answered with the version
   * after the one read proves nobody else wrote in between, so what it
   * answers counts as seen.
   */
  versionCountsWrites?: boolean;
  /** `users.search` exists: the settings page offers the remote's people by name for manual pairs (else their id is typed). */
  userSearch?: boolean;
  /** How the system writes a date-time as text, where not ISO 8601 (ServiceNow's `yyyy-MM-dd HH:mm:ss`, in UTC). */
  dateTimeText?: DateTimeText;
}

export interface ItemRef {
  id: string;
  /** What people call it, as the system itself names it: DEMO-12, INC0010001, Bug 4512, #981. */
  displayKey: string;
  url: string;
}

/**
 * A remote item as a search lists it, for a person choosing one to link: the
 * whole item (its fields and correlation marker decide whether the connection
 * lets it be linked, sync/hand-link.ts), with its title and status for people.
 */
export interface FoundItem extends Item {
  title: string;
  /** Its status as the remote names it. */
  status?: string;
}

export interface Item extends ItemRef {
  /** Epoch ms of the last change, as the system reports it. */
  updatedAt: number;
  /** Epoch ms of its creation, where the read carries it (adoption's equal titles created near each other). */
  createdAt?: number;
  /** Revision token for optimistic concurrency (ADO rev, ServiceNow sys_mod_count). */
  version?: string;
  /** The system's own field values. */
  fields: Readonly<Record<string, unknown>>;
  /** Our correlation marker, when the item was created by Crosswalk. */
  correlationId?: string;
  /**
   * Its parent's id, read with the item, where the system keeps the parent
   * apart from its fields (an Azure DevOps `Hierarchy-Reverse` relation): the
   * engine reads it through `Connector.hierarchy.parentOf`, never directly.
   */
  parent?: string;
  /** The items it is related to (Azure DevOps `Related` links), read with it where the system has such links. */
  related?: readonly string[];
}

/**
 * What the system allows of its parent relation, declared so the engine can
 * say plainly why a Jira parent cannot cross before trying (the remote still
 * has the last word: a write it refuses fails as a `validation` SyncError).
 */
export interface HierarchyRules {
  /** Every system here keeps at most one parent per item. */
  oneParent: true;
  /** The item field that holds the kind of item the rules below name (Zendesk's `type`), where they name kinds. */
  typeField?: string;
  /** The kinds that can be a parent (Zendesk: `problem`), in the system's own values; absent: any item. */
  parentTypes?: readonly string[];
  /** The kinds that can have a parent (Zendesk: `incident`); absent: any item. */
  childTypes?: readonly string[];
  /**
   * Whether a child can itself be a parent (Azure DevOps: Epic › Feature › Story › Task; ServiceNow's incidents
   * too). Zendesk's is one level: a problem has no problem, an incident has no incidents.
   */
  nested: boolean;
  /** Whether the remote refuses a loop (Azure DevOps); where it does not (ServiceNow), the engine must not write one. */
  refusesCycles: boolean;
  /** Where parent and child must both be: the connection's own items (the ServiceNow table, the Zendesk account). */
  scope: string;
}

/**
 * The system's own parent/child relation, where it has one (Azure DevOps
 * Hierarchy links, ServiceNow parent records, Zendesk problem and incident),
 * for Jira's parent (epic, parent, sub-task) to cross both ways. Ids are the
 * remote's item ids, as `Item.id`; translating them to and from Jira issues
 * through the links is the engine's.
 */
export interface Hierarchy {
  /** How people there call the relation, for the issue panel and messages: "Parent", "Parent Incident", "Problem". */
  readonly label: string;
  /**
   * The field that holds the parent where it is a field (ServiceNow `parent_incident` or `parent`, Zendesk
   * `problem_id`): a field mapping must not also write it. Absent where it is a relation (Azure DevOps).
   */
  readonly field?: string;
  readonly rules: HierarchyRules;
  /**
   * The item's parent's id, from the item as `getItem`, `createItem`, `updateItem` and `setParent` answer it,
   * with no call of its own; undefined when it has none. (An item built from a notification's fields holds it
   * only where the parent is a field the notification shows.)
   */
  parentOf(item: Item): string | undefined;
  /**
   * Why `child` cannot have `parent` as its parent under `rules`, in words for people, or undefined when it can;
   * pure, from the items as read. `parent` undefined asks whether `child` may lose its parent (always yes here).
   */
  refusal(child: Item, parent: Item | undefined): string | undefined;
  /**
   * Gives `childId` the parent `parentId` (replacing any it had), or none when undefined, in as few calls as the
   * API allows, and answers the child as stored (its new base, `parentOf` saying the new parent). With
   * `expectedVersion` on a system with conditional writes, a child changed since that version is refused as a
   * `conflict`. A parent the remote refuses is a `validation` SyncError in the remote's words; a missing one is
   * `not-found`.
   */
  setParent(childId: string, parentId: string | undefined, expectedVersion?: string): Promise<Item>;
}

/**
 * Links between peers (Azure DevOps `System.LinkTypes.Related`), for Jira's
 * "relates to" issue links to cross. A link is symmetric: the system keeps it
 * on both items, so it is written on one of them only.
 */
export interface RelatedLinks {
  /** How people there call the link: "Related". */
  readonly label: string;
  /** The ids of the items `item` is related to, from the item as read (`Item.related`), with no call of its own. */
  relatedOf(item: Item): readonly string[];
  /**
   * Adds links to `add` and removes those to `remove` on `id`, in as few calls as the API allows (a link already
   * there, or one already gone, is left as it is), and answers the item as stored. `expectedVersion` as in
   * `Hierarchy.setParent`.
   */
  setRelated(id: string, add: readonly string[], remove: readonly string[], expectedVersion?: string): Promise<Item>;
}

/**
 * What a change notification says the item became: the version it reached,
 * when, and the values it shows, in the system's own representation (the
 * fields that changed, or all of them). Checked against the link before use
 * (sync/evidence.ts).
 */
export const remoteEvidence = z.object({
  version: z.string().min(1).max(40),
  updatedAt: z.number().int().nonnegative(),
  fields: z.record(z.string().max(256), z.unknown()),
  /** The fields are the item's whole state (a field left out is empty), not only what changed (a field left out is unchanged). */
  complete: z.boolean().optional(),
  /**
   * The item's parent where the system keeps it apart from the fields (`Item.parent`) and the notification shows
   * it: an id, or null for none; absent when the notification does not say (then it is not known, even if
   * `complete`).
   */
  parent: z.string().min(1).max(256).nullable().optional(),
});
export type RemoteEvidence = z.infer<typeof remoteEvidence>;

export interface Author {
  id?: string;
  displayName: string;
  email?: string;
}

export interface Comment {
  id: string;
  body: string | Readonly<Record<string, unknown>>;
  /**
   * This comment's body format, where it is not `capabilities.commentFormat`: a ServiceNow journal entry that
   * formats part of itself (`[code]` HTML) is given as HTML, one of text alone as text.
   */
  format?: RemoteBodyFormat;
  visibility: Visibility;
  author: Author;
  createdAt: number;
  updatedAt: number;
}

export interface Attachment {
  id: string;
  fileName: string;
  contentType: string;
  size: number;
  createdAt: number;
  /** Who added it, in the system's own terms; Crosswalk recognises its own copies by this and their name and size. */
  authorId?: string;
  /** Where the system's rich text shows it inline (an `<img src>`), where it shows files inline at all. */
  url?: string;
}

export interface NewComment {
  body: string | Readonly<Record<string, unknown>>;
  visibility: Visibility;
}

export interface NewAttachment {
  fileName: string;
  contentType: string;
  size: number;
  body: ReadableStream<Uint8Array> | Uint8Array;
}

export interface ChangedItems {
  items: Array<{ id: string; updatedAt: number }>;
  /** Opaque; pass back to continue. Absent when caught up. */
  cursor?: string;
}

/**
 * A field of the connection's remote item as the remote describes it, for the
 * mapping editor. `id` is exactly the name field mappings and the remote filter
 * use for that system (a ServiceNow column, an Azure DevOps reference name, a
 * Zendesk ticket property or `custom_<id>`); `values` are the values the remote
 * allows, where it has a list (`value` as stored, `label` as people read it).
 */
export const remoteFieldSchema = z.object({
  id: z.string().min(1).max(256),
  name: z.string().max(256),
  kind: z.enum(['text', 'rich-text', 'choice', 'user', 'list', 'number', 'date', 'date-time', 'path', 'other']),
  readOnly: z.boolean().optional(),
  /** Decimal places a number field keeps (0: whole numbers), where the remote says. */
  precision: z.number().int().min(0).max(12).optional(),
  /**
   * The format a rich text field keeps its body in, where it is not the item's description format
   * (`capabilities.descriptionFormat`): a ServiceNow HTML column beside its plain-text description.
   */
  format: z.enum(REMOTE_BODY_FORMATS).optional(),
  values: z
    .array(z.object({ value: z.string().max(1000), label: z.string().max(1000) }))
    .max(2000)
    .optional(),
});
export type RemoteField = z.infer<typeof remoteFieldSchema>;
export type RemoteFieldKind = RemoteField['kind'];

/**
 * A person on the remote side, as a search for one lists them (the settings
 * page's manual user pairs). `id` is exactly what the connection's user table
 * stores as `remoteUserId` for that system and what `users.idForEmail`
 * answers: a ServiceNow sys_id, a Zendesk user id.
 */
export const remoteUserSchema = z.object({
  id: z.string().min(1).max(256),
  name: z.string().max(256),
  email: z.string().max(320).optional(),
});
export type RemoteUser = z.infer<typeof remoteUserSchema>;

/**
 * A service level target the remote keeps on an item (a ServiceNow task SLA,
 * a Zendesk SLA policy metric), for people (the issue panel): its name as the
 * remote gives it, when it breaches (epoch ms; none while paused or once met,
 * where the remote says none), and where it stands. `breached` is past its
 * breach time, still running or completed late.
 */
export const itemSlaSchema = z.object({
  name: z.string().min(1).max(256),
  breachAt: z.number().int().nonnegative().optional(),
  stage: z.enum(['running', 'paused', 'met', 'breached', 'cancelled']),
});
export type ItemSla = z.infer<typeof itemSlaSchema>;
/** At most this many SLAs of one item are read. */
export const MAX_ITEM_SLAS = 10;

/**
 * One thing the connection needs of the remote, tried when an admin tests
 * the connection: required ones stop part of the sync when missing, optional
 * ones only make it poorer (no field history, no field list).
 */
export interface AccessCheck {
  what: string;
  ok: boolean;
  required: boolean;
  /** Why not, in the remote's words where it gave any. */
  detail?: string;
}

/**
 * How a system marks a person in its HTML (Azure DevOps: `<a href="#"
 * data-vss-mention="version:2.0,{id}">@Name</a>`), for mentions to cross as
 * people; a system without one gets mentions as their text.
 */
export interface MentionMarkup {
  /** The attribute that marks an element as a mention. */
  attribute: string;
  /** The person an attribute value names, in the markup's own terms (an Azure DevOps identity id). */
  personOf(value: string): string | undefined;
  /** The markup naming that person, with its text ("@Ana Lima"); escaped. */
  markup(person: string, text: string): string;
  /** The markup's persons of user ids (as user fields and the user table name people); the unknown are left out. */
  personsOf(userIds: readonly string[]): Promise<Map<string, string>>;
  /** The user ids of the markup's persons; the unknown are left out. */
  usersOf(persons: readonly string[]): Promise<Map<string, string>>;
}

export interface Connector {
  readonly system: RemoteSystemKind;
  readonly capabilities: Capabilities;
  /** Who Crosswalk's writes appear as on the remote (the integration user's id there). */
  readonly ownAuthorId?: string;
  /** Where its rich text can name people (MentionMarkup). */
  readonly mentions?: MentionMarkup;
  /** The system's parent/child relation; absent where it has none or the connector does not speak it. */
  readonly hierarchy?: Hierarchy;
  /** Links between peers; absent where the system has none. */
  readonly related?: RelatedLinks;

  /** Cheap authenticated call that proves the credentials and scope work. */
  testConnection(): Promise<{ ok: true; identity: string; checks?: AccessCheck[] } | { ok: false; error: SyncError }>;

  getItem(id: string): Promise<Item | undefined>;
  /** Finds an item by what people call it (INC0010001, a work item id, a ticket number). */
  findByDisplayKey(key: string): Promise<Item | undefined>;
  /**
   * Items of this connection's scope (table, project and type, account) that a
   * person may link an issue to, found by their number or by words of their
   * title, most recently changed first, at most `limit`, each read whole (as
   * `getItem` reads it). The text is data, never query syntax.
   */
  searchItems(text: string, limit: number): Promise<FoundItem[]>;
  /** Finds an item Crosswalk created, by the correlation marker written at create time. */
  findByCorrelation(correlationId: string): Promise<Item | undefined>;
  createItem(fields: Readonly<Record<string, unknown>>, correlationId: string): Promise<Item>;
  /** Writes the correlation marker on an item created elsewhere (a Jira issue made from it), so both sides say where it came from. */
  markCorrelation(id: string, correlationId: string): Promise<void>;
  /** The item's status as the remote names it, for people (the issue panel). */
  statusLabel(item: Item): string | undefined;
  /** The item's title as the remote shows it (short description, title, subject), for people (the issue panel). */
  titleOf(item: Item): string | undefined;
  /** Writes only the given fields; returns the item as stored (which becomes the new base). */
  updateItem(id: string, fields: Readonly<Record<string, unknown>>, expectedVersion?: string): Promise<Item>;
  /** Items changed at or after `since` (epoch ms), oldest first, for the safety-net sweep. */
  listChanged(since: number, cursor?: string): Promise<ChangedItems>;
  /**
   * Where the system keeps per-field history: the fields people (not
   * Crosswalk) changed on the item after `since` (epoch ms), with when each
   * last changed. A field changed and changed back reads as unchanged by its
   * value alone; the engine asks only then.
   */
  fieldChangesSince?(id: string, since: number): Promise<Map<string, number>>;

  listComments(itemId: string): Promise<Comment[]>;
  /**
   * The id of the item's newest comment as this connector's last listing saw it, comments the
   * listing leaves out included (Zendesk's description), where the remote's notifications name
   * the newest comment (NotificationRef.newestComment) and comments are never edited or deleted.
   */
  newestCommentListed?(itemId: string): Promise<string | undefined>;
  addComment(itemId: string, comment: NewComment): Promise<Comment>;
  /** Only when `capabilities.commentEdit` / `commentDelete`. */
  updateComment?(itemId: string, commentId: string, body: NewComment['body']): Promise<Comment>;
  deleteComment?(itemId: string, commentId: string): Promise<void>;

  /** People on the remote side, for user mapping by email; absent where a system hides emails. */
  readonly users?: {
    idForEmail(email: string): Promise<string | undefined>;
    emailForId(id: string): Promise<string | undefined>;
    /**
     * Active people who can be assignees, found by part of their name, user
     * name or email, at most `limit`, for an admin pairing people by hand.
     * The text is data, never query syntax. Absent where the system offers no
     * such search through the connection's host.
     */
    search?(text: string, limit: number): Promise<RemoteUser[]>;
  };

  listAttachments(itemId: string): Promise<Attachment[]>;
  downloadAttachment(
    itemId: string,
    attachmentId: string,
  ): Promise<{ body: ReadableStream<Uint8Array>; size: number; contentType: string }>;
  uploadAttachment(itemId: string, file: NewAttachment): Promise<Attachment>;
  /**
   * A file the system's rich text shows inline without listing it among the
   * item's attachments (an image pasted into an Azure DevOps field is stored,
   * but gets no attachment relation): which one, for `downloadAttachment`.
   * Only for a URL of the connection's own file store; any other URL is
   * undefined, and is never fetched.
   */
  inlineFile?(itemId: string, src: string): Promise<{ id: string; fileName: string } | undefined>;
  /**
   * What names the file an inline image's URL shows, where the URL's origin and path alone do not (a ServiceNow
   * image is `sys_attachment.do?sys_id=…`, relative or on the instance's host). Absent: origin and path
   * (body-options.ts `sourceKey`), whatever query the URL carries.
   */
  imageKey?(src: string): string;
  /** Only when `capabilities.attachments.delete`: removes the file from the item; one already gone is no error. */
  deleteAttachment?(itemId: string, attachmentId: string): Promise<void>;

  /**
   * The fields of this connection's items (table, work item type, ticket) with
   * their kinds and allowed values, for the mapping editor. Undefined when the
   * remote does not let the integration user read its metadata (ServiceNow's
   * sys_dictionary without read access): the admin then types names. `itemType`: the fields of that type of a
   * connection's type map, where a system's types have fields and values of their own (an Azure DevOps Task's
   * states); absent, the connection's own.
   */
  describeFields?(itemType?: string): Promise<RemoteField[] | undefined>;

  /**
   * The item's SLAs as the remote keeps them now, at most MAX_ITEM_SLAS, read
   * live for people (the issue panel), never by the sync. Undefined when the
   * remote does not let the integration user read them (403) or has no such
   * thing for the item; absent where the system has no SLAs (Azure DevOps).
   */
  slaOf?(itemId: string): Promise<ItemSla[] | undefined>;

  /** Who resolved the item, as people there are named; read only when its resolution crosses to Jira (sync/resolution.ts). */
  resolvedBy?(item: Item): Promise<string | undefined>;

  /**
   * For systems where a closed item is final (Zendesk): makes the item that
   * continues a closed one (a follow-up ticket) with the given fields and our
   * correlation id, once (a retry finds the one it made). Absent where the
   * system has no such thing or the connection chose to report instead. The
   * engine calls it when a write fails with `SyncError.details.closed`, and
   * moves the link to the item it returns.
   */
  followUp?(closedId: string, fields: Readonly<Record<string, unknown>>, correlationId: string): Promise<Item>;
}
