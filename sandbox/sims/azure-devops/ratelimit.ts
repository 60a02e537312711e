/**
 * Azure DevOps Services' global consumption limit (vendor-apis.md §2.9): usage
 * per identity in TSTUs over a sliding window (5 minutes). Approaching the
 * limit adds the X-RateLimit-* headers, above the delay threshold requests are
 * delayed (still 200, with X-RateLimit-Delay), and from the block level they
 * are blocked with 429 TF400733. Off by default. By default, as Microsoft
 * documents it, delays start only when usage exceeds the 200-TSTU limit
 * ("their personal usage exceeds 200 times the consumption of a typical user
 * within a sliding five-minute window"); where blocking starts is not
 * published, so the default block level (300) is the simulator's choice.
 */
import * as z from 'zod';

export const rateLimitSchema = z.object({
  enabled: z.boolean().optional(),
  windowSeconds: z.number().positive().optional(),
  /** TSTUs allowed per window (the service's 200). */
  limit: z.number().positive().optional(),
  /** Usage above which requests are delayed. */
  delayThreshold: z.number().nonnegative().optional(),
  /** Usage from which requests are blocked (429); absent: the limit itself. Delays grow from the threshold to here. */
  blockAt: z.number().positive().optional(),
  /** Usage from which the headers are sent (before delays start). */
  headersFrom: z.number().nonnegative().optional(),
  /** TSTUs each request costs, unless a `costs` entry matches. */
  costPerRequest: z.number().nonnegative().optional(),
  costs: z
    .array(z.object({ method: z.string().optional(), path: z.string(), cost: z.number().nonnegative() }))
    .optional(),
  /** The longest delay the service applies (30 s). */
  maxDelaySeconds: z.number().nonnegative().optional(),
  /** The simulator reports the delay but sleeps at most this long, so tests stay fast. */
  maxSleepMs: z.number().int().nonnegative().optional(),
  resource: z.string().optional(),
});

export type RateLimitConfig = Required<Omit<z.infer<typeof rateLimitSchema>, 'costs' | 'blockAt'>> & {
  costs: NonNullable<z.infer<typeof rateLimitSchema>['costs']>;
  blockAt?: number;
};

export const defaultRateLimit = (): RateLimitConfig => ({
  enabled: false,
  windowSeconds: 300,
  limit: 200,
  delayThreshold: 200,
  blockAt: 300,
  headersFrom: 100,
  costPerRequest: 1,
  costs: [],
  maxDelaySeconds: 30,
  maxSleepMs: 0,
  resource: 'Core',
});

export type RateDecision =
  | { kind: 'ok'; headers: Record<string, string>; cost: number }
  | { kind: 'delay'; headers: Record<string, string>; delayMs: number; sleepMs: number; cost: number }
  | { kind: 'block'; headers: Record<string, string>; resource: string };

export class RateLimiter {
  config = defaultRateLimit();
  private usage = new Map<string, Array<{ at: number; cost: number }>>();

  reset(): void {
    this.config = defaultRateLimit();
    this.usage.clear();
  }

  /** Current usage (TSTUs in the window) per identity id. */
  snapshot(now: number): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [who, list] of this.usage) out[who] = this.prune(list, now).reduce((s, e) => s + e.cost, 0);
    return out;
  }

  private prune(list: Array<{ at: number; cost: number }>, now: number) {
    const from = now - this.config.windowSeconds * 1000;
    while (list.length && list[0]!.at <= from) list.shift();
    return list;
  }

  private costOf(method: string, path: string): number {
    const hit = this.config.costs.find(
      (c) =>
        (!c.method || c.method.toUpperCase() === method) &&
        (c.path.length > 1 && c.path.startsWith('/') && c.path.endsWith('/')
          ? new RegExp(c.path.slice(1, -1), 'i').test(path)
          : path.toLowerCase().includes(c.path.toLowerCase())),
    );
    return hit ? hit.cost : this.config.costPerRequest;
  }

  /** Seconds until usage falls below `level`, given the entries in the window. */
  private secondsUntilBelow(list: Array<{ at: number; cost: number }>, level: number, now: number): number {
    let total = list.reduce((s, e) => s + e.cost, 0);
    for (const e of list) {
      if (total < level) break;
      total -= e.cost;
      if (total < level) return Math.max(1, Math.ceil((e.at + this.config.windowSeconds * 1000 - now) / 1000));
    }
    return 1;
  }

  decide(identity: string, method: string, path: string, now: number): RateDecision {
    const c = this.config;
    const list = this.prune(this.usage.get(identity) ?? [], now);
    this.usage.set(identity, list);
    const used = list.reduce((s, e) => s + e.cost, 0);
    const resetAt = (list.length ? list[list.length - 1]!.at : now) + c.windowSeconds * 1000;
    const base = (remaining: number) => ({
      'X-RateLimit-Resource': c.resource,
      'X-RateLimit-Limit': String(c.limit),
      'X-RateLimit-Remaining': String(Math.max(0, Math.floor(remaining))),
      'X-RateLimit-Reset': String(Math.ceil(resetAt / 1000)),
    });
    const blockAt = c.blockAt ?? c.limit;
    if (used >= blockAt) {
      return {
        kind: 'block',
        resource: c.resource,
        headers: { 'Retry-After': String(this.secondsUntilBelow(list, blockAt, now)), ...base(0) },
      };
    }
    const cost = this.costOf(method, path);
    list.push({ at: now, cost });
    const after = used + cost;
    if (after > c.delayThreshold) {
      const span = Math.max(1e-9, blockAt - c.delayThreshold);
      const delaySeconds = Math.max(
        0.001,
        Math.min(c.maxDelaySeconds, ((after - c.delayThreshold) / span) * c.maxDelaySeconds),
      );
      const delayMs = Math.round(delaySeconds * 1000);
      return {
        kind: 'delay',
        cost,
        delayMs,
        sleepMs: Math.min(delayMs, c.maxSleepMs),
        headers: {
          'Retry-After': String(this.secondsUntilBelow(list, c.delayThreshold, now)),
          'X-RateLimit-Delay': delaySeconds.toFixed(3),
          ...base(0),
        },
      };
    }
    if (after >= c.headersFrom)
      return {
        kind: 'ok',
        cost,
        headers: { 'Retry-After': String(this.secondsUntilBelow(list, c.headersFrom, now)), ...base(c.limit - after) },
      };
    return { kind: 'ok', cost, headers: {} };
  }
}
