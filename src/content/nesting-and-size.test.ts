/**
 * What a remote or a Jira document can send that is deeper or bigger than any
 * person writes: every converter answers, keeps every word, and says so where
 * it had to leave text out. (How long they take grows linearly: bench/content-bench.ts.)
 */
import fc from 'fast-check';
import { adfToText, MAX_ADF_DEPTH, normalizeText } from './adf-to-text';
import { textToAdf } from './text-to-adf';
import { htmlToText, MAX_HTML_CHARS, TRUNCATION_NOTE } from './html-to-text';
import { journalToText } from './journal';
import { textFromBody } from './formats';
import type { AdfDoc, AdfNode } from './adf';
import { validateAdf } from '../../test/support/adf-schema';

const words = (s: string) => s.split(/[\s>\-|]+/).filter(Boolean);
const doc = (...content: AdfNode[]): AdfDoc => ({ version: 1, type: 'doc', content });

describe('quotes inside quotes (ServiceNow journals quote each reply)', () => {
  it('keeps a line quoted 5,000 deep: one quote whose text still carries the rest of its markers', () => {
    const text = `${'> '.repeat(5000)}the customer's answer`;
    const out = textToAdf(text);
    expect(validateAdf(out).valid).toBe(true);
    expect(out.content).toEqual([
      {
        type: 'blockquote',
        content: [
          { type: 'paragraph', content: [{ type: 'text', text: `${'> '.repeat(4999)}the customer's answer` }] },
        ],
      },
    ]);
  });

  it('keeps the words of a quote inside a quote, which ADF cannot nest', () => {
    const out = textToAdf('Thanks.\n\n> On Monday you wrote:\n> > the printer is jammed');
    expect(validateAdf(out).valid).toBe(true);
    expect(adfToText(out)).toBe('Thanks.\n\n> On Monday you wrote:\n> > the printer is jammed');
  });

  it('reads back what it wrote for quotes of any depth (a round trip is no change)', () => {
    const line = fc.tuple(fc.nat({ max: 40 }), fc.stringMatching(/^[a-z][a-z ]{0,10}$/));
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 8 }), (lines) => {
        const text = normalizeText(lines.map(([depth, words]) => `${'> '.repeat(depth)}${words}`).join('\n'));
        const once = adfToText(textToAdf(text));
        return validateAdf(textToAdf(text)).valid && adfToText(textToAdf(once)) === once;
      }),
      { numRuns: 200 },
    );
  });
});

describe('ADF deeper than any editor makes (only the API can)', () => {
  const nestedList = (depth: number): AdfNode => {
    let node: AdfNode = { type: 'paragraph', content: [{ type: 'text', text: 'bottom' }] };
    for (let i = 0; i < depth; i++)
      node = {
        type: 'bulletList',
        content: [
          { type: 'listItem', content: [{ type: 'paragraph', content: [{ type: 'text', text: `L${i}` }] }, node] },
        ],
      };
    return node;
  };

  it('reads a list nested 20,000 deep with every item, in order', () => {
    const text = adfToText(doc(nestedList(20_000)));
    expect(words(text)).toEqual([...Array.from({ length: 20_000 }, (_, i) => `L${19_999 - i}`), 'bottom']);
  });

  it('keeps the structure of the levels a person can make, and reads deeper ones flat at the deepest indent', () => {
    const lines = adfToText(doc(nestedList(40))).split('\n');
    expect(lines[0]).toBe('- L39');
    expect(lines[1]).toBe('  - L38');
    // Each list level is two nodes (list, item): below MAX_ADF_DEPTH the rest keeps one indentation.
    const indents = new Set(lines.slice(MAX_ADF_DEPTH / 2 + 1).map((l) => l.length - l.trimStart().length));
    expect(indents.size).toBe(1);
    expect(lines.at(-1)!.trim()).toBe('bottom');
  });

  it('reads inline content nested 100,000 deep as its text', () => {
    let node: AdfNode = { type: 'text', text: 'deep words' };
    for (let i = 0; i < 100_000; i++) node = { type: 'unknownInline', content: [node] };
    expect(adfToText(doc({ type: 'paragraph', content: [{ type: 'text', text: 'before ' }, node] }))).toBe(
      'before deep words',
    );
  });

  it('reads a document of 100,000 nested blockquotes (invalid, but parsed JSON can hold it) as its text', () => {
    let node: AdfNode = { type: 'paragraph', content: [{ type: 'text', text: 'inside' }] };
    for (let i = 0; i < 100_000; i++) node = { type: 'blockquote', content: [node] };
    expect(words(adfToText(doc(node)))).toEqual(['inside']);
  });
});

describe('remote HTML of any shape', () => {
  it('reads 1 MB of nested <div> as its text', () => {
    expect(htmlToText(`${'<div>'.repeat(199_000)}deep text`)).toBe('deep text');
  });

  it('reads lists nested 100,000 deep, each item on its own line', () => {
    const lines = htmlToText(`${'<ul><li>x'.repeat(100_000)}`).split('\n');
    expect(lines.filter((l) => l !== '')).toEqual(Array(100_000).fill('- x'));
  });

  it(`reads at most ${MAX_HTML_CHARS.toLocaleString('en-US')} characters of HTML, and says at the end that the rest was left out`, () => {
    const html = `<p>${'word '.repeat(MAX_HTML_CHARS / 5)}</p><p>past the cap</p>`;
    const text = htmlToText(html);
    expect(text.endsWith(`\n\n${TRUNCATION_NOTE}`)).toBe(true);
    expect(text.startsWith('word word')).toBe(true);
    expect(text).not.toContain('past the cap');
    expect(textFromBody('html', html)).toBe(text);
  });

  it('keeps a body at the cap whole, without a note', () => {
    const html = `<p>${'x'.repeat(MAX_HTML_CHARS - 7)}</p>`;
    expect(html.length).toBe(MAX_HTML_CHARS);
    expect(htmlToText(html)).toBe('x'.repeat(MAX_HTML_CHARS - 7));
  });

  it('closes an open paragraph where HTML does, and reads a link inside its own text', () => {
    expect(htmlToText('<p>one<p>two<div>three</div>')).toBe('one\n\ntwo\n\nthree');
    expect(htmlToText('See <a href="https://kb.acme.com/1">the article</a> first.')).toBe(
      'See the article (https://kb.acme.com/1) first.',
    );
  });

  it('reads 100,000 spaces before a word, and a journal with 100,000 unclosed [code] markers, as they are', () => {
    expect(htmlToText(`<p>${' '.repeat(100_000)}word</p>`)).toBe('word');
    expect(normalizeText(`${' '.repeat(100_000)}word${' '.repeat(100_000)}`)).toBe(`${' '.repeat(100_000)}word`);
    expect(journalToText('[code]'.repeat(100_000))).toBe('[code]'.repeat(100_000));
    expect(journalToText('a [code]<b>b</b>[/code] c [code]d')).toBe('a b c [code]d');
  });
});
