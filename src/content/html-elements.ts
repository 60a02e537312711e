/**
 * HTML's own element classes, as its parsing rules give them, shared by every
 * reader of remote HTML in this folder.
 */

/** Elements whose start closes an open `<p>`: the block-level elements (htmlparser2's Parser uses the same list). */
export const CLOSES_P: ReadonlySet<string> = new Set([
  'address',
  'article',
  'aside',
  'blockquote',
  'details',
  'div',
  'dl',
  'fieldset',
  'figcaption',
  'figure',
  'footer',
  'form',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'header',
  'hgroup',
  'hr',
  'main',
  'nav',
  'ol',
  'p',
  'pre',
  'section',
  'table',
  'ul',
]);

/** Elements that have no content and no end tag. */
export const VOID_ELEMENTS: ReadonlySet<string> = new Set([
  'area',
  'base',
  'br',
  'col',
  'embed',
  'hr',
  'img',
  'input',
  'link',
  'meta',
  'param',
  'source',
  'track',
  'wbr',
]);

/** Tokenizer events none of the readers need: spread into its callbacks. */
export const IGNORED_TOKENS = {
  oncdata() {},
  oncomment() {},
  ondeclaration() {},
  onprocessinginstruction() {},
  onend() {},
} as const;
