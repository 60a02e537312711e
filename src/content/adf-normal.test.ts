import { normalizeAdf, sameAdf } from './adf-normal';
import type { AdfDoc, AdfNode } from './adf';

const doc = (...content: AdfNode[]): AdfDoc => ({ version: 1, type: 'doc', content });

describe('normalized ADF (what comparisons see)', () => {
  it('merges adjacent text with equal marks, orders marks and drops empty text', () => {
    const a = doc({
      type: 'paragraph',
      content: [
        { type: 'text', text: 'a', marks: [{ type: 'em' }, { type: 'strong' }] },
        { type: 'text', text: '' },
        { type: 'text', text: 'b', marks: [{ type: 'strong' }, { type: 'em' }] },
        { type: 'text', text: 'c' },
      ],
    });
    expect(normalizeAdf(a).content).toEqual([
      {
        type: 'paragraph',
        content: [
          { type: 'text', text: 'ab', marks: [{ type: 'strong' }, { type: 'em' }] },
          { type: 'text', text: 'c' },
        ],
      },
    ]);
  });

  it('drops attributes a format does not carry, and defaults', () => {
    const a = doc(
      {
        type: 'orderedList',
        attrs: { order: 1, localId: 'x' },
        content: [
          {
            type: 'listItem',
            attrs: { localId: 'y' },
            content: [{ type: 'paragraph', attrs: { localId: 'z' }, content: [] }],
          },
        ],
      },
      {
        type: 'table',
        attrs: { layout: 'wide' },
        content: [
          {
            type: 'tableRow',
            content: [
              {
                type: 'tableCell',
                attrs: { colspan: 1, rowspan: 2, colwidth: [100] },
                content: [{ type: 'paragraph' }],
              },
            ],
          },
        ],
      },
    );
    expect(normalizeAdf(a).content).toEqual([
      { type: 'orderedList', content: [{ type: 'listItem', content: [{ type: 'paragraph' }] }] },
      {
        type: 'table',
        content: [
          {
            type: 'tableRow',
            content: [{ type: 'tableCell', attrs: { rowspan: 2 }, content: [{ type: 'paragraph' }] }],
          },
        ],
      },
    ]);
  });

  it('renumbers task ids in document order, so documents from different sources compare equal and stay valid', () => {
    const tasks = (list: string, item: string) =>
      doc({
        type: 'taskList',
        attrs: { localId: list },
        content: [
          { type: 'taskItem', attrs: { localId: item, state: 'TODO' }, content: [{ type: 'text', text: 't' }] },
        ],
      });
    expect(sameAdf(tasks('a', 'b'), tasks('uuid-1', 'uuid-2'))).toBe(true);
    expect(normalizeAdf(tasks('a', 'b')).content[0]!.attrs).toEqual({ localId: '1' });
  });

  it('tells different documents apart', () => {
    const p = (t: string, marks?: AdfNode['marks']): AdfDoc =>
      doc({ type: 'paragraph', content: [{ type: 'text', text: t, ...(marks ? { marks } : {}) }] });
    expect(sameAdf(p('a'), p('b'))).toBe(false);
    expect(sameAdf(p('a'), p('a', [{ type: 'strong' }]))).toBe(false);
    expect(
      sameAdf(
        p('a', [{ type: 'link', attrs: { href: 'https://a.io', title: 't' } }]),
        p('a', [{ type: 'link', attrs: { href: 'https://a.io' } }]),
      ),
    ).toBe(true);
    expect(sameAdf(null, undefined)).toBe(true);
    expect(sameAdf(p('a'), null)).toBe(false);
  });
});
