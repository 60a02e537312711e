/**
 * Bodies in the format each system stores (its declared capability): the
 * engine compares and copies plain text, and converts at the edges.
 */
import type { BodyFormat } from './body-format';
import type { AdfDoc } from './adf';
import { adfToText } from './adf-to-text';
import { htmlToText } from './html-to-text';

const escapeHtml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Plain text → the body a system stores. */
export function bodyFromText(format: BodyFormat, text: string): string {
  if (format === 'html')
    return text
      .split(/\n{2,}/)
      .map((p) => `<p>${escapeHtml(p).replace(/\n/g, '<br>')}</p>`)
      .join('');
  return text;
}

/** A stored body → plain text (remote HTML loses every tag: nothing of its markup reaches Jira). */
export function textFromBody(format: BodyFormat, body: unknown): string {
  if (format === 'adf') return adfToText((body as AdfDoc | null) ?? null);
  if (format === 'html') return htmlToText(String(body ?? ''));
  return String(body ?? '');
}
