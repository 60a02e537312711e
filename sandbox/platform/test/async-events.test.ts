import type { Platform } from '../index';
import { callProbe, kvsEntries, startFixturePlatform, withFixtureInstallation } from './support';

interface Delivery {
  attempt: number;
  retryData: unknown;
  eventId: string;
  startedAt: number;
}

describe('async events (@forge/events) on the local platform', () => {
  let platform: Platform;
  let installationId: string;
  withFixtureInstallation('each', (p, id) => {
    platform = p;
    installationId = id;
  });

  const call = (functionKey: string, payload?: unknown) => callProbe(platform, installationId, functionKey, payload);
  const push = (events: unknown[], queue = 'work') => call('push', { queue, events });
  const deliveries = async (id: string) =>
    (await kvsEntries(platform, installationId, `delivery:${id}:`))
      .map((e) => e.value as Delivery)
      .sort((a, b) => a.startedAt - b.startedAt);
  const done = async (id: string) => kvsEntries(platform, installationId, `done:${id}:`);

  it('delivers a pushed event to the consumer named in the manifest', async () => {
    const { jobId } = await push([{ body: { id: 'a' } }]);
    expect(jobId).toEqual(expect.any(String));
    await platform.settle();
    expect(await done('a')).toHaveLength(1);
    expect(await call('jobStats', { queue: 'work', jobId })).toEqual({ success: 1, inProgress: 0, failed: 0 });
  });

  it('holds an event until its delay has passed', async () => {
    await push([{ body: { id: 'late' }, delayInSeconds: 120 }]);
    platform.manualClock.advance(119_000);
    await platform.settle({ maxAdvanceMs: 0 });
    expect(await done('late')).toHaveLength(0);
    platform.manualClock.advance(1_000);
    await platform.settle();
    expect(await done('late')).toHaveLength(1);
  });

  it('retries a consumer that throws, with a growing backoff and retryContext.retryCount', async () => {
    await push([{ body: { id: 't', mode: 'throw', failTimes: 2 } }]);
    await platform.settle();
    const seen = await deliveries('t');
    expect(seen.map((d) => d.attempt)).toEqual([0, 1, 2]);
    expect(seen[2]!.startedAt - seen[1]!.startedAt).toBeGreaterThan(seen[1]!.startedAt - seen[0]!.startedAt);
    expect(await done('t')).toHaveLength(1);
  });

  it('honours InvocationError retryAfter and hands back retryData', async () => {
    await push([{ body: { id: 'r', mode: 'retry', retryAfter: 42, failTimes: 1 } }]);
    await platform.settle();
    const [first, second] = await deliveries('r');
    expect(second!.startedAt - first!.startedAt).toBeGreaterThan(41_000);
    expect(second!.startedAt - first!.startedAt).toBeLessThan(43_000);
    expect(second!.attempt).toBe(1);
    expect(second!.retryData).toEqual({ attempt: 0 });
  });

  it('stops and retries a consumer that runs past its timeoutSeconds', async () => {
    await push([{ body: { id: 's', mode: 'sleep', sleepMs: 4_000 } }]);
    await platform.settle({ maxAdvanceMs: 60_000 });
    const records = platform.meter.invocations({ functionKey: 'consume' });
    expect(records[0]!.outcome).toBe('timeout');
    expect(records.length).toBeGreaterThan(1);
  }, 30_000);

  it('retries a consumer that runs out of memory (128 MB function)', async () => {
    await push([{ body: { id: 'm', mode: 'oom', failTimes: 1 } }], 'slow');
    await platform.settle();
    const records = platform.meter.invocations({ functionKey: 'consume-long' });
    expect(records[0]!.outcome).toBe('crash');
    expect(records[0]!.error).toMatch(/memory/i);
    expect(await done('m')).toHaveLength(1);
  }, 60_000);

  it('runs events with the same concurrency key one at a time', async () => {
    await push(
      Array.from({ length: 4 }, (_, i) => ({
        body: { id: `c${i}`, mode: 'sleep', sleepMs: 150 },
        concurrency: { key: 'item-1', limit: 1 },
      })),
    );
    await platform.settle();
    const runs = platform.meter
      .invocations({ functionKey: 'consume' })
      .map((r) => [r.startedAt, r.startedAt + r.durationMs] as const);
    expect(runs).toHaveLength(4);
    const sorted = [...runs].sort((a, b) => a[0] - b[0]);
    for (let i = 1; i < sorted.length; i++) expect(sorted[i]![0]).toBeGreaterThanOrEqual(sorted[i - 1]![1]);
  });

  it('runs events with different keys in parallel', async () => {
    await push(
      Array.from({ length: 3 }, (_, i) => ({
        body: { id: `p${i}`, mode: 'sleep', sleepMs: 400 },
        concurrency: { key: `k${i}`, limit: 1 },
      })),
    );
    await platform.settle();
    const runs = platform.meter.invocations({ functionKey: 'consume' });
    const overlap = runs.some((a) =>
      runs.some((b) => a !== b && a.startedAt <= b.startedAt && b.startedAt < a.startedAt + a.durationMs),
    );
    expect(overlap).toBe(true);
  });

  it('cancels the events of a job that have not started', async () => {
    const { jobId } = await push([
      { body: { id: 'x1' }, delayInSeconds: 60 },
      { body: { id: 'x2' }, delayInSeconds: 60 },
    ]);
    await call('cancelJob', { queue: 'work', jobId });
    await platform.settle();
    expect(await done('x1')).toHaveLength(0);
    expect(await call('jobStats', { queue: 'work', jobId })).toEqual({ success: 0, inProgress: 0, failed: 2 });
  });

  it("answers stats for an unknown job with the SDK's not-found error", async () => {
    const res = await platform.invokeResolver({
      installationId,
      moduleKey: 'probe-panel',
      functionKey: 'jobStats',
      payload: { queue: 'work', jobId: 'nope' },
      accountId: 'u',
    });
    expect(res).toMatchObject({
      ok: false,
      error: expect.stringContaining('The job nope was not found for the queue work'),
    });
  });

  it.each([
    ['more than 50 events', Array.from({ length: 51 }, () => ({ body: { id: 'n' } })), 'TooManyEventsError'],
    ['more than 200 KB', [{ body: { id: 'big', pad: 'x'.repeat(201 * 1024) } }], 'PayloadTooBigError'],
    ['a delay over 900 s', [{ body: { id: 'd' }, delayInSeconds: 901 }], 'InvalidPushSettingsError'],
  ])('rejects a push of %s in the SDK', async (_name, events, error) => {
    expect(await push(events)).toMatchObject({ error });
  });

  it('rejects events over 100 KB for a consumer with a timeout over 55 s', async () => {
    expect(await push([{ body: { id: 'l', pad: 'x'.repeat(101 * 1024) } }], 'slow')).toMatchObject({
      error: 'PayloadTooBigError',
    });
  });

  it('answers 429 past 500 events a minute per installation', async () => {
    for (let i = 0; i < 10; i++)
      expect(
        await push(Array.from({ length: 50 }, () => ({ body: { id: 'rate' }, delayInSeconds: 900 }))),
      ).toHaveProperty('jobId');
    expect(await push([{ body: { id: 'rate' }, delayInSeconds: 900 }])).toMatchObject({ error: 'RateLimitError' });
    platform.manualClock.advance(61_000);
    expect(await push([{ body: { id: 'rate' }, delayInSeconds: 900 }])).toHaveProperty('jobId');
  });

  it('drops an event that keeps failing once the 24 h retention window has passed', async () => {
    const { jobId } = await push([{ body: { id: 'forever', mode: 'throw', failTimes: 10_000 } }]);
    await platform.settle({ maxAdvanceMs: 26 * 3600_000, timeoutMs: 120_000 });
    expect(await call('jobStats', { queue: 'work', jobId })).toEqual({ success: 0, inProgress: 0, failed: 1 });
    expect((await deliveries('forever')).length).toBeGreaterThan(5);
  }, 130_000);
});

