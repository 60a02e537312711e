/**
 * The model's alert check, made to happen for every system: a run with two hour-long outages (past the alert
 * threshold of 30 minutes, each with an item failing) raises exactly one alert per outage and clears each once the
 * remote answers (the harness counts any other outcome in `alertsWrong`), and the run converges as any other.
 * Random runs meet outages too (the fault command), and their alerts are checked the same way.
 */
import { startSandbox, type Sandbox } from '../../sandbox/sandbox';
import { implementedSystems } from '../../src/connectors/registry';
import { ADAPTERS } from './adapters';
import { ModelHarness, zeroFailures } from './harness';

describe.each(implementedSystems().map((s) => [s.label, s.kind] as const))('outage alerts, %s', (_label, kind) => {
  let sandbox: Sandbox;
  let harness: ModelHarness;
  beforeAll(async () => {
    sandbox = await startSandbox({
      clock: 'manual',
      deterministic: true,
      chaos: { seed: 7, recycleProbability: 0 },
      pair: [kind as 'servicenow'],
      scheduleTriggers: false,
    });
    harness = new ModelHarness(sandbox, ADAPTERS[kind]!());
    await harness.setup();
  }, 120_000);
  afterAll(() => sandbox?.stop());

  it('raises one alert per outage past the threshold, and clears each', async () => {
    const result = await harness.runOnce([
      { kind: 'settle' },
      { kind: 'edit', side: 'jira', item: 0, field: 'summary', pick: 1 },
      { kind: 'fault', fault: 'outage' },
      { kind: 'edit', side: 'jira', item: 0, field: 'summary', pick: 0 },
      { kind: 'fault', fault: 'outage' },
    ]);
    expect(result.problems).toEqual([]);
    expect(zeroFailures(result)).toBe(true);
    const steps = sandbox.alertSinks
      .received('webhook')
      .filter((r) => r.verified && !r.duplicate && r.alertId?.includes(':unreachable:'))
      .map((r) => r.alertId!.split(':').pop());
    expect(steps).toEqual(['start', 'clear', 'start', 'clear']);
  }, 300_000);
});
