/**
 * Which remote items people may link by hand, set by a project lead in the
 * wizard, in Debian's Chromium through the real @forge/bridge: the demo
 * connection opens software incidents to linking; the lead switches it to
 * hardware ones, and the issue panel's search then offers the software
 * incidents no more. axe-core checks the step shown.
 */
import type { Browser } from 'playwright-core';
import { buildUi } from '../../scripts/build-ui';
import { startSandbox, type Sandbox } from '../../sandbox/sandbox';
import { expectAccessible, launchBrowser, screenshot, signIn } from './support/browser';
import { choose, settingsFrame } from './support/settings';

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

/** A resolver as `role`, as the page or panel would call it. */
async function call(role: string, moduleKey: string, functionKey: string, extension: unknown, payload: unknown = {}) {
  const res = await sandbox.platform.invokeResolver({
    installationId: sandbox.installationId,
    moduleKey,
    functionKey,
    accountId: sandbox.users.find((u) => u.role === role)!.accountId,
    context: { extension },
    payload,
  });
  if (!res.ok) throw new Error(`${functionKey} failed: ${res.error}`);
  return res.body as { ok: boolean; data?: any };
}

describe('remote items people may link by hand (browser)', () => {
  it('a project lead sets them in the wizard, and the issue panel offers only those', async () => {
    const demo = { id: '10000', key: 'DEMO' };
    const issue = sandbox.jira.site.state.issues.find((i) => i.key === 'DEMO-1')!;
    const search = (text: string) =>
      call(
        'member',
        'crosswalk-panel',
        'searchRemote',
        { issue: { id: issue.id, key: issue.key }, project: demo },
        {
          text,
        },
      );
    expect((await search('laptop')).data.items.map((i: { title: string }) => i.title)).toEqual([
      'Laptop will not boot after update',
    ]);

    const page = await browser.newPage({ viewport: { width: 1280, height: 1800 } });
    await signIn(sandbox, page, 'project-lead');
    await page.goto(`${sandbox.hostUrl}/projects/DEMO/settings/crosswalk`);
    const frame = settingsFrame(page);
    await frame.getByRole('button', { name: 'Show DEMO ↔ ACME incidents' }).click();
    await frame.getByRole('button', { name: 'Edit' }).click();
    await frame.getByRole('button', { name: 'Next' }).click();
    await frame.getByRole('button', { name: 'Next' }).click();
    await frame.getByTestId('remote-fields-read').waitFor();
    await frame.getByRole('heading', { name: 'Remote items people may link by hand' }).waitFor();
    await frame.getByText('may also be linked to an issue by hand').waitFor();
    // The field and its value come from ServiceNow's own lists, as for the conditions that create issues.
    await choose(frame, 'linkFilter.0.value', 'Hardware (hardware)');
    await expectAccessible(page);
    await screenshot(page, 'wizard-link-filter');
    await frame.getByRole('button', { name: 'Save connection' }).press('Enter');
    await frame.getByRole('dialog').waitFor({ state: 'detached' });
    await page.close();

    const listed = await call('project-lead', 'crosswalk-settings', 'listConnections', {
      type: 'jira:projectSettingsPage',
      project: demo,
    });
    expect(listed.data.connections.find((c: any) => c.config.id === 'demo-servicenow').config.linkFilter).toEqual([
      { field: 'category', op: '=', value: 'hardware' },
    ]);
    expect((await search('laptop')).data.items).toEqual([]);
  }, 120_000);
});
