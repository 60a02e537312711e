/**
 * The connection wizard as a project lead meets it (issue 18, §1 "seen on the
 * same walk"), in Chromium through the sandbox host: Escape closes an open
 * dropdown and nothing more, and closing with unsaved changes asks first;
 * value-map problems are found as the lead types and named as the page names
 * the row; a choice's options say what they do (Zendesk's closed tickets);
 * Values default to a map when the two sides allow different values, for any
 * field; every control of a mapping row is named by its field; editing a
 * saved connection's URL says its secret must be typed again; the frame
 * shrinks back when the wizard closes; and "Connection saved" covers nothing.
 * axe-core checks each state shown.
 */
import type { Browser, FrameLocator, Page } from 'playwright-core';
import { buildUi } from '../../scripts/build-ui';
import { startSandbox, type Sandbox } from '../../sandbox/sandbox';
import { eventually, expectAccessible, launchBrowser, screenshot } from './support/browser';
import { choose, openSettings, settingsFrame } from './support/settings';

let sandbox: Sandbox;
let browser: Browser;

beforeAll(async () => {
  await buildUi(['settings']);
  sandbox = await startSandbox();
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await sandbox?.stop();
});

const open = (key: string, viewport?: { width: number; height: number }) =>
  openSettings(browser, sandbox, 'project-lead', key, viewport);

