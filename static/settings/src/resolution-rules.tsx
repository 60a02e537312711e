/**
 * How resolutions cross, for the wizard (src/sync/resolution.ts): the direction, and which Jira resolution goes as
 * which of the remote's reasons (ServiceNow's resolution code, Azure DevOps's resolved reason); and, where the remote
 * has SLAs, the Jira date or date-time field its SLA's breach time is copied into (src/sync/sla-field.ts).
 */
import Button from '@atlaskit/button/new';
import { Label } from '@atlaskit/form';
import { Inline, Stack, Text } from '@atlaskit/primitives/compiled';
import Select from '@atlaskit/select';
import { problemsAt, TextField, type Problem } from '../../shared/ui';
import { DIRECTIONS } from './content-rules';
import type { JiraMetadata } from './mapping';

export interface ResolutionRules {
  resolution?: { direction?: string; codes?: Array<{ jira: string; remote: string }> };
  slaField?: { jira: string; name?: string };
}

export function ResolutionRulesEditor(props: {
  rules: ResolutionRules;
  system: { label: string; resolution?: { codeLabel?: string; notesLabel?: string }; slas?: boolean };
  meta: JiraMetadata | undefined;
  problems: Problem[];
  onChange(rules: ResolutionRules): void;
}) {
  const { system } = props;
  const resolution = {
    direction: 'both',
    codes: [] as Array<{ jira: string; remote: string }>,
    ...props.rules.resolution,
  };
  const setResolution = (change: Partial<typeof resolution>) =>
    props.onChange({ ...props.rules, resolution: { ...resolution, ...change } });
  const setCode = (i: number, change: Partial<{ jira: string; remote: string }>) =>
    setResolution({ codes: resolution.codes.map((c, j) => (j === i ? { ...c, ...change } : c)) });
  const codeLabel = system.resolution?.codeLabel;
  const timeFields = (props.meta?.fields ?? []).filter((f) => f.kind === 'date' || f.kind === 'date-time');
  const slaOptions = [
    { value: '', label: 'Not copied' },
    ...timeFields.map((f) => ({ value: f.id, label: `${f.name} (${f.id})` })),
  ];
  const sla = props.rules.slaField;
  return (
    <Stack space="space.150" testId="resolution-rules">
      {system.resolution && (
        <Stack space="space.050">
          <Label htmlFor="resolution.direction">Resolutions</Label>
          <Select
            inputId="resolution.direction"
            options={DIRECTIONS}
            value={DIRECTIONS.find((d) => d.value === resolution.direction)}
            onChange={(o) => setResolution({ direction: o?.value ?? 'both' })}
          />
          <Text color="color.text.subtle">
            {codeLabel
              ? `Resolving one side resolves the other with why and who: Jira's resolution goes as ${system.label}'s ${codeLabel}${system.resolution.notesLabel ? `, with ${system.resolution.notesLabel} naming who resolved it` : ' and a note naming who resolved it'}; ${system.label}'s comes to Jira as the paired resolution and an internal comment with its text.`
              : `Solving in ${system.label} resolves the Jira issue as Done; a resolution made in Jira is told in an internal note there, never to the requester.`}
          </Text>
        </Stack>
      )}
      {codeLabel && resolution.direction !== 'none' && (
        <Stack space="space.100" testId="resolution-codes">
          {resolution.codes.map((c, i) => (
            <Inline key={i} space="space.100" alignBlock="end" shouldWrap>
              <TextField
                id={`resolution.codes.${i}.jira`}
                label="Jira resolution"
                value={c.jira}
                placeholder="Won't Do"
                errors={problemsAt(props.problems, `resolution.codes.${i}.jira`)}
                onChange={(jira) => setCode(i, { jira })}
              />
              <TextField
                id={`resolution.codes.${i}.remote`}
                label={`${system.label} ${codeLabel}`}
                value={c.remote}
                errors={problemsAt(props.problems, `resolution.codes.${i}.remote`)}
                onChange={(remote) => setCode(i, { remote })}
              />
              <Button
                appearance="subtle"
                onClick={() => setResolution({ codes: resolution.codes.filter((_, j) => j !== i) })}
              >
                {`Remove pair ${i + 1}`}
              </Button>
            </Inline>
          ))}
          <Inline>
            <Button onClick={() => setResolution({ codes: [...resolution.codes, { jira: '', remote: '' }] })}>
              Pair a resolution
            </Button>
          </Inline>
          <Text size="small" color="color.text.subtlest">
            A Jira resolution not paired goes as {system.label}'s default; a {codeLabel} not paired comes back as Done.
            Several Jira resolutions may share one {codeLabel}: the first listed is the one it comes back as.
          </Text>
        </Stack>
      )}
      {system.slas && (
        <Stack space="space.050">
          <Label htmlFor="slaField.jira">{`${system.label}'s SLA in a Jira field`}</Label>
          <Select
            inputId="slaField.jira"
            options={slaOptions}
            value={slaOptions.find((o) => o.value === (sla?.jira ?? ''))}
            onChange={(o) => {
              const { slaField: _old, ...rest } = props.rules;
              props.onChange(
                o?.value ? { ...rest, slaField: { ...(sla?.name ? { name: sla.name } : {}), jira: o.value } } : rest,
              );
            }}
          />
          <Text color="color.text.subtle">
            When the item's running SLA breaches, copied one way into this Jira date or date-time field on each sync,
            for Jira's filters and automation; emptied once the SLA is met.
          </Text>
          {problemsAt(props.problems, 'slaField.jira').map((m) => (
            <Text key={m} color="color.text.danger">
              {m}
            </Text>
          ))}
        </Stack>
      )}
    </Stack>
  );
}
