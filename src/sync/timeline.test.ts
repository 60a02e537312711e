import { newCrossings, stepOf, TIMELINE_DAYS, TIMELINE_MAX_STEPS, withStep, type SyncStep } from './timeline';

const none = { fromJira: 0, fromRemote: 0 };
const base = {
  comments: none,
  files: none,
  created: false,
  changedAt: { jira: 1000, remote: 2000 },
  writtenAt: 3000,
  confirmedAt: 3500,
};

describe('the issue panel timeline', () => {
  it('has no step when nothing crossed', () => {
    expect(stepOf({ ...base, wroteJira: [], wroteRemote: [] })).toBeUndefined();
  });

  it('takes the change time of the side the change came from, and the queue time from the signal', () => {
    expect(
      stepOf({
        ...base,
        wroteJira: [],
        wroteRemote: ['summary'],
        signal: { cause: 'avi:jira:updated:issue', queuedAt: 1200 },
      }),
    ).toEqual({
      toward: 'remote',
      fields: ['summary'],
      cause: 'avi:jira:updated:issue',
      changedAt: 1000,
      queuedAt: 1200,
      writtenAt: 3000,
      confirmedAt: 3500,
    });
    expect(
      stepOf({ ...base, wroteJira: ['priority'], wroteRemote: [], comments: { fromJira: 0, fromRemote: 2 } }),
    ).toMatchObject({ toward: 'jira', changedAt: 2000, comments: 2 });
    expect(stepOf({ ...base, wroteJira: ['priority'], wroteRemote: ['summary'] })).toMatchObject({
      toward: 'both',
      changedAt: 2000,
      fields: ['summary', 'priority'],
    });
    expect(stepOf({ ...base, wroteJira: [], wroteRemote: [], created: true })).toMatchObject({
      toward: 'remote',
      created: true,
    });
  });

  it('counts only crossings that are new, by the side they came from', () => {
    const before = [{ jira: '1', remote: 'a', from: 'jira' as const }];
    const after = [
      ...before,
      { jira: '2', remote: 'b', from: 'remote' as const },
      { jira: '3', remote: 'c', from: 'jira' as const },
    ];
    expect(newCrossings(before, after)).toEqual({ fromJira: 1, fromRemote: 1 });
  });

  it('stays bounded: the newest steps within the look-back window', () => {
    const now = Date.UTC(2026, 11, 1);
    const step = (confirmedAt: number): SyncStep => ({
      toward: 'remote',
      fields: ['summary'],
      writtenAt: confirmedAt,
      confirmedAt,
    });
    const old = step(now - (TIMELINE_DAYS + 1) * 86_400_000);
    let timeline = withStep(undefined, old, now);
    for (let i = 0; i < 30; i++) timeline = withStep(timeline, step(now - 1000 + i), now);
    expect(timeline).toHaveLength(TIMELINE_MAX_STEPS);
    expect(timeline!.at(-1)!.confirmedAt).toBe(now - 1000 + 29);
    expect(withStep([old], undefined, now)).toBeUndefined();
  });
});
