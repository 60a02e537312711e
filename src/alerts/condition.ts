/**
 * A connection's condition: what is wrong with it as a whole (not with one item), in a person's words, with since
 * when and how many items wait. Computed by the alert check every five minutes (alerts/check.ts) and stored with the
 * alert state (store/alert-state.ts), so the issue panel's banner, the admin page and the dashboard gadget read one
 * record instead of working it out again.
 */

/** The conditions worth an alert (issue 23), each with its own threshold in the connection's alert settings. */
export const CONDITION_KINDS = [
  'credential-refused',
  'unreachable',
  'rate-limited',
  'items-failing',
  'notifications-silent',
  'bulk-stalled',
  'backlog-old',
] as const;
export type ConditionKind = (typeof CONDITION_KINDS)[number];

/** Conditions that stop or slow the whole connection: the issue panel shows them on every issue of its project. */
export const CONNECTION_WIDE: ReadonlySet<ConditionKind> = new Set([
  'credential-refused',
  'unreachable',
  'rate-limited',
  'notifications-silent',
]);

export interface ObservedCondition {
  kind: ConditionKind;
  /** Epoch ms since when it holds (its first sighting). */
  since: number;
  /** Items that wait because of it (0 when it stops nothing yet, e.g. notifications silent). */
  itemsWaiting: number;
  /** What is wrong, in a person's words: "Zendesk refuses the API token", never a value of a secret. */
  words: string;
  /** What to check or do about it ("Check the business rule set up in ServiceNow"). */
  check: string;
  /** Whether it has lasted past its threshold: only then is it alerted, shown as failing and bannered. */
  pastThreshold: boolean;
}

export type ConditionState = 'ok' | 'degraded' | 'failing';

/** The connection as the banner, the admin page and the gadget show it. */
export interface ConnectionCondition {
  state: ConditionState;
  conditions: ObservedCondition[];
  /** Items with a failure recorded (the settings page's failing list; at least this many when 100). */
  itemsFailing: number;
  /** Items waiting for a retry (rate limit, unreachable, conflict) rather than for a person. */
  itemsWaiting: number;
  /** Epoch ms of the newest sync among the connection's links, null when none synced yet. */
  lastSyncAt: number | null;
  /** Epoch ms of the check that computed it. */
  checkedAt: number;
}

/** Failing when any condition is past its threshold; degraded while one holds but has not lasted long enough. */
export function stateOf(conditions: readonly ObservedCondition[]): ConditionState {
  if (conditions.some((c) => c.pastThreshold)) return 'failing';
  return conditions.length ? 'degraded' : 'ok';
}
