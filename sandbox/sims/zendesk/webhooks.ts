/**
 * Triggers and webhooks (vendor-apis.md §3.7): after every ticket create or
 * update, active triggers whose conditions match run their
 * `notification_webhook` actions, rendering the action's JSON template with
 * placeholders; the deliveries are queued and POSTed asynchronously, signed as
 * Zendesk signs them: `X-Zendesk-Webhook-Signature` =
 * base64(HMAC-SHA256(signing_secret, timestamp + body)) with the ISO timestamp
 * in `X-Zendesk-Webhook-Signature-Timestamp`.
 */
import { createHmac, randomBytes } from 'node:crypto';
import * as z from 'zod';
import { FaultableNotificationQueue } from '../shared/notifier';
import { recordInvalid } from './errors';
import {
  iso,
  PRIORITIES,
  STATUSES,
  type Ticket,
  type Trigger,
  type TriggerCondition,
  type Webhook,
  type ZdUser,
  type ZendeskStore,
} from './store';
import type { TicketEvent } from './tickets';

export const SIGNATURE_HEADER = 'x-zendesk-webhook-signature';
export const TIMESTAMP_HEADER = 'x-zendesk-webhook-signature-timestamp';

export function sign(secret: string, timestamp: string, body: string): string {
  return createHmac('sha256', secret)
    .update(timestamp + body)
    .digest('base64');
}

/** Webhook ids are ULIDs: 26 Crockford base-32 characters. */
export function webhookId(now: number): string {
  const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  let time = '';
  let t = now;
  for (let i = 0; i < 10; i++) {
    time = alphabet[t % 32]! + time;
    t = Math.floor(t / 32);
  }
  const rand = [...randomBytes(16)]
    .slice(0, 16)
    .map((b) => alphabet[b % 32])
    .join('');
  return time + rand;
}

export interface Delivery {
  invocation_id: string;
  webhook_id: string;
  url: string;
  method: string;
  body: string;
}

export interface SentDelivery extends Delivery {
  timestamp: string;
  signature: string;
  status: number | 'error';
  attempts: number;
  forged?: boolean;
}

/** The webhook delivery queue, with the knobs tests need: pause, lose, duplicate (the simulators' shared ones). */
export class WebhookNotifier extends FaultableNotificationQueue<Delivery> {
  readonly sent: SentDelivery[] = [];
  /** Longest wait honoured for a 429/503 `Retry-After` (Zendesk waits the real time; tests should not). */
  maxRetryWaitMs = 200;

  constructor(
    private readonly store: ZendeskStore,
    private readonly accountId: number,
  ) {
    super();
  }

  enqueue(webhook: Webhook, body: string): void {
    if (webhook.status !== 'active') return;
    this.enqueueDelivery({
      invocation_id: String(Math.floor(Math.random() * 1e12)),
      webhook_id: webhook.id,
      url: webhook.endpoint,
      method: webhook.http_method,
      body,
    });
  }

  protected async sendQueued(d: Delivery): Promise<void> {
    const hook = this.store.webhooks.get(d.webhook_id);
    // A webhook deleted or deactivated after queueing is not called.
    if (!hook || hook.status !== 'active') return;
    await this.deliver(d, hook.signing_secret);
  }

  /**
   * Sends one delivery, signed with `secret` at `timestamp` (now unless given:
   * tests pass a wrong secret or an old timestamp for forged and stale ones).
   * Retries as Zendesk does: 409 up to three times, 429/503 with a short
   * Retry-After, and connection failures.
   */
  async deliver(
    d: Delivery,
    secret: string,
    opts: { timestamp?: string; forged?: boolean } = {},
  ): Promise<SentDelivery> {
    const timestamp = opts.timestamp ?? iso(this.store.now());
    const signature = sign(secret, timestamp, d.body);
    let status: number | 'error' = 'error';
    let attempts = 0;
    for (; attempts < 4;) {
      attempts += 1;
      let wait = 25 * 2 ** attempts;
      try {
        const res = await fetch(d.url, {
          method: d.method,
          headers: {
            'content-type': 'application/json; charset=utf-8',
            'user-agent': 'Zendesk Webhook',
            [SIGNATURE_HEADER]: signature,
            [TIMESTAMP_HEADER]: timestamp,
            'x-zendesk-account-id': String(this.accountId),
            'x-zendesk-webhook-id': d.webhook_id,
            'x-zendesk-webhook-invocation-id': d.invocation_id,
          },
          body: d.method === 'GET' || d.method === 'DELETE' ? undefined : d.body,
        });
        status = res.status;
        await res.arrayBuffer();
        const retryAfter = Number(res.headers.get('retry-after'));
        if (res.status === 409) wait = 25;
        else if ((res.status === 429 || res.status === 503) && retryAfter > 0 && retryAfter <= 60)
          wait = Math.min(retryAfter * 1000, this.maxRetryWaitMs);
        else break;
      } catch {
        status = 'error';
      }
      if (attempts < 4) await new Promise((r) => setTimeout(r, wait));
    }
    const sent: SentDelivery = {
      ...d,
      timestamp,
      signature,
      status,
      attempts,
      ...(opts.forged ? { forged: true } : {}),
    };
    this.sent.push(sent);
    return sent;
  }

