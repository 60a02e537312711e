/**
 * The dashboard gadget "Crosswalk: sync health", in Debian's Chromium through the real @forge/bridge, on the host's
 * Jira-like dashboard as people see it: a Jira admin sees the connections of both projects, one failing (red, what
 * is wrong and since when, items waiting and failing) and one syncing; a member who works in one of the two projects
 * sees only that one; a customer who browses neither sees the empty state; the dark theme applies.
 */
import type { Browser, FrameLocator, Page } from 'playwright-core';
import { copyFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { buildUi } from '../../scripts/build-ui';
import { startSandbox, type Sandbox } from '../../sandbox/sandbox';
import { DEMO_CONNECTION_ID } from '../../sandbox/demo/servicenow-connection';
import { OPS_CONNECTION_ID } from '../../sandbox/demo/azure-devops-connection';
import { tokenRefused, writeCondition } from '../support/alert-state';
import {
  eventually,
  expectAccessible,
  expectPageAccessible,
  launchBrowser,
  screenshot,
  SHOTS,
  signIn,
} from './support/browser';

let sandbox: Sandbox;
let browser: Browser;

beforeAll(async () => {
  await buildUi(['gadget']);
  sandbox = await startSandbox({ pair: ['servicenow', 'azure-devops'] });
  browser = await launchBrowser();
  const now = Date.now();
  await writeCondition(sandbox, DEMO_CONNECTION_ID, {
    conditions: [tokenRefused(now - 25 * 60_000, 'ServiceNow refuses the password')],
    itemsFailing: 2,
    itemsWaiting: 6,
    lastSyncAt: now - 40 * 60_000,
  });
  await writeCondition(sandbox, OPS_CONNECTION_ID, { conditions: [], lastSyncAt: now - 3 * 60_000 });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await sandbox?.stop();
});

const gadget = (page: Page): FrameLocator => page.frameLocator('iframe[data-module="crosswalk-sync-health"]');

async function openDashboard(role: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  await signIn(sandbox, page, role);
  await page.getByRole('link', { name: 'Dashboards → Crosswalk' }).click();
  await page.waitForURL(/\/jira\/dashboards\/crosswalk$/);
  return page;
}

const rowsOf = async (page: Page) =>
  (await gadget(page).getByRole('row').allInnerTexts()).slice(1).map((t) => t.replace(/\s+/g, ' ').trim());

describe('the sync health gadget (browser)', () => {
  it('shows a Jira admin each connection of both projects with its condition', async () => {
    const page = await openDashboard('admin');
    await page.getByRole('region', { name: 'Crosswalk: sync health' }).waitFor();
    await gadget(page)
      .getByRole('row', { name: /Operations \(OPS\)/ })
      .waitFor();
    const rows = await rowsOf(page);
    expect(rows).toEqual([
      expect.stringMatching(
        /^Demo service desk \(DEMO\) DEMO ↔ ACME incidents · ServiceNow Failing ServiceNow refuses the password, since \d\d:\d\d 6 2 40 min ago$/,
      ),
      expect.stringMatching(/^Operations \(OPS\) OPS ↔ .* · Azure DevOps Syncing Nothing wrong 0 0 3 min ago$/),
    ]);
    expect(await gadget(page).getByTestId('summary').textContent()).toBe(
      '2 connections in 2 projects you can see; 1 is failing.',
    );
    await expectAccessible(page);
    await expectPageAccessible(page);
    await screenshot(page, 'dashboard-gadget');
    mkdirSync(path.resolve(__dirname, '../../docs/screenshots'), { recursive: true });
    copyFileSync(
      path.join(SHOTS, 'dashboard-gadget.png'),
      path.resolve(__dirname, '../../docs/screenshots/dashboard-gadget.png'),
    );
    await page.close();
  }, 60_000);

  it('shows a member only the project they work in', async () => {
    const page = await openDashboard('member');
    await gadget(page)
      .getByRole('row', { name: /Demo service desk \(DEMO\)/ })
      .waitFor();
    expect(await rowsOf(page)).toEqual([expect.stringMatching(/^Demo service desk \(DEMO\) .* Failing /)]);
    expect(await gadget(page).locator('body').innerText()).not.toMatch(/OPS|Operations|Azure DevOps/);
    await screenshot(page, 'dashboard-gadget-member');
    await page.close();
  }, 60_000);

  it('says so when the viewer can see no connected project, in the dark theme too', async () => {
    const page = await openDashboard('customer');
    await page.goto(`${sandbox.hostUrl}/__host/theme?mode=dark`);
    await page.goto(`${sandbox.hostUrl}/jira/dashboards/crosswalk`);
    const summary = gadget(page).getByTestId('summary');
    await summary.waitFor();
    expect(await summary.textContent()).toBe('No Crosswalk connections in projects you can see.');
    expect(await gadget(page).getByRole('table').count()).toBe(0);
    await eventually(
      async () => (await gadget(page).locator('html').getAttribute('data-color-mode')) === 'dark',
      'the dark theme',
    );
    await expectAccessible(page);
    await screenshot(page, 'dashboard-gadget-empty-dark');
    await page.close();
  }, 60_000);
});
