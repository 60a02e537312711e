/**
 * fast-check generators of ADF documents in the subset a format can hold,
 * for round-trip properties (ADF → format → ADF is no change). Every
 * document generated is valid against the published ADF schema.
 */
import fc from 'fast-check';
import type { AdfDoc, AdfMark, AdfNode } from '../adf';

/** What a format holds beyond the common core (paragraphs, headings, lists, tasks, code, quotes, rules, tables, links). */
export interface AdfFeatures {
  textColor: boolean;
  underline: boolean;
  subsup: boolean;
  /** colspan / rowspan */
  mergedCells: boolean;
  /** Characters text is made of. */
  chars: readonly string[];
  /** Characters code blocks are made of. */
  codeChars: readonly string[];
  /**
   * Formatting can start and end anywhere, even on a space (HTML). Without it
   * (Markdown, where `** a**` is not bold), formatted text is a word, and two
   * formatted runs are separated by plain text with spaces.
   */
  marksAnywhere: boolean;
  /** Empty paragraphs, line breaks at a paragraph's end or in a heading, and cell content other than one paragraph. */
  looseBlocks: boolean;
  /** Header cells anywhere, rows of different lengths, a nested task list as a list's first child. */
  looseTables: boolean;
  /** People a mention may name (the pair's options know them), where the format marks people. */
  mentions?: ReadonlyArray<{ id: string; text: string }>;
  /** Media ids an inline image may show (files that crossed), where the format shows images. */
  images?: readonly string[];
}

export const HTML_FEATURES: AdfFeatures = {
  textColor: true,
  underline: true,
  subsup: true,
  mergedCells: true,
  chars: [...'abcXY09 é<>&"\'*_#'],
  codeChars: [...'ab <>&\n '],
  marksAnywhere: true,
  looseBlocks: true,
  looseTables: true,
};

/** GFM Markdown: no colour, underline, sub/superscript or merged cells; text full of characters that are markup. */
export const MARKDOWN_FEATURES: AdfFeatures = {
  textColor: false,
  underline: false,
  subsup: false,
  mergedCells: false,
  chars: [...'abcXY09 é.<>&*_#[]|-+=!`~\\()'],
  codeChars: [...'ab <>`&\n '],
  marksAnywhere: false,
  looseBlocks: false,
  looseTables: false,
};

const LINKS = ['https://example.com/a?b=1&c=2', 'http://x.io', 'mailto:ana@example.com'];
const COLORS = ['#ff0000', '#0052cc', '#36b37e'];
const LANGUAGES = ['js', 'python', 'c++'];

const text = (f: AdfFeatures, minLength = 1) =>
  fc.string({ unit: fc.constantFrom(...f.chars), minLength, maxLength: 8 });

function marks(f: AdfFeatures): fc.Arbitrary<AdfMark[]> {
  const link = fc.constantFrom(...LINKS).map((href): AdfMark => ({ type: 'link', attrs: { href } }));
  const code = fc.option(link, { nil: undefined }).map((l): AdfMark[] => [{ type: 'code' }, ...(l ? [l] : [])]);
  const kinds: Array<fc.Arbitrary<AdfMark>> = [
    link,
    fc.constant<AdfMark>({ type: 'strong' }),
    fc.constant<AdfMark>({ type: 'em' }),
    fc.constant<AdfMark>({ type: 'strike' }),
  ];
  if (f.underline) kinds.push(fc.constant<AdfMark>({ type: 'underline' }));
  if (f.subsup) kinds.push(fc.constantFrom('sub', 'sup').map((type): AdfMark => ({ type: 'subsup', attrs: { type } })));
  if (f.textColor)
    kinds.push(fc.constantFrom(...COLORS).map((color): AdfMark => ({ type: 'textColor', attrs: { color } })));
  // A few marks at a time, each kind at most once (ADF allows one mark of a kind on a text).
  const formatted = fc.tuple(...kinds).chain((all) => fc.subarray(all, { maxLength: 3 }));
  return fc.oneof({ weight: 1, arbitrary: code }, { weight: 6, arbitrary: formatted });
}

