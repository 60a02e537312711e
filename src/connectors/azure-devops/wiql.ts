/**
 * Builds the WIQL the connector sends from typed conditions. Values are
 * always single-quoted with `'` doubled, so data such as a correlation id
 * `x' OR [System.Id] > '0` stays one literal and cannot widen the query
 * (vendor-apis.md §2.4); field names come from code or configuration and are
 * checked against the reference-name shape, never quoted by hand.
 */
export type WiqlValue = string | number;

export type WiqlCondition =
  | { field: string; op: '=' | '<>' | '>' | '>=' | '<' | '<=' | 'CONTAINS'; value: WiqlValue }
  | { field: string; op: 'IN' | 'NOT IN'; values: readonly WiqlValue[] }
  /** `[System.TeamProject] = @project`: the project of the route the query is posted to. */
  | { field: string; op: '= @project' };

export interface WiqlQuery {
  /** Conditions joined by AND. */
  where: readonly WiqlCondition[];
  orderBy?: { field: string; descending?: boolean };
}

const REFERENCE_NAME = /^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z0-9_]+)+$/;

export function field(name: string): string {
  // A bracket or quote in a field name would end the reference and let the rest read as WIQL.
  if (!REFERENCE_NAME.test(name)) throw new Error(`Invalid Azure DevOps field reference name '${name}'`);
  return `[${name}]`;
}

/** A WIQL literal: numbers as they are, everything else quoted with `'` doubled. */
export function literal(value: WiqlValue): string {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error('A WIQL number must be finite');
    return String(value);
  }
  return `'${value.replace(/'/g, "''")}'`;
}

/** A date-time literal for comparisons with `timePrecision=true` (UTC, milliseconds). */
export function wiqlDateTime(ms: number): string {
  return new Date(ms).toISOString();
}

function condition(c: WiqlCondition): string {
  const f = field(c.field);
  switch (c.op) {
    case '= @project':
      return `${f} = @project`;
    case 'IN':
    case 'NOT IN':
      if (!c.values.length) throw new Error(`An ${c.op} list needs at least one value`);
      return `${f} ${c.op} (${c.values.map(literal).join(', ')})`;
    default:
      return `${f} ${c.op} ${literal(c.value)}`;
  }
}

export function buildWiql(q: WiqlQuery): string {
  const where = q.where.length ? ` WHERE ${q.where.map(condition).join(' AND ')}` : '';
  const order = q.orderBy ? ` ORDER BY ${field(q.orderBy.field)} ${q.orderBy.descending ? 'DESC' : 'ASC'}` : '';
  return `SELECT [System.Id] FROM WorkItems${where}${order}`;
}
