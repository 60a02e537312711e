/** Auth, rate limits, the incremental export and the control API (vendor-apis.md §3.4–3.6, §3.8). */
import { DEMO_CREDENTIALS, startZendeskSim, type ZendeskSim } from './index';
import type { TicketJson } from './serialize';
import { zendeskClient } from './test-client';

let sim: ZendeskSim;
let clock = Date.UTC(2026, 10, 24, 9, 0, 30);
let zd: ReturnType<typeof zendeskClient>;

type ExportRes = {
  tickets: TicketJson[];
  after_cursor: string;
  after_url: string;
  before_cursor: null;
  before_url: null;
  end_of_stream: boolean;
};

beforeAll(async () => {
  sim = await startZendeskSim({ now: () => clock });
  zd = zendeskClient(sim, DEMO_CREDENTIALS.integration, { 'x-forwarded-host': 'acme.zendesk.com' });
});
afterAll(() => sim.stop());
beforeEach(async () => {
  clock = Date.UTC(2026, 10, 24, 9, 0, 30);
  await fetch(`${sim.controlUrl}/reset`, { method: 'POST' });
});
const control = (method: string, path: string, body?: unknown) =>
  fetch(`${sim.controlUrl}${path}`, { method, body: body === undefined ? undefined : JSON.stringify(body) });
const tick = (seconds: number) => {
  clock += seconds * 1000;
};

describe('authentication', () => {
  it('accepts {email}/token:{api_token} Basic auth for any user of the account', async () => {
    for (const who of [DEMO_CREDENTIALS.integration, DEMO_CREDENTIALS.agent, DEMO_CREDENTIALS.endUser]) {
      const res = await zendeskClient(sim, who)<{ user: { email: string } }>('GET', '/api/v2/users/me.json');
      expect(res.status).toBe(200);
      expect(res.json.user.email).toBe(who.email);
    }
  });

  it('accepts the seeded OAuth bearer token and ones minted through the control API', async () => {
    const seeded = await zendeskClient(sim, { bearer: DEMO_CREDENTIALS.integration.oauthAccessToken })<{
      user: { email: string; role: string };
    }>('GET', '/api/v2/users/me.json');
    expect(seeded.json.user).toMatchObject({ email: DEMO_CREDENTIALS.integration.email, role: 'admin' });
    const minted = (await (await control('POST', '/oauth-tokens', { email: DEMO_CREDENTIALS.agent.email })).json()) as {
      access_token: string;
    };
    const me = await zendeskClient(sim, { bearer: minted.access_token })<{ user: { email: string } }>(
      'GET',
      '/api/v2/users/me.json',
    );
    expect(me.json.user.email).toBe(DEMO_CREDENTIALS.agent.email);
    await control('DELETE', `/oauth-tokens/${minted.access_token}`);
    expect((await zendeskClient(sim, { bearer: minted.access_token })('GET', '/api/v2/users/me.json')).status).toBe(
      401,
    );
  });

  it('answers 401 "Couldn\'t authenticate you" for a wrong token, a password or nothing', async () => {
    for (const auth of [
      { email: DEMO_CREDENTIALS.integration.email, apiToken: 'wrong' },
      { email: 'nobody@acme.example', apiToken: DEMO_CREDENTIALS.apiToken },
      { none: true as const },
    ]) {
      const res = await zendeskClient(sim, auth)('GET', '/api/v2/tickets.json');
      expect(res.status).toBe(401);
      expect(res.json).toEqual({ error: "Couldn't authenticate you" });
    }
    const password = await fetch(`${sim.baseUrl}/api/v2/tickets.json`, {
      headers: { authorization: `Basic ${Buffer.from('crosswalk@acme.example:secret').toString('base64')}` },
    });
    expect(password.status).toBe(401);
    const bearer = await zendeskClient(sim, { bearer: 'expired' })('GET', '/api/v2/tickets.json');
    expect(bearer.status).toBe(401);
    expect(bearer.json).toMatchObject({ error: 'invalid_token' });
  });

  it('forbids end users the agent endpoints and agents the admin ones (403 Forbidden)', async () => {
    const endUser = zendeskClient(sim, DEMO_CREDENTIALS.endUser);
    for (const path of [
      '/api/v2/tickets.json',
      '/api/v2/tickets/1.json',
      '/api/v2/ticket_fields.json',
      '/api/v2/search.json?query=type:ticket',
    ]) {
      const res = await endUser('GET', path);
      expect(res.status).toBe(403);
      expect(res.json).toEqual({
        error: 'Forbidden',
        description:
          'You do not have access to this page. Please contact the account owner of this help desk for further help.',
      });
    }
    const agent = zendeskClient(sim, DEMO_CREDENTIALS.agent);
    expect((await agent('GET', '/api/v2/tickets.json')).status).toBe(200);
    expect((await agent('GET', '/api/v2/webhooks')).status).toBe(403);
    clock += 120_000;
    expect((await agent('GET', '/api/v2/incremental/tickets/cursor.json?start_time=0')).status).toBe(403);
  });
});