function inline(f: AdfFeatures, breaks = true): fc.Arbitrary<AdfNode[]> {
  const marked = (t: fc.Arbitrary<string>) =>
    fc
      .tuple(t, marks(f))
      .map(([text, ms]): AdfNode => (ms.length ? { type: 'text', text, marks: ms } : { type: 'text', text }));
  const hardBreak = fc.constant<AdfNode>({ type: 'hardBreak' });
  const mention = fc
    .constantFrom(...(f.mentions?.length ? f.mentions : [{ id: '', text: '' }]))
    .map((m): AdfNode => ({ type: 'mention', attrs: { id: m.id, text: m.text } }));
  if (f.marksAnywhere)
    return fc.array(
      fc.oneof(
        { weight: 5, arbitrary: marked(text(f)) },
        { weight: 1, arbitrary: hardBreak },
        { weight: f.mentions?.length ? 1 : 0, arbitrary: mention },
      ),
      { maxLength: 5 },
    );
  // Plain text with formatted words in it, each formatted word between spaces; line breaks only inside.
  const plain = text(f).map((t): AdfNode => ({ type: 'text', text: t }));
  const word = marked(fc.stringMatching(/^[a-z]{1,5}$/));
  const piece = fc.oneof(
    { weight: 3, arbitrary: plain.map((n) => [n]) },
    { weight: 3, arbitrary: word.map((w): AdfNode[] => [{ type: 'text', text: ' ' }, w, { type: 'text', text: ' ' }]) },
    { weight: breaks ? 1 : 0, arbitrary: plain.map((n): AdfNode[] => [n, { type: 'hardBreak' }, n]) },
  );
  return fc.array(piece, { minLength: 1, maxLength: 4 }).map((ps) => ps.flat());
}

const paragraph = (f: AdfFeatures) => inline(f).map((content): AdfNode => ({ type: 'paragraph', content }));
/** A paragraph that stays on one line (a table cell's, in Markdown). */
const line = (f: AdfFeatures) => inline(f, f.looseBlocks).map((content): AdfNode => ({ type: 'paragraph', content }));
const heading = (f: AdfFeatures) =>
  fc
    .tuple(fc.integer({ min: 1, max: 6 }), inline(f, f.looseBlocks))
    .map(([level, content]): AdfNode => ({ type: 'heading', attrs: { level }, content }));
const codeBlock = (f: AdfFeatures) =>
  fc
    .tuple(
      fc.option(fc.constantFrom(...LANGUAGES), { nil: undefined }),
      fc.string({ unit: fc.constantFrom(...f.codeChars), maxLength: 12 }),
    )
    .map(([language, code]): AdfNode => ({
      type: 'codeBlock',
      ...(language ? { attrs: { language } } : {}),
      ...(code ? { content: [{ type: 'text', text: code }] } : {}),
    }));
const rule = fc.constant<AdfNode>({ type: 'rule' });
const image = (f: AdfFeatures) =>
  fc.constantFrom(...(f.images?.length ? f.images : ['none'])).map((id): AdfNode => ({
    type: 'mediaSingle',
    attrs: { layout: 'center' },
    content: [{ type: 'media', attrs: { type: 'file', id, collection: '' } }],
  }));

function taskList(f: AdfFeatures, depth: number): fc.Arbitrary<AdfNode> {
  const item = fc.tuple(fc.boolean(), inline(f)).map(([done, content]): AdfNode => ({
    type: 'taskItem',
    attrs: { localId: 'x', state: done ? 'DONE' : 'TODO' },
    content,
  }));
  const child =
    depth > 1 ? fc.oneof({ weight: 4, arbitrary: item }, { weight: 1, arbitrary: taskList(f, depth - 1) }) : item;
  // In Markdown a nested task list hangs off the item before it, so a list starts with an item.
  const children = f.looseTables
    ? fc.array(child, { minLength: 1, maxLength: 3 })
    : fc.tuple(item, fc.array(child, { maxLength: 2 })).map(([first, rest]) => [first, ...rest]);
  return children.map((content): AdfNode => ({ type: 'taskList', attrs: { localId: 'x' }, content }));
}

