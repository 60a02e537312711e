import { createHash } from 'node:crypto';
import { kvs } from '@forge/kvs';
import { systemFor } from '../connectors/registry';
import { getConnection } from '../store/connections';
import { getCredential } from '../store/credentials';
import { pairRef } from '../sync/pair-ref';
import { enqueueReconcile } from '../sync/sync-queue';

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

const TRANSPORT_HEADERS = /^(host|connection|content-length|transfer-encoding|accept|accept-encoding|user-agent|via|forwarded|x-forwarded-.*|x-real-ip|traceparent|tracestate|x-b3-.*|x-amzn-.*|cdn-loop|cf-.*)$/i;

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
  const config = await getConnection(route[2]!);
  const credential = config && config.remote.type === system.kind ? await getCredential(config.id) : undefined;
  const body = request.body ?? '';
  // Every refusal looks the same, so a caller learns nothing about which connections exist.
  if (!config || !credential || !system.notifications.verify({ headers: request.headers, body }, credential, Date.now())) return refuse(401, 'Unauthorized');
  const refs = system.notifications.parse(body, config.remote);
  if (!refs) return refuse(400, 'Bad notification');
  // Our own writes come back as notifications too; the reconcile would find nothing to do, so skip the round trip.
  const theirs = refs.filter((r) => !system.notifications.isOwnChange(r, config.remote));
  if (!theirs.length) return { statusCode: 202, body: 'Ignored' };
  // A verified notification is accepted once: a replay within the freshness window (a captured request sent again) enqueues nothing.
  // Everything the sender said except what proxies add: distinct deliveries differ (ids, times), a replay repeats them.
  const signed = Object.entries(request.headers).filter(([name]) => !TRANSPORT_HEADERS.test(name)).sort(([a], [b]) => a.localeCompare(b));
  const seen = `notice:${createHash('sha256').update(`${config.id}\n${JSON.stringify(signed)}\n${body}`).digest('hex')}`;
  if (!(await claimOnce(seen))) return { statusCode: 202, body: 'Already received' };
  try {
    const jobs = await Promise.all(theirs.map(async (r) => ({ item: await pairRef(config.id, r.remoteId), cause: r.event })));
    await enqueueReconcile(jobs);
  } catch (e) {
    // Not enqueued: let the sender's retry through.
    await kvs.delete(seen).catch(() => undefined);
    throw e;
  }
  return { statusCode: 202, body: 'Accepted' };
}

/** Records a key unless it exists; the window outlives every system's freshness limit. */
async function claimOnce(key: string): Promise<boolean> {
  try {
    await kvs.set(key, 1, { keyPolicy: 'FAIL_IF_EXISTS', ttl: { value: 1, unit: 'HOURS' } });
    return true;
  } catch (e) {
    if (/KEY_ALREADY_EXISTS|already exists/i.test(`${(e as { code?: unknown })?.code ?? ''} ${(e as Error)?.message ?? ''}`)) return false;
    throw e;
  }
}
