/**
 * A real subset of JQL: parsing with Jira-style error messages, evaluation
 * against the simulator's issues, ORDER BY, and the /jql/parse structure.
 *
 * Grammar (keywords case-insensitive, NOT > AND > OR):
 *   query   := [or] [ORDER BY sortKey (, sortKey)*]
 *   or      := and (OR and)*
 *   and     := unary (AND unary)*
 *   unary   := NOT unary | '(' or ')' | clause
 *   clause  := field op operand | field IS [NOT] (EMPTY|NULL) | field [NOT] IN (list)
 */

export type Operand =
  | { kind: 'value'; value: string; quoted: boolean }
  | { kind: 'function'; name: string; args: string[] }
  | { kind: 'empty' }
  | { kind: 'list'; values: Operand[] };

export type JqlNode =
  | { kind: 'and' | 'or'; clauses: JqlNode[] }
  | { kind: 'not'; clause: JqlNode }
  | { kind: 'clause'; field: string; operator: string; operand: Operand };

export interface SortKey {
  field: string;
  direction: 'asc' | 'desc';
}

export interface JqlQuery {
  where?: JqlNode;
  orderBy: SortKey[];
}

export class JqlError extends Error {}

type Token = { type: 'word' | 'string' | 'op' | 'paren' | 'comma'; text: string; pos: number };

const OPERATORS = ['!=', '>=', '<=', '!~', '=', '~', '>', '<'];

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '(' || c === ')') {
      tokens.push({ type: 'paren', text: c, pos: i++ });
      continue;
    }
    if (c === ',') {
      tokens.push({ type: 'comma', text: c, pos: i++ });
      continue;
    }
    const op = OPERATORS.find((o) => text.startsWith(o, i));
    if (op) {
      tokens.push({ type: 'op', text: op, pos: i });
      i += op.length;
      continue;
    }
    if (c === '"' || c === "'") {
      const start = i++;
      let value = '';
      while (i < text.length && text[i] !== c) {
        if (text[i] === '\\' && i + 1 < text.length) i++;
        value += text[i++];
      }
      if (i >= text.length)
        throw new JqlError(
          `Error in the JQL Query: The quoted string '${value}' has not been completed. (line 1, character ${start + 1})`,
        );
      i++;
      tokens.push({ type: 'string', text: value, pos: start });
      continue;
    }
    const start = i;
    let word = '';
    while (i < text.length && !/[\s(),=!<>~"']/.test(text[i]!)) {
      if (text[i] === '[') {
        // cf[10010]
        while (i < text.length && text[i] !== ']') word += text[i++];
      }
      word += text[i++];
    }
    if (!word)
      throw new JqlError(
        `Error in the JQL Query: The character '${c}' is a reserved JQL character. (line 1, character ${start + 1})`,
      );
    tokens.push({ type: 'word', text: word, pos: start });
  }
  return tokens;
}

