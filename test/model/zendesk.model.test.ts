/**
 * The model holds Zendesk to the promise (see harness.ts). CI runs a fixed,
 * fast subset; `npm run soak` runs thousands. To replay a counterexample:
 * MODEL_SEED=<seed> MODEL_PATH=<path> npx jest test/model/zendesk.model.test.ts
 */
import { runModel } from './run-model';
import { zendeskAdapter } from './zendesk';

const runs = Number(process.env.MODEL_RUNS ?? 25);
const seeds = process.env.MODEL_SEED ? [Number(process.env.MODEL_SEED)] : [42, 20261130];

describe('the model, against Zendesk', () => {
  it.each(seeds)(
    'converges with nothing lost, duplicated, echoed or invisible (seed %i)',
    async (seed) => {
      const totals = await runModel(zendeskAdapter(), {
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
