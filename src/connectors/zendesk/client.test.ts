/**
 * The Zendesk connector's pure parts, and its wire behaviour against the
 * simulator directly (no platform): conditional writes, failures by kind,
 * timeouts, webhook verification.
 */
import { createHmac } from 'node:crypto';
import { DEMO_CREDENTIALS as ZD, startZendeskSim, type ZendeskSim } from '../../../sandbox/sims/zendesk';
import { zendeskClient } from '../../../sandbox/sims/zendesk/test-client';
import { SyncError } from '../errors';
import {
  pickCorrelated,
  ticketBody,
  ticketFields,
  ZendeskConnector,
  zendeskFailure,
  type ZendeskTicket,
} from './client';
import { INVOCATION_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, zendeskRemoteSchema, zendeskSystem } from './system';

const answer = (status: number, headers: Record<string, string> = {}) => ({
  status,
  ok: status < 300,
  headers: { get: (n: string) => headers[n.toLowerCase()] ?? null },
  text: async () => '',
});
const ticket = (over: Partial<ZendeskTicket>): ZendeskTicket =>
  ({
    id: 1,
    status: 'open',
    tags: [],
    custom_fields: [],
    followup_ids: [],
    updated_at: '2026-01-01T00:00:00Z',
    ...over,
  }) as ZendeskTicket;

describe('ticket bodies', () => {
  it('turn the engine values into Zendesk values: tags as an array, empty enums and people as null, custom fields by id', () => {
    expect(
      ticketBody({
        subject: 'S',
        tags: 'a b  c',
        priority: '',
        assignee_id: '',
        group_id: '42',
        custom_360001: 'x',
        custom_360002: '',
        description: '<p>never written</p>',
        unknown_key: 'dropped',
      }),
    ).toEqual({
      subject: 'S',
      tags: ['a', 'b', 'c'],
      priority: null,
      assignee_id: null,
      group_id: 42,
      custom_fields: [
        { id: 360001, value: 'x' },
        { id: 360002, value: null },
      ],
    });
  });

  it('read a ticket flat, with the description as HTML and custom fields as custom_<id>', () => {
    const fields = ticketFields(
      ticket({
        subject: 'Hi',
        description: 'a < b\n\nsecond',
        priority: null,
        assignee_id: 7,
        custom_fields: [
          { id: 5, value: 'v' },
          { id: 6, value: null },
        ],
      }),
    );
    expect(fields).toMatchObject({
      subject: 'Hi',
      description: '<p>a &lt; b</p><p>second</p>',
      priority: '',
      assignee_id: '7',
      requester_id: '',
      custom_5: 'v',
      custom_6: '',
    });
  });

  it('find the open ticket of a correlation id: a follow-up carries its closed source’s external id', () => {
    const tickets = [
      ticket({ id: 3, external_id: 'c', status: 'closed' }),
      ticket({ id: 9, external_id: 'c', status: 'open' }),
      ticket({ id: 12, external_id: 'other' }),
    ];
    expect(pickCorrelated(tickets, 'c')?.id).toBe(9);
    expect(pickCorrelated([tickets[0]!], 'c')?.id).toBe(3);
    expect(pickCorrelated(tickets, 'none')).toBeUndefined();
  });
});

describe('failures', () => {
  const closedBody = JSON.stringify({
    error: 'RecordInvalid',
    description: 'Record validation errors',
    details: { status: [{ description: 'Status: closed prevents ticket update' }] },
  });
  it.each([
    [
      409,
      JSON.stringify({ error: 'UpdateConflict', description: 'Safe Update prevented the update' }),
      { kind: 'conflict' },
    ],
    [429, '{}', { kind: 'rate-limited', retryAfterMs: 30_000 }],
    [503, '', { kind: 'transient' }],
    [401, JSON.stringify({ error: "Couldn't authenticate you" }), { kind: 'auth' }],
    [
      403,
      JSON.stringify({ error: 'Forbidden', description: 'You do not have access to this page.' }),
      { kind: 'auth' },
    ],
    [404, JSON.stringify({ error: 'RecordNotFound', description: 'Not found' }), { kind: 'not-found' }],
    [422, closedBody, { kind: 'validation', closed: true }],
    [
      422,
      JSON.stringify({
        error: 'RecordInvalid',
        details: { base: [{ description: 'Uploads: token abc is invalid or has expired' }] },
      }),
      { kind: 'transient' },
    ],
    [
      422,
      JSON.stringify({ error: 'RecordInvalid', details: { priority: [{ description: 'Priority: x is not valid' }] } }),
      { kind: 'validation', field: 'priority', remoteMessage: 'Priority: x is not valid' },
    ],
  ])('HTTP %i is a typed failure', (status, body, expected) => {
    const e = zendeskFailure(answer(status, { 'retry-after': '30' }), body, 'Update ticket #1');
    expect(e.details).toMatchObject(expected);
    expect(Boolean(e.details.closed)).toBe(Boolean((expected as { closed?: boolean }).closed));
  });
});

