/**
 * Builds schema-valid ADF from a stream of "open this block / here is text /
 * close back to there" events, so every parser (HTML, Markdown) shares one
 * place that knows ADF's nesting rules. A parser never has to be right about
 * them: a block that may not stand where it is opened (a heading in a list, a
 * table in a table, a quote in a quote) is turned into one that may, or left
 * out while its content still flows into the block around it. Every word is
 * kept. The builder keeps its open nodes on an explicit stack and never
 * recurses, and below MAX_ADF_DEPTH it opens nothing more: deeper blocks are
 * read as plain paragraphs, so no input can make the document deeper.
 */
import type { AdfDoc, AdfMark, AdfNode } from './adf';
import { MAX_ADF_DEPTH } from './adf-to-text';
import { stripControl } from './text-to-adf';

export type BlockType =
  | 'paragraph'
  | 'heading'
  | 'blockquote'
  | 'bulletList'
  | 'orderedList'
  | 'listItem'
  | 'taskList'
  | 'taskItem'
  | 'codeBlock'
  | 'table'
  | 'tableRow'
  | 'tableCell'
  | 'tableHeader';

/** Marks for a run of text, with a key that tells equal sets apart cheaply (adjacent runs with equal marks merge). */
export interface MarkSet {
  readonly marks: readonly AdfMark[];
  readonly key: string;
}

/** Where a caller returns to when the element that opened something closes: just inside a frame open then. */
export interface Position {
  readonly depth: number;
}

/**
 * An open node. A frame is its own Position (the place just inside it, at its depth in the stack): a parser asks
 * for one at every element, and this way asking makes nothing.
 */
interface Frame extends Position {
  node: AdfNode;
  /** Opened by the builder itself (text in a list, a stray `<li>`), so a sibling may close it. */
  implicit: boolean;
  /** Its content is inline (INLINE_CONTAINERS), asked at every piece of text: looked up once, when it opens. */
  inline: boolean;
}

/** Nodes whose content is inline: text goes straight into them. */
const INLINE_CONTAINERS = new Set(['paragraph', 'heading', 'codeBlock', 'taskItem']);

const CELL_BLOCKS = [
  'paragraph',
  'heading',
  'blockquote',
  'bulletList',
  'orderedList',
  'taskList',
  'codeBlock',
  'rule',
];
/** What each container may hold (the published ADF schema, restricted to the nodes parsers produce). */
const ALLOWED = new Map<string, ReadonlySet<string>>(
  Object.entries({
    doc: new Set([...CELL_BLOCKS, 'table', 'mediaSingle']),
    blockquote: new Set(['paragraph', 'bulletList', 'orderedList', 'codeBlock', 'mediaSingle']),
    listItem: new Set(['paragraph', 'bulletList', 'orderedList', 'taskList', 'codeBlock', 'mediaSingle']),
    bulletList: new Set(['listItem']),
    orderedList: new Set(['listItem']),
    taskList: new Set(['taskItem', 'taskList']),
    table: new Set(['tableRow']),
    tableRow: new Set(['tableCell', 'tableHeader']),
    tableCell: new Set([...CELL_BLOCKS, 'mediaSingle']),
    tableHeader: new Set([...CELL_BLOCKS, 'mediaSingle']),
  }),
);
/** The block opened around one that may not stand alone (a `<li>` outside a list). */
const WRAPPER: Partial<Record<string, BlockType>> = {
  listItem: 'bulletList',
  taskItem: 'taskList',
  tableRow: 'table',
  tableCell: 'tableRow',
  tableHeader: 'tableRow',
};
/** The block text opens in each container. */
const TEXT_CHILD: Record<string, BlockType> = {
  doc: 'paragraph',
  blockquote: 'paragraph',
  listItem: 'paragraph',
  tableCell: 'paragraph',
  tableHeader: 'paragraph',
  bulletList: 'listItem',
  orderedList: 'listItem',
  taskList: 'taskItem',
  table: 'tableRow',
  tableRow: 'tableCell',
};
/** Containers the schema requires to hold something: closed empty, they are removed. */
const NEEDS_CONTENT = new Set(['blockquote', 'bulletList', 'orderedList', 'taskList', 'table', 'tableRow']);
/** Containers closed empty that get an empty paragraph (a list item or cell without text is still a place). */
const GETS_PARAGRAPH = new Set(['listItem', 'tableCell', 'tableHeader']);

