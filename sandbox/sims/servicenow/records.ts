/** Writing and reading records the way the Table API does. */
import { sanitizeHtml } from './html-sanitizer';
import { applySlas, durationDisplay } from './sla';
import {
  allFields,
  glideTime,
  priorityFor,
  tableDef,
  TASK_TABLES,
  type InstanceStore,
  type Row,
  type TableDef,
} from './store';

export class SnError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly detail: string | null,
  ) {
    super(message);
  }
}

export interface WriteResult {
  row: Row;
  changed: string[];
  journals: Array<{ element: 'comments' | 'work_notes'; value: string }>;
}

/** Tables whose field changes are written to sys_audit. */
const AUDITED = new Set(['incident', 'sc_task']);

const str = (v: unknown): string =>
  v === null || v === undefined
    ? ''
    : typeof v === 'object' && 'value' in (v as object)
      ? String((v as { value: unknown }).value ?? '')
      : String(v);

/** Applies a POST/PUT/PATCH body; unknown and sys_ fields are ignored, as the instance does. */
export function writeRecord(
  store: InstanceStore,
  def: TableDef,
  existing: Row | undefined,
  body: Record<string, unknown>,
  userName: string,
): WriteResult {
  const fields = allFields(def);
  const next: Row = existing ? { ...existing } : {};
  const journals: WriteResult['journals'] = [];
  for (const [name, raw] of Object.entries(body)) {
    const type = fields[name];
    if (!type || name.startsWith('sys_') || name === 'number') continue;
    const value = str(raw);
    if (type === 'journal') {
      if (value.trim()) journals.push({ element: name as 'comments' | 'work_notes', value });
      continue;
    }
    if (name === 'priority' && def.name === 'incident') continue; // computed from impact × urgency
    if (name === 'child_incidents') continue; // counted from the children, never written
    next[name] =
      name === 'short_description'
        ? value.slice(0, store.shortDescriptionMax)
        : type === 'html'
          ? sanitizeHtml(value)
          : value;
  }
  if (def.name === 'incident') applyIncidentRules(store, next, existing, userName);
  const changed = Object.keys(next).filter((k) => (existing?.[k] ?? undefined) !== next[k] && !k.startsWith('sys_'));
  const t = glideTime(store.now());
  if (!existing) {
    const row = store.insertRaw(
      def.name,
      { ...next, ...(def.numberPrefix ? { number: store.nextNumber(def) } : {}) },
      userName,
    );
    if (def.name === 'incident') {
      applyIncidentRules(store, row, undefined, userName);
      applySlas(store, row, undefined);
    }
    return { row, changed: Object.keys(row).filter((k) => !k.startsWith('sys_')), journals };
  }
  if (changed.length || journals.length) {
    Object.assign(next, {
      sys_updated_on: t,
      sys_updated_by: userName,
      sys_mod_count: String(Number(existing.sys_mod_count ?? 0) + 1),
    });
    if (AUDITED.has(def.name)) {
      for (const field of changed)
        store.insertRaw(
          'sys_audit',
          {
            tablename: def.name,
            documentkey: existing.sys_id!,
            fieldname: field,
            oldvalue: existing[field] ?? '',
            newvalue: next[field] ?? '',
            user: userName,
            record_checkpoint: next.sys_mod_count!,
          },
          userName,
        );
    }
  }
  const before = { ...existing };
  Object.assign(existing, next);
  if (def.name === 'incident' && changed.length) applySlas(store, existing, before);
  return { row: existing, changed, journals };
}

