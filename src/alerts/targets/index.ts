/**
 * Where a connection's alerts go (issue 23): Slack, a Teams workflow, a signed generic webhook, Jira's own email.
 * `deliverAlert` sends one planned message to its target and says whether it arrived, and if not whether trying again
 * may help and why in a person's words (never a secret, never the whole URL). `validateTargetUrl` checks a URL an
 * admin types before it is stored; `describeTargetUrl` is all of it a page may show once stored.
 */
import { hostMatches, isCustomerApproved } from '../../connectors/remote-hosts';
import type { AlertMessage } from '../plan';
import type { DeliveryResult } from './http';
import { deliverJiraEmail, type JiraEmailRecipients } from './jira-email';
import { deliverSlack } from './slack';
import { deliverTeams } from './teams';
import { deliverWebhook } from './webhook';

export type { DeliveryResult } from './http';
export type { JiraEmailRecipients } from './jira-email';

export interface AlertTargetSecrets {
  slackUrl?: string;
  teamsUrl?: string;
  webhookUrl?: string;
  webhookSecret?: string;
}

export type UrlTarget = 'slack' | 'teams' | 'webhook';

const TARGET_NAMES: Record<UrlTarget, string> = { slack: 'Slack', teams: 'Teams workflow', webhook: 'webhook' };

export async function deliverAlert(
  message: AlertMessage,
  secrets: AlertTargetSecrets,
  recipients: JiraEmailRecipients,
): Promise<DeliveryResult> {
  const missing = (what: string): DeliveryResult => ({
    ok: false,
    retryable: false,
    reason: `No ${what} is set for this connection's alerts`,
  });
  switch (message.target) {
    case 'slack': {
      if (!secrets.slackUrl) return missing('Slack webhook URL');
      const checked = validateTargetUrl('slack', secrets.slackUrl);
      return checked.ok ? deliverSlack(message, checked.url) : refusedUrl(checked.message);
    }
    case 'teams': {
      if (!secrets.teamsUrl) return missing('Teams workflow URL');
      const checked = validateTargetUrl('teams', secrets.teamsUrl);
      return checked.ok ? deliverTeams(message, checked.url) : refusedUrl(checked.message);
    }
    case 'webhook': {
      if (!secrets.webhookUrl) return missing('webhook URL');
      if (!secrets.webhookSecret) return missing('webhook signing secret');
      // Approval of the host is checked again here: an admin may have withdrawn it since the URL was saved.
      const checked = validateTargetUrl('webhook', secrets.webhookUrl);
      return checked.ok ? deliverWebhook(message, checked.url, secrets.webhookSecret) : refusedUrl(checked.message);
    }
    case 'jira-email':
      return deliverJiraEmail(message, recipients);
    default:
      return { ok: false, retryable: false, reason: `Unknown alert target ${String(message.target)}` };
  }
}

const refusedUrl = (message: string): DeliveryResult => ({ ok: false, retryable: false, reason: message });

/** Teams' workflow hosts: Logic Apps' regional hosts and Power Platform's environment hosts. */
export const TEAMS_HOSTS = ['*.logic.azure.com', '*.environment.api.powerplatform.com'] as const;
export const SLACK_HOST = 'hooks.slack.com';
/** PagerDuty's events host: only its Custom Event Transformer endpoint takes a body of Crosswalk's own form. */
export const PAGERDUTY_HOST = 'events.pagerduty.com';

const SLACK_PATH = /^\/(services\/T[A-Z0-9]+\/B[A-Z0-9]+\/[A-Za-z0-9]+|triggers\/T[A-Z0-9]+\/\d+\/[A-Za-z0-9]+)\/?$/;
const LOGIC_PATH = /^\/workflows\/[A-Za-z0-9]+\/triggers\/[A-Za-z0-9_.-]+\/paths\/invoke\/?$/;
const POWER_PATH =
  /^\/powerautomate\/automations\/direct\/workflows\/[A-Za-z0-9]+\/triggers\/[A-Za-z0-9_.-]+\/paths\/invoke\/?$/;
const PAGERDUTY_CET_PATH = /^\/integration\/[A-Za-z0-9]+\/enqueue\/?$/;

export function validateTargetUrl(
  target: UrlTarget,
  url: string,
  options: { approved?: (url: string) => boolean } = {},
): { ok: true; url: string } | { ok: false; message: string } {
  const name = TARGET_NAMES[target];
  const no = (message: string) => ({ ok: false as const, message });
  let u: URL;
  try {
    u = new URL(url.trim());
  } catch {
    return no(`The ${name} URL is not a URL`);
  }
  if (u.protocol !== 'https:') return no(`The ${name} URL must start with https://`);
  if (u.username || u.password) return no(`The ${name} URL must not hold a user name or password`);
  if (u.port && u.port !== '443') return no(`The ${name} URL must use the standard https port`);
  const host = u.hostname.toLowerCase();
  const isSlack = host === SLACK_HOST;
  const isTeams = TEAMS_HOSTS.some((p) => hostMatches(p, host));
  switch (target) {
    case 'slack':
      if (!isSlack) return no('A Slack incoming webhook URL starts with https://hooks.slack.com/services/');
      if (!SLACK_PATH.test(u.pathname))
        return no(
          'This is not a Slack incoming webhook URL: copy it from the Slack app\'s "Incoming Webhooks" page (https://hooks.slack.com/services/T…/B…/…)',
        );
      if (u.search) return no('A Slack incoming webhook URL has no query (the part after ?)');
      break;
    case 'teams':
      if (hostMatches('*.webhook.office.com', host) || host === 'outlook.office.com')
        return no(
          'Microsoft retired Office 365 connector webhooks in Teams: create a workflow from "When a Teams webhook request is received" in the Workflows app and set its URL',
        );
      if (!isTeams)
        return no(
          'A Teams workflow URL is on logic.azure.com or environment.api.powerplatform.com: copy it from the workflow\'s "When a Teams webhook request is received" trigger',
        );
      if (!(LOGIC_PATH.test(u.pathname) || POWER_PATH.test(u.pathname)))
        return no('This is not a Teams workflow trigger URL: it ends in /triggers/manual/paths/invoke');
      if (!u.searchParams.get('sig'))
        return no(
          "The Teams workflow URL has lost its signature (sig=…): copy the whole URL from the workflow's trigger",
        );
      break;
    case 'webhook':
      if (isSlack) return no('This is a Slack URL: choose Slack as the target');
      if (isTeams) return no('This is a Teams workflow URL: choose Teams as the target');
      if (host === PAGERDUTY_HOST && !PAGERDUTY_CET_PATH.test(u.pathname))
        return no(
          "PagerDuty's Events API takes only its own event form: use the URL of a Custom Event Transformer integration (https://events.pagerduty.com/integration/…/enqueue)",
        );
      if (!(options.approved ?? isCustomerApproved)(u.href))
        return no(
          `Crosswalk may not reach ${u.host}: a Jira admin approves a webhook's host for the site (Jira administration → Apps → Crosswalk)`,
        );
      break;
  }
  u.hash = '';
  // Stored as the URL parser writes it: Teams' URLs come with ":443", which Forge's egress filter does not match.
  return { ok: true, url: u.href };
}

/** What a page may show of a stored URL: its host and the last 4 characters ("hooks.slack.com …x7Qa"), never the rest. */
export function describeTargetUrl(target: UrlTarget, url: string): string {
  let host: string;
  try {
    host = new URL(url).host;
  } catch {
    return `${TARGET_NAMES[target]} URL (not a URL)`;
  }
  const tail = url.length > 12 ? url.slice(-4) : '';
  return tail ? `${host} …${tail}` : host;
}
