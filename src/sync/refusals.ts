/**
 * A value a side refused, remembered on the link's problem for its field: the
 * panel says it in the target's words with the value that was refused, and
 * the same value is not written again under the same mapping while it rests
 * (it would only be refused again, a call every reconcile). A new value on the
 * source side, or a changed mapping, tries again at once; the same one, once
 * it has rested (`REFUSAL_REST_MS`), when the sweep revisits the item (the
 * refusal keeps a failure record for that, reconcile.ts), so a cause that
 * clears on the target (an option added back, a priority renamed back) lets
 * the pair converge. The field's base does not move while refused, so the pair
 * is known to differ and nothing is lost. Pure.
 */
import { createHash } from 'node:crypto';
import type { FieldMapping } from '../mapping/connection-config';
import type { CanonicalValue } from './canonical';
import type { Side } from './field-decision';

/** The problem kind a refused value is kept under on the link. */
export const REFUSED = 'refused';

export interface Refusal {
  /** The side that refused the value. */
  target: Side;
  /** A digest of the refused canonical value (the value itself may be a whole description). */
  value: string;
  /** A digest of the field's mapping when it was refused. */
  mapping: string;
  /** Epoch ms of the write that was refused. */
  at: number;
}

/** How long a refused value rests before the same write is tried again (as long as a failed item rests before the sweep revisits it). */
export const REFUSAL_REST_MS = 15 * 60_000;

const digest = (text: string) => createHash('sha256').update(text).digest('base64url').slice(0, 16);

export function refusalFor(m: FieldMapping, target: Side, value: CanonicalValue, at: number): Refusal {
  return { target, value: digest(JSON.stringify(value)), mapping: mappingDigest(m), at };
}

/** What of a mapping decides the value written: not its conflict policy. */
function mappingDigest(m: FieldMapping): string {
  const { conflictPolicy: _policy, ...rest } = m;
  return digest(JSON.stringify(rest, Object.keys(rest).sort()));
}

/** Whether writing `value` to `target` under `m` at `now` is the write already refused, still resting. */
export function isRefusedAgain(
  refusal: Refusal | undefined,
  m: FieldMapping,
  target: Side,
  value: CanonicalValue,
  now: number,
): boolean {
  if (!refusal || refusal.target !== target || now - refusal.at >= REFUSAL_REST_MS) return false;
  const again = refusalFor(m, target, value, now);
  return refusal.value === again.value && refusal.mapping === again.mapping;
}

const MAX_VALUE_SHOWN = 120;

/** What people read: who refused which value of which field, and why in the target's words. */
export function refusedMessage(input: {
  targetLabel: string;
  field: string;
  value: CanonicalValue;
  words: string;
  otherLabel: string;
}): string {
  const raw = Array.isArray(input.value) ? input.value.join(', ') : String(input.value ?? '');
  const shown = raw.length > MAX_VALUE_SHOWN ? `${raw.slice(0, MAX_VALUE_SHOWN)}…` : raw;
  return (
    `${input.targetLabel} refused ${input.field} “${shown || 'nothing'}” from ${input.otherLabel}: ${input.words}. ` +
    `The rest of the change was written; this field is tried again when its value or its mapping changes, and every 15 minutes.`
  );
}
