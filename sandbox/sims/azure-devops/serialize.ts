/**
 * Wire shapes: work items, updates, revisions, comments and identity
 * references, with links on the host the request came in on.
 */
import { errors } from './errors';
import {
  adoDate,
  END_OF_TIME,
  isIdentityValue,
  type AdoStore,
  type CommentRecord,
  type FieldValue,
  type Fields,
  type Identity,
  type Organization,
  type Relation,
  type Revision,
  type WorkItemRecord,
} from './store';

export type Json = string | number | boolean | null | Json[] | { [k: string]: Json };
export type JsonObject = { [k: string]: Json };

export interface UrlContext {
  /** e.g. https://dev.azure.com (from X-Forwarded-Host/-Proto) or the loopback base. */
  origin: string;
  org: Organization;
}

export type Expand = 'none' | 'relations' | 'fields' | 'links' | 'all';

export const orgUrl = (ctx: UrlContext) => `${ctx.origin}/${ctx.org.name}`;
export const workItemUrl = (ctx: UrlContext, id: number) => `${orgUrl(ctx)}/_apis/wit/workItems/${id}`;
/** The comments API lives under the project only. */
export const commentsUrl = (ctx: UrlContext, item: WorkItemRecord) =>
  `${orgUrl(ctx)}/${item.project.id}/_apis/wit/workItems/${item.id}/comments`;

export function identityRef(ctx: UrlContext, who: Identity, withName = false): JsonObject {
  const avatar = `${orgUrl(ctx)}/_apis/GraphProfile/MemberAvatars/${who.descriptor}`;
  return {
    displayName: who.displayName,
    url: `${orgUrl(ctx)}/_apis/Identities/${who.id}`,
    _links: { avatar: { href: avatar } },
    id: who.id,
    uniqueName: who.uniqueName,
    imageUrl: avatar,
    descriptor: who.descriptor,
    ...(withName ? { name: identityString(who) } : {}),
  };
}

/** The "Display Name <email>" form older payloads and service hooks use. */
export const identityString = (who: Identity) => `${who.displayName} <${who.uniqueName}>`;

export type IdentityStyle = 'ref' | 'string';

/**
 * An Identity as Read Identities answers it (IMS): the storage key `id` (what a mention's `data-vss-mention`
 * names), the display name, and the account (the unique name) among its properties.
 */
export function identityJson(who: Identity): JsonObject {
  const text = (value: string) => ({ $type: 'System.String', $value: value });
  return {
    id: who.id,
    descriptor: `Microsoft.IdentityModel.Claims.ClaimsIdentity;${who.uniqueName}`,
    subjectDescriptor: who.descriptor,
    providerDisplayName: who.displayName,
    isActive: true,
    isContainer: false,
    members: [],
    memberOf: [],
    memberIds: [],
    masterId: who.id,
    resourceVersion: 2,
    metaTypeId: 0,
    properties: {
      SchemaClassName: text('User'),
      Description: text(''),
      Domain: text('AzureDirectory'),
      Account: text(who.uniqueName),
      Mail: text(who.uniqueName),
    },
  };
}

export function renderValue(store: AdoStore, ctx: UrlContext, v: FieldValue, style: IdentityStyle): Json {
  if (!isIdentityValue(v)) return v;
  const who = store.identity(v.identityId);
  if (!who) return null;
  return style === 'ref' ? identityRef(ctx, who) : identityString(who);
}

export function renderFields(
  store: AdoStore,
  ctx: UrlContext,
  fields: Fields,
  opts: { only?: string[]; all?: boolean; style?: IdentityStyle } = {},
): JsonObject {
  const out: JsonObject = {};
  const only = opts.only?.map((n) => {
    const def = store.field(n);
    if (!def) throw errors.fieldNotFound(n);
    return def.referenceName;
  });
  for (const [k, v] of Object.entries(fields)) {
    if (only && !only.includes(k)) continue;
    if (!only && !opts.all && store.field(k)?.hiddenByDefault) continue;
    out[k] = renderValue(store, ctx, v, opts.style ?? 'ref');
  }
  return out;
}

export function relationJson(r: Relation): JsonObject {
  return { rel: r.rel, url: r.url, attributes: { ...r.attributes } };
}

export function workItemLinks(ctx: UrlContext, item: WorkItemRecord): JsonObject {
  const self = workItemUrl(ctx, item.id);
  return {
    self: { href: self },
    workItemUpdates: { href: `${self}/updates` },
    workItemRevisions: { href: `${self}/revisions` },
    workItemComments: { href: commentsUrl(ctx, item) },
    html: { href: `${orgUrl(ctx)}/web/wi.aspx?pcguid=${ctx.org.id}&id=${item.id}` },
    workItemType: {
      href: `${orgUrl(ctx)}/${item.project.id}/_apis/wit/workItemTypes/${encodeURIComponent(String(item.fields['System.WorkItemType']))}`,
    },
    fields: { href: `${orgUrl(ctx)}/_apis/wit/fields` },
  };
}

