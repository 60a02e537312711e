/**
 * A small world for the alert targets' tests: the local Forge platform running the alerts fixture app
 * (test/fixtures/alerts-app, whose resolver calls src/alerts/targets), the Jira simulator for Jira's email, and the
 * alert sinks behind the platform's egress routes, with alerts.acme.example approved as a Jira admin would.
 */
import path from 'node:path';
import { startPlatform, type Platform } from '../../sandbox/platform';
import { startJiraSim, type JiraSim } from '../../sandbox/sims/jira';
import { SINK_HOSTS, startAlertSinks, type AlertSinks } from '../../sandbox/sims/alert-sinks';
import type { AlertMessage } from '../../src/alerts/plan';
import type { AlertTargetSecrets, DeliveryResult, JiraEmailRecipients } from '../../src/alerts/targets';

export const ALERTS_APP = path.resolve(__dirname, '../fixtures/alerts-app');
const APP_ACCOUNT = '557058:alerts-fixture-app';
const TOKEN = 'alerts-world-token';

export interface AlertsWorld {
  platform: Platform;
  installationId: string;
  jira: JiraSim;
  sinks: AlertSinks;
  deliver(
    message: AlertMessage,
    secrets: AlertTargetSecrets,
    recipients?: JiraEmailRecipients,
  ): Promise<DeliveryResult>;
  validate(
    target: 'slack' | 'teams' | 'webhook',
    url: string,
  ): Promise<{ ok: boolean; url?: string; message?: string }>;
  stop(): Promise<void>;
}

export async function startAlertsWorld(): Promise<AlertsWorld> {
  const platform = await startPlatform({
    appDir: ALERTS_APP,
    clock: 'real',
    kvsRateLimits: false,
    scheduleTriggers: false,
  });
  const jira = await startJiraSim({ platformToken: TOKEN, appAccountId: APP_ACCOUNT, now: () => platform.clock.now() });
  const sinks = await startAlertSinks({ now: () => platform.clock.now() });
  for (const route of sinks.routes) platform.addEgressRoute(route);
  const { id: installationId } = await platform.install({ jiraBaseUrl: jira.baseUrl, platformToken: TOKEN });
  platform.customerEgress(installationId).set({
    egresses: [
      {
        key: 'alert-receiver',
        description: "The operations team's alert receiver",
        configured: [{ domain: SINK_HOSTS.webhook, type: ['FETCH_BACKEND_SIDE'] }],
      },
    ],
  });
  const call = async (functionKey: string, payload: unknown) => {
    const res = await platform.invokeResolver({
      installationId,
      moduleKey: 'alerts-probe',
      functionKey,
      payload,
      accountId: jira.site.state.users.find((u) => u.role === 'admin')!.accountId,
    });
    if (!res.ok) throw new Error(res.error);
    return res.body;
  };
  return {
    platform,
    installationId,
    jira,
    sinks,
    deliver: async (message, secrets, recipients = { users: [], groups: [] }) =>
      (await call('deliver', { message, secrets, recipients })) as DeliveryResult,
    validate: async (target, url) =>
      (await call('validate', { target, url })) as { ok: boolean; url?: string; message?: string },
    async stop() {
      await sinks.stop();
      await jira.stop();
      await platform.stop();
    },
  };
}
