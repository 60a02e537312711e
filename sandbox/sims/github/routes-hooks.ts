/**
 * Repository webhooks (GH-OAS `repos/*-webhook*`): create (a `ping` follows),
 * read, change, delete; the deliveries list (newest first, `cursor` paging)
 * and a delivery's request and response; redelivery (`attempts`) with the same
 * GUID. Only an admin, or the app through its webhooks permission, sees them.
 */
import type { Hono } from 'hono';
import * as z from 'zod';
import { callerUser, mayManageHooks, requireCaller } from './auth';
import type { SimContext } from './context';
import { notFound, validationFailed } from './errors';
import { jsonBody, positiveInt, repoAccess, type Ctx, type Env } from './http';
import * as render from './serialize';
import { isoSecond, toSecond, type Hook, type Repo } from './store';
import type { DeliveryRecord } from './webhooks';

const HOOK = '/repos/:owner/:repo/hooks/:hookId{[0-9]+}';

const hookConfig = z.object({
  url: z.string().url().optional(),
  content_type: z.enum(['json', 'form']).optional(),
  secret: z.string().optional(),
  insecure_ssl: z
    .union([z.string(), z.number()])
    .transform((v) => (String(v) === '1' ? '1' : '0'))
    .optional(),
});
const hookInput = z.object({
  name: z.literal('web').optional(),
  config: hookConfig.optional(),
  events: z.array(z.string()).optional(),
  active: z.boolean().optional(),
  add_events: z.array(z.string()).optional(),
  remove_events: z.array(z.string()).optional(),
});

const ZEN = 'Design for failure.';

