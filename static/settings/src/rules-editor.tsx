/**
 * A pair's conditional rules (src/mapping/rules.ts), under its row in the
 * mapping editor: in order, "when these fields of either side match, then
 * this value", and what to set otherwise. Rules write one way, toward the side
 * the pair's direction points to, and the editor says so in words, with what
 * happens to a change made on that side. Values are picked from each field's
 * own list where Jira or the remote gives one (issue types, priorities, a
 * remote choice), or typed; the server checks them against live metadata.
 */
import Button from '@atlaskit/button/new';
import { Label } from '@atlaskit/form';
import { Box, Inline, Stack, Text } from '@atlaskit/primitives/compiled';
import Select, { CreatableSelect } from '@atlaskit/select';
import { problemsAt, type Problem } from '../../shared/ui';
import type { FieldMapping, RemoteField, Rule, RuleCondition } from './types';

type Option = { value: string; label: string };

const OPS: Option[] = [
  { value: 'is', label: 'is' },
  { value: 'is not', label: 'is not' },
  { value: 'in', label: 'is one of' },
];

/** Where a value list comes from: Jira's issue types and priorities, a remote field's allowed values. */
export interface RuleSources {
  remoteLabel: string;
  jiraFields: Option[];
  jiraValues(field: string): string[];
  remoteFields: RemoteField[];
}

function valuesOf(sources: RuleSources, side: 'jira' | 'remote', field: string): Option[] {
  if (side === 'jira') return sources.jiraValues(field).map((v) => ({ value: v, label: v }));
  return (sources.remoteFields.find((f) => f.id === field)?.values ?? []).map((v) => ({
    value: v.value,
    label: v.label === v.value ? v.value : `${v.label} (${v.value})`,
  }));
}

/** One value or several, from the field's list or typed. */
function ValuesPicker(props: {
  id: string;
  label: string;
  ariaLabel: string;
  values: string[];
  options: Option[];
  isMulti: boolean;
  errors: string[];
  onChange(values: string[]): void;
}) {
  const chosen = props.values.map((v) => props.options.find((o) => o.value === v) ?? { value: v, label: v });
  const common = {
    inputId: props.id,
    'aria-label': props.ariaLabel,
    options: props.options,
    onCreateOption: (typed: string) => {
      const value = typed.trim();
      if (value) props.onChange(props.isMulti ? [...props.values.filter((v) => v !== value), value] : [value]);
    },
    formatCreateLabel: (typed: string) => `Use "${typed}"`,
    noOptionsMessage: () => 'Type a value to use it',
    isInvalid: props.errors.length > 0,
  };
  return (
    <Stack space="space.050">
      <Label htmlFor={props.id}>{props.label}</Label>
      {props.isMulti ? (
        <CreatableSelect<Option, true>
          {...common}
          isMulti
          value={chosen}
          placeholder="Pick or type values"
          onChange={(picked) => props.onChange(picked.map((o) => o.value))}
        />
      ) : (
        <CreatableSelect<Option, false>
          {...common}
          value={chosen[0] ?? null}
          placeholder="Pick or type a value"
          onChange={(o) => props.onChange(o ? [o.value] : [])}
        />
      )}
      {props.errors.map((m) => (
        <Text key={m} color="color.text.danger">
          {m}
        </Text>
      ))}
    </Stack>
  );
}

