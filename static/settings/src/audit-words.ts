/**
 * The audit log's words and its CSV export, pure (tested without a browser):
 * what each action is called, what changed in a sentence, and a CSV whose
 * cells are quoted and cannot be read as a formula by a spreadsheet.
 */
import type { AuditRow } from '../../../src/resolvers/audit';
import { count } from '../../shared/words';

export type { AuditChanges } from '../../../src/audit/entry';
export type { AuditRow } from '../../../src/resolvers/audit';

export const ACTION_WORDS: Record<string, string> = {
  'connection-created': 'Connection created',
  'settings-changed': 'Settings changed',
  'mapping-changed': 'Field mapping changed',
  'secret-replaced': 'Secret replaced',
  'connection-paused': 'Paused',
  'connection-resumed': 'Resumed',
  'connection-deleted': 'Connection deleted',
  'issue-linked': 'Linked by hand',
  'issue-unlinked': 'Unlinked',
  'issue-adopted': 'Paired with an existing item',
  'create-in-remote': 'Created in the other system',
  'sync-now': 'Sync now',
  'bulk-sync-started': 'Bulk sync started',
  'bulk-sync-cancelled': 'Bulk sync cancelled',
  'alerts-changed': 'Alerts changed',
  'test-alert-sent': 'Test alert sent',
};

export const actionWords = (action: string) => ACTION_WORDS[action] ?? action;

/** The secrets' names as people read them; any other name as it is. */
const SECRET_WORDS: Record<string, string> = {
  password: 'password',
  token: 'token',
  clientSecret: 'client secret',
  webhookSecret: 'signing secret',
  apiKey: 'API key',
  privateKey: 'private key',
  slackUrl: 'Slack webhook address',
  teamsUrl: 'Teams webhook address',
  webhookUrl: 'webhook address',
};

/** What changed, in one line: names only (the server never stores a value). */
export function changeWords(row: AuditRow): string {
  const c = row.changes ?? {};
  const parts: string[] = [];
  if (c.settings?.length) parts.push(`settings: ${c.settings.join(', ')}`);
  if (c.pairsAdded?.length) parts.push(`pairs added: ${c.pairsAdded.join(', ')}`);
  if (c.pairsRemoved?.length) parts.push(`pairs removed: ${c.pairsRemoved.join(', ')}`);
  if (c.pairsChanged?.length) parts.push(`pairs changed: ${c.pairsChanged.join(', ')}`);
  if (c.secrets?.length) parts.push(`secrets typed: ${c.secrets.map((s) => SECRET_WORDS[s] ?? s).join(', ')}`);
  if (c.more) parts.push(`and ${c.more} more`);
  if (c.issues !== undefined) parts.push(count(c.issues, 'issue'));
  return parts.join('; ');
}

/** The item an action was about: "DEMO-1 ↔ INC0010001", one side alone, or nothing. */
export const itemWords = (row: AuditRow) => [row.issueKey, row.remoteKey].filter(Boolean).join(' ↔ ');

/**
 * One CSV cell (RFC 4180): always quoted, quotes doubled. A cell a spreadsheet
 * would read as a formula (starting with = + - @, or a tab or carriage return
 * before one) is led by a single quote, so it stays text.
 */
export function csvCell(value: string | number | null | undefined): string {
  let text = value === null || value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return `"${text.replace(/"/g, '""')}"`;
}

export const CSV_HEADER = ['Time (UTC)', 'Person', 'Account id', 'Action', 'Connection', 'Item', 'What changed'];

/** The rows as CSV, a header first, lines ended with CRLF; `names` are people's names by account id, where known. */
export function auditCsv(rows: readonly AuditRow[], names: Readonly<Record<string, string>> = {}): string {
  const lines = [
    CSV_HEADER,
    ...rows.map((r) => [
      r.at,
      names[r.actor] ?? '',
      r.actor,
      actionWords(r.action),
      r.connectionId,
      itemWords(r),
      changeWords(r),
    ]),
  ];
  return lines.map((cells) => cells.map(csvCell).join(',')).join('\r\n') + '\r\n';
}
