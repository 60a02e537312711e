/**
 * Talking to one Freshservice account: the API key as Basic `<key>:X`, a
 * timeout per request, Freshservice's refusals as typed SyncErrors, and
 * pacing by what the account says is left of its per-minute budget.
 */
import { createHash } from 'node:crypto';
import type * as z from 'zod';
import { SyncError } from '../errors';
import { failureFromResponse, readErrorText, readJson, retryAfterMs, transientFailure, type HttpAnswer } from '../http';
import { errorBody } from './wire';

export const SYSTEM = 'freshservice';
const DEFAULT_TIMEOUT_MS = 30_000;
/**
 * Freshservice's limits are per minute and account-wide (§2.7), and it sends no
 * reset time: once an answer says nothing is left, calls wait for the next
 * minute. Should the account's minute not be the clock's, the worst is one
 * refused call, whose Retry-After then says exactly how long.
 */
export const BUDGET_WINDOW_MS = 60_000;

/** Accounts whose budget ran out, by account and key: until then this warm instance sends them nothing. */
const exhausted = new Map<string, number>();

export interface FreshserviceHttpOptions {
  baseUrl: string;
  apiKey: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
  /** The clock pacing reads; the platform's in tests. */
  now?: () => number;
}

/**
 * A Freshservice refusal as a SyncError. Its `errors` list names each refused
 * field (`{field, message, code}`), which the engine can leave out and retry
 * without; a 403 is the key's problem unless the account lacks a feature
 * (`require_feature`), which no new key fixes.
 */
export function freshserviceFailure(res: HttpAnswer, text: string, what: string): SyncError {
  const base = failureFromResponse(SYSTEM, res, text, what);
  let parsed: z.infer<typeof errorBody> | undefined;
  try {
    const body = errorBody.safeParse(JSON.parse(text));
    parsed = body.success ? body.data : undefined;
  } catch {
    parsed = undefined;
  }
  const entries = parsed?.errors ?? [];
  const words = entries.map((e) => (e.field ? `${e.field}: ${e.message}` : e.message)).join('; ');
  const remoteMessage = words || parsed?.description || base.details.remoteMessage;
  const refused: Record<string, string> = {};
  for (const e of entries) if (e.field) refused[e.field] = e.message;
  let kind = base.kind;
  // A 403 the shared classifier reads as a limit (it says when to come back) stays one.
  if (res.status === 403 && kind !== 'rate-limited')
    kind = entries.some((e) => e.code === 'require_feature') ? 'validation' : 'auth';
  return new SyncError({
    ...base.details,
    kind,
    ...(remoteMessage ? { remoteMessage } : {}),
    ...(kind === 'validation' && Object.keys(refused).length ? { refused } : {}),
    ...(kind === 'validation' && entries[0]?.field ? { field: entries[0].field } : {}),
    message: `${what} failed: HTTP ${res.status}${remoteMessage ? ` (${remoteMessage})` : ''}`,
  });
}

export class FreshserviceHttp {
  readonly base: string;
  private readonly budgetKey: string;

  constructor(private readonly options: FreshserviceHttpOptions) {
    this.base = options.baseUrl.replace(/\/+$/, '');
    // Keyed by the key's hash too: two connections to one account share its budget, and no key is kept in clear.
    this.budgetKey = createHash('sha256').update(`${this.base}\n${options.apiKey}`).digest('hex');
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  authHeader(): string {
    return `Basic ${Buffer.from(`${this.options.apiKey}:X`).toString('base64')}`;
  }

  /** Any request to the account (path from the host), with pacing and the timeout; the answer unread. */
  async request(path: string, init: RequestInit & { duplex?: 'half' }, what: string): Promise<Response> {
    const until = exhausted.get(this.budgetKey) ?? 0;
    const left = until - this.now();
    if (left > 0)
      throw new SyncError({
        system: SYSTEM,
        kind: 'rate-limited',
        retryAfterMs: left,
        message: `${what} waits: Freshservice's API budget for this minute is used up`,
      });
    exhausted.delete(this.budgetKey);
    let res: Response;
    try {
      res = await (this.options.fetch ?? fetch)(`${this.base}${path}`, {
        ...init,
        headers: {
          accept: 'application/json',
          ...(init.headers as Record<string, string> | undefined),
          authorization: this.authHeader(),
        },
        signal: AbortSignal.timeout(this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS),
      });
    } catch (e) {
      const name = (e as { name?: unknown } | null)?.name;
      const timedOut = name === 'TimeoutError' || name === 'AbortError';
      throw transientFailure(
        SYSTEM,
        what,
        timedOut ? new Error(`no answer within ${(this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS) / 1000} s`) : e,
      );
    }
    this.notePacing(res);
    return res;
  }

  /**
   * Invalid requests count against the budget too (§2.7), so a call sure to be
   * refused is not sent: the last call used the minute up, or a 429 said how
   * long to wait.
   */
  private notePacing(res: Pick<HttpAnswer, 'status' | 'headers'>): void {
    const wait = res.status === 429 ? retryAfterMs(res.headers, this.now()) : undefined;
    const remaining = Number(res.headers.get('x-ratelimit-remaining') ?? NaN);
    const now = this.now();
    const pause =
      wait ?? (Number.isFinite(remaining) && remaining <= 0 ? BUDGET_WINDOW_MS - (now % BUDGET_WINDOW_MS) : undefined);
    if (pause && pause > 0) exhausted.set(this.budgetKey, now + pause);
  }

  /** A JSON answer checked against `schema`; a refusal throws its typed failure. */
  async json<T>(schema: z.ZodType<T>, path: string, init: RequestInit & { duplex?: 'half' }, what: string): Promise<T> {
    return (await this.answer(schema, path, init, what)).data;
  }

  /** As `json`, with the answer's headers (a listing's `link`). */
  async answer<T>(
    schema: z.ZodType<T>,
    path: string,
    init: RequestInit & { duplex?: 'half' },
    what: string,
  ): Promise<{ data: T; headers: Headers }> {
    const res = await this.request(path, init, what);
    if (!res.ok) throw freshserviceFailure(res, await readErrorText(res), what);
    const parsed = schema.safeParse(await readJson(SYSTEM, res, what));
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new SyncError({
        system: SYSTEM,
        kind: 'transient',
        message: `${what}: unexpected answer from Freshservice (${issue?.path.join('.') ?? ''} ${issue?.message ?? ''})`,
      });
    }
    return { data: parsed.data, headers: res.headers };
  }

  /** A JSON body sent with `method`, its answer checked against `schema`. */
  send<T>(schema: z.ZodType<T>, method: 'POST' | 'PUT', path: string, body: unknown, what: string): Promise<T> {
    return this.json(
      schema,
      path,
      { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) },
      what,
    );
  }

  /** A DELETE; one already gone (404) is done. */
  async delete(path: string, what: string): Promise<void> {
    const res = await this.request(path, { method: 'DELETE' }, what);
    const text = await readErrorText(res);
    if (!res.ok && res.status !== 404) throw freshserviceFailure(res, text, what);
  }
}

/** For tests: forget every account's exhausted budget. */
export function forgetPacing(): void {
  exhausted.clear();
}
