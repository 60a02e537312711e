/**
 * Who may call a resolver, decided on the server: the UI's context names the
 * project or issue, but it is only a hint until Jira confirms the caller's
 * permission (forge-platform.md §6).
 */
import * as z from 'zod';
import {
  issueInProjectForUser,
  userHasIssuePermission,
  userHasProjectPermission,
  type ProjectPermission,
} from '../jira/permissions';
import type { ConnectionConfig } from '../mapping/connection-config';
import { getConnection } from '../store/connections';

export type ResolverError = {
  code: 'FORBIDDEN' | 'BAD_REQUEST' | 'NOT_FOUND';
  message: string;
  problems?: Array<{ path: string; message: string }>;
};
export type ResolverResponse<T> = { ok: true; data: T } | { ok: false; error: ResolverError };

export const fail = (
  code: ResolverError['code'],
  message: string,
  problems?: ResolverError['problems'],
): { ok: false; error: ResolverError } => ({ ok: false, error: { code, message, ...(problems ? { problems } : {}) } });
export const ok = <T>(data: T): { ok: true; data: T } => ({ ok: true, data });

export const forbiddenAdmin = fail('FORBIDDEN', 'Only administrators of this project can change Crosswalk settings.');
export const cannotSee = fail('FORBIDDEN', 'You cannot see this issue.');
export const cannotEdit = fail('FORBIDDEN', 'You need permission to edit this issue.');

const projectContext = z
  .object({
    extension: z
      .object({ project: z.object({ id: z.string().regex(/^\d+$/), key: z.string().optional() }).loose() })
      .loose(),
  })
  .loose();
const issueContext = z
  .object({
    extension: z
      .object({
        issue: z.object({ id: z.string().regex(/^\d+$/) }).loose(),
        project: z.object({ id: z.string().regex(/^\d+$/) }).loose(),
      })
      .loose(),
  })
  .loose();

type Context = { accountId?: string } & Record<string, unknown>;

export async function requireProjectAdmin(
  context: Context,
): Promise<{ accountId: string; projectId: string; projectKey?: string } | undefined> {
  const parsed = projectContext.safeParse(context);
  if (!context.accountId || !parsed.success) return undefined;
  const { id, key } = parsed.data.extension.project;
  return (await userHasProjectPermission(context.accountId, id, 'ADMINISTER_PROJECTS'))
    ? { accountId: context.accountId, projectId: id, ...(key ? { projectKey: key } : {}) }
    : undefined;
}

/**
 * The caller may act on the context's issue with `permission`, and that issue
 * is in the context's project: both asked of Jira as the caller. The context
 * names the two apart, and a tampered one could pair a project the caller
 * works in with an issue of another (the resolvers choose connections by the
 * project and act on the issue).
 */
export async function requireIssuePermission(
  context: Context,
  permission: ProjectPermission,
): Promise<{ accountId: string; issueId: string; projectId: string } | undefined> {
  const parsed = issueContext.safeParse(context);
  if (!context.accountId || !parsed.success) return undefined;
  const projectId = parsed.data.extension.project.id;
  const issueId = parsed.data.extension.issue.id;
  const [inProject, allowed] = await Promise.all([
    issueInProjectForUser(context.accountId, issueId, projectId),
    userHasIssuePermission(context.accountId, issueId, permission),
  ]);
  return inProject && allowed ? { accountId: context.accountId, issueId, projectId } : undefined;
}

export function badRequest(error: z.ZodError): { ok: false; error: ResolverError } {
  return fail(
    'BAD_REQUEST',
    'The request has problems',
    error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })),
  );
}

export const connectionIdSchema = z.string().regex(/^[a-z0-9-]{3,60}$/, 'must be a connection id');
export const notOurConnection = fail('NOT_FOUND', 'This project has no such connection.');
const namesConnection = z.object({ connectionId: connectionIdSchema }).loose();

/**
 * A project admin's request about one saved connection of their own project,
 * checked in this order: the caller's permission, the connection the payload
 * names (another project's id answers exactly like a missing one, whatever else
 * the request holds), then the whole payload against `schema`.
 */
export async function requireOwnConnection<S extends z.ZodType<{ connectionId: string }>>(
  context: Context,
  payload: unknown,
  schema: S,
): Promise<
  | { ok: true; admin: { accountId: string; projectId: string }; config: ConnectionConfig; request: z.infer<S> }
  | { ok: false; answer: { ok: false; error: ResolverError } }
> {
  const admin = await requireProjectAdmin(context);
  if (!admin) return { ok: false, answer: forbiddenAdmin };
  const named = namesConnection.safeParse(payload);
  if (!named.success) return { ok: false, answer: badRequest(named.error) };
  const config = await getConnection(named.data.connectionId);
  if (config?.jiraProjectId !== admin.projectId) return { ok: false, answer: notOurConnection };
  const request = schema.safeParse(payload);
  if (!request.success) return { ok: false, answer: badRequest(request.error) };
  return { ok: true, admin, config, request: request.data };
}
