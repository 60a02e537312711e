/**
 * Every request to GitHub's REST API goes through here: the version and media
 * type headers, the sign-in, conditional reads, and turning GitHub's answers
 * into typed failures.
 *
 * - Reads are conditional: the ETag of each URL read is kept with its answer
 *   (per connector, in memory), and a 304 answers from it. GitHub does not
 *   count a 304 against the rate limit, so re-reading an unchanged issue is free.
 * - GitHub says "rate limited" with 429, or with 403 and either `retry-after`
 *   (secondary limits) or `x-ratelimit-remaining: 0` (the hourly limit, until
 *   `x-ratelimit-reset`): all are `rate-limited` with the wait GitHub asked for.
 * - 301 (a renamed repository or a transferred issue) is followed by fetch.
 */
import * as z from 'zod';
import { SyncError } from '../errors';
import { failureFromResponse, readErrorText, readJson, transientFailure, type HttpAnswer } from '../http';
import { SYSTEM, type Authorizer } from './auth';

export const API_VERSION = '2022-11-28';
export const DEFAULT_API_URL = 'https://api.github.com';
const DEFAULT_TIMEOUT_MS = 30_000;
/** GitHub's advice when a secondary limit gives no `retry-after`: wait at least a minute. */
const SECONDARY_LIMIT_WAIT_MS = 60_000;
/** How many conditional answers one connector keeps, and how many bytes of them; the oldest go first. */
const MAX_CACHED_ANSWERS = 200;
const MAX_CACHED_BYTES = 8 * 1024 * 1024;
/** A larger answer (a page of long issues) is not kept: holding it would cost more memory than its 304 saves. */
const MAX_CACHED_ANSWER_BYTES = 512 * 1024;

export interface TransportOptions {
  apiUrl: string;
  authorizer: Authorizer;
  fetch: typeof fetch;
  now: () => number;
  timeoutMs?: number;
}

/** A page of a listing, with the URL of the next one (GitHub's `Link: <…>; rel="next"`). */
export interface Page<T> {
  items: T[];
  next?: string;
}

/** GitHub's 422 names each refused field in `errors[]`: the rest of a write can go through without them. */
const validationErrors = z.object({
  errors: z.array(
    z.object({ field: z.string().optional(), code: z.string().optional(), message: z.string().optional() }).loose(),
  ),
});

function refusedFieldsOf(text: string): Record<string, string> | undefined {
  try {
    const parsed = validationErrors.safeParse(JSON.parse(text));
    if (!parsed.success) return undefined;
    const refused: Record<string, string> = {};
    for (const e of parsed.data.errors) if (e.field) refused[e.field] = e.message ?? e.code ?? 'refused';
    return Object.keys(refused).length ? refused : undefined;
  } catch {
    return undefined;
  }
}

function messageOf(text: string): string | undefined {
  try {
    const body = JSON.parse(text) as { message?: unknown };
    return typeof body.message === 'string' ? body.message : undefined;
  } catch {
    return undefined;
  }
}

/** GitHub's failure kinds, where they differ from the shared classifier (http.ts). */
/** GitHub's words for a 403 that is a missing permission (any other 403, a locked issue, is the item's own refusal). */
const MISSING_PERMISSION =
  /not accessible by|must have (admin|push) (rights|access)|permission|SAML enforcement|IP allow list|forbids access/i;

export function gitHubFailure(res: HttpAnswer, text: string, what: string, nowMs: number): SyncError {
  const message = messageOf(text);
  const remaining = res.headers.get('x-ratelimit-remaining');
  const retryAfter = res.headers.get('retry-after');
  const limited =
    res.status === 429 ||
    (res.status === 403 && (retryAfter !== null || remaining === '0' || /rate limit/i.test(message ?? '')));
  if (limited) {
    const seconds = Number(retryAfter);
    const reset = Number(res.headers.get('x-ratelimit-reset'));
    const waitMs =
      retryAfter !== null && Number.isFinite(seconds)
        ? seconds * 1000
        : remaining === '0' && Number.isFinite(reset) && reset > 0
          ? Math.max(0, reset * 1000 - nowMs)
          : SECONDARY_LIMIT_WAIT_MS;
    return new SyncError({
      system: SYSTEM,
      kind: 'rate-limited',
      httpStatus: res.status,
      ...(message ? { remoteMessage: message } : {}),
      retryAfterMs: waitMs,
      message: `${what} failed: GitHub's rate limit (HTTP ${res.status}${message ? `: ${message}` : ''})`,
    });
  }
  if (res.status === 403 && MISSING_PERMISSION.test(message ?? ''))
    // A permission the App or token lacks: the admin must grant it, retrying cannot help.
    return new SyncError({
      system: SYSTEM,
      kind: 'auth',
      httpStatus: 403,
      ...(message ? { remoteMessage: message } : {}),
      message: `${what} failed: GitHub refused it (HTTP 403${message ? `: ${message}` : ''})`,
    });
  if (res.status === 403)
    return new SyncError({
      system: SYSTEM,
      kind: 'validation',
      httpStatus: 403,
      ...(message ? { remoteMessage: message } : {}),
      message: `${what} failed: GitHub refused it (HTTP 403${message ? `: ${message}` : ''})`,
    });
  if (res.status === 422) {
    const refused = refusedFieldsOf(text);
    return new SyncError({
      system: SYSTEM,
      kind: 'validation',
      httpStatus: 422,
      ...(message ? { remoteMessage: message } : {}),
      ...(refused ? { refused } : {}),
      message: `${what} failed: HTTP 422${refused ? ` (${Object.values(refused).join('; ')})` : message ? ` (${message})` : ''}`,
    });
  }
  return failureFromResponse(SYSTEM, res, text, what);
}

