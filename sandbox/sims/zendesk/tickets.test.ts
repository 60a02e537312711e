/** Tickets, comments and attachments behave as Zendesk Support's do (vendor-apis.md §3.1–3.3, §5.1). */
import { DEMO_CREDENTIALS, startZendeskSim, type ZendeskSim } from './index';
import { htmlToPlain, plainToHtml } from './html';
import type { AttachmentJson, CommentJson, TicketJson } from './serialize';
import { zendeskClient } from './test-client';

let sim: ZendeskSim;
let clock = Date.UTC(2026, 10, 24, 9, 0, 0);
let zd: ReturnType<typeof zendeskClient>;
let agent: ReturnType<typeof zendeskClient>;

type TicketRes = { ticket: TicketJson; audit: { events: Array<Record<string, unknown>> } };
type ErrorRes = { error: string; description: string; details?: Record<string, Array<{ description: string }>> };
type CommentsRes = {
  comments: CommentJson[];
  meta: { has_more: boolean; after_cursor: string | null; before_cursor: string | null };
  links: { next: string | null; prev: string | null };
  next_page?: string | null;
  count?: number;
};
type UploadRes = {
  upload: { token: string; expires_at: string; attachment: AttachmentJson; attachments: AttachmentJson[] };
};

beforeAll(async () => {
  sim = await startZendeskSim({ now: () => clock });
  zd = zendeskClient(sim, DEMO_CREDENTIALS.integration, { 'x-forwarded-host': 'acme.zendesk.com' });
  agent = zendeskClient(sim, DEMO_CREDENTIALS.agent, { 'x-forwarded-host': 'acme.zendesk.com' });
});
afterAll(() => sim.stop());
beforeEach(async () => {
  clock = Date.UTC(2026, 10, 24, 9, 0, 0);
  await fetch(`${sim.controlUrl}/reset`, { method: 'POST' });
});

const createTicket = async (ticket: Record<string, unknown> = {}) => {
  const res = await zd<TicketRes>('POST', '/api/v2/tickets.json', {
    ticket: { subject: 'Printer on fire', comment: { body: 'It smokes.' }, ...ticket },
  });
  expect(res.status).toBe(201);
  return res.json.ticket;
};
const userId = (email: string) => sim.store.userByEmail(email)!.id;
const tick = (seconds: number) => {
  clock += seconds * 1000;
};

