/**
 * WIQL: the flat `SELECT … FROM WorkItems WHERE … ORDER BY …` subset a sync
 * connector uses, parsed strictly (string literals with '' escaping, so a
 * quote in a value cannot widen the query), with the service's date
 * precision rule (no time part unless timePrecision=true) and macros
 * @project, @today[±n], @me.
 */
import { errors } from './errors';
import type { FieldDef } from './process';
import {
  isIdentityValue,
  type AdoStore,
  type FieldValue,
  type Identity,
  type Project,
  type WorkItemRecord,
} from './store';

type Token =
  | { kind: 'field'; text: string; bracketed: boolean }
  | { kind: 'string'; text: string }
  | { kind: 'number'; text: string; value: number }
  | { kind: 'macro'; text: string }
  | { kind: 'op'; text: string }
  | { kind: 'punct'; text: string }
  | { kind: 'end'; text: string };

const KEYWORDS = new Set([
  'select',
  'from',
  'where',
  'and',
  'or',
  'not',
  'order',
  'by',
  'asc',
  'desc',
  'contains',
  'words',
  'in',
  'under',
  'ever',
  'asof',
  'mode',
  'group',
]);

export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    if (ch === '[') {
      const end = text.indexOf(']', i);
      if (end < 0)
        throw errors.wiql(
          `TF51006: The query statement is missing a closing bracket. The error is caused by «${text.slice(i, i + 20)}».`,
        );
      out.push({ kind: 'field', text: text.slice(i + 1, end).trim(), bracketed: true });
      i = end + 1;
      continue;
    }
    if (ch === "'" || ch === '"') {
      let s = '';
      let j = i + 1;
      for (;;) {
        if (j >= text.length)
          throw errors.wiql(
            `TF51006: The query statement is missing a closing quotation mark. The error is caused by «${text.slice(i, i + 20)}».`,
          );
        if (text[j] === ch) {
          if (text[j + 1] === ch) {
            s += ch;
            j += 2;
            continue;
          }
          break;
        }
        s += text[j];
        j++;
      }
      out.push({ kind: 'string', text: s });
      i = j + 1;
      continue;
    }
    const two = text.slice(i, i + 2);
    if (['<>', '!=', '>=', '<='].includes(two)) {
      out.push({ kind: 'op', text: two });
      i += 2;
      continue;
    }
    if ('=<>'.includes(ch)) {
      out.push({ kind: 'op', text: ch });
      i++;
      continue;
    }
    if ('(),+-'.includes(ch)) {
      out.push({ kind: 'punct', text: ch });
      i++;
      continue;
    }
    if (ch === '@') {
      const m = /^@[A-Za-z]+/.exec(text.slice(i))!;
      if (!m) throw errors.wiql(`TF51006: Expecting a macro name. The error is caused by «@».`);
      out.push({ kind: 'macro', text: m[0].toLowerCase() });
      i += m[0].length;
      continue;
    }
    const num = /^\d+(\.\d+)?/.exec(text.slice(i));
    if (num) {
      out.push({ kind: 'number', text: num[0], value: Number(num[0]) });
      i += num[0].length;
      continue;
    }
    const word = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(text.slice(i));
    if (!word) throw errors.wiql(`TF51006: Unexpected character. The error is caused by «${ch}».`);
    out.push(
      KEYWORDS.has(word[0].toLowerCase())
        ? { kind: 'op', text: word[0].toLowerCase() }
        : { kind: 'field', text: word[0], bracketed: false },
    );
    i += word[0].length;
  }
  out.push({ kind: 'end', text: '' });
  return out;
}

type Operand =
  | { kind: 'value'; token: Token; offsetDays?: number }
  | { kind: 'list'; items: Array<{ token: Token; offsetDays?: number }> }
  | { kind: 'field'; def: FieldDef };
export type Expr =
  { kind: 'and' | 'or'; items: Expr[] } | { kind: 'cmp'; def: FieldDef; op: string; operand: Operand; source: string };

export interface ParsedQuery {
  select: FieldDef[];
  where?: Expr;
  orderBy: Array<{ def: FieldDef; descending: boolean }>;
  asOf?: string;
}

