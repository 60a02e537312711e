/**
 * Which remote items create Jira issues, built by a project lead on the
 * settings page from the remote's own fields and values (issue 19, §6), for
 * every registered system, each through its connection as the demo seeds it,
 * in Debian's Chromium through the real @forge/bridge. The lead replaces the
 * connection's conditions with "is one of" two of a field's own values (the
 * priority; ServiceNow's urgency, as an incident's priority is computed from
 * it) and an OR group (the title contains "outage" or "down"), and saves;
 * the saved connection holds exactly that. Then items an agent makes in the
 * remote create issues when both hold, and only then. axe-core checks the
 * step shown; each system's filter is photographed.
 */
import type { Browser, FrameLocator } from 'playwright-core';
import { buildUi } from '../../scripts/build-ui';
import { pairingKits, type PairingKit } from '../../sandbox/demo/pairing';
import { startSandbox, type Sandbox } from '../../sandbox/sandbox';
import { implementedSystems, type SystemDefinition } from '../../src/connectors/registry';
import { eventually, expectAccessible, launchBrowser, screenshot } from './support/browser';
import { choose, openSettings, settingsFrame } from './support/settings';

let sandbox: Sandbox;
let browser: Browser;
let kits: Readonly<Record<string, PairingKit>>;

beforeAll(async () => {
  await buildUi(['settings']);
  sandbox = await startSandbox();
  browser = await launchBrowser();
  kits = pairingKits(sandbox);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await sandbox?.stop();
});

/** A resolver as the user, as the settings page would call it for `project`. */
async function call(accountId: string, project: { id: string; key: string }, functionKey: string, payload = {}) {
  const res = await sandbox.platform.invokeResolver({
    installationId: sandbox.installationId,
    moduleKey: 'crosswalk-settings',
    functionKey,
    accountId,
    context: { extension: { type: 'jira:projectSettingsPage', project } },
    payload,
  });
  if (!res.ok) throw new Error(`${functionKey} failed: ${res.error}`);
  const body = res.body as { ok: boolean; data?: any; error?: unknown };
  if (!body.ok) throw new Error(`${functionKey} answered ${JSON.stringify(body.error)}`);
  return body.data;
}

interface RemoteField {
  id: string;
  name: string;
  readOnly?: boolean;
  values?: Array<{ value: string; label: string }>;
}

/** The option a field is offered as, named as the page names it. */
const fieldLabel = (f: RemoteField) =>
  `${f.name && f.name !== f.id ? `${f.name} (${f.id})` : f.id}${f.readOnly ? ', read-only' : ''}`;

/**
 * Picks `value` in a creatable select: the remote's own option when the field lists it (by its label and value),
 * else the value typed, as the page lets one be used when the remote lists none.
 */
async function pick(frame: FrameLocator, id: string, value: string, field: RemoteField, remote: string) {
  const listed = field.values?.find((v) => v.value === value);
  if (listed) return choose(frame, id, listed.label === value ? value : `${listed.label} (${value})`);
  const input = frame.locator(`[id="${id}"]`);
  await input.focus();
  await input.pressSequentially(value);
  await frame.getByRole('option', { name: `Use "${value}" (not in ${remote}'s list)`, exact: true }).waitFor();
  await input.press('Enter');
  await frame.getByRole('option').first().waitFor({ state: 'detached' });
}

const SYSTEMS = implementedSystems().map((s) => [s.label, s] as const);

