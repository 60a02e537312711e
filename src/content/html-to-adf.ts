/**
 * Remote HTML (Azure DevOps fields, Zendesk `html_body`, ServiceNow HTML) →
 * ADF. An allow-list: the elements below become ADF, every other element is
 * read for its text alone, and script, style and the like are dropped with
 * their content. No attribute is read except the few named here, so event
 * handlers, styles other than a hex text colour, and links that are not
 * http(s) or mailto never reach Jira.
 *
 * It reads htmlparser2's tokens, as html-to-text.ts does and for the same
 * reason (its Parser goes quadratic on deep nesting). The open elements are a
 * stack whose entries carry where the nearest open `<p>`, `<li>`, cell, row
 * and link are, so HTML's implied end tags cost O(1); a close tag pops
 * entries, each at most once. The ADF itself is built by AdfBuilder, which
 * enforces ADF's nesting rules and depth bound.
 */
import { Tokenizer } from 'htmlparser2';
import { CLOSES_P, IGNORED_TOKENS, VOID_ELEMENTS } from './html-elements';
import { AdfBuilder, noMarks, withMark, type BlockType, type MarkSet, type Position } from './adf-builder';
import type { Parsed, ParseOptions } from './conversion';
import { MAX_HTML_CHARS, TRUNCATION_NOTE } from './html-to-text';
import { safeHref } from './adf-atoms';

interface Open {
  name: string;
  marks: MarkSet;
  /** Where the ADF goes back to when this element closes (block elements only). */
  at?: Position;
  /** Stack indexes of the nearest open `<p>`, `<li>`, `<td>`/`<th>`, `<tr>`, `<a>` this element is inside (-1: none). */
  p: number;
  li: number;
  cell: number;
  row: number;
  a: number;
  /** The kind of list a `<li>` here belongs to. */
  list?: 'bullet' | 'ordered' | 'task';
  /** A mention this element is (ParseOptions.mention): its text is gathered and written as one mention node. */
  mention?: { id: string; text: string };
  /** How many more like elements this record stands for, each inside the one before (see `likeInner`). */
  repeat: number;
}

/** Whether an element opened changes nothing of the one it is in: the same element, in the same place. */
function likeInner(entry: Open, inner: Open): boolean {
  return (
    entry.name === inner.name &&
    entry.marks === inner.marks &&
    entry.at === inner.at &&
    entry.p === inner.p &&
    entry.li === inner.li &&
    entry.cell === inner.cell &&
    entry.row === inner.row &&
    entry.a === inner.a &&
    entry.list === inner.list &&
    entry.mention === undefined &&
    inner.mention === undefined
  );
}

/** Dropped with everything inside them. */
const DROP = new Set(['script', 'style', 'head', 'title', 'iframe', 'object', 'template', 'svg', 'math', 'noscript']);
/** Elements that start and end a block of text without being one in ADF (their text makes paragraphs). */
const BOUNDARY = new Set([
  'div',
  'section',
  'article',
  'header',
  'footer',
  'main',
  'nav',
  'aside',
  'address',
  'figure',
  'figcaption',
  'details',
  'summary',
  'dl',
  'dt',
  'dd',
  'center',
  'form',
  'fieldset',
  'legend',
  'caption',
  'hgroup',
  'body',
  'html',
]);
// A Map, not an object: tag names come from the input, and `<constructor>` must not find Object's properties.
const MARK_TAGS = new Map<string, MarkSet['marks'][number]>(
  Object.entries({
    b: { type: 'strong' },
    strong: { type: 'strong' },
    i: { type: 'em' },
    em: { type: 'em' },
    u: { type: 'underline' },
    ins: { type: 'underline' },
    s: { type: 'strike' },
    strike: { type: 'strike' },
    del: { type: 'strike' },
    code: { type: 'code' },
    tt: { type: 'code' },
    kbd: { type: 'code' },
    samp: { type: 'code' },
    sub: { type: 'subsup', attrs: { type: 'sub' } },
    sup: { type: 'subsup', attrs: { type: 'sup' } },
  }),
);
const HEADINGS = new Map([
  ['h1', 1],
  ['h2', 2],
  ['h3', 3],
  ['h4', 4],
  ['h5', 5],
  ['h6', 6],
]);
/** The only attributes ever read. */
const READ = new Set([
  'href',
  'src',
  'alt',
  'style',
  'color',
  'class',
  'start',
  'colspan',
  'rowspan',
  'type',
  'checked',
  'data-task-list',
]);

