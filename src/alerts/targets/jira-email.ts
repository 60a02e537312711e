/**
 * Jira's own email, about the first affected issue: `POST /rest/api/3/issue/{issueIdOrKey}/notify` as the app, to
 * the chosen people (account ids) and groups (group ids), restricted to those who may browse the issue. Jira queues
 * it and answers 204; 400 for a recipient it cannot take, 403 when the site's outgoing email is off, 404 for an
 * issue gone (or one the app may not see).
 */
import api, { route } from '@forge/api';
import { readBounded } from '../../connectors/http';
import type { AlertMessage } from '../plan';
import { excerpt, networkFailure, type DeliveryResult } from './http';
import { alertText } from './text';

export interface JiraEmailRecipients {
  /** Account ids. */
  users: string[];
  /** Group ids. */
  groups: string[];
}

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

export interface JiraNotification {
  subject: string;
  textBody: string;
  htmlBody: string;
  to: { users: Array<{ accountId: string }>; groupIds: string[] };
  restrict: { permissions: Array<{ key: string }> };
}

export function jiraEmailSubject(m: AlertMessage): string {
  const connection = `${m.system} connection "${m.connectionName}"`;
  switch (m.event) {
    case 'cleared':
      return `[Crosswalk] ${connection} is working again`;
    case 'test':
      return `[Crosswalk] Test alert: ${connection}`;
    case 'reminder':
      return `[Crosswalk] ${connection} — still: ${m.words}`;
    default:
      return `[Crosswalk] ${connection} — ${m.words}`;
  }
}

export function jiraNotification(m: AlertMessage, recipients: JiraEmailRecipients): JiraNotification {
  const t = alertText(m);
  const paragraphs = [t.what, t.since, t.waiting, t.check].filter(Boolean);
  const htmlBody = [
    `<p><strong>${escapeHtml(t.title)}</strong></p>`,
    ...paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`),
    `<p><a href="${escapeHtml(m.settingsUrl)}">${escapeHtml(t.linkLabel)}</a></p>`,
    // The id tells a repeat (the same alert sent again after a crash) from a new one, as Slack's context line does.
    `<p><small>Crosswalk alert ${escapeHtml(m.id)}</small></p>`,
  ].join('\n');
  return {
    subject: jiraEmailSubject(m).slice(0, 255),
    textBody: `${t.plain}\n\nCrosswalk alert ${m.id}`,
    htmlBody,
    to: { users: recipients.users.map((accountId) => ({ accountId })), groupIds: [...recipients.groups] },
    // Only people who may see the issue hear about it.
    restrict: { permissions: [{ key: 'BROWSE' }] },
  };
}

export async function deliverJiraEmail(m: AlertMessage, recipients: JiraEmailRecipients): Promise<DeliveryResult> {
  const issue = m.issueId ?? m.issueKey;
  if (!issue)
    return {
      ok: false,
      retryable: false,
      reason: 'Jira sends its email about an issue, and this project has no issue yet',
    };
  if (!recipients.users.length && !recipients.groups.length)
    return { ok: false, retryable: false, reason: 'no recipients chosen for Jira email' };
  let res: Awaited<ReturnType<ReturnType<typeof api.asApp>['requestJira']>>;
  try {
    res = await api.asApp().requestJira(route`/rest/api/3/issue/${issue}/notify`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify(jiraNotification(m, recipients)),
    });
  } catch (e) {
    return networkFailure("Jira's email", 'Jira', e);
  }
  if (res.status >= 200 && res.status < 300) return { ok: true };
  const { text } = await readBounded(res, 4096).catch(() => ({ text: '', over: false }));
  const key = m.issueKey ?? issue;
  if (res.status === 429 || res.status >= 500)
    return { ok: false, retryable: true, reason: `Jira could not send the email now (HTTP ${res.status})` };
  if (res.status === 403)
    return {
      ok: false,
      retryable: false,
      reason:
        "Jira does not send email: the site's outgoing mail is turned off (Jira administration → System → Outgoing mail)",
    };
  if (res.status === 404)
    return { ok: false, retryable: false, reason: `Jira cannot find issue ${key}, or Crosswalk may not see it` };
  return { ok: false, retryable: false, reason: `Jira refused the email about ${key}: ${jiraMessages(text)}` };
}

function jiraMessages(text: string): string {
  try {
    const body = JSON.parse(text) as { errorMessages?: unknown[]; errors?: Record<string, unknown> };
    const all = [...(body.errorMessages ?? []), ...Object.values(body.errors ?? {})].map(String);
    if (all.length) return excerpt(all.join('; '), 200);
  } catch {
    // not Jira's JSON
  }
  return excerpt(text, 200) || 'no reason given';
}
