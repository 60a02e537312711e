/**
 * How the issue panel words one step of the sync history: what changed
 * ("Status → Waiting for customer"), which way, and only the times that tell
 * something (a change that waited for the five-minute check shows when it was
 * made; four stages within the same few seconds show as one time). Pure, so it
 * is tested without a browser.
 */
import { count } from '../../shared/words';

export interface SyncedStep {
  toward: 'jira' | 'remote' | 'both';
  fields: string[];
  /** What each written field became, where the step keeps it (short fields only). */
  values: Record<string, string>;
  /** Fields the other side was written but kept another value. */
  kept: string[];
  comments: number;
  files: number;
  created: boolean;
  cause: string | null;
  changedAt: string | null;
  queuedAt: string | null;
  writtenAt: string;
  confirmedAt: string;
}

const FIELD_NAMES: Record<string, string> = {
  summary: 'Summary',
  description: 'Description',
  priority: 'Priority',
  status: 'Status',
  labels: 'Labels',
  assignee: 'Assignee',
  reporter: 'Reporter',
  duedate: 'Due date',
  issuetype: 'Issue type',
};
export const fieldName = (id: string) => FIELD_NAMES[id] ?? id;

/** "Status → Waiting for customer; 2 comments (Zendesk → Jira)". */
export function whatCrossed(e: SyncedStep, system: string): string {
  const fields = e.fields.map((f) => {
    const value = e.values[f];
    if (e.kept.includes(f)) return `${fieldName(f)}: ${system} kept ${value || 'another value'}`;
    return value === undefined ? fieldName(f) : `${fieldName(f)} → ${value || '(empty)'}`;
  });
  const parts = [
    ...(e.created ? [`Created in ${system}`] : []),
    ...fields,
    ...(e.comments ? [count(e.comments, 'comment')] : []),
    ...(e.files ? [count(e.files, 'file')] : []),
  ];
  const way =
    e.toward === 'remote' ? `Jira → ${system}` : e.toward === 'jira' ? `${system} → Jira` : `Jira ↔ ${system}`;
  return `${parts.join('; ') || 'Changes'} (${way})`;
}

const CAUSES: Array<[RegExp, string]> = [
  [/^avi:jira/, 'a Jira change'],
  [/^sync-now/, 'Sync now'],
  [/^create-in/, 'Create'],
  [/^sweep/, 'the five-minute check'],
  [/^retry/, 'a retry'],
  [/^bulk/, 'a bulk sync'],
  [/^forward/, 'a hand-over'],
];
export const causeText = (cause: string | null, system: string) =>
  cause ? (CAUSES.find(([re]) => re.test(cause))?.[1] ?? `a ${system} notification`) : null;

/** Stages closer than this to the next one shown are "at the same time" for a person reading times to the second. */
export const SAME_MOMENT_MS = 5_000;

/**
 * The stages worth a time, oldest first: always when it was confirmed, and an
 * earlier stage only when it came at least SAME_MOMENT_MS before the next one
 * shown. What queued it is said even without its time.
 */
export function stagesShown(e: SyncedStep, system: string): Array<{ label: string; iso: string | null }> {
  const by = causeText(e.cause, system);
  const queued = by ? `Queued by ${by}` : 'Queued';
  const shown: Array<{ label: string; iso: string | null }> = [{ label: 'Confirmed', iso: e.confirmedAt }];
  let next = Date.parse(e.confirmedAt);
  for (const stage of [
    { label: 'Written', iso: e.writtenAt },
    { label: queued, iso: e.queuedAt },
    { label: 'Changed', iso: e.changedAt },
  ]) {
    const at = stage.iso ? Date.parse(stage.iso) : NaN;
    if (Number.isFinite(at) && next - at >= SAME_MOMENT_MS) {
      shown.unshift(stage);
      next = at;
    } else if (stage.label === queued && by) shown.unshift({ label: queued, iso: null });
  }
  return shown;
}
