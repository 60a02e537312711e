import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { DEMO_CREDENTIALS, startServiceNowSim, type ServiceNowSim } from './index';
import { sign, SIGNATURE_HEADER, TIMESTAMP_HEADER } from './notifications';

const FIXTURES = path.resolve(__dirname, '../../../../shared/specs/servicenow/fixtures');
const fixture = (name: string) => JSON.parse(readFileSync(path.join(FIXTURES, name), 'utf8')) as Record<string, any>;

let sim: ServiceNowSim;
let clock = Date.UTC(2026, 10, 24, 9, 0, 0);
const basic = (u = DEMO_CREDENTIALS.integration) =>
  `Basic ${Buffer.from(`${u.username}:${u.password}`).toString('base64')}`;

async function sn(method: string, p: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(sim.baseUrl + p, {
    method,
    headers: {
      accept: 'application/json',
      authorization: basic(),
      'x-forwarded-host': 'acme.service-now.com',
      ...(body !== undefined && !(body instanceof Uint8Array) ? { 'content-type': 'application/json' } : {}),
      ...headers,
    },
    body: body instanceof Uint8Array ? Buffer.from(body) : body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, json, text };
}

beforeAll(async () => {
  sim = await startServiceNowSim({ now: () => clock, tokenLifetimeSeconds: 60 });
});
afterAll(() => sim.stop());
beforeEach(async () => {
  await fetch(`${sim.controlUrl}/reset`, { method: 'POST' });
});

const createIncident = async (fields: Record<string, unknown> = {}) =>
  (await sn('POST', '/api/now/table/incident', { short_description: 'VPN down', ...fields })).json.result as Record<
    string,
    any
  >;

describe('Table API', () => {
  it("creates an incident in ServiceNow's shape: every value a string, references as {link, value}", async () => {
    const res = await sn('POST', '/api/now/table/incident', {
      short_description: 'VPN down',
      impact: 1,
      urgency: '2',
      caller_id: sim.store.userByName('abel.tuter')!.sys_id,
    });
    expect(res.status).toBe(201);
    const r = res.json.result;
    expect(r.number).toMatch(/^INC\d{7}$/);
    expect(r.sys_id).toMatch(/^[0-9a-f]{32}$/);
    expect(r.sys_updated_on).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    expect(r.sys_mod_count).toBe('0');
    expect(r.caller_id).toEqual({
      link: `https://acme.service-now.com/api/now/table/sys_user/${r.caller_id.value}`,
      value: expect.any(String),
    });
    expect(r.assigned_to).toBe('');
    for (const [k, v] of Object.entries(r))
      if (typeof v !== 'string')
        expect({ k, v }).toEqual({ k, v: { link: expect.any(String), value: expect.any(String) } });
  });

  it('returns only fields a real incident has, with the same value types', async () => {
    const real = fixture('incident_POST_201.json').result as Record<string, unknown>;
    const ours = await createIncident({ assignment_group: sim.store.rows('sys_user_group')[0]!.sys_id });
    for (const [k, v] of Object.entries(ours)) {
      // A column a customer added (u_details, an HTML field) is the instance's own, not the base incident's.
      expect({ field: k, known: k in real || k.startsWith('u_') }).toEqual({ field: k, known: true });
      expect({ field: k, type: typeof v }).toEqual({ field: k, type: typeof v === 'object' ? 'object' : 'string' });
    }
  });

  it("answers errors in ServiceNow's shape", async () => {
    expect((await sn('GET', '/api/now/table/incident/0123456789abcdef0123456789abcdef')).json).toEqual(
      fixture('table_record_404.json'),
    );
    expect((await sn('GET', '/api/now/table/nope')).json).toEqual({
      error: { message: 'Invalid table nope', detail: null },
      status: 'failure',
    });
    expect((await sn('GET', '/api/now/table/incident', undefined, { authorization: 'Basic eDp5' })).json).toEqual(
      fixture('table_401.json'),
    );
  });

  it('cuts short_description at 160 characters', async () => {
    expect((await createIncident({ short_description: 'x'.repeat(200) })).short_description).toHaveLength(160);
  });

  it('derives priority from impact × urgency and ignores a direct write', async () => {
    const inc = await createIncident({ impact: '1', urgency: '1', priority: '5' });
    expect(inc.priority).toBe('1');
    const updated = (await sn('PATCH', `/api/now/table/incident/${inc.sys_id}`, { urgency: '3' })).json.result;
    expect(updated.priority).toBe('3');
    expect(updated.sys_mod_count).toBe('1');
  });

  it('refuses to resolve without close code and notes, and closing makes it inactive', async () => {
    const inc = await createIncident();
    const refused = await sn('PATCH', `/api/now/table/incident/${inc.sys_id}`, { state: '6' });
    expect(refused.status).toBe(403);
    expect(refused.json.error.detail).toContain('Resolution code, Resolution notes');
    const resolved = (
      await sn('PATCH', `/api/now/table/incident/${inc.sys_id}`, {
        state: '6',
        close_code: 'Solution provided',
        close_notes: 'Fixed in Jira',
      })
    ).json.result;
    expect(resolved).toMatchObject({ state: '6', active: 'true', resolved_at: expect.stringMatching(/^\d{4}-/) });
    expect((await sn('PATCH', `/api/now/table/incident/${inc.sys_id}`, { state: '7' })).json.result.active).toBe(
      'false',
    );
  });

  it('ignores unknown fields on write and in sysparm_fields', async () => {
    const inc = await createIncident({ colour: 'red' });
    const got = (await sn('GET', `/api/now/table/incident/${inc.sys_id}?sysparm_fields=number,colour,state`)).json
      .result;
    expect(got).toEqual({ number: inc.number, state: '1' });
  });

  it('renders display values and both with sysparm_display_value', async () => {
    const inc = await createIncident({ state: '2' });
    expect(
      (await sn('GET', `/api/now/table/incident/${inc.sys_id}?sysparm_display_value=true&sysparm_fields=state`)).json
        .result,
    ).toEqual({ state: 'In Progress' });
    expect(
      (await sn('GET', `/api/now/table/incident/${inc.sys_id}?sysparm_display_value=all&sysparm_fields=state`)).json
        .result,
    ).toEqual({ state: { display_value: 'In Progress', value: '2' } });
  });

  it('pages with sysparm_limit/offset, X-Total-Count and Link', async () => {
    for (let i = 0; i < 3; i++) await createIncident({ short_description: `paged ${i}` });
    const res = await sn(
      'GET',
      '/api/now/table/incident?sysparm_query=short_descriptionSTARTSWITHpaged^ORDERBYnumber&sysparm_limit=2',
    );
    expect(res.json.result).toHaveLength(2);
    expect(res.headers.get('x-total-count')).toBe('3');
    expect(res.headers.get('link')).toContain('rel="next"');
    expect(res.headers.get('link')).toContain('https://acme.service-now.com/api/now/table/incident?');
  });
});

describe('journals', () => {
  it('are write-only on the record and read from sys_journal_field', async () => {
    const inc = await createIncident();
    const after = (
      await sn('PATCH', `/api/now/table/incident/${inc.sys_id}`, {
        comments: 'Customer called',
        work_notes: 'Checked the logs',
      })
    ).json.result;
    expect(after.comments).toBe('');
    expect(after.work_notes).toBe('');
    const entries = (
      await sn('GET', `/api/now/table/sys_journal_field?sysparm_query=element_id=${inc.sys_id}^ORDERBYsys_created_on`)
    ).json.result;
    expect(entries.map((e: Record<string, string>) => [e.element, e.value, e.name, e.sys_created_by])).toEqual([
      ['comments', 'Customer called', 'incident', 'crosswalk.integration'],
      ['work_notes', 'Checked the logs', 'incident', 'crosswalk.integration'],
    ]);
  });

  it('cannot be edited or deleted', async () => {
    const inc = await createIncident();
    await sn('PATCH', `/api/now/table/incident/${inc.sys_id}`, { comments: 'once' });
    const entry = (await sn('GET', `/api/now/table/sys_journal_field?sysparm_query=element_id=${inc.sys_id}`)).json
      .result[0];
    expect((await sn('PATCH', `/api/now/table/sys_journal_field/${entry.sys_id}`, { value: 'changed' })).status).toBe(
      403,
    );
    expect((await sn('DELETE', `/api/now/table/sys_journal_field/${entry.sys_id}`)).status).toBe(403);
  });
});

describe('Attachment API', () => {
  it('uploads a raw body, lists, reads metadata and downloads', async () => {
    const inc = await createIncident();
    const up = await sn(
      'POST',
      `/api/now/attachment/file?table_name=incident&table_sys_id=${inc.sys_id}&file_name=log.txt`,
      new Uint8Array(Buffer.from('hello log')),
      { 'content-type': 'text/plain' },
    );
    expect(up.status).toBe(201);
    expect(up.headers.get('location')).toBe(
      `https://acme.service-now.com/api/now/attachment/${up.json.result.sys_id}/file`,
    );
    expect(up.json.result).toMatchObject({
      file_name: 'log.txt',
      content_type: 'text/plain',
      size_bytes: '9',
      table_name: 'incident',
      table_sys_id: inc.sys_id,
    });
    const list = await sn('GET', `/api/now/attachment?sysparm_query=table_sys_id=${inc.sys_id}`);
    expect(list.json.result).toHaveLength(1);
    const file = await sn('GET', `/api/now/attachment/${up.json.result.sys_id}/file`);
    expect(file.text).toBe('hello log');
    expect(JSON.parse(file.headers.get('x-attachment-metadata')!).file_name).toBe('log.txt');
  });

  it('needs the Content-Type header and an existing record', async () => {
    const inc = await createIncident();
    expect(
      (
        await sn(
          'POST',
          `/api/now/attachment/file?table_name=incident&table_sys_id=${inc.sys_id}&file_name=a`,
          new Uint8Array([1]),
          { 'content-type': '' },
        )
      ).status,
    ).toBe(400);
    expect(
      (
        await sn(
          'POST',
          `/api/now/attachment/file?table_name=incident&table_sys_id=ffffffffffffffffffffffffffffffff&file_name=a`,
          new Uint8Array([1]),
          { 'content-type': 'text/plain' },
        )
      ).status,
    ).toBe(404);
  });
});

describe('HTML fields', () => {
  it("keep an editor's markup and drop what could run, as the HTML Sanitizer does on every write", async () => {
    const inc = await createIncident({
      u_details:
        '<p onclick="steal()">Steps <b>one</b> &amp; two<script>alert(1)</script></p>' +
        '<p><a href="javascript:alert(1)">x</a><img src="/sys_attachment.do?sys_id=abc" onerror="x()"></p>' +
        '<style>p{}</style><iframe src="https://evil.example"><p>inside</p></iframe><ul><li>kept</li></ul>',
    });
    expect(inc.u_details).toBe(
      '<p>Steps <b>one</b> &amp; two</p><p><a>x</a><img src="/sys_attachment.do?sys_id=abc"></p><ul><li>kept</li></ul>',
    );
  });

  it("store an image pasted into them as the record's ZZ_YY file, left out of its attachments and the business rule", async () => {
    const inc = await createIncident();
    const notices = sim.notifier.sent.length;
    const up = await sn(
      'POST',
      `/api/now/attachment/file?table_name=ZZ_YYincident&table_sys_id=${inc.sys_id}&file_name=image.png`,
      new Uint8Array([137, 80, 78, 71]),
      { 'content-type': 'image/png' },
    );
    expect(up.status).toBe(201);
    expect(up.json.result).toMatchObject({ table_name: 'ZZ_YYincident', table_sys_id: inc.sys_id });
    const listed = await sn(
      'GET',
      `/api/now/attachment?sysparm_query=${encodeURIComponent(`table_sys_id=${inc.sys_id}^table_name=incident`)}`,
    );
    expect(listed.json.result).toEqual([]);
    expect(sim.notifier.sent.length).toBe(notices);
    // The form shows it by its own link.
    const shown = await fetch(`${sim.baseUrl}/sys_attachment.do?sys_id=${up.json.result.sys_id}`);
    expect(shown.headers.get('content-type')).toBe('image/png');
    expect(new Uint8Array(await shown.arrayBuffer())).toEqual(new Uint8Array([137, 80, 78, 71]));
  });
});

describe('auth, limits and hibernation', () => {
  const token = async (grant: Record<string, string>) =>
    (
      await fetch(`${sim.baseUrl}/oauth_token.do`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ ...DEMO_CREDENTIALS.oauthClient, ...grant }),
      })
    ).json() as Promise<Record<string, any>>;

  it('issues OAuth tokens by password and client credentials, refreshes them, and expires them', async () => {
    const pw = await token({
      grant_type: 'password',
      username: DEMO_CREDENTIALS.integration.username,
      password: DEMO_CREDENTIALS.integration.password,
    });
    expect(pw).toMatchObject({
      token_type: 'Bearer',
      expires_in: 59,
      access_token: expect.any(String),
      refresh_token: expect.any(String),
    });
    expect(
      (
        await sn('GET', '/api/now/table/incident?sysparm_limit=1', undefined, {
          authorization: `Bearer ${pw.access_token}`,
        })
      ).status,
    ).toBe(200);
    clock += 61_000;
    expect(
      (
        await sn('GET', '/api/now/table/incident?sysparm_limit=1', undefined, {
          authorization: `Bearer ${pw.access_token}`,
        })
      ).status,
    ).toBe(401);
    const refreshed = await token({ grant_type: 'refresh_token', refresh_token: pw.refresh_token });
    expect(
      (
        await sn('GET', '/api/now/table/incident?sysparm_limit=1', undefined, {
          authorization: `Bearer ${refreshed.access_token}`,
        })
      ).status,
    ).toBe(200);
    const cc = await token({ grant_type: 'client_credentials' });
    await fetch(`${sim.controlUrl}/expire-tokens`, { method: 'POST' });
    expect(
      (await sn('GET', '/api/now/table/incident', undefined, { authorization: `Bearer ${cc.access_token}` })).status,
    ).toBe(401);
  });

  it('applies rate-limit rules with Retry-After and X-RateLimit headers', async () => {
    await fetch(`${sim.controlUrl}/rate-limit-rules`, {
      method: 'POST',
      body: JSON.stringify({ user: 'crosswalk.integration', limit: 1 }),
    });
    const ok = await sn('GET', '/api/now/table/incident?sysparm_limit=1');
    expect(ok.headers.get('x-ratelimit-limit')).toBe('1');
    const limited = await sn('GET', '/api/now/table/incident?sysparm_limit=1');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(limited.json.error.message).toBe('Rate limit exceeded');
  });

  it('answers every API call with an HTML page and status 200 while hibernating', async () => {
    await fetch(`${sim.controlUrl}/hibernate`, { method: 'PUT', body: JSON.stringify({ on: true }) });
    const res = await sn('GET', '/api/now/table/incident');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(res.text).toContain('Your instance is hibernating');
  });

  it('holds a request unanswered until the faults are cleared, and answers it then', async () => {
    await fetch(`${sim.controlUrl}/faults`, {
      method: 'POST',
      body: JSON.stringify({ method: 'GET', path: '/api/now/table/incident', hold: true, times: 1 }),
    });
    let answered = false;
    const pending = sn('GET', '/api/now/table/incident').then((r) => ((answered = true), r));
    const state = async () => ((await (await fetch(`${sim.controlUrl}/faults`)).json()) as { held: number }).held;
    for (let i = 0; i < 100 && (await state()) === 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect({ held: await state(), answered }).toEqual({ held: 1, answered: false });
    // Another request is not held: the fault was for one.
    expect((await sn('GET', '/api/now/table/incident')).status).toBe(200);
    await fetch(`${sim.controlUrl}/faults`, { method: 'DELETE' });
    expect((await pending).status).toBe(200);
    expect(await state()).toBe(0);
  });
});

