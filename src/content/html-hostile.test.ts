/**
 * What a remote or an API client can send that no editor makes: every input
 * converts without throwing, to valid ADF, keeping every word, and nothing
 * active (script, event handler, javascript: link) ever comes out. How long
 * they take grows linearly: bench/content-bench.ts.
 */
import { adfToHtml } from './adf-to-html';
import { htmlToAdf } from './html-to-adf';
import { MAX_ADF_DEPTH } from './adf-to-text';
import { normalizeAdf, sameAdf } from './adf-normal';
import type { AdfDoc, AdfNode } from './adf';
import { validateAdf } from '../../test/support/adf-schema';

const words = (doc: AdfDoc) => {
  const out: string[] = [];
  const todo: AdfNode[] = [...doc.content].reverse();
  while (todo.length) {
    const n = todo.pop()!;
    if (n.text) out.push(n.text);
    for (let k = (n.content ?? []).length - 1; k >= 0; k--) todo.push(n.content![k]!);
  }
  return out.join(' ').split(/\s+/).filter(Boolean);
};
const depthOf = (doc: AdfDoc) => {
  let max = 0;
  const todo: Array<[AdfNode, number]> = doc.content.map((n) => [n, 1]);
  while (todo.length) {
    const [n, d] = todo.pop()!;
    max = Math.max(max, d);
    for (const c of n.content ?? []) todo.push([c, d + 1]);
  }
  return max;
};
const safe = (html: string) => {
  const parsed = htmlToAdf(html);
  expect(validateAdf(parsed.doc)).toEqual({ valid: true, errors: null });
  const out = adfToHtml(parsed.doc).body;
  expect(out).not.toMatch(/<script|<style|<iframe|\son\w+\s*=|javascript:|data:|vbscript:/i);
  return { ...parsed, out };
};

describe('hostile HTML', () => {
  it('drops script, style, iframe, object, template, head and title with their content', () => {
    const { doc, out } = safe(
      '<head><title>t</title><style>p{}</style></head><p>kept<script>alert(1)</script></p><iframe src="https://x.io">no</iframe><object>no</object><template><p>no</p></template><script/>alert(2)</script><p>end</p>',
    );
    expect(words(doc)).toEqual(['kept', 'end']);
    expect(out).toBe('<p>kept</p><p>end</p>');
  });

  it('ignores event handlers and every attribute not on the list, and reports a javascript: image as nothing', () => {
    const { out, images, simplified } = safe(
      '<p onclick="x()" style="background:url(javascript:x)" class="a">t<img src=x onerror=alert(1)><img src="javascript:alert(1)"><a href="JaVaScRiPt:alert(1)" onmouseover="x">l</a><a href="data:text/html;base64,PHNjcmlwdD4=">d</a></p>',
    );
    expect(out).toBe('<p>tld</p>');
    expect(images).toEqual([]);
    expect(simplified).toContain('an inline image');
  });

  it('reads comments, CDATA, unclosed and mismatched tags without leaking markup', () => {
    const { doc } = safe('<p>a<!-- <script>x</script> -->b<![CDATA[<script>]]>c</i></b><b><i>d</p></i>e<div><span>f');
    expect(words(doc).join(' ')).toBe('abc d e f');
  });

  it('reads 90,000 nested <div> as the text, without recursion', () => {
    const { doc } = safe(`${'<div>'.repeat(90_000)}deep text${'</div>'.repeat(90_000)}`);
    expect(doc.content).toEqual([{ type: 'paragraph', content: [{ type: 'text', text: 'deep text' }] }]);
  });

  it(`reads lists nested 100,000 deep to ${MAX_ADF_DEPTH} levels and the rest flat, every word kept`, () => {
    const { doc } = safe('<ul><li>x'.repeat(100_000));
    expect(depthOf(doc)).toBeLessThanOrEqual(MAX_ADF_DEPTH + 3);
    expect(words(doc)).toEqual(Array(100_000).fill('x'));
  });

  it('reads 80,000 nested quotes, 20,000 nested tables and 25,000 nested inline elements', () => {
    expect(words(safe(`${'<blockquote>'.repeat(80_000)}q`).doc)).toEqual(['q']);
    expect(words(safe('<table><tr><td>c'.repeat(20_000)).doc)).toEqual(Array(20_000).fill('c'));
    const bold = safe(`${'<b><i><span style="color:#000">'.repeat(25_000)}x`).doc;
    expect(bold.content[0]!.content![0]!.marks).toEqual([
      { type: 'textColor', attrs: { color: '#000000' } },
      { type: 'strong' },
      { type: 'em' },
    ]);
  });

  it('reads 400 kB attributes and 100,000 unclosed attributes', () => {
    const { doc } = safe(`<a href="https://a.io/${'x'.repeat(400_000)}" title="${'y'.repeat(400_000)}">l</a>`);
    expect(words(doc)).toEqual(['l']);
    expect(() => safe(`<p ${'a="'.repeat(100_000)}`)).not.toThrow();
  });

  it('keeps control characters and lone surrogates out of the document', () => {
    const { doc } = safe('<p>a&#0;b&#1;c&#xD800;d\u0007e</p>');
    expect(words(doc)).toEqual(['a\ufffdbc\ufffdde']);
  });
});

