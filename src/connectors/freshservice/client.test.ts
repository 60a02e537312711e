/**
 * The Freshservice connector against an account faked from the documented
 * shapes (vendor-apis-more.md §2): what it sends, and what it makes of the
 * answers.
 */
import { syncFailure } from '../../../test/support/sync-error';
import { FreshserviceConnector, CORRELATION_LOOKBACK_MS, freshserviceTime } from './client';
import { REPLY_EDIT_REFUSED } from './conversations';
import { fakeAccount, integrationAgentRoute, INTEGRATION_AGENT, json, on, ticket, type Route } from './fake-account';
import { forgetPacing } from './http';
import { freshserviceRemoteSchema } from './system';

const NOW = Date.parse('2026-12-07T12:00:00Z');
let clock = NOW;

function connector(...routes: Route[]) {
  const account = fakeAccount(...routes);
  const conn = new FreshserviceConnector({
    baseUrl: 'https://acme.freshservice.com',
    apiKey: 'the-api-key',
    agentEmail: INTEGRATION_AGENT.email,
    requesterEmail: 'it@acme.example',
    correlationField: 'crosswalk_id',
    fetch: account.fetch,
    now: () => clock,
  });
  return { conn, sent: account.sent };
}

const conversation = (over: Record<string, unknown>) => ({
  id: 1,
  body: '<p>hello</p>',
  private: false,
  source: 0,
  incoming: false,
  user_id: 21000000009,
  created_at: '2026-12-07T10:00:00Z',
  updated_at: '2026-12-07T10:00:00Z',
  attachments: [],
  ...over,
});

beforeEach(() => {
  clock = NOW;
  forgetPacing();
});

describe('signing in', () => {
  it('sends the API key as the Basic user name with a dummy password', async () => {
    const { conn, sent } = connector(on('GET', '/api/v2/tickets/12', () => json(200, { ticket: ticket() })));
    await conn.getItem('12');
    expect(sent[0]!.headers.get('authorization')).toBe(`Basic ${Buffer.from('the-api-key:X').toString('base64')}`);
  });

  it('accepts only an account’s own freshservice.com address', () => {
    const settings = (baseUrl: string) =>
      freshserviceRemoteSchema.safeParse({
        type: 'freshservice',
        baseUrl,
        requesterEmail: 'it@acme.example',
        auth: { kind: 'api-key', agentEmail: 'crosswalk@acme.example' },
      }).success;
    expect(settings('https://acme.freshservice.com')).toBe(true);
    expect(settings('https://helpdesk.acme.example')).toBe(false);
    expect(settings('http://acme.freshservice.com')).toBe(false);
    expect(settings('https://acme.freshservice.com.evil.example')).toBe(false);
    expect(settings('https://acme.freshservice.com/api')).toBe(false);
  });
});

describe('tickets and their numeric codes', () => {
  it('reads codes as their strings and names the status, a custom one from the form fields', async () => {
    const { conn } = connector(
      on('GET', '/api/v2/tickets/12', () => json(200, { ticket: ticket({ status: 6 }) })),
      on('GET', '/api/v2/ticket_form_fields', () =>
        json(200, {
          ticket_fields: [
            {
              name: 'status',
              label: 'Status',
              field_type: 'default_status',
              default_field: true,
              choices: [
                { id: 2, value: 'Open' },
                { id: 6, value: 'Waiting on Customer' },
              ],
            },
          ],
        }),
      ),
    );
    const item = (await conn.getItem('12'))!;
    expect(item).toMatchObject({ id: '12', displayKey: '#INC-12', url: 'https://acme.freshservice.com/a/tickets/12' });
    expect(item.fields).toMatchObject({
      status: '6',
      priority: '3',
      urgency: '1',
      tags: ['printer'],
      custom_cost_center: 'IT',
    });
    expect(conn.statusLabel(item)).toBe('Waiting on Customer');
    expect(conn.statusLabel({ ...item, fields: { status: '4' } })).toBe('Resolved');
  });

  it('writes codes and ids as numbers, an empty agent as unassigned, custom fields by name', async () => {
    const { conn, sent } = connector(
      on('PUT', '/api/v2/tickets/12', () => json(200, { ticket: ticket({ status: 3 }) })),
    );
    const item = await conn.updateItem('12', {
      status: '3',
      priority: '4',
      responder_id: '',
      group_id: '21000100001',
      tags: ['a', 'b'],
      custom_cost_center: 'Ops',
      requester_id: '5',
    });
    expect(JSON.parse(String(sent[0]!.body))).toEqual({
      status: 3,
      priority: 4,
      responder_id: null,
      group_id: 21000100001,
      tags: ['a', 'b'],
      custom_fields: { cost_center: 'Ops' },
    });
    expect(item.fields.status).toBe('3');
  });

  it('creates a ticket for the connection’s requester, carrying the correlation in the custom field', async () => {
    const { conn, sent } = connector(
      on('POST', '/api/v2/tickets', () =>
        json(201, { ticket: ticket({ id: 13, custom_fields: { crosswalk_id: 'crosswalk:s:its:1' } }) }),
      ),
    );
    const made = await conn.createItem({ subject: 'New', description: '<p>d</p>', priority: '2' }, 'crosswalk:s:its:1');
    expect(JSON.parse(String(sent[0]!.body))).toEqual({
      status: 2,
      priority: 2,
      subject: 'New',
      description: '<p>d</p>',
      email: 'it@acme.example',
      custom_fields: { crosswalk_id: 'crosswalk:s:its:1' },
    });
    expect(made.correlationId).toBe('crosswalk:s:its:1');
  });
});

