/**
 * Zendesk stores a comment both ways: a plain `body` given by the caller is
 * rendered to `html_body` (paragraphs in a `zd-comment` div), and an
 * `html_body` given by the caller is flattened to the plain `body`/`plain_body`.
 */
import { Parser } from 'htmlparser2';

const escapeHtml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function plainToHtml(text: string): string {
  const paragraphs = text
    .replace(/\r\n?/g, '\n')
    .split(/\n{2,}/)
    .filter((p) => p.trim() !== '');
  const inner = paragraphs.map((p) => `<p dir="auto">${escapeHtml(p).replace(/\n/g, '<br>')}</p>`).join('');
  return `<div class="zd-comment" dir="auto">${inner}</div>`;
}

const BLOCKS = new Set([
  'p',
  'div',
  'li',
  'ul',
  'ol',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'tr',
  'table',
  'blockquote',
  'pre',
]);
const SKIP = new Set(['script', 'style', 'head']);

export function htmlToPlain(html: string): string {
  let out = '';
  let skipping = 0;
  const newline = (n: number) => {
    const trailing = /\n*$/.exec(out)?.[0].length ?? 0;
    if (out.length && trailing < n) out += '\n'.repeat(n - trailing);
  };
  const parser = new Parser(
    {
      onopentag(name) {
        if (SKIP.has(name)) skipping += 1;
        else if (name === 'br') out += '\n';
        else if (name === 'li') newline(1);
        else if (BLOCKS.has(name)) newline(name === 'p' ? 2 : 1);
      },
      ontext(text) {
        if (!skipping) out += text.replace(/[ \t\r\n]+/g, ' ');
      },
      onclosetag(name) {
        if (SKIP.has(name)) skipping -= 1;
        else if (name === 'p') newline(2);
        else if (BLOCKS.has(name)) newline(1);
      },
    },
    { decodeEntities: true },
  );
  parser.write(html);
  parser.end();
  return out
    .split('\n')
    .map((l) => l.trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