export function parseWiql(store: AdoStore, text: string): ParsedQuery {
  const t = tokenize(text);
  let p = 0;
  const peek = () => t[p]!;
  const next = () => t[p++]!;
  const fail = (expected: string): never => {
    const tok = peek();
    throw errors.wiql(
      `TF51006: Expecting ${expected}. The error is caused by «${tok.kind === 'end' ? '<end of query>' : tok.text}».`,
    );
  };
  const isOp = (w: string) => peek().kind === 'op' && peek().text === w;
  const expectOp = (w: string) => (isOp(w) ? next() : fail(w.toUpperCase()));
  const field = (): FieldDef => {
    const tok = peek();
    if (tok.kind !== 'field') return fail('field name');
    next();
    const def = store.field(tok.text);
    if (!def)
      throw errors.wiql(
        `TF51005: The query references a field that does not exist. The error is caused by «${tok.text}».`,
      );
    return def;
  };
  const value = (): { token: Token; offsetDays?: number } => {
    const tok = peek();
    if (tok.kind === 'punct' && tok.text === '-' && t[p + 1]?.kind === 'number') {
      next();
      const n = next() as Extract<Token, { kind: 'number' }>;
      return { token: { kind: 'number', text: `-${n.text}`, value: -n.value } };
    }
    if (tok.kind !== 'string' && tok.kind !== 'number' && tok.kind !== 'macro') return fail('a constant value');
    next();
    if (tok.kind === 'macro' && peek().kind === 'punct' && (peek().text === '+' || peek().text === '-')) {
      const sign = next().text === '-' ? -1 : 1;
      const n = peek();
      if (n.kind !== 'number') return fail('a number');
      next();
      return { token: tok, offsetDays: sign * n.value };
    }
    return { token: tok };
  };

  expectOp('select');
  const select = [field()];
  while (peek().kind === 'punct' && peek().text === ',') {
    next();
    select.push(field());
  }
  expectOp('from');
  const from = next();
  if (from.kind !== 'field' || from.text.toLowerCase() !== 'workitems') {
    throw errors.wiql(
      `TF51006: Only flat queries FROM WorkItems are supported by this simulator. The error is caused by «${from.text}».`,
    );
  }

  const comparison = (): Expr => {
    const start = p;
    const def = field();
    let op: string;
    const tok = peek();
    if (tok.kind === 'op' && ['=', '<>', '!=', '>', '<', '>=', '<='].includes(tok.text))
      op = next().text === '!=' ? '<>' : tok.text;
    else if (isOp('contains')) {
      next();
      op = isOp('words') ? (next(), 'contains words') : 'contains';
    } else if (isOp('in') || isOp('under') || isOp('ever')) op = next().text;
    else if (isOp('not')) {
      next();
      if (isOp('contains')) {
        next();
        op = isOp('words') ? (next(), 'not contains words') : 'not contains';
      } else if (isOp('in') || isOp('under') || isOp('ever')) op = `not ${next().text}`;
      else return fail('CONTAINS, IN, UNDER or EVER after NOT');
    } else return fail('a comparison operator');
    let operand: Operand;
    if (op === 'in' || op === 'not in') {
      if (!(peek().kind === 'punct' && peek().text === '(')) return fail('(');
      next();
      const items = [value()];
      while (peek().kind === 'punct' && peek().text === ',') {
        next();
        items.push(value());
      }
      if (!(peek().kind === 'punct' && peek().text === ')')) return fail(')');
      next();
      operand = { kind: 'list', items };
    } else if (peek().kind === 'field' && (peek() as { bracketed: boolean }).bracketed) {
      operand = { kind: 'field', def: field() };
    } else {
      operand = { kind: 'value', ...value() };
    }
    const source = t
      .slice(start, p)
      .map((x) => (x.kind === 'string' ? `'${x.text}'` : x.kind === 'field' && x.bracketed ? `[${x.text}]` : x.text))
      .join(' ');
    return { kind: 'cmp', def, op, operand, source };
  };
  const primary = (): Expr => {
    if (peek().kind === 'punct' && peek().text === '(') {
      next();
      const e = orExpr();
      if (!(peek().kind === 'punct' && peek().text === ')')) return fail(')');
      next();
      return e;
    }
    return comparison();
  };
  const andExpr = (): Expr => {
    const items = [primary()];
    while (isOp('and')) {
      next();
      items.push(primary());
    }
    return items.length === 1 ? items[0]! : { kind: 'and', items };
  };
  const orExpr = (): Expr => {
    const items = [andExpr()];
    while (isOp('or')) {
      next();
      items.push(andExpr());
    }
    return items.length === 1 ? items[0]! : { kind: 'or', items };
  };

  let where: Expr | undefined;
  if (isOp('where')) {
    next();
    where = orExpr();
  }
  const orderBy: ParsedQuery['orderBy'] = [];
  if (isOp('order')) {
    next();
    expectOp('by');
    for (;;) {
      const def = field();
      let descending = false;
      if (isOp('asc')) next();
      else if (isOp('desc')) {
        next();
        descending = true;
      }
      orderBy.push({ def, descending });
      if (peek().kind === 'punct' && peek().text === ',') next();
      else break;
    }
  }
  let asOf: string | undefined;
  if (isOp('asof')) {
    next();
    const tok = next();
    if (tok.kind !== 'string') return fail('a date after ASOF');
    asOf = tok.text;
  }
  if (peek().kind !== 'end') fail('end of query');
  return { select, where, orderBy, asOf };
}

