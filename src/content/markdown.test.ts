import { adfToMarkdown } from './adf-to-markdown';
import { markdownToAdf } from './markdown-to-adf';
import { MAX_HTML_CHARS, TRUNCATION_NOTE } from './html-to-text';
import type { AdfDoc, AdfNode } from './adf';
import { validateAdf } from '../../test/support/adf-schema';

const doc = (...content: AdfNode[]): AdfDoc => ({ version: 1, type: 'doc', content });
const p = (...content: AdfNode[]): AdfNode => ({ type: 'paragraph', content });
const text = (t: string, ...marks: NonNullable<AdfNode['marks']>): AdfNode =>
  marks.length ? { type: 'text', text: t, marks } : { type: 'text', text: t };
const parse = (md: string) => {
  const out = markdownToAdf(md);
  expect(validateAdf(out.doc)).toEqual({ valid: true, errors: null });
  return out;
};

describe('ADF to Markdown', () => {
  it('writes marks, links, headings, lists, tasks, code, quotes and rules', () => {
    const out = adfToMarkdown(
      doc(
        { type: 'heading', attrs: { level: 2 }, content: [text('Impact')] },
        p(
          text('Checkout '),
          text('fails', { type: 'strong' }),
          text(' in '),
          text('EU', { type: 'em' }),
          text(', see '),
          text('KB', { type: 'link', attrs: { href: 'https://kb.acme.com/1' } }),
          { type: 'hardBreak' },
          text('run '),
          text('npm ci', { type: 'code' }),
          text(' '),
          text('old', { type: 'strike' }),
        ),
        { type: 'orderedList', attrs: { order: 3 }, content: [{ type: 'listItem', content: [p(text('three'))] }] },
        {
          type: 'taskList',
          attrs: { localId: 'l' },
          content: [
            { type: 'taskItem', attrs: { localId: 'a', state: 'DONE' }, content: [text('done')] },
            { type: 'taskItem', attrs: { localId: 'b', state: 'TODO' }, content: [text('todo')] },
          ],
        },
        { type: 'codeBlock', attrs: { language: 'js' }, content: [text('let a = `x`;')] },
        { type: 'blockquote', content: [p(text('quoted'))] },
        { type: 'rule' },
      ),
    );
    expect(out.body).toBe(
      [
        '## Impact',
        'Checkout **fails** in *EU*, see [KB](<https://kb.acme.com/1>)\\\nrun `npm ci` ~~old~~',
        '3. three',
        '- [x] done\n- [ ] todo',
        '```js\nlet a = `x`;\n```',
        '> quoted',
        '---',
      ].join('\n\n'),
    );
    expect(out.simplified).toEqual([]);
  });

  it('escapes text so that it reads back as text, never as markup', () => {
    const raw = '# not a heading, *not em*, [not](a link), <b>not html</b>, 1. not a list | pipe & amp';
    const out = adfToMarkdown(doc(p(text(raw)), p(text('- not a list either'))));
    expect(out.body).toBe(
      '\\# not a heading, \\*not em\\*, \\[not\\](a link), \\<b\\>not html\\</b\\>, 1. not a list \\| pipe \\& amp\n\n\\- not a list either',
    );
    expect(parse(out.body).doc.content).toEqual([p(text(raw)), p(text('- not a list either'))]);
  });

  it('flattens merged table cells predictably (the text in the first cell) and says so', () => {
    const cell = (type: string, t: string, attrs?: Record<string, unknown>): AdfNode => ({
      type,
      ...(attrs ? { attrs } : {}),
      content: [p(text(t))],
    });
    const out = adfToMarkdown(
      doc({
        type: 'table',
        content: [
          { type: 'tableRow', content: [cell('tableHeader', 'Both', { colspan: 2 }), cell('tableHeader', 'C')] },
          {
            type: 'tableRow',
            content: [cell('tableCell', 'tall', { rowspan: 2 }), cell('tableCell', 'b'), cell('tableCell', 'c')],
          },
          { type: 'tableRow', content: [cell('tableCell', 'y'), cell('tableCell', 'z')] },
        ],
      }),
    );
    expect(out.body).toBe('| Both |  | C |\n| --- | --- | --- |\n| tall | b | c |\n|  | y | z |');
    expect(out.simplified).toEqual(['merged table cells (split; the text is in the first)']);
  });

  it('writes mentions as display text, colour and underline as plain text, and says what it simplified', () => {
    const out = adfToMarkdown(
      doc(
        p(
          { type: 'mention', attrs: { id: '5b10ac8d82e05b22cc7d4ef5', text: 'Ana Lima' } },
          text(' '),
          text('red', { type: 'textColor', attrs: { color: '#ff0000' } }, { type: 'underline' }),
          text(' '),
          { type: 'status', attrs: { text: 'Done', color: 'green' } },
        ),
        { type: 'panel', attrs: { panelType: 'info' }, content: [p(text('Read me'))] },
      ),
    );
    expect(out.body).toBe('@Ana Lima red \\[DONE\\]\n\n> **Info:** Read me');
    expect(out.simplified).toEqual([
      "a text's colour",
      'underlined text',
      'a status lozenge (kept as text)',
      'a panel (kept as a quote led by its kind)',
    ]);
  });
});