describe('rate limits', () => {
  it('maps a 429 to rate-limited with its Retry-After, and sends nothing more until it passed', async () => {
    const { conn, sent } = connector(
      on('GET', '/api/v2/tickets/12', () =>
        json(
          429,
          { description: 'Rate limit', errors: [{ message: 'too many', code: 'rate_limited' }] },
          { 'retry-after': '30' },
        ),
      ),
    );
    const first = await syncFailure(conn.getItem('12'));
    expect(first.kind).toBe('rate-limited');
    expect(first.details.retryAfterMs).toBe(30_000);
    const second = await syncFailure(conn.getItem('12'));
    expect(second.kind).toBe('rate-limited');
    expect(sent).toHaveLength(1);
    clock += 30_001;
    await syncFailure(conn.getItem('12'));
    expect(sent).toHaveLength(2);
  });

  it('stops until the next minute once an answer says nothing is left of the budget', async () => {
    clock = NOW + 45_000;
    const { conn, sent } = connector(
      on('GET', '/api/v2/tickets/12', () => json(200, { ticket: ticket() }, { 'x-ratelimit-remaining': '0' })),
      on('GET', '/api/v2/ticket_form_fields', () => json(200, { ticket_fields: [] }, { 'x-ratelimit-remaining': '5' })),
    );
    expect((await conn.getItem('12'))?.id).toBe('12');
    const waiting = await syncFailure(conn.getItem('12'));
    expect(waiting.kind).toBe('rate-limited');
    expect(waiting.details.retryAfterMs).toBe(15_000);
    expect(sent.filter((s) => s.path === '/api/v2/tickets/12')).toHaveLength(1);
    clock += 15_000;
    expect((await conn.getItem('12'))?.id).toBe('12');
    expect(sent.filter((s) => s.path === '/api/v2/tickets/12')).toHaveLength(2);
  });
});

