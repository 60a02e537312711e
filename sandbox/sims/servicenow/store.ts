/** The instance's tables and the incident rules a sync meets. */
import { createHash, randomBytes } from 'node:crypto';

export type FieldType =
  'string' | 'html' | 'integer' | 'boolean' | 'datetime' | 'duration' | 'journal' | `reference:${string}` | 'choice';

export interface TableDef {
  name: string;
  /** Field name → type; sys_* fields are added to every table. */
  fields: Record<string, FieldType>;
  /** The field shown for a reference to this table. */
  displayField: string;
  numberPrefix?: string;
  choices?: Record<string, Record<string, string>>;
}

export type Row = Record<string, string>;

export interface JournalEntry extends Row {
  sys_id: string;
  element: string;
  element_id: string;
  name: string;
  value: string;
  sys_created_on: string;
  sys_created_by: string;
}

export interface Attachment {
  row: Row;
  content: Buffer;
}

const SYS_FIELDS: Record<string, FieldType> = {
  sys_id: 'string',
  sys_created_on: 'datetime',
  sys_created_by: 'string',
  sys_updated_on: 'datetime',
  sys_updated_by: 'string',
  sys_mod_count: 'integer',
};

const TASK_FIELDS: Record<string, FieldType> = {
  number: 'string',
  short_description: 'string',
  description: 'string',
  state: 'choice',
  active: 'boolean',
  priority: 'choice',
  impact: 'choice',
  urgency: 'choice',
  assignment_group: 'reference:sys_user_group',
  assigned_to: 'reference:sys_user',
  comments: 'journal',
  work_notes: 'journal',
  correlation_id: 'string',
  correlation_display: 'string',
  close_notes: 'string',
  closed_at: 'datetime',
  // Task's own parent: a reference to any task (an incident, a catalog task), as the base class defines it.
  parent: 'reference:task',
};

/** The tables extending task: a reference to `task` names a row of one of them. */
export const TASK_TABLES = ['incident', 'sc_task'];

