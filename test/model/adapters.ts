/** Every connector the model holds to the promise; a new system adds its adapter here. */
import type { RemoteAdapter } from './adapter';
import { serviceNowAdapter } from './servicenow';

export const ADAPTERS: Readonly<Record<string, () => RemoteAdapter>> = {
  servicenow: serviceNowAdapter,
};