export function parseJql(text: string): JqlQuery {
  const tokens = tokenize(text);
  let at = 0;
  const peek = () => tokens[at];
  const isKw = (t: Token | undefined, kw: string) => t?.type === 'word' && t.text.toUpperCase() === kw;
  const where = (t: Token | undefined) =>
    t ? `(line 1, character ${t.pos + 1})` : `(line 1, character ${text.length + 1})`;

  function operand(): Operand {
    const t = tokens[at++];
    if (!t)
      throw new JqlError(
        `Error in the JQL Query: Expecting either a value, list or function but got end of query. ${where(t)}`,
      );
    if (t.type === 'paren' && t.text === '(') {
      const values: Operand[] = [];
      for (;;) {
        values.push(operand());
        const n = tokens[at++];
        if (n?.type === 'comma') continue;
        if (n?.type === 'paren' && n.text === ')') break;
        throw new JqlError(`Error in the JQL Query: Expecting ')' before the end of the query. ${where(n)}`);
      }
      return { kind: 'list', values };
    }
    if (t.type === 'string') return { kind: 'value', value: t.text, quoted: true };
    if (t.type !== 'word')
      throw new JqlError(
        `Error in the JQL Query: Expecting either a value, list or function but got '${t.text}'. ${where(t)}`,
      );
    if (/^(EMPTY|NULL)$/i.test(t.text)) return { kind: 'empty' };
    if (peek()?.type === 'paren' && peek()!.text === '(') {
      at++;
      const args: string[] = [];
      while (peek() && !(peek()!.type === 'paren' && peek()!.text === ')')) {
        const a = tokens[at++]!;
        if (a.type !== 'comma') args.push(a.text);
      }
      at++;
      return { kind: 'function', name: t.text.toLowerCase(), args };
    }
    return { kind: 'value', value: t.text, quoted: false };
  }

  function clause(): JqlNode {
    const f = tokens[at++];
    if (!f || (f.type !== 'word' && f.type !== 'string'))
      throw new JqlError(
        `Error in the JQL Query: Expecting a field name but got '${f?.text ?? 'end of query'}'. ${where(f)}`,
      );
    const field = f.text;
    const t = tokens[at];
    if (isKw(t, 'IS')) {
      at++;
      const not = isKw(peek(), 'NOT');
      if (not) at++;
      const v = tokens[at++];
      if (!v || !/^(EMPTY|NULL)$/i.test(v.text))
        throw new JqlError(
          `Error in the JQL Query: Expecting 'EMPTY' or 'NULL' but got '${v?.text ?? 'end of query'}'. ${where(v)}`,
        );
      return { kind: 'clause', field, operator: not ? 'is not' : 'is', operand: { kind: 'empty' } };
    }
    if (isKw(t, 'IN') || (isKw(t, 'NOT') && isKw(tokens[at + 1], 'IN'))) {
      const not = isKw(t, 'NOT');
      at += not ? 2 : 1;
      const list = operand();
      if (list.kind !== 'list')
        throw new JqlError(
          `Error in the JQL Query: Expecting '(' but got '${tokens[at - 1]?.text}'. ${where(tokens[at - 1])}`,
        );
      return { kind: 'clause', field, operator: not ? 'not in' : 'in', operand: list };
    }
    if (t?.type !== 'op')
      throw new JqlError(
        `Error in the JQL Query: Expecting operator but got '${t?.text ?? 'end of query'}'. The valid operators are '=', '!=', '<', '>', '<=', '>=', '~', '!~', 'IN', 'NOT IN', 'IS' and 'IS NOT'. ${where(t)}`,
      );
    at++;
    return { kind: 'clause', field, operator: t.text, operand: operand() };
  }

  function unary(): JqlNode {
    const t = peek();
    if (isKw(t, 'NOT') || t?.text === '!') {
      at++;
      return { kind: 'not', clause: unary() };
    }
    if (t?.type === 'paren' && t.text === '(') {
      at++;
      const inner = or();
      const close = tokens[at++];
      if (!(close?.type === 'paren' && close.text === ')'))
        throw new JqlError(
          `Error in the JQL Query: Expecting ')' but got '${close?.text ?? 'end of query'}'. ${where(close)}`,
        );
      return inner;
    }
    return clause();
  }

  function and(): JqlNode {
    const clauses = [unary()];
    while (isKw(peek(), 'AND') || peek()?.text === '&&') {
      at++;
      clauses.push(unary());
    }
    return clauses.length === 1 ? clauses[0]! : { kind: 'and', clauses };
  }

  function or(): JqlNode {
    const clauses = [and()];
    while (isKw(peek(), 'OR') || peek()?.text === '||') {
      at++;
      clauses.push(and());
    }
    return clauses.length === 1 ? clauses[0]! : { kind: 'or', clauses };
  }

  const query: JqlQuery = { orderBy: [] };
  if (at < tokens.length && !isKw(peek(), 'ORDER')) query.where = or();
  if (isKw(peek(), 'ORDER')) {
    at++;
    if (!isKw(tokens[at++], 'BY'))
      throw new JqlError(
        `Error in the JQL Query: Expecting 'BY' but got '${tokens[at - 1]?.text ?? 'end of query'}'. ${where(tokens[at - 1])}`,
      );
    for (;;) {
      const f = tokens[at++];
      if (!f) throw new JqlError(`Error in the JQL Query: Expecting a field name but got end of query. ${where(f)}`);
      let direction: 'asc' | 'desc' = 'asc';
      if (isKw(peek(), 'ASC') || isKw(peek(), 'DESC')) direction = tokens[at++]!.text.toLowerCase() as 'asc' | 'desc';
      query.orderBy.push({ field: f.text, direction });
      if (peek()?.type === 'comma') {
        at++;
        continue;
      }
      break;
    }
  }
  if (at < tokens.length)
    throw new JqlError(
      `Error in the JQL Query: Expecting either 'OR' or 'AND' but got '${tokens[at]!.text}'. ${where(tokens[at])}`,
    );
  return query;
}

