import fc from 'fast-check';
import { adfToText, normalizeText } from './adf-to-text';
import { textToAdf } from './text-to-adf';
import type { AdfDoc } from './adf';
import { validateAdf } from '../../test/support/adf-schema';

const doc = (...content: AdfDoc['content']): AdfDoc => ({ version: 1, type: 'doc', content });
const p = (...content: AdfDoc['content']) => ({ type: 'paragraph', content });
const text = (t: string, marks?: Array<{ type: string; attrs?: Record<string, unknown> }>) => ({
  type: 'text',
  text: t,
  ...(marks ? { marks } : {}),
});

describe('ADF to plain text (what ServiceNow receives)', () => {
  it('separates paragraphs with a blank line and keeps line breaks', () => {
    expect(adfToText(doc(p(text('one'), { type: 'hardBreak' }, text('two')), p(text('three'))))).toBe(
      'one\ntwo\n\nthree',
    );
  });

  it('keeps bullets and numbers, nested lists indented', () => {
    const list = {
      type: 'bulletList',
      content: [
        {
          type: 'listItem',
          content: [p(text('a')), { type: 'orderedList', content: [{ type: 'listItem', content: [p(text('a1'))] }] }],
        },
        { type: 'listItem', content: [p(text('b'))] },
      ],
    };
    expect(adfToText(doc(list))).toBe('- a\n  1. a1\n- b');
  });

  it('keeps a link readable with its URL, and a bare link once', () => {
    expect(
      adfToText(
        doc(
          p(
            text('docs', [{ type: 'link', attrs: { href: 'https://x.io/d' } }]),
            text(' and '),
            text('https://y.io', [{ type: 'link', attrs: { href: 'https://y.io' } }]),
          ),
        ),
      ),
    ).toBe('docs (https://x.io/d) and https://y.io');
  });

  it('fences code blocks and marks inline code', () => {
    expect(
      adfToText(
        doc(
          { type: 'codeBlock', attrs: { language: 'js' }, content: [text('let a = 1;\nlet b;')] },
          p(text('run '), text('npm ci', [{ type: 'code' }])),
        ),
      ),
    ).toBe('```\nlet a = 1;\nlet b;\n```\n\n' + 'run `npm ci`');
  });

  it('reads mentions, emoji, status and headings as text', () => {
    expect(
      adfToText(
        doc(
          { type: 'heading', attrs: { level: 2 }, content: [text('Title')] },
          p(
            { type: 'mention', attrs: { id: 'abc', text: '@Ana Lee' } },
            text(' '),
            { type: 'emoji', attrs: { shortName: ':smile:', text: '😄' } },
            text(' '),
            { type: 'status', attrs: { text: 'BLOCKED', color: 'red' } },
          ),
        ),
      ),
    ).toBe('Title\n\n@Ana Lee 😄 [BLOCKED]');
  });

  it('renders an empty or missing document as empty text', () => {
    expect(adfToText(null)).toBe('');
    expect(adfToText(doc())).toBe('');
  });
});

describe('plain text to ADF (what Jira receives)', () => {
  it('builds paragraphs, lists, code and quotes', () => {
    const out = textToAdf('Intro line\nsecond line\n\n- a\n- b\n\n2. x\n3. y\n\n```\ncode\n```\n\n> quoted');
    expect(out.content.map((n) => n.type)).toEqual([
      'paragraph',
      'bulletList',
      'orderedList',
      'codeBlock',
      'blockquote',
    ]);
    expect(out.content[2]!.attrs).toEqual({ order: 2 });
  });

  it('reads a list nested under an item (indented as adfToText writes it) back as a nested list', () => {
    const out = textToAdf('- a\n  1. a1\n  2. a2\n- b');
    expect(out).toEqual(
      doc({
        type: 'bulletList',
        content: [
          {
            type: 'listItem',
            content: [
              p(text('a')),
              {
                type: 'orderedList',
                content: [
                  { type: 'listItem', content: [p(text('a1'))] },
                  { type: 'listItem', content: [p(text('a2'))] },
                ],
              },
            ],
          },
          { type: 'listItem', content: [p(text('b'))] },
        ],
      }),
    );
    expect(adfToText(out)).toBe('- a\n  1. a1\n  2. a2\n- b');
  });

  it("reads lists indented deeper than Jira nests them as the innermost item's text, every word kept", () => {
    const deep = Array.from({ length: 40 }, (_, i) => `${'  '.repeat(i)}- level ${i}`).join('\n');
    const out = textToAdf(deep);
    expect(validateAdf(out).valid).toBe(true);
    for (let i = 0; i < 40; i++) expect(adfToText(out)).toContain(`level ${i}`);
  });

  it('turns bare URLs into links without swallowing trailing punctuation', () => {
    const out = textToAdf('See https://acme.service-now.com/incident.do?sys_id=1.');
    expect(out.content[0]!.content).toEqual([
      { type: 'text', text: 'See ' },
      {
        type: 'text',
        text: 'https://acme.service-now.com/incident.do?sys_id=1',
        marks: [{ type: 'link', attrs: { href: 'https://acme.service-now.com/incident.do?sys_id=1' } }],
      },
      { type: 'text', text: '.' },
    ]);
  });

  it('drops control characters a remote may send', () => {
    expect(adfToText(textToAdf('bell\u0007 and null\u0000 gone'))).toBe('bell and null gone');
  });

  it('always produces ADF valid against the published schema', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (s) => validateAdf(textToAdf(s)).valid),
      { numRuns: 300 },
    );
  });
});

describe('round trips are stable (our own writes read back as no change)', () => {
  const line = fc.oneof(
    fc.stringMatching(/^[A-Za-z0-9 ,.!?'-]{0,40}$/),
    fc.constantFrom('- item', '1. first', '2. second', '```', '> quote', 'https://a.b/c', 'x https://a.b/c?d=1 y', ''),
  );
  const textArb = fc.array(line, { maxLength: 12 }).map((ls) => ls.join('\n'));

  it('text → ADF → text gives the normalized text back', () => {
    fc.assert(
      fc.property(textArb, (t) => {
        const once = adfToText(textToAdf(t));
        return adfToText(textToAdf(once)) === once;
      }),
      { numRuns: 500 },
    );
  });

  it('keeps ordinary text exactly', () => {
    const t =
      'Printer on floor 3 is jammed.\nTried power cycle.\n\n- paper tray\n- toner\n\nSee https://kb.acme.com/printers';
    expect(adfToText(textToAdf(t))).toBe(normalizeText(t));
  });
});
