/**
 * Reading a mapped field from each side as a canonical value, and turning a
 * canonical value back into what each side stores. Pure.
 */
import { normalizeText } from '../content/adf-to-text';
import type { AdfDoc } from '../content/adf';
import { docOf, legacyTextOf, parseBody, projectionOf, projectionOfBody } from '../content/rich';
import { mergeBlocks, mergeDocuments } from '../content/block-merge';
import { htmlBlocks } from '../content/html-blocks';
import type { CanonicalValue } from '../sync/canonical';
import type { FieldMapping } from './connection-config';
import type { BodyFormat } from '../content/body-format';
import type { BodyOptions } from '../content/conversion';
import { canonicalFromJira, canonicalFromRemote, remoteFromCanonical } from './value-map';
import { crossing } from './field-kinds';
import { inputsFor } from './derived-fields';
import * as typed from './field-convert';
import { DEFAULT_CONVERSION, type Conversion, type TypedKinds } from './field-convert';
import { renderTemplate, stripTemplate } from './template';
import { evaluateRules, ruleTarget, type RuleMatch } from './rules';

/**
 * A side's value read as canonical. A rich-text read also says what its side holds that the remote's format cannot
 * (`simplified`: on Jira's side, what the remote cannot hold; on the remote's, what it holds that Jira does not take, such as an image that is no file of the item) and the plain text the engine compared before rich content (`legacy`: snapshots
 * taken then hold it, and field-plan.ts upgrades them).
 */
export type Read =
  | { ok: true; value: CanonicalValue; simplified?: string[]; legacy?: string; rule?: RuleMatch }
  | { ok: false; reason: string };

/**
 * A mapping whose values convert by kind (field-convert.ts): its kinds are known and meet in a number, a date, a
 * date-time, one option or several. Free and rich text, people and status keep their own paths; a value map
 * still maps option names, on top of the conversion.
 */
export function typedKindsOf(m: FieldMapping): TypedKinds | undefined {
  if (!m.kinds || m.transform === 'user' || m.transform === 'rich-text') return undefined;
  // A status moves by transitions, and labels keep the set rules below (a label has no spaces): their own paths.
  if (m.kinds.jira === 'status' || m.kinds.jira === 'labels') return undefined;
  const met = crossing(m.kinds.jira, m.kinds.remote);
  if (!met.ok || !['number', 'date', 'date-time', 'option', 'options'].includes(met.canonical)) return undefined;
  return {
    canonical: met.canonical as TypedKinds['canonical'],
    jira: m.kinds.jira,
    remote: m.kinds.remote,
    ...(m.kinds.precision !== undefined ? { precision: m.kinds.precision } : {}),
    ...(m.separator ? { separator: m.separator } : {}),
  };
}

/** The display name of a Jira value: options and priorities are objects. */
function jiraScalar(raw: unknown): string | null {
  if (raw === null || raw === undefined) return null;
  if (typeof raw === 'object') {
    const o = raw as { name?: unknown; value?: unknown; displayName?: unknown };
    return String(o.name ?? o.value ?? o.displayName ?? '');
  }
  return String(raw);
}

function remoteScalar(raw: unknown): string {
  if (raw && typeof raw === 'object' && 'value' in raw) return String((raw as { value: unknown }).value ?? '');
  return raw === null || raw === undefined ? '' : String(raw);
}

/** A `list` mapping's remote value → its items (trimmed, none empty): the remote keeps them as one string joined by the separator. */
export function splitList(m: FieldMapping, raw: unknown): string[] {
  if (Array.isArray(raw)) return raw.map((x) => String(x).trim()).filter(Boolean);
  return typeof raw === 'string'
    ? raw
        .split(m.separator ?? ';')
        .map((x) => x.trim())
        .filter(Boolean)
    : [];
}