describe('remote items that create Jira issues, with lists of values and OR groups (browser)', () => {
  it.each(SYSTEMS)(
    '%s: a project lead builds "is one of" and an OR group from the remote\'s fields, saves, and only matching items create issues',
    async (_label, system: SystemDefinition) => {
      const kit = kits[system.kind];
      if (!kit) throw new Error(`The sandbox simulates no ${system.label}: add it to sandbox/demo/pairing.ts`);
      // The demo's connection to this system, and who administers its project.
      const projects = sandbox.jira.site.state.projects;
      let found: { project: { id: string; key: string }; config: any; lead: string } | undefined;
      for (const p of projects) {
        const lead = p.roles.Administrators[0];
        if (!lead) continue;
        const listed = await call(lead, { id: p.id, key: p.key }, 'listConnections').catch(() => undefined);
        const config = listed?.connections?.find((c: any) => c.config.remote.type === system.kind)?.config;
        if (config) found = { project: { id: p.id, key: p.key }, config, lead };
      }
      if (!found) throw new Error(`The demo seeds no connection for ${system.label}: add one to sandbox/demo`);
      const { project, config, lead } = found;
      const role = sandbox.users.find((u) => u.accountId === lead)!.role;

      // The remote's own fields, as the page reads them.
      const { fields } = (await call(lead, project, 'remoteFields', { connectionId: config.id })) as {
        fields: RemoteField[];
      };
      const field = fields.find((f) => f.id === kit.filterable.field)!;
      const title = fields.find((f) => f.id === kit.filterable.title)!;
      expect(field).toBeDefined();
      expect(title).toBeDefined();
      const [one, two, other] = kit.filterable.values;

      const page = await openSettings(browser, sandbox, role, project.key);
      const frame = settingsFrame(page);
      await frame.getByRole('button', { name: `Show ${config.name}` }).click();
      await frame.getByRole('button', { name: 'Edit' }).click();
      await frame.getByRole('button', { name: 'Next' }).click();
      await frame.getByRole('button', { name: 'Next' }).click();
      await frame.getByTestId('remote-fields-read').waitFor();
      // What the demo set goes: the lead says it anew.
      const removeFirst = frame.getByRole('button', { name: 'Remove condition 1', exact: true });
      while (await removeFirst.count()) await removeFirst.press('Enter');
      await frame.getByText('No remote item creates a Jira issue; add a condition to let them.').waitFor();

      // "priority is one of" two of the field's own values.
      await frame.getByRole('button', { name: 'Add a condition', exact: true }).press('Enter');
      await choose(frame, 'remoteFilter.0.field', fieldLabel(field));
      await choose(frame, 'remoteFilter.0.op', 'is one of');
      await pick(frame, 'remoteFilter.0.values', one, field, system.label);
      await pick(frame, 'remoteFilter.0.values', two, field, system.label);

      // An OR group: the title contains "outage", or it contains "down".
      await frame.getByRole('button', { name: 'Add an OR group' }).press('Enter');
      const group = frame.getByRole('group', { name: 'OR group 2: at least one of these holds' });
      await group.waitFor();
      for (const [j, word] of ['outage', 'down'].entries()) {
        await choose(frame, `remoteFilter.1.anyOf.${j}.field`, fieldLabel(title));
        await choose(frame, `remoteFilter.1.anyOf.${j}.op`, 'contains');
        await frame.locator(`[id="remoteFilter.1.anyOf.${j}.value"]`).fill(word);
      }
      await frame
        .getByText(
          'Remote items matching every condition, and at least one condition of each OR group, create a Jira issue.',
        )
        .waitFor();
      // A list with no value is refused where it is, in plain words.
      await frame.getByRole('button', { name: 'Add a condition', exact: true }).press('Enter');
      await choose(frame, 'remoteFilter.2.field', fieldLabel(field));
      await choose(frame, 'remoteFilter.2.op', 'is not one of');
      await frame.getByRole('button', { name: 'Save connection' }).press('Enter');
      await frame.getByText(`Condition 3 for ${system.label} items: pick at least one value`).waitFor();
      const atTheList = frame.getByText('pick at least one value', { exact: true });
      await atTheList.waitFor();
      await expectAccessible(page);
      await screenshot(page, `wizard-remote-filter-${system.kind}-empty-list`);
      await frame.getByRole('button', { name: 'Remove condition 3', exact: true }).press('Enter');
      await atTheList.waitFor({ state: 'detached' });
      await page.mouse.move(0, 0);
      await expectAccessible(page);
      await group.scrollIntoViewIfNeeded();
      await screenshot(page, `wizard-remote-filter-${system.kind}`);
      await frame.getByRole('button', { name: 'Save connection' }).press('Enter');
      await frame.getByRole('dialog').waitFor({ state: 'detached' });
      await page.close();

      const saved = (await call(lead, project, 'listConnections')).connections.find(
        (c: any) => c.config.id === config.id,
      ).config;
      expect(saved.remoteFilter).toEqual([
        { field: field.id, op: 'IN', values: [one, two] },
        {
          anyOf: [
            { field: title.id, op: 'contains', value: 'outage' },
            { field: title.id, op: 'contains', value: 'down' },
          ],
        },
      ]);

      // Items an agent makes: both hold (either way through the group), or one of them does not.
      const named = (words: string) => `${words} (${system.label} filter check)`;
      const creates = [named('Mail outage in Berlin'), named('Core switch down')];
      const leavesOut = [named('Mail outage in Paris'), named('Printer jams on floor 3')];
      await kit.createItem(creates[0]!, one);
      await kit.createItem(creates[1]!, two);
      await kit.createItem(leavesOut[0]!, other);
      await kit.createItem(leavesOut[1]!, one);
      const issuesTitled = (summary: string) =>
        sandbox.jira.site.state.issues.filter((i) => i.projectId === project.id && i.summary === summary);
      await eventually(
        async () => {
          await sandbox.settle();
          return creates.every((s) => issuesTitled(s).length > 0) || undefined;
        },
        `the matching ${system.label} items to create issues`,
        60_000,
      );
      // A sweep looks again at what changed: still nothing for the items the filter leaves out, and no second issue.
      await sandbox.platform.runScheduledTrigger(sandbox.installationId, 'reconcile-sweep');
      await sandbox.settle();
      for (const s of creates) expect(issuesTitled(s)).toHaveLength(1);
      for (const s of leavesOut) expect(issuesTitled(s)).toEqual([]);
    },
    180_000,
  );
});
