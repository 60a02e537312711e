/**
 * The alert check of one connection (read → evaluate → plan → store → deliver): every five minutes, and when an admin
 * sends a test alert. The state is written before anything is sent, over the generation read, with each message the
 * check will send claimed by it: of two checks at once (a duplicated scheduled invocation), only one plans or claims a
 * message, and only it sends it. A message stays in the outbox until its target took it: a check that crashed before
 * or while sending leaves it claimed, and once the claim is older than a check can run, the next one sends it, with
 * the same id (a webhook receiver can tell a repeat by it).
 */
import { randomUUID } from 'node:crypto';
import api, { getAppContext, route } from '@forge/api';
import { systemFor } from '../connectors/registry';
import { connectorFor } from '../sync/connector-for';
import { getConnectionHealth, setConnectionHealth } from '../store/health';
import { projectOverview, searchIssues } from '../connectors/jira/client';
import type { ConnectionConfig } from '../mapping/connection-config';
import { getAlertSecrets, getAlertSettings } from '../store/alert-settings';
import { getAlertState, StaleAlertState, writeAlertState, type AlertState } from '../store/alert-state';
import { stateOf, type ConnectionCondition } from './condition';
import { evaluateConditions } from './evaluate';
import { observeConnection } from './observe';
import { MAX_DELIVERY_ATTEMPTS, planAlerts, type AlertMessage, type AlertTargetKind } from './plan';
import type { AlertSettings } from './settings';
import { deliverAlert, type AlertTargetSecrets, type DeliveryResult } from './targets';

/** A claim on a message older than this is a crashed sender's: longer than a check may run (its timeout, 120 s). */
const CLAIM_MS = 3 * 60_000;
/** A state that did not change is written again only this often, so "checked at" stays recent at little cost. */
const REFRESH_MS = 30 * 60_000;
const RETRYABLE = new Set(['transient', 'rate-limited', 'conflict']);

export function targetsOf(secrets: AlertTargetSecrets, settings: AlertSettings): AlertTargetKind[] {
  const targets: AlertTargetKind[] = [];
  if (secrets.slackUrl) targets.push('slack');
  if (secrets.teamsUrl) targets.push('teams');
  if (secrets.webhookUrl && secrets.webhookSecret) targets.push('webhook');
  if (settings.jiraEmail.users.length || settings.jiraEmail.groups.length) targets.push('jira-email');
  return targets;
}

export interface CheckOutcome {
  condition: ConnectionCondition;
  planned: number;
  delivered: number;
  /** Another check wrote the state first: this one sent nothing. */
  stale?: boolean;
  /** The issue Jira's email is about: a failing one, else the most recently synced. */
  firstIssue?: { issueId: string; issueKey?: string };
}

export async function checkConnection(config: ConnectionConfig, now = Date.now()): Promise<CheckOutcome> {
  const system = systemFor(config.remote.type)?.label ?? config.remote.type;
  const claimant = randomUUID();
  const [previous, settings, secrets] = await Promise.all([
    getAlertState(config.id),
    getAlertSettings(config.id),
    getAlertSecrets(config.id),
  ]);
  await probeRefusedCredential(config);
  const observed = await observeConnection(config, system, previous, now);
  const conditions = evaluateConditions(observed.seen, settings.thresholds, previous?.condition.conditions);
  const condition: ConnectionCondition = {
    state: stateOf(conditions),
    conditions,
    itemsFailing: observed.failing,
    itemsWaiting: observed.seen.failures.filter((f) => RETRYABLE.has(f.kind)).length,
    lastSyncAt: observed.lastSyncAt,
    checkedAt: now,
  };
  const plan = planAlerts({
    now,
    observed: conditions,
    alerted: previous?.alerted ?? {},
    targets: targetsOf(secrets, settings),
    reminderMinutes: settings.reminderMinutes,
    about: { connectionId: config.id, connectionName: config.name, system, projectKey: '', settingsUrl: '' },
  });
  const issue = observed.firstIssue ? { firstIssue: observed.firstIssue } : {};
  const fresh = plan.messages.length ? await addressed(plan.messages, config, observed.firstIssue) : [];
  const next: AlertState = {
    connectionId: config.id,
    generation: previous?.generation ?? 0,
    condition,
    alerted: plan.alerted,
    ...(observed.bulk ? { bulk: observed.bulk } : {}),
    outbox: claim([...(previous?.outbox ?? []), ...fresh], claimant, now),
    ...(previous?.deliveryProblems ? { deliveryProblems: previous.deliveryProblems } : {}),
  };
  const mine = next.outbox.filter((m) => m.claim?.by === claimant);
  if (previous && !mine.length && same(previous, next) && now - previous.condition.checkedAt < REFRESH_MS)
    return { condition: previous.condition, planned: 0, delivered: 0, ...issue };
  try {
    await writeAlertState(next);
  } catch (e) {
    if (e instanceof StaleAlertState) return { condition, planned: 0, delivered: 0, stale: true, ...issue };
    throw e;
  }
  const delivered = mine.length ? await deliverOutbox(config.id, mine, secrets, settings) : 0;
  return { condition, planned: fresh.length, delivered, ...issue };
}