describe('creating tickets', () => {
  it("answers 201 with Location, the ticket in Zendesk's shape, the first comment as description, and a Create audit", async () => {
    const res = await zd<TicketRes>('POST', '/api/v2/tickets.json', {
      ticket: {
        subject: 'VPN down',
        comment: { body: 'Since 9am.' },
        priority: 'urgent',
        type: 'incident',
        tags: ['VPN', 'network'],
        external_id: 'DEMO-1',
      },
    });
    expect(res.status).toBe(201);
    const t = res.json.ticket;
    expect(res.headers.get('location')).toBe(`https://acme.zendesk.com/api/v2/tickets/${t.id}.json`);
    expect(t).toMatchObject({
      url: `https://acme.zendesk.com/api/v2/tickets/${t.id}.json`,
      subject: 'VPN down',
      description: 'Since 9am.',
      priority: 'urgent',
      type: 'incident',
      status: 'new',
      tags: ['vpn', 'network'],
      external_id: 'DEMO-1',
      requester_id: userId(DEMO_CREDENTIALS.integration.email),
      assignee_id: null,
      group_id: null,
      via: { channel: 'api' },
    });
    expect(t.updated_at).toBe('2026-11-24T09:00:00Z');
    expect(t.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(res.json.audit.events[0]).toMatchObject({ type: 'Comment', body: 'Since 9am.', public: true });
    expect(res.json.audit.events.slice(1).map((e) => [e.type, e.field_name])).toEqual(
      expect.arrayContaining([
        ['Create', 'subject'],
        ['Create', 'priority'],
        ['Create', 'type'],
        ['Create', 'tags'],
        ['Create', 'status'],
        ['Create', 'external_id'],
      ]),
    );
  });

  it('requires a comment ("description is the first comment") and refuses writing description', async () => {
    const res = await zd<ErrorRes>('POST', '/api/v2/tickets.json', { ticket: { subject: 'No body' } });
    expect(res.status).toBe(422);
    expect(res.json).toEqual({
      error: 'RecordInvalid',
      description: 'Record validation errors',
      details: { base: [{ description: 'Description: cannot be blank', error: 'BlankValue' }] },
    });
    const t = await createTicket();
    const upd = await zd<ErrorRes>('PUT', `/api/v2/tickets/${t.id}.json`, { ticket: { description: 'rewrite' } });
    expect(upd.status).toBe(422);
    expect(upd.json.description).toMatch(/^The description key on the ticket object is read-only/);
  });

  it("opens a ticket created with an assignee, and takes the assignee's default group", async () => {
    const t = await createTicket({ assignee_id: userId(DEMO_CREDENTIALS.agent.email) });
    expect(t.status).toBe('open');
    expect(t.group_id).toBe(sim.store.groups.find((g) => g.name === 'Support')!.id);
  });

  it('creates an end user from requester {name, email}, or reuses the user with that email', async () => {
    const t = await createTicket({ requester: { name: 'Kim Buyer', email: 'kim@customer.example' } });
    const kim = sim.store.userByEmail('kim@customer.example')!;
    expect(kim).toMatchObject({ name: 'Kim Buyer', role: 'end-user' });
    expect(t.requester_id).toBe(kim.id);
    expect(t.submitter_id).toBe(userId(DEMO_CREDENTIALS.integration.email));
    expect((await createTicket({ requester: { email: 'KIM@customer.example' } })).requester_id).toBe(kim.id);
    expect((await createTicket({ requester_id: userId(DEMO_CREDENTIALS.endUser.email) })).requester_id).toBe(
      userId(DEMO_CREDENTIALS.endUser.email),
    );
  });

  it('keeps custom field values by id, lists every field, and drops unknown field ids', async () => {
    const listed = (
      await zd<{ ticket_fields: Array<{ id: number; title: string; type: string; removable: boolean }> }>(
        'GET',
        '/api/v2/ticket_fields.json',
      )
    ).json.ticket_fields;
    // System fields first (not removable), then the account's custom fields.
    expect(listed.filter((f) => !f.removable).map((f) => f.type)).toEqual([
      'subject',
      'description',
      'status',
      'tickettype',
      'priority',
      'group',
      'assignee',
    ]);
    const fields = listed.filter((f) => f.removable);
    expect(fields.map((f) => [f.title, f.type])).toEqual([
      ['Product', 'tagger'],
      ['Jira issue', 'text'],
      ['Escalated', 'checkbox'],
    ]);
    const [product, jira, escalated] = fields.map((f) => f.id) as [number, number, number];
    const t = await createTicket({
      custom_fields: [
        { id: jira, value: 'DEMO-7' },
        { id: escalated, value: true },
        { id: 1, value: 'nope' },
      ],
    });
    expect(t.custom_fields).toEqual([
      { id: product, value: null },
      { id: jira, value: 'DEMO-7' },
      { id: escalated, value: true },
    ]);
  });

  it('refuses invalid enum values with RecordInvalid', async () => {
    const res = await zd<ErrorRes>('POST', '/api/v2/tickets.json', {
      ticket: { comment: { body: 'x' }, priority: 'critical' },
    });
    expect(res.status).toBe(422);
    expect(res.json.details?.priority?.[0]?.description).toBe('Priority: critical is not valid');
  });
});

describe('reading tickets', () => {
  it('shows one, show_many skips unknown ids, and an unknown ticket is RecordNotFound', async () => {
    const a = await createTicket();
    const b = await createTicket();
    expect((await zd<TicketRes>('GET', `/api/v2/tickets/${a.id}.json`)).json.ticket.id).toBe(a.id);
    expect((await zd<TicketRes>('GET', `/api/v2/tickets/${a.id}`)).json.ticket.id).toBe(a.id);
    const many = await zd<{ tickets: TicketJson[] }>(
      'GET',
      `/api/v2/tickets/show_many.json?ids=${a.id},999999,${b.id}`,
    );
    expect(many.json.tickets.map((t) => t.id)).toEqual([a.id, b.id]);
    const missing = await zd('GET', '/api/v2/tickets/999999.json');
    expect(missing.status).toBe(404);
    expect(missing.json).toEqual({ error: 'RecordNotFound', description: 'Not found' });
  });

  it('lists tickets by external_id (not unique) and pages the list with offsets or cursors', async () => {
    await createTicket({ external_id: 'DEMO-9' });
    await createTicket({ external_id: 'DEMO-9' });
    const byExt = await zd<{ tickets: TicketJson[]; count: number }>('GET', '/api/v2/tickets.json?external_id=DEMO-9');
    expect(byExt.json.tickets).toHaveLength(2);
    const offset = await zd<{ tickets: TicketJson[]; next_page: string | null; count: number }>(
      'GET',
      '/api/v2/tickets.json?per_page=3',
    );
    expect(offset.json.count).toBe(4);
    expect(offset.json.tickets).toHaveLength(3);
    expect(offset.json.next_page).toBe('https://acme.zendesk.com/api/v2/tickets.json?per_page=3&page=2');
    const first = await zd<{ tickets: TicketJson[]; meta: { has_more: boolean; after_cursor: string } }>(
      'GET',
      '/api/v2/tickets.json?page[size]=3',
    );
    expect(first.json.meta.has_more).toBe(true);
    const second = await zd<{ tickets: TicketJson[]; meta: { has_more: boolean } }>(
      'GET',
      `/api/v2/tickets.json?page[size]=3&page[after]=${first.json.meta.after_cursor}`,
    );
    expect(second.json.tickets.map((t) => t.id)).toEqual([4]);
    expect(second.json.meta.has_more).toBe(false);
  });

  it('finds tickets by external_id through search', async () => {
    const t = await createTicket({ external_id: 'DEMO-42', tags: ['jira'] });
    await createTicket({ external_id: 'DEMO-43' });
    const res = await zd<{ results: Array<TicketJson & { result_type: string }>; count: number }>(
      'GET',
      `/api/v2/search.json?query=${encodeURIComponent('type:ticket external_id:DEMO-42')}`,
    );
    expect(res.status).toBe(200);
    expect(res.json.count).toBe(1);
    expect(res.json.results[0]).toMatchObject({ id: t.id, result_type: 'ticket', external_id: 'DEMO-42' });
    expect(
      (
        await zd<{ count: number }>(
          'GET',
          `/api/v2/search.json?query=${encodeURIComponent('type:ticket tags:jira status:new')}`,
        )
      ).json.count,
    ).toBe(1);
  });

  it('can make new tickets invisible to search for a while (the index lags)', async () => {
    await fetch(`${sim.controlUrl}/limits`, { method: 'PUT', body: JSON.stringify({ searchIndexDelaySeconds: 30 }) });
    await createTicket({ external_id: 'LAG-1' });
    const q = `/api/v2/search.json?query=${encodeURIComponent('type:ticket external_id:LAG-1')}`;
    expect((await zd<{ count: number }>('GET', q)).json.count).toBe(0);
    tick(31);
    expect((await zd<{ count: number }>('GET', q)).json.count).toBe(1);
  });
});

describe('updating tickets', () => {
  it('changes fields, answers the ticket and a Change audit, and bumps updated_at', async () => {
    const t = await createTicket();
    tick(5);
    const res = await zd<TicketRes>('PUT', `/api/v2/tickets/${t.id}.json`, {
      ticket: {
        status: 'pending',
        priority: 'high',
        additional_tags: ['Sync'],
        assignee_id: userId(DEMO_CREDENTIALS.agent.email),
      },
    });
    expect(res.status).toBe(200);
    expect(res.json.ticket).toMatchObject({
      status: 'pending',
      priority: 'high',
      tags: ['sync'],
      updated_at: '2026-11-24T09:00:05Z',
    });
    expect(res.json.audit.events).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ type: 'Change', field_name: 'priority', value: 'high', previous_value: null }),
      ]),
    );
  });

  it('does not touch updated_at when an update changes nothing', async () => {
    const t = await createTicket({ priority: 'low' });
    tick(5);
    const res = await zd<TicketRes>('PUT', `/api/v2/tickets/${t.id}.json`, { ticket: { priority: 'low' } });
    expect(res.json.ticket.updated_at).toBe(t.updated_at);
  });

  it('assigns the solving agent when an unassigned ticket is solved', async () => {
    const t = await createTicket();
    const res = await agent<TicketRes>('PUT', `/api/v2/tickets/${t.id}.json`, { ticket: { status: 'solved' } });
    expect(res.json.ticket).toMatchObject({ status: 'solved', assignee_id: userId(DEMO_CREDENTIALS.agent.email) });
  });

  it('keeps solved tickets updatable but makes closed tickets immutable (422), even for a comment', async () => {
    const t = await createTicket();
    expect((await zd('PUT', `/api/v2/tickets/${t.id}.json`, { ticket: { status: 'solved' } })).status).toBe(200);
    expect(
      (await zd('PUT', `/api/v2/tickets/${t.id}.json`, { ticket: { comment: { body: 'still here' } } })).status,
    ).toBe(200);
    expect((await zd('PUT', `/api/v2/tickets/${t.id}.json`, { ticket: { status: 'closed' } })).status).toBe(200);
    for (const ticket of [{ status: 'open' }, { comment: { body: 'reopen please' } }, {}]) {
      const res = await zd('PUT', `/api/v2/tickets/${t.id}.json`, { ticket });
      expect(res.status).toBe(422);
      expect(res.json).toEqual({
        error: 'RecordInvalid',
        description: 'Record validation errors',
        details: { status: [{ description: 'Status: closed prevents ticket update' }] },
      });
    }
  });

  it('creates a follow-up for a closed ticket with via_followup_source_id, inheriting its tags', async () => {
    const closed = await createTicket({ tags: ['billing'] });
    await zd('PUT', `/api/v2/tickets/${closed.id}.json`, { ticket: { status: 'closed' } });
    const follow = await createTicket({ via_followup_source_id: closed.id, comment: { body: 'Still broken' } });
    expect(follow).toMatchObject({
      tags: ['billing'],
      via_followup_source_id: closed.id,
      via: { source: { rel: 'follow_up', from: { ticket_id: closed.id } } },
    });
    expect((await zd<TicketRes>('GET', `/api/v2/tickets/${closed.id}.json`)).json.ticket.followup_ids).toEqual([
      follow.id,
    ]);
  });

  it('with safe_update, refuses a stale updated_stamp with 409 UpdateConflict and applies nothing', async () => {
    const t = await createTicket();
    tick(2);
    await agent('PUT', `/api/v2/tickets/${t.id}.json`, { ticket: { priority: 'high' } });
    const stale = await zd('PUT', `/api/v2/tickets/${t.id}.json`, {
      ticket: { safe_update: true, updated_stamp: t.updated_at, status: 'solved', comment: { body: 'late' } },
    });
    expect(stale.status).toBe(409);
    expect(stale.json).toMatchObject({
      error: 'UpdateConflict',
      description: expect.stringMatching(/^Safe Update prevented the update due to outdated ticket data/),
    });
    const now = (await zd<TicketRes>('GET', `/api/v2/tickets/${t.id}.json`)).json.ticket;
    expect(now.status).toBe('new');
    expect(sim.store.tickets.get(t.id)!.comments).toHaveLength(1);
    const fresh = await zd<TicketRes>('PUT', `/api/v2/tickets/${t.id}.json`, {
      ticket: { safe_update: true, updated_stamp: now.updated_at, status: 'solved' },
    });
    expect(fresh.status).toBe(200);
  });

  it('applies an update atomically: an invalid value leaves the ticket as it was', async () => {
    const t = await createTicket();
    const res = await zd('PUT', `/api/v2/tickets/${t.id}.json`, { ticket: { subject: 'changed', status: 'bogus' } });
    expect(res.status).toBe(422);
    expect(sim.store.tickets.get(t.id)!.subject).toBe('Printer on fire');
  });
});

