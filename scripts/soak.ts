/**
 * `npm run soak -- --runs N --seed S [--workers W] [--connectors servicenow]`:
 * the model harness (test/model) for many runs across seeds against every
 * implemented connector, in parallel worker processes, with a progress bar on
 * stderr. The last line on stdout is one JSON object:
 * {"runs":N,"connectors":[...],"lost":0,"duplicated":0,"unconverged":0,"echoLoops":0,"invisibleFailures":0,"alertsWrong":0,"seconds":S}
 */
import { fork } from 'node:child_process';
import os from 'node:os';
import { ADAPTERS } from '../test/model/adapters';
import { addTotals, noTotals, runModel, type ModelTotals } from '../test/model/run-model';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1]! : fallback;
};

interface Share {
  connector: string;
  runs: number;
  seed: number;
}

const BATCH = 50;

async function child(share: Share): Promise<void> {
  const adapter = ADAPTERS[share.connector]!();
  const totals = noTotals();
  // Fresh seeds every batch: many short property runs cover more ground than one long one, and a sandbox stays small.
  for (let done = 0, batch = 0; done < share.runs; batch++) {
    const runs = Math.min(BATCH, share.runs - done);
    const t = await runModel(adapter, {
      runs,
      seed: share.seed + batch * 7919,
      onRun: () => process.send!({ tick: 1 }),
    });
    addTotals(totals, t);
    if (t.counterexample) process.send!({ counterexample: { connector: share.connector, ...t.counterexample } });
    done += runs;
  }
  process.send!({ totals });
}

async function main(): Promise<void> {
  if (process.env.SOAK_SHARE) return child(JSON.parse(process.env.SOAK_SHARE) as Share);
  const runs = Number(arg('runs', '10000'));
  const seed = Number(arg('seed', '1'));
  const connectors = arg('connectors', Object.keys(ADAPTERS).join(','))
    .split(',')
    .filter((c) => ADAPTERS[c]);
  const workers = Math.max(
    1,
    Number(arg('workers', String(Math.max(1, os.availableParallelism?.() ?? os.cpus().length)))),
  );
  const started = Date.now();
  const shares: Share[] = [];
  const perConnector = Math.ceil(runs / connectors.length);
  connectors.forEach((connector, ci) => {
    const per = Math.ceil(perConnector / workers);
    for (let w = 0, left = perConnector; w < workers && left > 0; w++, left -= per)
      shares.push({ connector, runs: Math.min(per, left), seed: seed + ci * 1_000_003 + w * 104_729 });
  });
  const total = shares.reduce((n, s) => n + s.runs, 0);
  const sum = noTotals();
  let ticks = 0;
  const draw = () => {
    const width = 30;
    // Shrinking a counterexample runs more than the share: the bar stays full rather than overflowing.
    const filled = Math.min(width, Math.round((ticks / total) * width));
    process.stderr.write(
      `\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${ticks}/${total} runs, ${Math.round((Date.now() - started) / 1000)} s`,
    );
  };
  const queue = [...shares];
  const running = new Set<Promise<void>>();
  const startOne = (share: Share) => {
    const p = new Promise<void>((resolve, reject) => {
      const proc = fork(__filename, [], {
        env: { ...process.env, SOAK_SHARE: JSON.stringify(share) },
        execArgv: process.execArgv,
        stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
      });
      proc.on(
        'message',
        (m: {
          tick?: number;
          totals?: ModelTotals;
          counterexample?: ModelTotals['counterexample'] & { connector: string };
        }) => {
          if (m.tick) {
            ticks += m.tick;
            draw();
          }
          if (m.totals) addTotals(sum, m.totals);
          if (m.counterexample)
            process.stderr.write(
              `\nCounterexample on ${m.counterexample.connector} (seed ${m.counterexample.seed}${m.counterexample.path ? `, path ${m.counterexample.path}` : ''}):\n${m.counterexample.commands}\n${m.counterexample.problems.join('\n')}\n`,
            );
        },
      );
      proc.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`soak worker exited with ${code}`))));
    });
    running.add(p);
    void p.finally(() => running.delete(p)).catch(() => undefined);
  };
  while (queue.length && running.size < workers) startOne(queue.shift()!);
  while (running.size) {
    await Promise.race(running);
    while (queue.length && running.size < workers) startOne(queue.shift()!);
  }
  process.stderr.write('\n');
  const result = {
    runs: sum.runs,
    connectors,
    lost: sum.lost,
    duplicated: sum.duplicated,
    unconverged: sum.unconverged,
    echoLoops: sum.echoLoops,
    invisibleFailures: sum.invisibleFailures,
    alertsWrong: sum.alertsWrong,
    seconds: Math.round((Date.now() - started) / 1000),
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
  const clean =
    result.lost +
      result.duplicated +
      result.unconverged +
      result.echoLoops +
      result.invisibleFailures +
      result.alertsWrong ===
      0 && result.runs >= runs;
  process.exit(clean ? 0 : 1);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
