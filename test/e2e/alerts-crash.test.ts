/**
 * An alert check that crashes, for every system the registry implements, each in a world of its own (so every call
 * of the check is about that system's connection): crashed before one of its calls, then run again five minutes later
 * as its schedule would, each target has the start of the condition exactly once, or, where the crash fell between a
 * delivery and its record, twice with the same id (the signed webhook's receiver recognises the repeat by it). Nothing
 * is lost and no second alert is made. The registry's first system is crashed before every call of the check; the
 * others before every call from the state's write on (the writes and deliveries). The calls before it only read, and
 * a crash there leaves nothing behind, as for the first system; running them for every system only cost CI minutes.
 */
import { implementedSystems } from '../../src/connectors/registry';
import {
  ALERT_TARGETS,
  alertEverywhere,
  editInJira,
  MIN,
  receivedAlerts,
  runAlertCheck,
  type AlertTarget,
} from '../support/alerts';
import { atEachPosition, CrashCases, positionOf, positions } from '../support/crash-cases';
import { startEverySystem, type EverySystem } from '../support/every-system';

describe.each(implementedSystems().map((s) => [s.label, s.kind] as const))('%s', (_label, kind) => {
  let world: EverySystem;
  beforeAll(async () => {
    world = await startEverySystem({ only: kind });
    await alertEverywhere(world);
  }, 120_000);
  afterAll(() => world?.sandbox.stop());

  it('a check crashed before one of its calls still sends each target the start once, or twice with one id', async () => {
    const p = world.paired[0]!;
    const { id } = await world.connectionOf(p);
    const issue = await world.pairedIssue(p, `Crashed alert check on ${p.system.label}`);
    let outcome = {} as Record<AlertTarget, string[]>;
    const cases = new CrashCases(
      world.sandbox.platform,
      async (arm, tag) => {
        await p.remote.fault('bad-credentials', true);
        await editInJira(world, p, issue.key, `Changed while ${p.system.label} refuses (${tag})`);
        await world.quiet();
        const before = receivedAlerts(world, id);
        arm();
        await runAlertCheck(world);
        // The next scheduled check, five minutes later, finds what the crashed one left.
        await world.sandbox.platform.advanceTime(5 * MIN);
        await runAlertCheck(world);
        const after = receivedAlerts(world, id);
        outcome = Object.fromEntries(
          ALERT_TARGETS.map((t) => [
            t,
            after[t].slice(before[t].length).filter((x) => x.includes(':credential-refused:')),
          ]),
        ) as Record<AlertTarget, string[]>;
        // The case ends as it began: the credential works again, the clear is sent, nothing waits.
        await p.remote.fault('bad-credentials', false);
        await runAlertCheck(world);
        await world.quiet();
        await world.sandbox.platform.advanceTime(MIN);
      },
      'on-alert-check',
    );
    const [recorded] = await cases.record();
    expect(ALERT_TARGETS.map((t) => outcome[t].length)).toEqual([1, 1, 1, 1]);
    const from = kind === implementedSystems()[0]!.kind ? 1 : positionOf(recorded!, /transaction alert-state/);
    await atEachPosition(recorded!, positions(from, recorded!.calls.length), async (n) => {
      await cases.crash(recorded!, 1, n);
      for (const t of ALERT_TARGETS) {
        expect(new Set(outcome[t]).size).toBe(1);
        expect(outcome[t][0]).toMatch(/:credential-refused:\d+:start$/);
      }
      const repeats = ALERT_TARGETS.filter((t) => outcome[t].length > 1);
      expect(repeats.length).toBeLessThanOrEqual(1);
      // Only a crash right after a delivery repeats it: the call it crashed before was that delivery's record.
      if (repeats.length) expect(recorded!.calls[n - 1]).toMatch(/alert-state/);
    });
    const repeatsSeen = world.sandbox.alertSinks.received('webhook').filter((r) => r.duplicate);
    expect(repeatsSeen.every((r) => r.alertId?.startsWith(`${id}:credential-refused:`))).toBe(true);
  }, 600_000);
});
