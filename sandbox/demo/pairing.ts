/**
 * What a person has in hand to pair a Jira project with each simulated remote,
 * by the system's registry kind: the instance URL, the values the settings
 * form asks of them (the demo connections' own `remote` settings), the secret
 * the integration account signs in with, and how to find, in the simulator,
 * the item a Jira issue became; and, for the remote filter's tests, a field
 * with a list of values and how an agent makes an item. Tests that pair
 * "every registered system" through the settings page iterate the registry
 * and take these facts from here; a system registered without a simulator has
 * no entry, and those tests say so.
 */
import type { Sandbox } from '../sandbox';
import { azureDevOpsClient, patch } from '../sims/azure-devops/test-client';
import { DEMO_CREDENTIALS as ADO } from '../sims/azure-devops';
import { serviceNowClient } from '../sims/servicenow/test-client';
import { DEMO_CREDENTIALS as ZD } from '../sims/zendesk';
import { zendeskClient } from '../sims/zendesk/test-client';
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
  /**
   * A remote filter to build from the remote's own fields: the field an item's title is in, and a field of the
   * remote's with a list of values an agent sets, with three of its values.
   */
  filterable: { title: string; field: string; values: readonly [string, string, string] };
  /** Makes an item of the demo connection's kind as the remote's agent would, titled `title`, its `filterable.field` set to `value`; the remote tells Crosswalk as it does of any item. */
  createItem(title: string, value: string): Promise<void>;
}

const created = (what: string, res: { status: number }) => {
  if (res.status !== 200 && res.status !== 201) throw new Error(`Could not create ${what}: ${res.status}`);
};

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
      // An incident's priority is computed from impact and urgency; the urgency is the agent's to set.
      filterable: { title: 'short_description', field: 'urgency', values: ['1', '2', '3'] },
      createItem: async (title, urgency) =>
        created(
          'an incident',
          await serviceNowClient(sn, sn.credentials.agent)(
            'POST',
            `/api/now/table/${demoServiceNowConnection.remote.table}`,
            {
              short_description: title,
              urgency,
            },
          ),
        ),
    },
    'azure-devops': {
      instanceUrl: ado.instanceUrl,
      remote: demoAzureDevOpsConnection.remote,
      credential: { token: ado.credentials.pat },
      itemsTitled: (title) =>
        [...sandbox.azureDevOps.store.items(sandbox.azureDevOps.store.org(ado.organization)!).values()]
          .filter((i) => !i.deleted && i.fields['System.Title'] === title)
          .map((i) => ({ id: String(i.id), title })),
      filterable: { title: 'System.Title', field: 'Microsoft.VSTS.Common.Priority', values: ['1', '2', '3'] },
      createItem: async (title, priority) =>
        created(
          'a work item',
          await azureDevOpsClient(sandbox.azureDevOps, ADO.agent.pat)(
            'POST',
            `/${ado.organization}/${encodeURIComponent(ado.project)}/_apis/wit/workitems/$${demoAzureDevOpsConnection.remote.workItemType}`,
            patch({ 'System.Title': title, 'Microsoft.VSTS.Common.Priority': Number(priority) }),
          ),
        ),
    },
    zendesk: {
      instanceUrl: zd.instanceUrl,
      remote: demoZendeskConnection.remote,
      credential: { token: zd.credentials.apiToken },
      itemsTitled: (title) =>
        [...sandbox.zendesk.store.tickets.values()]
          .filter((t) => t.subject === title)
          .map((t) => ({ id: String(t.id), title: t.subject })),
      filterable: { title: 'subject', field: 'priority', values: ['urgent', 'high', 'low'] },
      createItem: async (title, priority) =>
        created(
          'a ticket',
          await zendeskClient(zd, ZD.agent)('POST', '/api/v2/tickets', {
            ticket: { subject: title, priority, comment: { body: `${title}: reported by a customer.` } },
          }),
        ),
    },
  };
}