export const TABLES: TableDef[] = [
  {
    name: 'incident',
    displayField: 'number',
    numberPrefix: 'INC',
    fields: {
      ...TASK_FIELDS,
      incident_state: 'choice',
      caller_id: 'reference:sys_user',
      category: 'choice',
      close_code: 'choice',
      hold_reason: 'choice',
      resolved_at: 'datetime',
      resolved_by: 'reference:sys_user',
      // Incident's own parent and child relation (the form's Parent Incident and its Child Incidents list), apart
      // from task's generic `parent`; `child_incidents` counts the children and is computed, never written.
      parent_incident: 'reference:incident',
      child_incidents: 'integer',
      // A column the customer added: the base incident keeps no HTML, and instances commonly add one for formatted
      // details with pasted screenshots (stored as attachments of ZZ_YYincident).
      u_details: 'html',
    },
    choices: {
      state: { '1': 'New', '2': 'In Progress', '3': 'On Hold', '6': 'Resolved', '7': 'Closed', '8': 'Canceled' },
      incident_state: {
        '1': 'New',
        '2': 'In Progress',
        '3': 'On Hold',
        '6': 'Resolved',
        '7': 'Closed',
        '8': 'Canceled',
      },
      hold_reason: { '1': 'Awaiting Caller', '3': 'Awaiting Problem', '4': 'Awaiting Vendor', '5': 'Awaiting Change' },
      // Resolution codes of current releases: the value is the label.
      close_code: Object.fromEntries(
        [
          'Duplicate',
          'Known error',
          'No resolution provided',
          'Resolved by caller',
          'Resolved by change',
          'Resolved by problem',
          'Resolved by request',
          'Solution provided',
          'Workaround provided',
          'User error',
        ].map((c) => [c, c]),
      ),
      impact: { '1': '1 - High', '2': '2 - Medium', '3': '3 - Low' },
      urgency: { '1': '1 - High', '2': '2 - Medium', '3': '3 - Low' },
      priority: { '1': '1 - Critical', '2': '2 - High', '3': '3 - Moderate', '4': '4 - Low', '5': '5 - Planning' },
      category: {
        inquiry: 'Inquiry / Help',
        software: 'Software',
        hardware: 'Hardware',
        network: 'Network',
        database: 'Database',
      },
    },
  },
  {
    name: 'sc_task',
    displayField: 'number',
    numberPrefix: 'SCTASK',
    fields: { ...TASK_FIELDS, request_item: 'string' },
    choices: {
      state: {
        '-5': 'Pending',
        '1': 'Open',
        '2': 'Work in Progress',
        '3': 'Closed Complete',
        '4': 'Closed Incomplete',
        '7': 'Closed Skipped',
      },
    },
  },
  {
    name: 'sys_user',
    displayField: 'name',
    fields: { user_name: 'string', name: 'string', email: 'string', active: 'boolean' },
  },
  { name: 'sys_user_group', displayField: 'name', fields: { name: 'string', active: 'boolean' } },
  {
    name: 'sys_journal_field',
    displayField: 'value',
    fields: { element: 'string', element_id: 'string', name: 'string', value: 'string' },
  },
  // Field history of audited tables (task tables are audited out of the box): one row per changed field per update.
  {
    name: 'sys_audit',
    displayField: 'fieldname',
    fields: {
      tablename: 'string',
      documentkey: 'string',
      fieldname: 'string',
      oldvalue: 'string',
      newvalue: 'string',
      user: 'string',
      record_checkpoint: 'integer',
    },
  },
  {
    name: 'sys_attachment',
    displayField: 'file_name',
    fields: {
      file_name: 'string',
      content_type: 'string',
      size_bytes: 'integer',
      table_name: 'string',
      table_sys_id: 'string',
      hash: 'string',
    },
  },
  // Service Level Management: SLA definitions, and the task SLAs the SLA engine attaches to tasks (sla.ts).
  {
    name: 'contract_sla',
    displayField: 'name',
    fields: {
      name: 'string',
      type: 'choice',
      target: 'choice',
      collection: 'string',
      duration: 'duration',
      start_condition: 'string',
      pause_condition: 'string',
      stop_condition: 'string',
      active: 'boolean',
    },
    choices: {
      type: { SLA: 'SLA', OLA: 'OLA', 'Underpinning contract': 'Underpinning contract' },
      target: { response: 'Response', resolution: 'Resolution' },
    },
  },
  {
    name: 'task_sla',
    displayField: 'sla',
    fields: {
      task: 'reference:incident',
      sla: 'reference:contract_sla',
      stage: 'choice',
      has_breached: 'boolean',
      active: 'boolean',
      start_time: 'datetime',
      end_time: 'datetime',
      planned_end_time: 'datetime',
      original_breach_time: 'datetime',
      pause_time: 'datetime',
      pause_duration: 'duration',
      duration: 'duration',
      business_duration: 'duration',
      time_left: 'duration',
      business_time_left: 'duration',
      percentage: 'string',
      business_percentage: 'string',
      schedule: 'string',
    },
    choices: {
      // The 2011 SLA engine's stages (a breach shows in has_breached); `breached` is the 2010 engine's.
      stage: {
        in_progress: 'In progress',
        paused: 'Paused',
        achieved: 'Completed',
        cancelled: 'Cancelled',
        breached: 'Breached',
      },
    },
  },
  // The data dictionary and choice lists, read-only and derived from the definitions above (seedMetadata).
  // One dictionary row per column, plus the table's own collection row, whose element is empty.
  {
    name: 'sys_dictionary',
    displayField: 'column_label',
    fields: {
      name: 'string',
      element: 'string',
      column_label: 'string',
      internal_type: 'string',
      reference: 'string',
      max_length: 'integer',
      mandatory: 'boolean',
      read_only: 'boolean',
      active: 'boolean',
      choice: 'integer',
    },
  },
  {
    name: 'sys_choice',
    displayField: 'label',
    fields: {
      name: 'string',
      element: 'string',
      value: 'string',
      label: 'string',
      sequence: 'integer',
      inactive: 'boolean',
      language: 'string',
    },
  },
];

