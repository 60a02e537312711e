/**
 * Defaults on create (src/mapping/connection-config.ts `createDefaults`): the
 * values a remote item Crosswalk creates starts with where no mapped field
 * gives one, chosen from the remote's own fields and values as it lists them
 * (a ServiceNow assignment group by name, a Zendesk group); a field without a
 * list takes typed text. The server checks them against the same metadata.
 */
import Button from '@atlaskit/button/new';
import { Label } from '@atlaskit/form';
import { Inline, Stack, Text } from '@atlaskit/primitives/compiled';
import Select from '@atlaskit/select';
import { problemsAt, TextField, type Problem } from '../../shared/ui';
import type { RemoteMetadata } from './mapping';

export interface CreateDefault {
  field: string;
  value: string;
}

export function CreateDefaultsEditor(props: {
  defaults: readonly CreateDefault[];
  remote: RemoteMetadata | undefined;
  systemLabel: string;
  mappedFields: ReadonlySet<string>;
  problems: readonly Problem[];
  onChange(defaults: CreateDefault[]): void;
}) {
  const { defaults, remote, systemLabel } = props;
  const writable = (remote?.fields ?? []).filter((f) => !f.readOnly);
  const taken = new Set(defaults.map((d) => d.field));
  const fieldOptions = writable
    .filter((f) => !props.mappedFields.has(f.id))
    .map((f) => ({ value: f.id, label: `${f.name} (${f.id})` }));
  const set = (i: number, change: Partial<CreateDefault>) =>
    props.onChange(defaults.map((d, j) => (j === i ? { ...d, ...change } : d)));
  return (
    <Stack space="space.100">
      <Text>
        {defaults.length
          ? `New ${systemLabel} items Crosswalk creates start with these values where no mapped field gives one.`
          : `New ${systemLabel} items Crosswalk creates take only the mapped fields (and ${systemLabel}'s own defaults).`}
      </Text>
      {defaults.map((d, i) => {
        const field = writable.find((f) => f.id === d.field);
        const valueOptions = (field?.values ?? []).map((v) => ({ value: v.value, label: v.label }));
        const fieldErrors = problemsAt(props.problems, `createDefaults.${i}.field`);
        const valueErrors = problemsAt(props.problems, `createDefaults.${i}.value`);
        return (
          <Inline key={i} space="space.100" alignBlock="end" shouldWrap testId={`create-default-${i}`}>
            {fieldOptions.length ? (
              <Stack space="space.050">
                <Label htmlFor={`createDefaults.${i}.field`}>{`${systemLabel} field`}</Label>
                <Select
                  inputId={`createDefaults.${i}.field`}
                  options={fieldOptions.filter((o) => o.value === d.field || !taken.has(o.value))}
                  value={
                    fieldOptions.find((o) => o.value === d.field) ??
                    (d.field ? { value: d.field, label: d.field } : null)
                  }
                  onChange={(o) => set(i, { field: o?.value ?? '', value: '' })}
                  isInvalid={fieldErrors.length > 0}
                />
                {fieldErrors.map((m) => (
                  <Text key={m} color="color.text.danger">
                    {m}
                  </Text>
                ))}
              </Stack>
            ) : (
              <TextField
                id={`createDefaults.${i}.field`}
                label={`${systemLabel} field`}
                value={d.field}
                errors={fieldErrors}
                onChange={(v) => set(i, { field: v })}
              />
            )}
            {valueOptions.length ? (
              <Stack space="space.050">
                <Label htmlFor={`createDefaults.${i}.value`}>Value</Label>
                <Select
                  inputId={`createDefaults.${i}.value`}
                  options={valueOptions}
                  value={
                    valueOptions.find((o) => o.value === d.value) ??
                    (d.value ? { value: d.value, label: d.value } : null)
                  }
                  onChange={(o) => set(i, { value: o?.value ?? '' })}
                  isInvalid={valueErrors.length > 0}
                />
                {valueErrors.map((m) => (
                  <Text key={m} color="color.text.danger">
                    {m}
                  </Text>
                ))}
              </Stack>
            ) : (
              <TextField
                id={`createDefaults.${i}.value`}
                label="Value"
                value={d.value}
                errors={valueErrors}
                onChange={(v) => set(i, { value: v })}
              />
            )}
            <Button
              appearance="subtle"
              aria-label={`Remove default ${i + 1}`}
              onClick={() => props.onChange(defaults.filter((_, j) => j !== i))}
            >
              Remove
            </Button>
          </Inline>
        );
      })}
      <Inline>
        <Button onClick={() => props.onChange([...defaults, { field: '', value: '' }])}>Add a default</Button>
      </Inline>
    </Stack>
  );
}