export function readJira(
  m: FieldMapping,
  fields: Readonly<Record<string, unknown>>,
  c: Conversion = DEFAULT_CONVERSION,
): Read {
  if (m.rules?.length) return readRuled(m, 'jira', fields, c);
  return m.template?.side === 'jira' ? untemplated(m, readJiraValue(m, fields, c)) : readJiraValue(m, fields, c);
}

/**
 * A pair with rules (rules.ts) holds its target side's own value on both sides: the side the rules write reads as
 * it stores it (a remote choice's stored value, a Jira option's name), and the other side reads as the value the
 * rules give, or, where none holds and there is no fallback, as what the target holds now, so nothing is written.
 * Reading the target's own write back is then no change, and the target never flows the other way.
 */
function readRuled(
  m: FieldMapping,
  side: 'jira' | 'remote',
  fields: Readonly<Record<string, unknown>>,
  c: Conversion,
): Read {
  const target = ruleTarget(m.direction) ?? 'remote';
  const own = (raw: Readonly<Record<string, unknown>> | undefined): CanonicalValue => {
    if (!raw) return null;
    const v = target === 'remote' ? remoteScalar(raw[m.remote]) : (jiraScalar(raw[m.jira]) ?? '');
    return v === '' ? null : v;
  };
  if (side === target) return { ok: true, value: own(fields) };
  const inputs =
    side === 'jira' ? { jira: fields, remote: c.ruleInputs?.remote } : { jira: c.ruleInputs?.jira, remote: fields };
  const match = evaluateRules(m, {
    ...(inputs.jira ? { jira: inputs.jira } : {}),
    ...(inputs.remote ? { remote: inputs.remote } : {}),
  });
  return match.rule === 'none'
    ? { ok: true, value: own(inputs[target]), rule: match }
    : { ok: true, value: match.value, rule: match };
}

/** A templated side's value without its template (template.ts): the pair's value. */
function untemplated(m: FieldMapping, read: Read): Read {
  if (!read.ok || typeof read.value !== 'string' || !m.template) return read;
  return { ...read, value: stripTemplate(m.template, m.jira, read.value) };
}

/** A value written into its side's template, with the item's keys (an emptied value stays empty). */
function templated(m: FieldMapping, value: string, c: Conversion): string {
  return m.template && value !== '' ? renderTemplate(m.template, m.jira, value, c.item ?? {}) : value;
}

function readJiraValue(m: FieldMapping, fields: Readonly<Record<string, unknown>>, c: Conversion): Read {
  const raw = fields[m.jira];
  const kinds = typedKindsOf(m);
  if (kinds) {
    const read = typed.canonicalFromJira(kinds, raw, c);
    if (!read.ok || m.transform !== 'value-map' || read.value === null) return read;
    return canonicalFromJira(m.valueMap ?? [], String(read.value));
  }
  switch (m.transform) {
    case 'list':
      return {
        ok: true,
        value: Array.isArray(raw) ? raw.map((x) => jiraScalar(x) ?? '').filter(Boolean) : splitList(m, raw),
      };
    case 'rich-text':
      return typeof raw === 'string' ? { ok: true, value: normalizeText(raw) } : readJiraDoc(raw, richTextOf(m, c));
    case 'value-map': {
      const v = jiraScalar(raw);
      return v === null ? { ok: true, value: null } : canonicalFromJira(m.valueMap ?? [], v);
    }
    default:
      if (Array.isArray(raw)) return { ok: true, value: raw.map((x) => jiraScalar(x) ?? '') };
      return { ok: true, value: jiraScalar(raw) };
  }
}

/** `richText` is the format the remote stores rich text in (its declared descriptionFormat), where the pair names none (`m.format`). */
export function readRemote(
  m: FieldMapping,
  fields: Readonly<Record<string, unknown>>,
  richText: BodyFormat = 'text',
  c: Conversion = DEFAULT_CONVERSION,
): Read {
  if (m.rules?.length) return readRuled(m, 'remote', fields, c);
  const read = readRemoteValue(m, fields, richText, c);
  return m.template?.side === 'remote' ? untemplated(m, read) : read;
}

