/** Users, groups, ticket fields, and the admin APIs for webhooks and triggers. */
import type { Hono } from 'hono';
import * as z from 'zod';
import { jsonApiError, notFound, recordInvalid } from './errors';
import { jsonBody, numericParam, requireAdmin, requireAgent, stringParam, type Ctx, type Env } from './http';
import {
  fieldJson,
  groupJson,
  SYSTEM_TICKET_FIELDS,
  systemFieldJson,
  triggerJson,
  userJson,
  webhookJson,
} from './serialize';
import type { Trigger, Webhook, ZdUser } from './store';
import { triggerInput, validateTrigger, webhookId } from './webhooks';
import type { SimContext } from './index';
import { policyJson } from './slas';

const webhookInput = z.object({
  name: z.string().min(1),
  endpoint: z.string().url(),
  http_method: z.enum(['POST', 'PUT', 'PATCH', 'GET', 'DELETE']).default('POST'),
  request_format: z.literal('json').default('json'),
  status: z.enum(['active', 'inactive']).default('active'),
  subscriptions: z.array(z.string()).default(['conditional_ticket_events']),
  description: z.string().optional(),
  authentication: z.unknown().optional(),
});

/**
 * The user search's part of Zendesk's search syntax: `role:` and `email:`
 * keywords (exact), `name:` (part of the name), a quoted phrase or a bare word
 * (part of the name or email, case-insensitive); every term must hold. Other
 * keywords match nobody here. An empty query finds nobody.
 */
