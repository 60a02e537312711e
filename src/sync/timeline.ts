/**
 * The issue panel's timeline: a short, bounded list of this pair's recent sync
 * steps, kept on the link record the reconcile writes anyway when something
 * crossed (no KVS operation of its own). Each step says what crossed which way
 * and when it went through each stage:
 *
 * - changed: when the change was made on its side (that side's updated time as read);
 * - queued: when the signal that carried it (a Jira event, the remote's
 *   notification, the sweep, Sync now, a retry) put the job on the queue;
 * - written: when the reconcile began writing it to the other side;
 * - confirmed: when the other side had answered every write and the new
 *   base was being stored (the pair agrees from then on; a crash before it
 *   leaves no step, and the next run writes nothing twice).
 *
 * And what a written field became ("Status → Waiting for customer"): short
 * values only (not rich text, not people), cut to a few words, since the
 * link record is billed by its bytes; a field the other side did not take
 * (sync/not-taken.ts) is named as such.
 */
import type { FieldMapping } from '../mapping/connection-config';
import type { CanonicalValue } from './canonical';
import type { CrossedPair } from './crossing';

export interface SyncStep {
  /** Which side the change was copied to. */
  toward: 'jira' | 'remote' | 'both';
  /** Jira field ids written on either side (at most a few, for people). */
  fields: string[];
  comments?: number;
  files?: number;
  /** The remote item was made in this run. */
  created?: boolean;
  /** Per field written, what the side it was written to holds now, as Jira names it (a value not taken: as the remote does), cut to MAX_VALUE_CHARS. */
  values?: Record<string, string>;
  /** Fields the other side was written but kept another value (sync/not-taken.ts). */
  kept?: string[];
  /** What signalled it: jira:issue_updated, servicenow, sweep, sync-now, retry… */
  cause?: string;
  changedAt?: number;
  queuedAt?: number;
  writtenAt: number;
  confirmedAt: number;
}

/** The bound: the newest steps within the look-back window. */
export const TIMELINE_MAX_STEPS = 12;
export const TIMELINE_DAYS = 14;
const MAX_FIELDS = 8;
/** The longest value a step keeps, and how many: enough to recognise a change, and 12 steps at their fullest add about 3 KB to the link (whose base already holds every field's whole value). */
export const MAX_VALUE_CHARS = 32;
export const MAX_VALUES = 4;

/** A written value as a step keeps it, or undefined for fields whose values do not belong there (rich text, people). */
export function stepValue(m: Pick<FieldMapping, 'transform'>, value: CanonicalValue): string | undefined {
  if (m.transform === 'rich-text' || m.transform === 'user') return undefined;
  const text = (Array.isArray(value) ? value.join(', ') : String(value ?? '')).replace(/\s+/g, ' ').trim();
  if (!text) return '';
  return text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS - 1)}…` : text;
}

export interface ReconcileSignal {
  cause?: string;
  /** Epoch ms the job was queued (carried in the job's body). */
  queuedAt?: number;
}

/** Pairs that were not on the link before, by the side they came from. */
export function newCrossings(
  before: readonly CrossedPair[],
  after: readonly CrossedPair[],
): { fromJira: number; fromRemote: number } {
  const known = new Set(before.map((p) => `${p.jira}\u0000${p.remote}`));
  let fromJira = 0;
  let fromRemote = 0;
  for (const p of after) {
    // A pair with an empty side was held back (hand-link.ts): nothing crossed.
    if (known.has(`${p.jira}\u0000${p.remote}`) || !p.jira || !p.remote) continue;
    if (p.from === 'jira') fromJira++;
    else fromRemote++;
  }
  return { fromJira, fromRemote };
}

/**
 * The step of one reconcile, or undefined when nothing crossed. `wroteJira`
 * and `wroteRemote` are Jira field ids written to each side; `changedAt` is
 * each side's updated time as the reconcile read it.
 */
export function stepOf(input: {
  wroteJira: readonly string[];
  wroteRemote: readonly string[];
  comments: { fromJira: number; fromRemote: number };
  files: { fromJira: number; fromRemote: number };
  created: boolean;
  /** Per Jira field written, its value as `stepValue` keeps it. */
  values?: Readonly<Record<string, string>>;
  /** Jira fields the remote was written but kept another value. */
  kept?: readonly string[];
  signal?: ReconcileSignal;
  changedAt: { jira: number; remote: number };
  writtenAt: number;
  confirmedAt: number;
}): SyncStep | undefined {
  const toRemote = input.wroteRemote.length + input.comments.fromJira + input.files.fromJira + (input.created ? 1 : 0);
  const toJira = input.wroteJira.length + input.comments.fromRemote + input.files.fromRemote;
  if (!toRemote && !toJira) return undefined;
  const toward = toRemote && toJira ? 'both' : toRemote ? 'remote' : 'jira';
  const changedAt =
    toward === 'remote'
      ? input.changedAt.jira
      : toward === 'jira'
        ? input.changedAt.remote
        : Math.max(input.changedAt.jira, input.changedAt.remote);
  const comments = input.comments.fromJira + input.comments.fromRemote;
  const files = input.files.fromJira + input.files.fromRemote;
  const fields = [...new Set([...input.wroteRemote, ...input.wroteJira])].slice(0, MAX_FIELDS);
  const values = Object.fromEntries(
    fields
      .flatMap((f) => {
        const v = input.values?.[f];
        return v === undefined ? [] : [[f, v.length > MAX_VALUE_CHARS ? `${v.slice(0, MAX_VALUE_CHARS - 1)}…` : v]];
      })
      .slice(0, MAX_VALUES),
  );
  const kept = fields.filter((f) => input.kept?.includes(f)).slice(0, MAX_VALUES);
  return {
    toward,
    fields,
    ...(Object.keys(values).length ? { values } : {}),
    ...(kept.length ? { kept } : {}),
    ...(comments ? { comments } : {}),
    ...(files ? { files } : {}),
    ...(input.created ? { created: true } : {}),
    ...(input.signal?.cause ? { cause: input.signal.cause.slice(0, 60) } : {}),
    ...(changedAt > 0 ? { changedAt } : {}),
    ...(input.signal?.queuedAt ? { queuedAt: input.signal.queuedAt } : {}),
    writtenAt: input.writtenAt,
    confirmedAt: input.confirmedAt,
  };
}

/** The timeline with `step` added, newest last, bounded in count and age. */
export function withStep(
  timeline: readonly SyncStep[] | undefined,
  step: SyncStep | undefined,
  now: number,
): SyncStep[] | undefined {
  const since = now - TIMELINE_DAYS * 24 * 3600_000;
  const kept = [...(timeline ?? []), ...(step ? [step] : [])]
    .filter((s) => s.confirmedAt >= since)
    .slice(-TIMELINE_MAX_STEPS);
  return kept.length ? kept : undefined;
}
