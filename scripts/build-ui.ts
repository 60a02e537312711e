/**
 * Builds each Custom UI resource (static/<page>/src/index.tsx) into
 * static/<page>/build, the folder manifest.yml points at. Scripts and styles
 * are files, not inline, because Forge's CSP forbids inline code.
 */
import { build } from 'esbuild';
import { copyFileSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(__dirname, '..');

export async function buildUi(pages = readdirSync(path.join(root, 'static')).filter((p) => existsSync(path.join(root, 'static', p, 'src', 'index.tsx')))): Promise<string[]> {
  for (const page of pages) {
    const dir = path.join(root, 'static', page);
    const out = path.join(dir, 'build');
    mkdirSync(out, { recursive: true });
    await build({
      entryPoints: [path.join(dir, 'src', 'index.tsx')],
      outfile: path.join(out, 'main.js'),
      bundle: true,
      minify: true,
      format: 'iife',
      target: 'es2020',
      jsx: 'automatic',
      define: { 'process.env.NODE_ENV': '"production"' },
      loader: { '.svg': 'file' },
      logLevel: 'warning',
    });
    writeFileSync(
      path.join(out, 'index.html'),
      `<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<meta name="viewport" content="width=device-width, initial-scale=1">\n<title>Crosswalk</title>\n<link rel="stylesheet" href="main.css">\n</head>\n<body>\n<div id="root"></div>\n<script src="main.js"></script>\n</body>\n</html>\n`,
    );
    const assets = path.join(root, 'static', 'shared', 'assets');
    if (existsSync(assets)) for (const f of readdirSync(assets)) copyFileSync(path.join(assets, f), path.join(out, f));
  }
  return pages;
}

if (require.main === module) {
  buildUi().then((pages) => console.log(`Built Custom UI: ${pages.join(', ')}`), (err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
