/**
 * The type map (src/mapping/item-types.ts): which Jira issue types this connection pairs with which of the remote's
 * types (its registry entry names the field that tells them: Azure DevOps work item types, Zendesk ticket types,
 * ServiceNow categories), each with fields and defaults of its own beside the shared ones: its own status map above
 * all, as workflows differ per type on both sides. Without a row the connection is a single-type map, as before.
 * The remote's types and each type's own fields and values come from the remote's live metadata.
 */
import { useState } from 'react';
import Button from '@atlaskit/button/new';
import { Label } from '@atlaskit/form';
import { Box, Inline, Stack, Text } from '@atlaskit/primitives/compiled';
import Select from '@atlaskit/select';
import { problemsAt, TextField, type Problem } from '../../shared/ui';
import { MappingEditor, useRemoteMetadata, type JiraMetadata, type RemoteMetadata } from './mapping';
import { CreateDefaultsEditor, type CreateDefault } from './create-defaults';
import type { FieldMapping } from './types';

export interface ItemType {
  jira: string;
  remote: string;
  fields: FieldMapping[];
  createDefaults: CreateDefault[];
}

/** What the type map leaves alone, as the server counted it (store/other-types.ts). */
export interface OtherType {
  side: 'jira' | 'remote';
  type: string;
  count: number;
}

/** Problems of one type, at paths its own editors know (`types.1.fields.0.remote` → `fields.0.remote`). */
const within = (problems: readonly Problem[], prefix: string): Problem[] =>
  problems.filter((p) => p.path.startsWith(`${prefix}.`)).map((p) => ({ ...p, path: p.path.slice(prefix.length + 1) }));

function Errors({ messages }: { messages: string[] }) {
  return (
    <>
      {messages.map((m) => (
        <Text key={m} color="color.text.danger">
          {m}
        </Text>
      ))}
    </>
  );
}

