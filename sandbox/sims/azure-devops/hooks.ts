/**
 * Service hooks (ADO → app): `tfs` publisher work item events delivered by the
 * `webHooks`/`httpRequest` consumer in the real envelope (vendor-apis.md
 * §2.11), authenticated only by Basic auth and/or static headers. Deliveries
 * are queued and POSTed asynchronously; tests can pause, lose and duplicate
 * them, and send forged or stale ones.
 */
import { randomUUID } from 'node:crypto';
import { NotificationQueue } from '../shared/notifier';
import {
  adoDate,
  type AdoStore,
  type CommentRecord,
  type Identity,
  type Organization,
  type Revision,
  type Subscription,
  type WorkItemRecord,
} from './store';
import {
  commentVersionRef,
  identityRef,
  orgUrl,
  relationJson,
  renderFields,
  updateJson,
  workItemJson,
  workItemUrl,
  type JsonObject,
  type UrlContext,
} from './serialize';

export type WorkItemEventType =
  'workitem.created' | 'workitem.updated' | 'workitem.commented' | 'workitem.deleted' | 'workitem.restored';
export const EVENT_TYPES: Record<WorkItemEventType, { name: string; verb: string }> = {
  'workitem.created': { name: 'Work item created', verb: 'created' },
  'workitem.updated': { name: 'Work item updated', verb: 'updated' },
  'workitem.commented': { name: 'Work item commented on', verb: 'commented on' },
  'workitem.deleted': { name: 'Work item deleted', verb: 'deleted' },
  'workitem.restored': { name: 'Work item restored', verb: 'restored' },
};

export const MASKED = '********';

export function subscriptionJson(store: AdoStore, ctx: UrlContext, s: Subscription): JsonObject {
  const by = store.identity(s.createdBy);
  const modBy = store.identity(s.modifiedBy);
  const consumerInputs: JsonObject = {};
  for (const [k, v] of Object.entries(s.consumerInputs)) consumerInputs[k] = k === 'basicAuthPassword' ? MASKED : v;
  const host = (() => {
    try {
      return new URL(s.consumerInputs.url ?? '').host;
    } catch {
      return s.consumerInputs.url ?? '';
    }
  })();
  const project = s.publisherInputs.projectId
    ? ctx.org.projects.find(
        (p) =>
          p.id === s.publisherInputs.projectId || p.name.toLowerCase() === s.publisherInputs.projectId!.toLowerCase(),
      )
    : undefined;
  return {
    id: s.id,
    url: `${orgUrl(ctx)}/_apis/hooks/subscriptions/${s.id}`,
    status: s.status,
    publisherId: s.publisherId,
    eventType: s.eventType,
    ...(by ? { subscriber: identityRef(ctx, by) } : {}),
    resourceVersion: s.resourceVersion,
    eventDescription: [
      project ? `Project ${project.name}` : 'Any project',
      s.publisherInputs.workItemType ? `type ${s.publisherInputs.workItemType}` : '',
      s.publisherInputs.areaPath ? `area ${s.publisherInputs.areaPath}` : '',
    ]
      .filter(Boolean)
      .join(', '),
    consumerId: s.consumerId,
    consumerActionId: s.consumerActionId,
    actionDescription: `To host ${host}`,
    ...(by ? { createdBy: identityRef(ctx, by) } : {}),
    createdDate: adoDate(s.createdDate),
    ...(modBy ? { modifiedBy: identityRef(ctx, modBy) } : {}),
    modifiedDate: adoDate(s.modifiedDate),
    publisherInputs: { ...s.publisherInputs },
    consumerInputs,
    _links: {
      self: { href: `${orgUrl(ctx)}/_apis/hooks/subscriptions/${s.id}` },
      consumer: { href: `${orgUrl(ctx)}/_apis/hooks/consumers/${s.consumerId}` },
      actions: { href: `${orgUrl(ctx)}/_apis/hooks/consumers/${s.consumerId}/actions` },
      publisher: { href: `${orgUrl(ctx)}/_apis/hooks/publishers/${s.publisherId}` },
    },
  };
}

export interface WorkItemEvent {
  type: WorkItemEventType;
  item: WorkItemRecord;
  revision: Revision;
  by: Identity;
  comment?: CommentRecord;
  ctx: UrlContext;
}

function containers(ctx: UrlContext, org: Organization, item: WorkItemRecord): JsonObject {
  const base = `${orgUrl(ctx)}/`;
  const project = { id: item.project.id, baseUrl: base };
  if (org.kind === 'server')
    return {
      collection: { id: org.id, baseUrl: base },
      server: { id: org.id.replace(/^.{8}/, '00000000'), baseUrl: `${ctx.origin}/` },
      project,
    };
  return {
    collection: { id: org.id, baseUrl: base },
    account: { id: org.id.replace(/^.{8}/, 'aaaaaaaa'), baseUrl: base },
    project,
  };
}