/** Said at every block opened too deep: one string, not one made per block. */
const TOO_DEEP = `content nested deeper than ${MAX_ADF_DEPTH} levels (kept as paragraphs)`;

const WHITESPACE_RUNS = /[ \t\n\f]+/g;
const NEEDS_COLLAPSING = /[\t\n\f]| {2}/;
const UNSAFE_CHARS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\ud800-\udfff]/;
/** Anything `text` has more to do for: NEEDS_COLLAPSING, a no-break space, or UNSAFE_CHARS, in one test. */
const NOT_PLAIN = /[\u0000-\u000c\u000e-\u001f\u007f\u00a0\ud800-\udfff]| {2}/;

/**
 * An empty mark set for one parse. Each parse starts from its own, so the
 * sets derived from it (cached by `withMark`) are freed with the parse.
 */
export function noMarks(): MarkSet {
  return { marks: [], key: '' };
}

export class AdfBuilder {
  private readonly doc: AdfDoc = { version: 1, type: 'doc', content: [] };
  private readonly stack: Frame[] = [{ node: this.doc as AdfNode, implicit: false, inline: false, depth: 1 }];
  private readonly notes = new Set<string>();
  private ids = 0;
  /** At the start of a line of text: collapsible spaces here are dropped (HTML's white-space rules). */
  private lineStart = true;
  /** A collapsible space waiting for the next word (dropped if the line ends first), with its marks. */
  private pendingSpace: MarkSet | undefined;
  /** The text node last written and its marks' key: the next run with equal marks is appended to it. */
  private lastText: AdfNode | undefined;
  private lastTextKey = '';

  /** Says, once, that something could not be kept as it was. */
  note(phrase: string): void {
    this.notes.add(phrase);
  }

  position(): Position {
    return this.top();
  }

  /** Closes everything opened since `at`, if what was open then still is. */
  closeTo(at: Position): void {
    if (this.stack[at.depth - 1] !== at) return;
    while (this.stack.length > at.depth) this.pop();
  }

  /** Ends the current line of text: what follows starts a new paragraph (an HTML `<div>`). */
  boundary(): Position {
    const top = this.top();
    if (top.node.type === 'codeBlock') this.codeNewline();
    else if (top.inline && top.node.type !== 'taskItem') this.pop();
    return this.position();
  }

  /**
   * Opens a block where it may stand; returns where to close back to. A block
   * that may not stand here is opened as one that may, or not at all.
   */
  open(type: BlockType, attrs?: Record<string, unknown>): Position {
    let top = this.top();
    if (top.node.type === 'codeBlock') {
      this.codeNewline(); // blocks inside preformatted text are its lines
      return this.position();
    }
    if (top.node.type === 'taskItem' && (type === 'paragraph' || type === 'heading')) return this.position();
    if (top.inline) this.pop();
    if (this.stack.length >= MAX_ADF_DEPTH) {
      this.note(TOO_DEEP);
      return this.position();
    }
    let kind: BlockType = type;
    let kindAttrs = attrs;
    for (;;) {
      top = this.top();
      const allowed = ALLOWED.get(top.node.type);
      if (allowed?.has(kind)) {
        const at = this.position();
        this.push(kind, kindAttrs, false);
        return at;
      }
      if (kind === 'heading') {
        this.note('a heading inside a list or quote (kept as a paragraph)');
        kind = 'paragraph';
        kindAttrs = undefined;
        continue;
      }
      if (top.implicit) {
        this.pop();
        continue;
      }
      const wrapper = WRAPPER[kind];
      if (wrapper && allowed?.has(wrapper)) {
        this.push(wrapper, undefined, true);
        continue;
      }
      this.noteLeftOut(kind, top.node.type);
      return this.position();
    }
  }

