/**
 * The remote's SLA copied one way into a Jira date or date-time field (the
 * connection's `slaField`): the time the chosen SLA breaches, so Jira's own
 * filters, boards and automation can use it. Level-triggered like the rest:
 * each sync of the pair reads the item's SLAs once, compares with what the
 * Jira field holds, and writes only a difference. Jira never writes back.
 */
import { SyncError } from '../connectors/errors';
import * as jira from '../connectors/jira/client';
import type { Connector, ItemSla } from '../connectors/ports';
import type { ConnectionConfig } from '../mapping/connection-config';
import { dayIn, parseJiraDateTime } from '../mapping/field-convert';

type SlaRule = NonNullable<ConnectionConfig['slaField']>;

/**
 * The value the Jira field should hold: the chosen SLA's breach time (null: it has none, none is running, or the
 * item has none any more); the date of a date field is the breach's day in the connection's time zone.
 */
export function slaFieldValue(slas: readonly ItemSla[], rule: SlaRule, timeZone: string): string | null {
  const chosen = rule.name
    ? slas.find((s) => s.name === rule.name)
    : (slas.find((s) => s.stage === 'running') ?? slas.find((s) => s.stage === 'paused'));
  if (!chosen) return null;
  // A met or cancelled SLA no longer breaches: its target is gone from the field.
  if (chosen.breachAt === undefined || chosen.stage === 'met' || chosen.stage === 'cancelled') return null;
  return rule.kind === 'date'
    ? dayIn(chosen.breachAt, timeZone)
    : new Date(chosen.breachAt).toISOString().replace('Z', '+0000');
}

/** Whether the field already holds the value (the same instant, or the same day). */
export function holdsSlaValue(held: unknown, value: string | null, kind: SlaRule['kind']): boolean {
  if (held === null || held === undefined || held === '') return value === null;
  if (value === null || typeof held !== 'string') return false;
  if (kind === 'date') return held === value;
  return parseJiraDateTime(held) === parseJiraDateTime(value);
}

/**
 * Reads the item's SLAs and sets the Jira field when it differs. `wrote`: the field, when it was written; `refused`:
 * Jira's words when it refused the value (the rest of the sync stands; the panel shows it at the SLA).
 */
export async function syncSlaField(
  config: ConnectionConfig,
  connector: Connector,
  issue: jira.JiraIssue,
  remoteId: string,
): Promise<{ wrote?: string; refused?: string }> {
  const rule = config.slaField;
  // An issue known from an event that did not show the field is left to the next read of it.
  if (!rule?.kind || !connector.slaOf || !(rule.jira in issue.fields)) return {};
  const slas = await connector.slaOf(remoteId);
  if (!slas) return {};
  const value = slaFieldValue(slas, rule, config.timeZone);
  if (holdsSlaValue(issue.fields[rule.jira], value, rule.kind)) return {};
  try {
    await jira.editIssue(issue.id, { [rule.jira]: value });
  } catch (e) {
    if (e instanceof SyncError && e.kind === 'validation')
      return { refused: `Jira refused the SLA's breach time in ${rule.jira}: ${e.details.remoteMessage ?? e.message}` };
    throw e;
  }
  return { wrote: rule.jira };
}
