/**
 * A value the remote did not take: Crosswalk wrote a value from the field's
 * value map and the remote answered with another one (Zendesk will not return
 * an assigned ticket to "new": it stays "open"). The remote's answer is the
 * truth, so it becomes the base and nothing is written again, but the pair does
 * not agree: the field's part of the link carries a problem, shown on the issue
 * panel with what was written, what the remote kept, and why where the
 * system's registry entry knows. Pure.
 *
 * A value-mapped field whenever the answer reads otherwise: a value map is a
 * choice the remote takes or not. Any other field only when its answer is
 * still the value from before the write (the remote ignored it, as ServiceNow
 * ignores a write to a priority it computes): free text and tags are
 * normalised by remotes (case, spaces, markup) in ways that are no
 * disagreement (and declared cuts are `maxLengths`), but an answer unchanged
 * is no normalising.
 */
import type { FieldMapping } from '../mapping/connection-config';
import type { Read } from '../mapping/field-values';
import { canonicalEqual, type CanonicalValue } from './canonical';
import type { SidePair } from './field-decision';

/** The problem kind a not-taken value is kept under on the link, until the field's base moves. */
export const NOT_TAKEN = 'not-taken';

const quoted = (v: unknown) => `“${v === null || v === undefined || v === '' ? 'nothing' : String(v)}”`;

const through = (inputs: Readonly<Record<string, string>> | undefined) =>
  inputs && Object.keys(inputs).length
    ? ` (as ${Object.entries(inputs)
        .map(([f, v]) => `${f} ${quoted(v)}`)
        .join(' and ')})`
    : '';

/**
 * What people read when the remote kept another value than the one written, or
 * undefined when it took it. `expected` is the canonical value the write
 * leaves where the remote takes it; `held` what the remote's answer reads as.
 */
export function notTakenMessage(input: {
  m: Pick<FieldMapping, 'jira' | 'remote' | 'transform'>;
  jiraValue: CanonicalValue;
  written: string;
  heldRaw: unknown;
  held: Read;
  expected: CanonicalValue;
  systemLabel: string;
  /** What the remote held before the write, canonical; where given, a field of any kind is not taken when its answer is still this. */
  before?: CanonicalValue;
  /** For a field the remote computes (derived-fields.ts): the inputs sent for the value written. */
  through?: Readonly<Record<string, string>>;
  /** The system's reason, where its registry entry knows one (`texts.valueNotTaken`). */
  why?: string;
}): string | undefined {
  const { m, held } = input;
  if (held.ok && canonicalEqual(held.value, input.expected)) return undefined;
  const ignored =
    'before' in input &&
    held.ok &&
    canonicalEqual(held.value, input.before ?? null) &&
    !canonicalEqual(input.before ?? null, input.expected);
  if (m.transform !== 'value-map' && !ignored) return undefined;
  const heldRaw = input.heldRaw && typeof input.heldRaw === 'object' ? '(another value)' : input.heldRaw;
  return (
    `${input.systemLabel} kept ${m.remote} ${quoted(heldRaw)} when Crosswalk wrote ${quoted(input.written)}${through(input.through)} ` +
    `for Jira's ${quoted(input.jiraValue)}: ${input.why ?? `${input.systemLabel} did not take that value in the item's current state`}. ` +
    `The two sides differ until one of them changes.`
  );
}

/** A not-taken problem still holds while the field's base is what the write left (nobody changed either side since). */
export function stillNotTaken(
  problem: { kind: string },
  before: SidePair<CanonicalValue> | undefined,
  after: SidePair<CanonicalValue> | undefined,
): boolean {
  return (
    problem.kind === NOT_TAKEN &&
    before !== undefined &&
    after !== undefined &&
    canonicalEqual(before.jira, after.jira) &&
    canonicalEqual(before.remote, after.remote)
  );
}
