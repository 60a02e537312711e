/** Applying `fields` and `update` to an issue the way Jira validates them. */
import { adfText, isValidAdf, type AdfDoc } from './adf';
import { findParent, issueTypeOf, PARENT_ERRORS, parentOf, parentProblem, parentRef } from './hierarchy';
import { jiraTime, JiraError, type Site } from './site';
import type { ChangeItem, IssueRecord, JiraUser } from './state';

const screenError = (id: string) => `Field '${id}' cannot be set. It is not on the appropriate screen, or unknown.`;

/** A calendar day as Jira's date fields take it: `yyyy-MM-dd`, a day that exists. */
export function isCalendarDay(v: unknown): v is string {
  if (typeof v !== 'string') return false;
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === v;
}

/**
 * A date-time as Jira's datetime fields take it: ISO 8601 with seconds, optional milliseconds and an offset
 * (`2026-12-24T15:30:00.000+0000`, `…+01:00`, `…Z`); the instant in epoch ms, or undefined.
 */
export function parseJiraDateTime(v: unknown): number | undefined {
  if (typeof v !== 'string') return undefined;
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,3}))?(Z|([+-])(\d{2}):?(\d{2}))$/.exec(v);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (!isCalendarDay(`${m[1]}-${m[2]}-${m[3]}`) || hour > 23 || minute > 59 || second > 59) return undefined;
  const offset = m[8] === 'Z' ? 0 : (m[9] === '-' ? -1 : 1) * (Number(m[10]) * 60 + Number(m[11]));
  if (Math.abs(offset) > 18 * 60) return undefined;
  const ms = Number((m[7] ?? '0').padEnd(3, '0'));
  return Date.UTC(year, month - 1, day, hour, minute, second, ms) - offset * 60_000;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** A date-time as people read it in a changelog: Jira's default `dd/MMM/yy h:mm a`, in the user's zone (UTC here). */
