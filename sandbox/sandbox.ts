import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { startPlatform, type Platform, type PlatformOptions, type SettleOptions, type SettleResult } from './platform';
import { startJiraSim, type JiraSim } from './sims/jira';
import { jiraClient } from './sims/jira/test-client';
import type { ServiceNowSim } from './sims/servicenow';
import type { AzureDevOpsSim } from './sims/azure-devops';
import type { ZendeskSim } from './sims/zendesk';
import { startAlertSinks, type AlertSinks } from './sims/alert-sinks';
import { startHost, type Host, type HostUser } from './host/server';
import type { RunningSimulator } from './simulated-system';
import { demoOf, simulatedKinds, simulatedSystemOf } from './systems';

/**
 * The whole local world on one machine: the Forge platform running Crosswalk,
 * the simulators, a demo site with Crosswalk installed, and the Jira-like host
 * page. `npm start` and end-to-end tests both start it through here.
 */
export interface SandboxOptions {
  /** Host page port (0 = any). */
  port?: number;
  /** Durable storage for the platform; omitted = in memory. */
  dataDir?: string;
  clock?: PlatformOptions['clock'];
  chaos?: PlatformOptions['chaos'];
  /** One queue event at a time in a fixed order (model tests replay a seed exactly). */
  deterministic?: boolean;
  /** Fire scheduled triggers on the clock (default true); model tests run the sweep as one of their commands instead. */
  scheduleTriggers?: boolean;
  /** Pair each system's demo project with its simulator, as a project lead would on the settings page (default true). */
  pairDemo?: boolean;
  /** Which systems' demo pairings to make, by registry kind (DEMO ↔ ServiceNow, OPS ↔ Azure DevOps, SUP ↔ Zendesk…); all by default. */
  pair?: readonly string[];
}

export interface Sandbox {
  hostUrl: string;
  platformUrl: string;
  installationId: string;
  /**
   * Every simulator's URLs for people and tools (`npm start -- --json`): Jira's, and each registered system's by its
   * kind (or its `simsKey`), with what its `summary` adds. The first three are typed for older tests.
   */
  sims: {
    jira: { baseUrl: string; controlUrl: string };
    servicenow: {
      baseUrl: string;
      controlUrl: string;
      instanceUrl: string;
      credentials: (typeof import('./sims/servicenow'))['DEMO_CREDENTIALS'];
    };
    /** `baseUrl` is the organization's URL on loopback (https://dev.azure.com/acme for the app). */
    azureDevOps: {
      baseUrl: string;
      controlUrl: string;
      instanceUrl: string;
      organization: string;
      project: string;
      credentials: { pat: string; user: string };
    };
    zendesk: {
      baseUrl: string;
      controlUrl: string;
      instanceUrl: string;
      credentials: { email: string; apiToken: string };
    };
  } & Record<string, { baseUrl: string; controlUrl: string; instanceUrl: string }>;
  /** Each registered system's running simulator, by registry kind. */
  remotes: Readonly<Record<string, RunningSimulator>>;
  /**
   * Where alerts go (sims/alert-sinks): Slack, Teams workflows, PagerDuty and a customer's signed webhook receiver on
   * their real hosts, recording what they receive (`alertSinks.received('slack')`); `DEMO_SINKS` holds valid URLs.
   */
  alertSinks: AlertSinks;
  users: HostUser[];
  platform: Platform;
  jira: JiraSim;
  servicenow: ServiceNowSim;
  azureDevOps: AzureDevOpsSim;
  zendesk: ZendeskSim;
  /** Jira's REST API as the demo users (Basic auth) or as the app (the platform's identity), for tests and benchmarks. */
  jiraClient(): ReturnType<typeof jiraClient>;
  /**
   * Waits until the world is quiet: the remotes' notifications delivered and everything they and Jira's events caused
   * has run, within `within` of platform time in all (default: the platform's strict default); see `Platform.settle`.
   */
  settle(options?: SettleOptions): Promise<SettleResult>;
  stop(): Promise<void>;
}

export const APP_ACCOUNT_ID = '557058:f0d1a2b3-crosswalk-app';
const REPO_ROOT = path.resolve(__dirname, '..');