export interface EvalContext {
  store: AdoStore;
  project?: Project;
  me: Identity;
  now: number;
  timePrecision: boolean;
}

const DAY = 86_400_000;
const dayOf = (ms: number) => Math.floor(ms / DAY) * DAY;

function itemValue(item: WorkItemRecord, fields: Record<string, FieldValue>, def: FieldDef): FieldValue | undefined {
  if (def.referenceName === 'System.Id') return item.id;
  return fields[def.referenceName];
}

/** A literal's value for a field's type; dates become epoch ms. */
function literal(
  ctx: EvalContext,
  def: FieldDef,
  v: { token: Token; offsetDays?: number },
  source: string,
): string | number | Identity {
  const tok = v.token;
  if (tok.kind === 'macro') {
    if (tok.text === '@project') {
      if (!ctx.project)
        throw errors.wiql(`The @project macro requires a project context. The error is caused by «@project».`);
      return ctx.project.name;
    }
    if (tok.text === '@today') return dayOf(ctx.now) + (v.offsetDays ?? 0) * DAY;
    if (tok.text === '@me') return ctx.me;
    throw errors.wiql(
      `The macro ${tok.text} is not supported by this simulator. The error is caused by «${tok.text}».`,
    );
  }
  if (def.type === 'dateTime') {
    const s = tok.text;
    const hasTime = /T|\d:\d/.test(s);
    const ms = Date.parse(/^\d{4}-\d\d-\d\d$/.test(s) ? `${s}T00:00:00Z` : s);
    if (Number.isNaN(ms))
      throw errors.wiql(
        `TF51006: The value '${s}' is not a valid date for the field '${def.name}'. The error is caused by «${source}».`,
      );
    if (hasTime && !ctx.timePrecision)
      throw errors.wiql(
        `You cannot supply a time with the date when running a query using date precision. The error is caused by «${source}».`,
      );
    return ms;
  }
  if (def.type === 'integer' || def.type === 'double') {
    const n = tok.kind === 'number' ? tok.value : Number(tok.text);
    if (tok.text.trim() === '' || Number.isNaN(n))
      throw errors.wiql(
        `TF51006: The value '${tok.text}' is not valid for the field '${def.name}'. The error is caused by «${source}».`,
      );
    return n;
  }
  return tok.text;
}

function identityMatches(ctx: EvalContext, v: FieldValue | undefined, lit: string | number | Identity): boolean {
  if (!isIdentityValue(v)) return lit === '';
  const who = ctx.store.identity(v.identityId)!;
  if (typeof lit === 'object') return lit.id === who.id;
  const s = String(lit).toLowerCase();
  return [who.displayName, who.uniqueName, `${who.displayName} <${who.uniqueName}>`].some((x) => x.toLowerCase() === s);
}

function compare(
  ctx: EvalContext,
  def: FieldDef,
  raw: FieldValue | undefined,
  op: string,
  lit: string | number | Identity,
): boolean {
  if (def.type === 'identity') {
    const eq = identityMatches(ctx, raw, lit);
    if (op === '=') return eq;
    if (op === '<>') return !eq;
    if (op === 'contains' || op === 'not contains') {
      const who = isIdentityValue(raw) ? ctx.store.identity(raw.identityId) : undefined;
      const hit = Boolean(
        who &&
        `${who.displayName} <${who.uniqueName}>`
          .toLowerCase()
          .includes(String(typeof lit === 'object' ? lit.uniqueName : lit).toLowerCase()),
      );
      return op === 'contains' ? hit : !hit;
    }
    return false;
  }
  if (def.type === 'dateTime') {
    if (raw === undefined) return op === '<>';
    const a = ctx.timePrecision ? Date.parse(String(raw)) : dayOf(Date.parse(String(raw)));
    const b = ctx.timePrecision ? Number(lit) : dayOf(Number(lit));
    return cmpOrdered(a, b, op);
  }
  if (def.type === 'integer' || def.type === 'double') {
    if (raw === undefined) return op === '<>';
    return cmpOrdered(Number(raw), Number(lit), op);
  }
  const a = raw === undefined ? '' : String(raw).toLowerCase();
  const b = String(lit).toLowerCase();
  switch (op) {
    case 'contains':
    case 'not contains': {
      const hit = def.referenceName === 'System.Tags' ? a.split('; ').includes(b) : a.includes(b);
      return op === 'contains' ? hit : !hit;
    }
    case 'contains words':
    case 'not contains words': {
      const plain = a.replace(/<[^>]*>/g, ' ');
      const hit = b
        .split(/\s+/)
        .filter(Boolean)
        .every((w) => new RegExp(`(^|\\W)${w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(\\W|$)`).test(plain));
      return op === 'contains words' ? hit : !hit;
    }
    case 'under':
    case 'not under': {
      const hit = a === b || a.startsWith(`${b}\\`);
      return op === 'under' ? hit : !hit;
    }
    default:
      return cmpOrdered(a, b, op);
  }
}

