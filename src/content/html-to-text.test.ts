import { htmlToText } from './html-to-text';
import { journalToText } from './journal';

describe('remote HTML to text', () => {
  it('keeps paragraphs, line breaks and lists readable', () => {
    expect(htmlToText('<p>First</p><p>Second<br>line</p><ul><li>a</li><li>b</li></ul>')).toBe(
      'First\n\nSecond\nline\n\n- a\n- b',
    );
  });

  it('drops scripts, styles and every tag, and decodes entities', () => {
    expect(
      htmlToText('<script>alert(1)</script><style>p{}</style><b onclick="x()">Bold</b> &amp; <i>it</i> &lt;tag&gt;'),
    ).toBe('Bold & it <tag>');
  });

  it("keeps a link's address, and never a javascript: one", () => {
    expect(htmlToText('<a href="https://kb.acme.com/1">KB article</a>')).toBe('KB article (https://kb.acme.com/1)');
    expect(htmlToText('<a href="javascript:alert(1)">click</a>')).toBe('click');
  });

  it('reads [code] HTML inside a journal entry and leaves the rest as it is', () => {
    expect(journalToText('Update from the vendor:\n[code]<p>Patch <b>1.2</b> ships Friday</p>[/code]\nThanks')).toBe(
      'Update from the vendor:\nPatch 1.2 ships Friday\nThanks',
    );
  });
});
