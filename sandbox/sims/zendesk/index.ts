/**
 * A Zendesk Support simulator for the `acme` account: tickets with comments,
 * uploads and attachments, incremental export, search, API-token and OAuth
 * auth, per-plan rate limits, and webhooks fired by triggers. See README.md.
 */
import type { RunningSimulator, SimulatedSystem } from '../../simulated-system';
import { serve } from '@hono/node-server';
import { Hono, type Context, type Next } from 'hono';
import type { AddressInfo } from 'node:net';
import * as z from 'zod';
import { deliveryControlRoutes } from '../shared/delivery-control';
import { faultRoutes, takeFault, type Fault } from '../shared/faults';
import { invalidEndpoint, invalidToken, unauthenticated, ZdError } from './errors';
import type { Env } from './http';
import { adminRoutes } from './routes-admin';
import { seedSlaPolicies } from './slas';
import { ticketRoutes } from './routes-tickets';
import { ZendeskStore, type Role, type ZdUser } from './store';
import { TicketService, type TicketEvent } from './tickets';
import { renderTemplate, SIGNATURE_HEADER, TIMESTAMP_HEADER, triggerMatches, WebhookNotifier } from './webhooks';
import { zendeskWebView } from './web-view';

export { sign, SIGNATURE_HEADER, TIMESTAMP_HEADER } from './webhooks';

/** Requests per minute per account (vendor-apis.md §3.6). */
export const PLAN_LIMITS = {
  essential: 10,
  team: 200,
  growth: 400,
  professional: 400,
  enterprise: 700,
  enterprise_plus: 2500,
  high_volume: 2500,
} as const;
export type Plan = keyof typeof PLAN_LIMITS;

export interface ZendeskSimOptions {
  port?: number;
  now?: () => number;
  /** Account plan for the rate limit (default enterprise); enforcement is off unless `enforceRateLimit`. */
  plan?: Plan;
  enforceRateLimit?: boolean;
  /** Upload token lifetime in seconds (default 3600, the current OAS; older docs said 3 days). */
  uploadTokenLifetimeSeconds?: number;
  /** Largest upload in bytes (default 50 MB). */
  maxUploadBytes?: number;
}

export interface ZendeskSim {
  /** http://127.0.0.1:port — the app reaches it as https://acme.zendesk.com through the platform's egress route. */
  baseUrl: string;
  controlUrl: string;
  store: ZendeskStore;
  notifier: WebhookNotifier;
  app: Hono<Env>;
  stop(): Promise<void>;
}

const API_TOKEN = 'demo-zendesk-api-token-6f1c2a';

/** API tokens are account-wide in Zendesk: `{email}/token:{apiToken}` works for any user of the account. */
export const DEMO_CREDENTIALS = {
  subdomain: 'acme',
  host: 'acme.zendesk.com',
  apiToken: API_TOKEN,
  /** The integration user Crosswalk connects as (an admin, so it may use the incremental export and manage webhooks). */
  integration: {
    email: 'crosswalk@acme.example',
    apiToken: API_TOKEN,
    oauthAccessToken: 'demo-zendesk-oauth-access-token-4b7d',
  },
  /** A human agent. */
  agent: { email: 'sam.agent@acme.example', apiToken: API_TOKEN },
  /** An end user (a customer); agent endpoints answer 403. */
  endUser: { email: 'pat.customer@acme.example', apiToken: API_TOKEN },
} as const;

export const ACCOUNT_ID = 9876543;

/** Who automations act as: Zendesk's own system user (id -1), not a person of the account. */
const AUTOMATION: ZdUser = {
  id: -1,
  name: 'Zendesk',
  email: '',
  role: 'admin',
  active: true,
  created_at: '2026-01-01T00:00:00Z',
  updated_at: '2026-01-01T00:00:00Z',
  default_group_id: null,
};

/** What every API call answers while the account is down (an outage, not a fault of one user). */
const OUTAGE_PAGE =
  '<!DOCTYPE html><html><head><title>Zendesk is temporarily unavailable</title></head><body><h1>We will be back soon</h1><p>Zendesk is temporarily unavailable.</p></body></html>';