describe('rate limits', () => {
  it('sends X-Rate-Limit, X-Rate-Limit-Remaining and ratelimit-* headers on every answer', async () => {
    const first = await zd('GET', '/api/v2/tickets.json');
    const second = await zd('GET', '/api/v2/tickets/999.json');
    expect(first.headers.get('x-rate-limit')).toBe('700');
    expect(first.headers.get('x-rate-limit-remaining')).toBe('699');
    expect(second.status).toBe(404);
    expect(second.headers.get('x-rate-limit-remaining')).toBe('698');
    expect(second.headers.get('ratelimit-limit')).toBe('700');
    expect(second.headers.get('ratelimit-remaining')).toBe('698');
    expect(second.headers.get('ratelimit-reset')).toBe('30');
  });

  it("answers 429 with Retry-After once the plan's per-minute budget is spent, until the minute turns", async () => {
    await control('PUT', '/rate-limit', { plan: 'team', enforced: true });
    for (let i = 0; i < 200; i++) expect((await zd('GET', '/api/v2/users/me.json')).status).toBe(200);
    const over = await zd('GET', '/api/v2/users/me.json');
    expect(over.status).toBe(429);
    expect(over.headers.get('retry-after')).toBe('30');
    expect(over.headers.get('x-rate-limit')).toBe('200');
    expect(over.headers.get('x-rate-limit-remaining')).toBe('0');
    tick(30);
    expect((await zd('GET', '/api/v2/users/me.json')).status).toBe(200);
  });

  it('offers the published plans', async () => {
    for (const [plan, limit] of [
      ['team', 200],
      ['professional', 400],
      ['enterprise', 700],
      ['enterprise_plus', 2500],
    ] as const) {
      await control('PUT', '/rate-limit', { plan });
      expect((await zd('GET', '/api/v2/users/me.json')).headers.get('x-rate-limit')).toBe(String(limit));
    }
  });
});

