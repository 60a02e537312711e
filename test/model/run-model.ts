/**
 * Runs the model harness against one connector for a number of fast-check
 * runs from a seed; shared by the jest suite (a fixed, fast subset) and
 * `npm run soak` (thousands of runs across seeds).
 */
import fc from 'fast-check';
import { startSandbox } from '../../sandbox/sandbox';
import type { RemoteAdapter } from './adapter';
import { commandsArb, describeCommands, ModelHarness, zeroFailures, type Command, type RunResult } from './harness';

export interface ModelTotals {
  runs: number;
  lost: number;
  duplicated: number;
  unconverged: number;
  echoLoops: number;
  invisibleFailures: number;
  /** Outages past the alert threshold without exactly one alert and its clear. */
  alertsWrong: number;
  /** The shrunk counterexample, when one was found. */
  counterexample?: { seed: number; path?: string; commands: string; problems: string[] };
}

/** The counts a model run adds up, each zero when nothing went wrong (besides `runs`). */
export const TOTAL_COUNTS = [
  'runs',
  'lost',
  'duplicated',
  'unconverged',
  'echoLoops',
  'invisibleFailures',
  'alertsWrong',
] as const;

export const noTotals = (): ModelTotals => ({
  runs: 0,
  lost: 0,
  duplicated: 0,
  unconverged: 0,
  echoLoops: 0,
  invisibleFailures: 0,
  alertsWrong: 0,
});

/** Adds `more`'s counts into `into`. */
export function addTotals(into: ModelTotals, more: Pick<ModelTotals, (typeof TOTAL_COUNTS)[number]>): void {
  for (const k of TOTAL_COUNTS) into[k] += more[k];
}

export async function runModel(
  adapter: RemoteAdapter,
  opts: { runs: number; seed: number; path?: string; onRun?: (done: number) => void; maxCommands?: number },
): Promise<ModelTotals> {
  if (!Number.isInteger(opts.runs) || opts.runs < 1)
    throw new Error(`A model run needs at least one run, not ${opts.runs}`);
  // Warm instances are thrown away at random (seeded): module state cannot be relied on.
  // Only the connection under test is paired: the others' sweeps would only cost time.
  const sandbox = await startSandbox({
    clock: 'manual',
    deterministic: true,
    chaos: { seed: opts.seed, recycleProbability: 0.05 },
    pair: [adapter.name as 'servicenow' | 'azure-devops' | 'zendesk'],
    scheduleTriggers: false,
  });
  const totals = noTotals();
  try {
    const harness = new ModelHarness(sandbox, adapter);
    await harness.setup();
    let last: RunResult | undefined;
    /** The problems of the latest failing run (shrinking ends on passing runs, and a replay may not fail again). */
    let failed: { problems: string[]; commands: readonly Command[] } | undefined;
    let lastCommands: readonly Command[] = [];
    const outcome = await fc.check(
      fc.asyncProperty(
        opts.maxCommands ? commandsArb.filter((c) => c.length <= opts.maxCommands!) : commandsArb,
        async (commands) => {
          const r = await harness.runOnce(commands);
          last = r;
          lastCommands = commands;
          totals.runs++;
          totals.lost += r.lost;
          totals.duplicated += r.duplicated;
          totals.unconverged += r.unconverged;
          totals.echoLoops += r.echoLoops;
          totals.invisibleFailures += r.invisibleFailures;
          totals.alertsWrong += r.alertsWrong;
          opts.onRun?.(totals.runs);
          if (!zeroFailures(r)) failed = { problems: r.problems, commands };
          return zeroFailures(r);
        },
      ),
      { numRuns: opts.runs, seed: opts.seed, ...(opts.path ? { path: opts.path } : {}), endOnFailure: false },
    );
    if (outcome.failed) {
      const shrunk = (outcome.counterexample?.[0] ?? lastCommands) as readonly Command[];
      // Replay the shrunk sequence once more to say what went wrong in it.
      const replay = await harness
        .runOnce(shrunk)
        .catch(
          (e: unknown) =>
            ({ problems: [`threw: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`] }) as Pick<
              RunResult,
              'problems'
            >,
        );
      const error = outcome.errorInstance instanceof Error ? [`threw: ${outcome.errorInstance.message}`] : [];
      totals.counterexample = {
        seed: outcome.seed,
        ...(outcome.counterexamplePath ? { path: outcome.counterexamplePath } : {}),
        commands: describeCommands(shrunk),
        problems: [
          ...error,
          ...replay.problems,
          ...(replay.problems.length
            ? []
            : [
                `(the replay passed; the latest failing run, ${failed?.commands.length ?? '?'} commands, said:)`,
                ...(failed?.problems ?? last?.problems ?? []),
                ...(failed ? ['Its commands:', describeCommands(failed.commands)] : []),
              ]),
        ],
      };
    }
  } finally {
    await sandbox.stop();
  }
  return totals;
}