function cmpOrdered<T extends string | number>(a: T, b: T, op: string): boolean {
  switch (op) {
    case '=':
      return a === b;
    case '<>':
      return a !== b;
    case '>':
      return a > b;
    case '<':
      return a < b;
    case '>=':
      return a >= b;
    case '<=':
      return a <= b;
    default:
      throw errors.wiql(`TF51006: The operator ${op} cannot be used with this field.`);
  }
}

export function matches(ctx: EvalContext, item: WorkItemRecord, fields: Record<string, FieldValue>, e: Expr): boolean {
  if (e.kind !== 'cmp')
    return e.kind === 'and'
      ? e.items.every((x) => matches(ctx, item, fields, x))
      : e.items.some((x) => matches(ctx, item, fields, x));
  const raw = itemValue(item, fields, e.def);
  if (e.op === 'ever' || e.op === 'not ever') {
    if (e.operand.kind !== 'value')
      throw errors.wiql(`TF51006: EVER needs a value. The error is caused by «${e.source}».`);
    const lit = literal(ctx, e.def, e.operand, e.source);
    const hit = item.revisions.some((r) => compare(ctx, e.def, itemValue(item, r.fields, e.def), '=', lit));
    return e.op === 'ever' ? hit : !hit;
  }
  if (e.operand.kind === 'field') {
    const other = itemValue(item, fields, e.operand.def);
    if (isIdentityValue(other)) return compare(ctx, e.def, raw, e.op, ctx.store.identity(other.identityId)!);
    return compare(
      ctx,
      e.def,
      raw,
      e.op,
      e.def.type === 'dateTime' && other !== undefined
        ? Date.parse(String(other))
        : other === undefined
          ? ''
          : (other as string | number),
    );
  }
  if (e.operand.kind === 'list') {
    const operand = e.operand;
    const hit = operand.items.some((v) => compare(ctx, e.def, raw, '=', literal(ctx, e.def, v, e.source)));
    return e.op === 'in' ? hit : !hit;
  }
  return compare(ctx, e.def, raw, e.op, literal(ctx, e.def, e.operand, e.source));
}

/** Runs a parsed query over an organization's work items; returns the matching items in order. */
export function runWiql(ctx: EvalContext, q: ParsedQuery, items: Iterable<WorkItemRecord>): WorkItemRecord[] {
  const asOf = q.asOf ? Date.parse(q.asOf) : undefined;
  const rows: Array<{ item: WorkItemRecord; fields: Record<string, FieldValue> }> = [];
  for (const item of items) {
    if (item.deleted && (asOf === undefined || item.deleted.date <= asOf)) continue;
    const fields = asOf === undefined ? item.fields : [...item.revisions].reverse().find((r) => r.date <= asOf)?.fields;
    if (!fields) continue;
    if (!q.where || matches(ctx, item, fields, q.where)) rows.push({ item, fields });
  }
  const order = q.orderBy.length ? q.orderBy : [{ def: ctx.store.field('System.Id')!, descending: false }];
  rows.sort((x, y) => {
    for (const o of order) {
      const a = sortKey(ctx, itemValue(x.item, x.fields, o.def));
      const b = sortKey(ctx, itemValue(y.item, y.fields, o.def));
      if (a !== b) return (a < b ? -1 : 1) * (o.descending ? -1 : 1);
    }
    return x.item.id - y.item.id;
  });
  return rows.map((r) => r.item);
}

function sortKey(ctx: EvalContext, v: FieldValue | undefined): string | number {
  if (v === undefined) return '';
  if (isIdentityValue(v)) return ctx.store.identity(v.identityId)?.displayName.toLowerCase() ?? '';
  if (typeof v === 'string' && /^\d{4}-\d\d-\d\dT/.test(v)) return Date.parse(v);
  return typeof v === 'string' ? v.toLowerCase() : Number(v);
}
