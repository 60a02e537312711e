/**
 * A generic HTTPS webhook, for a receiver the customer runs (or an incident tool that takes any JSON, such as
 * PagerDuty's Custom Event Transformer). The body is one JSON object; the receiver deduplicates by its `id` (also in
 * `X-Crosswalk-Alert-Id`: a message sent again after a crash or a retry carries the same one) and checks
 * `X-Crosswalk-Signature: sha256=<hex HMAC-SHA256(secret, timestamp + "." + body)>` with `X-Crosswalk-Timestamp`
 * (unix seconds, refused when far from its own clock). sandbox/sims/alert-sinks/README.md has the verifier's recipe.
 */
import { createHmac } from 'node:crypto';
import type { AlertMessage } from '../plan';
import { excerpt, postToTarget, type DeliveryResult, type TargetAnswer } from './http';
import { alertText } from './text';

export const ALERT_ID_HEADER = 'X-Crosswalk-Alert-Id';
export const TIMESTAMP_HEADER = 'X-Crosswalk-Timestamp';
export const SIGNATURE_HEADER = 'X-Crosswalk-Signature';

export interface WebhookBody {
  id: string;
  event: AlertMessage['event'];
  connection: { id: string; name: string; system: string; project: string };
  condition: AlertMessage['condition'];
  summary: string;
  words: string;
  check: string;
  since: string;
  at: string;
  itemsWaiting: number;
  settingsUrl: string;
  issueKey?: string;
}

export function webhookBody(m: AlertMessage): WebhookBody {
  return {
    id: m.id,
    event: m.event,
    connection: { id: m.connectionId, name: m.connectionName, system: m.system, project: m.projectKey },
    condition: m.condition,
    summary: alertText(m).title,
    words: m.words,
    check: m.check,
    since: new Date(m.since).toISOString(),
    at: new Date(m.at).toISOString(),
    itemsWaiting: m.itemsWaiting,
    settingsUrl: m.settingsUrl,
    ...(m.issueKey ? { issueKey: m.issueKey } : {}),
  };
}

/** `sha256=<hex>` of HMAC-SHA256 keyed with the secret over `<timestamp>.<body>`. */
export function signWebhook(secret: string, timestamp: number | string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** The request as sent: the exact body bytes the signature covers, and its headers. */
export function webhookRequest(
  m: AlertMessage,
  secret: string,
  nowSeconds = Math.floor(Date.now() / 1000),
): { body: string; headers: Record<string, string> } {
  const body = JSON.stringify(webhookBody(m));
  return {
    body,
    headers: {
      'Content-Type': 'application/json',
      [ALERT_ID_HEADER]: m.id,
      [TIMESTAMP_HEADER]: String(nowSeconds),
      [SIGNATURE_HEADER]: signWebhook(secret, nowSeconds, body),
    },
  };
}

export function webhookRefusal(host: string): (a: TargetAnswer) => string {
  return (a) => {
    const said = excerpt(a.text, 160);
    const what =
      a.status === 401 || a.status === 403
        ? 'refuses the signature or the sender: check that it has the same secret as Crosswalk'
        : a.status === 404 || a.status === 410
          ? 'has no such endpoint: check the URL'
          : 'refused the alert';
    return `The webhook at ${host} ${what} (HTTP ${a.status}${said ? `: ${said}` : ''})`;
  };
}

export function deliverWebhook(m: AlertMessage, url: string, secret: string): Promise<DeliveryResult> {
  const { body, headers } = webhookRequest(m, secret);
  let host = 'the webhook';
  try {
    host = new URL(url).host;
  } catch {
    // postToTarget says so
  }
  return postToTarget('The webhook', url, body, headers, webhookRefusal(host));
}