  /** A horizontal rule, where one may stand. */
  rule(): void {
    const top = this.top();
    if (top.node.type === 'codeBlock') return this.codeNewline();
    if (top.node.type === 'taskItem') return;
    if (top.inline) this.pop();
    while (!ALLOWED.get(this.top().node.type)?.has('rule') && this.top().implicit) this.pop();
    if (ALLOWED.get(this.top().node.type)?.has('rule')) append(this.top().node, { type: 'rule' });
    else this.note('a horizontal rule inside a list or quote');
  }

  /**
   * An image that is a Jira file (`media` attributes), as a block of its own where
   * it stood: the line it interrupts goes on after it. Where no image may stand
   * (a task, a code block, below the depth bound), it is left out and said.
   */
  media(attrs: Record<string, unknown>): void {
    const top = this.top();
    if (top.node.type === 'codeBlock' || top.node.type === 'taskItem' || this.stack.length >= MAX_ADF_DEPTH)
      return this.note('an inline image inside a task, code or deep nesting');
    if (INLINE_CONTAINERS.has(top.node.type)) {
      const framedOnly = top.node.type === 'paragraph' && !top.node.content?.length;
      this.pop();
      // A paragraph that held only the image (`<p><img></p>`) was its frame, not a paragraph of its own.
      const siblings = this.top().node.content!;
      if (framedOnly && siblings[siblings.length - 1] === top.node) siblings.pop();
    }
    while (!ALLOWED.get(this.top().node.type)?.has('mediaSingle') && this.top().implicit) this.pop();
    const parent = this.top().node;
    if (!ALLOWED.get(parent.type)?.has('mediaSingle')) return this.note('an inline image inside a list or table');
    if (parent.type === 'listItem' && parent.content!.length === 0) append(parent, { type: 'paragraph' });
    append(parent, {
      type: 'mediaSingle',
      attrs: { layout: 'center' },
      content: [{ type: 'media', attrs: { ...attrs } }],
    });
  }

  /** An inline atom (a mention) where text would go. */
  atom(node: AdfNode): void {
    if (this.top().node.type === 'codeBlock') return this.codeText(node.attrs?.text ? String(node.attrs.text) : '');
    this.ensureInline();
    if (this.pendingSpace) this.emit(' ', this.pendingSpace);
    this.pendingSpace = undefined;
    append(this.top().node, node);
    this.lastText = undefined;
    this.lineStart = false;
  }

  /** Text as it stands in HTML: runs of white space are one space, none at the start or end of a line. */
  text(raw: string, marks: MarkSet): void {
    if (this.top().node.type === 'codeBlock') return this.codeText(raw);
    // One pass of the engine's regular expressions, not one per word: this runs on every piece of text. Most text is
    // plain (nothing to collapse, replace or strip), and one test says so for all three.
    const plain = !NOT_PLAIN.test(raw);
    const collapsed = !plain && NEEDS_COLLAPSING.test(raw) ? raw.replace(WHITESPACE_RUNS, ' ') : raw;
    if (collapsed === ' ') {
      if (!this.lineStart && !this.pendingSpace) this.pendingSpace = marks;
      return;
    }
    if (collapsed === '') return;
    const leading = collapsed.charCodeAt(0) === 32;
    const trailing = collapsed.charCodeAt(collapsed.length - 1) === 32;
    let word = collapsed.slice(leading ? 1 : 0, trailing ? -1 : undefined);
    if (!plain && word.includes('\u00a0')) word = word.replace(/\u00a0/g, ' ');
    if (leading && !this.lineStart && !this.pendingSpace) this.pendingSpace = marks;
    this.ensureInline();
    if (this.pendingSpace) this.emit(' ', this.pendingSpace, true);
    this.emit(word, marks, plain);
    this.lineStart = false;
    this.pendingSpace = trailing ? marks : undefined;
  }