describe('outbound notifications', () => {
  it('POST signed JSON on insert, update, journal and attachment; forged and stale ones on demand', async () => {
    const received: Array<{ body: string; signature: string; timestamp: string }> = [];
    const receiver = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({
          body: Buffer.concat(chunks).toString(),
          signature: String(req.headers[SIGNATURE_HEADER]),
          timestamp: String(req.headers[TIMESTAMP_HEADER]),
        });
        res.end('ok');
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    await fetch(`${sim.controlUrl}/notifications`, {
      method: 'PUT',
      body: JSON.stringify({ url, secret: 's3cret', tables: ['incident'] }),
    });
    const inc = await createIncident();
    await sn('PATCH', `/api/now/table/incident/${inc.sys_id}`, { short_description: 'changed', comments: 'hi' });
    await sn(
      'POST',
      `/api/now/attachment/file?table_name=incident&table_sys_id=${inc.sys_id}&file_name=a.txt`,
      new Uint8Array([65]),
      { 'content-type': 'text/plain' },
    );
    // Delivered asynchronously, in order: waits for the fourth (a fixed 200 ms missed it on a busy machine).
    for (let i = 0; i < 100 && received.length < 4; i++) await new Promise((r) => setTimeout(r, 50));
    expect(received.map((r) => JSON.parse(r.body).event)).toEqual(['insert', 'update', 'journal', 'attachment']);
    for (const r of received) expect(r.signature).toBe(sign('s3cret', r.body));
    expect(JSON.parse(received[1]!.body)).toMatchObject({
      table: 'incident',
      sys_id: inc.sys_id,
      number: inc.number,
      changed_fields: ['short_description'],
    });

    await fetch(`${sim.controlUrl}/notifications/send`, {
      method: 'POST',
      body: JSON.stringify({ notice: { event: 'update', sys_id: inc.sys_id }, forged: true }),
    });
    await fetch(`${sim.controlUrl}/notifications/send`, {
      method: 'POST',
      body: JSON.stringify({ notice: { event: 'update', sys_id: inc.sys_id }, ageSeconds: 3600 }),
    });
    const [forged, stale] = received.slice(-2);
    expect(forged!.signature).not.toBe(sign('s3cret', forged!.body));
    expect(stale!.signature).toBe(sign('s3cret', stale!.body));
    expect(Number(stale!.timestamp)).toBe(Math.floor(clock / 1000) - 3600);
    await new Promise<void>((r) => receiver.close(() => r()));
  });
});

