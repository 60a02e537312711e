/**
 * One place that turns an HTTP answer into a typed failure (design brief §3):
 * 429 → rate-limited with the server's window, 401 and 403 → auth (a 403 that
 * says when to come back is a rate limit), 5xx/timeouts and a web page where
 * JSON was asked (an instance asleep or offline) → transient, other 4xx →
 * validation with the remote's own message. A system whose answers mean more
 * says so through `HttpQuirks`, from its own folder.
 */
import { SyncError, type SyncErrorKind } from './errors';

/** What both global fetch and Forge's requestJira answer with. */
export interface HttpAnswer {
  status: number;
  ok: boolean;
  headers: { get(name: string): string | null };
  text(): Promise<string>;
  /** The body as it arrives, where the answer streams it: then it is read a chunk at a time, and no further than needed. */
  body?: ReadableStream<Uint8Array> | null;
}

/**
 * The most of one answer Crosswalk reads. The largest pages it asks for (100
 * Zendesk comments in three renderings, 200 Azure DevOps comments, a Jira page
 * of issues with their descriptions) stay well under it; an answer past it is
 * refused as `over-limit`, never read on into memory nor cut short silently.
 */
export const MAX_ANSWER_BYTES = 32 * 1024 * 1024;
/** Of a failed answer only its message matters: this much is read for it. */
const MAX_ERROR_BYTES = 64 * 1024;

/**
 * The body as text, counting bytes as they stream: past `maxBytes` the rest is
 * never read (the stream is cancelled) and `over` is set. A declared
 * Content-Length is only a claim: a body that says it is small and streams on
 * is stopped all the same.
 */
export async function readBounded(res: HttpAnswer, maxBytes: number): Promise<{ text: string; over: boolean }> {
  const declared = Number(res.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await res.body?.cancel().catch(() => undefined);
    return { text: '', over: true };
  }
  if (typeof res.body?.getReader !== 'function') {
    // An answer without a web stream (some runtimes' requestJira) is read whole: it is still refused past the cap.
    const text = await res.text();
    return Buffer.byteLength(text) > maxBytes ? { text: '', over: true } : { text, over: false };
  }
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let text = '';
  let bytes = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
    if (bytes > maxBytes) {
      await reader.cancel().catch(() => undefined);
      return { text: text + decoder.decode(value.subarray(0, value.byteLength - (bytes - maxBytes))), over: true };
    }
    text += decoder.decode(value, { stream: true });
  }
  return { text: text + decoder.decode(), over: false };
}

/** A failed answer's text, for its message: at most MAX_ERROR_BYTES of it (a message is short; the rest is not needed). */
export async function readErrorText(res: HttpAnswer): Promise<string> {
  return (await readBounded(res, MAX_ERROR_BYTES)).text;
}

export function overLimit(system: string, what: string, detail: string): SyncError {
  return new SyncError({ system, kind: 'over-limit', message: `${what} stopped: ${detail}` });
}

export function retryAfterMs(headers: HttpAnswer['headers'], now = Date.now()): number | undefined {
  const raw = headers.get('retry-after');
  if (!raw) return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(raw);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * The fields a refusal names, each with the target's words: Jira's `errors` map (every refused field, by id), Azure
 * DevOps's rule errors (`customProperties.RuleValidationErrors[].fieldReferenceName`), Zendesk's RecordInvalid
 * `details` (by ticket property; `base` names no field). Undefined when the answer names none.
 */
export function refusedFields(text: string): Record<string, string> | undefined {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!body || typeof body !== 'object') return undefined;
  const refused: Record<string, string> = {};
  const b = body as {
    errors?: unknown;
    details?: unknown;
    customProperties?: { RuleValidationErrors?: unknown; FieldReferenceName?: unknown; ErrorMessage?: unknown };
  };
  if (b.errors && typeof b.errors === 'object' && !Array.isArray(b.errors))
    for (const [field, message] of Object.entries(b.errors)) if (typeof message === 'string') refused[field] = message;
  const rules = b.customProperties?.RuleValidationErrors;
  if (Array.isArray(rules))
    for (const r of rules as Array<{ fieldReferenceName?: unknown; errorMessage?: unknown }>)
      if (typeof r?.fieldReferenceName === 'string')
        refused[r.fieldReferenceName] = typeof r.errorMessage === 'string' ? r.errorMessage : 'refused';
  if (!Object.keys(refused).length && typeof b.customProperties?.FieldReferenceName === 'string')
    refused[b.customProperties.FieldReferenceName] =
      typeof b.customProperties.ErrorMessage === 'string' ? b.customProperties.ErrorMessage : 'refused';
  if (b.details && typeof b.details === 'object' && !Array.isArray(b.details))
    for (const [field, list] of Object.entries(b.details)) {
      if (field === 'base' || !Array.isArray(list)) continue;
      const words = (list as Array<{ description?: unknown }>)
        .map((d) => (typeof d?.description === 'string' ? d.description : ''))
        .filter(Boolean)
        .join('; ');
      refused[field] = words || 'refused';
    }
  return Object.keys(refused).length ? refused : undefined;
}

