/**
 * What a Business Rule with an outbound REST message does: POST a JSON body to
 * a configured URL on insert, update, journal entry and attachment (added or
 * deleted: a second rule on sys_attachment, as the record itself does not change), signed with
 * HMAC-SHA256 over the raw body (base64, as GlideCertificateEncryption.generateMac
 * returns it) in `X-ServiceNow-Signature`, with the send time in `X-ServiceNow-Timestamp`
 * (epoch seconds, also inside the body) so receivers can refuse stale messages.
 */
import { createHmac } from 'node:crypto';
import { NotificationQueue } from '../shared/notifier';

export interface NotificationConfig {
  url: string;
  secret: string;
  tables: string[];
  /** Deliveries are paused (queued) until resumed. */
  paused?: boolean;
  /** Send every notification twice. */
  duplicate?: boolean;
}

export interface ChangeNotice {
  event: 'insert' | 'update' | 'journal' | 'attachment' | 'attachment_delete';
  table: string;
  sys_id: string;
  number: string;
  sys_updated_on: string;
  sys_mod_count: string;
  changed_fields: string[];
  /** The changed fields' new values (journals left out; none for a journal entry), as the business rule Crosswalk gives the admin sends them (`current.getValue`). */
  changes?: Record<string, string>;
  user: string;
}

export const SIGNATURE_HEADER = 'x-servicenow-signature';
export const TIMESTAMP_HEADER = 'x-servicenow-timestamp';

export function sign(secret: string, body: string): string {
  return createHmac('sha256', secret).update(body).digest('base64');
}

/** The business rule's outbound messages; the queue is the simulators' shared one, held until notifications are configured. */
export class Notifier extends NotificationQueue<string> {
  config?: NotificationConfig;
  readonly sent: Array<{ body: string; status: number | 'error' }> = [];

  constructor(private readonly now: () => number) {
    super();
  }

  notify(notice: ChangeNotice): void {
    const cfg = this.config;
    if (!cfg || !cfg.tables.includes(notice.table)) return;
    const body = JSON.stringify({ ...notice, sent_at: Math.floor(this.now() / 1000) });
    if (cfg.duplicate) this.push(body, body);
    else this.push(body);
  }

  protected holding(): boolean {
    return !this.config || Boolean(this.config.paused);
  }

  /** Signs with the secret configured when it is sent, retrying a failed delivery up to three times. */
  protected async sendQueued(body: string): Promise<void> {
    const cfg = this.config!;
    await this.deliver(cfg, body, sign(cfg.secret, body), (JSON.parse(body) as { sent_at: number }).sent_at);
  }

  /** Sends a body as given: tests use it for forged and stale notifications. */
  async deliver(
    cfg: NotificationConfig,
    body: string,
    signature: string,
    timestamp: number,
  ): Promise<number | 'error'> {
    let status: number | 'error' = 'error';
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        const res = await fetch(cfg.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            [SIGNATURE_HEADER]: signature,
            [TIMESTAMP_HEADER]: String(timestamp),
          },
          body,
        });
        status = res.status;
        await res.arrayBuffer();
        if (res.status < 500) break;
      } catch {
        status = 'error';
      }
      await new Promise((r) => setTimeout(r, 50 * 2 ** attempt));
    }
    this.sent.push({ body, status });
    return status;
  }
}