function ConditionRow(props: {
  path: string;
  name: string;
  condition: RuleCondition;
  sources: RuleSources;
  problems: readonly Problem[];
  canRemove: boolean;
  onChange(c: RuleCondition | undefined): void;
}) {
  const { condition: c, path, name, sources } = props;
  const sides: Option[] = [
    { value: 'jira', label: 'Jira' },
    { value: 'remote', label: sources.remoteLabel },
  ];
  const fieldOptions =
    c.side === 'jira'
      ? sources.jiraFields
      : sources.remoteFields.map((f) => ({ value: f.id, label: f.name === f.id ? f.id : `${f.name} (${f.id})` }));
  const fieldErrors = problemsAt(props.problems, `${path}.field`);
  return (
    <Inline space="space.100" alignBlock="end" shouldWrap testId={`${path}`}>
      <Stack space="space.050">
        <Label htmlFor={`${path}.side`}>Side</Label>
        <Select
          inputId={`${path}.side`}
          aria-label={`Side of ${name}`}
          options={sides}
          value={sides.find((s) => s.value === c.side)}
          onChange={(o) => props.onChange({ ...c, side: (o?.value ?? 'jira') as RuleCondition['side'], field: '' })}
        />
      </Stack>
      <Stack space="space.050">
        <Label htmlFor={`${path}.field`}>Field</Label>
        <CreatableSelect<Option, false>
          inputId={`${path}.field`}
          aria-label={`Field of ${name}`}
          options={fieldOptions}
          value={fieldOptions.find((o) => o.value === c.field) ?? (c.field ? { value: c.field, label: c.field } : null)}
          onChange={(o) => props.onChange({ ...c, field: o?.value ?? '', values: [] })}
          onCreateOption={(typed: string) => props.onChange({ ...c, field: typed.trim(), values: [] })}
          formatCreateLabel={(typed: string) => `Use field "${typed}"`}
          placeholder="Choose a field"
          isInvalid={fieldErrors.length > 0}
        />
        {fieldErrors.map((m) => (
          <Text key={m} color="color.text.danger">
            {m}
          </Text>
        ))}
      </Stack>
      <Stack space="space.050">
        <Label htmlFor={`${path}.op`}>Compares</Label>
        <Select
          inputId={`${path}.op`}
          aria-label={`How ${name} compares`}
          options={OPS}
          value={OPS.find((o) => o.value === c.op)}
          onChange={(o) => {
            const op = (o?.value ?? 'is') as RuleCondition['op'];
            props.onChange({ ...c, op, values: op === 'in' ? c.values : c.values.slice(0, 1) });
          }}
        />
      </Stack>
      <ValuesPicker
        id={`${path}.values`}
        label={c.op === 'in' ? 'Values' : 'Value'}
        ariaLabel={`${c.op === 'in' ? 'Values' : 'Value'} of ${name}`}
        values={c.values}
        options={valuesOf(sources, c.side, c.field)}
        isMulti={c.op === 'in'}
        errors={problemsAt(props.problems, `${path}.values`)}
        onChange={(values) => props.onChange({ ...c, values })}
      />
      <Button
        appearance="subtle"
        aria-label={`Remove ${name}`}
        isDisabled={!props.canRemove}
        onClick={() => props.onChange(undefined)}
      >
        Remove
      </Button>
    </Inline>
  );
}

const NEW_CONDITION: RuleCondition = { side: 'jira', field: 'issuetype', op: 'is', values: [] };

