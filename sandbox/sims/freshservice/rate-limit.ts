/**
 * Per-minute, account-wide API limits by plan, with sub-limits for the ticket
 * endpoints (vendor-apis-more.md §2.7). Every authenticated call is counted,
 * refused ones too; the headers are always sent, and 429s only while
 * enforcement is on (off by default, so the demo never stalls).
 */
import { FsError } from './errors';

export const PLANS = {
  starter: { overall: 100, listTickets: 40, ticketCall: 50 },
  growth: { overall: 200, listTickets: 70, ticketCall: 80 },
  pro: { overall: 400, listTickets: 120, ticketCall: 140 },
  enterprise: { overall: 500, listTickets: 140, ticketCall: 160 },
} as const;
export type Plan = keyof typeof PLANS;

export interface RateLimitConfig {
  plan: Plan;
  enforced: boolean;
}

/** The endpoints with a sub-limit of their own; "view", "create" and "update" each have the same size but count apart. */
export type LimitedEndpoint = 'list_tickets' | 'view_ticket' | 'create_ticket' | 'update_ticket';

export function limitedEndpoint(method: string, path: string): LimitedEndpoint | undefined {
  if (path === '/api/v2/tickets')
    return method === 'GET' ? 'list_tickets' : method === 'POST' ? 'create_ticket' : undefined;
  if (/^\/api\/v2\/tickets\/\d+$/.test(path))
    return method === 'GET' ? 'view_ticket' : method === 'PUT' ? 'update_ticket' : undefined;
  return undefined;
}

/** Credits a call costs: one, and two more for a ticket list that embeds `stats`. */
export function creditsOf(endpoint: LimitedEndpoint | undefined, include: string | undefined): number {
  const embedsStats = (include ?? '').split(',').includes('stats');
  return endpoint === 'list_tickets' && embedsStats ? 3 : 1;
}

export class RateLimiter {
  private windows = new Map<string, { minute: number; used: number }>();

  constructor(
    readonly config: RateLimitConfig,
    private readonly now: () => number,
  ) {}

  reset(): void {
    this.windows.clear();
  }

  /** Counts one call; answers the headers to send, or throws the 429 when the minute's budget is spent. */
  count(endpoint: LimitedEndpoint | undefined, credits: number): Record<string, string> {
    const limits = PLANS[this.config.plan];
    const minute = Math.floor(this.now() / 60_000);
    const window = (key: string) => {
      const w = this.windows.get(key);
      const current = w && w.minute === minute ? w : { minute, used: 0 };
      this.windows.set(key, current);
      return current;
    };
    const overall = window('overall');
    const sub = endpoint ? window(endpoint) : undefined;
    const subLimit = endpoint === 'list_tickets' ? limits.listTickets : limits.ticketCall;
    const over = overall.used + credits > limits.overall || (sub !== undefined && sub.used + credits > subLimit);
    const retryAfter = String(60 - (Math.floor(this.now() / 1000) % 60));
    if (this.config.enforced && over)
      throw new FsError(
        429,
        'Rate limit exceeded',
        [
          {
            message: `You have exceeded the limit of requests per minute. Retry after ${retryAfter} seconds.`,
            code: 'rate_limited',
          },
        ],
        {
          'X-RateLimit-Total': String(limits.overall),
          'X-RateLimit-Remaining': String(Math.max(0, limits.overall - overall.used)),
          'X-RateLimit-Used-CurrentRequest': '0',
          'Retry-After': retryAfter,
        },
      );
    overall.used += credits;
    if (sub) sub.used += credits;
    return {
      'X-RateLimit-Total': String(limits.overall),
      'X-RateLimit-Remaining': String(Math.max(0, limits.overall - overall.used)),
      'X-RateLimit-Used-CurrentRequest': String(credits),
    };
  }
}
