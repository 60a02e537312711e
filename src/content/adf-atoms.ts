/**
 * How ADF's atoms read as text in a format that has no such thing (a mention,
 * an emoji, a date, a status lozenge, a panel's kind), and which link targets
 * may be written at all. Shared by the HTML and Markdown renderers so both
 * say the same words.
 */
import type { AdfNode } from './adf';

/** http, https and mailto only: javascript:, data:, vbscript: and the rest never become a link. */
export function safeHref(raw: unknown): string | undefined {
  if (typeof raw !== 'string') return undefined;
  const href = raw.trim();
  return /^(https?:\/\/|mailto:)/i.test(href) && !/[\u0000-\u001f\u007f]/.test(href) ? href : undefined;
}

/** A mention's display text, "@Ana Lima"; never the account id, which means nothing to a reader. */
export function mentionText(node: AdfNode): string {
  const text = typeof node.attrs?.text === 'string' ? node.attrs.text.trim() : '';
  if (!text) return '@someone';
  return text.startsWith('@') ? text : `@${text}`;
}

export function emojiText(node: AdfNode): string {
  const text = node.attrs?.text ?? node.attrs?.shortName;
  return typeof text === 'string' ? text : '';
}

/** A date node's day, YYYY-MM-DD (UTC), from its timestamp in milliseconds. */
export function dateText(node: AdfNode): string {
  const ms = Number(node.attrs?.timestamp);
  if (!Number.isFinite(ms) || Math.abs(ms) > 8.64e15) return '';
  return new Date(ms).toISOString().slice(0, 10);
}

/** A status lozenge as Jira shows it: its text in capitals, here in brackets. */
export function statusText(node: AdfNode): string {
  const text = typeof node.attrs?.text === 'string' ? node.attrs.text : '';
  return text ? `[${text.toUpperCase()}]` : '';
}

// A Map, not an object: a panel type from a document ('constructor', '__proto__') must not read Object's properties.
const PANEL_LABELS = new Map<unknown, string>(
  Object.entries({
    info: 'Info:',
    note: 'Note:',
    tip: 'Tip:',
    warning: 'Warning:',
    error: 'Error:',
    success: 'Success:',
  }),
);

/** The word a panel's kind reads as, in bold at the start of the quote it becomes. */
export function panelLabel(node: AdfNode): string {
  const kind = node.attrs?.panelType;
  return PANEL_LABELS.get(kind) ?? 'Note:';
}

export function expandTitle(node: AdfNode): string {
  return typeof node.attrs?.title === 'string' ? node.attrs.title.trim() : '';
}

/** Code block languages are written into a class name or a fence: letters, digits and a few signs only. */
export function safeLanguage(raw: unknown): string | undefined {
  return typeof raw === 'string' && /^[A-Za-z0-9_+#.-]{1,40}$/.test(raw) ? raw : undefined;
}

/** A hex text colour as ADF holds it (#rrggbb), or nothing. */
export function safeColor(raw: unknown): string | undefined {
  return typeof raw === 'string' && /^#[0-9a-fA-F]{6}$/.test(raw) ? raw.toLowerCase() : undefined;
}

/**
 * The text an inline atom is written as where the target has no such thing (every format but ADF), and what the
 * target loses of it; undefined for nodes that are not such atoms. A mention's own markup, where the caller has one,
 * comes first (RenderOptions.mention).
 */
export function atomAsText(node: AdfNode): { text: string; note?: string } | undefined {
  switch (node.type) {
    case 'mention':
      return { text: mentionText(node) };
    case 'emoji':
      return { text: emojiText(node) };
    case 'date':
      return { text: dateText(node), note: 'a date (kept as text)' };
    case 'status':
      return { text: statusText(node), note: 'a status lozenge (kept as text)' };
    default:
      return undefined;
  }
}

/** A mention's id and display text, as `RenderOptions.mention` takes them. */
export function mentionOf(node: AdfNode): { id: string; text?: string } {
  const id = typeof node.attrs?.id === 'string' ? node.attrs.id : '';
  const text = typeof node.attrs?.text === 'string' ? node.attrs.text : undefined;
  return text === undefined ? { id } : { id, text };
}