export function RulesEditor(props: {
  index: number;
  row: string;
  mapping: FieldMapping;
  sources: RuleSources;
  /** What people call the pair's Jira field ("Issue Type"). */
  jiraName: string;
  problems: readonly Problem[];
  onChange(change: Pick<FieldMapping, 'rules' | 'fallback' | 'direction'>): void;
}) {
  const { index, mapping, row, sources } = props;
  const rules = mapping.rules ?? [];
  const path = `fields.${index}`;
  if (!rules.length)
    return (
      <Box paddingInlineStart="space.400">
        <Button
          appearance="subtle"
          aria-label={`Set by rules: ${row}`}
          onClick={() =>
            props.onChange({
              rules: [{ when: [{ ...NEW_CONDITION }], then: '' }],
              // Rules write one way: toward the remote, unless the pair already syncs toward Jira only.
              direction: mapping.direction === 'to-jira' ? 'to-jira' : 'to-remote',
            })
          }
        >
          Set by rules
        </Button>
      </Box>
    );
  const toJira = mapping.direction === 'to-jira';
  const target = toJira ? `Jira's ${props.jiraName}` : `${sources.remoteLabel}'s ${fieldName(sources, mapping.remote)}`;
  const targetValues = toJira
    ? sources.jiraValues(mapping.jira).map((v) => ({ value: v, label: v }))
    : valuesOf(sources, 'remote', mapping.remote);
  const setRules = (next: Rule[]) => props.onChange({ rules: next, fallback: mapping.fallback });
  const setRule = (r: number, rule: Rule | undefined) =>
    setRules(rule ? rules.map((x, j) => (j === r ? rule : x)) : rules.filter((_, j) => j !== r));
  const move = (r: number) => setRules(rules.map((x, j) => (j === r - 1 ? rules[r]! : j === r ? rules[r - 1]! : x)));
  const own = [
    ...props.problems.filter((p) => p.path === `${path}.rules` || p.path === `${path}.direction`).map((p) => p.message),
  ];
  return (
    <Box paddingInlineStart="space.400" testId={`rules-${index}`}>
      <Stack space="space.200">
        <Text weight="bold">{`${target} is set by rules`}</Text>
        <Text size="small">
          {toJira
            ? `The first rule whose conditions all hold sets Jira's ${props.jiraName}. Rules write one way: a change made to it in Jira stays in Jira and is not copied to ${sources.remoteLabel}.`
            : `The first rule whose conditions all hold sets ${target}. Rules write one way: a change made to it in ${sources.remoteLabel} stays there and is not copied back to Jira. When a condition's field changes, the rules are applied again.`}
        </Text>
        {rules.map((rule, r) => {
          const name = `rule ${r + 1} of ${row}`;
          return (
            <Box key={r} padding="space.150" backgroundColor="color.background.neutral" testId={`${path}.rules.${r}`}>
              <div role="group" aria-labelledby={`${path}.rules.${r}-heading`}>
                <Stack space="space.100">
                  <Text weight="bold" id={`${path}.rules.${r}-heading`}>{`Rule ${r + 1} of ${row}: when`}</Text>
                  {rule.when.map((c, i) => (
                    <ConditionRow
                      key={i}
                      path={`${path}.rules.${r}.when.${i}`}
                      name={`condition ${i + 1} of ${name}`}
                      condition={c}
                      sources={sources}
                      problems={props.problems}
                      canRemove={rule.when.length > 1}
                      onChange={(next) =>
                        setRule(r, {
                          ...rule,
                          when: next
                            ? rule.when.map((x, j) => (j === i ? next : x))
                            : rule.when.filter((_, j) => j !== i),
                        })
                      }
                    />
                  ))}
                  <Inline space="space.100" alignBlock="end" shouldWrap>
                    <Button
                      appearance="subtle"
                      aria-label={`Add a condition to ${name}`}
                      onClick={() => setRule(r, { ...rule, when: [...rule.when, { ...NEW_CONDITION, field: '' }] })}
                    >
                      Add a condition
                    </Button>
                  </Inline>
                  <Inline space="space.100" alignBlock="end" shouldWrap>
                    <ValuesPicker
                      id={`${path}.rules.${r}.then`}
                      label={`Then ${target} is`}
                      ariaLabel={`Value ${name} sets`}
                      values={rule.then ? [rule.then] : []}
                      options={targetValues}
                      isMulti={false}
                      errors={problemsAt(props.problems, `${path}.rules.${r}.then`)}
                      onChange={(v) => setRule(r, { ...rule, then: v[0] ?? '' })}
                    />
                    <Button
                      appearance="subtle"
                      aria-label={`Move up ${name}`}
                      isDisabled={r === 0}
                      onClick={() => move(r)}
                    >
                      Move up
                    </Button>
                    <Button appearance="subtle" aria-label={`Remove ${name}`} onClick={() => setRule(r, undefined)}>
                      Remove rule
                    </Button>
                  </Inline>
                </Stack>
              </div>
            </Box>
          );
        })}
        <Inline space="space.100" alignBlock="end" shouldWrap>
          <Button
            aria-label={`Add a rule to ${row}`}
            onClick={() => setRules([...rules, { when: [{ ...NEW_CONDITION }], then: '' }])}
          >
            Add a rule
          </Button>
          <ValuesPicker
            id={`${path}.fallback`}
            label="Otherwise"
            ariaLabel={`Value of ${target} when no rule of ${row} holds`}
            values={mapping.fallback ? [mapping.fallback] : []}
            options={targetValues}
            isMulti={false}
            errors={problemsAt(props.problems, `${path}.fallback`)}
            onChange={(v) => props.onChange({ rules, fallback: v[0] })}
          />
          <Button
            appearance="subtle"
            aria-label={`Remove rules of ${row}`}
            onClick={() => props.onChange({ rules: undefined, fallback: undefined })}
          >
            Remove rules
          </Button>
        </Inline>
        <Text size="small" color="color.text.subtle">
          {mapping.fallback
            ? `When no rule holds, ${target} is set to “${mapping.fallback}”.`
            : `When no rule holds and no value is set under Otherwise, ${target} is left as it is.`}
        </Text>
        {own.map((m) => (
          <Text key={m} color="color.text.danger">
            {m}
          </Text>
        ))}
      </Stack>
    </Box>
  );
}

const fieldName = (sources: RuleSources, id: string) => sources.remoteFields.find((f) => f.id === id)?.name ?? id;
