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
import { htmlToText, journalToText } from '../src/content/html-to-text';
import { textToAdf } from '../src/content/text-to-adf';

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

/** Milliseconds of the fastest of three runs; a run that throws (a stack overflow) counts as infinitely slow. */
function best(run: () => unknown): number {
  let min = Infinity;
  for (let i = 0; i < 3; i++) {
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
const worstGrowth = Math.max(...rows.map((r) => r.growth));
console.log(JSON.stringify({ worstGrowth: Number(worstGrowth.toFixed(2)), byShape: rows }));
if (worstGrowth > 3) {
  console.error(`A converter grows faster than linearly: ×${worstGrowth.toFixed(2)} per doubling`);
  process.exitCode = 1;
}
