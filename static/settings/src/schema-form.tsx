/**
 * A form drawn from a system's settings shape: the JSON Schema of its registry
 * entry's `remoteSchema` (listConnections().systems). Strings are text fields,
 * a choice of values (an enum, or options given as constants with their own
 * title and description) is a dropdown that explains the chosen option, an
 * object choice told apart by a constant `kind` (a sign-in method) is a
 * dropdown followed by that method's own fields, a single object is its
 * fields, a boolean a checkbox. Labels, explanations and examples are the
 * schema's own: nothing here names a system.
 */
import { Checkbox } from '@atlaskit/checkbox';
import { ErrorMessage, HelperMessage, Label } from '@atlaskit/form';
import { Stack, Text } from '@atlaskit/primitives/compiled';
import Select from '@atlaskit/select';
import { problemsAt, TextField, type Problem } from '../../shared/ui';
import { choicesOf, humanize, initialValue, kindOf, labelOf, objectVariants } from './settings-shape';
import type { JsonSchema } from './types';

export interface FieldHint {
  placeholder?: string;
  helper?: string;
}

/** Inputs for the properties `keys` of one object of the settings shape (all of them when `keys` is absent). */
export function SchemaFields(props: {
  schema: JsonSchema;
  value: Record<string, unknown>;
  path: string;
  problems: readonly Problem[];
  keys?: readonly string[];
  hints?: Readonly<Record<string, FieldHint>>;
  onChange(value: Record<string, unknown>): void;
}) {
  const { schema, value, path, problems, onChange } = props;
  const required = new Set(schema.required ?? []);
  const keys = (props.keys ?? Object.keys(schema.properties ?? {})).filter((k) => schema.properties?.[k]);
  const set = (key: string, v: unknown) => {
    const next = { ...value, [key]: v };
    // An optional setting left empty is absent, not "" (which the server would refuse as too short).
    if (v === undefined || (v === '' && !required.has(key))) delete next[key];
    onChange(next);
  };
  return (
    <Stack space="space.200">
      {keys.map((key) => {
        const prop = schema.properties![key]!;
        const id = `${path}.${key}`;
        const label = labelOf(key, prop);
        if (prop.const !== undefined) return null;
        const variants = objectVariants(prop);
        if (variants || (prop.type === 'object' && prop.properties)) {
          const current = (value[key] as Record<string, unknown> | undefined) ?? {};
          const kind = (current.kind as string | undefined) ?? (variants ? kindOf(variants[0]!) : undefined);
          const variant = variants ? (variants.find((v) => kindOf(v) === kind) ?? variants[0]!) : prop;
          const options = (variants ?? []).map((v) => ({ value: kindOf(v)!, label: v.title ?? humanize(kindOf(v)!) }));
          return (
            <Stack space="space.200" key={key}>
              {options.length > 1 ? (
                <Stack space="space.050">
                  <Label htmlFor={`${id}.kind`}>{label}</Label>
                  <Select
                    inputId={`${id}.kind`}
                    options={options}
                    value={options.find((o) => o.value === kind)}
                    onChange={(o) => {
                      const chosen = variants!.find((v) => kindOf(v) === o?.value);
                      if (chosen) set(key, initialValue(chosen));
                    }}
                  />
                </Stack>
              ) : (
                // The only method is named, not offered (its title is the setting's own, so the shared name leads).
                variant.title && (
                  <Text as="p" testId={`${id}-method`}>{`${labelOf(key, undefined)}: ${variant.title}`}</Text>
                )
              )}
              <SchemaFields
                schema={variant}
                value={{ ...current, ...(kind ? { kind } : {}) }}
                path={id}
                problems={problems}
                hints={props.hints}
                onChange={(v) => set(key, v)}
              />
              {problems
                .filter((p) => p.path === id)
                .map((p) => (
                  <ErrorMessage key={p.message}>{`${label}: ${p.message}`}</ErrorMessage>
                ))}
            </Stack>
          );
        }
        const choices = choicesOf(prop);
        if (choices) {
          const chosen = choices.find((c) => c.value === value[key]);
          const explained = choices.filter((c) => c.description);
          const errors = problemsAt(problems, id);
          return (
            <Stack space="space.050" key={key}>
              <Label htmlFor={id}>{label}</Label>
              <Select
                inputId={id}
                options={choices}
                value={chosen ?? null}
                isInvalid={errors.length > 0}
                aria-describedby={prop.description || explained.length ? `${id}-explained` : undefined}
                onChange={(o) => set(key, o?.value)}
              />
              {(prop.description || explained.length > 0) && (
                // Each option says what it does, so the admin knows before choosing.
                <div id={`${id}-explained`} data-testid={`${id}-explained`}>
                  <HelperMessage>
                    <span>
                      {prop.description}
                      {explained.map((c) => (
                        <span key={c.value}>
                          {' '}
                          <strong>{c.label}:</strong> {c.description}
                        </span>
                      ))}
                    </span>
                  </HelperMessage>
                </div>
              )}
              {errors.map((m) => (
                <ErrorMessage key={m}>{m}</ErrorMessage>
              ))}
            </Stack>
          );
        }
        if (prop.type === 'boolean')
          return (
            <Checkbox
              key={key}
              label={label}
              isChecked={Boolean(value[key])}
              onChange={(e) => set(key, e.target.checked)}
            />
          );
        // Lists the schema may hold beyond these keep their defaults (the server fills them).
        if (prop.type !== 'string' && prop.type !== 'number' && prop.type !== 'integer') return null;
        const hint = props.hints?.[key];
        const example = prop.examples?.[0];
        return (
          <TextField
            key={key}
            id={id}
            label={label}
            value={String(value[key] ?? '')}
            isRequired={required.has(key)}
            type={prop.format === 'uri' ? 'url' : 'text'}
            placeholder={hint?.placeholder ?? (example !== undefined ? `e.g. ${String(example)}` : undefined)}
            helper={[prop.description, hint?.helper].filter(Boolean).join(' ') || undefined}
            errors={problemsAt(problems, id)}
            onChange={(v) =>
              set(key, prop.type === 'string' || v === '' || !Number.isFinite(Number(v)) ? v : Number(v))
            }
          />
        );
      })}
    </Stack>
  );
}
