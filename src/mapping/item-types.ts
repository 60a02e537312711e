/**
 * The type map: which Jira issue types a connection pairs with which remote types (Azure DevOps work item types,
 * Zendesk ticket types, ServiceNow categories), and what each type has of its own. The connection's `fields`,
 * `createDefaults` and `requiredOnEnter` are what every type shares; a type adds its own pairs and defaults, and a
 * pair of its own for a Jira field the shared ones map replaces that pair for this type (its own status map: the
 * workflows differ per type on both sides).
 *
 * The engine works on one type at a time: `forType` makes the connection as it stands for items of that type, and
 * everything after it (the plan, the create, the preview) reads that as it read a connection before types existed.
 * A connection without a type map is a single-type map (`typeMapOf`): its issue type and the remote's one type,
 * every issue its JQL takes crossing, as before.
 */
import type { ConnectionConfig, FieldMapping, ItemType } from './connection-config';

import type { ItemTypeField } from '../vocabulary/system-terms';
export type { ItemTypeField };

type TypedSettings = Pick<ConnectionConfig, 'fields' | 'createDefaults' | 'jiraIssueType' | 'types'>;

/** The connection's types: its own map, or, without one, its issue type alone, the remote's type left as it is. */
export function typeMapOf(config: Pick<ConnectionConfig, 'types' | 'jiraIssueType'>): {
  types: readonly ItemType[];
  /** Whether the admin made the map: only then are issues and items of other types left alone. */
  explicit: boolean;
} {
  if (config.types.length) return { types: config.types, explicit: true };
  return { types: [{ jira: config.jiraIssueType, remote: '', fields: [], createDefaults: [] }], explicit: false };
}

/** The fields of a type: the shared pairs, each replaced by the type's own pair of the same Jira field, then the type's others. */
export function fieldsOfType(shared: readonly FieldMapping[], type: Pick<ItemType, 'fields'>): FieldMapping[] {
  const own = new Map(type.fields.map((m) => [m.jira, m]));
  return [
    ...shared.map((m) => own.get(m.jira) ?? m),
    ...type.fields.filter((m) => !shared.some((s) => s.jira === m.jira)),
  ];
}

/** Every pair of every type (what a notification of any item may need), each remote field once. */
export function allFieldsOf(config: Pick<ConnectionConfig, 'fields' | 'types'>): FieldMapping[] {
  return [...config.fields, ...config.types.flatMap((t) => t.fields)];
}

/**
 * The connection as it stands for items of `type`: its fields and defaults, the issue type Jira issues are made as,
 * and the remote type a new remote item is made as (a default of the type field, which a mapped field giving one
 * overrides).
 */
export function forType<C extends TypedSettings>(config: C, type: ItemType, typeField: ItemTypeField | undefined): C {
  const createDefaults = [
    ...(typeField && type.remote ? [{ field: typeField.field, value: type.remote }] : []),
    ...type.createDefaults,
    ...config.createDefaults.filter((d) => !type.createDefaults.some((o) => o.field === d.field)),
  ].filter((d, i, all) => all.findIndex((o) => o.field === d.field) === i);
  return { ...config, jiraIssueType: type.jira, fields: fieldsOfType(config.fields, type), createDefaults };
}

/** The name of a Jira issue's type, as Jira gives it (`fields.issuetype.name`). */
export function jiraTypeOf(fields: Readonly<Record<string, unknown>>): string | undefined {
  const t = fields.issuetype as { name?: unknown } | undefined;
  return typeof t?.name === 'string' ? t.name : undefined;
}

/** The remote type an item holds, as stored (a ServiceNow choice's value, a Zendesk `type`). */
export function remoteTypeOf(
  fields: Readonly<Record<string, unknown>>,
  typeField: ItemTypeField | undefined,
): string | undefined {
  const v = typeField ? fields[typeField.field] : undefined;
  return typeof v === 'string' || typeof v === 'number' ? String(v) : undefined;
}

export type TypeMatch<C> = { ok: true; config: C; type: ItemType } | { ok: false; unmapped: string };

/** The connection for a Jira issue of the type named, or the type it does not map. Names compare as Jira does, ignoring case. */
export function forJiraType<C extends TypedSettings>(
  config: C,
  jiraType: string | undefined,
  typeField: ItemTypeField | undefined,
): TypeMatch<C> {
  const map = typeMapOf(config);
  if (!map.explicit) return { ok: true, config, type: map.types[0]! };
  const type = map.types.find((t) => t.jira.toLowerCase() === (jiraType ?? '').toLowerCase());
  return type ? { ok: true, config: forType(config, type, typeField), type } : { ok: false, unmapped: jiraType ?? '' };
}

/** The connection for a remote item by the type it holds, or the type it does not map (never guessed). */
export function forRemoteItem<C extends TypedSettings>(
  config: C,
  fields: Readonly<Record<string, unknown>>,
  typeField: ItemTypeField | undefined,
): TypeMatch<C> {
  const map = typeMapOf(config);
  if (!map.explicit) return { ok: true, config, type: map.types[0]! };
  const held = remoteTypeOf(fields, typeField) ?? '';
  const type = map.types.find((t) => t.remote === held);
  return type ? { ok: true, config: forType(config, type, typeField), type } : { ok: false, unmapped: held };
}

/** Problems of a type map, each at its path: a type paired twice on either side, a type's pairs clashing. */
export function typeMapProblems(
  types: ReadonlyArray<Pick<ItemType, 'jira' | 'remote' | 'createDefaults'>>,
): Array<{ path: (string | number)[]; message: string }> {
  const problems: Array<{ path: (string | number)[]; message: string }> = [];
  types.forEach((t, i) => {
    if (types.findIndex((o) => o.jira.toLowerCase() === t.jira.toLowerCase()) !== i)
      problems.push({ path: ['types', i, 'jira'], message: `${t.jira} is in the type map already` });
    if (types.findIndex((o) => o.remote === t.remote) !== i)
      problems.push({
        path: ['types', i, 'remote'],
        message: `${t.remote} is paired with ${types.find((o) => o.remote === t.remote)!.jira} already: an item of it could not tell which Jira type it becomes`,
      });
    t.createDefaults.forEach((d, j) => {
      if (t.createDefaults.findIndex((e) => e.field === d.field) !== j)
        problems.push({
          path: ['types', i, 'createDefaults', j, 'field'],
          message: `${d.field} has a default already`,
        });
    });
  });
  return problems;
}

/**
 * Why an issue and a remote item cannot be a pair under the type map, in people's words (a Bug linked to an Azure
 * DevOps Task would sync with the Bug's statuses the Task does not have); undefined when they can.
 */
export function typeMismatch<C extends TypedSettings>(
  config: C,
  issueFields: Readonly<Record<string, unknown>>,
  remoteFields: Readonly<Record<string, unknown>>,
  typeField: ItemTypeField | undefined,
): string | undefined {
  const issueType = forJiraType(config, jiraTypeOf(issueFields), typeField);
  if (!issueType.ok) return `the connection's type map has no ${issueType.unmapped || 'such'} issue type`;
  if (!typeMapOf(config).explicit || !typeField) return undefined;
  const held = remoteTypeOf(remoteFields, typeField) ?? '';
  return held === issueType.type.remote
    ? undefined
    : `a ${issueType.type.jira} pairs with a ${typeField.label.toLowerCase()} ${issueType.type.remote}, and this item is ${held || 'of none'}`;
}