export function TypeMapEditor(props: {
  types: readonly ItemType[];
  jiraIssueType: string;
  connectionId: string | undefined;
  meta: JiraMetadata | undefined;
  remote: RemoteMetadata | undefined;
  systemLabel: string;
  sharedFields: readonly FieldMapping[];
  otherTypes: readonly OtherType[];
  problems: readonly Problem[];
  onChange(types: ItemType[]): void;
}) {
  const { types, remote, systemLabel } = props;
  const typeField = remote?.itemTypes;
  const typeName = typeField?.label.toLowerCase() ?? 'type';
  const typeValues = (typeField && remote?.fields.find((f) => f.id === typeField.field)?.values) || [];
  const jiraOptions = (props.meta?.issueTypes ?? []).map((t) => ({ value: t, label: t }));
  const remoteOptions = typeValues.map((v) => ({ value: v.value, label: v.label }));
  const set = (i: number, change: Partial<ItemType>) =>
    props.onChange(types.map((t, j) => (j === i ? { ...t, ...change } : t)));
  const add = () =>
    props.onChange([
      // The first row stands for the connection as it was: its issue type.
      ...types,
      {
        jira: types.length ? '' : props.jiraIssueType,
        remote: '',
        fields: [],
        createDefaults: [],
      },
    ]);
  return (
    <Stack space="space.150" testId="type-map">
      <Text>
        {types.length
          ? `Each Jira issue type below pairs with one ${systemLabel} ${typeName}; issues and items of other types are left alone and counted here. A type's own fields and statuses replace the shared ones of the same Jira field.`
          : `Every issue the JQL takes crosses as one type: new Jira issues are ${props.jiraIssueType}s. Add types to pair Bugs, Stories and Tasks with ${systemLabel}'s own ${typeName}s, each with its own statuses.`}
      </Text>
      {types.map((t, i) => {
        const jiraErrors = problemsAt(props.problems, `types.${i}.jira`);
        const remoteErrors = problemsAt(props.problems, `types.${i}.remote`);
        return (
          <Box key={i} padding="space.150" backgroundColor="color.background.neutral.subtle" testId={`type-${i}`}>
            <Stack space="space.100">
              <Inline space="space.100" alignBlock="end" shouldWrap>
                {jiraOptions.length ? (
                  <Stack space="space.050">
                    <Label htmlFor={`types.${i}.jira`}>Jira issue type</Label>
                    <Select
                      inputId={`types.${i}.jira`}
                      options={jiraOptions.filter((o) => o.value === t.jira || !types.some((x) => x.jira === o.value))}
                      value={
                        jiraOptions.find((o) => o.value === t.jira) ??
                        (t.jira ? { value: t.jira, label: t.jira } : null)
                      }
                      onChange={(o) => set(i, { jira: o?.value ?? '' })}
                      isInvalid={jiraErrors.length > 0}
                    />
                    <Errors messages={jiraErrors} />
                  </Stack>
                ) : (
                  <TextField
                    id={`types.${i}.jira`}
                    label="Jira issue type"
                    value={t.jira}
                    errors={jiraErrors}
                    onChange={(v) => set(i, { jira: v })}
                  />
                )}
                <Text>↔</Text>
                {remoteOptions.length ? (
                  <Stack space="space.050">
                    <Label htmlFor={`types.${i}.remote`}>{`${systemLabel} ${typeName}`}</Label>
                    <Select
                      inputId={`types.${i}.remote`}
                      options={remoteOptions.filter(
                        (o) => o.value === t.remote || !types.some((x) => x.remote === o.value),
                      )}
                      value={
                        remoteOptions.find((o) => o.value === t.remote) ??
                        (t.remote ? { value: t.remote, label: t.remote } : null)
                      }
                      onChange={(o) => set(i, { remote: o?.value ?? '' })}
                      isInvalid={remoteErrors.length > 0}
                    />
                    <Errors messages={remoteErrors} />
                  </Stack>
                ) : (
                  <TextField
                    id={`types.${i}.remote`}
                    label={`${systemLabel} ${typeName}`}
                    value={t.remote}
                    errors={remoteErrors}
                    onChange={(v) => set(i, { remote: v })}
                  />
                )}
                <Button
                  appearance="subtle"
                  aria-label={`Remove type ${t.jira || i + 1}`}
                  onClick={() => props.onChange(types.filter((_, j) => j !== i))}
                >
                  Remove
                </Button>
              </Inline>
              <OwnPart
                index={i}
                type={t}
                connectionId={props.connectionId}
                meta={props.meta}
                shared={remote}
                systemLabel={systemLabel}
                sharedFields={props.sharedFields}
                problems={within(props.problems, `types.${i}`)}
                onChange={(change) => set(i, change)}
              />
            </Stack>
          </Box>
        );
      })}
      <Inline>
        <Button onClick={add}>Add a type</Button>
      </Inline>
      {props.otherTypes.length > 0 && (
        <Stack space="space.050" testId="other-types">
          <Text weight="medium">Left alone, of types the map does not name</Text>
          {props.otherTypes.map((o) => (
            <Text key={`${o.side}:${o.type}`}>
              {`${o.count} ${o.side === 'jira' ? 'Jira issue' : `${systemLabel} item`}${o.count === 1 ? '' : 's'} of ${
                o.side === 'jira' ? 'issue type' : typeName
              } ${o.type || '(none)'}`}
            </Text>
          ))}
        </Stack>
      )}
    </Stack>
  );
}

