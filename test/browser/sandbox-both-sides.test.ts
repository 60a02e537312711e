/**
 * Both sides in the browser, as a newcomer uses `npm start`: the demo starts
 * with issues already in sync; in the Jira-like host a member creates an
 * issue, edits it, moves it, comments publicly and internally and attaches a
 * file, and sees each reach the ServiceNow incident; then opens the incident
 * in the simulator's web view from the issue, edits it, comments and attaches
 * there, and watches Jira follow. The same round trip with an Azure DevOps
 * work item (Jira-side edits, a move, a comment and files both ways) and a
 * Zendesk ticket. A viewer, who may only browse, is refused by Jira with its
 * reason. Every state shown, the host page and the simulators' web views
 * included, passes the axe check.
 */
import type { Browser, Page } from 'playwright-core';
import { buildUi } from '../../scripts/build-ui';
import { seedDemo } from '../../sandbox/demo/seed';
import { startSandbox, type Sandbox } from '../../sandbox/sandbox';
import { DEMO_CREDENTIALS as SN } from '../../sandbox/sims/servicenow';
import { serviceNowClient } from '../../sandbox/sims/servicenow/test-client';
import {
  eventually,
  expectAccessible,
  expectPageAccessible,
  launchBrowser,
  screenshot,
  signIn,
} from './support/browser';

let sandbox: Sandbox;
let browser: Browser;

beforeAll(async () => {
  await buildUi(['issue-panel']);
  sandbox = await startSandbox();
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await sandbox?.stop();
});

const panel = (page: Page) => page.frameLocator('iframe[data-module="crosswalk-panel"]');

async function signedIn(role: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await signIn(sandbox, page, role);
  return page;
}

/** Reloads the page until `check` holds (the sync runs in the background). */
async function until(page: Page, what: string, check: () => Promise<boolean>): Promise<void> {
  await eventually(
    async () => {
      if (await check().catch(() => false)) return true;
      await page.reload();
      return false;
    },
    what,
    30_000,
  );
}

/** The host page and, where the issue has its panel, Crosswalk's frame: every state a test shows is checked. */
async function expectShown(page: Page): Promise<void> {
  await expectPageAccessible(page);
  if (page.frames().some((f) => f.url().includes('/__app/'))) await expectAccessible(page);
}

