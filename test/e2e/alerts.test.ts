/**
 * Alerts, for every system the registry implements, through the platform on the manual clock: each connection sends
 * its alerts to Slack, Microsoft Teams, a signed webhook and Jira's email (the sinks record what arrives). For each
 * condition: one alert when it starts (past its threshold, never before), a reminder at the set interval while it
 * lasts (one per condition, not one per item), one when it clears; the same alert is never sent twice by duplicate
 * or repeated checks, and a check that crashed at any of its calls leaves each alert sent, with one id.
 */
import { implementedSystems } from '../../src/connectors/registry';
import {
  ALERT_TARGETS,
  alertEverywhere,
  alertSteps,
  editInJira as edit,
  everyTarget,
  fiveMinutes as passFiveMinutes,
  MIN,
  runAlertCheck,
} from '../support/alerts';
import { startEverySystem, type EverySystem, type PairedSystem } from '../support/every-system';

let world: EverySystem;

beforeAll(async () => {
  world = await startEverySystem();
  await alertEverywhere(world);
}, 240_000);
afterAll(() => world?.sandbox.stop());

const pairedFor = (kind: string): PairedSystem => world.paired.find((p) => p.system.kind === kind)!;
const check = () => runAlertCheck(world);
const steps = (connectionId: string, condition: string) => alertSteps(world, connectionId, condition);
const editInJira = (p: PairedSystem, key: string, summary: string) => edit(world, p, key, summary);
const fiveMinutes = () => passFiveMinutes(world);