function readRemoteValue(
  m: FieldMapping,
  fields: Readonly<Record<string, unknown>>,
  richText: BodyFormat,
  c: Conversion,
): Read {
  const kinds = typedKindsOf(m);
  if (kinds) {
    const read = typed.canonicalFromRemote(kinds, fields[m.remote], c);
    if (!read.ok || m.transform !== 'value-map' || read.value === null) return read;
    return canonicalFromRemote(m.valueMap ?? [], String(read.value));
  }
  if (m.transform === 'list') return { ok: true, value: splitList(m, fields[m.remote]) };
  const value = fields[m.remote];
  // Set-like values (Zendesk tags) compare as sets with Jira labels; a remote that keeps them as one string splits on spaces, as labels do.
  if (m.transform !== 'value-map' && m.transform !== 'rich-text' && (Array.isArray(value) || m.jira === 'labels')) {
    const items = (Array.isArray(value) ? value.map((v) => String(v)) : remoteScalar(value).split(/\s+/)).filter(
      Boolean,
    );
    // A Jira label has no spaces: a remote label that has them (GitHub's "good first issue") reads as Jira would keep it,
    // "good_first_issue"; the remote's connector writes it back under its own name (github/labels.ts).
    return { ok: true, value: m.jira === 'labels' ? items.map(asJiraLabel) : items };
  }
  const raw = remoteScalar(value);
  switch (m.transform) {
    case 'rich-text': {
      const format = m.format ?? richText;
      if (format === 'text') return { ok: true, value: projectionOfBody(format, raw, c.bodies) };
      const parsed = parseBody(format, raw, c.bodies?.parse);
      return {
        ok: true,
        value: projectionOf(format, parsed.doc, c.bodies).body,
        ...(parsed.simplified.length ? { simplified: parsed.simplified } : {}),
        legacy: legacyTextOf(format, raw),
      };
    }
    case 'value-map':
      return raw === '' ? { ok: true, value: null } : canonicalFromRemote(m.valueMap ?? [], raw);
    default:
      return { ok: true, value: raw };
  }
}

/** A Jira write: a field value for PUT /issue, or a status to reach by transitions. */
export type JiraWrite =
  | { kind: 'field'; field: string; value: unknown }
  | { kind: 'status'; statusName: string }
  | { kind: 'skip'; reason: string };

/**
 * `current`: what the Jira field holds now (a rich-text write merges into it block by block, see block-merge.ts).
 */
export function writeJira(
  m: FieldMapping,
  value: CanonicalValue,
  c: Conversion = DEFAULT_CONVERSION,
  current?: unknown,
): JiraWrite {
  if (m.jira === 'status')
    return typeof value === 'string'
      ? { kind: 'status', statusName: value }
      : { kind: 'skip', reason: 'status cannot be emptied' };
  if (m.rules?.length) return ruledJiraWrite(m, value);
  const kinds = typedKindsOf(m);
  if (kinds) {
    if (value === null && (kinds.jira === 'priority' || m.jira === 'summary'))
      return { kind: 'skip', reason: `${m.jira} cannot be emptied` };
    const v = typed.jiraValueOf(kinds, value, c);
    return v.ok ? { kind: 'field', field: m.jira, value: v.value } : { kind: 'skip', reason: v.reason };
  }
  if (m.transform === 'rich-text')
    return {
      kind: 'field',
      field: m.jira,
      value: value === null || value === '' ? null : jiraDocFrom(String(value), richTextOf(m, c), current),
    };
  if (m.jira === 'priority' || m.transform === 'value-map')
    return value === null
      ? { kind: 'skip', reason: `${m.jira} cannot be emptied` }
      : { kind: 'field', field: m.jira, value: { name: value } };
  if (m.jira === 'labels')
    return {
      kind: 'field',
      field: m.jira,
      value: Array.isArray(value)
        ? value
        : String(value ?? '')
            .split(/\s+/)
            .filter(Boolean),
    };
  if (m.jira === 'summary' && (value === null || value === ''))
    return { kind: 'skip', reason: 'a Jira summary cannot be empty' };
  if (m.template?.side === 'jira' && typeof value === 'string')
    return { kind: 'field', field: m.jira, value: templated(m, value, c) };
  return { kind: 'field', field: m.jira, value };
}

