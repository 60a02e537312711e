/** Webhooks fired by triggers, signed and delivered as Zendesk does (vendor-apis.md §3.7). */
import { createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { DEMO_CREDENTIALS, startZendeskSim, type ZendeskSim } from './index';
import { zendeskClient } from './test-client';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER } from './webhooks';

interface Received {
  method: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

let sim: ZendeskSim;
let clock = Date.UTC(2026, 10, 24, 9, 0, 0);
let zd: ReturnType<typeof zendeskClient>;
let receiver: http.Server;
let receiverUrl = '';
const received: Received[] = [];
/** Statuses the receiver answers, in turn (then 200). */
const replies: Array<{ status: number; headers?: Record<string, string>; delayMs?: number }> = [];

type WebhookRes = {
  webhook: {
    id: string;
    name: string;
    status: string;
    endpoint: string;
    http_method: string;
    request_format: string;
    subscriptions: string[];
  };
};

beforeAll(async () => {
  sim = await startZendeskSim({ now: () => clock });
  zd = zendeskClient(sim, DEMO_CREDENTIALS.integration, { 'x-forwarded-host': 'acme.zendesk.com' });
  receiver = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      received.push({ method: req.method ?? '', headers: req.headers, body });
      const reply = replies.shift() ?? { status: 200 };
      setTimeout(() => res.writeHead(reply.status, reply.headers).end(), reply.delayMs ?? 0);
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks/zendesk`;
});
afterAll(async () => {
  await sim.stop();
  await new Promise((r) => receiver.close(r));
});
beforeEach(async () => {
  clock = Date.UTC(2026, 10, 24, 9, 0, 0);
  await fetch(`${sim.controlUrl}/reset`, { method: 'POST' });
  received.length = 0;
  replies.length = 0;
});

const control = (method: string, path: string, body?: unknown) =>
  fetch(`${sim.controlUrl}${path}`, { method, body: body === undefined ? undefined : JSON.stringify(body) });

/** What a receiver does: HMAC-SHA256 over timestamp + body with the signing secret, base64, compared in constant time. */
const verify = (secret: string, r: Received): boolean => {
  const expected = Buffer.from(
    createHmac('sha256', secret)
      .update(String(r.headers[TIMESTAMP_HEADER]) + r.body)
      .digest('base64'),
  );
  const given = Buffer.from(String(r.headers[SIGNATURE_HEADER]));
  return expected.length === given.length && timingSafeEqual(expected, given);
};

const TEMPLATE = JSON.stringify({
  ticket_id: '{{ticket.id}}',
  external_id: '{{ticket.external_id}}',
  updated_at: '{{ticket.updated_at_with_timestamp}}',
  status: '{{ticket.status}}',
  actor: '{{current_user.email}}',
  subject: '{{ticket.title}}',
});

async function webhookAndTrigger(
  conditions: Record<string, unknown> = {
    all: [],
    any: [
      { field: 'update_type', operator: 'is', value: 'Create' },
      { field: 'update_type', operator: 'is', value: 'Change' },
    ],
  },
  template = TEMPLATE,
) {
  const hook = await zd<WebhookRes>('POST', '/api/v2/webhooks', {
    webhook: {
      name: 'Crosswalk',
      endpoint: receiverUrl,
      http_method: 'POST',
      request_format: 'json',
      status: 'active',
      subscriptions: ['conditional_ticket_events'],
    },
  });
  expect(hook.status).toBe(201);
  const trigger = await zd<{ trigger: { id: number } }>('POST', '/api/v2/triggers.json', {
    trigger: {
      title: 'Notify Crosswalk',
      conditions,
      actions: [{ field: 'notification_webhook', value: [hook.json.webhook.id, template] }],
    },
  });
  expect(trigger.status).toBe(201);
  const secret = (
    await zd<{ signing_secret: { algorithm: string; secret: string } }>(
      'GET',
      `/api/v2/webhooks/${hook.json.webhook.id}/signing_secret`,
    )
  ).json.signing_secret;
  expect(secret.algorithm).toBe('SHA256');
  return { hookId: hook.json.webhook.id, triggerId: trigger.json.trigger.id, secret: secret.secret };
}

const bodies = () => received.map((r) => JSON.parse(r.body) as Record<string, string>);

describe('webhooks API', () => {
  it('creates, lists, shows, updates and deletes webhooks; the signing secret has its own endpoint', async () => {
    const created = await zd<WebhookRes>('POST', '/api/v2/webhooks', {
      webhook: {
        name: 'Sync',
        endpoint: receiverUrl,
        http_method: 'POST',
        request_format: 'json',
        status: 'active',
        subscriptions: ['conditional_ticket_events'],
      },
    });
    expect(created.status).toBe(201);
    const w = created.json.webhook;
    expect(w).toMatchObject({
      name: 'Sync',
      endpoint: receiverUrl,
      http_method: 'POST',
      request_format: 'json',
      status: 'active',
      subscriptions: ['conditional_ticket_events'],
    });
    expect(w.id).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(created.json.webhook).not.toHaveProperty('signing_secret');
    const list = await zd<{ webhooks: WebhookRes['webhook'][]; meta: { has_more: boolean } }>(
      'GET',
      '/api/v2/webhooks',
    );
    expect(list.json.webhooks.map((x) => x.id)).toEqual([w.id]);
    expect((await zd<WebhookRes>('GET', `/api/v2/webhooks/${w.id}`)).json.webhook.name).toBe('Sync');
    expect((await zd('PUT', `/api/v2/webhooks/${w.id}`, { webhook: { status: 'inactive' } })).status).toBe(204);
    expect((await zd<WebhookRes>('GET', `/api/v2/webhooks/${w.id}`)).json.webhook.status).toBe('inactive');
    expect((await zd('DELETE', `/api/v2/webhooks/${w.id}`)).status).toBe(204);
    const gone = await zd('GET', `/api/v2/webhooks/${w.id}`);
    expect(gone.status).toBe(404);
    expect(gone.json).toMatchObject({ errors: [{ code: 'RecordNotFound' }] });
  });

  it('refuses a webhook without an endpoint, and a trigger naming an unknown webhook', async () => {
    expect((await zd('POST', '/api/v2/webhooks', { webhook: { name: 'x' } })).status).toBe(400);
    const t = await zd('POST', '/api/v2/triggers.json', {
      trigger: {
        title: 't',
        conditions: { all: [] },
        actions: [{ field: 'notification_webhook', value: ['01NOPE', '{}'] }],
      },
    });
    expect(t.status).toBe(422);
    expect(t.json).toMatchObject({ error: 'RecordInvalid' });
  });

  it('lists, shows, updates and deletes triggers', async () => {
    const { triggerId } = await webhookAndTrigger();
    const list = await zd<{ triggers: Array<{ id: number; title: string; active: boolean }>; count: number }>(
      'GET',
      '/api/v2/triggers.json',
    );
    expect(list.json.triggers.map((t) => [t.id, t.title, t.active])).toEqual([[triggerId, 'Notify Crosswalk', true]]);
    const upd = await zd<{ trigger: { active: boolean } }>('PUT', `/api/v2/triggers/${triggerId}.json`, {
      trigger: { active: false },
    });
    expect(upd.json.trigger.active).toBe(false);
    expect((await zd('DELETE', `/api/v2/triggers/${triggerId}.json`)).status).toBe(204);
    expect((await zd('GET', `/api/v2/triggers/${triggerId}.json`)).status).toBe(404);
  });
});

describe('deliveries', () => {
  it("POSTs the trigger's JSON template with placeholders filled in, signed base64(HMAC-SHA256(secret, timestamp + body))", async () => {
    const { hookId, secret } = await webhookAndTrigger();
    const res = await zd<{ ticket: { id: number; updated_at: string } }>('POST', '/api/v2/tickets.json', {
      ticket: { subject: 'Say "hi"', comment: { body: 'x' }, external_id: 'DEMO-5' },
    });
    await sim.notifier.idle();
    expect(received).toHaveLength(1);
    const r = received[0]!;
    expect(r.method).toBe('POST');
    expect(r.headers['content-type']).toMatch(/^application\/json/);
    expect(r.headers[TIMESTAMP_HEADER]).toBe('2026-11-24T09:00:00Z');
    expect(r.headers['x-zendesk-webhook-id']).toBe(hookId);
    expect(verify(secret, r)).toBe(true);
    expect(JSON.parse(r.body)).toEqual({
      ticket_id: String(res.json.ticket.id),
      external_id: 'DEMO-5',
      updated_at: res.json.ticket.updated_at,
      status: 'New',
      actor: DEMO_CREDENTIALS.integration.email,
      subject: 'Say "hi"',
    });
  });

  it("fires on updates and comments, only when the trigger's conditions match", async () => {
    await webhookAndTrigger({
      all: [
        { field: 'update_type', operator: 'is', value: 'Change' },
        { field: 'comment_is_public', operator: 'is', value: 'true' },
      ],
    });
    await zd('POST', '/api/v2/tickets.json', { ticket: { comment: { body: 'created' } } });
    await zd('PUT', '/api/v2/tickets/3.json', { ticket: { priority: 'high' } });
    await zd('PUT', '/api/v2/tickets/3.json', { ticket: { comment: { body: 'internal', public: false } } });
    await zd('PUT', '/api/v2/tickets/3.json', { ticket: { comment: { body: 'public reply', public: true } } });
    await sim.notifier.idle();
    expect(bodies().map((b) => b.ticket_id)).toEqual(['3']);
  });

  it('evaluates field conditions: changed, value, less_than, tags, role', async () => {
    const { triggerId } = await webhookAndTrigger({ all: [{ field: 'status', operator: 'value', value: 'solved' }] });
    await zd('PUT', '/api/v2/tickets/1.json', { ticket: { priority: 'low' } });
    await zd('PUT', '/api/v2/tickets/1.json', { ticket: { status: 'solved' } });
    await sim.notifier.idle();
    expect(bodies().map((b) => b.status)).toEqual(['Solved']);
    received.length = 0;
    await zd('PUT', `/api/v2/triggers/${triggerId}.json`, {
      trigger: {
        conditions: {
          all: [
            { field: 'status', operator: 'less_than', value: 'solved' },
            { field: 'current_tags', operator: 'includes', value: 'sync other' },
            { field: 'role', operator: 'is_not', value: 'end_user' },
          ],
        },
      },
    });
    await zd('PUT', '/api/v2/tickets/2.json', { ticket: { priority: 'low' } });
    await zd('PUT', '/api/v2/tickets/2.json', { ticket: { tags: ['sync'] } });
    await sim.notifier.idle();
    expect(bodies().map((b) => b.ticket_id)).toEqual(['2']);
  });

  it('does not call inactive webhooks or inactive triggers', async () => {
    const { hookId, triggerId } = await webhookAndTrigger();
    await zd('PUT', `/api/v2/triggers/${triggerId}.json`, { trigger: { active: false } });
    await zd('PUT', '/api/v2/tickets/1.json', { ticket: { priority: 'low' } });
    await zd('PUT', `/api/v2/triggers/${triggerId}.json`, { trigger: { active: true } });
    await zd('PUT', `/api/v2/webhooks/${hookId}`, { webhook: { status: 'inactive' } });
    await zd('PUT', '/api/v2/tickets/1.json', { ticket: { priority: 'high' } });
    await sim.notifier.idle();
    expect(received).toHaveLength(0);
  });

  it('delivers asynchronously, in order; busy and idle() tell when the queue is quiet', async () => {
    await webhookAndTrigger();
    replies.push({ status: 200, delayMs: 150 });
    await zd('PUT', '/api/v2/tickets/1.json', { ticket: { priority: 'low' } });
    await zd('PUT', '/api/v2/tickets/1.json', { ticket: { priority: 'normal' } });
    await zd('PUT', '/api/v2/tickets/1.json', { ticket: { priority: 'high' } });
    expect(sim.notifier.busy).toBe(true);
    await sim.notifier.idle();
    expect(sim.notifier.busy).toBe(false);
    expect(bodies().map((b) => b.ticket_id)).toEqual(['1', '1', '1']);
    const log = (await (await control('GET', '/webhooks/deliveries')).json()) as {
      sent: Array<{ status: number; body: string }>;
      queued: number;
    };
    expect(log.sent.map((s) => s.body)).toEqual(received.map((r) => r.body));
    expect(log.sent.map((s) => s.status)).toEqual([200, 200, 200]);
  });

  it('can pause deliveries and send them on resume (signed at send time)', async () => {
    const { secret } = await webhookAndTrigger();
    await control('PUT', '/webhooks/deliveries', { paused: true });
    await zd('PUT', '/api/v2/tickets/1.json', { ticket: { priority: 'low' } });
    await sim.notifier.idle();
    expect(received).toHaveLength(0);
    expect(sim.notifier.busy).toBe(false);
    clock += 10_000;
    await control('POST', '/webhooks/deliveries/flush');
    expect(received).toHaveLength(1);
    expect(received[0]!.headers[TIMESTAMP_HEADER]).toBe('2026-11-24T09:00:10Z');
    expect(verify(secret, received[0]!)).toBe(true);
  });

  it('can lose the next deliveries and duplicate others', async () => {
    await webhookAndTrigger();
    await control('PUT', '/webhooks/deliveries', { lose: 1, duplicate: 1 });
    await zd('PUT', '/api/v2/tickets/1.json', { ticket: { priority: 'low' } });
    await zd('PUT', '/api/v2/tickets/1.json', { ticket: { priority: 'high' } });
    await zd('PUT', '/api/v2/tickets/2.json', { ticket: { priority: 'high' } });
    await sim.notifier.idle();
    expect(bodies().map((b) => b.ticket_id)).toEqual(['1', '1', '2']);
    expect(received[0]!.body).toBe(received[1]!.body);
    const log = (await (await control('GET', '/webhooks/deliveries')).json()) as { lost: unknown[] };
    expect(log.lost).toHaveLength(1);
  });

  it('sends forged (bad signature) and stale (old timestamp) deliveries on demand', async () => {
    const { hookId, secret } = await webhookAndTrigger();
    await control('POST', '/webhooks/deliveries/send', { webhook_id: hookId, body: '{"ticket_id":"1"}', forged: true });
    await control('POST', '/webhooks/deliveries/send', {
      webhook_id: hookId,
      body: '{"ticket_id":"1"}',
      ageSeconds: 600,
    });
    expect(received).toHaveLength(2);
    expect(verify(secret, received[0]!)).toBe(false);
    expect(verify(secret, received[1]!)).toBe(true);
    expect(received[1]!.headers[TIMESTAMP_HEADER]).toBe('2026-11-24T08:50:00Z');
  });

  it('retries a delivery answered 409, or 429/503 with a short Retry-After, but not other failures', async () => {
    await webhookAndTrigger();
    replies.push({ status: 409 }, { status: 503, headers: { 'Retry-After': '1' } });
    await zd('PUT', '/api/v2/tickets/1.json', { ticket: { priority: 'low' } });
    await sim.notifier.idle();
    expect(received).toHaveLength(3);
    replies.push({ status: 500 });
    await zd('PUT', '/api/v2/tickets/1.json', { ticket: { priority: 'high' } });
    await sim.notifier.idle();
    expect(received).toHaveLength(4);
    const log = (await (await control('GET', '/webhooks/deliveries')).json()) as {
      sent: Array<{ status: number; attempts: number }>;
    };
    expect(log.sent.map((s) => [s.status, s.attempts])).toEqual([
      [200, 3],
      [500, 1],
    ]);
  });

  it('fills in the placeholders a sync needs, escaped for JSON', async () => {
    const template =
      '{"id": {{ticket.id}}, "url": "{{ticket.url}}", "link": "{{ticket.link}}", "priority": "{{ticket.priority}}", "type": "{{ticket.ticket_type}}", "tags": "{{ticket.tags}}", "requester": "{{ticket.requester.email}}", "assignee": "{{ticket.assignee.email}}", "group": "{{ticket.group.name}}", "comment": "{{ticket.latest_comment}}", "me": "{{current_user.name}}", "unknown": "{{ticket.nope}}"}';
    await webhookAndTrigger(undefined, template);
    await zd('PUT', '/api/v2/tickets/1.json', { ticket: { comment: { body: 'Line "one"\nline two' } } });
    await sim.notifier.idle();
    expect(JSON.parse(received[0]!.body)).toEqual({
      id: 1,
      url: 'acme.zendesk.com/agent/tickets/1',
      link: 'https://acme.zendesk.com/agent/tickets/1',
      priority: 'High',
      type: 'Incident',
      tags: 'mobile login',
      requester: DEMO_CREDENTIALS.endUser.email,
      assignee: DEMO_CREDENTIALS.agent.email,
      group: 'Support',
      comment: 'Line "one"\nline two',
      me: 'Crosswalk Integration',
      unknown: '',
    });
  });
});
