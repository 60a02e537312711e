/**
 * Alert sinks: the places Crosswalk's alerts go (issue 23), played on loopback and recording what they receive.
 * One server answers as Slack's incoming webhooks (hooks.slack.com), Teams workflow webhooks (Power Automate on
 * *.logic.azure.com and *.environment.api.powerplatform.com), PagerDuty's Custom Event Transformer endpoint
 * (events.pagerduty.com) and a customer's own signed webhook receiver (alerts.acme.example); the platform's egress
 * routes send the app's fetches here with the real host in X-Forwarded-Host. See README.md.
 */
import { serve } from '@hono/node-server';
import { Hono, type Context } from 'hono';
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import * as z from 'zod';

export type SinkTarget = 'slack' | 'teams' | 'webhook' | 'pagerduty';
export const SINK_TARGETS: readonly SinkTarget[] = ['slack', 'teams', 'webhook', 'pagerduty'];

/** The hosts the sinks play, as Forge egress patterns, and the one host of each a demo URL uses. */
export const SINK_HOSTS = {
  slack: 'hooks.slack.com',
  teamsLogic: '*.logic.azure.com',
  teamsPower: '*.environment.api.powerplatform.com',
  pagerduty: 'events.pagerduty.com',
  /** A customer's own receiver: not in the manifest, so a Jira admin approves it (customer-managed egress). */
  webhook: 'alerts.acme.example',
} as const;

const SLACK_TEAM = 'T0CROSSWLK';
const TEAMS_WORKFLOW = '5f0c1d2e3a4b4c5d8e9f0a1b2c3d4e5f';
const TEAMS_POWER_WORKFLOW = '9a8b7c6d5e4f40312a1b2c3d4e5f6a7b';
const TEAMS_SIG = 'Qm9yZWRPZlNpZ25hdHVyZXNZZXQ_c2ltdWxhdGVkLXNpZw';
const TEAMS_POWER_SIG = 'c2Vjb25kLXNpbXVsYXRlZC13b3JrZmxvdy1zaWduYXR1cmU';
const teamsQuery = (sig: string) => `api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=${sig}`;

/** Valid targets as an admin pastes them; the sinks start knowing every one of these. */
export const DEMO_SINKS = {
  slackUrl: `https://hooks.slack.com/services/${SLACK_TEAM}/B0ALERTS01/sImUlAtEdHoOkToKeN0a1b2c`,
  /** A second Slack hook whose channel is archived (410 channel_is_archived). */
  archivedSlackUrl: `https://hooks.slack.com/services/${SLACK_TEAM}/B0ARCHIVED/aRcHiVeDcHaNnElToKeN0001`,
  teamsUrl: `https://prod-12.westus.logic.azure.com:443/workflows/${TEAMS_WORKFLOW}/triggers/manual/paths/invoke?${teamsQuery(TEAMS_SIG)}`,
  teamsPowerPlatformUrl: `https://default0a1b2c3d4e5f40718293a4b5c6d7e8.f9.environment.api.powerplatform.com:443/powerautomate/automations/direct/workflows/${TEAMS_POWER_WORKFLOW}/triggers/manual/paths/invoke?${teamsQuery(TEAMS_POWER_SIG)}`,
  webhookUrl: 'https://alerts.acme.example/hooks/crosswalk',
  webhookSecret: 'whsec_crosswalk_demo_5b1f0e9c2d7a4e38',
  pagerDutyUrl: 'https://events.pagerduty.com/integration/a1b2c3d4e5f60718293a4b5c6d7e8f90/enqueue',
} as const;

export type SlackHookState = 'active' | 'archived' | 'prohibited';

