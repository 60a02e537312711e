/**
 * Preview before saving, in the connection editor: for one Jira issue or
 * remote item, what the draft (as it stands in the wizard, not saved) would
 * write on each side, field by field, and for the whole filter how many
 * issues it would create, update or fail. The server reads both sides and
 * plans with the engine's own functions; nothing is written.
 */
import { useState } from 'react';
import Button from '@atlaskit/button/new';
import DynamicTable from '@atlaskit/dynamic-table';
import { Label } from '@atlaskit/form';
import Heading from '@atlaskit/heading';
import Lozenge from '@atlaskit/lozenge';
import { Inline, Stack, Text } from '@atlaskit/primitives/compiled';
import SectionMessage from '@atlaskit/section-message';
import Select from '@atlaskit/select';
import { callResolver, problemsAt, TextField, type Problem } from '../../shared/ui';
import { count } from '../../shared/words';

export interface PreviewDraft {
  connectionId?: string;
  settings: Record<string, unknown>;
  credential?: Record<string, string>;
}

interface Row {
  jiraField: string;
  remoteField: string;
  direction: string;
  jiraValue: string | null;
  remoteValue: string | null;
  action: 'write-remote' | 'write-jira' | 'none' | 'problem';
  written?: string;
  note: string;
  conflict?: { winner: string; reason: string };
  transitions?: string[];
}
type Ref = { key: string; url?: string; summary?: string } | null;
interface ContentPreview {
  comments: { toRemote: string[]; toJira: string[]; edits: string[]; deletes: string[]; notCopied: string[] };
  files: { toRemote: string[]; toJira: string[]; deletes: string[]; notCopied: string[] };
}
type ItemPreview =
  | {
      kind: 'create-remote' | 'create-jira' | 'update';
      issue: Ref;
      remote: Ref;
      rows: Row[];
      extra: Array<{ field: string; value: string; note: string }>;
      problems: string[];
      notices: string[];
      outcome: { kind: string; reasons?: string[] };
      paused: boolean;
      content: ContentPreview | null;
    }
  | { kind: 'skipped'; reason: string; issue: Ref; remote: Ref; paused: boolean };
interface Summary {
  examined: number;
  total: number;
  totalCapped: boolean;
  cap: number;
  counts: { create: number; update: number; unchanged: number; fail: number; skipped: number };
  reasons: Array<{ reason: string; count: number; items: string[] }>;
  note: string;
  paused: boolean;
}

const ARROWS: Record<string, string> = {
  both: '↔ both ways',
  'to-remote': '→ Jira to remote',
  'to-jira': '← remote to Jira',
  none: 'not synced',
};

function Outcome({ row, system }: { row: Row; system: string }) {
  const lozenge =
    row.action === 'write-remote' ? (
      <Lozenge appearance="inprogress">{`Writes ${system}`}</Lozenge>
    ) : row.action === 'write-jira' ? (
      <Lozenge appearance="inprogress">Writes Jira</Lozenge>
    ) : row.action === 'problem' ? (
      <Lozenge appearance="removed">Fails</Lozenge>
    ) : (
      <Lozenge appearance="default">No change</Lozenge>
    );
  return (
    <Stack space="space.050">
      <Inline space="space.100" alignBlock="center" shouldWrap>
        {lozenge}
        {row.written !== undefined && <Text weight="semibold">{row.written === '' ? '(empty)' : row.written}</Text>}
      </Inline>
      <Text size="small" color={row.action === 'problem' ? 'color.text.danger' : 'color.text.subtle'}>
        {row.note}
      </Text>
      {row.transitions && row.transitions.length > 0 && (
        <Text size="small">{`Transitions: ${row.transitions.join(' → ')}`}</Text>
      )}
    </Stack>
  );
}

function headline(
  p: ItemPreview,
  system: string,
): { title: string; appearance: 'information' | 'success' | 'warning' | 'error' } {
  const issue = p.issue?.key;
  const remote = p.remote?.key;
  if (p.kind === 'skipped')
    return {
      title: `Nothing would be written for ${issue ?? remote ?? 'this item'}: ${p.reason}.`,
      appearance: 'information',
    };
  const failing = p.outcome.kind === 'fail';
  const what =
    p.kind === 'create-remote'
      ? `${issue} would create a new ${system} item`
      : p.kind === 'create-jira'
        ? `${system} item ${remote} would create a Jira issue`
        : `${issue} is linked to ${remote}: ${p.outcome.kind === 'unchanged' ? 'both sides are in sync, nothing would be written' : 'an update'}`;
  return {
    title: failing ? `${what}, and ${count(p.outcome.reasons?.length ?? 1, 'field')} would fail` : `${what}.`,
    appearance: failing ? 'warning' : p.outcome.kind === 'unchanged' ? 'success' : 'information',
  };
}

