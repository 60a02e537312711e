/**
 * Makes sure the browser tests have a Chromium to drive, before jest starts
 * (`npm test` runs this first): Debian's `chromium` where it is installed;
 * else, as root with apt, it installs it; else it stops with one sentence
 * saying what to install. The path found is written to
 * test-output/chromium-path, which test/browser reads, so the tests use the
 * browser this script found and never skip silently.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { accessSync, constants, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..');
export const CHROMIUM_PATH_FILE = path.join(ROOT, 'test-output', 'chromium-path');
export const INSTALL_HINT =
  "The browser tests need Chromium: install Debian's package with `sudo apt-get install chromium` (or set CHROMIUM_PATH to a Chromium or Chrome executable) and run `npm test` again.";

const isExecutable = (file: string) => {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const file = path.join(dir, name);
    if (dir && isExecutable(file)) return file;
  }
  return undefined;
}

/** An explicit CHROMIUM_PATH, else Debian's chromium, else one on PATH; undefined when there is none. */
export function findChromium(): string | undefined {
  const explicit = process.env.CHROMIUM_PATH;
  if (explicit) return isExecutable(explicit) ? explicit : undefined;
  for (const candidate of ['/usr/bin/chromium', '/usr/bin/chromium-browser'])
    if (isExecutable(candidate)) return candidate;
  return onPath('chromium') ?? onPath('chromium-browser');
}

/** The path ensure-browser found (or finds now), or an error that says what to install. */
export function chromiumForTests(): string {
  let recorded: string | undefined;
  try {
    recorded = readFileSync(CHROMIUM_PATH_FILE, 'utf8').trim();
  } catch {
    recorded = undefined;
  }
  const found = recorded && isExecutable(recorded) ? recorded : findChromium();
  if (!found) throw new Error(INSTALL_HINT);
  return found;
}

function installWithApt(): boolean {
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot || !onPath('apt-get') || process.env.CHROMIUM_PATH) return false;
  console.log("Chromium is missing: installing Debian's chromium with apt-get (once per machine)…");
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [
    ['update', '-qq'],
    ['install', '-y', '-qq', 'chromium'],
  ]) {
    const r = spawnSync('apt-get', args, { stdio: ['ignore', 'ignore', 'inherit'], env });
    if (r.status !== 0) return false;
  }
  return true;
}

export function ensureBrowser(): string | undefined {
  let found = findChromium();
  if (!found && installWithApt()) found = findChromium();
  if (!found) return undefined;
  mkdirSync(path.dirname(CHROMIUM_PATH_FILE), { recursive: true });
  writeFileSync(CHROMIUM_PATH_FILE, found + '\n');
  return found;
}

if (require.main === module) {
  const found = ensureBrowser();
  if (!found) {
    console.error(INSTALL_HINT);
    process.exit(1);
  }
  let version = '';
  try {
    version = execFileSync(found, ['--version'], {
      encoding: 'utf8',
      timeout: 20_000,
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    version = 'version unknown';
  }
  console.log(`Browser tests use ${found} (${version})`);
}