export function hookRoutes(app: Hono<Env>, sim: SimContext): void {
  const { store, notifier } = sim;
  const managedRepo = (c: Ctx): Repo => {
    const { repo } = repoAccess(c, store);
    // GitHub hides webhooks from whoever may not manage them: 404, not 403.
    if (!mayManageHooks(c.get('caller'), repo)) throw notFound();
    return repo;
  };
  const hookAt = (c: Ctx): { repo: Repo; hook: Hook } => {
    const repo = managedRepo(c);
    const hook = store.hooks.get(positiveInt(c, 'hookId'));
    if (!hook || hook.repoId !== repo.id) throw notFound();
    return { repo, hook };
  };
  const ping = (c: Ctx, repo: Repo, hook: Hook) => {
    const sender = callerUser(requireCaller(c.get('caller')));
    notifier.enqueueFor(hook, 'ping', {
      zen: ZEN,
      hook_id: hook.id,
      hook: render.hook(hook, repo),
      repository: render.repository(repo, sim.issues.openCount(repo)),
      ...(sender ? { sender: render.simpleUser(sender) } : {}),
    });
  };

  app.get('/repos/:owner/:repo/hooks', (c) => {
    const repo = managedRepo(c);
    return c.json([...store.hooks.values()].filter((h) => h.repoId === repo.id).map((h) => render.hook(h, repo)));
  });

  app.post('/repos/:owner/:repo/hooks', async (c) => {
    const repo = managedRepo(c);
    const input = await jsonBody(c, hookInput);
    if (!input.config?.url)
      throw validationFailed({ resource: 'Hook', code: 'custom', message: 'Config must contain a url' });
    const events = input.events ?? ['push'];
    // Hooks may share a URL only if their events do not overlap (GH-OAS `repos/create-webhook`).
    const clash = [...store.hooks.values()].some(
      (h) => h.repoId === repo.id && h.url === input.config?.url && h.events.some((e) => events.includes(e)),
    );
    if (clash)
      throw validationFailed({ resource: 'Hook', code: 'custom', message: 'Hook already exists on this repository' });
    const at = toSecond(sim.now());
    const hook: Hook = {
      id: store.newId(500_000_000),
      repoId: repo.id,
      active: input.active ?? true,
      events,
      url: input.config.url,
      secret: input.config.secret ?? null,
      contentType: input.config.content_type ?? 'form',
      insecureSsl: input.config.insecure_ssl ?? '0',
      createdAt: at,
      updatedAt: at,
      lastResponse: { code: null, status: 'unused', message: null },
    };
    store.hooks.set(hook.id, hook);
    ping(c, repo, hook);
    c.header('location', `${render.API}/repos/${repo.owner.login}/${repo.name}/hooks/${hook.id}`);
    return c.json(render.hook(hook, repo), 201);
  });

  app.get(HOOK, (c) => {
    const { repo, hook } = hookAt(c);
    return c.json(render.hook(hook, repo));
  });

  app.patch(HOOK, async (c) => {
    const { repo, hook } = hookAt(c);
    const input = await jsonBody(c, hookInput);
    if (input.config?.url) hook.url = input.config.url;
    if (input.config?.secret !== undefined) hook.secret = input.config.secret || null;
    if (input.config?.content_type) hook.contentType = input.config.content_type;
    if (input.events) hook.events = input.events;
    if (input.add_events) hook.events = [...new Set([...hook.events, ...input.add_events])];
    if (input.remove_events) hook.events = hook.events.filter((e) => !input.remove_events?.includes(e));
    if (input.active !== undefined) hook.active = input.active;
    hook.updatedAt = toSecond(sim.now());
    return c.json(render.hook(hook, repo));
  });

  app.delete(HOOK, (c) => {
    const { hook } = hookAt(c);
    store.hooks.delete(hook.id);
    return c.body(null, 204);
  });

  app.get(`${HOOK}/config`, (c) => {
    const { repo, hook } = hookAt(c);
    return c.json((render.hook(hook, repo) as { config: unknown }).config);
  });

  app.post(`${HOOK}/pings`, (c) => {
    const { repo, hook } = hookAt(c);
    ping(c, repo, hook);
    return c.body(null, 204);
  });

  app.get(`${HOOK}/deliveries`, (c) => {
    const { hook } = hookAt(c);
    const perPage = Math.min(100, Math.max(1, Number(c.req.query('per_page') ?? 30) || 30));
    const newestFirst = notifier.deliveries.filter((d) => d.hookId === hook.id).reverse();
    const cursor = c.req.query('cursor');
    const start = cursor ? newestFirst.findIndex((d) => String(d.id) === cursor) : 0;
    if (start < 0) throw validationFailed({ resource: 'Delivery', field: 'cursor', code: 'invalid' });
    const page = newestFirst.slice(start, start + perPage);
    const next = newestFirst[start + perPage];
    if (next) {
      const u = new URL(c.req.url);
      u.searchParams.set('cursor', String(next.id));
      u.searchParams.set('per_page', String(perPage));
      c.header('link', `<${c.get('origin')}${u.pathname}${u.search}>; rel="next"`);
    }
    return c.json(page.map(deliveryItem));
  });

  const deliveryAt = (c: Ctx): DeliveryRecord => {
    const { hook } = hookAt(c);
    const d = notifier.deliveries.find((x) => x.hookId === hook.id && x.id === positiveInt(c, 'deliveryId'));
    if (!d) throw notFound();
    return d;
  };

  app.get(`${HOOK}/deliveries/:deliveryId{[0-9]+}`, (c) => {
    const d = deliveryAt(c);
    return c.json({
      ...deliveryItem(d),
      url: store.hooks.get(d.hookId)?.url,
      request: { headers: d.requestHeaders, payload: JSON.parse(d.body) as unknown },
      response: { headers: d.responseHeaders, payload: d.responseBody },
    });
  });

  app.post(`${HOOK}/deliveries/:deliveryId{[0-9]+}/attempts`, (c) => {
    notifier.redeliver(deliveryAt(c));
    // GitHub answers 202 with an empty object: the attempt is queued.
    return new Response('{}', { status: 202, headers: { 'content-type': 'application/json; charset=utf-8' } });
  });
}

function deliveryItem(d: DeliveryRecord): Record<string, unknown> {
  return {
    id: d.id,
    guid: d.guid,
    delivered_at: isoSecond(d.deliveredAt),
    redelivery: d.redelivery,
    duration: d.durationS,
    status: d.status,
    status_code: d.statusCode,
    event: d.event,
    action: d.action,
    installation_id: null,
    repository_id: d.repoId,
    throttled_at: null,
  };
}
