/**
 * A connection's field pairs typed and checked against live metadata when it
 * is saved or previewed: each Jira field exists, each remote field exists on
 * the remote (where it describes its fields), the issue type exists in the
 * project, and each
 * pair gets the kind of its Jira field (Jira's field schema) and of its remote
 * field (the connector's `describeFields`), and a pair whose kinds cannot
 * cross is refused at its field with the reason (field-kinds.ts). What the
 * page sends as kinds is never trusted: the server reads them itself.
 *
 * Where the remote's metadata cannot be read (no access to its dictionary, an
 * instance asleep), a pair keeps the kinds it was saved with before; failing
 * that, a Jira field that converts by kind (a number, a date, options) meets
 * the remote's value as text, and anything else stays untyped, as before kinds
 * were known. Nothing is refused on a guess.
 *
 * A pair that would write a field the remote calls read-only is refused at its
 * field: it may only sync toward Jira. A field the remote computes (its
 * registry entry's `derivedFields`: ServiceNow's incident priority) is no such
 * field: it is written through its inputs, and the pair keeps the matrix of
 * which inputs give each value (the one the page sent, filled in from the
 * system's own; derived-fields.ts). Another pair writing one of those inputs
 * is refused: the field would be written twice in one update.
 *
 * A pair that writes a Jira field the project's screen for the connection's
 * issue type does not hold is refused at its Jira field: Jira would refuse
 * every create and edit of it ("not on the appropriate screen"). The screen is
 * the create screen (createmeta); Jira's default screen scheme uses it for
 * edits too. Where it cannot be read, nothing is refused.
 */
import { isSyncError } from '../connectors/errors';
import * as jira from '../connectors/jira/client';
import type { Connector, RemoteField } from '../connectors/ports';
import type { ConnectionConfig, FieldMapping, ItemType } from '../mapping/connection-config';
import { fieldsOfType } from '../mapping/item-types';
import { systemFor } from '../connectors/registry';
import { crossing, jiraKindOf, remoteKindOf, type FieldKind, type JiraFieldMeta } from '../mapping/field-kinds';
import { matrixFor, type DerivedFieldDefinition } from '../mapping/derived-fields';
import { ruleTarget } from '../mapping/rules';

export interface TypedFields {
  fields: FieldMapping[];
  problems: Array<{ path: string; message: string }>;
  /** The SLA's Jira field with its kind, when the draft copies the remote's SLA into one. */
  slaField?: NonNullable<ConnectionConfig['slaField']>;
}

/** Kinds that convert by value, so that typing them against text is worth it when the remote cannot say. */
const CONVERTED: ReadonlySet<FieldKind> = new Set(['number', 'date', 'date-time', 'option', 'options']);

/** The remote's fields, or undefined where it cannot describe them now. */
export async function remoteFieldsOf(
  connector: Connector | undefined,
  itemType?: string,
): Promise<RemoteField[] | undefined> {
  if (!connector?.describeFields) return undefined;
  try {
    return await connector.describeFields(itemType);
  } catch (e) {
    if (isSyncError(e)) return undefined;
    throw e;
  }
}

/** Pure: the pairs with their kinds and the pairs that cannot cross, from both sides' metadata. */
export function typeFieldPairs(
  fields: readonly FieldMapping[],
  jiraFields: ReadonlyArray<Parameters<typeof jiraKindOf>[0]>,
  remoteFields: readonly RemoteField[] | undefined,
  saved?: Pick<ConnectionConfig, 'fields'>,
  remoteLabel = 'the remote',
  derivedFields: readonly DerivedFieldDefinition[] = [],
): TypedFields {
  const typed = typeKinds(fields, jiraFields, remoteFields, saved, remoteLabel);
  typed.fields = typed.fields.map((m, index) => {
    const { derived: sentMatrix, ...pair } = m;
    const derived = derivedFields.find((d) => d.field === m.remote);
    if (derived) return { ...pair, derived: matrixFor(derived, sentMatrix) };
    const writes = m.direction === 'both' || m.direction === 'to-remote';
    if (writes && remoteFields?.find((f) => f.id === m.remote)?.readOnly)
      typed.problems.push({
        path: `fields.${index}.remote`,
        message: `${remoteLabel}'s ${m.remote} is read-only: it can only sync to Jira`,
      });
    return pair;
  });
  // A derived field's inputs are written by its pair: another pair writing one of them would write it twice.
  const writes = (m: FieldMapping) => m.direction === 'both' || m.direction === 'to-remote';
  typed.fields.forEach((m, index) => {
    const by = typed.fields.find((d) => d !== m && d.derived && writes(d) && d.derived.inputs.includes(m.remote));
    if (by && writes(m))
      typed.problems.push({
        path: `fields.${index}.remote`,
        message: `${m.remote} is written for ${by.remote} through its matrix (the ${by.jira} pair): sync this pair to Jira only, or remove it`,
      });
  });
  return typed;
}

