/**
 * Runs inside an invocation worker thread. It plays the Forge runtime for the
 * real SDKs: it sets `global.__forge_runtime__` and `global.__forge_fetch__`
 * for each invocation, guards global `fetch` with the manifest's egress
 * allow-list, and then calls the app's handler exactly as Forge would.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { EgressFilteringService } from '@forge/egress';
import type {
  FromWorker,
  InvokeMessage,
  OutboundMessage,
  RpcMessage,
  RpcResultMessage,
  ToWorker,
  WorkerInit,
} from './protocol';

if (!parentPort) throw new Error('bootstrap must run in a worker thread');
const port = parentPort;
const init = workerData as WorkerInit;
const realFetch = globalThis.fetch;

let current: InvokeMessage | undefined;
let egressCount = 0;
let nextId = 1;
const waiting = new Map<number, (msg: RpcResultMessage | undefined) => void>();

function send(msg: FromWorker): void {
  port.postMessage(msg);
}

function call<T extends RpcResultMessage | undefined>(msg: RpcMessage | OutboundMessage): Promise<T> {
  return new Promise((resolve) => {
    waiting.set(msg.id, resolve as (m: RpcResultMessage | undefined) => void);
    send(msg);
  });
}

function requireInvocation(): InvokeMessage {
  if (!current) throw new Error('Forge runtime not found: no invocation is running');
  return current;
}

function headersToRecord(headers: HeadersInit | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  new Headers(headers).forEach((value, key) => {
    out[key] = value;
  });
  return out;
}

async function bodyToString(body: unknown): Promise<string | undefined> {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string') return body;
  return new Response(body as BodyInit).text();
}

async function platformRpc(
  channel: RpcMessage['channel'],
  path: string,
  reqInit: RequestInit | undefined,
): Promise<Response> {
  const inv = requireInvocation();
  const result = await call<RpcResultMessage>({
    type: 'rpc',
    id: nextId++,
    invocationId: inv.invocationId,
    channel,
    path,
    method: reqInit?.method ?? 'GET',
    headers: headersToRecord(reqInit?.headers),
    body: await bodyToString(reqInit?.body),
  });
  return new Response(result.body ?? null, { status: result.status, headers: result.headers });
}

/** Lets the platform see (and, for fault injection, stop) every outbound call. */
async function announce(kind: OutboundMessage['kind'], method: string, url: string): Promise<void> {
  const inv = requireInvocation();
  await call({ type: 'outbound', id: nextId++, invocationId: inv.invocationId, kind, method, url });
}

interface FetchDescriptor {
  type: string;
  provider?: string;
  remote?: string;
  accountId?: string;
}

async function forgeFetch(descriptor: FetchDescriptor, path: string, reqInit?: RequestInit): Promise<Response> {
  const inv = requireInvocation();
  if (descriptor.type === 'kvs') return platformRpc('kvs', path, reqInit);
  if (descriptor.type === 'fpp' && descriptor.remote === 'stargate') return platformRpc('stargate', path, reqInit);
  if (descriptor.type === 'fpp' && descriptor.remote === 'jira') {
    if (!inv.product.jiraBaseUrl) {
      return new Response('No Jira site for this installation', {
        status: 502,
        headers: { 'forge-proxy-error': 'UNKNOWN_PRODUCT' },
      });
    }
    const headers = new Headers(reqInit?.headers);
    // requestJira defaults to JSON like Forge's proxy does (forge-platform.md §1).
    if (!headers.has('content-type') && typeof reqInit?.body === 'string')
      headers.set('content-type', 'application/json');
    headers.set('x-forge-platform-token', inv.product.platformToken);
    if (descriptor.provider === 'app') headers.set('x-forge-principal', 'app');
    if (descriptor.provider === 'user') {
      const accountId = descriptor.accountId ?? inv.runtime.aaid;
      if (!accountId) {
        return new Response('asUser() needs a user: this invocation has no user context', {
          status: 401,
          headers: { 'forge-proxy-error': 'NEEDS_AUTHENTICATION_ERR' },
        });
      }
      headers.set('x-forge-principal', `user:${accountId}`);
    }
    const url = inv.product.jiraBaseUrl.replace(/\/$/, '') + path;
    await announce('product', reqInit?.method ?? 'GET', url);
    return realFetch(url, { ...reqInit, headers, redirect: reqInit?.redirect ?? 'follow' } as RequestInit);
  }
  return new Response(`Unsupported fetch descriptor ${JSON.stringify(descriptor)}`, {
    status: 400,
    headers: { 'forge-proxy-error': 'UNSUPPORTED_REMOTE' },
  });
}

// Forge's outbound proxy only accepts these ports (forge-platform.md §1).
const ALLOWED_PORTS = new Set(['', '80', '443', '8080', '8443', '8444', '7990', '8089', '8090', '8085', '8060']);

