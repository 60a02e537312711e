/**
 * A connection's Alerts section on the settings page (issue 23), for every registered system (src/connectors/registry.ts)
 * as the demo seeds it, in Debian's Chromium through the real @forge/bridge, as each project's lead would use it:
 *  - types the Slack and Teams webhook URLs and the signed webhook's URL (its host approved first as customer-managed
 *    egress) with a generated signing secret, picks themselves for Jira's email through the people search and saves;
 *    each target then shows as Set with a hint of its address (never the address nor its secret part), with the
 *    thresholds below;
 *  - Send test alert: every target says delivered, and each sink received exactly one test message of this connection
 *    (the webhook's signature checked with the secret generated on the page), and Jira sent one email;
 *  - a Slack URL that is not Slack's shows the server's problem under its field; Remove clears a target;
 *  - the remote refuses the credential, a change in Jira fails to sync, the alert check runs: after a reload the
 *    section opens with "Sign-in refused since …" and what to do.
 * The systems run side by side, each in its own browser context, on the one sandbox this file starts. The sinks and
 * the alert check are shared by every connection, so the steps that send (the test alert, the check) take turns. Every
 * state shown passes axe; ServiceNow's section is also shown in the dark theme and copied to docs/screenshots.
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, FrameLocator, Page } from 'playwright-core';
import { buildUi } from '../../scripts/build-ui';
import { startSandbox, type Sandbox } from '../../sandbox/sandbox';
import { DEMO_SINKS, type SinkRecord } from '../../sandbox/sims/alert-sinks';
import { DEMO_CREDENTIALS as ADO } from '../../sandbox/sims/azure-devops';
import { DEMO_CREDENTIALS as ZENDESK } from '../../sandbox/sims/zendesk';
import { DEFAULT_ALERT_SETTINGS } from '../../src/alerts/settings';
import { validateTargetUrl } from '../../src/alerts/targets';
import { implementedSystems } from '../../src/connectors/registry';
import type { AlertView } from '../../static/settings/src/alert-words';
import { eventually, expectAccessible, launchBrowser, screenshot, signIn, SHOTS } from './support/browser';
import { createIssue, literal, seededFor, seededSystems, type Seeded } from './support/every-system';
import { choose } from './support/settings';

let sandbox: Sandbox;
let browser: Browser;
let seeded = new Map<string, Seeded>();

beforeAll(async () => {
  await buildUi(['settings']);
  // No alert check nor sweep on the clock: the test runs the check when it means to.
  sandbox = await startSandbox({ scheduleTriggers: false });
  browser = await launchBrowser();
  seeded = await seededSystems(sandbox);
  // The customer's own webhook receiver, approved by a Jira admin as customer-managed egress.
  sandbox.platform.customerEgress(sandbox.installationId).set({
    egresses: [
      {
        key: 'alerts',
        description: 'Our alert receiver',
        configured: [{ domain: new URL(DEMO_SINKS.webhookUrl).hostname, type: ['FETCH_BACKEND_SIDE'] }],
      },
    ],
  });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await sandbox?.stop();
});

/**
 * One at a time: the webhook sink checks signatures with one secret, and the alert check sends for every connection,
 * so each connection's sending steps run alone with its own secret set on the sink.
 */
let turn: Promise<unknown> = Promise.resolve();
function inTurn<T>(step: () => Promise<T>): Promise<T> {
  const run = turn.then(step, step);
  turn = run.catch(() => undefined);
  return run;
}

/**
 * The remote refuses the credential Crosswalk signs in with, as each system's admin would make it (the same faults as
 * each simulator's model adapter, sandbox/sims/<kind>/model.ts): a new registered system fails here, by name.
 */