/** What a system's answers mean beyond HTTP's own words, declared in its folder. */
export interface HttpQuirks {
  /** What a 403 means where the system gives it a meaning of its own (ServiceNow refuses data-policy breaches with 403). */
  forbidden?(remoteMessage: string | undefined): SyncErrorKind;
  /** What a web page where JSON was asked means there, in people's words (a ServiceNow instance "hibernating"). */
  webPageMeans?: string;
}

/** A 403 that tells when to come back is a limit, not a refusal (GitHub's secondary limits, a spent primary limit). */
const saysWhenToComeBack = (headers: HttpAnswer['headers']) =>
  headers.get('retry-after') !== null || headers.get('x-ratelimit-remaining') === '0';

export function failureFromResponse(
  system: string,
  res: HttpAnswer,
  bodyText: string,
  what: string,
  quirks: HttpQuirks = {},
): SyncError {
  const remoteMessage = extractMessage(bodyText);
  const base = { system, httpStatus: res.status, remoteMessage };
  let kind: SyncErrorKind;
  if (res.status === 429) kind = 'rate-limited';
  else if (res.status === 401) kind = 'auth';
  else if (res.status === 403)
    kind = saysWhenToComeBack(res.headers) ? 'rate-limited' : (quirks.forbidden?.(remoteMessage) ?? 'auth');
  else if (res.status === 404 || res.status === 410) kind = 'not-found';
  else if (res.status === 409 || res.status === 412) kind = 'conflict';
  else if (res.status >= 500 || res.status === 408) kind = 'transient';
  else kind = 'validation';
  const refused = kind === 'validation' ? refusedFields(bodyText) : undefined;
  return new SyncError({
    ...base,
    kind,
    ...(refused ? { refused } : {}),
    message: `${what} failed: HTTP ${res.status}${remoteMessage ? ` (${remoteMessage})` : ''}`,
    retryAfterMs: retryAfterMs(res.headers),
  });
}

export function transientFailure(system: string, what: string, cause: unknown): SyncError {
  return new SyncError({
    system,
    kind: 'transient',
    message: `${what} failed: ${cause instanceof Error ? cause.message : String(cause)}`,
  });
}

/**
 * Parses JSON, treating an HTML page (an instance asleep or broken) as a
 * transient failure and an answer over `maxBytes` as `over-limit`.
 */
export async function readJson(
  system: string,
  res: HttpAnswer,
  what: string,
  maxBytes = MAX_ANSWER_BYTES,
  quirks: HttpQuirks = {},
): Promise<unknown> {
  if (!res.ok) throw failureFromResponse(system, res, await readErrorText(res), what, quirks);
  const { text, over } = await readBounded(res, maxBytes);
  if (over)
    throw overLimit(
      system,
      what,
      `the answer was larger than ${megabytes(maxBytes)}, the most Crosswalk reads of one answer`,
    );
  if (/text\/html/i.test(res.headers.get('content-type') ?? '') || /^\s*</.test(text)) {
    throw new SyncError({
      system,
      kind: 'transient',
      httpStatus: res.status,
      message: `${what} failed: the instance answered with a web page (${quirks.webPageMeans ?? 'asleep, offline or behind a sign-in page'})`,
    });
  }
  try {
    return text ? (JSON.parse(text) as unknown) : undefined;
  } catch {
    throw new SyncError({ system, kind: 'transient', message: `${what} failed: the answer was not JSON` });
  }
}

export const megabytes = (bytes: number) =>
  bytes >= 1024 * 1024 ? `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB` : `${bytes.toLocaleString('en-US')} bytes`;

function extractMessage(text: string): string | undefined {
  try {
    const body = JSON.parse(text) as {
      error?: { message?: string; detail?: string };
      errorMessages?: string[];
      errors?: Record<string, string>;
      message?: string;
    };
    if (body.error) return [body.error.message, body.error.detail].filter(Boolean).join(': ');
    if (body.errorMessages?.length || body.errors)
      return [...(body.errorMessages ?? []), ...Object.entries(body.errors ?? {}).map(([k, v]) => `${k}: ${v}`)].join(
        '; ',
      );
    return body.message;
  } catch {
    return text.slice(0, 200) || undefined;
  }
}
