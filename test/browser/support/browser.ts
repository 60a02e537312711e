/**
 * What every browser test shares: Debian's Chromium through playwright-core, at
 * the path scripts/ensure-browser.ts found (a missing browser fails the test
 * with what to install, never skips it), signing in on the host page, and
 * screenshots under test-output/screenshots.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { chromiumForTests } from '../../../scripts/ensure-browser';
import type { Sandbox } from '../../../sandbox/sandbox';

export const SHOTS = path.resolve(__dirname, '../../../test-output/screenshots');
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

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
