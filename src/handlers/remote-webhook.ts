import { allFieldsOf } from '../mapping/item-types';
import { createHash } from 'node:crypto';
import { kvs } from '@forge/kvs';
import { systemFor, type NotificationTouches } from '../connectors/registry';
import type { ConnectionConfig } from '../mapping/connection-config';
import { configKey, getConnection, parseConnection } from '../store/connections';
import { credentialFor } from '../store/credentials';
import { CLAIM_ENTITY, claimKeyOf } from '../store/links';
import { carriedRemoteEvidence } from '../sync/evidence';
import { pairRef } from '../sync/pair-ref';
import { enqueueReconcile } from '../sync/sync-queue';
import type { WorkItemRef } from '../sync/work-item';

/** Forge web trigger request (forge-platform.md §4.4). */
export interface WebTriggerRequest {
  method: string;
  headers: Record<string, string[]>;
  body?: string;
  userPath?: string;
}

export interface WebTriggerResponse {
  statusCode: number;
  headers?: Record<string, string[]>;
  body?: string;
}

const refuse = (statusCode: number, body: string): WebTriggerResponse => ({ statusCode, body });

/**
 * Inbound notifications from remote systems, at `<web trigger URL>/<system>/<connectionId>`.
 * Web trigger URLs are public: a request counts only when the connection's
 * system verifies it (a signature or secret, compared in constant time, and
 * fresh). It only says "look at these items", mapped to their pairs.
 */
export async function onRemoteWebhook(request: WebTriggerRequest): Promise<WebTriggerResponse> {
  if (request.method !== 'POST') return { statusCode: 405, headers: { allow: ['POST'] }, body: 'Method not allowed' };
  const route = /^\/([a-z-]{3,30})\/([a-z0-9-]{3,60})$/.exec(request.userPath ?? '');
  const system = route && systemFor(route[1]!);
  if (!route || !system) return refuse(404, 'Unknown endpoint');
  const connectionId = route[2]!;
  const body = request.body ?? '';
  // Our own writes come back as notifications too. Where this instance already knows the connection's
  // own identity, a body that says every change is ours is dropped before any storage read; the
  // reconcile would find nothing to do. (Dropping does nothing, so it needs no proof of authenticity.)
  const known = ownIdentity.get(connectionId);
  if (known && known.type === system.kind) {
    const refs = system.notifications.parse(body, known, request.headers);
    if (refs?.length && refs.every((r) => system.notifications.isOwnChange(r, known)))
      return { statusCode: 202, body: 'Ignored' };
  }
  // The connection and the links of the items the body names, in one read.
  const named = system.notifications.itemIds(body).slice(0, 24);
  const stored = await readConnectionAndClaims(connectionId, named);
  const config = stored.config;
  const credential = config && config.remote.type === system.kind ? await credentialFor(config) : undefined;
  // Every refusal looks the same, so a caller learns nothing about which connections exist.
  if (
    !config ||
    !credential ||
    !system.notifications.verify({ headers: request.headers, body }, credential, Date.now())
  )
    return refuse(401, 'Unauthorized');
  rememberOwnIdentity(config);
  const refs = system.notifications.parse(body, config.remote, request.headers);
  if (!refs) return refuse(400, 'Bad notification');
  // Our own writes come back as notifications too; the reconcile would find nothing to do, so skip the round trip.
  const theirs = refs.filter((r) => !system.notifications.isOwnChange(r, config.remote));
  if (!theirs.length) return { statusCode: 202, body: 'Ignored' };
  // A delivery is what its signature covers (the system says which bytes): a header added on the way (a proxy's, or an
  // attacker's replay with one more header) does not make it new; distinct deliveries differ in what is signed.
  const delivery = createHash('sha256')
    .update(`${config.id}\n${system.notifications.replayKey({ headers: request.headers, body })}`)
    .digest('hex');
  // Two deliveries about the same version of the same items with the same scope (Azure DevOps sends
  // "commented" and "updated" for one comment) are one signal: the second enqueues nothing.
  const about = theirs.every((r) => r.version !== undefined)
    ? createHash('sha256')
        .update(`${config.id}\n${JSON.stringify(theirs.map((r) => [r.remoteId, r.version, scopeOf(r.touches)]))}`)
        .digest('hex')
    : undefined;
  if (!firstSighting(delivery, about)) return { statusCode: 202, body: 'Already received' };
  // A verified notification is accepted once: a replay within the freshness window (a captured request sent again) enqueues
  // nothing. This instance remembers what it accepted; storage is asked only for a delivery it has not seen.
  const seen = `notice:${delivery}`;
  if (!(await claimOnce(seen))) return { statusCode: 202, body: 'Already received' };
  // Of what a notification shows, only what the mapping reads is worth carrying.
  const mapped = new Set(allFieldsOf(config).map((m) => m.remote));
  try {
    const jobs = await Promise.all(
      theirs.map(async (r) => {
        const claimed = stored.claims.get(r.remoteId);
        const item: WorkItemRef =
          claimed === undefined
            ? await pairRef(config.id, r.remoteId)
            : claimed
              ? { side: 'jira', issueId: claimed }
              : { side: 'remote', connectionId: config.id, remoteId: r.remoteId };
        const shows =
          item.side === 'jira' && r.shows
            ? carriedRemoteEvidence({
                ...r.shows,
                fields: Object.fromEntries(Object.entries(r.shows.fields).filter(([f]) => mapped.has(f))),
              })
            : undefined;
        return {
          item,
          cause: r.event,
          ...(r.touches ? { touches: r.touches } : {}),
          connectionId: config.id,
          ...(shows ? { remote: shows } : {}),
          ...(r.newestComment && item.side === 'jira' ? { newestComment: r.newestComment.slice(0, 100) } : {}),
        };
      }),
    );
    await enqueueReconcile(jobs);
  } catch (e) {
    // Not enqueued: let the sender's retry through.
    forgetSighting(delivery, about);
    await kvs.delete(seen).catch(() => undefined);
    throw e;
  }
  return { statusCode: 202, body: 'Accepted' };
}

