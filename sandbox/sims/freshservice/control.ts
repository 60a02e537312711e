/**
 * The control API (`/_control/...`), for tests and the sandbox: reset, the
 * clock, faults (as the other simulators take them), outage, a revoked
 * integration key, rate-limit plan and enforcement, the filter lag and the
 * mandatory-on-close switch, the request log, and the Workflow Automator's
 * rules and deliveries.
 */
import type { Hono } from 'hono';
import * as z from 'zod';
import { deliveryControlRoutes } from '../shared/delivery-control';
import { faultRoutes, type Fault } from '../shared/faults';
import { automatorRuleSchema, DEFAULT_PAYLOAD, type AutomatorNotifier, type AutomatorRule } from './automator';
import type { SimLimits } from './context';
import type { Env } from './request';
import { PLANS, type Plan, type RateLimiter } from './rate-limit';

export interface LogEntry {
  method: string;
  path: string;
  query: string;
  status: number;
  agent: string;
  ms: number;
}

export interface Controls {
  faults: Fault[];
  log: LogEntry[];
  outage: boolean;
  /** The integration agent's API key is revoked (the "bad credentials" fault) until this is off again. */
  integrationKeyRevoked: boolean;
  rules: AutomatorRule[];
  nextRuleId: number;
}

export const freshControls = (): Controls => ({
  faults: [],
  log: [],
  outage: false,
  integrationKeyRevoked: false,
  rules: [],
  nextRuleId: 1,
});

export interface ControlDeps {
  controls: Controls;
  limits: SimLimits;
  rate: RateLimiter;
  notifier: AutomatorNotifier;
  now(): number;
  advanceClock(seconds: number): void;
  reset(): void;
}

export function addRule(controls: Controls, body: unknown): AutomatorRule {
  const parsed = automatorRuleSchema.parse(body);
  const rule: AutomatorRule = { ...parsed, id: controls.nextRuleId++, payload: parsed.payload ?? DEFAULT_PAYLOAD };
  controls.rules.push(rule);
  return rule;
}

export function controlRoutes(app: Hono<Env>, deps: ControlDeps): void {
  const { controls, limits, rate, notifier } = deps;
  const clock = () => ({ now: new Date(deps.now()).toISOString(), ms: deps.now() });

  app.post('/_control/reset', (c) => {
    deps.reset();
    return c.json({ ok: true });
  });
  app.get('/_control/clock', (c) => c.json(clock()));
  app.post('/_control/clock', async (c) => {
    deps.advanceClock(z.object({ advanceSeconds: z.number() }).parse(await c.req.json()).advanceSeconds);
    return c.json(clock());
  });

  faultRoutes(app, controls);
  app.put('/_control/outage', async (c) => {
    controls.outage = z.object({ on: z.boolean() }).parse(await c.req.json()).on;
    return c.json({ outage: controls.outage });
  });
  app.put('/_control/credentials', async (c) => {
    controls.integrationKeyRevoked = z.object({ revoked: z.boolean() }).parse(await c.req.json()).revoked;
    return c.json({ revoked: controls.integrationKeyRevoked });
  });

  app.get('/_control/rate-limit', (c) => c.json({ ...rate.config, limits: PLANS[rate.config.plan] }));
  app.put('/_control/rate-limit', async (c) => {
    const req = z
      .object({ plan: z.enum(Object.keys(PLANS) as [Plan, ...Plan[]]).optional(), enforced: z.boolean().optional() })
      .parse(await c.req.json());
    if (req.plan) rate.config.plan = req.plan;
    if (req.enforced !== undefined) rate.config.enforced = req.enforced;
    rate.reset();
    return c.json({ ...rate.config, limits: PLANS[rate.config.plan] });
  });

  app.get('/_control/limits', (c) => c.json(limits));
  app.put('/_control/limits', async (c) => {
    const req = z
      .object({
        filterLagSeconds: z.number().min(0).optional(),
        maxAttachmentBytesPerTicket: z.number().int().min(1).optional(),
        mandatoryOnClose: z.boolean().optional(),
      })
      .parse(await c.req.json());
    Object.assign(limits, Object.fromEntries(Object.entries(req).filter(([, v]) => v !== undefined)));
    return c.json(limits);
  });

  app.get('/_control/requests', (c) => c.json(controls.log));
  app.get('/_control/counters', (c) => {
    const byRoute: Record<string, number> = {};
    for (const r of controls.log) {
      const key = `${r.method} ${r.path.replace(/\/\d+(?=\/|$)/g, '/{id}')}`;
      byRoute[key] = (byRoute[key] ?? 0) + 1;
    }
    return c.json({ total: controls.log.length, byRoute });
  });

  app.get('/_control/automator', (c) => c.json({ rules: controls.rules }));
  app.post('/_control/automator', async (c) => c.json(addRule(controls, await c.req.json()), 201));
  app.delete('/_control/automator', (c) => {
    controls.rules.length = 0;
    return c.json({ ok: true });
  });
  app.delete('/_control/automator/:id', (c) => {
    const before = controls.rules.length;
    controls.rules = controls.rules.filter((r) => String(r.id) !== c.req.param('id'));
    return c.json({ deleted: before !== controls.rules.length });
  });

  deliveryControlRoutes(app, '/_control/automator/deliveries', notifier);
}
