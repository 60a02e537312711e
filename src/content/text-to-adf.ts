import type { AdfDoc, AdfMark, AdfNode } from './adf';
import { normalizeText } from './adf-to-text';

/**
 * Plain text (as ServiceNow stores it) → ADF for Jira. Reads the format
 * `adfToText` writes: blank-line paragraphs, `- ` and `1. ` lists, fenced code,
 * `> ` quotes, and bare URLs as links. Control characters are dropped, so what
 * comes from a remote can never produce invalid ADF.
 */
export function textToAdf(raw: string): AdfDoc {
  const text = normalizeText(stripControl(raw));
  return { version: 1, type: 'doc', content: blocks(text === '' ? [] : text.split('\n'), false) };
}

/**
 * The blocks of some lines. ADF's blockquote holds paragraphs, lists and code
 * but never another blockquote (the published ADF schema), so
 * inside a quote a `> ` line is text: a quote nested any deeper arrives as one
 * quote whose lines still start with their remaining `> `, every word intact
 * (and `adfToText` writes the same text back). Nothing here recurses deeper
 * than that one level, whatever the text.
 */
function blocks(lines: readonly string[], inQuote: boolean, depth = 0): AdfNode[] {
  const content: AdfNode[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    if (line.trim() === '') {
      i++;
      continue;
    }
    if (line.startsWith('```')) {
      const body: string[] = [];
      i++;
      while (i < lines.length && !lines[i]!.startsWith('```')) body.push(lines[i++]!);
      i++; // closing fence (or end of text)
      const code = body.join('\n');
      content.push({ type: 'codeBlock', ...(code ? { content: [{ type: 'text', text: code }] } : {}) });
      continue;
    }
    if (/^- /.test(line)) {
      const items: AdfNode[] = [];
      while (i < lines.length && /^- /.test(lines[i]!)) {
        const head = lines[i++]!.slice(2);
        const nested = indentedAfter(lines, i);
        i += nested.length;
        items.push(listItem(head, nested, inQuote, depth));
      }
      content.push({ type: 'bulletList', content: items });
      continue;
    }
    const ordered = /^(\d+)\. /.exec(line);
    if (ordered) {
      const items: AdfNode[] = [];
      while (i < lines.length && /^\d+\. /.test(lines[i]!)) {
        const head = lines[i++]!.replace(/^\d+\. /, '');
        const nested = indentedAfter(lines, i);
        i += nested.length;
        items.push(listItem(head, nested, inQuote, depth));
      }
      const order = Number(ordered[1]);
      content.push({ type: 'orderedList', ...(order !== 1 ? { attrs: { order } } : {}), content: items });
      continue;
    }
    if (!inQuote && isQuote(line)) {
      const quoted: string[] = [];
      while (i < lines.length && isQuote(lines[i]!)) quoted.push(lines[i++]!.replace(/^> ?/, ''));
      const inner = blocks(quoted, true, depth);
      if (inner.length) content.push({ type: 'blockquote', content: inner });
      continue;
    }
    const para: string[] = [];
    while (i < lines.length && lines[i]!.trim() !== '' && !isBlockStart(lines[i]!, inQuote)) para.push(lines[i++]!);
    if (!para.length) para.push(lines[i++]!);
    content.push({ type: 'paragraph', content: inlineWithBreaks(para) });
  }
  return content;
}

const isQuote = (line: string) => line.startsWith('> ') || line === '>';

function isBlockStart(line: string, inQuote: boolean): boolean {
  return line.startsWith('```') || /^- /.test(line) || /^\d+\. /.test(line) || (!inQuote && isQuote(line));
}

/**
 * How deep lists nest when read from text: Jira's editor nests them six deep. Lines indented deeper are kept in
 * the innermost item as its text, so no text can make the reading recurse further.
 */
const MAX_LIST_NESTING = 6;

/** The lines indented under a list item (two spaces, as `adfToText` writes an item's further blocks), dedented. */
function indentedAfter(lines: readonly string[], from: number): string[] {
  const nested: string[] = [];
  for (let i = from; i < lines.length && /^ {2}/.test(lines[i]!); i++) nested.push(lines[i]!.slice(2));
  return nested;
}

/** An item: its first line, then the blocks indented under it (a nested list, a further paragraph). */
function listItem(text: string, nested: readonly string[], inQuote: boolean, depth: number): AdfNode {
  const head: AdfNode = { type: 'paragraph', content: inlineText(text) };
  if (!nested.length) return { type: 'listItem', content: [head] };
  if (depth >= MAX_LIST_NESTING)
    return {
      type: 'listItem',
      content: [{ ...head, content: inlineWithBreaks([text, ...nested.map((l) => l.trim())]) }],
    };
  // A list item holds paragraphs, lists and code, not quotes (the published ADF schema): a quote stays text there.
  const inner = blocks(nested, true, depth + 1);
  return { type: 'listItem', content: [head, ...inner] };
}

function inlineWithBreaks(lines: string[]): AdfNode[] {
  const out: AdfNode[] = [];
  lines.forEach((l, idx) => {
    if (idx > 0) out.push({ type: 'hardBreak' });
    out.push(...inlineText(l));
  });
  return out;
}

const URL_RE = /\bhttps?:\/\/[^\s<>"')\]]+[^\s<>"')\].,;:!?]/g;

/** Text with bare URLs turned into links; empty text nodes are not valid ADF. */
function inlineText(text: string): AdfNode[] {
  const nodes: AdfNode[] = [];
  let last = 0;
  for (const match of text.matchAll(URL_RE)) {
    const at = match.index ?? 0;
    if (at > last) nodes.push({ type: 'text', text: text.slice(last, at) });
    const marks: AdfMark[] = [{ type: 'link', attrs: { href: match[0] } }];
    nodes.push({ type: 'text', text: match[0], marks });
    last = at + match[0].length;
  }
  if (last < text.length) nodes.push({ type: 'text', text: text.slice(last) });
  return nodes;
}

export function stripControl(text: string): string {
  // Keep tab and newline; drop other C0 controls and lone surrogates that Jira rejects.
  return text
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '')
    .replace(/[\ud800-\udfff]/g, (c, i: number, s: string) => {
      const code = c.charCodeAt(0);
      const next = s.charCodeAt(i + 1);
      const prev = s.charCodeAt(i - 1);
      const paired =
        (code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) || (code >= 0xdc00 && prev >= 0xd800 && prev <= 0xdbff);
      return paired ? c : '';
    });
}