describe('conversations', () => {
  it('sends a public comment as a reply and an internal one as a private note', async () => {
    const { conn, sent } = connector(
      integrationAgentRoute,
      on('POST', '/api/v2/tickets/12/reply', () => json(201, { conversation: conversation({ id: 5 }) })),
      on('POST', '/api/v2/tickets/12/notes', () =>
        json(201, { conversation: conversation({ id: 6, private: true, source: 2 }) }),
      ),
    );
    const reply = await conn.addComment('12', { body: '<p>to the requester</p>', visibility: 'public' });
    const note = await conn.addComment('12', { body: '<p>between agents</p>', visibility: 'internal' });
    const writes = sent.filter((s) => s.method === 'POST');
    expect(writes.map((s) => [s.path, JSON.parse(String(s.body))])).toEqual([
      ['/api/v2/tickets/12/reply', { body: '<p>to the requester</p>' }],
      ['/api/v2/tickets/12/notes', { body: '<p>between agents</p>', private: true }],
    ]);
    expect([reply.visibility, note.visibility]).toEqual(['public', 'internal']);
  });

  it('lists a private note as internal, a reply and a public note as public, with their authors', async () => {
    const { conn } = connector(
      integrationAgentRoute,
      on('GET', '/api/v2/tickets/12/conversations', () =>
        json(200, {
          conversations: [
            conversation({ id: 1, private: false, source: 0 }),
            conversation({ id: 2, private: true, source: 2, user_id: INTEGRATION_AGENT.id }),
            conversation({ id: 3, private: false, source: 2 }),
          ],
        }),
      ),
      on('GET', '/api/v2/agents/21000000009', () =>
        json(200, { agent: { id: 21000000009, first_name: 'Ana', last_name: 'Lima', email: 'ana@acme.example' } }),
      ),
    );
    const comments = await conn.listComments('12');
    expect(comments.map((c) => [c.id, c.visibility, c.author.displayName])).toEqual([
      ['1', 'public', 'Ana Lima'],
      ['2', 'internal', 'Crosswalk'],
      ['3', 'public', 'Ana Lima'],
    ]);
    expect(conn.ownAuthorId).toBe(String(INTEGRATION_AGENT.id));
  });

  it('refuses to edit a reply, saying why, without sending an edit; a note is edited', async () => {
    const { conn, sent } = connector(
      on('GET', '/api/v2/tickets/12/conversations', () =>
        json(200, {
          conversations: [conversation({ id: 1, source: 0 }), conversation({ id: 2, private: true, source: 2 })],
        }),
      ),
      on('PUT', '/api/v2/conversations/2', (r) =>
        json(200, {
          conversation: conversation({ id: 2, private: true, source: 2, body: JSON.parse(String(r.body)).body }),
        }),
      ),
      on('GET', '/api/v2/agents/21000000009', () => json(200, { agent: { id: 21000000009, first_name: 'Ana' } })),
    );
    const refused = await syncFailure(conn.updateComment('12', '1', '<p>changed</p>'));
    expect(refused.kind).toBe('validation');
    expect(refused.message).toBe(REPLY_EDIT_REFUSED);
    expect(refused.message).toMatch(/replies cannot be edited/);
    expect(sent.some((s) => s.method === 'PUT')).toBe(false);
    const edited = await conn.updateComment('12', '2', '<p>changed</p>');
    expect(edited).toMatchObject({ id: '2', body: '<p>changed</p>', visibility: 'internal' });
  });
});

describe('finding the ticket Crosswalk made', () => {
  const mine = ticket({ id: 40, custom_fields: { crosswalk_id: 'crosswalk:s:its:7' } });

  it('finds it among the recent tickets while the filter index does not know it yet', async () => {
    const { conn, sent } = connector(
      on('GET', '/api/v2/tickets/filter', () => json(200, { tickets: [], total: 0 })),
      on('GET', '/api/v2/tickets', () => json(200, { tickets: [ticket({ id: 41 }), mine] })),
    );
    const found = await conn.findByCorrelation('crosswalk:s:its:7');
    expect(found?.id).toBe('40');
    const list = sent.find((s) => s.path === '/api/v2/tickets')!;
    expect(list.query.get('updated_since')).toBe(freshserviceTime(NOW - CORRELATION_LOOKBACK_MS));
    expect(list.query.get('order_type')).toBe('desc');
  });

  it('asks the filter for an older ticket, and trusts only the ticket’s own field', async () => {
    const { conn, sent } = connector(
      on('GET', '/api/v2/tickets/filter', () =>
        json(200, { tickets: [ticket({ id: 3, custom_fields: { crosswalk_id: 'stale' } }), mine], total: 2 }),
      ),
      on('GET', '/api/v2/tickets', () => json(200, { tickets: [ticket({ id: 41 })] })),
    );
    expect((await conn.findByCorrelation('crosswalk:s:its:7'))?.id).toBe('40');
    expect(sent.find((s) => s.path === '/api/v2/tickets/filter')!.query.get('query')).toBe(
      `"crosswalk_id:'crosswalk:s:its:7'"`,
    );
    expect(await conn.findByCorrelation('crosswalk:s:its:8')).toBeUndefined();
  });

  it('never sends a value that could break out of the filter’s quotes', async () => {
    const { conn, sent } = connector(on('GET', '/api/v2/tickets', () => json(200, { tickets: [] })));
    expect(await conn.findByCorrelation("x' OR status:2 OR '")).toBeUndefined();
    expect(sent.some((s) => s.path === '/api/v2/tickets/filter')).toBe(false);
  });
});