describe('at-least-once delivery', () => {
  it('may deliver an event more than once (chaos), so consumers must be idempotent', async () => {
    const platform = await startFixturePlatform({ chaos: { duplicateEventProbability: 1 } });
    try {
      const { id } = await platform.install();
      await platform.invokeResolver({
        installationId: id,
        moduleKey: 'probe-panel',
        functionKey: 'push',
        payload: { queue: 'work', events: [{ body: { id: 'dup' } }] },
        accountId: 'u',
      });
      await platform.settle();
      expect(await kvsEntries(platform, id, 'done:dup:')).toHaveLength(2);
    } finally {
      await platform.stop();
    }
  });
});

describe('deterministic scheduling (model tests)', () => {
  let platform: Platform;
  let installationId: string;
  withFixtureInstallation(
    'each',
    (p, id) => {
      platform = p;
      installationId = id;
    },
    { deterministic: true },
  );

  const call = (functionKey: string, payload?: unknown) => callProbe(platform, installationId, functionKey, payload);

  it('runs one event at a time, earliest due first and in publication order, whatever their concurrency keys; a pause holds them all', async () => {
    platform.pauseQueues();
    await call('push', {
      queue: 'work',
      events: [
        { body: { id: 'b1' }, concurrency: { key: 'b', limit: 1 } },
        { body: { id: 'a1' }, concurrency: { key: 'a', limit: 1 } },
        { body: { id: 'c1' } },
      ],
    });
    await call('push', {
      queue: 'work',
      events: [
        { body: { id: 'a2' }, concurrency: { key: 'a', limit: 1 } },
        { body: { id: 'late' }, delayInSeconds: 30 },
      ],
    });
    await platform.settle();
    expect(await kvsEntries(platform, installationId, 'delivery:')).toEqual([]);
    platform.resumeQueues();
    await platform.settle();
    const events = platform.installation(installationId).events.all();
    const started = [...events].sort((x, y) => x.startOrder! - y.startOrder!).map((e) => (e.body as { id: string }).id);
    expect(started).toEqual(['b1', 'a1', 'c1', 'a2', 'late']);
    expect(await kvsEntries(platform, installationId, 'done:')).toHaveLength(5);
  });
});
