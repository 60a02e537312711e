/**
 * How fast the rich converters are on a realistic body of about 1 MB of HTML, per MB each way (ADF → HTML, HTML →
 * ADF), with htmlToText on the same HTML as a yardstick of how loaded the machine is. Shared by `npm run bench` and
 * `npm run bench:content`; a 1 MB body must convert in under 100 ms each way.
 */
import type { AdfDoc, AdfNode } from '../src/content/adf';
import { adfToHtml } from '../src/content/adf-to-html';
import { htmlToAdf } from '../src/content/html-to-adf';
import { htmlToText } from '../src/content/html-to-text';

const para = (text: string): AdfNode => ({ type: 'paragraph', content: [{ type: 'text', text }] });

/**
 * A realistic body of about 1 MB of HTML: repeated sections of a heading,
 * paragraphs with marks and links, a nested list, a task list, a table and code.
 */
export function realisticDoc(sections: number): AdfDoc {
  const text = (t: string, ...marks: NonNullable<AdfNode['marks']>): AdfNode => ({
    type: 'text',
    text: t,
    ...(marks.length ? { marks } : {}),
  });
  const section = (i: number): AdfNode[] => [
    { type: 'heading', attrs: { level: 2 }, content: [text(`Section ${i}: checkout fails for EU customers`)] },
    {
      type: 'paragraph',
      content: [
        text('Since the release on Monday, customers paying with '),
        text('SEPA debit', { type: 'strong' }),
        text(' see an error after '),
        text('Confirm', { type: 'code' }),
        text('. See '),
        text('the incident page', { type: 'link', attrs: { href: `https://status.acme.com/incidents/${i}` } }),
        text(' and '),
        text('the red banner', { type: 'textColor', attrs: { color: '#ff5630' } }, { type: 'em' }),
        text('.'),
        { type: 'hardBreak' },
        text('Reported by three customers & two agents, "urgent" <P1>.'),
      ],
    },
    {
      type: 'orderedList',
      content: ['Open the cart', 'Choose SEPA', 'Press Confirm'].map((step) => ({
        type: 'listItem',
        content: [
          para(step),
          {
            type: 'bulletList',
            content: [{ type: 'listItem', content: [para(`${step}: observed on web and mobile`)] }],
          },
        ],
      })),
    },
    {
      type: 'taskList',
      attrs: { localId: `l${i}` },
      content: [
        { type: 'taskItem', attrs: { localId: `a${i}`, state: 'DONE' }, content: [text('Reproduce')] },
        { type: 'taskItem', attrs: { localId: `b${i}`, state: 'TODO' }, content: [text('Fix and deploy')] },
      ],
    },
    {
      type: 'table',
      content: [
        {
          type: 'tableRow',
          content: ['Market', 'Orders', 'Failed'].map((h) => ({ type: 'tableHeader', content: [para(h)] })),
        },
        { type: 'tableRow', content: ['DE', '1204', '311'].map((c) => ({ type: 'tableCell', content: [para(c)] })) },
      ],
    },
    {
      type: 'codeBlock',
      attrs: { language: 'js' },
      content: [
        text('const total = items.reduce((a, b) => a + b.price, 0);\nif (total < 0) throw new Error("negative");'),
      ],
    },
  ];
  return { version: 1, type: 'doc', content: Array.from({ length: sections }, (_, i) => section(i)).flat() };
}

/** `best(run, runs)`: the fastest of `runs` runs, in milliseconds. */
export function conversionRate(best: (run: () => unknown, runs?: number) => number): {
  perMb: { adfToHtml: number; htmlToAdf: number };
  summary: string;
} {
  const realistic = realisticDoc(930);
  const html = adfToHtml(realistic).body;
  const mb = html.length / 1_000_000;
  const toHtmlMs = best(() => adfToHtml(realistic), 5);
  const toAdfMs = best(() => htmlToAdf(html), 5);
  const toTextMs = best(() => htmlToText(html), 5);
  const perMb = { adfToHtml: Number((toHtmlMs / mb).toFixed(1)), htmlToAdf: Number((toAdfMs / mb).toFixed(1)) };
  return {
    perMb,
    summary: `realistic body, ${html.length.toLocaleString('en-US')} chars of HTML: ADF → HTML ${toHtmlMs.toFixed(1)} ms (${perMb.adfToHtml} ms/MB), HTML → ADF ${toAdfMs.toFixed(1)} ms (${perMb.htmlToAdf} ms/MB); htmlToText on it ${toTextMs.toFixed(1)} ms`,
  };
}
