/**
 * Counted nouns for every page: "1 sync", "2 syncs", "1 person has", "3 people
 * have". One helper, so no page says "1 syncs" again. Pure (tested without a
 * browser).
 */

/** `n` with the word that agrees with it; `many` defaults to `one` + "s". */
export function count(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
