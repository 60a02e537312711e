/**
 * What a preview shows, from the engine's own plan (sync/field-plan.ts over
 * sync/field-decision.ts and the mapping): per mapped field, what each side
 * holds, which way it goes, what would be written in the target's own form,
 * and why. Pure; the shell (preview.ts) reads both sides and plans.
 */
import type { BodyFormat } from '../content/body-format';
import { textOfProjection } from '../content/rich';
import type { FieldMapping } from '../mapping/connection-config';
import { writeJira } from '../mapping/field-values';
import { describeMatch } from '../mapping/rules';
import { canonicalEqual, type CanonicalValue } from '../sync/canonical';
import type { FieldPlan, FieldReading } from '../sync/field-plan';

export type PreviewAction = 'write-remote' | 'write-jira' | 'none' | 'problem';

export interface PreviewRow {
  jiraField: string;
  remoteField: string;
  direction: FieldMapping['direction'];
  /** What each side holds now, in that side's own values, for people (null: empty). */
  jiraValue: string | null;
  remoteValue: string | null;
  action: PreviewAction;
  /** What would be written, in the target's own form (the remote's stored value; Jira's value or status). */
  written?: string;
  /** Why: the change being copied, the conflict and who wins, or what stops the field. */
  note: string;
  conflict?: { winner: 'jira' | 'remote'; reason: string };
  /** For a status written to Jira: the transitions the engine would take, in order. */
  transitions?: string[];
  /** For a pair with rules (mapping/rules.ts): which rule gave its value on this item, in words. */
  rule?: string;
}

/** What a pair's preview is about: a create on either side, an update of a linked pair, or nothing. */
export type PreviewKind = 'create-remote' | 'create-jira' | 'update';

export interface ExtraWrite {
  field: string;
  value: string;
  note: string;
}

const MAX_SHOWN = 300;

