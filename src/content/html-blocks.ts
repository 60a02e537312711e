/**
 * An HTML body cut into its top-level blocks, as raw HTML: each block-level
 * element at the top is one, and each run of top-level inline content (text,
 * `<b>`, `<img>`, `<br>`…) between them is one, as a browser would make one
 * paragraph of it. The block merge (block-merge.ts) keeps a remote's own raw
 * blocks where a Jira edit left them as they were, so what Jira cannot hold
 * (an inline screenshot, the remote's own markup) is not lost to it.
 *
 * One pass of htmlparser2's tokenizer with a depth counter: linear, no
 * recursion. Markup the counter cannot follow (unclosed elements) only makes
 * fewer, larger blocks.
 */
import { Tokenizer } from 'htmlparser2';
import { CLOSES_P, IGNORED_TOKENS, VOID_ELEMENTS } from './html-elements';

export function htmlBlocks(html: string): string[] {
  const blocks: string[] = [];
  let from = 0;
  let depth = 0;
  let tag = '';
  /** Whether the block being read is a block-level element (else a run of inline content). */
  let inElement = false;
  const cut = (to: number) => {
    if (to > from && html.slice(from, to).trim() !== '') blocks.push(html.slice(from, to));
    from = to;
  };
  function opened(): void {
    if (!VOID_ELEMENTS.has(tag)) depth++;
    else if (depth === 0 && inElement) {
      // A void block (`<hr>`) is the whole block.
      cut(html.indexOf('>', from) + 1 || html.length);
      inElement = false;
    }
  }
  const tokenizer = new Tokenizer(
    { decodeEntities: false },
    {
      onopentagname(start, end) {
        tag = html.slice(start, end).toLowerCase();
        // A block-level element at the top ends the inline run before it and starts a block of its own.
        if (depth === 0 && CLOSES_P.has(tag)) {
          cut(start - 1);
          inElement = true;
        }
      },
      onopentagend: opened,
      // HTML ignores the slash of `<div/>`: the element is open, as for `<div>`.
      onselfclosingtag: opened,
      onclosetag(_start, end) {
        if (depth > 0) depth--;
        if (depth === 0 && inElement) {
          cut(html.indexOf('>', end) + 1 || html.length);
          inElement = false;
        }
      },
      ontext() {},
      ontextentity() {},
      onattribname() {},
      onattribdata() {},
      onattribentity() {},
      onattribend() {},
      ...IGNORED_TOKENS,
    },
  );
  tokenizer.write(html);
  tokenizer.end();
  cut(html.length);
  return blocks;
}
