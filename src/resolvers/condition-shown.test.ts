import type { ObservedCondition } from '../alerts/condition';
import { bannersOf, conditionShown } from './condition-shown';

const at = Date.UTC(2026, 11, 7, 10, 42);
const observed = (kind: ObservedCondition['kind'], pastThreshold: boolean): ObservedCondition => ({
  kind,
  since: at,
  itemsWaiting: 2,
  words: `${kind} words`,
  check: `${kind} check`,
  pastThreshold,
});

describe('a connection’s condition as the pages show it', () => {
  it('before any check: "not checked yet", with the stored health and failing items, never an ok', () => {
    expect(conditionShown(undefined, { health: undefined, failures: 0 })).toEqual({
      state: 'not-checked',
      conditions: [],
      itemsFailing: 0,
      itemsWaiting: null,
      lastSyncAt: null,
      checkedAt: null,
    });
    expect(
      conditionShown(undefined, {
        health: { kind: 'auth', message: 'ServiceNow refused the password', at: '2026-12-07T09:00:00.000Z' },
        failures: 3,
      }),
    ).toMatchObject({
      state: 'not-checked',
      conditions: [{ kind: 'auth', words: 'ServiceNow refused the password', since: '2026-12-07T09:00:00.000Z' }],
      itemsFailing: 3,
    });
  });

  it('after a check: its state, each condition’s words and since, its counts and times', () => {
    expect(
      conditionShown(
        {
          state: 'failing',
          conditions: [observed('credential-refused', true)],
          itemsFailing: 1,
          itemsWaiting: 5,
          lastSyncAt: at - 60_000,
          checkedAt: at + 60_000,
        },
        { health: undefined, failures: 9 },
      ),
    ).toEqual({
      state: 'failing',
      conditions: [
        {
          kind: 'credential-refused',
          words: 'credential-refused words',
          since: new Date(at).toISOString(),
          pastThreshold: true,
        },
      ],
      itemsFailing: 1,
      itemsWaiting: 5,
      lastSyncAt: new Date(at - 60_000).toISOString(),
      checkedAt: new Date(at + 60_000).toISOString(),
    });
  });

  it('banners only connection-wide conditions past their threshold', () => {
    const condition = {
      state: 'failing' as const,
      conditions: [
        observed('credential-refused', true),
        observed('rate-limited', false),
        observed('items-failing', true),
        observed('notifications-silent', true),
      ],
      itemsFailing: 0,
      itemsWaiting: 0,
      lastSyncAt: null,
      checkedAt: at,
    };
    expect(bannersOf({ name: 'Support', system: 'Zendesk' }, condition)).toEqual([
      {
        connectionName: 'Support',
        system: 'Zendesk',
        words: 'credential-refused words',
        check: 'credential-refused check',
        since: new Date(at).toISOString(),
      },
      expect.objectContaining({ words: 'notifications-silent words' }),
    ]);
    expect(bannersOf({ name: 'Support', system: 'Zendesk' }, undefined)).toEqual([]);
  });
});
