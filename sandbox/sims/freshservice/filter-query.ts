/**
 * The filter endpoint's query language (FS-DOC "Filter Tickets"):
 * `"priority:3 AND (status:2 OR status:6) AND jira_issue:'ITS-4'"`, double-
 * quoted, at most 512 characters, over standard and custom fields; `:>` and
 * `:<` compare numbers and dates (inclusive), `tag:'x'` matches a ticket
 * holding that tag, `null` matches a blank field.
 */
import { invalidValue } from './errors';
import type { CustomValue, IndexedFields } from './store';

export type TicketPredicate = (fields: IndexedFields) => boolean;

const DATE_FIELDS = new Set(['created_at', 'updated_at', 'due_by']);
const MAX_QUERY_LENGTH = 512;

type Token = { kind: 'word' | 'string' | 'op' | 'paren'; text: string };

const refuse = (why: string) => invalidValue('query', why);

function tokenize(query: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < query.length) {
    const ch = query[i]!;
    if (/\s/.test(ch)) i += 1;
    else if (ch === '(' || ch === ')') (tokens.push({ kind: 'paren', text: ch }), (i += 1));
    else if (ch === ':') {
      const op = query[i + 1] === '>' || query[i + 1] === '<' ? `:${query[i + 1]}` : ':';
      tokens.push({ kind: 'op', text: op });
      i += op.length;
    } else if (ch === "'") {
      const end = query.indexOf("'", i + 1);
      if (end < 0) throw refuse('A quoted value is not closed');
      tokens.push({ kind: 'string', text: query.slice(i + 1, end) });
      i = end + 1;
    } else {
      const m = /^[^\s():']+/.exec(query.slice(i));
      if (!m) throw refuse(`Unexpected character ${ch}`);
      tokens.push({ kind: 'word', text: m[0] });
      i += m[0].length;
    }
  }
  return tokens;
}

/** Parses the `query` parameter as sent (with its double quotes) into a predicate over a ticket's indexed fields. */
export function parseFilterQuery(raw: string | undefined, knownFields: ReadonlySet<string>): TicketPredicate {
  if (raw === undefined || raw === '') throw refuse('The query parameter is required');
  if (!(raw.length >= 2 && raw.startsWith('"') && raw.endsWith('"')))
    throw refuse('The query must be enclosed in double quotes');
  const query = raw.slice(1, -1);
  if (query.length > MAX_QUERY_LENGTH) throw refuse(`The query must be at most ${MAX_QUERY_LENGTH} characters`);
  const tokens = tokenize(query);
  let pos = 0;
  const peek = () => tokens[pos];
  const next = () => {
    const t = tokens[pos++];
    if (!t) throw refuse('The query ends too soon');
    return t;
  };

  const condition = (): TicketPredicate => {
    const field = next();
    if (field.kind !== 'word') throw refuse(`Expected a field name, found ${field.text}`);
    if (!knownFields.has(field.text)) throw refuse(`${field.text} is not a field that can be filtered on`);
    const op = next();
    if (op.kind !== 'op') throw refuse(`Expected : after ${field.text}`);
    const value = next();
    if (value.kind !== 'word' && value.kind !== 'string') throw refuse(`Expected a value for ${field.text}`);
    return compare(field.text, op.text, value);
  };
  const factor = (): TicketPredicate => {
    if (peek()?.text === '(') {
      next();
      const inner = orExpr();
      if (next().text !== ')') throw refuse('A parenthesis is not closed');
      return inner;
    }
    return condition();
  };
  const andExpr = (): TicketPredicate => {
    const parts = [factor()];
    while (peek()?.kind === 'word' && peek()?.text.toUpperCase() === 'AND') {
      next();
      parts.push(factor());
    }
    return (f) => parts.every((p) => p(f));
  };
  const orExpr = (): TicketPredicate => {
    const parts = [andExpr()];
    while (peek()?.kind === 'word' && peek()?.text.toUpperCase() === 'OR') {
      next();
      parts.push(andExpr());
    }
    return (f) => parts.some((p) => p(f));
  };
  const predicate = orExpr();
  if (pos !== tokens.length) throw refuse(`Unexpected ${tokens[pos]!.text}`);
  return predicate;
}

function literal(field: string, token: Token): CustomValue {
  if (token.kind === 'string') {
    if (!DATE_FIELDS.has(field)) return token.text;
    const ms = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(token.text) ? `${token.text}T00:00:00Z` : token.text);
    if (Number.isNaN(ms)) throw refuse(`${token.text} is not a date (yyyy-mm-dd)`);
    return ms;
  }
  if (token.text === 'null') return null;
  if (token.text === 'true' || token.text === 'false') return token.text === 'true';
  if (/^-?\d+(\.\d+)?$/.test(token.text)) return Number(token.text);
  throw refuse(`Strings must be in single quotes: ${token.text}`);
}

function compare(field: string, op: string, token: Token): TicketPredicate {
  const wanted = literal(field, token);
  return (fields) => {
    const held = fields[field];
    if (Array.isArray(held))
      return op === ':' && held.some((h) => String(h).toLowerCase() === String(wanted).toLowerCase());
    if (op === ':') {
      if (wanted === null) return held === null || held === undefined || held === '';
      // A date equals the whole day it names.
      if (DATE_FIELDS.has(field) && typeof held === 'number' && typeof wanted === 'number')
        return held >= wanted && held < wanted + 86_400_000;
      return typeof held === 'string' && typeof wanted === 'string'
        ? held.toLowerCase() === wanted.toLowerCase()
        : held === wanted;
    }
    if (typeof held !== 'number' || typeof wanted !== 'number') return false;
    // `:<` on a date takes the whole day it names.
    if (op === ':<') return DATE_FIELDS.has(field) ? held < wanted + 86_400_000 : held <= wanted;
    return held >= wanted;
  };
}
