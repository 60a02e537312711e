/**
 * The change-push set-up of a connection, for its project's admins: where the
 * remote sends its change notifications and, for systems where a person sets
 * it up (ServiceNow's business rule), what to paste. The signing secret is
 * Crosswalk's own: stored as a Forge secret and never answered again, except
 * once, right after an admin asks for a new one to paste into the remote.
 */
import { randomBytes } from 'node:crypto';
import * as z from 'zod';
import { systemFor } from '../connectors/registry';
import type { ConnectionConfig } from '../mapping/connection-config';
import { getCredential, updateCredential } from '../store/credentials';
import { linksOfConnection } from '../store/links';
import { notificationUrl } from './connections';
import { audit } from '../audit/record';
import { connectionIdSchema, fail, ok, requireOwnConnection } from './guards';

type Call = { payload?: unknown; context: { accountId?: string } & Record<string, unknown> };

const request = z.object({ connectionId: connectionIdSchema }).strict();
const arrivalRequest = z
  .object({ connectionId: connectionIdSchema, since: z.number().int().nonnegative().optional() })
  .strict();

const SECRET_PLACEHOLDER = '<the signing secret>';

/** What the admin pastes into the remote, where the system's push is set up by hand (its registry entry says how). */
function manualSetup(remote: ConnectionConfig['remote'], url: string, secret: string | undefined): string | null {
  return systemFor(remote.type)?.notifications.manualSetup?.(url, remote, secret ?? SECRET_PLACEHOLDER) ?? null;
}

export async function changePushSetupResolver({ payload, context }: Call) {
  const own = await requireOwnConnection(context, payload, request);
  if (!own.ok) return own.answer;
  const system = systemFor(own.config.remote.type);
  const url = await notificationUrl(own.config);
  const secretSet = Boolean((await getCredential(own.config.id))?.webhookSecret);
  return ok({
    mode: system?.notifications.provision ? 'automatic' : 'manual',
    system: system?.label ?? own.config.remote.type,
    summary: system?.texts.changePush ?? null,
    url,
    secretSet,
    script: manualSetup(own.config.remote, url, undefined),
  });
}

/** A new signing secret, answered this once so the admin can paste it; the old one stops verifying at once. */
export async function newSigningSecretResolver({ payload, context }: Call) {
  const own = await requireOwnConnection(context, payload, request);
  if (!own.ok) return own.answer;
  if (systemFor(own.config.remote.type)?.notifications.provision)
    return fail(
      'BAD_REQUEST',
      "Crosswalk sets up and signs this system's notifications itself; save the connection to renew them.",
    );
  const secret = randomBytes(24).toString('base64url');
  await updateCredential(own.config.id, { webhookSecret: secret });
  await audit(own.admin, 'secret-replaced', { connectionId: own.config.id, changes: { secrets: ['webhookSecret'] } });
  const url = await notificationUrl(own.config);
  return ok({ secret, script: manualSetup(own.config.remote, url, secret) });
}

/** At most this many pages of links are looked through for the latest notification (100 links a page). */
const MAX_LINK_PAGES = 10;

/**
 * Whether the remote's notifications arrive: the latest sync a notification
 * caused (its cause names the system, e.g. `servicenow:update`) at or after
 * `since`, read from the steps each link keeps anyway (sync/timeline.ts), so
 * the webhook itself keeps no record and costs nothing more. The settings page
 * asks the admin to change a synced item in the remote and polls this.
 */
export async function changePushArrivalResolver({ payload, context }: Call) {
  const own = await requireOwnConnection(context, payload, arrivalRequest);
  if (!own.ok) return own.answer;
  const prefix = `${own.config.remote.type}:`;
  const since = own.request.since ?? 0;
  let latest: { at: number; issueKey: string; remoteKey: string; cause: string } | undefined;
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await linksOfConnection(own.config.id, cursor);
    for (const link of page.links) {
      for (const step of link.timeline ?? []) {
        if (!step.cause?.startsWith(prefix) || step.confirmedAt < since || (latest && latest.at >= step.confirmedAt))
          continue;
        latest = { at: step.confirmedAt, issueKey: link.issueKey, remoteKey: link.remoteKey, cause: step.cause };
      }
    }
    cursor = page.cursor;
  } while (cursor && ++pages < MAX_LINK_PAGES);
  return ok({ arrival: latest ?? null, looked: { capped: Boolean(cursor) } });
}
