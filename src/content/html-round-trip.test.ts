/**
 * The HTML pair as properties: what HTML can hold comes back unchanged, what
 * any HTML reads as is stable after one round, and every document produced
 * is valid ADF.
 */
import fc from 'fast-check';
import { adfToHtml } from './adf-to-html';
import { htmlToAdf } from './html-to-adf';
import { normalizeAdf } from './adf-normal';
import { adfDoc, HTML_FEATURES } from './testing/adf-arbitrary';
import { validateAdf } from '../../test/support/adf-schema';

/** Fragments real and broken HTML is made of. */
const TAGS = [
  'p',
  'div',
  'span',
  'b',
  'strong',
  'i',
  'em',
  'u',
  's',
  'del',
  'code',
  'sub',
  'sup',
  'a',
  'ul',
  'ol',
  'li',
  'h1',
  'h3',
  'pre',
  'blockquote',
  'table',
  'tr',
  'td',
  'th',
  'tbody',
  'font',
  'section',
  'x-custom',
  'script',
  'style',
];
const ATTRS = [
  '',
  ' href="https://a.io/x"',
  ' href="javascript:alert(1)"',
  ' style="color:#C00"',
  ' style="color: red"',
  ' class="language-js"',
  ' start="3"',
  ' colspan="2"',
  ' rowspan="3"',
  ' data-task-list="true"',
  ' onclick="x()"',
];
const fragment = fc.oneof(
  fc.tuple(fc.constantFrom(...TAGS), fc.constantFrom(...ATTRS)).map(([t, a]) => `<${t}${a}>`),
  fc.constantFrom(...TAGS).map((t) => `</${t}>`),
  fc.constantFrom(
    '<br>',
    '<hr>',
    '<img src="https://i.io/a.png" alt="a">',
    '<input type="checkbox" checked>',
    '&nbsp;',
    '&amp;',
    '&lt;',
    ' ',
    '\n',
    '<!-- c -->',
    '<![CDATA[x]]>',
  ),
  fc.string({ unit: fc.constantFrom(...'ab ,.\t'), minLength: 1, maxLength: 6 }),
);
const garbage = fc.array(fragment, { maxLength: 30 }).map((parts) => parts.join(''));

describe('ADF → HTML → ADF', () => {
  it('is no change for every document in what HTML can hold', () => {
    fc.assert(
      fc.property(adfDoc(HTML_FEATURES), (doc) => {
        const html = adfToHtml(doc).body;
        const back = htmlToAdf(html).doc;
        expect(normalizeAdf(back)).toEqual(normalizeAdf(doc));
        expect(validateAdf(doc).valid).toBe(true);
        expect(validateAdf(back)).toEqual({ valid: true, errors: null });
      }),
      { numRuns: 300 },
    );
  });
});

describe('HTML → ADF → HTML', () => {
  it('is stable after one round, for any HTML', () => {
    fc.assert(
      fc.property(garbage, (html) => {
        const once = adfToHtml(htmlToAdf(html).doc).body;
        const parsed = htmlToAdf(once);
        expect(validateAdf(parsed.doc)).toEqual({ valid: true, errors: null });
        expect(adfToHtml(parsed.doc).body).toBe(once);
      }),
      { numRuns: 1000 },
    );
  });

  it('produces valid ADF, and no script, handler or javascript: link, for any HTML', () => {
    fc.assert(
      fc.property(garbage, (html) => {
        const parsed = htmlToAdf(html);
        expect(validateAdf(parsed.doc)).toEqual({ valid: true, errors: null });
        const out = adfToHtml(parsed.doc).body;
        expect(out).not.toMatch(/<script|<style|\son\w+=|javascript:/i);
      }),
      { numRuns: 1000 },
    );
  });
});
