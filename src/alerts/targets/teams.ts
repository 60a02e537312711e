/**
 * Microsoft Teams through a Power Automate workflow ("When a Teams webhook request is received", on
 * `*.logic.azure.com` or `*.environment.api.powerplatform.com`): a message with one Adaptive Card 1.4 attachment. The
 * workflow answers 202 Accepted once it has taken the request; what it posts is up to the flow. Its refusals are
 * Logic Apps' JSON errors (`{"error":{"code","message"}}`): 401/403 for a signature that no longer holds, 404 for a
 * workflow deleted or turned off.
 */
import type { AlertMessage } from '../plan';
import { excerpt, postToTarget, type DeliveryResult, type TargetAnswer } from './http';
import { alertText } from './text';

export const ADAPTIVE_CARD_TYPE = 'application/vnd.microsoft.card.adaptive';

export function teamsPayload(m: AlertMessage): Record<string, unknown> {
  const t = alertText(m);
  const color = m.event === 'cleared' ? 'Good' : m.event === 'test' ? 'Accent' : 'Attention';
  const body: Array<Record<string, unknown>> = [
    { type: 'TextBlock', text: t.title, weight: 'Bolder', size: 'Medium', color, wrap: true, style: 'heading' },
  ];
  if (t.what) body.push({ type: 'TextBlock', text: t.what, wrap: true });
  const facts = [
    { title: 'Connection', value: `${m.connectionName} (${m.system}, ${m.projectKey})` },
    { title: m.event === 'test' ? 'Sent' : 'When', value: t.since },
  ];
  if (t.waiting) facts.push({ title: 'Items', value: t.waiting });
  body.push({ type: 'FactSet', facts });
  if (t.check) body.push({ type: 'TextBlock', text: t.check, wrap: true, weight: 'Bolder' });
  body.push({ type: 'TextBlock', text: `Crosswalk alert ${m.id}`, wrap: true, isSubtle: true, size: 'Small' });
  return {
    type: 'message',
    attachments: [
      {
        contentType: ADAPTIVE_CARD_TYPE,
        contentUrl: null,
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          body,
          actions: [{ type: 'Action.OpenUrl', title: t.linkLabel, url: m.settingsUrl }],
        },
      },
    ],
  };
}

export function teamsRefusal(a: TargetAnswer): string {
  let code = '';
  try {
    const parsed = JSON.parse(a.text) as { error?: { code?: unknown } };
    if (typeof parsed.error?.code === 'string') code = excerpt(parsed.error.code, 64);
  } catch {
    // not JSON: the status says enough
  }
  const tag = code ? ` (${code})` : ` (HTTP ${a.status})`;
  if (a.status === 401 || a.status === 403)
    return `The Teams workflow refuses the URL's signature${tag}: copy the workflow's URL again from Power Automate and set it here`;
  if (a.status === 404)
    return `The Teams workflow is gone or turned off${tag}: turn it on, or create a workflow from "When a Teams webhook request is received" and set its URL here`;
  return `The Teams workflow refused the message${tag}`;
}

export function deliverTeams(m: AlertMessage, url: string): Promise<DeliveryResult> {
  return postToTarget('The Teams workflow', url, JSON.stringify(teamsPayload(m)), {}, teamsRefusal);
}
