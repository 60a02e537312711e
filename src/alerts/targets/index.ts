// Placeholder until the targets land (helper branch `sinks`): same signatures.
import type { AlertMessage } from '../plan';
export interface AlertTargetSecrets {
  slackUrl?: string;
  teamsUrl?: string;
  webhookUrl?: string;
  webhookSecret?: string;
}
export interface JiraEmailRecipients {
  users: string[];
  groups: string[];
}
export type DeliveryResult = { ok: true } | { ok: false; retryable: boolean; reason: string };
export async function deliverAlert(
  _m: AlertMessage,
  _s: AlertTargetSecrets,
  _r: JiraEmailRecipients,
): Promise<DeliveryResult> {
  return { ok: false, retryable: true, reason: 'not built' };
}
export function validateTargetUrl(
  _t: 'slack' | 'teams' | 'webhook',
  url: string,
): { ok: true; url: string } | { ok: false; message: string } {
  return { ok: true, url };
}
export function describeTargetUrl(_t: 'slack' | 'teams' | 'webhook', url: string): string {
  return new URL(url).host;
}
