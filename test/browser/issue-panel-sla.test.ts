/**
 * The remote's SLA on the issue panel, in Debian's Chromium through the real
 * @forge/bridge: a member's new DEMO issue (High: urgency 1, a priority 3
 * incident) shows its ServiceNow task SLA by the definition's name with the
 * time left and its breach time; a new SUP issue (High) shows its Zendesk
 * ticket's SLA metrics, the first reply due within the hour in yellow. Nine
 * hours later on the sandbox's clock both show as breached, and how long ago.
 * The SLA is read only when the panel asks: the resolver's other callers
 * never reach the remote for it. Every state shown passes axe.
 */
import type { Browser, FrameLocator, Page } from 'playwright-core';
import { buildUi } from '../../scripts/build-ui';
import { startSandbox, type Sandbox } from '../../sandbox/sandbox';
import { eventually, expectAccessible, launchBrowser, screenshot, signIn } from './support/browser';
import { SteppableClock } from './support/clock';

let sandbox: Sandbox;
let browser: Browser;
const clock = new SteppableClock();

beforeAll(async () => {
  await buildUi(['issue-panel']);
  // No sweep on the clock: stepping it nine hours must not start one.
  sandbox = await startSandbox({ clock, scheduleTriggers: false });
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await sandbox?.stop();
});

const panel = (page: Page): FrameLocator => page.frameLocator('iframe[data-module="crosswalk-panel"]');
const member = () => sandbox.users.find((u) => u.role === 'member')!;

async function createIssue(project: string, issueType: string, summary: string): Promise<{ id: string; key: string }> {
  const res = await fetch(`${sandbox.sims.jira.baseUrl}/rest/api/3/issue`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${member().email}:${member().apiToken}`).toString('base64')}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify({
      fields: { project: { key: project }, issuetype: { name: issueType }, summary, priority: { name: 'High' } },
    }),
  });
  if (res.status !== 201) throw new Error(`Could not create an issue in ${project}: ${await res.text()}`);
  return (await res.json()) as { id: string; key: string };
}

async function openIssue(key: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await signIn(sandbox, page, 'member');
  await page.goto(`${sandbox.hostUrl}/browse/${key}`);
  return page;
}

/** Reloads until the panel lists SLAs, answering each one's text. */
async function slasShown(page: Page): Promise<string[]> {
  return eventually(
    async () => {
      const shown = await panel(page)
        .getByTestId('sla-item')
        .first()
        .waitFor({ timeout: 2000 })
        .then(
          () => true,
          () => false,
        );
      if (!shown) {
        await page.reload();
        return undefined;
      }
      return panel(page).getByTestId('sla-item').allTextContents();
    },
    'the panel to show the SLA',
    60_000,
  );
}

describe('the remote’s SLA on the issue panel (browser)', () => {
  it('shows a ServiceNow task SLA and Zendesk SLA metrics with the time left, and as breached once the clock passes them', async () => {
    const incident = await createIssue('DEMO', 'Incident', 'Checkout times out for every customer');
    const ticket = await createIssue('SUP', 'Task', 'Customer cannot download their invoice');

    const sn = await openIssue(incident.key);
    const [snSla] = await slasShown(sn);
    expect(snSla).toMatch(/^In progressPriority 3 resolution \(8 hour\)Breaches in (7 h \d+ min|8 h)Breach time /);
    await expectAccessible(sn);
    await screenshot(sn, 'issue-panel-sla-servicenow');

    const zd = await openIssue(ticket.key);
    const zdSlas = await slasShown(zd);
    expect(zdSlas).toHaveLength(2);
    expect(zdSlas[0]).toMatch(/^In progressFirst reply timeBreaches in (\d+ min|1 h)Breach time /);
    expect(zdSlas[1]).toMatch(/^In progressRequester wait timeBreaches in (7 h \d+ min|8 h)/);
    await expectAccessible(zd);
    await screenshot(zd, 'issue-panel-sla-zendesk');

    // Nine hours on: the incident's eight hours and both of the ticket's targets have passed.
    clock.step(9 * 3_600_000);
    await sn.reload();
    const [snLate] = await slasShown(sn);
    expect(snLate).toMatch(
      /^BreachedPriority 3 resolution \(8 hour\)Breached (1 h|\d+ min|1 h \d+ min) agoBreach time /,
    );
    await expectAccessible(sn);
    await screenshot(sn, 'issue-panel-sla-servicenow-breached');

    await zd.reload();
    const zdLate = await slasShown(zd);
    expect(zdLate[0]).toMatch(/^BreachedFirst reply timeBreached (8 h|7 h \d+ min|8 h \d+ min) ago/);
    expect(zdLate[1]).toMatch(/^BreachedRequester wait timeBreached (1 h|\d+ min|1 h \d+ min) ago/);
    await expectAccessible(zd);
    await screenshot(zd, 'issue-panel-sla-zendesk-breached');
    await Promise.all([sn.close(), zd.close()]);
  });

  it('reads the SLA only when the panel asks for it', async () => {
    const issue = await createIssue('DEMO', 'Incident', 'Printer queue stuck');
    const page = await openIssue(issue.key);
    await slasShown(page);
    await page.close();
    const slaReads = async () =>
      (
        (await (await fetch(`${sandbox.sims.servicenow.controlUrl}/requests`)).json()) as Array<{ path: string }>
      ).filter((r) => r.path.includes('/task_sla')).length;
    const before = await slaReads();
    const res = await sandbox.platform.invokeResolver({
      installationId: sandbox.installationId,
      moduleKey: 'crosswalk-panel',
      functionKey: 'getIssueSync',
      accountId: member().accountId,
      context: { extension: { type: 'jira:issuePanel', issue: issue, project: { id: '10000', key: 'DEMO' } } },
      payload: {},
    });
    if (!res.ok) throw new Error(`getIssueSync failed: ${res.error}`);
    expect((res.body as { data: { linked: boolean; sla: unknown } }).data).toMatchObject({ linked: true, sla: null });
    expect(await slaReads()).toBe(before);
  });
});