/** One request a sink received, as it received it, with what it made of it. */
export interface SinkRecord {
  /** The record's own id (`r1`, `r2`…), in arrival order. */
  id: string;
  target: SinkTarget;
  /** Epoch ms on the sinks' clock (the platform's). */
  at: number;
  host: string;
  path: string;
  query: string;
  headers: Record<string, string>;
  /** The body parsed as JSON, or its text when it is not JSON. */
  body: unknown;
  raw: string;
  /** What the sink answered. */
  status: number;
  /** The webhook's `X-Crosswalk-Alert-Id`. */
  alertId?: string;
  /** Webhook: whether the signature and timestamp held with the configured secret. */
  verified?: boolean;
  /** Webhook: an alert id already taken (answered 200 and not acted on again). */
  duplicate?: boolean;
  /** What is wrong with the body for its target (a Teams workflow still answers 202, then fails in its run). */
  problems?: string[];
  /** Answered by an injected failure rather than by the sink's rules. */
  injected?: boolean;
}

export interface AlertSinksOptions {
  port?: number;
  now?: () => number;
  /** How far a webhook timestamp may be from the receiver's clock (default 300 s). */
  toleranceSeconds?: number;
}

export interface AlertSinks {
  baseUrl: string;
  controlUrl: string;
  /** Egress routes for the platform: each host the sinks play, to this server. */
  routes: ReadonlyArray<{ host: string; target: string }>;
  received(target?: SinkTarget): SinkRecord[];
  clear(): void;
  /** The next `times` requests to `target` answer `status` (429 and 503 with Retry-After when given). */
  fail(target: SinkTarget, status: number, times?: number, retryAfterSeconds?: number): void;
  /** Drops every connection to `target` without an answer until `up`. */
  down(target: SinkTarget): void;
  up(target: SinkTarget): void;
  slackHook(url: string, state: SlackHookState | 'gone'): void;
  setWebhookSecret(secret: string): void;
  reset(): void;
  app: Hono;
  stop(): Promise<void>;
}

interface Fault {
  target: SinkTarget;
  status: number;
  remaining: number;
  retryAfterSeconds?: number;
}

