import type { AdfDoc, AdfNode } from './adf';
import { parseBody, prefixed, projectionOf, projectionOfBody, renderBody, textOfProjection } from './rich';
import { doc, para, text } from './testing/adf-nodes';

const sample = doc(
  { type: 'heading', attrs: { level: 2 }, content: [text('Steps')] },
  para(text('Press '), text('Save', 'strong')),
);

describe('bodies by their declared format, with ADF as the hub', () => {
  it.each(['html', 'markdown', 'text'] as const)('renders and parses %s back to the same projection', (format) => {
    const body = renderBody(format, sample).body;
    expect(projectionOfBody(format, body)).toBe(projectionOf(format, sample).body);
  });

  it('projects at what each format holds: HTML and Markdown keep bold, plain text only the words', () => {
    expect(projectionOf('html', sample).body).toBe('<h2>Steps</h2><p>Press <strong>Save</strong></p>');
    expect(projectionOf('markdown', sample).body).toBe('## Steps\n\nPress **Save**');
    expect(projectionOf('text', sample).body).toBe('Steps\n\nPress Save');
  });

  it('says what plain text loses of a document, once each', () => {
    const table = { type: 'table', content: [] };
    expect(projectionOf('text', doc(...sample.content, table, para(text('more', 'em')))).simplified).toEqual([
      'headings (kept as lines)',
      'text formatting (bold, italic and the like)',
      'tables (kept as lines)',
    ]);
    expect(projectionOf('text', doc(para(text('plain')))).simplified).toEqual([]);
  });

  it('reads a projection back as the plain text comments are paired by', () => {
    expect(textOfProjection('html', '<h2>Steps</h2><p>Press <strong>Save</strong></p>')).toBe('Steps\n\nPress Save');
  });

  it('parses ADF as it is, and anything that is no document as an empty one', () => {
    expect(parseBody('adf', sample).doc).toBe(sample);
    expect(parseBody('adf', 'not a doc').doc).toEqual(doc());
  });
});

describe("a copy's attribution", () => {
  it('joins plain text that opens the first paragraph, as one text node', () => {
    expect(prefixed(doc(para(text('Thanks'))), 'Ana (Jira): ')).toEqual(doc(para(text('Ana (Jira): Thanks'))));
  });

  it('goes before marked text as its own node, and before a document that opens with a list as a paragraph', () => {
    expect(prefixed(doc(para(text('Bold', 'strong'))), 'Ana (Jira): ')).toEqual(
      doc(para(text('Ana (Jira): '), text('Bold', 'strong'))),
    );
    const list = { type: 'bulletList', content: [{ type: 'listItem', content: [para(text('x'))] }] };
    expect(prefixed(doc(list), 'Ana (Jira): ')).toEqual(doc(para(text('Ana (Jira):')), list));
  });
});
