/**
 * The remote's own fields for the mapping editor, for project admins only: a
 * saved connection of the caller's project is described by its connector
 * (built through the registry with the stored credential, which never leaves
 * the server). What stops the description is answered as a problem at
 * `remoteFields`, so the page keeps working with typed names.
 */
import * as z from 'zod';
import { connectorFor } from '../connectors/factory';
import { isSyncError } from '../connectors/errors';
import { remoteFieldSchema, type RemoteField } from '../connectors/ports';
import { systemFor } from '../connectors/registry';
import { connectionIdSchema, fail, ok, requireOwnConnection } from './guards';

type Call = { payload?: unknown; context: { accountId?: string } & Record<string, unknown> };

const request = z.object({ connectionId: connectionIdSchema }).strict();
/** A remote with more fields than this is cut (the editor lists them all in one dropdown). */
const MAX_FIELDS = 1000;

const problem = (message: string) => fail('BAD_REQUEST', "The remote's fields could not be read", [{ path: 'remoteFields', message }]);

export async function remoteFieldsResolver({ payload, context }: Call) {
  // Another project's connection answers exactly like a missing one.
  const own = await requireOwnConnection(context, payload, request);
  if (!own.ok) return own.answer;
  const { config } = own;
  const label = systemFor(config.remote.type)?.label ?? config.remote.type;
  try {
    const connector = await connectorFor(config);
    if (!connector.describeFields) return problem(`${label} connections cannot list their fields; type the remote field names.`);
    const described = await connector.describeFields();
    if (!described) return problem(`${label} did not let the integration user read its field definitions; type the remote field names, or give that user read access to them.`);
    // What the remote said is checked before it reaches the page: a field that does not fit the shape is left out.
    const fields: RemoteField[] = described.flatMap((f) => {
      const checked = remoteFieldSchema.safeParse(f);
      return checked.success ? [checked.data] : [];
    });
    return ok({ fields: fields.slice(0, MAX_FIELDS) });
  } catch (e) {
    if (!isSyncError(e)) throw e;
    // No credential yet, a refused sign-in, a remote that is down: each says so in its own words, with what to do.
    if (e.kind === 'auth' && e.details.httpStatus === undefined) return problem(e.message);
    if (e.kind === 'auth') return problem(`${label} refused the connection's sign-in (${e.message}); check the credential on the Instance and sign-in step.`);
    return problem(`${label} could not be asked for its fields: ${e.message}`);
  }
}
