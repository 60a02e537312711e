import { SAME_MOMENT_MS, stagesShown, whatCrossed, type SyncedStep } from './timeline-text';

const at = (s: number) => new Date(Date.UTC(2026, 10, 24, 9, 0, 0) + s * 1000).toISOString();
const step = (over: Partial<SyncedStep>): SyncedStep => ({
  toward: 'jira',
  fields: [],
  values: {},
  kept: [],
  comments: 0,
  files: 0,
  created: false,
  cause: null,
  changedAt: null,
  queuedAt: null,
  writtenAt: at(0),
  confirmedAt: at(0),
  ...over,
});

describe('a step of the sync history, in words', () => {
  it('says what each field became, which way, and counts comments and files', () => {
    expect(
      whatCrossed(
        step({
          fields: ['status', 'priority', 'description'],
          values: { status: 'Waiting for customer', priority: 'High' },
          comments: 1,
        }),
        'Zendesk',
      ),
    ).toBe('Status → Waiting for customer; Priority → High; Description; 1 comment (Zendesk → Jira)');
    expect(
      whatCrossed(step({ toward: 'remote', fields: ['labels'], values: { labels: '' }, files: 2 }), 'Zendesk'),
    ).toBe('Labels → (empty); 2 files (Jira → Zendesk)');
  });

  it('names a value the other side did not take as what it kept', () => {
    expect(
      whatCrossed(
        step({ toward: 'remote', fields: ['status'], values: { status: 'open' }, kept: ['status'] }),
        'Zendesk',
      ),
    ).toBe('Status: Zendesk kept open (Jira → Zendesk)');
  });

  it('shows one time for stages within the same few seconds, and still says what queued it', () => {
    expect(
      stagesShown(
        step({
          cause: 'avi:jira:updated:issue',
          changedAt: at(0),
          queuedAt: at(0),
          writtenAt: at(1),
          confirmedAt: at(2),
        }),
        'Zendesk',
      ),
    ).toEqual([
      { label: 'Queued by a Jira change', iso: null },
      { label: 'Confirmed', iso: at(2) },
    ]);
  });

  it('shows an earlier stage with its time when it came meaningfully before the next', () => {
    // Changed in Zendesk, its notification lost: the five-minute check found it.
    expect(
      stagesShown(
        step({ cause: 'sweep', changedAt: at(0), queuedAt: at(290), writtenAt: at(291), confirmedAt: at(292) }),
        'Zendesk',
      ),
    ).toEqual([
      { label: 'Changed', iso: at(0) },
      { label: 'Queued by the five-minute check', iso: null },
      { label: 'Confirmed', iso: at(292) },
    ]);
    // A write the remote took long to answer.
    expect(
      stagesShown(step({ writtenAt: at(0), confirmedAt: at(SAME_MOMENT_MS / 1000) }), 'Zendesk').map((s) => s.label),
    ).toEqual(['Written', 'Confirmed']);
  });
});