async function refuseCredential(kind: string): Promise<void> {
  const control = async (url: string, method: string, body: unknown) => {
    const res = await fetch(url, {
      method,
      body: JSON.stringify(body),
      headers: { 'content-type': 'application/json' },
    });
    if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${await res.text()}`);
  };
  const controlUrl = sandbox.remotes[kind]!.controlUrl;
  switch (kind) {
    case 'servicenow':
      sandbox.servicenow.store.userByName(sandbox.sims.servicenow.credentials.integration.username)!.password =
        'rotated-by-the-admin';
      return;
    case 'azure-devops':
      // The PAT is revoked: reads get the sign-in page (203), other calls 401.
      await control(`${controlUrl}/pats/revoke`, 'POST', { pat: ADO.integration.pat });
      await control(`${controlUrl}/sign-in-page`, 'PUT', { on: true, mode: '203' });
      return;
    case 'zendesk':
      sandbox.zendesk.store.apiTokens.delete(ZENDESK.integration.apiToken);
      return;
    case 'github':
      await control(`${controlUrl}/credentials`, 'PUT', { integrationRevoked: true });
      return;
    case 'freshservice':
      await control(`${controlUrl}/credentials`, 'PUT', { revoked: true });
      return;
    default:
      throw new Error(
        `No way to refuse ${kind}'s credential here: add one as its model adapter's bad-credentials fault`,
      );
  }
}

const SYSTEMS = implementedSystems().map((s) => [s.label, s] as const);
const settings = (page: Page): FrameLocator => page.frameLocator('iframe[data-module="crosswalk-settings"]');
const SLACK_TOKEN = new URL(DEMO_SINKS.slackUrl).pathname.split('/').pop()!;
const TEAMS_SIG = new URL(DEMO_SINKS.teamsUrl).searchParams.get('sig')!;
const hintOf = (url: string) => `${new URL(url).host} …${url.slice(-4)}`;

/** The settings page as the project's lead, the connection shown, scrolled to its Alerts section. */
async function openAlerts(page: Page, s: Seeded): Promise<FrameLocator> {
  await page.goto(`${sandbox.hostUrl}/projects/${s.project.key}/settings/crosswalk`);
  const frame = settings(page);
  await frame.getByRole('button', { name: `Show ${s.connection.name}` }).click();
  const alerts = frame.getByTestId('alerts');
  await alerts.getByRole('button', { name: 'Save alert settings' }).waitFor();
  await alerts.scrollIntoViewIfNeeded();
  await page.mouse.move(0, 0);
  return frame;
}

/** Everything of the frame a person or a script could read: its text, its markup and every field's value. */
async function frameContents(frame: FrameLocator): Promise<string> {
  return frame.locator('html').evaluate(
    (html) =>
      `${html.outerHTML}\n${Array.from(html.querySelectorAll('input, textarea'))
        .map((i) => (i as HTMLInputElement).value)
        .join('\n')}`,
  );
}

/** What reached each target for this connection's test alerts (the ids name the connection). */
function testMessages(connectionId: string) {
  const mine = (r: SinkRecord) => r.raw.includes(`${connectionId}:test:`);
  return {
    slack: sandbox.alertSinks.received('slack').filter(mine),
    teams: sandbox.alertSinks.received('teams').filter(mine),
    webhook: sandbox.alertSinks.received('webhook').filter(mine),
    email: sandbox.jira.notifications().filter((n) => JSON.stringify(n).includes(`${connectionId}:test:`)),
  };
}

/** Changes an issue's summary as the project's member would. */
async function editSummary(s: Seeded, key: string, summary: string): Promise<void> {
  const res = await fetch(`${sandbox.sims.jira.baseUrl}/rest/api/3/issue/${key}`, {
    method: 'PUT',
    headers: {
      authorization: `Basic ${Buffer.from(`${s.member.email}:${s.member.apiToken}`).toString('base64')}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify({ fields: { summary } }),
  });
  if (res.status !== 204) throw new Error(`Jira refused the edit of ${key}: ${res.status} ${await res.text()}`);
}

/** The alertSettings resolver's answer, as the page reads it. */
async function alertSettings(s: Seeded) {
  const answer = await sandbox.platform.invokeResolver({
    installationId: sandbox.installationId,
    moduleKey: 'crosswalk-settings',
    functionKey: 'alertSettings',
    accountId: s.lead.accountId,
    context: { extension: { type: 'jira:projectSettingsPage', project: s.project } },
    payload: { connectionId: s.connection.id },
  });
  return answer as typeof answer & { body: { data: AlertView } };
}

/** The error shown under a field, as the field names it (aria-describedby). */
async function errorUnder(frame: FrameLocator, label: string): Promise<string> {
  const field = frame.getByLabel(label, { exact: true });
  await field.and(frame.locator('[aria-invalid="true"]')).waitFor();
  const ids = ((await field.getAttribute('aria-describedby')) ?? '').split(' ');
  const errorId = ids.find((id) => id.endsWith('-error'));
  if (!errorId) throw new Error(`No error under ${label}`);
  return (await frame.locator(`[id="${errorId}"]`).innerText()).trim();
}

