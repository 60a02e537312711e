/**
 * What a field holds, on each side, from that side's live metadata (Jira's
 * field schema, the remote's `describeFields`), and which pairs of kinds can
 * cross: a date into a date-time field, a number into a text field, options
 * into tags; never a date into a number field, nor a person into a date. A
 * pair that can cross meets in one canonical kind, the form in which the
 * engine compares and stores its values (field-convert.ts). Pure, and free of
 * server imports: the settings page offers only pairs that can cross with the
 * same rules the server refuses the others with.
 */

export const FIELD_KINDS = [
  'text',
  'rich-text',
  'number',
  'date',
  'date-time',
  'option',
  'options',
  'cascading',
  'user',
  'users',
  'labels',
  'priority',
  'status',
  'path',
  'sprint',
  'parent',
] as const;
export type FieldKind = (typeof FIELD_KINDS)[number];

/** The form both sides' values are compared and stored in; `text` is free text, compared as written. */
export type CanonicalKind = 'text' | 'number' | 'date' | 'date-time' | 'option' | 'options' | 'rich-text' | 'user';

/** A Jira field as `GET /rest/api/3/field` describes it. */
export interface JiraFieldMeta {
  id: string;
  name?: string;
  schema?: { type?: string; items?: string; system?: string; custom?: string };
}

const SYSTEM_KINDS: Readonly<Record<string, FieldKind>> = {
  summary: 'text',
  description: 'rich-text',
  environment: 'rich-text',
  priority: 'priority',
  status: 'status',
  labels: 'labels',
  assignee: 'user',
  reporter: 'user',
  duedate: 'date',
  parent: 'parent',
  components: 'options',
  fixVersions: 'options',
  versions: 'options',
};

/** A Jira field's kind from its schema; undefined for what no mapping can write (attachments, comments, the key). */
export function jiraKindOf(field: JiraFieldMeta): FieldKind | undefined {
  const system = SYSTEM_KINDS[field.id];
  if (system) return system;
  const s = field.schema;
  if (!s?.type) return undefined;
  const custom = s.custom ?? '';
  if (custom.endsWith(':gh-sprint')) return 'sprint';
  if (custom.endsWith(':textarea')) return 'rich-text';
  switch (s.type) {
    case 'string':
      return 'text';
    case 'number':
      return 'number';
    case 'date':
      return 'date';
    case 'datetime':
      return 'date-time';
    case 'option':
      return 'option';
    case 'option-with-child':
      return 'cascading';
    case 'user':
      return 'user';
    case 'priority':
      return 'priority';
    case 'status':
      return 'status';
    case 'array':
      if (s.items === 'option' || s.items === 'component' || s.items === 'version') return 'options';
      if (s.items === 'user') return 'users';
      if (s.items === 'string') return 'labels';
      return undefined;
    default:
      return undefined;
  }
}

/** A remote field's kind from `describeFields` (connectors/ports.ts RemoteField). */
export function remoteKindOf(field: { id: string; kind: string }): FieldKind | undefined {
  switch (field.kind) {
    case 'text':
      return 'text';
    case 'rich-text':
      return 'rich-text';
    case 'number':
      return 'number';
    case 'date':
      return 'date';
    case 'date-time':
      return 'date-time';
    case 'choice':
      return 'option';
    case 'list':
      return 'options';
    case 'user':
      return 'user';
    case 'path':
      return 'path';
    default:
      return undefined;
  }
}

type Crossing = { ok: true; canonical: CanonicalKind } | { ok: false; reason: string };

/** Kinds whose values are names in a tree or a list of the system's own (a path, a sprint): text, not dates or numbers. */
const NAMED: ReadonlySet<FieldKind> = new Set(['path', 'sprint', 'cascading']);
const TEXTUAL: ReadonlySet<FieldKind> = new Set(['text', ...NAMED]);
const CHOSEN: ReadonlySet<FieldKind> = new Set(['option', 'priority', 'status']);
const MANY: ReadonlySet<FieldKind> = new Set(['options', 'labels']);
const DATES: ReadonlySet<FieldKind> = new Set(['date', 'date-time']);

const words: Readonly<Record<FieldKind, string>> = {
  text: 'text',
  'rich-text': 'rich text',
  number: 'number',
  date: 'date',
  'date-time': 'date and time',
  option: 'single option',
  options: 'list of options',
  cascading: 'cascading option',
  user: 'person',
  users: 'list of people',
  labels: 'list of labels',
  priority: 'priority',
  status: 'status',
  path: 'area or iteration path',
  sprint: 'sprint',
  parent: 'parent',
};
/** A kind as people read it: "a date", "an area or iteration path", "a list of options". */
export const kindWords = (k: FieldKind) => `${/^[aeiou]/.test(words[k]) ? 'an' : 'a'} ${words[k]}`;

/**
 * Whether values of a Jira field of kind `jira` and a remote field of kind `remote` can cross both ways, and in
 * which canonical kind they meet; else why not, in words for the person choosing the pair.
 */
export function crossing(jira: FieldKind, remote: FieldKind): Crossing {
  const refuse = (why?: string): Crossing => ({
    ok: false,
    reason: `Jira's field holds ${kindWords(jira)} and the remote's ${kindWords(remote)}${why ? `: ${why}` : ''}`,
  });
  if (jira === 'parent' || remote === 'parent')
    return refuse('parents cross as links between items, not as a field value');
  if (jira === 'user' || remote === 'user' || jira === 'users' || remote === 'users') {
    if ((jira === 'user' || jira === 'users') && (remote === 'user' || remote === 'users'))
      return jira === remote || jira === 'users'
        ? { ok: true, canonical: 'user' }
        : refuse('one person cannot hold a list');
    return refuse('people are matched to people');
  }
  if (jira === 'rich-text' || remote === 'rich-text') {
    if (jira === 'rich-text' || TEXTUAL.has(jira))
      return remote === 'rich-text' || TEXTUAL.has(remote) ? { ok: true, canonical: 'rich-text' } : refuse();
    return refuse();
  }
  if (DATES.has(jira) || DATES.has(remote)) {
    if (DATES.has(jira) && DATES.has(remote))
      return { ok: true, canonical: jira === 'date' || remote === 'date' ? 'date' : 'date-time' };
    if (jira === 'text') return { ok: true, canonical: remote as 'date' | 'date-time' };
    if (remote === 'text') return { ok: true, canonical: jira as 'date' | 'date-time' };
    return refuse();
  }
  if (MANY.has(jira) || MANY.has(remote)) {
    if ((MANY.has(jira) || jira === 'text') && (MANY.has(remote) || remote === 'text'))
      return { ok: true, canonical: 'options' };
    return refuse('a list cannot cross into one value');
  }
  if (jira === 'number' || remote === 'number') {
    const other = jira === 'number' ? remote : jira;
    if (other === 'number' || other === 'text') return { ok: true, canonical: 'number' };
    // A numbered choice (Azure DevOps priority 1–4, a ServiceNow urgency) maps to Jira's options by value.
    if (CHOSEN.has(other)) return { ok: true, canonical: 'option' };
    return refuse();
  }
  if (CHOSEN.has(jira) || CHOSEN.has(remote)) return { ok: true, canonical: 'option' };
  return { ok: true, canonical: 'text' };
}
