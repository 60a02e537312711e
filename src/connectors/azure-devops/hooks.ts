/**
 * Azure DevOps service hook deliveries (vendor-apis.md §2.11): what the web
 * trigger checks and reads. Service hooks cannot sign a body; the only secret
 * a subscription can carry is a Basic auth password (answered masked by the
 * subscriptions API, unlike `httpHeaders`), so that is where ours goes.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { NotificationTouches } from '../registry';
import * as z from 'zod';

/** The Basic user name Crosswalk's subscriptions send; the password is the connection's webhook secret. */
export const HOOK_USER = 'crosswalk';
/** Deliveries are queued by the service and retried for a while; older ones are refused (the sweep covers what they said). */
export const MAX_AGE_MS = 10 * 60_000;
/** Allowed clock difference for a delivery that claims to come from the future. */
const MAX_SKEW_MS = 2 * 60_000;

export const HOOK_EVENTS = ['workitem.created', 'workitem.updated', 'workitem.commented', 'workitem.deleted'] as const;

const identity = z.union([
  z.string(),
  z.object({ uniqueName: z.string().optional(), displayName: z.string().optional() }).loose(),
]);
const fieldChange = z.object({ oldValue: z.unknown().optional(), newValue: z.unknown().optional() }).loose();
const relation = z.object({ rel: z.string(), url: z.string().optional() }).loose();

export const hookEnvelope = z
  .object({
    eventType: z.string(),
    publisherId: z.string().optional(),
    createdDate: z.string().optional(),
    resource: z
      .object({
        id: z.union([z.number(), z.string()]),
        workItemId: z.number().optional(),
        rev: z.number().optional(),
        revisedBy: identity.optional(),
        fields: z.record(z.string(), z.unknown()).optional(),
        relations: z
          .union([
            z.array(relation),
            z
              .object({
                added: z.array(relation).optional(),
                removed: z.array(relation).optional(),
                updated: z.array(relation).optional(),
              })
              .loose(),
          ])
          .optional(),
        revision: z
          .object({
            rev: z.number().optional(),
            fields: z.record(z.string(), z.unknown()).optional(),
            relations: z.array(relation).nullish(),
          })
          .loose()
          .optional(),
      })
      .loose(),
  })
  .loose();
export type HookEnvelope = z.infer<typeof hookEnvelope>;

export function parseEnvelope(body: string): HookEnvelope | undefined {
  try {
    const parsed = hookEnvelope.safeParse(JSON.parse(body));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();

/** Whether the Authorization header carries our user and secret; compared in constant time (hashes of equal length). */
export function basicAuthMatches(header: string | undefined, secret: string): boolean {
  const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
  const given = m ? Buffer.from(m[1]!, 'base64').toString('utf8') : '';
  const same = timingSafeEqual(digest(given), digest(`${HOOK_USER}:${secret}`));
  return Boolean(m) && same;
}

/** The delivery's own creation time is the only freshness the envelope offers: a replayed old delivery is refused. */
export function isFresh(envelope: HookEnvelope, nowMs: number): boolean {
  if (!envelope.createdDate) return true;
  const at = Date.parse(envelope.createdDate);
  return !Number.isNaN(at) && nowMs - at <= MAX_AGE_MS && at - nowMs <= MAX_SKEW_MS;
}

/** `Name <email>` (how hooks write identities) or an identity object → the unique name, lower-cased. */
export function uniqueNameOf(value: unknown): string | undefined {
  if (value && typeof value === 'object') {
    const o = value as { uniqueName?: unknown; newValue?: unknown };
    if (typeof o.uniqueName === 'string') return o.uniqueName.toLowerCase();
    if (o.newValue !== undefined) return uniqueNameOf(o.newValue);
    return undefined;
  }
  if (typeof value !== 'string' || !value.trim()) return undefined;
  const m = /<([^<>]+)>\s*$/.exec(value);
  return (m ? m[1]! : value).trim().toLowerCase();
}

export interface HookRef {
  workItemId: string;
  /** What the reconcile should look at: comments and files only when the delivery says they changed. */
  event: string;
  changedBy?: string;
  project?: string;
  /** The work item's revision the delivery speaks of. */
  rev?: number;
  /** Which parts the delivery says changed: comments and files only when it says so. */
  touches: NotificationTouches;
}

const changed = (fields: Record<string, unknown> | undefined, name: string) =>
  Boolean(fields && Object.prototype.hasOwnProperty.call(fields, name));

export function hookRef(e: HookEnvelope): HookRef | undefined {
  const r = e.resource;
  const updated = e.eventType === 'workitem.updated';
  // For updates `resource.id` is the update number; the work item is `workItemId`.
  const id = updated ? r.workItemId : typeof r.id === 'number' ? r.id : Number(r.id);
  if (id === undefined || !Number.isInteger(id) || id <= 0) return undefined;
  const current = updated ? r.revision?.fields : r.fields;
  const changedBy =
    uniqueNameOf(r.revisedBy) ??
    uniqueNameOf(updated ? r.fields?.['System.ChangedBy'] : undefined) ??
    uniqueNameOf(current?.['System.ChangedBy']);
  const parts = [`azure-devops:${e.eventType}`];
  const commented =
    e.eventType === 'workitem.commented' ||
    changed(r.fields, 'System.CommentCount') ||
    changed(r.fields, 'System.History');
  if (commented) parts.push('comment');
  const relationChanges = Array.isArray(r.relations)
    ? []
    : [...(r.relations?.added ?? []), ...(r.relations?.removed ?? []), ...(r.relations?.updated ?? [])];
  const filed = relationChanges.some((x) => x.rel === 'AttachedFile');
  if (filed) parts.push('attachment');
  const project = current?.['System.TeamProject'];
  // For updates `resource.rev` is the update's number too; the work item's revision is the revision's.
  const rev = updated ? r.revision?.rev : r.rev;
  return {
    workItemId: String(id),
    event: parts.join(':'),
    touches: { created: e.eventType === 'workitem.created', fields: true, comments: commented, files: filed },
    ...(changedBy ? { changedBy } : {}),
    ...(typeof project === 'string' ? { project } : {}),
    ...(rev !== undefined ? { rev } : {}),
  };
}
