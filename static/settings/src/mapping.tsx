/**
 * The field mapping editor, fed by live Jira metadata read as the signed-in
 * admin through @forge/bridge (fields, the project's statuses, priorities):
 * field pairs with a direction each, and value maps with Jira's values in a
 * dropdown and a warning for each Jira value left unmapped. The remote side's
 * names are typed (remote metadata is not read yet).
 */
import { useEffect, useState } from 'react';
import { requestJira, view } from '@forge/bridge';
import Button from '@atlaskit/button/new';
import { Label } from '@atlaskit/form';
import { Box, Inline, Stack, Text } from '@atlaskit/primitives/compiled';
import SectionMessage from '@atlaskit/section-message';
import Select from '@atlaskit/select';
import DynamicTable from '@atlaskit/dynamic-table';
import Lozenge from '@atlaskit/lozenge';
import { callResolver, problemsAt, TextField, type Problem } from '../../shared/ui';
import type { FieldMapping } from './types';

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
      void callResolver<{ workflows: WorkflowPaths[] }>('statusPaths', { statuses: wanted }).then((res) => current && setAnswer(res.ok ? res.data : { error: res.error.message }));
    }, 300);
    return () => {
      current = false;
      clearTimeout(timer);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);
  if (!answer) return null;
  if ('error' in answer) return <Text color="color.text.danger">{`The transition paths could not be read: ${answer.error}`}</Text>;
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
              head={{ cells: [{ key: 'status', content: 'Jira status' }, { key: 'reach', content: 'Reachable' }, { key: 'paths', content: 'Transitions the sync takes' }] }}
              rows={wf.statuses.map((t) => ({
                key: t.status,
                cells: [
                  { key: 'status', content: t.status },
                  {
                    key: 'reach',
                    content: !t.inWorkflow ? <Lozenge appearance="removed">Not in workflow</Lozenge> : t.unreachableFrom.length ? <Lozenge appearance="removed">{`Unreachable from ${t.unreachableFrom.length}`}</Lozenge> : <Lozenge appearance="success">From every status</Lozenge>,
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
                            <Text size="small" color="color.text.danger" key={f.from}>{`From ${f.from}: cannot be reached (no transition path); nothing moves and the issue shows why.`}</Text>
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
  fields: Array<{ id: string; name: string }>;
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
        getJson<Array<{ id: string; name: string }>>('/rest/api/3/field'),
        getJson<Array<{ statuses: Array<{ name: string }> }>>(`/rest/api/3/project/${encodeURIComponent(projectKey)}/statuses`),
        getJson<Array<{ name: string }>>('/rest/api/3/priority'),
        getJson<{ issueTypes?: Array<{ name: string; subtask?: boolean }> }>(`/rest/api/3/project/${encodeURIComponent(projectKey)}`),
      ]);
      setMeta({
        fields: (fields ?? []).map((f) => ({ id: f.id, name: f.name })).sort((a, b) => a.name.localeCompare(b.name)),
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

function ValueMap({ index, mapping, jiraValues, problems, onChange }: { index: number; mapping: FieldMapping; jiraValues: string[]; problems: Problem[]; onChange(valueMap: Array<{ jira: string; remote: string }>): void }) {
  const entries = mapping.valueMap ?? [];
  const options = jiraValues.map((v) => ({ value: v, label: v }));
  const unmapped = jiraValues.filter((v) => !entries.some((e) => e.jira === v));
  const set = (i: number, change: Partial<{ jira: string; remote: string }>) => onChange(entries.map((e, j) => (j === i ? { ...e, ...change } : e)));
  return (
    <Stack space="space.100" testId={`value-map-${mapping.jira}`}>
      {entries.map((e, i) => (
        <Inline space="space.100" alignBlock="end" key={i}>
          <Stack space="space.050">
            <Label htmlFor={`fields.${index}.valueMap.${i}.jira`}>{`Jira ${mapping.jira} value ${i + 1}`}</Label>
            {options.length ? (
              <Select inputId={`fields.${index}.valueMap.${i}.jira`} options={options} value={options.find((o) => o.value === e.jira) ?? (e.jira ? { value: e.jira, label: e.jira } : null)} onChange={(o) => set(i, { jira: o?.value ?? '' })} />
            ) : null}
          </Stack>
          {!options.length && <TextField id={`fields.${index}.valueMap.${i}.jira-text`} label="Jira value" value={e.jira} onChange={(jira) => set(i, { jira })} />}
          <TextField id={`fields.${index}.valueMap.${i}.remote`} label={`Remote value ${i + 1}`} value={e.remote} onChange={(remote) => set(i, { remote })} />
          <Button appearance="subtle" onClick={() => onChange(entries.filter((_, j) => j !== i))} aria-label={`Remove value ${i + 1}`}>
            Remove
          </Button>
        </Inline>
      ))}
      <Inline>
        <Button onClick={() => onChange([...entries, { jira: unmapped[0] ?? '', remote: '' }])}>Add a value</Button>
      </Inline>
      {unmapped.length > 0 && (
        <SectionMessage appearance="warning" title="Unmapped Jira values">
          <p data-testid={`unmapped-${mapping.jira}`}>
            {unmapped.join(', ')}: an issue with {unmapped.length === 1 ? 'this value' : 'one of these'} cannot send its {mapping.jira} to the remote, and says so on the issue.
          </p>
        </SectionMessage>
      )}
      {problemsAt(problems, `fields.${index}.valueMap`).map((m) => (
        <Text key={m} color="color.text.danger">
          {m}
        </Text>
      ))}
    </Stack>
  );
}

export function MappingEditor({ fields, problems, meta, onChange }: { fields: FieldMapping[]; problems: Problem[]; meta: JiraMetadata | undefined; onChange(fields: FieldMapping[]): void }) {
  const set = (i: number, change: Partial<FieldMapping>) => onChange(fields.map((f, j) => (j === i ? { ...f, ...change } : f)));
  const fieldOptions = (meta?.fields ?? []).map((f) => ({ value: f.id, label: `${f.name} (${f.id})` }));
  return (
    <Stack space="space.300">
      {fields.map((f, i) => {
        const direction = DIRECTIONS.find((d) => d.value === (f.direction ?? 'both'));
        const transform = TRANSFORMS.find((t) => t.value === (f.transform ?? 'none'));
        const jiraErrors = problemsAt(problems, `fields.${i}.jira`);
        const own = problemsAt(problems, `fields.${i}`).filter((m) => !problemsAt(problems, `fields.${i}.jira`).includes(m) && !problemsAt(problems, `fields.${i}.remote`).includes(m) && !problemsAt(problems, `fields.${i}.valueMap`).includes(m));
        return (
          <Stack space="space.100" key={i} testId={`mapping-${i}`}>
            <Inline space="space.100" alignBlock="end" shouldWrap>
              {fieldOptions.length ? (
                <Stack space="space.050">
                  <Label htmlFor={`fields.${i}.jira`}>{`Jira field ${i + 1}`}</Label>
                  <Select
                    inputId={`fields.${i}.jira`}
                    options={fieldOptions}
                    value={fieldOptions.find((o) => o.value === f.jira) ?? (f.jira ? { value: f.jira, label: f.jira } : null)}
                    onChange={(o) => set(i, { jira: o?.value ?? '', ...(o?.value === 'status' ? { transform: 'value-map' } : {}) })}
                    isInvalid={jiraErrors.length > 0}
                  />
                  {jiraErrors.map((m) => (
                    <Text key={m} color="color.text.danger">
                      {m}
                    </Text>
                  ))}
                </Stack>
              ) : (
                <TextField id={`fields.${i}.jira`} label={`Jira field ${i + 1}`} value={f.jira} errors={jiraErrors} onChange={(v) => set(i, { jira: v })} />
              )}
              <Stack space="space.050">
                <Label htmlFor={`fields.${i}.direction`}>Direction</Label>
                <Select inputId={`fields.${i}.direction`} options={DIRECTIONS} value={direction} onChange={(o) => set(i, { direction: o?.value })} />
              </Stack>
              <TextField id={`fields.${i}.remote`} label={`Remote field ${i + 1}`} value={f.remote} errors={problemsAt(problems, `fields.${i}.remote`)} onChange={(v) => set(i, { remote: v })} />
              <Stack space="space.050">
                <Label htmlFor={`fields.${i}.transform`}>Values</Label>
                <Select inputId={`fields.${i}.transform`} options={TRANSFORMS} value={transform} onChange={(o) => set(i, { transform: o?.value, ...(o?.value === 'value-map' && !f.valueMap ? { valueMap: [] } : {}) })} />
              </Stack>
              <Stack space="space.050">
                <Label htmlFor={`fields.${i}.conflictPolicy`}>When both changed</Label>
                <Select
                  inputId={`fields.${i}.conflictPolicy`}
                  options={FIELD_POLICIES}
                  value={FIELD_POLICIES.find((p) => p.value === (f.conflictPolicy ?? ''))}
                  onChange={(o) => {
                    const { conflictPolicy: _old, ...rest } = f;
                    onChange(fields.map((g, j) => (j === i ? { ...rest, ...(o?.value ? { conflictPolicy: o.value } : {}) } : g)));
                  }}
                />
              </Stack>
              <Button appearance="subtle" onClick={() => onChange(fields.filter((_, j) => j !== i))} isDisabled={fields.length === 1} aria-label={`Remove field ${i + 1}`}>
                Remove
              </Button>
            </Inline>
            {f.transform === 'value-map' && (
              <Box paddingInlineStart="space.400" paddingBlockEnd="space.100">
                <Stack space="space.200">
                  <ValueMap index={i} mapping={f} jiraValues={meta?.values[f.jira] ?? []} problems={problems} onChange={(valueMap) => set(i, { valueMap })} />
                  {f.jira === 'status' && <StatusPaths statuses={(f.valueMap ?? []).map((e) => e.jira)} />}
                </Stack>
              </Box>
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

export interface RemoteCondition {
  field: string;
  op: string;
  value: string;
}
const OPS = ['=', '!=', 'STARTSWITH', 'LIKE'].map((o) => ({ value: o, label: o === 'LIKE' ? 'contains' : o === 'STARTSWITH' ? 'starts with' : o }));

/** Which remote items create Jira issues (all conditions must hold; none = no remote item creates an issue), and of which type. */
export function RemoteFilterEditor(props: { conditions: RemoteCondition[]; issueType: string; meta: JiraMetadata | undefined; problems: Problem[]; onChange(change: { remoteFilter?: RemoteCondition[]; jiraIssueType?: string }): void }) {
  const { conditions } = props;
  const set = (i: number, change: Partial<RemoteCondition>) => props.onChange({ remoteFilter: conditions.map((c, j) => (j === i ? { ...c, ...change } : c)) });
  const types = (props.meta?.issueTypes.length ? props.meta.issueTypes : [props.issueType]).map((t) => ({ value: t, label: t }));
  return (
    <Stack space="space.150">
      <Text as="p" color="color.text.subtle">
        {conditions.length ? 'Remote items matching every condition create a Jira issue.' : 'No remote item creates a Jira issue; add a condition to let them.'}
      </Text>
      {conditions.map((c, i) => (
        <Inline space="space.100" alignBlock="end" key={i} shouldWrap>
          <TextField id={`remoteFilter.${i}.field`} label={`Remote field ${i + 1}`} value={c.field} errors={problemsAt(props.problems, `remoteFilter.${i}.field`)} onChange={(field) => set(i, { field })} />
          <Stack space="space.050">
            <Label htmlFor={`remoteFilter.${i}.op`}>Condition</Label>
            <Select inputId={`remoteFilter.${i}.op`} options={OPS} value={OPS.find((o) => o.value === c.op)} onChange={(o) => set(i, { op: o?.value ?? '=' })} />
          </Stack>
          <TextField id={`remoteFilter.${i}.value`} label={`Value ${i + 1}`} value={c.value} errors={problemsAt(props.problems, `remoteFilter.${i}.value`)} onChange={(value) => set(i, { value })} />
          <Button appearance="subtle" onClick={() => props.onChange({ remoteFilter: conditions.filter((_, j) => j !== i) })} aria-label={`Remove condition ${i + 1}`}>
            Remove
          </Button>
        </Inline>
      ))}
      <Inline space="space.200" alignBlock="end" shouldWrap>
        <Button onClick={() => props.onChange({ remoteFilter: [...conditions, { field: '', op: '=', value: '' }] })}>Add a condition</Button>
        <Stack space="space.050">
          <Label htmlFor="jiraIssueType">Jira issue type they create</Label>
          <Select inputId="jiraIssueType" options={types} value={types.find((t) => t.value === props.issueType) ?? { value: props.issueType, label: props.issueType }} onChange={(o) => props.onChange({ jiraIssueType: o?.value ?? props.issueType })} />
        </Stack>
      </Inline>
    </Stack>
  );
}