function applyIncidentRules(store: InstanceStore, row: Row, before: Row | undefined, userName?: string): void {
  // The dictionary's default category, on insert only (a category cleared later stays empty).
  if (!before && row.category === undefined) row.category = 'inquiry';
  row.impact ||= '3';
  row.urgency ||= '3';
  row.state ||= '1';
  row.priority = priorityFor(row.impact, row.urgency);
  row.incident_state = row.state;
  const closing = row.state === '6' || row.state === '7';
  if (closing && before?.state !== row.state && (!row.close_code || !row.close_notes)) {
    const missing = [!row.close_code && 'Resolution code', !row.close_notes && 'Resolution notes']
      .filter(Boolean)
      .join(', ');
    throw new SnError(
      403,
      'Operation Failed',
      `Data Policy Exception: \n The following fields are mandatory: ${missing}\n`,
    );
  }
  if (row.state === '6' && before?.state !== '6') {
    row.resolved_at = glideTime(store.now());
    // The incident business rule names who resolved it (a person may also set the field in the same write).
    if (!row.resolved_by || row.resolved_by === before?.resolved_by)
      row.resolved_by = store.rows('sys_user').find((u) => u.user_name === userName)?.sys_id ?? '';
  }
  if (row.state === '7' && before?.state !== '7') row.closed_at = glideTime(store.now());
  row.active = row.state === '7' || row.state === '8' ? 'false' : 'true';
}

export interface ReadOptions {
  fields?: string[];
  displayValue: 'true' | 'false' | 'all';
  excludeReferenceLink: boolean;
  /** `https://<instance>.service-now.com` for reference links. */
  origin: string;
}

/** The JSON of one record: every value a string, references as {link, value}, journals "". */
export function readRecord(store: InstanceStore, def: TableDef, row: Row, opts: ReadOptions): Record<string, unknown> {
  const fields = allFields(def);
  const names = opts.fields?.length ? opts.fields.filter((f) => f in fields) : Object.keys(fields);
  const out: Record<string, unknown> = {};
  for (const name of names) {
    const type = fields[name]!;
    const value = name === 'child_incidents' ? childIncidents(store, row) : (row[name] ?? '');
    let display = value;
    let link: string | undefined;
    if (type.startsWith('reference:')) {
      const target = type.slice(10);
      // A reference is stored as written, whether or not its row exists (the instance does not check): one to a
      // missing sys_id reads back with its value and link but no display value, and its link answers 404.
      const ref = value ? referenced(store, target, value) : undefined;
      display = ref ? (ref.row[tableDef(ref.table)!.displayField] ?? '') : '';
      if (value) link = `${opts.origin}/api/now/table/${target}/${value}`;
    } else if (type === 'choice') display = def.choices?.[name]?.[value] ?? value;
    else if (type === 'duration') display = durationDisplay(value);
    else if (type === 'journal') {
      display = store
        .rows('sys_journal_field')
        .filter((j) => j.element_id === row.sys_id && j.element === name)
        .sort((a, b) => (a.sys_created_on! < b.sys_created_on! ? 1 : -1))
        .map(
          (j) =>
            `${j.sys_created_on} - ${j.sys_created_by} (${name === 'comments' ? 'Additional comments' : 'Work notes'})\n${j.value}\n\n`,
        )
        .join('');
    }
    const actual = type === 'journal' ? '' : value;
    if (opts.displayValue === 'all')
      out[name] = { display_value: display, value: actual, ...(link && !opts.excludeReferenceLink ? { link } : {}) };
    else if (opts.displayValue === 'true') out[name] = display;
    else if (link && !opts.excludeReferenceLink) out[name] = { link, value };
    else out[name] = actual;
  }
  return out;
}

/** The row a reference names: in its table, or, for a reference to `task`, in whichever task table holds it. */
function referenced(store: InstanceStore, target: string, sysId: string): { table: string; row: Row } | undefined {
  for (const table of target === 'task' ? TASK_TABLES : [target]) {
    const row = store.get(table, sysId);
    if (row) return { table, row };
  }
  return undefined;
}

/** How many incidents name this one as their Parent Incident, as the incident's Child Incidents count reads. */
function childIncidents(store: InstanceStore, row: Row): string {
  return String(store.rows('incident').filter((r) => r.parent_incident && r.parent_incident === row.sys_id).length);
}
