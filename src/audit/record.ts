/**
 * What a resolver calls, once, after its action succeeded: one audit entry,
 * with the caller's accountId from the invocation's context (the resolvers
 * checked the caller's Jira permission before acting). A failed audit write
 * does not undo or fail the action that already happened: it is logged,
 * naming the action and the connection (never a value).
 */
import type { ConnectionConfig } from '../mapping/connection-config';
import { writeAuditEntry } from '../store/audit';
import { connectionSaved, type AuditAction, type AuditChanges } from './entry';

export interface Caller {
  accountId: string;
  projectId: string;
}

async function write(caller: Caller, action: AuditAction, details: AuditDetails): Promise<void> {
  try {
    await writeAuditEntry({
      projectId: caller.projectId,
      connectionId: details.connectionId ?? '',
      at: Date.now(),
      actor: caller.accountId,
      action,
      ...(details.issueKey ? { issueKey: details.issueKey } : {}),
      ...(details.remoteKey ? { remoteKey: details.remoteKey } : {}),
      ...(details.changes ? { changes: details.changes } : {}),
    });
  } catch (e) {
    console.error(
      `Audit entry ${action} for ${details.connectionId ?? 'no connection'} not written: ${e instanceof Error ? e.name : 'error'}`,
    );
  }
}

export interface AuditDetails {
  connectionId?: string | undefined;
  issueKey?: string | undefined;
  remoteKey?: string | undefined;
  changes?: AuditChanges | undefined;
}

/** A connection saved: created, paused, resumed, or its settings, mapping or secrets changed (`secretNames`: names only). */
export async function auditConnectionSaved(
  caller: Caller,
  before: ConnectionConfig | undefined,
  after: ConnectionConfig,
  secretNames: readonly string[],
): Promise<void> {
  const saved = connectionSaved(before, after, secretNames);
  if (saved) await write(caller, saved.action, { connectionId: after.id, changes: saved.changes });
}

/** Any other audited action. */
export async function audit(caller: Caller, action: AuditAction, details: AuditDetails): Promise<void> {
  await write(caller, action, details);
}