export interface Limits {
  uploadTokenLifetimeSeconds: number;
  maxUploadBytes: number;
  maxCommentsPerTicket: number;
  /** Tickets created or changed within this many seconds are not yet in search results (the index lags). */
  searchIndexDelaySeconds: number;
}

export interface RateLimitConfig {
  plan: Plan;
  perMinute: number;
  enforced: boolean;
  /** The incremental export's own limit (10/min; 30 with High Volume). */
  exportPerMinute: number;
  exportEnforced: boolean;
}

export interface LogEntry {
  method: string;
  path: string;
  query: string;
  status: number;
  user: string;
  ms: number;
}

export interface SimContext {
  store: ZendeskStore;
  tickets: TicketService;
  notifier: WebhookNotifier;
  limits: Limits;
  now(): number;
  runTriggers(e: TicketEvent): void;
}

function seed(store: ZendeskStore): void {
  const support = store.addGroup('Support');
  store.addGroup('Escalations');
  const integration = store.addUser({
    name: 'Crosswalk Integration',
    email: DEMO_CREDENTIALS.integration.email,
    role: 'admin',
    default_group_id: support.id,
  });
  const agent = store.addUser({
    name: 'Sam Agent',
    email: DEMO_CREDENTIALS.agent.email,
    role: 'agent',
    default_group_id: support.id,
  });
  const customer = store.addUser({ name: 'Pat Customer', email: DEMO_CREDENTIALS.endUser.email, role: 'end-user' });
  store.apiTokens.add(API_TOKEN);
  store.oauthTokens.set(DEMO_CREDENTIALS.integration.oauthAccessToken, integration.id);
  const product = store.addField({
    type: 'tagger',
    title: 'Product',
    options: [
      { name: 'Billing', value: 'product_billing' },
      { name: 'Mobile app', value: 'product_mobile' },
      { name: 'Web app', value: 'product_web' },
    ],
  });
  store.addField({ type: 'text', title: 'Jira issue' });
  store.addField({ type: 'checkbox', title: 'Escalated' });
  seedSlaPolicies(store);
  const service = new TicketService(store, { uploadTokenLifetimeSeconds: 3600, maxCommentsPerTicket: 5000 });
  const first = service.create(
    {
      subject: 'Cannot log in to the mobile app',
      comment: { body: 'Since this morning the app says my password is wrong.\n\nI reset it twice.' },
      requester_id: customer.id,
      priority: 'high',
      type: 'incident',
      tags: ['mobile', 'login'],
      custom_fields: [{ id: product.id, value: 'product_mobile' }],
    },
    customer,
  );
  service.update(
    first.ticket.id,
    { assignee_id: agent.id, status: 'open', comment: { body: 'Looking into it.', public: true } },
    agent,
  );
  service.create(
    {
      subject: 'Invoice shows the wrong VAT number',
      comment: { body: "Our invoice for October has last year's VAT number." },
      requester_id: customer.id,
      priority: 'normal',
      type: 'question',
      group_id: support.id,
    },
    customer,
  );
}

