/**
 * Journal entries: plain text that may carry HTML in `[code]…[/code]`
 * sections (a ServiceNow journal shows such a section formatted). Read as
 * text, each section gives its text; read as HTML, the text around the
 * sections becomes paragraphs and each section is the HTML it holds, so what
 * an entry formats reaches Jira formatted.
 */
import { normalizeText } from './adf-to-text';
import { bodyFromText } from './formats';
import { htmlToText } from './html-to-text';

interface JournalPart {
  html: boolean;
  value: string;
}

/** The entry's text and closed `[code]` sections, in order; an unclosed `[code]` is text. */
function journalParts(value: string): JournalPart[] {
  // One pass with indexOf: a regular expression retried every unclosed `[code]` to the end of the entry (quadratic).
  const lower = value.toLowerCase();
  const parts: JournalPart[] = [];
  let from = 0;
  for (;;) {
    const start = lower.indexOf('[code]', from);
    const end = start < 0 ? -1 : lower.indexOf('[/code]', start + 6);
    if (end < 0) break;
    parts.push({ html: false, value: value.slice(from, start) }, { html: true, value: value.slice(start + 6, end) });
    from = end + 7;
  }
  parts.push({ html: false, value: value.slice(from) });
  return parts;
}

/** A journal entry as text: `[code]` sections are HTML, the rest is already text. */
export function journalToText(value: string): string {
  return normalizeText(
    journalParts(value)
      .map((p) => (p.html ? htmlToText(p.value) : p.value))
      .join(''),
  );
}

/** A journal entry holding a `[code]` section, as HTML; undefined for an entry of text alone. */
export function journalToHtml(value: string): string | undefined {
  const parts = journalParts(value);
  if (parts.length === 1) return undefined;
  return parts
    .map((p) => (p.html ? p.value : p.value.trim() ? bodyFromText('html', normalizeText(p.value)) : ''))
    .join('');
}
