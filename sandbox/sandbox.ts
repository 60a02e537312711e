import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { startPlatform, type Platform, type PlatformOptions, type SettleOptions, type SettleResult } from './platform';
import { startJiraSim, type JiraSim } from './sims/jira';
import { jiraClient } from './sims/jira/test-client';
import { DEMO_CREDENTIALS as SERVICENOW_DEMO, startServiceNowSim, type ServiceNowSim } from './sims/servicenow';
import { DEMO_CREDENTIALS as AZURE_DEVOPS_DEMO, startAzureDevOpsSim, type AzureDevOpsSim } from './sims/azure-devops';
import { DEMO_CREDENTIALS as ZENDESK_DEMO, startZendeskSim, type ZendeskSim } from './sims/zendesk';
import { startHost, type Host, type HostUser } from './host/server';
import { DEMO_WEBHOOK_SECRET, demoServiceNowConnection } from './demo/servicenow-connection';
import { pairOpsProject } from './demo/azure-devops-connection';
import { pairSupportProject } from './demo/zendesk-connection';

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
  /** Pair DEMO with the ServiceNow simulator and SUP with the Zendesk simulator, as a project lead would on the settings page (default true). */
  pairDemo?: boolean;
  /** Which demo pairings to make (DEMO ↔ ServiceNow, OPS ↔ Azure DevOps, SUP ↔ Zendesk); all by default. */
  pair?: ReadonlyArray<'servicenow' | 'azure-devops' | 'zendesk'>;
}

export interface Sandbox {
  hostUrl: string;
  platformUrl: string;
  installationId: string;
  sims: {
    jira: { baseUrl: string; controlUrl: string };
    servicenow: { baseUrl: string; controlUrl: string; instanceUrl: string; credentials: typeof SERVICENOW_DEMO };
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
  };
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

/** Saves the demo connection through Crosswalk's own resolver, as the project lead, and points ServiceNow's notifications at the web trigger. */
async function pairDemoProject(
  platform: Platform,
  installationId: string,
  jira: JiraSim,
  servicenowControlUrl: string,
): Promise<void> {
  const lead = jira.site.state.users.find((u) => u.role === 'project-lead')!;
  const saved = await platform.invokeResolver({
    installationId,
    moduleKey: 'crosswalk-settings',
    functionKey: 'saveConnection',
    accountId: lead.accountId,
    context: { extension: { type: 'jira:projectSettingsPage', project: { id: '10000', key: 'DEMO' } } },
    payload: {
      settings: demoServiceNowConnection,
      credential: { password: SERVICENOW_DEMO.integration.password, webhookSecret: DEMO_WEBHOOK_SECRET },
    },
  });
  if (!saved.ok || !(saved.body as { ok?: boolean }).ok)
    throw new Error(`Could not pair the demo project: ${JSON.stringify(saved)}`);
  const webhook = `${platform.webTriggerUrl(installationId, 'remote-webhook')}/servicenow/${(saved.body as { data: { config: { id: string } } }).data.config.id}`;
  await fetch(`${servicenowControlUrl}/notifications`, {
    method: 'PUT',
    body: JSON.stringify({ url: webhook, secret: DEMO_WEBHOOK_SECRET, tables: ['incident'] }),
  });
}

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
  const servicenow = await startServiceNowSim({ now: () => platform.clock.now() });
  // The app reaches https://acme.service-now.com; the platform routes that host to the simulator.
  platform.addEgressRoute({ host: '*.service-now.com', target: servicenow.baseUrl });
  const azureDevOps = await startAzureDevOpsSim({ now: () => platform.clock.now() });
  platform.addEgressRoute({ host: 'dev.azure.com', target: azureDevOps.baseUrl });
  // Its people (Read Identities) are at the organization's vssps host; the same simulator plays both.
  platform.addEgressRoute({ host: 'vssps.dev.azure.com', target: azureDevOps.baseUrl });
  const zendesk = await startZendeskSim({ now: () => platform.clock.now() });
  platform.addEgressRoute({ host: '*.zendesk.com', target: zendesk.baseUrl });
  const notifiers = [servicenow.notifier, azureDevOps.notifier, zendesk.notifier];
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
  const pairs = (kind: 'servicenow' | 'azure-devops' | 'zendesk') =>
    opts.pairDemo !== false && (!opts.pair || opts.pair.includes(kind));
  if (pairs('servicenow')) await pairDemoProject(platform, installationId, jira, servicenow.controlUrl);
  // SUP ("Customer support") with the Zendesk simulator; saving the connection provisions Zendesk's webhook and trigger.
  if (pairs('zendesk')) await pairSupportProject(platform, installationId, jira);
  // OPS ("Operations") with the Azure DevOps simulator; saving the connection creates its service hooks.
  if (pairs('azure-devops')) await pairOpsProject(platform, installationId, jira);
  // An item's real URL opens on the simulator that plays its host, which serves a small web view at the same path.
  const remoteViews = [
    { host: '*.service-now.com', target: servicenow.baseUrl },
    { host: 'dev.azure.com', target: azureDevOps.baseUrl },
    { host: '*.zendesk.com', target: zendesk.baseUrl },
  ];
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
      servicenow: {
        baseUrl: servicenow.baseUrl,
        controlUrl: servicenow.controlUrl,
        instanceUrl: 'https://acme.service-now.com',
        credentials: SERVICENOW_DEMO,
      },
      azureDevOps: {
        baseUrl: azureDevOps.organizationUrl,
        controlUrl: azureDevOps.controlUrl,
        instanceUrl: `https://dev.azure.com/${AZURE_DEVOPS_DEMO.organization}`,
        organization: AZURE_DEVOPS_DEMO.organization,
        project: AZURE_DEVOPS_DEMO.project,
        credentials: { pat: AZURE_DEVOPS_DEMO.integration.pat, user: AZURE_DEVOPS_DEMO.integration.uniqueName },
      },
      zendesk: {
        baseUrl: zendesk.baseUrl,
        controlUrl: zendesk.controlUrl,
        instanceUrl: `https://${ZENDESK_DEMO.host}`,
        credentials: { email: ZENDESK_DEMO.integration.email, apiToken: ZENDESK_DEMO.integration.apiToken },
      },
    },
    users,
    platform,
    jira,
    servicenow,
    azureDevOps,
    zendesk,
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
      await servicenow.stop();
      await azureDevOps.stop();
      await zendesk.stop();
      await platform.stop();
    },
  };
}