describe('webhooks', () => {
  const secret = 'zendesk-chosen-signing-secret-0123456789';
  const remote = zendeskRemoteSchema.parse({
    type: 'zendesk',
    baseUrl: 'https://acme.zendesk.com',
    auth: { kind: 'api-token', email: 'crosswalk@acme.example' },
  });
  const now = Date.parse('2026-03-01T10:00:00Z');
  const signed = (body: string, timestamp: string, invocation = 'inv-1', key = secret) => ({
    body,
    headers: {
      [SIGNATURE_HEADER]: [
        createHmac('sha256', key)
          .update(timestamp + body)
          .digest('base64'),
      ],
      [TIMESTAMP_HEADER]: [timestamp],
      [INVOCATION_HEADER]: [invocation],
    },
  });
  const body = JSON.stringify({
    ticket_id: '17',
    updated_at: '2026-03-01T09:59:58Z',
    event: 'ticket',
    changed_by: 'Sam.Agent@acme.example',
  });

  // A replayed delivery is authentic: the webhook handler's shared guard refuses it, across instances (security suite, zendesk-faults).
  it('are verified by HMAC over timestamp + body, fresh within five minutes', () => {
    const { verify } = zendeskSystem.notifications;
    expect(verify(signed(body, '2026-03-01T09:59:59Z', 'a'), { webhookSecret: secret }, now)).toBe(true);
    expect(verify(signed(body, '2026-03-01T09:59:59Z', 'b'), { webhookSecret: secret }, now)).toBe(true);
    expect(verify(signed(body, '2026-03-01T09:54:00Z', 'c'), { webhookSecret: secret }, now)).toBe(false);
    expect(
      verify(
        signed(body, '2026-03-01T09:59:59Z', 'd', 'another-secret-entirely-000000'),
        { webhookSecret: secret },
        now,
      ),
    ).toBe(false);
    expect(
      verify(
        { ...signed(body, '2026-03-01T09:59:59Z', 'e'), body: body.replace('17', '18') },
        { webhookSecret: secret },
        now,
      ),
    ).toBe(false);
    expect(verify(signed(body, '2026-03-01T09:59:59Z', 'f'), {}, now)).toBe(false);
  });

  it('name the ticket and who changed it; our own changes are recognised by the integration email', () => {
    const { parse, isOwnChange } = zendeskSystem.notifications;
    const refs = parse(body, remote)!;
    expect(refs).toEqual([
      {
        remoteId: '17',
        event: 'zendesk:ticket',
        // A trigger fires on any change, which may carry a comment with files: all parts are looked at.
        touches: { fields: true, comments: true, files: true },
        changedBy: 'Sam.Agent@acme.example',
      },
    ]);
    expect(isOwnChange(refs[0]!, remote)).toBe(false);
    expect(isOwnChange({ ...refs[0]!, changedBy: 'CROSSWALK@acme.example' }, remote)).toBe(true);
    expect(parse('{"ticket_id":"1; DROP"}', remote)).toBeUndefined();
    expect(parse('not json', remote)).toBeUndefined();
  });
});