describe('incremental ticket export (cursor based)', () => {
  const exportFrom = (q: string) => zd<ExportRes>('GET', `/api/v2/incremental/tickets/cursor.json?${q}`);

  it('refuses a start_time less than a minute in the past (422 "Too recent start_time")', async () => {
    const nowSec = Math.floor(clock / 1000);
    const res = await exportFrom(`start_time=${nowSec - 30}`);
    expect(res.status).toBe(422);
    expect(res.json).toMatchObject({
      error: 'InvalidValue',
      description: expect.stringMatching(/^Too recent start_time/),
    });
    expect((await exportFrom(`start_time=${nowSec - 60}`)).status).toBe(200);
    expect((await zd('GET', '/api/v2/incremental/tickets/cursor.json')).status).toBe(400);
  });

  it('pages through changes in order with after_cursor, and picks up later changes from the last cursor even at end_of_stream', async () => {
    const start = Math.floor(clock / 1000) - 3600;
    const first = await exportFrom(`start_time=${start}&per_page=1`);
    expect(first.status).toBe(200);
    expect(first.json.tickets.map((t) => t.id)).toEqual([1]);
    expect(first.json).toMatchObject({ end_of_stream: false, before_cursor: null, before_url: null });
    expect(first.json.after_url).toBe(
      `https://acme.zendesk.com/api/v2/incremental/tickets/cursor.json?cursor=${encodeURIComponent(first.json.after_cursor)}`,
    );
    const rest = await exportFrom(`cursor=${encodeURIComponent(first.json.after_cursor)}`);
    expect(rest.json.tickets.map((t) => t.id)).toEqual([2]);
    expect(rest.json.end_of_stream).toBe(true);
    const empty = await exportFrom(`cursor=${encodeURIComponent(rest.json.after_cursor)}`);
    expect(empty.json).toMatchObject({ tickets: [], end_of_stream: true, after_cursor: rest.json.after_cursor });
    tick(90);
    await zd('PUT', '/api/v2/tickets/1.json', { ticket: { status: 'pending' } });
    const later = await exportFrom(`cursor=${encodeURIComponent(rest.json.after_cursor)}`);
    expect(later.json.tickets.map((t) => [t.id, t.status])).toEqual([[1, 'pending']]);
  });

  it('shows deleted tickets with status "deleted"', async () => {
    const start = Math.floor(clock / 1000) - 3600;
    expect((await zd('DELETE', '/api/v2/tickets/2.json')).status).toBe(204);
    expect((await zd('GET', '/api/v2/tickets/2.json')).status).toBe(404);
    const res = await exportFrom(`start_time=${start}`);
    expect(res.json.tickets.find((t) => t.id === 2)?.status).toBe('deleted');
  });

  it('has its own limit of 10 requests a minute', async () => {
    const start = Math.floor(clock / 1000) - 3600;
    for (let i = 0; i < 10; i++) expect((await exportFrom(`start_time=${start}`)).status).toBe(200);
    const over = await exportFrom(`start_time=${start}`);
    expect(over.status).toBe(429);
    expect(over.headers.get('retry-after')).toBe('30');
    expect(over.headers.get('x-rate-limit')).toBe('700');
    expect((await zd('GET', '/api/v2/tickets.json')).status).toBe(200);
    tick(30);
    expect((await exportFrom(`start_time=${start}`)).status).toBe(200);
  });
});

describe('errors and hosts', () => {
  it('answers unknown endpoints with InvalidEndpoint and bad JSON with 400', async () => {
    expect(await zd('GET', '/api/v2/nothing_here.json')).toMatchObject({
      status: 404,
      json: { error: 'InvalidEndpoint', description: 'Not found' },
    });
    const bad = await fetch(`${sim.baseUrl}/api/v2/tickets.json`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${DEMO_CREDENTIALS.integration.email}/token:${DEMO_CREDENTIALS.apiToken}`).toString('base64')}`,
        'content-type': 'application/json',
      },
      body: '{"ticket":',
    });
    expect(bad.status).toBe(400);
  });

  it('builds url fields from the host the request came in on (x-forwarded-host/-proto), else the loopback address', async () => {
    const direct = await zendeskClient(sim, DEMO_CREDENTIALS.integration)<{ ticket: TicketJson }>(
      'GET',
      '/api/v2/tickets/1.json',
    );
    expect(direct.json.ticket.url).toBe(`${sim.baseUrl}/api/v2/tickets/1.json`);
    const proxied = await zendeskClient(sim, DEMO_CREDENTIALS.integration, {
      'x-forwarded-host': 'acme.zendesk.com',
      'x-forwarded-proto': 'http',
    })<{ ticket: TicketJson }>('GET', '/api/v2/tickets/1.json');
    expect(proxied.json.ticket.url).toBe('http://acme.zendesk.com/api/v2/tickets/1.json');
  });
});

