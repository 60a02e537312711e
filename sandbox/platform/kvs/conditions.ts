/** Evaluating Forge storage conditions (`WhereConditions`, `FilterConditions`). */
export interface Condition {
  property?: string;
  condition: string;
  values: unknown[];
}

export type Scalar = string | number | boolean;

/** Orders numbers numerically, strings lexicographically, numbers before strings. */
export function compareScalars(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'number') return -1;
  if (typeof b === 'number') return 1;
  const sa = String(a);
  const sb = String(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

export const RANGE_CONDITIONS = new Set([
  'BEGINS_WITH',
  'BETWEEN',
  'EQUAL_TO',
  'GREATER_THAN',
  'GREATER_THAN_EQUAL_TO',
  'LESS_THAN',
  'LESS_THAN_EQUAL_TO',
]);
export const FILTER_CONDITIONS = new Set([
  ...RANGE_CONDITIONS,
  'CONTAINS',
  'NOT_CONTAINS',
  'EXISTS',
  'NOT_EXISTS',
  'NOT_EQUAL_TO',
]);

export function matches(value: unknown, c: Condition): boolean {
  const [v0, v1] = c.values;
  switch (c.condition) {
    case 'EXISTS':
      return value !== undefined;
    case 'NOT_EXISTS':
      return value === undefined;
  }
  if (value === undefined) return c.condition === 'NOT_EQUAL_TO' || c.condition === 'NOT_CONTAINS';
  switch (c.condition) {
    case 'EQUAL_TO':
      return compareScalars(value, v0) === 0 && typeof value === typeof v0;
    case 'NOT_EQUAL_TO':
      return !(compareScalars(value, v0) === 0 && typeof value === typeof v0);
    case 'BEGINS_WITH':
      return String(value).startsWith(String(v0));
    case 'BETWEEN':
      return compareScalars(value, v0) >= 0 && compareScalars(value, v1) <= 0;
    case 'GREATER_THAN':
      return compareScalars(value, v0) > 0;
    case 'GREATER_THAN_EQUAL_TO':
      return compareScalars(value, v0) >= 0;
    case 'LESS_THAN':
      return compareScalars(value, v0) < 0;
    case 'LESS_THAN_EQUAL_TO':
      return compareScalars(value, v0) <= 0;
    case 'CONTAINS':
      return Array.isArray(value) ? value.some((x) => x === v0) : String(value).includes(String(v0));
    case 'NOT_CONTAINS':
      return Array.isArray(value) ? !value.some((x) => x === v0) : !String(value).includes(String(v0));
    default:
      return false;
  }
}

export type FilterGroup = { and: Condition[] } | { or: Condition[] };

export function matchesFilter(record: Record<string, unknown> | undefined, filter: FilterGroup): boolean {
  const get = (c: Condition) => (record ? record[c.property ?? ''] : undefined);
  if ('and' in filter) return filter.and.every((c) => matches(get(c), c));
  return filter.or.some((c) => matches(get(c), c));
}
