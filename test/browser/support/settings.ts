/**
 * The project settings page as the wizard's browser tests use it: its frame,
 * opening it as a user, and picking an option of an Atlaskit select from the
 * keyboard as a person would.
 */
import type { Browser, FrameLocator, Page } from 'playwright-core';
import type { Sandbox } from '../../../sandbox/sandbox';
import { signIn } from './browser';

export const settingsFrame = (page: Page): FrameLocator =>
  page.frameLocator('iframe[data-module="crosswalk-settings"]');

export async function openSettings(
  browser: Browser,
  sandbox: Sandbox,
  role: string,
  projectKey: string,
  viewport = { width: 1280, height: 1800 },
): Promise<Page> {
  const page = await browser.newPage({ viewport });
  await signIn(sandbox, page, role);
  await page.goto(`${sandbox.hostUrl}/projects/${projectKey}/settings/crosswalk`);
  return page;
}

/** Type to filter, Enter to choose; waits until the menu is gone. */
export async function choose(frame: FrameLocator, inputId: string, option: string): Promise<void> {
  const input = frame.locator(`[id="${inputId}"]`);
  await input.focus();
  await input.pressSequentially(option);
  await frame.getByRole('option', { name: option, exact: true }).waitFor();
  await input.press('Enter');
  await frame.getByRole('option').first().waitFor({ state: 'detached' });
}

/** A new project in the Jira simulator, with no connection, administered by `admin` (an account id). */
export async function createProject(sandbox: Sandbox, key: string, name: string, admin: string): Promise<void> {
  const res = await fetch(`${sandbox.sims.jira.controlUrl}/projects`, {
    method: 'POST',
    body: JSON.stringify({ key, name, administrators: [admin] }),
  });
  if (res.status !== 201) throw new Error(`Could not create project ${key}: ${res.status} ${await res.text()}`);
}

/** Creates a Jira issue as a demo user (HTTP Basic, as a person's script would); answers its key. */
export async function createIssue(
  sandbox: Sandbox,
  role: string,
  projectKey: string,
  summary: string,
): Promise<string> {
  const user = sandbox.users.find((u) => u.role === role)!;
  const res = await fetch(`${sandbox.sims.jira.baseUrl}/rest/api/3/issue`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${user.email}:${user.apiToken}`).toString('base64')}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify({ fields: { project: { key: projectKey }, issuetype: { name: 'Task' }, summary } }),
  });
  if (res.status !== 201) throw new Error(`Could not create an issue in ${projectKey}: ${res.status}`);
  return ((await res.json()) as { key: string }).key;
}

/** Saves the wizard as its admin would and answers the project's first connection as stored. */
export async function saveAndRead(sandbox: Sandbox, page: Page, project: { id: string; key: string }): Promise<any> {
  const frame = settingsFrame(page);
  await frame.getByRole('button', { name: 'Save connection' }).press('Enter');
  await frame.getByRole('dialog').waitFor({ state: 'detached' });
  await page.close();
  const listed = await sandbox.platform.invokeResolver({
    installationId: sandbox.installationId,
    moduleKey: 'crosswalk-settings',
    functionKey: 'listConnections',
    accountId: sandbox.users.find((u) => u.role === 'admin')!.accountId,
    context: { extension: { type: 'jira:projectSettingsPage', project } },
    payload: {},
  });
  if (!listed.ok) throw new Error(`listConnections failed: ${listed.error}`);
  return (listed.body as { data: { connections: Array<{ config: any }> } }).data.connections[0]!.config;
}