  reset(): void {
    this.clearQueueAndFaults();
    this.sent.length = 0;
  }
}

// ---- triggers

const conditionValue = z.union([
  z.string(),
  z.number(),
  z.boolean(),
  z.null(),
  z.array(z.union([z.string(), z.number()])),
]);
const condition = z.object({ field: z.string(), operator: z.string().default('is'), value: conditionValue.optional() });
export const triggerInput = z.object({
  title: z.string().min(1),
  active: z.boolean().optional(),
  position: z.number().int().optional(),
  description: z.string().nullable().optional(),
  category_id: z.union([z.string(), z.number()]).optional(),
  conditions: z.object({
    all: z.array(condition).nullable().optional(),
    any: z.array(condition).nullable().optional(),
  }),
  actions: z.array(z.object({ field: z.string(), value: z.unknown() })).min(1),
});

const ORDERED: Record<string, readonly string[]> = { status: STATUSES, priority: PRIORITIES };
const FIELD_CONDITIONS = new Set(['status', 'priority', 'type', 'group_id', 'assignee_id', 'requester_id']);
const OTHER_CONDITIONS = new Set([
  'update_type',
  'current_tags',
  'comment_is_public',
  'comment_includes_word',
  'subject_includes_word',
  'role',
  'current_via_id',
  'via_id',
]);
/** Zendesk's via id for "Web service (API)". */
const VIA_API = 5;

/** Validates a trigger body; only `notification_webhook` actions are run by the simulator. */
export function validateTrigger(store: ZendeskStore, input: z.infer<typeof triggerInput>): void {
  const problems: string[] = [];
  for (const c of [...(input.conditions.all ?? []), ...(input.conditions.any ?? [])]) {
    if (!FIELD_CONDITIONS.has(c.field) && !OTHER_CONDITIONS.has(c.field) && !/^custom_fields_\d+$/.test(c.field))
      problems.push(`Invalid condition field ${c.field}`);
  }
  for (const a of input.actions) {
    if (a.field !== 'notification_webhook') {
      problems.push(`Action ${a.field} is not supported by the simulator (only notification_webhook)`);
      continue;
    }
    const v = z.tuple([z.string(), z.string()]).safeParse(a.value);
    if (!v.success) problems.push('Notification webhook: value must be [webhook_id, body]');
    else if (!store.webhooks.has(v.data[0])) problems.push(`Notification webhook: webhook ${v.data[0]} does not exist`);
  }
  if (problems.length)
    throw recordInvalid({ base: problems.map((description) => ({ description, error: 'InvalidValue' })) });
}

const str = (v: unknown): string => (v === null || v === undefined ? '' : Array.isArray(v) ? v.join(' ') : String(v));

function fieldValue(t: Ticket, field: string): unknown {
  const custom = /^custom_fields_(\d+)$/.exec(field);
  if (custom) return t.custom_fields.get(Number(custom[1])) ?? null;
  return (t as unknown as Record<string, unknown>)[field] ?? null;
}

function matches(c: TriggerCondition, e: TicketEvent): boolean {
  const expected = (v: unknown) => (v === 'current_user' ? String(e.actor.id) : str(v));
  const words = (v: unknown) => str(v).toLowerCase().split(/\s+/).filter(Boolean);
  switch (c.field) {
    case 'update_type':
      return (e.kind === 'create' ? 'Create' : 'Change') === str(c.value)
        ? c.operator !== 'is_not'
        : c.operator === 'is_not';
    case 'current_tags': {
      const has = words(c.value).some((w) => e.ticket.tags.includes(w));
      return c.operator === 'not_includes' ? !has : has;
    }
    case 'comment_is_public': {
      const v = str(c.value);
      if (v === 'not_relevant') return true;
      if (!e.comment) return false;
      return v === 'false' ? !e.comment.public : e.comment.public;
    }
    case 'comment_includes_word':
    case 'subject_includes_word': {
      const text = (
        c.field === 'subject_includes_word' ? e.ticket.subject : (e.comment?.plain_body ?? '')
      ).toLowerCase();
      const found =
        c.operator === 'is' || c.operator === 'is_not'
          ? text.includes(str(c.value).toLowerCase())
          : words(c.value).some((w) => text.split(/\W+/).includes(w));
      return c.operator === 'not_includes' || c.operator === 'is_not' ? !found : found;
    }
    case 'role': {
      const role = e.actor.role === 'end-user' ? 'end_user' : e.actor.role;
      const hit = str(c.value) === role || (str(c.value) === 'agent' && role === 'admin');
      return c.operator === 'is_not' ? !hit : hit;
    }
    case 'current_via_id':
    case 'via_id':
      return (str(c.value) === String(VIA_API)) === (c.operator !== 'is_not');
  }
  const now = str(fieldValue(e.ticket, c.field));
  const change = e.changes.get(c.field);
  const before = change ? str(change.previous) : now;
  const order = ORDERED[c.field];
  switch (c.operator) {
    case 'is':
      return now === expected(c.value);
    case 'is_not':
      return now !== expected(c.value);
    case 'less_than':
      return Boolean(order) && order!.indexOf(now) < order!.indexOf(str(c.value));
    case 'greater_than':
      return Boolean(order) && order!.indexOf(now) > order!.indexOf(str(c.value));
    case 'changed':
      return Boolean(change) && e.kind === 'update';
    case 'not_changed':
      return !change || e.kind === 'create';
    case 'value':
      return Boolean(change) && now === expected(c.value);
    case 'value_previous':
      return Boolean(change) && before === expected(c.value);
    case 'not_value':
      return Boolean(change) && now !== expected(c.value);
    case 'not_value_previous':
      return Boolean(change) && before !== expected(c.value);
    case 'present':
      return now !== '';
    case 'not_present':
      return now === '';
    default:
      return false;
  }
}

