/**
 * The remote's people for the settings page's manual user pairs, for project
 * admins only: a saved connection of the caller's project searches its remote
 * through its connector (built through the registry with the stored
 * credential, which never leaves the server). Each person's `id` is what the
 * connection's user table stores. What stops the search is answered as a
 * problem at `remoteUsers`, so the page keeps working with a typed id.
 */
import * as z from 'zod';
import { remoteUserSchema } from '../connectors/ports';
import { askRemote, keepValid } from './ask-remote';
import { connectionIdSchema, fail, ok, requireOwnConnection } from './guards';

type Call = { payload?: unknown; context: { accountId?: string } & Record<string, unknown> };

/** The connection is looked up first (requireOwnConnection): another project's id is refused whatever else the request holds. */
const request = z
  .object({
    connectionId: connectionIdSchema,
    text: z.string().trim().min(1, 'type part of a name or email').max(100, 'at most 100 characters'),
  })
  .strict();
/** People offered per search (the picker lists them in one dropdown). */
const MAX_USERS = 20;

const problem = (message: string) =>
  fail('BAD_REQUEST', "The remote's people could not be searched", [{ path: 'remoteUsers', message }]);

export async function searchRemoteUsersResolver({ payload, context }: Call) {
  // Another project's connection answers exactly like a missing one.
  const own = await requireOwnConnection(context, payload, request);
  if (!own.ok) return own.answer;
  const { config, request: parsed } = own;
  return askRemote(config, 'people', problem, async (connector, label) => {
    if (!connector.users?.search)
      return problem(`${label} connections cannot search their people; type the ${label} user's ID.`);
    const found = await connector.users.search(parsed.text, MAX_USERS);
    return ok({ users: keepValid(remoteUserSchema, found).slice(0, MAX_USERS) });
  });
}
