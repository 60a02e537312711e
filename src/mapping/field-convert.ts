/**
 * Typed values across the two sides: numbers, dates, date-times, single and
 * multiple options, each read from its side's own form into the canonical
 * kind the pair meets in (field-kinds.ts) and written back in the target's
 * form: Jira's `yyyy-MM-dd` and `yyyy-MM-dd'T'HH:mm:ss.SSSZ`, an option as
 * `{value}` (a priority as `{name}`), the remote's date-time text as its
 * connector declares it (ServiceNow's `yyyy-MM-dd HH:mm:ss` in UTC), numbers
 * at the target's precision.
 *
 * A date meets a date-time in the connection's time zone: a date is the day
 * at midnight there, and a date-time is the day it falls on there, so a date
 * is never shifted a day by the way across. Pure.
 */
import type { BodyOptions } from '../content/conversion';
import type { BodyFormat } from '../content/body-format';
import type { CanonicalValue } from '../sync/canonical';
import type { CanonicalKind, FieldKind } from './field-kinds';
import type { TemplateContext } from './template';
import type { RuleInputs } from './rules';

/** How a system writes a date-time as text, where not ISO 8601. */
import type { DateTimeText } from '../vocabulary/system-terms';
export type { DateTimeText };

export const ISO_DATE_TIME: DateTimeText = {
  format: (ms) => new Date(ms).toISOString(),
  parse: (text) => {
    const ms = Date.parse(text);
    return Number.isNaN(ms) ? undefined : ms;
  },
};

export interface Conversion {
  /** IANA time zone in which dates meet date-times (the connection's). */
  timeZone: string;
  /** The remote's date-time text (its connector's `capabilities.dateTimeText`). */
  remoteDateTime: DateTimeText;
  /** The format the remote keeps rich text in (its `capabilities.descriptionFormat`): Jira's documents are read at its projection. */
  richText?: BodyFormat;
  /** How one pair's people and inline files read and write in the remote's rich text (sync/body-options.ts). */
  bodies?: BodyOptions;
  /** The item on each side, for a template's keys (template.ts). */
  item?: TemplateContext;
  /**
   * Both sides' fields as read, raw, for a pair's rules (rules.ts): a condition may read the other side's fields.
   * Absent (an item being made): the other side's fields read as empty.
   */
  ruleInputs?: RuleInputs;
}

export const DEFAULT_CONVERSION: Conversion = { timeZone: 'UTC', remoteDateTime: ISO_DATE_TIME };

/** A connection's conversion: its time zone, and its remote's date-time text (ISO 8601 where the connector names none). */
export function conversionOf(
  config: { timeZone?: string | undefined },
  capabilities: { dateTimeText?: DateTimeText | undefined; descriptionFormat?: BodyFormat },
  item?: TemplateContext,
): Conversion {
  return {
    timeZone: config.timeZone ?? 'UTC',
    remoteDateTime: capabilities.dateTimeText ?? ISO_DATE_TIME,
    richText: capabilities.descriptionFormat ?? 'text',
    ...(item ? { item } : {}),
  };
}

/** The kinds a typed mapping carries (connection-config.ts `kinds`), as conversion needs them. */
export interface TypedKinds {
  canonical: CanonicalKind;
  jira: FieldKind;
  remote: FieldKind;
  /** Decimal places the remote keeps of a number (0: whole numbers). */
  precision?: number;
  /** How the remote joins several options in one text (Azure DevOps multi-value fields: `;`). */
  separator?: string;
}

export type Converted<T = CanonicalValue> = { ok: true; value: T } | { ok: false; reason: string };

const fail = (reason: string): { ok: false; reason: string } => ({ ok: false, reason });
const empty = (raw: unknown) => raw === null || raw === undefined || raw === '';
const quoted = (raw: unknown) => `“${typeof raw === 'object' ? JSON.stringify(raw) : String(raw)}”`;

// ---- dates and time zones

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

function isRealDay(text: string): boolean {
  const m = DAY.exec(text);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === text;
}

/** The day an instant falls on in a time zone, as `yyyy-MM-dd`. */
export function dayIn(ms: number, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })
    .formatToParts(new Date(ms))
    .reduce<Record<string, string>>((o, p) => ((o[p.type] = p.value), o), {});
  return `${parts.year}-${parts.month}-${parts.day}`;
}