export function createZendeskApp(opts: ZendeskSimOptions & { baseUrl: () => string }) {
  const base = opts.now ?? Date.now;
  let offsetMs = 0;
  const now = () => base() + offsetMs;
  const store = new ZendeskStore(now);
  seed(store);
  const notifier = new WebhookNotifier(store, ACCOUNT_ID);
  const defaults = (): Limits => ({
    uploadTokenLifetimeSeconds: opts.uploadTokenLifetimeSeconds ?? 3600,
    maxUploadBytes: opts.maxUploadBytes ?? 50 * 1024 * 1024,
    maxCommentsPerTicket: 5000,
    searchIndexDelaySeconds: 0,
  });
  const limits = defaults();
  const rateDefaults = (): RateLimitConfig => ({
    plan: opts.plan ?? 'enterprise',
    perMinute: PLAN_LIMITS[opts.plan ?? 'enterprise'],
    enforced: opts.enforceRateLimit ?? false,
    exportPerMinute: 10,
    exportEnforced: true,
  });
  const rate = rateDefaults();
  const windows = new Map<string, { minute: number; count: number }>();
  const controls = { faults: [] as Fault[], log: [] as LogEntry[], outage: false };
  const tickets = new TicketService(store, limits);

  const sim: SimContext = {
    store,
    tickets,
    notifier,
    limits,
    now,
    runTriggers(e) {
      const active = [...store.triggers.values()]
        .filter((t) => t.active)
        .sort((a, b) => a.position - b.position || a.id - b.id);
      for (const trigger of active) {
        if (!triggerMatches(trigger, e)) continue;
        for (const action of trigger.actions) {
          if (action.field !== 'notification_webhook' || !Array.isArray(action.value)) continue;
          const [hookId, template] = action.value as [string, string];
          const hook = store.webhooks.get(hookId);
          if (hook) notifier.enqueue(hook, renderTemplate(store, template, e, DEMO_CREDENTIALS.host));
        }
      }
    },
  };

  const app = new Hono<Env>();
  const zdError = (err: ZdError) =>
    new Response(JSON.stringify(err.body), {
      status: err.status,
      headers: { 'content-type': 'application/json; charset=utf-8', ...err.headers },
    });

  // ---- control API
  app.post('/_control/reset', (c) => {
    store.clear();
    offsetMs = 0;
    seed(store);
    Object.assign(limits, defaults());
    Object.assign(rate, rateDefaults());
    windows.clear();
    controls.faults.length = 0;
    controls.log.length = 0;
    controls.outage = false;
    notifier.reset();
    return c.json({ ok: true });
  });
  faultRoutes(app, controls);
  app.put('/_control/outage', async (c) => {
    controls.outage = z.object({ on: z.boolean() }).parse(await c.req.json()).on;
    return c.json({ outage: controls.outage });
  });
  app.post('/_control/automations/close-solved', async (c) => {
    // Zendesk's "close solved tickets" automation: tickets solved at least `afterSeconds` ago become closed (and final); triggers run.
    const req = z.object({ afterSeconds: z.number().int().min(0) }).parse(await c.req.json());
    const closed: number[] = [];
    for (const t of store.liveTickets()) {
      if (t.status !== 'solved') continue;
      const solvedAt = [...t.audits]
        .reverse()
        .find((a) => a.events.some((e) => e.field_name === 'status' && e.value === 'solved'));
      if (!solvedAt || Date.parse(solvedAt.created_at) > now() - req.afterSeconds * 1000) continue;
      const event = tickets.update(t.id, { status: 'closed' }, AUTOMATION);
      if (event) sim.runTriggers(event);
      closed.push(t.id);
    }
    return c.json({ closed });
  });
  app.put('/_control/rate-limit', async (c) => {
    const req = z
      .object({
        plan: z.enum(Object.keys(PLAN_LIMITS) as [Plan, ...Plan[]]).optional(),
        perMinute: z.number().int().min(1).optional(),
        enforced: z.boolean().optional(),
        exportPerMinute: z.number().int().min(1).optional(),
        exportEnforced: z.boolean().optional(),
      })
      .parse(await c.req.json());
    if (req.plan) Object.assign(rate, { plan: req.plan, perMinute: PLAN_LIMITS[req.plan] });
    Object.assign(rate, Object.fromEntries(Object.entries(req).filter(([k, v]) => k !== 'plan' && v !== undefined)));
    windows.clear();
    return c.json(rate);
  });
  app.get('/_control/rate-limit', (c) => c.json(rate));
  app.put('/_control/limits', async (c) => {
    const req = z
      .object({
        uploadTokenLifetimeSeconds: z.number().int().min(1).optional(),
        maxUploadBytes: z.number().int().min(1).optional(),
        maxCommentsPerTicket: z.number().int().min(1).optional(),
        searchIndexDelaySeconds: z.number().int().min(0).optional(),
      })
      .parse(await c.req.json());
    Object.assign(limits, Object.fromEntries(Object.entries(req).filter(([, v]) => v !== undefined)));
    return c.json(limits);
  });
  app.get('/_control/clock', (c) => c.json({ now: new Date(now()).toISOString(), ms: now(), offsetMs }));
  app.post('/_control/clock', async (c) => {
    offsetMs += z.object({ advanceSeconds: z.number() }).parse(await c.req.json()).advanceSeconds * 1000;
    return c.json({ now: new Date(now()).toISOString(), ms: now(), offsetMs });
  });
  app.get('/_control/users', (c) => c.json(store.users));
  app.post('/_control/users', async (c) => {
    const req = z
      .object({
        name: z.string().min(1),
        email: z.string().email(),
        role: z.enum(['end-user', 'agent', 'admin']).default('end-user'),
      })
      .parse(await c.req.json());
    if (store.userByEmail(req.email)) return c.json({ error: 'a user with this email exists' }, 409);
    return c.json(store.addUser({ name: req.name, email: req.email, role: req.role as Role }), 201);
  });
  app.post('/_control/oauth-tokens', async (c) => {
    const req = z.object({ email: z.string() }).parse(await c.req.json());
    const user = store.userByEmail(req.email);
    if (!user) return c.json({ error: 'no such user' }, 404);
    const token = store.token(24);
    store.oauthTokens.set(token, user.id);
    return c.json({ access_token: token, token_type: 'bearer' }, 201);
  });
  app.delete('/_control/oauth-tokens/:token', (c) =>
    c.json({ revoked: store.oauthTokens.delete(c.req.param('token')) }),
  );
  app.get('/_control/requests', (c) => c.json(controls.log));
  app.get('/_control/counters', (c) => {
    const byRoute: Record<string, number> = {};
    for (const r of controls.log) {
      const key = `${r.method} ${r.path
        .replace(/\/\d+(?=\.json$|\/|$)/g, '/{id}')
        .replace(/\/token\/[^/]+/, '/token/{token}')
        .replace(/\/webhooks\/[0-9A-Z]{26}/, '/webhooks/{id}')}`;
      byRoute[key] = (byRoute[key] ?? 0) + 1;
    }
    return c.json({
      total: controls.log.length,
      byStatus: controls.log.reduce<Record<string, number>>(
        (acc, r) => ({ ...acc, [r.status]: (acc[r.status] ?? 0) + 1 }),
        {},
      ),
      byRoute,
    });
  });
  deliveryControlRoutes(app, '/_control/webhooks/deliveries', notifier);
  app.post('/_control/webhooks/deliveries/send', async (c) => {
    // Forged (wrong secret) or stale (old timestamp) deliveries, on demand.
    const req = z
      .object({
        webhook_id: z.string(),
        body: z.string().default('{}'),
        forged: z.boolean().default(false),
        ageSeconds: z.number().min(0).default(0),
      })
      .parse(await c.req.json());
    const hook = store.webhooks.get(req.webhook_id);
    if (!hook) return c.json({ error: 'no such webhook' }, 404);
    const timestamp = new Date(Math.floor(now() / 1000) * 1000 - req.ageSeconds * 1000)
      .toISOString()
      .replace(/\.\d{3}Z$/, 'Z');
    const sent = await notifier.deliver(
      {
        invocation_id: String(Math.floor(Math.random() * 1e12)),
        webhook_id: hook.id,
        url: hook.endpoint,
        method: hook.http_method,
        body: req.body,
      },
      req.forged ? 'not-the-signing-secret' : hook.signing_secret,
      { timestamp, forged: req.forged },
    );
    return c.json(sent);
  });

  // ---- request log, faults, auth, rate limits
  const userOf = (auth: string): ZdUser | 'bad-bearer' | undefined => {
    if (auth.startsWith('Bearer ')) {
      const id = store.oauthTokens.get(auth.slice(7).trim());
      const u = id === undefined ? undefined : store.userById(id);
      return u?.active ? u : 'bad-bearer';
    }
    if (!auth.startsWith('Basic ')) return undefined;
    const decoded = Buffer.from(auth.slice(6), 'base64').toString('utf8');
    const m = /^(.+)\/token:(.+)$/.exec(decoded);
    // Password access ({email}:{password}) is off, as on new accounts.
    if (!m || !store.apiTokens.has(m[2]!)) return undefined;
    const u = store.userByEmail(m[1]!);
    return u?.active ? u : undefined;
  };

  /** Who a request says it is (before it is authenticated): faults can be aimed at one user, e.g. the integration. */
  const claimedEmail = (auth: string): string | undefined => {
    if (auth.startsWith('Bearer ')) {
      const id = store.oauthTokens.get(auth.slice(7).trim());
      return id === undefined ? undefined : store.userById(id)?.email;
    }
    if (!auth.startsWith('Basic ')) return undefined;
    return /^(.+)\/token:/.exec(Buffer.from(auth.slice(6), 'base64').toString('utf8'))?.[1]?.toLowerCase();
  };

  const guarded = async (c: Context<Env>, next: Next, authenticate: boolean): Promise<void> => {
    const started = Date.now();
    const u = new URL(c.req.url);
    try {
      if (controls.outage) {
        c.res = new Response(OUTAGE_PAGE, { status: 503, headers: { 'content-type': 'text/html; charset=utf-8' } });
        return;
      }
      const fault = takeFault(
        controls.faults,
        c.req.method,
        u.pathname,
        claimedEmail(c.req.header('authorization') ?? ''),
      );
      if (fault?.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs));
      if (fault?.drop) {
        (c.env as { incoming?: { socket?: { destroy(): void } } } | undefined)?.incoming?.socket?.destroy();
        c.res = new Response(null, { status: 500 });
        return;
      }
      if (fault?.status) {
        c.res = new Response(
          JSON.stringify(fault.body ?? { error: 'InjectedFault', description: `Injected failure ${fault.status}` }),
          { status: fault.status, headers: { 'content-type': 'application/json; charset=utf-8', ...fault.headers } },
        );
        return;
      }
      const host = c.req.header('x-forwarded-host');
      c.set('origin', host ? `${c.req.header('x-forwarded-proto') ?? 'https'}://${host}` : opts.baseUrl());
      if (!authenticate) {
        await next();
        return;
      }
      const user = userOf(c.req.header('authorization') ?? '');
      if (user === 'bad-bearer') throw invalidToken();
      if (!user) throw unauthenticated();
      c.set('user', user);
      const headers = countRequest(u.pathname);
      if (headers instanceof ZdError) throw headers;
      await next();
      for (const [k, v] of Object.entries(headers)) c.res.headers.set(k, v);
    } catch (err) {
      if (!(err instanceof ZdError)) throw err;
      c.res = zdError(err);
    } finally {
      controls.log.push({
        method: c.req.method,
        path: u.pathname,
        query: u.search,
        status: c.res.status,
        user: c.get('user')?.email ?? '',
        ms: Date.now() - started,
      });
    }
  };

  /** Counts a request against the account's minute (and the export's own), answering headers or a 429. */
  const countRequest = (path: string): Record<string, string> | ZdError => {
    const minute = Math.floor(now() / 60_000);
    const reset = String(60 - (Math.floor(now() / 1000) % 60));
    const bump = (key: string, limit: number, enforced: boolean) => {
      const w = windows.get(key);
      const win = !w || w.minute !== minute ? { minute, count: 0 } : w;
      windows.set(key, win);
      if (enforced && win.count >= limit) return { over: true, remaining: 0 };
      win.count += 1;
      return { over: false, remaining: Math.max(0, limit - win.count) };
    };
    const accountHeaders = (remaining: number) => ({
      'X-Rate-Limit': String(rate.perMinute),
      'X-Rate-Limit-Remaining': String(remaining),
      'ratelimit-limit': String(rate.perMinute),
      'ratelimit-remaining': String(remaining),
      'ratelimit-reset': reset,
    });
    if (/^\/api\/v2\/incremental\//.test(path)) {
      const e = bump('export', rate.exportPerMinute, rate.exportEnforced);
      if (e.over) {
        const w = windows.get('account');
        const remaining = Math.max(0, rate.perMinute - (w && w.minute === minute ? w.count : 0));
        return new ZdError(
          429,
          {
            error: 'APIRateLimitExceeded',
            description: 'Number of allowed incremental export API requests per minute exceeded',
          },
          {
            ...accountHeaders(remaining),
            'Retry-After': reset,
            'zendesk-ratelimit-incremental-exports': `total=${rate.exportPerMinute}; remaining=0; resets=${reset}`,
          },
        );
      }
    }
    const a = bump('account', rate.perMinute, rate.enforced);
    const headers = accountHeaders(a.remaining);
    if (a.over)
      return new ZdError(
        429,
        { error: 'APIRateLimitExceeded', description: 'Number of allowed API requests per minute exceeded' },
        { ...headers, 'Retry-After': reset },
      );
    return headers;
  };

  app.use('/api/*', (c, next) => guarded(c, next, true));
  app.use('/attachments/*', (c, next) => guarded(c, next, false));

  ticketRoutes(app, sim);
  adminRoutes(app, sim);
  // The ticket page a person opens from Jira in the sandbox (web-view.ts), acting as the demo agent.
  zendeskWebView(app, opts.baseUrl, { ...DEMO_CREDENTIALS.agent, name: 'Sam Agent' });

  // Attachment downloads: content_url (unauthenticated, as with private attachments off).
  for (const path of ['/attachments/token/:token', '/attachments/token/:token/']) {
    app.get(path, (c) => {
      const a = [...store.attachments.values()].find((x) => x.token === c.req.param('token'));
      if (!a) return zdError(invalidEndpoint());
      return c.body(new Uint8Array(a.content), 200, {
        'content-type': a.content_type,
        'content-disposition': `attachment; filename="${a.file_name.replace(/"/g, '')}"`,
        'content-length': String(a.size),
      });
    });
  }

  app.onError((err, c) => {
    if (err instanceof ZdError) return zdError(err);
    if (err instanceof z.ZodError)
      return c.json(
        { error: 'InvalidValue', description: err.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') },
        400,
      );
    return c.json({ error: 'InternalServerError', description: String(err) }, 500);
  });
  app.notFound(() => zdError(invalidEndpoint()));
  return { app, store, notifier, sim };
}

