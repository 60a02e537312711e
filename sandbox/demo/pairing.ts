/**
 * What a person has in hand to pair a Jira project with each simulated remote,
 * by the system's registry kind: the instance URL, the values the settings
 * form asks of them (the demo connections' own `remote` settings), the secret
 * the integration account signs in with, and how to find, in the simulator,
 * the item a Jira issue became. Tests that pair "every registered system"
 * through the settings page iterate the registry and take these facts from
 * here; a system registered without a simulator has no entry, and those tests
 * say so.
 */
import type { Sandbox } from '../sandbox';
import { demoAzureDevOpsConnection } from './azure-devops-connection';
import { demoServiceNowConnection } from './servicenow-connection';
import { demoZendeskConnection } from './zendesk-connection';

export interface PairingKit {
  /** The instance URL a person types (the app reaches it through the platform's egress route to the simulator). */
  instanceUrl: string;
  /** The connection's `remote` settings a person enters, as the demo pairs them (type and baseUrl included). */
  remote: Readonly<Record<string, unknown>>;
  /** The secret the integration account signs in with, by the connection's secret field. */
  credential: Readonly<Record<string, string>>;
  /** The simulator's items whose title is exactly `title`. */
  itemsTitled(title: string): Array<{ id: string; title: string }>;
}

export function pairingKits(sandbox: Sandbox): Readonly<Record<string, PairingKit>> {
  const sn = sandbox.sims.servicenow;
  const ado = sandbox.sims.azureDevOps;
  const zd = sandbox.sims.zendesk;
  return {
    servicenow: {
      instanceUrl: sn.instanceUrl,
      remote: demoServiceNowConnection.remote,
      credential: { password: sn.credentials.integration.password },
      itemsTitled: (title) =>
        sandbox.servicenow.store
          .rows(demoServiceNowConnection.remote.table)
          .filter((r) => r.short_description === title)
          .map((r) => ({ id: String(r.sys_id), title: String(r.short_description) })),
    },
    'azure-devops': {
      instanceUrl: ado.instanceUrl,
      remote: demoAzureDevOpsConnection.remote,
      credential: { token: ado.credentials.pat },
      itemsTitled: (title) =>
        [...sandbox.azureDevOps.store.items(sandbox.azureDevOps.store.org(ado.organization)!).values()]
          .filter((i) => !i.deleted && i.fields['System.Title'] === title)
          .map((i) => ({ id: String(i.id), title })),
    },
    zendesk: {
      instanceUrl: zd.instanceUrl,
      remote: demoZendeskConnection.remote,
      credential: { token: zd.credentials.apiToken },
      itemsTitled: (title) =>
        [...sandbox.zendesk.store.tickets.values()]
          .filter((t) => t.subject === title)
          .map((t) => ({ id: String(t.id), title: t.subject })),
    },
  };
}
