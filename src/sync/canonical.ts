/**
 * Canonical values are what the engine compares: each connector maps its own
 * representation to these, so "the same" means the same on both sides.
 */
export type CanonicalValue = string | number | boolean | null | readonly string[];

/** Values of set-like fields (labels) compare regardless of order. */
export function canonicalEqual(a: CanonicalValue | undefined, b: CanonicalValue | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined) return false;
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return false;
    const sa = [...a].sort();
    const sb = [...b].sort();
    return sa.every((v, i) => v === sb[i]);
  }
  // Empty string and null both mean "no value" to a person.
  if ((a === '' && b === null) || (a === null && b === '')) return true;
  return false;
}
