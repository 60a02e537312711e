import {
  afterAnswer,
  DEFAULT_RETRY_AFTER_MS,
  dueForReport,
  inBatches,
  REPORT_AGAIN_AFTER_MS,
  REPORT_CYCLE_MS,
  REPORT_LIMIT,
  retryAt,
  withoutPersonNamed,
} from './personal-data';

const NOW = Date.parse('2026-03-10T12:00:00Z');
const DAY = 86_400_000;
const held = (accountId: string, extra: { reportedAt?: number; closedAt?: number } = {}) => ({
  accountId,
  updatedAt: '2026-03-01T00:00:00.000Z',
  ...extra,
});

describe('which accounts are reported', () => {
  it('reports an account never reported, and one whose last report is six days old; not one reported since', () => {
    const due = dueForReport(
      [
        held('recent', { reportedAt: NOW - DAY }),
        held('week-old', { reportedAt: NOW - 6 * DAY }),
        held('never'),
        held('closed', { closedAt: NOW - DAY }),
      ],
      NOW,
    );
    expect(due.map((h) => h.accountId)).toEqual(['never', 'week-old']);
  });

  it('reports each account within the 7-day cycle though a daily run starts up to an hour early', () => {
    expect(REPORT_AGAIN_AFTER_MS + DAY).toBeLessThanOrEqual(REPORT_CYCLE_MS);
    const due = dueForReport([held('a', { reportedAt: NOW - 6 * DAY + 30 * 60_000 })], NOW);
    expect(due).toHaveLength(1);
  });

  it('sends at most 90 accounts a request, as the API takes', () => {
    const batches = inBatches(Array.from({ length: 181 }, (_, i) => i));
    expect(REPORT_LIMIT).toBe(90);
    expect(batches.map((b) => b.length)).toEqual([90, 90, 1]);
    expect(batches.flat()).toEqual(Array.from({ length: 181 }, (_, i) => i));
  });
});

describe('what an answer changes', () => {
  it('marks closed accounts for erasure, records the rest as reported, and moves an updated one’s time', () => {
    const batch = [held('a'), held('b'), held('c')];
    const { closed, reported } = afterAnswer(
      batch,
      [
        { accountId: 'a', status: 'closed' },
        { accountId: 'c', status: 'updated' },
      ],
      NOW,
    );
    expect(closed).toEqual([{ ...held('a'), closedAt: NOW }]);
    expect(reported).toEqual([
      { ...held('b'), reportedAt: NOW },
      { ...held('c'), reportedAt: NOW, updatedAt: new Date(NOW).toISOString() },
    ]);
  });

  it('a 204 (no accounts) records every account as reported', () => {
    const { closed, reported } = afterAnswer([held('a')], [], NOW);
    expect(closed).toEqual([]);
    expect(reported).toEqual([{ ...held('a'), reportedAt: NOW }]);
  });
});

describe('Retry-After', () => {
  it('reads seconds or an HTTP date, and waits an hour when it names nothing usable', () => {
    expect(retryAt('120', NOW)).toBe(NOW + 120_000);
    expect(retryAt(new Date(NOW + 3_600_000).toUTCString(), NOW)).toBe(NOW + 3_600_000);
    expect(retryAt(null, NOW)).toBe(NOW + DEFAULT_RETRY_AFTER_MS);
    expect(retryAt('soon', NOW)).toBe(NOW + DEFAULT_RETRY_AFTER_MS);
  });
});

describe('problem texts of earlier releases', () => {
  it('no longer name the unmatched Jira user, by name or account id; other texts stay', () => {
    expect(withoutPersonNamed('Lee Lead has no matching servicenow user')).toBe(
      'The Jira user in this field has no matching servicenow user',
    );
    expect(withoutPersonNamed('priority is empty; 5b10a2844c20165700ede21g has no matching azure-devops user')).toBe(
      'priority is empty; The Jira user in this field has no matching azure-devops user',
    );
    const kept = [
      'servicenow user 62826bf0 has no matching Jira user',
      'The Jira user in this field has no matching zendesk user',
    ];
    for (const text of kept) expect(withoutPersonNamed(text)).toBe(text);
  });
});