function typeKinds(
  fields: readonly FieldMapping[],
  jiraFields: ReadonlyArray<Parameters<typeof jiraKindOf>[0]>,
  remoteFields: readonly RemoteField[] | undefined,
  saved: Pick<ConnectionConfig, 'fields'> | undefined,
  remoteLabel: string,
): TypedFields {
  const jiraById = new Map(jiraFields.map((f) => [f.id, f]));
  const remoteById = new Map((remoteFields ?? []).map((f) => [f.id, f]));
  const problems: TypedFields['problems'] = [];
  const typed = fields.map((m, index) => {
    const { kinds: _sent, format: _sentFormat, ...untyped } = m;
    const before = saved?.fields.find((f) => f.jira === m.jira && f.remote === m.remote);
    // A rich pair's body format is its remote field's own, where that is not the description's (as read now, else as saved).
    const format =
      m.transform !== 'rich-text'
        ? undefined
        : remoteFields === undefined
          ? before?.format
          : remoteById.get(m.remote)?.format;
    const pair = format ? { ...untyped, format } : untyped;
    const jiraMeta = jiraById.get(m.jira);
    if (jiraFields.length && !jiraMeta)
      problems.push({ path: `fields.${index}.jira`, message: `Jira has no field ${m.jira}` });
    if (remoteFields?.length && !remoteById.has(m.remote))
      problems.push({
        path: `fields.${index}.remote`,
        message: `${capitalized(remoteLabel)} has no field ${m.remote}`,
      });
    // A pair with rules writes the value its rules give, in the target's own terms (rules.ts): its kinds do not convert it.
    if (m.rules?.length) return pair;
    const jiraKind = jiraMeta ? jiraKindOf(jiraMeta) : undefined;
    const remoteMeta = remoteById.get(m.remote);
    const remoteKind = remoteMeta ? remoteKindOf(remoteMeta) : undefined;
    if (jiraKind && remoteKind) {
      // People and rich text cross through their own transforms, whatever the kinds say of them. A Jira document
      // read as a plain value would cross as nothing people can read: it crosses as rich text.
      if (m.transform === 'user' || m.transform === 'rich-text') return pair;
      if (
        jiraKind === 'rich-text' &&
        (m.transform === 'none' || m.transform === 'text') &&
        crossing(jiraKind, remoteKind).ok
      )
        return {
          ...pair,
          transform: 'rich-text' as const,
          ...(remoteMeta?.format ? { format: remoteMeta.format } : {}),
        };
      const met = crossing(jiraKind, remoteKind);
      if (!met.ok) {
        problems.push({
          path: `fields.${index}.remote`,
          message: `${m.jira} and ${remoteLabel}'s ${m.remote} cannot be paired: ${met.reason}`,
        });
        return pair;
      }
      return {
        ...pair,
        kinds: {
          jira: jiraKind,
          remote: remoteKind,
          ...(remoteMeta?.precision !== undefined ? { precision: remoteMeta.precision } : {}),
        },
      };
    }
    if (remoteFields === undefined && before?.kinds) return { ...pair, kinds: before.kinds };
    if (jiraKind && CONVERTED.has(jiraKind) && m.transform !== 'user')
      return { ...pair, kinds: { jira: jiraKind, remote: 'text' as const } };
    return pair;
  });
  return { fields: typed, problems };
}

