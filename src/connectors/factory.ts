import type { ConnectionConfig } from '../mapping/connection-config';
import { getCredential } from '../store/connections';
import { SyncError } from './errors';
import type { Connector } from './ports';
import { ServiceNowConnector } from './servicenow/client';

/** Builds the connector for a connection, with its credential from secret storage. */
export async function connectorFor(config: ConnectionConfig): Promise<Connector> {
  const remote = config.remote;
  const credential = await getCredential(remote.auth.secretRef);
  const missing = () => new SyncError({ system: remote.type, kind: 'auth', message: 'The connection has no credential; an admin must enter it on the settings page' });
  switch (remote.type) {
    case 'servicenow': {
      if (remote.auth.kind === 'basic') {
        if (!credential?.password) throw missing();
        return new ServiceNowConnector({ baseUrl: remote.baseUrl, table: remote.table, auth: { kind: 'basic', username: remote.auth.username, password: credential.password } });
      }
      if (!credential?.clientSecret) throw missing();
      return new ServiceNowConnector({ baseUrl: remote.baseUrl, table: remote.table, auth: { kind: 'oauth', clientId: remote.auth.clientId, clientSecret: credential.clientSecret, username: remote.auth.username, password: credential.password } });
    }
    default:
      throw new SyncError({ system: remote.type, kind: 'validation', message: `${remote.type} connections are not available yet` });
  }
}