/** The revision current at `asOf`, or the latest. */
export function revisionAt(item: WorkItemRecord, asOf?: string): Revision {
  if (!asOf) return item.revisions[item.revisions.length - 1]!;
  const t = Date.parse(asOf);
  if (Number.isNaN(t)) throw errors.badRequest(`The asOf value '${asOf}' is not a valid date.`, 'ArgumentException');
  const hit = [...item.revisions].reverse().find((r) => r.date <= t);
  if (!hit) throw errors.workItemNotFound(item.id);
  return hit;
}

export function workItemJson(
  store: AdoStore,
  ctx: UrlContext,
  item: WorkItemRecord,
  opts: {
    expand?: Expand;
    fields?: string[];
    asOf?: string;
    links?: boolean;
    style?: IdentityStyle;
    revision?: Revision;
  } = {},
): JsonObject {
  const expand = opts.expand ?? 'none';
  const r = opts.revision ?? revisionAt(item, opts.asOf);
  const fields = { ...r.fields };
  // System.History belongs to the revision that wrote it; the item shows it while that is the latest.
  const out: JsonObject = {
    id: item.id,
    rev: r.rev,
    fields: renderFields(store, ctx, fields, {
      only: opts.fields,
      all: expand === 'fields' || expand === 'all',
      style: opts.style,
    }),
  };
  if (expand === 'relations' || expand === 'all') out.relations = r.relations.map(relationJson);
  if (r.commentVersionRef && opts.style === 'string')
    out.commentVersionRef = commentVersionRef(ctx, item, r.commentVersionRef);
  if (opts.links || expand === 'links' || expand === 'all') out._links = workItemLinks(ctx, item);
  out.url = workItemUrl(ctx, item.id);
  return out;
}

export function commentVersionRef(
  ctx: UrlContext,
  item: WorkItemRecord,
  ref: { commentId: number; version: number },
): JsonObject {
  return {
    commentId: ref.commentId,
    version: ref.version,
    url: `${commentsUrl(ctx, item)}/${ref.commentId}/versions/${ref.version}`,
  };
}

export function updateJson(
  store: AdoStore,
  ctx: UrlContext,
  item: WorkItemRecord,
  r: Revision,
  style: IdentityStyle = 'ref',
): JsonObject {
  const who = store.identity(r.by)!;
  const next = item.revisions.find((x) => x.rev === r.rev + 1);
  const fields: JsonObject = {};
  for (const [k, ch] of Object.entries(r.changes)) {
    fields[k] = {
      ...(ch.oldValue !== undefined ? { oldValue: renderValue(store, ctx, ch.oldValue, style) } : {}),
      ...(ch.newValue !== undefined ? { newValue: renderValue(store, ctx, ch.newValue, style) } : {}),
    };
  }
  const out: JsonObject = {
    id: r.rev,
    workItemId: item.id,
    rev: r.rev,
    revisedBy: identityRef(ctx, who, true),
    revisedDate: next ? adoDate(next.date) : END_OF_TIME,
    fields,
  };
  if (r.relationChanges) {
    const rc: JsonObject = {};
    for (const [k, list] of Object.entries(r.relationChanges)) rc[k] = list.map(relationJson);
    out.relations = rc;
  }
  out.url = `${workItemUrl(ctx, item.id)}/updates/${r.rev}`;
  return out;
}

export function commentJson(
  store: AdoStore,
  ctx: UrlContext,
  item: WorkItemRecord,
  c: CommentRecord,
  version?: number,
): JsonObject {
  const v = version ? c.versions.find((x) => x.version === version)! : c.versions[c.versions.length - 1]!;
  const createdBy = identityRef(ctx, store.identity(c.createdBy)!);
  return {
    workItemId: item.id,
    id: c.id,
    version: v.version,
    text: v.text,
    renderedText: v.renderedText,
    format: v.format,
    createdBy,
    createdDate: adoDate(c.createdDate),
    createdOnBehalfOf: createdBy,
    createdOnBehalfDate: adoDate(c.createdDate),
    modifiedBy: identityRef(ctx, store.identity(v.modifiedBy)!),
    modifiedDate: adoDate(v.modifiedDate),
    isDeleted: v.isDeleted,
    mentions: [],
    reactions: [],
    url: `${commentsUrl(ctx, item)}/${c.id}`,
  };
}

export function commentVersionJson(
  store: AdoStore,
  ctx: UrlContext,
  item: WorkItemRecord,
  c: CommentRecord,
  version: number,
): JsonObject {
  const full = commentJson(store, ctx, item, c, version);
  delete full.workItemId;
  delete full.format;
  delete full.mentions;
  delete full.reactions;
  full.url = `${commentsUrl(ctx, item)}/${c.id}/versions/${version}`;
  return full;
}