/** What the evaluator needs to know about an issue. */
export interface JqlIssueView {
  id: string;
  key: string;
  projectKey: string;
  projectId: string;
  projectName: string;
  issueTypeId: string;
  issueTypeName: string;
  /** The parent's key and id (`parent = KEY`, `parent in (…)`, `parent is EMPTY`), null without one. */
  parentKey?: string | null;
  parentId?: string | null;
  statusId: string;
  statusName: string;
  statusCategory: string;
  priorityId?: string;
  priorityName?: string;
  labels: string[];
  assignee?: string | null;
  reporter?: string | null;
  created: number;
  updated: number;
  resolved?: number | null;
  /** The due date, a calendar day `yyyy-MM-dd`. */
  duedate?: string | null;
  summary: string;
  description: string;
  comments: string[];
  custom: Record<string, unknown>;
  /** Issue entity properties, searchable as issue.property[key].path (Jira needs them indexed by an app's jira:entityProperty module). */
  properties: Record<string, unknown>;
}

export interface JqlContext {
  now: number;
  currentAccountId?: string;
  customFieldIds: string[];
}

const KNOWN_FIELDS = new Set([
  'project',
  'key',
  'issuekey',
  'id',
  'issue',
  'issuetype',
  'type',
  'parent',
  'status',
  'statuscategory',
  'priority',
  'labels',
  'assignee',
  'reporter',
  'created',
  'createddate',
  'updated',
  'updateddate',
  'resolved',
  'resolutiondate',
  'due',
  'duedate',
  'summary',
  'description',
  'comment',
  'text',
]);
const DATE_FIELDS = new Set([
  'created',
  'createddate',
  'updated',
  'updateddate',
  'resolved',
  'resolutiondate',
  'due',
  'duedate',
]);
const TEXT_FIELDS = new Set(['summary', 'description', 'comment', 'text']);

const PROPERTY_FIELD = /^issue\.property\[([^\]]+)\]\.(.+)$/i;

function propertyValue(issue: JqlIssueView, field: string): unknown[] | undefined {
  const m = PROPERTY_FIELD.exec(field);
  if (!m) return undefined;
  let v: unknown = issue.properties[m[1]!];
  for (const part of m[2]!.split('.'))
    v = v && typeof v === 'object' ? (v as Record<string, unknown>)[part] : undefined;
  if (v === undefined || v === null) return [null];
  return Array.isArray(v) ? v : [v];
}

function customId(field: string): string | undefined {
  const m = /^cf\[(\d+)\]$/i.exec(field) ?? /^customfield_(\d+)$/i.exec(field);
  return m ? `customfield_${m[1]}` : undefined;
}

export function validateFields(query: JqlQuery, ctx: JqlContext): string[] {
  const errors: string[] = [];
  const check = (field: string) => {
    const lower = field.toLowerCase();
    const cf = customId(field);
    if (!KNOWN_FIELDS.has(lower) && !(cf && ctx.customFieldIds.includes(cf)) && !PROPERTY_FIELD.test(field))
      errors.push(`Field '${field}' does not exist or you do not have permission to view it.`);
  };
  const walk = (n: JqlNode | undefined) => {
    if (!n) return;
    if (n.kind === 'clause') {
      check(n.field);
      if (TEXT_FIELDS.has(n.field.toLowerCase()) && !['~', '!~', 'is', 'is not'].includes(n.operator)) {
        errors.push(`The operator '${n.operator}' is not supported by the '${n.field}' field.`);
      }
    } else if (n.kind === 'not') walk(n.clause);
    else n.clauses.forEach(walk);
  };
  walk(query.where);
  query.orderBy.forEach((s) => check(s.field));
  return errors;
}

function relativeDate(value: string, now: number): number | undefined {
  const m = /^([+-]?)(\d+)([wdhm])$/i.exec(value.trim());
  if (m) {
    const unit = { w: 604_800_000, d: 86_400_000, h: 3_600_000, m: 60_000 }[
      m[3]!.toLowerCase() as 'w' | 'd' | 'h' | 'm'
    ];
    return now + (m[1] === '-' ? -1 : 1) * Number(m[2]) * unit;
  }
  const d = /^(\d{4})[-/](\d{2})[-/](\d{2})(?:\s+(\d{2}):(\d{2}))?$/.exec(value.trim());
  if (d) return Date.UTC(Number(d[1]), Number(d[2]) - 1, Number(d[3]), Number(d[4] ?? 0), Number(d[5] ?? 0));
  return undefined;
}

