/**
 * The connector against the Azure DevOps simulator directly (no platform): the
 * behaviours the engine relies on, each in isolation.
 */
import { DEMO_CREDENTIALS, startAzureDevOpsSim, type AzureDevOpsSim } from '../../../sandbox/sims/azure-devops';
import { azureDevOpsClient, patch } from '../../../sandbox/sims/azure-devops/test-client';
import { SyncError } from '../errors';
import type { Connector } from '../ports';
import { AzureDevOpsConnector, type AzureDevOpsConnection } from './client';
import { syncFailure } from '../../../test/support/sync-error';

let sim: AzureDevOpsSim;
beforeAll(async () => {
  sim = await startAzureDevOpsSim();
});
afterAll(() => sim.stop());
beforeEach(() => fetch(`${sim.controlUrl}/reset`, { method: 'POST' }));

/** https://dev.azure.com/… reaches the simulator, as the platform's egress routes it. */
const viaSim: typeof fetch = async (input, init) => {
  const u = new URL(String(input));
  const headers = new Headers(init?.headers);
  headers.set('x-forwarded-host', u.host);
  return fetch(`${sim.baseUrl}${u.pathname}${u.search}`, { ...init, headers });
};
const connector = (over: Partial<AzureDevOpsConnection> = {}) =>
  new AzureDevOpsConnector({
    baseUrl: 'https://dev.azure.com/acme',
    project: 'Operations',
    workItemType: 'Bug',
    pat: DEMO_CREDENTIALS.integration.pat,
    user: DEMO_CREDENTIALS.integration.uniqueName,
    fetch: viaSim,
    ...over,
  });
const dana = () => azureDevOpsClient(sim, DEMO_CREDENTIALS.agent.pat);
const control = (path: string, body: unknown, method = 'PUT') =>
  fetch(`${sim.controlUrl}${path}`, { method, body: JSON.stringify(body) });
const failure = syncFailure;