export async function startSandbox(opts: SandboxOptions = {}): Promise<Sandbox> {
  const platformToken = randomBytes(24).toString('hex');
  const platform = await startPlatform({
    appDir: REPO_ROOT,
    clock: opts.clock ?? 'real',
    dataDir: opts.dataDir,
    chaos: opts.chaos,
    deterministic: opts.deterministic,
    ...(opts.scheduleTriggers === false ? { scheduleTriggers: false } : {}),
  });
  let installationId = '';
  const jira = await startJiraSim({
    platformToken,
    appAccountId: APP_ACCOUNT_ID,
    now: () => platform.clock.now(),
    // Product events flow from the simulated site to the platform's triggers.
    onEvent: (report) => installationId && platform.deliverProductEvent(installationId, report),
  });
  // Every registered system's simulator; the app reaches its real hosts (https://acme.service-now.com) through the
  // platform's egress routes to it.
  const remotes: Record<string, RunningSimulator> = {};
  for (const kind of simulatedKinds()) {
    const sim = await simulatedSystemOf(kind).start({ now: () => platform.clock.now() });
    remotes[kind] = sim;
    for (const route of sim.routes) platform.addEgressRoute(route);
  }
  const notifiers = Object.values(remotes).map((r) => r.notifier);
  // Alert targets (hooks.slack.com, Teams workflow hosts, events.pagerduty.com, alerts.acme.example) on loopback.
  const alertSinks = await startAlertSinks({ now: () => platform.clock.now() });
  for (const route of alertSinks.routes) platform.addEgressRoute(route);
  // A durable data dir keeps the same installation across restarts.
  const installation = await platform.install({
    installationId: 'demo-site',
    cloudId: '2f1c5a7e-9d4b-4c3a-8e6f-1b2c3d4e5f60',
    siteUrl: 'https://crosswalk-demo.atlassian.net',
    jiraBaseUrl: jira.baseUrl,
    platformToken,
  });
  installationId = installation.id;
  const users: HostUser[] = jira.site.state.users
    .filter((u) => u.accountType !== 'app')
    .map((u) => ({
      accountId: u.accountId,
      displayName: u.displayName,
      role: u.role,
      email: u.emailAddress,
      apiToken: u.apiToken,
    }));
  const pairs = (kind: string) => opts.pairDemo !== false && (!opts.pair || opts.pair.includes(kind));
  for (const [kind, sim] of Object.entries(remotes)) {
    if (!pairs(kind)) continue;
    await demoOf(kind).pair({
      platform,
      installationId,
      jira,
      sim,
      notificationUrl: (connectionId) =>
        `${platform.webTriggerUrl(installationId, 'remote-webhook')}/${kind}/${connectionId}`,
    });
  }
  // An item's real URL opens on the simulator that plays its host, which serves a small web view at the same path.
  const remoteViews = Object.values(remotes).flatMap((r) => r.routes);
  const host: Host = await startHost({
    platform,
    installationId,
    jiraBaseUrl: jira.baseUrl,
    users,
    port: opts.port,
    remoteViews,
  });
  return {
    hostUrl: host.url,
    platformUrl: platform.url,
    installationId,
    sims: {
      jira: { baseUrl: jira.baseUrl, controlUrl: jira.controlUrl },
      ...Object.fromEntries(
        Object.entries(remotes).map(([kind, r]) => [
          r.simsKey ?? kind,
          { baseUrl: r.baseUrl, controlUrl: r.controlUrl, instanceUrl: r.instanceUrl, ...r.summary },
        ]),
      ),
    } as Sandbox['sims'],
    remotes,
    alertSinks,
    users,
    platform,
    jira,
    servicenow: remotes.servicenow as unknown as ServiceNowSim,
    azureDevOps: remotes['azure-devops'] as unknown as AzureDevOpsSim,
    zendesk: remotes.zendesk as unknown as ZendeskSim,
    jiraClient: () => jiraClient(jira, platformToken),
    async settle(options = {}) {
      // The bound is for the whole wait, every round's included.
      const from = options.from ?? platform.clock.now();
      // Each round may cause the other side to notify again; a loop-free sync ends in a few rounds.
      for (let round = 0; round < 20; round++) {
        await Promise.all(notifiers.map((n) => n.idle()));
        await platform.settle({ ...options, from });
        if (!notifiers.some((n) => n.busy)) return { tookMs: platform.clock.now() - from };
      }
      throw new Error('The sandbox did not settle: notifications keep coming');
    },
    async stop() {
      await host.stop();
      await jira.stop();
      for (const r of Object.values(remotes)) await r.stop();
      await alertSinks.stop();
      await platform.stop();
    },
  };
}
