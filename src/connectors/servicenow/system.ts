/**
 * What a business rule's operation says changed: a new record (`insert`) is read whole; a journal entry is a
 * comment; a file added or deleted (the sys_attachment rule) is files; any other update is fields.
 */
function touchesOf(event: string | undefined): NotificationTouches {
  if (event === 'insert') return { created: true };
  if (event && /journal/.test(event)) return { comments: true };
  if (event && /attachment/.test(event)) return { files: true };
  return { fields: true };
}

/**
 * ServiceNow's registry entry: its connection settings, hosts, capabilities,
 * how a connector is built from a credential, and how its change
 * notifications (a business rule's signed REST message) are checked.
 */
import { serviceNowBusinessRule } from './business-rule';
import { createHmac, timingSafeEqual } from 'node:crypto';
import * as z from 'zod';
import type { Credential } from '../../vocabulary/credential';
import type { InboundNotification, NotificationRef, NotificationTouches, SystemDefinition } from '../registry';
import { serviceNowDerivedFields } from './derived';
import { parseGlideDateTime, SERVICENOW_CAPABILITIES, ServiceNowConnector } from './client';

/** The account Crosswalk signs in as: the changes it makes are known as its own by this name. */
const integrationUser = z
  .string()
  .min(1)
  .meta({
    title: 'Integration user name',
    description: "The ServiceNow user Crosswalk signs in as; changes made by this user are known as Crosswalk's own.",
    examples: ['crosswalk.integration'],
  });

export const serviceNowRemoteSchema = z.object({
  type: z.literal('servicenow'),
  baseUrl: z.url(),
  /** The table the connection syncs with (incident, sc_task, a custom u_ table). */
  table: z
    .string()
    .regex(/^[a-z][a-z0-9_]*$/, 'must be a ServiceNow table name')
    .meta({
      title: 'Table',
      description: 'The table whose records pair with Jira issues: incident, sc_task, or a table of your own (u_…).',
      examples: ['incident'],
    }),
  auth: z
    .discriminatedUnion('kind', [
      z.object({ kind: z.literal('basic'), username: integrationUser }).meta({ title: 'User name and password' }),
      z
        .object({
          kind: z.literal('oauth'),
          clientId: z.string().min(1).meta({ title: 'OAuth client ID' }),
          username: integrationUser.optional(),
        })
        .meta({ title: 'OAuth 2.0 client credentials' }),
    ])
    .meta({ title: 'Sign in with' }),
});
export type ServiceNowRemote = z.infer<typeof serviceNowRemoteSchema>;

/** The signed business-rule message Crosswalk gives the ServiceNow admin to paste (see the settings page). */
const notice = z
  .object({
    sys_id: z.string().regex(/^[0-9a-f]{32}$/),
    table: z.string().optional(),
    event: z.string().optional(),
    user: z.string().optional(),
    sent_at: z.number(),
    /** What the record became (the business rule sends these): its write count, its time, and the new values of the fields that changed. */
    sys_mod_count: z.union([z.string().regex(/^\d+$/), z.number().int().nonnegative()]).optional(),
    sys_updated_on: z.string().optional(),
    changes: z.record(z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/), z.union([z.string(), z.null()])).optional(),
  })
  .loose();
const MAX_AGE_SECONDS = 300;