function functionValue(op: Extract<Operand, { kind: 'function' }>, ctx: JqlContext): unknown {
  switch (op.name) {
    case 'currentuser':
      return ctx.currentAccountId ?? null;
    case 'now':
      return ctx.now;
    case 'startofday': {
      const d = new Date(ctx.now);
      return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
    }
    default:
      throw new JqlError(`Unable to find JQL function '${op.name}()'.`);
  }
}

function operandValues(op: Operand, ctx: JqlContext): unknown[] {
  switch (op.kind) {
    case 'value':
      return [op.value];
    case 'function':
      return [functionValue(op, ctx)];
    case 'empty':
      return [null];
    case 'list':
      return op.values.flatMap((v) => operandValues(v, ctx));
  }
}

/** The candidate values of a field on an issue, compared case-insensitively where Jira does. */
function fieldValues(issue: JqlIssueView, field: string): unknown[] {
  const property = propertyValue(issue, field);
  if (property) return property;
  switch (field.toLowerCase()) {
    case 'project':
      return [issue.projectKey, issue.projectId, issue.projectName];
    case 'key':
    case 'issuekey':
    case 'issue':
      return [issue.key];
    case 'id':
      return [issue.id];
    case 'issuetype':
    case 'type':
      return [issue.issueTypeName, issue.issueTypeId];
    case 'parent':
      return issue.parentKey ? [issue.parentKey, issue.parentId ?? null] : [null];
    case 'status':
      return [issue.statusName, issue.statusId];
    case 'statuscategory':
      return [issue.statusCategory];
    case 'priority':
      return [issue.priorityName ?? null, issue.priorityId ?? null];
    case 'labels':
      return issue.labels.length ? issue.labels : [null];
    case 'assignee':
      return [issue.assignee ?? null];
    case 'reporter':
      return [issue.reporter ?? null];
    case 'created':
    case 'createddate':
      return [issue.created];
    case 'updated':
    case 'updateddate':
      return [issue.updated];
    case 'resolved':
    case 'resolutiondate':
      return [issue.resolved ?? null];
    case 'due':
    case 'duedate':
      // A day compares as its start (UTC, the sim's user time zone).
      return [issue.duedate ? Date.parse(`${issue.duedate}T00:00:00Z`) : null];
    case 'summary':
      return [issue.summary];
    case 'description':
      return [issue.description || null];
    case 'comment':
      return issue.comments.length ? issue.comments : [null];
    case 'text':
      return [issue.summary, issue.description, ...issue.comments];
    default: {
      const id = customId(field);
      const v = id ? issue.custom[id] : undefined;
      if (v === undefined || v === null) return [null];
      return Array.isArray(v) ? v : [v];
    }
  }
}

function textMatches(haystack: unknown, needle: string): boolean {
  if (typeof haystack !== 'string') return false;
  const words = haystack
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
  const terms = needle
    .toLowerCase()
    .split(/[^\p{L}\p{N}*]+/u)
    .filter(Boolean);
  return (
    terms.length > 0 &&
    terms.every((t) =>
      t.endsWith('*') ? words.some((w) => w.startsWith(t.slice(0, -1))) : words.some((w) => w.startsWith(t)),
    )
  );
}

/** Compares issue keys by project then number, as Jira does for key ranges. */
function compareKeys(a: string, b: string): number {
  const [pa, na] = a.split('-');
  const [pb, nb] = b.split('-');
  return pa === pb ? Number(na) - Number(nb) : (pa ?? '').localeCompare(pb ?? '');
}

