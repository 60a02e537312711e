/**
 * The audit trail's entries (issue 23), shaped without I/O: who did what to a
 * connection or a linked issue, and when. An entry names what changed, never
 * a value: settings and secrets by their names only, field pairs by their two
 * field ids. A secret's value cannot reach an entry, since the only secret
 * input an entry is made from is the list of the credential's field names.
 *
 * Size (Forge bills KVS writes by volume): a typical entry is about 230
 * bytes of JSON with its key (a settings change naming two settings: 233; a
 * manual link with both keys: 228). Every list is cut at `MAX_NAMES` names of
 * at most `MAX_NAME` characters with a count of the rest, so the largest
 * entry the schema allows is 3.3 KB (`auditEntryBytes`, entry.test.ts).
 */
import * as z from 'zod';
import type { ConnectionConfig, FieldMapping } from '../mapping/connection-config';

/** Entries are kept this long, then expire by KVS TTL (store/audit.ts). */
export const AUDIT_RETENTION_DAYS = 90;
export const MAX_NAMES = 8;
export const MAX_NAME = 64;

export const AUDIT_ACTIONS = [
  'connection-created',
  'settings-changed',
  'mapping-changed',
  'secret-replaced',
  'connection-paused',
  'connection-resumed',
  'connection-deleted',
  'issue-linked',
  'issue-unlinked',
  'issue-adopted',
  'create-in-remote',
  'sync-now',
  'bulk-sync-started',
  'bulk-sync-cancelled',
  'alerts-changed',
  'test-alert-sent',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

const names = z.array(z.string().max(MAX_NAME)).max(MAX_NAMES);
/** What changed, by name only. `more` counts the names cut from the lists. */
export const auditChangesSchema = z
  .object({
    settings: names.optional(),
    secrets: names.optional(),
    pairsAdded: names.optional(),
    pairsRemoved: names.optional(),
    pairsChanged: names.optional(),
    more: z.number().int().min(1).optional(),
    issues: z.number().int().min(0).optional(),
  })
  .strict();
export type AuditChanges = z.infer<typeof auditChangesSchema>;

export const auditEntrySchema = z
  .object({
    projectId: z.string().regex(/^\d+$/),
    /** Empty when the action named no connection (Sync now on an issue not linked yet). */
    connectionId: z.string().max(60),
    /** Epoch ms. */
    at: z.number(),
    /** The Jira accountId of the person, from the invocation's context (never from the browser). */
    actor: z.string().min(1).max(128),
    action: z.enum(AUDIT_ACTIONS),
    issueKey: z.string().max(100).optional(),
    remoteKey: z.string().max(100).optional(),
    changes: auditChangesSchema.optional(),
  })
  .strict();
export type AuditEntry = z.infer<typeof auditEntrySchema>;

/** The JSON bytes of an entry as stored, with its key. */
export const auditEntryBytes = (key: string, entry: AuditEntry) =>
  Buffer.byteLength(key) + Buffer.byteLength(JSON.stringify(entry));

/** Settings that are the server's own bookkeeping, not a person's change. */
const NOT_SETTINGS = new Set(['id', 'jiraProjectId', 'credentialRev', 'schemaVersion', 'fields', 'enabled']);

const pairName = (m: Pick<FieldMapping, 'jira' | 'remote'>) => `${m.jira} ↔ ${m.remote}`;

/** Sorted, deduplicated, each name cut to MAX_NAME, at most MAX_NAMES; how many were cut. */
function capped(list: Iterable<string>): { names: string[]; cut: number } {
  const all = [...new Set(list)].sort().map((n) => (n.length > MAX_NAME ? `${n.slice(0, MAX_NAME - 1)}…` : n));
  return { names: all.slice(0, MAX_NAMES), cut: Math.max(0, all.length - MAX_NAMES) };
}

/** Which settings differ, by name: the remote's settings as `remote.<name>`. */
function settingsChanged(before: Record<string, unknown>, after: Record<string, unknown>): string[] {
  const changed: string[] = [];
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (NOT_SETTINGS.has(key)) continue;
    if (key === 'remote') {
      const b = (before.remote ?? {}) as Record<string, unknown>;
      const a = (after.remote ?? {}) as Record<string, unknown>;
      for (const k of new Set([...Object.keys(b), ...Object.keys(a)]))
        if (JSON.stringify(b[k]) !== JSON.stringify(a[k])) changed.push(`remote.${k}`);
    } else if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) changed.push(key);
  }
  return changed;
}

/** Field pairs by their two field ids: added, removed, or kept with another direction, transform, map… */
function pairsDiff(before: readonly FieldMapping[], after: readonly FieldMapping[]) {
  const old = new Map(before.map((m) => [pairName(m), JSON.stringify(m)]));
  const now = new Map(after.map((m) => [pairName(m), JSON.stringify(m)]));
  return {
    added: [...now.keys()].filter((k) => !old.has(k)),
    removed: [...old.keys()].filter((k) => !now.has(k)),
    changed: [...now.keys()].filter((k) => old.has(k) && old.get(k) !== now.get(k)),
  };
}

/**
 * What a save of a connection was, and what it changed: created; paused or
 * resumed (when `enabled` flipped, whatever else changed with it); otherwise
 * a change of settings, of the mapping alone, or of secrets alone. `secrets`
 * are the names of the credential fields typed (their values never come here).
 * Undefined when the save changed nothing at all.
 */
export function connectionSaved(
  before: ConnectionConfig | undefined,
  after: ConnectionConfig,
  secrets: readonly string[],
): { action: AuditAction; changes?: AuditChanges } | undefined {
  const lists: Array<[keyof AuditChanges, string[]]> = [['secrets', [...secrets]]];
  if (before) {
    const pairs = pairsDiff(before.fields, after.fields);
    lists.push(
      ['settings', settingsChanged(before as Record<string, unknown>, after as Record<string, unknown>)],
      ['pairsAdded', pairs.added],
      ['pairsRemoved', pairs.removed],
      ['pairsChanged', pairs.changed],
    );
  }
  const changes: AuditChanges = {};
  let more = 0;
  for (const [key, list] of lists) {
    const { names, cut } = capped(list);
    if (names.length) (changes as Record<string, string[]>)[key] = names;
    more += cut;
  }
  if (more) changes.more = more;
  const any = Object.keys(changes).length > 0;
  const withChanges = any ? { changes } : {};
  if (!before) return { action: 'connection-created', ...withChanges };
  if (before.enabled !== after.enabled)
    return { action: after.enabled ? 'connection-resumed' : 'connection-paused', ...withChanges };
  if (!any) return undefined;
  const only = (keys: Array<keyof AuditChanges>) => Object.keys(changes).every((k) => keys.includes(k as never));
  if (only(['secrets'])) return { action: 'secret-replaced', changes };
  if (only(['pairsAdded', 'pairsRemoved', 'pairsChanged', 'more'])) return { action: 'mapping-changed', changes };
  return { action: 'settings-changed', changes };
}
