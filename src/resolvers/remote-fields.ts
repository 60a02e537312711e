/**
 * The remote's own fields for the mapping editor, for project admins only: a
 * saved connection of the caller's project is described by its connector
 * (built through the registry with the stored credential, which never leaves
 * the server), with the fields it computes from others (its registry entry's
 * `derivedFields`). What stops the description is answered as a problem at
 * `remoteFields`, so the page keeps working with typed names.
 */
import * as z from 'zod';
import { remoteFieldSchema } from '../connectors/ports';
import { systemFor } from '../connectors/registry';
import { askRemote, keepValid } from './ask-remote';
import { connectionIdSchema, fail, ok, requireOwnConnection } from './guards';

type Call = { payload?: unknown; context: { accountId?: string } & Record<string, unknown> };

const request = z
  .object({
    connectionId: connectionIdSchema,
    /** The fields of this type of the connection's type map (its own states, its own fields); absent: the connection's own. */
    itemType: z.string().trim().min(1).max(255).optional(),
  })
  .strict();
/** A remote with more fields than this is cut (the editor lists them all in one dropdown). */
const MAX_FIELDS = 1000;

const problem = (message: string) =>
  fail('BAD_REQUEST', "The remote's fields could not be read", [{ path: 'remoteFields', message }]);

export async function remoteFieldsResolver({ payload, context }: Call) {
  // Another project's connection answers exactly like a missing one.
  const own = await requireOwnConnection(context, payload, request);
  if (!own.ok) return own.answer;
  const { config } = own;
  return askRemote(config, 'fields', problem, async (connector, label) => {
    if (!connector.describeFields)
      return problem(`${label} connections cannot list their fields; type the remote field names.`);
    const described = await connector.describeFields(own.request.itemType);
    if (!described)
      return problem(
        `${label} did not let the integration user read its field definitions; type the remote field names, or give that user read access to them.`,
      );
    // The fields the remote computes from others (its registry entry): the editor shows their matrix.
    const derived = systemFor(config.remote.type)?.derivedFields?.(config.remote as never) ?? [];
    // Which of them tells an item's type, for the type map (mapping/item-types.ts).
    const itemTypes = systemFor(config.remote.type)?.itemTypes;
    return ok({
      fields: keepValid(remoteFieldSchema, described).slice(0, MAX_FIELDS),
      derived,
      ...(itemTypes ? { itemTypes } : {}),
    });
  });
}
