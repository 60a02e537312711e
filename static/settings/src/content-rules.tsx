/**
 * Which comments and files cross, for the wizard: each one's direction, how
 * comment visibility is kept on this system (said plainly: an internal Jira
 * comment never becomes public), and the files' size limit and types.
 */
import { useState } from 'react';
import { Label } from '@atlaskit/form';
import { Stack, Text } from '@atlaskit/primitives/compiled';
import Select from '@atlaskit/select';
import { problemsAt, TextField, type Problem } from '../../shared/ui';

/** The directions a part of the sync can take, as the wizard offers them (comments, files, resolutions). */
export const DIRECTIONS = [
  { value: 'both', label: '↔ both ways' },
  { value: 'to-remote', label: '→ Jira to remote only' },
  { value: 'to-jira', label: '← remote to Jira only' },
  { value: 'none', label: 'not synced' },
];
const MB = 1024 * 1024;

export interface ContentRules {
  comments?: { direction?: string };
  attachments?: { direction?: string; maxBytes?: number; allowedTypes?: string[] };
}

export function ContentRulesEditor(props: {
  rules: ContentRules;
  systemLabel: string;
  internalComments: boolean;
  problems: Problem[];
  onChange(rules: ContentRules): void;
}) {
  const comments = { direction: 'both', ...props.rules.comments };
  const files = { direction: 'both', maxBytes: 50 * MB, allowedTypes: [] as string[], ...props.rules.attachments };
  // Typed as the admin writes them; parsed into the settings on every change.
  const [types, setTypes] = useState(files.allowedTypes.join(', '));
  const [size, setSize] = useState(String(Math.round((files.maxBytes / MB) * 100) / 100));
  const setFiles = (change: Partial<typeof files>) =>
    props.onChange({ ...props.rules, attachments: { ...files, ...change } });
  return (
    <Stack space="space.150" testId="content-rules">
      <Stack space="space.050">
        <Label htmlFor="comments.direction">Comments</Label>
        <Select
          inputId="comments.direction"
          options={DIRECTIONS}
          value={DIRECTIONS.find((d) => d.value === comments.direction)}
          onChange={(o) => props.onChange({ ...props.rules, comments: { ...comments, direction: o?.value ?? 'both' } })}
        />
        <Text color="color.text.subtle">
          {props.internalComments
            ? `Public comments cross as public ones, internal Jira comments and those restricted to a role or group as ${props.systemLabel}'s internal ones, and back: visibility is kept, never widened.`
            : `${props.systemLabel} has no internal comments: internal Jira comments and those restricted to a role or group stay in Jira (the issue says so), and ${props.systemLabel}'s comments arrive as public ones.`}
        </Text>
        {problemsAt(props.problems, 'comments').map((m) => (
          <Text key={m} color="color.text.danger">
            {m}
          </Text>
        ))}
      </Stack>
      <Stack space="space.050">
        <Label htmlFor="attachments.direction">Files</Label>
        <Select
          inputId="attachments.direction"
          options={DIRECTIONS}
          value={DIRECTIONS.find((d) => d.value === files.direction)}
          onChange={(o) => setFiles({ direction: o?.value ?? 'both' })}
        />
      </Stack>
      <TextField
        id="attachments.maxBytes"
        label="Largest file that crosses (MB)"
        value={size}
        helper="Larger files are not copied, and the issue says which and why."
        errors={problemsAt(props.problems, 'attachments.maxBytes')}
        onChange={(v) => {
          setSize(v);
          const mb = Number(v.replace(',', '.'));
          if (Number.isFinite(mb) && mb > 0) setFiles({ maxBytes: Math.round(mb * MB) });
        }}
      />
      <TextField
        id="attachments.allowedTypes"
        label="File types that cross (optional)"
        value={types}
        placeholder="e.g. image/, application/pdf"
        helper="MIME types or prefixes, separated by commas; empty: every type."
        errors={problemsAt(props.problems, 'attachments.allowedTypes')}
        onChange={(v) => {
          setTypes(v);
          setFiles({
            allowedTypes: v
              .split(',')
              .map((t) => t.trim().toLowerCase())
              .filter(Boolean),
          });
        }}
      />
    </Stack>
  );
}