function slackTokenOf(url: string): string {
  return new URL(url).pathname.replace(/^\/services\//, '');
}

/** Which sink a request is for: by the host the app asked for, or by its path when called on loopback directly. */
export function targetOf(host: string | undefined, path: string): SinkTarget {
  const h = (host ?? '').replace(/:\d+$/, '').toLowerCase();
  if (h === SINK_HOSTS.slack) return 'slack';
  if (h.endsWith('.logic.azure.com') || h.endsWith('.environment.api.powerplatform.com')) return 'teams';
  if (h === SINK_HOSTS.pagerduty) return 'pagerduty';
  if (h) return 'webhook';
  if (/^\/(services|triggers)\/T/.test(path)) return 'slack';
  if (/^\/(workflows|powerautomate)\//.test(path)) return 'teams';
  if (/^\/integration\/[^/]+\/enqueue/.test(path)) return 'pagerduty';
  return 'webhook';
}

/** The generic receiver's check, as README.md gives it to anyone writing one. */
export function verifyCrosswalkSignature(
  secret: string,
  timestamp: string | undefined,
  signature: string | undefined,
  body: string,
  nowSeconds: number,
  toleranceSeconds = 300,
): boolean {
  if (!timestamp || !signature || !/^\d{1,12}$/.test(timestamp)) return false;
  if (Math.abs(nowSeconds - Number(timestamp)) > toleranceSeconds) return false;
  const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`);
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

const SLACK_BLOCK_TYPES = new Set(['header', 'section', 'context', 'actions', 'divider', 'image', 'rich_text']);

/** Slack's checks of an incoming webhook body that the app could get wrong: what Slack would answer, or undefined. */
function slackProblem(body: unknown): { status: number; code: string } | undefined {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return { status: 400, code: 'invalid_payload' };
  const b = body as { text?: unknown; blocks?: unknown; attachments?: unknown };
  const hasBlocks = Array.isArray(b.blocks) && b.blocks.length > 0;
  if ((typeof b.text !== 'string' || !b.text.trim()) && !hasBlocks && !Array.isArray(b.attachments))
    return { status: 400, code: 'no_text' };
  if (b.blocks !== undefined) {
    if (!Array.isArray(b.blocks) || b.blocks.length > 50) return { status: 400, code: 'invalid_blocks' };
    for (const block of b.blocks as Array<Record<string, unknown>>) {
      if (!block || typeof block.type !== 'string' || !SLACK_BLOCK_TYPES.has(block.type))
        return { status: 400, code: 'invalid_blocks' };
      const text = block.text as { type?: unknown; text?: unknown } | undefined;
      if (
        block.type === 'header' &&
        (text?.type !== 'plain_text' || typeof text.text !== 'string' || text.text.length > 150)
      )
        return { status: 400, code: 'invalid_blocks' };
      if (block.type === 'section' && text && (typeof text.text !== 'string' || text.text.length > 3000))
        return { status: 400, code: 'invalid_blocks' };
      if (block.type === 'actions') {
        const elements = block.elements as Array<{ type?: unknown; url?: unknown }> | undefined;
        if (
          !Array.isArray(elements) ||
          elements.some((e) => e.type === 'button' && typeof e.url === 'string' && !/^https?:\/\//.test(e.url))
        )
          return { status: 400, code: 'invalid_blocks' };
      }
    }
  }
  return undefined;
}

/** What a Teams workflow posting an Adaptive Card needs of the body (it accepts any JSON, then its run fails). */
function teamsProblems(body: unknown): string[] {
  const problems: string[] = [];
  const b = body as { type?: unknown; attachments?: unknown } | undefined;
  if (!b || typeof b !== 'object') return ['the body is not a JSON object'];
  if (b.type !== 'message') problems.push('type is not "message"');
  if (!Array.isArray(b.attachments) || !b.attachments.length) return [...problems, 'no attachments'];
  for (const a of b.attachments as Array<{ contentType?: unknown; content?: Record<string, unknown> }>) {
    if (a.contentType !== 'application/vnd.microsoft.card.adaptive')
      problems.push('an attachment is not an Adaptive Card');
    const card = a.content;
    if (!card || card.type !== 'AdaptiveCard') problems.push('content.type is not AdaptiveCard');
    else {
      if (typeof card.version !== 'string') problems.push('the card has no version');
      if (!Array.isArray(card.body)) problems.push('the card has no body');
    }
  }
  return problems;
}

export function createAlertSinks(opts: AlertSinksOptions = {}) {
  const now = opts.now ?? Date.now;
  const tolerance = opts.toleranceSeconds ?? 300;
  const records: SinkRecord[] = [];
  const faults: Fault[] = [];
  const downs = new Set<SinkTarget>();
  const slackHooks = new Map<string, SlackHookState>();
  const teamsWorkflows = new Map<string, string>();
  const seenAlertIds = new Set<string>();
  let webhookSecret: string = DEMO_SINKS.webhookSecret;
  let seq = 0;

  const seed = () => {
    slackHooks.clear();
    slackHooks.set(slackTokenOf(DEMO_SINKS.slackUrl), 'active');
    slackHooks.set(slackTokenOf(DEMO_SINKS.archivedSlackUrl), 'archived');
    teamsWorkflows.clear();
    teamsWorkflows.set(TEAMS_WORKFLOW, TEAMS_SIG);
    teamsWorkflows.set(TEAMS_POWER_WORKFLOW, TEAMS_POWER_SIG);
    webhookSecret = DEMO_SINKS.webhookSecret;
  };
  seed();

  const control = {
    received: (target?: SinkTarget) => records.filter((r) => !target || r.target === target),
    clear() {
      records.length = 0;
      seenAlertIds.clear();
    },
    fail(target: SinkTarget, status: number, times = 1, retryAfterSeconds?: number) {
      faults.push({ target, status, remaining: times, retryAfterSeconds });
    },
    down: (target: SinkTarget) => void downs.add(target),
    up: (target: SinkTarget) => void downs.delete(target),
    slackHook(url: string, state: SlackHookState | 'gone') {
      const token = slackTokenOf(url);
      if (state === 'gone') slackHooks.delete(token);
      else slackHooks.set(token, state);
    },
    setWebhookSecret(secret: string) {
      webhookSecret = secret;
    },
    reset() {
      control.clear();
      faults.length = 0;
      downs.clear();
      seed();
    },
  };

  const app = new Hono();

  // ---- control API
  const targetParam = z.enum(['slack', 'teams', 'webhook', 'pagerduty']);
  app.get('/_control/received', (c) => {
    const t = c.req.query('target');
    return c.json(control.received(t ? targetParam.parse(t) : undefined));
  });
  app.get('/_control/requests', (c) =>
    c.json(records.map((r) => ({ method: 'POST', path: r.path, query: r.query, status: r.status, target: r.target }))),
  );
  app.delete('/_control/received', (c) => {
    control.clear();
    return c.json({ ok: true });
  });
  app.post('/_control/reset', (c) => {
    control.reset();
    return c.json({ ok: true });
  });
  app.post('/_control/faults', async (c) => {
    const f = z
      .object({
        target: targetParam,
        status: z.number().int().min(100).max(599),
        times: z.number().int().min(1).default(1),
        retryAfterSeconds: z.number().int().min(0).optional(),
      })
      .parse(await c.req.json());
    control.fail(f.target, f.status, f.times, f.retryAfterSeconds);
    return c.json({ ok: true });
  });
  app.delete('/_control/faults', (c) => {
    faults.length = 0;
    downs.clear();
    return c.json({ ok: true });
  });
  app.put('/_control/down', async (c) => {
    const d = z.object({ target: targetParam, down: z.boolean() }).parse(await c.req.json());
    if (d.down) control.down(d.target);
    else control.up(d.target);
    return c.json({ down: [...downs] });
  });
  app.put('/_control/slack/hooks', async (c) => {
    const h = z
      .object({ url: z.string().url(), state: z.enum(['active', 'archived', 'prohibited', 'gone']) })
      .parse(await c.req.json());
    control.slackHook(h.url, h.state);
    return c.json({ ok: true });
  });
  app.put('/_control/webhook/secret', async (c) => {
    control.setWebhookSecret(z.object({ secret: z.string().min(1) }).parse(await c.req.json()).secret);
    return c.json({ ok: true });
  });

  // ---- the sinks
  app.post('*', async (c) => {
    const url = new URL(c.req.url);
    const host = c.req.header('x-forwarded-host') ?? url.host;
    const target = targetOf(c.req.header('x-forwarded-host'), url.pathname);
    if (downs.has(target)) {
      (c.env as { incoming?: { socket?: { destroy(): void } } } | undefined)?.incoming?.socket?.destroy();
      return c.body(null, 500);
    }
    const raw = await c.req.text();
    let body: unknown = raw;
    let parsed = false;
    try {
      body = JSON.parse(raw) as unknown;
      parsed = true;
    } catch {
      // kept as text
    }
    const headers: Record<string, string> = {};
    c.req.raw.headers.forEach((v, k) => {
      headers[k] = v;
    });
    const record: SinkRecord = {
      id: `r${++seq}`,
      target,
      at: now(),
      host,
      path: url.pathname,
      query: url.search.replace(/^\?/, ''),
      headers,
      body,
      raw,
      status: 0,
    };
    records.push(record);
    const answer = (res: Response) => {
      record.status = res.status;
      return res;
    };
    const fault = faults.find((f) => f.target === target && f.remaining > 0);
    if (fault) {
      fault.remaining -= 1;
      record.injected = true;
      const extra: Record<string, string> =
        fault.retryAfterSeconds !== undefined ? { 'retry-after': String(fault.retryAfterSeconds) } : {};
      const text = target === 'slack' ? (fault.status === 429 ? 'rate_limited' : 'rollup_error') : 'Injected failure';
      return answer(new Response(text, { status: fault.status, headers: { 'content-type': 'text/plain', ...extra } }));
    }
    switch (target) {
      case 'slack':
        return answer(slack(c, url, parsed ? body : undefined, record));
      case 'teams':
        return answer(teams(url, parsed ? body : undefined, record));
      case 'pagerduty':
        return answer(pagerDuty(url, parsed ? body : undefined));
      case 'webhook':
        return answer(webhook(raw, record));
    }
  });
  app.notFound((c) => c.text('Not found', 404));

  const text = (t: string, status: number) => new Response(t, { status, headers: { 'content-type': 'text/html' } });

  function slack(_c: Context, url: URL, body: unknown, record: SinkRecord): Response {
    const token = url.pathname.replace(/^\/services\//, '');
    const state = slackHooks.get(token);
    if (!url.pathname.startsWith('/services/') || !state) return text('no_service', 404);
    if (state === 'archived') return text('channel_is_archived', 410);
    if (state === 'prohibited') return text('action_prohibited', 403);
    const problem = slackProblem(body);
    if (problem) {
      record.problems = [problem.code];
      return text(problem.code, problem.status);
    }
    return text('ok', 200);
  }

  function teams(url: URL, body: unknown, record: SinkRecord): Response {
    const m = /\/workflows\/([^/]+)\/triggers\/[^/]+\/paths\/invoke\/?$/.exec(url.pathname);
    const error = (status: number, code: string, message: string) =>
      new Response(JSON.stringify({ error: { code, message } }), {
        status,
        headers: { 'content-type': 'application/json; charset=utf-8' },
      });
    const sig = teamsWorkflows.get(m?.[1] ?? '');
    if (!m || !sig) return error(404, 'WorkflowNotFound', `The workflow '${m?.[1] ?? ''}' could not be found.`);
    const given = url.searchParams.get('sig');
    if (!given)
      return error(
        401,
        'DirectApiAuthorizationRequired',
        'The request must be authenticated only by Shared Access scheme.',
      );
    if (given !== sig)
      return error(401, 'DirectApiInvalidAuthorizationSignature', 'The provided authorization signature is invalid.');
    if (body === undefined) return error(400, 'InvalidRequestContent', 'The request content is not valid JSON.');
    // The trigger takes any JSON and answers at once; a card it cannot post fails the flow's run later.
    const problems = teamsProblems(body);
    if (problems.length) record.problems = problems;
    return new Response(null, { status: 202 });
  }

  function pagerDuty(url: URL, body: unknown): Response {
    const json = (status: number, value: unknown) =>
      new Response(JSON.stringify(value), { status, headers: { 'content-type': 'application/json' } });
    if (!/^\/integration\/[A-Za-z0-9]+\/enqueue\/?$/.test(url.pathname))
      return json(404, { status: 'invalid event', message: 'Event object is invalid', errors: ['Not found'] });
    if (body === undefined)
      return json(400, { status: 'invalid event', message: 'Event object is invalid', errors: ['invalid JSON'] });
    return json(202, { status: 'success', message: 'Event processed' });
  }

  function webhook(raw: string, record: SinkRecord): Response {
    const alertId = record.headers['x-crosswalk-alert-id'];
    if (alertId) record.alertId = alertId;
    record.verified = verifyCrosswalkSignature(
      webhookSecret,
      record.headers['x-crosswalk-timestamp'],
      record.headers['x-crosswalk-signature'],
      raw,
      Math.floor(now() / 1000),
      tolerance,
    );
    const json = (status: number, value: unknown) =>
      new Response(JSON.stringify(value), { status, headers: { 'content-type': 'application/json' } });
    if (!record.verified) return json(401, { error: 'signature does not verify' });
    if (!alertId) return json(400, { error: 'no X-Crosswalk-Alert-Id' });
    if (seenAlertIds.has(alertId)) {
      record.duplicate = true;
      return json(200, { ok: true, duplicate: true });
    }
    seenAlertIds.add(alertId);
    record.duplicate = false;
    return json(200, { ok: true });
  }

  return { app, control };
}

export async function startAlertSinks(opts: AlertSinksOptions = {}): Promise<AlertSinks> {
  const { app, control } = createAlertSinks(opts);
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, port: opts.port ?? 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    baseUrl,
    controlUrl: `${baseUrl}/_control`,
    routes: [
      SINK_HOSTS.slack,
      SINK_HOSTS.teamsLogic,
      SINK_HOSTS.teamsPower,
      SINK_HOSTS.pagerduty,
      SINK_HOSTS.webhook,
    ].map((host) => ({ host, target: baseUrl })),
    ...control,
    app,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
