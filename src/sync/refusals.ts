/**
 * A value a side refused, remembered on the link's problem for its field: the
 * panel says it in the target's words with the value that was refused, and
 * the same value is not written again under the same mapping (it would only be
 * refused again, a call every reconcile). A new value on the source side, or a
 * changed mapping, tries again. The field's base does not move while refused,
 * so the pair is known to differ and nothing is lost: once the value or the
 * mapping is one the target takes, the write goes through. Pure.
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
}

const digest = (text: string) => createHash('sha256').update(text).digest('base64url').slice(0, 16);

export function refusalFor(m: FieldMapping, target: Side, value: CanonicalValue): Refusal {
  return { target, value: digest(JSON.stringify(value)), mapping: mappingDigest(m) };
}

/** What of a mapping decides the value written: not its conflict policy. */
function mappingDigest(m: FieldMapping): string {
  const { conflictPolicy: _policy, ...rest } = m;
  return digest(JSON.stringify(rest, Object.keys(rest).sort()));
}

/** Whether writing `value` to `target` under `m` is the write already refused. */
export function isRefusedAgain(
  refusal: Refusal | undefined,
  m: FieldMapping,
  target: Side,
  value: CanonicalValue,
): boolean {
  if (!refusal || refusal.target !== target) return false;
  const now = refusalFor(m, target, value);
  return refusal.value === now.value && refusal.mapping === now.mapping;
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
    `The rest of the change was written; this field is tried again when its value or its mapping changes.`
  );
}