export async function startZendeskSim(opts: ZendeskSimOptions = {}): Promise<ZendeskSim> {
  let baseUrl = '';
  const { app, store, notifier } = createZendeskApp({ ...opts, baseUrl: () => baseUrl });
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, port: opts.port ?? 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    baseUrl,
    controlUrl: `${baseUrl}/_control`,
    store,
    notifier,
    app,
    stop: () => new Promise((r) => server.close(() => r())),
  };
}

/** The Zendesk simulator as the sandbox starts it: the app reaches https://acme.zendesk.com through it. */
const switchOn = async (url: string, body: unknown, method = 'PUT') => {
  const r = await fetch(url, { method, body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
  if (!r.ok) throw new Error(`${url}: ${r.status} ${await r.text()}`);
};

export const simulatedSystem: SimulatedSystem<ZendeskSim & RunningSimulator> = {
  kind: 'zendesk',
  async start({ now }) {
    const sim = await startZendeskSim({ now });
    const instanceUrl = `https://${DEMO_CREDENTIALS.host}`;
    return {
      ...sim,
      instanceUrl,
      routes: [{ host: '*.zendesk.com', target: sim.baseUrl }],
      summary: {
        instanceUrl,
        credentials: { email: DEMO_CREDENTIALS.integration.email, apiToken: DEMO_CREDENTIALS.integration.apiToken },
      },
      async busyAccountLimit() {
        await switchOn(`${sim.controlUrl}/rate-limit`, { plan: 'team', enforced: true });
        return { label: 'Zendesk Team plan, 200 requests a minute', limit: 200, windowSeconds: 60, clockAligned: true };
      },
      async genuineDelivery() {
        const hook = [...sim.store.webhooks.values()][0]!;
        const ticket = [...sim.store.tickets.values()][0]!;
        const body = JSON.stringify({
          ticket_id: String(ticket.id),
          updated_at: ticket.updated_at,
          event: 'ticket',
          changed_by: DEMO_CREDENTIALS.agent.email,
        });
        const sent = (await (
          await fetch(`${sim.controlUrl}/webhooks/deliveries/send`, {
            method: 'POST',
            body: JSON.stringify({ webhook_id: hook.id, body }),
          })
        ).json()) as { url: string; timestamp: string; signature: string; invocation_id: string; status: number };
        const headers = {
          'content-type': 'application/json',
          [SIGNATURE_HEADER.toLowerCase()]: sent.signature,
          [TIMESTAMP_HEADER.toLowerCase()]: sent.timestamp,
          'x-zendesk-webhook-invocation-id': sent.invocation_id,
          'x-zendesk-webhook-id': hook.id,
        };
        return { url: sent.url, headers, body, status: sent.status };
      },
    };
  },
};
