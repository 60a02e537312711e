/**
 * The settings page's audit log: the project's entries (or one connection's,
 * a deleted one's too), newest first, a page at a time, for the project's
 * admins only. Entries are read by the project the caller administers, so
 * another project's entries cannot be named.
 */
import * as z from 'zod';
import type { AuditChanges } from '../audit/entry';
import { auditPage } from '../store/audit';
import { getConnection } from '../store/connections';
import { badRequest, connectionIdSchema, forbiddenAdmin, notOurConnection, ok, requireProjectAdmin } from './guards';

type Call = { payload?: unknown; context: { accountId?: string } & Record<string, unknown> };

export const AUDIT_PAGE_SIZE = 50;

const request = z
  .object({
    connectionId: connectionIdSchema.optional(),
    cursor: z.string().min(1).max(2000).optional(),
    limit: z.number().int().min(1).max(100).optional(),
  })
  .strict();

/** One entry as the settings page receives it. */
export interface AuditRow {
  /** ISO time. */
  at: string;
  actor: string;
  action: string;
  connectionId: string | null;
  issueKey: string | null;
  remoteKey: string | null;
  changes: AuditChanges | null;
}

export async function auditLogResolver({ payload, context }: Call) {
  const admin = await requireProjectAdmin(context);
  if (!admin) return forbiddenAdmin;
  const parsed = request.safeParse(payload ?? {});
  if (!parsed.success) return badRequest(parsed.error);
  const { connectionId, cursor, limit } = parsed.data;
  // Another project's connection answers as the other resolvers do; a deleted one of this project still has its entries.
  if (connectionId !== undefined) {
    const config = await getConnection(connectionId);
    if (config && config.jiraProjectId !== admin.projectId) return notOurConnection;
  }
  const page = await auditPage(admin.projectId, connectionId, cursor, limit ?? AUDIT_PAGE_SIZE);
  return ok({
    entries: page.entries.map((e): AuditRow => ({
      at: new Date(e.at).toISOString(),
      actor: e.actor,
      action: e.action,
      connectionId: e.connectionId || null,
      issueKey: e.issueKey ?? null,
      remoteKey: e.remoteKey ?? null,
      changes: e.changes ?? null,
    })),
    cursor: page.cursor ?? null,
  });
}
