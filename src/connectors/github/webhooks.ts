/**
 * GitHub's repository webhook as Crosswalk receives it: the signature check,
 * what a delivery is remembered by, and which issue a delivery names.
 *
 * GitHub signs the raw body alone (`X-Hub-Signature-256: sha256=<hex>`), with
 * no timestamp: a delivery's freshness cannot be checked, only that GitHub
 * sent these bytes. A replay is refused by its body instead: a redelivery
 * carries the same body, so the body's hash is what a delivery is accepted
 * once by (the delivery GUID header is not signed, so anyone on the way could
 * change it).
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import * as z from 'zod';
import type { RemoteEvidence } from '../ports';
import type { InboundNotification, NotificationRef, NotificationTouches } from '../registry';
import { issueFields, issueSchema } from './issue';
import { repositoryOf } from './remote';

export const SIGNATURE_HEADER = 'x-hub-signature-256';
export const EVENT_HEADER = 'x-github-event';
/** What the webhook Crosswalk makes subscribes to. */
/** `sub_issues`: a parent given or taken away (the child's own `issues` events do not say it). */
export const HOOK_EVENTS = ['issues', 'issue_comment', 'sub_issues'] as const;

/** A header's first value, whatever case the receiver kept its name in. */
export function headerOf(headers: InboundNotification['headers'] | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  const wanted = name.toLowerCase();
  for (const [key, values] of Object.entries(headers)) if (key.toLowerCase() === wanted) return values?.[0];
  return undefined;
}

/** `sha256=<hex HMAC-SHA256(secret, body)>`, compared in constant time; any other form is refused. */
export function gitHubSignatureMatches(secret: string, body: string, signature: string | undefined): boolean {
  const match = /^sha256=([0-9a-f]{64})$/i.exec(signature?.trim() ?? '');
  if (!match) return false;
  const expected = createHmac('sha256', secret).update(body).digest();
  const given = Buffer.from(match[1]!, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** The signed bytes' hash: a redelivery (same body) is the same delivery. */
export function gitHubReplayKey(request: InboundNotification): string {
  return `github:${createHash('sha256').update(request.body).digest('hex')}`;
}

const delivery = z
  .object({
    action: z.string().max(60).optional(),
    issue: z.object({ number: z.number().int().positive(), pull_request: z.unknown().optional() }).loose().optional(),
    /** A `sub_issues` event's child: the issue whose parent changed. */
    sub_issue: z.object({ number: z.number().int().positive() }).loose().optional(),
    repository: z.object({ full_name: z.string() }).loose().optional(),
    sender: z
      .object({ login: z.string().max(100) })
      .loose()
      .optional(),
    /** Only a `ping` carries it. */
    zen: z.string().optional(),
    hook_id: z.number().optional(),
  })
  .loose();
type Delivery = z.infer<typeof delivery>;

function parseDelivery(body: string): Delivery | undefined {
  try {
    const parsed = delivery.safeParse(JSON.parse(body));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** The event a delivery is: its header, or (where a receiver dropped it) what its body shows. */
function eventOf(parsed: Delivery, headers: InboundNotification['headers'] | undefined): string | undefined {
  const named = headerOf(headers, EVENT_HEADER);
  if (named) return named;
  if (parsed.zen !== undefined) return 'ping';
  if (parsed.issue && 'comment' in parsed) return 'issue_comment';
  if (parsed.issue) return 'issues';
  return undefined;
}

/** What an issue event touched: a new issue is read whole, a comment event names comments only. */
function touchesOf(event: string, action: string | undefined): NotificationTouches {
  if (event === 'issue_comment') return { comments: true };
  if (action === 'opened') return { created: true };
  return { fields: true };
}

/** `issues` actions whose issue is not the item as the connection now has it: new (read whole), or gone from the repository. */
const NOT_EVIDENCE = new Set(['opened', 'deleted', 'transferred']);

/**
 * What an `issues` event (other than `opened`, `deleted`, `transferred`) proves the issue became: GitHub's payload carries the whole issue as
 * the event left it, so every mapped field is shown (sync/evidence.ts takes it in place of a read when it is newer
 * than anything the pair has seen). A comment event's issue is not evidence of its fields (GitHub does not promise
 * it fresh), nor is a `sub_issues` event's, and the payload does not say the parent.
 */
function shownBy(event: string, action: string | undefined, issue: unknown): Pick<NotificationRef, 'shows'> {
  // A deleted or transferred issue is no longer the connection's: its last state is not evidence, the read says so.
  if (event !== 'issues' || action === undefined || NOT_EVIDENCE.has(action)) return {};
  const parsed = issueSchema.safeParse(issue);
  if (!parsed.success) return {};
  const updatedAt = Date.parse(parsed.data.updated_at);
  if (!Number.isFinite(updatedAt)) return {};
  const shows: RemoteEvidence = {
    version: parsed.data.updated_at,
    updatedAt,
    fields: issueFields(parsed.data),
    complete: true,
  };
  return { shows };
}

/**
 * The issue a delivery names, for the connection's repository only. `ping` (sent when the hook is made) and other
 * events name no issue: []. A pull request's events are not issues of the connection: []. Not a delivery at all:
 * undefined.
 */
export function parseDeliveryRefs(
  body: string,
  baseUrl: string,
  headers: InboundNotification['headers'] | undefined,
): NotificationRef[] | undefined {
  const parsed = parseDelivery(body);
  if (!parsed) return undefined;
  const event = eventOf(parsed, headers);
  // A parent given or taken away changes the child: it is the item to look at.
  const issue = event === 'sub_issues' ? parsed.sub_issue : parsed.issue;
  if (event !== 'issues' && event !== 'issue_comment' && event !== 'sub_issues') return [];
  if (!issue || parsed.issue?.pull_request !== undefined) return [];
  const { owner, repo } = repositoryOf(baseUrl);
  if (parsed.repository?.full_name.toLowerCase() !== `${owner}/${repo}`.toLowerCase()) return [];
  return [
    {
      remoteId: String(issue.number),
      event: `github:${event}${parsed.action ? `.${parsed.action}` : ''}`,
      ...(parsed.sender ? { changedBy: parsed.sender.login } : {}),
      touches: touchesOf(event, parsed.action),
      ...shownBy(event, parsed.action, parsed.issue),
    },
  ];
}

export function deliveryItemIds(body: string): string[] {
  const parsed = parseDelivery(body);
  const number = (parsed?.sub_issue ?? parsed?.issue)?.number;
  return number ? [String(number)] : [];
}
