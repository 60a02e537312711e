/** Every connector the model holds to the promise; a new system adds its adapter here. */
import type { RemoteAdapter } from './adapter';
import { azureDevOpsAdapter } from './azure-devops';
import { serviceNowAdapter } from './servicenow';
import { zendeskAdapter } from './zendesk';

export const ADAPTERS: Readonly<Record<string, () => RemoteAdapter>> = {
  servicenow: serviceNowAdapter,
  zendesk: zendeskAdapter,
  'azure-devops': azureDevOpsAdapter,
};