  /** Text taken as it is (Markdown's, whose white space its parser has already settled). */
  literal(raw: string, marks: MarkSet): void {
    if (raw === '') return;
    if (this.top().node.type === 'codeBlock') return this.codeText(raw);
    this.ensureInline();
    this.emit(raw, marks);
    this.lineStart = false;
  }

  hardBreak(): void {
    if (this.top().node.type === 'codeBlock') return this.codeText('\n');
    this.ensureInline();
    this.pendingSpace = undefined;
    append(this.top().node, { type: 'hardBreak' });
    this.lineStart = true;
  }

  /** The language of the code block being read, if it has none yet. */
  setCodeLanguage(language: string): void {
    const top = this.top().node;
    if (top.type === 'codeBlock' && !top.attrs?.language) top.attrs = { language };
  }

  /** Marks the task item being read as done (a checked checkbox). */
  taskDone(): void {
    const top = this.top().node;
    if (top.type === 'taskItem') top.attrs = { ...top.attrs, state: 'DONE' };
  }

  finish(): { doc: AdfDoc; simplified: string[] } {
    while (this.stack.length > 1) this.pop();
    return { doc: this.doc, simplified: [...this.notes] };
  }

  private top(): Frame {
    return this.stack[this.stack.length - 1]!;
  }

  private push(type: BlockType, attrs: Record<string, unknown> | undefined, implicit: boolean): void {
    const parent = this.top().node;
    // A list item begins with a paragraph (ADF's rule), so a list item that opens with a list gets an empty one.
    if (parent.type === 'listItem' && parent.content!.length === 0 && type !== 'paragraph')
      append(parent, { type: 'paragraph' });
    const node: AdfNode = { type, content: [] };
    if (type === 'taskList') node.attrs = { localId: `list-${++this.ids}` };
    else if (type === 'taskItem') node.attrs = { localId: `task-${++this.ids}`, state: 'TODO', ...attrs };
    else if (attrs) node.attrs = attrs;
    append(parent, node);
    const inline = INLINE_CONTAINERS.has(type);
    this.stack.push({ node, implicit, inline, depth: this.stack.length + 1 });
    if (inline) {
      this.lineStart = true;
      this.pendingSpace = undefined;
    }
  }

  private pop(): void {
    const frame = this.stack.pop()!;
    const node = frame.node;
    const parent = this.top().node;
    const content = node.content!;
    if (frame.inline) {
      this.pendingSpace = undefined;
      this.lineStart = true;
      // An implicit paragraph exists only for its text; an explicit empty one (`<p></p>`) is kept.
      if (content.length === 0 && frame.implicit && node.type === 'paragraph') parent.content!.pop();
      else if (content.length === 0) delete node.content;
      return;
    }
    if (content.length === 0 && NEEDS_CONTENT.has(node.type)) parent.content!.pop();
    else if (content.length === 0 && GETS_PARAGRAPH.has(node.type)) append(node, { type: 'paragraph' });
  }

  /** Opens what text needs to stand in (a paragraph; in a bare list, an item and its paragraph). */
  private ensureInline(): void {
    for (;;) {
      const top = this.top();
      if (top.inline) return;
      this.push(TEXT_CHILD[top.node.type] ?? 'paragraph', undefined, true);
    }
  }

  /** `safe`: `raw` is known to hold none of UNSAFE_CHARS. */
  private emit(raw: string, set: MarkSet, safe = false): void {
    const text = !safe && UNSAFE_CHARS.test(raw) ? stripControl(raw).replace(/[\n\r\t]/g, ' ') : raw;
    if (text === '') return;
    const parent = this.top().node;
    const content = parent.content!;
    const last = content[content.length - 1];
    if (last !== undefined && last === this.lastText && this.lastTextKey === set.key) {
      last.text += text;
      return;
    }
    // `key` is empty exactly when there are no marks; asking it, not the frozen array's length, keeps this code from
    // depending on the frozen arrays' hidden class (which a full garbage collection may free between bodies).
    const node: AdfNode = set.key
      ? { type: 'text', text, marks: set.marks as AdfMark[] } // shared by the runs of one parse; nothing mutates marks
      : { type: 'text', text };
    append(parent, node);
    this.lastText = node;
    this.lastTextKey = set.key;
  }