/** A label as Jira can hold it: no spaces (a run of them reads as one underscore). */
export function asJiraLabel(label: string): string {
  return label.trim().replace(/\s+/g, '_');
}

/** A rules pair's value written to Jira as its field takes a choice: an option by its value, a priority or type by its name. */
function ruledJiraWrite(m: FieldMapping, value: CanonicalValue): JiraWrite {
  if (value === null || value === '') return { kind: 'skip', reason: `the rules leave ${m.jira} as it is` };
  const v = String(value);
  if (m.kinds?.jira === 'option') return { kind: 'field', field: m.jira, value: { value: v } };
  if (m.kinds?.jira === 'priority' || m.jira === 'priority' || m.jira === 'issuetype')
    return { kind: 'field', field: m.jira, value: { name: v } };
  return { kind: 'field', field: m.jira, value: v };
}

/**
 * A remote write: `field` and `value` are the mapped remote field and its value as written; `inputs`, for a field
 * the remote computes (derived-fields.ts), what is sent instead (its inputs). `remoteFieldsOf` is what to send.
 */
export type RemoteWrite =
  { ok: true; field: string; value: string; inputs?: Record<string, string> } | { ok: false; reason: string };

/** The fields a write sends to the remote: the mapped field, or the inputs of a derived one. */
export function remoteFieldsOf(w: Extract<RemoteWrite, { ok: true }>): Record<string, string> {
  return w.inputs ?? { [w.field]: w.value };
}

/** `current`: what the remote field holds now (a rich-text write merges into it block by block, see block-merge.ts). */
export function writeRemote(
  m: FieldMapping,
  value: CanonicalValue,
  richText: BodyFormat = 'text',
  c: Conversion = DEFAULT_CONVERSION,
  current?: unknown,
): RemoteWrite {
  const w = remoteValueOf(m, value, richText, c, current);
  if (!w.ok || !m.derived) return w;
  // Nothing to choose an input from: the remote keeps what it computed.
  if (w.value === '')
    return {
      ok: false,
      reason: `${m.remote} cannot be emptied: it is computed from ${m.derived.inputs.join(' and ')}`,
    };
  const inputs = inputsFor(m.remote, m.derived, w.value);
  return inputs.ok ? { ...w, inputs: inputs.fields } : inputs;
}

function remoteValueOf(
  m: FieldMapping,
  value: CanonicalValue,
  richText: BodyFormat,
  c: Conversion,
  current: unknown,
): RemoteWrite {
  // The rules give the remote's own stored value (rules.ts): written as it is.
  if (m.rules?.length) return { ok: true, field: m.remote, value: value === null ? '' : String(value) };
  const kinds = typedKindsOf(m);
  if (kinds) {
    let v: CanonicalValue = value;
    if (m.transform === 'value-map' && value !== null) {
      const mapped = remoteFromCanonical(m.valueMap ?? [], String(value));
      if (!mapped.ok) return mapped;
      v = mapped.value;
    }
    const text = typed.remoteTextOf(kinds, v, c);
    return text.ok ? { ok: true, field: m.remote, value: text.value } : text;
  }
  // A rich value is already the remote's projection: its body, in the remote's own format.
  if (m.transform === 'rich-text')
    return {
      ok: true,
      field: m.remote,
      value: remoteBodyFrom(String(value ?? ''), m.format ?? richText, current, c.bodies),
    };
  if (m.transform === 'list') {
    const items = Array.isArray(value) ? value : value === null || value === '' ? [] : [String(value)];
    const separator = m.separator ?? ';';
    return { ok: true, field: m.remote, value: items.join(separator.trim() ? `${separator.trim()} ` : separator) };
  }
  if (m.transform === 'value-map') {
    if (value === null) return { ok: true, field: m.remote, value: '' };
    const mapped = remoteFromCanonical(m.valueMap ?? [], String(value));
    return mapped.ok ? { ok: true, field: m.remote, value: mapped.value } : mapped;
  }
  const text = Array.isArray(value) ? value.join(' ') : String(value ?? '');
  return { ok: true, field: m.remote, value: m.template?.side === 'remote' ? templated(m, text, c) : text };
}