function evalClause(issue: JqlIssueView, n: Extract<JqlNode, { kind: 'clause' }>, ctx: JqlContext): boolean {
  const field = n.field.toLowerCase();
  const actual = fieldValues(issue, n.field);
  const isDate = DATE_FIELDS.has(field);
  const expected = operandValues(n.operand, ctx).map((v) =>
    isDate && typeof v === 'string' ? (relativeDate(v, ctx.now) ?? v) : v,
  );
  const eq = (a: unknown, b: unknown) =>
    a === null || b === null ? a === b : String(a).toLowerCase() === String(b).toLowerCase();
  const cmp = (a: unknown, b: unknown): number => {
    if (field === 'key' || field === 'issuekey') return compareKeys(String(a), String(b));
    if (typeof a === 'number' && typeof b === 'number') return a - b;
    return Number(a) - Number(b);
  };
  switch (n.operator) {
    case '=':
      return actual.some((a) => expected.some((e) => eq(a, e)));
    case '!=':
      return actual.every((a) => a !== null && expected.every((e) => !eq(a, e)));
    case 'in':
      return actual.some((a) => expected.some((e) => eq(a, e)));
    case 'not in':
      return actual.every((a) => a !== null && expected.every((e) => !eq(a, e)));
    case 'is':
      return actual.every((a) => a === null || a === '');
    case 'is not':
      return actual.some((a) => a !== null && a !== '');
    case '~':
      return actual.some((a) => textMatches(a, String(expected[0] ?? '')));
    case '!~':
      return !actual.some((a) => textMatches(a, String(expected[0] ?? '')));
    case '>':
      return actual.some((a) => a !== null && cmp(a, expected[0]) > 0);
    case '>=':
      return actual.some((a) => a !== null && cmp(a, expected[0]) >= 0);
    case '<':
      return actual.some((a) => a !== null && cmp(a, expected[0]) < 0);
    case '<=':
      return actual.some((a) => a !== null && cmp(a, expected[0]) <= 0);
    default:
      return false;
  }
}

export function matches(issue: JqlIssueView, node: JqlNode | undefined, ctx: JqlContext): boolean {
  if (!node) return true;
  switch (node.kind) {
    case 'and':
      return node.clauses.every((c) => matches(issue, c, ctx));
    case 'or':
      return node.clauses.some((c) => matches(issue, c, ctx));
    case 'not':
      return !matches(issue, node.clause, ctx);
    case 'clause':
      return evalClause(issue, node, ctx);
  }
}

export function compareIssues(orderBy: SortKey[]): (a: JqlIssueView, b: JqlIssueView) => number {
  // Jira's default order for a query without ORDER BY is newest first.
  const keys = orderBy.length ? orderBy : [{ field: 'created', direction: 'desc' as const }];
  return (a, b) => {
    for (const k of keys) {
      const f = k.field.toLowerCase();
      const va = fieldValues(a, k.field)[0];
      const vb = fieldValues(b, k.field)[0];
      let c: number;
      if (f === 'key' || f === 'issuekey') c = compareKeys(a.key, b.key);
      else if (typeof va === 'number' && typeof vb === 'number') c = va - vb;
      else if (va === null || va === undefined) c = vb === null || vb === undefined ? 0 : 1;
      else if (vb === null || vb === undefined) c = -1;
      else c = String(va).localeCompare(String(vb));
      if (c !== 0) return k.direction === 'desc' ? -c : c;
    }
    return compareKeys(a.key, b.key);
  };
}

/** `/search/jql` refuses queries that do not restrict anything (Jira's "unbounded JQL"). */
export function isBounded(query: JqlQuery): boolean {
  const restricts = (n: JqlNode | undefined): boolean => {
    if (!n) return false;
    if (n.kind === 'clause') return !['!=', 'not in', '!~', 'is not'].includes(n.operator);
    if (n.kind === 'not') return false;
    if (n.kind === 'and') return n.clauses.some(restricts);
    return n.clauses.every(restricts);
  };
  return restricts(query.where);
}

/** The `structure` of one query in `POST /rest/api/3/jql/parse`. */
export function parseStructure(query: JqlQuery): Record<string, unknown> {
  const operandJson = (op: Operand): Record<string, unknown> => {
    switch (op.kind) {
      case 'value':
        return { value: op.value };
      case 'function':
        return { function: op.name, arguments: op.args };
      case 'empty':
        return { keyword: 'empty' };
      case 'list':
        return { values: op.values.map(operandJson) };
    }
  };
  const clauseJson = (n: JqlNode): Record<string, unknown> => {
    switch (n.kind) {
      case 'and':
      case 'or':
        return { operator: n.kind, clauses: n.clauses.map(clauseJson) };
      case 'not':
        return { operator: 'not', clauses: [clauseJson(n.clause)] };
      case 'clause':
        return { field: { name: n.field }, operator: n.operator, operand: operandJson(n.operand) };
    }
  };
  return {
    ...(query.where ? { where: clauseJson(query.where) } : {}),
    ...(query.orderBy.length
      ? { orderBy: { fields: query.orderBy.map((s) => ({ field: { name: s.field }, direction: s.direction })) } }
      : {}),
  };
}
