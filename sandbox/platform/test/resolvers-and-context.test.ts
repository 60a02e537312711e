import type { Platform } from '../index';
import { startFixturePlatform, withFixtureInstallation } from './support';

describe('resolvers and the invocation context', () => {
  let platform: Platform;
  let installationId: string;
  withFixtureInstallation('all', (p, id) => {
    platform = p;
    installationId = id;
  });

  const call = (functionKey: string, payload?: unknown, accountId = 'user-1') =>
    platform.invokeResolver({
      installationId,
      moduleKey: 'probe-panel',
      functionKey,
      payload,
      accountId,
      context: { extension: { type: 'jira:issuePanel' } },
    });

  it('gives the resolver the signed-in user from the platform, not from the payload', async () => {
    const res = await call('whoami', { accountId: 'attacker' }, 'user-42');
    expect(res).toEqual({
      ok: true,
      body: {
        accountId: 'user-42',
        installContext: expect.stringMatching(/^ari:cloud:jira::site\//),
        moduleKey: 'probe-panel',
      },
    });
  });

  it('answers getAppContext() from the runtime, with the remaining time of a 25 s resolver', async () => {
    const res = await call('appContext');
    if (!res.ok) throw new Error(res.error);
    const body = res.body as { moduleKey: string; installationAri: string; remaining: number };
    expect(body.moduleKey).toBe('probe-panel');
    expect(body.installationAri).toBe(`ari:cloud:ecosystem::installation/${installationId}`);
    expect(body.remaining).toBeGreaterThan(20_000);
    expect(body.remaining).toBeLessThanOrEqual(25_000);
  });

  it('refuses a request payload over 500 KB', async () => {
    const res = await call('whoami', { blob: 'x'.repeat(501 * 1024) });
    expect(res).toMatchObject({ ok: false, status: 413 });
  });

  it('refuses a response over 5 MB', async () => {
    const res = await call('big', { bytes: 5 * 1024 * 1024 + 10 });
    expect(res).toMatchObject({ ok: false, status: 500, error: expect.stringContaining('5 MB') });
  });

  it('reports a thrown error as a failed invocation', async () => {
    const res = await call('fail');
    expect(res).toMatchObject({ ok: false, error: expect.stringContaining('resolver failed on purpose') });
  });

  it('stops a resolver at 25 s', async () => {
    const started = Date.now();
    const res = await call('sleep', { ms: 40_000 });
    expect(res).toMatchObject({ ok: false, error: expect.stringContaining('timed out after 25 s') });
    expect(Date.now() - started).toBeLessThan(30_000);
  }, 40_000);

  it('captures what a function logs, per invocation', async () => {
    platform.meter.reset();
    await call('log', { text: 'hello' });
    await new Promise((r) => setTimeout(r, 50));
    expect(platform.meter.invocations()[0]!.logs).toEqual(['log line: hello', 'and an error line']);
  });

  it('reuses a warm instance, so module state may survive between invocations', async () => {
    const first = await call('warm');
    const second = await call('warm');
    if (!first.ok || !second.ok) throw new Error('warm failed');
    expect((second.body as { count: number }).count).toBe((first.body as { count: number }).count + 1);
  });

  it('serves resolvers over HTTP only with a UI session, whose user the browser cannot change', async () => {
    const token = platform.createUiSession({ installationId, accountId: 'user-7', moduleKey: 'probe-panel' });
    const ok = await fetch(`${platform.url}/forge/ui/invoke`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ functionKey: 'whoami', payload: {}, accountId: 'attacker' }),
    });
    expect(await ok.json()).toMatchObject({ body: { accountId: 'user-7' } });
    const anonymous = await fetch(`${platform.url}/forge/ui/invoke`, {
      method: 'POST',
      body: JSON.stringify({ functionKey: 'whoami' }),
    });
    expect(anonymous.status).toBe(401);
  });
});

describe('chaos: warm instances recycled at random', () => {
  it('cannot be relied on for module state', async () => {
    const platform = await startFixturePlatform({ chaos: { recycleProbability: 1 } });
    try {
      const { id } = await platform.install();
      const call = () =>
        platform.invokeResolver({ installationId: id, moduleKey: 'probe-panel', functionKey: 'warm', accountId: 'u' });
      const counts = [];
      for (let i = 0; i < 3; i++) {
        const r = await call();
        if (r.ok) counts.push((r.body as { count: number }).count);
      }
      expect(counts).toEqual([1, 1, 1]);
    } finally {
      await platform.stop();
    }
  });
});