describe.each(implementedSystems().map((s) => [s.label, s.kind] as const))('%s', (_label, kind) => {
  afterEach(async () => {
    const p = pairedFor(kind);
    for (const f of ['outage', 'bad-credentials', 'rate-limit-lasting', 'refuse-writes'] as const)
      await p.remote.fault(f, false);
  });

  it('Send test alert reaches every target before the connection synced anything; Jira email needs an issue to be about', async () => {
    const p = pairedFor(kind);
    const { id } = await world.connectionOf(p);
    const send = async () => (await world.settings(p, 'sendTestAlert', { connectionId: id })).data.results;
    const hasIssues = world.sandbox.jira.site.state.issues.some((i) => i.key.startsWith(`${p.project.key}-`));
    if (!hasIssues)
      expect(await send()).toEqual([
        ...ALERT_TARGETS.filter((t) => t !== 'jira-email').map((target) => ({ target, ok: true })),
        {
          target: 'jira-email',
          ok: false,
          reason: 'Jira sends its email about an issue, and this project has no issue yet',
        },
      ]);
    // With an issue in the project (the project's newest, synced or not), every target takes it.
    world.sandbox.platform.manualClock.advance(1000);
    await world.jira.request(p.person, 'POST', '/rest/api/3/issue', {
      fields: { project: { key: p.project.key }, issuetype: { name: 'Task' }, summary: 'First issue' },
    });
    expect(await send()).toEqual(ALERT_TARGETS.map((target) => ({ target, ok: true })));
    expect(JSON.stringify(world.sandbox.jira.notifications().at(-1))).toContain(`${id}:test:`);
    await world.quiet();
  });

  it('a refused credential: one alert to each target at once, none again however often the check runs, one clear', async () => {
    const p = pairedFor(kind);
    const { id } = await world.connectionOf(p);
    const issue = await world.pairedIssue(p, `Alerted sign-in on ${p.system.label}`);
    await p.remote.fault('bad-credentials', true);
    await editInJira(p, issue.key, `Changed while ${p.system.label} refuses the sign-in`);
    await world.quiet();

    // Duplicate scheduled invocations at once, then the next ones: one alert per target.
    await Promise.all([check(), check()]);
    await check();
    await fiveMinutes();
    expect(steps(id, 'credential-refused')).toEqual(everyTarget(['start']));
    const panel = (await world.panel(issue.id, p.project.id)) as { banners?: Array<{ words: string }> };
    expect(panel.banners?.map((b) => b.words)).toEqual([expect.stringContaining('refuses')]);

    // The remote takes the credential again: the next check signs in, and the condition clears once.
    await p.remote.fault('bad-credentials', false);
    await check();
    await check();
    expect(steps(id, 'credential-refused')).toEqual(everyTarget(['start', 'clear']));
    expect(((await world.panel(issue.id, p.project.id)) as { banners?: unknown[] }).banners).toEqual([]);
    await world.quiet();
  }, 120_000);

  it('a credential refused while creating the remote item (an issue not linked yet) alerts the same', async () => {
    const p = pairedFor(kind);
    const { id } = await world.connectionOf(p);
    await p.remote.fault('bad-credentials', true);
    world.sandbox.platform.manualClock.advance(1000);
    const created = await world.jira.request(p.person, 'POST', '/rest/api/3/issue', {
      fields: { project: { key: p.project.key }, issuetype: { name: 'Task' }, summary: `New while refused` },
    });
    expect(created.status).toBe(201);
    await world.quiet();
    const before = steps(id, 'credential-refused').webhook.length;
    await check();
    expect(steps(id, 'credential-refused').webhook.slice(before)).toEqual(['start']);
    await p.remote.fault('bad-credentials', false);
    await check();
    expect(steps(id, 'credential-refused').webhook.slice(before)).toEqual(['start', 'clear']);
    // The issue is created in the remote once the sweep revisits it.
    for (let t = 0; t < 4; t++) await fiveMinutes();
    await world.quiet();
    expect(p.remote.remotesForIssue(created.json.id as string)).toHaveLength(1);
  }, 120_000);

  it('a paused connection is not checked: what it showed is let go without a clear, and a resumed one that works says nothing', async () => {
    const p = pairedFor(kind);
    const { id, config } = await world.connectionOf(p);
    const issue = await world.pairedIssue(p, `Paused while refused on ${p.system.label}`);
    await p.remote.fault('bad-credentials', true);
    await editInJira(p, issue.key, `Changed before the pause on ${p.system.label}`);
    await world.quiet();
    const before = steps(id, 'credential-refused').webhook.length;
    await check();
    expect(steps(id, 'credential-refused').webhook.slice(before)).toEqual(['start']);

    const save = async (enabled: boolean) =>
      expect(
        (await world.settings(p, 'saveConnection', { connectionId: id, settings: { ...config, enabled } })).ok,
      ).toBe(true);
    await save(false);
    await check();
    await check();
    expect(steps(id, 'credential-refused').webhook.slice(before)).toEqual(['start']);
    const shown = (await world.settings(p, 'alertSettings', { connectionId: id })).data.condition;
    expect(shown.conditions).toEqual([]);
    expect(((await world.panel(issue.id, p.project.id)) as { banners?: unknown[] }).banners).toEqual([]);

    // Resumed with the remote working again: nothing is wrong, nothing to say.
    await p.remote.fault('bad-credentials', false);
    await save(true);
    await check();
    expect(steps(id, 'credential-refused').webhook.slice(before)).toEqual(['start']);
    await world.quiet();
  }, 120_000);

  it('an outage: nothing before its threshold, one start after, one reminder an hour later, one clear', async () => {
    const p = pairedFor(kind);
    const { id } = await world.connectionOf(p);
    const issue = await world.pairedIssue(p, `Alerted outage on ${p.system.label}`);
    await p.remote.fault('outage', true);
    const from = world.sandbox.platform.clock.now();
    await editInJira(p, issue.key, `Changed during an outage of ${p.system.label}`);
    await world.quiet().catch(() => undefined);
    const startedAt: number[] = [];
    for (let t = 0; t < 20; t++) {
      const before = steps(id, 'unreachable').webhook.length;
      await fiveMinutes();
      if (steps(id, 'unreachable').webhook.length > before) startedAt.push(world.sandbox.platform.clock.now() - from);
    }
    // 100 minutes of outage: the start once it lasted 30 minutes, one reminder an hour after it.
    expect(steps(id, 'unreachable')).toEqual(everyTarget(['start', 'reminder-1']));
    expect(startedAt[0]).toBeGreaterThanOrEqual(30 * MIN);
    expect(startedAt[0]).toBeLessThan(45 * MIN);
    expect(startedAt[1]! - startedAt[0]!).toBeGreaterThanOrEqual(60 * MIN);

    await p.remote.fault('outage', false);
    for (let t = 0; t < 4; t++) await fiveMinutes();
    await world.quiet();
    await check();
    expect(steps(id, 'unreachable')).toEqual(everyTarget(['start', 'reminder-1', 'clear']));
    // Changes waited past an hour: that is its own condition, started and cleared once.
    expect(steps(id, 'backlog-old').webhook).toEqual(['start', 'clear']);
  }, 240_000);

  it('notifications gone silent: the sweep keeps finding changes none announced; one start, and a clear once one arrives', async () => {
    const p = pairedFor(kind);
    const { id } = await world.connectionOf(p);
    const issue = await world.pairedIssue(p, `Alerted silence on ${p.system.label}`);
    for (let n = 1; n <= 3; n++) {
      world.sandbox.platform.manualClock.advance(1000);
      await p.remote.edit(issue.remoteId, { summary: `Changed in ${p.system.label} unannounced ${n}` });
      p.remote.notifications.lose();
      for (let t = 0; t < 3; t++) await fiveMinutes();
    }
    expect(steps(id, 'notifications-silent')).toEqual(everyTarget(['start']));
    const { condition } = (await world.settings(p, 'alertSettings', { connectionId: id })).data as {
      condition: { conditions: Array<{ kind: string; check: string }> };
    };
    expect(condition.conditions.find((c) => c.kind === 'notifications-silent')?.check).toContain(
      'Change notifications',
    );

    world.sandbox.platform.manualClock.advance(1000);
    await p.remote.edit(issue.remoteId, { summary: `Changed in ${p.system.label}, announced` });
    await world.quiet();
    await check();
    expect(steps(id, 'notifications-silent')).toEqual(everyTarget(['start', 'clear']));
  }, 240_000);

  it('a lasting rate limit: nothing before its hour, one start after, one clear once the remote takes requests again', async () => {
    const p = pairedFor(kind);
    const { id } = await world.connectionOf(p);
    const issue = await world.pairedIssue(p, `Alerted rate limit on ${p.system.label}`);
    await p.remote.fault('rate-limit-lasting', true);
    const from = world.sandbox.platform.clock.now();
    await editInJira(p, issue.key, `Changed while ${p.system.label} is rate-limited`);
    let startedAfter: number | undefined;
    for (let t = 0; t < 14; t++) {
      await fiveMinutes();
      if (startedAfter === undefined && steps(id, 'rate-limited').webhook.length)
        startedAfter = world.sandbox.platform.clock.now() - from;
    }
    expect(steps(id, 'rate-limited')).toEqual(everyTarget(['start']));
    expect(startedAfter).toBeGreaterThanOrEqual(60 * MIN);
    await p.remote.fault('rate-limit-lasting', false);
    for (let t = 0; t < 4; t++) await fiveMinutes();
    await world.quiet();
    await check();
    expect(steps(id, 'rate-limited')).toEqual(everyTarget(['start', 'clear']));
  }, 240_000);

  it('more failing items than the threshold: one start, one clear once they sync again', async () => {
    const p = pairedFor(kind);
    const { id } = await world.connectionOf(p);
    const threshold = async (failingItems: number) =>
      expect(
        (await world.settings(p, 'saveAlertSettings', { connectionId: id, thresholds: { failingItems } })).ok,
      ).toBe(true);
    await threshold(1);
    const first = await world.pairedIssue(p, `First refused on ${p.system.label}`);
    const second = await world.pairedIssue(p, `Second refused on ${p.system.label}`);
    await p.remote.fault('refuse-writes', true);
    await editInJira(p, first.key, `Refused by ${p.system.label} (1)`);
    await world.quiet();
    await check();
    // One item failing is not more than one.
    expect(steps(id, 'items-failing')).toEqual(everyTarget([]));
    await editInJira(p, second.key, `Refused by ${p.system.label} (2)`);
    await world.quiet();
    await check();
    await check();
    expect(steps(id, 'items-failing')).toEqual(everyTarget(['start']));

    // The cause clears; failed items rest 15 minutes, then the sweep tries them again and they sync.
    await p.remote.fault('refuse-writes', false);
    for (let t = 0; t < 4; t++) await fiveMinutes();
    await world.quiet();
    await check();
    expect(steps(id, 'items-failing')).toEqual(everyTarget(['start', 'clear']));
    await threshold(10);
  }, 240_000);

  it('a bulk sync that stops moving: one start after its threshold, one clear once it moves to its end', async () => {
    const p = pairedFor(kind);
    const { id } = await world.connectionOf(p);
    await world.pairedIssue(p, `Bulk stall on ${p.system.label}`);
    await p.remote.fault('outage', true);
    const bulk = await world.settings(p, 'bulkSync', { connectionId: id });
    expect(bulk.ok).toBe(true);
    for (let t = 0; t < 8; t++) await fiveMinutes();
    expect(steps(id, 'bulk-stalled')).toEqual(everyTarget(['start']));
    await p.remote.fault('outage', false);
    for (let t = 0; t < 6; t++) await fiveMinutes();
    await world.quiet();
    await check();
    expect(steps(id, 'bulk-stalled')).toEqual(everyTarget(['start', 'clear']));
    const progress = await world.settings(p, 'bulkSyncProgress', { connectionId: id });
    expect(progress.data).toMatchObject({ total: bulk.data.total });
  }, 240_000);
});
