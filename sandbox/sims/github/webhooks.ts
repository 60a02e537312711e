/**
 * Repository webhook deliveries (vendor-apis-more.md §1.5): each event is
 * sent once to every active hook of the repository subscribed to it, signed
 * `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body>`, with a
 * GUID in `X-GitHub-Delivery`. GitHub does not retry: a failed delivery is
 * recorded and stays failed until someone redelivers it (same GUID,
 * `redelivery: true`). Controls lose, duplicate or hold deliveries.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { FaultableNotificationQueue } from '../shared/notifier';
import type { GitHubStore, Hook } from './store';

export const SIGNATURE_HEADER = 'x-hub-signature-256';
/** GitHub waits 10 s for a 2xx before it calls the delivery failed. */
const DELIVERY_TIMEOUT_MS = 10_000;

export const sign = (secret: string, body: string): string =>
  `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
const signSha1 = (secret: string, body: string): string =>
  `sha1=${createHmac('sha1', secret).update(body).digest('hex')}`;

export interface PendingDelivery {
  guid: string;
  hookId: number;
  event: string;
  action: string | null;
  body: string;
  redelivery: boolean;
}

export interface DeliveryRecord extends PendingDelivery {
  id: number;
  repoId: number;
  deliveredAt: number;
  durationS: number;
  statusCode: number;
  /** GitHub's words for the outcome: `OK`, `Invalid HTTP Response: 500`, `failed to connect to host`, `timed out`. */
  status: string;
  requestHeaders: Record<string, string>;
  responseHeaders: Record<string, string>;
  responseBody: string;
}

/** GitHub's deliveries: the queue, pause, loss and doubling are the simulators' shared ones; GitHub's headers, signature and record are here. */
export class HookNotifier extends FaultableNotificationQueue<PendingDelivery> {
  readonly deliveries: DeliveryRecord[] = [];
  private nextId = 1;

  constructor(private readonly store: GitHubStore) {
    super();
  }

  reset(): void {
    this.clearQueueAndFaults();
    this.deliveries.length = 0;
  }

  /** Fans an event out to the repository's active hooks that subscribe to it (`*` subscribes to all). */
  publish(repoId: number, event: string, payload: Record<string, unknown>): void {
    for (const hook of this.store.hooks.values()) {
      if (hook.repoId !== repoId || !hook.active) continue;
      if (!hook.events.includes(event) && !hook.events.includes('*')) continue;
      this.enqueueFor(hook, event, payload);
    }
  }

  /** One hook's delivery; the `ping` on creation goes through here whatever the hook subscribes to. */
  enqueueFor(hook: Hook, event: string, payload: Record<string, unknown>): void {
    const pending: PendingDelivery = {
      guid: randomUUID(),
      hookId: hook.id,
      event,
      action: typeof payload.action === 'string' ? payload.action : null,
      body: JSON.stringify(payload),
      redelivery: false,
    };
    // A doubled delivery is a redelivery racing the first: same GUID, marked as one.
    this.enqueueDelivery(pending, { ...pending, redelivery: true });
  }

  /** GitHub's redelivery: the recorded delivery's body again, under its GUID. */
  redeliver(record: DeliveryRecord): void {
    this.push({ ...record, redelivery: true });
  }

  protected async sendQueued(next: PendingDelivery): Promise<void> {
    const hook = this.store.hooks.get(next.hookId);
    // A hook deleted or deactivated after queueing is not called.
    if (!hook || !hook.active) return;
    await this.deliver(next, hook);
  }

  private async deliver(pending: PendingDelivery, hook: Hook): Promise<DeliveryRecord> {
    const started = Date.now();
    // A `form` hook gets the JSON as the `payload` form field; the signature covers the body as sent.
    const body = hook.contentType === 'json' ? pending.body : `payload=${encodeURIComponent(pending.body)}`;
    const requestHeaders: Record<string, string> = {
      'content-type': hook.contentType === 'json' ? 'application/json' : 'application/x-www-form-urlencoded',
      'user-agent': 'GitHub-Hookshot/sim',
      'x-github-event': pending.event,
      'x-github-delivery': pending.guid,
      'x-github-hook-id': String(hook.id),
      'x-github-hook-installation-target-type': 'repository',
      'x-github-hook-installation-target-id': String(hook.repoId),
      ...(hook.secret
        ? {
            [SIGNATURE_HEADER]: sign(hook.secret, body),
            'x-hub-signature': signSha1(hook.secret, body),
          }
        : {}),
    };
    let statusCode = 0;
    let status = 'failed to connect to host';
    let responseHeaders: Record<string, string> = {};
    let responseBody = '';
    try {
      const res = await fetch(hook.url, {
        method: 'POST',
        headers: requestHeaders,
        body,
        signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
      });
      statusCode = res.status;
      responseHeaders = Object.fromEntries(res.headers.entries());
      responseBody = (await res.text()).slice(0, 4096);
      status = res.ok ? 'OK' : `Invalid HTTP Response: ${res.status}`;
    } catch (err) {
      if (err instanceof Error && err.name === 'TimeoutError') status = 'timed out';
    }
    const record: DeliveryRecord = {
      ...pending,
      id: this.nextId++,
      repoId: hook.repoId,
      deliveredAt: this.store.now(),
      durationS: (Date.now() - started) / 1000,
      statusCode,
      status,
      requestHeaders,
      responseHeaders,
      responseBody,
    };
    this.deliveries.push(record);
    hook.lastResponse = {
      code: statusCode || null,
      status: statusCode >= 200 && statusCode < 300 ? 'active' : 'failed',
      message: status,
    };
    return record;
  }
}
