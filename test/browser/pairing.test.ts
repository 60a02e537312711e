/**
 * Every registered system can be paired from an empty project through the
 * settings page alone, with what a person has in hand: the instance URL and
 * the secret the system asks for (issue 18, §1). Driven by the registry: for
 * each system `implementedSystems()` lists, a new Jira project with no
 * connection gets a project admin, who opens Add connection, picks the system,
 * types every setting the demo pairs with into the field the wizard draws for
 * it (a setting without a field fails the test), types the secret, tests the
 * sign-in, previews, and saves with sync on; an issue created in Jira then
 * appears in that system's simulator. A system registered later is paired
 * here too, and fails until the sandbox simulates it (sandbox/demo/pairing.ts).
 * Each step is photographed and checked with axe.
 */
import type { Browser, FrameLocator } from 'playwright-core';
import { buildUi } from '../../scripts/build-ui';
import { startSandbox, type Sandbox } from '../../sandbox/sandbox';
import { pairingKits, type PairingKit } from '../../sandbox/demo/pairing';
import { implementedSystems, type SystemDefinition } from '../../src/connectors/registry';
import { describeSystem } from '../../src/resolvers/systems';
import { choicesOf, kindOf, objectVariants } from '../../static/settings/src/settings-shape';
import type { JsonSchema } from '../../static/settings/src/types';
import { eventually, expectAccessible, launchBrowser, screenshot } from './support/browser';
import { choose, createIssue, createProject, openSettings, settingsFrame } from './support/settings';

let sandbox: Sandbox;
let browser: Browser;
let kits: Readonly<Record<string, PairingKit>>;

beforeAll(async () => {
  await buildUi(['settings']);
  // No demo pairing: the remote simulators start with no connection to any project.
  sandbox = await startSandbox({ pairDemo: false });
  browser = await launchBrowser();
  kits = pairingKits(sandbox);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await sandbox?.stop();
});

/** Each setting the demo pairs with, by its path on the page (`remote.auth.email`). */
function leaves(value: unknown, path: string): Array<[string, unknown]> {
  if (value && typeof value === 'object' && !Array.isArray(value))
    return Object.entries(value).flatMap(([k, v]) => leaves(v, `${path}.${k}`));
  return [[path, value]];
}

/** The schema of a settings path, through the sign-in method the values choose; with the choice it sits in. */
function settingAt(schema: JsonSchema, segments: string[], value: Record<string, unknown>) {
  let node: JsonSchema | undefined = schema;
  let owner: JsonSchema | undefined;
  let current: unknown = value;
  for (const segment of segments) {
    const variants: JsonSchema[] | undefined = node && objectVariants(node);
    owner = node;
    if (variants) node = variants.find((v) => kindOf(v) === (current as { kind?: unknown }).kind) ?? variants[0];
    node = node?.properties?.[segment];
    current = (current as Record<string, unknown> | undefined)?.[segment];
  }
  return { node, owner };
}

/** Types or picks each setting of the kit into the field the wizard draws for it. */
async function enterSettings(frame: FrameLocator, system: SystemDefinition, kit: PairingKit) {
  const schema = describeSystem(system).settingsSchema as JsonSchema;
  const remote = { ...kit.remote, baseUrl: kit.instanceUrl };
  for (const [path, value] of leaves(remote, 'remote')) {
    const segments = path.split('.').slice(1);
    if (segments.join('.') === 'type') continue;
    const { node, owner } = settingAt(schema, segments, remote);
    const field = frame.locator(`[id="${path}"]`);
    if (segments[segments.length - 1] === 'kind' && node?.const !== undefined) {
      // A sign-in method: chosen by its title when the system offers several, else it is the only one.
      const methods = owner && objectVariants(owner);
      if (methods && methods.length > 1)
        await choose(frame, path, methods.find((m) => kindOf(m) === value)?.title ?? String(value));
      continue;
    }
    if ((await field.count()) !== 1)
      throw new Error(`The wizard draws no field for ${path}, which ${system.label} needs to pair`);
    const choice = node && choicesOf(node)?.find((c) => c.value === value);
    if (choice) await choose(frame, path, choice.label);
    else await field.fill(String(value));
  }
  const asked = await frame.locator('input[id^="credential."]').evaluateAll((els) => els.map((e) => e.id));
  expect(asked.sort()).toEqual(
    Object.keys(kit.credential)
      .map((f) => `credential.${f}`)
      .sort(),
  );
  for (const [field, secret] of Object.entries(kit.credential))
    await frame.locator(`[id="credential.${field}"]`).fill(secret);
}

