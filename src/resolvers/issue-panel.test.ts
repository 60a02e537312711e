import { pendingOf } from './issue-panel';

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