describe('the sweep', () => {
  it('reads tickets changed since a time, oldest first, page by page, never without updated_since', async () => {
    const page = (n: number, count: number) =>
      Array.from({ length: count }, (_, i) =>
        ticket({ id: n * 1000 + i, updated_at: freshserviceTime(NOW - 100_000 + n * 1000 + i * 10) }),
      );
    const { conn, sent } = connector(
      on('GET', '/api/v2/tickets', (r) =>
        json(200, { tickets: r.query.get('page') === '1' ? page(1, 100) : page(2, 3) }),
      ),
    );
    const since = NOW - 3_600_000 + 123;
    const first = await conn.listChanged(since);
    expect(first.items).toHaveLength(100);
    expect(first.cursor).toBeDefined();
    const second = await conn.listChanged(since, first.cursor);
    expect(second.items.map((i) => i.id)).toEqual(['2000', '2001', '2002']);
    expect(second.cursor).toBeUndefined();
    expect(sent.map((s) => Object.fromEntries(s.query))).toEqual([
      { updated_since: freshserviceTime(since), order_type: 'asc', per_page: '100', page: '1' },
      { updated_since: freshserviceTime(since), order_type: 'asc', per_page: '100', page: '2' },
    ]);
  });
});

describe('attachments', () => {
  it('uploads a file as a multipart attachments[] part of a private note', async () => {
    const { conn, sent } = connector(
      integrationAgentRoute,
      on('POST', '/api/v2/tickets/12/notes', () =>
        json(201, {
          conversation: conversation({
            id: 9,
            private: true,
            source: 2,
            attachments: [
              { id: 77, name: 'log.txt', content_type: 'text/plain', size: 5, created_at: '2026-12-07T11:00:00Z' },
            ],
          }),
        }),
      ),
    );
    const stream = new Blob([new TextEncoder().encode('hello')]).stream();
    const stored = await conn.uploadAttachment('12', {
      fileName: 'log.txt',
      contentType: 'text/plain',
      size: 5,
      body: stream,
    });
    const upload = sent.find((s) => s.method === 'POST')!;
    expect(upload.body).toBeInstanceOf(FormData);
    const form = upload.body as FormData;
    expect(form.get('private')).toBe('true');
    const file = form.get('attachments[]') as File;
    expect(file.name).toBe('log.txt');
    expect(await file.text()).toBe('hello');
    expect(stored).toMatchObject({ id: '77', fileName: 'log.txt', size: 5, authorId: String(INTEGRATION_AGENT.id) });
  });

  it('lists the ticket’s files and its conversations’, downloads one, deletes it through the ticket', async () => {
    const { conn, sent } = connector(
      integrationAgentRoute,
      on('GET', '/api/v2/tickets/12', () =>
        json(200, {
          ticket: ticket({ attachments: [{ id: 70, name: 'first.png', content_type: 'image/png', size: 3 }] }),
        }),
      ),
      on('GET', '/api/v2/tickets/12/conversations', () =>
        json(200, {
          conversations: [conversation({ id: 4, attachments: [{ id: 71, name: 'later.pdf', size: 9 }] })],
        }),
      ),
      on(
        'GET',
        '/api/v2/attachments/71',
        () =>
          new Response('%PDF-1.4', {
            status: 200,
            headers: { 'content-type': 'application/pdf', 'content-length': '8' },
          }),
      ),
      on('DELETE', '/api/v2/tickets/12/attachments/71', () => new Response(null, { status: 204 })),
    );
    const files = await conn.listAttachments('12');
    expect(files.map((f) => [f.id, f.fileName, f.authorId])).toEqual([
      ['70', 'first.png', '21000000002'],
      ['71', 'later.pdf', '21000000009'],
    ]);
    const download = await conn.downloadAttachment('12', '71');
    expect(download.contentType).toBe('application/pdf');
    expect(await new Response(download.body).text()).toBe('%PDF-1.4');
    await conn.deleteAttachment('12', '71');
    expect(sent.at(-1)).toMatchObject({ method: 'DELETE', path: '/api/v2/tickets/12/attachments/71' });
  });

  it("takes the ticket's own files from the read of its fields, once, and reads again after a write", async () => {
    const { conn, sent } = connector(
      integrationAgentRoute,
      on('GET', '/api/v2/tickets/12', () =>
        json(200, { ticket: ticket({ attachments: [{ id: 70, name: 'first.png', size: 3 }] }) }),
      ),
      on('PUT', '/api/v2/tickets/12', () => json(200, { ticket: ticket({ subject: 'Renamed' }) })),
      on('GET', '/api/v2/tickets/12/conversations', () => json(200, { conversations: [] })),
      on('GET', '/api/v2/ticket_form_fields', () => json(200, { ticket_fields: [] })),
    );
    const ticketReads = () => sent.filter((s) => s.method === 'GET' && s.path === '/api/v2/tickets/12').length;
    await conn.getItem('12');
    expect((await conn.listAttachments('12')).map((f) => f.fileName)).toEqual(['first.png']);
    expect(ticketReads()).toBe(1);
    await conn.listAttachments('12');
    expect(ticketReads()).toBe(2);
    await conn.getItem('12');
    await conn.updateItem('12', { subject: 'Renamed' });
    await conn.listAttachments('12');
    expect(ticketReads()).toBe(4);
  });

  it('refuses a file past 40 MB before sending it', async () => {
    const { conn, sent } = connector(integrationAgentRoute);
    const big = new Uint8Array(40 * 1024 * 1024 + 1);
    const failure = await syncFailure(
      conn.uploadAttachment('12', {
        fileName: 'big.bin',
        contentType: 'application/octet-stream',
        size: big.length,
        body: big,
      }),
    );
    expect(failure.kind).toBe('over-limit');
    expect(sent.some((s) => s.method === 'POST')).toBe(false);
  });
});

