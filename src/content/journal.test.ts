import { journalToHtml, journalToText } from './journal';

describe('journal entries with [code] sections', () => {
  it('read as text: each section gives its text, the rest is as written', () => {
    expect(journalToText('Update:\n[code]<p>Patch <b>1.2</b> ships</p>[/code]\nThanks')).toBe(
      'Update:\nPatch 1.2 ships\nThanks',
    );
  });

  it('read as HTML: the text around becomes paragraphs (escaped), each section is the HTML it holds', () => {
    expect(journalToHtml('Update <1>:\n[CODE]<p>Patch <b>1.2</b></p><ul><li>EU</li></ul>[/CODE]\n\nThanks')).toBe(
      '<p>Update &lt;1&gt;:</p><p>Patch <b>1.2</b></p><ul><li>EU</li></ul><p>Thanks</p>',
    );
  });

  it('has no HTML reading for an entry of text alone, or one whose [code] is never closed', () => {
    expect(journalToHtml('Just words, <b>not</b> markup')).toBeUndefined();
    expect(journalToHtml('a [code]<b>b</b> c')).toBeUndefined();
  });
});
