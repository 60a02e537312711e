import type { ConnectionConfig } from '../mapping/connection-config';
import { auditEntryBytes, auditEntrySchema, connectionSaved, MAX_NAME, MAX_NAMES, type AuditEntry } from './entry';

const base = {
  id: 'demo-servicenow',
  jiraProjectId: '10000',
  name: 'DEMO ↔ ACME incidents',
  enabled: true,
  jql: '',
  conflictPolicy: 'newest-wins',
  credentialRev: 'rev-1',
  remote: {
    type: 'servicenow',
    baseUrl: 'https://acme.service-now.com',
    table: 'incident',
    auth: { kind: 'basic', username: 'crosswalk.integration' },
  },
  fields: [
    { jira: 'summary', remote: 'short_description', direction: 'both', transform: 'none' },
    { jira: 'priority', remote: 'urgency', direction: 'both', transform: 'value-map', valueMap: [] },
  ],
} as unknown as ConnectionConfig;
const withChange = (change: Record<string, unknown>) => ({ ...base, ...change }) as ConnectionConfig;

describe('connectionSaved', () => {
  it('names a created connection, with the secrets typed by name', () => {
    expect(connectionSaved(undefined, base, ['password'])).toEqual({
      action: 'connection-created',
      changes: { secrets: ['password'] },
    });
  });

  it('replacing a secret alone is secret-replaced, naming the field and never its value', () => {
    const secret = 'hunter2-very-secret-value';
    // The resolver passes the names of the credential's fields; the value is never an input.
    const credential = { password: secret };
    const saved = connectionSaved(base, withChange({ credentialRev: 'rev-2' }), Object.keys(credential));
    expect(saved).toEqual({ action: 'secret-replaced', changes: { secrets: ['password'] } });
    expect(JSON.stringify(saved)).not.toContain(secret);
  });

  it("names changed settings, the remote's by their own names, never their values", () => {
    const after = withChange({
      jql: 'labels = secret-project-name',
      remote: { ...base.remote, baseUrl: 'https://other.service-now.com' },
    });
    const saved = connectionSaved(base, after, ['password']);
    expect(saved).toEqual({
      action: 'settings-changed',
      changes: { settings: ['jql', 'remote.baseUrl'], secrets: ['password'] },
    });
    expect(JSON.stringify(saved)).not.toMatch(/secret-project-name|other\.service-now/);
  });

  it('says which field pairs were added, removed and changed', () => {
    const after = withChange({
      fields: [
        { jira: 'summary', remote: 'short_description', direction: 'to-remote', transform: 'none' },
        { jira: 'labels', remote: 'u_tags', direction: 'both', transform: 'list' },
      ],
    });
    expect(connectionSaved(base, after, [])).toEqual({
      action: 'mapping-changed',
      changes: {
        pairsAdded: ['labels ↔ u_tags'],
        pairsRemoved: ['priority ↔ urgency'],
        pairsChanged: ['summary ↔ short_description'],
      },
    });
  });

  it('pause and resume are their own actions, with what else changed', () => {
    expect(connectionSaved(base, withChange({ enabled: false }), [])).toEqual({ action: 'connection-paused' });
    expect(connectionSaved(withChange({ enabled: false }), withChange({ name: 'Renamed' }), [])).toEqual({
      action: 'connection-resumed',
      changes: { settings: ['name'] },
    });
  });

  it('a save that changed nothing records nothing; the server’s credential revision is not a change', () => {
    expect(connectionSaved(base, withChange({ credentialRev: 'rev-9', schemaVersion: 3 }), [])).toBeUndefined();
  });

  it('cuts long lists and names, counting what it cut', () => {
    const fields = Array.from({ length: 30 }, (_, i) => ({
      jira: `customfield_${10000 + i}`,
      remote: `u_${'x'.repeat(200)}${i}`,
    }));
    const saved = connectionSaved(base, withChange({ fields }), [])!;
    expect(saved.action).toBe('mapping-changed');
    expect(saved.changes!.pairsAdded).toHaveLength(MAX_NAMES);
    expect(saved.changes!.pairsAdded!.every((n) => n.length <= MAX_NAME)).toBe(true);
    expect(saved.changes!.more).toBe(30 - MAX_NAMES);
    expect(auditEntrySchema.safeParse(entry({ action: saved.action, changes: saved.changes })).success).toBe(true);
  });
});

const ACTOR = '557058:f1c9a5d2-6b7e-4c1a-9f3e-2d8b7a6c5e4f';
const KEY = `10000:00${Date.UTC(2026, 0, 1)}:0a1b2c3d`;
const entry = (e: Partial<AuditEntry>): AuditEntry => ({
  projectId: '10000',
  connectionId: 'demo-servicenow',
  at: Date.UTC(2026, 0, 1),
  actor: ACTOR,
  action: 'settings-changed',
  ...e,
});

describe('bytes per entry (Forge bills KVS writes by volume)', () => {
  it('a typical entry is about 230 bytes with its key', () => {
    const settings = auditEntryBytes(KEY, entry({ changes: { settings: ['jql', 'conflictPolicy'] } }));
    const link = auditEntryBytes(KEY, entry({ action: 'issue-linked', issueKey: 'DEMO-123', remoteKey: 'INC0010001' }));
    expect(settings).toBeLessThanOrEqual(260);
    expect(link).toBeLessThanOrEqual(240);
  });

  it('the largest entry the schema allows stays under 3.5 KB', () => {
    const full = Array.from({ length: MAX_NAMES }, () => 'x'.repeat(MAX_NAME));
    const largest = entry({
      connectionId: 'x'.repeat(60),
      actor: 'x'.repeat(128),
      issueKey: 'x'.repeat(100),
      remoteKey: 'x'.repeat(100),
      changes: {
        settings: full,
        secrets: full,
        pairsAdded: full,
        pairsRemoved: full,
        pairsChanged: full,
        more: 999,
        issues: 99999,
      },
    });
    expect(auditEntrySchema.safeParse(largest).success).toBe(true);
    expect(auditEntryBytes(KEY, largest)).toBeLessThan(3.5 * 1024);
  });
});
