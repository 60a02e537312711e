import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Platform, WebTriggerRequest } from './platform';

export interface PlatformServer {
  url: string;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 6 * 1024 * 1024;

function readBody(req: http.IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) {
        resolve(undefined);
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function multiValued(entries: Iterable<[string, string | string[] | undefined]>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [k, v] of entries) {
    if (v === undefined) continue;
    out[k.toLowerCase()] = [...(out[k.toLowerCase()] ?? []), ...(Array.isArray(v) ? v : [v])];
  }
  return out;
}

function send(
  res: http.ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string | string[]> = {},
): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, {
    'content-type': typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/json',
    ...headers,
  });
  res.end(text);
}

/**
 * The platform's public HTTP face: web trigger URLs (`/x1/<token>[/<userPath>]`,
 * as Forge's v1 URL format) and the resolver endpoint a host page calls with a
 * UI session token.
 */
export function startPlatformServer(platform: Platform, port: number): Promise<PlatformServer> {
  const server = http.createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const body = await readBody(req);
      if (body === undefined) return send(res, 413, 'Request payload too large');

      const wt = /^\/x1\/([^/]+)(\/.*)?$/.exec(url.pathname);
      if (wt) {
        const request: WebTriggerRequest = {
          method: req.method ?? 'GET',
          path: url.pathname,
          userPath: wt[2] ?? '',
          headers: multiValued(Object.entries(req.headers)),
          queryParameters: multiValued(url.searchParams.entries()),
          body: body.toString('utf8'),
        };
        const answer = await platform.handleWebTrigger(wt[1]!, request);
        const headers: Record<string, string[]> = { ...(answer.headers ?? {}) };
        res.writeHead(answer.statusCode, answer.statusText ?? '', headers);
        res.end(answer.body ?? '');
        return;
      }

      if (url.pathname === '/forge/ui/invoke' && req.method === 'POST') {
        const token = (req.headers.authorization ?? '').replace(/^Bearer\s+/i, '');
        const session = platform.uiSession(token);
        if (!session) return send(res, 401, { message: 'No UI session' });
        let call: { functionKey?: unknown; payload?: unknown };
        try {
          call = JSON.parse(body.toString('utf8') || '{}') as typeof call;
        } catch {
          return send(res, 400, { message: 'Body must be JSON' });
        }
        if (typeof call.functionKey !== 'string') return send(res, 400, { message: 'functionKey is required' });
        const result = await platform.invokeResolver({
          installationId: session.installationId,
          moduleKey: session.moduleKey,
          accountId: session.accountId,
          context: session.context,
          functionKey: call.functionKey,
          payload: call.payload,
        });
        return result.ok
          ? send(res, 200, { body: result.body ?? null })
          : send(res, result.status, { message: result.error });
      }

      if (url.pathname === '/health') return send(res, 200, { ok: true });
      send(res, 404, { message: 'Not found' });
    })().catch((err: unknown) => send(res, 500, { message: String(err) }));
  });
  return new Promise((resolve) => {
    server.listen(port, '127.0.0.1', () => {
      const { port: actual } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${actual}`,
        close: () => new Promise((r) => server.close(() => r())),
      });
    });
  });
}
