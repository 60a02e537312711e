/**
 * Freshservice's change push: no webhook API and no signature (§2.5). An admin
 * adds a Workflow Automator rule whose "Trigger Webhook" action POSTs the JSON
 * payload below to the connection's URL, with a custom header carrying the
 * connection's webhook secret. That header is all that vouches for a
 * delivery, so it is compared in constant time; the body is what a replay
 * would repeat, so it is the replay key.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import * as z from 'zod';
import type { InboundNotification, NotificationRef, NotificationTouches } from '../registry';

/** The header as the admin types it; headers arrive lower-cased (`SECRET_HEADER`). */
export const SECRET_HEADER_NAME = 'X-Crosswalk-Secret';
export const SECRET_HEADER = SECRET_HEADER_NAME.toLowerCase();

/**
 * What the rule's action posts. The ticket's stamp and its latest conversation
 * make two changes of one ticket two bodies (the replay key), except two field
 * changes by one person within the same second, which the sweep then finds.
 * Strings are quoted, numbers bare, as Freshservice fills placeholders.
 */
export const PAYLOAD_TEMPLATE = [
  '{',
  '  "ticket_id": {{ticket.id}},',
  '  "event": "{{triggered_event}}",',
  '  "updated_at": "{{ticket.updated_at}}",',
  '  "performer_email": "{{performer.email}}",',
  '  "conversation_id": "{{ticket.latest_conversation.id}}"',
  '}',
].join('\n');

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

/**
 * Whether the header holds the connection's secret. Both sides are hashed
 * first, so the comparison is over equal lengths and takes the same time
 * whatever was sent (a length check alone would tell a forger the length).
 */
export function secretMatches(expected: string | undefined, given: string | undefined): boolean {
  if (!expected || given === undefined) return false;
  return timingSafeEqual(digest(expected), digest(given));
}

export function verifySecret(request: InboundNotification, webhookSecret: string | undefined): boolean {
  const values = request.headers[SECRET_HEADER];
  // One header, once: a second value is not something the rule sends.
  if (!values || values.length !== 1) return false;
  return secretMatches(webhookSecret, values[0]);
}

/** Nothing but the body is fixed by the sender (the secret is the same on every delivery). */
export const replayKeyOf = (request: InboundNotification): string =>
  createHash('sha256').update(request.body, 'utf8').digest('hex');

const payloadSchema = z
  .object({
    ticket_id: z.union([z.number().int().positive(), z.string().regex(/^\d{1,18}$/)]),
    event: z.string().max(60).optional(),
    updated_at: z.string().max(40).optional(),
    performer_email: z.string().max(320).optional(),
    conversation_id: z.union([z.string().max(40), z.number()]).optional(),
  })
  .loose();
type Payload = z.infer<typeof payloadSchema>;

function readPayload(body: string): Payload | undefined {
  try {
    const parsed = payloadSchema.safeParse(JSON.parse(body));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/**
 * What each automator event touched: a new ticket is read whole; a reply or
 * note brings a conversation and any files it carried (files come only that
 * way through the API, or with a ticket edit); anything else is the fields.
 * An event this list does not know may have changed anything.
 */
export function touchesOf(event: string | undefined): NotificationTouches | undefined {
  switch (event) {
    case 'ticket_created':
      return { created: true };
    case 'note_added':
    case 'reply_added':
      return { comments: true, files: true };
    case 'ticket_updated':
      return { fields: true, files: true };
    default:
      return undefined;
  }
}

export function parseNotification(body: string): NotificationRef[] | undefined {
  const payload = readPayload(body);
  if (!payload) return undefined;
  const event = payload.event?.trim() || 'ticket_updated';
  const touches = touchesOf(event);
  const changedBy = payload.performer_email?.trim();
  return [
    {
      remoteId: String(payload.ticket_id),
      event: `freshservice:${event}`,
      ...(changedBy ? { changedBy } : {}),
      ...(touches ? { touches } : {}),
    },
  ];
}

export function ticketIdsOf(body: string): string[] {
  const payload = readPayload(body);
  return payload ? [String(payload.ticket_id)] : [];
}

/** The integration agent made the change: Crosswalk's own write coming back. */
export function madeBy(ref: NotificationRef, agentEmail: string): boolean {
  return Boolean(ref.changedBy && ref.changedBy.trim().toLowerCase() === agentEmail.trim().toLowerCase());
}

/**
 * The steps a Freshservice admin follows, word for word as Freshservice's
 * admin pages name things, with the URL, header and payload to paste. The
 * secret is shown only to the admin setting the connection up (the settings
 * page); without one, the step says where it is found.
 */
export function manualSetupSteps(url: string, secret: string | undefined): string {
  return [
    'In Freshservice, as an administrator:',
    '1. Go to Admin → Automation & Productivity → Workflow Automator, and choose New Automator → Ticket.',
    '2. Name it "Notify Crosswalk" and set its event to: Ticket is raised; Ticket is updated; Note is added; Reply is sent.',
    '3. Leave the condition empty (every ticket), or narrow it to the tickets this connection pairs.',
    '4. Add the action "Trigger Webhook": request type POST, encoding JSON, and this callback URL:',
    `   ${url}`,
    `5. Under "Add custom headers", add the header ${SECRET_HEADER_NAME} with the value:`,
    `   ${secret ?? '(the connection’s webhook secret, shown on the connection page when it is saved)'}`,
    '6. Choose "Advanced" content and paste this payload:',
    PAYLOAD_TEMPLATE,
    '7. Activate the automator.',
  ].join('\n');
}
