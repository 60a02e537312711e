import type { ObservedCondition } from './condition';
import { planAlerts, type PlanInput } from './plan';

const MIN = 60_000;
const about = {
  connectionId: 'sup-zendesk',
  connectionName: 'Support',
  system: 'Zendesk',
  projectKey: 'SUP',
  settingsUrl: 'https://site/x',
};
const down = (since: number, pastThreshold = true): ObservedCondition => ({
  kind: 'unreachable',
  since,
  itemsWaiting: 3,
  words: 'Zendesk does not answer',
  check: 'Check Zendesk',
  pastThreshold,
});
const input = (over: Partial<PlanInput>): PlanInput => ({
  now: 0,
  observed: [],
  alerted: {},
  targets: ['slack', 'webhook'],
  reminderMinutes: 240,
  about,
  ...over,
});

describe('planning alerts', () => {
  it('sends nothing while a condition has not lasted past its threshold', () => {
    expect(planAlerts(input({ now: 10 * MIN, observed: [down(0, false)] })).messages).toEqual([]);
  });

  it('sends one start per target when a condition passes its threshold, and nothing more on the next check', () => {
    const first = planAlerts(input({ now: 30 * MIN, observed: [down(0)] }));
    expect(first.messages.map((m) => [m.target, m.event, m.id])).toEqual([
      ['slack', 'started', 'sup-zendesk:unreachable:0:start'],
      ['webhook', 'started', 'sup-zendesk:unreachable:0:start'],
    ]);
    expect(first.messages[0]).toMatchObject({ words: 'Zendesk does not answer', since: 0, itemsWaiting: 3 });
    const again = planAlerts(input({ now: 35 * MIN, observed: [down(0)], alerted: first.alerted }));
    expect(again.messages).toEqual([]);
    expect(again.alerted).toEqual(first.alerted);
  });

  it('plans the same ids from the same state: a check run twice sends the same message, not another', () => {
    const a = planAlerts(input({ now: 30 * MIN, observed: [down(0)] }));
    const b = planAlerts(input({ now: 31 * MIN, observed: [down(0)] }));
    expect(b.messages.map((m) => m.id)).toEqual(a.messages.map((m) => m.id));
  });

  it('reminds once per interval while the condition lasts, one message per condition however many items wait', () => {
    let alerted = planAlerts(input({ now: 30 * MIN, observed: [down(0)] })).alerted;
    const events: string[] = [];
    for (let t = 35; t <= 30 + 9 * 60; t += 5) {
      const p = planAlerts(input({ now: t * MIN, observed: [down(0)], alerted, targets: ['slack'] }));
      events.push(...p.messages.map((m) => `${t}:${m.event}:${m.id.split(':').pop()}`));
      alerted = p.alerted;
    }
    expect(events).toEqual(['270:reminder:reminder-1', '510:reminder:reminder-2']);
  });

  it('sends no reminder when reminders are off', () => {
    const alerted = planAlerts(input({ now: 30 * MIN, observed: [down(0)] })).alerted;
    expect(planAlerts(input({ now: 900 * MIN, observed: [down(0)], alerted, reminderMinutes: 0 })).messages).toEqual(
      [],
    );
  });

  it('clears once when the condition ends, naming since when it held; then nothing', () => {
    const alerted = planAlerts(input({ now: 30 * MIN, observed: [down(0)] })).alerted;
    const cleared = planAlerts(input({ now: 70 * MIN, observed: [], alerted }));
    expect(cleared.messages.map((m) => [m.target, m.event, m.id, m.since])).toEqual([
      ['slack', 'cleared', 'sup-zendesk:unreachable:0:clear', 0],
      ['webhook', 'cleared', 'sup-zendesk:unreachable:0:clear', 0],
    ]);
    expect(cleared.messages[0]!.words).toBe('Zendesk answers again');
    expect(cleared.alerted).toEqual({});
    expect(planAlerts(input({ now: 75 * MIN, observed: [], alerted: cleared.alerted })).messages).toEqual([]);
  });

  it('clears a condition that still holds but fell back under its threshold (failing items fixed down to a few)', () => {
    const alerted = planAlerts(input({ now: 30 * MIN, observed: [down(0)] })).alerted;
    expect(
      planAlerts(input({ now: 35 * MIN, observed: [down(0, false)], alerted })).messages.map((m) => m.event),
    ).toEqual(['cleared', 'cleared']);
  });

  it('keeps the state without targets, so adding a target mid-outage does not announce a start that is old news', () => {
    const silent = planAlerts(input({ now: 30 * MIN, observed: [down(0)], targets: [] }));
    expect(silent.messages).toEqual([]);
    expect(silent.alerted.unreachable).toEqual({ since: 0, lastSentAt: 30 * MIN, reminders: 0 });
  });
});