/** A type's own pairs and defaults, folded away until asked for: most types only need their own statuses. */
function OwnPart(props: {
  index: number;
  type: ItemType;
  connectionId: string | undefined;
  meta: JiraMetadata | undefined;
  shared: RemoteMetadata | undefined;
  systemLabel: string;
  sharedFields: readonly FieldMapping[];
  problems: Problem[];
  onChange(change: Partial<ItemType>): void;
}) {
  const { type } = props;
  const [open, setOpen] = useState(props.problems.length > 0 || type.fields.length > 0);
  // The type's own fields and values (its states), read once it is opened and named.
  const own = useRemoteMetadata(open && type.remote ? props.connectionId : undefined, props.systemLabel, type.remote);
  const remote = own && !own.loading && !own.problem ? own : props.shared;
  const name = type.jira || `type ${props.index + 1}`;
  const summary = type.fields.length
    ? `Own fields: ${type.fields.map((f) => props.meta?.fields.find((x) => x.id === f.jira)?.name ?? f.jira).join(', ')}`
    : 'Shares every field of the connection';
  if (!open)
    return (
      <Inline space="space.100" alignBlock="center">
        <Text color="color.text.subtle">{summary}</Text>
        <Button appearance="subtle" onClick={() => setOpen(true)} aria-label={`Own fields and statuses of ${name}`}>
          Own fields and statuses
        </Button>
      </Inline>
    );
  const statusShared = props.sharedFields.find((f) => f.jira === 'status');
  return (
    <Stack space="space.100">
      <Inline space="space.100" alignBlock="center" shouldWrap>
        <Text weight="medium">{`Fields of ${name} only`}</Text>
        {statusShared && !type.fields.some((f) => f.jira === 'status') && (
          <Button
            onClick={() => {
              // Its own status map starts from the shared one, kept to the states this type has where they are read.
              const states = remote?.fields.find((f) => f.id === statusShared.remote)?.values;
              const valueMap = (statusShared.valueMap ?? []).filter(
                (e) => !states?.length || states.some((v) => v.value === e.remote),
              );
              props.onChange({ fields: [...type.fields, { ...statusShared, valueMap }] });
            }}
          >
            {`Give ${name} its own statuses`}
          </Button>
        )}
      </Inline>
      {type.fields.length > 0 && (
        <MappingEditor
          fields={type.fields}
          problems={props.problems}
          meta={props.meta}
          remote={remote}
          onChange={(fields) => props.onChange({ fields })}
        />
      )}
      {type.fields.length === 0 && (
        <Inline>
          <Button
            appearance="subtle"
            onClick={() =>
              props.onChange({
                fields: [{ jira: '', remote: '', direction: 'both', transform: 'none' } as FieldMapping],
              })
            }
          >
            {`Add a field of ${name} only`}
          </Button>
        </Inline>
      )}
      <Text weight="medium">{`New ${props.systemLabel} items of ${name}`}</Text>
      <CreateDefaultsEditor
        defaults={type.createDefaults}
        remote={remote}
        systemLabel={props.systemLabel}
        mappedFields={new Set([...props.sharedFields, ...type.fields].map((f) => f.remote).filter(Boolean))}
        problems={props.problems}
        onChange={(createDefaults) => props.onChange({ createDefaults })}
      />
    </Stack>
  );
}

export type HierarchyDirection = 'both' | 'to-jira' | 'to-remote' | 'none';

/**
 * Whether what links items crosses, and which way: parents (src/sync/hierarchy.ts), an epic's stories and a story's
 * sub-tasks as the remote links them, or related links between peers (src/sync/related-links.ts).
 */
export function LinkDirectionChoice(props: {
  /** `hierarchy` or `relatedLinks`: the setting, and where its problems are. */
  setting: 'hierarchy' | 'relatedLinks';
  label: string;
  direction: HierarchyDirection;
  systemLabel: string;
  /** What the choice means, for none and for any other. */
  explain: { none: string; on: string };
  problems: readonly Problem[];
  onChange(direction: HierarchyDirection): void;
}) {
  const options: Array<{ value: HierarchyDirection; label: string }> = [
    { value: 'none', label: 'Not copied' },
    { value: 'both', label: 'Both ways' },
    { value: 'to-remote', label: `Jira → ${props.systemLabel} only` },
    { value: 'to-jira', label: `${props.systemLabel} → Jira only` },
  ];
  const errors = problemsAt(props.problems, props.setting);
  return (
    <Stack space="space.050" testId={props.setting}>
      <Label htmlFor={`${props.setting}.direction`}>{props.label}</Label>
      <Select
        inputId={`${props.setting}.direction`}
        options={options}
        value={options.find((o) => o.value === props.direction)}
        onChange={(o) => props.onChange(o?.value ?? 'none')}
        isInvalid={errors.length > 0}
      />
      <Text color="color.text.subtle">{props.direction === 'none' ? props.explain.none : props.explain.on}</Text>
      <Errors messages={errors} />
    </Stack>
  );
}
