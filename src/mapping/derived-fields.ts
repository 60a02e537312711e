/**
 * Derived fields: a remote field the remote computes from others and does not
 * take a write to (ServiceNow's incident priority, looked up from impact and
 * urgency). The system's registry entry declares it with the remote's own
 * lookup; a connection pairing a field with it keeps a matrix saying which
 * inputs are written for each of its values (the system's lookup by default,
 * which the admin may change to match their instance), and the field is read as
 * the remote computes it. Pure.
 */
/** A derived field as a system's registry entry declares it. */
import type { DerivedFieldDefinition } from '../vocabulary/system-terms';
export type { DerivedFieldDefinition };

/** The matrix a connection keeps for a pair whose remote field is derived: per value, the inputs written for it (checked by connection-config.ts). */
export interface DerivedMatrix {
  inputs: string[];
  write: Array<{ value: string; set: Record<string, string> }>;
}

/** The system's own matrix: for each value, the first combination of inputs its lookup lists for it. */
export function defaultMatrix(def: DerivedFieldDefinition): DerivedMatrix {
  const write: DerivedMatrix['write'] = [];
  for (const row of def.lookup)
    if (!write.some((w) => w.value === row.value)) write.push({ value: row.value, set: { ...row.inputs } });
  return { inputs: [...def.inputs], write };
}

/** What the remote computes from these inputs by its lookup; undefined when the lookup has no such combination. */
export function derivedValue(
  def: Pick<DerivedFieldDefinition, 'inputs' | 'lookup'>,
  inputs: Readonly<Record<string, string>>,
): string | undefined {
  return def.lookup.find((row) => def.inputs.every((f) => row.inputs[f] === inputs[f]))?.value;
}

export type DerivedWrite = { ok: true; fields: Record<string, string> } | { ok: false; reason: string };

/** The inputs to write for a derived field to become `value`: the matrix's entry for it. */
export function inputsFor(field: string, matrix: DerivedMatrix, value: string): DerivedWrite {
  const entry = matrix.write.find((w) => w.value === value);
  if (!entry || matrix.inputs.some((f) => !entry.set[f]))
    return {
      ok: false,
      reason: `${field} ${value} has no ${matrix.inputs.join(' and ')} to write in the connection's matrix`,
    };
  return { ok: true, fields: Object.fromEntries(matrix.inputs.map((f) => [f, entry.set[f]!])) };
}

/**
 * The matrix a connection keeps: the one it was given where it speaks of the system's inputs (its entries for
 * values and inputs the system knows), filled in from the system's own matrix for every value it leaves out.
 */
export function matrixFor(def: DerivedFieldDefinition, given: DerivedMatrix | undefined): DerivedMatrix {
  const own = defaultMatrix(def);
  const same = given && given.inputs.length === def.inputs.length && def.inputs.every((f) => given.inputs.includes(f));
  if (!same) return own;
  return {
    inputs: own.inputs,
    write: own.write.map((w) => {
      const chosen = given.write.find((g) => g.value === w.value);
      return chosen && def.inputs.every((f) => chosen.set[f])
        ? { value: w.value, set: Object.fromEntries(def.inputs.map((f) => [f, chosen.set[f]!])) }
        : w;
    }),
  };
}

/** A value whose matrix entry the remote's own lookup computes as another value (the instance may differ: a hint, not a refusal). */
export function matrixDisagreements(
  def: DerivedFieldDefinition,
  matrix: DerivedMatrix,
  systemLabel = 'the system',
): string[] {
  return matrix.write.flatMap((w) => {
    const computed = derivedValue(def, w.set);
    return computed !== undefined && computed !== w.value
      ? [
          `${def.inputs.map((f) => `${f} ${w.set[f]}`).join(' and ')} give ${def.field} ${computed} by ${systemLabel}'s default lookup, not ${w.value}`,
        ]
      : [];
  });
}
