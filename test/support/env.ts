/**
 * Knobs a test reads from the environment. A knob that would make a test run no case (0, a negative number, text)
 * fails the test at once: a test that ran nothing would otherwise pass without testing anything.
 */
export function positiveIntegerFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive whole number, not "${raw}"`);
  return n;
}

/** A whole number from the environment (a seed), or undefined when unset; anything else fails at once. */
export function integerFromEnv(name: string): number | undefined {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n)) throw new Error(`${name} must be a whole number, not "${raw}"`);
  return n;
}
