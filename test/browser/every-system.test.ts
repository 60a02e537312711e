/**
 * The issue panel and the settings page for every registered system
 * (src/connectors/registry.ts), each through its connection as the demo seeds
 * it (sandbox/demo), in Debian's Chromium through the real @forge/bridge:
 *  - the issue panel, as a member of the connection's project: a new issue
 *    shows its linked item and the timeline of its create; Sync now is
 *    accepted; Unlink asks first; the issue links again to its item found by
 *    the item's key; an older issue, never synced, makes its item on request;
 *  - the settings page, as a Jira admin: the connection's row, Test
 *    connection (signed in, and every check the sync needs allowed), Pause and
 *    Resume, Sync existing issues to the end, and Delete after a confirmation.
 * The systems run side by side, each in its own browser context, on the one
 * sandbox this file starts (one per jest worker), so a new system costs no
 * more wall time than the slowest one. Every state shown passes axe.
 */
import type { Browser, BrowserContext, FrameLocator, Page } from 'playwright-core';
import { buildUi } from '../../scripts/build-ui';
import { startSandbox, type Sandbox } from '../../sandbox/sandbox';
import type { HostUser } from '../../sandbox/host/server';
import { implementedSystems, type SystemDefinition } from '../../src/connectors/registry';
import { eventually, expectAccessible, launchBrowser, screenshot, signIn } from './support/browser';
import {
  createIssue as createIn,
  literal,
  seededFor as seededIn,
  seededSystems,
  type Seeded,
} from './support/every-system';

let sandbox: Sandbox;
let browser: Browser;

let seeded = new Map<string, Seeded>();
/** An issue of each paired project that was never synced, by system kind. */
const older = new Map<string, string>();

beforeAll(async () => {
  await buildUi(['issue-panel', 'settings']);
  // No sweep on the clock: an issue Crosswalk heard nothing of stays unsynced until someone asks (the sweep has its own tests).
  sandbox = await startSandbox({ scheduleTriggers: false });
  browser = await launchBrowser();
  seeded = await seededSystems(sandbox);
  // An older issue in each paired project, made while Crosswalk heard nothing of it (its event lost, as events sometimes are).
  sandbox.platform.holdProductEvents();
  for (const [kind, s] of seeded) older.set(kind, await createIssue(s, `Older issue of ${s.project.key}`));
  sandbox.platform.discardHeldProductEvents();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await sandbox?.stop();
});

const SYSTEMS = implementedSystems().map((s) => [s.label, s] as const);

const seededFor = (system: SystemDefinition): Seeded => seededIn(seeded, system);

async function openAs(context: BrowserContext, user: HostUser, path: string): Promise<Page> {
  const page = await context.newPage();
  await signIn(sandbox, page, user.role);
  await page.goto(`${sandbox.hostUrl}${path}`);
  return page;
}

const panel = (page: Page): FrameLocator => page.frameLocator('iframe[data-module="crosswalk-panel"]');
const settings = (page: Page): FrameLocator => page.frameLocator('iframe[data-module="crosswalk-settings"]');

/** Reloads until the panel shows `testId` (the sync runs in the background). */
async function waitInPanel(page: Page, testId: string): Promise<void> {
  await eventually(
    async () => {
      const shown = await panel(page)
        .getByTestId(testId)
        .waitFor({ timeout: 2000 })
        .then(
          () => true,
          () => false,
        );
      if (!shown) await page.reload();
      return shown;
    },
    `the panel to show ${testId}`,
    60_000,
  );
}

/** The remote item's key, as the panel's link to it names it. */
async function linkedKey(page: Page): Promise<string> {
  return ((await panel(page).getByTestId('linked').getByRole('link').textContent()) ?? '').trim();
}

const createIssue = (s: Seeded, summary: string): Promise<string> => createIn(sandbox, s, summary);

