/**
 * Builds each Custom UI resource (static/<page>/src/index.tsx) into
 * static/<page>/build, the folder manifest.yml points at. Scripts and styles
 * are files, not inline, because Forge's CSP forbids inline code.
 *
 * ES modules with code splitting: what Atlaskit loads only on demand (the
 * theme files `setGlobalTheme` can import) stays in chunks the page never
 * fetches, so the first load is the page's own code. `npm run build:ui`
 * prints each page's size, raw and gzipped.
 */
import { build, type Metafile } from 'esbuild';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

const root = path.resolve(__dirname, '..');

export interface PageSize {
  page: string;
  /** What the browser loads first: the entry script, the chunks it imports statically, and the stylesheet. */
  initial: { js: number; css: number; gzip: number };
  /** Chunks loaded only if the page asks for them (dynamic imports). */
  lazy: { bytes: number; files: number };
}

const pagesWithSource = () =>
  readdirSync(path.join(root, 'static')).filter((p) => existsSync(path.join(root, 'static', p, 'src', 'index.tsx')));

function sizesOf(page: string, out: string, metafile: Metafile): PageSize {
  const outputs = metafile.outputs;
  const entry = Object.keys(outputs).find((f) => f.endsWith('/main.js'))!;
  const initial = new Set<string>();
  const visit = (f: string) => {
    if (initial.has(f) || !outputs[f]) return;
    initial.add(f);
    for (const i of outputs[f]!.imports) if (i.kind === 'import-statement') visit(i.path);
  };
  visit(entry);
  const css = existsSync(path.join(out, 'main.css')) ? readFileSync(path.join(out, 'main.css')) : Buffer.alloc(0);
  const js = [...initial].map((f) => readFileSync(f));
  const lazy = Object.keys(outputs).filter((f) => f.endsWith('.js') && !initial.has(f));
  return {
    page,
    initial: {
      js: js.reduce((n, b) => n + b.length, 0),
      css: css.length,
      gzip: [...js, css].reduce((n, b) => n + gzipSync(b).length, 0),
    },
    lazy: { bytes: lazy.reduce((n, f) => n + outputs[f]!.bytes, 0), files: lazy.length },
  };
}

export async function buildUi(pages = pagesWithSource()): Promise<string[]> {
  await buildUiWithSizes(pages);
  return pages;
}

export async function buildUiWithSizes(pages = pagesWithSource()): Promise<PageSize[]> {
  const sizes: PageSize[] = [];
  for (const page of pages) {
    const dir = path.join(root, 'static', page);
    const out = path.join(dir, 'build');
    rmSync(out, { recursive: true, force: true });
    mkdirSync(out, { recursive: true });
    const result = await build({
      entryPoints: { main: path.join(dir, 'src', 'index.tsx') },
      outdir: out,
      chunkNames: 'chunks/[name]-[hash]',
      assetNames: 'assets/[name]-[hash]',
      bundle: true,
      splitting: true,
      minify: true,
      format: 'esm',
      target: 'es2020',
      jsx: 'automatic',
      define: { 'process.env.NODE_ENV': '"production"' },
      loader: { '.svg': 'file' },
      metafile: true,
      legalComments: 'none',
      logLevel: 'error',
    });
    writeFileSync(
      path.join(out, 'index.html'),
      `<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<meta name="viewport" content="width=device-width, initial-scale=1">\n<title>Crosswalk</title>\n${existsSync(path.join(out, 'main.css')) ? '<link rel="stylesheet" href="main.css">\n' : ''}</head>\n<body>\n<div id="root"></div>\n<script type="module" src="main.js"></script>\n</body>\n</html>\n`,
    );
    const assets = path.join(root, 'static', 'shared', 'assets');
    if (existsSync(assets)) for (const f of readdirSync(assets)) copyFileSync(path.join(assets, f), path.join(out, f));
    sizes.push(sizesOf(page, out, result.metafile));
  }
  return sizes;
}

const kb = (n: number) => `${(n / 1024).toFixed(0)} kB`;

if (require.main === module) {
  buildUiWithSizes().then(
    (sizes) => {
      console.log('Built Custom UI (first load: JS + CSS, gzipped; lazy chunks are fetched only on demand):');
      for (const s of sizes)
        console.log(
          `  ${s.page.padEnd(12)} ${kb(s.initial.js)} JS + ${kb(s.initial.css)} CSS = ${kb(s.initial.gzip)} gzipped; lazy ${kb(s.lazy.bytes)} in ${s.lazy.files} chunks`,
        );
    },
    (err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    },
  );
}
