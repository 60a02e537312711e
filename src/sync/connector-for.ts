import type { ConnectionConfig } from '../mapping/connection-config';
import { credentialFor } from '../store/credentials';
import { SyncError } from '../connectors/errors';
import { paced } from '../connectors/pacing';
import type { Connector } from '../connectors/ports';
import { systemFor } from '../connectors/registry';

/** Builds the connector for a connection through its system's registry entry, with its credential (secret storage, or this warm instance's copy of the same revision). */
export async function connectorFor(config: ConnectionConfig): Promise<Connector> {
  const system = systemFor(config.remote.type);
  if (!system)
    throw new SyncError({
      system: config.remote.type,
      kind: 'validation',
      message: `${config.remote.type} connections are not available`,
    });
  const credential = await credentialFor(config);
  const missing = system.missingCredential(config.remote, credential);
  if (missing || !credential)
    throw new SyncError({
      system: config.remote.type,
      kind: 'auth',
      message: missing ?? 'The connection has no credential',
    });
  // Within a window the remote gave this instance, it is not asked again (pacing.ts).
  return paced(config.id, system.label, system.create(config.remote, credential));
}
