/**
 * A connection's alerts, for its project's admins (issue 23): the settings (thresholds, reminder, Jira email's
 * recipients), which targets are set (a hint of each address, never the address: a Slack or Teams webhook URL lets
 * anyone post to the channel), the connection's condition as the last check saw it, and a test alert sent now.
 */
import { getAppContext } from '@forge/api';
import * as z from 'zod';
import { checkConnection, issueToEmailAbout, settingsPageUrl, siteUrl, targetsOf } from '../alerts/check';
import type { AlertMessage, AlertTargetKind } from '../alerts/plan';
import { alertSettingsSchema, alertThresholdsSchema } from '../alerts/settings';
import { deliverAlert, describeTargetUrl, validateTargetUrl } from '../alerts/targets';
import { audit } from '../audit/record';
import { systemFor } from '../connectors/registry';
import { projectOverview } from '../connectors/jira/client';
import { getAlertSecrets, getAlertSettings, saveAlertSettings, updateAlertSecrets } from '../store/alert-settings';
import { getAlertState } from '../store/alert-state';
import { noteAccounts } from '../store/personal-data';
import { checkPublicHost } from './address-guard';
import { connectionIdSchema, fail, ok, requireOwnConnection } from './guards';

type Call = { payload?: unknown; context: { accountId?: string } & Record<string, unknown> };

const request = z.object({ connectionId: connectionIdSchema }).strict();
const URL_TARGETS = ['slack', 'teams', 'webhook'] as const;
const secretUrl = z.string().trim().max(2000).nullable().optional();

const saveRequest = z
  .object({
    connectionId: connectionIdSchema,
    thresholds: alertThresholdsSchema.partial().optional(),
    reminderMinutes: z.number().int().optional(),
    jiraEmail: z
      .object({ users: z.array(z.string()).max(20), groups: z.array(z.string()).max(10) })
      .strict()
      .optional(),
    /** A new address replaces the stored one; null removes it; absent keeps it. */
    slackUrl: secretUrl,
    teamsUrl: secretUrl,
    webhookUrl: secretUrl,
    webhookSecret: z.string().min(16).max(200).nullable().optional(),
  })
  .strict();

const testRequest = z
  .object({ connectionId: connectionIdSchema, target: z.enum(['slack', 'teams', 'webhook', 'jira-email']).optional() })
  .strict();

/** What the page shows of the targets set: which, and a hint of each address. */
async function describe(connectionId: string) {
  const [settings, secrets, state] = await Promise.all([
    getAlertSettings(connectionId),
    getAlertSecrets(connectionId),
    getAlertState(connectionId),
  ]);
  const hint = (target: (typeof URL_TARGETS)[number], url: string | undefined) =>
    url ? describeTargetUrl(target, url) : null;
  return {
    settings,
    targets: {
      slack: hint('slack', secrets.slackUrl),
      teams: hint('teams', secrets.teamsUrl),
      webhook: hint('webhook', secrets.webhookUrl),
      webhookSecretSet: Boolean(secrets.webhookSecret),
    },
    active: targetsOf(secrets, settings),
    deliveryProblems: state?.deliveryProblems ?? {},
    condition: state?.condition ?? null,
  };
}

export async function alertSettingsResolver({ payload, context }: Call) {
  const own = await requireOwnConnection(context, payload, request);
  if (!own.ok) return own.answer;
  return ok(await describe(own.config.id));
}

