/**
 * The connector's parent: read with the work item (its Hierarchy-Reverse
 * relation), written in one PATCH when it read the child itself, against the
 * Azure DevOps simulator.
 */
import { DEMO_CREDENTIALS, startAzureDevOpsSim, type AzureDevOpsSim } from '../../../sandbox/sims/azure-devops';
import { azureDevOpsClient, patch, type WorkItemJson } from '../../../sandbox/sims/azure-devops/test-client';
import { SyncError } from '../errors';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { AzureDevOpsConnector } from './client';
import { azureDevOpsSystem } from './system';
import { syncFailure } from '../../../test/support/sync-error';

let sim: AzureDevOpsSim;
beforeAll(async () => {
  sim = await startAzureDevOpsSim();
});
afterAll(() => sim.stop());
beforeEach(async () => {
  calls = [];
  await fetch(`${sim.controlUrl}/reset`, { method: 'POST' });
});

let calls: string[] = [];
/** https://dev.azure.com/… reaches the simulator, as the platform's egress routes it; each call is noted. */
const viaSim: typeof fetch = async (input, init) => {
  const u = new URL(String(input));
  calls.push(`${init?.method ?? 'GET'} ${u.pathname}`);
  const headers = new Headers(init?.headers);
  headers.set('x-forwarded-host', u.host);
  return fetch(`${sim.baseUrl}${u.pathname}${u.search}`, { ...init, headers });
};
const connector = () =>
  new AzureDevOpsConnector({
    baseUrl: 'https://dev.azure.com/acme',
    project: 'Operations',
    workItemType: 'Task',
    pat: DEMO_CREDENTIALS.integration.pat,
    user: DEMO_CREDENTIALS.integration.uniqueName,
    fetch: viaSim,
  });
const dana = () => azureDevOpsClient(sim, DEMO_CREDENTIALS.agent.pat);
const create = async (type: string, title: string) =>
  String(
    (
      await dana()<WorkItemJson>(
        'POST',
        `/acme/Operations/_apis/wit/workitems/$${type}`,
        patch({ 'System.Title': title }),
      )
    ).json.id,
  );
const relationsOf = async (id: string) =>
  (await dana()<WorkItemJson>('GET', `/acme/Operations/_apis/wit/workitems/${id}?$expand=relations`)).json.relations ??
  [];
const writes = () => calls.filter((c) => !c.startsWith('GET') && !c.includes('/_apis/wit/wiql'));
const failure = syncFailure;

describe('Azure DevOps hierarchy', () => {
  it('declares Parent links: one parent, nested, loops refused by the service', () => {
    const h = connector().hierarchy;
    expect(h.label).toBe('Parent');
    expect(h.field).toBeUndefined();
    expect(h.rules).toMatchObject({ oneParent: true, nested: true, refusesCycles: true });
  });

  it('reads the parent with the work item, in getItem and in a search, with no call of its own', async () => {
    const story = await create('User%20Story', 'Payments');
    const task = await create('Task', 'Pay by card');
    await dana()('PATCH', `/acme/Operations/_apis/wit/workitems/${task}`, [
      {
        op: 'add',
        path: '/relations/-',
        value: {
          rel: 'System.LinkTypes.Hierarchy-Reverse',
          url: `https://dev.azure.com/acme/_apis/wit/workItems/${story}`,
        },
      },
    ]);
    const ado = connector();
    const item = (await ado.getItem(task))!;
    expect(calls).toHaveLength(1);
    expect(ado.hierarchy.parentOf(item)).toBe(story);
    expect(ado.hierarchy.parentOf((await ado.getItem(story))!)).toBeUndefined();
    const [found] = await ado.searchItems('Pay by', 5);
    expect(ado.hierarchy.parentOf(found!)).toBe(story);
  });

  it('sets, moves and clears the parent, one PATCH each after its own read, answering the child as stored', async () => {
    const a = await create('User%20Story', 'A');
    const b = await create('User%20Story', 'B');
    const task = await create('Task', 'Pay by card');
    const ado = connector();
    const read = (await ado.getItem(task))!;
    calls = [];
    const linked = await ado.hierarchy.setParent(task, a, read.version);
    expect(writes()).toEqual([`PATCH /acme/Operations/_apis/wit/workitems/${task}`]);
    expect(calls).toHaveLength(1);
    expect(ado.hierarchy.parentOf(linked)).toBe(a);
    expect(Number(linked.version)).toBe(Number(read.version) + 1);
    expect((await relationsOf(a)).map((r) => [r.rel, r.url])).toEqual([
      ['System.LinkTypes.Hierarchy-Forward', `https://dev.azure.com/acme/_apis/wit/workItems/${task}`],
    ]);

    calls = [];
    const moved = await ado.hierarchy.setParent(task, b, linked.version);
    expect(calls).toHaveLength(1);
    expect(ado.hierarchy.parentOf(moved)).toBe(b);
    expect(await relationsOf(a)).toEqual([]);

    const cleared = await ado.hierarchy.setParent(task, undefined, moved.version);
    expect(ado.hierarchy.parentOf(cleared)).toBeUndefined();
    expect(await relationsOf(task)).toEqual([]);
  });

  it('reads the child first when it has not, and writes nothing when the parent is already that one', async () => {
    const story = await create('User%20Story', 'Payments');
    const task = await create('Task', 'Pay by card');
    const first = await connector().hierarchy.setParent(task, story);
    expect(calls.map((c) => c.split(' ')[0])).toEqual(['GET', 'PATCH']);
    calls = [];
    const again = await connector().hierarchy.setParent(task, story, first.version);
    expect(writes()).toEqual([]);
    expect(again.version).toBe(first.version);
  });

  it('knows the indexes its own writes left: a file added, then the parent set in one PATCH', async () => {
    const story = await create('User%20Story', 'Payments');
    const task = await create('Task', 'Pay by card');
    const ado = connector();
    await ado.getItem(task);
    const bytes = new TextEncoder().encode('receipt');
    await ado.uploadAttachment(task, { fileName: 'r.txt', contentType: 'text/plain', size: bytes.length, body: bytes });
    calls = [];
    const linked = await ado.hierarchy.setParent(task, story);
    expect(calls).toEqual([`PATCH /acme/Operations/_apis/wit/workitems/${task}`]);
    expect((await relationsOf(task)).map((r) => r.rel)).toEqual(['AttachedFile', 'System.LinkTypes.Hierarchy-Reverse']);
    expect(ado.hierarchy.parentOf(linked)).toBe(story);
  });

  it('refuses to write over a change since the version named, as a conflict, writing nothing', async () => {
    const story = await create('User%20Story', 'Payments');
    const task = await create('Task', 'Pay by card');
    const ado = connector();
    const read = (await ado.getItem(task))!;
    await dana()('PATCH', `/acme/Operations/_apis/wit/workitems/${task}`, patch({ 'System.Title': 'Changed' }));
    const e = await failure(ado.hierarchy.setParent(task, story, read.version));
    expect(e.kind).toBe('conflict');
    expect(await relationsOf(task)).toEqual([]);
  });

  it("reads again once when its own read went stale (someone else's write in between), then writes", async () => {
    const story = await create('User%20Story', 'Payments');
    const task = await create('Task', 'Pay by card');
    const ado = connector();
    await ado.getItem(task);
    await dana()('PATCH', `/acme/Operations/_apis/wit/workitems/${task}`, patch({ 'System.Title': 'Changed' }));
    const linked = await ado.hierarchy.setParent(task, story);
    expect(ado.hierarchy.parentOf(linked)).toBe(story);
    expect(linked.fields['System.Title']).toBe('Changed');
  });

  it("passes the service's refusal of a loop on as a validation failure in its own words", async () => {
    const story = await create('User%20Story', 'Payments');
    const task = await create('Task', 'Pay by card');
    const ado = connector();
    await ado.hierarchy.setParent(task, story);
    const e = await failure(ado.hierarchy.setParent(story, task));
    expect(e.kind).toBe('validation');
    expect(e.details.remoteMessage).toMatch(/TF201037/);
    expect(ado.hierarchy.refusal((await ado.getItem(task))!, (await ado.getItem(task))!)).toBe(
      'Task ' + task + ' cannot be its own parent',
    );
  });
});

