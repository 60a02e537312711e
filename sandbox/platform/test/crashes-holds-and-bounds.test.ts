/**
 * What a test needs to trust a fault case: an injected crash that says whether it happened (in which run, before
 * which call), a hold that stops a run at a named call until the test lets it go, and a settle that fails when work
 * takes longer than the test said it may.
 */
import type { Platform } from '../index';
import { callProbe, kvsEntries, withFixtureInstallation } from './support';

let platform: Platform;
let installationId: string;
withFixtureInstallation('each', (p, id) => {
  platform = p;
  installationId = id;
});

const call = (functionKey: string, payload?: unknown) =>
  platform.invokeResolver({ installationId, moduleKey: 'probe-panel', functionKey, payload, accountId: 'u' });
const lastRun = () => platform.meter.invocations({ functionKey: 'resolver' }).at(-1)!;

describe('an injected crash', () => {
  it('names each outbound call of a run, in the order a crash counts them', async () => {
    await call('secret', { key: 'token', value: 's3cr3t' });
    expect(lastRun().calls).toEqual([
      'KVS /api/v1/secret/set token',
      'KVS /api/v1/secret/get token',
      'KVS /api/v1/get token',
    ]);
  });

  it('records the run and the call it stopped before', async () => {
    const crash = platform.injectCrash({ functionKey: 'resolver', atOutboundCall: 2 });
    expect(await call('secret', { key: 'token', value: 's3cr3t' })).toMatchObject({ ok: false, status: 500 });
    expect(crash).toMatchObject({
      armed: false,
      runsWatched: 1,
      crashes: [
        {
          invocationId: lastRun().invocationId,
          functionKey: 'resolver',
          run: 1,
          atCall: 2,
          call: 'KVS /api/v1/secret/get token',
        },
      ],
    });
    expect(lastRun()).toMatchObject({ outcome: 'crash', outboundCalls: 2 });
  });

  // The defect: a crash was spent on the first matching run even when that run ended before call n, so a test
  // armed "before call n" passed without anything crashing.
  it('is not spent on a run that ends before its call: it waits for a run that reaches it', async () => {
    const crash = platform.injectCrash({ functionKey: 'resolver', atOutboundCall: 3 });
    expect(await call('kvsSet', { key: 'short', value: 1 })).toMatchObject({ ok: true });
    expect(await call('secret', { key: 'token', value: 's3cr3t' })).toMatchObject({ ok: false, status: 500 });
    expect({ armed: crash.armed, runsWatched: crash.runsWatched, crashes: crash.crashes }).toEqual({
      armed: false,
      runsWatched: 2,
      crashes: [expect.objectContaining({ run: 2, atCall: 3, call: 'KVS /api/v1/get token' })],
    });
  });

  it('pinned to one run, is reported as not happened when that run ends before its call', async () => {
    const crash = platform.injectCrash({ functionKey: 'resolver', atOutboundCall: 3, inRun: 1 });
    expect(await call('kvsSet', { key: 'short', value: 1 })).toMatchObject({ ok: true });
    expect(await call('secret', { key: 'token', value: 's3cr3t' })).toMatchObject({ ok: true });
    expect({ armed: crash.armed, runsWatched: crash.runsWatched, crashes: crash.crashes }).toEqual({
      armed: false,
      runsWatched: 1,
      crashes: [],
    });
  });

  it('pinned to a later run, lets the runs before it pass', async () => {
    const crash = platform.injectCrash({ functionKey: 'resolver', atOutboundCall: 1, inRun: 2 });
    expect(await call('kvsSet', { key: 'first', value: 1 })).toMatchObject({ ok: true });
    expect(await call('kvsSet', { key: 'second', value: 2 })).toMatchObject({ ok: false });
    expect(crash.crashes).toEqual([expect.objectContaining({ run: 2, atCall: 1, call: 'KVS /api/v1/set second' })]);
  });

  it('is disarmed by clearFaults, and says so', async () => {
    const crash = platform.injectCrash({ functionKey: 'resolver', atOutboundCall: 1 });
    platform.clearFaults();
    expect(await call('kvsSet', { key: 'k', value: 1 })).toMatchObject({ ok: true });
    expect({ armed: crash.armed, crashes: crash.crashes }).toEqual({ armed: false, crashes: [] });
  });
});

describe('a hold', () => {
  it('stops a run before the named call until released, so the test decides what happens in between', async () => {
    await callProbe(platform, installationId, 'kvsSet', { key: 'k', value: 'before' });
    const hold = platform.holdBefore({ functionKey: 'resolver', beforeCall: /^KVS \/api\/v1\/get k$/ });
    const reading = call('kvsGet', { key: 'k' });
    expect(await hold.reached).toEqual({ invocationId: expect.any(String), atCall: 1, call: 'KVS /api/v1/get k' });
    // Another run writes while the first waits at its read.
    expect(await call('kvsSet', { key: 'k', value: 'during' })).toMatchObject({ ok: true });
    hold.release();
    expect(await reading).toEqual({ ok: true, body: { value: 'during' } });
  });
});

describe('discarding warm instances', () => {
  it('starts the next invocation cold, without the module state a warm one kept', async () => {
    await callProbe(platform, installationId, 'warm');
    expect(await callProbe(platform, installationId, 'warm')).toEqual({ count: 2 });
    platform.discardWarmInstances();
    expect(await callProbe(platform, installationId, 'warm')).toEqual({ count: 1 });
  });
});

describe('settle within a bound', () => {
  const push = (events: unknown[]) => callProbe(platform, installationId, 'push', { queue: 'work', events });

  it('answers how much platform time the work took', async () => {
    // Fails twice: retried after 5 s and then 10 s.
    await push([{ body: { id: 't', mode: 'throw', failTimes: 2 } }]);
    expect(await platform.settle({ within: 15_000 })).toEqual({ tookMs: 15_000 });
    expect(await kvsEntries(platform, installationId, 'done:t:')).toHaveLength(1);
  });

  it('fails when work is still pending past the bound, naming it', async () => {
    await push([{ body: { id: 't', mode: 'throw', failTimes: 3 } }]);
    // Retries at +5 s, +15 s and +35 s: the third is past a 30 s bound.
    await expect(platform.settle({ within: 30_000 })).rejects.toThrow(
      /^Not quiet within 30 s of platform time: the next work is due at \+35 s; still pending: work event \{"id":"t","mode":"throw","failTimes":3\} \(attempt 4 due at \+35 s, after: Error: consumer failed on purpose/,
    );
    expect(await kvsEntries(platform, installationId, 'done:t:')).toHaveLength(0);
  });

  it('holds a settle that states no bound to a minute', async () => {
    await push([{ body: { id: 'r', mode: 'retry', retryAfter: 120 } }]);
    await expect(platform.settle()).rejects.toThrow(/^Not quiet within 1 min of platform time/);
  });

  it('with maxAdvanceMs instead, stops there without failing and leaves the rest pending', async () => {
    await push([{ body: { id: 'r', mode: 'retry', retryAfter: 120 } }]);
    expect(await platform.settle({ maxAdvanceMs: 60_000 })).toEqual({ tookMs: 0 });
    expect(await kvsEntries(platform, installationId, 'done:r:')).toHaveLength(0);
    expect(await platform.settle({ within: 120_000 })).toEqual({ tookMs: 120_000 });
    expect(await kvsEntries(platform, installationId, 'done:r:')).toHaveLength(1);
  });
});
