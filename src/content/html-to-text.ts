/**
 * Remote HTML → plain text, for ServiceNow journal entries that carry
 * `[code]…[/code]` HTML. Only text survives: no markup, script or style ever
 * reaches Jira or a page. Parsing is htmlparser2's; this file only decides
 * where line breaks go.
 */
import { Parser } from 'htmlparser2';
import { normalizeText } from './adf-to-text';

const BLOCK = new Set([
  'p',
  'div',
  'br',
  'li',
  'tr',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'pre',
  'blockquote',
  'table',
  'ul',
  'ol',
]);
const DROP = new Set(['script', 'style', 'head', 'title', 'iframe', 'object', 'template']);

export function htmlToText(html: string): string {
  const out: string[] = [];
  let dropping = 0;
  const listDepth: string[] = [];
  const parser = new Parser(
    {
      onopentag(name, attrs) {
        if (DROP.has(name)) dropping++;
        if (dropping) return;
        if (name === 'ul' || name === 'ol') listDepth.push(name);
        if (name === 'li') out.push(`\n${listDepth.at(-1) === 'ol' ? '1. ' : '- '}`);
        else if (BLOCK.has(name)) out.push('\n');
        if (name === 'a' && attrs.href && /^https?:/i.test(attrs.href)) out.push('\u0000' + attrs.href + '\u0000');
      },
      ontext(text) {
        if (!dropping) out.push(text);
      },
      onclosetag(name) {
        if (DROP.has(name)) dropping = Math.max(0, dropping - 1);
        if (dropping) return;
        if (name === 'ul' || name === 'ol') listDepth.pop();
        if (name === 'p' || name === 'div' || name === 'pre' || name === 'blockquote' || name === 'table')
          out.push('\n\n');
      },
    },
    { decodeEntities: true },
  );
  parser.write(html);
  parser.end();
  // Links read as "text (url)" unless the text is the url.
  const text = out
    .join('')
    .replace(/\u0000([^\u0000]*)\u0000([^\u0000]*?)(?=\n|$)/g, (_m, href: string, label: string) =>
      label.trim() === href ? label : `${label}${label.trim() ? ` (${href})` : href}`,
    );
  return normalizeText(text.replace(/[ \t]+\n/g, '\n').replace(/\n[ \t]+/g, '\n'));
}

/** A journal entry as text: `[code]` sections are HTML, the rest is already text. */
export function journalToText(value: string): string {
  return normalizeText(value.replace(/\[code\]([\s\S]*?)\[\/code\]/gi, (_m, html: string) => htmlToText(html)));
}