/** The last parse's callbacks (see the end of htmlToAdf). */
let lastCallbacks: object | undefined;

export function htmlToAdf(input: string, options: ParseOptions = {}): Parsed {
  const cut = input.length > MAX_HTML_CHARS;
  let html = (cut ? input.slice(0, MAX_HTML_CHARS) : input).replace(/\r\n?/g, '\n');
  let builder = new AdfBuilder();
  const images: Parsed['images'] = [];
  const root: Open = { name: '', marks: noMarks(), p: -1, li: -1, cell: -1, row: -1, a: -1, repeat: 0 };
  // The open elements are `stack[0 .. depth - 1]`. A closed element's record is reused by the next element opened
  // at its depth, so elements cost no object each (those objects were much of the garbage collector's work).
  const stack: Open[] = [];
  let depth = 0;
  const openCount = new Map<string, number>();
  let names = new TagNames(html);
  let dropping = 0;
  let tag = '';
  let attribute = '';
  let value = '';
  const attrs = new Map<string, string>();
  const mentionAttribute = options.mention?.attribute.toLowerCase();
  /** The mention being read, if any: the entry whose text is gathered. */
  let mention: Open | undefined;
  const reads = (name: string) => READ.has(name) || name === mentionAttribute;

  const top = () => (depth ? stack[depth - 1]! : root);
  const popTo = (index: number) => {
    while (depth > index) {
      const entry = stack[--depth]!;
      openCount.set(entry.name, openCount.get(entry.name)! - 1 - entry.repeat);
      entry.repeat = 0;
      if (entry.at) builder.closeTo(entry.at);
      entry.at = undefined; // a closed element does not keep the builder's frame alive
      if (entry === mention) {
        const text = entry.mention!.text.replace(/\s+/g, ' ').trim();
        builder.atom({ type: 'mention', attrs: { id: entry.mention!.id, ...(text ? { text } : {}) } });
        entry.mention = mention = undefined;
      }
    }
  };

  // HTML ignores the slash of `<div/>`: the element is open, as for `<div>` (only a void element has no content).
  const open = (name: string) => {
    if (DROP.has(name)) {
      dropping++; // `<script/>` still opens a script, as in browsers
      return;
    }
    if (dropping) return;
    const parent = top();
    // HTML's implied end tags: a block ends an open paragraph, an item the item before it, and so on.
    if (CLOSES_P.has(name) && parent.p >= 0) popTo(parent.p);
    if (name === 'li' && top().li >= 0) popTo(top().li);
    if ((name === 'td' || name === 'th') && top().cell >= 0) popTo(top().cell);
    if ((name === 'tr' || name === 'tbody' || name === 'thead' || name === 'tfoot') && top().row >= 0) popTo(top().row);
    if (name === 'a' && top().a >= 0) popTo(top().a);
    if (mention && VOID_ELEMENTS.has(name)) return;
    if (VOID_ELEMENTS.has(name)) return voidElement(name);

    const outer = top();
    const index = depth;
    // A literal with every field, not a spread of `root`: a spread's hidden class dies with a body's last record.
    const entry = (stack[index] ??= {
      name,
      marks: root.marks,
      at: undefined,
      p: -1,
      li: -1,
      cell: -1,
      row: -1,
      a: -1,
      list: undefined,
      mention: undefined,
      repeat: 0,
    });
    entry.name = name;
    entry.marks = outer.marks;
    entry.at = undefined;
    entry.p = outer.p;
    entry.li = outer.li;
    entry.cell = outer.cell;
    entry.row = outer.row;
    entry.a = outer.a;
    entry.list = outer.list;
    entry.mention = undefined;
    entry.repeat = 0;
    const mentioned = mention ? undefined : mentionOf(attrs);
    if (mention || mentioned) {
      // Inside a mention, elements only count for their end tags: its text is all it keeps.
      depth++;
      openCount.set(name, (openCount.get(name) ?? 0) + 1);
      if (!mentioned) return;
      // A person, as the system marks one: what the element says is the mention's text, nothing of it is a link.
      entry.mention = { id: mentioned, text: '' };
      if (name === 'a') entry.a = index;
      mention = entry;
      return;
    }
    const heading = HEADINGS.get(name);
    const mark = MARK_TAGS.get(name);
    if (name === 'code' && outer.name === 'pre') {
      // `<pre><code class="language-js">`: the code element carries the block's language, not a mark.
      const lang = language(attrs.get('class'));
      if (lang) builder.setCodeLanguage(lang.language);
    } else if (mark) entry.marks = withMark(outer.marks, mark);
    else if (heading) entry.at = builder.open('heading', { level: heading });
    else if (BOUNDARY.has(name)) entry.at = builder.boundary();
    else
      switch (name) {
        case 'p':
          entry.at = builder.open('paragraph');
          entry.p = index;
          break;
        case 'ul':
        case 'ol': {
          const task =
            attrs.get('data-task-list') === 'true' || /\bcontains-task-list\b/.test(attrs.get('class') ?? '');
          entry.list = task ? 'task' : name === 'ol' ? 'ordered' : 'bullet';
          const start = /^\s*(\d{1,9})\s*$/.exec(attrs.get('start') ?? '');
          const order = start ? Number(start[1]) : 1;
          const type: BlockType = task ? 'taskList' : name === 'ol' ? 'orderedList' : 'bulletList';
          entry.at = builder.open(type, type === 'orderedList' && order !== 1 ? { order } : undefined);
          entry.li = -1;
          entry.p = -1;
          break;
        }
        case 'li':
          entry.at = builder.open(outer.list === 'task' ? 'taskItem' : 'listItem');
          entry.li = index;
          entry.p = -1;
          break;
        case 'pre':
          entry.at = builder.open('codeBlock', language(attrs.get('class')));
          break;
        case 'blockquote':
          entry.at = builder.open('blockquote');
          entry.p = -1;
          break;
        case 'table':
          entry.at = builder.open('table');
          entry.p = entry.li = entry.cell = entry.row = -1;
          entry.list = undefined;
          break;
        case 'tr':
          entry.at = builder.open('tableRow');
          entry.row = index;
          break;
        case 'td':
        case 'th':
          entry.at = builder.open(name === 'th' ? 'tableHeader' : 'tableCell', spans(attrs));
          entry.cell = index;
          entry.p = entry.li = -1;
          entry.list = undefined;
          break;
        case 'a': {
          const href = safeHref(attrs.get('href'));
          if (href) entry.marks = withMark(outer.marks, { type: 'link', attrs: { href } });
          else if (attrs.has('href')) builder.note('a link that was not http, https or mailto (kept as text)');
          entry.a = index;
          break;
        }
        case 'span':
        case 'font': {
          const color = hexColor(name === 'font' ? attrs.get('color') : cssColor(attrs.get('style')));
          if (color) entry.marks = withMark(outer.marks, { type: 'textColor', attrs: { color } });
          break;
        }
        default:
        // Any other element is read for its text alone.
      }
    // An element just like the one it is in (a deep nest of <div>s: same name, marks and place) is a count on that
    // one's record: a record per element made the collector's work grow faster than the body past 150,000 of them.
    const inner = depth ? stack[depth - 1]! : undefined;
    if (inner && likeInner(entry, inner)) inner.repeat++;
    else depth++;
    openCount.set(name, (openCount.get(name) ?? 0) + 1);
  };

  const mentionOf = (read: Map<string, string>): string | undefined => {
    const value = mentionAttribute === undefined ? undefined : read.get(mentionAttribute);
    return value === undefined ? undefined : options.mention!.accountOf(value);
  };

  const voidElement = (name: string) => {
    if (name === 'br') builder.hardBreak();
    else if (name === 'hr') builder.rule();
    else if (name === 'img') {
      const src = (attrs.get('src') ?? '').trim();
      const alt = attrs.get('alt');
      const copy = mention ? undefined : options.image?.(src);
      if (copy) builder.media(copy);
      else {
        if (/^https?:\/\//i.test(src)) images.push(alt ? { src, alt } : { src });
        builder.note('an inline image');
      }
    } else if (name === 'input' && attrs.get('type')?.toLowerCase() === 'checkbox' && attrs.has('checked'))
      builder.taskDone();
  };

  const close = (name: string) => {
    if (DROP.has(name)) {
      dropping = Math.max(0, dropping - 1);
      return;
    }
    if (dropping) return;
    if (name === 'br') return builder.hardBreak(); // `</br>` is read as `<br>`, as browsers do
    if (!openCount.get(name)) return;
    let index = depth - 1;
    while (stack[index]!.name !== name) index--;
    const closing = stack[index]!;
    if (!closing.repeat) return popTo(index);
    // The innermost of a run of like elements: the run is one shorter, and what was opened inside it is closed.
    popTo(index + 1);
    closing.repeat--;
    openCount.set(name, openCount.get(name)! - 1);
    if (closing.at) builder.closeTo(closing.at);
  };

  const callbacks: ConstructorParameters<typeof Tokenizer>[1] = {
    ontext(start, end) {
      if (dropping) return;
      if (mention) mention.mention!.text += html.slice(start, end);
      else builder.text(html.slice(start, end), top().marks);
    },
    ontextentity(codepoint) {
      if (dropping) return;
      if (mention) mention.mention!.text += fromCodePoint(codepoint);
      else builder.text(fromCodePoint(codepoint), top().marks);
    },
    onopentagname(start, end) {
      tag = names.read(start, end);
      if (attrs.size) attrs.clear();
    },
    onattribname(start, end) {
      attribute = names.read(start, end);
      value = '';
    },
    onattribdata(start, end) {
      if (reads(attribute)) value += html.slice(start, end);
    },
    onattribentity(codepoint) {
      if (reads(attribute)) value += fromCodePoint(codepoint);
    },
    onattribend() {
      if (reads(attribute) && !attrs.has(attribute)) attrs.set(attribute, value);
    },
    onopentagend() {
      open(tag);
    },
    onselfclosingtag() {
      open(tag);
    },
    onclosetag(start, end) {
      close(names.read(start, end));
    },
    ...IGNORED_TOKENS,
  };
  const tokenizer = new Tokenizer({ decodeEntities: true }, callbacks);
  tokenizer.write(html);
  tokenizer.end();
  if (mention) popTo(stack.indexOf(mention)); // an unclosed mention still ends as one
  const { doc, simplified } = builder.finish();
  // This parse's functions are kept until the next parse, holding nothing of this body (not its text, nor its
  // document), so that the code the engine compiled for them is kept too: a full garbage collection frees compiled
  // code that no live function holds, and the next body then ran about twice as slow while it was compiled again.
  html = '';
  builder = new AdfBuilder();
  names = new TagNames('');
  stack.length = depth = 0;
  openCount.clear();
  attrs.clear();
  tag = attribute = value = '';
  lastCallbacks = callbacks;
  if (cut) {
    doc.content.push({ type: 'paragraph', content: [{ type: 'text', text: TRUNCATION_NOTE }] });
    simplified.push(`the end of the text (it was longer than ${MAX_HTML_CHARS.toLocaleString('en-US')} characters)`);
  }
  return { doc, simplified, images };
}

/**
 * Tag and attribute names, lower-cased. The same few names come back all through a body, so the one last read with
 * the same first letter and length is checked against the input first: when it matches, no new string is made
 * (strings made per tag were a good part of the memory a parse took).
 */
class TagNames {
  private readonly seen: string[] = new Array<string>(2048).fill('');

  constructor(private readonly html: string) {}

  read(start: number, end: number): string {
    const key = ((this.html.charCodeAt(start) & 0x7f) << 4) | ((end - start) & 0xf);
    const seen = this.seen[key]!;
    if (seen.length === end - start && this.html.startsWith(seen, start)) return seen;
    const name = this.html.slice(start, end).toLowerCase();
    return (this.seen[key] = KNOWN_NAMES.get(name) ?? name);
  }
}

/**
 * The tag and attribute names this file looks up, each mapped to the very string it is looked up with. A name read from the input
 * is a copy, which the engine compares (in every Set and Map above, at every element) character by character; these
 * it compares by address.
 */
const KNOWN_NAMES = new Map(
  [
    ...DROP,
    ...BOUNDARY,
    ...MARK_TAGS.keys(),
    ...HEADINGS.keys(),
    ...CLOSES_P,
    ...VOID_ELEMENTS,
    ...['p', 'ul', 'ol', 'li', 'pre', 'blockquote', 'table', 'tbody', 'thead', 'tfoot', 'tr', 'td', 'th', 'a'],
    ...['span', 'font'],
    ...READ,
  ].map((name) => [name, name]),
);

/**
 * Objects kept for as long as this module, which nothing reads: a tokenizer and a TagNames. With none alive, a full
 * garbage collection between two bodies frees their hidden classes, and the engine throws away the code it compiled
 * for them; the next body ran two to three times slower while it was compiled again.
 */
const keptWarm: object[] = [];
{
  const none = () => {};
  keptWarm.push(
    new TagNames(''),
    new Tokenizer(
      { decodeEntities: true },
      {
        ontext: none,
        ontextentity: none,
        onopentagname: none,
        onattribname: none,
        onattribdata: none,
        onattribentity: none,
        onattribend: none,
        onopentagend: none,
        onselfclosingtag: none,
        onclosetag: none,
        ...IGNORED_TOKENS,
      },
    ),
  );
}

function fromCodePoint(codepoint: number): string {
  return codepoint > 0 && codepoint <= 0x10ffff ? String.fromCodePoint(codepoint) : '\ufffd';
}

/** `language-js` / `lang-js` in a class list. */
function language(cls: string | undefined): { language: string } | undefined {
  const m = /(?:^|\s)(?:language|lang)-([A-Za-z0-9_+#.-]{1,40})(?:\s|$)/.exec(cls ?? '');
  return m ? { language: m[1]! } : undefined;
}

/** colspan / rowspan above 1 (up to 1000: a larger one is not a table a person made). */
function spans(attrs: Map<string, string>): Record<string, number> | undefined {
  if (!attrs.has('colspan') && !attrs.has('rowspan')) return undefined; // most cells: nothing to make
  const out: Record<string, number> = {};
  for (const name of ['colspan', 'rowspan']) {
    const m = /^\s*(\d{1,4})\s*$/.exec(attrs.get(name) ?? '');
    const n = m ? Number(m[1]) : 1;
    if (n > 1 && n <= 1000) out[name] = n;
  }
  return Object.keys(out).length ? out : undefined;
}

/** Only `color: #rgb` or `#rrggbb` is read from a style attribute; nothing else of it. */
function cssColor(style: string | undefined): string | undefined {
  return /(?:^|;)\s*color\s*:\s*(#[0-9a-fA-F]{3}(?:[0-9a-fA-F]{3})?)\s*(?:!important\s*)?(?:;|$)/.exec(
    style ?? '',
  )?.[1];
}

function hexColor(color: string | undefined): string | undefined {
  const m = /^\s*#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})\s*$/.exec(color ?? '');
  if (!m) return undefined;
  const hex = m[1]!.length === 3 ? [...m[1]!].map((c) => c + c).join('') : m[1]!;
  return `#${hex.toLowerCase()}`;
}
