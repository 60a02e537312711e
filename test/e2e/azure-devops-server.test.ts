/**
 * Azure DevOps Services and Server, end to end through the local Forge
 * platform. A Server runs on the customer's own host, which no manifest can
 * list: the project admin's connection to it is refused, and nothing is sent
 * there, until a Jira admin approved the host (Forge's customer-managed
 * egress, through the product's dialog); then it syncs both ways at the REST
 * versions that Server answers (2020: 6.0, 2022: 7.0, comments as their
 * previews), and stops again once the approval is withdrawn.
 */
import { startSandbox, type Sandbox } from '../../sandbox/sandbox';
import { demoAzureDevOpsConnection, OPS_CONNECTION_ID, OPS_PROJECT } from '../../sandbox/demo/azure-devops-connection';
import { DEMO_CREDENTIALS as ADO } from '../../sandbox/sims/azure-devops';
import { azureDevOpsClient, patch, type WorkItemJson } from '../../sandbox/sims/azure-devops/test-client';
import { answerBridgeCall, type BridgeDeps } from '../../sandbox/host/bridge-handler';
import { FrameRegistry } from '../../sandbox/host/frames';
import { adf } from '../../sandbox/sims/jira/test-client';

interface Flavour {
  name: string;
  /** The collection (Server) or organization (Services) URL the admin enters. */
  baseUrl: string;
  /** The Server release the simulator's collections play, with its virtual directory. */
  server?: { release: '2020' | '2022'; virtualDirectory: '' | 'tfs' };
  /** The versions Crosswalk must end up speaking. */
  versions: string[];
}

const FLAVOURS: Flavour[] = [
  {
    name: 'Azure DevOps Services',
    baseUrl: `https://dev.azure.com/${ADO.organization}`,
    versions: ['7.1', '7.1-preview.4'],
  },
  {
    name: 'Azure DevOps Server 2020',
    baseUrl: `https://devops.contoso.com/tfs/${ADO.serverCollection}`,
    server: { release: '2020', virtualDirectory: 'tfs' },
    versions: ['6.0', '6.0-preview.3'],
  },
  {
    name: 'Azure DevOps Server 2022',
    baseUrl: `https://ado.fabrikam.com/${ADO.serverCollection}`,
    server: { release: '2022', virtualDirectory: '' },
    versions: ['7.0', '7.0-preview.3'],
  },
];