  private codeText(raw: string): void {
    const text = UNSAFE_CHARS.test(raw) ? stripControl(raw) : raw;
    if (text === '') return;
    const code = this.top().node;
    const last = code.content![code.content!.length - 1];
    if (last) last.text += text;
    else append(code, { type: 'text', text });
  }

  private codeNewline(): void {
    const last = this.top().node.content![0];
    if (last?.text && !last.text.endsWith('\n')) last.text += '\n';
  }

  private noteLeftOut(kind: BlockType, container: string): void {
    if (kind === 'table' || kind === 'tableRow' || kind === 'tableCell' || kind === 'tableHeader')
      this.note('a table inside a table, list or quote (kept as paragraphs)');
    else if (kind === 'blockquote') this.note(`a quote inside a ${container === 'blockquote' ? 'quote' : 'list'}`);
    else if (kind === 'taskList' || kind === 'taskItem') this.note('a task list inside a quote (kept as a list)');
  }
}

/**
 * Adds a child to a node's content. The first goes in a new array of one: an array that grows makes room for 16 more
 * at once, most nodes hold one child (a paragraph of one text, a cell of one paragraph), and that room was most of
 * the memory a parse took, which on a fresh heap costs time as well.
 */
function append(node: AdfNode, child: AdfNode): void {
  const content = node.content!;
  if (content.length) content.push(child);
  else node.content = [child];
}

/** The mark set with `mark` added (replacing one of the same type), in a fixed order; inline code keeps only its link. */
export function withMark(set: MarkSet, mark: AdfMark): MarkSet {
  // Documents repeat the same few combinations (every `<b>` inside the same link): each is made once. Looked up by
  // the mark's type, then its one attribute, so that a lookup (one per element) makes no string.
  let byType = DERIVED.get(set);
  if (!byType) DERIVED.set(set, (byType = new Map()));
  let cached = byType.get(mark.type);
  if (!cached) byType.set(mark.type, (cached = new Map()));
  const id = String(mark.attrs?.href ?? mark.attrs?.color ?? mark.attrs?.type ?? '');
  const hit = cached.get(id);
  if (hit) return hit;
  const marks = [...set.marks.filter((m) => m.type !== mark.type), mark].sort(
    (a, b) => MARK_ORDER.indexOf(a.type) - MARK_ORDER.indexOf(b.type),
  );
  const kept = marks.some((m) => m.type === 'code')
    ? marks.filter((m) => m.type === 'code' || m.type === 'link')
    : marks;
  // Frozen: the text runs of a document share these marks, so changing one in place must fail, not change them all.
  const derived = {
    marks: Object.freeze(kept.map((m) => Object.freeze(m))),
    key: kept.length ? JSON.stringify(kept) : '',
  };
  cached.set(id, derived);
  return derived;
}

const DERIVED = new WeakMap<MarkSet, Map<string, Map<string, MarkSet>>>();

/** The order marks are written in everywhere (ADF from parsers, normalized ADF, nesting of HTML tags). */
export const MARK_ORDER = ['link', 'textColor', 'strong', 'em', 'underline', 'strike', 'subsup', 'code'];

/**
 * Objects kept for as long as this module, which nothing reads. Each has a hidden class that a parse gives its own
 * objects and that nothing else holds: a builder, a node given attributes after it was made, a frozen mark and a
 * frozen list of marks. With none alive, a full garbage collection between two bodies frees those classes, and the
 * engine throws away the code compiled for them; the next body ran two to three times slower while it was compiled
 * again.
 */
const keptWarm: object[] = [];
{
  const node: AdfNode = { type: 'paragraph', content: [] };
  node.attrs = {};
  keptWarm.push(new AdfBuilder(), node, withMark(noMarks(), { type: 'link', attrs: { href: 'https://example.com' } }));
}