describe('refusals', () => {
  it('names each refused field in Freshservice’s words', async () => {
    const { conn } = connector(
      on('PUT', '/api/v2/tickets/12', () =>
        json(400, {
          description: 'Validation failed',
          errors: [{ field: 'resolution_category', message: 'It should not be blank', code: 'missing_field' }],
        }),
      ),
    );
    const failure = await syncFailure(conn.updateItem('12', { status: '4' }));
    expect(failure.kind).toBe('validation');
    expect(failure.details.refused).toEqual({ resolution_category: 'It should not be blank' });
  });

  it('treats a 401 and an access denial as the credential’s problem, a missing feature as not', async () => {
    const answers = [
      json(401, {
        description: 'Authentication failure',
        errors: [{ message: 'bad key', code: 'invalid_credentials' }],
      }),
      json(403, { description: 'Access denied', errors: [{ message: 'no', code: 'access_denied' }] }),
      json(403, { description: 'Feature', errors: [{ message: 'not on plan', code: 'require_feature' }] }),
    ];
    const { conn } = connector(on('GET', '/api/v2/tickets/12', () => answers.shift()!));
    expect((await syncFailure(conn.getItem('12'))).kind).toBe('auth');
    expect((await syncFailure(conn.getItem('12'))).kind).toBe('auth');
    expect((await syncFailure(conn.getItem('12'))).kind).toBe('validation');
  });
});

describe('ids in paths', () => {
  it('names no ticket or conversation with anything but Freshservice’s own digits, and sends nothing for it', async () => {
    const { conn, sent } = connector();
    expect((await syncFailure(conn.updateItem('12/../../agents', { subject: 'x' }))).kind).toBe('not-found');
    expect((await syncFailure(conn.deleteComment('12', '5?x=1'))).kind).toBe('not-found');
    expect(await conn.getItem('12abc')).toBeUndefined();
    expect(sent).toEqual([]);
  });
});

describe('an account under maintenance', () => {
  it('answers the sweep with a web page: a transient failure, tried again later', async () => {
    const { conn } = connector(
      on(
        'GET',
        '/api/v2/tickets',
        () =>
          new Response('<!DOCTYPE html><html>maintenance</html>', {
            status: 200,
            headers: { 'content-type': 'text/html' },
          }),
      ),
    );
    const failure = await syncFailure(conn.listChanged(NOW - 60_000));
    expect(failure.kind).toBe('transient');
    expect(failure.retryable).toBe(true);
  });
});