function hostMatches(pattern: string, hostname: string): boolean {
  const host = pattern.replace(/^[a-z]+:\/\//, '').replace(/[/:].*$/, '');
  if (host.startsWith('*.')) return hostname.endsWith(host.slice(1)) && hostname.length > host.length - 1;
  return hostname === host;
}

async function guardedFetch(input: string | URL | Request, reqInit?: RequestInit): Promise<Response> {
  const inv = requireInvocation();
  const request = input instanceof Request ? input : undefined;
  const href = request ? request.url : input.toString();
  const url = new URL(href);
  const filter = new EgressFilteringService(inv.egress.allowList);
  if (url.protocol !== 'https:' || !filter.isValidUrl(href) || !ALLOWED_PORTS.has(url.port)) {
    throw new Error(
      `URL not included in the external fetch backend permissions: ${url.origin}. Visit go.atlassian.com/forge-egress for more information.`,
    );
  }
  egressCount += 1;
  if (egressCount > inv.egress.maxRequests) {
    throw new Error(`Egress request limit of ${inv.egress.maxRequests} requests per invocation exceeded`);
  }
  const route = inv.egress.routes.find((r) => hostMatches(r.host, url.hostname));
  if (!route) {
    // No simulator plays this host, and the sandbox has no internet: fail like DNS would.
    throw new TypeError('fetch failed', {
      cause: Object.assign(new Error(`getaddrinfo ENOTFOUND ${url.hostname}`), { code: 'ENOTFOUND' }),
    });
  }
  const target = route.target.replace(/\/$/, '') + url.pathname + url.search;
  const headers = new Headers(reqInit?.headers ?? request?.headers);
  headers.set('x-forwarded-host', url.host);
  headers.set('x-forwarded-proto', 'https');
  await announce('egress', reqInit?.method ?? request?.method ?? 'GET', href);
  const forwardInit: RequestInit & { duplex?: 'half' } = {
    method: request?.method,
    body: request?.body,
    ...reqInit,
    headers,
  };
  if (forwardInit.body instanceof ReadableStream) forwardInit.duplex = 'half';
  return realFetch(target, forwardInit);
}

const RealDate = Date;
let clockOffsetMs = 0;

/**
 * Time inside a function is platform time, so tests that move the platform clock
 * (retries hours later) see consistent timestamps in the app and the simulators.
 */
class PlatformDate extends RealDate {
  constructor(...args: unknown[]) {
    if (args.length === 0) super(RealDate.now() + clockOffsetMs);
    else super(...(args as [string]));
  }
  static override now(): number {
    return RealDate.now() + clockOffsetMs;
  }
}
globalThis.Date = PlatformDate as DateConstructor;

function installRuntime(msg: InvokeMessage): void {
  clockOffsetMs = msg.clockOffsetMs;
  const noop = { incr() {}, decr() {}, measure: () => ({ stop() {} }), stop() {} };
  (globalThis as Record<string, unknown>).__forge_runtime__ = {
    proxy: { token: msg.runtime.proxyToken, url: 'http://forge-sandbox.invalid' },
    contextAri: msg.runtime.contextAri,
    appContext: msg.runtime.appContext,
    aaid: msg.runtime.aaid,
    lambdaContext: {
      awsRequestId: msg.invocationId,
      getRemainingTimeInMillis: () => Math.max(0, msg.deadline - RealDate.now()),
    },
    tracing: { traceId: msg.runtime.traceId, spanId: msg.invocationId.slice(0, 16) },
    metrics: { counter: () => noop, timing: () => noop, gauge: () => noop, histogram: () => noop },
    featureFlags: {},
  };
}

(globalThis as Record<string, unknown>).__forge_fetch__ = forgeFetch;
globalThis.fetch = guardedFetch as typeof fetch;

// Loaded after the globals exist, as on Forge, so module-level SDK code sees them.
// The bundle path is only known at run time, hence require rather than import.
const appModule = require(init.bundlePath) as Record<string, unknown>;
send({ type: 'ready' });

function toCloneable(value: unknown): unknown {
  if (value === undefined) return undefined;
  try {
    return JSON.parse(JSON.stringify(value));
  } catch {
    return String(value);
  }
}

async function runInvocation(msg: InvokeMessage): Promise<void> {
  current = msg;
  egressCount = 0;
  installRuntime(msg);
  try {
    const handler = appModule[msg.exportName];
    if (typeof handler !== 'function') throw new Error(`Handler export '${msg.exportName}' is not a function`);
    const value = await (handler as (...args: unknown[]) => unknown)(...msg.args);
    send({ type: 'result', invocationId: msg.invocationId, ok: true, value: toCloneable(value) });
  } catch (err) {
    const e = err instanceof Error ? err : new Error(String(err));
    send({
      type: 'result',
      invocationId: msg.invocationId,
      ok: false,
      error: { name: e.name, message: e.message, stack: e.stack },
    });
  } finally {
    current = undefined;
  }
}

port.on('message', (msg: ToWorker) => {
  if (msg.type === 'invoke') {
    void runInvocation(msg);
    return;
  }
  const resolve = waiting.get(msg.id);
  waiting.delete(msg.id);
  resolve?.(msg.type === 'rpc-result' ? msg : undefined);
});