export function PreviewPanel({ draft, system }: { draft: PreviewDraft; system: { kind: string; label: string } }) {
  const [side, setSide] = useState<'issue' | 'remote'>('issue');
  const [key, setKey] = useState('');
  const [busy, setBusy] = useState<string>();
  const [item, setItem] = useState<ItemPreview>();
  const [summary, setSummary] = useState<Summary>();
  const [problems, setProblems] = useState<Problem[]>([]);
  const [error, setError] = useState<string>();
  const sideOptions = [
    { value: 'issue', label: 'A Jira issue' },
    { value: 'remote', label: `A ${system.label} item` },
  ];
  const keyPath = side === 'issue' ? 'item.issueKey' : 'item.remoteKey';

  const failed = (res: { error: { message: string } }) => {
    const found = (res.error as { problems?: Problem[] }).problems ?? [];
    setProblems(found);
    const elsewhere = found.filter((p) => !p.path.startsWith('item.'));
    setError(
      found.length && !elsewhere.length
        ? undefined
        : `${res.error.message}${elsewhere.length ? `: ${elsewhere.map((p) => `${p.path ? `${p.path}: ` : ''}${p.message}`).join('; ')}` : ''}`,
    );
  };

  const previewItem = async () => {
    setBusy('item');
    setError(undefined);
    setProblems([]);
    try {
      const res = await callResolver<ItemPreview>('previewItem', {
        ...draft,
        item: side === 'issue' ? { issueKey: key.trim() } : { remoteKey: key.trim() },
      });
      if (res.ok) setItem(res.data);
      else {
        setItem(undefined);
        failed(res);
      }
    } finally {
      setBusy(undefined);
    }
  };

  const previewAll = async () => {
    setBusy('all');
    setError(undefined);
    try {
      const res = await callResolver<Summary>('previewSummary', { ...draft });
      if (res.ok) setSummary(res.data);
      else failed(res);
    } finally {
      setBusy(undefined);
    }
  };

  const head = headline(
    item ?? ({ kind: 'skipped', reason: '', issue: null, remote: null, paused: false } as ItemPreview),
    system.label,
  );
  return (
    <Stack space="space.200" testId="preview">
      <Text as="p" color="color.text.subtle">
        What these settings would do, before you save them. Crosswalk reads both sides and plans as the sync would;
        nothing is written.
      </Text>
      {error && (
        <SectionMessage appearance="error" title="The preview could not run">
          <p data-testid="preview-error">{error}</p>
        </SectionMessage>
      )}
      <Inline space="space.100" alignBlock="end" shouldWrap>
        <Stack space="space.050">
          <Label htmlFor="preview.side">Preview</Label>
          <Select
            inputId="preview.side"
            options={sideOptions}
            value={sideOptions.find((o) => o.value === side)}
            onChange={(o) => setSide((o?.value as 'issue' | 'remote') ?? 'issue')}
          />
        </Stack>
        <TextField
          id={keyPath}
          label={side === 'issue' ? 'Issue key' : `${system.label} item`}
          value={key}
          placeholder={side === 'issue' ? 'e.g. DEMO-12' : 'e.g. its number'}
          errors={problemsAt(problems, keyPath)}
          onChange={setKey}
        />
        <Button
          appearance="primary"
          onClick={() => void previewItem()}
          isLoading={busy === 'item'}
          isDisabled={!key.trim()}
        >
          Preview this item
        </Button>
      </Inline>
      {item && (
        <Stack space="space.150" testId="preview-result">
          <SectionMessage appearance={head.appearance} title={head.title}>
            {item.paused && <p>The connection is paused in these settings: nothing syncs until it is on.</p>}
            {item.kind !== 'skipped' && item.problems.map((p) => <p key={p}>{p}</p>)}
            {item.kind !== 'skipped' && item.notices.map((n) => <p key={n}>{n}</p>)}
            {item.kind !== 'skipped' && item.issue?.summary && <p>{`${item.issue.key}: ${item.issue.summary}`}</p>}
          </SectionMessage>
          {item.kind !== 'skipped' && item.rows.length > 0 && (
            <DynamicTable
              label={`What would be written for ${item.issue?.key ?? item.remote?.key ?? 'the item'}`}
              testId="preview-fields"
              head={{
                cells: [
                  { key: 'field', content: 'Field (Jira / remote)' },
                  { key: 'jira', content: 'Jira now' },
                  { key: 'direction', content: 'Direction' },
                  { key: 'remote', content: `${system.label} now` },
                  { key: 'outcome', content: 'What would happen' },
                ],
              }}
              rows={item.rows.map((r) => ({
                key: r.jiraField,
                cells: [
                  { key: 'field', content: `${r.jiraField} / ${r.remoteField}` },
                  { key: 'jira', content: item.kind === 'create-jira' ? '(not made yet)' : (r.jiraValue ?? '(empty)') },
                  { key: 'direction', content: ARROWS[r.direction] ?? r.direction },
                  {
                    key: 'remote',
                    content: item.kind === 'create-remote' ? '(not made yet)' : (r.remoteValue ?? '(empty)'),
                  },
                  { key: 'outcome', content: <Outcome row={r} system={system.label} /> },
                ],
              }))}
            />
          )}
          {item.kind !== 'skipped' && item.extra.length > 0 && (
            <Text as="p">
              {`Also written to ${system.label}: ${item.extra.map((e) => `${e.field} = ${e.value}`).join(', ')} (${item.extra[0]!.note}).`}
            </Text>
          )}
          {item.kind !== 'skipped' && item.content && <ContentLists content={item.content} system={system.label} />}
        </Stack>
      )}
      <Heading size="xsmall" as="h3">
        Every issue the filter selects
      </Heading>
      <Inline space="space.100" alignBlock="center">
        <Button onClick={() => void previewAll()} isLoading={busy === 'all'}>
          Preview all matching issues
        </Button>
      </Inline>
      {summary && (
        <Stack space="space.100" testId="preview-summary">
          <SectionMessage
            appearance={summary.counts.fail ? 'warning' : 'information'}
            title={`Would create ${summary.counts.create}, update ${summary.counts.update}, fail ${summary.counts.fail}`}
          >
            <p>
              {`${count(summary.counts.unchanged, 'issue is', 'issues are')} already in sync; ${count(summary.counts.skipped, 'issue is', 'issues are')} left to another connection or excluded.`}
            </p>
            <p>{summary.note}</p>
            {summary.paused && <p>The connection is paused in these settings: nothing syncs until it is on.</p>}
          </SectionMessage>
          {summary.reasons.length > 0 && (
            <DynamicTable
              label="Why items would fail or be left alone"
              testId="preview-reasons"
              head={{
                cells: [
                  { key: 'reason', content: 'Reason' },
                  { key: 'count', content: 'Items' },
                  { key: 'which', content: 'For example' },
                ],
              }}
              rows={summary.reasons.map((r) => ({
                key: r.reason,
                cells: [
                  { key: 'reason', content: r.reason },
                  { key: 'count', content: String(r.count) },
                  { key: 'which', content: r.items.join(', ') },
                ],
              }))}
            />
          )}
        </Stack>
      )}
    </Stack>
  );
}

