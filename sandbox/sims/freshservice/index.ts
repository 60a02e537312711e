/**
 * A Freshservice (API v2) simulator for the `acme.freshservice.com` account:
 * tickets with replies, notes and inline attachments, the list and the
 * lagging filter, API-key auth, per-minute limits by plan, and the Workflow
 * Automator's "Trigger Webhook" action as the only change notification.
 * See README.md for what it reproduces and what it does not.
 */
import { serve } from '@hono/node-server';
import { Hono, type Context, type Next } from 'hono';
import type { AddressInfo } from 'node:net';
import * as z from 'zod';
import type { RunningSimulator, SimulatedSystem } from '../../simulated-system';

/** What one genuine notification was: where it went, with what, and how it was answered (sandbox/simulated-system.ts on main). */
export interface GenuineDelivery {
  url: string;
  headers: Record<string, string>;
  body: string;
  status: number;
}
import { takeFault } from '../shared/faults';
import { AutomatorNotifier, renderPayload } from './automator';
import type { SimContext, SimLimits } from './context';
import { addRule, controlRoutes, freshControls, type Controls } from './control';
import { FsError, invalidCredentials, notFound, unsupportedAuthentication } from './errors';
import { creditsOf, limitedEndpoint, RateLimiter, type Plan } from './rate-limit';
import type { Env } from './request';
import { conversationRoutes } from './routes-conversations';
import { lookupRoutes } from './routes-lookups';
import { ticketRoutes } from './routes-tickets';
import { DEMO_CREDENTIALS, seed } from './seed';
import { FreshserviceStore, type Agent } from './store';
import { TicketService, type TicketEvent } from './tickets';
import { freshserviceWebView } from './web-view';

export { DEMO_CREDENTIALS } from './seed';
export { DEFAULT_PAYLOAD, PLACEHOLDERS, renderPayload, type AutomatorRule, type SentDelivery } from './automator';
export { PLANS, type Plan } from './rate-limit';
export { CUSTOM_FIELDS, STATUSES, PRIORITIES, SOURCES } from './codes';
export type { TicketEventName } from './tickets';

export interface FreshserviceSimOptions {
  port?: number;
  now?: () => number;
  /** The account's plan for the per-minute limits (default pro); enforcement is off unless `enforceRateLimit`. */
  plan?: Plan;
  enforceRateLimit?: boolean;
}

export interface FreshserviceSim extends RunningSimulator {
  store: FreshserviceStore;
  /** One automator delivery as the product sends it (the sandbox's replay test sends it again); see `GenuineDelivery`. */
  genuineDelivery(): Promise<GenuineDelivery>;
  notifier: AutomatorNotifier;
  app: Hono<Env>;
}

const DEFAULT_LIMITS = (): SimLimits => ({
  filterLagSeconds: 60,
  maxAttachmentBytesPerTicket: 40 * 1024 * 1024,
  mandatoryOnClose: false,
});

/** What every call answers while the account is down: the maintenance page, not JSON. */
const OUTAGE_PAGE =
  '<!DOCTYPE html><html><head><title>Freshservice is under maintenance</title></head><body><h1>We will be back shortly</h1></body></html>';

const fsErrorResponse = (err: FsError): Response =>
  new Response(JSON.stringify(err.body), {
    status: err.status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...err.headers },
  });

/** Whether an Accept header lets JSON through (absent, `application/json`, `application/*` or `*\/*`). */
const acceptsJson = (accept: string | undefined): boolean =>
  !accept || /application\/json|application\/\*|\*\/\*/.test(accept.toLowerCase());

