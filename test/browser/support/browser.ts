/**
 * What every browser test shares: Debian's Chromium through playwright-core, at
 * the path scripts/ensure-browser.ts found (a missing browser fails the test
 * with what to install, never skips it), signing in on the host page, and
 * screenshots under test-output/screenshots.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Frame, type Page } from 'playwright-core';
import { chromiumForTests } from '../../../scripts/ensure-browser';
import type { Sandbox } from '../../../sandbox/sandbox';

export const SHOTS = path.resolve(__dirname, '../../../test-output/screenshots');
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export async function launchBrowser(): Promise<Browser> {
  mkdirSync(SHOTS, { recursive: true });
  return chromium.launch({ executablePath: chromiumForTests(), args: CHROMIUM_ARGS });
}

export async function signIn(sandbox: Sandbox, page: Page, role: string): Promise<void> {
  const user = sandbox.users.find((u) => u.role === role);
  if (!user) throw new Error(`No sandbox user with role ${role}`);
  await page.goto(`${sandbox.hostUrl}/`);
  await page.selectOption('#user-switcher', user.accountId);
  await Promise.all([page.waitForNavigation(), page.click('header button[type=submit]')]);
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

let axeSource: string | undefined;

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

/**
 * Runs axe-core inside each Custom UI frame of the page (its source evaluated
 * in the frame, as the frame's CSP allows only its own files) and answers the
 * serious and critical violations.
 */
export async function accessibilityViolations(page: Page): Promise<AxeViolation[]> {
  const frames = page.frames().filter((f) => f.url().includes('/__app/'));
  if (!frames.length) throw new Error('No Crosswalk frame on the page to check');
  return violationsIn(frames);
}

/**
 * The page's own document, its frames left out (axe's `iframes: false`): the
 * Jira-like host page and the simulators' web views, which people see too.
 */
export async function pageViolations(page: Page): Promise<AxeViolation[]> {
  return violationsIn([page.mainFrame()]);
}

async function violationsIn(frames: Frame[]): Promise<AxeViolation[]> {
  axeSource ??= readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  const found: AxeViolation[] = [];
  for (const frame of frames) {
    await frame.evaluate(axeSource);
    const violations = await frame.evaluate(async () => {
      // Colours are judged as people see them at rest: a dialog fading in has, for a moment, too little contrast.
      for (
        let waited = 0;
        waited < 3000 && document.getAnimations().some((a) => a.playState === 'running');
        waited += 50
      )
        await new Promise((r) => setTimeout(r, 50));
      const axe = (
        globalThis as unknown as {
          axe: {
            run(
              ctx: unknown,
              opts: unknown,
            ): Promise<{
              violations: Array<{
                id: string;
                impact: string | null;
                help: string;
                nodes: Array<{ target: unknown[] }>;
              }>;
            }>;
          };
        }
      ).axe;
      const r = await axe.run(document, { resultTypes: ['violations'], iframes: false });
      return r.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        nodes: v.nodes.map((n) => JSON.stringify(n.target)),
      }));
    });
    found.push(...violations.filter((v) => v.impact === 'serious' || v.impact === 'critical'));
  }
  return found;
}

/** Fails with what axe found, so a report names the rule and the elements. */
function report(violations: AxeViolation[]): void {
  if (violations.length)
    throw new Error(
      `Accessibility violations:\n${violations.map((v) => `- ${v.id} (${v.impact}): ${v.help} at ${v.nodes.join(', ')}`).join('\n')}`,
    );
}

/** Checks every Crosswalk frame on the page. */
export async function expectAccessible(page: Page): Promise<void> {
  report(await accessibilityViolations(page));
}

/** Checks the page's own document (a host page or a simulator's web view), without its frames. */
export async function expectPageAccessible(page: Page): Promise<void> {
  report(await pageViolations(page));
}

/** Polls until `check` holds (the frames load and sync asynchronously). */
export async function eventually<T>(
  check: () => Promise<T | undefined | false>,
  what: string,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check().catch(() => undefined);
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