describe('against the simulator', () => {
  let sim: ZendeskSim;
  const requests: Array<{ method: string; url: string; body: string }> = [];
  const connector = (timeoutMs?: number) =>
    new ZendeskConnector({
      baseUrl: sim.baseUrl,
      email: ZD.integration.email,
      apiToken: ZD.apiToken,
      closedTickets: 'follow-up',
      ...(timeoutMs ? { timeoutMs } : {}),
      fetch: async (input, init) => {
        requests.push({
          method: init?.method ?? 'GET',
          url: String(input),
          body: typeof init?.body === 'string' ? init.body : '',
        });
        return fetch(input, init);
      },
    });
  beforeAll(async () => {
    sim = await startZendeskSim();
  });
  afterAll(() => sim.stop());

  it('describes the ticket fields under the names the connector uses: system fields with their options, custom fields as custom_<id>', async () => {
    const fields = await connector().describeFields();
    const byId = new Map(fields.map((f) => [f.id, f]));
    expect(byId.get('subject')).toEqual({ id: 'subject', name: 'Subject', kind: 'text' });
    expect(byId.get('description')).toMatchObject({ kind: 'rich-text' });
    expect(byId.get('status')?.values?.map((v) => v.value)).toEqual([
      'new',
      'open',
      'pending',
      'hold',
      'solved',
      'closed',
    ]);
    expect(byId.get('status')?.values?.[3]).toEqual({ value: 'hold', label: 'On-hold' });
    expect(byId.get('type')).toMatchObject({
      name: 'Type',
      kind: 'choice',
      values: expect.arrayContaining([{ value: 'incident', label: 'Incident' }]),
    });
    expect(byId.get('priority')?.values?.map((v) => v.value)).toEqual(['low', 'normal', 'high', 'urgent']);
    expect(byId.get('group_id')).toMatchObject({
      kind: 'choice',
      values: expect.arrayContaining([{ value: expect.stringMatching(/^\d+$/), label: 'Support' }]),
    });
    expect(byId.get('assignee_id')).toMatchObject({ kind: 'user' });
    expect(byId.get('tags')).toMatchObject({ kind: 'list' });
    const product = fields.find((f) => f.name === 'Product')!;
    expect(product).toMatchObject({
      id: expect.stringMatching(/^custom_\d+$/),
      kind: 'choice',
      values: [
        { value: 'product_billing', label: 'Billing' },
        { value: 'product_mobile', label: 'Mobile app' },
        { value: 'product_web', label: 'Web app' },
      ],
    });
    expect(fields.find((f) => f.name === 'Jira issue')).toMatchObject({ kind: 'text' });
    // The custom id is the one tickets carry: a write through it lands in that custom field.
    const item = await connector().createItem(
      { subject: 'Described', description: '<p>x</p>', [product.id]: 'product_web' },
      'crosswalk:test:describe',
    );
    expect(item.fields[product.id]).toBe('product_web');
  });

  it('tests what the sync needs: an agent or admin, the incremental export, and the webhooks', async () => {
    const tested = await connector().testConnection();
    expect(tested.ok && tested.checks.map((c) => [c.what.split(',')[0], c.ok, c.required])).toEqual([
      ['Sign in as an agent or admin', true, true],
      ['Read tickets changed lately (incremental export)', true, true],
      ['Manage webhooks and triggers', true, true],
    ]);
    // An end user signs in, but may do none of it.
    const customer = new ZendeskConnector({
      baseUrl: sim.baseUrl,
      email: ZD.endUser.email,
      apiToken: ZD.apiToken,
      closedTickets: 'follow-up',
    });
    const asCustomer = await customer.testConnection();
    expect(asCustomer.ok && asCustomer.checks[0]).toEqual({
      what: 'Sign in as an agent or admin',
      ok: false,
      required: true,
      detail: 'the user is an end user',
    });
  });

  it('writes conditionally with the stamp it read; a stale stamp is a conflict and nothing is applied', async () => {
    const zd = connector();
    const item = (await zd.createItem({ subject: 'Conditional', description: '<p>Body</p>' }, 'crosswalk:test:1'))!;
    requests.length = 0;
    const after = await zd.updateItem(item.id, { subject: 'Conditional, edited' }, item.version);
    expect(JSON.parse(requests.at(-1)!.body)).toEqual({
      ticket: { subject: 'Conditional, edited', safe_update: true, updated_stamp: item.version },
    });
    expect(after.fields.subject).toBe('Conditional, edited');
    await fetch(`${sim.controlUrl}/clock`, { method: 'POST', body: JSON.stringify({ advanceSeconds: 5 }) });
    // Someone else writes in between: our stamp is stale now.
    await zendeskClient(sim, ZD.agent)('PUT', `/api/v2/tickets/${item.id}`, { ticket: { priority: 'high' } });
    const stale = await zd.updateItem(item.id, { subject: 'Lost update' }, item.version).catch((e: unknown) => e);
    expect(stale).toBeInstanceOf(SyncError);
    expect((stale as SyncError).kind).toBe('conflict');
    expect((await zd.getItem(item.id))!.fields.subject).toBe('Conditional, edited');
  });

  it("reads which fields people changed since a time from the ticket's audits, leaving out its own changes", async () => {
    const zd = connector();
    const item = await zd.createItem({ subject: 'History', priority: 'normal' }, 'crosswalk:test:history');
    await zd.updateItem(item.id, { subject: 'History, by Crosswalk' });
    const since = Date.now() - 1000;
    // An agent raises the priority and lowers it again: by its value the field looks untouched, the audits say otherwise.
    await zendeskClient(sim, ZD.agent)('PUT', `/api/v2/tickets/${item.id}`, { ticket: { priority: 'urgent' } });
    await zendeskClient(sim, ZD.agent)('PUT', `/api/v2/tickets/${item.id}`, { ticket: { priority: 'normal' } });
    const changes = await zd.fieldChangesSince(item.id, since);
    expect([...changes.keys()]).toEqual(['priority']);
  });

  it('makes one follow-up for a closed ticket, found again on a retry', async () => {
    const zd = connector();
    const item = await zd.createItem({ subject: 'Will close' }, 'crosswalk:test:2');
    await zd.updateItem(item.id, { status: 'closed' }, item.version);
    const refused = await zd.updateItem(item.id, { subject: 'x' }).catch((e: unknown) => e);
    expect((refused as SyncError).details).toMatchObject({ kind: 'validation', closed: true });
    const first = await zd.followUp!(item.id, { subject: 'Will close' }, 'crosswalk:test:2');
    const again = await zd.followUp!(item.id, { subject: 'Will close' }, 'crosswalk:test:2');
    expect(again.id).toBe(first.id);
    expect((await zd.findByCorrelation('crosswalk:test:2'))!.id).toBe(first.id);
    expect(sim.store.tickets.get(Number(first.id))!.via_followup_source_id).toBe(Number(item.id));
  });

  it('gives up on a hung answer after its timeout, as a transient failure', async () => {
    await fetch(`${sim.controlUrl}/faults`, {
      method: 'POST',
      body: JSON.stringify({ path: '/api/v2/tickets/1', delayMs: 500, times: 1 }),
    });
    const hung = await connector(100)
      .getItem('1')
      .catch((e: unknown) => e);
    expect((hung as SyncError).details).toMatchObject({
      kind: 'transient',
      message: expect.stringContaining('no answer within 0.1 s'),
    });
  });

  it('lists comments without the first one (the description), with visibility and authors, through cursor pages', async () => {
    const zd = connector();
    const item = await zd.createItem({ subject: 'Chatty', description: '<p>Opening</p>' }, 'crosswalk:test:3');
    for (let i = 0; i < 3; i++)
      await zd.addComment(item.id, { body: `<p>note ${i}</p>`, visibility: i % 2 ? 'internal' : 'public' });
    const comments = await zd.listComments(item.id);
    expect(comments.map((c) => [c.visibility, c.body])).toEqual([
      ['public', '<p>note 0</p>'],
      ['internal', '<p>note 1</p>'],
      ['public', '<p>note 2</p>'],
    ]);
    expect(comments.every((c) => c.author.id === zd.ownAuthorId)).toBe(true);
  });

  it('searches tickets by number or by words (one quoted phrase, never search operators), newest first', async () => {
    const zd = connector();
    const a = await zd.createItem({ subject: 'Refund not received' }, 'crosswalk:test:s1');
    await fetch(`${sim.controlUrl}/clock`, { method: 'POST', body: JSON.stringify({ advanceSeconds: 5 }) });
    const b = await zd.createItem({ subject: 'Refund requested twice' }, 'crosswalk:test:s2');
    const found = await zd.searchItems('refund', 5);
    expect(found.map((f) => f.id)).toEqual([b.id, a.id]);
    expect(found[0]).toMatchObject({ displayKey: `#${b.id}`, title: 'Refund requested twice', status: 'New' });
    expect((await zd.searchItems(`#${a.id}`, 5)).map((f) => f.id)).toEqual([a.id]);
    expect(await zd.searchItems('status:closed', 5)).toEqual([]);
  });

  it('searches agents and admins by part of their name or email (one quoted phrase per role), answering their user id; end users are not offered', async () => {
    const zd = connector();
    expect(zd.capabilities.userSearch).toBe(true);
    const sam = sim.store.userByEmail(ZD.agent.email)!;
    expect(await zd.users.search('sam', 10)).toEqual([
      { id: String(sam.id), name: 'Sam Agent', email: ZD.agent.email },
    ]);
    // The id is what the user table stores, as matching by email answers it.
    expect(await zd.users.idForEmail(ZD.agent.email)).toBe(String(sam.id));
    expect((await zd.users.search('CROSSWALK', 10)).map((u) => u.name)).toEqual(['Crosswalk Integration']);
    expect((await zd.users.search('acme.example', 10)).map((u) => u.name)).toEqual([
      'Crosswalk Integration',
      'Sam Agent',
    ]);
    expect(await zd.users.search('acme.example', 1)).toHaveLength(1);
    // Pat is an end user: never offered, whatever is typed, and search keywords in the text stay words.
    expect(await zd.users.search('Pat', 10)).toEqual([]);
    expect(await zd.users.search('role:end-user', 10)).toEqual([]);
    const asked = requests.filter((r) => r.url.includes('/users/search')).at(-1)!;
    expect(decodeURIComponent(new URL(asked.url).searchParams.get('query')!)).toBe('role:admin "role:end-user"');
    expect(await zd.users.search('" ', 10)).toEqual([]);
  });
  it('reads a ticket’s SLA metrics in one read (include=slas): running with its breach time, breached once past it, met once replied to; undefined when refused', async () => {
    const zd = connector();
    const clock = (advanceSeconds: number) =>
      fetch(`${sim.controlUrl}/clock`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ advanceSeconds }),
      });
    const created = await zd.createItem({ subject: 'SLA', description: 'x', priority: 'high' }, 'c-sla');
    const before = requests.length;
    const slas = (await zd.slaOf(created.id))!;
    expect(requests.length - before).toBe(1);
    expect(requests.at(-1)!.url).toMatch(/\/api\/v2\/tickets\/\d+\?include=slas$/);
    expect(slas.map((s) => [s.name, s.stage])).toEqual([
      ['First reply time', 'running'],
      ['Requester wait time', 'running'],
    ]);
    // An hour after the ticket was made, on the simulator's clock.
    const simNow = ((await (await fetch(`${sim.controlUrl}/clock`)).json()) as { ms: number }).ms;
    expect(slas[0]!.breachAt! - simNow).toBeGreaterThan(3_600_000 - 5_000);
    expect(slas[0]!.breachAt! - simNow).toBeLessThanOrEqual(3_600_000);
    // Made two hours ago (the simulator's clock set back): its first reply is an hour overdue.
    await clock(-7200);
    const old = await zd.createItem({ subject: 'SLA late', description: 'x', priority: 'high' }, 'c-sla-late');
    await clock(7200);
    expect((await zd.slaOf(old.id))![0]).toMatchObject({ name: 'First reply time', stage: 'breached' });
    await zd.addComment(old.id, { body: 'On it', visibility: 'public' });
    expect((await zd.slaOf(old.id))![0]).toEqual({ name: 'First reply time', stage: 'met' });
    await fetch(`${sim.controlUrl}/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        path: `/api/v2/tickets/${old.id}`,
        status: 403,
        body: { error: 'Forbidden', description: 'You do not have access to this page.' },
        times: 1,
      }),
    });
    expect(await zd.slaOf(old.id)).toBeUndefined();
    expect(await zd.slaOf('999999')).toBeUndefined();
  });
});