export function humanDateTime(ms: number): string {
  const d = new Date(ms);
  const h = d.getUTCHours();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${pad(d.getUTCFullYear() % 100)} ${h % 12 || 12}:${pad(d.getUTCMinutes())} ${h < 12 ? 'AM' : 'PM'}`;
}

export interface FieldChanges {
  items: ChangeItem[];
  assigneeChanged: boolean;
}

function item(
  field: string,
  fieldId: string,
  from: unknown,
  fromString: string | null,
  to: unknown,
  toString: string | null,
  fieldtype = 'jira',
): ChangeItem {
  const s = (v: unknown) => (v === null || v === undefined ? null : String(v));
  return { field, fieldtype, fieldId, from: s(from), fromString, to: s(to), toString };
}

/**
 * Validates and applies field values. Every problem is collected into Jira's
 * `errors` map; nothing is applied unless all values are valid. With a
 * `screen` (the create or edit screen's field ids), a field not on it is
 * refused as Jira refuses it; without one (a transition), only what the site
 * lets be set at all is checked.
 */
export function applyFields(
  site: Site,
  issue: IssueRecord,
  actor: JiraUser,
  fields: Record<string, unknown>,
  update: Record<string, Array<Record<string, unknown>>>,
  mode: 'create' | 'edit',
  screen?: ReadonlySet<string>,
): FieldChanges {
  const errors: Record<string, string> = {};
  const ops: Array<() => ChangeItem | undefined> = [];
  let assigneeChanged = false;
  let parentGiven = false;
  const defs = new Map(site.state.fields.map((f) => [f.id, f]));

  const setters: Record<string, (v: unknown) => (() => ChangeItem | undefined) | string> = {
    summary: (v) => {
      if (typeof v !== 'string' || !v.trim()) return 'You must specify a summary of the issue.';
      if (v.length > 255) return 'Summary must be less than 255 characters.';
      return () =>
        issue.summary === v
          ? undefined
          : ((issue.summary = v), item('summary', 'summary', null, prev.summary, null, v));
    },
    description: (v) => {
      if (v !== null && !isValidAdf(v))
        return 'Operation value must be an Atlassian Document (see the Atlassian Document Format)';
      return () => {
        const before = issue.description;
        issue.description = v as IssueRecord['description'];
        return JSON.stringify(before) === JSON.stringify(v)
          ? undefined
          : item('description', 'description', null, before && adfText(before), null, v === null ? null : adfText(v));
      };
    },
    priority: (v) => {
      const ref = v as { id?: string; name?: string } | null;
      const p = site.state.priorities.find((x) => x.id === ref?.id || x.name === ref?.name);
      if (!p) return `Specify a valid 'id' or 'name' for Priority`;
      return () =>
        issue.priorityId === p.id
          ? undefined
          : item(
              'priority',
              'priority',
              prev.priorityId,
              priorityName(prev.priorityId),
              (issue.priorityId = p.id),
              p.name,
            );
    },
    labels: (v) => {
      if (!Array.isArray(v) || v.some((l) => typeof l !== 'string' || /\s/.test(l) || l.length > 255))
        return 'The label must not contain spaces and must be at most 255 characters.';
      return () => setLabels(v as string[]);
    },
    assignee: (v) => {
      const id = v === null ? null : ((v as { accountId?: string }).accountId ?? null);
      if (id !== null && !site.user(id)) return `User '${id}' does not exist.`;
      return () => {
        if (issue.assigneeId === id) return undefined;
        assigneeChanged = true;
        const change = item('assignee', 'assignee', issue.assigneeId, nameOf(issue.assigneeId), id, nameOf(id));
        issue.assigneeId = id;
        return change;
      };
    },
    duedate: (v) => {
      // Jira's words, as a real site answers a bad due date.
      if (v !== null && !isCalendarDay(v)) return 'The duedate must be of the format "yyyy-MM-dd"';
      const day = v as string | null;
      return () => {
        const before = issue.duedate ?? null;
        if (before === day) return undefined;
        issue.duedate = day;
        // As Jira records the due date: the day in from/to, the stored timestamp in fromString/toString.
        const text = (d: string | null) => (d === null ? null : `${d} 00:00:00.0`);
        return item('duedate', 'duedate', before, text(before), day, text(day));
      };
    },
    parent: (v) => {
      const ref = parentRef(v);
      if ('invalid' in ref) return PARENT_ERRORS.notFound;
      parentGiven = true;
      let parent: IssueRecord | undefined;
      if ('set' in ref) {
        parent = findParent(site, ref.set, actor);
        if (!parent) return PARENT_ERRORS.notFound;
        const problem = parentProblem(site, issue, parent);
        if (problem) return problem;
      } else if (issueTypeOf(site, issue).subtask) return PARENT_ERRORS.subtaskWithoutParent;
      return () => {
        const before = parentOf(site, issue);
        if (before?.id === parent?.id) return undefined;
        issue.parentId = parent?.id ?? null;
        // As Jira Cloud records a parent change: ids in from/to, keys in the strings, and no field id.
        return {
          field: 'IssueParentAssociation',
          fieldtype: 'jira',
          from: before?.id ?? null,
          fromString: before?.key ?? null,
          to: parent?.id ?? null,
          toString: parent?.key ?? null,
        };
      };
    },
    reporter: (v) => {
      const id = (v as { accountId?: string } | null)?.accountId;
      if (!id || !site.user(id)) return 'Reporter is required.';
      return () =>
        issue.reporterId === id
          ? undefined
          : item(
              'reporter',
              'reporter',
              issue.reporterId,
              nameOf(issue.reporterId),
              (issue.reporterId = id),
              nameOf(id),
            );
    },
  };
  const prev = { summary: issue.summary, priorityId: issue.priorityId };
  const priorityName = (id: string) => site.state.priorities.find((p) => p.id === id)?.name ?? null;
  const nameOf = (id: string | null) => (id ? (site.user(id)?.displayName ?? id) : null);
  const setLabels = (labels: string[]) => {
    const before = [...issue.labels];
    const after = [...new Set(labels)];
    if (before.join(' ') === after.join(' ')) return undefined;
    issue.labels = after;
    return item('labels', 'labels', null, before.join(' ') || null, null, after.join(' ') || null);
  };

  for (const [id, value] of Object.entries(fields)) {
    if (mode === 'create' && (id === 'project' || id === 'issuetype')) continue;
    const def = defs.get(id);
    if (!def || !def.editable || (screen && !screen.has(id))) {
      errors[id] = screenError(id);
      continue;
    }
    const setter = setters[id];
    if (setter) {
      const r = setter(value);
      if (typeof r === 'string') errors[id] = r;
      else ops.push(r);
      continue;
    }
    if (def.custom) {
      const r = customSetter(def, value);
      if (typeof r === 'string') errors[id] = r;
      else
        ops.push(() => {
          const before = issue.custom[id] ?? null;
          if (JSON.stringify(before) === JSON.stringify(r.value)) return undefined;
          issue.custom[id] = r.value;
          // As Jira records a custom field: its name, its id, type `custom`, and each value as stored and as people read it.
          const was = customChangeValue(site, def, before);
          const now = customChangeValue(site, def, r.value);
          return item(def.name, def.id, was.raw, was.text, now.raw, now.text, 'custom');
        });
      continue;
    }
    errors[id] = screenError(id);
  }

  for (const [id, verbs] of Object.entries(update)) {
    if (id in fields) {
      errors[id] = `Field '${id}' cannot be set in both 'fields' and 'update'.`;
      continue;
    }
    if (screen && !screen.has(id)) {
      errors[id] = screenError(id);
      continue;
    }
    if (id === 'labels') {
      ops.push(() => {
        let labels = [...issue.labels];
        for (const verb of verbs) {
          if (typeof verb.add === 'string') labels.push(verb.add);
          if (typeof verb.remove === 'string') labels = labels.filter((l) => l !== verb.remove);
          if (Array.isArray(verb.set)) labels = verb.set as string[];
        }
        return setLabels(labels);
      });
      continue;
    }
    const def = defs.get(id);
    if (!def?.editable) {
      errors[id] = screenError(id);
      continue;
    }
    const setVerb = verbs.find((v) => 'set' in v);
    const setter = setters[id];
    if (setVerb && setter) {
      const r = setter(setVerb.set);
      if (typeof r === 'string') errors[id] = r;
      else ops.push(r);
    } else errors[id] = `Operation not supported on field '${id}'.`;
  }

  // A sub-task is created under its parent or not at all.
  if (mode === 'create' && issueTypeOf(site, issue).subtask && !parentGiven && !errors.parent)
    errors.parent = PARENT_ERRORS.subtaskWithoutParent;
  if (Object.keys(errors).length) throw new JiraError(400, [], errors);
  const items = ops.map((op) => op()).filter((x): x is ChangeItem => x !== undefined);
  void actor;
  return { items, assigneeChanged };
}

/**
 * A custom field's value in a changelog item: `from`/`to` hold what identifies it (an option's id, an account id)
 * where the field stores a reference, `fromString`/`toString` what people read (the text, the option's value, the
 * person's name).
 */
function customChangeValue(
  site: Site,
  def: { schema: { type: string; custom?: string }; options?: Array<{ id: string; value: string }> },
  value: unknown,
): { raw: string | null; text: string | null } {
  if (value === null || value === undefined) return { raw: null, text: null };
  const option = (id: unknown) => def.options?.find((o) => o.id === id)?.value ?? String(id);
  switch (def.schema.type) {
    case 'option':
      return { raw: String(value), text: option(value) };
    case 'array':
      return Array.isArray(value)
        ? { raw: `[${value.map(String).join(', ')}]`, text: value.map(option).join(',') }
        : { raw: null, text: null };
    case 'user':
      return { raw: String(value), text: site.user(String(value))?.displayName ?? String(value) };
    case 'datetime': {
      const ms = parseJiraDateTime(value);
      return { raw: null, text: ms === undefined ? String(value) : humanDateTime(ms) };
    }
    case 'string':
      return { raw: null, text: typeof value === 'string' ? value : adfText(value as AdfDoc) };
    default:
      return { raw: null, text: String(value) };
  }
}

function customSetter(
  def: {
    id: string;
    schema: { type: string; items?: string; custom?: string };
    options?: Array<{ id: string; value: string }>;
  },
  value: unknown,
): { value: unknown } | string {
  if (value === null) return { value: null };
  switch (def.schema.type) {
    case 'string':
      if (def.schema.custom?.endsWith(':textarea'))
        return isValidAdf(value)
          ? { value }
          : 'Operation value must be an Atlassian Document (see the Atlassian Document Format)';
      return typeof value === 'string' && value.length <= 255 ? { value } : 'Operation value must be a string';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? { value } : 'Operation value must be a number';
    case 'date':
      return isCalendarDay(value) ? { value } : 'Date value is invalid. Expected format: yyyy-MM-dd';
    case 'datetime': {
      // Stored as Jira answers it: the instant in the user's zone (UTC), with milliseconds and `+0000`.
      const ms = parseJiraDateTime(value);
      return ms === undefined
        ? `Error parsing time: ${typeof value === 'string' ? value : JSON.stringify(value)}`
        : { value: jiraTime(ms) };
    }
    case 'user': {
      const id = (value as { accountId?: string }).accountId;
      return typeof id === 'string' ? { value: id } : 'Specify a valid accountId';
    }
    case 'option': {
      const ref = (typeof value === 'object' ? value : {}) as { id?: unknown; value?: unknown };
      if (ref.id !== undefined) {
        const opt = def.options?.find((o) => o.id === String(ref.id));
        return opt ? { value: opt.id } : `Option id '${String(ref.id)}' is not valid`;
      }
      const opt = def.options?.find((o) => o.value === ref.value);
      if (opt) return { value: opt.id };
      return ref.value === undefined
        ? "Could not find valid 'id' or 'value' in the Parent Option object."
        : `Option value '${String(ref.value)}' is not valid`;
    }
    case 'array': {
      if (!Array.isArray(value)) return 'Operation value must be an array';
      const ids = value.map(
        (v) =>
          def.options?.find((o) => o.id === (v as { id?: string }).id || o.value === (v as { value?: string }).value)
            ?.id,
      );
      return ids.every(Boolean) ? { value: ids } : 'One or more options are not valid';
    }
    default:
      return 'Unsupported field type';
  }
}