export function createFreshserviceApp(opts: FreshserviceSimOptions & { baseUrl: () => string }) {
  const base = opts.now ?? Date.now;
  let offsetMs = 0;
  // While seeding, the clock is held at each seeded write's own moment.
  let heldAt: number | undefined;
  const now = () => heldAt ?? base() + offsetMs;
  const store = new FreshserviceStore(now);
  const limits = DEFAULT_LIMITS();
  const controls: Controls = freshControls();
  const rate = new RateLimiter({ plan: opts.plan ?? 'pro', enforced: opts.enforceRateLimit ?? false }, now);
  const notifier = new AutomatorNotifier(now);

  /** The automator: each active rule whose events include this one posts its rendered payload. */
  const onEvent = (e: TicketEvent): void => {
    for (const rule of controls.rules) {
      if (!rule.active || !rule.events.includes(e.name)) continue;
      notifier.enqueue({
        rule_id: rule.id,
        event: e.name,
        ticket_id: e.ticket.id,
        url: rule.url,
        headers: rule.headers,
        body: renderPayload(rule.payload, e, DEMO_CREDENTIALS.domain),
      });
    }
  };
  const tickets = new TicketService(store, limits, onEvent);
  const sim: SimContext = { store, tickets, limits, now };

  const seedAccount = () =>
    seed(
      store,
      tickets,
      (ms, write) => {
        heldAt = ms;
        try {
          write();
        } finally {
          heldAt = undefined;
        }
      },
      now(),
    );
  seedAccount();

  const app = new Hono<Env>();
  controlRoutes(app, {
    controls,
    limits,
    rate,
    notifier,
    now,
    advanceClock: (seconds) => {
      offsetMs += seconds * 1000;
    },
    reset: () => {
      store.clear();
      offsetMs = 0;
      Object.assign(limits, DEFAULT_LIMITS());
      Object.assign(controls, freshControls());
      rate.config.plan = opts.plan ?? 'pro';
      rate.config.enforced = opts.enforceRateLimit ?? false;
      rate.reset();
      notifier.reset();
      seedAccount();
    },
  });

  /** The key a request presents, and the agent it names (revoked or not): faults can be aimed at one agent. */
  const presented = (auth: string): { user: string; password: string } | undefined => {
    if (!auth.startsWith('Basic ')) return undefined;
    const decoded = Buffer.from(auth.slice(6), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return colon < 0
      ? { user: decoded, password: '' }
      : { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
  };
  const claimedEmail = (auth: string): string | undefined => {
    const key = presented(auth)?.user;
    return key ? store.agents.find((a) => a.apiKey === key)?.email : undefined;
  };
  const authenticate = (auth: string): Agent => {
    const creds = presented(auth);
    if (!creds) throw invalidCredentials();
    // An email as the username is the removed username/password sign-in, refused as such.
    if (creds.user.includes('@')) throw unsupportedAuthentication();
    const agent = store.agentByKey(creds.user);
    if (!agent) throw invalidCredentials();
    if (controls.integrationKeyRevoked && agent.email === DEMO_CREDENTIALS.integration.email)
      throw invalidCredentials();
    return agent;
  };

  const guarded = async (c: Context<Env>, next: Next): Promise<void> => {
    const started = Date.now();
    const url = new URL(c.req.url);
    try {
      if (controls.outage) {
        c.res = new Response(OUTAGE_PAGE, { status: 503, headers: { 'content-type': 'text/html; charset=utf-8' } });
        return;
      }
      const auth = c.req.header('authorization') ?? '';
      const fault = takeFault(controls.faults, c.req.method, url.pathname, claimedEmail(auth));
      if (fault?.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs));
      if (fault?.drop) {
        (c.env as { incoming?: { socket?: { destroy(): void } } } | undefined)?.incoming?.socket?.destroy();
        c.res = new Response(null, { status: 500 });
        return;
      }
      if (fault?.status) {
        c.res = new Response(
          JSON.stringify(fault.body ?? { description: `Injected failure ${fault.status}`, errors: [] }),
          { status: fault.status, headers: { 'content-type': 'application/json; charset=utf-8', ...fault.headers } },
        );
        return;
      }
      const host = c.req.header('x-forwarded-host');
      c.set('origin', host ? `${c.req.header('x-forwarded-proto') ?? 'https'}://${host}` : opts.baseUrl());
      c.set('agent', authenticate(auth));
      // Refused calls count against the minute too (FS-DOC "Rate limit").
      const endpoint = limitedEndpoint(c.req.method, url.pathname);
      const headers = rate.count(endpoint, creditsOf(endpoint, c.req.query('include')));
      try {
        if (!acceptsJson(c.req.header('accept')))
          throw new FsError(406, 'Not acceptable', [
            { message: 'Only application/json and */* are supported in the Accept header', code: 'not_acceptable' },
          ]);
        const type = (c.req.header('content-type') ?? '').toLowerCase();
        if (type && !/^(application\/json|multipart\/form-data)/.test(type))
          throw new FsError(415, 'Unsupported media type', [
            { message: 'Content-Type must be application/json or multipart/form-data', code: 'unsupported_media_type' },
          ]);
        await next();
      } catch (err) {
        if (!(err instanceof FsError)) throw err;
        c.res = fsErrorResponse(err);
      }
      for (const [k, v] of Object.entries(headers)) c.res.headers.set(k, v);
    } catch (err) {
      if (!(err instanceof FsError)) throw err;
      c.res = fsErrorResponse(err);
    } finally {
      controls.log.push({
        method: c.req.method,
        path: url.pathname,
        query: url.search,
        status: c.res.status,
        agent: c.get('agent')?.email ?? '',
        ms: Date.now() - started,
      });
    }
  };
  app.use('/api/*', guarded);

  ticketRoutes(app, sim);
  conversationRoutes(app, sim);
  lookupRoutes(app, sim);
  freshserviceWebView(app, opts.baseUrl, {
    agent: DEMO_CREDENTIALS.agent,
    rules: () => controls.rules,
    addRule: (body) => addRule(controls, body),
    removeRule: (id) => {
      controls.rules = controls.rules.filter((r) => r.id !== id);
    },
  });

  app.onError((err, c) => {
    if (err instanceof FsError) return fsErrorResponse(err);
    if (err instanceof z.ZodError)
      return c.json(
        {
          description: 'Validation failed',
          errors: err.issues.map((i) => ({ field: i.path.join('.'), message: i.message, code: 'invalid_value' })),
        },
        400,
      );
    return c.json(
      { description: 'Internal server error', errors: [{ message: String(err), code: 'internal_error' }] },
      500,
    );
  });
  app.notFound(() => fsErrorResponse(notFound()));
  /**
   * One delivery exactly as the automator sends it: the first active rule (the demo pairing's) on the ticket changed
   * last, as a change by Sam Agent.
   */
  const genuineDelivery = async (): Promise<GenuineDelivery> => {
    const rule = controls.rules.find((r) => r.active);
    if (!rule) throw new Error('No Workflow Automator rule: pair the demo project first');
    const ticket = [...store.tickets.values()].filter((t) => !t.deleted).sort((a, b) => b.updated_at - a.updated_at)[0];
    const performer = store.agentByEmail(DEMO_CREDENTIALS.agent.email);
    if (!ticket || !performer) throw new Error('The account has no ticket or no agent');
    const event: TicketEvent = { name: 'ticket_updated', ticket, performer, changes: ['priority'] };
    const sent = await notifier.sendNow({
      rule_id: rule.id,
      event: event.name,
      ticket_id: ticket.id,
      url: rule.url,
      headers: rule.headers,
      body: renderPayload(rule.payload, event, DEMO_CREDENTIALS.domain),
    });
    return {
      url: sent.url,
      headers: { 'content-type': 'application/json', ...sent.headers },
      body: sent.body,
      status: sent.status === 'error' ? 0 : sent.status,
    };
  };
  return { app, store, notifier, sim, genuineDelivery };
}

export async function startFreshserviceSim(opts: FreshserviceSimOptions = {}): Promise<FreshserviceSim> {
  let baseUrl = '';
  const { app, store, notifier, genuineDelivery } = createFreshserviceApp({ ...opts, baseUrl: () => baseUrl });
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, port: opts.port ?? 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    baseUrl,
    controlUrl: `${baseUrl}/_control`,
    instanceUrl: DEMO_CREDENTIALS.instanceUrl,
    routes: [{ host: '*.freshservice.com', target: baseUrl }],
    summary: {
      baseUrl,
      controlUrl: `${baseUrl}/_control`,
      instanceUrl: DEMO_CREDENTIALS.instanceUrl,
      credentials: {
        integration: { email: DEMO_CREDENTIALS.integration.email, apiKey: DEMO_CREDENTIALS.integration.apiKey },
        agent: { email: DEMO_CREDENTIALS.agent.email, apiKey: DEMO_CREDENTIALS.agent.apiKey },
      },
      ticketPage: `${DEMO_CREDENTIALS.instanceUrl}/a/tickets/{id}`,
      automatorAdmin: `${DEMO_CREDENTIALS.instanceUrl}/a/admin/workflow-automator`,
    },
    notifier,
    genuineDelivery,
    // A Pro account's per-minute limit, enforced (off by default, so that demos never wait).
    async busyAccountLimit() {
      const res = await fetch(`${baseUrl}/_control/rate-limit`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ plan: 'pro', enforced: true }),
      });
      if (!res.ok) throw new Error(`Freshservice rate limit: ${res.status}`);
      // Freshservice counts per clock minute (rate-limit.ts).
      return {
        label: 'Freshservice Pro plan, 400 requests a minute',
        limit: 400,
        windowSeconds: 60,
        clockAligned: true,
      };
    },
    store,
    app,
    stop: () => new Promise((r) => server.close(() => r())),
  };
}

/** The sandbox's entry for this system (sandbox/simulated-system.ts). */
export const simulatedSystem: SimulatedSystem<FreshserviceSim> = {
  kind: 'freshservice',
  start: ({ now }) => startFreshserviceSim({ now }),
};
