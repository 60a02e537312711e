import { ago, count, sinceTime } from './words';

describe('counted nouns on the pages', () => {
  it('agrees the word with the number: one alone, every other number (none included) with the plural', () => {
    expect(count(1, 'sync')).toBe('1 sync');
    expect(count(0, 'sync')).toBe('0 syncs');
    expect(count(2, 'sync')).toBe('2 syncs');
  });

  it('takes an irregular plural, and a phrase whose verb agrees too', () => {
    expect(count(1, 'person has', 'people have')).toBe('1 person has');
    expect(count(4, 'person has', 'people have')).toBe('4 people have');
    expect(count(1, 'issue matches', 'issues match')).toBe('1 issue matches');
  });
});

describe('times on the pages', () => {
  const now = Date.UTC(2026, 11, 7, 15, 0, 0);

  it('says since when in the reader’s time zone: the time alone today, with the day before', () => {
    expect(sinceTime('2026-12-07T10:42:00Z', now, 0)).toBe('since 10:42');
    expect(sinceTime('2026-12-07T10:42:00Z', now, -60)).toBe('since 11:42');
    expect(sinceTime('2026-12-05T23:05:00Z', now, 0)).toBe('since 5 Dec, 23:05');
    // Late on the 6th in UTC is already the 7th two hours east.
    expect(sinceTime('2026-12-06T23:05:00Z', now, -120)).toBe('since 01:05');
  });

  it('says how long ago, and never without a time', () => {
    expect(ago(null, now)).toBe('never');
    expect(ago('2026-12-07T14:59:30Z', now)).toBe('just now');
    expect(ago('2026-12-07T14:48:00Z', now)).toBe('12 min ago');
    expect(ago('2026-12-07T12:00:00Z', now)).toBe('3 h ago');
    expect(ago('2026-12-06T15:00:00Z', now)).toBe('1 day ago');
    expect(ago('2026-12-03T15:00:00Z', now)).toBe('4 days ago');
  });
});
