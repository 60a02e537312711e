/**
 * Builds ServiceNow encoded queries from typed conditions. Every value is
 * escaped (`^` → `^^`), so data such as a correlation id `JIRA-1^ORactive=true`
 * stays one value and cannot add conditions to the query (vendor-apis.md §1.2).
 */
export type Condition =
  | {
      field: string;
      op: '=' | '!=' | 'LIKE' | 'NOT LIKE' | 'STARTSWITH' | 'ENDSWITH' | '>' | '>=' | '<' | '<=';
      value: string;
    }
  | { field: string; op: 'IN' | 'NOT IN'; values: readonly string[] }
  | { field: string; op: 'ISEMPTY' | 'ISNOTEMPTY' };

/** Conditions of which one must hold (`A^ORB^ORC`): one term of the AND. */
export interface AnyOf {
  any: readonly [Condition, ...Condition[]];
}

export interface EncodedQuery {
  /** Conditions joined by AND; an `any` group is one of them (`^OR` binds tighter than `^`). */
  all: ReadonlyArray<Condition | AnyOf>;
  orderBy?: { field: string; descending?: boolean };
}

const FIELD_NAME = /^[a-z][a-z0-9_.]*$/;

/** `^` separates terms; inside a value it is written `^^`. */
export function escapeValue(value: string): string {
  return value.replace(/\^/g, '^^');
}

function field(name: string): string {
  // Field names come from configuration, never from remote data, but a bad one would silently widen the query.
  if (!FIELD_NAME.test(name)) throw new Error(`Invalid ServiceNow field name '${name}'`);
  return name;
}

function term(c: Condition): string {
  const f = field(c.field);
  switch (c.op) {
    case 'ISEMPTY':
    case 'ISNOTEMPTY':
      return `${f}${c.op}`;
    case 'IN':
    case 'NOT IN':
      if (c.values.some((v) => v.includes(','))) throw new Error(`A value in an ${c.op} list cannot contain a comma`);
      return `${f}${c.op === 'IN' ? 'IN' : 'NOT IN'}${c.values.map(escapeValue).join(',')}`;
    case 'NOT LIKE':
      return `${f}NOTLIKE${escapeValue(c.value)}`;
    default:
      return `${f}${c.op}${escapeValue(c.value)}`;
  }
}

export function encodeQuery(q: EncodedQuery): string {
  const parts = q.all.map((c) => ('any' in c ? c.any.map(term).join('^OR') : term(c)));
  if (q.orderBy) parts.push(`${q.orderBy.descending ? 'ORDERBYDESC' : 'ORDERBY'}${field(q.orderBy.field)}`);
  return parts.join('^');
}

/** ServiceNow's `sys_updated_on` literal: `YYYY-MM-DD HH:mm:ss` in UTC. */
export function glideDateTime(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').slice(0, 19);
}