describe('the issue panel, for every registered system (browser)', () => {
  it.concurrent.each(SYSTEMS)(
    '%s: a new issue shows its linked item and timeline, syncs on request, unlinks after a confirmation and links again by its key; an older issue makes its item on request',
    async (_label, system) => {
      const s = seededFor(system);
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      try {
        const key = await createIssue(s, `Panel check for ${system.label}`);
        const page = await openAs(context, s.member, `/browse/${key}`);
        await waitInPanel(page, 'linked');
        const item = await linkedKey(page);
        expect(item).not.toBe('');
        // The create is the first step of the timeline: made in the remote, from Jira.
        const created = panel(page).getByTestId('timeline-step').first();
        await created.waitFor();
        expect(await created.textContent()).toContain(`Created in ${system.label}`);
        await expectAccessible(page);
        await screenshot(page, `panel-${system.kind}-linked`);

        await panel(page).getByRole('button', { name: 'Sync now' }).click();
        await page.locator('#flags').getByText('Sync requested').waitFor();

        await panel(page).getByRole('button', { name: 'Unlink' }).click();
        const dialog = panel(page).getByTestId('confirm-unlink');
        await dialog.waitFor();
        await expectAccessible(page);
        await screenshot(page, `panel-${system.kind}-confirm-unlink`);
        await dialog.getByRole('button', { name: 'Unlink' }).click();
        await panel(page).getByTestId('not-linked').waitFor();
        await expectAccessible(page);

        // Linked again to its item, found by the item's key.
        await panel(page).locator('#remoteSearch').fill(item);
        await panel(page).getByRole('button', { name: 'Search' }).click();
        await panel(page).getByTestId('search-results').waitFor();
        await expectAccessible(page);
        await screenshot(page, `panel-${system.kind}-search`);
        await panel(page)
          .getByRole('button', { name: `Link to ${item}` })
          .click();
        await waitInPanel(page, 'linked');
        expect(await linkedKey(page)).toBe(item);
        await expectAccessible(page);

        // The older issue was never synced: a member makes its item on request.
        await page.goto(`${sandbox.hostUrl}/browse/${older.get(system.kind)}`);
        await panel(page).getByTestId('not-linked').waitFor();
        await expectAccessible(page);
        await screenshot(page, `panel-${system.kind}-not-linked`);
        await panel(page)
          .getByRole('button', { name: `Create in ${system.label}` })
          .click();
        await waitInPanel(page, 'linked');
        expect(await linkedKey(page)).not.toBe(item);
        await panel(page)
          .getByTestId('timeline-step')
          .first()
          .getByText(/Queued by Create/)
          .waitFor();
        await expectAccessible(page);
      } finally {
        await context.close();
      }
    },
    240_000,
  );
});

describe('the settings page, for every registered system (browser)', () => {
  it.concurrent.each(SYSTEMS)(
    '%s: the connection as the demo seeds it is listed, tested, paused and resumed, syncs its existing issues, and is deleted only after a confirmation',
    async (_label, system) => {
      const s = seededFor(system);
      const context = await browser.newContext({ viewport: { width: 1280, height: 1800 } });
      try {
        const page = await openAs(context, s.admin, `/projects/${s.project.key}/settings/crosswalk`);
        const frame = settings(page);
        const row = frame.getByRole('row', { name: new RegExp(literal(s.connection.name)) });
        await row.waitFor();
        expect(await row.textContent()).toContain(system.label);
        await frame.getByRole('button', { name: `Show ${s.connection.name}` }).click();
        await frame.getByTestId('connection-detail').waitFor();
        // At rest: the pointer off the selected Show button (its hover colour is Atlaskit's, judged with the pointer away).
        await page.mouse.move(0, 0);
        await expectAccessible(page);
        await screenshot(page, `settings-${system.kind}`);

        // Signed in, and every check of what the sync needs is allowed for the demo's integration user.
        await frame.getByRole('button', { name: 'Test connection' }).click();
        await frame.getByTestId('test-result').waitFor();
        expect(await frame.getByTestId('test-result').textContent()).toContain(`https://${s.connection.host}`);
        const checks = frame.getByTestId('access-checks');
        await checks.waitFor();
        expect(await checks.getByText('Missing').count()).toBe(0);
        expect(await checks.getByRole('listitem').count()).toBeGreaterThan(0);
        await expectAccessible(page);
        await screenshot(page, `settings-${system.kind}-test-connection`);

        await frame.getByRole('button', { name: 'Pause' }).click();
        await frame.getByRole('button', { name: 'Resume' }).waitFor();
        await frame.getByRole('row', { name: new RegExp(`${literal(s.connection.name)}.*Paused`) }).waitFor();
        await page.mouse.move(0, 0);
        await expectAccessible(page);
        await screenshot(page, `settings-${system.kind}-paused`);
        await frame.getByRole('button', { name: 'Resume' }).click();
        await frame.getByRole('button', { name: 'Pause' }).waitFor();

        await frame.getByRole('button', { name: 'Sync existing issues' }).click();
        await frame.getByRole('progressbar', { name: 'Bulk sync progress' }).waitFor();
        const text = await eventually(
          async () => {
            const t = (await frame.getByTestId('bulk-progress').textContent()) ?? '';
            const m = /(\d+) of (\d+) done/.exec(t);
            return m && m[1] === m[2] && !/in progress/.test(t) ? t : undefined;
          },
          `the bulk sync of ${s.project.key} to finish`,
          90_000,
        );
        expect(text).toMatch(/([1-9]\d*) of \1 done/);
        await expectAccessible(page);
        await screenshot(page, `settings-${system.kind}-bulk-sync`);

        await frame.getByRole('button', { name: 'Delete', exact: true }).click();
        const dialog = frame.getByTestId('confirm-delete');
        await dialog.getByText('Linked issues and remote items stay as they are').waitFor();
        await expectAccessible(page);
        await screenshot(page, `settings-${system.kind}-confirm-delete`);
        await dialog.getByRole('button', { name: 'Delete connection' }).click();
        await row.waitFor({ state: 'detached' });
        await expectAccessible(page);
      } finally {
        await context.close();
      }
    },
    240_000,
  );
});
