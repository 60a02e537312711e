import type { Platform } from '../index';
import { callProbe, kvsEntries, kvsGet, startFixturePlatform, startRecorder, withFixtureInstallation } from './support';

const issueEvent = (selfGenerated: boolean, fields: Record<string, unknown> = {}) => ({
  eventType: 'avi:jira:updated:issue',
  atlassianId: selfGenerated ? 'app-user' : 'user-1',
  selfGenerated,
  fields: {
    issue: { id: '10001', key: 'DEMO-1', fields: { summary: 'Hello' } },
    changelog: { id: '1', items: [] },
    ...fields,
  },
});

describe('product triggers', () => {
  let platform: Platform;
  let installationId: string;
  withFixtureInstallation(
    'each',
    (p, id) => {
      platform = p;
      installationId = id;
    },
    { settle: true },
  );

  const received = async () =>
    (await kvsEntries(platform, installationId, 'events:')).map(
      (e) => e.value as { event: Record<string, unknown>; context: Record<string, unknown> },
    );

  it('delivers avi:forge:installed:app when the app is installed', async () => {
    expect((await received()).map((r) => r.event.eventType)).toEqual(['avi:forge:installed:app']);
  });

  it('delivers a Jira event in Forge payload shape to the subscribed function', async () => {
    platform.deliverProductEvent(installationId, issueEvent(false));
    await platform.settle();
    const last = (await received()).at(-1)!;
    expect(last.event).toEqual({
      eventType: 'avi:jira:updated:issue',
      selfGenerated: false,
      atlassianId: 'user-1',
      timestamp: expect.any(Number),
      issue: { id: '10001', key: 'DEMO-1', fields: { summary: 'Hello' } },
      changelog: { id: '1', items: [] },
    });
    expect(last.context).toMatchObject({
      installContext: expect.stringMatching(/^ari:cloud:jira::site\//),
      principal: { accountId: 'user-1' },
    });
  });

  it('drops events the app caused itself when the trigger sets ignoreSelf', async () => {
    platform.deliverProductEvent(installationId, issueEvent(true));
    await platform.settle();
    expect((await received()).map((r) => r.event.eventType)).toEqual(['avi:forge:installed:app']);
  });

  it('still delivers self-generated events to a trigger without ignoreSelf, flagged selfGenerated', async () => {
    platform.deliverProductEvent(installationId, {
      eventType: 'avi:jira:commented:issue',
      selfGenerated: true,
      webhookTraceValue: 'trace-1',
      fields: { issue: { id: '1' }, comment: { id: '5' } },
    });
    await platform.settle();
    expect((await received()).at(-1)!.event).toMatchObject({ selfGenerated: true, webhookTraceValue: 'trace-1' });
  });

  it('does not deliver event types no trigger subscribes to', async () => {
    platform.deliverProductEvent(installationId, {
      eventType: 'avi:jira:deleted:issue',
      selfGenerated: false,
      fields: {},
    });
    await platform.settle();
    expect(await received()).toHaveLength(1);
  });

  it('can hold events and release them in reverse order', async () => {
    platform.holdProductEvents();
    for (const key of ['DEMO-1', 'DEMO-2', 'DEMO-3'])
      platform.deliverProductEvent(installationId, issueEvent(false, { issue: { id: key, key } }));
    await platform.settle();
    expect(await received()).toHaveLength(1);
    await platform.releaseProductEvents('reverse');
    await platform.settle();
    expect((await received()).slice(1).map((r) => (r.event.issue as { key: string }).key)).toEqual([
      'DEMO-3',
      'DEMO-2',
      'DEMO-1',
    ]);
  });
});

describe('product events chaos', () => {
  it('duplicates and delays deliveries when asked', async () => {
    const platform = await startFixturePlatform({
      chaos: { duplicateProductEventProbability: 1, productEventDelayMs: [1_000, 180_000] },
    });
    try {
      const { id } = await platform.install();
      await platform.settle({ within: 180_000 });
      // installed:app, delivered twice
      expect(await kvsEntries(platform, id, 'events:')).toHaveLength(2);
      platform.deliverProductEvent(id, issueEvent(false));
      await platform.settle({ maxAdvanceMs: 0 });
      expect(await kvsEntries(platform, id, 'events:')).toHaveLength(2);
      // Each copy arrives within the longest delay asked for.
      await platform.settle({ within: 180_000 });
      // installed:app and the issue event, each twice
      expect(await kvsEntries(platform, id, 'events:')).toHaveLength(4);
    } finally {
      await platform.stop();
    }
  });
});

describe('web triggers and scheduled triggers', () => {
  let platform: Platform;
  let installationId: string;
  withFixtureInstallation('each', (p, id) => {
    platform = p;
    installationId = id;
  });

  it('webTrigger.getUrl() returns a stable local URL that runs the function with Forge request/response shapes', async () => {
    const a = await platform.invokeResolver({
      installationId,
      moduleKey: 'probe-panel',
      functionKey: 'webtriggerUrl',
      accountId: 'u',
    });
    const b = await platform.invokeResolver({
      installationId,
      moduleKey: 'probe-panel',
      functionKey: 'webtriggerUrl',
      accountId: 'u',
    });
    if (!a.ok || !b.ok) throw new Error('getUrl failed');
    const url = (a.body as { url: string }).url;
    expect(url).toBe((b.body as { url: string }).url);
    const res = await fetch(`${url}/tenant/1?x=1`, {
      method: 'POST',
      headers: { 'x-signature': 'abc' },
      body: 'hello',
    });
    expect(res.status).toBe(202);
    expect(res.headers.get('x-echo')).toBe('yes');
    expect(await res.json()).toEqual({ method: 'POST', body: 'hello', userPath: '/tenant/1', signature: 'abc' });
  });

  it('answers 500 when the function returns an incompatible response', async () => {
    const url = platform.webTriggerUrl(installationId, 'hook')!;
    expect((await fetch(`${url}?bad=1`, { method: 'POST' })).status).toBe(500);
  });

  it('runs fiveMinute scheduled triggers on the platform clock', async () => {
    platform.manualClock.advance(5 * 60_000 + 1);
    await platform.settle();
    platform.manualClock.advance(10 * 60_000);
    await platform.settle();
    const ticks = await kvsEntries(platform, installationId, 'tick:');
    expect(ticks).toHaveLength(3);
    expect(ticks[0]!.value).toEqual({ cloudId: platform.installation(installationId).cloudId, moduleKey: 'tick' });
  });
});

describe('product fetch (requestJira) and egress', () => {
  let platform: Platform;
  let jira: Awaited<ReturnType<typeof startRecorder>>;
  let remote: Awaited<ReturnType<typeof startRecorder>>;
  let installationId: string;

  beforeAll(async () => {
    jira = await startRecorder((req) => ({ body: { path: req.url } }));
    remote = await startRecorder((req) => ({ status: 201, body: { host: req.headers['x-forwarded-host'] } }));
    platform = await startFixturePlatform({ egressRoutes: [{ host: '*.service-now.com', target: remote.url }] });
    installationId = (await platform.install({ jiraBaseUrl: jira.url, platformToken: 'secret-token' })).id;
  });
  afterAll(async () => {
    await platform.stop();
    await jira.close();
    await remote.close();
  });

  const call = (functionKey: string, payload: unknown) =>
    callProbe(platform, installationId, functionKey, payload, 'user-9');

  it.each([
    ['app', 'app'],
    ['user', 'user:user-9'],
    ['none', undefined],
  ])('requestJira as %s reaches the site with the matching identity', async (as, principal) => {
    const body = await call('jira', { as, path: 'myself' });
    expect(body).toEqual({ status: 200, body: { path: '/rest/api/3/myself' } });
    const req = jira.requests.at(-1)!;
    expect(req.headers['x-forge-platform-token']).toBe('secret-token');
    expect(req.headers['x-forge-principal']).toBe(principal);
  });

  it('lets fetch reach a declared wildcard host, routed to the host that plays it', async () => {
    const body = await call('fetch', {
      url: 'https://acme.service-now.com/api/now/table/incident?sysparm_limit=1',
      method: 'POST',
      body: '{}',
    });
    expect(body).toEqual({ status: 201, body: JSON.stringify({ host: 'acme.service-now.com' }) });
    expect(remote.requests.at(-1)!.url).toBe('/api/now/table/incident?sysparm_limit=1');
  });

  it.each([
    ['an undeclared host', 'https://evil.example.com/steal'],
    ['the apex of a wildcard', 'https://service-now.com/'],
    ['plain http', 'http://acme.service-now.com/'],
  ])('refuses %s the way Forge does', async (_name, url) => {
    expect(await call('fetch', { url })).toEqual({
      error: expect.stringContaining('URL not included in the external fetch backend permissions'),
    });
  });

  it('fails like DNS for a declared host no simulator plays', async () => {
    expect(await call('fetch', { url: 'https://dev.azure.com/org/_apis/projects' })).toEqual({ error: 'fetch failed' });
  });

  it('meters product and egress requests per invocation', async () => {
    platform.meter.reset();
    await call('jira', { as: 'app', path: 'myself' });
    await call('fetch', { url: 'https://acme.service-now.com/x' });
    const totals = platform.meter.totals({ installationId });
    expect(totals).toMatchObject({ invocations: 2, productRequests: 1, egressRequests: 1 });
    expect(totals.gbSeconds).toBeGreaterThan(0);
  });
});

describe('installations side by side', () => {
  it('keep separate storage, queues and contexts', async () => {
    const platform = await startFixturePlatform();
    try {
      const a = await platform.install({ siteUrl: 'https://a.atlassian.net' });
      const b = await platform.install({ siteUrl: 'https://b.atlassian.net' });
      const set = (id: string, value: string) =>
        platform.invokeResolver({
          installationId: id,
          moduleKey: 'probe-panel',
          functionKey: 'kvsSet',
          payload: { key: 'shared-key', value },
          accountId: 'u',
        });
      await set(a.id, 'from-a');
      await set(b.id, 'from-b');
      expect(await kvsGet(platform, a.id, 'shared-key')).toBe('from-a');
      expect(await kvsGet(platform, b.id, 'shared-key')).toBe('from-b');
      expect(a.contextAri).not.toBe(b.contextAri);
    } finally {
      await platform.stop();
    }
  });
});
