import { build } from 'esbuild';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';

/**
 * Forge bundles each app before deploying it; the platform does the same with
 * esbuild so handlers run as plain CommonJS in worker threads. The Forge SDKs
 * stay external: the worker loads the real, unmodified packages from node_modules.
 */
export async function bundleAppEntry(appDir: string, file: string): Promise<string> {
  const candidates = ['.ts', '.tsx', '.js', '.mjs', '.cjs'].map((ext) => path.join(appDir, 'src', file + ext));
  const entry = candidates.find((c) => existsSync(c));
  if (!entry) throw new Error(`Handler file src/${file} not found in ${appDir}`);
  const outDir = path.join(appDir, '.forge-build');
  mkdirSync(outDir, { recursive: true });
  const outfile = path.join(outDir, `${file.replace(/[\\/]/g, '__')}.cjs`);
  const result = await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    packages: 'external',
    sourcemap: 'inline',
    logLevel: 'silent',
    write: false,
  });
  // Several processes (jest workers, soak workers) bundle the same entry at once: writing in place let one
  // load another's half-written file ("Handler export ... is not a function"). A rename is atomic.
  const partial = `${outfile}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  writeFileSync(partial, result.outputFiles[0]!.contents);
  renameSync(partial, outfile);
  return outfile;
}

let bootstrapPath: Promise<string> | undefined;

/** The worker bootstrap, bundled once per process (it is TypeScript in the repo). */
export function workerBootstrap(): Promise<string> {
  bootstrapPath ??= (async () => {
    const source = path.join(__dirname, 'worker', 'bootstrap.ts');
    const hash = createHash('sha1').update(source).update(String(process.pid)).digest('hex').slice(0, 10);
    const outfile = path.join(os.tmpdir(), `forge-sandbox-bootstrap-${hash}.cjs`);
    await build({
      entryPoints: [source],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      logLevel: 'silent',
    });
    return outfile;
  })();
  return bootstrapPath;
}
