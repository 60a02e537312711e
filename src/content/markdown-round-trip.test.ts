/**
 * The Markdown pair as properties: what Markdown can hold comes back
 * unchanged, what any Markdown reads as is stable after one round, and every
 * document produced is valid ADF.
 */
import fc from 'fast-check';
import { adfToMarkdown } from './adf-to-markdown';
import { markdownToAdf } from './markdown-to-adf';
import { normalizeAdf } from './adf-normal';
import { adfDoc, MARKDOWN_FEATURES } from './testing/adf-arbitrary';
import { validateAdf } from '../../test/support/adf-schema';

const fragment = fc.oneof(
  fc.constantFrom(
    '\n',
    '\n\n',
    '# ',
    '## ',
    '- ',
    '* ',
    '1. ',
    '3) ',
    '> ',
    '```js\n',
    '```\n',
    '    ',
    '---\n',
    '| a | b |\n| --- | --- |\n',
    '- [ ] ',
    '- [x] ',
    '**',
    '*',
    '_',
    '~~',
    '`',
    '[',
    '](https://a.io)',
    '](javascript:x)',
    '![i](https://i.io/a.png)',
    '<script>',
    '<b>',
    '&amp;',
    '&#0;',
    '\\',
    '  \n',
    '\t',
  ),
  fc.string({ unit: fc.constantFrom(...'ab ,.'), minLength: 1, maxLength: 6 }),
);
const garbage = fc.array(fragment, { maxLength: 30 }).map((parts) => parts.join(''));

describe('ADF → Markdown → ADF', () => {
  it('is no change for every document in what Markdown can hold', () => {
    fc.assert(
      fc.property(adfDoc(MARKDOWN_FEATURES), (doc) => {
        const md = adfToMarkdown(doc).body;
        const back = markdownToAdf(md).doc;
        expect(validateAdf(doc).valid).toBe(true);
        expect(normalizeAdf(back)).toEqual(normalizeAdf(doc));
        expect(validateAdf(back)).toEqual({ valid: true, errors: null });
      }),
      { numRuns: 300 },
    );
  });
});

describe('Markdown → ADF → Markdown', () => {
  it('is stable after one round, and valid ADF, for any Markdown', () => {
    fc.assert(
      fc.property(garbage, (md) => {
        const first = markdownToAdf(md);
        expect(validateAdf(first.doc)).toEqual({ valid: true, errors: null });
        const once = adfToMarkdown(first.doc).body;
        const parsed = markdownToAdf(once);
        expect(validateAdf(parsed.doc)).toEqual({ valid: true, errors: null });
        expect(adfToMarkdown(parsed.doc).body).toBe(once);
      }),
      { numRuns: 1000 },
    );
  });

  it('keeps empty nested list items a list, not a horizontal rule (found by the property above: "* - - ")', () => {
    const once = adfToMarkdown(markdownToAdf('* - - ').doc).body;
    expect(once).toBe('-\n  - - ');
    expect(markdownToAdf(once).doc.content[0]?.type).toBe('bulletList');
    expect(adfToMarkdown(markdownToAdf(once).doc).body).toBe(once);
  });
});