/** Tables whose rows the simulator derives itself; the Table API refuses writes to them (as it does to journals and history). */
export const READ_ONLY_TABLES = new Set([
  'sys_journal_field',
  'sys_audit',
  'sys_dictionary',
  'sys_choice',
  // Only sla_admin writes these; task SLAs are the SLA engine's.
  'contract_sla',
  'task_sla',
]);

/** Column labels as an instance names them; other columns read as their name, capitalised. */
const COLUMN_LABELS: Record<string, string> = {
  sys_id: 'Sys ID',
  sys_created_on: 'Created',
  sys_created_by: 'Created by',
  sys_updated_on: 'Updated',
  sys_updated_by: 'Updated by',
  sys_mod_count: 'Updates',
  number: 'Number',
  short_description: 'Short description',
  description: 'Description',
  state: 'State',
  active: 'Active',
  priority: 'Priority',
  impact: 'Impact',
  urgency: 'Urgency',
  assignment_group: 'Assignment group',
  assigned_to: 'Assigned to',
  comments: 'Additional comments',
  work_notes: 'Work notes',
  correlation_id: 'Correlation ID',
  parent: 'Parent',
  parent_incident: 'Parent Incident',
  child_incidents: 'Child Incidents',
  correlation_display: 'Correlation display',
  close_notes: 'Resolution notes',
  close_code: 'Resolution code',
  closed_at: 'Closed',
  resolved_at: 'Resolved',
  resolved_by: 'Resolved by',
  incident_state: 'Incident state',
  caller_id: 'Caller',
  u_details: 'Details',
  category: 'Category',
  hold_reason: 'On hold reason',
  task: 'Task',
  sla: 'SLA definition',
  stage: 'Stage',
  has_breached: 'Has breached',
  start_time: 'Start time',
  end_time: 'Stop time',
  planned_end_time: 'Breach time',
  time_left: 'Actual time left',
  business_time_left: 'Business time left',
  percentage: 'Actual elapsed percentage',
  business_percentage: 'Business elapsed percentage',
  request_item: 'Request item',
  user_name: 'User ID',
  name: 'Name',
  email: 'Email',
};

/** Columns people cannot write: system fields, the number, and what the instance computes (incident priority from impact × urgency). */
function isReadOnlyColumn(table: string, element: string): boolean {
  return (
    element.startsWith('sys_') ||
    element === 'number' ||
    (table === 'incident' && (element === 'priority' || element === 'incident_state' || element === 'child_incidents'))
  );
}

/** A column's type as sys_dictionary.internal_type names it; choice columns keep their stored type (integer or string) and set `choice`. */
function internalType(type: FieldType, choices: Record<string, string> | undefined, element: string): string {
  if (element === 'sys_id') return 'GUID';
  if (type.startsWith('reference:')) return 'reference';
  if (type === 'choice') return choices && Object.keys(choices).every((v) => /^-?\d+$/.test(v)) ? 'integer' : 'string';
  return (
    (
      {
        string: 'string',
        html: 'html',
        integer: 'integer',
        boolean: 'boolean',
        datetime: 'glide_date_time',
        duration: 'glide_duration',
        journal: 'journal_input',
      } as Record<string, string>
    )[type] ?? 'string'
  );
}

export function tableDef(name: string): TableDef | undefined {
  return TABLES.find((t) => t.name === name);
}

export function allFields(def: TableDef): Record<string, FieldType> {
  return { ...SYS_FIELDS, ...def.fields };
}

/** `YYYY-MM-DD HH:mm:ss`, UTC. */
export function glideTime(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').slice(0, 19);
}

export const newSysId = () => randomBytes(16).toString('hex');

/** Priority lookup from impact × urgency (the standard 3×3 matrix). */
export function priorityFor(impact: string, urgency: string): string {
  const score = Number(impact || 3) + Number(urgency || 3);
  return String({ 2: 1, 3: 2, 4: 3, 5: 4, 6: 5 }[score] ?? 5);
}

export interface SnUser {
  sys_id: string;
  user_name: string;
  name: string;
  email: string;
  password: string;
  roles: string[];
}