/** Opens the wizard on a saved connection, at its "What syncs" step. */
async function editAtWhatSyncs(frame: FrameLocator, connection: string) {
  await frame.getByRole('button', { name: `Show ${connection}` }).click();
  await frame.getByRole('button', { name: 'Edit' }).click();
  await frame.getByRole('button', { name: 'Next' }).click();
  await frame.getByRole('button', { name: 'Next' }).click();
  await frame.getByText('Step 3 of 4: What syncs').waitFor();
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('the connection wizard (browser)', () => {
  it('closes an open dropdown on Escape and keeps the wizard; closing with unsaved changes asks first', async () => {
    const page = await open('DEMO');
    const frame = settingsFrame(page);
    await frame.getByRole('button', { name: 'Add connection' }).click();
    const wizard = frame.getByRole('dialog', { name: 'Add a connection' });
    await wizard.waitFor();

    const system = frame.locator('[id="system"]');
    await system.focus();
    await system.press('ArrowDown');
    await frame.getByRole('option').first().waitFor();
    await system.press('Escape');
    await frame.getByRole('option').first().waitFor({ state: 'detached' });
    await sleep(500);
    expect(await wizard.count()).toBe(1);

    // Nothing typed yet: Cancel closes at once.
    await frame.getByRole('button', { name: 'Cancel' }).click();
    await wizard.waitFor({ state: 'detached' });

    await frame.getByRole('button', { name: 'Add connection' }).click();
    await wizard.waitFor();
    await frame.locator('#name').fill('Facilities requests');
    // Escape outside a dropdown asks before throwing the draft away; keeping on keeps it.
    await frame.locator('#name').press('Escape');
    const confirm = frame.getByRole('dialog', { name: 'Discard your changes?' });
    await confirm.waitFor();
    await expectAccessible(page);
    await screenshot(page, 'wizard-confirm-close');
    await confirm.getByRole('button', { name: 'Keep editing' }).click();
    await confirm.waitFor({ state: 'detached' });
    expect(await frame.locator('#name').inputValue()).toBe('Facilities requests');
    // Cancel asks too; discarding closes the wizard.
    await frame.getByRole('button', { name: 'Cancel' }).click();
    await confirm.getByRole('button', { name: 'Discard changes' }).click();
    await wizard.waitFor({ state: 'detached' });
    await page.close();
  }, 90_000);

  it("never goes back silently: a save the server refuses lists why, in the page's words, at the top of the step", async () => {
    const page = await open('DEMO');
    const frame = settingsFrame(page);
    await frame.getByRole('button', { name: 'Add connection' }).click();
    await choose(frame, 'system', 'Zendesk');
    await frame.locator('#name').fill('Tickets without a sign-in address');
    await frame.getByRole('button', { name: 'Next' }).click();
    await frame.locator('[id="remote.baseUrl"]').fill(sandbox.sims.zendesk.instanceUrl);
    await frame.locator('[id="credential.token"]').fill(sandbox.sims.zendesk.credentials.apiToken);
    await frame.getByRole('button', { name: 'Next' }).click();
    await frame.getByRole('button', { name: 'Save connection' }).press('Enter');
    // Back on the step that shows the problem, which says what and where: the sign-in's email, not `remote.auth`.
    await frame.getByText('Step 2 of 4: Instance and sign-in').waitFor();
    const summary = frame.getByTestId('problem-summary');
    await summary.waitFor();
    expect(await summary.textContent()).toBe('Email of the integration user: is required');
    expect(await frame.getByRole('heading', { name: 'The connection was not saved' }).count()).toBe(1);
    await frame.locator('[id="remote.auth.email-error"]').waitFor();
    await expectAccessible(page);
    await screenshot(page, 'wizard-not-saved');
    await frame.getByRole('button', { name: 'Cancel' }).click();
    await frame.getByRole('button', { name: 'Discard changes' }).click();
    await frame.getByRole('dialog').waitFor({ state: 'detached' });
    await page.close();
  }, 90_000);

  it('finds a value mapped twice as the lead types, and names the row as the page does, never by its path', async () => {
    const page = await open('DEMO');
    const frame = settingsFrame(page);
    await editAtWhatSyncs(frame, 'DEMO ↔ ACME incidents');
    const priority = frame.getByTestId('value-map-priority');
    await priority.waitFor();
    // Medium → urgency 1, as High already is: found at once, before any preview or save.
    await choose(frame, 'fields.3.valueMap.1.remote', '1 - High (1)');
    const live = frame.getByTestId('value-map-problems-3');
    await live.waitFor();
    expect(await live.textContent()).toBe(
      'Jira field 4 (Priority), value map: urgency 1 is mapped from High and Medium: choose which one it maps back to',
    );
    await expectAccessible(page);
    await screenshot(page, 'wizard-value-map-problem');

    // The server finds it too when the preview is asked for: listed at the top of the step in the page's words.
    await frame.getByRole('button', { name: 'Preview', exact: true }).press('Enter');
    const summary = frame.getByTestId('problem-summary');
    await summary.waitFor();
    expect(await summary.textContent()).toContain(
      'Jira field 4 (Priority), value map: urgency 1 is mapped from High and Medium: choose which one it maps back to',
    );
    await frame.getByText('Step 3 of 4: What syncs').waitFor();
    const html = await Promise.all(page.frames().map((f) => f.content()));
    expect(html.join('')).not.toMatch(/fields\.\d+\.valueMap:/);
    await expectAccessible(page);
    await screenshot(page, 'wizard-problem-summary');
    await frame.getByRole('button', { name: 'Cancel' }).press('Enter');
    await frame.getByRole('button', { name: 'Discard changes' }).press('Enter');
    await frame.getByRole('dialog').waitFor({ state: 'detached' });
    await page.close();
  }, 90_000);

  it('names every control of a mapping row by its field, and maps values by default where the two sides differ', async () => {
    const page = await open('DEMO');
    const frame = settingsFrame(page);
    await editAtWhatSyncs(frame, 'DEMO ↔ ACME incidents');
    await frame.getByTestId('value-map-priority').waitFor();
    const snapshot = await frame.getByRole('dialog').ariaSnapshot();
    const names = [...snapshot.matchAll(/- (?:combobox|textbox|button) "([^"]+)"/g)].map((m) => m[1]!);
    const repeated = names.filter((n, i) => names.indexOf(n) !== i);
    expect(repeated).toEqual([]);
    expect(names).toEqual(
      expect.arrayContaining([
        'Direction of Jira field 4 (Priority)',
        'Values of Jira field 4 (Priority)',
        'When both changed, for Jira field 4 (Priority)',
        'ServiceNow value 1 of Jira field 4 (Priority)',
        'ServiceNow value 1 of Jira field 3 (Status)',
      ]),
    );

    // A new pair: a Jira text field takes any value and ServiceNow's category a list, so the values are mapped. (Labels,
    // a list, cannot pair with one option at all: field-kinds.ts, and the remote field is not offered.)
    await frame.getByRole('button', { name: 'Add a field' }).press('Enter');
    await choose(frame, 'fields.4.jira', 'Customer reference (customfield_10010)');
    const values = frame.getByTestId('mapping-4');
    expect(await values.textContent()).toContain('As is');
    await choose(frame, 'fields.4.remote', 'Category (category)');
    await eventually(async () => (await values.textContent())?.includes('Map values'), 'Values to become a map');
    await expectAccessible(page);
    await screenshot(page, 'wizard-values-default');
    await frame.getByRole('button', { name: 'Cancel' }).press('Enter');
    await frame.getByRole('button', { name: 'Discard changes' }).press('Enter');
    await frame.getByRole('dialog').waitFor({ state: 'detached' });

    // A new connection, whose remote values are not read yet: Priority gets a map as Status does, Labels does not.
    await frame.getByRole('button', { name: 'Add connection' }).click();
    await frame.locator('#name').fill('Values by default');
    await frame.getByRole('button', { name: 'Next' }).click();
    await frame.getByRole('button', { name: 'Next' }).click();
    for (const [i, field, expected] of [
      [2, 'Priority (priority)', 'Map values'],
      [3, 'Labels (labels)', 'As is'],
    ] as const) {
      await frame.getByRole('button', { name: 'Add a field' }).press('Enter');
      await choose(frame, `fields.${i}.jira`, field);
      expect(await frame.getByTestId(`mapping-${i}`).textContent()).toContain(expected);
    }
    await frame.getByRole('button', { name: 'Cancel' }).press('Enter');
    await frame.getByRole('button', { name: 'Discard changes' }).press('Enter');
    await page.close();
  }, 90_000);

  it("explains each of a choice's options, and says a saved secret must be typed again when the URL changes", async () => {
    const page = await open('SUP');
    const frame = settingsFrame(page);
    await frame.getByRole('button', { name: 'Show SUP ↔ ACME Zendesk tickets' }).click();
    await frame.getByRole('button', { name: 'Edit' }).click();
    await frame.getByRole('button', { name: 'Next' }).click();
    const closed = frame.getByTestId('remote.closedTickets-explained');
    await closed.waitFor();
    expect(await closed.textContent()).toMatch(/Continue in a follow-up ticket: .+ Report it on the issue: .+/);
    // The chosen option shows by its name, not its stored value.
    await frame.getByText('Continue in a follow-up ticket', { exact: true }).waitFor();

    expect(await frame.getByTestId('secret-retype').count()).toBe(0);
    await frame.getByText('A value is stored and never shown').waitFor();
    await frame.locator('[id="remote.baseUrl"]').fill('https://other.zendesk.com');
    const retype = frame.getByTestId('secret-retype');
    await retype.waitFor();
    expect(await retype.textContent()).toContain('API token');
    await frame.getByText('API token (required)', { exact: true }).waitFor();
    await expectAccessible(page);
    await screenshot(page, 'wizard-secret-retype');
    await frame.locator('[id="remote.baseUrl"]').fill('https://acme.zendesk.com');
    await retype.waitFor({ state: 'detached' });
    await frame.getByRole('button', { name: 'Cancel' }).click();
    await frame.getByRole('dialog').waitFor({ state: 'detached' });
    await page.close();
  }, 90_000);

  it('gives the frame its height back when the wizard closes', async () => {
    const page = await open('DEMO');
    const frame = settingsFrame(page);
    const height = async () => (await page.locator('iframe[data-module="crosswalk-settings"]').boundingBox())!.height;
    await frame.getByRole('button', { name: 'Show DEMO ↔ ACME incidents' }).waitFor();
    const before = await eventually(async () => {
      const a = await height();
      await sleep(500);
      return a === (await height()) ? a : undefined;
    }, 'the page to settle');
    await editAtWhatSyncs(frame, 'DEMO ↔ ACME incidents');
    await frame.getByTestId('value-map-priority').waitFor();
    const grown = await eventually(
      async () => ((await height()) > before + 500 ? height() : undefined),
      'a taller frame',
    );
    await frame.getByRole('button', { name: 'Cancel' }).press('Enter');
    await frame.getByRole('dialog').waitFor({ state: 'detached' });
    await eventually(async () => (await height()) <= before + 40, `the frame to shrink from ${grown}px to ${before}px`);
    await page.close();
  }, 90_000);

  it('says "Connection saved" in the page, covering nothing: Sync existing issues stays in reach', async () => {
    const page: Page = await open('DEMO', { width: 1280, height: 800 });
    const frame = settingsFrame(page);
    await frame.getByRole('button', { name: 'Show DEMO ↔ ACME incidents' }).click();
    await frame.getByRole('button', { name: 'Edit' }).click();
    await frame.getByRole('button', { name: 'Next' }).press('Enter');
    await frame.getByRole('button', { name: 'Next' }).press('Enter');
    await frame.getByRole('button', { name: 'Save connection' }).press('Enter');
    await frame.getByRole('dialog').waitFor({ state: 'detached' });
    // Scrolled down just far enough to see the next thing to do, as a person would: it sits at the window's foot.
    const sync = frame.getByRole('button', { name: 'Sync existing issues' });
    const at = (await sync.boundingBox())!;
    await page.evaluate((bottom) => window.scrollBy(0, bottom - window.innerHeight + 24), at.y + at.height);
    const box = (await sync.boundingBox())!;
    expect(box.y + box.height).toBeLessThanOrEqual(800);
    const flags = await page.locator('#flags > *').all();
    for (const flag of flags) {
      const f = await flag.boundingBox();
      if (!f) continue;
      const overlaps =
        f.x < box.x + box.width && box.x < f.x + f.width && f.y < box.y + box.height && box.y < f.y + f.height;
      expect(overlaps).toBe(false);
    }
    await frame.getByTestId('connection-saved').getByRole('status').waitFor();
    expect(await frame.getByTestId('connection-saved').textContent()).toContain('Sync existing issues');
    await expectAccessible(page);
    await screenshot(page, 'settings-connection-saved');
    await page.close();
  }, 90_000);
});