const capitalized = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** The issue type a connection creates must be one of the project's (none read: nothing to check against). */
export function issueTypeProblems(
  issueType: string,
  projectTypes: ReadonlyArray<{ name: string }>,
): TypedFields['problems'] {
  if (!projectTypes.length || projectTypes.some((t) => t.name === issueType)) return [];
  return [
    {
      path: 'jiraIssueType',
      message: `The project has no issue type ${issueType}; it has ${projectTypes.map((t) => t.name).join(', ')}`,
    },
  ];
}

/**
 * Jira fields a pair may write that no create or edit carries, so no screen needs to hold them: status moves by
 * transitions (writeJira), and comments, attachments and issue links are written through their own calls.
 */
const WRITTEN_ELSEWHERE: ReadonlySet<string> = new Set(['status', 'comment', 'attachment', 'issuelinks']);

/**
 * Pairs that write a Jira field the project's screen for the issue type does not hold (none read: nothing to check
 * against). A field Jira does not have at all is reported as such elsewhere, not here too.
 */
export function screenProblems(
  fields: readonly FieldMapping[],
  screen: ReadonlyArray<{ id: string }> | undefined,
  jiraFields: ReadonlyArray<{ id: string; name?: string | undefined }>,
  place: { issueType: string; projectKey: string },
): TypedFields['problems'] {
  if (!screen) return [];
  const onScreen = new Set(screen.map((f) => f.id));
  const known = new Map(jiraFields.map((f) => [f.id, f]));
  const problems: TypedFields['problems'] = [];
  fields.forEach((m, index) => {
    const writesJira = m.direction === 'both' || m.direction === 'to-jira';
    if (!writesJira || WRITTEN_ELSEWHERE.has(m.jira) || onScreen.has(m.jira)) return;
    if (jiraFields.length && !known.has(m.jira)) return;
    const name = known.get(m.jira)?.name ?? m.jira;
    problems.push({
      path: `fields.${index}.jira`,
      message: `Jira's field “${name}” is not on the ${place.issueType} screen of project ${place.projectKey}: add it to the screen, or map another field.`,
    });
  });
  return problems;
}

/** Reads both sides' metadata, types the pairs and checks the draft against it (see typeFieldPairs). */
export async function typedFromMetadata(
  settings: Pick<ConnectionConfig, 'fields' | 'jiraIssueType' | 'slaField'> &
    Partial<Pick<ConnectionConfig, 'createDefaults' | 'types' | 'hierarchy' | 'relatedLinks'>>,
  projectId: string,
  connector: Connector | undefined,
  saved?: Pick<ConnectionConfig, 'fields'> & Partial<Pick<ConnectionConfig, 'types'>>,
  remoteLabel?: string,
  derivedFields?: readonly DerivedFieldDefinition[],
): Promise<TypedFields & { types?: ItemType[] }> {
  const projectAndScreen = jira.projectOverview(projectId).then(async (project) => {
    const type = project?.issueTypes.find((t) => t.name === settings.jiraIssueType);
    return { project, screen: type ? await jira.createScreenFields(projectId, type.id) : undefined };
  });
  const [jiraFields, remoteFields, { project, screen }] = await Promise.all([
    jira.fieldSchemas(),
    remoteFieldsOf(connector),
    projectAndScreen,
  ]);
  const paired = typeFieldPairs(settings.fields, jiraFields, remoteFields, saved, remoteLabel, derivedFields);
  const ruled = checkRules(paired.fields, jiraFields, remoteFields, project?.issueTypes ?? [], remoteLabel);
  const typed = { ...paired, fields: ruled.fields, problems: [...paired.problems, ...ruled.problems] };
  const sla = settings.slaField ? typedSlaField(settings.slaField, jiraFields, connector, remoteLabel) : undefined;
  // With a type map, each type's screen is checked with its fields (typedTypes), not the single issue type's.
  const offScreen =
    project && !settings.types?.length
      ? screenProblems(settings.fields, screen, jiraFields, {
          issueType: settings.jiraIssueType,
          projectKey: project.key ?? projectId,
        })
      : [];
  const types = await typedTypes(settings, {
    projectId,
    project,
    jiraFields,
    remoteFields,
    connector,
    saved,
    remoteLabel,
    derivedFields,
  });
  return {
    ...typed,
    ...(sla && 'field' in sla ? { slaField: sla.field } : {}),
    ...(types.types.length ? { types: types.types } : {}),
    problems: [
      // Issues a connection creates without a parent: a sub-task cannot be one (a type map's sub-tasks cross under theirs).
      ...(settings.types?.length
        ? []
        : issueTypeProblems(
            settings.jiraIssueType,
            (project?.issueTypes ?? []).filter((t) => !t.subtask),
          )),
      ...offScreen,
      ...typed.problems,
      ...(sla && 'problem' in sla ? [sla.problem] : []),
      ...createDefaultProblems(settings.createDefaults ?? [], remoteFields, remoteLabel),
      ...types.problems,
      ...hierarchyProblems(settings, connector, remoteLabel),
    ],
  };
}