/** Whether a subscription's publisher inputs (projectId, workItemType, areaPath, changedFields, commentPattern) select this event. */
export function subscriptionMatches(s: Subscription, e: WorkItemEvent): boolean {
  if (s.status !== 'enabled' && s.status !== 'onProbation') return false;
  if (s.publisherId !== 'tfs' || s.eventType !== e.type) return false;
  const pi = s.publisherInputs;
  if (
    pi.projectId &&
    pi.projectId !== e.item.project.id &&
    pi.projectId.toLowerCase() !== e.item.project.name.toLowerCase()
  )
    return false;
  const f = e.revision.fields;
  if (pi.workItemType && pi.workItemType.toLowerCase() !== String(f['System.WorkItemType']).toLowerCase()) return false;
  if (pi.areaPath) {
    const area = String(f['System.AreaPath']).toLowerCase();
    const want = pi.areaPath.toLowerCase();
    if (area !== want && !area.startsWith(`${want}\\`)) return false;
  }
  if (e.type === 'workitem.updated' && pi.changedFields) {
    const wanted = pi.changedFields
      .split(',')
      .map((x) => x.trim().toLowerCase())
      .filter(Boolean);
    if (!Object.keys(e.revision.changes).some((k) => wanted.includes(k.toLowerCase()))) return false;
  }
  if (e.type === 'workitem.commented' && pi.commentPattern) {
    const text = e.comment?.versions[0]?.text ?? String(f['System.History'] ?? '');
    if (!text.toLowerCase().includes(pi.commentPattern.toLowerCase())) return false;
  }
  return true;
}

/** The envelope the service POSTs. */
export function buildEvent(store: AdoStore, s: Subscription, e: WorkItemEvent, createdDate: number): JsonObject {
  const { ctx, item, revision } = e;
  const type = String(revision.fields['System.WorkItemType']);
  const title = String(revision.fields['System.Title']);
  const link = `${orgUrl(ctx)}/web/wi.aspx?pcguid=${ctx.org.id}&id=${item.id}`;
  const verb = EVENT_TYPES[e.type].verb;
  const who = e.by.displayName;
  let resource: JsonObject;
  if (e.type === 'workitem.updated') {
    resource = updateJson(store, ctx, item, revision, 'string');
    resource.revision = {
      ...workItemJson(store, ctx, item, { revision, expand: 'fields', style: 'string' }),
      relations: revision.relations.map(relationJson),
    };
    resource._links = {
      self: { href: `${workItemUrl(ctx, item.id)}/updates/${revision.rev}` },
      workItemUpdates: { href: `${workItemUrl(ctx, item.id)}/updates` },
      parent: { href: workItemUrl(ctx, item.id) },
    };
  } else {
    resource = {
      id: item.id,
      rev: revision.rev,
      fields: renderFields(store, ctx, revision.fields, { all: true, style: 'string' }),
    };
    if (revision.relations.length && e.type !== 'workitem.deleted')
      resource.relations = revision.relations.map(relationJson);
    if (e.type === 'workitem.commented') {
      const ref = revision.commentVersionRef ?? (e.comment ? { commentId: e.comment.id, version: 1 } : undefined);
      if (ref) resource.commentVersionRef = commentVersionRef(ctx, item, ref);
    }
    const url =
      e.type === 'workitem.deleted' ? `${orgUrl(ctx)}/_apis/wit/recyclebin/${item.id}` : workItemUrl(ctx, item.id);
    resource._links = {
      self: { href: url },
      workItemUpdates: { href: `${workItemUrl(ctx, item.id)}/updates` },
      workItemRevisions: { href: `${workItemUrl(ctx, item.id)}/revisions` },
      html: { href: link },
    };
    resource.url = url;
  }
  const text = `${type} #${item.id} (${title}) ${verb} by ${who}`;
  const details = Object.entries(revision.changes)
    .filter(([k]) => ['System.State', 'System.AssignedTo', 'System.Title'].includes(k))
    .map(
      ([k, v]) =>
        `- New ${store.field(k)?.name ?? k}: ${typeof v.newValue === 'object' ? (store.identity(v.newValue.identityId)?.displayName ?? '') : String(v.newValue ?? '')}`,
    );
  return {
    subscriptionId: s.id,
    notificationId: ++s.notificationCount,
    id: randomUUID(),
    eventType: e.type,
    publisherId: 'tfs',
    message: {
      text,
      html: `<a href="${link}">${type} #${item.id}</a> (${title}) ${verb} by ${who}`,
      markdown: `[${type} #${item.id}](${link}) (${title}) ${verb} by ${who}`,
    },
    detailedMessage: {
      text: [text, ...details].join('\r\n'),
      html: [
        `<a href="${link}">${type} #${item.id}</a> (${title}) ${verb} by ${who}`,
        ...details.map((d) => `<br/>${d}`),
      ].join(''),
      markdown: [`[${type} #${item.id}](${link}) (${title}) ${verb} by ${who}`, ...details].join('\r\n'),
    },
    resource,
    resourceVersion: '1.0',
    resourceContainers: containers(ctx, ctx.org, item),
    createdDate: adoDate(createdDate),
  };
}

