import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { DEMO_CREDENTIALS, startAzureDevOpsSim, type AzureDevOpsSim } from './index';
import { azureDevOpsClient, patch, type AdoErrorJson } from './test-client';

let sim: AzureDevOpsSim;
let ado: ReturnType<typeof azureDevOpsClient>;
const START = Date.UTC(2026, 10, 24, 9, 0, 0);
let clock = START;
const P = '/acme/Operations/_apis/wit';
const PREVIEW = 'api-version=7.1-preview.4';

interface Received {
  headers: http.IncomingHttpHeaders;
  body: Envelope;
}
interface Envelope {
  subscriptionId: string;
  notificationId: number;
  id: string;
  eventType: string;
  publisherId: string;
  message: { text: string; html: string; markdown: string };
  detailedMessage: { text: string };
  resource: Record<string, unknown> & { id: number; fields: Record<string, unknown> };
  resourceVersion: string;
  resourceContainers: Record<string, { id: string; baseUrl?: string }>;
  createdDate: string;
}
interface SubscriptionJson {
  id: string;
  url: string;
  status: string;
  publisherId: string;
  eventType: string;
  consumerInputs: Record<string, string>;
  publisherInputs: Record<string, string>;
}

let received: Received[] = [];
let receiverStatus = 200;
let receiver: http.Server;
let receiverUrl = '';