/**
 * Each type of the type map checked and typed as `typedFromMetadata` checks the connection's own: its Jira type is
 * one of the project's, its remote type one of the type field's values, its own pairs typed against that remote
 * type's fields (an Azure DevOps Task's states are not a Bug's) and its fields on that issue type's screen. Problems
 * are at the type's path (`types.1.fields.0.remote`).
 */
async function typedTypes(
  settings: Partial<Pick<ConnectionConfig, 'types' | 'fields'>>,
  read: {
    projectId: string;
    project: Awaited<ReturnType<typeof jira.projectOverview>>;
    jiraFields: readonly JiraFieldMeta[];
    remoteFields: readonly RemoteField[] | undefined;
    connector: Connector | undefined;
    saved: (Pick<ConnectionConfig, 'fields'> & Partial<Pick<ConnectionConfig, 'types'>>) | undefined;
    remoteLabel: string | undefined;
    derivedFields: readonly DerivedFieldDefinition[] | undefined;
  },
): Promise<{ types: ItemType[]; problems: TypedFields['problems'] }> {
  const types = settings.types ?? [];
  const problems: TypedFields['problems'] = [];
  const typeField = read.connector ? systemFor(read.connector.system)?.itemTypes : undefined;
  const typeValues = typeField ? read.remoteFields?.find((f) => f.id === typeField.field)?.values : undefined;
  const typed = await Promise.all(
    types.map(async (t, i): Promise<ItemType> => {
      const at = (problem: { path: string; message: string }) => ({ ...problem, path: `types.${i}.${problem.path}` });
      for (const p of issueTypeProblems(t.jira, read.project?.issueTypes ?? []))
        problems.push({ ...p, path: `types.${i}.jira` });
      if (typeValues?.length && !typeValues.some((v) => v.value === t.remote))
        problems.push({
          path: `types.${i}.remote`,
          message: `${capitalized(read.remoteLabel ?? 'the remote')} has no ${typeField!.label.toLowerCase()} ${t.remote}: choose one of ${typeValues
            .slice(0, 10)
            .map((v) => v.label)
            .join(', ')}`,
        });
      const ownRemote = t.fields.length ? await remoteFieldsOf(read.connector, t.remote) : read.remoteFields;
      const savedType = read.saved?.types?.find((s) => s.jira === t.jira);
      const fields = typeFieldPairs(
        t.fields,
        read.jiraFields,
        ownRemote,
        savedType ? { fields: savedType.fields } : undefined,
        read.remoteLabel,
        read.derivedFields,
      );
      problems.push(...fields.problems.map(at));
      // Its own rules, checked and kept in the fields' own values as the shared ones are.
      const ruled = checkRules(
        fields.fields,
        read.jiraFields,
        ownRemote,
        read.project?.issueTypes ?? [],
        read.remoteLabel,
      );
      fields.fields = ruled.fields;
      problems.push(...ruled.problems.map(at));
      problems.push(...createDefaultProblems(t.createDefaults, ownRemote, read.remoteLabel).map(at));
      const issueType = read.project?.issueTypes.find((x) => x.name === t.jira);
      if (read.project && issueType) {
        const screen = await jira.createScreenFields(read.projectId, issueType.id);
        const all = fieldsOfType(settings.fields ?? [], { fields: fields.fields });
        problems.push(
          ...screenProblems(all, screen, read.jiraFields, {
            issueType: t.jira,
            projectKey: read.project.key ?? read.projectId,
          })
            // Only its own pairs are its own to fix; a shared pair off this type's screen is said of the type.
            .map((p) => {
              const pair = all[Number(p.path.split('.')[1])]!;
              const own = fields.fields.indexOf(pair);
              return own >= 0 ? at({ ...p, path: `fields.${own}.jira` }) : { ...p, path: `types.${i}.jira` };
            }),
        );
      }
      return { ...t, fields: fields.fields };
    }),
  );
  return { types: typed, problems };
}

