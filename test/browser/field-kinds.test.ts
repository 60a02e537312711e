/**
 * The mapping editor offers only pairs whose values can cross, in Debian's Chromium through the real
 * @forge/bridge: OPS's admin adds Jira's Due date to the Azure DevOps connection, and the Azure DevOps fields
 * offered for it are the dates and date-times (and text), never a number or a person; the page says how many it
 * left out and why. Saving pairs it with the work item's Due Date, typed from both sides' metadata. axe-core
 * checks the step shown.
 */
import type { Browser } from 'playwright-core';
import { buildUi } from '../../scripts/build-ui';
import { startSandbox, type Sandbox } from '../../sandbox/sandbox';
import { expectAccessible, launchBrowser, screenshot } from './support/browser';
import { choose, openSettings, saveAndRead, settingsFrame } from './support/settings';

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

/** The wizard's fields step of a project's first connection, as its admin opens it (the remote's fields read). */
async function fieldsStep(projectKey: string, connection: string) {
  const page = await openSettings(browser, sandbox, 'admin', projectKey);
  const frame = settingsFrame(page);
  await frame.getByRole('button', { name: `Show ${connection}` }).click();
  await frame.getByRole('button', { name: 'Edit' }).click();
  await frame.getByRole('button', { name: 'Next' }).click();
  await frame.getByRole('button', { name: 'Next' }).click();
  await frame.getByTestId('remote-fields-read').waitFor();
  return { page, frame };
}

const DEMO = { id: '10000', key: 'DEMO' };
const OPS = { id: '10001', key: 'OPS' };

describe('the mapping editor (browser)', () => {
  it('offers for a Jira date only the remote fields that can hold one, and saves the pair typed', async () => {
    const { page, frame } = await fieldsStep('OPS', 'OPS ↔ acme/Operations bugs');
    const rows = await frame.locator('[data-testid^="mapping-"]').count();
    await frame.getByRole('button', { name: 'Add a field' }).press('Enter');
    await choose(frame, `fields.${rows}.jira`, 'Due date (duedate)');

    const remote = frame.locator(`[id="fields.${rows}.remote"]`);
    await remote.focus();
    await remote.press('ArrowDown');
    const offered = await frame.getByRole('option').allInnerTexts();
    expect(offered).toEqual(expect.arrayContaining(['Due Date (Microsoft.VSTS.Scheduling.DueDate)']));
    expect(offered.some((o) => o.startsWith('Affected Users'))).toBe(false);
    expect(offered.some((o) => o.startsWith('Assigned To'))).toBe(false);
    await frame.getByText(/Azure DevOps fields not offered: they cannot hold a date\./).waitFor();
    await screenshot(page, 'mapping-offers-compatible-pairs');
    await remote.press('Escape');

    await choose(frame, `fields.${rows}.remote`, 'Due Date (Microsoft.VSTS.Scheduling.DueDate)');
    await choose(frame, 'timeZone', 'Europe/Berlin');
    await expectAccessible(page);
    await screenshot(page, 'mapping-date-pair-and-time-zone');
    const config = await saveAndRead(sandbox, page, OPS);
    expect(config.timeZone).toBe('Europe/Berlin');
    expect(config.fields).toContainEqual(
      expect.objectContaining({
        jira: 'duedate',
        remote: 'Microsoft.VSTS.Scheduling.DueDate',
        kinds: { jira: 'date', remote: 'date-time' },
      }),
    );
  }, 90_000);

  it("pairs a ServiceNow HTML column as rich text, which the server types as HTML from the instance's dictionary", async () => {
    const { page, frame } = await fieldsStep('DEMO', 'DEMO ↔ ACME incidents');
    const rows = await frame.locator('[data-testid^="mapping-"]').count();
    await frame.getByRole('button', { name: 'Add a field' }).press('Enter');
    await choose(frame, `fields.${rows}.jira`, 'Steps to reproduce (customfield_10011)');
    await choose(frame, `fields.${rows}.remote`, 'Details (u_details)');
    await expectAccessible(page);
    await screenshot(page, 'mapping-servicenow-html-column');
    const config = await saveAndRead(sandbox, page, DEMO);
    expect(config.fields).toContainEqual(
      expect.objectContaining({
        jira: 'customfield_10011',
        remote: 'u_details',
        transform: 'rich-text',
        format: 'html',
      }),
    );
    expect(config.fields.find((f: { remote: string }) => f.remote === 'description').format).toBeUndefined();
  }, 90_000);

  it('gives the summary pair a template, checked as it is typed, with an example, and saves it', async () => {
    const { page, frame } = await fieldsStep('DEMO', 'DEMO ↔ ACME incidents');
    await frame
      .getByTestId('mapping-0')
      .getByRole('button', { name: /^Add a template/ })
      .click();
    const text = frame.locator('[id="fields.0.template.text"]');
    await text.fill('[{key}]');
    await frame.getByText('the template must hold the value once, as {summary} (it holds it 0 times)').waitFor();
    await text.fill('[{key}] {summary}');
    await frame.getByText('For example: “[DEMO-12] Printer jams”').waitFor();
    await expectAccessible(page);
    await screenshot(page, 'mapping-summary-template');
    const config = await saveAndRead(sandbox, page, DEMO);
    expect(config.fields[0]).toMatchObject({
      jira: 'summary',
      template: { side: 'remote', text: '[{key}] {summary}', reverse: 'strip' },
    });
  }, 90_000);

  it("chooses a default assignment group for new incidents from the instance's own groups, by name", async () => {
    const { page, frame } = await fieldsStep('DEMO', 'DEMO ↔ ACME incidents');
    await frame.getByRole('button', { name: 'Add a default' }).press('Enter');
    await choose(frame, 'createDefaults.0.field', 'Assignment group (assignment_group)');
    await choose(frame, 'createDefaults.0.value', 'Network');
    await frame.getByText(/items Crosswalk creates start with these values/).waitFor();
    await expectAccessible(page);
    await screenshot(page, 'create-default-assignment-group');
    const config = await saveAndRead(sandbox, page, DEMO);
    const network = sandbox.servicenow.store
      .rows('sys_user_group')
      .find((g: { name?: string }) => g.name === 'Network')!;
    expect(config.createDefaults).toEqual([{ field: 'assignment_group', value: network.sys_id }]);
  }, 90_000);
});
