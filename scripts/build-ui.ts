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
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
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
  const js = [...initial].map((f) => readFileSync(path.resolve(root, f)));
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

/**
 * Builds the pages whose sources changed since their last build, and leaves the others as they are. Tests call this
 * before they open a page: several test files run at once, and one of them rebuilding a page another has open would
 * pull its scripts away mid-load (a test then waits for a page that never draws).
 */
export async function buildUi(pages = pagesWithSource()): Promise<string[]> {
  const stale = pages.filter((page) => !isUpToDate(page));
  if (stale.length) await buildUiWithSizes(stale);
  return pages;
}

/**
 * What a page's build was made from, each input file's size and time of change; kept beside the project, not in the
 * build, so nothing of it is deployed.
 */
const inputsRecord = (page: string) => path.join(root, '.cache', 'build-ui', `${page}.json`);

type InputStamps = Record<string, string>;

const stampOf = (file: string): string | undefined => {
  try {
    const s = statSync(path.join(root, file));
    return `${s.size}:${s.mtimeMs}`;
  } catch {
    return undefined;
  }
};

function isUpToDate(page: string): boolean {
  const recorded = inputsRecord(page);
  if (!existsSync(recorded) || !existsSync(path.join(root, 'static', page, 'build', 'main.js'))) return false;
  const inputs = JSON.parse(readFileSync(recorded, 'utf8')) as InputStamps;
  return Object.entries(inputs).every(([file, stamp]) => stampOf(file) === stamp);
}

/** esbuild's inputs, and the build script itself (it decides the output's shape). */
function inputStamps(metafile: Metafile): InputStamps {
  const files = [...Object.keys(metafile.inputs), path.relative(root, __filename)];
  return Object.fromEntries(files.map((f) => [f, stampOf(f) ?? 'missing']));
}

/**
 * Builds each page into a folder of its own and then puts it in place of the old build, so a page is never served
 * half-written.
 */
export async function buildUiWithSizes(pages = pagesWithSource()): Promise<PageSize[]> {
  const sizes: PageSize[] = [];
  for (const page of pages) {
    const dir = path.join(root, 'static', page);
    const final = path.join(dir, 'build');
    const out = path.join(dir, `.build-${process.pid}`);
    rmSync(out, { recursive: true, force: true });
    mkdirSync(out, { recursive: true });
    const result = await build({
      absWorkingDir: root,
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
    const size = sizesOf(page, out, result.metafile);
    const old = path.join(dir, `.build-old-${process.pid}`);
    if (existsSync(final)) renameSync(final, old);
    renameSync(out, final);
    rmSync(old, { recursive: true, force: true });
    mkdirSync(path.dirname(inputsRecord(page)), { recursive: true });
    writeFileSync(inputsRecord(page), JSON.stringify(inputStamps(result.metafile)));
    sizes.push(size);
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
