/**
 * What the simulator's own tests share: a manual clock, a webhook receiver on
 * loopback that keeps each delivery's headers and raw body, and an app JWT
 * signed with the demo app's private key.
 */
import { createSign } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { APP, appKeyPair } from './auth';

export function manualClock(startMs = Date.UTC(2026, 11, 7, 9, 0, 0)) {
  let t = startMs;
  return {
    now: () => t,
    advance(ms: number) {
      t += ms;
    },
  };
}

export interface Received {
  headers: Record<string, string>;
  body: string;
}

/** A hook endpoint: answers each delivery with the next status in `statuses` (then 200). */
export async function webhookReceiver(): Promise<{
  url: string;
  received: Received[];
  statuses: number[];
  close(): Promise<void>;
}> {
  const received: Received[] = [];
  const statuses: number[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
      received.push({ headers, body: Buffer.concat(chunks).toString('utf8') });
      res.statusCode = statuses.shift() ?? 200;
      res.end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    received,
    statuses,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

/** An RS256 JWT as GitHub's docs ask: `iat` 60 s back for drift, `exp` ten minutes ahead at most. */
export function appJwt(
  nowMs: number,
  claims: Partial<{ iat: number; exp: number; iss: number | string }> = {},
): string {
  const nowS = Math.floor(nowMs / 1000);
  const part = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const unsigned = `${part({ alg: 'RS256', typ: 'JWT' })}.${part({ iat: nowS - 60, exp: nowS + 540, iss: APP.id, ...claims })}`;
  const signature = createSign('RSA-SHA256').update(unsigned).sign(appKeyPair().privateKeyPem).toString('base64url');
  return `${unsigned}.${signature}`;
}