export async function saveAlertSettingsResolver({ payload, context }: Call) {
  const own = await requireOwnConnection(context, payload, saveRequest);
  if (!own.ok) return own.answer;
  const r = own.request;
  const current = await getAlertSettings(own.config.id);
  const merged = alertSettingsSchema.safeParse({
    thresholds: { ...current.thresholds, ...r.thresholds },
    reminderMinutes: r.reminderMinutes ?? current.reminderMinutes,
    jiraEmail: r.jiraEmail ?? current.jiraEmail,
  });
  const problems: Array<{ path: string; message: string }> = merged.success
    ? []
    : merged.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
  const urls: { slackUrl?: string | null; teamsUrl?: string | null; webhookUrl?: string | null } = {};
  const production = getAppContext().environmentType === 'PRODUCTION';
  for (const target of URL_TARGETS) {
    const key = `${target}Url` as const;
    const given = r[key];
    if (given === undefined) continue;
    if (given === null || given === '') {
      urls[key] = null;
      continue;
    }
    const valid = validateTargetUrl(target, given);
    if (!valid.ok) {
      problems.push({ path: key, message: valid.message });
      continue;
    }
    // The site's allowed hosts are the remotes'; an alert target is checked only for a public address.
    const host = await checkPublicHost(new URL(valid.url).hostname, production, undefined, async () => undefined);
    if (!host.ok) problems.push({ path: key, message: host.reason });
    else urls[key] = valid.url;
  }
  const secrets = await getAlertSecrets(own.config.id);
  const webhookAfter = r.webhookUrl === undefined ? secrets.webhookUrl : (urls.webhookUrl ?? undefined);
  const secretAfter = r.webhookSecret === undefined ? secrets.webhookSecret : (r.webhookSecret ?? undefined);
  if (webhookAfter && !secretAfter)
    problems.push({ path: 'webhookSecret', message: 'A webhook needs a signing secret (16 characters or more)' });
  if (problems.length || !merged.success) return fail('BAD_REQUEST', 'The alert settings have problems', problems);
  await noteAccounts(merged.data.jiraEmail.users);
  await saveAlertSettings(own.config.id, merged.data);
  const change = { ...urls, ...(r.webhookSecret !== undefined ? { webhookSecret: r.webhookSecret } : {}) };
  if (Object.keys(change).length) await updateAlertSecrets(own.config.id, change);
  const settingsChanged = [
    ...Object.keys(r.thresholds ?? {}).filter(
      (k) => r.thresholds![k as keyof typeof r.thresholds] !== current.thresholds[k as keyof typeof current.thresholds],
    ),
    ...(r.reminderMinutes !== undefined && r.reminderMinutes !== current.reminderMinutes ? ['reminderMinutes'] : []),
    ...(r.jiraEmail && JSON.stringify(r.jiraEmail) !== JSON.stringify(current.jiraEmail) ? ['jiraEmail'] : []),
  ];
  await audit(own.admin, 'alerts-changed', {
    connectionId: own.config.id,
    changes: {
      ...(settingsChanged.length ? { settings: settingsChanged } : {}),
      ...(Object.keys(change).length ? { secrets: Object.keys(change) } : {}),
    },
  });
  return ok(await describe(own.config.id));
}

/**
 * Sends a test alert now to one target or every target set, and answers each target's result in words; nothing
 * is stored but the audit entry. The first issue for Jira's email is the connection's most recently synced one.
 */
export async function sendTestAlertResolver({ payload, context }: Call) {
  const own = await requireOwnConnection(context, payload, testRequest);
  if (!own.ok) return own.answer;
  const [settings, secrets] = await Promise.all([getAlertSettings(own.config.id), getAlertSecrets(own.config.id)]);
  const set = targetsOf(secrets, settings);
  const targets: AlertTargetKind[] = own.request.target ? [own.request.target] : set;
  if (!targets.length || targets.some((t) => !set.includes(t)))
    return fail('BAD_REQUEST', 'Set an alert target first, then send it a test alert.');
  // The check works out the connection's condition now (it sends nothing that is not due) and names its first issue.
  const checked = await checkConnection(own.config);
  const project = await projectOverview(own.config.jiraProjectId).catch(() => undefined);
  const projectKey = project?.key ?? own.config.jiraProjectId;
  const now = Date.now();
  const system = systemFor(own.config.remote.type)?.label ?? own.config.remote.type;
  const firstIssue = targets.includes('jira-email')
    ? await issueToEmailAbout(own.config, checked.firstIssue)
    : checked.firstIssue;
  const base: Omit<AlertMessage, 'target'> = {
    id: `${own.config.id}:test:${now}`,
    event: 'test',
    connectionId: own.config.id,
    connectionName: own.config.name,
    system,
    projectKey,
    condition: 'test',
    words:
      checked.condition.state === 'ok'
        ? `This is a test: the connection works, and alerts will come here`
        : `This is a test. Right now: ${checked.condition.conditions.map((c) => c.words).join('; ')}`,
    check: 'Nothing to do: this only shows where alerts arrive.',
    since: now,
    at: now,
    itemsWaiting: checked.condition.itemsWaiting,
    settingsUrl: settingsPageUrl(await siteUrl(), projectKey),
    ...(firstIssue?.issueId ? { issueId: firstIssue.issueId } : {}),
    ...(firstIssue?.issueKey ? { issueKey: firstIssue.issueKey } : {}),
    attempts: 0,
  };
  const results = await Promise.all(
    targets.map(async (target) => {
      const result = await deliverAlert({ ...base, target }, secrets, settings.jiraEmail);
      return { target, ok: result.ok, ...(result.ok ? {} : { reason: result.reason }) };
    }),
  );
  await audit(own.admin, 'test-alert-sent', { connectionId: own.config.id, changes: { settings: targets } });
  return ok({ results });
}