describe('SLAs (contract_sla, task_sla)', () => {
  beforeEach(() => {
    clock = Date.UTC(2026, 10, 24, 9, 0, 0);
  });
  const slaOf = async (sysId: string, display = 'all') =>
    (
      await sn(
        'GET',
        `/api/now/table/task_sla?sysparm_query=${encodeURIComponent(`task=${sysId}^ORDERBYDESCsys_created_on`)}&sysparm_display_value=${display}`,
      )
    ).json.result as Array<Record<string, any>>;

  it('attaches the resolution SLA of the incident’s priority, breaching at start + duration, and reads the definition by name', async () => {
    const defs = (await sn('GET', '/api/now/table/contract_sla?sysparm_fields=name,target,duration')).json.result;
    expect(defs).toContainEqual({
      name: 'Priority 3 resolution (8 hour)',
      target: 'resolution',
      duration: '1970-01-01 08:00:00',
    });
    // Impact 2 × urgency 2 is priority 3.
    const inc = await createIncident({ impact: '2', urgency: '2' });
    const [sla] = await slaOf(inc.sys_id);
    expect(sla).toMatchObject({
      task: { value: inc.sys_id, display_value: inc.number },
      sla: { display_value: 'Priority 3 resolution (8 hour)' },
      stage: { value: 'in_progress', display_value: 'In progress' },
      has_breached: { value: 'false' },
      start_time: { value: '2026-11-24 09:00:00' },
      planned_end_time: { value: '2026-11-24 17:00:00' },
      time_left: { value: '1970-01-01 08:00:00', display_value: '8 Hours' },
      business_time_left: { value: '1970-01-01 08:00:00' },
    });
    // Plain values: the definition is a reference (its sys_id), every value a string.
    const [plain] = await slaOf(inc.sys_id, 'false');
    expect(plain!.sla.value).toMatch(/^[0-9a-f]{32}$/);
    expect((await slaOf(inc.sys_id, 'true'))[0]!.sla).toBe('Priority 3 resolution (8 hour)');
    // Planning (priority 5) has no SLA, as no definition's start condition holds.
    expect(await slaOf((await createIncident()).sys_id)).toEqual([]);
  });

  it('times it on the clock: paused on hold, breached past its end, completed when resolved; a new priority cancels it and starts another', async () => {
    const start = clock;
    const inc = await createIncident({ impact: '2', urgency: '2' });
    clock += 2 * 3_600_000;
    expect((await slaOf(inc.sys_id))[0]).toMatchObject({
      time_left: { value: '1970-01-01 06:00:00' },
      business_percentage: { value: '25.00' },
    });
    // On hold for an hour: paused, and the breach moves on by the hour.
    await sn('PATCH', `/api/now/table/incident/${inc.sys_id}`, { state: '3', hold_reason: '1' });
    expect((await slaOf(inc.sys_id))[0]!.stage.value).toBe('paused');
    clock += 3_600_000;
    await sn('PATCH', `/api/now/table/incident/${inc.sys_id}`, { state: '2' });
    expect((await slaOf(inc.sys_id))[0]).toMatchObject({
      stage: { value: 'in_progress' },
      planned_end_time: { value: '2026-11-24 18:00:00' },
      pause_duration: { value: '1970-01-01 01:00:00' },
    });
    clock = start + 10 * 3_600_000;
    expect((await slaOf(inc.sys_id))[0]).toMatchObject({
      stage: { value: 'in_progress' },
      has_breached: { value: 'true' },
      time_left: { value: '1970-01-01 00:00:00' },
    });
    await sn('PATCH', `/api/now/table/incident/${inc.sys_id}`, {
      state: '6',
      close_code: 'Solution provided',
      close_notes: 'Done',
    });
    expect((await slaOf(inc.sys_id))[0]).toMatchObject({
      stage: { value: 'achieved', display_value: 'Completed' },
      has_breached: { value: 'true' },
      active: { value: 'false' },
    });
    // Urgency 1 makes another incident priority 2: its P3 SLA is cancelled and a P2 one starts.
    const other = await createIncident({ impact: '2', urgency: '2' });
    clock += 60_000;
    await sn('PATCH', `/api/now/table/incident/${other.sys_id}`, { urgency: '1' });
    const [newest, old] = await slaOf(other.sys_id);
    expect(old!.stage.value).toBe('cancelled');
    expect(newest!.sla.display_value).toBe('Priority 2 resolution (4 hour)');
    // The SLA engine's records are not written through the Table API.
    expect((await sn('POST', '/api/now/table/task_sla', { task: inc.sys_id })).status).toBe(403);
  });
});
