/**
 * The field mapping editor, fed by live metadata on both sides: Jira's, read
 * as the signed-in admin through @forge/bridge (fields, the project's
 * statuses, priorities), and the remote's, read by the server with the saved
 * connection's credential (the remoteFields resolver: fields with their kinds
 * and allowed values). Field pairs with a direction each; value maps with each
 * side's values in a dropdown and a warning for the values left unmapped on
 * either side. The remote's lists are creatable: a field or value the
 * metadata lacks can still be typed; a connection not saved yet types them.
 */
import { useEffect, useState } from 'react';
import { requestJira, view } from '@forge/bridge';
import Button from '@atlaskit/button/new';
import { Label } from '@atlaskit/form';
import { Box, Inline, Stack, Text } from '@atlaskit/primitives/compiled';
import SectionMessage from '@atlaskit/section-message';
import Select, { CreatableSelect } from '@atlaskit/select';
import DynamicTable from '@atlaskit/dynamic-table';
import Lozenge from '@atlaskit/lozenge';
import { callResolver, problemsAt, TextField, type Problem } from '../../shared/ui';
import { fieldPairProblems } from '../../../src/mapping/field-pairs';
import { valueMapProblems } from '../../../src/mapping/value-map';
import { crossing, jiraKindOf, kindWords, remoteKindOf, type FieldKind } from '../../../src/mapping/field-kinds';
import { matrixDisagreements, matrixFor, type DerivedFieldDefinition } from '../../../src/mapping/derived-fields';
import { rowName } from './problem-words';
import { suggestRemoteField, suggestValueMap, valuesNeedAMap } from './suggest';
import { TemplateEditor } from './template-editor';
import { RulesEditor } from './rules-editor';

/** Jira kinds whose values are words a template can be written around. */
const PLAIN_TEXT: ReadonlySet<string> = new Set(['text']);
import {
  isAnyOf,
  type DerivedMatrix,
  type FieldMapping,
  type RemoteCondition,
  type RemoteField,
  type RemoteFilterEntry,
  type ValueMapEntry,
} from './types';

const DIRECTIONS = [
  { value: 'both', label: '↔ both ways' },
  { value: 'to-remote', label: '→ Jira to remote' },
  { value: 'to-jira', label: '← remote to Jira' },
  { value: 'none', label: 'not synced' },
];
const TRANSFORMS = [
  { value: 'none', label: 'As is' },
  { value: 'text', label: 'Plain text' },
  { value: 'rich-text', label: 'Rich text' },
  { value: 'value-map', label: 'Map values' },
  { value: 'user', label: 'People' },
  { value: 'list', label: 'List of values' },
];

/** A field's own conflict policy; empty = the connection's. */
const FIELD_POLICIES = [
  { value: '', label: "The connection's policy" },
  { value: 'newest-wins', label: 'Newest change wins' },
  { value: 'jira-wins', label: 'Jira wins' },
  { value: 'remote-wins', label: 'Remote wins' },
];

interface PathFrom {
  from: string;
  path?: string[];
  reason?: string;
}
interface WorkflowPaths {
  issueTypes: string[];
  workflowRead: boolean;
  note?: string;
  statuses: Array<{ status: string; inWorkflow: boolean; from: PathFrom[]; unreachableFrom: string[] }>;
}

