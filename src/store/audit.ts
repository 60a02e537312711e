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
import { CLOSED_ACCOUNT, noteAccounts } from './personal-data';

const AUDIT = 'audit-entry';

/** Time first, so keys sort like the index; random last, so two actions in one millisecond both stay. */
const entryKey = (entry: AuditEntry) =>
  `${entry.projectId}:${entry.at.toString().padStart(15, '0')}:${randomBytes(4).toString('hex')}`;

export async function writeAuditEntry(entry: AuditEntry): Promise<void> {
  const checked = auditEntrySchema.parse(entry);
  // The actor is personal data: indexed before the entry names it (a crash can only over-report; src/privacy).
  await noteAccounts([checked.actor]);
  await kvs
    .entity<AuditEntry>(AUDIT)
    .set(entryKey(checked), checked, { ttl: { value: AUDIT_RETENTION_DAYS, unit: 'DAYS' } });
}

const RETENTION_MS = AUDIT_RETENTION_DAYS * 24 * 3600_000;

/**
 * A closed account's entries keep their record with "closed account" for the person (the `by-actor` index finds
 * them). Each keeps the expiry it had: rewritten with what is left of its 90 days, so anonymising never extends it.
 */
export async function anonymiseAuditActors(closed: ReadonlySet<string>, now = Date.now()): Promise<void> {
  for (const actor of closed) {
    // Every page from the start again: the entries just rewritten leave the actor's partition.
    for (let round = 0; round < 1000; round++) {
      const page = await kvs
        .entity<AuditEntry>(AUDIT)
        .query()
        .index('by-actor', { partition: [actor] })
        .limit(100)
        .getMany();
      if (!page.results.length) break;
      for (const r of page.results) {
        const left = Math.ceil((r.value.at + RETENTION_MS - now) / 1000);
        if (left <= 0) await kvs.entity<AuditEntry>(AUDIT).delete(r.key);
        else
          await kvs
            .entity<AuditEntry>(AUDIT)
            .set(r.key, { ...r.value, actor: CLOSED_ACCOUNT }, { ttl: { value: left, unit: 'SECONDS' } });
      }
    }
  }
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
