/**
 * The wizard's check of a connection not saved yet, before it moves on: the
 * draft's problems with their paths, found as preview and save find them
 * (settings, Jira's parse of the filter, the host, whether a secret is there
 * for this instance and sign-in), and, when asked, a sign-in test with the
 * draft's own settings and secret, so a person knows the connection works
 * before saving anything. Nothing is written; no secret is answered.
 */
import * as z from 'zod';
import { isSyncError } from '../connectors/errors';
import { credentialSchema } from '../store/credentials';
import { badRequest, forbiddenAdmin, ok, requireProjectAdmin } from './guards';
import { prepareDraft } from './preview';

type Call = { payload?: unknown; context: { accountId?: string } & Record<string, unknown> };

const checkRequest = z
  .object({
    connectionId: z
      .string()
      .regex(/^[a-z0-9-]{3,60}$/, 'must be a connection id')
      .optional(),
    settings: z.unknown(),
    credential: credentialSchema.optional(),
    /** Also sign in to the remote and try what the sync needs there. */
    signIn: z.boolean().default(false),
  })
  .strict();

export async function checkConnectionDraftResolver({ payload, context }: Call) {
  const admin = await requireProjectAdmin(context);
  if (!admin) return forbiddenAdmin;
  const request = checkRequest.safeParse(payload);
  if (!request.success) return badRequest(request.error);
  const { signIn, ...draft } = request.data;
  const prepared = await prepareDraft(admin, draft);
  if (!prepared.ok) return prepared.answer;
  if (!signIn) return ok({ signIn: null });
  try {
    const result = await prepared.draft.connector.testConnection();
    return ok({
      signIn: result.ok
        ? { reachable: true, identity: result.identity, checks: result.checks ?? [] }
        : { reachable: false, kind: result.error.kind, message: result.error.message },
    });
  } catch (e) {
    if (isSyncError(e)) return ok({ signIn: { reachable: false, kind: e.kind, message: e.message } });
    throw e;
  }
}
