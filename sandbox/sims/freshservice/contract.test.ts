/**
 * The Freshservice simulator, rule by rule, as vendor-apis-more.md §2
 * documents the API (no OpenAPI exists; §2.10 lists what must be reproduced).
 * Each test names the rule it holds the simulator to.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DEMO_CREDENTIALS, simulatedSystem, startFreshserviceSim, type FreshserviceSim } from './index';
import { freshserviceClient } from './test-client';

type Json = Record<string, unknown>;
type TicketBody = { ticket: Json & { id: number; custom_fields: Json; tags: string[] } };
type ErrorBody = { description: string; errors: Array<{ field?: string; message: string; code: string }> };
type ConversationBody = { conversation: Json & { id: number } };

const START = Date.UTC(2026, 11, 7, 9, 0, 0);
let sim: FreshserviceSim;
let fs: ReturnType<typeof freshserviceClient>;
let sam: ReturnType<typeof freshserviceClient>;

const control = async (path: string, body?: unknown, method = 'POST'): Promise<Json> => {
  const res = await fetch(`${sim.controlUrl}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return (await res.json()) as Json;
};
const advance = (seconds: number) => control('/clock', { advanceSeconds: seconds });

async function newTicket(extra: Json = {}): Promise<TicketBody['ticket']> {
  const r = await fs<TicketBody>('POST', '/api/v2/tickets', {
    subject: 'Outlook keeps asking for a password',
    description: '<div>It asks <b>every hour</b>.</div>',
    email: DEMO_CREDENTIALS.requester.email,
    ...extra,
  });
  if (r.status !== 201) throw new Error(`create answered ${r.status}: ${r.text}`);
  return r.json.ticket;
}

beforeAll(async () => {
  sim = await startFreshserviceSim({ now: () => START });
  fs = freshserviceClient(
    sim,
    { apiKey: DEMO_CREDENTIALS.integration.apiKey },
    { 'x-forwarded-host': DEMO_CREDENTIALS.domain },
  );
  sam = freshserviceClient(sim, { apiKey: DEMO_CREDENTIALS.agent.apiKey });
});
afterAll(() => sim.stop());
beforeEach(() => control('/reset'));

describe('authentication (§2.1)', () => {
  it('takes an API key as the Basic username with any password', async () => {
    expect((await fs('GET', '/api/v2/tickets')).status).toBe(200);
  });

  it('refuses username/password sign-in as no longer supported', async () => {
    const r = await freshserviceClient(sim, { email: DEMO_CREDENTIALS.agent.email, password: 'hunter2' })<ErrorBody>(
      'GET',
      '/api/v2/tickets',
    );
    expect(r.status).toBe(401);
    expect(r.json.errors[0]!.code).toBe('unsupported_authentication_type');
  });

  it('refuses an unknown key, and the integration key once revoked, while other agents keep theirs', async () => {
    const unknown = await freshserviceClient(sim, { apiKey: 'not-a-key' })<ErrorBody>('GET', '/api/v2/tickets');
    expect([unknown.status, unknown.json.errors[0]!.code]).toEqual([401, 'invalid_credentials']);
    await control('/credentials', { revoked: true }, 'PUT');
    expect((await fs('GET', '/api/v2/tickets')).status).toBe(401);
    expect((await sam('GET', '/api/v2/tickets')).status).toBe(200);
    await control('/credentials', { revoked: false }, 'PUT');
    expect((await fs('GET', '/api/v2/tickets')).status).toBe(200);
  });
});

describe('the ticket (§2.2)', () => {
  it('is created with 201 and a Location, in numeric codes, with blank fields as null and UTC seconds', async () => {
    const r = await fs<TicketBody>('POST', '/api/v2/tickets', {
      subject: 'Monitor flickers',
      description: '<p>Flickers <i>at 60 Hz</i></p>',
      email: DEMO_CREDENTIALS.requester.email,
    });
    expect(r.status).toBe(201);
    const t = r.json.ticket;
    expect(r.headers.get('location')).toBe(`https://${DEMO_CREDENTIALS.domain}/api/v2/tickets/${t.id}`);
    expect(t).toMatchObject({ status: 2, priority: 1, source: 2, urgency: 1, impact: 1, type: 'Incident' });
    expect(t.description_text).toBe('Flickers at 60 Hz');
    expect(t.responder_id).toBeNull();
    expect(t.custom_fields).toEqual({ crosswalk_id: null, resolution_category: null, affected_users: null, vip: null });
    expect(t.created_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
  });

  it('needs a requester identity; an unknown email becomes a new requester', async () => {
    const none = await fs<ErrorBody>('POST', '/api/v2/tickets', { subject: 'Who am I' });
    expect(none.status).toBe(400);
    expect(none.json.errors[0]).toMatchObject({ field: 'requester_id', code: 'missing_field' });
    const t = await newTicket({ email: 'casey.new@acme.example' });
    const found = await fs<{ requesters: Array<{ id: number }> }>(
      'GET',
      '/api/v2/requesters?email=casey.new@acme.example',
    );
    expect(found.json.requesters.map((r) => r.id)).toEqual([t.requester_id]);
  });

  it('takes type "Incident" or "Service Request" only, and codes within their lists', async () => {
    expect((await newTicket({ type: 'Service Request' })).type).toBe('Service Request');
    const problem = await fs<ErrorBody>('POST', '/api/v2/tickets', {
      subject: 's',
      email: 'a@acme.example',
      type: 'Problem',
    });
    expect([problem.status, problem.json.errors[0]!.field, problem.json.errors[0]!.code]).toEqual([
      400,
      'type',
      'invalid_value',
    ]);
    const status = await fs<ErrorBody>('POST', '/api/v2/tickets', { subject: 's', email: 'a@acme.example', status: 7 });
    expect(status.json.errors[0]).toMatchObject({ field: 'status', code: 'invalid_value' });
    const waiting = await newTicket({ status: 6 });
    expect(waiting.status).toBe(6);
  });

  it('reads with conversations, requester and stats included', async () => {
    const r = await fs<{ ticket: { conversations: Json[]; requester: Json; stats: Json } }>(
      'GET',
      '/api/v2/tickets/2?include=conversations,requester,stats',
    );
    expect(r.status).toBe(200);
    const t = r.json.ticket;
    expect(t.conversations).toHaveLength(2);
    expect(t.requester).toMatchObject({ email: DEMO_CREDENTIALS.requester.email, name: 'Pat Customer' });
    expect(t.stats).toMatchObject({ resolved_at: null, first_responded_at: expect.stringMatching(/Z$/) });
    expect((await fs('GET', '/api/v2/tickets/2?include=everything')).status).toBe(400);
  });

  it('updates only what the body names, and tags replace the list', async () => {
    const t = await newTicket({ tags: ['email', 'outlook'], priority: 2 });
    const r = await fs<TicketBody>('PUT', `/api/v2/tickets/${t.id}`, {
      tags: ['mfa'],
      custom_fields: { crosswalk_id: 'ITS-7' },
    });
    expect(r.status).toBe(200);
    expect(r.json.ticket).toMatchObject({ tags: ['mfa'], priority: 2, subject: t.subject });
    expect(r.json.ticket.custom_fields.crosswalk_id).toBe('ITS-7');
  });

  it('refuses any attribute it does not know with invalid_field, prefixed custom fields included', async () => {
    const t = await newTicket();
    const unknown = await fs<ErrorBody>('PUT', `/api/v2/tickets/${t.id}`, { summary: 'Jira word' });
    expect(unknown.status).toBe(400);
    expect(unknown.json).toEqual({
      description: 'Validation failed',
      errors: [{ field: 'summary', message: 'Unexpected/invalid field in request', code: 'invalid_field' }],
    });
    const prefixed = await fs<ErrorBody>('PUT', `/api/v2/tickets/${t.id}`, { custom_fields: { cf_crosswalk_id: 'x' } });
    expect(prefixed.json.errors[0]).toMatchObject({ field: 'custom_fields.cf_crosswalk_id', code: 'invalid_field' });
    const workspace = await fs<ErrorBody>('PUT', `/api/v2/tickets/${t.id}`, { workspace_id: 3 });
    expect(workspace.json.errors[0]).toMatchObject({ field: 'workspace_id', code: 'invalid_field' });
  });

  describe('a field mandatory on close', () => {
    it('is not enforced in the demo account, so a sync can resolve and close', async () => {
      const t = await newTicket();
      expect((await fs('PUT', `/api/v2/tickets/${t.id}`, { status: 5 })).status).toBe(200);
    });

    it('once an admin enforces it, refuses Resolved and Closed without it', async () => {
      await control('/limits', { mandatoryOnClose: true }, 'PUT');
      const t = await newTicket();
      for (const status of [4, 5]) {
        const r = await fs<ErrorBody>('PUT', `/api/v2/tickets/${t.id}`, { status });
        expect(r.status).toBe(400);
        expect(r.json.errors).toEqual([
          { field: 'custom_fields.resolution_category', message: expect.any(String), code: 'missing_field' },
        ]);
      }
      expect((await fs('PUT', `/api/v2/tickets/${t.id}`, { status: 3 })).status).toBe(200);
      const filled = await fs('PUT', `/api/v2/tickets/${t.id}`, {
        status: 4,
        custom_fields: { resolution_category: 'Fixed' },
      });
      expect(filled.status).toBe(200);
    });

    it('is skipped with ?bypass_mandatory=true, which only an admin may use', async () => {
      await control('/limits', { mandatoryOnClose: true }, 'PUT');
      const t = await newTicket();
      expect((await sam('PUT', `/api/v2/tickets/${t.id}?bypass_mandatory=true`, { status: 5 })).status).toBe(403);
      const r = await fs<TicketBody>('PUT', `/api/v2/tickets/${t.id}?bypass_mandatory=true`, { status: 5 });
      expect([r.status, r.json.ticket.status]).toEqual([200, 5]);
    });

    it('is marked required_for_closure in the form fields while enforced', async () => {
      const field = async () =>
        (await fs<{ ticket_fields: Json[] }>('GET', '/api/v2/ticket_form_fields')).json.ticket_fields.find(
          (f) => f.name === 'resolution_category',
        );
      expect(await field()).toMatchObject({ required_for_closure: false, field_type: 'custom_dropdown' });
      await control('/limits', { mandatoryOnClose: true }, 'PUT');
      expect(await field()).toMatchObject({ required_for_closure: true });
    });
  });

  it('goes to the trash on DELETE (out of the list, readable, in filter=deleted) and comes back on restore', async () => {
    const t = await newTicket();
    expect((await fs('DELETE', `/api/v2/tickets/${t.id}`)).status).toBe(204);
    const ids = async (q = '') =>
      (await fs<{ tickets: Array<{ id: number }> }>('GET', `/api/v2/tickets${q}`)).json.tickets.map((x) => x.id);
    expect(await ids()).not.toContain(t.id);
    expect(await ids('?filter=deleted')).toEqual([t.id]);
    expect((await fs<TicketBody>('GET', `/api/v2/tickets/${t.id}`)).json.ticket.deleted).toBe(true);
    expect((await fs('PUT', `/api/v2/tickets/${t.id}`, { priority: 2 })).status).toBe(404);
    expect((await fs('PUT', `/api/v2/tickets/${t.id}/restore`)).status).toBe(204);
    expect(await ids()).toContain(t.id);
  });

  it('describes its form: numeric choices for the default fields, the custom status, custom fields with choices', async () => {
    const fields = (
      await fs<{ ticket_fields: Array<Json & { choices: Array<{ id: number; value: string }> }> }>(
        'GET',
        '/api/v2/ticket_form_fields',
      )
    ).json.ticket_fields;
    const named = (n: string) => fields.find((f) => f.name === n)!;
    expect(named('status').choices).toEqual([
      { id: 2, value: 'Open' },
      { id: 3, value: 'Pending' },
      { id: 4, value: 'Resolved' },
      { id: 5, value: 'Closed' },
      { id: 6, value: 'Waiting on Customer' },
    ]);
    expect(named('priority').choices.map((c) => c.id)).toEqual([1, 2, 3, 4]);
    expect(named('ticket_type').choices.map((c) => c.value)).toEqual(['Incident', 'Service Request']);
    for (const n of ['urgency', 'impact', 'group', 'agent', 'category', 'crosswalk_id']) expect(named(n)).toBeDefined();
  });
});

describe('the list (§2.5)', () => {
  const listed = async (q: string) => {
    const r = await fs<{ tickets: Array<{ id: number; subject: string }> }>('GET', `/api/v2/tickets${q}`);
    return { r, subjects: r.json.tickets?.map((t) => t.subject) };
  };

  it('without updated_since lists only tickets created in the last 30 days', async () => {
    const { subjects } = await listed('');
    expect(subjects).toEqual(['VPN drops every few minutes', 'New laptop for onboarding']);
    const since = await listed('?updated_since=2026-01-01T00:00:00Z&order_type=asc');
    expect(since.subjects).toEqual([
      'Printer on floor 3 jams',
      'New laptop for onboarding',
      'VPN drops every few minutes',
    ]);
  });

  it('takes updated_since as the sweep does: what changed since then', async () => {
    await advance(600);
    const t = await newTicket();
    const { subjects } = await listed(`?updated_since=${new Date(START + 300_000).toISOString().replace('.000', '')}`);
    expect(subjects).toEqual([t.subject]);
  });

  it('refuses per_page above 100 and pages with a link rel="next"', async () => {
    const over = await fs<ErrorBody>('GET', '/api/v2/tickets?per_page=101');
    expect(over.status).toBe(400);
    expect(over.json.errors[0]).toMatchObject({ field: 'per_page', code: 'invalid_value' });
    const first = await listed('?per_page=1');
    expect(first.subjects).toHaveLength(1);
    expect(first.r.headers.get('link')).toMatch(/^<https?:\/\/[^>]+[?&]page=2[^>]*>; rel="next"$/);
    const last = await listed('?per_page=1&page=2');
    expect(last.r.headers.get('link')).toBeNull();
  });
});

describe('the filter (§2.2 correlation)', () => {
  const filter = (query: string, page = 1) =>
    fs<{ tickets: Array<{ id: number }>; total: number } & ErrorBody>(
      'GET',
      `/api/v2/tickets/filter?query=${encodeURIComponent(query)}&page=${page}`,
    );

  it('searches standard and custom fields, but only once the index caught up (60 s by default)', async () => {
    const t = await newTicket({ priority: 4, custom_fields: { crosswalk_id: 'ITS-42' } });
    expect((await filter(`"crosswalk_id:'ITS-42'"`)).json.total).toBe(0);
    await advance(61);
    const found = await filter(`"crosswalk_id:'ITS-42' AND (priority:4 OR priority:3)"`);
    expect(found.json.tickets.map((x) => x.id)).toEqual([t.id]);
    expect(found.json.total).toBe(1);
  });

  it('finds the indexed version of a ticket: a change is not searchable until the lag has passed', async () => {
    const t = await newTicket({ priority: 2 });
    await advance(61);
    await fs('PUT', `/api/v2/tickets/${t.id}`, { priority: 4 });
    expect((await filter('"priority:4"')).json.tickets.map((x) => x.id)).not.toContain(t.id);
    expect((await filter('"priority:2"')).json.tickets.map((x) => x.id)).toContain(t.id);
    await control('/limits', { filterLagSeconds: 0 }, 'PUT');
    expect((await filter('"priority:4"')).json.tickets.map((x) => x.id)).toContain(t.id);
  });

  it('answers 30 a page with the total', async () => {
    await control('/limits', { filterLagSeconds: 0 }, 'PUT');
    for (let i = 0; i < 31; i++) await newTicket({ urgency: 3 });
    const first = await filter('"urgency:3"');
    expect([first.json.tickets.length, first.json.total]).toEqual([30, 31]);
    expect((await filter('"urgency:3"', 2)).json.tickets).toHaveLength(1);
  });

  it('wants the query double-quoted, at most 512 characters, over fields it knows', async () => {
    expect((await filter('priority:4')).status).toBe(400);
    expect((await filter(`"crosswalk_id:'${'x'.repeat(520)}'"`)).status).toBe(400);
    expect((await filter('"summary:\'x\'"')).json.errors[0]).toMatchObject({ field: 'query', code: 'invalid_value' });
  });
});

describe('conversations (§2.3)', () => {
  it('a reply is public and goes to the requester; a note is private unless it says otherwise', async () => {
    const t = await newTicket();
    const reply = await fs<ConversationBody>('POST', `/api/v2/tickets/${t.id}/reply`, { body: '<p>On it</p>' });
    expect(reply.status).toBe(201);
    expect(reply.json.conversation).toMatchObject({
      private: false,
      source: 0,
      body_text: 'On it',
      to_emails: [DEMO_CREDENTIALS.requester.email],
    });
    const note = await fs<ConversationBody>('POST', `/api/v2/tickets/${t.id}/notes`, { body: '<p>Internal</p>' });
    expect(note.json.conversation).toMatchObject({ private: true, source: 2, incoming: false });
    const publicNote = await fs<ConversationBody>('POST', `/api/v2/tickets/${t.id}/notes`, {
      body: '<p>Shared</p>',
      private: false,
    });
    expect(publicNote.json.conversation.private).toBe(false);
    const list = await fs<{ conversations: Json[] }>('GET', `/api/v2/tickets/${t.id}/conversations`);
    expect(list.json.conversations.map((c) => c.body_text)).toEqual(['On it', 'Internal', 'Shared']);
  });

  it('a note can be edited and deleted; a reply cannot be edited', async () => {
    const t = await newTicket();
    const reply = await fs<ConversationBody>('POST', `/api/v2/tickets/${t.id}/reply`, { body: '<p>Sent</p>' });
    const note = await fs<ConversationBody>('POST', `/api/v2/tickets/${t.id}/notes`, { body: '<p>Draft</p>' });
    const editReply = await fs<ErrorBody>('PUT', `/api/v2/conversations/${reply.json.conversation.id}`, {
      body: '<p>Changed</p>',
    });
    expect(editReply.status).toBe(400);
    const editNote = await fs<ConversationBody>('PUT', `/api/v2/conversations/${note.json.conversation.id}`, {
      body: '<p>Final</p>',
    });
    expect([editNote.status, editNote.json.conversation.body]).toEqual([200, '<p>Final</p>']);
    expect((await fs('DELETE', `/api/v2/conversations/${note.json.conversation.id}`)).status).toBe(204);
    const left = await fs<{ conversations: Json[] }>('GET', `/api/v2/tickets/${t.id}/conversations`);
    expect(left.json.conversations.map((c) => c.body)).toEqual(['<p>Sent</p>']);
  });
});

describe('attachments (§2.4)', () => {
  const withFiles = (fields: Record<string, string>, files: Array<[string, Buffer]>) => {
    const form = new FormData();
    for (const [k, v] of Object.entries(fields)) form.append(k, v);
    for (const [name, bytes] of files) form.append('attachments[]', new Blob([new Uint8Array(bytes)]), name);
    return form;
  };

  it('travel inline as attachments[] on create, update and notes, and download by id', async () => {
    const created = await fs<
      TicketBody & { ticket: { attachments: Array<{ id: number; name: string; size: number }> } }
    >(
      'POST',
      '/api/v2/tickets',
      withFiles(
        {
          subject: 'Screenshot attached',
          email: DEMO_CREDENTIALS.requester.email,
          priority: '3',
          'tags[]': 'ui',
          'custom_fields[affected_users]': '12',
        },
        [['screen.png', Buffer.from('png bytes')]],
      ),
    );
    expect(created.status).toBe(201);
    const t = created.json.ticket;
    expect(t).toMatchObject({ priority: 3, tags: ['ui'] });
    expect(t.custom_fields.affected_users).toBe(12);
    expect(t.attachments.map((a) => [a.name, a.size])).toEqual([['screen.png', 9]]);
    const download = await fetch(`${sim.baseUrl}/api/v2/attachments/${t.attachments[0]!.id}`, {
      headers: { authorization: `Basic ${Buffer.from(`${DEMO_CREDENTIALS.integration.apiKey}:X`).toString('base64')}` },
    });
    expect(Buffer.from(await download.arrayBuffer()).toString()).toBe('png bytes');
    const note = await fs<{ conversation: { attachments: Array<{ name: string }> } }>(
      'POST',
      `/api/v2/tickets/${t.id}/notes`,
      withFiles({ body: '<p>log</p>' }, [['trace.log', Buffer.from('trace')]]),
    );
    expect(note.json.conversation.attachments.map((a) => a.name)).toEqual(['trace.log']);
    expect((await fs('DELETE', `/api/v2/tickets/${t.id}/attachments/${t.attachments[0]!.id}`)).status).toBe(204);
    const after = await fs<{ ticket: { attachments: Json[] } }>('GET', `/api/v2/tickets/${t.id}`);
    expect(after.json.ticket.attachments).toEqual([]);
  });

  it('are capped at 40 MB per ticket, its conversations included', async () => {
    const t = await newTicket();
    const MB = 1024 * 1024;
    const first = await fs('PUT', `/api/v2/tickets/${t.id}`, withFiles({}, [['a.bin', Buffer.alloc(25 * MB)]]));
    expect(first.status).toBe(200);
    const over = await fs<ErrorBody>(
      'POST',
      `/api/v2/tickets/${t.id}/reply`,
      withFiles({ body: '<p>more</p>' }, [['b.bin', Buffer.alloc(15 * MB + 1)]]),
    );
    expect(over.status).toBe(400);
    expect(over.json.errors[0]).toMatchObject({ field: 'attachments', code: 'invalid_value' });
    expect((await fs('PUT', `/api/v2/tickets/${t.id}`, withFiles({}, [['c.bin', Buffer.alloc(15 * MB)]]))).status).toBe(
      200,
    );
  });
});

describe('rate limits (§2.7)', () => {
  it('sends the per-minute headers on every call, three credits for a list embedding stats', async () => {
    const first = await fs('GET', '/api/v2/tickets');
    expect(first.headers.get('x-ratelimit-total')).toBe('400');
    expect(first.headers.get('x-ratelimit-remaining')).toBe('399');
    expect(first.headers.get('x-ratelimit-used-currentrequest')).toBe('1');
    const stats = await fs('GET', '/api/v2/tickets?include=stats');
    expect(stats.headers.get('x-ratelimit-used-currentrequest')).toBe('3');
    expect(stats.headers.get('x-ratelimit-remaining')).toBe('396');
  });

  it('once enforced, answers 429 with Retry-After at an endpoint sub-limit, and the minute after it is open again', async () => {
    await control('/rate-limit', { plan: 'starter', enforced: true }, 'PUT');
    for (let i = 0; i < 50; i++) expect((await fs('GET', '/api/v2/tickets/2')).status).toBe(200);
    const limited = await fs<ErrorBody>('GET', '/api/v2/tickets/2');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('60');
    // Other endpoints still have the account's budget.
    expect((await fs('GET', '/api/v2/groups')).status).toBe(200);
    await advance(60);
    expect((await fs('GET', '/api/v2/tickets/2')).status).toBe(200);
  });

  it('counts refused calls too, up to the overall limit', async () => {
    await control('/rate-limit', { plan: 'starter', enforced: true }, 'PUT');
    for (let i = 0; i < 100; i++) expect((await fs('GET', '/api/v2/agents?per_page=500')).status).toBe(400);
    expect((await fs('GET', '/api/v2/groups')).status).toBe(429);
  });
});

describe('errors (§2.8)', () => {
  it('406 for an Accept that excludes JSON, 415 for XML, 405 for PUT on the collection, 404 for no such ticket', async () => {
    expect((await fs('GET', '/api/v2/tickets', undefined, { accept: 'application/xml' })).status).toBe(406);
    const xml = await fs('POST', '/api/v2/tickets', undefined, { 'content-type': 'application/xml' });
    expect(xml.status).toBe(415);
    expect((await fs('PUT', '/api/v2/tickets', {})).status).toBe(405);
    const missing = await fs<ErrorBody>('GET', '/api/v2/tickets/999');
    expect([missing.status, missing.json.errors[0]!.code]).toEqual([404, 'not_found']);
  });
});

describe('lookups', () => {
  it('finds agents and requesters by email, and lists groups', async () => {
    const agents = await fs<{ agents: Json[] }>(
      'GET',
      `/api/v2/agents?email=${encodeURIComponent(DEMO_CREDENTIALS.agent.email)}`,
    );
    expect(agents.json.agents).toEqual([expect.objectContaining({ first_name: 'Sam', last_name: 'Agent' })]);
    const requesters = await fs<{ requesters: Json[] }>(
      'GET',
      `/api/v2/requesters?email=${encodeURIComponent(DEMO_CREDENTIALS.requester.email)}`,
    );
    expect(requesters.json.requesters).toEqual([
      expect.objectContaining({ primary_email: DEMO_CREDENTIALS.requester.email }),
    ]);
    const groups = await fs<{ groups: Array<{ name: string }> }>('GET', '/api/v2/groups');
    expect(groups.json.groups.map((g) => g.name)).toEqual(['Service Desk', 'Network Team']);
  });
});

describe("the Workflow Automator's Trigger Webhook (§2.5: no webhook API, no signature)", () => {
  let receiver: Server;
  let received: Array<{ headers: IncomingHttpHeaders; body: string }>;
  let answer: number;
  let url: string;

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        received.push({ headers: req.headers, body });
        res.writeHead(answer).end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
  });
  afterAll(() => new Promise<void>((r) => receiver.close(() => r())));
  beforeEach(() => {
    received = [];
    answer = 200;
  });

  const configure = (events: string[], payload?: string) =>
    control('/automator', {
      url,
      headers: { 'X-Crosswalk-Secret': 's3cret' },
      events,
      ...(payload ? { payload } : {}),
    });

  it('POSTs the rendered payload with the custom header the admin added, and no signature', async () => {
    await configure(
      ['ticket_created', 'ticket_updated'],
      '{"id": {{ticket.id}}, "status": "{{ticket.status}}", "code": {{ticket.status_code}}, "subject": "{{ticket.subject}}", "at": "{{ticket.updated_at}}", "event": "{{triggered_event}}", "by": "{{performer.email}}"}',
    );
    const t = await newTicket({ subject: 'Quote " and \\ in subject' });
    await sim.notifier.idle();
    expect(received).toHaveLength(1);
    expect(received[0]!.headers['x-crosswalk-secret']).toBe('s3cret');
    expect(received[0]!.headers['content-type']).toBe('application/json');
    expect(Object.keys(received[0]!.headers).filter((h) => /signature/i.test(h))).toEqual([]);
    expect(JSON.parse(received[0]!.body)).toEqual({
      id: t.id,
      status: 'Open',
      code: 2,
      subject: 'Quote " and \\ in subject',
      at: t.updated_at,
      event: 'ticket_created',
      by: DEMO_CREDENTIALS.integration.email,
    });
  });

  it('fires only for the events the rule names, with who made the change', async () => {
    await configure(['note_added']);
    const t = await newTicket();
    await sam('POST', `/api/v2/tickets/${t.id}/reply`, { body: '<p>r</p>' });
    await sam('POST', `/api/v2/tickets/${t.id}/notes`, { body: '<p>n</p>' });
    await sim.notifier.idle();
    expect(received.map((r) => JSON.parse(r.body) as Json)).toEqual([
      {
        ticket_id: t.id,
        event: 'note_added',
        updated_at: expect.any(String),
        performer_email: DEMO_CREDENTIALS.agent.email,
      },
    ]);
  });

  it('does not fire for an update that changes nothing, which leaves the stamp as it was', async () => {
    const t = await newTicket();
    await configure(['ticket_updated']);
    await advance(5);
    const same = await fs<TicketBody>('PUT', `/api/v2/tickets/${t.id}`, { subject: t.subject });
    expect(same.json.ticket.updated_at).toBe(t.updated_at);
    await sim.notifier.idle();
    expect(received).toEqual([]);
  });

  it('sends once, without retrying a failed delivery', async () => {
    answer = 500;
    await configure(['ticket_created']);
    await newTicket();
    await sim.notifier.idle();
    await new Promise((r) => setTimeout(r, 50));
    expect(received).toHaveLength(1);
    const deliveries = (await control('/automator/deliveries', undefined, 'GET')) as {
      sent: Array<{ status: number }>;
    };
    expect(deliveries.sent.map((d) => d.status)).toEqual([500]);
  });

  it('sends one genuine delivery on demand through the first rule, as the sandbox replay test needs', async () => {
    await configure(['ticket_updated']);
    const sent = await sim.genuineDelivery();
    expect(sent).toMatchObject({ url, status: 200, headers: { 'X-Crosswalk-Secret': 's3cret' } });
    expect(received.map((r) => r.body)).toEqual([sent.body]);
    expect(JSON.parse(sent.body)).toMatchObject({
      event: 'ticket_updated',
      performer_email: DEMO_CREDENTIALS.agent.email,
    });
  });

  it('can lose, duplicate and hold deliveries for the tests, and says when it is busy', async () => {
    await configure(['ticket_created']);
    await control('/automator/deliveries', { lose: 1, duplicate: 1, paused: true }, 'PUT');
    await newTicket();
    const second = await newTicket();
    expect(sim.notifier.busy).toBe(false);
    expect(received).toEqual([]);
    await control('/automator/deliveries/flush');
    await sim.notifier.idle();
    expect(received.map((r) => (JSON.parse(r.body) as Json).ticket_id)).toEqual([second.id, second.id]);
  });
});

describe('faults, as the other simulators take them', () => {
  it('answers an injected status for the integration only, and an outage for everyone', async () => {
    await control('/faults', { user: DEMO_CREDENTIALS.integration.email, status: 503, times: 1 });
    expect((await sam('GET', '/api/v2/tickets/2')).status).toBe(200);
    expect((await fs('GET', '/api/v2/tickets/2')).status).toBe(503);
    expect((await fs('GET', '/api/v2/tickets/2')).status).toBe(200);
    await control('/outage', { on: true }, 'PUT');
    expect((await sam('GET', '/api/v2/tickets/2')).status).toBe(503);
  });
});

describe('the web view', () => {
  it('shows the ticket at its real path and lets the agent reply, as Sam through the API', async () => {
    const page = await fetch(`${sim.baseUrl}/a/tickets/2`);
    expect(await page.text()).toContain('VPN drops every few minutes');
    const form = new URLSearchParams({ do: 'comment', visibility: 'reply', body: 'Please update the client' });
    const posted = await fetch(`${sim.baseUrl}/a/tickets/2`, { method: 'POST', body: form, redirect: 'manual' });
    expect(posted.status).toBe(303);
    const list = await fs<{ conversations: Array<Json> }>('GET', '/api/v2/tickets/2/conversations');
    expect(list.json.conversations.at(-1)).toMatchObject({
      body_text: 'Please update the client',
      private: false,
      user_id: expect.any(Number),
    });
  });

  it('lets an admin add a Trigger Webhook rule on the automator page', async () => {
    const form = new URLSearchParams({
      do: 'add',
      url: 'https://example.com/hook',
      header_name: 'X-Crosswalk-Secret',
      header_value: 'v',
    });
    form.append('events', 'ticket_updated');
    await fetch(`${sim.baseUrl}/a/admin/workflow-automator`, { method: 'POST', body: form, redirect: 'manual' });
    const rules = (await control('/automator', undefined, 'GET')) as { rules: Array<Json> };
    expect(rules.rules).toEqual([
      expect.objectContaining({
        url: 'https://example.com/hook',
        headers: { 'X-Crosswalk-Secret': 'v' },
        events: ['ticket_updated'],
      }),
    ]);
  });
});

describe('the sandbox entry', () => {
  it('plays freshservice at *.freshservice.com with the demo instance URL', async () => {
    expect(simulatedSystem.kind).toBe('freshservice');
    const running = await simulatedSystem.start({ now: () => START });
    try {
      expect(running.routes).toEqual([{ host: '*.freshservice.com', target: running.baseUrl }]);
      expect(running.instanceUrl).toBe('https://acme.freshservice.com');
      expect(running.summary).toMatchObject({
        baseUrl: running.baseUrl,
        controlUrl: running.controlUrl,
        instanceUrl: running.instanceUrl,
      });
    } finally {
      await running.stop();
    }
  });
});
