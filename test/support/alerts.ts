/**
 * Alerts as the end-to-end tests read them: a connection's alerts set to every target the sandbox serves (Slack,
 * Teams, the customer's signed webhook, Jira email to the project's admin), and what each target received for it,
 * by alert id (`<connection>:<condition>:<since>:<step>`).
 */
import { DEMO_SINKS, type SinkRecord } from '../../sandbox/sims/alert-sinks';
import type { EverySystem, PairedSystem } from './every-system';

export type AlertTarget = 'slack' | 'teams' | 'webhook' | 'jira-email';
export const ALERT_TARGETS: readonly AlertTarget[] = ['slack', 'teams', 'webhook', 'jira-email'];
export const MIN = 60_000;

/** Approves the customer's receiver (customer-managed egress) and sets every target on every paired connection. */
export async function alertEverywhere(world: EverySystem, reminderMinutes = 60): Promise<void> {
  world.sandbox.platform.customerEgress(world.sandbox.installationId).set({
    egresses: [
      {
        key: 'alerts',
        description: 'Our alert receiver',
        configured: [{ domain: new URL(DEMO_SINKS.webhookUrl).hostname, type: ['FETCH_BACKEND_SIDE'] }],
      },
    ],
  });
  for (const p of world.paired) {
    const { id } = await world.connectionOf(p);
    const saved = await world.settings(p, 'saveAlertSettings', {
      connectionId: id,
      slackUrl: DEMO_SINKS.slackUrl,
      teamsUrl: DEMO_SINKS.teamsUrl,
      webhookUrl: DEMO_SINKS.webhookUrl,
      webhookSecret: DEMO_SINKS.webhookSecret,
      jiraEmail: { users: [world.jira.userId(p.person.as)], groups: [] },
      reminderMinutes,
    });
    if (!saved.ok) throw new Error(`Alerts not saved for ${p.system.label}: ${JSON.stringify(saved.error)}`);
  }
}

/** Every alert id a target took for this connection, in arrival order (a webhook's only when its signature held). */
export function receivedAlerts(world: EverySystem, connectionId: string): Record<AlertTarget, string[]> {
  const idIn = (text: string) =>
    new RegExp(`${connectionId}:[a-z-]+:\\d+:(start|clear|reminder-\\d+)`).exec(text)?.[0] ?? undefined;
  const ids = (records: readonly { raw: string; status: number }[]) =>
    records.filter((r) => r.status < 300).flatMap((r) => idIn(r.raw) ?? []);
  const sinks = world.sandbox.alertSinks;
  const emails = world.sandbox.jira.notifications().map((n) => ({ raw: JSON.stringify(n), status: 204 }));
  return {
    slack: ids(sinks.received('slack')),
    teams: ids(sinks.received('teams')),
    webhook: ids(sinks.received('webhook').filter((r: SinkRecord) => r.verified)),
    'jira-email': ids(emails),
  };
}

/** What each target received for one of the connection's conditions, as its steps ("start", "reminder-1", "clear"). */
export function alertSteps(world: EverySystem, connectionId: string, condition: string): Record<AlertTarget, string[]> {
  const all = receivedAlerts(world, connectionId);
  const of = (ids: string[]) => ids.filter((id) => id.split(':')[1] === condition).map((id) => id.split(':').pop()!);
  return Object.fromEntries(ALERT_TARGETS.map((t) => [t, of(all[t])])) as Record<AlertTarget, string[]>;
}

export const everyTarget = (steps: string[]) => Object.fromEntries(ALERT_TARGETS.map((t) => [t, steps]));

export async function editInJira(world: EverySystem, p: PairedSystem, key: string, summary: string): Promise<void> {
  world.sandbox.platform.manualClock.advance(1000);
  const res = await world.jira.request(p.person, 'PUT', `/rest/api/3/issue/${key}`, { fields: { summary } });
  if (res.status !== 204) throw new Error(`Jira refused the edit: ${res.text}`);
}

export const runAlertCheck = (world: EverySystem) =>
  world.sandbox.platform.runScheduledTrigger(world.sandbox.installationId, 'alert-check');

/**
 * Five minutes pass: the sweep and the alert check run as their schedules would, and the queue works its retries. The
 * check is delivered twice at once, as a duplicated scheduled invocation would be: every alert must still be sent once.
 */
export async function fiveMinutes(world: EverySystem): Promise<void> {
  await world.sandbox.platform.advanceTime(5 * MIN);
  await world.sandbox.platform.runScheduledTrigger(world.sandbox.installationId, 'reconcile-sweep');
  await world.sandbox.platform.settle({ maxAdvanceMs: 0 });
  await Promise.all([runAlertCheck(world), runAlertCheck(world)]);
}
