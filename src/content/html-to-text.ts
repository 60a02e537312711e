/**
 * Remote HTML → plain text, for remote HTML bodies and the `[code]…[/code]`
 * HTML sections of journal entries (journal.ts). Only text survives: no
 * markup, script or style ever reaches Jira or a page. Tokenizing (tags,
 * attributes, entities, the raw text of script and style) is htmlparser2's;
 * this file only decides where line breaks go.
 *
 * It reads htmlparser2's tokens rather than its Parser's events: the Parser
 * keeps every open element in an array it grows with `unshift`, so each tag
 * nested in another costs as much as the depth, and 1 MB of nested `<div>`
 * took 22 s. Text needs no tree: what is dropped (script, style…), the list a
 * `<li>` belongs to and whether a paragraph is open are counters and a stack
 * of list kinds, each step O(1), so the work is linear in the input.
 */
import { Tokenizer } from 'htmlparser2';
import { normalizeText } from './adf-to-text';
import { CLOSES_P, IGNORED_TOKENS } from './html-elements';

/**
 * The most HTML read from one body. Azure DevOps' longest rich-text field
 * holds a million characters, so no body a person wrote is cut; a longer one
 * is read up to here and says so at its end, in words.
 */
export const MAX_HTML_CHARS = 1_000_000;
export const TRUNCATION_NOTE = `[Crosswalk: the rest of this text was left out; it was longer than ${MAX_HTML_CHARS.toLocaleString('en-US')} characters]`;

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
/** Blocks after which a blank line follows. */
const PARAGRAPH_END = new Set(['p', 'div', 'pre', 'blockquote', 'table']);
const DROP = new Set(['script', 'style', 'head', 'title', 'iframe', 'object', 'template']);

export function htmlToText(input: string): string {
  const cut = input.length > MAX_HTML_CHARS;
  const html = cut ? input.slice(0, MAX_HTML_CHARS) : input;
  const out: string[] = [];
  let dropping = 0;
  let paragraphOpen = false;
  const lists: string[] = [];
  /** The link being read: where its text starts in `out`, and where it points. */
  let link: { at: number; href: string } | undefined;
  let tag = '';
  let attribute = '';
  let value = '';
  let href: string | undefined;

  const endLink = () => {
    if (!link) return;
    const label = out.splice(link.at).join('');
    // Links read as "text (url)" unless the text is the url.
    out.push(label.trim() === link.href ? label : label.trim() ? `${label.trimEnd()} (${link.href})` : link.href);
    link = undefined;
  };
  const open = (name: string) => {
    if (paragraphOpen && CLOSES_P.has(name)) close('p');
    if (DROP.has(name)) dropping++;
    if (dropping) return;
    if (name === 'p') paragraphOpen = true;
    if (name === 'ul' || name === 'ol') lists.push(name);
    if (name === 'li') out.push(`\n${lists.at(-1) === 'ol' ? '1. ' : '- '}`);
    else if (BLOCK.has(name)) out.push('\n');
    if (name === 'a') {
      endLink(); // a link inside a link closes the first, as HTML does
      if (href && /^https?:/i.test(href)) link = { at: out.length, href };
    }
  };
  function close(name: string): void {
    if (DROP.has(name)) dropping = Math.max(0, dropping - 1);
    if (dropping) return;
    if (name === 'p') paragraphOpen = false;
    if (name === 'ul' || name === 'ol') lists.pop();
    if (name === 'a') endLink();
    if (name === 'br') out.push('\n'); // `</br>` is read as `<br>`
    if (PARAGRAPH_END.has(name)) out.push('\n\n');
  }

  const tokenizer = new Tokenizer(
    { decodeEntities: true },
    {
      ontext(start, end) {
        if (!dropping) out.push(html.slice(start, end));
      },
      ontextentity(codepoint) {
        if (!dropping) out.push(String.fromCodePoint(codepoint));
      },
      onopentagname(start, end) {
        tag = html.slice(start, end).toLowerCase();
        href = undefined;
      },
      onattribname(start, end) {
        attribute = html.slice(start, end).toLowerCase();
        value = '';
      },
      onattribdata(start, end) {
        value += html.slice(start, end);
      },
      onattribentity(codepoint) {
        value += String.fromCodePoint(codepoint);
      },
      onattribend() {
        if (attribute === 'href' && href === undefined) href = value;
      },
      onopentagend() {
        open(tag);
      },
      onselfclosingtag() {
        // HTML ignores the slash of `<div/>`: the element is open, as for `<div>`.
        open(tag);
      },
      onclosetag(start, end) {
        close(html.slice(start, end).toLowerCase());
      },
      ...IGNORED_TOKENS,
    },
  );
  tokenizer.write(html);
  tokenizer.end();
  endLink();
  // HTML's own indentation is no part of the text: each line loses the spaces around it.
  const text = normalizeText(out.join('').split('\n').map(trimLineStart).join('\n'));
  return cut ? `${text}\n\n${TRUNCATION_NOTE}` : text;
}

function trimLineStart(line: string): string {
  let start = 0;
  while (start < line.length && (line.charCodeAt(start) === 32 || line.charCodeAt(start) === 9)) start++;
  return start ? line.slice(start) : line;
}