/**
 * Defaults on create checked against the remote's fields (none described: nothing to check against): the field
 * exists and takes a write, and a field with a list of values gets one of them.
 */
export function createDefaultProblems(
  defaults: ConnectionConfig['createDefaults'],
  remoteFields: readonly RemoteField[] | undefined,
  remoteLabel = 'the remote',
): TypedFields['problems'] {
  if (!remoteFields?.length) return [];
  const problems: TypedFields['problems'] = [];
  defaults.forEach((d, i) => {
    const field = remoteFields.find((f) => f.id === d.field);
    if (!field)
      problems.push({
        path: `createDefaults.${i}.field`,
        message: `${capitalized(remoteLabel)} has no field ${d.field}`,
      });
    else if (field.readOnly)
      problems.push({ path: `createDefaults.${i}.field`, message: `${remoteLabel}'s ${field.name} is read-only` });
    else if (field.values?.length && !field.values.some((v) => v.value === d.value))
      problems.push({
        path: `createDefaults.${i}.value`,
        message: `${field.name} has no value ${d.value}: choose one of ${field.values
          .slice(0, 10)
          .map((v) => v.label)
          .join(', ')}${field.values.length > 10 ? ', …' : ''}`,
      });
  });
  return problems;
}

/** The SLA's Jira field, typed from Jira's metadata: a date or a date-time, on a remote that has SLAs. */
function typedSlaField(
  rule: NonNullable<ConnectionConfig['slaField']>,
  jiraFields: readonly JiraFieldMeta[],
  connector: Connector | undefined,
  remoteLabel = 'The remote',
): { field: NonNullable<ConnectionConfig['slaField']> } | { problem: { path: string; message: string } } {
  const path = 'slaField.jira';
  if (connector && !connector.slaOf) return { problem: { path, message: `${remoteLabel} has no SLAs to copy` } };
  const meta = jiraFields.find((f) => f.id === rule.jira);
  if (!meta) return { problem: { path, message: `Jira has no field ${rule.jira}` } };
  const kind = jiraKindOf(meta);
  if (kind !== 'date' && kind !== 'date-time')
    return {
      problem: {
        path,
        message: `Jira's field “${meta.name}” cannot hold an SLA's breach time: choose a date or date-time field`,
      },
    };
  return { field: { ...rule, kind } };
}

/**
 * A pair's rules (rules.ts) checked against both sides' metadata (none read: nothing to check against): every field
 * a condition reads exists; where the field lists its values (a remote choice, Jira's issue types), each value a
 * condition compares with, each rule's value and the fallback are among them. A value typed as people read it
 * ("Database") is kept as the field stores it ("database"), so the rules compare and write what the field holds.
 */