beforeAll(async () => {
  sim = await startAzureDevOpsSim({ now: () => clock });
  ado = azureDevOpsClient(sim, DEMO_CREDENTIALS.integration.pat);
  receiver = http.createServer((req, res) => {
    let data = '';
    req.on('data', (d: Buffer) => (data += d.toString('utf8')));
    req.on('end', () => {
      received.push({ headers: req.headers, body: JSON.parse(data) as Envelope });
      res.statusCode = receiverStatus;
      res.end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
});
afterAll(async () => {
  await sim.stop();
  await new Promise((r) => receiver.close(r));
});
beforeEach(async () => {
  clock = START;
  received = [];
  receiverStatus = 200;
  await control('POST', '/reset');
});

async function control<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(sim.controlUrl + path, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return (await res.json()) as T;
}

const subscribe = async (
  eventType: string,
  extra: { publisherInputs?: Record<string, string>; consumerInputs?: Record<string, string> } = {},
) => {
  const res = await ado<SubscriptionJson>('POST', '/acme/_apis/hooks/subscriptions', {
    publisherId: 'tfs',
    eventType,
    resourceVersion: '1.0',
    consumerId: 'webHooks',
    consumerActionId: 'httpRequest',
    publisherInputs: { projectId: 'Operations', ...extra.publisherInputs },
    consumerInputs: {
      url: receiverUrl,
      basicAuthUsername: 'crosswalk',
      basicAuthPassword: 'hook-secret',
      httpHeaders: 'X-Crosswalk-Key: k-123',
      ...extra.consumerInputs,
    },
  });
  expect(res.status).toBe(200);
  return res.json;
};
const settle = async () => {
  await sim.notifier.idle();
};

describe('subscriptions API', () => {
  it('creates, lists, reads, replaces and deletes webHooks subscriptions; the password is masked', async () => {
    const s = await subscribe('workitem.updated');
    expect(s).toMatchObject({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      url: `https://dev.azure.com/acme/_apis/hooks/subscriptions/${s.id}`,
      status: 'enabled',
      publisherId: 'tfs',
      eventType: 'workitem.updated',
    });
    expect(s.consumerInputs).toEqual({
      url: receiverUrl,
      basicAuthUsername: 'crosswalk',
      basicAuthPassword: '********',
      httpHeaders: 'X-Crosswalk-Key: k-123',
    });
    expect(s.publisherInputs.projectId).toBe(sim.store.org('acme')!.projects[0]!.id);
    expect(
      (
        await ado<{ count: number; value: SubscriptionJson[] }>(
          'GET',
          '/acme/_apis/hooks/subscriptions?eventType=workitem.updated',
        )
      ).json.count,
    ).toBe(1);
    expect(
      (await ado<{ count: number }>('GET', '/acme/_apis/hooks/subscriptions?eventType=workitem.created')).json.count,
    ).toBe(0);
    expect((await ado<SubscriptionJson>('GET', `/acme/_apis/hooks/subscriptions/${s.id}`)).json.id).toBe(s.id);
    const replaced = await ado<SubscriptionJson>('PUT', `/acme/_apis/hooks/subscriptions/${s.id}`, {
      publisherId: 'tfs',
      eventType: 'workitem.created',
      consumerId: 'webHooks',
      consumerActionId: 'httpRequest',
      publisherInputs: {},
      consumerInputs: { ...s.consumerInputs },
    });
    expect(replaced.json.eventType).toBe('workitem.created');
    expect(sim.store.subscriptions[0]!.consumerInputs.basicAuthPassword).toBe('hook-secret');
    expect((await ado('DELETE', `/acme/_apis/hooks/subscriptions/${s.id}`)).status).toBe(204);
    expect((await ado('GET', `/acme/_apis/hooks/subscriptions/${s.id}`)).status).toBe(404);
  });

  it('refuses other publishers, consumers, actions and a missing url', async () => {
    const base = {
      publisherId: 'tfs',
      eventType: 'workitem.created',
      consumerId: 'webHooks',
      consumerActionId: 'httpRequest',
      consumerInputs: { url: receiverUrl },
    };
    for (const bad of [
      { publisherId: 'rm' },
      { consumerId: 'slack' },
      { consumerActionId: 'post' },
      { consumerInputs: {} },
      { eventType: 'git.push' },
    ]) {
      expect((await ado<AdoErrorJson>('POST', '/acme/_apis/hooks/subscriptions', { ...base, ...bad })).status).toBe(
        400,
      );
    }
  });
});

describe('deliveries', () => {
  it('POSTs workitem.created in the real envelope, with Basic auth and the configured headers, asynchronously', async () => {
    const s = await subscribe('workitem.created');
    const res = await ado<{ id: number }>(
      'POST',
      `${P}/workitems/$Bug`,
      patch({ 'System.Title': 'Hooked', 'System.AssignedTo': 'dana@acme.example' }),
    );
    await settle();
    expect(received).toHaveLength(1);
    const { headers, body } = received[0]!;
    expect(headers.authorization).toBe(`Basic ${Buffer.from('crosswalk:hook-secret').toString('base64')}`);
    expect(headers['x-crosswalk-key']).toBe('k-123');
    expect(body).toMatchObject({
      subscriptionId: s.id,
      notificationId: 1,
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      eventType: 'workitem.created',
      publisherId: 'tfs',
      message: { text: `Bug #${res.json.id} (Hooked) created by Crosswalk Integration` },
      resourceVersion: '1.0',
      resourceContainers: {
        collection: { id: expect.any(String) },
        account: { id: expect.any(String) },
        project: { id: sim.store.org('acme')!.projects[0]!.id },
      },
      createdDate: '2026-11-24T09:00:00Z',
    });
    expect(body.resource).toMatchObject({
      id: res.json.id,
      rev: 1,
      url: `https://dev.azure.com/acme/_apis/wit/workItems/${res.json.id}`,
    });
    // Service hooks carry identities as "Name <email>" strings.
    expect(body.resource.fields).toMatchObject({
      'System.Title': 'Hooked',
      'System.AssignedTo': 'Dana Agent <dana@acme.example>',
      'System.ChangedBy': 'Crosswalk Integration <crosswalk@acme.example>',
      'System.Rev': 1,
    });
  });

  it('POSTs workitem.updated with the update number, workItemId, {oldValue,newValue}, revisedBy and the full revision', async () => {
    await subscribe('workitem.updated');
    clock += 1000;
    await ado('PATCH', `${P}/workitems/2`, patch({ 'System.State': 'Active' }));
    await settle();
    const r = received[0]!.body.resource as unknown as Record<string, unknown> & {
      revisedBy: Record<string, unknown>;
      fields: Record<string, unknown>;
      revision: { id: number; rev: number; fields: Record<string, unknown> };
    };
    expect(r).toMatchObject({
      id: 2,
      workItemId: 2,
      rev: 2,
      url: 'https://dev.azure.com/acme/_apis/wit/workItems/2/updates/2',
    });
    expect(r.revisedBy).toMatchObject({
      uniqueName: 'crosswalk@acme.example',
      name: 'Crosswalk Integration <crosswalk@acme.example>',
    });
    expect(r.fields['System.State']).toEqual({ oldValue: 'New', newValue: 'Active' });
    expect(r.fields['System.Rev']).toEqual({ oldValue: 1, newValue: 2 });
    // Echo detection reads who changed it: Dana created the item, the integration changed it.
    expect(r.fields['System.ChangedBy']).toEqual({
      oldValue: 'Dana Agent <dana@acme.example>',
      newValue: 'Crosswalk Integration <crosswalk@acme.example>',
    });
    expect(r.revision).toMatchObject({
      id: 2,
      rev: 2,
      fields: { 'System.State': 'Active', 'System.Reason': 'Implementation started' },
    });
  });

  it('POSTs workitem.commented (with System.History and commentVersionRef) and workitem.deleted', async () => {
    await subscribe('workitem.commented');
    await subscribe('workitem.deleted');
    const c = await ado<{ id: number }>('POST', `${P}/workItems/1/comments?${PREVIEW}`, { text: '<p>On it</p>' });
    await ado('DELETE', `${P}/workitems/2`);
    await settle();
    const commented = received.find((x) => x.body.eventType === 'workitem.commented')!.body;
    expect(commented.resource.fields['System.History']).toBe('<p>On it</p>');
    expect(commented.resource.commentVersionRef).toEqual({
      commentId: c.json.id,
      version: 1,
      url: `https://dev.azure.com/acme/${sim.store.org('acme')!.projects[0]!.id}/_apis/wit/workItems/1/comments/${c.json.id}/versions/1`,
    });
    const deleted = received.find((x) => x.body.eventType === 'workitem.deleted')!.body;
    expect(deleted.resource).toMatchObject({ id: 2, url: 'https://dev.azure.com/acme/_apis/wit/recyclebin/2' });
  });

  it('filters by work item type, area path and changed fields; suppressNotifications sends nothing', async () => {
    await subscribe('workitem.updated', { publisherInputs: { workItemType: 'Bug', changedFields: 'System.State' } });
    await ado('PATCH', `${P}/workitems/2`, patch({ 'System.State': 'Active' }));
    await ado('PATCH', `${P}/workitems/1`, patch({ 'System.Title': 'Title only' }));
    await ado('PATCH', `${P}/workitems/1?suppressNotifications=true`, patch({ 'System.State': 'Resolved' }));
    await ado('PATCH', `${P}/workitems/1`, patch({ 'System.State': 'Closed' }));
    await settle();
    expect(
      received.map((x) => [
        x.body.resource.workItemId,
        (x.body.resource.fields['System.State'] as { newValue: string }).newValue,
      ]),
    ).toEqual([[1, 'Closed']]);
  });

  it('carries a server container for Server collections', async () => {
    const server = azureDevOpsClient(sim, DEMO_CREDENTIALS.integration.pat, {
      host: 'tfs.acme.local',
      apiVersion: '7.0',
    });
    await server('POST', '/DefaultCollection/_apis/hooks/subscriptions', {
      publisherId: 'tfs',
      eventType: 'workitem.created',
      consumerId: 'webHooks',
      consumerActionId: 'httpRequest',
      consumerInputs: { url: receiverUrl },
    });
    await server(
      'POST',
      '/DefaultCollection/Operations/_apis/wit/workitems/$Task',
      patch({ 'System.Title': 'On prem' }),
    );
    await settle();
    expect(received[0]!.body.resourceContainers).toMatchObject({
      collection: { baseUrl: 'https://tfs.acme.local/DefaultCollection/' },
      server: { baseUrl: 'https://tfs.acme.local/' },
    });
    expect(received[0]!.headers.authorization).toBeUndefined();
  });

  it('retries a failing receiver three times', async () => {
    await subscribe('workitem.updated');
    receiverStatus = 503;
    await ado('PATCH', `${P}/workitems/2`, patch({ 'System.Title': 'Retry me' }));
    await settle();
    expect(received).toHaveLength(3);
    expect(sim.notifier.sent[0]).toMatchObject({ status: 503, attempts: 3 });
  });
});

describe('delivery control', () => {
  it('pauses (queued but not busy, so a sandbox can settle), then flushes in order', async () => {
    await subscribe('workitem.updated');
    await control('PUT', '/hooks', { paused: true });
    await ado('PATCH', `${P}/workitems/2`, patch({ 'System.Title': 'One' }));
    await ado('PATCH', `${P}/workitems/2`, patch({ 'System.Title': 'Two' }));
    await settle();
    expect(received).toHaveLength(0);
    expect(sim.notifier.busy).toBe(false);
    expect(sim.notifier.queue).toHaveLength(2);
    await control('POST', '/hooks/flush');
    expect(received.map((r) => r.body.notificationId)).toEqual([1, 2]);
  });

  it('loses and duplicates deliveries on demand', async () => {
    await subscribe('workitem.updated');
    await control('PUT', '/hooks', { lose: 1, duplicate: true });
    await ado('PATCH', `${P}/workitems/2`, patch({ 'System.Title': 'Lost twice over' }));
    await settle();
    // The duplicate of a lost delivery is still sent.
    expect(received).toHaveLength(1);
    expect(sim.notifier.sent.map((d) => d.status)).toEqual(['lost', 200]);
    await ado('PATCH', `${P}/workitems/2`, patch({ 'System.Title': 'Twice' }));
    await settle();
    expect(received.slice(1).map((r) => r.body.id)).toEqual([received[1]!.body.id, received[1]!.body.id]);
  });

  it('sends forged (wrong secret) and stale (old or replayed) deliveries', async () => {
    await subscribe('workitem.updated');
    await ado('PATCH', `${P}/workitems/2`, patch({ 'System.Title': 'Original' }));
    await settle();
    const forged = await control<{ status: number }>('POST', '/hooks/send', { workItemId: 2, forged: true });
    expect(forged.status).toBe(200);
    expect(received[1]!.headers.authorization).toBe(
      `Basic ${Buffer.from('crosswalk:not-the-password').toString('base64')}`,
    );
    expect(received[1]!.headers['x-crosswalk-key']).toBe('forged-value');
    clock += 3_600_000;
    await ado('PATCH', `${P}/workitems/2`, patch({ 'System.Title': 'Newer' }));
    await settle();
    await control('POST', '/hooks/send', { replayNotificationId: 1 });
    const replay = received[received.length - 1]!.body;
    expect(replay.notificationId).toBe(1);
    expect((replay.resource.fields['System.Title'] as { newValue: string }).newValue).toBe('Original');
    await control('POST', '/hooks/send', { workItemId: 2, ageSeconds: 7200 });
    expect(received[received.length - 1]!.body.createdDate).toBe('2026-11-24T08:00:00Z');
  });
});
