/**
 * One POST to an alert target through Forge's egress: a 10 s timeout, no redirect followed (a hook that moves is
 * a hook to set again, and a redirect must never carry an alert to another host), at most 4 KB of the answer read,
 * and the answer classified: 2xx delivered; 429, 5xx and network failures worth retrying; other 4xx not, with the
 * vendor's reason in a person's words. A reason never holds the URL (it is the secret) nor more than its host.
 */
import { fetch } from '@forge/api';
import { readBounded } from '../../connectors/http';

export type DeliveryResult = { ok: true } | { ok: false; retryable: boolean; reason: string };

export const DELIVERY_TIMEOUT_MS = 10_000;
export const MAX_ANSWER_BYTES = 4 * 1024;

export interface TargetAnswer {
  status: number;
  text: string;
  retryAfterSeconds?: number;
}

/** How a target words a refusal (a 4xx other than 429): the vendor's reason, never the URL. */
export type RefusalWords = (answer: TargetAnswer) => string;

/** A short, single-line, printable excerpt of a vendor's text (its error code, its message), or ''. */
export function excerpt(text: string, max = 160): string {
  const line = text
    .replace(/[\u0000-\u001f\u007f]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  // A URL in an answer may be a signed one: it is left out.
  const safe = line.replace(/https?:\/\/\S+/g, '(a URL)');
  return safe.length > max ? `${safe.slice(0, max - 1)}…` : safe;
}

export async function postToTarget(
  label: string,
  url: string,
  body: string,
  headers: Record<string, string>,
  refusal: RefusalWords,
): Promise<DeliveryResult> {
  let host = 'the target';
  try {
    host = new URL(url).host;
  } catch {
    return { ok: false, retryable: false, reason: `The ${label} URL is not a URL: set it again` };
  }
  let res: Awaited<ReturnType<typeof fetch>>;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
    });
  } catch (e) {
    return networkFailure(label, host, e);
  }
  const { text } = await readBounded(res, MAX_ANSWER_BYTES).catch(() => ({ text: '', over: false }));
  return classify(label, host, { status: res.status, text, retryAfterSeconds: retryAfter(res.headers) }, refusal);
}

function retryAfter(headers: { get(name: string): string | null }): number | undefined {
  const v = headers.get('retry-after');
  if (!v) return undefined;
  const n = Number(v);
  if (Number.isFinite(n) && n >= 0) return Math.ceil(n);
  const at = Date.parse(v);
  return Number.isFinite(at) ? Math.max(0, Math.ceil((at - Date.now()) / 1000)) : undefined;
}

export function networkFailure(label: string, host: string, e: unknown): DeliveryResult {
  const err = e as { name?: string; message?: string; cause?: { code?: string } };
  const message = String(err?.message ?? e);
  if (/not included in the external fetch|ExternalEndpointNotAllowed|forge-egress/i.test(message))
    return {
      ok: false,
      retryable: false,
      reason: `Crosswalk may not reach ${host}: a Jira admin has to approve the host (Jira administration → Apps → Crosswalk)`,
    };
  if (err?.name === 'TimeoutError' || err?.name === 'AbortError')
    return {
      ok: false,
      retryable: true,
      reason: `${label} at ${host} did not answer within ${DELIVERY_TIMEOUT_MS / 1000} s`,
    };
  const code = err?.cause?.code;
  return {
    ok: false,
    retryable: true,
    reason: `Crosswalk could not reach ${label} at ${host}${code ? ` (${code})` : ''}`,
  };
}

export function classify(label: string, host: string, a: TargetAnswer, refusal: RefusalWords): DeliveryResult {
  if (a.status >= 200 && a.status < 300) return { ok: true };
  if (a.status === 429)
    return {
      ok: false,
      retryable: true,
      reason: `${label} is limiting how often Crosswalk may post${a.retryAfterSeconds !== undefined ? ` (it asks to wait ${a.retryAfterSeconds} s)` : ''}`,
    };
  if (a.status >= 500) return { ok: false, retryable: true, reason: `${label} at ${host} failed (HTTP ${a.status})` };
  if (a.status >= 300 && a.status < 400)
    return {
      ok: false,
      retryable: false,
      reason: `${label} at ${host} answered with a redirect (HTTP ${a.status}), which Crosswalk does not follow: check the URL and set it again`,
    };
  return { ok: false, retryable: false, reason: refusal(a) };
}