describe('comments', () => {
  it('stores both body and html_body: plain text rendered to HTML, HTML flattened to plain text', async () => {
    const t = await createTicket({ comment: { body: 'Line one\nline <two>\n\nNext para' } });
    await zd('PUT', `/api/v2/tickets/${t.id}.json`, {
      ticket: {
        comment: { html_body: '<p>Hello <strong>Sam</strong> &amp; team</p><ul><li>one</li><li>two</li></ul>' },
      },
    });
    const comments = (await zd<CommentsRes>('GET', `/api/v2/tickets/${t.id}/comments.json`)).json.comments;
    expect(comments[0]).toMatchObject({
      body: 'Line one\nline <two>\n\nNext para',
      plain_body: 'Line one\nline <two>\n\nNext para',
      html_body:
        '<div class="zd-comment" dir="auto"><p dir="auto">Line one<br>line &lt;two&gt;</p><p dir="auto">Next para</p></div>',
    });
    expect(comments[1]).toMatchObject({
      body: 'Hello Sam & team\n\none\ntwo',
      html_body: '<p>Hello <strong>Sam</strong> &amp; team</p><ul><li>one</li><li>two</li></ul>',
      type: 'Comment',
    });
  });

  it("marks internal notes public:false; the first comment's visibility carries over until changed", async () => {
    const t = await createTicket({ comment: { body: 'internal start', public: false } });
    await zd('PUT', `/api/v2/tickets/${t.id}.json`, { ticket: { comment: { body: 'inherits private' } } });
    await zd('PUT', `/api/v2/tickets/${t.id}.json`, { ticket: { comment: { body: 'now public', public: true } } });
    await zd('PUT', `/api/v2/tickets/${t.id}.json`, { ticket: { comment: { body: 'stays public' } } });
    const comments = (await zd<CommentsRes>('GET', `/api/v2/tickets/${t.id}/comments.json`)).json.comments;
    expect(comments.map((c) => c.public)).toEqual([false, false, true, true]);
    expect(t.is_public).toBe(false);
  });

  it('records author_id: the caller by default, or the given author', async () => {
    const t = await createTicket();
    await zd('PUT', `/api/v2/tickets/${t.id}.json`, {
      ticket: {
        comment: { body: 'from the customer', author_id: userId(DEMO_CREDENTIALS.endUser.email), public: false },
      },
    });
    const comments = (await zd<CommentsRes>('GET', `/api/v2/tickets/${t.id}/comments.json`)).json.comments;
    expect(comments.map((c) => c.author_id)).toEqual([
      userId(DEMO_CREDENTIALS.integration.email),
      userId(DEMO_CREDENTIALS.endUser.email),
    ]);
    // End users cannot write internal notes.
    expect(comments[1]!.public).toBe(true);
  });

  it('cannot be changed: the API has no endpoint to edit or delete a comment', async () => {
    const t = await createTicket();
    const c = (await zd<CommentsRes>('GET', `/api/v2/tickets/${t.id}/comments.json`)).json.comments[0]!;
    for (const method of ['PUT', 'DELETE']) {
      const res = await zd(
        method,
        `/api/v2/tickets/${t.id}/comments/${c.id}.json`,
        method === 'PUT' ? { comment: { body: 'edited' } } : undefined,
      );
      expect(res.status).toBe(404);
      expect(res.json).toEqual({ error: 'InvalidEndpoint', description: 'Not found' });
    }
  });

  it('pages with cursors (page[size] ≤ 100, meta.has_more, after_cursor, links.next) or offsets, oldest first', async () => {
    const t = await createTicket({ comment: { body: 'c0' } });
    for (let i = 1; i < 5; i++)
      await zd('PUT', `/api/v2/tickets/${t.id}.json`, { ticket: { comment: { body: `c${i}` } } });
    const seen: string[] = [];
    let next: string | null = `/api/v2/tickets/${t.id}/comments.json?page[size]=2`;
    let pages = 0;
    while (next) {
      const res: { json: CommentsRes } = await zd<CommentsRes>('GET', next.replace('https://acme.zendesk.com', ''));
      seen.push(...res.json.comments.map((c) => c.body));
      pages += 1;
      next = res.json.meta.has_more ? res.json.links.next : null;
    }
    expect(seen).toEqual(['c0', 'c1', 'c2', 'c3', 'c4']);
    expect(pages).toBe(3);
    const desc = await zd<CommentsRes>('GET', `/api/v2/tickets/${t.id}/comments.json?page[size]=2&sort=-created_at`);
    expect(desc.json.comments.map((c) => c.body)).toEqual(['c4', 'c3']);
    const offset = await zd<CommentsRes>('GET', `/api/v2/tickets/${t.id}/comments.json?per_page=2&page=3`);
    expect(offset.json).toMatchObject({ count: 5, next_page: null });
    expect(offset.json.comments.map((c) => c.body)).toEqual(['c4']);
    const tooBig = await zd('GET', `/api/v2/tickets/${t.id}/comments.json?page[size]=101`);
    expect(tooBig.status).toBe(400);
  });

  it('refuses comments beyond the per-ticket limit (5,000; lowered here)', async () => {
    await fetch(`${sim.controlUrl}/limits`, { method: 'PUT', body: JSON.stringify({ maxCommentsPerTicket: 2 }) });
    const t = await createTicket();
    expect((await zd('PUT', `/api/v2/tickets/${t.id}.json`, { ticket: { comment: { body: 'two' } } })).status).toBe(
      200,
    );
    expect((await zd('PUT', `/api/v2/tickets/${t.id}.json`, { ticket: { comment: { body: 'three' } } })).status).toBe(
      422,
    );
  });
});

