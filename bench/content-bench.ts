/**
 * How the content converters' time grows with adversarial input: each shape at
 * three sizes, each twice the one before (best of three runs). Work linear in
 * the input about doubles per step; quadratic work quadruples. Prints a table,
 * then one JSON line (`worstGrowth` is the largest ratio between two steps), and
 * exits 1 when a shape grows faster than 3× per doubling or throws.
 *
 *   npm run bench:content
 */
import { adfToText, normalizeText } from '../src/content/adf-to-text';
import type { AdfNode } from '../src/content/adf';
import { htmlToText } from '../src/content/html-to-text';
import { journalToText } from '../src/content/journal';
import { textToAdf } from '../src/content/text-to-adf';
import { adfToHtml } from '../src/content/adf-to-html';
import { htmlToAdf } from '../src/content/html-to-adf';
import { adfToMarkdown } from '../src/content/adf-to-markdown';
import { markdownToAdf } from '../src/content/markdown-to-adf';
import type { AdfDoc } from '../src/content/adf';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { conversionRate } from './conversion-rate';

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

const docOf = (...content: AdfNode[]): AdfDoc => ({ version: 1, type: 'doc', content });
const para = (text: string): AdfNode => ({ type: 'paragraph', content: [{ type: 'text', text }] });
const wideTable = (n: number): AdfNode => ({
  type: 'table',
  content: [
    { type: 'tableRow', content: Array.from({ length: n }, () => ({ type: 'tableCell', content: [para('c')] })) },
  ],
});

/** Each shape: a size → the call to time (input built outside the timing). */
const SHAPES: Array<{ name: string; sizes: number[]; make: (n: number) => () => unknown }> = [
  {
    name: 'text → ADF, quotes n deep',
    sizes: [50_000, 100_000, 200_000],
    make: (n) => () => textToAdf(`${'> '.repeat(n)}x`),
  },
  {
    name: 'ADF → text, lists n deep',
    sizes: [10_000, 20_000, 40_000],
    make: (n) => {
      const doc = { version: 1 as const, type: 'doc' as const, content: [nestedList(n)] };
      return () => adfToText(doc);
    },
  },
  {
    name: 'HTML → text, n nested <div>',
    sizes: [50_000, 100_000, 200_000],
    make: (n) => () => htmlToText(`${'<div>'.repeat(n)}x`),
  },
  {
    name: 'HTML → text, n nested <ul><li>',
    sizes: [25_000, 50_000, 100_000],
    make: (n) => () => htmlToText('<ul><li>x'.repeat(n)),
  },
  {
    name: 'HTML → ADF, n nested <div>',
    // Doublings that stay under MAX_HTML_CHARS (five characters a <div>): a longer body is cut before it is read.
    sizes: [40_000, 80_000, 160_000],
    make: (n) => () => htmlToAdf(`${'<div>'.repeat(n)}x`),
  },
  {
    name: 'HTML → ADF, n nested <ul><li>',
    sizes: [25_000, 50_000, 100_000],
    make: (n) => () => htmlToAdf('<ul><li>x'.repeat(n)),
  },
  {
    name: 'HTML → ADF, n nested <blockquote>',
    sizes: [20_000, 40_000, 80_000],
    make: (n) => () => htmlToAdf(`${'<blockquote>'.repeat(n)}q`),
  },
  {
    name: 'HTML → ADF, n nested <b><span>',
    sizes: [20_000, 40_000, 80_000],
    make: (n) => () => htmlToAdf(`${'<b><span>'.repeat(n)}x`),
  },
  {
    name: 'HTML → ADF, n unmatched </li></td>',
    sizes: [25_000, 50_000, 100_000],
    make: (n) => () => htmlToAdf(`<ul><li><table><tr><td>${'<div>x'.repeat(n)}${'</li></td>'.repeat(n)}`),
  },
  {
    name: 'HTML → ADF, table n cells wide',
    sizes: [25_000, 50_000, 100_000],
    make: (n) => () => htmlToAdf(`<table><tr>${'<td>c</td>'.repeat(n)}</tr></table>`),
  },
  {
    name: 'HTML → ADF, n flat paragraphs',
    sizes: [25_000, 50_000, 100_000],
    make: (n) => () => htmlToAdf('<p>a <b>b</b></p>'.repeat(n)),
  },
  {
    name: 'ADF → HTML, lists n deep',
    sizes: [10_000, 20_000, 40_000],
    make: (n) => {
      const doc = docOf(nestedList(n));
      return () => adfToHtml(doc);
    },
  },
  {
    name: 'ADF → HTML, table n cells wide',
    sizes: [25_000, 50_000, 100_000],
    make: (n) => {
      const doc = docOf(wideTable(n));
      return () => adfToHtml(doc);
    },
  },
  {
    name: 'ADF → HTML, n flat paragraphs',
    sizes: [25_000, 50_000, 100_000],
    make: (n) => {
      const doc = docOf(...Array.from({ length: n }, () => para('a paragraph of text')));
      return () => adfToHtml(doc);
    },
  },
  {
    name: 'Markdown → ADF, n unmatched *',
    sizes: [50_000, 100_000, 200_000],
    make: (n) => () => markdownToAdf(`${'*a'.repeat(n)}`),
  },
  {
    name: 'Markdown → ADF, n unclosed [',
    sizes: [50_000, 100_000, 200_000],
    make: (n) => () => markdownToAdf(`${'['.repeat(n)}x`),
  },
  {
    name: 'Markdown → ADF, quotes n deep',
    sizes: [50_000, 100_000, 200_000],
    make: (n) => () => markdownToAdf(`${'> '.repeat(n)}x`),
  },
  {
    name: 'Markdown → ADF, n list lines',
    sizes: [10_000, 20_000, 40_000],
    make: (n) => () =>
      markdownToAdf(Array.from({ length: n }, (_, i) => `${'  '.repeat(i % 10)}- item ${i}`).join('\n')),
  },
  {
    name: 'ADF → Markdown, lists n deep',
    sizes: [10_000, 20_000, 40_000],
    make: (n) => {
      const doc = docOf(nestedList(n));
      return () => adfToMarkdown(doc);
    },
  },
  {
    name: 'journal, n unclosed [code]',
    sizes: [40_000, 80_000, 160_000],
    make: (n) => () => journalToText('[code]'.repeat(n)),
  },
  {
    name: 'text, n spaces before a word',
    sizes: [25_000, 50_000, 100_000],
    make: (n) => () => normalizeText(`${' '.repeat(n)}word`),
  },
];

