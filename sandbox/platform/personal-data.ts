import * as z from 'zod';
import type { WireAnswer } from './events';

/**
 * Atlassian's personal data reporting API (`POST /app/report-accounts`, which `privacy.reportPersonalData` from
 * `@forge/api` reaches through the `stargate` remote), for one installation, as Atlassian documents it: at most 90
 * accounts a request (400 above), each `{accountId, updatedAt}`; 204 when no account needs action, else 200 with
 * `accounts: [{accountId, status: 'closed' | 'updated'}]`; 429 with `Retry-After` when rate limited. An account
 * is `closed` once closed, and `updated` when its profile changed after the `updatedAt` the app sent.
 *
 * Tests say what happened to people (`close`, `updateProfile`) and when Atlassian is busy (`rateLimit`), and read
 * what the app reported (`requests`). Whose accounts exist is not checked: an id Atlassian does not know is
 * answered for like any other (the real API's handling of unknown ids is not documented).
 */
export const REPORT_ACCOUNTS_PATH = '/app/report-accounts';
export const REPORT_ACCOUNTS_LIMIT = 90;

const requestSchema = z.object({
  accounts: z
    .array(z.object({ accountId: z.string().min(1), updatedAt: z.iso.datetime({ offset: true }) }).strict())
    .min(1),
});

export interface ReportRequest {
  at: number;
  accounts: Array<{ accountId: string; updatedAt: string }>;
  status: number;
}

export class PersonalDataReporting {
  private readonly closed = new Set<string>();
  private readonly profileChangedAt = new Map<string, number>();
  private limited: { requests: number; retryAfterSeconds: number } | undefined;
  /** Every request the app sent, answered or refused, oldest first. */
  readonly requests: ReportRequest[] = [];

  constructor(private readonly now: () => number) {}

  /** The person closed their Atlassian account. */
  close(accountId: string): void {
    this.closed.add(accountId);
  }

  /** The person changed their profile (name, email…) at `at` (default: now). */
  updateProfile(accountId: string, at = this.now()): void {
    this.profileChangedAt.set(accountId, at);
  }

  /** The next `requests` requests are answered 429 with `Retry-After: retryAfterSeconds`. */
  rateLimit(opts: { requests: number; retryAfterSeconds: number }): void {
    this.limited = { ...opts };
  }

  answer(body: unknown, scopes: readonly string[]): WireAnswer {
    const at = this.now();
    const accounts = (body as { accounts?: unknown })?.accounts;
    const log = (status: number) =>
      this.requests.push({
        at,
        accounts: Array.isArray(accounts) ? (accounts as ReportRequest['accounts']) : [],
        status,
      });
    if (!scopes.includes('report:personal-data')) {
      log(403);
      return { status: 403, body: { message: 'The app does not have the report:personal-data scope' } };
    }
    if (this.limited && this.limited.requests > 0) {
      this.limited.requests--;
      log(429);
      return {
        status: 429,
        headers: { 'retry-after': String(this.limited.retryAfterSeconds) },
        body: { message: 'Rate limit exceeded' },
      };
    }
    const parsed = requestSchema.safeParse(body);
    if (!parsed.success) {
      log(400);
      return { status: 400, body: { message: 'Invalid request: accounts must list {accountId, updatedAt}' } };
    }
    if (parsed.data.accounts.length > REPORT_ACCOUNTS_LIMIT) {
      log(400);
      return { status: 400, body: { message: `At most ${REPORT_ACCOUNTS_LIMIT} accounts can be reported at once` } };
    }
    log(200);
    const out = parsed.data.accounts.flatMap(
      ({ accountId, updatedAt }): Array<{ accountId: string; status: string }> => {
        if (this.closed.has(accountId)) return [{ accountId, status: 'closed' }];
        const changed = this.profileChangedAt.get(accountId);
        return changed !== undefined && changed > Date.parse(updatedAt) ? [{ accountId, status: 'updated' }] : [];
      },
    );
    if (!out.length) {
      this.requests.at(-1)!.status = 204;
      return { status: 204 };
    }
    return { status: 200, body: { accounts: out } };
  }
}
