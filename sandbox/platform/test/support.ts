import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { startPlatform, type Platform, type PlatformOptions } from '../index';

export const FIXTURE_APP = path.resolve(__dirname, '../../../test/fixtures/platform-app');

export async function startFixturePlatform(opts: Partial<PlatformOptions> = {}): Promise<Platform> {
  return startPlatform({ appDir: FIXTURE_APP, clock: 'manual', kvsRateLimits: false, ...opts });
}

export interface RecordedRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A loopback HTTP server that records requests and answers with a canned JSON body. */
export async function startRecorder(
  answer: (req: RecordedRequest) => { status?: number; body?: unknown } = () => ({ body: { ok: true } }),
) {
  const requests: RecordedRequest[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const rec = {
        method: req.method ?? 'GET',
        url: req.url ?? '/',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(rec);
      const a = answer(rec);
      res.writeHead(a.status ?? 200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(a.body ?? {}));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/** Reads KVS keys with a prefix straight from an installation's store (test-side inspection). */
export async function kvsEntries(
  platform: Platform,
  installationId: string,
  prefix: string,
): Promise<Array<{ key: string; value: unknown }>> {
  const out: Array<{ key: string; value: unknown }> = [];
  let after: string | undefined;
  for (;;) {
    const res = await platform.installation(installationId).kvs.handle('/api/v1/query', {
      limit: 100,
      ...(after ? { after } : {}),
      where: [{ property: 'key', condition: 'BEGINS_WITH', values: [prefix] }],
    });
    const body = res.body as { data: Array<{ key: string; value: unknown }>; cursor?: string };
    out.push(...body.data);
    if (!body.cursor) return out;
    after = body.cursor;
  }
}

export async function kvsGet(platform: Platform, installationId: string, key: string): Promise<unknown> {
  const res = await platform.installation(installationId).kvs.handle('/api/v1/get', { key });
  return res.status === 200 ? (res.body as { value: unknown }).value : undefined;
}

/** Calls the fixture app's probe resolver and returns its answer; a failed invocation throws. */
export async function callProbe(
  platform: Platform,
  installationId: string,
  functionKey: string,
  payload?: unknown,
  accountId = 'u',
): Promise<Record<string, unknown>> {
  const res = await platform.invokeResolver({
    installationId,
    moduleKey: 'probe-panel',
    functionKey,
    payload,
    accountId,
  });
  if (!res.ok) throw new Error(res.error);
  return res.body as Record<string, unknown>;
}

/**
 * Starts the fixture platform with one installation before each test (or once
 * for the file) and stops it after; `use` receives them.
 */
export function withFixtureInstallation(
  scope: 'each' | 'all',
  use: (platform: Platform, installationId: string) => void,
  opts: Partial<PlatformOptions> & { settle?: boolean } = {},
): void {
  let platform: Platform | undefined;
  const { settle, ...platformOptions } = opts;
  (scope === 'each' ? beforeEach : beforeAll)(async () => {
    platform = await startFixturePlatform(platformOptions);
    const { id } = await platform.install();
    if (settle) await platform.settle();
    use(platform, id);
  });
  (scope === 'each' ? afterEach : afterAll)(() => platform?.stop());
}
