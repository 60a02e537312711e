/**
 * The model's refused write, played the same way against every system: Jira's admin renames the priority "Low", a
 * remote person sets the item's priority to Low with a new title, and later renames it back. The title must cross
 * at once and the refusal show on the issue panel (the harness counts an invisible one); once the name is back, the
 * rested refusal is tried again and the pair converges, with nothing lost and no echo.
 */
import { startSandbox, type Sandbox } from '../../sandbox/sandbox';
import { implementedSystems } from '../../src/connectors/registry';
import { ADAPTERS } from './adapters';
import { ModelHarness, zeroFailures, type Command } from './harness';

const REFUSED: Command[] = [
  { kind: 'settle' },
  { kind: 'refuse', item: 0 },
  { kind: 'edit', side: 'jira', item: 0, field: 'summary', pick: 0 },
  { kind: 'settle' },
];

describe.each(implementedSystems().map((s) => [s.label, s.kind] as const))(
  'a refused write, against %s',
  (_l, kind) => {
    let sandbox: Sandbox;
    let harness: ModelHarness;
    beforeAll(async () => {
      sandbox = await startSandbox({
        clock: 'manual',
        deterministic: true,
        chaos: { seed: 1, recycleProbability: 0 },
        pair: [kind as 'servicenow'],
        scheduleTriggers: false,
      });
      harness = new ModelHarness(sandbox, ADAPTERS[kind]!());
      await harness.setup();
    }, 120_000);
    afterAll(() => sandbox?.stop());

    it('writes the rest, shows the refusal, and converges once its cause clears', async () => {
      const result = await harness.runOnce(REFUSED);
      expect(result.problems).toEqual([]);
      expect(zeroFailures(result)).toBe(true);
    }, 120_000);
  },
);
