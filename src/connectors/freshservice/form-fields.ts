/**
 * `GET /api/v2/ticket_form_fields` as the mapping editor's field list, and the
 * account's status names (custom statuses included). Pure.
 *
 * Default fields keep the names the Tickets API uses (`group` is `group_id`,
 * `responder` is `responder_id`, `ticket_type` is `type`); custom fields cross
 * as `custom_<name>` (fields.ts). A choice of a coded field (status, priority,
 * urgency, impact) carries its code as `id` and its name as `value`; a
 * choice's stored value is then the code, as the API reads and writes it.
 */
import type { RemoteField, RemoteFieldKind } from '../ports';
import { CUSTOM_PREFIX } from './fields';
import type { FreshserviceFormField } from './wire';

const DEFAULT_FIELDS: Readonly<Record<string, { id: string; kind: RemoteFieldKind; coded?: boolean }>> = {
  subject: { id: 'subject', kind: 'text' },
  description: { id: 'description', kind: 'rich-text' },
  status: { id: 'status', kind: 'choice', coded: true },
  priority: { id: 'priority', kind: 'choice', coded: true },
  urgency: { id: 'urgency', kind: 'choice', coded: true },
  impact: { id: 'impact', kind: 'choice', coded: true },
  ticket_type: { id: 'type', kind: 'choice' },
  group: { id: 'group_id', kind: 'choice', coded: true },
  // Named `agent` on some accounts' forms, `responder` on others: both are the ticket's responder_id.
  responder: { id: 'responder_id', kind: 'user' },
  agent: { id: 'responder_id', kind: 'user' },
  category: { id: 'category', kind: 'choice' },
  requester: { id: 'requester_id', kind: 'user' },
};

const CUSTOM_KINDS: Readonly<Record<string, RemoteFieldKind>> = {
  custom_text: 'text',
  custom_paragraph: 'text',
  custom_dropdown: 'choice',
  custom_number: 'number',
  custom_decimal: 'number',
  custom_date: 'date',
  custom_checkbox: 'other',
};

function choicesOf(f: FreshserviceFormField, coded: boolean): Array<{ value: string; label: string }> {
  return (f.choices ?? []).map((c) => ({
    value: coded && c.id !== null && c.id !== undefined ? String(c.id) : c.value,
    label: c.value,
  }));
}

/** Status codes to names, from the status field's choices (custom statuses have codes past 5). */
export function statusNamesOf(fields: readonly FreshserviceFormField[]): Record<string, string> {
  const status = fields.find((f) => f.name === 'status' && f.default_field !== false);
  const out: Record<string, string> = {};
  for (const c of status?.choices ?? []) if (c.id !== null && c.id !== undefined) out[String(c.id)] = c.value;
  return out;
}

export function describeFormFields(fields: readonly FreshserviceFormField[]): RemoteField[] {
  const out: RemoteField[] = [{ id: 'tags', name: 'Tags', kind: 'list' }];
  for (const f of fields) {
    const known = f.default_field !== false ? DEFAULT_FIELDS[f.name] : undefined;
    if (known) {
      const values = known.kind === 'choice' ? choicesOf(f, Boolean(known.coded)) : [];
      out.push({
        id: known.id,
        name: f.label ?? f.name,
        kind: known.kind === 'choice' && !values.length ? 'other' : known.kind,
        ...(values.length ? { values } : {}),
      });
      continue;
    }
    if (f.default_field !== false) continue;
    const values = choicesOf(f, false);
    out.push({
      id: `${CUSTOM_PREFIX}${f.name}`,
      name: f.label ?? f.name,
      kind: CUSTOM_KINDS[f.field_type] ?? 'other',
      ...(f.field_type === 'custom_number' ? { precision: 0 } : {}),
      ...(values.length ? { values } : {}),
    });
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}
