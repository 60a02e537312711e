/**
 * Zendesk's registry entry: connection settings, hosts, capabilities, how a
 * connector is built from the API token, and its change push: a signed
 * webhook plus the trigger that calls it, both made by Crosswalk when the
 * connection is saved and removed when it is deleted.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import * as z from 'zod';
import type { Credential } from '../../vocabulary/credential';
import { SyncError } from '../errors';
import type { Connector } from '../ports';
import type { InboundNotification, NotificationRef, SystemDefinition } from '../registry';
import { ZENDESK_CAPABILITIES, ZendeskConnector } from './client';

export const zendeskRemoteSchema = z.object({
  type: z.literal('zendesk'),
  baseUrl: z.url(),
  /** The integration user (an admin: the incremental export, webhooks and triggers are admin APIs); the API token is the credential. */
  auth: z
    .object({
      kind: z.literal('api-token'),
      email: z.email().meta({
        title: 'Email of the integration user',
        description:
          'A Zendesk admin: Crosswalk reads the ticket export and sets up its webhook and trigger as this user.',
        examples: ['crosswalk@acme.example'],
      }),
    })
    .meta({ title: 'API token' }),
  /** What a change that meets a closed ticket does: continue in a follow-up ticket, or report it on the issue. */
  closedTickets: z
    .union([
      z.literal('follow-up').meta({
        title: 'Continue in a follow-up ticket',
        description:
          'A Jira change that meets a closed ticket makes the follow-up ticket Zendesk offers, and the issue pairs with it.',
      }),
      z.literal('report').meta({
        title: 'Report it on the issue',
        description: 'Nothing is written to the closed ticket: the issue says the ticket is closed.',
      }),
    ])
    .default('follow-up')
    .meta({
      title: 'Closed tickets',
      description: 'Zendesk never changes a closed ticket again: what Crosswalk does when a Jira change meets one.',
    }),
});
export type ZendeskRemote = z.infer<typeof zendeskRemoteSchema>;

export const SIGNATURE_HEADER = 'x-zendesk-webhook-signature';
export const TIMESTAMP_HEADER = 'x-zendesk-webhook-signature-timestamp';
/** Unsigned, so only used to tell a duplicate delivery from a distinct one; a forger gains nothing by changing it (reconciling is idempotent). */
export const INVOCATION_HEADER = 'x-zendesk-webhook-invocation-id';
/** How old a signed delivery may be (Zendesk signs at send time; retries within minutes). */
export const MAX_AGE_MS = 5 * 60_000;

