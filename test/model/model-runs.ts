/**
 * The model holds every registered system to the promise (see harness.ts): the systems are shared between two test
 * files so jest runs two at a time. CI runs a fixed, fast subset; `npm run soak` runs thousands. To replay a
 * counterexample: MODEL_SYSTEM=<kind> MODEL_SEED=<seed> MODEL_PATH=<path> npx jest test/model/model
 */
import { implementedSystems } from '../../src/connectors/registry';
import { integerFromEnv, positiveIntegerFromEnv } from '../support/env';
import { ADAPTERS } from './adapters';
import { runModel } from './run-model';

export function describeModelRuns(share: number, shares: number): void {
  const runs = positiveIntegerFromEnv('MODEL_RUNS', 25);
  const replaySeed = integerFromEnv('MODEL_SEED');
  const seeds = replaySeed === undefined ? [42, 20261130] : [replaySeed];
  const only = process.env.MODEL_SYSTEM;
  const systems = implementedSystems().filter((s, i) => (only ? s.kind === only : i % shares === share));
  if (!systems.length && !only) throw new Error(`No system falls to share ${share} of ${shares}`);

  describe.each(systems.map((s) => [s.label, s.kind] as const))('the model, against %s', (_label, kind) => {
    it.each(seeds)(
      'converges with nothing lost, duplicated, echoed or invisible (seed %i)',
      async (seed) => {
        const totals = await runModel(ADAPTERS[kind]!(), {
          runs,
          seed,
          ...(process.env.MODEL_PATH ? { path: process.env.MODEL_PATH } : {}),
        });
        if (totals.counterexample) {
          const c = totals.counterexample;
          throw new Error(
            `Counterexample (seed ${c.seed}${c.path ? `, path ${c.path}` : ''}):\n${c.commands}\nProblems:\n${c.problems.join('\n')}`,
          );
        }
        // Every run it was asked for ran: none is no test at all.
        expect(totals.runs).toBeGreaterThan(0);
        expect(totals).toMatchObject({
          runs,
          lost: 0,
          duplicated: 0,
          unconverged: 0,
          echoLoops: 0,
          invisibleFailures: 0,
          alertsWrong: 0,
        });
      },
      600_000,
    );
  });
}