describe('deep ADF (only the API makes it)', () => {
  const nested = (depth: number, type: string): AdfNode => {
    let node: AdfNode = { type: 'paragraph', content: [{ type: 'text', text: 'bottom' }] };
    for (let i = 0; i < depth; i++)
      node =
        type === 'bulletList'
          ? {
              type,
              content: [
                {
                  type: 'listItem',
                  content: [{ type: 'paragraph', content: [{ type: 'text', text: `L${i}` }] }, node],
                },
              ],
            }
          : { type, content: [node] };
    return node;
  };

  it('writes a list nested 20,000 deep as HTML, the deep part flat, every word kept', () => {
    const doc: AdfDoc = { version: 1, type: 'doc', content: [nested(20_000, 'bulletList')] };
    const out = adfToHtml(doc);
    expect(out.body.split(/<[^>]+>/).filter(Boolean)).toEqual([
      ...Array.from({ length: 20_000 }, (_, i) => `L${19_999 - i}`),
      'bottom',
    ]);
    expect(out.simplified).toContain(`content nested deeper than ${MAX_ADF_DEPTH} levels (kept as paragraphs)`);
    expect(validateAdf(htmlToAdf(out.body).doc).valid).toBe(true);
  });

  it('writes 100,000 nested quotes and inline nodes, and normalizes and compares them', () => {
    const quotes: AdfDoc = { version: 1, type: 'doc', content: [nested(100_000, 'blockquote')] };
    expect(adfToHtml(quotes).body).toContain('bottom');
    expect(sameAdf(quotes, normalizeAdf(quotes))).toBe(true);
    let inline: AdfNode = { type: 'text', text: 'deep words' };
    for (let i = 0; i < 100_000; i++) inline = { type: 'unknownInline', content: [inline] };
    const doc: AdfDoc = { version: 1, type: 'doc', content: [{ type: 'paragraph', content: [inline] }] };
    expect(adfToHtml(doc).body).toBe('<p>deep words</p>');
  });
});

describe("names that are Object's own properties", () => {
  it('reads <constructor>, <__proto__> and <toString> as unknown elements, and such node types and panel kinds as unknown', () => {
    const { doc } = safe('<p><constructor>a</constructor><__proto__>b</__proto__><toString>c</toString></p>');
    // A tag name starts with a letter: `<__proto__>` is text, as in browsers.
    expect(doc.content).toEqual([{ type: 'paragraph', content: [{ type: 'text', text: 'a<__proto__>bc' }] }]);
    expect(Object.isFrozen(Object.prototype)).toBe(false);
    const odd: AdfDoc = {
      version: 1,
      type: 'doc',
      content: [
        {
          type: 'panel',
          attrs: { panelType: 'constructor' },
          content: [{ type: 'paragraph', content: [{ type: 'text', text: 'p' }] }],
        },
        { type: 'constructor', attrs: { constructor: 1, __proto__: 2 }, content: [{ type: 'text', text: 'x' }] },
      ],
    };
    expect(adfToHtml(odd).body).toBe('<blockquote><p><strong>Note:</strong> p</p></blockquote><p>x</p>');
    expect(normalizeAdf(odd).content[1]!.type).toBe('constructor');
  });
});
