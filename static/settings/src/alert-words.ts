/**
 * The alert section's words, pure (tested without a browser): what each condition and target is called, and the
 * thresholds an admin sets, with what each means for this connection's system.
 */
import type { ConditionKind, ConnectionCondition } from '../../../src/alerts/condition';
import type { AlertSettings } from '../../../src/alerts/settings';
import type { AlertTargetKind } from '../../../src/alerts/plan';

export type Thresholds = AlertSettings['thresholds'];

/** The alertSettings resolver's answer. */
export interface AlertView {
  settings: AlertSettings;
  targets: { slack: string | null; teams: string | null; webhook: string | null; webhookSecretSet: boolean };
  active: AlertTargetKind[];
  deliveryProblems: Partial<Record<AlertTargetKind, { reason: string; at: number }>>;
  condition: ConnectionCondition | null;
}

const CONDITION_WORDS: Record<ConditionKind, string> = {
  'credential-refused': 'Sign-in refused',
  unreachable: 'Not answering',
  'rate-limited': 'Rate-limited',
  'items-failing': 'Items failing',
  'notifications-silent': 'Notifications silent',
  'bulk-stalled': 'Bulk sync stalled',
  'backlog-old': 'Changes waiting',
};

export const conditionWords = (kind: string) => CONDITION_WORDS[kind as ConditionKind] ?? kind;

export const TARGET_WORDS = {
  slack: {
    label: 'Slack incoming webhook',
    placeholder: 'https://hooks.slack.com/services/…',
    helper: 'In Slack: Apps → Incoming Webhooks → Add to a channel, then paste its Webhook URL.',
  },
  teams: {
    label: 'Microsoft Teams workflow webhook',
    placeholder: 'https://…logic.azure.com/workflows/… or …environment.api.powerplatform.com/…',
    helper:
      'In Teams: the channel’s Workflows → "Post to a channel when a webhook request is received", then paste its URL.',
  },
  webhook: {
    label: 'Webhook (signed)',
    placeholder: 'https://alerts.example.com/crosswalk',
    helper: 'Crosswalk posts JSON to this address, signed with the secret below (for PagerDuty-style tools).',
  },
  'jira-email': { label: 'Jira email', placeholder: '', helper: '' },
} as const;

export function thresholdFields(system: string): Array<{ key: keyof Thresholds; label: string; helper: string }> {
  return [
    { key: 'unreachableMinutes', label: 'Not answering for (minutes)', helper: `${system} answers nothing or errors.` },
    {
      key: 'rateLimitedMinutes',
      label: 'Rate-limited for (minutes)',
      helper: `${system} keeps answering "slow down".`,
    },
    { key: 'failingItems', label: 'More failing items than', helper: 'Items waiting for a person to fix something.' },
    {
      key: 'silentMinutes',
      label: 'Notifications silent for (minutes)',
      helper: `Changes in ${system} found only by the five-minute sweep.`,
    },
    {
      key: 'bulkStalledMinutes',
      label: 'Bulk sync not moving for (minutes)',
      helper: 'A bulk sync that made no progress.',
    },
    {
      key: 'backlogMinutes',
      label: 'Changes waiting longer than (minutes)',
      helper: 'The oldest change not synced yet.',
    },
  ];
}
