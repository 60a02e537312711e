/**
 * ServiceNow encoded queries as an instance reads them: `^` is AND, `^OR`
 * binds tighter (A^B^ORC = A AND (B OR C)), `^NQ` starts another query OR'ed
 * with the first, `^^` is a literal `^` inside a value, ORDERBY/ORDERBYDESC
 * sort. A term naming an unknown field is dropped, so the rest of the query
 * still applies: the real, dangerous behaviour (vendor-apis.md §1.2).
 */
export interface Term {
  field: string;
  op: string;
  value: string;
}

export interface ParsedQuery {
  /** OR of groups; each group is an AND of OR-lists of terms. */
  groups: Term[][][];
  orderBy: Array<{ field: string; descending: boolean }>;
}

const TERM =
  /^([a-z_][a-z0-9_.]*?)(ISNOTEMPTY|ISEMPTY|!=|>=|<=|=|>|<|NOT IN|IN|NOTLIKE|LIKE|STARTSWITH|ENDSWITH)([\s\S]*)$/;

/** Splits on single `^`, turning `^^` back into a literal `^`. */
function splitTerms(query: string): string[] {
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < query.length; i++) {
    if (query[i] === '^') {
      if (query[i + 1] === '^') {
        current += '^';
        i++;
        continue;
      }
      parts.push(current);
      current = '';
      continue;
    }
    current += query[i];
  }
  parts.push(current);
  return parts;
}

export function parseEncodedQuery(query: string): ParsedQuery {
  const result: ParsedQuery = { groups: [[]], orderBy: [] };
  for (const raw of splitTerms(query)) {
    if (!raw) continue;
    let text = raw;
    let kind: 'and' | 'or' | 'nq' = 'and';
    if (text.startsWith('NQ')) {
      kind = 'nq';
      text = text.slice(2);
    } else if (text.startsWith('OR') && !text.startsWith('ORDERBY')) {
      kind = 'or';
      text = text.slice(2);
    }
    if (text.startsWith('ORDERBYDESC')) {
      result.orderBy.push({ field: text.slice(11), descending: true });
      continue;
    }
    if (text.startsWith('ORDERBY')) {
      result.orderBy.push({ field: text.slice(7), descending: false });
      continue;
    }
    const m = TERM.exec(text);
    if (!m) continue; // unparseable terms are ignored, as the instance does
    const term: Term = { field: m[1]!, op: m[2]!, value: m[3]! };
    if (kind === 'nq') result.groups.push([[term]]);
    else {
      const group = result.groups[result.groups.length - 1]!;
      if (kind === 'or' && group.length) group[group.length - 1]!.push(term);
      else group.push([term]);
    }
  }
  return result;
}

function compare(a: string, b: string): number {
  const na = Number(a);
  const nb = Number(b);
  if (a !== '' && b !== '' && !Number.isNaN(na) && !Number.isNaN(nb)) return na - nb;
  return a < b ? -1 : a > b ? 1 : 0;
}

export function termMatches(record: Record<string, string>, t: Term): boolean {
  const v = record[t.field] ?? '';
  switch (t.op) {
    case '=':
      return v === t.value;
    case '!=':
      return v !== t.value;
    case '>':
      return compare(v, t.value) > 0;
    case '>=':
      return compare(v, t.value) >= 0;
    case '<':
      return compare(v, t.value) < 0;
    case '<=':
      return compare(v, t.value) <= 0;
    case 'IN':
      return t.value.split(',').includes(v);
    case 'NOT IN':
      return !t.value.split(',').includes(v);
    case 'LIKE':
      return v.toLowerCase().includes(t.value.toLowerCase());
    case 'NOTLIKE':
      return !v.toLowerCase().includes(t.value.toLowerCase());
    case 'STARTSWITH':
      return v.toLowerCase().startsWith(t.value.toLowerCase());
    case 'ENDSWITH':
      return v.toLowerCase().endsWith(t.value.toLowerCase());
    case 'ISEMPTY':
      return v === '';
    case 'ISNOTEMPTY':
      return v !== '';
    default:
      return false;
  }
}

/** Filters and sorts records; terms on fields not in `knownFields` are dropped. */
export function runQuery(
  records: Array<Record<string, string>>,
  query: string,
  knownFields: ReadonlySet<string>,
): Array<Record<string, string>> {
  const parsed = parseEncodedQuery(query);
  const groups = parsed.groups.map((g) =>
    g.map((ors) => ors.filter((t) => knownFields.has(t.field))).filter((ors) => ors.length > 0),
  );
  const matchesAll = (r: Record<string, string>) =>
    groups.some((g) => g.every((ors) => ors.some((t) => termMatches(r, t))));
  const out = records.filter(matchesAll);
  const order = parsed.orderBy.filter((o) => knownFields.has(o.field));
  if (order.length) {
    out.sort((a, b) => {
      for (const o of order) {
        const c = compare(a[o.field] ?? '', b[o.field] ?? '');
        if (c) return o.descending ? -c : c;
      }
      return 0;
    });
  }
  return out;
}
