/**
 * Parent and child links as Azure DevOps keeps them: a `Hierarchy-Reverse`
 * relation on the child is a `Hierarchy-Forward` one on its parent, both items
 * get a revision (and their service hooks fire), one parent at most (TF201036),
 * no loops, and a relation is removed by its index. Microsoft's own client
 * writes and reads them too.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { getPersonalAccessTokenHandler, WebApi } from 'azure-devops-node-api';
import { WorkItemExpand } from 'azure-devops-node-api/interfaces/WorkItemTrackingInterfaces';
import { DEMO_CREDENTIALS, startAzureDevOpsSim, type AzureDevOpsSim } from './index';
import { azureDevOpsClient, patch, type AdoErrorJson, type WorkItemJson } from './test-client';

let sim: AzureDevOpsSim;
let ado: ReturnType<typeof azureDevOpsClient>;
const P = '/acme/Operations/_apis/wit';
const itemUrl = (id: number) => `https://dev.azure.com/acme/_apis/wit/workItems/${id}`;

interface Hook {
  eventType: string;
  resource: { workItemId: number; rev: number; relations?: { added?: unknown[]; removed?: unknown[] } };
}
let received: Hook[] = [];
let receiver: http.Server;
let receiverUrl = '';

beforeAll(async () => {
  sim = await startAzureDevOpsSim();
  ado = azureDevOpsClient(sim, DEMO_CREDENTIALS.integration.pat);
  receiver = http.createServer((req, res) => {
    let data = '';
    req.on('data', (d: Buffer) => (data += d.toString('utf8')));
    req.on('end', () => {
      received.push(JSON.parse(data) as Hook);
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
  received = [];
  await fetch(`${sim.controlUrl}/reset`, { method: 'POST' });
});

const create = async (type: string, title: string) => {
  const res = await ado<WorkItemJson>(
    'POST',
    `${P}/workitems/$${encodeURIComponent(type)}`,
    patch({ 'System.Title': title }),
  );
  expect(res.status).toBe(200);
  return res.json;
};
const read = async (id: number) => (await ado<WorkItemJson>('GET', `${P}/workitems/${id}?$expand=relations`)).json;
const update = (id: number, ops: unknown[]) => ado<WorkItemJson & AdoErrorJson>('PATCH', `${P}/workitems/${id}`, ops);
const link = (rel: string, to: number) => ({
  op: 'add',
  path: '/relations/-',
  value: { rel, url: itemUrl(to), attributes: { comment: 'decomposition of work' } },
});
const PARENT = 'System.LinkTypes.Hierarchy-Reverse';
const CHILD = 'System.LinkTypes.Hierarchy-Forward';

describe('parent and child links', () => {
  it('keeps a Parent link on the child as a Child link on the parent, each with a new revision', async () => {
    const story = await create('User Story', 'Payments');
    const task = await create('Task', 'Pay by card');
    const res = await update(task.id, [{ op: 'test', path: '/rev', value: task.rev }, link(PARENT, story.id)]);
    expect(res.status).toBe(200);
    expect(res.json.rev).toBe(task.rev + 1);
    expect(res.json.relations).toEqual([
      {
        rel: PARENT,
        url: itemUrl(story.id),
        attributes: { comment: 'decomposition of work', isLocked: false, name: 'Parent' },
      },
    ]);
    const parent = await read(story.id);
    expect(parent.rev).toBe(story.rev + 1);
    expect(parent.relations).toEqual([
      { rel: CHILD, url: itemUrl(task.id), attributes: { isLocked: false, name: 'Child' } },
    ]);
    // Both histories say what was added.
    const updates = async (id: number) =>
      (
        await ado<{ value: Array<{ rev: number; relations?: { added?: unknown[]; removed?: unknown[] } }> }>(
          'GET',
          `${P}/workitems/${id}/updates`,
        )
      ).json.value;
    expect((await updates(task.id)).at(-1)!.relations?.added).toHaveLength(1);
    expect((await updates(story.id)).at(-1)).toMatchObject({ rev: parent.rev, relations: { added: [{ rel: CHILD }] } });
  });

  it('takes the link from the parent side too (Hierarchy-Forward), writing the child its Parent link', async () => {
    const story = await create('User Story', 'Payments');
    const task = await create('Task', 'Pay by card');
    expect((await update(story.id, [link(CHILD, task.id)])).status).toBe(200);
    expect((await read(task.id)).relations).toEqual([
      { rel: PARENT, url: itemUrl(story.id), attributes: { isLocked: false, name: 'Parent' } },
    ]);
  });

  it('writes the other end of a link made at create, and none for a validateOnly patch', async () => {
    const story = await create('User Story', 'Payments');
    const made = await ado<WorkItemJson>('POST', `${P}/workitems/$Task`, [
      ...patch({ 'System.Title': 'Pay by card' }),
      link(PARENT, story.id),
    ]);
    expect(made.status).toBe(200);
    expect((await read(story.id)).relations?.map((r) => [r.rel, r.url])).toEqual([[CHILD, itemUrl(made.json.id)]]);
    const other = await create('Task', 'Refunds');
    const checked = await ado<WorkItemJson>('PATCH', `${P}/workitems/${other.id}?validateOnly=true`, [
      link(PARENT, story.id),
    ]);
    expect(checked.status).toBe(200);
    expect((await read(story.id)).relations).toHaveLength(1);
  });

  it('refuses a second parent with TF201036, from either side, and changes nothing', async () => {
    const a = await create('User Story', 'A');
    const b = await create('User Story', 'B');
    const task = await create('Task', 'Pay by card');
    await update(task.id, [link(PARENT, a.id)]);
    const before = await read(task.id);
    const second = await update(task.id, [link(PARENT, b.id)]);
    expect(second.status).toBe(400);
    expect(second.json).toMatchObject({
      message: `TF201036: You cannot add a Child link between work items ${b.id} and ${task.id} because a work item can have only one Parent link.`,
      typeKey: 'WorkItemLinkInvalidException',
    });
    expect((await update(b.id, [link(CHILD, task.id)])).status).toBe(400);
    expect((await read(task.id)).rev).toBe(before.rev);
    expect((await read(b.id)).relations ?? []).toEqual([]);
  });

  it('refuses a link that makes a work item its own ancestor', async () => {
    const story = await create('User Story', 'Payments');
    const bug = await create('Bug', 'Cards');
    const task = await create('Task', 'Pay by card');
    await update(bug.id, [link(PARENT, story.id)]);
    await update(task.id, [link(PARENT, bug.id)]);
    const loop = await update(story.id, [link(PARENT, task.id)]);
    expect(loop.status).toBe(400);
    expect(loop.json.message).toMatch(/^TF201037: .*circular/);
  });

  it('moves a child to another parent in one patch: remove by index, then add', async () => {
    const a = await create('User Story', 'A');
    const b = await create('User Story', 'B');
    const task = await create('Task', 'Pay by card');
    const linked = await update(task.id, [link(PARENT, a.id)]);
    const moved = await update(task.id, [
      { op: 'test', path: '/rev', value: linked.json.rev },
      { op: 'remove', path: '/relations/0' },
      link(PARENT, b.id),
    ]);
    expect(moved.status).toBe(200);
    expect(moved.json.relations?.map((r) => r.url)).toEqual([itemUrl(b.id)]);
    expect((await read(a.id)).relations ?? []).toEqual([]);
    expect((await read(b.id)).relations?.map((r) => r.rel)).toEqual([CHILD]);
    // An index past the end is refused as the service does.
    expect((await update(task.id, [{ op: 'remove', path: '/relations/3' }])).status).toBe(400);
  });

  it('fires workitem.updated for both work items, each with the relation it gained or lost', async () => {
    const story = await create('User Story', 'Payments');
    const task = await create('Task', 'Pay by card');
    const sub = await ado('POST', '/acme/_apis/hooks/subscriptions', {
      publisherId: 'tfs',
      eventType: 'workitem.updated',
      resourceVersion: '1.0',
      consumerId: 'webHooks',
      consumerActionId: 'httpRequest',
      publisherInputs: { projectId: 'Operations' },
      consumerInputs: { url: receiverUrl },
    });
    expect(sub.status).toBe(200);
    await update(task.id, [link(PARENT, story.id)]);
    await update(task.id, [{ op: 'remove', path: '/relations/0' }]);
    await sim.notifier.idle();
    const seen = received.map((h) => ({
      id: h.resource.workItemId,
      added: h.resource.relations?.added?.length ?? 0,
      removed: h.resource.relations?.removed?.length ?? 0,
    }));
    expect(seen).toEqual([
      { id: task.id, added: 1, removed: 0 },
      { id: story.id, added: 1, removed: 0 },
      { id: task.id, added: 0, removed: 1 },
      { id: story.id, added: 0, removed: 1 },
    ]);
  });
});

describe('the work item page', () => {
  it('lists the parent and the children, as the form’s Related Work does', async () => {
    const story = await create('User Story', 'Payments');
    const task = await create('Task', 'Pay by card');
    await update(task.id, [link(PARENT, story.id)]);
    const page = async (id: number) => (await fetch(`${sim.baseUrl}/acme/Operations/_workitems/edit/${id}`)).text();
    expect(await page(task.id)).toMatch(new RegExp(`Parent</dt>\\s*<dd>#${story.id}<`));
    expect(await page(story.id)).toMatch(new RegExp(`Children</dt>\\s*<dd>#${task.id}<`));
  });
});

describe('azure-devops-node-api', () => {
  it('adds a parent with updateWorkItem and reads it back with getWorkItem(expand Relations)', async () => {
    const story = await create('User Story', 'Payments');
    const task = await create('Task', 'Pay by card');
    const api = new WebApi(`${sim.baseUrl}/acme`, getPersonalAccessTokenHandler(DEMO_CREDENTIALS.integration.pat));
    const wit = await api.getWorkItemTrackingApi();
    const written = await wit.updateWorkItem(
      null,
      [
        {
          op: 'add',
          path: '/relations/-',
          value: { rel: PARENT, url: `${sim.baseUrl}/acme/_apis/wit/workItems/${story.id}` },
        },
      ],
      task.id,
      'Operations',
    );
    expect(written.relations?.[0]?.rel).toBe(PARENT);
    const parent = await wit.getWorkItem(story.id, undefined, undefined, WorkItemExpand.Relations, 'Operations');
    expect(parent.relations?.map((r) => [r.rel, r.url?.replace(/.*\//, '')])).toEqual([[CHILD, String(task.id)]]);
  });
});
