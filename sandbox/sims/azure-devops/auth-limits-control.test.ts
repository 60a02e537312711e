import { DEMO_CREDENTIALS, startAzureDevOpsSim, type AzureDevOpsSim } from './index';
import { azureDevOpsClient, patch, type AdoErrorJson, type WorkItemJson } from './test-client';

let sim: AzureDevOpsSim;
let ado: ReturnType<typeof azureDevOpsClient>;
const START = Date.UTC(2026, 10, 24, 9, 0, 0);
let clock = START;
const P = '/acme/Operations/_apis/wit';

beforeAll(async () => {
  sim = await startAzureDevOpsSim({ now: () => clock });
  ado = azureDevOpsClient(sim, DEMO_CREDENTIALS.integration.pat);
});
afterAll(() => sim.stop());
beforeEach(async () => {
  clock = START;
  await control('POST', '/reset');
});

async function control<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(sim.controlUrl + path, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return (await res.json()) as T;
}

describe('PAT authentication', () => {
  it('takes a PAT as Basic with an empty user name (any user name works)', async () => {
    expect((await ado('GET', `${P}/workitems/1`)).status).toBe(200);
    const named = await fetch(`${sim.baseUrl}${P}/workitems/1?api-version=7.1`, {
      headers: { authorization: `Basic ${Buffer.from(`anything:${DEMO_CREDENTIALS.agent.pat}`).toString('base64')}` },
    });
    expect(named.status).toBe(200);
  });

  it("answers a bad or missing PAT with 401 in the service's shape, with WWW-Authenticate", async () => {
    const res = await azureDevOpsClient(sim, 'not-a-pat')<AdoErrorJson>('GET', `${P}/workitems/1`);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toContain('Basic realm=');
    expect(res.json).toMatchObject({
      $id: '1',
      typeKey: 'UnauthorizedRequestException',
      message: expect.stringMatching(/^TF400813/),
    });
    expect((await fetch(`${sim.baseUrl}${P}/workitems/1?api-version=7.1`)).status).toBe(401);
  });

  it('stops accepting a revoked PAT', async () => {
    await control('POST', '/pats/revoke', { pat: DEMO_CREDENTIALS.agent.pat });
    expect((await azureDevOpsClient(sim, DEMO_CREDENTIALS.agent.pat)('GET', `${P}/workitems/1`)).status).toBe(401);
  });

  it('answers the sign-in page (203 text/html) instead of 401 on the work item GET and WIQL of a flagged organization', async () => {
    await control('PUT', '/sign-in-page', { on: true });
    const bad = azureDevOpsClient(sim, 'expired-pat');
    const get = await bad('GET', `${P}/workitems/1`);
    expect(get.status).toBe(203);
    expect(get.headers.get('content-type')).toContain('text/html');
    expect(get.text).toContain('Azure DevOps Services | Sign In');
    expect(get.json).toBeUndefined();
    expect((await bad('POST', `${P}/wiql`, { query: 'SELECT [System.Id] FROM WorkItems' })).status).toBe(203);
    // Other endpoints still say 401.
    expect((await bad('PATCH', `${P}/workitems/1`, patch({ 'System.Title': 'x' }))).status).toBe(401);
  });

  it('can answer the sign-in page as a 302 to app.vssps.visualstudio.com/_signin, on configured paths', async () => {
    await control('PUT', '/sign-in-page', { on: true, mode: '302', paths: [{ path: '/_apis/wit/' }] });
    const res = await azureDevOpsClient(sim, 'expired-pat')(
      'PATCH',
      `${P}/workitems/1`,
      patch({ 'System.Title': 'x' }),
    );
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toMatch(
      /^https:\/\/app\.vssps\.visualstudio\.com\/_signin\?realm=dev\.azure\.com&reply_to=https%3A%2F%2Fdev\.azure\.com%2Facme/,
    );
  });
});