function userQuery(raw: string): (u: ZdUser) => boolean {
  const terms = [...raw.matchAll(/(\w+):("[^"]*"|\S+)|"([^"]*)"|(\S+)/g)].map((m) => ({
    keyword: m[1]?.toLowerCase(),
    value: (m[2] ?? m[3] ?? m[4] ?? '').replace(/^"|"$/g, '').toLowerCase(),
  }));
  if (!terms.length) return () => false;
  return (u) =>
    terms.every(({ keyword, value }) => {
      if (keyword === 'role') return u.role === value;
      if (keyword === 'email') return u.email === value;
      if (keyword === 'name') return u.name.toLowerCase().includes(value);
      if (keyword) return false;
      return value !== '' && (u.name.toLowerCase().includes(value) || u.email.includes(value));
    });
}

/** Both `/path` and `/path.json`. */
const both = (p: string) => [p, `${p}.json`];

export function adminRoutes(app: Hono<Env>, sim: SimContext): void {
  const { store } = sim;

  // ---- SLA policies (admins only; what they make of a ticket is its include=slas side-load)
  for (const path of both('/api/v2/slas/policies'))
    app.get(path, (c) => {
      requireAdmin(c);
      const list = [...store.slaPolicies].sort((a, b) => a.position - b.position);
      return c.json({
        sla_policies: list.map((p) => policyJson(p, c.get('origin'))),
        next_page: null,
        previous_page: null,
        count: list.length,
      });
    });
  app.get('/api/v2/slas/policies/:id', (c) => {
    requireAdmin(c);
    const id = numericParam(c, 'id', notFound);
    const p = store.slaPolicies.find((x) => x.id === id);
    if (!p) throw notFound();
    return c.json({ sla_policy: policyJson(p, c.get('origin')) });
  });

  // ---- users, groups, fields
  for (const path of both('/api/v2/users/me'))
    app.get(path, (c) => c.json({ user: userJson(c.get('user'), c.get('origin')) }));
  for (const path of both('/api/v2/users')) {
    app.get(path, (c) => {
      requireAgent(c);
      const role = c.req.query('role');
      return c.json({
        users: store.users.filter((u) => !role || u.role === role).map((u) => userJson(u, c.get('origin'))),
        next_page: null,
        previous_page: null,
        count: store.users.length,
      });
    });
  }
  for (const path of both('/api/v2/users/search')) {
    app.get(path, (c) => {
      requireAgent(c);
      const query = c.req.query('query');
      const externalId = c.req.query('external_id');
      const found =
        query !== undefined
          ? store.users.filter(userQuery(query))
          : store.users.filter((u) => externalId && u.email === externalId.toLowerCase());
      return c.json({
        users: found.map((u) => userJson(u, c.get('origin'))),
        next_page: null,
        previous_page: null,
        count: found.length,
      });
    });
  }
  app.get('/api/v2/users/:id', (c) => {
    requireAgent(c);
    const u = store.userById(numericParam(c, 'id', notFound));
    if (!u) throw notFound();
    return c.json({ user: userJson(u, c.get('origin')) });
  });
  for (const path of both('/api/v2/groups')) {
    app.get(path, (c) => {
      requireAgent(c);
      return c.json({
        groups: store.groups.map((g) => groupJson(g, c.get('origin'))),
        next_page: null,
        previous_page: null,
        count: store.groups.length,
      });
    });
  }
  for (const path of both('/api/v2/ticket_fields')) {
    app.get(path, (c) => {
      requireAgent(c);
      // System fields first, then the account's custom fields, in position order.
      const system = SYSTEM_TICKET_FIELDS.map((f, i) => systemFieldJson(f, i + 1, c.get('origin')));
      const custom = store.fields.map((f, i) => ({
        ...fieldJson(f, system.length + i + 1, c.get('origin')),
        agent_can_edit: true,
      }));
      return c.json({
        ticket_fields: [...system, ...custom],
        next_page: null,
        previous_page: null,
        count: system.length + custom.length,
      });
    });
  }

  // ---- webhooks (JSON:API-style errors, as the webhooks API answers)
  const webhookOr404 = (c: Ctx): Webhook => {
    const w = store.webhooks.get(stringParam(c, 'id'));
    if (!w) throw jsonApiError(404, 'RecordNotFound', 'Not found', 'Webhook not found');
    return w;
  };
  const parseWebhook = (body: unknown, partial: boolean) => {
    const env = z.object({ webhook: z.record(z.string(), z.unknown()) }).safeParse(body);
    if (!env.success) throw jsonApiError(400, 'InvalidInput', 'Invalid input', 'webhook is required');
    const r = (partial ? webhookInput.partial() : webhookInput).safeParse(env.data.webhook);
    if (!r.success)
      throw jsonApiError(
        400,
        'InvalidInput',
        'Invalid input',
        r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
      );
    return r.data;
  };
  for (const path of both('/api/v2/webhooks')) {
    app.post(path, async (c) => {
      const actor = requireAdmin(c);
      const input = webhookInput.parse(parseWebhook(await jsonBody(c), false));
      const at = store.stamp();
      const w: Webhook = {
        id: webhookId(sim.now()),
        name: input.name,
        endpoint: input.endpoint,
        http_method: input.http_method,
        request_format: 'json',
        status: input.status,
        subscriptions: input.subscriptions,
        signing_secret: store.token(32),
        created_at: at,
        created_by: actor.id,
        updated_at: at,
        updated_by: actor.id,
      };
      store.webhooks.set(w.id, w);
      return c.json({ webhook: webhookJson(w) }, 201, { Location: `${c.get('origin')}/api/v2/webhooks/${w.id}` });
    });
    app.get(path, (c) => {
      requireAdmin(c);
      return c.json({
        webhooks: [...store.webhooks.values()].map(webhookJson),
        meta: { has_more: false, after_cursor: null, before_cursor: null },
        links: { next: null, prev: null },
      });
    });
  }
  app.get('/api/v2/webhooks/:id', (c) => {
    requireAdmin(c);
    return c.json({ webhook: webhookJson(webhookOr404(c)) });
  });
  app.put('/api/v2/webhooks/:id', async (c) => {
    const actor = requireAdmin(c);
    const w = webhookOr404(c);
    const input = parseWebhook(await jsonBody(c), true);
    Object.assign(w, Object.fromEntries(Object.entries(input).filter(([k, v]) => v !== undefined && k in w)), {
      updated_at: store.stamp(),
      updated_by: actor.id,
    });
    return c.body(null, 204);
  });
  app.delete('/api/v2/webhooks/:id', (c) => {
    requireAdmin(c);
    store.webhooks.delete(webhookOr404(c).id);
    return c.body(null, 204);
  });
  app.get('/api/v2/webhooks/:id/signing_secret', (c) => {
    requireAdmin(c);
    return c.json({ signing_secret: { algorithm: 'SHA256', secret: webhookOr404(c).signing_secret } });
  });
  app.post('/api/v2/webhooks/:id/signing_secret', (c) => {
    requireAdmin(c);
    const w = webhookOr404(c);
    w.signing_secret = store.token(32);
    return c.json({ signing_secret: { algorithm: 'SHA256', secret: w.signing_secret } }, 201);
  });

  // ---- triggers
  const parseTrigger = (body: unknown) => {
    const env = z.object({ trigger: z.record(z.string(), z.unknown()) }).safeParse(body);
    if (!env.success) throw recordInvalid({ base: [{ description: 'trigger is required', error: 'BlankValue' }] });
    const r = triggerInput.safeParse(env.data.trigger);
    if (!r.success)
      throw recordInvalid(
        Object.fromEntries(
          r.error.issues.map((i) => [
            String(i.path[0] ?? 'base'),
            [{ description: `${String(i.path[0] ?? 'Trigger')}: ${i.message}`, error: 'InvalidValue' }],
          ]),
        ),
      );
    validateTrigger(store, r.data);
    return r.data;
  };
  const triggerOr404 = (c: Ctx): Trigger => {
    const t = store.triggers.get(numericParam(c, 'id', notFound));
    if (!t) throw notFound();
    return t;
  };
  for (const path of both('/api/v2/triggers')) {
    app.post(path, async (c) => {
      requireAdmin(c);
      const input = parseTrigger(await jsonBody(c));
      const at = store.stamp();
      const t: Trigger = {
        id: store.nextId('trigger'),
        title: input.title,
        active: input.active ?? true,
        position: input.position ?? store.triggers.size + 1,
        conditions: { all: input.conditions.all ?? [], any: input.conditions.any ?? [] },
        actions: input.actions,
        description: input.description ?? null,
        created_at: at,
        updated_at: at,
      };
      store.triggers.set(t.id, t);
      return c.json({ trigger: triggerJson(t, c.get('origin')) }, 201);
    });
    app.get(path, (c) => {
      requireAdmin(c);
      const active = c.req.query('active');
      const list = [...store.triggers.values()]
        .filter((t) => active === undefined || String(t.active) === active)
        .sort((a, b) => a.position - b.position || a.id - b.id);
      return c.json({
        triggers: list.map((t) => triggerJson(t, c.get('origin'))),
        next_page: null,
        previous_page: null,
        count: list.length,
      });
    });
  }
  app.get('/api/v2/triggers/:id', (c) => {
    requireAdmin(c);
    return c.json({ trigger: triggerJson(triggerOr404(c), c.get('origin')) });
  });
  app.put('/api/v2/triggers/:id', async (c) => {
    requireAdmin(c);
    const t = triggerOr404(c);
    const body = await jsonBody(c);
    const merged = {
      trigger: {
        title: t.title,
        conditions: t.conditions,
        actions: t.actions,
        active: t.active,
        position: t.position,
        ...z
          .object({ trigger: z.record(z.string(), z.unknown()) })
          .catch({ trigger: {} })
          .parse(body).trigger,
      },
    };
    const input = parseTrigger(merged);
    Object.assign(t, {
      title: input.title,
      active: input.active ?? t.active,
      position: input.position ?? t.position,
      conditions: { all: input.conditions.all ?? [], any: input.conditions.any ?? [] },
      actions: input.actions,
      description: input.description ?? t.description,
      updated_at: store.stamp(),
    });
    return c.json({ trigger: triggerJson(t, c.get('origin')) });
  });
  app.delete('/api/v2/triggers/:id', (c) => {
    requireAdmin(c);
    store.triggers.delete(triggerOr404(c).id);
    return c.body(null, 204);
  });
}