/** For each Jira status the map can set, the transitions the engine takes to reach it from every other status, and where it cannot. */
export function StatusPaths({ statuses }: { statuses: string[] }) {
  const [answer, setAnswer] = useState<{ workflows: WorkflowPaths[] } | { error: string }>();
  const wanted = [...new Set(statuses.filter(Boolean))];
  const key = wanted.join('\u0000');
  useEffect(() => {
    if (!wanted.length) return setAnswer(undefined);
    let current = true;
    const timer = setTimeout(() => {
      void callResolver<{ workflows: WorkflowPaths[] }>('statusPaths', { statuses: wanted }).then(
        (res) => current && setAnswer(res.ok ? res.data : { error: res.error.message }),
      );
    }, 300);
    return () => {
      current = false;
      clearTimeout(timer);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);
  if (!answer) return null;
  if ('error' in answer)
    return <Text color="color.text.danger">{`The transition paths could not be read: ${answer.error}`}</Text>;
  return (
    <Stack space="space.150" testId="status-paths">
      <Text as="p" weight="semibold">
        How Crosswalk moves a Jira issue to each status
      </Text>
      {answer.workflows.map((wf) => (
        <Stack space="space.100" key={wf.issueTypes.join(',')}>
          {wf.note && (
            <SectionMessage appearance="warning">
              <p>{wf.note}</p>
            </SectionMessage>
          )}
          {wf.workflowRead && (
            <DynamicTable
              label={`Transition paths for ${wf.issueTypes.join(', ')}`}
              caption={<Text size="small">{`Issue types ${wf.issueTypes.join(', ')}`}</Text>}
              head={{
                cells: [
                  { key: 'status', content: 'Jira status' },
                  { key: 'reach', content: 'Reachable' },
                  { key: 'paths', content: 'Transitions the sync takes' },
                ],
              }}
              rows={wf.statuses.map((t) => ({
                key: t.status,
                cells: [
                  { key: 'status', content: t.status },
                  {
                    key: 'reach',
                    content: !t.inWorkflow ? (
                      <Lozenge appearance="removed">Not in workflow</Lozenge>
                    ) : t.unreachableFrom.length ? (
                      <Lozenge appearance="removed">{`Unreachable from ${t.unreachableFrom.length}`}</Lozenge>
                    ) : (
                      <Lozenge appearance="success">From every status</Lozenge>
                    ),
                  },
                  {
                    key: 'paths',
                    content: !t.inWorkflow ? (
                      <Text color="color.text.danger">{`"${t.status}" is not a status of this workflow: an issue cannot be moved there, and the sync reports it on the issue.`}</Text>
                    ) : (
                      <Stack space="space.025">
                        {t.from.map((f) =>
                          f.path ? (
                            <Text size="small" key={f.from}>{`From ${f.from}: ${f.path.join(' → ')}`}</Text>
                          ) : (
                            <Text
                              size="small"
                              color="color.text.danger"
                              key={f.from}
                            >{`From ${f.from}: cannot be reached (no transition path); nothing moves and the issue shows why.`}</Text>
                          ),
                        )}
                      </Stack>
                    ),
                  },
                ],
              }))}
            />
          )}
        </Stack>
      ))}
    </Stack>
  );
}

export interface JiraMetadata {
  /** With each field's kind from its schema, where Crosswalk knows it (field-kinds.ts). */
  fields: Array<{ id: string; name: string; kind?: FieldKind }>;
  values: Record<string, string[]>;
  issueTypes: string[];
}

async function getJson<T>(path: string): Promise<T | undefined> {
  const res = await requestJira(path, { headers: { Accept: 'application/json' } });
  return res.ok ? ((await res.json()) as T) : undefined;
}

/** Jira's fields and the values of the fields Crosswalk maps by value, as the admin sees them. */
export function useJiraMetadata(): JiraMetadata | undefined {
  const [meta, setMeta] = useState<JiraMetadata>();
  useEffect(() => {
    void (async () => {
      const ctx = await view.getContext();
      const projectKey = (ctx.extension as { project?: { key?: string } }).project?.key ?? '';
      const [fields, statuses, priorities, project] = await Promise.all([
        getJson<Array<{ id: string; name: string; schema?: Parameters<typeof jiraKindOf>[0]['schema'] }>>(
          '/rest/api/3/field',
        ),
        getJson<Array<{ statuses: Array<{ name: string }> }>>(
          `/rest/api/3/project/${encodeURIComponent(projectKey)}/statuses`,
        ),
        getJson<Array<{ name: string }>>('/rest/api/3/priority'),
        getJson<{ issueTypes?: Array<{ name: string; subtask?: boolean }> }>(
          `/rest/api/3/project/${encodeURIComponent(projectKey)}`,
        ),
      ]);
      setMeta({
        fields: (fields ?? [])
          .map((f) => {
            const kind = jiraKindOf(f);
            return { id: f.id, name: f.name, ...(kind ? { kind } : {}) };
          })
          .sort((a, b) => a.name.localeCompare(b.name)),
        values: {
          status: [...new Set((statuses ?? []).flatMap((t) => t.statuses.map((s) => s.name)))],
          priority: (priorities ?? []).map((p) => p.name),
        },
        issueTypes: (project?.issueTypes ?? []).filter((t) => !t.subtask).map((t) => t.name),
      });
    })().catch(() => setMeta({ fields: [], values: {}, issueTypes: [] }));
  }, []);
  return meta;
}

/** The remote's fields as its connector describes them, or why they could not be read; absent for a connection not saved yet. */
export interface RemoteMetadata {
  /** What people call the remote system: "ServiceNow". */
  label: string;
  loading: boolean;
  fields: RemoteField[];
  /** The fields the remote computes from others (ServiceNow's incident priority): a pair with one shows its matrix. */
  derived?: DerivedFieldDefinition[];
  /** The field that tells an item's type, where the system has types (a connection's type map pairs them). */
  itemTypes?: { field: string; label: string };
  problem?: string;
}

/** Reads the saved connection's remote fields once (the server builds the connector with the stored credential). */
export function useRemoteMetadata(
  connectionId: string | undefined,
  label: string,
  /** A type of the connection's type map: its own fields and values (an Azure DevOps Task's states). */
  itemType?: string,
): RemoteMetadata | undefined {
  const [meta, setMeta] = useState<RemoteMetadata>();
  useEffect(() => {
    if (!connectionId) return setMeta(undefined);
    let current = true;
    setMeta({ label, loading: true, fields: [] });
    void callResolver<{
      fields: RemoteField[];
      derived?: DerivedFieldDefinition[];
      itemTypes?: RemoteMetadata['itemTypes'];
    }>('remoteFields', { connectionId, ...(itemType ? { itemType } : {}) })
      .then((res) => {
        if (!current) return;
        if (res.ok)
          return setMeta({
            label,
            loading: false,
            fields: res.data.fields,
            derived: res.data.derived ?? [],
            ...(res.data.itemTypes ? { itemTypes: res.data.itemTypes } : {}),
          });
        const problems = (res.error as { problems?: Problem[] }).problems ?? [];
        setMeta({
          label,
          loading: false,
          fields: [],
          problem: problemsAt(problems, 'remoteFields')[0] ?? res.error.message,
        });
      })
      .catch((e: unknown) => current && setMeta({ label, loading: false, fields: [], problem: String(e) }));
    return () => {
      current = false;
    };
  }, [connectionId, label, itemType]);
  return meta;
}

/** Whether the remote's fields are read and where they are not, above the mapping: an admin types names then. */
export function RemoteMetadataNote({ remote }: { remote: RemoteMetadata | undefined }) {
  if (!remote)
    return (
      <Text color="color.text.subtle">
        Remote field names are typed until the connection is saved; then the editor lists the remote's own fields and
        values.
      </Text>
    );
  if (remote.loading) return <Text color="color.text.subtle">{`Reading ${remote.label}'s fields…`}</Text>;
  if (remote.problem)
    return (
      <SectionMessage appearance="warning" title={`${remote.label}'s fields could not be read`}>
        <p data-testid="remote-fields-problem">{remote.problem}</p>
      </SectionMessage>
    );
  return (
    <Text
      color="color.text.subtle"
      testId="remote-fields-read"
    >{`${remote.fields.length} fields read from ${remote.label}; a field or value it does not list can still be typed.`}</Text>
  );
}

type Option = { value: string; label: string };
/**
 * By name with its id; a read-only field says so (Crosswalk can read it, not write it), and a field the remote
 * computes from others says from which (Crosswalk writes those).
 */
const fieldOption = (f: RemoteField, derived: readonly DerivedFieldDefinition[] = []): Option => {
  const computed = derived.find((d) => d.field === f.id);
  const note = computed ? `, computed from ${computed.inputs.join(' and ')}` : f.readOnly ? ', read-only' : '';
  return { value: f.id, label: `${f.name && f.name !== f.id ? `${f.name} (${f.id})` : f.id}${note}` };
};

/** The remote's definition of a pair's remote field, where the remote computes it. */
const derivedOf = (remote: RemoteMetadata | undefined, field: string) =>
  remote?.derived?.find((d) => d.field === field);

/** A remote value from a list the remote gave (a field, or one of its allowed values), or typed when the list lacks it. */
function CreatablePicker(props: {
  id: string;
  label: string;
  /** The accessible name, when the visible label alone repeats across rows. */
  ariaLabel?: string;
  value: string;
  options: Option[];
  remoteLabel: string;
  errors?: string[];
  isLoading?: boolean;
  placeholder?: string;
  onChange(value: string): void;
}) {
  const known = props.options.find((o) => o.value === props.value);
  const errors = props.errors ?? [];
  return (
    <Stack space="space.050">
      <Label htmlFor={props.id}>{props.label}</Label>
      <CreatableSelect
        inputId={props.id}
        {...(props.ariaLabel ? { 'aria-label': props.ariaLabel } : {})}
        options={props.options}
        isLoading={props.isLoading ?? false}
        value={known ?? (props.value ? { value: props.value, label: props.value } : null)}
        onChange={(o: Option | null) => props.onChange(o?.value ?? '')}
        onCreateOption={(typed: string) => props.onChange(typed.trim())}
        formatCreateLabel={(typed: string) => `Use "${typed}" (not in ${props.remoteLabel}'s list)`}
        isInvalid={errors.length > 0}
        {...(props.placeholder ? { placeholder: props.placeholder } : {})}
      />
      {errors.map((m) => (
        <Text key={m} color="color.text.danger">
          {m}
        </Text>
      ))}
    </Stack>
  );
}

/** Whether a remote field can pair with a Jira field of this kind, and why not (the server's rule, field-kinds.ts). */
export function pairing(jiraKind: FieldKind | undefined, field: RemoteField | undefined): string | undefined {
  const remoteKind = field ? remoteKindOf(field) : undefined;
  if (!jiraKind || !remoteKind) return undefined;
  const met = crossing(jiraKind, remoteKind);
  return met.ok ? undefined : met.reason;
}

/**
 * A remote field, picked from the remote's own list (by name, with its id) or typed when the list lacks it. Only
 * fields whose values can cross with the Jira field's are offered; a pair chosen before that cannot is said at once.
 */
function RemoteFieldPicker(props: {
  id: string;
  label: string;
  value: string;
  remote: RemoteMetadata;
  jiraKind?: FieldKind | undefined;
  errors: string[];
  onChange(value: string): void;
}) {
  const offered = props.remote.fields.filter((f) => pairing(props.jiraKind, f) === undefined);
  const left = props.remote.fields.length - offered.length;
  const chosen = props.remote.fields.find((f) => f.id === props.value);
  const why = pairing(props.jiraKind, chosen);
  const errors =
    why && !props.errors.some((e) => e.includes(why)) ? [...props.errors, `Cannot be paired: ${why}`] : props.errors;
  return (
    <Stack space="space.050">
      <CreatablePicker
        id={props.id}
        label={props.label}
        value={props.value}
        options={[
          ...offered.map((f) => fieldOption(f, props.remote.derived)),
          ...(chosen && why ? [fieldOption(chosen, props.remote.derived)] : []),
        ]}
        remoteLabel={props.remote.label}
        errors={errors}
        isLoading={props.remote.loading}
        placeholder={`Choose ${/^[AEIOU]/.test(props.remote.label) ? 'an' : 'a'} ${props.remote.label} field`}
        onChange={props.onChange}
      />
      {left > 0 && props.jiraKind && (
        <Text size="small" color="color.text.subtlest">
          {`${left} ${props.remote.label} field${left === 1 ? '' : 's'} not offered: ${left === 1 ? 'it cannot' : 'they cannot'} hold ${kindWords(props.jiraKind)}.`}
        </Text>
      )}
    </Stack>
  );
}

/** A remote value, from the remote field's allowed values (label with the stored value), or typed. */
function RemoteValuePicker(props: {
  id: string;
  label: string;
  ariaLabel?: string;
  value: string;
  values: Array<{ value: string; label: string }>;
  remoteLabel: string;
  errors?: string[];
  onChange(value: string): void;
}) {
  const options = props.values.map((v) => ({
    value: v.value,
    label: v.label === v.value ? v.value : `${v.label} (${v.value})`,
  }));
  return (
    <CreatablePicker
      id={props.id}
      label={props.label}
      {...(props.ariaLabel ? { ariaLabel: props.ariaLabel } : {})}
      value={props.value}
      options={options}
      remoteLabel={props.remoteLabel}
      {...(props.errors ? { errors: props.errors } : {})}
      onChange={props.onChange}
    />
  );
}

function ValueMap({
  index,
  row,
  mapping,
  jiraValues,
  remote,
  problems,
  onChange,
}: {
  index: number;
  /** The row as the page names it ("Jira field 4 (Priority)"): each control's accessible name says which field it serves. */
  row: string;
  mapping: FieldMapping;
  jiraValues: string[];
  remote: RemoteMetadata | undefined;
  problems: Problem[];
  onChange(valueMap: ValueMapEntry[]): void;
}) {
  const entries = mapping.valueMap ?? [];
  const options = jiraValues.map((v) => ({ value: v, label: v }));
  const unmapped = jiraValues.filter((v) => !entries.some((e) => e.jira === v));
  const remoteValues = remote?.fields.find((f) => f.id === mapping.remote)?.values ?? [];
  const unmappedRemote = remoteValues.filter((v) => !entries.some((e) => e.remote === v.value));
  const remoteName = remote?.label ?? 'remote';
  const suggested = suggestValueMap(unmapped, remoteValues, entries);
  const set = (i: number, change: Partial<{ jira: string; remote: string }>) =>
    onChange(entries.map((e, j) => (j === i ? { ...e, ...change } : e)));
  // Checked as the admin types, by the rule the server applies (an entry not filled in yet is not a conflict).
  /** Remote values several Jira values map to: each needs the one it maps back to. */
  const shared = [...new Set(entries.filter((e) => e.jira && e.remote).map((e) => e.remote))].flatMap((value) => {
    const from = [...new Set(entries.filter((e) => e.remote === value && e.jira).map((e) => e.jira))];
    return from.length > 1 ? [{ value, from, back: entries.find((e) => e.remote === value && e.reverse)?.jira }] : [];
  });
  const remoteValueLabel = (value: string) => {
    const known = remoteValues.find((v) => v.value === value);
    return known && known.label !== value ? `${known.label} (${value})` : value;
  };
  const mapBack = (value: string, jira: string) =>
    onChange(
      entries.map(({ reverse: _old, ...e }) => (e.remote === value && e.jira === jira ? { ...e, reverse: true } : e)),
    );
  const found = [
    ...problemsAt(problems, `fields.${index}.valueMap`),
    ...valueMapProblems(
      entries.filter((e) => e.jira && e.remote),
      mapping.remote,
    ),
  ];
  return (
    <Stack space="space.100" testId={`value-map-${mapping.jira}`}>
      {entries.map((e, i) => (
        <Inline space="space.100" alignBlock="end" key={i}>
          <Stack space="space.050">
            <Label htmlFor={`fields.${index}.valueMap.${i}.jira`}>{`Jira ${mapping.jira} value ${i + 1}`}</Label>
            {options.length ? (
              <Select
                inputId={`fields.${index}.valueMap.${i}.jira`}
                aria-label={`Jira ${mapping.jira} value ${i + 1} of ${row}`}
                options={options}
                value={options.find((o) => o.value === e.jira) ?? (e.jira ? { value: e.jira, label: e.jira } : null)}
                onChange={(o) => set(i, { jira: o?.value ?? '' })}
              />
            ) : null}
          </Stack>
          {!options.length && (
            <TextField
              id={`fields.${index}.valueMap.${i}.jira-text`}
              label={`Jira value ${i + 1} of ${row}`}
              value={e.jira}
              onChange={(jira) => set(i, { jira })}
            />
          )}
          {remoteValues.length ? (
            <RemoteValuePicker
              id={`fields.${index}.valueMap.${i}.remote`}
              label={`${remoteName} value ${i + 1}`}
              ariaLabel={`${remoteName} value ${i + 1} of ${row}`}
              value={e.remote}
              values={remoteValues}
              remoteLabel={remoteName}
              onChange={(value) => set(i, { remote: value })}
            />
          ) : (
            <TextField
              id={`fields.${index}.valueMap.${i}.remote`}
              label={`Remote value ${i + 1} of ${row}`}
              value={e.remote}
              onChange={(value) => set(i, { remote: value })}
            />
          )}
          <Button
            appearance="subtle"
            onClick={() => onChange(entries.filter((_, j) => j !== i))}
            aria-label={`Remove value ${i + 1} of ${row}`}
          >
            Remove
          </Button>
        </Inline>
      ))}
      {shared.map(({ value, from, back }) => (
        <Stack space="space.050" key={value} testId={`maps-back-${index}-${value}`}>
          <Inline>
            <Stack space="space.050">
              <Label htmlFor={`fields.${index}.valueMap.back.${value}`}>
                {`${remoteName} ${mapping.remote} ${remoteValueLabel(value)} maps back to`}
              </Label>
              <Select
                inputId={`fields.${index}.valueMap.back.${value}`}
                aria-label={`${remoteName} ${mapping.remote} ${remoteValueLabel(value)} maps back to, for ${row}`}
                options={from.map((v) => ({ value: v, label: `Jira ${v}` }))}
                value={back ? { value: back, label: `Jira ${back}` } : null}
                placeholder={`Choose one of ${from.join(', ')}`}
                onChange={(o) => o && mapBack(value, o.value)}
              />
            </Stack>
          </Inline>
          <Text color="color.text.subtle" size="small">
            {`${from.join(' and ')} are written to ${remoteName} as ${remoteValueLabel(value)}; read back, it becomes ${back ? `Jira ${back}` : 'the value chosen here'}.`}
          </Text>
        </Stack>
      ))}
      <Inline space="space.100">
        <Button
          aria-label={`Add a value to ${row}`}
          onClick={() =>
            onChange([
              ...entries,
              { jira: unmapped[0] ?? '', remote: unmapped.length ? '' : (unmappedRemote[0]?.value ?? '') },
            ])
          }
        >
          Add a value
        </Button>
        {suggested.length > 0 && (
          <Button
            aria-label={`Suggest ${suggested.length} value${suggested.length === 1 ? '' : 's'} by name for ${row}`}
            onClick={() => onChange([...entries.filter((e) => e.jira || e.remote), ...suggested])}
          >{`Suggest ${suggested.length} value${suggested.length === 1 ? '' : 's'} by name`}</Button>
        )}
      </Inline>
      {unmapped.length > 0 && (
        <SectionMessage appearance="warning" title="Unmapped Jira values">
          <p data-testid={`unmapped-${mapping.jira}`}>
            {unmapped.join(', ')}: an issue with {unmapped.length === 1 ? 'this value' : 'one of these'} cannot send its{' '}
            {mapping.jira} to the remote, and says so on the issue.
          </p>
        </SectionMessage>
      )}
      {unmappedRemote.length > 0 && (
        <SectionMessage appearance="warning" title={`Unmapped ${remoteName} values`}>
          <p data-testid={`unmapped-remote-${mapping.jira}`}>
            {unmappedRemote.map((v) => (v.label === v.value ? v.value : `${v.label} (${v.value})`)).join(', ')}: a{' '}
            {remoteName} item with {unmappedRemote.length === 1 ? 'this value' : 'one of these'} cannot send its{' '}
            {mapping.remote} to Jira, and says so on the issue.
          </p>
        </SectionMessage>
      )}
      {found.length > 0 && (
        <Stack space="space.050" testId={`value-map-problems-${index}`}>
          {[...new Set(found)].map((m) => (
            <Text key={m} color="color.text.danger">{`${row}, value map: ${m}`}</Text>
          ))}
        </Stack>
      )}
    </Stack>
  );
}

/**
 * A field the remote computes from others (ServiceNow's priority from impact and urgency): for each of its values,
 * the inputs Crosswalk writes, from the remote's own values of each input. It starts as the remote's default lookup;
 * an admin changes a pair to match the instance's own rules. The field itself is read as the remote computes it.
 */
function DerivedMatrixEditor(props: {
  index: number;
  row: string;
  definition: DerivedFieldDefinition;
  matrix: DerivedMatrix | undefined;
  remote: RemoteMetadata;
  onChange(matrix: DerivedMatrix): void;
}) {
  const { definition: def, remote } = props;
  const matrix = matrixFor(def, props.matrix);
  const fieldOf = (id: string) => remote.fields.find((f) => f.id === id);
  const nameOf = (id: string) => fieldOf(id)?.name ?? id;
  const labelOf = (id: string, value: string) => {
    const known = fieldOf(id)?.values?.find((v) => v.value === value);
    return known && known.label !== value ? known.label : value;
  };
  // An input's values: the remote's list, else the values its lookup uses.
  const optionsOf = (input: string) =>
    (fieldOf(input)?.values?.length
      ? fieldOf(input)!.values!.map((v) => v.value)
      : [...new Set(def.lookup.map((l) => l.inputs[input] ?? ''))].filter(Boolean)
    ).map((v) => ({ value: v, label: labelOf(input, v) === v ? v : `${labelOf(input, v)} (${v})` }));
  const choose = (value: string, input: string, chosen: string) =>
    props.onChange({
      inputs: matrix.inputs,
      write: matrix.write.map((w) => (w.value === value ? { value, set: { ...w.set, [input]: chosen } } : w)),
    });
  const differs = matrixDisagreements(def, matrix, remote.label);
  const inputs = def.inputs.map(nameOf).join(' and ');
  return (
    <Box paddingInlineStart="space.400" paddingBlockEnd="space.100">
      <Stack space="space.100" testId={`derived-${props.index}`}>
        <Text as="p" weight="semibold">{`How Crosswalk sets ${remote.label}'s ${nameOf(def.field)}`}</Text>
        <Text as="p" color="color.text.subtle">
          {`${def.description}, so Crosswalk writes the ${inputs} below for each ${nameOf(def.field)} and reads the ${nameOf(def.field)} ${remote.label} computes. The pairs are ${remote.label}'s default lookup; change one to match your instance's own rules.`}
        </Text>
        <DynamicTable
          label={`${nameOf(def.field)} and the ${inputs} written for it, ${props.row}`}
          head={{
            cells: [
              { key: def.field, content: `${remote.label} ${nameOf(def.field)}` },
              ...def.inputs.map((input) => ({ key: input, content: `${nameOf(input)} written` })),
            ],
          }}
          rows={matrix.write.map((w) => ({
            key: w.value,
            testId: `derived-${props.index}-${w.value}`,
            cells: [
              { key: def.field, content: labelOf(def.field, w.value) },
              ...def.inputs.map((input) => {
                const options = optionsOf(input);
                return {
                  key: input,
                  content: (
                    <Select
                      inputId={`fields.${props.index}.derived.${w.value}.${input}`}
                      aria-label={`${nameOf(input)} written for ${nameOf(def.field)} ${labelOf(def.field, w.value)}, ${props.row}`}
                      options={options}
                      value={options.find((o) => o.value === w.set[input]) ?? null}
                      onChange={(o) => o && choose(w.value, input, o.value)}
                      spacing="compact"
                    />
                  ),
                };
              }),
            ],
          }))}
        />
        {differs.length > 0 && (
          <SectionMessage appearance="warning" title={`Not ${remote.label}'s default lookup`}>
            <p data-testid={`derived-differs-${props.index}`}>
              {`${differs.join('; ')}. Where your instance computes it so too, the issue will say the value was not taken.`}
            </p>
          </SectionMessage>
        )}
      </Stack>
    </Box>
  );
}

/** The remote field a Jira field most likely pairs with (suggest.ts), offered, never applied unasked. */
function FieldSuggestionHint(props: {
  index: number;
  mapping: FieldMapping;
  jiraName: string;
  jiraValues: string[];
  remote: RemoteMetadata;
  taken: ReadonlySet<string>;
  onApply(change: Partial<FieldMapping>): void;
}) {
  const s = suggestRemoteField({ id: props.mapping.jira, name: props.jiraName }, props.remote.fields, props.taken);
  if (!s) return null;
  const apply = () => {
    const valueMap = s.transform === 'value-map' ? suggestValueMap(props.jiraValues, s.remote.values ?? []) : undefined;
    props.onApply({
      remote: s.remote.id,
      ...(s.transform ? { transform: s.transform } : {}),
      ...(valueMap ? { valueMap } : {}),
    });
  };
  return (
    <Inline space="space.100" alignBlock="center" testId={`suggestion-${props.index}`}>
      <Text color="color.text.subtle">{`Suggested: ${s.remote.name} (${s.remote.id}), ${s.why}.`}</Text>
      <Button appearance="subtle" onClick={apply} aria-label={`Use ${s.remote.name} for ${props.jiraName}`}>
        Use it
      </Button>
    </Inline>
  );
}

export function MappingEditor({
  fields,
  problems,
  meta,
  remote,
  onChange,
}: {
  fields: FieldMapping[];
  problems: Problem[];
  meta: JiraMetadata | undefined;
  remote?: RemoteMetadata | undefined;
  onChange(fields: FieldMapping[]): void;
}) {
  const set = (i: number, change: Partial<FieldMapping>) =>
    onChange(fields.map((f, j) => (j === i ? { ...f, ...change } : f)));
  /**
   * A pair whose field changed gets its Values from the two sides' allowed values, the same way for every field
   * (suggest.ts valuesNeedAMap): a map, pre-filled by name where the remote's values are known, when they differ.
   */
  const pairWith = (i: number, change: Pick<FieldMapping, 'jira'> | Pick<FieldMapping, 'remote'>) => {
    const next = { ...fields[i]!, ...change };
    const jiraValues = meta?.values[next.jira];
    const remoteValues = remote?.fields.find((x) => x.id === next.remote)?.values;
    if (valuesNeedAMap(jiraValues, remoteValues)) {
      if (next.transform !== 'value-map' || !next.valueMap?.length)
        Object.assign(next, {
          transform: 'value-map',
          valueMap: next.valueMap?.length ? next.valueMap : suggestValueMap(jiraValues ?? [], remoteValues ?? []),
        });
    } else if (next.transform === 'value-map') {
      delete next.valueMap;
      next.transform = 'none';
    }
    // A Jira document crosses as rich text whatever the remote keeps (HTML or plain text); nothing else does.
    const jiraKind = meta?.fields.find((x) => x.id === next.jira)?.kind;
    if (jiraKind === 'rich-text' && (!next.transform || next.transform === 'none' || next.transform === 'text'))
      next.transform = 'rich-text';
    else if (jiraKind && jiraKind !== 'rich-text' && next.transform === 'rich-text') next.transform = 'none';
    // A field the remote computes is written through its inputs: the pair starts with the remote's own matrix.
    const computed = derivedOf(remote, next.remote);
    if (computed) next.derived = matrixFor(computed, next.derived);
    else delete next.derived;
    onChange(fields.map((f, j) => (j === i ? next : f)));
  };
  const fieldOptions = (meta?.fields ?? []).map((f) => ({ value: f.id, label: `${f.name} (${f.id})` }));
  const jiraFieldName = (id: string) => meta?.fields.find((x) => x.id === id)?.name;
  // Pairs listed twice, or a status without a map, are shown at their row as the admin types (the server's rule).
  const live = fieldPairProblems(fields)
    .map((p) => ({ path: `fields.${p.index}.${p.side}`, message: p.message }))
    .filter((l) => !problems.some((p) => p.path === l.path && p.message === l.message));
  const shown = [...problems, ...live];
  return (
    <Stack space="space.300">
      {fields.map((f, i) => {
        const direction = DIRECTIONS.find((d) => d.value === (f.direction ?? 'both'));
        const transform = TRANSFORMS.find((t) => t.value === (f.transform ?? 'none'));
        const row = rowName(i, f, { jiraFieldName });
        const jiraErrors = problemsAt(shown, `fields.${i}.jira`);
        const own = problemsAt(shown, `fields.${i}`).filter(
          (m) =>
            !problemsAt(shown, `fields.${i}.jira`).includes(m) &&
            !problemsAt(shown, `fields.${i}.remote`).includes(m) &&
            !problemsAt(shown, `fields.${i}.valueMap`).includes(m) &&
            !problemsAt(shown, `fields.${i}.template`).includes(m) &&
            // The rules editor shows its own, and a direction the rules need, where the rules are.
            !(f.rules?.length && problemsAt(shown, `fields.${i}.direction`).includes(m)) &&
            !problemsAt(shown, `fields.${i}.rules`).includes(m) &&
            !problemsAt(shown, `fields.${i}.fallback`).includes(m),
        );
        return (
          <Stack space="space.100" key={i} testId={`mapping-${i}`}>
            <Inline space="space.100" alignBlock="end" shouldWrap>
              {fieldOptions.length ? (
                <Stack space="space.050">
                  <Label htmlFor={`fields.${i}.jira`}>{`Jira field ${i + 1}`}</Label>
                  <Select
                    inputId={`fields.${i}.jira`}
                    options={fieldOptions}
                    value={
                      fieldOptions.find((o) => o.value === f.jira) ?? (f.jira ? { value: f.jira, label: f.jira } : null)
                    }
                    onChange={(o) => pairWith(i, { jira: o?.value ?? '' })}
                    isInvalid={jiraErrors.length > 0}
                  />
                  {jiraErrors.map((m) => (
                    <Text key={m} color="color.text.danger">
                      {m}
                    </Text>
                  ))}
                </Stack>
              ) : (
                <TextField
                  id={`fields.${i}.jira`}
                  label={`Jira field ${i + 1}`}
                  value={f.jira}
                  errors={jiraErrors}
                  onChange={(v) => pairWith(i, { jira: v })}
                />
              )}
              <Stack space="space.050">
                <Label htmlFor={`fields.${i}.direction`}>Direction</Label>
                <Select
                  inputId={`fields.${i}.direction`}
                  aria-label={`Direction of ${row}`}
                  options={DIRECTIONS}
                  value={direction}
                  onChange={(o) => set(i, { direction: o?.value })}
                />
              </Stack>
              {remote ? (
                <RemoteFieldPicker
                  id={`fields.${i}.remote`}
                  label={`${remote.label} field ${i + 1}`}
                  value={f.remote}
                  remote={remote}
                  jiraKind={
                    f.transform === 'user' || f.transform === 'rich-text'
                      ? undefined
                      : meta?.fields.find((x) => x.id === f.jira)?.kind
                  }
                  errors={problemsAt(shown, `fields.${i}.remote`)}
                  onChange={(v) => pairWith(i, { remote: v })}
                />
              ) : (
                <TextField
                  id={`fields.${i}.remote`}
                  label={`Remote field ${i + 1}`}
                  value={f.remote}
                  errors={problemsAt(shown, `fields.${i}.remote`)}
                  onChange={(v) => set(i, { remote: v })}
                />
              )}
              <Stack space="space.050">
                <Label htmlFor={`fields.${i}.transform`}>Values</Label>
                <Select
                  inputId={`fields.${i}.transform`}
                  aria-label={`Values of ${row}`}
                  options={TRANSFORMS}
                  value={transform}
                  onChange={(o) =>
                    set(i, {
                      transform: o?.value,
                      ...(o?.value === 'value-map' && !f.valueMap ? { valueMap: [] } : {}),
                    })
                  }
                />
              </Stack>
              <Stack space="space.050">
                <Label htmlFor={`fields.${i}.conflictPolicy`}>When both changed</Label>
                <Select
                  inputId={`fields.${i}.conflictPolicy`}
                  aria-label={`When both changed, for ${row}`}
                  options={FIELD_POLICIES}
                  value={FIELD_POLICIES.find((p) => p.value === (f.conflictPolicy ?? ''))}
                  onChange={(o) => {
                    const { conflictPolicy: _old, ...rest } = f;
                    onChange(
                      fields.map((g, j) =>
                        j === i ? { ...rest, ...(o?.value ? { conflictPolicy: o.value } : {}) } : g,
                      ),
                    );
                  }}
                />
              </Stack>
              <Button
                appearance="subtle"
                onClick={() => onChange(fields.filter((_, j) => j !== i))}
                isDisabled={fields.length === 1}
                aria-label={`Remove field ${i + 1}`}
              >
                Remove
              </Button>
            </Inline>
            {remote && !remote.loading && f.jira && !f.remote && (
              <FieldSuggestionHint
                index={i}
                mapping={f}
                jiraName={meta?.fields.find((x) => x.id === f.jira)?.name ?? f.jira}
                jiraValues={meta?.values[f.jira] ?? []}
                remote={remote}
                taken={new Set(fields.map((x) => x.remote).filter(Boolean))}
                onApply={(change) => set(i, change)}
              />
            )}
            {f.transform === 'value-map' && !f.rules?.length && (
              <Box paddingInlineStart="space.400" paddingBlockEnd="space.100">
                <Stack space="space.200">
                  <ValueMap
                    index={i}
                    row={row}
                    mapping={f}
                    jiraValues={meta?.values[f.jira] ?? []}
                    remote={remote}
                    problems={shown}
                    onChange={(valueMap) => set(i, { valueMap })}
                  />
                  {f.jira === 'status' && <StatusPaths statuses={(f.valueMap ?? []).map((e) => e.jira)} />}
                </Stack>
              </Box>
            )}
            {f.jira &&
              f.jira !== 'status' &&
              !f.template &&
              // Rules choose one value of a list (a category, a type): not for words or documents.
              !PLAIN_TEXT.has(meta?.fields.find((x) => x.id === f.jira)?.kind ?? '') &&
              (!f.transform || f.transform === 'none' || f.transform === 'text' || f.transform === 'value-map') && (
                <RulesEditor
                  index={i}
                  row={row}
                  mapping={f}
                  jiraName={jiraFieldName(f.jira) ?? f.jira}
                  sources={{
                    remoteLabel: remote?.label ?? 'the remote',
                    jiraFields: fieldOptions,
                    jiraValues: (field) =>
                      field === 'issuetype' ? (meta?.issueTypes ?? []) : (meta?.values[field] ?? []),
                    remoteFields: remote?.fields ?? [],
                  }}
                  problems={shown}
                  onChange={(change) => {
                    const { rules: _r, fallback: _f, ...rest } = f;
                    // The rules give the target's own values: a value map has nothing to map then.
                    if (change.rules?.length) {
                      delete rest.valueMap;
                      if (rest.transform === 'value-map') rest.transform = 'none';
                    }
                    const next = {
                      ...rest,
                      ...(change.direction ? { direction: change.direction } : {}),
                      ...(change.rules?.length ? { rules: change.rules } : {}),
                      ...(change.rules?.length && change.fallback ? { fallback: change.fallback } : {}),
                    };
                    onChange(fields.map((g, j) => (j === i ? next : g)));
                  }}
                />
              )}
            {f.jira &&
              f.jira !== 'status' &&
              !f.rules?.length &&
              (!f.transform || f.transform === 'none' || f.transform === 'text') &&
              PLAIN_TEXT.has(meta?.fields.find((x) => x.id === f.jira)?.kind ?? 'text') && (
                <TemplateEditor
                  index={i}
                  row={row}
                  mapping={f}
                  remoteLabel={remote?.label ?? 'the remote'}
                  problems={shown}
                  onChange={(template) => {
                    const { template: _old, ...rest } = f;
                    onChange(fields.map((g, j) => (j === i ? { ...rest, ...(template ? { template } : {}) } : g)));
                  }}
                />
              )}
            {derivedOf(remote, f.remote) && remote && (
              <DerivedMatrixEditor
                index={i}
                row={row}
                definition={derivedOf(remote, f.remote)!}
                matrix={f.derived}
                remote={remote}
                onChange={(derived) => set(i, { derived })}
              />
            )}
            {own.map((m) => (
              <Text key={m} color="color.text.danger">
                {m}
              </Text>
            ))}
          </Stack>
        );
      })}
      <Inline>
        <Button onClick={() => onChange([...fields, { jira: '', remote: '', direction: 'both' }])}>Add a field</Button>
      </Inline>
    </Stack>
  );
}

const OPS = [
  { value: '=', label: '=' },
  { value: '!=', label: '!=' },
  { value: 'starts-with', label: 'starts with' },
  { value: 'contains', label: 'contains' },
  { value: 'IN', label: 'is one of' },
  { value: 'NOT IN', label: 'is not one of' },
];
const isList = (op: string) => op === 'IN' || op === 'NOT IN';

/** As the server bounds them (src/mapping/connection-config.ts): entries of a filter, and conditions of an OR group. */
const MAX_ENTRIES = 20;
const MAX_IN_GROUP = 10;

/** The condition with another op: a value becomes a list of one and back, so nothing picked is lost. */
function withOp(c: RemoteCondition, op: string): RemoteCondition {
  if (isList(op)) return { field: c.field, op, values: c.values ?? (c.value ? [c.value] : []) };
  return { field: c.field, op, value: c.value ?? c.values?.[0] ?? '' };
}

const blank = (): RemoteCondition => ({ field: '', op: '=', value: '' });

/** Several of a remote field's values, from its allowed values (label with the stored value), or typed. */
function RemoteValuesPicker(props: {
  id: string;
  label: string;
  ariaLabel: string;
  values: string[];
  options: Array<{ value: string; label: string }>;
  remoteLabel: string;
  errors: string[];
  onChange(values: string[]): void;
}) {
  const options = props.options.map((v) => ({
    value: v.value,
    label: v.label === v.value ? v.value : `${v.label} (${v.value})`,
  }));
  const chosen = props.values.map((v) => options.find((o) => o.value === v) ?? { value: v, label: v });
  return (
    <Stack space="space.050">
      <Label htmlFor={props.id}>{props.label}</Label>
      <CreatableSelect<Option, true>
        inputId={props.id}
        aria-label={props.ariaLabel}
        isMulti
        options={options}
        value={chosen}
        onChange={(picked) => props.onChange(picked.map((o) => o.value))}
        onCreateOption={(typed: string) => {
          const value = typed.trim();
          if (value && !props.values.includes(value)) props.onChange([...props.values, value]);
        }}
        formatCreateLabel={(typed: string) => `Use "${typed}" (not in ${props.remoteLabel}'s list)`}
        noOptionsMessage={() => `Type a value to use it`}
        placeholder="Pick or type values"
        isInvalid={props.errors.length > 0}
      />
      {props.errors.map((m) => (
        <Text key={m} color="color.text.danger">
          {m}
        </Text>
      ))}
    </Stack>
  );
}

/**
 * One condition: a remote field, how it compares, and a value or (for "is one of" and "is not one of") several.
 * `path` is where it sits in the settings (`remoteFilter.0`, `remoteFilter.1.anyOf.0`), its controls' ids too;
 * `names` says which condition each control serves, as its accessible name.
 */
function ConditionRow(props: {
  path: string;
  condition: RemoteCondition;
  names: { field: string; op: string; value: string; values: string; remove: string };
  /** The visible labels, where a group's rows need not repeat what the group says. */
  visible: { field: string; op: string; value: string; values: string };
  remote: RemoteMetadata | undefined;
  problems: Problem[];
  onChange(c: RemoteCondition): void;
  onRemove(): void;
}) {
  const { path, condition: c, names, visible } = props;
  const set = (change: Partial<RemoteCondition>) => props.onChange({ ...c, ...change });
  const listed = props.remote?.fields.find((f) => f.id === c.field)?.values ?? [];
  const remoteLabel = props.remote?.label ?? 'remote';
  const own = props.problems.filter((p) => p.path === path || p.path === `${path}.op`).map((p) => p.message);
  return (
    <Stack space="space.050">
      <Inline space="space.100" alignBlock="end" shouldWrap>
        {props.remote ? (
          <CreatablePicker
            id={`${path}.field`}
            label={visible.field}
            ariaLabel={names.field}
            value={c.field}
            options={props.remote.fields.map((f) => fieldOption(f))}
            remoteLabel={props.remote.label}
            errors={problemsAt(props.problems, `${path}.field`)}
            isLoading={props.remote.loading}
            placeholder={`Choose ${/^[AEIOU]/.test(props.remote.label) ? 'an' : 'a'} ${props.remote.label} field`}
            onChange={(field) => set({ field })}
          />
        ) : (
          <TextField
            id={`${path}.field`}
            label={visible.field}
            value={c.field}
            errors={problemsAt(props.problems, `${path}.field`)}
            onChange={(field) => set({ field })}
          />
        )}
        <Stack space="space.050">
          <Label htmlFor={`${path}.op`}>{visible.op}</Label>
          <Select
            inputId={`${path}.op`}
            aria-label={names.op}
            options={OPS}
            value={OPS.find((o) => o.value === c.op)}
            onChange={(o) => props.onChange(withOp(c, o?.value ?? '='))}
          />
        </Stack>
        {isList(c.op) ? (
          <RemoteValuesPicker
            id={`${path}.values`}
            label={visible.values}
            ariaLabel={names.values}
            values={c.values ?? []}
            options={listed}
            remoteLabel={remoteLabel}
            errors={problemsAt(props.problems, `${path}.values`)}
            onChange={(values) => set({ values })}
          />
        ) : listed.length && (c.op === '=' || c.op === '!=') ? (
          // Only `=` and `!=` compare whole values; the others match text, which is typed.
          <CreatablePicker
            id={`${path}.value`}
            label={visible.value}
            ariaLabel={names.value}
            value={c.value ?? ''}
            options={listed.map((v) => ({
              value: v.value,
              label: v.label === v.value ? v.value : `${v.label} (${v.value})`,
            }))}
            remoteLabel={remoteLabel}
            errors={problemsAt(props.problems, `${path}.value`)}
            onChange={(value) => set({ value })}
          />
        ) : (
          <TextField
            id={`${path}.value`}
            label={visible.value}
            value={c.value ?? ''}
            errors={problemsAt(props.problems, `${path}.value`)}
            onChange={(value) => set({ value })}
          />
        )}
        <Button appearance="subtle" onClick={props.onRemove} aria-label={names.remove}>
          Remove
        </Button>
      </Inline>
      {own.map((m) => (
        <Text key={m} color="color.text.danger">
          {m}
        </Text>
      ))}
    </Stack>
  );
}

/**
 * Remote conditions: every entry must hold, an entry being a condition or an OR group (any of its conditions holds).
 * `remoteFilter` (the default): which remote items create Jira issues (none = no remote item does), and of which
 * type. `linkFilter`: which further remote items people may link an issue to by hand (none = only those that create
 * issues, and each issue's own item). A field's values come from the remote's own lists, and can be typed when the
 * remote lists none.
 */
export function RemoteFilterEditor(props: {
  name?: 'remoteFilter' | 'linkFilter';
  conditions: RemoteFilterEntry[];
  issueType?: string;
  meta: JiraMetadata | undefined;
  remote?: RemoteMetadata | undefined;
  problems: Problem[];
  onChange(change: {
    remoteFilter?: RemoteFilterEntry[];
    linkFilter?: RemoteFilterEntry[];
    jiraIssueType?: string;
  }): void;
}) {
  const { conditions } = props;
  const name = props.name ?? 'remoteFilter';
  const linking = name === 'linkFilter';
  // The two lists share a page: the link list's controls say so in their names.
  const noun = linking ? 'link condition' : 'condition';
  const Noun = linking ? 'Link condition' : 'Condition';
  const group = linking ? 'link OR group' : 'OR group';
  const Group = linking ? 'Link OR group' : 'OR group';
  const remoteField = `${linking ? 'Linkable ' : ''}${props.remote?.label ?? (linking ? 'remote' : 'Remote')} field`;
  const valueWord = linking ? 'Linkable value' : 'Value';
  const valuesWord = linking ? 'Linkable values' : 'Values';
  const issueType = props.issueType ?? 'Task';
  const change = (next: RemoteFilterEntry[]) => props.onChange({ [name]: next });
  const setEntry = (i: number, e: RemoteFilterEntry) => change(conditions.map((x, j) => (j === i ? e : x)));
  const removeEntry = (i: number) => change(conditions.filter((_, j) => j !== i));
  const types = (props.meta?.issueTypes.length ? props.meta.issueTypes : [issueType]).map((t) => ({
    value: t,
    label: t,
  }));
  const grouped = conditions.some(isAnyOf);
  const every = grouped ? 'every condition, and at least one condition of each OR group,' : 'every condition';
  const intro = linking
    ? conditions.length
      ? `Remote items matching ${every} may also be linked to an issue by hand, from the issue panel; they create no issue.`
      : 'Only the remote items that create issues, and the item made for each issue, can be linked by hand; add a condition to open more.'
    : conditions.length
      ? `Remote items matching ${every} create a Jira issue.`
      : 'No remote item creates a Jira issue; add a condition to let them.';
  const full = conditions.length >= MAX_ENTRIES;
  return (
    <Stack space="space.150">
      <Text as="p" color="color.text.subtle">
        {intro}
      </Text>
      {conditions.map((entry, i) => {
        if (!isAnyOf(entry)) {
          const n = i + 1;
          return (
            <ConditionRow
              key={i}
              path={`${name}.${i}`}
              condition={entry}
              names={{
                field: `${remoteField} ${n}`,
                op: `${Noun} ${n}`,
                value: `${valueWord} ${n}`,
                values: `${valuesWord} ${n}`,
                remove: `Remove ${noun} ${n}`,
              }}
              visible={{
                field: `${remoteField} ${n}`,
                op: Noun,
                value: `${valueWord} ${n}`,
                values: `${valuesWord} ${n}`,
              }}
              remote={props.remote}
              problems={props.problems}
              onChange={(c) => setEntry(i, c)}
              onRemove={() => removeEntry(i)}
            />
          );
        }
        const g = i + 1;
        const path = `${name}.${i}.anyOf`;
        const own = props.problems.filter((p) => p.path === `${name}.${i}` || p.path === path).map((p) => p.message);
        const setIn = (j: number, c: RemoteCondition) =>
          setEntry(i, { anyOf: entry.anyOf.map((x, k) => (k === j ? c : x)) });
        // A group of one is a condition: removing the last but one leaves it as a plain condition.
        const removeIn = (j: number) => {
          const rest = entry.anyOf.filter((_, k) => k !== j);
          setEntry(i, rest.length === 1 ? rest[0]! : { anyOf: rest });
        };
        return (
          <Box key={i} backgroundColor="color.background.neutral" padding="space.150" testId={`${name}-group-${i}`}>
            <div role="group" aria-labelledby={`${path}-heading`}>
              <Stack space="space.100">
                <Inline space="space.100" alignBlock="center" spread="space-between">
                  <Text weight="bold" id={`${path}-heading`}>
                    {`${Group} ${g}: at least one of these holds`}
                  </Text>
                  <Button appearance="subtle" onClick={() => removeEntry(i)} aria-label={`Remove ${group} ${g}`}>
                    {`Remove ${group}`}
                  </Button>
                </Inline>
                {entry.anyOf.map((c, j) => {
                  const n = j + 1;
                  const of = `${n} of ${group} ${g}`;
                  return (
                    <Stack space="space.100" key={j}>
                      {j > 0 && (
                        <Text size="small" weight="bold" color="color.text.subtle">
                          or
                        </Text>
                      )}
                      <ConditionRow
                        path={`${path}.${j}`}
                        condition={c}
                        names={{
                          field: `${remoteField} ${of}`,
                          op: `${Noun} ${of}`,
                          value: `${valueWord} ${of}`,
                          values: `${valuesWord} ${of}`,
                          remove: `Remove ${noun} ${of}`,
                        }}
                        visible={{ field: remoteField, op: Noun, value: valueWord, values: valuesWord }}
                        remote={props.remote}
                        problems={props.problems}
                        onChange={(next) => setIn(j, next)}
                        onRemove={() => removeIn(j)}
                      />
                    </Stack>
                  );
                })}
                {own.map((m) => (
                  <Text key={m} color="color.text.danger">
                    {m}
                  </Text>
                ))}
                <Inline>
                  <Button
                    isDisabled={entry.anyOf.length >= MAX_IN_GROUP}
                    onClick={() => setEntry(i, { anyOf: [...entry.anyOf, blank()] })}
                  >
                    {`Add a ${noun} to ${group} ${g}`}
                  </Button>
                </Inline>
              </Stack>
            </div>
          </Box>
        );
      })}
      <Inline space="space.200" alignBlock="end" shouldWrap>
        <Button isDisabled={full} onClick={() => change([...conditions, blank()])}>
          Add a {noun}
        </Button>
        <Button isDisabled={full} onClick={() => change([...conditions, { anyOf: [blank(), blank()] }])}>
          {linking ? 'Add a link OR group' : 'Add an OR group'}
        </Button>
        {!linking && (
          <Stack space="space.050">
            <Label htmlFor="jiraIssueType">Jira issue type they create</Label>
            <Select
              inputId="jiraIssueType"
              options={types}
              value={types.find((t) => t.value === issueType) ?? { value: issueType, label: issueType }}
              onChange={(o) => props.onChange({ jiraIssueType: o?.value ?? issueType })}
            />
          </Stack>
        )}
      </Inline>
    </Stack>
  );
}