/** The `rel="next"` URL of a `Link` header. */
export function nextLink(link: string | null): string | undefined {
  if (!link) return undefined;
  for (const part of link.split(',')) {
    const match = /<([^>]+)>\s*;\s*rel="?next"?/.exec(part.trim());
    if (match) return match[1];
  }
  return undefined;
}

export class GitHubTransport {
  private readonly answers = new Map<string, { etag: string; value: unknown; next?: string; bytes: number }>();
  private cachedBytes = 0;

  constructor(private readonly options: TransportOptions) {}

  get apiUrl(): string {
    return this.options.apiUrl;
  }

  /** An absolute URL for an API path; a URL GitHub gave (a `Link`) is kept only when it is on the API's own origin. */
  private urlOf(pathOrUrl: string): string {
    if (!/^https?:\/\//.test(pathOrUrl)) return `${this.options.apiUrl}${pathOrUrl}`;
    // The token goes nowhere but the API.
    if (new URL(pathOrUrl).origin !== new URL(this.options.apiUrl).origin)
      throw new SyncError({
        system: SYSTEM,
        kind: 'validation',
        message: `GitHub pointed outside its API: ${pathOrUrl}`,
      });
    return pathOrUrl;
  }

  /** One request, signed in; a refused installation token is traded again once. */
  async request(
    pathOrUrl: string,
    init: RequestInit & { headers?: Record<string, string> },
    what: string,
  ): Promise<Response> {
    const url = this.urlOf(pathOrUrl);
    const attempt = async () => {
      try {
        return await this.options.fetch(url, {
          ...init,
          headers: {
            accept: 'application/vnd.github+json',
            'x-github-api-version': API_VERSION,
            ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
            ...init.headers,
            authorization: await this.options.authorizer.header(),
          },
          signal: AbortSignal.timeout(this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS),
        });
      } catch (e) {
        if (e instanceof SyncError) throw e;
        const name = (e as { name?: unknown } | null)?.name;
        throw transientFailure(
          SYSTEM,
          what,
          name === 'TimeoutError' || name === 'AbortError' ? new Error('GitHub did not answer in time') : e,
        );
      }
    };
    const res = await attempt();
    if (res.status === 401 && this.options.authorizer.refused()) {
      await readErrorText(res);
      return attempt();
    }
    return res;
  }

  /** A failed answer as the SyncError it means (its body read for GitHub's words). */
  async failure(res: Response, what: string): Promise<SyncError> {
    return gitHubFailure(res, await readErrorText(res), what, this.options.now());
  }

  /**
   * A GET whose answer is checked by `schema`, asked conditionally: an unchanged answer (304) is the one kept
   * for the URL. Answers the value and the next page's URL.
   */
  async read<T>(schema: z.ZodType<T>, pathOrUrl: string, what: string): Promise<{ value: T; next?: string }> {
    const url = this.urlOf(pathOrUrl);
    const kept = this.answers.get(url);
    const res = await this.request(url, { method: 'GET', headers: kept ? { 'if-none-match': kept.etag } : {} }, what);
    let value: unknown;
    let next: string | undefined;
    if (res.status === 304 && kept) {
      await res.body?.cancel().catch(() => undefined);
      ({ value, next } = kept);
    } else {
      if (!res.ok) throw await this.failure(res, what);
      value = await readJson(SYSTEM, res, what);
      next = nextLink(res.headers.get('link'));
      const etag = res.headers.get('etag');
      this.forgetUrl(url);
      if (etag) this.keep(url, { etag, value, ...(next ? { next } : {}) }, res.headers.get('content-length'));
    }
    return { value: this.check(schema, value, what), ...(next ? { next } : {}) };
  }

  /** A write (POST, PATCH, PUT, DELETE) with a JSON body; answers the body checked by `schema`, or nothing for a 204. */
  async write<T>(
    schema: z.ZodType<T>,
    method: 'POST' | 'PATCH' | 'PUT' | 'DELETE',
    path: string,
    body: unknown,
    what: string,
  ): Promise<T> {
    const res = await this.request(
      path,
      { method, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) },
      what,
    );
    if (!res.ok) throw await this.failure(res, what);
    // What was read of this path before the write is no longer what GitHub holds.
    this.forgetUrl(this.urlOf(path));
    return this.check(schema, res.status === 204 ? undefined : await readJson(SYSTEM, res, what), what);
  }

  /** Forgets the kept answer of a path (a write elsewhere changed what it reads, as a sub-issue's parent). */
  forget(path: string): void {
    this.forgetUrl(this.urlOf(path));
  }

  private forgetUrl(url: string): void {
    const kept = this.answers.get(url);
    if (!kept) return;
    this.cachedBytes -= kept.bytes;
    this.answers.delete(url);
  }

  private keep(url: string, answer: { etag: string; value: unknown; next?: string }, declared: string | null): void {
    const bytes =
      declared && Number.isFinite(Number(declared)) ? Number(declared) : JSON.stringify(answer.value).length;
    if (bytes > MAX_CACHED_ANSWER_BYTES) return;
    this.answers.set(url, { ...answer, bytes });
    this.cachedBytes += bytes;
    while (this.answers.size > MAX_CACHED_ANSWERS || this.cachedBytes > MAX_CACHED_BYTES)
      this.forgetUrl(this.answers.keys().next().value!);
  }

  private check<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
    const parsed = schema.safeParse(value);
    if (!parsed.success)
      throw new SyncError({
        system: SYSTEM,
        kind: 'transient',
        message: `${what}: unexpected answer from GitHub (${parsed.error.issues[0]?.path.join('.') ?? ''} ${parsed.error.issues[0]?.message ?? ''})`,
      });
    return parsed.data;
  }
}
