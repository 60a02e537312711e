/**
 * The audit trail in KVS: one `audit-entry` custom entity per action, indexed
 * by project and by project and connection, newest first by time.
 *
 * Expiry: every entry is written with a KVS TTL of 90 days (`ttl` on the
 * entity's set, which @forge/kvs 1.6 sends and Forge honours; the local
 * platform's KVS drops an expired entry from gets and index queries on its
 * clock). Nothing prunes or sweeps: an old entry costs no write to remove.
 *
 * Cost: one entity write per audited action, about 230 bytes typical, 3.3 KB
 * at most (src/audit/entry.ts); nothing is read to write one (Sync now reads
 * the link first, for its connection and keys).
 */
import { randomBytes } from 'node:crypto';
import { kvs, Sort } from '@forge/kvs';
import { AUDIT_RETENTION_DAYS, auditEntrySchema, type AuditEntry } from '../audit/entry';

const AUDIT = 'audit-entry';

/** Time first, so keys sort like the index; random last, so two actions in one millisecond both stay. */
const entryKey = (entry: AuditEntry) =>
  `${entry.projectId}:${entry.at.toString().padStart(15, '0')}:${randomBytes(4).toString('hex')}`;

export async function writeAuditEntry(entry: AuditEntry): Promise<void> {
  const checked = auditEntrySchema.parse(entry);
  await kvs
    .entity<AuditEntry>(AUDIT)
    .set(entryKey(checked), checked, { ttl: { value: AUDIT_RETENTION_DAYS, unit: 'DAYS' } });
}

/** A project's entries (or one of its connections'), newest first, a page at a time. */
export async function auditPage(
  projectId: string,
  connectionId: string | undefined,
  cursor: string | undefined,
  limit: number,
): Promise<{ entries: AuditEntry[]; cursor?: string }> {
  let query = kvs
    .entity<AuditEntry>(AUDIT)
    .query()
    .index(
      connectionId === undefined ? 'by-project' : 'by-connection',
      connectionId === undefined ? { partition: [projectId] } : { partition: [projectId, connectionId] },
    )
    .sort(Sort.DESC)
    .limit(Math.min(100, Math.max(1, limit)));
  if (cursor) query = query.cursor(cursor);
  const page = await query.getMany();
  const entries = page.results.flatMap((r) => {
    const parsed = auditEntrySchema.safeParse(r.value);
    return parsed.success ? [parsed.data] : [];
  });
  return { entries, ...(page.nextCursor ? { cursor: page.nextCursor } : {}) };
}
