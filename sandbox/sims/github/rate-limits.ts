/**
 * GitHub's rate limits (vendor-apis-more.md §1.7). The primary limit is a
 * budget per user or installation and resource (core 5,000 an hour, search 30
 * a minute) from the first request of a window, told in `x-ratelimit-*`
 * headers on every answer; a conditional GET answered 304 costs nothing. The
 * secondary limit is undisclosed: here a burst of content-creating requests
 * (GitHub documents 80 a minute and 500 an hour) answers 403 or 429 with
 * `retry-after`, and a control switch turns it off or lowers it.
 */
import { basicError, DOCS, GhError } from './errors';

export type Resource = 'core' | 'search';

export interface RateLimitConfig {
  core: number;
  search: number;
  /** GitHub answers a spent primary limit with 403 or 429; which one is the simulator's knob. */
  primaryStatus: 403 | 429;
  secondary: {
    enabled: boolean;
    writesPerMinute: number;
    writesPerHour: number;
    status: 403 | 429;
    retryAfterSeconds: number;
  };
}

export const defaultRateLimits = (): RateLimitConfig => ({
  core: 5000,
  search: 30,
  primaryStatus: 403,
  secondary: { enabled: true, writesPerMinute: 80, writesPerHour: 500, status: 403, retryAfterSeconds: 60 },
});

const WINDOW_MS: Record<Resource, number> = { core: 60 * 60 * 1000, search: 60 * 1000 };

export interface Budget {
  limit: number;
  remaining: number;
  used: number;
  /** UTC epoch seconds. */
  reset: number;
}

export class RateLimiter {
  readonly config: RateLimitConfig = defaultRateLimits();
  private readonly windows = new Map<string, { startedAt: number; used: number }>();
  private readonly writes = new Map<string, number[]>();

  constructor(private readonly now: () => number) {}

  reset(): void {
    Object.assign(this.config, defaultRateLimits());
    this.clearUsage();
  }

  clearUsage(): void {
    this.windows.clear();
    this.writes.clear();
  }

  private window(bucket: string, resource: Resource): { startedAt: number; used: number } {
    const key = `${bucket} ${resource}`;
    const current = this.windows.get(key);
    if (current && current.startedAt + WINDOW_MS[resource] > this.now()) return current;
    const fresh = { startedAt: this.now(), used: 0 };
    this.windows.set(key, fresh);
    return fresh;
  }

  budget(bucket: string, resource: Resource): Budget {
    const w = this.window(bucket, resource);
    // Anonymous callers get 60 core requests an hour and 10 searches a minute, per address.
    const limit = bucket.startsWith('ip:') ? (resource === 'core' ? 60 : 10) : this.config[resource];
    return {
      limit,
      used: w.used,
      remaining: Math.max(0, limit - w.used),
      reset: Math.ceil((w.startedAt + WINDOW_MS[resource]) / 1000),
    };
  }

  headers(bucket: string, resource: Resource): Record<string, string> {
    const b = this.budget(bucket, resource);
    return {
      'x-ratelimit-limit': String(b.limit),
      'x-ratelimit-remaining': String(b.remaining),
      'x-ratelimit-used': String(b.used),
      'x-ratelimit-reset': String(b.reset),
      'x-ratelimit-resource': resource,
    };
  }

  /** Refuses a request when the window is spent, as GitHub does, with `x-ratelimit-remaining: 0`. */
  refuseWhenSpent(bucket: string, resource: Resource, who: string): void {
    if (this.budget(bucket, resource).remaining > 0) return;
    throw new GhError(
      this.config.primaryStatus,
      {
        message: `API rate limit exceeded for ${who}. (But here's the good news: Authenticated requests get a higher rate limit. Check out the documentation for more details.)`,
        documentation_url: `${DOCS}/overview/rate-limits-for-the-rest-api`,
      },
      this.headers(bucket, resource),
    );
  }

  count(bucket: string, resource: Resource): void {
    this.window(bucket, resource).used += 1;
  }

  /**
   * Counts a content-creating request and refuses it past the burst the
   * secondary limit allows. The refusal carries the primary headers (with
   * budget left) and `retry-after`: a client that reads only the primary ones
   * would wrongly think it may go on.
   */
  refuseBurst(bucket: string): void {
    const s = this.config.secondary;
    if (!s.enabled) return;
    const now = this.now();
    const recent = (this.writes.get(bucket) ?? []).filter((t) => t > now - 60 * 60 * 1000);
    this.writes.set(bucket, recent);
    const inLastMinute = recent.filter((t) => t > now - 60 * 1000);
    const minuteFull = inLastMinute.length >= s.writesPerMinute;
    const hourFull = recent.length >= s.writesPerHour;
    if (minuteFull || hourFull) {
      // `retry-after` says when a request may go again (GitHub: "do not retry until after that many seconds"): at least
      // the simulator's set wait, longer when the hour's budget frees only as its oldest write ages out.
      const freesAt = Math.max(
        minuteFull ? inLastMinute[inLastMinute.length - s.writesPerMinute]! + 60 * 1000 : 0,
        hourFull ? recent[recent.length - s.writesPerHour]! + 60 * 60 * 1000 : 0,
      );
      const retryAfter = Math.max(s.retryAfterSeconds, Math.ceil((freesAt - now) / 1000));
      throw basicError(
        s.status,
        'You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID.',
        { ...this.headers(bucket, 'core'), 'retry-after': String(retryAfter) },
      );
    }
    recent.push(now);
  }
}