function list(f: AdfFeatures, depth: number): fc.Arbitrary<AdfNode> {
  const nested: Array<fc.Arbitrary<AdfNode>> = [paragraph(f), codeBlock(f)];
  if (depth > 1) nested.push(list(f, depth - 1), taskList(f, depth - 1));
  if (f.images?.length) nested.push(image(f));
  const item = fc
    .tuple(paragraph(f), fc.array(fc.oneof(...nested), { maxLength: 2 }))
    .map(([first, rest]): AdfNode => ({ type: 'listItem', content: [first, ...rest] }));
  return fc
    .tuple(
      fc.constantFrom('bulletList', 'orderedList'),
      fc.option(fc.integer({ min: 0, max: 20 }), { nil: undefined }),
      fc.array(item, { minLength: 1, maxLength: 3 }),
    )
    .map(([type, order, content]): AdfNode => ({
      type,
      ...(type === 'orderedList' && order !== undefined ? { attrs: { order } } : {}),
      content,
    }));
}

function blockquote(f: AdfFeatures): fc.Arbitrary<AdfNode> {
  return fc
    .array(fc.oneof(paragraph(f), list(f, 1), codeBlock(f)), { minLength: 1, maxLength: 3 })
    .map((content): AdfNode => ({ type: 'blockquote', content }));
}

function table(f: AdfFeatures): fc.Arbitrary<AdfNode> {
  if (!f.looseTables) {
    // GFM: one header row, then rows of cells, all as wide, each cell one line.
    const cells = (type: string, width: number) =>
      fc.array(
        line(f).map((p): AdfNode => ({ type, content: [p] })),
        { minLength: width, maxLength: width },
      );
    return fc
      .integer({ min: 1, max: 3 })
      .chain((width) => fc.tuple(cells('tableHeader', width), fc.array(cells('tableCell', width), { maxLength: 2 })))
      .map(([header, body]): AdfNode => ({
        type: 'table',
        content: [header, ...body].map((content): AdfNode => ({ type: 'tableRow', content })),
      }));
  }
  const span = f.mergedCells ? fc.integer({ min: 1, max: 3 }) : fc.constant(1);
  const cellContent = fc.array(
    fc.oneof(paragraph(f), heading(f), list(f, 1), codeBlock(f), blockquote(f), rule, taskList(f, 1)),
    {
      minLength: 1,
      maxLength: 2,
    },
  );
  const cell = fc
    .tuple(fc.constantFrom('tableCell', 'tableHeader'), span, span, cellContent)
    .map(([type, colspan, rowspan, content]): AdfNode => {
      const attrs = { ...(colspan > 1 ? { colspan } : {}), ...(rowspan > 1 ? { rowspan } : {}) };
      return { type, ...(Object.keys(attrs).length ? { attrs } : {}), content };
    });
  const row = fc.array(cell, { minLength: 1, maxLength: 3 }).map((content): AdfNode => ({ type: 'tableRow', content }));
  return fc.array(row, { minLength: 1, maxLength: 3 }).map((content): AdfNode => ({ type: 'table', content }));
}

export function adfDoc(f: AdfFeatures): fc.Arbitrary<AdfDoc> {
  const block = fc.oneof(
    { weight: 4, arbitrary: paragraph(f) },
    { weight: 2, arbitrary: heading(f) },
    { weight: 2, arbitrary: list(f, 3) },
    { weight: 1, arbitrary: taskList(f, 2) },
    { weight: 1, arbitrary: codeBlock(f) },
    { weight: 1, arbitrary: blockquote(f) },
    { weight: 1, arbitrary: rule },
    { weight: 1, arbitrary: table(f) },
    { weight: f.images?.length ? 1 : 0, arbitrary: image(f) },
  );
  return fc.array(block, { maxLength: 5 }).map((content): AdfDoc => ({ version: 1, type: 'doc', content }));
}