describe('control API', () => {
  it('injects faults from the shared fault list: a status, a delay, a dropped connection', async () => {
    await control('POST', '/faults', {
      method: 'PUT',
      path: '/api/v2/tickets/',
      status: 503,
      headers: { 'Retry-After': '7' },
      times: 1,
    });
    const failed = await zd('PUT', '/api/v2/tickets/1.json', { ticket: { priority: 'low' } });
    expect(failed.status).toBe(503);
    expect(failed.headers.get('retry-after')).toBe('7');
    expect((await zd('PUT', '/api/v2/tickets/1.json', { ticket: { priority: 'low' } })).status).toBe(200);
    await control('POST', '/faults', { path: '/users/me', delayMs: 150 });
    const started = Date.now();
    expect((await zd('GET', '/api/v2/users/me.json')).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    await control('POST', '/faults', { path: '/users/me', drop: true });
    await expect(zd('GET', '/api/v2/users/me.json')).rejects.toThrow();
  });

  it('logs requests and counts them per route and status', async () => {
    await zd('GET', '/api/v2/tickets/1.json');
    await zd('GET', '/api/v2/tickets/2.json');
    await zd('GET', '/api/v2/tickets/999.json');
    const log = (await (await control('GET', '/requests')).json()) as Array<{
      method: string;
      path: string;
      status: number;
      user: string;
    }>;
    expect(log.map((r) => [r.method, r.path, r.status, r.user])).toEqual([
      ['GET', '/api/v2/tickets/1.json', 200, DEMO_CREDENTIALS.integration.email],
      ['GET', '/api/v2/tickets/2.json', 200, DEMO_CREDENTIALS.integration.email],
      ['GET', '/api/v2/tickets/999.json', 404, DEMO_CREDENTIALS.integration.email],
    ]);
    const counters = (await (await control('GET', '/counters')).json()) as {
      total: number;
      byStatus: Record<string, number>;
      byRoute: Record<string, number>;
    };
    expect(counters).toEqual({
      total: 3,
      byStatus: { 200: 2, 404: 1 },
      byRoute: { 'GET /api/v2/tickets/{id}.json': 3 },
    });
  });

  it('adds users, advances the clock, and resets to the seed', async () => {
    const res = await control('POST', '/users', { name: 'Lee Agent', email: 'lee@acme.example', role: 'agent' });
    expect(res.status).toBe(201);
    expect(
      (
        await zendeskClient(sim, { email: 'lee@acme.example', apiToken: DEMO_CREDENTIALS.apiToken })(
          'GET',
          '/api/v2/tickets.json',
        )
      ).status,
    ).toBe(200);
    const clockRes = (await (await control('POST', '/clock', { advanceSeconds: 3600 })).json()) as { now: string };
    expect(clockRes.now).toBe('2026-11-24T10:00:30.000Z');
    await zd('POST', '/api/v2/tickets.json', { ticket: { comment: { body: 'later' } } });
    expect(sim.store.tickets.get(3)!.created_at).toBe('2026-11-24T10:00:30Z');
    await control('POST', '/reset');
    expect(sim.store.userByEmail('lee@acme.example')).toBeUndefined();
    expect(sim.store.liveTickets().map((t) => t.id)).toEqual([1, 2]);
    const users = (await (await control('GET', '/users')).json()) as Array<{ email: string; role: string }>;
    expect(users.map((u) => [u.email, u.role])).toEqual([
      ['crosswalk@acme.example', 'admin'],
      ['sam.agent@acme.example', 'agent'],
      ['pat.customer@acme.example', 'end-user'],
    ]);
  });

  it('seeds the acme account: a Support group, three users and a few tickets', async () => {
    const groups = await zd<{ groups: Array<{ name: string }> }>('GET', '/api/v2/groups.json');
    expect(groups.json.groups.map((g) => g.name)).toContain('Support');
    const tickets = await zd<{ tickets: TicketJson[] }>('GET', '/api/v2/tickets.json');
    expect(tickets.json.tickets.map((t) => [t.subject, t.status])).toEqual([
      ['Cannot log in to the mobile app', 'open'],
      ['Invoice shows the wrong VAT number', 'new'],
    ]);
  });
});
