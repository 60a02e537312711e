import { kvs } from '@forge/kvs';
import { alertSettingsSchema, DEFAULT_ALERT_SETTINGS, type AlertSettings } from '../alerts/settings';

/**
 * A connection's alert settings and the targets' secrets. The settings are plain storage; the targets' addresses
 * (a Slack or Teams webhook URL is itself a credential) and the generic webhook's signing secret are a Forge secret,
 * never answered to the browser (the page only learns which are set, and a hint of each address).
 */
import type { AlertTargetSecrets } from '../alerts/targets';

export type { AlertTargetSecrets };

const settingsKey = (connectionId: string) => `alert-settings:${connectionId}`;
const secretsKey = (connectionId: string) => `alert-secrets:${connectionId}`;

export async function getAlertSettings(connectionId: string): Promise<AlertSettings> {
  const parsed = alertSettingsSchema.safeParse((await kvs.get(settingsKey(connectionId))) ?? {});
  return parsed.success ? parsed.data : DEFAULT_ALERT_SETTINGS;
}

export async function saveAlertSettings(connectionId: string, settings: AlertSettings): Promise<void> {
  await kvs.set(settingsKey(connectionId), settings);
}

export async function getAlertSecrets(connectionId: string): Promise<AlertTargetSecrets> {
  return ((await kvs.getSecret(secretsKey(connectionId))) as AlertTargetSecrets | undefined) ?? {};
}

/** Replaces the secrets given (undefined keeps one, null removes it). */
export async function updateAlertSecrets(
  connectionId: string,
  change: { [K in keyof AlertTargetSecrets]?: string | null },
): Promise<AlertTargetSecrets> {
  const next: AlertTargetSecrets = { ...(await getAlertSecrets(connectionId)) };
  for (const [k, v] of Object.entries(change) as Array<[keyof AlertTargetSecrets, string | null | undefined]>) {
    if (v === null) delete next[k];
    else if (v !== undefined) next[k] = v;
  }
  if (Object.keys(next).length) await kvs.setSecret(secretsKey(connectionId), next);
  else await kvs.deleteSecret(secretsKey(connectionId));
  return next;
}

/**
 * Closed accounts leave every connection's Jira email recipients (personal data: an account id is all that is kept of
 * a recipient, so nothing else names them); answers how many connections changed.
 */
export async function dropAlertRecipients(
  connectionIds: readonly string[],
  closed: ReadonlySet<string>,
): Promise<number> {
  let changed = 0;
  for (const id of connectionIds) {
    const settings = await getAlertSettings(id);
    const users = settings.jiraEmail.users.filter((u) => !closed.has(u));
    if (users.length === settings.jiraEmail.users.length) continue;
    await saveAlertSettings(id, { ...settings, jiraEmail: { ...settings.jiraEmail, users } });
    changed++;
  }
  return changed;
}

export async function deleteAlertSettings(connectionId: string): Promise<void> {
  await Promise.all([kvs.delete(settingsKey(connectionId)), kvs.deleteSecret(secretsKey(connectionId))]);
}
