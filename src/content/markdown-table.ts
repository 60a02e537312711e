/**
 * An ADF table as a GFM table. GFM has one header row and no merged cells:
 * the first row is the header, and a merged cell's text goes in its first
 * cell with the cells it covered left empty (a predictable flattening), which
 * `simplified` reports.
 */
import type { AdfNode } from './adf';

/** The most columns one merged cell is spread over: a larger colspan is not a table a person made. */
const MAX_SPAN = 100;

export function markdownTable(
  table: AdfNode,
  cellText: (cell: AdfNode) => string,
  note: (phrase: string) => void,
): string {
  const rows = (table.content ?? []).filter((r) => r.type === 'tableRow');
  /** Per row, the columns a rowspan from a row above covers. */
  const covered = rows.map(() => new Set<number>());
  const grid: string[][] = [];
  rows.forEach((row, r) => {
    const line: string[] = [];
    let col = 0;
    for (const cell of row.content ?? []) {
      while (covered[r]!.has(col)) line[col++] = '';
      const colspan = span(cell.attrs?.colspan);
      const rowspan = span(cell.attrs?.rowspan);
      if (colspan > 1 || rowspan > 1) note('merged table cells (split; the text is in the first)');
      if (cell.type === 'tableHeader' && r > 0) note('header cells below the first row (kept as cells)');
      if (cell.type !== 'tableHeader' && r === 0) note("a table's first row (kept as its header)");
      line[col] = cellText(cell);
      for (let k = 1; k < colspan; k++) line[col + k] = '';
      for (let down = 1; down < rowspan && r + down < rows.length; down++)
        for (let k = 0; k < colspan; k++) covered[r + down]!.add(col + k);
      col += colspan;
    }
    while (covered[r]!.has(col)) line[col++] = '';
    grid.push(line);
  });
  const width = Math.max(0, ...grid.map((l) => l.length));
  if (width === 0) return '';
  const render = (line: string[]) => `|${Array.from({ length: width }, (_, i) => ` ${line[i] ?? ''} `).join('|')}|`;
  return [render(grid[0]!), `|${' --- |'.repeat(width)}`, ...grid.slice(1).map(render)].join('\n');
}

function span(value: unknown): number {
  return typeof value === 'number' && Number.isInteger(value) && value > 1 ? Math.min(value, MAX_SPAN) : 1;
}
