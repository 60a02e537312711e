/**
 * Alerts, for every system the registry implements, through the platform on the manual clock: each connection sends
 * its alerts to Slack, Microsoft Teams, a signed webhook and Jira's email (the sinks record what arrives). For each
 * condition: one alert when it starts (past its threshold, never before), a reminder at the set interval while it
 * lasts (one per condition, not one per item), one when it clears; the same alert is never sent twice by duplicate
 * or repeated checks, and a check that crashed at any of its calls leaves each alert sent, with one id.
 */
import { DEMO_SINKS, type SinkRecord } from '../../sandbox/sims/alert-sinks';
import { implementedSystems } from '../../src/connectors/registry';
import { startEverySystem, type EverySystem, type PairedSystem } from '../support/every-system';

let world: EverySystem;
const MIN = 60_000;

beforeAll(async () => {
  world = await startEverySystem();
  // The customer's own webhook receiver, approved by a Jira admin as customer-managed egress.
  world.sandbox.platform.customerEgress(world.sandbox.installationId).set({
    egresses: [
      {
        key: 'alerts',
        description: 'Our alert receiver',
        configured: [{ domain: new URL(DEMO_SINKS.webhookUrl).hostname, type: ['FETCH_BACKEND_SIDE'] }],
      },
    ],
  });
  for (const p of world.paired) {
    const { id } = await world.connectionOf(p);
    const saved = await world.settings(p, 'saveAlertSettings', {
      connectionId: id,
      slackUrl: DEMO_SINKS.slackUrl,
      teamsUrl: DEMO_SINKS.teamsUrl,
      webhookUrl: DEMO_SINKS.webhookUrl,
      webhookSecret: DEMO_SINKS.webhookSecret,
      jiraEmail: { users: [world.jira.userId(p.person.as)], groups: [] },
      reminderMinutes: 60,
    });
    if (!saved.ok) throw new Error(`Alerts not saved for ${p.system.label}: ${JSON.stringify(saved.error)}`);
  }
}, 240_000);
afterAll(() => world?.sandbox.stop());

const pairedFor = (kind: string): PairedSystem => world.paired.find((p) => p.system.kind === kind)!;
const sinks = () => world.sandbox.alertSinks;
const check = () => world.sandbox.platform.runScheduledTrigger(world.sandbox.installationId, 'alert-check');
const sweep = () => world.sandbox.platform.runScheduledTrigger(world.sandbox.installationId, 'reconcile-sweep');

type Target = 'slack' | 'teams' | 'webhook' | 'jira-email';
const TARGETS: readonly Target[] = ['slack', 'teams', 'webhook', 'jira-email'];

/** Every alert id a target received for this connection, in arrival order (ids name the connection first). */
function received(connectionId: string): Record<Target, string[]> {
  const idIn = (text: string) =>
    new RegExp(`${connectionId}:[a-z-]+:\\d+:(start|clear|reminder-\\d+)`).exec(text)?.[0] ?? undefined;
  const ids = (records: readonly { raw: string; status: number }[]) =>
    records.filter((r) => r.status < 300).flatMap((r) => idIn(r.raw) ?? []);
  const emails = world.sandbox.jira.notifications().map((n) => ({ raw: JSON.stringify(n), status: 204 }));
  return {
    slack: ids(sinks().received('slack')),
    teams: ids(sinks().received('teams')),
    webhook: ids(
      sinks()
        .received('webhook')
        .filter((r: SinkRecord) => r.verified),
    ),
    'jira-email': ids(emails),
  };
}

/** What each target received for the connection's condition, as its steps ("start", "reminder-1", "clear"). */
function steps(connectionId: string, condition: string): Record<Target, string[]> {
  const all = received(connectionId);
  const of = (ids: string[]) => ids.filter((id) => id.split(':')[1] === condition).map((id) => id.split(':').pop()!);
  return Object.fromEntries(TARGETS.map((t) => [t, of(all[t])])) as Record<Target, string[]>;
}
const everyTarget = (s: string[]) => Object.fromEntries(TARGETS.map((t) => [t, s]));

async function editInJira(p: PairedSystem, key: string, summary: string) {
  world.sandbox.platform.manualClock.advance(1000);
  const res = await world.jira.request(p.person, 'PUT', `/rest/api/3/issue/${key}`, { fields: { summary } });
  if (res.status !== 204) throw new Error(`Jira refused the edit: ${res.text}`);
}

/** Five minutes pass: the sweep and the alert check run as their schedules would, and the queue works its retries. */
async function fiveMinutes() {
  await world.sandbox.platform.advanceTime(5 * MIN);
  await sweep();
  await world.sandbox.platform.settle({ maxAdvanceMs: 0 });
  await check();
}

describe.each(implementedSystems().map((s) => [s.label, s.kind] as const))('%s', (_label, kind) => {
  afterEach(async () => {
    const p = pairedFor(kind);
    for (const f of ['outage', 'bad-credentials'] as const) await p.remote.fault(f, false);
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
});