/**
 * A paused connection is not checked: its condition is emptied once (the banner, the admin page and the gadget then
 * show it paused, not failing) and its alerted conditions are let go without a "cleared" message, since nothing was
 * fixed; a resumed connection is checked afresh, and alerts what still holds as new.
 */
export async function quietWhilePaused(connectionId: string, now: number): Promise<void> {
  const state = await getAlertState(connectionId);
  if (!state || (!state.condition.conditions.length && !Object.keys(state.alerted).length)) return;
  await writeAlertState({
    ...state,
    condition: { ...state.condition, state: 'ok', conditions: [], checkedAt: now },
    alerted: {},
  }).catch((e: unknown) => {
    if (!(e instanceof StaleAlertState)) throw e;
  });
}

/**
 * A refused credential is stored as the connection's health by the first sync it stopped, and nothing syncs to clear
 * it: while it is stored, each check signs in once (the connector's own test) and clears it when the remote takes
 * the credential again (a token restored, a password changed back), so the condition ends without an admin's save.
 */
async function probeRefusedCredential(config: ConnectionConfig): Promise<void> {
  if ((await getConnectionHealth(config.id))?.kind !== 'auth') return;
  try {
    const result = await (await connectorFor(config)).testConnection();
    if (result.ok) await setConnectionHealth(config.id, undefined);
  } catch {
    // Still refused or unreachable: the condition holds.
  }
}

/**
 * Messages nobody is sending now are this check's to send: unclaimed ones (just planned, or left by a failed
 * delivery) and ones whose claim is older than a check can run (its sender crashed). The claim is written with the
 * state over the generation read, so of two checks at once only one claims a message, and only it sends it.
 */
function claim(outbox: readonly AlertMessage[], by: string, now: number): AlertMessage[] {
  return outbox.map((m) => (m.claim && now - m.claim.at < CLAIM_MS ? m : { ...m, claim: { by, at: now } }));
}

/**
 * Sends the messages this check claimed, one at a time, and records each outcome as soon as it is known (the message
 * gone, or its failed attempts counted and its claim let go), so a crash repeats at most the one message it
 * interrupted, with its id.
 */
async function deliverOutbox(
  connectionId: string,
  mine: readonly AlertMessage[],
  secrets: AlertTargetSecrets,
  settings: AlertSettings,
): Promise<number> {
  let delivered = 0;
  for (const message of mine) {
    const result = await deliverAlert(message, secrets, settings.jiraEmail);
    if (result.ok) delivered++;
    else if (!result.retryable || message.attempts + 1 >= MAX_DELIVERY_ATTEMPTS)
      console.warn(`Alert ${message.id} to ${message.target} dropped: ${result.reason}`);
    if (!(await recordDelivery(connectionId, message, result))) break;
  }
  return delivered;
}