describe('alerts on the settings page, for every registered system (browser)', () => {
  it.concurrent.each(SYSTEMS)(
    '%s: the lead sets Slack, Teams, a signed webhook and Jira email, sees hints never addresses, sends a test alert to each, is told a wrong URL, removes a target, and sees a refused sign-in at the top',
    async (_label, system) => {
      const s = seededFor(seeded, system);
      const id = s.connection.id;
      const context: BrowserContext = await browser.newContext({ viewport: { width: 1280, height: 1800 } });
      try {
        const page = await context.newPage();
        await signIn(sandbox, page, s.lead.role);
        let frame = await openAlerts(page, s);
        const alerts = frame.getByTestId('alerts');
        await expectAccessible(page);

        // Where alerts go: the three addresses, a secret generated on the page, and the lead for Jira's email.
        await alerts.getByLabel('Slack incoming webhook', { exact: true }).fill(DEMO_SINKS.slackUrl);
        await alerts.getByLabel('Microsoft Teams workflow webhook', { exact: true }).fill(DEMO_SINKS.teamsUrl);
        await alerts.getByLabel('Webhook (signed)', { exact: true }).fill(DEMO_SINKS.webhookUrl);
        await alerts.getByRole('button', { name: 'Generate a secret' }).click();
        const secret = await alerts.getByLabel('Webhook signing secret', { exact: true }).inputValue();
        expect(secret.length).toBeGreaterThanOrEqual(16);
        await alerts.getByText('Copy the secret into the receiving tool now').waitFor();
        await choose(frame, 'alert-email-users', s.lead.displayName);
        await alerts.getByRole('button', { name: 'Save alert settings' }).click();
        await alerts.getByText('Alert settings saved.').waitFor();

        // Each target Set, with a hint of its address; the addresses' secret parts and the signing secret nowhere.
        for (const [target, url] of [
          ['slack', DEMO_SINKS.slackUrl],
          ['teams', DEMO_SINKS.teamsUrl],
          ['webhook', DEMO_SINKS.webhookUrl],
        ] as const) {
          const set = alerts.getByTestId(`alert-${target}-set`);
          await set.waitFor();
          expect(await set.innerText()).toContain('Set');
          expect(await set.innerText()).toContain(hintOf(url));
        }
        const contents = await frameContents(frame);
        for (const secretPart of [SLACK_TOKEN, TEAMS_SIG, DEMO_SINKS.slackUrl, DEMO_SINKS.teamsUrl, secret])
          expect(contents).not.toContain(secretPart);
        expect(contents).not.toContain(DEMO_SINKS.webhookUrl);
        expect(await alerts.getByLabel('Webhook signing secret', { exact: true }).getAttribute('placeholder')).toBe(
          'Set (type a new one to replace it)',
        );
        // The lead stays chosen for Jira's email, and the thresholds are the defaults.
        await alerts.getByText(s.lead.displayName, { exact: true }).waitFor();
        for (const [key, value] of Object.entries(DEFAULT_ALERT_SETTINGS.thresholds))
          expect(await alerts.getByTestId(`alert-threshold-${key}`).inputValue()).toBe(String(value));
        await expectAccessible(page);
        await screenshot(page, `settings-alerts-${system.kind}-set`);

        // A test alert: delivered to every target, once each; Jira's email is about the connection's latest synced issue.
        const synced = await createIssue(sandbox, s, `Synced before the test alert on ${system.label}`);
        await sandbox.settle().catch(() => undefined);
        await inTurn(async () => {
          sandbox.alertSinks.setWebhookSecret(secret);
          await alerts.getByRole('button', { name: 'Send test alert' }).click();
          await alerts.getByTestId('test-alert-results').waitFor({ timeout: 30_000 });
        });
        expect(await alerts.getByTestId('test-alert-results').getByRole('listitem').allInnerTexts()).toEqual([
          'Slack incoming webhook: delivered',
          'Microsoft Teams workflow webhook: delivered',
          'Webhook (signed): delivered',
          'Jira email: delivered',
        ]);
        const got = testMessages(id);
        expect(got.slack.map((r) => r.status)).toEqual([200]);
        expect(got.teams.map((r) => [r.status, r.problems ?? []])).toEqual([[202, []]]);
        expect(got.webhook.map((r) => [r.status, r.verified, r.duplicate])).toEqual([[200, true, false]]);
        expect(got.email.map((n) => n.recipients)).toEqual([[s.lead.accountId]]);
        expect(got.email[0]!.issueKey).toBe(synced);
        await expectAccessible(page);
        await screenshot(page, `settings-alerts-${system.kind}-tested`);

        // A Slack URL that is not Slack's: the server's problem under the field, and Slack stays as it was.
        const wrong = 'https://example.com/x';
        const refused = validateTargetUrl('slack', wrong);
        if (refused.ok) throw new Error(`${wrong} was taken as a Slack webhook`);
        await alerts.getByLabel('Slack incoming webhook', { exact: true }).fill(wrong);
        await alerts.getByRole('button', { name: 'Save alert settings' }).click();
        expect(await errorUnder(frame, 'Slack incoming webhook')).toBe(refused.message);
        await alerts.getByText('The alert settings have problems').waitFor();
        await expectAccessible(page);
        await screenshot(page, `settings-alerts-${system.kind}-wrong-slack`);
        await alerts.getByLabel('Slack incoming webhook', { exact: true }).fill('');

        // Removing a target: Teams is no longer Set, the others are.
        await alerts
          .getByTestId('alert-teams-set')
          .getByRole('button', { name: /^Remove/ })
          .click();
        await alerts.getByTestId('alert-teams-set').waitFor({ state: 'detached' });
        await alerts.getByTestId('alert-slack-set').waitFor();
        await alerts.getByTestId('alert-webhook-set').waitFor();
        expect(await alertSettings(s)).toMatchObject({
          ok: true,
          body: { ok: true, data: { active: ['slack', 'webhook', 'jira-email'], targets: { teams: null } } },
        });
        await expectAccessible(page);

        // The remote refuses the credential, a change to the synced issue fails to sync, and the alert check runs.
        await inTurn(async () => {
          await refuseCredential(system.kind);
          await editSummary(s, synced, `Changed while ${system.label} refuses the sign-in`);
          sandbox.alertSinks.setWebhookSecret(secret);
          // The check runs (as on its five-minute schedule) until the failed sync has been recorded.
          await eventually(
            async () => {
              await sandbox.settle().catch(() => undefined);
              const checked = await sandbox.platform.runScheduledTrigger(sandbox.installationId, 'alert-check');
              if (checked.status !== 'success') throw new Error(`The alert check failed: ${checked.error}`);
              const { condition } = (await alertSettings(s)).body.data;
              return condition?.conditions.some((c) => c.kind === 'credential-refused');
            },
            `the alert check to find ${system.label} refusing the sign-in`,
            30_000,
          );
        });
        await page.reload();
        frame = await openAlerts(page, s);
        const condition = frame.getByTestId('alert-condition');
        const refusedSignIn = condition.getByText(/^Sign-in refused since /);
        await refusedSignIn.waitFor({ timeout: 10_000 }).catch(async () => {
          await screenshot(page, `settings-alerts-${system.kind}-refused-missing`);
          throw new Error(`No refused sign-in at the top of the Alerts section: ${await condition.innerText()}`);
        });
        const shown = await condition.innerText();
        expect(shown).toMatch(new RegExp(`${literal(system.label)}`));
        // What to do: the check names where to fix the credential.
        expect(shown.split('\n').filter((l) => l.trim()).length).toBeGreaterThanOrEqual(3);
        await expectAccessible(page);
        await screenshot(page, `settings-alerts-${system.kind}-refused`);
        if (system.kind === 'servicenow') {
          const docs = path.resolve(__dirname, '../../docs/screenshots');
          mkdirSync(docs, { recursive: true });
          await frame.getByTestId('alerts').screenshot({ path: path.join(SHOTS, 'settings-alerts.png') });
          copyFileSync(path.join(SHOTS, 'settings-alerts.png'), path.join(docs, 'settings-alerts.png'));
          // The dark theme too.
          await page.goto(`${sandbox.hostUrl}/__host/theme?mode=dark`);
          frame = await openAlerts(page, s);
          await eventually(
            async () => (await frame.locator('html').getAttribute('data-color-mode')) === 'dark',
            'the dark theme',
          );
          await frame
            .getByTestId('alert-condition')
            .getByText(/^Sign-in refused since /)
            .waitFor();
          await expectAccessible(page);
          await frame.getByTestId('alerts').screenshot({ path: path.join(SHOTS, 'settings-alerts-dark.png') });
        }
      } finally {
        await context.close();
      }
    },
    150_000,
  );
});