/** The comments and files an item's preview would copy, rewrite or delete, and those it would not, with why. */
function ContentLists({ content, system }: { content: ContentPreview; system: string }) {
  const groups: Array<[string, string[]]> = [
    [`Comments copied to ${system}`, content.comments.toRemote],
    ['Comments copied to Jira', content.comments.toJira],
    ['Comment copies rewritten', content.comments.edits],
    ['Comment copies deleted', content.comments.deletes],
    [`Files copied to ${system}`, content.files.toRemote],
    ['Files copied to Jira', content.files.toJira],
    ['File copies deleted', content.files.deletes],
    ['Not copied', [...content.comments.notCopied, ...content.files.notCopied]],
  ];
  const shown = groups.filter(([, lines]) => lines.length);
  return (
    <Stack space="space.100" testId="preview-content">
      <Heading size="xsmall" as="h4">
        Comments and files
      </Heading>
      {shown.length === 0 && (
        <Text as="p">No comment or file would cross: both sides already have what the other has.</Text>
      )}
      {shown.map(([title, lines]) => (
        <Stack key={title} space="space.050">
          <Text as="p" weight="semibold">
            {title}
          </Text>
          <ul aria-label={title}>
            {lines.map((l, i) => (
              <li key={`${i}-${l}`}>{l}</li>
            ))}
          </ul>
        </Stack>
      ))}
    </Stack>
  );
}
