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
  /** The check sending it now, and since when (alerts/check.ts): no other check sends it meanwhile. */
  claim?: { by: string; at: number };
}

export const MAX_DELIVERY_ATTEMPTS = 12;

/** A condition alerted as started, until its clear is sent. */
export interface Alerted {
  since: number;
  lastSentAt: number;
  reminders: number;
}

export type AlertedConditions = Partial<Record<ConditionKind, Alerted>>;

export interface PlanInput {
  now: number;
  observed: readonly ObservedCondition[];
  alerted: AlertedConditions;
  /** The targets set for this connection (none: the state is kept, nothing is sent). */
  targets: readonly AlertTargetKind[];
  reminderMinutes: number;
  /** What every message of this connection names. */
  about: Pick<AlertMessage, 'connectionId' | 'connectionName' | 'system' | 'projectKey' | 'settingsUrl'> & {
    issueId?: string;
    issueKey?: string;
  };
}

/**
 * One message per target for each step of each condition: started when it passes its threshold, a reminder each
 * `reminderMinutes` while it lasts, cleared when it no longer holds past its threshold. Planning the same input twice
 * plans the same ids; planning again after the state was stored plans nothing new.
 */
export function planAlerts(input: PlanInput): { alerted: AlertedConditions; messages: AlertMessage[] } {
  const { now, about } = input;
  const alerted: AlertedConditions = {};
  const messages: AlertMessage[] = [];
  const send = (
    c: Pick<ObservedCondition, 'kind' | 'since' | 'words' | 'check' | 'itemsWaiting'>,
    event: AlertEvent,
    step: string,
  ) => {
    for (const target of input.targets)
      messages.push({
        id: `${about.connectionId}:${c.kind}:${c.since}:${step}`,
        target,
        event,
        connectionId: about.connectionId,
        connectionName: about.connectionName,
        system: about.system,
        projectKey: about.projectKey,
        condition: c.kind,
        words: c.words,
        check: c.check,
        since: c.since,
        at: now,
        itemsWaiting: c.itemsWaiting,
        settingsUrl: about.settingsUrl,
        ...(about.issueId ? { issueId: about.issueId } : {}),
        ...(about.issueKey ? { issueKey: about.issueKey } : {}),
        attempts: 0,
      });
  };
  const due = new Map(input.observed.filter((c) => c.pastThreshold).map((c) => [c.kind, c]));
  for (const [kind, c] of due) {
    const was = input.alerted[kind];
    if (!was) {
      send(c, 'started', 'start');
      alerted[kind] = { since: c.since, lastSentAt: now, reminders: 0 };
    } else if (input.reminderMinutes > 0 && now - was.lastSentAt >= input.reminderMinutes * 60_000) {
      const reminders = was.reminders + 1;
      send({ ...c, since: was.since }, 'reminder', `reminder-${reminders}`);
      alerted[kind] = { since: was.since, lastSentAt: now, reminders };
    } else alerted[kind] = was;
  }
  for (const [kind, was] of Object.entries(input.alerted) as Array<[ConditionKind, Alerted]>) {
    if (due.has(kind)) continue;
    send(
      { kind, since: was.since, words: clearedWords(kind, about.system), check: '', itemsWaiting: 0 },
      'cleared',
      'clear',
    );
  }
  return { alerted, messages };
}

function clearedWords(kind: ConditionKind, system: string): string {
  switch (kind) {
    case 'credential-refused':
      return `${system} accepts Crosswalk's sign-in again`;
    case 'unreachable':
      return `${system} answers again`;
    case 'rate-limited':
      return `${system} no longer refuses requests over its rate limit`;
    case 'items-failing':
      return 'Failing items are back under the alert threshold';
    case 'notifications-silent':
      return `${system}'s change notifications arrive again`;
    case 'bulk-stalled':
      return 'The bulk sync moves again, or ended';
    case 'backlog-old':
      return 'Changes sync on time again';
  }
}