/**
 * A full garbage collection before each timed run, so a run does not pay for
 * the garbage of the ones before it (on a shared machine that made one shape's
 * timings vary threefold). `gc` is exposed at run time, so the bench still
 * runs as `npx tsx bench/content-bench.ts`.
 */
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
function collectGarbage(): void {
  gc();
}

/** Milliseconds of the fastest of three runs; a run that throws (a stack overflow) counts as infinitely slow. */
function best(run: () => unknown, runs = 3): number {
  let min = Infinity;
  for (let i = 0; i < runs; i++) {
    collectGarbage();
    const start = process.hrtime.bigint();
    try {
      run();
    } catch (e) {
      console.error(`  threw: ${e instanceof Error ? e.message : String(e)}`);
      return Infinity;
    }
    min = Math.min(min, Number(process.hrtime.bigint() - start) / 1e6);
  }
  return min;
}

const rows = SHAPES.map((shape) => {
  const ms = shape.sizes.map((n) => best(shape.make(n)));
  // A step under 5 ms is mostly noise: it counts as 5 ms, so only real growth shows.
  const growth = ms.slice(1).map((m, i) => (m === Infinity ? Infinity : Math.max(m, 5) / Math.max(ms[i]!, 5)));
  return { name: shape.name, sizes: shape.sizes, ms, growth: Math.max(...growth) };
});
for (const r of rows)
  console.log(
    `${r.name.padEnd(34)} ${r.sizes.map((n, i) => `${n}: ${r.ms[i]!.toFixed(1)} ms`).join('  ')}  ×${r.growth.toFixed(2)}`,
  );

// Throughput on a realistic body of about 1 MB of HTML (the most a remote field holds), measured after the shapes
// have warmed the converters up (the engine converts many bodies in one process): each way must take under 100 ms.
const { perMb, summary } = conversionRate(best);
console.log(summary);

const worstGrowth = Math.max(...rows.map((r) => r.growth));
console.log(JSON.stringify({ worstGrowth: Number(worstGrowth.toFixed(2)), msPerMb: perMb, byShape: rows }));
if (perMb.adfToHtml > 100 || perMb.htmlToAdf > 100) {
  console.error('A rich converter takes more than 100 ms per MB');
  process.exitCode = 1;
}
if (worstGrowth > 3) {
  console.error(`A converter grows faster than linearly: ×${worstGrowth.toFixed(2)} per doubling`);
  process.exitCode = 1;
}