/** How far a time zone is ahead of UTC at an instant, in ms. */
function offsetAt(ms: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  })
    .formatToParts(new Date(ms))
    .reduce<Record<string, number>>((o, p) => (p.type === 'literal' ? o : ((o[p.type] = Number(p.value)), o)), {});
  const local = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
  return local - Math.floor(ms / 1000) * 1000;
}

/** The instant a day starts in a time zone (midnight there; across a DST change, the offset of that moment). */
export function startOfDayIn(day: string, timeZone: string): number {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const utcMidnight = Date.UTC(y, m - 1, d);
  const first = utcMidnight - offsetAt(utcMidnight, timeZone);
  return utcMidnight - offsetAt(first, timeZone);
}

/** Jira's date-time text: ISO 8601 with a `+hhmm` offset. Jira answers in its user's zone; the instant is what counts. */
export function parseJiraDateTime(text: string): number | undefined {
  const ms = Date.parse(text.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  return Number.isNaN(ms) ? undefined : ms;
}
const jiraDateTime = (ms: number) => new Date(ms).toISOString().replace('Z', '+0000');

/** The canonical date-time: ISO 8601 in UTC with milliseconds, so equal instants compare equal as text. */
const canonicalInstant = (ms: number) => new Date(ms).toISOString();

// ---- reading into the canonical kind

function numberFrom(raw: unknown): Converted {
  if (empty(raw)) return { ok: true, value: null };
  const n = typeof raw === 'number' ? raw : typeof raw === 'string' ? Number(raw.trim().replace(/,/g, '')) : NaN;
  return Number.isFinite(n) ? { ok: true, value: n } : fail(`${quoted(raw)} is not a number`);
}

function optionFrom(raw: unknown): Converted {
  if (empty(raw)) return { ok: true, value: null };
  if (typeof raw === 'object') {
    const o = raw as { value?: unknown; name?: unknown; label?: unknown };
    const v = o.value ?? o.name ?? o.label;
    return empty(v) ? { ok: true, value: null } : { ok: true, value: String(v) };
  }
  return { ok: true, value: String(raw) };
}

function optionsFrom(raw: unknown, separator: string): Converted {
  if (empty(raw)) return { ok: true, value: [] };
  const items = Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(separator) : [raw];
  const values = items
    .map((x) => optionFrom(x))
    .flatMap((r) => (r.ok && r.value !== null ? [String(r.value).trim()] : []))
    .filter(Boolean);
  return { ok: true, value: [...new Set(values)] };
}

/** A date-time text or an instant into epoch ms, by the reader given. */
function instantFrom(raw: unknown, parse: (text: string) => number | undefined): number | undefined {
  if (typeof raw === 'number') return raw;
  return typeof raw === 'string' ? parse(raw.trim()) : undefined;
}

function dateFrom(raw: unknown, kind: FieldKind, parse: DateTimeText['parse'], timeZone: string): Converted {
  if (empty(raw)) return { ok: true, value: null };
  if (typeof raw === 'string' && isRealDay(raw.trim())) return { ok: true, value: raw.trim() };
  if (kind === 'date' && typeof raw === 'string' && DAY.test(raw.trim().slice(0, 10)) && !/[T ]\d/.test(raw))
    return fail(`${quoted(raw)} is not a date`);
  const ms = instantFrom(raw, parse);
  return ms === undefined ? fail(`${quoted(raw)} is not a date`) : { ok: true, value: dayIn(ms, timeZone) };
}

function dateTimeFrom(raw: unknown, parse: DateTimeText['parse'], timeZone: string): Converted {
  if (empty(raw)) return { ok: true, value: null };
  // A date alone (a text field holding a day) is that day's start where the connection is.
  if (typeof raw === 'string' && isRealDay(raw.trim()))
    return { ok: true, value: canonicalInstant(startOfDayIn(raw.trim(), timeZone)) };
  const ms = instantFrom(raw, parse);
  return ms === undefined ? fail(`${quoted(raw)} is not a date and time`) : { ok: true, value: canonicalInstant(ms) };
}

function canonicalOf(
  k: TypedKinds,
  side: FieldKind,
  raw: unknown,
  parse: DateTimeText['parse'],
  timeZone: string,
): Converted {
  switch (k.canonical) {
    case 'number':
      return numberFrom(raw);
    case 'option':
      return optionFrom(raw);
    case 'options':
      return optionsFrom(raw, k.separator ?? ';');
    case 'date':
      return dateFrom(raw, side, parse, timeZone);
    case 'date-time':
      return dateTimeFrom(raw, parse, timeZone);
    default:
      return { ok: true, value: empty(raw) ? null : String(raw) };
  }
}

export function canonicalFromJira(k: TypedKinds, raw: unknown, c: Conversion = DEFAULT_CONVERSION): Converted {
  return canonicalOf(k, k.jira, raw, parseJiraDateTime, c.timeZone);
}

export function canonicalFromRemote(k: TypedKinds, raw: unknown, c: Conversion = DEFAULT_CONVERSION): Converted {
  return canonicalOf(k, k.remote, raw, (t) => c.remoteDateTime.parse(t) ?? ISO_DATE_TIME.parse(t), c.timeZone);
}

// ---- writing from the canonical kind

/** A canonical value in the form a Jira field of kind `k.jira` takes. */
export function jiraValueOf(
  k: TypedKinds,
  value: CanonicalValue,
  c: Conversion = DEFAULT_CONVERSION,
): Converted<unknown> {
  if (
    value === null ||
    value === '' ||
    (Array.isArray(value) && !value.length && k.jira !== 'options' && k.jira !== 'labels')
  )
    return { ok: true, value: k.jira === 'options' || k.jira === 'labels' ? [] : null };
  switch (k.canonical) {
    case 'number': {
      if (k.jira === 'number') return { ok: true, value: Number(value) };
      return k.jira === 'option' ? { ok: true, value: { value: String(value) } } : { ok: true, value: String(value) };
    }
    case 'date': {
      const day = String(value);
      if (k.jira === 'date-time') return { ok: true, value: jiraDateTime(startOfDayIn(day, c.timeZone)) };
      return { ok: true, value: day };
    }
    case 'date-time': {
      const ms = Date.parse(String(value));
      if (Number.isNaN(ms)) return fail(`${quoted(value)} is not a date and time`);
      if (k.jira === 'date') return { ok: true, value: dayIn(ms, c.timeZone) };
      return { ok: true, value: k.jira === 'date-time' ? jiraDateTime(ms) : canonicalInstant(ms) };
    }
    case 'option':
      if (k.jira === 'priority' || k.jira === 'status') return { ok: true, value: { name: String(value) } };
      if (k.jira === 'option') return { ok: true, value: { value: String(value) } };
      if (k.jira === 'number') return numberFrom(value);
      return { ok: true, value: String(value) };
    case 'options': {
      const items = Array.isArray(value) ? value.map(String) : [String(value)];
      if (k.jira === 'options') return { ok: true, value: items.map((v) => ({ value: v })) };
      // Jira labels hold no spaces: a label with spaces crosses with dashes.
      if (k.jira === 'labels')
        return { ok: true, value: items.map((v) => v.trim().replace(/\s+/g, '-')).filter(Boolean) };
      return { ok: true, value: items.join(', ') };
    }
    default:
      return { ok: true, value: String(value) };
  }
}

/** A canonical value as the text the remote's field of kind `k.remote` takes. */
export function remoteTextOf(
  k: TypedKinds,
  value: CanonicalValue,
  c: Conversion = DEFAULT_CONVERSION,
): Converted<string> {
  if (value === null || value === '' || (Array.isArray(value) && !value.length)) return { ok: true, value: '' };
  switch (k.canonical) {
    case 'number': {
      const n = Number(value);
      if (!Number.isFinite(n)) return fail(`${quoted(value)} is not a number`);
      const places = k.precision;
      const kept = places === undefined ? n : Math.round(n * 10 ** places) / 10 ** places;
      return { ok: true, value: String(kept) };
    }
    case 'date': {
      const day = String(value);
      if (k.remote === 'date-time') return { ok: true, value: c.remoteDateTime.format(startOfDayIn(day, c.timeZone)) };
      return { ok: true, value: day };
    }
    case 'date-time': {
      const ms = Date.parse(String(value));
      if (Number.isNaN(ms)) return fail(`${quoted(value)} is not a date and time`);
      if (k.remote === 'date') return { ok: true, value: dayIn(ms, c.timeZone) };
      return { ok: true, value: k.remote === 'date-time' ? c.remoteDateTime.format(ms) : canonicalInstant(ms) };
    }
    case 'options': {
      const items = Array.isArray(value) ? value.map(String) : [String(value)];
      return { ok: true, value: items.join(k.separator ?? ';') };
    }
    default:
      return { ok: true, value: String(value) };
  }
}