/** Jira's own silent limits on what a write leaves (a summary holds at most 255 characters). */
const JIRA_MAX_LENGTHS: Readonly<Record<string, number>> = { summary: 255 };

const cut = (raw: string, max: number | undefined) => (max !== undefined && raw.length > max ? raw.slice(0, max) : raw);

/** The canonical value the remote holds after `value` is written to it, its silent cuts included. */
export function storedOnRemote(
  m: FieldMapping,
  value: CanonicalValue,
  maxLengths: Readonly<Record<string, number>>,
  richText: BodyFormat = 'text',
  c: Conversion = DEFAULT_CONVERSION,
): CanonicalValue {
  const w = writeRemote(m, value, richText, c);
  if (!w.ok) return value;
  const read = readRemote(m, { [w.field]: cut(w.value, maxLengths[w.field]) }, richText, c);
  return read.ok ? read.value : value;
}

/** The canonical value Jira holds after `value` is written to it. */
export function storedOnJira(m: FieldMapping, value: CanonicalValue): CanonicalValue {
  return typeof value === 'string' ? cut(value, JIRA_MAX_LENGTHS[m.jira]) : value;
}

/** The conversion of a rich text pair: at its remote field's own format, where it names one. */
const richTextOf = (m: FieldMapping, c: Conversion): Conversion => (m.format ? { ...c, richText: m.format } : c);

/** A Jira document at the remote's projection; for a remote of richer-than-text bodies, its legacy text too. */
function readJiraDoc(raw: unknown, c: Conversion): Read {
  const format = c.richText ?? 'text';
  const doc = (raw as AdfDoc | null) ?? null;
  const projected = projectionOf(format, doc, c.bodies);
  return {
    ok: true,
    value: projected.body,
    ...(projected.simplified.length ? { simplified: projected.simplified } : {}),
    ...(format === 'text' ? {} : { legacy: legacyTextOf('adf', doc) }),
  };
}

/** A projection written into Jira: parsed to ADF, each block the projection shares with the current document kept as Jira has it. */
function jiraDocFrom(projection: string, c: Conversion, current: unknown): AdfDoc {
  const format = c.richText ?? 'text';
  const incoming = parseBody(format, projection, c.bodies?.parse).doc;
  const currentDoc = current && typeof current === 'object' ? (current as AdfDoc) : null;
  return mergeDocuments(currentDoc, incoming, (block) => projectionOf(format, docOf([block]), c.bodies).body);
}

/**
 * A projection written to the remote: where the remote keeps HTML, merged into what it holds now, so each of its
 * top-level blocks the projection leaves as it was keeps the remote's own markup (an inline screenshot Jira does
 * not hold, its own spelling), and only changed blocks take the projection's.
 */
function remoteBodyFrom(projection: string, format: BodyFormat, current: unknown, bodies?: BodyOptions): string {
  if (format !== 'html' || typeof current !== 'string' || current === '' || projection === '') return projection;
  return mergeBlocks(htmlBlocks(current), htmlBlocks(projection), (block) =>
    projectionOfBody('html', block, bodies),
  ).join('');
}
