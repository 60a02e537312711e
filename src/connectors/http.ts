/**
 * One place that turns an HTTP answer into a typed failure (design brief §3):
 * 429 → rate-limited with the server's window, 401 → auth, 5xx/timeouts and a
 * hibernating ServiceNow (HTML where JSON was asked) → transient, other 4xx →
 * validation with the remote's own message.
 */
import { SyncError, type SyncErrorKind } from './errors';

/** What both global fetch and Forge's requestJira answer with. */
export interface HttpAnswer {
  status: number;
  ok: boolean;
  headers: { get(name: string): string | null };
  text(): Promise<string>;
}

export function retryAfterMs(headers: HttpAnswer['headers'], now = Date.now()): number | undefined {
  const raw = headers.get('retry-after');
  if (!raw) return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(raw);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

export function failureFromResponse(system: string, res: HttpAnswer, bodyText: string, what: string): SyncError {
  const remoteMessage = extractMessage(bodyText);
  const base = { system, httpStatus: res.status, remoteMessage };
  let kind: SyncErrorKind;
  if (res.status === 429) kind = 'rate-limited';
  else if (res.status === 401) kind = 'auth';
  else if (res.status === 403)
    kind = /acl|permission|not authori[sz]ed/i.test(remoteMessage ?? '') ? 'auth' : 'validation';
  else if (res.status === 404 || res.status === 410) kind = 'not-found';
  else if (res.status === 409 || res.status === 412) kind = 'conflict';
  else if (res.status >= 500 || res.status === 408) kind = 'transient';
  else kind = 'validation';
  return new SyncError({
    ...base,
    kind,
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

/** Parses JSON, treating an HTML page (a hibernating or broken instance) as a transient failure. */
export async function readJson(system: string, res: HttpAnswer, what: string): Promise<unknown> {
  const text = await res.text();
  if (!res.ok) throw failureFromResponse(system, res, text, what);
  if (/text\/html/i.test(res.headers.get('content-type') ?? '') || /^\s*</.test(text)) {
    throw new SyncError({
      system,
      kind: 'transient',
      httpStatus: res.status,
      message: `${what} failed: the instance answered with a web page (hibernating or offline)`,
    });
  }
  try {
    return text ? (JSON.parse(text) as unknown) : undefined;
  } catch {
    throw new SyncError({ system, kind: 'transient', message: `${what} failed: the answer was not JSON` });
  }
}

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