/** A canonical value as people read it. */
export function display(value: CanonicalValue | undefined): string | null {
  if (value === null || value === undefined || value === '') return null;
  const text = Array.isArray(value) ? value.join(', ') : String(value);
  return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN)}…` : text;
}

const DIRECTION_WORDS: Record<string, string> = {
  'to-remote': 'this field syncs Jira → remote only',
  'to-jira': 'this field syncs remote → Jira only',
  none: 'this field is not synced',
};

function blockedBy(m: FieldMapping, target: 'jira' | 'remote'): string | undefined {
  const allowed =
    m.direction === 'both' || (target === 'jira' ? m.direction === 'to-jira' : m.direction === 'to-remote');
  return allowed ? undefined : DIRECTION_WORDS[m.direction];
}

/** Jira's written form of a value: a status by its name, people by the matching account, other fields as Jira stores them. */
function jiraForm(
  m: FieldMapping,
  value: CanonicalValue,
  richText: BodyFormat,
): { ok: true; text: string } | { ok: false; reason: string } {
  if (m.transform === 'user')
    return {
      ok: true,
      text: value === null || value === '' ? '(nobody)' : `the Jira user matching remote user ${String(value)}`,
    };
  const w = writeJira(m, value);
  if (w.kind === 'skip') return { ok: false, reason: w.reason };
  if (w.kind === 'status') return { ok: true, text: w.statusName };
  return { ok: true, text: shown(m, value, richText) ?? '(empty)' };
}

export interface DescribeInput {
  kind: PreviewKind;
  readings: readonly FieldReading[];
  plan: FieldPlan;
  /** Remote fields set when the remote item is made (create-remote), in the remote's own values. */
  createdRemote?: Readonly<Record<string, string>>;
  /** Jira fields set when the issue is made (create-jira). */
  createdJira?: ReadonlySet<string>;
  /** The base the plan ran against (absent: never synced). */
  base: Readonly<Record<string, unknown>>;
  systemLabel: string;
  /** The format the remote keeps rich text in: a rich value is shown as the text people read, not its markup. */
  richText?: BodyFormat;
  /** The remote item's own fields as read (undefined: not made yet): its column shows its own values, not their Jira names. */
  remoteRaw: Readonly<Record<string, unknown>> | undefined;
}

/**
 * What the remote holds, as the remote names it. A value map's canonical value
 * is Jira's name for it ("To Do" for Zendesk's "new"), so its remote column
 * shows the remote's own value instead, mapped or not; other readings are the
 * remote's own values already (rich text as its text).
 */
function remoteShown(
  m: FieldReading['m'],
  remote: FieldReading['remote'],
  raw: DescribeInput['remoteRaw'],
  richText: BodyFormat,
) {
  if (m.transform === 'value-map' && raw) {
    const own = raw[m.remote];
    const value = own && typeof own === 'object' && 'value' in own ? (own as { value: unknown }).value : own;
    return value === null || value === undefined || typeof value === 'object' ? null : display(String(value));
  }
  return remote.ok ? shown(m, remote.value, richText) : null;
}

/** A value as people read it; a rich one by its text (its projection's markup is what is written, not what is read). */
function shown(m: FieldReading['m'], value: CanonicalValue | undefined, richText: BodyFormat): string | null {
  if (m.transform === 'rich-text' && typeof value === 'string')
    return display(textOfProjection(m.format ?? richText, value));
  return display(value);
}

/** One row per mapped field, in the mapping's order, and the remote fields written without a mapping of their own. */
export function describePlan(input: DescribeInput): { rows: PreviewRow[]; extra: ExtraWrite[] } {
  // Each rule's effect on this item: the rule that held is said with the row's reason.
  const rows = describeRows(input).map((row, i) => {
    const m = input.readings[i]!.m;
    const match = input.plan.rules?.[m.jira];
    if (!match) return row;
    const rule = describeMatch(match, m, input.systemLabel);
    return { ...row, rule, note: `${row.note}; ${rule}` };
  });
  return { rows, extra: extraWrites(input) };
}

function describeRows(input: DescribeInput): PreviewRow[] {
  const { plan, systemLabel } = input;
  const richText = input.richText ?? 'text';
  return input.readings.map(({ m, jira, remote }): PreviewRow => {
    const row = {
      jiraField: m.jira,
      remoteField: m.remote,
      direction: m.direction,
      jiraValue: jira.ok ? shown(m, jira.value, richText) : null,
      remoteValue: remoteShown(m, remote, input.remoteRaw, richText),
    };
    const problem = plan.problems[m.jira];
    if (problem !== undefined) return { ...row, action: 'problem', note: problem };
    const conflict = plan.conflicts.find((c) => c.field === m.jira);
    const conflictPart = conflict ? { conflict: { winner: conflict.winner, reason: conflict.reason } } : {};
    const toRemote = plan.remoteWrites.find((w) => w.m === m);
    const created = input.createdRemote?.[m.remote];
    if (input.kind === 'create-remote' && created !== undefined && !toRemote) {
      return {
        ...row,
        remoteValue: null,
        action: 'write-remote',
        written: created,
        note: `set when the ${systemLabel} item is created`,
      };
    }
    if (toRemote) {
      const note = conflict
        ? `both sides changed: ${conflict.reason}`
        : input.kind === 'create-remote'
          ? `set right after the ${systemLabel} item is created`
          : input.base[m.jira]
            ? 'changed in Jira since the last sync'
            : 'first sync of this field: Jira is the source';
      // A field the remote computes is written through its inputs (mapping/derived-fields.ts).
      const inputs = toRemote.m.derived
        ? Object.entries(toRemote.written?.fields ?? {})
            .map(([f, v]) => `${f} ${v}`)
            .join(' and ')
        : '';
      return {
        ...row,
        action: 'write-remote',
        written:
          (m.transform === 'rich-text'
            ? shown(m, toRemote.value, richText)
            : (toRemote.written?.value ?? plan.remoteFields[toRemote.m.remote] ?? display(toRemote.value))) ?? '',
        note: inputs ? `${note}; ${systemLabel} computes it from ${inputs}, which are written` : note,
        ...conflictPart,
      };
    }
    const toJira = plan.jiraWrites.find((w) => w.m === m);
    if (toJira) {
      const form = jiraForm(m, toJira.value, richText);
      if (!form.ok) return { ...row, action: 'problem', note: form.reason };
      const note = conflict
        ? `both sides changed: ${conflict.reason}`
        : input.kind === 'create-jira'
          ? input.createdJira?.has(m.jira)
            ? 'set when the Jira issue is created'
            : 'set right after the Jira issue is created'
          : input.base[m.jira]
            ? `changed in ${systemLabel} since the last sync`
            : `first sync of this field: ${systemLabel} is the source`;
      return { ...row, action: 'write-jira', written: form.text, note, ...conflictPart };
    }
    if (input.kind === 'create-jira' && input.createdJira?.has(m.jira))
      return {
        ...row,
        action: 'write-jira',
        written: (remote.ok ? shown(m, remote.value, richText) : null) ?? '(empty)',
        note: 'set when the Jira issue is created',
      };
    // Nothing to write: say why, as the decision would.
    const same = jira.ok && remote.ok && canonicalEqual(jira.value, remote.value);
    if (same) return { ...row, action: 'none', note: 'in sync' };
    const blocked =
      input.kind === 'create-jira'
        ? blockedBy(m, 'jira')
        : input.kind === 'create-remote'
          ? blockedBy(m, 'remote')
          : undefined;
    if (blocked) return { ...row, action: 'none', note: blocked };
    if (m.direction === 'none') return { ...row, action: 'none', note: DIRECTION_WORDS.none! };
    if (plan.notices.some((n) => n.includes(` ${m.jira} `)))
      return { ...row, action: 'none', note: `${systemLabel} keeps this field as it was created` };
    return {
      ...row,
      action: 'none',
      note: input.base[m.jira] ? 'unchanged on both sides since the last sync' : 'nothing to copy',
    };
  });
}

function extraWrites(input: DescribeInput): ExtraWrite[] {
  const { plan } = input;
  // A derived field's inputs are its pair's write, not extra fields.
  const mapped = new Set(input.readings.flatMap((r) => [r.m.remote, ...(r.m.derived?.inputs ?? [])]));
  const extra: ExtraWrite[] = [];
  const written = { ...(input.createdRemote ?? {}), ...plan.remoteFields };
  for (const [field, value] of Object.entries(written)) {
    if (!mapped.has(field))
      extra.push({
        field,
        value,
        note: "required by the remote on entering this state (the connection's required fields)",
      });
  }
  return extra;
}

export interface PreviewCounts {
  create: number;
  update: number;
  unchanged: number;
  fail: number;
  skipped: number;
}

export type PairOutcome =
  | { kind: 'create' | 'update' | 'unchanged' }
  | { kind: 'fail'; reasons: string[] }
  | { kind: 'skipped'; reason: string };

/** A pair's preview as one of create / update / in sync / fail (any field problem, with its reasons). */
export function outcomeOf(kind: PreviewKind, rows: readonly PreviewRow[]): PairOutcome {
  const problems = rows.filter((r) => r.action === 'problem').map((r) => `${r.jiraField}: ${r.note}`);
  if (problems.length) return { kind: 'fail', reasons: problems };
  if (kind !== 'update') return { kind: 'create' };
  return rows.some((r) => r.action === 'write-jira' || r.action === 'write-remote')
    ? { kind: 'update' }
    : { kind: 'unchanged' };
}

/** Would create N, update M, fail K: counts, and each reason with how many items and which (at most 5 named). */
export function summarize(outcomes: ReadonlyArray<{ item: string; outcome: PairOutcome }>): {
  counts: PreviewCounts;
  reasons: Array<{ reason: string; count: number; items: string[] }>;
} {
  const counts: PreviewCounts = { create: 0, update: 0, unchanged: 0, fail: 0, skipped: 0 };
  const reasons = new Map<string, { reason: string; count: number; items: string[] }>();
  for (const { item, outcome } of outcomes) {
    counts[outcome.kind]++;
    const said = outcome.kind === 'fail' ? outcome.reasons : outcome.kind === 'skipped' ? [outcome.reason] : [];
    for (const reason of said) {
      const r = reasons.get(reason) ?? { reason, count: 0, items: [] };
      r.count++;
      if (r.items.length < 5) r.items.push(item);
      reasons.set(reason, r);
    }
  }
  return { counts, reasons: [...reasons.values()].sort((a, b) => b.count - a.count) };
}
