import { htmlToAdf } from './html-to-adf';
import { MAX_HTML_CHARS, TRUNCATION_NOTE } from './html-to-text';
import type { AdfNode } from './adf';
import { validateAdf } from '../../test/support/adf-schema';

const text = (t: string, ...marks: NonNullable<AdfNode['marks']>) =>
  marks.length ? { type: 'text', text: t, marks } : { type: 'text', text: t };
const p = (...content: AdfNode[]): AdfNode => ({ type: 'paragraph', content });
const item = (...content: AdfNode[]): AdfNode => ({ type: 'listItem', content: [p(...content)] });
const parse = (html: string) => {
  const out = htmlToAdf(html);
  expect(validateAdf(out.doc)).toEqual({ valid: true, errors: null });
  return out;
};

describe('HTML to ADF: what Azure DevOps and Zendesk write', () => {
  it('reads Azure DevOps repro steps: an ordered list with bold text, and reports the image', () => {
    const out = parse(
      '<div>Steps:</div><ol><li>Open</li><li>Click <b>Save</b></li></ol><div><img src="https://dev.azure.com/org/_apis/wit/attachments/1?fileName=a.png"></div>',
    );
    expect(out.doc.content).toEqual([
      p(text('Steps:')),
      { type: 'orderedList', content: [item(text('Open')), item(text('Click '), text('Save', { type: 'strong' }))] },
    ]);
    expect(out.images).toEqual([{ src: 'https://dev.azure.com/org/_apis/wit/attachments/1?fileName=a.png' }]);
    expect(out.simplified).toEqual(['an inline image']);
  });

  it('reads <div> soup with <br>, &nbsp; and nested spans as paragraphs and line breaks', () => {
    const out = parse(
      '<div><span><span>Hello&nbsp;team,</span></span><br></div><div><br></div><div>Line one<br>line   two </div>',
    );
    expect(out.doc.content).toEqual([
      p(text('Hello team,'), { type: 'hardBreak' }),
      p({ type: 'hardBreak' }),
      p(text('Line one'), { type: 'hardBreak' }, text('line two')),
    ]);
  });

  it('maps every inline formatting element to its mark, and a hex colour (only) from a style', () => {
    const out = parse(
      '<p><b>b</b><strong>s</strong><i>i</i><em>e</em><u>u</u><ins>n</ins><s>s</s><strike>k</strike><del>d</del><code>c</code><sub>2</sub><sup>3</sup><span style="font-size:40px;color:#0052CC">blue</span><span style="color:red;background:url(x)">red</span></p>',
    );
    expect(out.doc.content).toEqual([
      p(
        text('bs', { type: 'strong' }),
        text('ie', { type: 'em' }),
        text('un', { type: 'underline' }),
        text('skd', { type: 'strike' }),
        text('c', { type: 'code' }),
        text('2', { type: 'subsup', attrs: { type: 'sub' } }),
        text('3', { type: 'subsup', attrs: { type: 'sup' } }),
        text('blue', { type: 'textColor', attrs: { color: '#0052cc' } }),
        text('red'),
      ),
    ]);
  });

  it('keeps http, https and mailto links, and only the text of any other', () => {
    const out = parse(
      '<a href="https://kb.acme.com/1">kb</a> <a href="mailto:a@b.io">mail</a> <a href="javascript:alert(1)">js</a> <a href="data:text/html,x">data</a> <a href=" VBScript:x">vb</a>',
    );
    expect(out.doc.content).toEqual([
      p(
        text('kb', { type: 'link', attrs: { href: 'https://kb.acme.com/1' } }),
        text(' '),
        text('mail', { type: 'link', attrs: { href: 'mailto:a@b.io' } }),
        text(' js data vb'),
      ),
    ]);
    expect(out.simplified).toEqual(['a link that was not http, https or mailto (kept as text)']);
  });

  it('reads headings, quotes, rules, code with its language, and nested lists with a start number', () => {
    const out = parse(
      '<h2>Title</h2><blockquote><p>quoted</p></blockquote><hr><pre><code class="language-ts">const a = 1;\n  if (a &lt; 2) {}</code></pre><ol start="4"><li>four<ul><li>inner</li></ul></li></ol>',
    );
    expect(out.doc.content).toEqual([
      { type: 'heading', attrs: { level: 2 }, content: [text('Title')] },
      { type: 'blockquote', content: [p(text('quoted'))] },
      { type: 'rule' },
      { type: 'codeBlock', attrs: { language: 'ts' }, content: [text('const a = 1;\n  if (a < 2) {}')] },
      {
        type: 'orderedList',
        attrs: { order: 4 },
        content: [
          { type: 'listItem', content: [p(text('four')), { type: 'bulletList', content: [item(text('inner'))] }] },
        ],
      },
    ]);
  });

  it('reads tables with header cells and merged cells', () => {
    const out = parse(
      '<table><thead><tr><th colspan="2">Both</th></tr></thead><tbody><tr><td rowspan=2>a<td>b</tr></tbody></table>',
    );
    const cell = (type: string, t: string, attrs?: Record<string, unknown>): AdfNode => ({
      type,
      ...(attrs ? { attrs } : {}),
      content: [p(text(t))],
    });
    expect(out.doc.content).toEqual([
      {
        type: 'table',
        content: [
          { type: 'tableRow', content: [cell('tableHeader', 'Both', { colspan: 2 })] },
          { type: 'tableRow', content: [cell('tableCell', 'a', { rowspan: 2 }), cell('tableCell', 'b')] },
        ],
      },
    ]);
  });

  it('reads task lists with their checkbox state', () => {
    const out = parse(
      '<ul data-task-list="true"><li><input type="checkbox" disabled checked> Ship it</li><li><input type="checkbox"> Tell people</li></ul>',
    );
    expect(out.doc.content).toEqual([
      {
        type: 'taskList',
        attrs: { localId: 'list-1' },
        content: [
          { type: 'taskItem', attrs: { localId: 'task-2', state: 'DONE' }, content: [text('Ship it')] },
          { type: 'taskItem', attrs: { localId: 'task-3', state: 'TODO' }, content: [text('Tell people')] },
        ],
      },
    ]);
  });

  it('keeps the text of unknown elements, inline ones in the line and block-level ones as paragraphs', () => {
    const out = parse('<p>a <x-chip>chip</x-chip> b</p><section>one</section><article>two</article>');
    expect(out.doc.content).toEqual([p(text('a chip b')), p(text('one')), p(text('two'))]);
  });

  it('turns what ADF cannot nest into what it can: a heading in a list, a quote in a quote, a table in a table', () => {
    const out = parse(
      '<ul><li><h3>Heading</h3></li></ul><blockquote>a<blockquote>b</blockquote></blockquote><table><tr><td><table><tr><td>inner</td></tr></table></td></tr></table>',
    );
    expect(out.doc.content).toEqual([
      { type: 'bulletList', content: [item(text('Heading'))] },
      { type: 'blockquote', content: [p(text('a')), p(text('b'))] },
      { type: 'table', content: [{ type: 'tableRow', content: [{ type: 'tableCell', content: [p(text('inner'))] }] }] },
    ]);
    expect(out.simplified).toEqual([
      'a heading inside a list or quote (kept as a paragraph)',
      'a quote inside a quote',
      'a table inside a table, list or quote (kept as paragraphs)',
    ]);
  });

  it('gives a list item that starts with a list the empty paragraph ADF requires first', () => {
    const out = parse('<ul><li><ul><li>x</li></ul></li></ul>');
    expect(out.doc.content).toEqual([
      {
        type: 'bulletList',
        content: [
          { type: 'listItem', content: [{ type: 'paragraph' }, { type: 'bulletList', content: [item(text('x'))] }] },
        ],
      },
    ]);
  });

  it('reads an empty body as an empty document', () => {
    expect(parse('').doc).toEqual({ version: 1, type: 'doc', content: [] });
    expect(parse('  <div> </div>\n').doc.content).toEqual([]);
  });

  it(`reads at most ${MAX_HTML_CHARS.toLocaleString('en-US')} characters, and says at the end that the rest was left out`, () => {
    const out = parse(`<p>${'word '.repeat(MAX_HTML_CHARS / 5)}</p><p>past the cap</p>`);
    expect(out.doc.content.at(-1)).toEqual(p(text(TRUNCATION_NOTE)));
    expect(JSON.stringify(out.doc)).not.toContain('past the cap');
    expect(out.simplified).toEqual(['the end of the text (it was longer than 1,000,000 characters)']);
  });
});