describe('pairing every registered system from an empty project (browser)', () => {
  it.each(implementedSystems().map((s) => [s.label, s] as const))(
    '%s: a project admin pairs it with the wizard alone, and a new Jira issue crosses',
    async (_label, system) => {
      const kit = kits[system.kind];
      if (!kit) throw new Error(`The sandbox simulates no ${system.label}: add it to sandbox/demo/pairing.ts`);
      const key = system.kind
        .toUpperCase()
        .replace(/[^A-Z0-9]/g, '')
        .slice(0, 10);
      const admin = sandbox.users.find((u) => u.role === 'member')!;
      await createProject(sandbox, key, `Pairing with ${system.label}`, admin.accountId);
      const shot = (n: number, step: string) => screenshot(page, `pairing-${system.kind}-${n}-${step}`);

      const page = await openSettings(browser, sandbox, 'member', key);
      const frame = settingsFrame(page);
      await frame.getByText('This project is not connected to another system yet').waitFor();
      await expectAccessible(page);
      await shot(1, 'empty');

      await frame.getByRole('button', { name: 'Add connection' }).click();
      await frame.getByRole('dialog').waitFor();
      await choose(frame, 'system', system.label);
      const name = `${key} ↔ ${system.label}`;
      await frame.locator('#name').fill(name);
      await expectAccessible(page);
      await shot(2, 'system');
      await frame.getByRole('button', { name: 'Next' }).click();

      await frame.getByText('Step 2 of 4: Instance and sign-in').waitFor();
      await enterSettings(frame, system, kit);
      await expectAccessible(page);
      await shot(3, 'sign-in');
      await frame.getByRole('button', { name: 'Test connection' }).click();
      const signedIn = frame.getByTestId('sign-in-result');
      await signedIn.waitFor();
      expect(await signedIn.textContent()).toMatch(new RegExp(`^Reached ${kit.instanceUrl} and signed in as .+`));
      await expectAccessible(page);
      await shot(4, 'tested');
      await frame.getByRole('button', { name: 'Next' }).click();

      await frame.getByText('Step 3 of 4: What syncs').waitFor();
      expect(await frame.getByLabel('Sync is on (uncheck to save the connection paused)').isChecked()).toBe(true);
      await expectAccessible(page);
      await shot(5, 'what-syncs');
      await frame.getByRole('button', { name: 'Preview', exact: true }).press('Enter');

      await frame.getByTestId('preview').waitFor();
      await frame.getByRole('button', { name: 'Preview all matching issues' }).click();
      const summary = frame.getByTestId('preview-summary');
      await summary.waitFor();
      // An empty project: nothing to create or update yet, and nothing fails.
      expect(await summary.textContent()).toContain('Would create 0, update 0, fail 0');
      await expectAccessible(page);
      await shot(6, 'preview');

      await frame.getByRole('button', { name: 'Save connection' }).press('Enter');
      await frame.getByRole('dialog').waitFor({ state: 'detached' });
      await frame.getByRole('row', { name: new RegExp(name) }).waitFor();
      await frame.getByTestId('connection-saved').waitFor();
      await expectAccessible(page);
      await shot(7, 'saved');

      const summaryText = `Printer on floor ${key.length} jams (${system.label})`;
      await createIssue(sandbox, 'member', key, summaryText);
      await sandbox.settle();
      const items = await eventually(async () => {
        const found = kit.itemsTitled(summaryText);
        return found.length ? found : undefined;
      }, `the issue to appear in ${system.label}`);
      expect(items).toHaveLength(1);
      await page.reload();
      await settingsFrame(page)
        .getByRole('row', { name: new RegExp(name) })
        .waitFor();
      await expectAccessible(page);
      await shot(8, 'crossed');
      await page.close();
    },
    120_000,
  );
});
