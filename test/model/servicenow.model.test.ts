/**
 * The model holds ServiceNow to the promise (see harness.ts). CI runs a fixed,
 * fast subset; `npm run soak` runs thousands. To replay a counterexample:
 * MODEL_SEED=<seed> MODEL_PATH=<path> npx jest test/model/servicenow.model.test.ts
 */
import { integerFromEnv, positiveIntegerFromEnv } from '../support/env';
import { runModel } from './run-model';
import { serviceNowAdapter } from './servicenow';

const runs = positiveIntegerFromEnv('MODEL_RUNS', 25);
const replaySeed = integerFromEnv('MODEL_SEED');
const seeds = replaySeed === undefined ? [42, 20261130] : [replaySeed];

describe('the model, against ServiceNow', () => {
  it.each(seeds)(
    'converges with nothing lost, duplicated, echoed or invisible (seed %i)',
    async (seed) => {
      const totals = await runModel(serviceNowAdapter(), {
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
      });
    },
    600_000,
  );
});
