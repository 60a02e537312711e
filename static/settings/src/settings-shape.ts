/**
 * Reading a system's settings shape (the JSON Schema of its registry entry's
 * `remoteSchema`): what people call a setting, which settings are a choice of
 * values or of methods, what a new connection starts with, and the schema at a
 * path. Pure; schema-form.tsx draws the form from it and problem-words.ts
 * names places with it.
 */
import type { JsonSchema } from './types';

/** Names every system's settings share (the registry's `SystemDefinition` requires `baseUrl`; `auth` is the sign-in). */
const SHARED_LABELS: Record<string, string> = { baseUrl: 'Instance URL', auth: 'Sign in with' };

export const humanize = (key: string) =>
  key
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/[_-]/g, ' ')
    .replace(/^./, (c) => c.toUpperCase());

export const labelOf = (key: string, prop: JsonSchema | undefined) =>
  prop?.title ?? SHARED_LABELS[key] ?? humanize(key);

const variantsOf = (s: JsonSchema) => s.oneOf ?? s.anyOf;
export const kindOf = (v: JsonSchema) => v.properties?.kind?.const as string | undefined;

/** Objects told apart by a constant `kind` (sign-in methods), or undefined. */
export function objectVariants(s: JsonSchema): JsonSchema[] | undefined {
  const variants = variantsOf(s);
  return variants?.length && variants.every((v) => kindOf(v) !== undefined) ? variants : undefined;
}

export interface Choice {
  value: string;
  label: string;
  description?: string;
}

/** A choice of plain values with what people call each (an option's title, else its value made readable). */
export function choicesOf(s: JsonSchema): Choice[] | undefined {
  if (s.enum) return s.enum.map((v) => ({ value: v, label: humanize(v) }));
  const variants = variantsOf(s);
  if (!variants?.length || !variants.every((v) => typeof v.const === 'string')) return undefined;
  return variants.map((v) => ({
    value: v.const as string,
    label: v.title ?? humanize(v.const as string),
    ...(v.description ? { description: v.description } : {}),
  }));
}

/** The value a new connection starts with: constants, defaults, and the first method of a choice of methods. */
export function initialValue(s: JsonSchema): unknown {
  if (s.const !== undefined) return s.const;
  if (s.default !== undefined) return s.default;
  const variants = objectVariants(s);
  if (variants) return initialValue(variants[0]!);
  if (s.type !== 'object' || !s.properties) return undefined;
  const out: Record<string, unknown> = {};
  for (const [key, prop] of Object.entries(s.properties)) {
    const v = initialValue(prop);
    if (v !== undefined) out[key] = v;
  }
  return out;
}

/** The schema of a settings path below `remote` (`auth.email`), through the method chosen in `value`. */
export function schemaAt(schema: JsonSchema, segments: readonly string[], value: unknown): JsonSchema | undefined {
  let node: JsonSchema | undefined = schema;
  let current = value as Record<string, unknown> | undefined;
  for (const segment of segments) {
    const variants: JsonSchema[] | undefined = node ? objectVariants(node) : undefined;
    if (variants) {
      const kind = current?.kind;
      node = variants.find((v) => kindOf(v) === kind) ?? variants[0];
    }
    // A list's entries are its `items` (`filter.0.field`).
    node = /^\d+$/.test(segment) && node?.items ? node.items : node?.properties?.[segment];
    current = current?.[segment] as Record<string, unknown> | undefined;
  }
  const variants = node ? objectVariants(node) : undefined;
  return variants ? (variants.find((v) => kindOf(v) === current?.kind) ?? node) : node;
}