describe('rate limits (TSTU, 5-minute sliding window)', () => {
  const tune = (c: Record<string, unknown>) =>
    control('PUT', '/rate-limit', {
      enabled: true,
      limit: 10,
      delayThreshold: 6,
      headersFrom: 4,
      costPerRequest: 1,
      ...c,
    });

  it('is off by default', async () => {
    for (let i = 0; i < 30; i++) expect((await ado('GET', `${P}/workitems/1`)).status).toBe(200);
  });

  it('sends the headers before delays, then delays (200 + X-RateLimit-Delay), then blocks with 429 TF400733', async () => {
    await tune({});
    const seen: Array<{ status: number; delay: string | null; remaining: string | null; retry: string | null }> = [];
    for (let i = 0; i < 11; i++) {
      const r = await ado('GET', `${P}/workitems/1`);
      seen.push({
        status: r.status,
        delay: r.headers.get('x-ratelimit-delay'),
        remaining: r.headers.get('x-ratelimit-remaining'),
        retry: r.headers.get('retry-after'),
      });
    }
    expect(seen.slice(0, 3).every((s) => s.status === 200 && s.remaining === null)).toBe(true);
    expect(seen[3]).toMatchObject({ status: 200, delay: null, remaining: '6' });
    expect(seen[6]).toMatchObject({
      status: 200,
      delay: expect.stringMatching(/^\d+\.\d{3}$/),
      remaining: '0',
      retry: expect.any(String),
    });
    const blocked = await ado<AdoErrorJson>('GET', `${P}/workitems/1`);
    expect(blocked.status).toBe(429);
    expect(blocked.json.message).toMatch(
      /^TF400733: The request has been canceled: Request was blocked due to exceeding usage of resource/,
    );
    for (const h of [
      'retry-after',
      'x-ratelimit-resource',
      'x-ratelimit-limit',
      'x-ratelimit-remaining',
      'x-ratelimit-reset',
    ])
      expect(blocked.headers.get(h)).not.toBeNull();
    expect(blocked.headers.get('x-ratelimit-limit')).toBe('10');
    expect(Number(blocked.headers.get('x-ratelimit-reset'))).toBe(Math.ceil((START + 300_000) / 1000));
  });

  it('by default delays only past the 200-TSTU limit, as Microsoft documents it, and blocks from 300', async () => {
    await control('PUT', '/rate-limit', { enabled: true });
    const delayOf = async () => (await ado('GET', `${P}/workitems/1`)).headers.get('x-ratelimit-delay');
    for (let i = 0; i < 199; i++) await ado('GET', `${P}/workitems/1`);
    expect(await delayOf()).toBeNull();
    expect(await delayOf()).toMatch(/^\d+\.\d{3}$/);
    for (let i = 0; i < 99; i++) await ado('GET', `${P}/workitems/1`);
    expect((await ado('GET', `${P}/workitems/1`)).status).toBe(429);
  });

  it('slides: usage older than the window no longer counts; identities are counted separately', async () => {
    await tune({});
    for (let i = 0; i < 10; i++) await ado('GET', `${P}/workitems/1`);
    expect((await ado('GET', `${P}/workitems/1`)).status).toBe(429);
    expect((await azureDevOpsClient(sim, DEMO_CREDENTIALS.agent.pat)('GET', `${P}/workitems/1`)).status).toBe(200);
    clock += 300_001;
    expect((await ado('GET', `${P}/workitems/1`)).status).toBe(200);
  });

  it('charges per-path costs', async () => {
    await tune({ costs: [{ method: 'POST', path: '/wiql', cost: 10 }] });
    await ado('POST', `${P}/wiql`, { query: 'SELECT [System.Id] FROM WorkItems' });
    expect((await ado('GET', `${P}/workitems/1`)).status).toBe(429);
    const usage = await control<{ usage: Record<string, number> }>('GET', '/rate-limit');
    expect(Object.values(usage.usage)).toEqual([10]);
  });

  it('does not apply to Server collections', async () => {
    await tune({ limit: 1, delayThreshold: 0, headersFrom: 0 });
    for (let i = 0; i < 3; i++)
      expect((await ado('GET', '/DefaultCollection/Operations/_apis/wit/workitems?ids=1')).status).toBe(404);
  });
});

