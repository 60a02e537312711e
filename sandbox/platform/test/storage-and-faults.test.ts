import type { Platform } from '../index';
import { callProbe, kvsEntries, startFixturePlatform, withFixtureInstallation } from './support';

describe('KVS through the real @forge/kvs SDK inside invocations', () => {
  let platform: Platform;
  let installationId: string;
  withFixtureInstallation('all', (p, id) => {
    platform = p;
    installationId = id;
  });

  const call = (functionKey: string, payload?: unknown) => callProbe(platform, installationId, functionKey, payload);

  it('sets, gets and pages a prefix query', async () => {
    for (let i = 0; i < 12; i++) await call('kvsSet', { key: `page:${String(i).padStart(2, '0')}`, value: i });
    expect(await call('kvsGet', { key: 'page:03' })).toEqual({ value: 3 });
    const first = await call('kvsQuery', { prefix: 'page:', limit: 10 });
    expect(first.keys).toHaveLength(10);
    expect(first.nextCursor).toEqual(expect.any(String));
  });

  it.each([
    ['a key over 500 characters', 'k'.repeat(501), 1, 'KEY_TOO_LONG'],
    ['a key with characters outside the pattern', 'bad/key', 1, 'INVALID_KEY'],
    ['a value over 240 KiB', 'big', 'x'.repeat(241 * 1024), 'MAX_SIZE'],
  ])('rejects %s with the SDK error code', async (_name, key, value, code) => {
    expect(await call('kvsError', { key, value })).toEqual({ code });
  });

  it('keeps secrets apart from plain keys', async () => {
    expect(await call('secret', { key: 'token', value: 's3cr3t' })).toEqual({ secret: 's3cr3t', plain: null });
  });

  it('queries a custom entity index with partition, range, filter and sort', async () => {
    const tickets = [
      { key: 't1', project: 'A', status: 'open', rank: 1 },
      { key: 't2', project: 'A', status: 'open', rank: 2 },
      { key: 't3', project: 'A', status: 'done', rank: 3 },
      { key: 't4', project: 'A', status: 'open', rank: 4 },
      { key: 't5', project: 'B', status: 'open', rank: 5 },
    ];
    expect(await call('entity', { tickets, project: 'A' })).toEqual({ keys: ['t4', 't2'] });
  });

  it('runs a transaction all or nothing', async () => {
    expect(await call('transact', { keys: ['tx:a', 'tx:b'] })).toEqual({ ok: true });
    const failed = await call('transact', { keys: ['tx:c', 'tx:d'], failOn: 'missing-ticket' });
    expect(failed.ok).toBe(false);
    expect(await call('kvsGet', { key: 'tx:c' })).toEqual({ value: null });
  });

  it('meters KVS reads and writes in 10 KB units', async () => {
    platform.meter.reset();
    await call('kvsSet', { key: 'metered', value: 'x'.repeat(25 * 1024) });
    await call('kvsGet', { key: 'metered' });
    const { kvs } = platform.meter.totals();
    expect(kvs).toMatchObject({ writes: 1, reads: 1, writeUnits: 3, readUnits: 3 });
  });
});

describe('injected crashes between outbound calls', () => {
  it('stop the invocation mid-way; the event is retried and completes', async () => {
    const platform = await startFixturePlatform();
    try {
      const { id } = await platform.install();
      // The consumer writes a delivery record (call 1) and then a done record (call 2): crash before call 2.
      const crash = platform.injectCrash({ functionKey: 'consume', atOutboundCall: 2 });
      await platform.invokeResolver({
        installationId: id,
        moduleKey: 'probe-panel',
        functionKey: 'push',
        payload: { queue: 'work', events: [{ body: { id: 'crash' } }] },
        accountId: 'u',
      });
      await platform.settle();
      const runs = platform.meter.invocations({ functionKey: 'consume' });
      expect(runs.map((r) => r.outcome)).toEqual(['crash', 'success']);
      expect(crash.crashes).toEqual([
        expect.objectContaining({ run: 1, atCall: 2, call: expect.stringMatching(/^KVS \/api\/v1\/set done:crash:/) }),
      ]);
      expect(await kvsEntries(platform, id, 'delivery:crash:')).toHaveLength(2);
      expect(await kvsEntries(platform, id, 'done:crash:')).toHaveLength(1);
    } finally {
      await platform.stop();
    }
  });
});
