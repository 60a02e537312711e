/**
 * A plain text pair's template (src/mapping/template.ts), under its row in the
 * mapping editor: the words one side's value is written inside, with the
 * item's keys ("[{key}] {summary}" on the remote), on which side, and whether
 * that side is read back with the template stripped or only written. Checked
 * as the server checks it, as the admin types.
 */
import Button from '@atlaskit/button/new';
import { Label } from '@atlaskit/form';
import { Box, Inline, Stack, Text } from '@atlaskit/primitives/compiled';
import Select from '@atlaskit/select';
import { problemsAt, TextField, type Problem } from '../../shared/ui';
import { renderTemplate, templateParts } from '../../../src/mapping/template';
import type { FieldMapping, FieldTemplate } from './types';

const REVERSES = [
  { value: 'strip', label: 'Read back without the template' },
  { value: 'one-way', label: 'Only written, never read back' },
];

export function TemplateEditor(props: {
  index: number;
  row: string;
  mapping: FieldMapping;
  remoteLabel: string;
  problems: readonly Problem[];
  onChange(template: FieldTemplate | undefined): void;
}) {
  const { index, mapping, row } = props;
  const template = mapping.template;
  const path = `fields.${index}.template`;
  if (!template)
    return (
      <Box paddingInlineStart="space.400">
        <Button
          appearance="subtle"
          aria-label={`Add a template to ${row}`}
          onClick={() =>
            props.onChange({ side: 'remote', text: `[{key}] {${mapping.jira || 'value'}}`, reverse: 'strip' })
          }
        >
          Add a template
        </Button>
      </Box>
    );
  const sides = [
    { value: 'remote', label: `Written in ${props.remoteLabel}` },
    { value: 'jira', label: 'Written in Jira' },
  ];
  const read = templateParts(template.text, mapping.jira);
  const typed = read.ok ? [] : [read.reason];
  const errors = [...new Set([...typed, ...problemsAt(props.problems, `${path}.text`)])];
  const example = read.ok
    ? renderTemplate(template, mapping.jira, 'Printer jams', { key: 'DEMO-12', remoteKey: 'INC0010001' })
    : undefined;
  return (
    <Box paddingInlineStart="space.400" testId={`template-${index}`}>
      <Stack space="space.100">
        <Inline space="space.100" alignBlock="end" shouldWrap>
          <TextField
            id={`${path}.text`}
            label={`Template of ${row}`}
            value={template.text}
            errors={errors}
            helper={`{${mapping.jira || 'value'}} is the value; {key} the Jira key; {remote.key} what ${props.remoteLabel} calls the item.`}
            onChange={(text) => props.onChange({ ...template, text })}
          />
          <Stack space="space.050">
            <Label htmlFor={`${path}.side`}>Side</Label>
            <Select
              inputId={`${path}.side`}
              aria-label={`Side the template of ${row} is written on`}
              options={sides}
              value={sides.find((s) => s.value === template.side)}
              onChange={(o) => props.onChange({ ...template, side: (o?.value ?? 'remote') as FieldTemplate['side'] })}
            />
          </Stack>
          <Stack space="space.050">
            <Label htmlFor={`${path}.reverse`}>The other way</Label>
            <Select
              inputId={`${path}.reverse`}
              aria-label={`How the template of ${row} is read back`}
              options={REVERSES}
              value={REVERSES.find((r) => r.value === (template.reverse ?? 'strip'))}
              onChange={(o) =>
                props.onChange({ ...template, reverse: (o?.value ?? 'strip') as FieldTemplate['reverse'] })
              }
            />
          </Stack>
          <Button
            appearance="subtle"
            aria-label={`Remove template of ${row}`}
            onClick={() => props.onChange(undefined)}
          >
            Remove template
          </Button>
        </Inline>
        {example !== undefined && <Text size="small">{`For example: “${example}”`}</Text>}
        {problemsAt(props.problems, `${path}.reverse`)
          .concat(props.problems.filter((p) => p.path === path).map((p) => p.message))
          .map((m) => (
            <Text key={m} color="color.text.danger">
              {m}
            </Text>
          ))}
      </Stack>
    </Box>
  );
}