describe.each(FLAVOURS)('Jira OPS ↔ $name', ({ baseUrl, server, versions }) => {
  let sandbox: Sandbox;
  const host = new URL(baseUrl).host;
  const collection = new URL(baseUrl).pathname.split('/').filter(Boolean).pop()!;
  const frames = new FrameRegistry();

  beforeAll(async () => {
    sandbox = await startSandbox({ clock: 'manual', pair: [] });
    if (server) {
      await control('/server', server);
      // The customer's host is played by the simulator, as dev.azure.com is.
      sandbox.platform.addEgressRoute({ host, target: sandbox.azureDevOps.baseUrl });
    }
  }, 60_000);
  afterAll(() => sandbox.stop());

  const control = (path: string, body: unknown, method = 'PUT') =>
    fetch(`${sandbox.sims.azureDevOps.controlUrl}${path}`, { method, body: JSON.stringify(body) });
  const requests = async () =>
    (
      (await (await fetch(`${sandbox.sims.azureDevOps.controlUrl}/requests`)).json()) as Array<{
        method: string;
        path: string;
        status: number;
        user: string;
        apiVersion?: string;
      }>
    ).filter((r) => r.user === ADO.integration.uniqueName);
  const userId = (role: string) => sandbox.users.find((u) => u.role === role)!.accountId;
  const asAdmin = (functionKey: string, payload?: unknown) =>
    sandbox.platform.invokeResolver({
      installationId: sandbox.installationId,
      moduleKey: 'crosswalk-settings',
      functionKey,
      payload,
      accountId: userId('admin'),
      context: { extension: { type: 'jira:projectSettingsPage', project: OPS_PROJECT } },
    });
  const save = () =>
    asAdmin('saveConnection', {
      settings: { ...demoAzureDevOpsConnection, remote: { ...demoAzureDevOpsConnection.remote, baseUrl } },
      credential: { token: ADO.integration.pat },
    });
  /** A Jira admin allows the host in the product's dialog (sandbox/host: checked, shown, then saved). */
  const approve = async () => {
    const frame = frames.open({
      accountId: userId('admin'),
      moduleKey: 'crosswalk-settings',
      moduleType: 'jira:projectSettingsPage',
      resourceKey: 'settings',
      extension: { project: { ...OPS_PROJECT, type: 'software' } },
    });
    const deps: BridgeDeps = {
      platform: sandbox.platform,
      installationId: sandbox.installationId,
      jiraBaseUrl: sandbox.sims.jira.baseUrl,
      hostUrl: () => sandbox.hostUrl,
    };
    const request = {
      egresses: [
        {
          key: 'azure-devops',
          description: `Azure DevOps Server at ${host}`,
          configured: [{ domain: host, type: ['FETCH_BACKEND_SIDE'] }],
        },
      ],
    };
    for (const phase of ['review', 'apply'])
      expect(await answerBridgeCall(deps, frame, '__permission__egressSet', { phase, request })).toMatchObject({
        ok: true,
      });
  };
  const jira = () => sandbox.jiraClient();
  const itemsOf = () =>
    [...sandbox.azureDevOps.store.items(sandbox.azureDevOps.store.org(collection)!).values()].filter((i) => !i.deleted);
  /** Azure DevOps as its agent Dana uses it, on the same host. */
  const dana = () => azureDevOpsClient(sandbox.azureDevOps, ADO.agent.pat, { host, apiVersion: versions[0] });
  const prefix = new URL(baseUrl).pathname;

  if (server)
    it('refuses the connection, and sends nothing to the host, until a Jira admin approved it', async () => {
      const refused = await save();
      expect(refused).toMatchObject({
        ok: true,
        body: { ok: false, error: { problems: [expect.objectContaining({ path: 'remote.baseUrl' })] } },
      });
      expect(await requests()).toEqual([]);
      await approve();
    });

  let issue: { id: string; key: string };
  let wi: number;
  it('saves the connection, which creates the service hooks on the collection', async () => {
    const saved = await save();
    expect(saved).toMatchObject({
      ok: true,
      body: { ok: true, data: { config: { id: OPS_CONNECTION_ID }, pushSetup: { ok: true } } },
    });
    expect(
      sandbox.azureDevOps.store.subscriptions.filter((s) => s.org === collection.toLowerCase()).map((s) => s.eventType),
    ).toHaveLength(4);
  });

  it('syncs an issue, a comment and a remote edit both ways', async () => {
    issue = (
      await jira().request({ as: 'admin' }, 'POST', '/rest/api/3/issue', {
        fields: {
          project: { key: 'OPS' },
          issuetype: { name: 'Task' },
          summary: `Printer on fire (${host})`,
          description: adf('Third floor.'),
        },
      })
    ).json as { id: string; key: string };
    const seeded = new Set(itemsOf().map((i) => i.id));
    await jira().request({ as: 'admin' }, 'POST', `/rest/api/3/issue/${issue.key}/comment`, {
      body: adf('Extinguisher on its way'),
    });
    await sandbox.settle();
    const made = itemsOf().filter((i) => !seeded.has(i.id));
    expect(made).toHaveLength(1);
    wi = made[0]!.id;
    expect(made[0]!.fields['System.Title']).toBe(`Printer on fire (${host})`);
    expect(made[0]!.comments.map((c) => c.versions.at(-1)!.text)).toEqual([
      '<p>Ada Admin (Jira): Extinguisher on its way</p>',
    ]);

    const edited = await dana()<WorkItemJson>(
      'PATCH',
      `${prefix}/${ADO.project}/_apis/wit/workitems/${wi}`,
      patch({ 'System.Title': 'Printer on fire, third floor' }),
    );
    expect(edited.status).toBe(200);
    await sandbox.settle();
    expect(sandbox.jira.site.state.issues.find((i) => i.id === issue.id)!.summary).toBe('Printer on fire, third floor');
  });

  it(`speaks the versions the host answers (${versions.join(', ')}), and only those`, async () => {
    const asked = await requests();
    expect(asked.filter((r) => r.status === 400)).toEqual([]);
    expect(new Set(asked.flatMap((r) => (r.apiVersion ? [r.apiVersion] : [])))).toEqual(new Set(versions));
    // Route discovery at most once per warm instance, and never for Services, which answers what is asked.
    const discovery = asked.filter((r) => r.method === 'OPTIONS');
    if (server) expect(discovery.length).toBeGreaterThanOrEqual(1);
    else expect(discovery).toEqual([]);
  });

  if (server)
    it('stops reaching the host once the approval is withdrawn: the sync fails as Forge fails the fetch', async () => {
      sandbox.platform.customerEgress(sandbox.installationId).deleteGroup({ key: 'azure-devops' });
      const before = (await requests()).length;
      sandbox.platform.manualClock.advance(1000);
      await jira().request({ as: 'admin' }, 'PUT', `/rest/api/3/issue/${issue.key}`, {
        fields: { summary: 'After the approval was withdrawn' },
      });
      // The first attempt fails as Forge fails the fetch; its retries (70 s on) would fail the same way, so only what
      // is due now runs: the failure must be visible after that one attempt.
      await sandbox.settle({ maxAdvanceMs: 0 });
      expect((await requests()).length).toBe(before);
      expect(itemsOf().find((i) => i.id === wi)!.fields['System.Title']).toBe('Printer on fire, third floor');
      const panel = await sandbox.platform.invokeResolver({
        installationId: sandbox.installationId,
        moduleKey: 'crosswalk-panel',
        functionKey: 'getIssueSync',
        accountId: userId('admin'),
        context: { extension: { issue: { id: issue.id }, project: { id: OPS_PROJECT.id } } },
      });
      expect(JSON.stringify(panel)).toContain('URL not included in the external fetch backend permissions');
    });
});
