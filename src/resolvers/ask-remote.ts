/**
 * Asking a connection's remote on a project admin's behalf (its fields, its
 * people): the connector is built with the stored credential, which never
 * leaves the server, what the remote answers is checked before it reaches the
 * page, and what stops the question is answered as a problem in plain words.
 */
import type * as z from 'zod';
import { isSyncError } from '../connectors/errors';
import { connectorFor } from '../sync/connector-for';
import type { Connector } from '../connectors/ports';
import { systemFor } from '../connectors/registry';
import type { ConnectionConfig } from '../mapping/connection-config';
import type { ResolverError } from './guards';

type Problem = { ok: false; error: ResolverError };

export async function askRemote<T>(
  config: ConnectionConfig,
  asking: string,
  problem: (message: string) => Problem,
  run: (connector: Connector, label: string) => Promise<T | Problem>,
): Promise<T | Problem> {
  const label = systemFor(config.remote.type)?.label ?? config.remote.type;
  try {
    return await run(await connectorFor(config), label);
  } catch (e) {
    if (!isSyncError(e)) throw e;
    // No credential yet, a refused sign-in, a remote that is down: each says so in its own words, with what to do.
    if (e.kind === 'auth' && e.details.httpStatus === undefined) return problem(e.message);
    if (e.kind === 'auth')
      return problem(
        `${label} refused the connection's sign-in (${e.message}); check the credential on the Instance and sign-in step.`,
      );
    return problem(`${label} could not be asked for its ${asking}: ${e.message}`);
  }
}

/** What the remote said, each entry checked against the shape the page expects; one that does not fit is left out. */
export function keepValid<S extends z.ZodType>(schema: S, entries: readonly unknown[]): Array<z.infer<S>> {
  return entries.flatMap((entry) => {
    const checked = schema.safeParse(entry);
    return checked.success ? [checked.data] : [];
  });
}
