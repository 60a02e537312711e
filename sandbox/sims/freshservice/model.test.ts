/**
 * The model adapter against the real simulator: what a person does through it lands in Freshservice as the
 * adapter says, and reads back in Jira's terms. The platform and Jira are stand-ins here (only what `setup`
 * asks of them); the harness itself runs the adapter in the sandbox (test/model).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Sandbox } from '../../sandbox';
import { DEMO_CREDENTIALS, startFreshserviceSim, type FreshserviceSim } from './index';
import { freshserviceAdapter, ITS_CONNECTION_ID } from './model';
import { freshserviceClient } from './test-client';

let sim: FreshserviceSim;
let receiver: Server;
let received: Array<{ secret: string | undefined; body: string }>;
let saved: Array<{ payload: { connectionId: string; settings: { remoteFilter: unknown[] } } }>;
const adapter = freshserviceAdapter();
const crosswalk = () => freshserviceClient(sim, { apiKey: DEMO_CREDENTIALS.integration.apiKey });

beforeAll(async () => {
  sim = await startFreshserviceSim({ now: () => Date.UTC(2026, 11, 7, 9, 0, 0) });
  received = [];
  saved = [];
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      received.push({ secret: req.headers['x-crosswalk-secret'] as string | undefined, body });
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  const hook = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/remote-webhook`;
  // Only what setup reads of the sandbox: the simulator by kind, the project lead, the resolver and the trigger URL.
  const world = {
    remotes: { freshservice: sim },
    installationId: 'installation-1',
    jira: {
      site: {
        state: {
          users: [{ role: 'project-lead', accountId: 'lead-1' }],
          projects: [{ key: 'ITS', id: '10004' }],
        },
      },
    },
    platform: {
      invokeResolver: (call: (typeof saved)[number]) => {
        saved.push(call);
        return Promise.resolve({ ok: true, body: { ok: true } });
      },
      webTriggerUrl: () => hook,
    },
  };
  await adapter.setup(world as unknown as Sandbox);
});
afterAll(async () => {
  await sim.stop();
  await new Promise<void>((r) => receiver.close(() => r()));
});

it('saves the connection for the model group only, and adds the automator rule with the secret header', async () => {
  expect(saved).toHaveLength(1);
  expect(saved[0]!.payload.connectionId).toBe(ITS_CONNECTION_ID);
  const model = sim.store.groups.find((g) => g.name === 'Model')!;
  expect(saved[0]!.payload.settings.remoteFilter).toEqual([{ field: 'group_id', op: '=', value: String(model.id) }]);
  const rules = (await (await fetch(`${sim.controlUrl}/automator`)).json()) as {
    rules: Array<{ url: string; headers: Record<string, string> }>;
  };
  expect(rules.rules).toEqual([
    expect.objectContaining({
      url: expect.stringMatching(/\/remote-webhook\/freshservice\/its-freshservice$/),
      headers: { 'X-Crosswalk-Secret': expect.any(String) },
    }),
  ]);
});

it('creates as a person in the model group and reads back in Jira terms', async () => {
  const id = await adapter.create('Badge reader offline');
  expect(adapter.read(id)).toEqual({
    id,
    summary: 'Badge reader offline',
    status: 'To Do',
    priority: 'Medium',
    labels: '',
    comments: [],
    files: [],
  });
  expect(adapter.field(id, 'type')).toBe('Incident');
  await adapter.edit(id, { status: 'In Review', priority: 'Highest', labels: 'door,Facilities' });
  expect(adapter.read(id)).toMatchObject({ status: 'In Review', priority: 'Highest', labels: 'door,facilities' });
  expect(adapter.field(id, 'status')).toBe('6');
  await adapter.edit(id, { status: 'Done' });
  expect(adapter.read(id).status).toBe('Done');
  expect(['4', '5']).toContain(adapter.field(id, 'status'));
});

it('writes internal comments as private notes and public ones as replies; files attach and delete', async () => {
  const id = await adapter.create('Projector flickers');
  await adapter.comment(id, 'Checked the cable', true);
  await adapter.comment(id, 'A technician is on the way', false);
  await adapter.attach(id, 'photo.txt', Buffer.from('a photo'));
  expect(adapter.read(id)).toMatchObject({
    comments: [
      { text: 'Checked the cable', internal: true },
      { text: 'A technician is on the way', internal: false },
    ],
    files: ['photo.txt'],
  });
  await adapter.deleteFile!(id, 'photo.txt');
  expect(adapter.read(id).files).toEqual([]);
});

it('holds the automator deliveries until told, and can lose or repeat them', async () => {
  await adapter.notifications.deliver();
  const before = received.length;
  const id = await adapter.create('Held delivery');
  await adapter.edit(id, { priority: 'Low' });
  expect(received.length).toBe(before);
  // Its creation and the edit.
  expect(adapter.notifications.lose()).toBe(2);
  await adapter.edit(id, { priority: 'High' });
  await adapter.notifications.deliver();
  expect(
    received.slice(before).map((r) => [r.secret !== undefined, (JSON.parse(r.body) as { event: string }).event]),
  ).toEqual([[true, 'ticket_updated']]);
  adapter.notifications.duplicateLast();
  await adapter.notifications.deliver();
  expect(received.at(-1)!.body).toBe(received.at(-2)!.body);
});

it('turns faults on and off for the integration only', async () => {
  await adapter.fault('bad-credentials', true);
  expect((await crosswalk()('GET', '/api/v2/tickets')).status).toBe(401);
  const id = await adapter.create('People keep working');
  await adapter.fault('bad-credentials', false);
  expect((await crosswalk()('GET', `/api/v2/tickets/${id}`)).status).toBe(200);
  await adapter.fault('rate-limit', true);
  const limited = await crosswalk()('GET', `/api/v2/tickets/${id}`);
  expect([limited.status, limited.headers.get('retry-after')]).toEqual([429, '30']);
  await adapter.fault('rate-limit', false);
  expect((await crosswalk()('GET', `/api/v2/tickets/${id}`)).status).toBe(200);
});

it("counts Crosswalk's own writes, not people's", async () => {
  const before = await adapter.writesByCrosswalk();
  const id = await adapter.create('Counted');
  expect(await adapter.writesByCrosswalk()).toBe(before);
  await crosswalk()('PUT', `/api/v2/tickets/${id}`, {
    custom_fields: { crosswalk_id: 'crosswalk:0123abcd:its-freshservice:10001' },
  });
  expect(await adapter.writesByCrosswalk()).toBe(before + 1);
  expect(adapter.remotesForIssue('10001')).toEqual([id]);
});
