/**
 * Where a problem the server answered lies, in the words the page uses: its
 * path (`remote.auth`, `fields.3.valueMap`) named as the field is labelled on
 * the page ("Sign-in", "Jira field 4 (Priority), value map"), and the wizard
 * step that shows it. Pure, so the wizard can list every problem at the top of
 * a step, whether or not the page has a field for its path.
 */
import { labelOf, schemaAt } from './settings-shape';
import type { FieldMapping, JsonSchema } from './types';

export interface PlaceContext {
  /** The system's settings shape and the values drafted for it. */
  schema: JsonSchema;
  remote: Record<string, unknown>;
  /** What the system calls each secret field. */
  secretLabel(field: string): string;
  /** "ServiceNow". */
  systemLabel: string;
  fields: readonly FieldMapping[];
  /** What Jira calls a field id ("Priority"), when known. */
  jiraFieldName(id: string): string | undefined;
}

export const STEPS = ['Connection', 'Instance and sign-in', 'What syncs', 'Preview'] as const;

/** The step whose page shows the setting at `path`. */
export function stepOf(path: string): number {
  if (path === 'name' || path === 'remote.type') return 0;
  if (path.startsWith('item')) return 3;
  if (path.startsWith('remote.') || path === 'remote' || path.startsWith('credential')) return 1;
  return 2;
}

/** A mapping row as the page names it: "Jira field 4 (Priority)". */
export function rowName(index: number, mapping: FieldMapping | undefined, ctx: Pick<PlaceContext, 'jiraFieldName'>) {
  const name = mapping?.jira ? (ctx.jiraFieldName(mapping.jira) ?? mapping.jira) : undefined;
  return `Jira field ${index + 1}${name ? ` (${name})` : ''}`;
}

const FIELD_PARTS: Record<string, string> = {
  jira: '',
  direction: 'direction',
  transform: 'values',
  valueMap: 'value map',
  conflictPolicy: 'when both changed',
  separator: 'separator',
};

const TOP_LEVEL: Record<string, string> = {
  name: 'Name',
  jql: 'Which issues sync (JQL)',
  jiraIssueType: 'Jira issue type they create',
  conflictPolicy: 'When both sides changed a field',
  enabled: 'Sync is on',
  comments: 'Comments',
  attachments: 'Files',
  'attachments.maxBytes': 'Largest file that crosses',
  'attachments.allowedTypes': 'File types that cross',
  users: 'People',
  'users.matchByEmail': 'Match people by email',
  requiredOnEnter: 'Fields a state requires',
  remoteFilter: 'Remote items that create Jira issues',
  linkFilter: 'Remote items people may link by hand',
  fields: 'Fields',
  types: 'Work item types',
  hierarchy: 'Parents and children',
  'hierarchy.direction': 'Parents and children',
  relatedLinks: 'Related issues',
  'relatedLinks.direction': 'Related issues',
  credential: 'Sign-in secret',
  remote: 'Instance and sign-in',
  'remote.type': 'System',
  'remote.auth': 'Sign-in',
};

/** The place of `path` in the page's words; never the raw path. */
export function placeOf(path: string, ctx: PlaceContext): string {
  if (!path) return '';
  if (TOP_LEVEL[path]) return TOP_LEVEL[path];
  const segments = path.split('.');
  const [head, second, ...rest] = segments;
  if (head === 'credential' && second) return ctx.secretLabel(second);
  if (head === 'remote' && second) {
    const below = [second, ...rest];
    const last = below[below.length - 1]!;
    // A setting inside a list is named with the list and the entry's number ("Filter 1 › Field").
    if (below.some((s) => /^\d+$/.test(s)))
      return below
        .reduce<string[]>((names, s, i) => {
          if (/^\d+$/.test(s)) names[names.length - 1] += ` ${Number(s) + 1}`;
          else names.push(labelOf(s, schemaAt(ctx.schema, below.slice(0, i + 1), ctx.remote)));
          return names;
        }, [])
        .join(' › ');
    return labelOf(last, schemaAt(ctx.schema, below, ctx.remote));
  }
  if (head === 'fields' && second !== undefined && /^\d+$/.test(second)) {
    const index = Number(second);
    const row = rowName(index, ctx.fields[index], ctx);
    const [part, entry] = rest;
    if (!part) return row;
    if (part === 'remote') return `${row}, ${ctx.systemLabel} field`;
    // A pair's rules (rules-editor.tsx), as the editor numbers them: "rule 1, condition 2", "rule 1, value".
    if (part === 'rules' && entry !== undefined && /^\d+$/.test(entry)) {
      const [, what, condition] = rest.slice(1);
      const inRule =
        what === 'when' && condition !== undefined && /^\d+$/.test(condition)
          ? `, condition ${Number(condition) + 1}`
          : what === 'then'
            ? ', value'
            : '';
      return `${row}, rule ${Number(entry) + 1}${inRule}`;
    }
    if (part === 'rules') return `${row}, rules`;
    if (part === 'fallback') return `${row}, rules, otherwise`;
    const entryName =
      part === 'valueMap' && entry !== undefined && /^\d+$/.test(entry) ? ` row ${Number(entry) + 1}` : '';
    const named = FIELD_PARTS[part] ?? part;
    return named ? `${row}, ${named}${entryName}` : row;
  }
  if ((head === 'remoteFilter' || head === 'linkFilter') && second !== undefined && /^\d+$/.test(second)) {
    // As the editor numbers them: the filter's entries in order, each a condition or an OR group.
    const link = head === 'linkFilter' ? 'link ' : '';
    const items = `for ${ctx.systemLabel} items`;
    const [part, inGroup] = rest;
    if (part === 'anyOf' && inGroup !== undefined && /^\d+$/.test(inGroup))
      return `${link ? 'Link condition' : 'Condition'} ${Number(inGroup) + 1} of ${link}OR group ${Number(second) + 1} ${items}`;
    if (part === 'anyOf') return `${link ? 'Link OR group' : 'OR group'} ${Number(second) + 1} ${items}`;
    return `${link ? 'Link condition' : 'Condition'} ${Number(second) + 1} ${items}`;
  }
  if (head === 'types' && second !== undefined && /^\d+$/.test(second)) {
    // "Type 2 (Story)", and within it what its own rows are called ("Type 2 (Story) › Jira field 1 (Status)").
    const type = `Type ${Number(second) + 1}`;
    const [part, index, ...inner] = rest;
    if (!part) return type;
    if (part === 'jira') return `${type}, Jira issue type`;
    if (part === 'remote') return `${type}, ${ctx.systemLabel} type`;
    if (part === 'createDefaults') return `${type}, new ${ctx.systemLabel} items`;
    // Its own rows are named by their place among its own fields: the shared rows' names are not theirs.
    if (part === 'fields' && index !== undefined)
      return `${type} › ${placeOf(['fields', index, ...inner].join('.'), { ...ctx, fields: [] })}`;
    return type;
  }
  if (head === 'users' && second === 'table' && rest[0] !== undefined && /^\d+$/.test(rest[0]))
    return `Person pair ${Number(rest[0]) + 1}`;
  if (head === 'attachments' && second === 'allowedTypes') return TOP_LEVEL['attachments.allowedTypes']!;
  if (head && TOP_LEVEL[head]) return TOP_LEVEL[head];
  return segments
    .filter((s) => !/^\d+$/.test(s))
    .map((s) => labelOf(s, undefined))
    .join(' › ');
}
