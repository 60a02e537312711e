/**
 * A pair's template: how one side's value is written around the other's
 * ("[{key}] {summary}" on the remote, "{summary} ({remote.key})" in Jira), and
 * how it is read back. The pair's canonical value is the bare value; the
 * templated side holds it written into the template, and reading that side
 * strips the template again (`strip`), so a change of the key or of the words
 * around the value is no change of the value and never echoes. A `one-way`
 * template writes only toward its side (the connection's settings check the
 * pair's direction says so).
 *
 * Placeholders: `{value}` (or the pair's Jira field id, `{summary}`) is the
 * value itself, exactly once; `{key}` the Jira issue's key; `{remote.key}`
 * (or `{remote.number}`) what the remote calls its item (INC0010001, Bug 4).
 * Templates are plain text: a rich text pair takes none. Pure.
 */
import * as z from 'zod';

/** What a template names besides the value: the item on each side, where known. */
export interface TemplateContext {
  /** The Jira issue's key (DEMO-12). */
  key?: string;
  /** What the remote calls its item (INC0010001). */
  remoteKey?: string;
}

export const templateSchema = z.object({
  /** The side whose value is written in the template. */
  side: z.enum(['jira', 'remote']),
  text: z.string().min(1).max(200),
  /** `strip`: the templated side is read back without the template; `one-way`: it is only ever written. */
  reverse: z.enum(['strip', 'one-way']).default('strip'),
});
export type Template = z.infer<typeof templateSchema>;

type Part = { literal: string } | { name: 'value' | 'key' | 'remoteKey' };

const PLACEHOLDER = /\{([a-zA-Z0-9_.]+)\}/g;

/** The template's parts, or why it cannot be one. `field`: the pair's Jira field id, a name for the value. */
export function templateParts(
  text: string,
  field: string,
): { ok: true; parts: Part[] } | { ok: false; reason: string } {
  const parts: Part[] = [];
  let at = 0;
  for (const m of text.matchAll(PLACEHOLDER)) {
    if (m.index > at) parts.push({ literal: text.slice(at, m.index) });
    const name = m[1]!;
    if (name === 'value' || name === field) parts.push({ name: 'value' });
    else if (name === 'key') parts.push({ name: 'key' });
    else if (name === 'remote.key' || name === 'remote.number') parts.push({ name: 'remoteKey' });
    else
      return {
        ok: false,
        reason: `{${name}} is not a placeholder: use {${field}} (or {value}), {key} or {remote.key}`,
      };
    at = m.index + m[0].length;
  }
  if (at < text.length) parts.push({ literal: text.slice(at) });
  if (parts.some((p, i) => 'name' in p && i > 0 && 'name' in parts[i - 1]!))
    return {
      ok: false,
      reason: 'put words, spaces or punctuation between two placeholders, so they can be read apart',
    };
  if (parts.filter((p) => 'name' in p).length > 4)
    return { ok: false, reason: 'a template holds at most 4 placeholders' };
  const values = parts.filter((p) => 'name' in p && p.name === 'value').length;
  if (values !== 1)
    return { ok: false, reason: `the template must hold the value once, as {${field}} (it holds it ${values} times)` };
  return { ok: true, parts };
}

/** The value written into the template; a name the context does not know yet is left empty. */
export function renderTemplate(template: Pick<Template, 'text'>, field: string, value: string, ctx: TemplateContext) {
  const read = templateParts(template.text, field);
  if (!read.ok) return value;
  return read.parts
    .map((p) => ('literal' in p ? p.literal : p.name === 'value' ? value : (ctx[p.name] ?? '')))
    .join('')
    .trim();
}

/**
 * The value a templated text holds: the template stripped, whatever the key and remote key say now (an item moved
 * to another key still reads its value). A text the template does not fit (someone rewrote it whole) is its value.
 *
 * Matched part by part, without a regular expression: the words before the value from the start (a name runs to
 * the next words), the words after it from the end, so the work is linear in the text.
 */
export function stripTemplate(template: Pick<Template, 'text'>, field: string, written: string): string {
  const read = templateParts(template.text, field);
  if (!read.ok) return written;
  const text = written.trim();
  const at = read.parts.findIndex((p) => 'name' in p && p.name === 'value');
  const before = literalsOf(read.parts.slice(0, at), 'start');
  const after = literalsOf(read.parts.slice(at + 1).reverse(), 'end');
  let start = 0;
  for (const [i, literal] of before.entries()) {
    // The first words are where the text starts; words after a name are where they next appear.
    const found =
      i === 0 && !literal.afterName ? (text.startsWith(literal.text) ? 0 : -1) : text.indexOf(literal.text, start);
    if (found < 0) return written;
    start = found + literal.text.length;
  }
  let end = text.length;
  for (const [i, literal] of after.entries()) {
    const found =
      i === 0 && !literal.afterName
        ? text.endsWith(literal.text)
          ? text.length - literal.text.length
          : -1
        : text.lastIndexOf(literal.text, end - literal.text.length);
    if (found < 0 || found < start) return written;
    end = found;
  }
  return end >= start ? text.slice(start, end).trim() : written;
}

/**
 * The words on one side of the value, in the order they are matched (from the value's far end inwards), each
 * saying whether a name stands between it and the previous one. Trimmed at the text's own end, as rendering trims.
 */
function literalsOf(parts: Part[], end: 'start' | 'end'): Array<{ text: string; afterName: boolean }> {
  const out: Array<{ text: string; afterName: boolean }> = [];
  let afterName = false;
  for (const [i, p] of parts.entries()) {
    if ('name' in p) {
      afterName = true;
      continue;
    }
    const text = i === 0 ? (end === 'start' ? p.literal.trimStart() : p.literal.trimEnd()) : p.literal;
    if (!text) continue;
    out.push({ text, afterName });
    afterName = false;
  }
  return out;
}