describe('control API', () => {
  it('injects faults with the shared fault format (status, delay, drop)', async () => {
    await control('POST', '/faults', { method: 'GET', path: '/workitems/1', status: 503, times: 1 });
    const failed = await ado<AdoErrorJson>('GET', `${P}/workitems/1`);
    expect(failed.status).toBe(503);
    expect(failed.json.message).toBe('Injected failure 503');
    expect((await ado('GET', `${P}/workitems/1`)).status).toBe(200);
    await control('POST', '/faults', { path: '/wiql', drop: true });
    await expect(ado('POST', `${P}/wiql`, { query: 'SELECT [System.Id] FROM WorkItems' })).rejects.toThrow();
  });

  it('aims a fault at one identity (by its PAT): the integration fails while people keep working', async () => {
    await control('POST', '/faults', { user: DEMO_CREDENTIALS.integration.uniqueName, status: 503, times: 2 });
    const agent = azureDevOpsClient(sim, DEMO_CREDENTIALS.agent.pat);
    expect((await agent('GET', `${P}/workitems/1`)).status).toBe(200);
    expect((await azureDevOpsClient(sim, 'not-a-pat')('GET', `${P}/workitems/1`)).status).toBe(401);
    expect((await ado('GET', `${P}/workitems/1`)).status).toBe(503);
    expect((await agent('GET', `${P}/workitems/1`)).status).toBe(200);
    expect((await ado('GET', `${P}/workitems/1`)).status).toBe(503);
    expect((await ado('GET', `${P}/workitems/1`)).status).toBe(200);
  });

  it('logs requests with counters per route, user and status', async () => {
    await ado('GET', `${P}/workitems/1`);
    await ado('GET', `${P}/workitems/2`);
    await azureDevOpsClient(sim, 'bad')('GET', `${P}/workitems/2`);
    const log = await control<Array<{ method: string; path: string; status: number; user: string }>>(
      'GET',
      '/requests',
    );
    expect(log.map((r) => [r.method, r.path, r.status, r.user])).toEqual([
      ['GET', `${P}/workitems/1`, 200, 'crosswalk@acme.example'],
      ['GET', `${P}/workitems/2`, 200, 'crosswalk@acme.example'],
      ['GET', `${P}/workitems/2`, 401, ''],
    ]);
    const counters = await control<{
      total: number;
      byRoute: Record<string, number>;
      byStatus: Record<string, number>;
    }>('GET', '/counters');
    expect(counters).toMatchObject({
      total: 3,
      byRoute: { [`GET ${P}/workitems/{id}`]: 3 },
      byStatus: { 200: 2, 401: 1 },
    });
  });

  it('lists and adds identities, who can then be assigned and use their PAT', async () => {
    const before = await control<Array<{ uniqueName: string }>>('GET', '/identities');
    expect(before.map((i) => i.uniqueName)).toEqual([
      'crosswalk@acme.example',
      'dana@acme.example',
      'lee@acme.example',
    ]);
    await control('POST', '/identities', { displayName: 'Sam New', uniqueName: 'sam@acme.example', pat: 'sam-pat' });
    const sam = azureDevOpsClient(sim, 'sam-pat');
    const res = await sam<WorkItemJson>(
      'PATCH',
      `${P}/workitems/2`,
      patch({ 'System.AssignedTo': 'sam@acme.example' }),
    );
    expect(res.json.fields['System.AssignedTo']).toMatchObject({ displayName: 'Sam New' });
  });

  it('sets the clock', async () => {
    await control('PUT', '/clock', { now: '2027-01-02T03:04:05.678Z' });
    expect(
      (await ado<WorkItemJson>('PATCH', `${P}/workitems/2`, patch({ 'System.Title': 'Later' }))).json.fields[
        'System.ChangedDate'
      ],
    ).toBe('2027-01-02T03:04:05.678Z');
    await control('PUT', '/clock', { advanceMs: 1000 });
    expect(
      (await ado<WorkItemJson>('PATCH', `${P}/workitems/2`, patch({ 'System.Title': 'Even later' }))).json.fields[
        'System.ChangedDate'
      ],
    ).toBe('2027-01-02T03:04:06.678Z');
  });

  it("replaces a type's states", async () => {
    await control('PUT', '/work-item-types', {
      process: 'Agile',
      type: 'Bug',
      states: [
        { name: 'Triage', category: 'Proposed', reason: 'Reported' },
        { name: 'Fixing', category: 'InProgress', reason: 'Accepted' },
      ],
    });
    const bug = await ado<WorkItemJson>('POST', `${P}/workitems/$Bug`, patch({ 'System.Title': 'Custom states' }));
    expect(bug.json.fields).toMatchObject({ 'System.State': 'Triage', 'System.Reason': 'Reported' });
    expect((await ado('PATCH', `${P}/workitems/${bug.json.id}`, patch({ 'System.State': 'Active' }))).status).toBe(400);
  });

  it('adds custom fields', async () => {
    await control('POST', '/fields', { referenceName: 'Custom.JiraKey', name: 'Jira Key', type: 'string' });
    expect(
      (await ado<WorkItemJson>('PATCH', `${P}/workitems/2`, patch({ 'Custom.JiraKey': 'OPS-7' }))).json.fields[
        'Custom.JiraKey'
      ],
    ).toBe('OPS-7');
  });

  it('resets to the seed', async () => {
    await ado('PATCH', `${P}/workitems/2`, patch({ 'System.Title': 'Changed' }));
    await control('POST', '/reset');
    expect((await ado<WorkItemJson>('GET', `${P}/workitems/2`)).json.fields['System.Title']).toBe(
      'Export invoices as CSV',
    );
  });
});
