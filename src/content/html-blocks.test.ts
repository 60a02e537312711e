import fc from 'fast-check';
import { htmlBlocks } from './html-blocks';

describe('an HTML body cut into its top-level blocks', () => {
  it('makes each top-level block element one block and each run of inline content between them another', () => {
    expect(
      htmlBlocks(
        'Steps:<br><b>one</b><ol><li>a<ul><li>b</li></ul></li></ol><div><img src="x.png"></div>tail <i>end</i>',
      ),
    ).toEqual([
      'Steps:<br><b>one</b>',
      '<ol><li>a<ul><li>b</li></ul></li></ol>',
      '<div><img src="x.png"></div>',
      'tail <i>end</i>',
    ]);
  });

  it('keeps a top-level rule as a block and drops blank runs between blocks', () => {
    expect(htmlBlocks('<p>a</p>\n  <hr>\n<p>b</p>')).toEqual(['<p>a</p>', '<hr>', '<p>b</p>']);
  });

  it('keeps every character of any input, in order (only whitespace between blocks goes)', () => {
    fc.assert(
      fc.property(
        fc.string({
          unit: fc.constantFrom('<p>', '</p>', '<div>', '</div>', '<br>', 'x', ' ', '<b>', '</b>', '<img>'),
        }),
        (html) => {
          expect(htmlBlocks(html).join('').replace(/\s+/g, '')).toBe(html.replace(/\s+/g, ''));
        },
      ),
    );
  });
});
