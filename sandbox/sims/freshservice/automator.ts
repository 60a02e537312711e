/**
 * Freshservice has no webhook API and signs nothing (vendor-apis-more.md
 * §2.5). What an integration gets is what an admin builds in the Workflow
 * Automator: on an event, a "Trigger Webhook" action POSTs a JSON payload the
 * admin typed, with placeholders filled in, and any custom headers the admin
 * added (Crosswalk's shared secret travels in one). One attempt, no retries.
 */
import * as z from 'zod';
import { FaultableNotificationQueue } from '../shared/notifier';
import { PRIORITIES, STATUSES } from './codes';
import { iso } from './serialize';
import { TICKET_EVENTS, type TicketEvent, type TicketEventName } from './tickets';

export const automatorRuleSchema = z.object({
  name: z.string().min(1).default('Notify Crosswalk'),
  url: z.string().url(),
  /** Custom headers, name to value, as typed in the action's "Add header" rows. */
  headers: z.record(z.string().min(1), z.string()).default({}),
  events: z.array(z.enum(TICKET_EVENTS as [TicketEventName, ...TicketEventName[]])).min(1),
  /** The JSON payload with `{{placeholders}}` (see PLACEHOLDERS); a default names the ticket and the event. */
  payload: z.string().optional(),
  active: z.boolean().default(true),
});
export type AutomatorRule = z.infer<typeof automatorRuleSchema> & { id: number; payload: string };

export const DEFAULT_PAYLOAD =
  '{"ticket_id": {{ticket.id}}, "event": "{{triggered_event}}", "updated_at": "{{ticket.updated_at}}", "performer_email": "{{performer.email}}"}';

/**
 * The placeholders this simulator fills. Strings are JSON-escaped without
 * their quotes, so a template writes `"{{ticket.subject}}"`; numbers are bare.
 * `ticket.status` and `ticket.priority` render the names a person sees, as the
 * product's placeholders do; `*_code` adds the numbers the API speaks.
 */
export const PLACEHOLDERS: Readonly<Record<string, (e: TicketEvent, host: string) => string | number>> = {
  'ticket.id': (e) => e.ticket.id,
  'ticket.subject': (e) => e.ticket.subject,
  'ticket.status': (e) => STATUSES[e.ticket.status] ?? String(e.ticket.status),
  'ticket.status_code': (e) => e.ticket.status,
  'ticket.priority': (e) => PRIORITIES[e.ticket.priority] ?? String(e.ticket.priority),
  'ticket.priority_code': (e) => e.ticket.priority,
  'ticket.type': (e) => e.ticket.type,
  'ticket.tags': (e) => e.ticket.tags.join(','),
  'ticket.created_at': (e) => iso(e.ticket.created_at),
  'ticket.updated_at': (e) => iso(e.ticket.updated_at),
  'ticket.url': (e, host) => `https://${host}/a/tickets/${e.ticket.id}`,
  'ticket.changes': (e) => e.changes.join(','),
  'ticket.latest_conversation.id': (e) => e.conversation?.id ?? '',
  'ticket.latest_conversation.private': (e) => (e.conversation ? String(e.conversation.private) : ''),
  triggered_event: (e) => e.name,
  'performer.id': (e) => e.performer.id,
  'performer.email': (e) => e.performer.email,
  'performer.name': (e) => `${e.performer.first_name} ${e.performer.last_name}`.trim(),
};

export function renderPayload(template: string, e: TicketEvent, host: string): string {
  return template.replace(/\{\{\s*([\w.]+)\s*\}\}/g, (whole, name: string) => {
    const fill = PLACEHOLDERS[name];
    if (!fill) return whole; // An unknown placeholder stays as typed, as the product leaves it.
    const value = fill(e, host);
    return typeof value === 'number' ? String(value) : JSON.stringify(value).slice(1, -1);
  });
}

export interface Delivery {
  rule_id: number;
  event: TicketEventName;
  ticket_id: number;
  url: string;
  headers: Record<string, string>;
  body: string;
}
export interface SentDelivery extends Delivery {
  status: number | 'error';
  at: string;
}

/** The automator's outbound calls: queued in order, sent once each, pausable, with deliveries lost or doubled on demand. */
export class AutomatorNotifier extends FaultableNotificationQueue<Delivery> {
  readonly sent: SentDelivery[] = [];

  constructor(private readonly now: () => number) {
    super();
  }

  reset(): void {
    this.clearQueueAndFaults();
    this.sent.length = 0;
  }

  enqueue(delivery: Delivery): void {
    this.enqueueDelivery(delivery);
  }

  protected sendQueued(d: Delivery): Promise<void> {
    return this.send(d);
  }

  /** Sends one delivery now, outside the queue (a genuine delivery the replay test repeats), and tells how it was answered. */
  async sendNow(d: Delivery): Promise<SentDelivery> {
    await this.send(d);
    return this.sent.at(-1)!;
  }

  /** One attempt: whatever the receiver answers, or a failure to connect, is recorded and not retried. */
  private async send(d: Delivery): Promise<void> {
    let status: number | 'error' = 'error';
    try {
      const res = await fetch(d.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'Freshservice-Workflow-Automator', ...d.headers },
        body: d.body,
        signal: AbortSignal.timeout(10_000),
      });
      status = res.status;
      await res.arrayBuffer();
    } catch {
      status = 'error';
    }
    this.sent.push({ ...d, status, at: iso(this.now()) });
  }
}