/** Constant-time comparison of the signature the sender computed and ours. */
export function signatureMatches(secret: string, body: string, signature: string | undefined): boolean {
  if (!signature) return false;
  const expected = createHmac('sha256', secret).update(body).digest();
  const given = Buffer.from(signature, 'base64');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function parseNotice(body: string): z.infer<typeof notice> | undefined {
  try {
    const parsed = notice.safeParse(JSON.parse(body));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/**
 * What a record notification proves of the record (sync/evidence.ts): the write count it reached and the changed
 * fields' values (a value ServiceNow leaves empty comes as null from getValue, and as "" from the Table API).
 */
function shownBy(parsed: z.infer<typeof notice>): Pick<NotificationRef, 'shows'> {
  if (
    (parsed.event !== 'update' && parsed.event !== 'insert' && parsed.event !== 'journal') ||
    parsed.sys_mod_count === undefined ||
    !parsed.sys_updated_on ||
    !parsed.changes
  )
    return {};
  const updatedAt = parseGlideDateTime(parsed.sys_updated_on);
  if (!Number.isFinite(updatedAt)) return {};
  return {
    shows: {
      version: String(parsed.sys_mod_count),
      updatedAt,
      fields: Object.fromEntries(Object.entries(parsed.changes).map(([k, v]) => [k, v ?? ''])),
    },
  };
}

export const serviceNowSystem: SystemDefinition<ServiceNowRemote> = {
  kind: 'servicenow',
  label: 'ServiceNow',
  remoteSchema: serviceNowRemoteSchema,
  starterFields: [
    { jira: 'summary', remote: 'short_description' },
    { jira: 'description', remote: 'description', transform: 'rich-text' },
  ],
  hostPatterns: ['*.service-now.com'],
  // An instance may answer on the customer's own domain (a custom URL).
  customerHosts: { product: 'ServiceNow on its own domain' },
  exampleUrls: ['https://acme.service-now.com'],
  capabilities: SERVICENOW_CAPABILITIES,
  resolution: {
    resolvedStates: ['6', '7'],
    code: { field: 'close_code', label: 'Resolution code', fallback: 'Solution provided' },
    notes: { field: 'close_notes', label: 'Resolution notes', maxLength: 4000 },
  },
  derivedFields: (remote) => serviceNowDerivedFields(remote.table),
  // An incident table has one kind of record; its category is what customers tell kinds of work apart by.
  itemTypes: { field: 'category', label: 'Category' },
  missingCredential(remote, credential) {
    if (remote.auth.kind === 'basic' && !credential?.password)
      return 'The connection has no password; an admin must enter it on the settings page';
    if (remote.auth.kind === 'oauth' && !credential?.clientSecret)
      return 'The connection has no OAuth client secret; an admin must enter it on the settings page';
    return undefined;
  },
  create(remote, credential: Credential) {
    const auth =
      remote.auth.kind === 'basic'
        ? { kind: 'basic' as const, username: remote.auth.username, password: credential.password ?? '' }
        : {
            kind: 'oauth' as const,
            clientId: remote.auth.clientId,
            clientSecret: credential.clientSecret ?? '',
            username: remote.auth.username,
            password: credential.password,
          };
    return new ServiceNowConnector({ baseUrl: remote.baseUrl, table: remote.table, auth });
  },
  notifications: {
    // ServiceNow has no API to subscribe: its admin adds two business rules, which the connection page shows to paste.
    manualSetup: (url, remote, secret) => serviceNowBusinessRule(url, remote.table, secret),
    verify(request: InboundNotification, credential: Credential, nowMs: number): boolean {
      const secret = credential.webhookSecret;
      if (!secret || !signatureMatches(secret, request.body, request.headers['x-servicenow-signature']?.[0]))
        return false;
      // The send time is inside the signed body, so a replayed message cannot be freshened.
      const sentAt = parseNotice(request.body)?.sent_at;
      return sentAt !== undefined && Math.abs(nowMs / 1000 - sentAt) <= MAX_AGE_SECONDS;
    },
    // The signature is an HMAC of the body alone, and the body carries the send time.
    replayKey: (request) => request.body,
    parse(body, remote): NotificationRef[] | undefined {
      const parsed = parseNotice(body);
      if (!parsed) return undefined;
      if (parsed.table && parsed.table !== remote.table) return [];
      return [
        {
          remoteId: parsed.sys_id,
          event: `servicenow:${parsed.event ?? 'notification'}`,
          touches: touchesOf(parsed.event),
          ...(parsed.user ? { changedBy: parsed.user } : {}),
          ...shownBy(parsed),
        },
      ];
    },
    itemIds(body) {
      const parsed = parseNotice(body);
      return parsed ? [parsed.sys_id] : [];
    },
    isOwnChange(ref, remote) {
      const integrationUser = remote.auth.username;
      return Boolean(integrationUser && ref.changedBy === integrationUser);
    },
  },
  texts: {
    searchHint: 'INC0010001 or words of the title',
    changePush:
      'ServiceNow tells Crosswalk about each record change through two business rules (one on the table, one on its attachments) that a ServiceNow admin adds, signed with a secret Crosswalk generates.',
    commentEditRefused: 'ServiceNow journal entries cannot be changed',
    commentDeleteRefused: 'ServiceNow journal entries cannot be deleted',
    secrets: {
      password: { label: 'Password', help: "The integration user's ServiceNow password." },
      clientSecret: {
        label: 'OAuth client secret',
        help: 'The secret of the OAuth application registry entry whose client ID is above.',
      },
    },
  },
};