/** The comment and file parts a notification touched: deliveries that differ in them are not the same signal. */
function scopeOf(touches: NotificationTouches | undefined): string {
  const all = !touches || touches.created;
  return `${all || touches.comments ? 'c' : ''}${all || touches.files ? 'a' : ''}`;
}

/** The connection and, for each remote id, its issue (a string), no link (null), or unknown (absent: read again). */
async function readConnectionAndClaims(
  connectionId: string,
  remoteIds: string[],
): Promise<{ config?: ConnectionConfig; claims: Map<string, string | null> }> {
  const ids = [...new Set(remoteIds)];
  const got = await kvs.batchGet<unknown>([
    { key: configKey(connectionId) },
    ...ids.map((id) => ({ key: claimKeyOf(connectionId, id), entityName: CLAIM_ENTITY })),
  ]);
  const claims = new Map<string, string | null>();
  for (const id of ids) {
    const key = claimKeyOf(connectionId, id);
    const hit = got.successfulKeys.find((r) => r.entityName === CLAIM_ENTITY && r.key === key);
    const missing = got.failedKeys.some(
      (f) => f.entityName === CLAIM_ENTITY && f.key === key && f.error.code === 'KEY_NOT_FOUND',
    );
    const issueId = (hit?.value as { issueId?: unknown } | undefined)?.issueId;
    if (typeof issueId === 'string') claims.set(id, issueId);
    else if (missing) claims.set(id, null);
  }
  const raw = got.successfulKeys.find((r) => !r.entityName && r.key === configKey(connectionId));
  const configFailed = got.failedKeys.some((f) => !f.entityName && f.error.code !== 'KEY_NOT_FOUND');
  const config = raw ? parseConnection(raw.value) : configFailed ? await getConnection(connectionId) : undefined;
  return { ...(config ? { config } : {}), claims };
}

/**
 * What this warm instance knows (it may be thrown away at any time; storage
 * stays the authority): each connection's own identity from its last
 * verified notification, and the deliveries it accepted within the freshness
 * window.
 */
const ownIdentity = new Map<string, ConnectionConfig['remote']>();
const sightings = new Map<string, number>();
const SIGHTING_MS = 15 * 60_000;
const MAX_SIGHTINGS = 5000;

function rememberOwnIdentity(config: ConnectionConfig): void {
  ownIdentity.set(config.id, config.remote);
}

function firstSighting(delivery: string, about: string | undefined): boolean {
  const now = Date.now();
  for (const [key, at] of sightings) {
    if (at > now - SIGHTING_MS && sightings.size < MAX_SIGHTINGS) break;
    sightings.delete(key);
  }
  if (sightings.has(delivery) || (about && sightings.has(about))) return false;
  sightings.set(delivery, now);
  if (about) sightings.set(about, now);
  return true;
}

function forgetSighting(delivery: string, about: string | undefined): void {
  sightings.delete(delivery);
  if (about) sightings.delete(about);
}

/** Records a key unless it exists; the window outlives every system's freshness limit. */
async function claimOnce(key: string): Promise<boolean> {
  try {
    await kvs.set(key, 1, { keyPolicy: 'FAIL_IF_EXISTS', ttl: { value: 1, unit: 'HOURS' } });
    return true;
  } catch (e) {
    if (
      /KEY_ALREADY_EXISTS|already exists/i.test(
        `${(e as { code?: unknown })?.code ?? ''} ${(e as Error)?.message ?? ''}`,
      )
    )
      return false;
    throw e;
  }
}
