/**
 * A notification is accepted once, by what its signature covers: a genuine
 * delivery captured and sent again with one more header (a proxy's, or an
 * attacker's) is the same delivery and enqueues nothing. For every system the
 * registry lists, each through its simulator's own genuine delivery.
 */
import { createHmac } from 'node:crypto';
import { startSandbox, type Sandbox } from '../../sandbox/sandbox';
import { DEMO_WEBHOOK_SECRET } from '../../sandbox/demo/servicenow-connection';
import { deliveryHeaders } from '../../sandbox/sims/azure-devops/hooks';
import { implementedSystems } from '../../src/connectors/registry';
import type { RemoteSystemKind } from '../../src/connectors/ports';

let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ clock: 'manual' });
  await sandbox.settle();
}, 90_000);
afterAll(() => sandbox.stop());

const queued = () => sandbox.platform.installation(sandbox.installationId).events.all().length;

/** A delivery as the remote sent it: where, with which headers and body, and what the web trigger answered. */
interface Sent {
  url: string;
  headers: Record<string, string>;
  body: string;
  answer: { status: number; text: string };
}

const post = async (url: string, headers: Record<string, string>, body: string) => {
  const res = await fetch(url, { method: 'POST', headers, body });
  return { status: res.status, text: await res.text() };
};

/** One genuine delivery per system, sent by (or exactly as) the remote sends it. */
const genuine: Record<RemoteSystemKind, () => Promise<Sent>> = {
  async servicenow() {
    const url = `${sandbox.platform.webTriggerUrl(sandbox.installationId, 'remote-webhook')}/servicenow/demo-servicenow`;
    const body = JSON.stringify({
      event: 'update',
      table: 'incident',
      sys_id: sandbox.servicenow.store.rows('incident')[0]!.sys_id,
      user: 'beth.agent',
      sent_at: Math.floor(sandbox.platform.clock.now() / 1000),
    });
    const headers = {
      'content-type': 'application/json',
      'x-servicenow-signature': createHmac('sha256', DEMO_WEBHOOK_SECRET).update(body).digest('base64'),
    };
    return { url, headers, body, answer: await post(url, headers, body) };
  },
  async 'azure-devops'() {
    const workItemId = [...(sandbox.azureDevOps.store.workItems.get('acme')?.keys() ?? [])][0]!;
    const sent = (await (
      await fetch(`${sandbox.sims.azureDevOps.controlUrl}/hooks/send`, {
        method: 'POST',
        body: JSON.stringify({ workItemId }),
      })
    ).json()) as { status: number; notificationId: number };
    const delivery = sandbox.azureDevOps.notifier.sent.find((d) => d.notificationId === sent.notificationId)!;
    const subscription = sandbox.azureDevOps.store.subscriptions.find((s) => s.id === delivery.subscriptionId)!;
    return {
      url: delivery.url,
      headers: deliveryHeaders(subscription),
      body: delivery.body,
      answer: { status: sent.status, text: '' },
    };
  },
  async zendesk() {
    const hook = [...sandbox.zendesk.store.webhooks.values()][0]!;
    const ticket = [...sandbox.zendesk.store.tickets.values()][0]!;
    const body = JSON.stringify({
      ticket_id: String(ticket.id),
      updated_at: ticket.updated_at,
      event: 'ticket',
      changed_by: 'someone@acme.example',
    });
    const sent = (await (
      await fetch(`${sandbox.sims.zendesk.controlUrl}/webhooks/deliveries/send`, {
        method: 'POST',
        body: JSON.stringify({ webhook_id: hook.id, body }),
      })
    ).json()) as { url: string; timestamp: string; signature: string; invocation_id: string; status: number };
    return {
      url: sent.url,
      headers: {
        'content-type': 'application/json',
        'x-zendesk-webhook-signature': sent.signature,
        'x-zendesk-webhook-signature-timestamp': sent.timestamp,
        'x-zendesk-webhook-invocation-id': sent.invocation_id,
        'x-zendesk-webhook-id': hook.id,
      },
      body,
      answer: { status: sent.status, text: '' },
    };
  },
};

describe.each(implementedSystems().map((s) => [s.label, s.kind] as const))('%s', (_label, kind) => {
  it('accepts a genuine delivery once: the same one again with one more header enqueues nothing', async () => {
    const deliver = genuine[kind];
    if (!deliver) throw new Error(`${kind} has no genuine delivery in this test`);
    const first = await deliver();
    expect(first.answer.status).toBe(202);
    await sandbox.settle();
    const before = queued();
    const added: Array<Record<string, string>> = [
      { 'x-request-id': 'replayed-1' },
      { 'x-request-id': 'replayed-2', 'x-forwarded-for': '203.0.113.9' },
    ];
    for (const extra of added) {
      const replay = await post(first.url, { ...first.headers, ...extra }, first.body);
      expect(replay).toEqual({ status: 202, text: 'Already received' });
    }
    expect(queued()).toBe(before);
  });
});
