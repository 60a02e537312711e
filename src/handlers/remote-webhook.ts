import { createHmac, timingSafeEqual } from 'node:crypto';
import * as z from 'zod';
import { getConnection, getCredential } from '../store/connections';
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

const MAX_AGE_SECONDS = 300;
const notice = z.object({ sys_id: z.string().regex(/^[0-9a-f]{32}$/), table: z.string().optional(), event: z.string().optional(), user: z.string().optional(), sent_at: z.number() }).loose();

const refuse = (statusCode: number, body: string): WebTriggerResponse => ({ statusCode, body });

function integrationUser(config: NonNullable<Awaited<ReturnType<typeof getConnection>>>): string | undefined {
  return config.remote.type === 'servicenow' ? config.remote.auth.username : undefined;
}

/** Constant-time comparison of the signature the sender computed and ours. */
export function signatureMatches(secret: string, body: string, signature: string | undefined): boolean {
  if (!signature) return false;
  const expected = createHmac('sha256', secret).update(body).digest();
  let given: Buffer;
  try {
    given = Buffer.from(signature, 'base64');
  } catch {
    return false;
  }
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * Inbound notifications from remote systems, at `<web trigger URL>/servicenow/<connectionId>`.
 * Web trigger URLs are public: a request counts only with a valid, fresh signature
 * made with the connection's webhook secret. It only says "look at this record".
 */
export async function onRemoteWebhook(request: WebTriggerRequest): Promise<WebTriggerResponse> {
  if (request.method !== 'POST') return { statusCode: 405, headers: { allow: ['POST'] }, body: 'Method not allowed' };
  const route = /^\/servicenow\/([a-z0-9-]{3,40})$/.exec(request.userPath ?? '');
  if (!route) return refuse(404, 'Unknown endpoint');
  const config = await getConnection(route[1]!);
  const secret = config && (await getCredential(config.remote.auth.secretRef))?.webhookSecret;
  const body = request.body ?? '';
  // Every refusal looks the same, so a caller learns nothing about which connections exist.
  if (!config || !secret || config.remote.type !== 'servicenow') return refuse(401, 'Unauthorized');
  if (!signatureMatches(secret, body, request.headers['x-servicenow-signature']?.[0])) return refuse(401, 'Unauthorized');
  let parsed: z.infer<typeof notice>;
  try {
    parsed = notice.parse(JSON.parse(body));
  } catch {
    return refuse(400, 'Bad notification');
  }
  // The send time is inside the signed body, so a replayed message cannot be freshened.
  if (Math.abs(Date.now() / 1000 - parsed.sent_at) > MAX_AGE_SECONDS) return refuse(401, 'Unauthorized');
  if (parsed.table && parsed.table !== config.remote.table) return { statusCode: 202, body: 'Ignored: another table' };
  // Our own writes come back as notifications too; the reconcile would find nothing to do, so skip the round trip.
  if (parsed.user && parsed.user === integrationUser(config)) return { statusCode: 202, body: 'Ignored: written by Crosswalk' };
  await enqueueReconcile([{ item: { side: 'remote', connectionId: config.id, remoteId: parsed.sys_id }, cause: `servicenow:${parsed.event ?? 'notification'}` }]);
  return { statusCode: 202, body: 'Accepted' };
}
