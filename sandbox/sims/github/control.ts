/**
 * The control API under `/_control` (tests and the sandbox, never the app):
 * reset, clock, faults (the shared shape: status, headers, body, drop, hold,
 * delay, aimed at one login), outage, rate limits and the secondary limit,
 * search lag, the integration's credentials revoked, webhook deliveries lost,
 * duplicated, paused or flushed, issues transferred or deleted as a person
 * would, images pasted, pull requests opened, and a log of what was asked.
 */
import { randomUUID } from 'node:crypto';
import type { Hono } from 'hono';
import * as z from 'zod';
import { HeldRequests, faultRoutes, type Fault } from '../shared/faults';
import { deliveryFaultsSchema } from '../shared/notifier';
import type { SimContext } from './context';
import type { Env } from './http';
import { ARCHIVE_REPO, PEOPLE, REPO } from './seed';
import { WEB } from './serialize';

export interface LogEntry {
  method: string;
  path: string;
  query: string;
  status: number;
  login: string;
}

export interface Controls {
  faults: Fault[];
  held: HeldRequests;
  outage: boolean;
  log: LogEntry[];
  offsetMs: number;
}

export const assetUrl = (uuid: string): string => `${WEB}/user-attachments/assets/${uuid}`;

export function controlRoutes(app: Hono<Env>, sim: SimContext, controls: Controls, reset: () => void): void {
  const { store, notifier, limiter } = sim;
  const ok = { ok: true };
  const body = async <T extends z.ZodType>(req: Request, schema: T): Promise<z.infer<T>> => {
    const text = await req.text();
    return schema.parse(text ? JSON.parse(text) : {});
  };

  app.post('/_control/reset', (c) => {
    reset();
    return c.json(ok);
  });
  app.post('/_control/clock', async (c) => {
    const { advanceMs } = await body(c.req.raw, z.object({ advanceMs: z.number().int().min(0) }));
    controls.offsetMs += advanceMs;
    return c.json({ now: new Date(sim.now()).toISOString() });
  });

  faultRoutes(app, controls, controls.held);
  app.put('/_control/outage', async (c) => {
    controls.outage = (await body(c.req.raw, z.object({ on: z.boolean() }))).on;
    return c.json({ outage: controls.outage });
  });

  app.get('/_control/rate-limit', (c) => c.json(limiter.config));
  app.put('/_control/rate-limit', async (c) => {
    const req = await body(
      c.req.raw,
      z.object({
        core: z.number().int().min(1).optional(),
        search: z.number().int().min(1).optional(),
        primaryStatus: z.union([z.literal(403), z.literal(429)]).optional(),
        secondary: z
          .object({
            enabled: z.boolean().optional(),
            writesPerMinute: z.number().int().min(1).optional(),
            writesPerHour: z.number().int().min(1).optional(),
            status: z.union([z.literal(403), z.literal(429)]).optional(),
            retryAfterSeconds: z.number().int().min(1).optional(),
          })
          .optional(),
        /** Forget what was spent so far (a new window for everyone). */
        clearUsage: z.boolean().optional(),
      }),
    );
    const { secondary, clearUsage, ...primary } = req;
    Object.assign(limiter.config, Object.fromEntries(Object.entries(primary).filter(([, v]) => v !== undefined)));
    if (secondary)
      Object.assign(
        limiter.config.secondary,
        Object.fromEntries(Object.entries(secondary).filter(([, v]) => v !== undefined)),
      );
    if (clearUsage) limiter.clearUsage();
    return c.json(limiter.config);
  });

  app.put('/_control/search', async (c) => {
    const { lagSeconds } = await body(c.req.raw, z.object({ lagSeconds: z.number().min(0) }));
    sim.search.lagMs = lagSeconds * 1000;
    return c.json({ lagSeconds });
  });

  app.put('/_control/credentials', async (c) => {
    const { integrationRevoked } = await body(c.req.raw, z.object({ integrationRevoked: z.boolean() }));
    sim.credentials.integrationRevoked = integrationRevoked;
    return c.json({ integrationRevoked });
  });

  const deliveryState = () => ({
    paused: notifier.paused,
    lose: notifier.loseNext,
    duplicate: notifier.duplicateNext,
    queued: notifier.queue.length,
    sent: notifier.deliveries.length,
    lost: notifier.lost.length,
  });
  app.get('/_control/webhooks/deliveries', (c) => c.json(deliveryState()));
  app.put('/_control/webhooks/deliveries', async (c) => {
    await notifier.setFaults(await body(c.req.raw, deliveryFaultsSchema));
    return c.json(deliveryState());
  });
  app.post('/_control/webhooks/deliveries/flush', async (c) => {
    notifier.paused = false;
    await notifier.flush();
    return c.json(deliveryState());
  });

  const websiteIssue = (n: string) => {
    const issue = store.issueByNumber(REPO.id, Number(n));
    return issue && !issue.deleted && !issue.movedTo ? issue : undefined;
  };
  const agent = () => store.user(PEOPLE.agent.id);
  app.post('/_control/issues/:number{[0-9]+}/transfer', (c) => {
    const issue = websiteIssue(c.req.param('number'));
    if (!issue) return c.json({ error: 'no such issue' }, 404);
    const moved = sim.issues.transfer(issue, store.repo(ARCHIVE_REPO.id), agent());
    return c.json({ repository: `${ARCHIVE_REPO.owner}/${ARCHIVE_REPO.name}`, number: moved.number, id: moved.id });
  });
  app.post('/_control/issues/:number{[0-9]+}/delete', (c) => {
    const issue = websiteIssue(c.req.param('number'));
    if (!issue) return c.json({ error: 'no such issue' }, 404);
    sim.issues.delete(issue, agent());
    return c.json(ok);
  });
  app.post('/_control/pull-requests', async (c) => {
    const { title } = await body(c.req.raw, z.object({ title: z.string().min(1) }));
    const pr = sim.issues.create(
      store.repo(REPO.id),
      { user: agent(), canPush: true },
      { title },
      { pullRequest: true },
    );
    return c.json({ number: pr.number, id: pr.id }, 201);
  });

  /** What a person pasting an image into GitHub's editor gets: a URL to put in a body. */
  app.post('/_control/assets', async (c) => {
    const req = await body(
      c.req.raw,
      z.object({ name: z.string().min(1), contentType: z.string().default('image/png'), base64: z.string() }),
    );
    const uuid = randomUUID();
    store.assets.set(uuid, {
      uuid,
      name: req.name,
      contentType: req.contentType,
      bytes: Buffer.from(req.base64, 'base64'),
    });
    const url = assetUrl(uuid);
    return c.json({ url, markdown: `![${req.name}](${url})` }, 201);
  });

  // Every request as it came (method, path, status, login), as the other simulators list theirs.
  app.get('/_control/requests', (c) => c.json(controls.log));
  app.get('/_control/log', (c) =>
    c.json({
      total: controls.log.length,
      byStatus: controls.log.reduce<Record<string, number>>(
        (acc, r) => ({ ...acc, [r.status]: (acc[r.status] ?? 0) + 1 }),
        {},
      ),
      // Writes per login over the whole log: what the no-echo check counts.
      writesByLogin: controls.log
        .filter((r) => r.method !== 'GET')
        .reduce<Record<string, number>>((acc, r) => ({ ...acc, [r.login]: (acc[r.login] ?? 0) + 1 }), {}),
      entries: controls.log.slice(-200),
    }),
  );
}