export interface OAuthClient {
  client_id: string;
  client_secret: string;
}

export class InstanceStore {
  readonly tables = new Map<string, Map<string, Row>>();
  readonly attachments = new Map<string, Buffer>();
  counters: Record<string, number> = {};
  users: SnUser[] = [];
  clients: OAuthClient[] = [];
  shortDescriptionMax = 160;

  constructor(readonly now: () => number) {
    for (const t of TABLES) this.tables.set(t.name, new Map());
  }

  rows(table: string): Row[] {
    return [...(this.tables.get(table)?.values() ?? [])];
  }

  get(table: string, sysId: string): Row | undefined {
    return this.tables.get(table)?.get(sysId);
  }

  userByName(userName: string): SnUser | undefined {
    return this.users.find((u) => u.user_name === userName);
  }

  addUser(u: Omit<SnUser, 'sys_id'>): SnUser {
    const user = { ...u, sys_id: newSysId() };
    this.users.push(user);
    this.insertRaw(
      'sys_user',
      { sys_id: user.sys_id, user_name: u.user_name, name: u.name, email: u.email, active: 'true' },
      'system',
    );
    return user;
  }

  /** Inserts without business rules (seeding, journals, attachment metadata). */
  insertRaw(table: string, values: Row, by: string): Row {
    const def = tableDef(table)!;
    const t = glideTime(this.now());
    const row: Row = {};
    for (const [f, type] of Object.entries(allFields(def)))
      row[f] = type === 'integer' ? '0' : type === 'boolean' ? 'false' : '';
    Object.assign(
      row,
      {
        sys_id: newSysId(),
        sys_created_on: t,
        sys_updated_on: t,
        sys_created_by: by,
        sys_updated_by: by,
        sys_mod_count: '0',
      },
      values,
    );
    this.tables.get(table)!.set(row.sys_id!, row);
    return row;
  }

  nextNumber(def: TableDef): string {
    const n = (this.counters[def.name] = (this.counters[def.name] ?? 10000) + 1);
    return `${def.numberPrefix}${String(n).padStart(7, '0')}`;
  }

  journal(
    table: string,
    recordId: string,
    element: 'comments' | 'work_notes',
    value: string,
    by: string,
  ): JournalEntry {
    return this.insertRaw(
      'sys_journal_field',
      { element, element_id: recordId, name: table, value },
      by,
    ) as JournalEntry;
  }

  /** The dictionary and choice lists, derived from the table definitions (seeded with the instance, read-only). */
  seedMetadata(): void {
    for (const def of TABLES) {
      this.insertRaw(
        'sys_dictionary',
        { name: def.name, element: '', column_label: def.name, internal_type: 'collection', active: 'true' },
        'system',
      );
      for (const [element, type] of Object.entries(allFields(def))) {
        const choices = def.choices?.[element];
        this.insertRaw(
          'sys_dictionary',
          {
            name: def.name,
            element,
            column_label: COLUMN_LABELS[element] ?? element.replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase()),
            internal_type: internalType(type, choices, element),
            reference: type.startsWith('reference:') ? type.slice(10) : '',
            max_length:
              element === 'short_description'
                ? String(this.shortDescriptionMax)
                : type === 'journal'
                  ? '4000'
                  : type === 'html'
                    ? '65000'
                    : type === 'string'
                      ? '40'
                      : '0',
            mandatory: element === 'short_description' || element === 'number' ? 'true' : 'false',
            read_only: isReadOnlyColumn(def.name, element) ? 'true' : 'false',
            active: 'true',
            choice: choices ? '1' : '0',
          },
          'system',
        );
        Object.entries(choices ?? {}).forEach(([value, label], i) =>
          this.insertRaw(
            'sys_choice',
            {
              name: def.name,
              element,
              value,
              label,
              sequence: String((i + 1) * 10),
              inactive: 'false',
              language: 'en',
            },
            'system',
          ),
        );
      }
    }
  }

  fileHash(content: Buffer): string {
    return createHash('sha256').update(content).digest('hex');
  }
}