describe('uploads and attachments', () => {
  const upload = (name: string, content: string, type = 'text/plain', token?: string) =>
    zd<UploadRes>(
      'POST',
      `/api/v2/uploads.json?filename=${encodeURIComponent(name)}${token ? `&token=${token}` : ''}`,
      new TextEncoder().encode(content),
      { 'content-type': type },
    );

  it('uploads a raw body, attaches it through comment.uploads, and serves the bytes at content_url', async () => {
    const up = await upload('crash.log', 'stack trace');
    expect(up.status).toBe(201);
    expect(up.json.upload).toMatchObject({
      token: expect.any(String),
      expires_at: '2026-11-24T10:00:00Z',
      attachment: { file_name: 'crash.log', content_type: 'text/plain', size: 11 },
    });
    const more = await upload('screen.png', 'PNG…', 'image/png', up.json.upload.token);
    expect(more.json.upload.attachments.map((a) => a.file_name)).toEqual(['crash.log', 'screen.png']);
    const t = await createTicket();
    await zd('PUT', `/api/v2/tickets/${t.id}.json`, {
      ticket: { comment: { body: 'logs attached', uploads: [up.json.upload.token] } },
    });
    const comment = (await zd<CommentsRes>('GET', `/api/v2/tickets/${t.id}/comments.json`)).json.comments[1]!;
    expect(comment.attachments.map((a) => a.file_name)).toEqual(['crash.log', 'screen.png']);
    const url = comment.attachments[0]!.content_url;
    expect(url).toMatch(/^https:\/\/acme\.zendesk\.com\/attachments\/token\/[\w-]+\/\?name=crash\.log$/);
    const download = await fetch(sim.baseUrl + url.replace('https://acme.zendesk.com', ''));
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe('text/plain');
    expect(await download.text()).toBe('stack trace');
    const meta = await zd<{ attachment: AttachmentJson }>(
      'GET',
      `/api/v2/attachments/${comment.attachments[0]!.id}.json`,
    );
    expect(meta.json.attachment.size).toBe(11);
  });

  it('refuses an unknown, used or expired token with RecordInvalid and writes nothing', async () => {
    await fetch(`${sim.controlUrl}/limits`, {
      method: 'PUT',
      body: JSON.stringify({ uploadTokenLifetimeSeconds: 60 }),
    });
    const t = await createTicket();
    const unknown = await zd<ErrorRes>('PUT', `/api/v2/tickets/${t.id}.json`, {
      ticket: { status: 'open', comment: { body: 'x', uploads: ['nope'] } },
    });
    expect(unknown.status).toBe(422);
    expect(unknown.json).toMatchObject({
      error: 'RecordInvalid',
      details: { base: [{ description: 'Uploads: token nope is invalid or has expired' }] },
    });
    expect(sim.store.tickets.get(t.id)!.status).toBe('new');
    const up = await upload('a.txt', 'a');
    tick(61);
    expect(
      (
        await zd('PUT', `/api/v2/tickets/${t.id}.json`, {
          ticket: { comment: { body: 'x', uploads: [up.json.upload.token] } },
        })
      ).status,
    ).toBe(422);
    const used = await upload('b.txt', 'b');
    expect(
      (
        await zd('PUT', `/api/v2/tickets/${t.id}.json`, {
          ticket: { comment: { body: 'x', uploads: [used.json.upload.token] } },
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await zd('PUT', `/api/v2/tickets/${t.id}.json`, {
          ticket: { comment: { body: 'y', uploads: [used.json.upload.token] } },
        })
      ).status,
    ).toBe(422);
  });

  it('needs a Content-Type and a filename, and refuses files over the size limit (50 MB; lowered here)', async () => {
    const noType = await zd('POST', '/api/v2/uploads.json?filename=a.bin', new Uint8Array([1, 2, 3]), {
      'content-type': '',
    });
    expect(noType.status).toBe(422);
    expect(noType.json).toEqual({
      error: 'RecordInvalid',
      description: 'Record validation errors',
      details: { content_type: [{ description: 'Content type cannot be blank', error: 'BlankValue' }] },
    });
    expect(
      (await zd('POST', '/api/v2/uploads.json', new Uint8Array([1]), { 'content-type': 'application/octet-stream' }))
        .status,
    ).toBe(422);
    await fetch(`${sim.controlUrl}/limits`, { method: 'PUT', body: JSON.stringify({ maxUploadBytes: 10 }) });
    expect((await upload('big.txt', 'x'.repeat(11))).status).toBe(413);
    expect((await upload('ok.txt', 'x'.repeat(10))).status).toBe(201);
  });

  it('deletes an unused upload', async () => {
    const up = await upload('a.txt', 'a');
    expect((await zd('DELETE', `/api/v2/uploads/${up.json.upload.token}.json`)).status).toBe(204);
    expect((await zd('DELETE', `/api/v2/uploads/${up.json.upload.token}.json`)).status).toBe(404);
  });
});

describe('comment text conversion', () => {
  it('round-trips plain text through HTML', () => {
    const text = 'a & b\n<tag>\n\nsecond paragraph';
    expect(htmlToPlain(plainToHtml(text))).toBe(text);
  });

  it('drops scripts and styles, keeps line breaks', () => {
    expect(htmlToPlain('<style>p{}</style><div>one<br>two</div><script>x()</script><p>three</p>')).toBe(
      'one\ntwo\n\nthree',
    );
  });
});

describe('SLAs (policies, include=slas)', () => {
  type Slas = { policy_metrics: Array<{ breach_at: string | null; stage: string; metric: string; hours?: number }> };
  const slasOf = async (id: number) =>
    (await zd<{ ticket: TicketJson & { slas: Slas } }>('GET', `/api/v2/tickets/${id}.json?include=slas`)).json.ticket
      .slas.policy_metrics;

  it('lists the policies to admins only, with a target per priority and metric', async () => {
    const res = await zd<{ sla_policies: Array<{ title: string; policy_metrics: unknown[] }>; count: number }>(
      'GET',
      '/api/v2/slas/policies',
    );
    expect(res.json.count).toBe(1);
    expect(res.json.sla_policies[0]!.policy_metrics).toContainEqual({
      priority: 'high',
      metric: 'first_reply_time',
      target: 60,
      business_hours: false,
    });
    expect((await agent('GET', '/api/v2/slas/policies')).status).toBe(403);
  });

  it('side-loads a ticket’s metrics: the next breach while active, paused while pending, achieved once replied to or solved', async () => {
    const t = await createTicket({ priority: 'high' });
    // Without include there is no slas key.
    expect((await zd<{ ticket: object }>('GET', `/api/v2/tickets/${t.id}.json`)).json.ticket).not.toHaveProperty(
      'slas',
    );
    expect(await slasOf(t.id)).toEqual([
      { metric: 'first_reply_time', stage: 'active', breach_at: '2026-11-24T10:00:00Z', hours: 1 },
      { metric: 'requester_wait_time', stage: 'active', breach_at: '2026-11-24T17:00:00Z', hours: 8 },
    ]);
    clock += 90 * 60_000;
    expect((await slasOf(t.id))[0]).toEqual({
      metric: 'first_reply_time',
      stage: 'active',
      breach_at: '2026-11-24T10:00:00Z',
      minutes: -30,
    });
    // An agent's public reply fulfils the first reply; pending pauses the requester's wait.
    await agent('PUT', `/api/v2/tickets/${t.id}.json`, {
      ticket: { status: 'pending', comment: { body: 'Which printer?', public: true } },
    });
    expect(await slasOf(t.id)).toEqual([
      { metric: 'first_reply_time', stage: 'achieved', breach_at: null },
      { metric: 'requester_wait_time', stage: 'paused', breach_at: null },
    ]);
    // Two hours pending move the breach on by two hours.
    clock += 2 * 3_600_000;
    await agent('PUT', `/api/v2/tickets/${t.id}.json`, { ticket: { status: 'open' } });
    expect((await slasOf(t.id))[1]).toMatchObject({ stage: 'active', breach_at: '2026-11-24T19:00:00Z' });
    await agent('PUT', `/api/v2/tickets/${t.id}.json`, { ticket: { status: 'solved' } });
    expect((await slasOf(t.id))[1]).toEqual({ metric: 'requester_wait_time', stage: 'achieved', breach_at: null });
    // Lists and show_many side-load them too; a ticket without priority has none.
    const bare = await createTicket();
    const many = await zd<{ tickets: Array<{ id: number; slas: Slas }> }>(
      'GET',
      `/api/v2/tickets/show_many.json?ids=${t.id},${bare.id}&include=slas`,
    );
    expect(many.json.tickets.map((x) => x.slas.policy_metrics.length)).toEqual([2, 0]);
    const list = await zd<{ tickets: Array<{ slas?: Slas }> }>('GET', '/api/v2/tickets.json?include=slas');
    expect(list.json.tickets.every((x) => x.slas)).toBe(true);
  });
});