describe('Markdown to ADF', () => {
  it('reads GitHub Markdown: tables, strikethrough and task lists', () => {
    const out = parse('| Key | Value |\n| --- | --- |\n| a | ~~b~~ |\n\n- [x] done\n- [ ] todo');
    expect(out.doc.content).toEqual([
      {
        type: 'table',
        content: [
          {
            type: 'tableRow',
            content: [
              { type: 'tableHeader', content: [p(text('Key'))] },
              { type: 'tableHeader', content: [p(text('Value'))] },
            ],
          },
          {
            type: 'tableRow',
            content: [
              { type: 'tableCell', content: [p(text('a'))] },
              { type: 'tableCell', content: [p(text('b', { type: 'strike' }))] },
            ],
          },
        ],
      },
      {
        type: 'taskList',
        attrs: { localId: 'list-1' },
        content: [
          { type: 'taskItem', attrs: { localId: 'task-2', state: 'DONE' }, content: [text('done')] },
          { type: 'taskItem', attrs: { localId: 'task-3', state: 'TODO' }, content: [text('todo')] },
        ],
      },
    ]);
  });

  it('treats HTML as text, keeps only http(s) and mailto links, and reports images', () => {
    const out = parse(
      '<script>alert(1)</script> [x](javascript:alert(1)) [ok](https://a.io) ![shot](https://i.io/a.png)',
    );
    expect(out.doc.content).toEqual([
      p(
        text('<script>alert(1)</script> [x](javascript:alert(1)) '),
        text('ok', { type: 'link', attrs: { href: 'https://a.io' } }),
        text(' '),
      ),
    ]);
    expect(out.images).toEqual([{ src: 'https://i.io/a.png', alt: 'shot' }]);
    expect(out.simplified).toEqual(['an inline image']);
  });

  it('reads hard breaks (two spaces or a backslash) and fenced code with its language', () => {
    const out = parse('one  \ntwo\\\nthree\n\n```python\nprint(1)\n```');
    expect(out.doc.content).toEqual([
      p(text('one'), { type: 'hardBreak' }, text('two'), { type: 'hardBreak' }, text('three')),
      { type: 'codeBlock', attrs: { language: 'python' }, content: [text('print(1)')] },
    ]);
  });

  it('reads quotes nested 100,000 deep and 10,000 lines of lists 60 deep as plain text, every word kept', () => {
    const quotes = parse(`${'> '.repeat(100_000)}deep words`);
    expect(quotes.doc.content).toEqual([p(text('deep words'))]);
    expect(quotes.simplified).toEqual(['Markdown nested deeper than 100 levels (read as plain text)']);
    const lists = parse(Array.from({ length: 10_000 }, (_, i) => `${'  '.repeat(i % 60)}- L${i}`).join('\n'));
    const words = JSON.stringify(lists.doc).match(/L\d+/g) ?? [];
    expect(words).toEqual(Array.from({ length: 10_000 }, (_, i) => `L${i}`));
  });

  it(`reads at most ${MAX_HTML_CHARS.toLocaleString('en-US')} characters, and says at the end that the rest was left out`, () => {
    const out = parse(`${'word '.repeat(MAX_HTML_CHARS / 5)}\n\npast the cap`);
    expect(out.doc.content.at(-1)).toEqual(p(text(TRUNCATION_NOTE)));
    expect(JSON.stringify(out.doc)).not.toContain('past the cap');
  });
});

describe('Markdown from documents no editor makes', () => {
  it('keeps line breaks inside a text node from starting blocks', () => {
    const out = adfToMarkdown(doc(p(text('a\n# not a heading\n- not a list'), text('x\ny', { type: 'code' }))));
    expect(out.body).toBe('a \\# not a heading - not a list`x y`');
  });

  it('writes a list nested 20,000 deep, the deep part flat, every word kept', () => {
    let node: AdfNode = p(text('bottom'));
    for (let i = 0; i < 20_000; i++)
      node = { type: 'bulletList', content: [{ type: 'listItem', content: [p(text(`L${i}`)), node] }] };
    const out = adfToMarkdown(doc(node));
    expect(out.body.match(/L\d+|bottom/g)).toEqual([
      ...Array.from({ length: 20_000 }, (_, i) => `L${19_999 - i}`),
      'bottom',
    ]);
    expect(validateAdf(markdownToAdf(out.body).doc).valid).toBe(true);
  });
});