async function createThroughForm(page: Page, project: string, summary: string, type?: string): Promise<string> {
  await page.goto(`${sandbox.hostUrl}/`);
  await page.getByText(`Create an issue in ${project}`).click();
  const form = page.locator('details.create', { hasText: `Create an issue in ${project}` });
  await form.getByLabel('Summary').fill(summary);
  if (type) await form.getByLabel('Type').selectOption({ label: type });
  await form.getByLabel('Description').fill(`${summary}: seen by three customers.`);
  await Promise.all([page.waitForURL(/\/browse\//), form.getByRole('button', { name: 'Create' }).click()]);
  await page.getByRole('status').getByText('created').waitFor();
  return /\/browse\/([A-Z]+-\d+)/.exec(page.url())![1]!;
}

/** The remote item's web view, opened from the "Linked items". */
async function openRemote(page: Page, key: string): Promise<Page> {
  await page.goto(`${sandbox.hostUrl}/browse/${key}`);
  await until(page, `${key}'s linked item`, async () => (await page.locator('a.remote-item').count()) > 0);
  const href = (await page.locator('a.remote-item').first().getAttribute('href'))!;
  expect(href.startsWith('http://127.0.0.1')).toBe(true);
  const view = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await view.goto(href);
  return view;
}

async function saveInView(view: Page, fields: Record<string, string>): Promise<void> {
  const form = view.locator('form#fields');
  for (const [label, value] of Object.entries(fields)) {
    const input = form.getByLabel(label, { exact: true });
    if ((await input.evaluate((el) => el.tagName)) === 'SELECT') await input.selectOption({ label: value });
    else await input.fill(value);
  }
  await Promise.all([view.waitForURL(/notice=/), form.getByRole('button', { name: 'Save' }).click()]);
  await view.getByRole('status').getByText('Saved').waitFor();
}

async function commentInView(view: Page, text: string, visibility?: string): Promise<void> {
  const form = view.locator('form#comment');
  await form.getByLabel('Add a comment').fill(text);
  if (visibility) await form.getByLabel('Visibility').selectOption({ label: visibility });
  await Promise.all([view.waitForURL(/notice=/), form.getByRole('button', { name: 'Comment' }).click()]);
}

async function attachInView(view: Page, name: string): Promise<void> {
  const form = view.locator('form#attach');
  await form
    .locator('input[type=file]')
    .setInputFiles({ name, mimeType: 'text/plain', buffer: Buffer.from(`contents of ${name}`) });
  await Promise.all([view.waitForURL(/notice=/), form.getByRole('button', { name: 'Attach' }).click()]);
  await view.getByRole('status').getByText('File attached').waitFor();
}

describe('both sides in the browser (sandbox)', () => {
  it('starts the demo with issues already in sync, so their panels show the linked item and its timeline', async () => {
    const keys = await seedDemo(sandbox);
    expect(keys).toEqual(expect.arrayContaining(['DEMO-1', 'DEMO-2', 'OPS-1']));
    const page = await signedIn('member');
    for (const key of keys.filter((k) => !k.startsWith('OPS'))) {
      await page.goto(`${sandbox.hostUrl}/browse/${key}`);
      await until(
        page,
        `${key} linked`,
        async () =>
          (await panel(page)
            .getByTestId('linked')
            .waitFor({ timeout: 2000 })
            .then(() => true)) && (await panel(page).getByTestId('timeline-step').count()) > 0,
      );
      await expectShown(page);
    }
    await page.close();
  }, 120_000);

  it('lets a member work an issue in Jira and see it reach ServiceNow; then work the incident in its web view and see Jira follow', async () => {
    const page = await signedIn('member');
    const key = await createThroughForm(page, 'DEMO', 'Badge reader at the north entrance rejects cards', 'Incident');
    await until(
      page,
      'the incident',
      async () => (await panel(page).getByTestId('linked').textContent({ timeout: 2000 }))?.includes('INC') ?? false,
    );
    // The panel's link opens the incident through Jira (router.open); in the sandbox, on the simulator's web view.
    const [popup] = await Promise.all([
      page.waitForEvent('popup'),
      panel(page).getByTestId('linked').getByRole('link').click(),
    ]);
    await popup.locator('#item-title').getByText('Badge reader at the north entrance rejects cards').waitFor();
    expect(popup.url()).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/nav_to\.do\?uri=incident\.do/);
    await expectPageAccessible(popup);
    await popup.close();

    // Jira side: edit, move, comment publicly and internally, attach.
    await page.locator('#edit > summary').click();
    await page.locator('#edit').getByLabel('Summary').fill('Badge reader at the north entrance rejects all cards');
    await page.locator('#edit').getByLabel('Priority').selectOption('High');
    await Promise.all([
      page.waitForURL(/notice=Saved/),
      page.locator('#edit').getByRole('button', { name: 'Save' }).click(),
    ]);
    await Promise.all([
      page.waitForURL(/notice=Moved/),
      page.getByRole('button', { name: 'Start progress → In Progress' }).click(),
    ]);
    expect(await page.locator('#status').textContent()).toBe('In Progress');
    const comment = page.locator('form[action$="/comment"]');
    await comment.getByLabel('Add a comment').fill('Facilities says the reader was replaced on Monday.');
    await Promise.all([page.waitForURL(/notice=Comment/), comment.getByRole('button', { name: 'Comment' }).click()]);
    await comment.getByLabel('Add a comment').fill('Internal: vendor ticket 4471.');
    await comment.getByLabel('Internal (agents only)').check();
    await Promise.all([page.waitForURL(/notice=Comment/), comment.getByRole('button', { name: 'Comment' }).click()]);
    await page
      .locator('form[action$="/attach"] input[type=file]')
      .setInputFiles({ name: 'reader-log.txt', mimeType: 'text/plain', buffer: Buffer.from('E42 card rejected') });
    await Promise.all([page.waitForURL(/notice=File/), page.getByRole('button', { name: 'Attach' }).click()]);
    await page.locator('#attachments').getByText('reader-log.txt').waitFor();
    await page.getByText('Internal: vendor ticket 4471.').waitFor();
    await expectShown(page);
    await screenshot(page, 'sandbox-jira-issue');

    // ServiceNow side, in the incident form: every change arrived, comments with their visibility.
    const view = await openRemote(page, key);
    await until(view, 'the Jira changes in the incident', async () => {
      const body = (await view.locator('main').textContent()) ?? '';
      return (
        body.includes('rejects all cards') &&
        body.includes('In Progress') &&
        body.includes('replaced on Monday') &&
        /vendor ticket 4471.*work note|work note[^]*vendor ticket 4471/.test(body) &&
        body.includes('reader-log.txt')
      );
    });
    expect(await view.locator('form#fields').getByLabel('Urgency').inputValue()).toBe('1');
    await expectPageAccessible(view);
    await screenshot(view, 'sandbox-servicenow-incident');

    // The agent edits the incident, comments and attaches: Jira follows.
    await saveInView(view, { 'Short description': 'Badge reader at the north entrance rejects all cards (firmware)' });
    await commentInView(view, 'Vendor pushed a firmware fix.', 'Additional comment (customer visible)');
    await attachInView(view, 'firmware-notes.txt');
    await expectPageAccessible(view);
    await page.goto(`${sandbox.hostUrl}/browse/${key}`);
    await until(page, 'Jira to follow the incident', async () => {
      const body = (await page.locator('main .content').textContent()) ?? '';
      return (
        body.includes('(firmware)') &&
        body.includes('Vendor pushed a firmware fix.') &&
        body.includes('firmware-notes.txt')
      );
    });
    await expectShown(page);
    await view.close();
    await page.close();
  }, 180_000);

  it('does the same round trip with an Azure DevOps work item (OPS), Jira-side edits and files included, and a Zendesk ticket (SUP)', async () => {
    const page = await signedIn('project-lead');
    const ops = await createThroughForm(page, 'OPS', 'Nightly backup job exceeds its window');
    const ado = await openRemote(page, ops);
    await ado.locator('#item-title').getByText('Nightly backup job exceeds its window').waitFor();
    await expectPageAccessible(ado);

    // Jira side: edit, move, comment and attach; each reaches the work item.
    await page.goto(`${sandbox.hostUrl}/browse/${ops}`);
    await page.locator('#edit > summary').click();
    await page.locator('#edit').getByLabel('Summary').fill('Nightly backup job exceeds its window again');
    await page.locator('#edit').getByLabel('Priority').selectOption('High');
    await Promise.all([
      page.waitForURL(/notice=Saved/),
      page.locator('#edit').getByRole('button', { name: 'Save' }).click(),
    ]);
    await Promise.all([
      page.waitForURL(/notice=Moved/),
      page.getByRole('button', { name: 'Start progress → In Progress' }).click(),
    ]);
    const comment = page.locator('form[action$="/comment"]');
    await comment.getByLabel('Add a comment').fill('The job overlaps the index rebuild.');
    await Promise.all([page.waitForURL(/notice=Comment/), comment.getByRole('button', { name: 'Comment' }).click()]);
    await page
      .locator('form[action$="/attach"] input[type=file]')
      .setInputFiles({ name: 'backup-timings.txt', mimeType: 'text/plain', buffer: Buffer.from('02:00 → 05:10') });
    await Promise.all([page.waitForURL(/notice=File/), page.getByRole('button', { name: 'Attach' }).click()]);
    await page.locator('#attachments').getByText('backup-timings.txt').waitFor();
    await expectShown(page);
    const fields = ado.locator('form#fields');
    await until(ado, 'the Jira changes in the work item', async () => {
      const comments = (await ado.locator('.comment').allTextContents()).join(' ');
      const files =
        (await ado
          .locator('#attachments')
          .textContent({ timeout: 500 })
          .catch(() => '')) ?? '';
      return (
        (await fields.getByLabel('Title', { exact: true }).inputValue()) ===
          'Nightly backup job exceeds its window again' &&
        // A select's name includes its chosen option: picked by the field's name.
        (await fields.locator('[name="System.State"]').inputValue()) === 'Active' &&
        (await fields.locator('[name="Microsoft.VSTS.Common.Priority"]').inputValue()) === '1' &&
        comments.includes('The job overlaps the index rebuild.') &&
        files.includes('backup-timings.txt')
      );
    });
    await expectPageAccessible(ado);
    await screenshot(ado, 'sandbox-azure-devops-from-jira');

    // Azure DevOps side: edit, comment and attach; Jira follows.
    await saveInView(ado, { Title: 'Nightly backup job exceeds its window by an hour' });
    await commentInView(ado, 'Moved the job to the new storage tier.');
    await attachInView(ado, 'storage-tier.txt');
    await expectPageAccessible(ado);
    await screenshot(ado, 'sandbox-azure-devops-work-item');
    await page.goto(`${sandbox.hostUrl}/browse/${ops}`);
    await until(page, 'Jira to follow the work item', async () => {
      const body = (await page.locator('main .content').textContent()) ?? '';
      return (
        body.includes('by an hour') &&
        body.includes('Moved the job to the new storage tier.') &&
        body.includes('storage-tier.txt')
      );
    });
    await expectShown(page);
    await ado.close();

    const member = await signedIn('member');
    const sup = await createThroughForm(member, 'SUP', 'Invoice email goes to spam');
    const zd = await openRemote(member, sup);
    await zd.locator('#item-title').getByText('Invoice email goes to spam').waitFor();
    await expectPageAccessible(zd);
    await saveInView(zd, { Subject: 'Invoice email goes to spam at Gmail' });
    await commentInView(zd, 'Checked the SPF record.', 'Internal note');
    await attachInView(zd, 'headers.txt');
    await expectPageAccessible(zd);
    await screenshot(zd, 'sandbox-zendesk-ticket');
    await member.goto(`${sandbox.hostUrl}/browse/${sup}`);
    await until(member, 'Jira to follow the ticket', async () => {
      const body = (await member.locator('main .content').textContent()) ?? '';
      return body.includes('at Gmail') && /Checked the SPF record\./.test(body) && body.includes('headers.txt');
    });
    // The internal note arrived as an internal Jira comment.
    expect(
      await member.locator('.comment', { hasText: 'Checked the SPF record.' }).locator('.meta').textContent(),
    ).toContain('internal');
    await expectShown(member);
    await zd.close();
    await member.close();
    await page.close();
  }, 240_000);

  it('offers a viewer no change to the issue, and Jira refuses one sent anyway, with its reason', async () => {
    const page = await signedIn('viewer');
    await page.goto(`${sandbox.hostUrl}/`);
    await page.getByRole('heading', { name: 'Demo service desk (DEMO)' }).waitFor();
    expect(await page.getByText('Create an issue in DEMO').count()).toBe(0);
    await expectPageAccessible(page);
    await page.goto(`${sandbox.hostUrl}/browse/DEMO-3`);
    await page.getByText('You may read this issue but not change it.').waitFor();
    await expectShown(page);
    expect(
      await page
        .locator('form')
        .filter({ hasText: /Comment|Attach|Save/ })
        .count(),
    ).toBe(0);
    expect(await page.locator('form[action$="/transition"]').count()).toBe(0);
    // A comment posted without the form (as a crafted request would) is refused by Jira.
    await page.evaluate(() => {
      const f = document.createElement('form');
      f.method = 'post';
      f.action = `${location.pathname}/comment`;
      const body = document.createElement('input');
      body.name = 'body';
      body.value = 'May I?';
      f.appendChild(body);
      document.body.appendChild(f);
      f.submit();
    });
    await page.waitForURL(/notice=/);
    expect(await page.getByRole('status').textContent()).toMatch(/^Not saved: .*permission/i);
    expect(await page.getByText('May I?').count()).toBe(0);
    await expectShown(page);
    // Nothing reached ServiceNow either.
    const found = await serviceNowClient(sandbox.servicenow, SN.agent)(
      'GET',
      `/api/now/table/sys_journal_field?sysparm_query=${encodeURIComponent('valueLIKEMay I?')}`,
    );
    expect(found.json.result).toEqual([]);
    await page.close();
  }, 60_000);
});
