import { perDay } from './activity';

const DAY = 86_400_000;
const now = Date.UTC(2026, 11, 4, 15, 0);

describe('activity per day', () => {
  it('places each sync and failure on its UTC day, oldest day first, and drops what is older than the window', () => {
    const days = perDay(now, 3, [now, now - 60_000, now - DAY, now - 5 * DAY], [now - 2 * DAY + 1000]);
    expect(days).toEqual([
      { day: '2026-12-02', syncs: 0, failures: 1 },
      { day: '2026-12-03', syncs: 1, failures: 0 },
      { day: '2026-12-04', syncs: 2, failures: 0 },
    ]);
  });

  it('counts a sync at midnight on the day it begins', () => {
    const midnight = Date.UTC(2026, 11, 4);
    expect(perDay(now, 2, [midnight, midnight - 1], []).map((d) => d.syncs)).toEqual([1, 1]);
  });
});
