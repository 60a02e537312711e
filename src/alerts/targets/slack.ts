/**
 * Slack incoming webhooks: `text` (the notification's and any old client's fallback) and Block Kit `blocks` (a header,
 * the condition, when and how many, what to check, and a button to the settings). Slack answers 200 `ok`, or a
 * text code: 400 `invalid_payload`/`no_text`/`invalid_blocks`, 403 `action_prohibited`, 404 `no_service` or
 * `channel_not_found`, 410 `channel_is_archived`, 429 with Retry-After (api.slack.com's incoming webhook errors).
 */
import type { AlertMessage } from '../plan';
import { postToTarget, type DeliveryResult, type TargetAnswer } from './http';
import { alertText } from './text';

/** Slack's mrkdwn reserves these three; everything else is shown as typed. */
export function escapeSlack(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const cut = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

export interface SlackPayload {
  text: string;
  blocks: Array<Record<string, unknown>>;
}

export function slackPayload(m: AlertMessage): SlackPayload {
  const t = alertText(m);
  const details = [t.what, t.since, t.waiting].filter(Boolean).map(escapeSlack).join('\n');
  const blocks: Array<Record<string, unknown>> = [
    // A header is plain text (no escaping) of at most 150 characters.
    { type: 'header', text: { type: 'plain_text', text: cut(t.title, 150), emoji: true } },
    { type: 'section', text: { type: 'mrkdwn', text: cut(details, 3000) } },
  ];
  if (t.check) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: cut(`*${escapeSlack(t.check)}*`, 3000) } });
  blocks.push(
    {
      type: 'context',
      elements: [
        { type: 'mrkdwn', text: cut(escapeSlack(`Crosswalk · ${m.system} · ${m.projectKey} · alert ${m.id}`), 3000) },
      ],
    },
    {
      type: 'actions',
      elements: [
        {
          type: 'button',
          text: { type: 'plain_text', text: t.linkLabel },
          url: m.settingsUrl,
          action_id: 'open-settings',
        },
      ],
    },
  );
  return {
    text: cut(escapeSlack(`${t.title}. ${[t.what, t.since, t.waiting].filter(Boolean).join(' ')}`), 3000),
    blocks,
  };
}

const SLACK_REASONS: Record<string, string> = {
  no_service: 'Slack says the webhook is gone (no_service): create a new incoming webhook and set its URL here',
  no_team: 'Slack says the workspace is gone (no_team): create a new incoming webhook and set its URL here',
  invalid_token:
    'Slack says the webhook is not valid (invalid_token): create a new incoming webhook and set its URL here',
  channel_not_found:
    "Slack cannot find the webhook's channel (channel_not_found): create a new incoming webhook for an existing channel",
  channel_is_archived:
    "Slack says the webhook's channel is archived (channel_is_archived): unarchive it, or create a webhook for another channel",
  action_prohibited:
    'Slack refuses the post (action_prohibited): a workspace admin restricted this webhook; ask them, or use another channel',
  posting_to_general_channel_denied:
    'Slack refuses posts to this channel (posting_to_general_channel_denied): use a webhook for another channel',
};

export function slackRefusal(a: TargetAnswer): string {
  const code = /^[a-z_]{2,64}$/.test(a.text.trim()) ? a.text.trim() : '';
  if (code && SLACK_REASONS[code]) return SLACK_REASONS[code];
  if (code === 'invalid_payload' || code === 'no_text' || code.startsWith('invalid_blocks'))
    return `Slack refused the message's form (${code}); this is Crosswalk's fault, please report it`;
  if (a.status === 404) return SLACK_REASONS.no_service!;
  return `Slack refused the message (${code || `HTTP ${a.status}`})`;
}

export function deliverSlack(m: AlertMessage, url: string): Promise<DeliveryResult> {
  return postToTarget('Slack', url, JSON.stringify(slackPayload(m)), {}, slackRefusal);
}