/** The state with one message's outcome, written over the generation read (read again when another check wrote). */
async function recordDelivery(
  connectionId: string,
  message: AlertMessage,
  result: DeliveryResult,
): Promise<AlertState | undefined> {
  let current = await getAlertState(connectionId);
  for (let attempt = 0; attempt < 3 && current; attempt++) {
    const same = (m: AlertMessage) => m.id === message.id && m.target === message.target;
    const keep = !result.ok && result.retryable && message.attempts + 1 < MAX_DELIVERY_ATTEMPTS;
    const outbox = current.outbox.flatMap((m) => {
      if (!same(m)) return [m];
      if (!keep) return [];
      // Failed for now: the next check tries it again (its claim let go).
      const { claim: _, ...unclaimed } = m;
      return [{ ...unclaimed, attempts: m.attempts + 1 }];
    });
    const problems = { ...current.deliveryProblems };
    if (result.ok) delete problems[message.target];
    else if (!keep) problems[message.target] = { reason: result.reason, at: Date.now() };
    const { deliveryProblems: _, ...rest } = current;
    try {
      return await writeAlertState({
        ...rest,
        outbox,
        ...(Object.keys(problems).length ? { deliveryProblems: problems } : {}),
      });
    } catch (e) {
      if (!(e instanceof StaleAlertState)) throw e;
      current = await getAlertState(connectionId);
    }
  }
  return undefined;
}

/** What the messages name that only a send needs: the project's key, the settings page and the first issue. */
async function addressed(
  messages: readonly AlertMessage[],
  config: ConnectionConfig,
  firstIssue: { issueId: string; issueKey?: string } | undefined,
): Promise<AlertMessage[]> {
  const [project, site, issue] = await Promise.all([
    projectOverview(config.jiraProjectId).catch(() => undefined),
    siteUrl(),
    messages.some((m) => m.target === 'jira-email') ? issueToEmailAbout(config, firstIssue) : firstIssue,
  ]);
  const projectKey = project?.key ?? config.jiraProjectId;
  const settingsUrl = settingsPageUrl(site, projectKey);
  return messages.map((m) => ({
    ...m,
    projectKey,
    settingsUrl,
    ...(issue ? { issueId: issue.issueId } : {}),
    ...(issue?.issueKey ? { issueKey: issue.issueKey } : {}),
  }));
}

/**
 * What Jira's email is about: Jira sends it about an issue, to those of its recipients who may see it. The first
 * affected issue where there is one, else the project's most recently updated issue the connection takes (a new
 * connection that has synced nothing yet still has issues); none in an empty project.
 */
export async function issueToEmailAbout(
  config: ConnectionConfig,
  firstIssue: { issueId: string; issueKey?: string } | undefined,
): Promise<{ issueId: string; issueKey?: string } | undefined> {
  if (firstIssue) return firstIssue;
  const jql = `project = ${config.jiraProjectId}${config.jql.trim() ? ` AND (${config.jql})` : ''} ORDER BY updated DESC`;
  const [newest] = await searchIssues(jql, 1).catch(() => []);
  return newest ? { issueId: newest.id } : undefined;
}

/** The project settings page of the app, as Forge builds its URL (jira:projectSettingsPage). */
export function settingsPageUrl(site: string, projectKey: string): string {
  const { appAri, environmentAri } = getAppContext();
  const appId = String(appAri).split('/').pop() ?? '';
  const envId = String(environmentAri).split('/').pop() ?? '';
  return `${site}/jira/software/projects/${encodeURIComponent(projectKey)}/settings/apps/${appId}/${envId}`;
}

/** The site's address, as Jira tells it (serverInfo's baseUrl). */
export async function siteUrl(): Promise<string> {
  try {
    const res = await api
      .asApp()
      .requestJira(route`/rest/api/3/serverInfo`, { headers: { Accept: 'application/json' } });
    if (res.ok) {
      const body = (await res.json()) as { baseUrl?: unknown };
      if (typeof body.baseUrl === 'string' && /^https?:\/\//.test(body.baseUrl)) return body.baseUrl.replace(/\/$/, '');
    }
  } catch {
    // The link then points at the path alone; the message still says what is wrong.
  }
  return '';
}

function same(a: AlertState, b: AlertState): boolean {
  const strip = (s: AlertState) =>
    JSON.stringify({ ...s, generation: 0, condition: { ...s.condition, checkedAt: 0 }, deliveryProblems: undefined });
  return strip(a) === strip(b);
}
