/**
 * The type map on the settings page, in Debian's Chromium through the real @forge/bridge, for every demo connection:
 * the project's admin pairs Jira's Bug and Task with two of the remote's own types (listed from its live metadata:
 * Azure DevOps work item types, Zendesk ticket types, ServiceNow categories), gives Task statuses of its own, and
 * turns parents on both ways and saves; the stored connection holds both types, Task's status map its own, and
 * parents crossing. axe-core checks the step shown.
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
  // Each project's admin has added Jira's Bug to its issue type scheme (DEMO has it from the start).
  for (const key of ['OPS', 'SUP']) {
    const added = await fetch(`${sandbox.sims.jira.controlUrl}/projects/${key}/issue-types/Bug`, { method: 'PUT' });
    if (!added.ok) throw new Error(`${key} did not take Bug: ${await added.text()}`);
  }
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await sandbox?.stop();
});

/** Each demo connection, with two of its remote's types as the type list shows them. */
const CASES = [
  { project: { id: '10000', key: 'DEMO' }, connection: 'DEMO ↔ ACME incidents', bug: 'Software', task: 'Hardware' },
  { project: { id: '10001', key: 'OPS' }, connection: 'OPS ↔ acme/Operations bugs', bug: 'Bug', task: 'Task' },
  { project: { id: '10002', key: 'SUP' }, connection: 'SUP ↔ ACME Zendesk tickets', bug: 'Problem', task: 'Task' },
] as const;

describe.each(CASES)('$connection', ({ project, connection, bug, task }) => {
  it('pairs Bug and Task with two of its types, Task with statuses of its own, and saves them', async () => {
    const page = await openSettings(browser, sandbox, 'admin', project.key);
    const frame = settingsFrame(page);
    await frame.getByRole('button', { name: `Show ${connection}` }).click();
    await frame.getByRole('button', { name: 'Edit' }).click();
    await frame.getByRole('button', { name: 'Next' }).click();
    await frame.getByRole('button', { name: 'Next' }).click();
    await frame.getByTestId('remote-fields-read').waitFor();

    const map = frame.getByTestId('type-map');
    await map.getByRole('button', { name: 'Add a type' }).press('Enter');
    await choose(frame, 'types.0.jira', 'Bug');
    await choose(frame, 'types.0.remote', bug);
    await map.getByRole('button', { name: 'Add a type' }).press('Enter');
    await choose(frame, 'types.1.jira', 'Task');
    await choose(frame, 'types.1.remote', task);
    await map.getByRole('button', { name: 'Own fields and statuses of Task' }).press('Enter');
    await map.getByRole('button', { name: 'Give Task its own statuses' }).press('Enter');
    await frame.getByText('Fields of Task only').waitFor();
    await choose(frame, 'hierarchy.direction', 'Both ways');
    await frame.getByText(/a child that arrives first is linked when its parent crosses/).waitFor();
    await expectAccessible(page);
    await screenshot(page, `type-map-${project.key.toLowerCase()}`);

    const config = await saveAndRead(sandbox, page, project);
    expect(config.types.map((t: { jira: string }) => t.jira)).toEqual(['Bug', 'Task']);
    expect(config.hierarchy).toEqual({ direction: 'both' });
    expect(config.types[1].fields).toEqual([
      expect.objectContaining({ jira: 'status', transform: 'value-map', valueMap: expect.any(Array) }),
    ]);
  }, 120_000);
});
