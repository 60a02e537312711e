/**
 * A connection's condition as the pages show it (issue 23): the admin page's row, the dashboard gadget's row and the
 * issue panel's banner. The condition itself is computed by the alert check and stored with the alert state
 * (store/alert-state.ts); until a check has run there is none, and a page says "not checked yet" from what is stored
 * already (the connection's health, its failing items) rather than an "ok" nobody observed. Pure.
 */
import { CONNECTION_WIDE, type ConnectionCondition } from '../alerts/condition';
import type { ConnectionHealth } from '../store/health';

export interface ConditionShown {
  /** `not-checked`: no alert check has run for the connection yet. */
  state: ConnectionCondition['state'] | 'not-checked';
  /** What is wrong, each in a person's words, with since when (ISO) and whether it lasted past its threshold. */
  conditions: Array<{ kind: string; words: string; since: string; pastThreshold: boolean }>;
  itemsFailing: number;
  /** Null until a check counted them. */
  itemsWaiting: number | null;
  lastSyncAt: string | null;
  checkedAt: string | null;
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * What a page shows of a connection: its stored condition, or before the first check what is stored already — the
 * connection-wide health (bad credentials) and the count of its failing items.
 */
export function conditionShown(
  condition: ConnectionCondition | undefined,
  stored: { health: ConnectionHealth | undefined; failures: number },
): ConditionShown {
  if (!condition)
    return {
      state: 'not-checked',
      conditions: stored.health
        ? [{ kind: stored.health.kind, words: stored.health.message, since: stored.health.at, pastThreshold: false }]
        : [],
      itemsFailing: stored.failures,
      itemsWaiting: null,
      lastSyncAt: null,
      checkedAt: null,
    };
  return {
    state: condition.state,
    conditions: condition.conditions.map((c) => ({
      kind: c.kind,
      words: c.words,
      since: iso(c.since),
      pastThreshold: c.pastThreshold,
    })),
    itemsFailing: condition.itemsFailing,
    itemsWaiting: condition.itemsWaiting,
    lastSyncAt: condition.lastSyncAt === null ? null : iso(condition.lastSyncAt),
    checkedAt: iso(condition.checkedAt),
  };
}

export interface ConnectionBanner {
  connectionName: string;
  /** The system's label (Zendesk, ServiceNow), so the banner says which system. */
  system: string;
  words: string;
  check: string;
  since: string;
}

/**
 * The issue panel's banner: only conditions that stop or slow the whole connection (CONNECTION_WIDE) and have lasted
 * past their threshold, the same ones an admin was alerted about; an item's own failure is shown by the panel itself.
 */
export function bannersOf(
  connection: { name: string; system: string },
  condition: ConnectionCondition | undefined,
): ConnectionBanner[] {
  return (condition?.conditions ?? [])
    .filter((c) => c.pastThreshold && CONNECTION_WIDE.has(c.kind))
    .map((c) => ({
      connectionName: connection.name,
      system: connection.system,
      words: c.words,
      check: c.check,
      since: iso(c.since),
    }));
}
