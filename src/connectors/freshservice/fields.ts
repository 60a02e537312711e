/**
 * A Freshservice ticket as the contract's flat fields, and back. Pure.
 *
 * Values cross as Freshservice stores them: the numeric codes of status,
 * priority, urgency and impact as their decimal strings ("2"), so a value map
 * in a connection reads `Open` as "2", exactly what the API answers; people
 * and groups as their ids; tags as an array.
 *
 * Custom fields: Freshservice names them (`custom_fields: {"<name>": value}`,
 * no prefix), so they cross as `custom_<name>` (`custom_cost_center`), which
 * never meets a standard ticket property (none starts with `custom_`).
 */
import type { FreshserviceTicket } from './wire';

export const CUSTOM_PREFIX = 'custom_';

/** The numeric codes Freshservice documents (§2.2); a custom status has a code of its own (`ticket_form_fields`). */
export const STATUS_NAMES: Readonly<Record<string, string>> = {
  '2': 'Open',
  '3': 'Pending',
  '4': 'Resolved',
  '5': 'Closed',
};
export const PRIORITY_NAMES: Readonly<Record<string, string>> = {
  '1': 'Low',
  '2': 'Medium',
  '3': 'High',
  '4': 'Urgent',
};
/** Urgency and impact share their scale. */
export const LEVEL_NAMES: Readonly<Record<string, string>> = { '1': 'Low', '2': 'Medium', '3': 'High' };

const NUMERIC = new Set(['status', 'priority', 'urgency', 'impact']);
const PEOPLE_AND_GROUPS = new Set(['group_id', 'responder_id']);
/** Written through the ticket body; the rest of what `ticketFields` answers is read-only here. */
const WRITABLE = new Set(['subject', 'description', 'type', 'category', 'tags', ...NUMERIC, ...PEOPLE_AND_GROUPS]);

const text = (v: number | string | null | undefined) => (v === null || v === undefined ? '' : String(v));

/** The custom field holding Crosswalk's correlation marker, as the contract names it. */
export const correlationFieldId = (correlationField: string) => `${CUSTOM_PREFIX}${correlationField}`;

export function ticketFields(t: FreshserviceTicket): Record<string, unknown> {
  const fields: Record<string, unknown> = {
    subject: t.subject ?? '',
    description: t.description ?? '',
    status: text(t.status),
    priority: text(t.priority),
    urgency: text(t.urgency),
    impact: text(t.impact),
    type: t.type ?? '',
    category: t.category ?? '',
    group_id: text(t.group_id),
    responder_id: text(t.responder_id),
    requester_id: text(t.requester_id),
    tags: [...(t.tags ?? [])],
  };
  for (const [name, value] of Object.entries(t.custom_fields ?? {}))
    fields[`${CUSTOM_PREFIX}${name}`] = value === null || value === undefined ? '' : value;
  return fields;
}

/** The correlation marker a ticket carries in the admin's custom text field, if any. */
export function correlationOf(t: FreshserviceTicket, correlationField: string): string | undefined {
  const value = t.custom_fields?.[correlationField];
  return typeof value === 'string' && value ? value : undefined;
}

function numberOrNull(raw: unknown): number | null {
  if (raw === '' || raw === null || raw === undefined) return null;
  const n = Number(raw);
  return Number.isInteger(n) ? n : null;
}

/**
 * The engine's values as a Freshservice ticket body: codes and ids as numbers
 * (Freshservice refuses "2" where it keeps 2: `datatype_mismatch`), an empty
 * group or agent as null (unassigned), tags as an array, `custom_<name>` into
 * `custom_fields`. Keys Freshservice does not take are left out: it refuses
 * the whole write for one unknown attribute (`invalid_field`).
 */
export function ticketBody(fields: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  const custom: Record<string, unknown> = {};
  for (const [key, raw] of Object.entries(fields)) {
    if (key.startsWith(CUSTOM_PREFIX) && key.length > CUSTOM_PREFIX.length) {
      custom[key.slice(CUSTOM_PREFIX.length)] = raw === '' || raw === undefined ? null : raw;
      continue;
    }
    if (!WRITABLE.has(key)) continue;
    if (key === 'tags')
      body.tags = Array.isArray(raw)
        ? raw.map(String)
        : String(raw ?? '')
            .split(/\s+/)
            .filter(Boolean);
    else if (NUMERIC.has(key)) {
      // A ticket always has a status and a priority: an empty one is not written rather than refused.
      const n = numberOrNull(raw);
      if (n !== null) body[key] = n;
    } else if (PEOPLE_AND_GROUPS.has(key)) body[key] = numberOrNull(raw);
    else if (key === 'type') {
      if (raw) body.type = String(raw);
    } else if (key === 'category') body.category = raw === '' || raw === null || raw === undefined ? null : String(raw);
    else body[key] = raw === null || raw === undefined ? '' : String(raw);
  }
  if (Object.keys(custom).length) body.custom_fields = custom;
  return body;
}
