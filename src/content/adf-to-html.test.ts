import { adfToHtml } from './adf-to-html';
import { htmlToAdf } from './html-to-adf';
import type { AdfDoc, AdfNode } from './adf';

const doc = (...content: AdfNode[]): AdfDoc => ({ version: 1, type: 'doc', content });
const p = (...content: AdfNode[]): AdfNode => ({ type: 'paragraph', content });
const text = (t: string, ...marks: NonNullable<AdfNode['marks']>): AdfNode =>
  marks.length ? { type: 'text', text: t, marks } : { type: 'text', text: t };

describe('ADF to HTML: what Azure DevOps and Zendesk receive', () => {
  it('writes paragraphs, headings, marks and links as plain HTML', () => {
    const out = adfToHtml(
      doc(
        { type: 'heading', attrs: { level: 3 }, content: [text('Impact')] },
        p(
          text('Checkout ', { type: 'strong' }),
          text('fails', { type: 'em' }, { type: 'textColor', attrs: { color: '#FF5630' } }),
          text(' see '),
          text('KB-12', { type: 'link', attrs: { href: 'https://kb.acme.com/12' } }),
          { type: 'hardBreak' },
          text('x'),
          text('2', { type: 'subsup', attrs: { type: 'sup' } }),
        ),
      ),
    );
    expect(out.body).toBe(
      '<h3>Impact</h3><p><strong>Checkout </strong><span style="color:#ff5630"><em>fails</em></span> see <a href="https://kb.acme.com/12">KB-12</a><br>x<sup>2</sup></p>',
    );
    expect(out.simplified).toEqual([]);
  });

  it('escapes text and attribute values, and never writes a javascript: link', () => {
    const out = adfToHtml(
      doc(
        p(
          text('<img src=x onerror=alert(1)> & "q"'),
          text('click', { type: 'link', attrs: { href: 'javascript:alert(1)' } }),
          text('q', { type: 'link', attrs: { href: 'https://a.io/?q="><script>' } }),
        ),
      ),
    );
    expect(out.body).toBe(
      '<p>&lt;img src=x onerror=alert(1)&gt; &amp; &quot;q&quot;click<a href="https://a.io/?q=&quot;&gt;&lt;script&gt;">q</a></p>',
    );
    expect(out.simplified).toEqual(['a link that was not http, https or mailto (kept as text)']);
  });

  it('keeps spaces HTML would collapse as &nbsp;, so they come back', () => {
    const out = adfToHtml(doc(p(text(' two  spaces ')), p(text(' '))));
    expect(out.body).toBe('<p>&nbsp;two&nbsp;&nbsp;spaces&nbsp;</p><p>&nbsp;</p>');
    expect(htmlToAdf(out.body).doc.content).toEqual([p(text(' two  spaces ')), p(text(' '))]);
  });

  it('writes mentions as their display text, never the account id, unless the caller writes them', () => {
    const mention: AdfNode = { type: 'mention', attrs: { id: '5b10ac8d82e05b22cc7d4ef5', text: '@Ana Lima' } };
    expect(adfToHtml(doc(p(text('ask '), mention))).body).toBe('<p>ask @Ana Lima</p>');
    expect(adfToHtml(doc(p({ type: 'mention', attrs: { id: '5b10ac8d' } }))).body).toBe('<p>@someone</p>');
    const linked = adfToHtml(doc(p(mention)), {
      mention: (m) => (m.text === '@Ana Lima' ? '<a href="mailto:ana@acme.com">Ana Lima</a>' : undefined),
    });
    expect(linked.body).toBe('<p><a href="mailto:ana@acme.com">Ana Lima</a></p>');
    expect(adfToHtml(doc(p(mention)), { mention: () => undefined }).body).not.toContain('5b10ac8d');
  });

  it('writes emoji, dates and status lozenges as text', () => {
    const out = adfToHtml(
      doc(
        p(
          { type: 'emoji', attrs: { shortName: ':fire:', text: '🔥' } },
          text(' due '),
          { type: 'date', attrs: { timestamp: '1767139200000' } },
          text(' '),
          { type: 'status', attrs: { text: 'In progress', color: 'blue' } },
          text(' '),
          { type: 'emoji', attrs: { shortName: ':custom:' } },
        ),
      ),
    );
    expect(out.body).toBe('<p>🔥 due 2025-12-31 [IN PROGRESS] :custom:</p>');
    expect(out.simplified).toEqual(['a date (kept as text)', 'a status lozenge (kept as text)']);
  });

  it('writes a panel as a quote led by its kind, and an expand as its bold title then its content', () => {
    const out = adfToHtml(
      doc(
        {
          type: 'panel',
          attrs: { panelType: 'warning', panelColor: '#ffeeee' },
          content: [p(text('Back up first.')), p(text('Really.'))],
        },
        { type: 'expand', attrs: { title: 'Logs' }, content: [p(text('line 1'))] },
      ),
    );
    expect(out.body).toBe(
      '<blockquote><p><strong>Warning:</strong> Back up first.</p><p>Really.</p></blockquote><p><strong>Logs</strong></p><p>line 1</p>',
    );
    expect(out.simplified).toEqual([
      'a panel (kept as a quote led by its kind)',
      "a panel's colour",
      'an expand (shown open, its title in bold)',
    ]);
  });

  it('writes lists, task lists, code and tables with merged cells', () => {
    const out = adfToHtml(
      doc(
        { type: 'orderedList', attrs: { order: 3 }, content: [{ type: 'listItem', content: [p(text('three'))] }] },
        {
          type: 'taskList',
          attrs: { localId: 'l' },
          content: [{ type: 'taskItem', attrs: { localId: 't', state: 'DONE' }, content: [text('done')] }],
        },
        { type: 'codeBlock', attrs: { language: 'js' }, content: [text('a < b')] },
        {
          type: 'table',
          content: [
            { type: 'tableRow', content: [{ type: 'tableHeader', attrs: { colspan: 2 }, content: [p(text('H'))] }] },
            { type: 'tableRow', content: [{ type: 'tableCell', content: [p(text('1')), p(text('2'))] }] },
          ],
        },
      ),
    );
    expect(out.body).toBe(
      '<ol start="3"><li>three</li></ol><ul data-task-list="true"><li><input type="checkbox" disabled checked> done</li></ul>' +
        '<pre><code class="language-js">a &lt; b</code></pre>' +
        '<table><tbody><tr><th colspan="2">H</th></tr><tr><td>1<p>2</p></td></tr></tbody></table>',
    );
  });

  it('leaves images out for now, says so, and lets the engine write them through a hook', () => {
    const image: AdfNode = {
      type: 'mediaSingle',
      content: [{ type: 'media', attrs: { type: 'file', id: 'f1', collection: 'c' } }],
    };
    expect(adfToHtml(doc(image))).toEqual({ body: '', simplified: ['an inline image'] });
    expect(adfToHtml(doc(image), { media: (a) => `<img src="https://cdn.io/${String(a.id)}">` }).body).toBe(
      '<p><img src="https://cdn.io/f1"></p>',
    );
  });

  it('writes smart links as links to their address', () => {
    const out = adfToHtml(
      doc(p({ type: 'inlineCard', attrs: { url: 'https://acme.atlassian.net/browse/X-1' } }), {
        type: 'blockCard',
        attrs: { url: 'javascript:x' },
      }),
    );
    expect(out.body).toBe(
      '<p><a href="https://acme.atlassian.net/browse/X-1">https://acme.atlassian.net/browse/X-1</a></p><p>javascript:x</p>',
    );
  });

  it('renders nothing for no document', () => {
    expect(adfToHtml(null)).toEqual({ body: '', simplified: [] });
    expect(adfToHtml(undefined)).toEqual({ body: '', simplified: [] });
  });
});