describe('Azure DevOps hierarchy in service hooks', () => {
  it("shows the parent in an update's revision (null once removed), for both ends of the link", async () => {
    const bodies: string[] = [];
    const receiver = http.createServer((req, res) => {
      let data = '';
      req.on('data', (d: Buffer) => (data += d.toString('utf8')));
      req.on('end', () => {
        bodies.push(data);
        res.end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
    try {
      const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
      await dana()('POST', '/acme/_apis/hooks/subscriptions', {
        publisherId: 'tfs',
        eventType: 'workitem.updated',
        resourceVersion: '1.0',
        consumerId: 'webHooks',
        consumerActionId: 'httpRequest',
        publisherInputs: { projectId: 'Operations' },
        consumerInputs: { url },
      });
      const story = await create('User%20Story', 'Payments');
      const task = await create('Task', 'Pay by card');
      const ado = connector();
      const linked = await ado.hierarchy.setParent(task, story);
      await ado.hierarchy.setParent(task, undefined, linked.version);
      await sim.notifier.idle();
      const remote = {
        type: 'azure-devops' as const,
        baseUrl: 'https://dev.azure.com/acme',
        project: 'Operations',
        workItemType: 'Task',
        auth: { kind: 'pat' as const, user: DEMO_CREDENTIALS.integration.uniqueName },
      };
      const shown = bodies.map((b) => {
        const [ref] = azureDevOpsSystem.notifications.parse(b, remote) ?? [];
        return [ref?.remoteId, ref?.shows?.parent];
      });
      expect(shown).toEqual([
        [task, story],
        [story, null],
        [task, null],
        [story, null],
      ]);
    } finally {
      await new Promise((r) => receiver.close(r));
    }
  });
});

describe('Azure DevOps related links', () => {
  it('reads Related links with the work item, and adds and removes them in one PATCH, the other end written by the service', async () => {
    const a = await create('Task', 'A');
    const b = await create('Task', 'B');
    const c = await create('Task', 'C');
    const ado = connector();
    expect(ado.related.label).toBe('Related');
    const read = (await ado.getItem(a))!;
    expect(ado.related.relatedOf(read)).toEqual([]);
    calls = [];
    const linked = await ado.related.setRelated(a, [b, c], [], read.version);
    expect(calls).toHaveLength(1);
    expect(ado.related.relatedOf(linked)).toEqual([b, c]);
    expect(ado.related.relatedOf((await ado.getItem(b))!)).toEqual([a]);
    calls = [];
    // A link already there is left as it is; one removed, one added, in the same patch.
    const d = await create('Task', 'D');
    const changed = await ado.related.setRelated(a, [c, d], [b], linked.version);
    expect(writes()).toHaveLength(1);
    expect(ado.related.relatedOf(changed)).toEqual([c, d]);
    expect(ado.related.relatedOf((await ado.getItem(b))!)).toEqual([]);
    // Nothing to change: no write.
    calls = [];
    await ado.related.setRelated(a, [d], [b], changed.version);
    expect(writes()).toEqual([]);
    // A parent is no related item, and a related item no parent.
    expect(ado.hierarchy.parentOf(changed)).toBeUndefined();
  });
});
