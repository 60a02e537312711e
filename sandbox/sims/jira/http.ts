/** Cross-cutting HTTP behaviour: who is calling, faults, rate limits, the request log. */
import type { Context, MiddlewareHandler } from 'hono';
import { PLATFORM_PRINCIPAL_HEADER, PLATFORM_TOKEN_HEADER } from '../../platform/contracts';
import { JiraError, type Site } from './site';
import type { JiraUser } from './state';
import { takeFault, type Fault } from '../shared/faults';

export type { Fault };

export interface LoggedRequest {
  method: string;
  path: string;
  status: number;
  principal: string;
  ms: number;
  at: number;
}

export interface HttpControls {
  faults: Fault[];
  rateLimit?: { limit: number; windowSeconds: number; reason: string };
  rateWindows: Map<string, { start: number; count: number }>;
  log: LoggedRequest[];
}

export type Env = { Variables: { user: JiraUser | undefined; principal: string } };

export function authenticate(site: Site, platformToken: string): MiddlewareHandler<Env> {
  return async (c, next) => {
    let user: JiraUser | undefined;
    let principal = 'anonymous';
    const token = c.req.header(PLATFORM_TOKEN_HEADER);
    const auth = c.req.header('authorization');
    if (token !== undefined) {
      if (token !== platformToken) throw new JiraError(401, ['Client must be authenticated to access this resource.']);
      const who = c.req.header(PLATFORM_PRINCIPAL_HEADER);
      if (who === 'app') user = site.user(site.appAccountId);
      else if (who?.startsWith('user:')) user = site.user(who.slice(5));
      if (who && !user) throw new JiraError(401, ['Client must be authenticated to access this resource.']);
      principal = who ?? 'anonymous';
    } else if (auth?.startsWith('Basic ')) {
      const [email, apiToken] = Buffer.from(auth.slice(6), 'base64').toString('utf8').split(':');
      user = site.state.users.find((u) => u.emailAddress && u.emailAddress === email && u.apiToken === apiToken);
      if (!user) throw new JiraError(401, ['Client must be authenticated to access this resource.']);
      principal = `user:${user.accountId}`;
    }
    c.set('user', user);
    c.set('principal', principal);
    await next();
  };
}

/** Injected faults and rate limiting, in front of every REST route. */
export function faultsAndLimits(site: Site, controls: HttpControls): MiddlewareHandler<Env> {
  return async (c, next) => {
    const path = new URL(c.req.url).pathname;
    const fault = takeFault(controls.faults, c.req.method, path);
    if (fault) {
      if (fault.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs));
      if (fault.drop) {
        // Hono's node adapter exposes the raw socket; destroying it is what a dropped connection looks like.
        const incoming = (c.env as { incoming?: { socket?: { destroy(): void } } } | undefined)?.incoming;
        incoming?.socket?.destroy();
        return c.body(null, 500);
      }
      if (fault.status)
        return c.json(
          (fault.body ?? { errorMessages: [`Injected failure ${fault.status}`], errors: {} }) as object,
          fault.status as 500,
          fault.headers,
        );
    }
    const limit = controls.rateLimit;
    if (limit) {
      const key = c.get('principal');
      const now = site.now();
      const w = controls.rateWindows.get(key);
      const window = !w || now - w.start >= limit.windowSeconds * 1000 ? { start: now, count: 0 } : w;
      window.count += 1;
      controls.rateWindows.set(key, window);
      const resetAt = window.start + limit.windowSeconds * 1000;
      const headers = {
        'X-RateLimit-Limit': String(limit.limit),
        'X-RateLimit-Remaining': String(Math.max(0, limit.limit - window.count)),
        'X-RateLimit-Reset': new Date(resetAt).toISOString().slice(0, 16) + 'Z',
      };
      if (window.count > limit.limit) {
        return c.json({ errorMessages: ['Rate limit exceeded.'], errors: {} }, 429, {
          ...headers,
          'Retry-After': String(Math.max(1, Math.ceil((resetAt - now) / 1000))),
          'RateLimit-Reason': limit.reason,
        });
      }
      await next();
      for (const [k, v] of Object.entries(headers)) c.header(k, v);
      return;
    }
    await next();
  };
}

export function requestLog(site: Site, controls: HttpControls): MiddlewareHandler<Env> {
  return async (c, next) => {
    const started = Date.now();
    await next();
    controls.log.push({
      method: c.req.method,
      path: new URL(c.req.url).pathname,
      status: c.res.status,
      principal: c.get('principal') ?? 'anonymous',
      ms: Date.now() - started,
      at: site.now(),
    });
  };
}

/**
 * A list parameter as Jira reads it: every occurrence (`?fields=a&fields=b`, as real clients send lists), each
 * split at commas (`?fields=a,b`); undefined when absent.
 */
export function queryList(
  c: { req: { queries(name: string): string[] | undefined } },
  name: string,
): string[] | undefined {
  const values = c.req.queries(name);
  if (!values?.length) return undefined;
  return values
    .flatMap((v) => v.split(','))
    .map((s) => s.trim())
    .filter(Boolean);
}

export function jiraErrorResponse(c: Context, err: unknown): Response {
  if (err instanceof JiraError)
    return c.json({ errorMessages: err.errorMessages, errors: err.errors }, err.status as 400);
  return c.json({ errorMessages: [`Internal server error: ${String(err)}`], errors: {} }, 500);
}