/** The headers a subscription's consumer inputs produce: Basic auth and `httpHeaders` lines ("Key: value"). */
export function deliveryHeaders(s: Subscription, forged = false): Record<string, string> {
  const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' };
  const ci = s.consumerInputs;
  if (ci.basicAuthUsername || ci.basicAuthPassword) {
    const password = forged ? 'not-the-password' : (ci.basicAuthPassword ?? '');
    headers.authorization = `Basic ${Buffer.from(`${ci.basicAuthUsername ?? ''}:${password}`).toString('base64')}`;
  }
  for (const line of (ci.httpHeaders ?? '').split(/[\r\n]+/)) {
    const i = line.indexOf(':');
    if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = forged ? 'forged-value' : line.slice(i + 1).trim();
  }
  return headers;
}

export interface Delivery {
  subscriptionId: string;
  notificationId: number;
  eventType: string;
  url: string;
  body: string;
  status: number | 'error' | 'lost';
  attempts: number;
  forged?: boolean;
  stale?: boolean;
}

interface Queued {
  sub: Subscription;
  body: string;
  headers: Record<string, string>;
}

export interface NotifierControl {
  /** Deliveries queue until resumed. */
  paused: boolean;
  /** Send every delivery twice. */
  duplicate: boolean;
  /** Silently drop the next N deliveries (recorded with status 'lost'). */
  lose: number;
}

/** The service hook delivery queue (the simulators' shared one): in order, one at a time, three tries on 5xx or network errors. */
export class HookNotifier extends NotificationQueue<Queued> {
  control: NotifierControl = { paused: false, duplicate: false, lose: 0 };
  readonly sent: Delivery[] = [];

  reset(): void {
    this.control = { paused: false, duplicate: false, lose: 0 };
    this.queue.length = 0;
    this.sent.length = 0;
  }

  enqueue(sub: Subscription, body: JsonObject): void {
    const item = { sub, body: JSON.stringify(body), headers: deliveryHeaders(sub) };
    if (this.control.duplicate) this.push(item, item);
    else this.push(item);
  }

  protected holding(): boolean {
    return this.control.paused;
  }

  /** A delivery to lose is dropped as it comes off the queue, and recorded with status 'lost' for the tests to see. */
  protected async sendQueued(q: Queued): Promise<void> {
    if (this.control.lose > 0) {
      this.control.lose -= 1;
      const meta = JSON.parse(q.body) as { notificationId: number; eventType: string };
      this.sent.push({
        subscriptionId: q.sub.id,
        notificationId: meta.notificationId,
        eventType: meta.eventType,
        url: q.sub.consumerInputs.url ?? '',
        body: q.body,
        status: 'lost',
        attempts: 0,
      });
      return;
    }
    await this.deliver(q.sub, q.body, q.headers);
  }

  /** POSTs one body now; tests use it directly for forged and stale deliveries. */
  async deliver(
    sub: Subscription,
    body: string,
    headers: Record<string, string>,
    flags: { forged?: boolean; stale?: boolean } = {},
  ): Promise<Delivery> {
    const meta = JSON.parse(body) as { notificationId: number; eventType: string };
    const d: Delivery = {
      subscriptionId: sub.id,
      notificationId: meta.notificationId,
      eventType: meta.eventType,
      url: sub.consumerInputs.url ?? '',
      body,
      status: 'error',
      attempts: 0,
      ...flags,
    };
    for (let attempt = 0; attempt < 3; attempt++) {
      d.attempts = attempt + 1;
      try {
        const res = await fetch(d.url, { method: 'POST', headers, body });
        d.status = res.status;
        await res.arrayBuffer();
        if (res.status < 500) break;
      } catch {
        d.status = 'error';
      }
      if (attempt < 2) await new Promise((r) => setTimeout(r, 25 * 2 ** attempt));
    }
    this.sent.push(d);
    return d;
  }
}
