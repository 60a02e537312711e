/**
 * A saved connection's stored secret stays with the instance, sign-in and
 * scope it was typed for (issue 18, §4): pointing the connection at another
 * host, organization or sign-in without typing the secret again is refused at
 * the secret's field, and nothing reaches the new host; with the secret typed,
 * only that secret is kept. A change of behaviour only (Zendesk's closed
 * tickets) keeps the stored secret.
 */
import { startSandbox, type Sandbox } from '../../sandbox/sandbox';
import { demoZendeskConnection, SUP_CONNECTION_ID, SUP_PROJECT } from '../../sandbox/demo/zendesk-connection';
import { demoAzureDevOpsConnection, OPS_CONNECTION_ID, OPS_PROJECT } from '../../sandbox/demo/azure-devops-connection';
import type { Credential } from '../store/credentials';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ clock: 'manual', pair: ['zendesk', 'azure-devops'] });
}, 120_000);
afterAll(async () => {
  await sandbox?.stop();
});

type Answer = {
  ok: boolean;
  data?: { config: { remote: Record<string, unknown> }; pushSetup?: { ok: boolean } | null };
  error?: { code: string; problems?: Array<{ path: string; message: string }> };
};

async function save(
  role: 'project-lead' | 'admin',
  project: { id: string; key: string },
  payload: Record<string, unknown>,
): Promise<Answer> {
  const r = await sandbox.platform.invokeResolver({
    installationId: sandbox.installationId,
    moduleKey: 'crosswalk-settings',
    functionKey: 'saveConnection',
    accountId: sandbox.users.find((u) => u.role === role)!.accountId,
    context: { extension: { type: 'jira:projectSettingsPage', project } },
    payload,
  });
  if (!r.ok) throw new Error(`saveConnection failed: ${r.error}`);
  return r.body as Answer;
}

const zendeskRequests = async () =>
  (await (await fetch(`${sandbox.sims.zendesk.controlUrl}/requests`)).json()) as Array<{ user: string }>;
const adoSubscriptions = () => sandbox.azureDevOps.store.subscriptions.length;
/** The connection's credential as Forge secret storage holds it (read from the platform, never through the app). */
const storedSecret = (id: string) =>
  sandbox.platform
    .installation(sandbox.installationId)
    .kvs.dump('secret')
    .find((e) => e.key === `credential:${id}`)?.value as Credential | undefined;
const listed = async (id: string) => {
  const r = await sandbox.platform.invokeResolver({
    installationId: sandbox.installationId,
    moduleKey: 'crosswalk-settings',
    functionKey: 'listConnections',
    accountId: sandbox.users.find((u) => u.role === 'project-lead')!.accountId,
    context: { extension: { type: 'jira:projectSettingsPage', project: SUP_PROJECT } },
    payload: {},
  });
  if (!r.ok) throw new Error(`listConnections failed: ${r.error}`);
  return (
    r.body as { data: { connections: Array<{ config: { id: string; remote: { baseUrl: string } } }> } }
  ).data.connections.find((c) => c.config.id === id);
};

describe('saving a connection pointed elsewhere', () => {
  it('refuses a changed host without the secret typed again, at the secret field, and sends nothing there', async () => {
    const before = (await zendeskRequests()).length;
    const r = await save('project-lead', SUP_PROJECT, {
      connectionId: SUP_CONNECTION_ID,
      settings: {
        ...demoZendeskConnection,
        remote: { ...demoZendeskConnection.remote, baseUrl: 'https://evil.zendesk.com' },
      },
    });
    expect(r.ok).toBe(false);
    expect(r.error?.problems).toEqual([
      { path: 'credential.token', message: expect.stringContaining('Type the API token again') },
    ]);
    // Nothing reached any Zendesk host (the new one is played by the same simulator), and nothing was saved.
    expect((await zendeskRequests()).length).toBe(before);
    expect((await listed(SUP_CONNECTION_ID))?.config.remote.baseUrl).toBe('https://acme.zendesk.com');
  });

  it('refuses another Azure DevOps organization on the same host, or another sign-in, without the token', async () => {
    const hooks = adoSubscriptions();
    const elsewhere = await save('admin', OPS_PROJECT, {
      connectionId: OPS_CONNECTION_ID,
      settings: {
        ...demoAzureDevOpsConnection,
        remote: { ...demoAzureDevOpsConnection.remote, baseUrl: 'https://dev.azure.com/other' },
      },
    });
    expect(elsewhere.error?.problems?.map((p) => p.path)).toEqual(['credential.token']);
    const otherProject = await save('admin', OPS_PROJECT, {
      connectionId: OPS_CONNECTION_ID,
      settings: { ...demoAzureDevOpsConnection, remote: { ...demoAzureDevOpsConnection.remote, project: 'Payroll' } },
    });
    expect(otherProject.error?.problems?.map((p) => p.path)).toEqual(['credential.token']);
    const otherUser = await save('admin', OPS_PROJECT, {
      connectionId: OPS_CONNECTION_ID,
      settings: {
        ...demoAzureDevOpsConnection,
        remote: { ...demoAzureDevOpsConnection.remote, auth: { kind: 'pat', user: 'someone@acme.example' } },
      },
    });
    expect(otherUser.error?.problems?.map((p) => p.path)).toEqual(['credential.token']);
    expect(adoSubscriptions()).toBe(hooks);
  });

  it('keeps the stored secret when only behaviour changes, and keeps only the new secret when the host changes', async () => {
    const stored = storedSecret(SUP_CONNECTION_ID)!;
    expect(stored.token).toBe(sandbox.sims.zendesk.credentials.apiToken);
    const report = await save('project-lead', SUP_PROJECT, {
      connectionId: SUP_CONNECTION_ID,
      settings: { ...demoZendeskConnection, remote: { ...demoZendeskConnection.remote, closedTickets: 'report' } },
    });
    expect(report.ok).toBe(true);
    expect(storedSecret(SUP_CONNECTION_ID)?.token).toBe(stored.token);

    // Trailing slash or letter case name the same instance.
    const same = await save('project-lead', SUP_PROJECT, {
      connectionId: SUP_CONNECTION_ID,
      settings: {
        ...demoZendeskConnection,
        remote: { ...demoZendeskConnection.remote, baseUrl: 'https://ACME.zendesk.com/' },
      },
    });
    expect(same.ok).toBe(true);

    const moved = await save('project-lead', SUP_PROJECT, {
      connectionId: SUP_CONNECTION_ID,
      settings: {
        ...demoZendeskConnection,
        remote: { ...demoZendeskConnection.remote, baseUrl: 'https://beta.zendesk.com' },
      },
      credential: { token: 'beta-token-typed-again' },
    });
    expect(moved.ok).toBe(true);
    // Only the secret typed for beta is kept: the old webhook's signing secret belonged to the old instance (and
    // beta does not know this token, so no webhook was made there to sign with another).
    expect(storedSecret(SUP_CONNECTION_ID)).toEqual({ token: 'beta-token-typed-again' });
  });
});
