/**
 * Which alerts a check sends (pure): from the conditions observed now, the ones alerted before and the connection's
 * alert settings, one "started" message when a condition passes its threshold, a "reminder" at the set interval while
 * it lasts (one per condition, never one per item), and one "cleared" when it ends. Each message has an id that names
 * the condition's episode and the step, so a message sent again after a crash is recognisably the same one.
 */
import type { ConditionKind, ObservedCondition } from './condition';

export type AlertEvent = 'started' | 'reminder' | 'cleared' | 'test';

export type AlertTargetKind = 'slack' | 'teams' | 'webhook' | 'jira-email';

/** One alert to one target, as planned and kept in the outbox until delivered. */
export interface AlertMessage {
  /** `<connection>:<condition>:<since>:<step>` (step: start, reminder-N, clear) or `<connection>:test:<time>`. */
  id: string;
  target: AlertTargetKind;
  event: AlertEvent;
  connectionId: string;
  connectionName: string;
  /** The system's label ("Zendesk") and the Jira project's key, for the message's title. */
  system: string;
  projectKey: string;
  condition: ConditionKind | 'test';
  words: string;
  check: string;
  /** Epoch ms since when the condition holds (for "cleared": since when it held). */
  since: number;
  /** Epoch ms the message was planned. */
  at: number;
  itemsWaiting: number;
  /** The connection's settings page in Jira. */
  settingsUrl: string;
  /** The first affected issue, where there is one (Jira's email is sent about it). */
  issueId?: string;
  issueKey?: string;
  /** Delivery attempts that failed so far; after MAX_DELIVERY_ATTEMPTS the message is dropped and the failure kept. */
  attempts: number;
}

export const MAX_DELIVERY_ATTEMPTS = 12;