/** Zendesk's signature: base64 HMAC-SHA256 over timestamp + body, compared in constant time. */
export function zendeskSignatureMatches(
  secret: string,
  timestamp: string,
  body: string,
  signature: string | undefined,
): boolean {
  if (!signature) return false;
  const expected = createHmac('sha256', secret)
    .update(timestamp + body)
    .digest();
  const given = Buffer.from(signature, 'base64');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** The body our trigger sends (see TRIGGER_BODY); extra keys are allowed, wrong types are not. */
const notice = z
  .object({
    ticket_id: z.union([z.number().int().positive(), z.string().regex(/^\d+$/)]),
    updated_at: z.string().optional(),
    event: z.string().max(40).optional(),
    changed_by: z.string().max(320).optional(),
    latest_comment_id: z.string().max(40).optional(),
  })
  .loose();

function parseNotice(body: string): z.infer<typeof notice> | undefined {
  try {
    const parsed = notice.safeParse(JSON.parse(body));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/**
 * What the trigger posts: the ticket, its stamp, who changed it, and what it holds now (placeholders are
 * JSON-escaped by Zendesk). A delivery is accepted once by what Zendesk signs (its timestamp and this body), and
 * both are to the second: the ticket's state makes two changes made in one second by one person two deliveries,
 * unless they left all of it as it was (the sweep then finds the change).
 */
export const TRIGGER_BODY = JSON.stringify({
  ticket_id: '{{ticket.id}}',
  updated_at: '{{ticket.updated_at_with_timestamp}}',
  external_id: '{{ticket.external_id}}',
  event: 'ticket',
  changed_by: '{{current_user.email}}',
  changed_by_id: '{{current_user.id}}',
  latest_comment_id: '{{ticket.latest_comment.id}}',
  status: '{{ticket.status}}',
  priority: '{{ticket.priority}}',
  type: '{{ticket.ticket_type}}',
  assignee_id: '{{ticket.assignee.id}}',
  group_id: '{{ticket.group.id}}',
  tags: '{{ticket.tags}}',
  subject: '{{ticket.title}}',
});

/** Names that tie a webhook and trigger to one connection's URL (several connections may share an account). */
export function pushNames(url: string): { webhook: string; trigger: string } {
  // Letters only (hex digits shifted to g–p): a run of digits would read as one of Zendesk's own ids to a person.
  const tag = createHash('sha256')
    .update(url)
    .digest('hex')
    .slice(0, 10)
    .replace(/[0-9]/g, (d) => 'ghijklmnop'[Number(d)]!);
  return { webhook: `Crosswalk ${tag}`, trigger: `Crosswalk: tell Jira about ticket changes (${tag})` };
}

function zendeskConnector(connector: Connector): ZendeskConnector {
  if (!(connector instanceof ZendeskConnector))
    throw new SyncError({ system: 'zendesk', kind: 'validation', message: 'Not a Zendesk connection' });
  return connector;
}

const pointsAt = (actions: ReadonlyArray<{ field: string; value: unknown }>, webhookId: string) =>
  actions.some((a) => a.field === 'notification_webhook' && Array.isArray(a.value) && a.value[0] === webhookId);

export const zendeskSystem: SystemDefinition<ZendeskRemote> = {
  kind: 'zendesk',
  label: 'Zendesk',
  remoteSchema: zendeskRemoteSchema,
  // Choosing what happens to closed tickets changes nothing about where Crosswalk signs in, or as whom.
  behaviourSettings: ['closedTickets'],
  starterFields: [
    { jira: 'summary', remote: 'subject' },
    { jira: 'description', remote: 'description', transform: 'rich-text' },
  ],
  hostPatterns: ['*.zendesk.com'],
  exampleUrls: ['https://acme.zendesk.com'],
  capabilities: ZENDESK_CAPABILITIES,
  // A solved ticket has no reason field: a resolution made in Jira is told in an internal note, never to the requester.
  resolution: { resolvedStates: ['solved', 'closed'] },
  itemTypes: { field: 'type', label: 'Ticket type' },
  missingCredential(_remote, credential) {
    return credential?.token
      ? undefined
      : 'The connection has no Zendesk API token; an admin must enter it on the settings page';
  },
  create(remote, credential: Credential) {
    return new ZendeskConnector({
      baseUrl: remote.baseUrl,
      email: remote.auth.email,
      apiToken: credential.token ?? '',
      closedTickets: remote.closedTickets,
    });
  },
  notifications: {
    verify(request: InboundNotification, credential: Credential, nowMs: number): boolean {
      const secret = credential.webhookSecret;
      const signature = request.headers[SIGNATURE_HEADER]?.[0];
      const timestamp = request.headers[TIMESTAMP_HEADER]?.[0] ?? '';
      if (!secret || !zendeskSignatureMatches(secret, timestamp, request.body, signature)) return false;
      // The timestamp is signed with the body, so a replay cannot be freshened.
      const sentAt = Date.parse(timestamp);
      if (Number.isNaN(sentAt) || Math.abs(nowMs - sentAt) > MAX_AGE_MS) return false;
      // A replayed delivery is refused by the shared guard in remote-webhook.ts, across instances.
      return true;
    },
    // Zendesk signs the timestamp and the body; its invocation id and webhook id headers are not signed.
    replayKey: (request) => `${request.headers[TIMESTAMP_HEADER]?.[0] ?? ''}\n${request.body}`,
    parse(body): NotificationRef[] | undefined {
      const parsed = parseNotice(body);
      if (!parsed) return undefined;
      // Any ticket change may carry a comment with files: the reconcile looks at both.
      // (Unless the pair has already seen the ticket's newest comment, which the body names: see reconcile.ts.)
      const newest =
        parsed.latest_comment_id && /^\d+$/.test(parsed.latest_comment_id)
          ? { newestComment: parsed.latest_comment_id }
          : {};
      return [
        {
          remoteId: String(parsed.ticket_id),
          event: `zendesk:${parsed.event ?? 'ticket'}`,
          // A trigger fires on any ticket change, which may carry a comment with files: all parts are looked at.
          touches: { fields: true, comments: true, files: true },
          ...(parsed.changed_by ? { changedBy: parsed.changed_by } : {}),
          ...newest,
        },
      ];
    },
    itemIds(body) {
      const parsed = parseNotice(body);
      return parsed ? [String(parsed.ticket_id)] : [];
    },
    isOwnChange(ref, remote) {
      return Boolean(ref.changedBy && ref.changedBy.trim().toLowerCase() === remote.auth.email.trim().toLowerCase());
    },
    /**
     * One webhook and one trigger per connection URL, found again on a second
     * save instead of made twice. Zendesk chooses the signing secret; it is
     * read back and becomes the connection's webhook secret.
     */
    async provision(connector, target) {
      const zd = zendeskConnector(connector);
      const named = pushNames(target.url);
      const webhooks = await zd.listWebhooks();
      const webhookId =
        webhooks.find((w) => w.endpoint === target.url)?.id ??
        (await zd.createWebhook({ name: named.webhook, endpoint: target.url }));
      const secret = await zd.webhookSecret(webhookId);
      const trigger = {
        title: named.trigger,
        active: true,
        description:
          'Made by Crosswalk: notifies the paired Jira project of ticket changes. Removed when the connection is deleted.',
        conditions: {
          all: [],
          any: [
            { field: 'update_type', operator: 'is', value: 'Create' },
            { field: 'update_type', operator: 'is', value: 'Change' },
          ],
        },
        actions: [{ field: 'notification_webhook', value: [webhookId, TRIGGER_BODY] }],
      };
      const existing = (await zd.listTriggers()).find((t) => pointsAt(t.actions, webhookId));
      if (existing) await zd.updateTrigger(existing.id, trigger);
      else await zd.createTrigger(trigger);
      // Named as Zendesk's Admin Center lists them: the webhook's id means nothing to a person.
      return {
        secret,
        description: `Zendesk now sends ticket changes to Crosswalk: the webhook “${named.webhook}” and the trigger “${named.trigger}” are set up.`,
      };
    },
    async unprovision(connector, target) {
      const zd = zendeskConnector(connector);
      const hooks = (await zd.listWebhooks()).filter((w) => w.endpoint === target.url);
      if (!hooks.length) return;
      // Triggers first: Zendesk refuses to delete a webhook a trigger still uses.
      for (const t of await zd.listTriggers())
        if (hooks.some((h) => pointsAt(t.actions, h.id))) await zd.deleteTrigger(t.id);
      for (const h of hooks) await zd.deleteWebhook(h.id);
    },
  },
  texts: {
    changePush:
      'Zendesk tells Crosswalk about each ticket change through a webhook and a trigger that Crosswalk sets up when the connection is saved, and removes when it is deleted.',
    commentEditRefused: 'Zendesk comments cannot be changed once written',
    commentDeleteRefused: 'Zendesk comments cannot be deleted',
    fileDeleteRefused: 'Zendesk attachments cannot be deleted (only redacted by an agent)',
    valueNotTaken(field, written, held) {
      return field === 'status' && written === 'new' && held !== 'new'
        ? 'Zendesk does not return a ticket to New once someone is assigned to it'
        : undefined;
    },
    secrets: {
      token: {
        label: 'API token',
        help: 'An API token of your Zendesk account, made in Admin Center under Apps and integrations → APIs.',
      },
    },
  },
};