export function checkRules(
  fields: readonly FieldMapping[],
  jiraFields: ReadonlyArray<{ id: string }>,
  remoteFields: readonly RemoteField[] | undefined,
  issueTypes: ReadonlyArray<{ name: string }>,
  remoteLabel = 'the remote',
): TypedFields {
  const problems: TypedFields['problems'] = [];
  const remoteById = new Map((remoteFields ?? []).map((f) => [f.id, f]));
  const jiraIds = new Set(jiraFields.map((f) => f.id));
  /** The values a field lists, as `{ value, label }`; undefined where it lists none. */
  const listed = (side: 'jira' | 'remote', field: string) => {
    if (side === 'remote') return remoteById.get(field)?.values;
    return field === 'issuetype' && issueTypes.length
      ? issueTypes.map((t) => ({ value: t.name, label: t.name }))
      : undefined;
  };
  const nameOf = (side: 'jira' | 'remote', field: string) =>
    side === 'jira' ? `Jira's ${field}` : `${remoteLabel}'s ${remoteById.get(field)?.name ?? field}`;
  /** The value as the field stores it, or a problem naming the values it takes. */
  const stored = (side: 'jira' | 'remote', field: string, value: string, path: string): string => {
    const values = listed(side, field);
    if (!values?.length) return value;
    const found =
      values.find((v) => v.value === value) ??
      values.find((v) => [v.value, v.label].some((x) => x.trim().toLowerCase() === value.trim().toLowerCase()));
    if (found) return found.value;
    problems.push({
      path,
      message: `${nameOf(side, field)} has no value “${value}”: choose one of ${values
        .slice(0, 10)
        .map((v) => v.label)
        .join(', ')}${values.length > 10 ? ', …' : ''}`,
    });
    return value;
  };
  const out = fields.map((m, index) => {
    if (!m.rules?.length) return m;
    const target = ruleTarget(m.direction) ?? 'remote';
    const targetField = target === 'remote' ? m.remote : m.jira;
    const at = `fields.${index}`;
    const rules = m.rules.map((rule, r) => ({
      when: rule.when.map((c, i) => {
        const known =
          c.side === 'jira'
            ? !jiraFields.length || jiraIds.has(c.field)
            : !remoteFields?.length || remoteById.has(c.field);
        if (!known) {
          problems.push({
            path: `${at}.rules.${r}.when.${i}.field`,
            message:
              c.side === 'jira'
                ? `Jira has no field ${c.field}`
                : `${capitalized(remoteLabel)} has no field ${c.field}`,
          });
          return c;
        }
        return { ...c, values: c.values.map((v) => stored(c.side, c.field, v, `${at}.rules.${r}.when.${i}.values`)) };
      }),
      then: stored(target, targetField, rule.then, `${at}.rules.${r}.then`),
    }));
    return {
      ...m,
      rules,
      ...(m.fallback !== undefined ? { fallback: stored(target, targetField, m.fallback, `${at}.fallback`) } : {}),
    };
  });
  return { fields: out, problems };
}

/**
 * Parents cross only where the remote's connector speaks its parent relation, and only through it: a field pair
 * that also wrote Jira's parent or the remote's parent field would write it twice, each way.
 */
export function hierarchyProblems(
  settings: Partial<Pick<ConnectionConfig, 'hierarchy' | 'fields' | 'types' | 'relatedLinks'>>,
  connector: Connector | undefined,
  remoteLabel = 'the remote',
): TypedFields['problems'] {
  const related: TypedFields['problems'] =
    settings.relatedLinks && settings.relatedLinks.direction !== 'none' && connector && !connector.related
      ? [
          {
            path: 'relatedLinks.direction',
            message: `${capitalized(remoteLabel)} has no links between items Crosswalk can copy`,
          },
        ]
      : [];
  if (!settings.hierarchy || settings.hierarchy.direction === 'none' || !connector) return related;
  const hierarchy = connector.hierarchy;
  if (!hierarchy)
    return [
      ...related,
      { path: 'hierarchy.direction', message: `${capitalized(remoteLabel)} has no parent relation Crosswalk can copy` },
    ];
  const problems: TypedFields['problems'] = [...related];
  const check = (fields: readonly FieldMapping[], at: string) =>
    fields.forEach((m, i) => {
      if (m.jira === 'parent')
        problems.push({
          path: `${at}fields.${i}.jira`,
          message: 'the parent crosses as parent and child, not as a field: remove this pair',
        });
      else if (hierarchy.field && m.remote === hierarchy.field)
        problems.push({
          path: `${at}fields.${i}.remote`,
          message: `${hierarchy.field} holds the ${hierarchy.label.toLowerCase()}, which crosses as parent and child: remove this pair`,
        });
    });
  check(settings.fields ?? [], '');
  (settings.types ?? []).forEach((t, i) => check(t.fields, `types.${i}.`));
  return problems;
}
