/**
 * One entry to every body format, with ADF as the hub: a system's body is
 * parsed into ADF and rendered from it by the system's declared format (the
 * converters are one module per format pair; this file only dispatches).
 *
 * The engine compares rich text at the remote's **projection**: what the
 * remote's format can hold of a document, as a string in that format. Jira's
 * document and the remote's body are both read to that projection, so a
 * Jira-only feature (a panel's colour, a status lozenge) reads as no change
 * and is never written, and an edit reads as one wherever it was made.
 */
import type { AdfDoc, AdfNode } from './adf';
import type { BodyFormat } from './body-format';
import { adfToText, normalizeText } from './adf-to-text';
import { textToAdf } from './text-to-adf';
import { htmlToText } from './html-to-text';
import { adfToHtml } from './adf-to-html';
import { htmlToAdf } from './html-to-adf';
import { adfToMarkdown } from './adf-to-markdown';
import { markdownToAdf } from './markdown-to-adf';
import { normalizeAdf } from './adf-normal';
import type { BodyOptions, Parsed, ParseOptions, Rendered, RenderOptions } from './conversion';

export type { BodyOptions, Parsed, ParseOptions, Rendered, RenderOptions };

const EMPTY: AdfDoc = { version: 1, type: 'doc', content: [] };

/**
 * A stored body → ADF, with what its format held that ADF does not keep (and, from HTML, its inline images).
 * `options` say who a mention names and which images are files that crossed (without them: text, and left out).
 */
export function parseBody(format: BodyFormat, body: unknown, options?: ParseOptions): Parsed {
  switch (format) {
    case 'adf':
      return { doc: isDoc(body) ? body : EMPTY, simplified: [], images: [] };
    case 'html':
      return htmlToAdf(String(body ?? ''), options);
    case 'markdown':
      return markdownToAdf(String(body ?? ''), options);
    default:
      return { doc: textToAdf(String(body ?? '')), simplified: [], images: [] };
  }
}

/** ADF → the body a system stores, with what could not be kept. */
export function renderBody(format: BodyFormat, doc: AdfDoc | null, options?: RenderOptions): Rendered {
  switch (format) {
    case 'adf':
      return { body: JSON.stringify(normalizeAdf(doc ?? EMPTY)), simplified: [] };
    case 'html':
      return adfToHtml(doc, options);
    case 'markdown':
      return adfToMarkdown(doc, options);
    default:
      return { body: adfToText(doc), simplified: [] };
  }
}

/**
 * A document's projection at a format: the canonical string the engine compares (see the file comment). A pair's
 * `options` write its people and files as the remote has them, so both sides project alike.
 */
export function projectionOf(format: BodyFormat, doc: AdfDoc | null, options?: BodyOptions): Rendered {
  if (format === 'text') return { body: normalizeText(adfToText(doc)), simplified: plainTextLosses(doc) };
  const rendered = renderBody(format, doc ? normalizeAdf(doc) : null, options?.render);
  return { body: rendered.body.trim(), simplified: rendered.simplified };
}

/** A stored body's projection at its own format: the same body, in the one spelling `projectionOf` writes. */
export function projectionOfBody(format: BodyFormat, body: unknown, options?: BodyOptions): string {
  // Plain text is its own projection: read as it was before rich content, so no stored base reads as changed.
  if (format === 'text') return normalizeText(String(body ?? ''));
  return projectionOf(format, parseBody(format, body, options?.parse).doc, options).body;
}

/**
 * A body's plain text as the engine read it before rich content (its snapshots of rich fields were this text):
 * a base still in this form is upgraded to the projection where the side has not changed since (field-plan.ts).
 */
export function legacyTextOf(format: BodyFormat, body: unknown): string {
  if (format === 'adf') return adfToText(isDoc(body) ? body : null);
  if (format === 'html') return normalizeText(htmlToText(String(body ?? '')));
  return normalizeText(String(body ?? ''));
}

/** The plain text of a projection (comments are paired and hashed by it). */
export function textOfProjection(format: BodyFormat, projection: string): string {
  if (format === 'text') return projection;
  return normalizeText(adfToText(parseBody(format, projection).doc));
}

export const docOf = (content: AdfNode[]): AdfDoc => ({ version: 1, type: 'doc', content });

function isDoc(v: unknown): v is AdfDoc {
  return Boolean(v) && typeof v === 'object' && (v as { type?: unknown }).type === 'doc';
}

/**
 * A document with `text` put before its content (a copy's attribution, "Ana Lima (Jira): "): into its first
 * paragraph when it opens with one, else as a paragraph of its own.
 */
export function prefixed(doc: AdfDoc, text: string): AdfDoc {
  const [first, ...rest] = doc.content;
  const lead: AdfNode = { type: 'text', text };
  if (first?.type === 'paragraph') {
    const [head, ...tail] = first.content ?? [];
    // Joined to plain text that opens the paragraph: one text node, as an editor would keep it.
    const opening =
      head?.type === 'text' && !head.marks?.length ? [{ ...head, text: text + head.text }, ...tail] : null;
    return { ...doc, content: [{ ...first, content: opening ?? [lead, ...(first.content ?? [])] }, ...rest] };
  }
  return {
    ...doc,
    content: [{ type: 'paragraph', content: [{ type: 'text', text: text.trimEnd() }] }, ...doc.content],
  };
}

/** What plain text cannot hold, in people's words: each node type or mark it loses, once. */
const PLAIN_TEXT_LOSES: ReadonlyMap<string, string> = new Map([
  ['strong', 'text formatting (bold, italic and the like)'],
  ['em', 'text formatting (bold, italic and the like)'],
  ['underline', 'text formatting (bold, italic and the like)'],
  ['strike', 'text formatting (bold, italic and the like)'],
  ['subsup', 'text formatting (bold, italic and the like)'],
  ['textColor', 'text formatting (bold, italic and the like)'],
  ['heading', 'headings (kept as lines)'],
  ['table', 'tables (kept as lines)'],
  ['panel', 'a panel (kept as its text)'],
  ['expand', 'an expand (kept as its text)'],
  ['mediaSingle', 'an inline image'],
  ['mediaGroup', 'an inline image'],
  ['mediaInline', 'an inline image'],
]);

/** The losses of a document written as plain text, in document order; one pass with a stack, whatever its depth. */
function plainTextLosses(doc: AdfDoc | null): string[] {
  const lost = new Set<string>();
  const stack: AdfNode[] = [...(doc?.content ?? [])].reverse();
  while (stack.length) {
    const node = stack.pop()!;
    const byType = PLAIN_TEXT_LOSES.get(node.type);
    if (byType) lost.add(byType);
    for (const mark of node.marks ?? []) {
      const byMark = PLAIN_TEXT_LOSES.get(mark.type);
      if (byMark) lost.add(byMark);
    }
    if (node.content) for (let i = node.content.length - 1; i >= 0; i--) stack.push(node.content[i]!);
  }
  return [...lost];
}