describe('the Azure DevOps connector', () => {
  it('offers no search of people (the Identities API is on vssps.dev.azure.com, which the connection does not reach), and declares so', () => {
    const ado: Connector = connector();
    expect(ado.users?.search).toBeUndefined();
    expect(ado.capabilities.userSearch).toBeFalsy();
  });

  it('tests what the sync needs: the work item type, WIQL for the sweep, and the service hooks', async () => {
    const tested = await connector().testConnection();
    expect(tested.ok && tested.checks.map((c) => [c.what.split(',')[0], c.ok, c.required])).toEqual([
      ['Read the Bug work item type and its states', true, true],
      ['Query work items changed lately (WIQL)', true, true],
      ['List service hooks', true, true],
    ]);
  });

  it('describes the work item type: reference names, kinds, read-only fields, allowed values and the states in workflow order', async () => {
    await control(
      '/fields',
      { referenceName: 'Custom.Team', name: 'Team', type: 'string', allowedValues: ['Payments', 'Platform'] },
      'POST',
    );
    const fields = await connector().describeFields();
    const byId = new Map(fields.map((f) => [f.id, f]));
    expect(byId.get('System.Title')).toEqual({ id: 'System.Title', name: 'Title', kind: 'text' });
    expect(byId.get('System.Description')).toMatchObject({ kind: 'rich-text' });
    expect(byId.get('System.State')).toMatchObject({
      kind: 'choice',
      values: ['New', 'Active', 'Resolved', 'Closed'].map((s) => ({ value: s, label: s })),
    });
    expect(byId.get('Microsoft.VSTS.Common.Priority')).toMatchObject({
      kind: 'choice',
      values: ['1', '2', '3', '4'].map((v) => ({ value: v, label: v })),
    });
    expect(byId.get('System.AssignedTo')).toMatchObject({ kind: 'user' });
    expect(byId.get('System.Tags')).toMatchObject({ kind: 'list' });
    expect(byId.get('System.ChangedDate')).toMatchObject({ kind: 'date-time', readOnly: true });
    // Area and iteration paths stay paths, listing the project's nodes as a work item names them.
    expect(byId.get('System.AreaPath')).toMatchObject({
      kind: 'path',
      values: ['Operations', 'Operations\\Support'].map((v) => ({ value: v, label: v })),
    });
    expect(byId.get('System.IterationPath')?.values?.map((v) => v.value)).toEqual([
      'Operations',
      'Operations\\Sprint 1',
      'Operations\\Sprint 2',
    ]);
    expect(byId.get('Custom.Team')).toMatchObject({
      name: 'Team',
      kind: 'choice',
      values: [
        { value: 'Payments', label: 'Payments' },
        { value: 'Platform', label: 'Platform' },
      ],
    });
    // Another type has its own states.
    const story = await connector({ workItemType: 'User Story' }).describeFields();
    expect(story.find((f) => f.id === 'System.State')?.values?.map((v) => v.value)).toEqual([
      'New',
      'Active',
      'Resolved',
      'Closed',
      'Removed',
    ]);
    // A type the project does not have is a failure, not an empty list.
    await expect(connector({ workItemType: 'Nope' }).describeFields()).rejects.toBeInstanceOf(SyncError);
  });

  it('refuses a write made against a stale revision (412 → conflict) and applies none of it', async () => {
    const c = connector();
    const made = await c.createItem({ 'System.Title': 'Original' }, 'crosswalk:ops-azure-devops:10001');
    await dana()(
      'PATCH',
      `/acme/Operations/_apis/wit/workitems/${made.id}`,
      patch({ 'System.Title': 'Changed by Dana' }),
    );
    const e = await failure(
      c.updateItem(made.id, { 'System.Title': 'From Jira', 'Microsoft.VSTS.Common.Priority': '1' }, made.version),
    );
    expect(e).toMatchObject({ kind: 'conflict', details: { httpStatus: 412 } });
    expect((await c.getItem(made.id))!.fields).toMatchObject({
      'System.Title': 'Changed by Dana',
      'Microsoft.VSTS.Common.Priority': 2,
    });
  });

  it('finds what it created by its marker, which never shows in the tags it reports, and keeps the marker on tag writes', async () => {
    const c = connector();
    const made = await c.createItem(
      { 'System.Title': 'Tagged', 'System.Tags': 'db; prod' },
      'crosswalk:1a2b3c4d:ops-azure-devops:10002',
    );
    expect(made).toMatchObject({
      correlationId: 'crosswalk:1a2b3c4d:ops-azure-devops:10002',
      fields: { 'System.Tags': 'db; prod' },
    });
    expect((await c.findByCorrelation('crosswalk:1a2b3c4d:ops-azure-devops:10002'))?.id).toBe(made.id);
    // A hostile value stays one literal: it matches nothing instead of everything.
    expect(await c.findByCorrelation("x' OR [System.Id] > '0")).toBeUndefined();
    const after = await connector().updateItem(made.id, { 'System.Tags': 'db' }, made.version);
    expect(after.fields['System.Tags']).toBe('db');
    expect(String(sim.store.items(sim.store.org('acme')!).get(Number(made.id))!.fields['System.Tags'])).toBe(
      'crosswalk:1a2b3c4d:ops-azure-devops:10002; db',
    );
  });

  it('names the valid states when the process refuses a state', async () => {
    const c = connector();
    const made = await c.createItem({ 'System.Title': 'Stateful' }, 'crosswalk:ops-azure-devops:10003');
    const e = await failure(c.updateItem(made.id, { 'System.State': 'Waiting for customer' }, made.version));
    expect(e).toMatchObject({ kind: 'validation', details: { field: 'System.State' } });
    expect(e.message).toContain('States of Bug: New, Active, Resolved, Closed');
  });

  it('treats the sign-in page (203 or a redirect to it) as an auth failure, never following it', async () => {
    const c = connector({ pat: 'not-a-pat' });
    for (const mode of ['203', '302']) {
      await control('/sign-in-page', { on: true, mode });
      expect(await failure(c.getItem('1'))).toMatchObject({
        kind: 'auth',
        message: expect.stringContaining('sign-in page'),
      });
    }
    // Elsewhere the same PAT gets the service's 401.
    expect(await failure(c.listComments('1'))).toMatchObject({ kind: 'auth', details: { httpStatus: 401 } });
  });

  it('pauses after a delayed answer until its Retry-After, and reports a block (429) as rate-limited with the window', async () => {
    const pat = 'ratelimitedpat000000000000000000000000000000000000000';
    await fetch(`${sim.controlUrl}/identities`, {
      method: 'POST',
      body: JSON.stringify({ displayName: 'Throttled', uniqueName: 'throttled@acme.example', pat }),
    });
    await control('/rate-limit', {
      enabled: true,
      windowSeconds: 300,
      limit: 3,
      delayThreshold: 1,
      headersFrom: 0,
      costPerRequest: 1,
    });
    const c = connector({ pat, user: 'throttled@acme.example' });
    expect(await c.getItem('1')).toBeDefined();
    // The second answer is delayed (200 with X-RateLimit-Delay): it counts, and the next call waits instead of going out.
    expect(await c.getItem('2')).toBeDefined();
    const before = ((await (await fetch(`${sim.controlUrl}/requests`)).json()) as unknown[]).length;
    const paused = await failure(c.getItem('1'));
    expect(paused.kind).toBe('rate-limited');
    expect(paused.details.retryAfterMs).toBeGreaterThan(0);
    expect(((await (await fetch(`${sim.controlUrl}/requests`)).json()) as unknown[]).length).toBe(before);
  });

  it('reports a block (429) as rate-limited with the Retry-After window', async () => {
    const pat = 'blockedpat0000000000000000000000000000000000000000000';
    await fetch(`${sim.controlUrl}/identities`, {
      method: 'POST',
      body: JSON.stringify({ displayName: 'Blocked', uniqueName: 'blocked@acme.example', pat }),
    });
    // No delay band: the third request in the window is blocked outright.
    await control('/rate-limit', {
      enabled: true,
      windowSeconds: 300,
      limit: 2,
      delayThreshold: 2,
      headersFrom: 0,
      costPerRequest: 1,
    });
    const c = connector({ pat, user: 'blocked@acme.example' });
    await c.getItem('1');
    await c.getItem('2');
    const blocked = await failure(c.getItem('1'));
    expect(blocked).toMatchObject({ kind: 'rate-limited', details: { httpStatus: 429 } });
    expect(blocked.details.retryAfterMs).toBeGreaterThan(0);
  });

  it('gives up on a request that hangs, as a transient failure', async () => {
    await control('/faults', { method: 'GET', path: '/_apis/wit/workitems/1', delayMs: 400, times: 1 }, 'POST');
    expect(await failure(connector({ timeoutMs: 100 }).getItem('1'))).toMatchObject({
      kind: 'transient',
      message: expect.stringContaining('no answer within 0.1 s'),
    });
  });

  it('uploads large files in chunks and attaches them as its own copies', async () => {
    const c = connector({ chunkedAbove: 1000, chunkBytes: 400 });
    const made = await c.createItem({ 'System.Title': 'Files' }, 'crosswalk:ops-azure-devops:10004');
    const bytes = Buffer.alloc(1500);
    for (let i = 0; i < bytes.length; i++) bytes[i] = i % 251;
    const stream = new ReadableStream<Uint8Array>({
      start(ctrl) {
        for (let i = 0; i < bytes.length; i += 333) ctrl.enqueue(new Uint8Array(bytes.subarray(i, i + 333)));
        ctrl.close();
      },
    });
    const up = await c.uploadAttachment(made.id, {
      fileName: 'trace.bin',
      contentType: 'application/octet-stream',
      size: bytes.length,
      body: stream,
    });
    const requests = (await (await fetch(`${sim.controlUrl}/requests`)).json()) as Array<{
      method: string;
      path: string;
    }>;
    expect(requests.filter((r) => r.method === 'PUT' && r.path.includes('/attachments/'))).toHaveLength(4);
    expect(await c.listAttachments(made.id)).toEqual([
      expect.objectContaining({ id: up.id, fileName: 'trace.bin', size: 1500, authorId: 'crosswalk@acme.example' }),
    ]);
    const down = await c.downloadAttachment(made.id, up.id);
    expect(Buffer.from(await new Response(down.body).arrayBuffer()).equals(bytes)).toBe(true);
  });

  it('reads which fields people changed since a time from the updates, leaving out its own writes (a change and its undo included)', async () => {
    const c = connector();
    const made = await c.createItem({ 'System.Title': 'History' }, 'crosswalk:test:conn:1');
    await new Promise((r) => setTimeout(r, 5));
    for (const priority of [3, 2])
      expect(
        (
          await dana()(
            'PATCH',
            `/acme/Operations/_apis/wit/workitems/${made.id}`,
            patch({ 'Microsoft.VSTS.Common.Priority': priority }),
          )
        ).status,
      ).toBe(200);
    await c.updateItem(made.id, { 'System.Title': 'History, renamed by Crosswalk' });
    const changed = await c.fieldChangesSince(made.id, made.updatedAt);
    expect(changed.get('Microsoft.VSTS.Common.Priority')).toBeGreaterThan(made.updatedAt);
    expect(changed.has('System.Title')).toBe(false);
    expect((await c.fieldChangesSince(made.id, Date.now() + 60_000)).size).toBe(0);
  });

  it('lists changed items oldest first in pages, each exactly once', async () => {
    const since = Date.now() - 1000;
    await fetch(`${sim.controlUrl}/work-items`, {
      method: 'POST',
      body: JSON.stringify({ count: 450, title: 'Seeded' }),
    });
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await connector().listChanged(since, cursor);
      seen.push(...page.items.map((i) => i.id));
      expect(page.items.map((i) => i.updatedAt)).toEqual([...page.items.map((i) => i.updatedAt)].sort((a, b) => a - b));
      cursor = page.cursor;
      pages++;
    } while (cursor && pages < 10);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.length).toBeGreaterThanOrEqual(450);
    expect(pages).toBeGreaterThanOrEqual(3);
  });

  it('copies comments as HTML, public only, and knows its own', async () => {
    const c = connector();
    const made = await c.createItem({ 'System.Title': 'Talk' }, 'crosswalk:ops-azure-devops:10005');
    await c.addComment(made.id, { body: '<p>From Jira</p>', visibility: 'public' });
    await dana()(
      'POST',
      `/acme/Operations/_apis/wit/workItems/${made.id}/comments?api-version=7.1-preview.4`,
      { text: '**From Dana**' },
      {},
    );
    expect(await failure(c.addComment(made.id, { body: 'secret', visibility: 'internal' }))).toMatchObject({
      kind: 'validation',
    });
    const comments = await c.listComments(made.id);
    expect(comments.map((x) => [x.author.id, x.body])).toEqual([
      ['crosswalk@acme.example', '<p>From Jira</p>'],
      ['dana@acme.example', '**From Dana**'],
    ]);
    const edited = await c.updateComment(made.id, comments[0]!.id, '<p>From Jira (edited)</p>');
    expect(edited.body).toBe('<p>From Jira (edited)</p>');
    await c.deleteComment(made.id, comments[0]!.id);
    expect((await c.listComments(made.id)).map((x) => x.id)).toEqual([comments[1]!.id]);
  });

  it('searches work items of its project and type by id or by words of the title, newest first', async () => {
    const c = connector();
    const a = await c.createItem({ 'System.Title': 'Login page times out' }, 'crosswalk:ops-azure-devops:20001');
    const b = await c.createItem(
      { 'System.Title': "Login fails with a quote ' in the name" },
      'crosswalk:ops-azure-devops:20002',
    );
    const found = await c.searchItems('login', 5);
    expect(found.map((f) => f.id)).toEqual([b.id, a.id]);
    expect(found[1]).toMatchObject({ displayKey: `Bug ${a.id}`, title: 'Login page times out', status: 'New' });
    expect((await c.searchItems(`#${a.id}`, 5)).map((f) => f.id)).toEqual([a.id]);
    expect((await c.searchItems(`Bug ${a.id}`, 5)).map((f) => f.id)).toEqual([a.id]);
    expect((await c.searchItems("quote ' in", 5)).map((f) => f.id)).toEqual([b.id]);
    expect(await c.searchItems('nothing like this', 5)).toEqual([]);
  });

  it('names a work item as Azure DevOps does, by its type and number ("Bug 4"), with its title, and finds it by that name', async () => {
    const c = connector();
    const made = await c.createItem({ 'System.Title': 'Error 1 on checkout' }, 'crosswalk:ops-azure-devops:20003');
    expect(made.displayKey).toBe(`Bug ${made.id}`);
    expect(c.titleOf(made)).toBe('Error 1 on checkout');
    for (const key of [`Bug ${made.id}`, made.id, `#${made.id}`, made.url])
      expect((await c.findByDisplayKey(key))?.id).toBe(made.id);
    // Words that end in a number are words, not another type's item: they search titles.
    expect((await c.searchItems('Error 1', 5)).map((f) => f.id)).toEqual([made.id]);
  });
});