export function triggerMatches(t: Trigger, e: TicketEvent): boolean {
  const all = t.conditions.all.every((c) => matches(c, e));
  const any = t.conditions.any.length === 0 || t.conditions.any.some((c) => matches(c, e));
  return all && any;
}

const TITLE: Record<string, string> = {
  new: 'New',
  open: 'Open',
  pending: 'Pending',
  hold: 'On-hold',
  solved: 'Solved',
  closed: 'Closed',
  deleted: 'Deleted',
  low: 'Low',
  normal: 'Normal',
  high: 'High',
  urgent: 'Urgent',
  problem: 'Problem',
  incident: 'Incident',
  question: 'Question',
  task: 'Task',
};

const humanDate = (stamp: string): string =>
  new Date(stamp).toLocaleDateString('en-US', { month: 'long', day: '2-digit', year: 'numeric', timeZone: 'UTC' });

/** The placeholders a sync needs ({{ticket.id}}, {{ticket.external_id}}, {{current_user.email}} …); unknown ones render empty, as Liquid does. */
export function renderTemplate(store: ZendeskStore, template: string, e: TicketEvent, host: string): string {
  const t = e.ticket;
  const user = (id: number | null): ZdUser | undefined => (id === null ? undefined : store.userById(id));
  const latest = t.comments[t.comments.length - 1];
  const latestPublic = [...t.comments].reverse().find((c) => c.public);
  const values: Record<string, () => unknown> = {
    'ticket.id': () => t.id,
    'ticket.external_id': () => t.external_id,
    'ticket.title': () => t.subject,
    'ticket.description': () => t.description,
    'ticket.status': () => TITLE[t.status],
    'ticket.priority': () => (t.priority ? TITLE[t.priority] : '-'),
    'ticket.ticket_type': () => (t.type ? TITLE[t.type] : '-'),
    'ticket.tags': () => t.tags.join(' '),
    'ticket.url': () => `${host}/agent/tickets/${t.id}`,
    'ticket.link': () => `https://${host}/agent/tickets/${t.id}`,
    'ticket.via': () => 'Web Service',
    'ticket.created_at': () => humanDate(t.created_at),
    'ticket.updated_at': () => humanDate(t.updated_at),
    'ticket.created_at_with_timestamp': () => t.created_at,
    'ticket.updated_at_with_timestamp': () => t.updated_at,
    'ticket.requester.id': () => t.requester_id,
    'ticket.requester.email': () => user(t.requester_id)?.email,
    'ticket.requester.name': () => user(t.requester_id)?.name,
    'ticket.assignee.id': () => t.assignee_id,
    'ticket.assignee.email': () => user(t.assignee_id)?.email,
    'ticket.assignee.name': () => user(t.assignee_id)?.name,
    'ticket.group.id': () => t.group_id,
    'ticket.group.name': () => store.groups.find((g) => g.id === t.group_id)?.name,
    'ticket.latest_comment': () => latest?.plain_body,
    'ticket.latest_comment_html': () => latest?.html_body,
    'ticket.latest_public_comment': () => latestPublic?.plain_body,
    'ticket.latest_comment.id': () => latest?.id,
    'ticket.latest_comment.is_public': () => latest?.public,
    'ticket.latest_comment.author.email': () => user(latest?.author_id ?? null)?.email,
    'current_user.id': () => e.actor.id,
    'current_user.email': () => e.actor.email,
    'current_user.name': () => e.actor.name,
    'current_user.role': () => e.actor.role,
  };
  return template.replace(/\{\{\s*([\w.]+)\s*\}\}/g, (_, name: string) => {
    const custom = /^ticket\.ticket_field_(\d+)$/.exec(name);
    const v = custom ? t.custom_fields.get(Number(custom[1])) : values[name]?.();
    // Values land inside JSON strings, so they are escaped for JSON.
    return JSON.stringify(str(v)).slice(1, -1);
  });
}
