import { pendingOf, readSla, slaShown } from './issue-panel';

describe('what the issue panel says is waiting to sync', () => {
  const link = { jiraSeenAt: 1_000_000, timeline: [{ confirmedAt: 1_005_000 }] };

  it('a Jira change newer than the sync last saw or wrote the issue', () => {
    expect(pendingOf(link, undefined, 1_060_000)).toEqual({
      jiraChangedAt: new Date(1_060_000).toISOString(),
      retrying: false,
    });
  });

  it("not the sync's own write, which ends before its step is confirmed, nor a change within the clocks' slack", () => {
    expect(pendingOf(link, undefined, 1_004_000)).toEqual({ jiraChangedAt: null, retrying: false });
    expect(pendingOf(link, undefined, 1_006_500)).toEqual({ jiraChangedAt: null, retrying: false });
  });

  it('a failure the sweep retries, and nothing when the issue could not be read or was never synced', () => {
    expect(pendingOf(link, { at: 1 }, undefined)).toEqual({ jiraChangedAt: null, retrying: true });
    expect(pendingOf({}, undefined, 5_000_000)).toEqual({ jiraChangedAt: null, retrying: false });
  });
});

describe('the SLAs the issue panel shows', () => {
  const now = Date.UTC(2026, 11, 7, 9, 0, 0);
  const h = 3_600_000;

  it('breached first, then the next to breach, paused, met and cancelled last, with the time left at the reading', () => {
    expect(
      slaShown(
        [
          { name: 'Met', stage: 'met', breachAt: now - h },
          { name: 'Later', stage: 'running', breachAt: now + 5 * h },
          { name: 'Cancelled', stage: 'cancelled' },
          { name: 'Sooner', stage: 'running', breachAt: now + 20 * 60_000 },
          { name: 'Paused', stage: 'paused', breachAt: now + h },
          { name: 'Late', stage: 'breached', breachAt: now - 40 * 60_000 },
        ],
        now,
      ),
    ).toEqual([
      { name: 'Late', stage: 'breached', breachAt: '2026-12-07T08:20:00.000Z', msLeft: -40 * 60_000 },
      { name: 'Sooner', stage: 'running', breachAt: '2026-12-07T09:20:00.000Z', msLeft: 20 * 60_000 },
      { name: 'Later', stage: 'running', breachAt: '2026-12-07T14:00:00.000Z', msLeft: 5 * h },
      // A paused clock stands still: no time left is counted down.
      { name: 'Paused', stage: 'paused', breachAt: '2026-12-07T10:00:00.000Z', msLeft: null },
      { name: 'Met', stage: 'met', breachAt: '2026-12-07T08:00:00.000Z', msLeft: null },
      { name: 'Cancelled', stage: 'cancelled', breachAt: null, msLeft: null },
    ]);
  });

  it('reads them live, and answers none where the remote has no SLAs, refuses, fails, answers nonsense or is too slow', async () => {
    const one = [{ name: 'Priority 3 resolution (8 hour)', stage: 'running' as const, breachAt: now + h }];
    expect(await readSla({ slaOf: async () => one }, 'x', 1000, () => now)).toEqual([
      { name: 'Priority 3 resolution (8 hour)', stage: 'running', breachAt: '2026-12-07T10:00:00.000Z', msLeft: h },
    ]);
    expect(await readSla({ slaOf: async () => [] }, 'x')).toEqual([]);
    expect(await readSla({}, 'x')).toBeNull();
    expect(await readSla({ slaOf: async () => undefined }, 'x')).toBeNull();
    expect(await readSla({ slaOf: () => Promise.reject(new Error('503')) }, 'x')).toBeNull();
    expect(await readSla({ slaOf: async () => [{ name: '', stage: 'late' }] as never }, 'x')).toBeNull();
    const started = Date.now();
    expect(await readSla({ slaOf: () => new Promise(() => undefined) }, 'x', 50)).toBeNull();
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
