/**
 * Cost of a synced change, per implemented connector, measured in the sandbox:
 * HTTP calls the app makes (to Jira and to the remote: the platform's meter of
 * product and egress requests), KVS operations and GB-seconds (the platform's
 * meter), echo writes (writes back to the side a change came from), and a bulk
 * sync of existing issues. Prints a table, then one JSON line: the top-level
 * keys are the worst figure across connectors, `byConnector` has each.
 *
 * - Bulk at the ceiling: the bulk sync of M existing issues with each
 *   simulator's rate limit on (ServiceNow: a rate-limit rule on the integration
 *   user, Zendesk: the Team plan's 200 requests a minute, Azure DevOps: 200
 *   TSTUs per 5-minute sliding window) and Forge's limits enforced by the
 *   platform in simulated time (500 events a minute per installation, function
 *   time limits). `bulkSimulatedMinutes` is the platform time the sync took,
 *   `bulkRateUsed` the requests the binding limit took ÷ what it allows over the
 *   windows the run used (the binding limit is the one closest to full),
 *   `bulkFailures` the issues without their remote item at the end.
 * - Steady state: `--steady-rate` mixed changes a minute (summary edits and
 *   comments, on both sides) for `--steady-minutes` simulated minutes; latency
 *   p50/p95 from the signal's arrival (its trigger or web trigger starting) to
 *   the confirmed remote write (the worker finishing), minus the time the job
 *   waited on the queue (the platform's delivery delay); calls per change.
 * - Conversion: the rich converters' time per MB each way on a realistic 1 MB body (ADF → HTML, HTML → ADF).
 * - Cold start: the bundled size of each function entry point and its module
 *   initialisation time (a fresh Node process requiring it).
 *
 *   npm run bench                                  (N=20 changes of each kind, 400 existing issues in bulk, 100 changes a minute for 10 minutes)
 *   npm run bench -- --n=5 --m=30 --connectors=servicenow --steady-minutes=2
 */
import { systemFor } from '../src/connectors/registry';
import { startSandbox, type Sandbox } from '../sandbox/sandbox';
import type { BusyAccountLimit, RequestLogEntry } from '../sandbox/simulated-system';
import { adf } from '../sandbox/sims/jira/test-client';
import type { RemoteAdapter } from '../test/model/adapter';
import { ADAPTERS } from '../test/model/adapters';
import { conversionRate } from './conversion-rate';

const arg = (name: string, fallback: string) =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback;
const N = Number(arg('n', '20'));
/** Existing issues in the bulk run (`--bulk N`, or `--m=N`), each with 5 comments and 1 attachment. */
const BULK_FLAG = process.argv.indexOf('--bulk');
const M = Number(
  BULK_FLAG >= 0 && process.argv[BULK_FLAG + 1] ? process.argv[BULK_FLAG + 1] : arg('bulk', arg('m', '400')),
);
const BULK_COMMENTS = 5;
/**
 * The bench measures how long work takes, so its waits let the manual clock run to whatever is due (up to a day, the
 * platform's old default) instead of holding the work to a bound as the tests do.
 */
const RUN_TO_WHAT_IS_DUE_MS = 25 * 3600_000;
const CONNECTORS = arg('connectors', Object.keys(ADAPTERS).join(','))
  .split(',')
  .filter((c) => ADAPTERS[c]);
const STEADY_RATE = Number(arg('steady-rate', '100'));
const STEADY_MINUTES = Number(arg('steady-minutes', '10'));
/** `--trace`: after each measured kind, the calls and KVS operations of its last change, invocation by invocation. */
const TRACE = process.argv.includes('--trace');

/** How many of a limit's windows a run from `start` to `end` (epoch ms) used. */
function windowsUsed(c: Pick<BusyAccountLimit, 'windowSeconds' | 'clockAligned'>, start: number, end: number): number {
  const w = c.windowSeconds * 1000;
  // Clock windows: every one the run touched. Windows from the first request (ServiceNow's rules) or sliding (Azure DevOps): a new one opens at each full window.
  return c.clockAligned ? Math.floor(end / w) - Math.floor(start / w) + 1 : Math.floor((end - start) / w) + 1;
}

/** The rate limit a busy account of the system meets, switched on by its simulator (each system says its own). */
async function switchOnRateLimit(sandbox: Sandbox, name: string): Promise<BusyAccountLimit> {
  const sim = sandbox.remotes[name];
  if (!sim?.busyAccountLimit) throw new Error(`${name}: its simulator names no rate limit for the bulk run`);
  return sim.busyAccountLimit();
}

/** Every request the system's simulator answered, in order (each simulator keeps the log at `<controlUrl>/requests`). */
async function remoteLog(sandbox: Sandbox, name: string): Promise<RequestLogEntry[]> {
  const res = await fetch(`${sandbox.remotes[name]!.controlUrl}/requests`);
  if (!res.ok) throw new Error(`${name}: its request log answered ${res.status}`);
  return (await res.json()) as RequestLogEntry[];
}

function percentile(xs: number[], p: number): number {
  if (!xs.length) return 0;
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

interface Row {
  httpPerChange: number;
  kvsOpsPerChange: number;
  gbSecondsPerChange: number;
  echoWrites: number;
}

function round(x: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

async function benchConnector(name: string): Promise<Record<string, number>> {
  const remote: RemoteAdapter = ADAPTERS[name]!();
  const sandbox: Sandbox = await startSandbox({
    clock: 'manual',
    pair: [name],
    scheduleTriggers: false,
  });
  try {
    await sandbox.settle({ maxAdvanceMs: RUN_TO_WHAT_IS_DUE_MS });
    await remote.setup(sandbox);
    const { platform } = sandbox;
    const jira = sandbox.jiraClient();
    const project = sandbox.jira.site.state.projects.find((p) => p.key === remote.projectKey)!;
    const person = project.key === 'OPS' ? 'admin' : 'member';
    const jiraWrites = () => sandbox.jira.site.events.filter((e) => e.selfGenerated).length;
    /** Delivers the remote's notifications and works until nothing more happens. */
    const quiet = async () => {
      for (let round = 0; round < 10; round++) {
        const before = platform.meter.invocations().length;
        await remote.notifications.deliver();
        await platform.settle({ maxAdvanceMs: RUN_TO_WHAT_IS_DUE_MS });
        if (platform.meter.invocations().length === before) return;
      }
    };
    const issue = (
      await jira.request({ as: person }, 'POST', '/rest/api/3/issue', {
        fields: { project: { key: remote.projectKey }, issuetype: { name: 'Task' }, summary: 'Bench issue' },
      })
    ).json as { id: string; key: string };
    await quiet();
    const remoteId = remote.remotesForIssue(issue.id)[0];
    if (!remoteId) throw new Error(`${name}: the bench issue did not sync`);

    async function measure(kind: string, act: (i: number) => Promise<void>, from: 'jira' | 'remote'): Promise<Row> {
      await quiet();
      platform.meter.reset();
      const echo0 = from === 'jira' ? jiraWrites() : await remote.writesByCrosswalk();
      let lastStart = 0;
      for (let i = 0; i < N; i++) {
        lastStart = platform.meter.invocations().length;
        // People's changes are apart in time (the manual clock would otherwise give every change the same instant).
        platform.manualClock.advance(1000);
        await act(i);
        await quiet();
      }
      if (TRACE)
        for (const r of platform.meter.invocations().slice(lastStart))
          console.log(
            `  trace ${kind}: ${r.moduleType}/${r.functionKey} ${r.outcome}\n${[...r.requests.map((q) => `    http ${q}`), ...r.kvsCalls.map((k) => `    kvs  ${k.path} ${k.keys.join(' ')}`)].join('\n')}`,
          );
      const totals = platform.meter.totals();
      const echo = (from === 'jira' ? jiraWrites() : await remote.writesByCrosswalk()) - echo0;
      const row = {
        httpPerChange: (totals.productRequests + totals.egressRequests) / N,
        kvsOpsPerChange: (totals.kvs.reads + totals.kvs.writes) / N,
        gbSecondsPerChange: totals.gbSeconds / N,
        echoWrites: echo,
      };
      console.log(
        `${name.padEnd(13)} ${kind.padEnd(18)} http/change ${row.httpPerChange.toFixed(2)}  kvs ops/change ${row.kvsOpsPerChange.toFixed(2)}  invocations/change ${(totals.invocations / N).toFixed(2)}  GB-s/change ${row.gbSecondsPerChange.toFixed(4)}  echo writes ${echo}`,
      );
      return row;
    }

    const jiraField = await measure(
      'Jira field edit',
      (i) =>
        jira
          .request({ as: person }, 'PUT', `/rest/api/3/issue/${issue.key}`, {
            fields: { summary: `Bench summary ${i}` },
          })
          .then(() => undefined),
      'jira',
    );
    const remoteField = await measure(
      'remote field edit',
      (i) => remote.edit(remoteId, { summary: `From the remote ${i}` }),
      'remote',
    );
    const jiraComment = await measure(
      'Jira comment',
      (i) =>
        jira
          .request({ as: person }, 'POST', `/rest/api/3/issue/${issue.key}/comment`, {
            body: adf(`Bench comment ${i}`),
          })
          .then(() => undefined),
      'jira',
    );
    const remoteComment = await measure(
      'remote comment',
      (i) => remote.comment(remoteId, `Agent note ${i}`, false),
      'remote',
    );
    const attachment = await measure(
      'Jira file (64 KB)',
      async (i) => {
        const form = new FormData();
        form.append(
          'file',
          new Blob([Buffer.alloc(64 * 1024, i)], { type: 'application/octet-stream' }),
          `bench-${i}.bin`,
        );
        await jira.request({ as: person }, 'POST', `/rest/api/3/issue/${issue.key}/attachments`, form, {
          'x-atlassian-token': 'no-check',
        });
      },
      'jira',
    );

    // A screenshot pasted into the Jira description (the editor attaches the file, then saves the document naming
    // it): the file's copy and the description's write, shown inline where the remote can, as one change.
    const inlineImage = await measure(
      'description+image',
      async (i) => {
        const form = new FormData();
        form.append('file', new Blob([Buffer.alloc(8 * 1024, i)], { type: 'image/png' }), `screenshot-${i}.png`);
        const up = await jira.request({ as: person }, 'POST', `/rest/api/3/issue/${issue.key}/attachments`, form, {
          'x-atlassian-token': 'no-check',
        });
        const attachmentId = (up.json as Array<{ id: string }>)[0]!.id;
        const redirect = await jira.request({ as: person }, 'GET', `/rest/api/3/attachment/content/${attachmentId}`);
        const media = /\/file\/([0-9a-f-]{36})\//.exec(redirect.headers.get('location') ?? '')![1]!;
        await jira.request({ as: person }, 'PUT', `/rest/api/3/issue/${issue.key}`, {
          fields: {
            description: {
              version: 1,
              type: 'doc',
              content: [
                { type: 'paragraph', content: [{ type: 'text', text: `Screenshot ${i}:` }] },
                {
                  type: 'mediaSingle',
                  attrs: { layout: 'center' },
                  content: [{ type: 'media', attrs: { type: 'file', id: media, collection: '' } }],
                },
              ],
            },
          },
        });
      },
      'jira',
    );

    // Steady state first, before any rate limit is switched on.
    const steady = await steadyState(name, sandbox, remote, issue, remoteId, person);

    // Bulk: M existing issues whose creation events were lost, synced by the bulk action.
    platform.holdProductEvents();
    const existing: string[] = [];
    for (let i = 0; i < M; i++) {
      const made = (
        await jira.request({ as: person }, 'POST', '/rest/api/3/issue', {
          fields: { project: { key: remote.projectKey }, issuetype: { name: 'Task' }, summary: `Existing issue ${i}` },
        })
      ).json as { id: string; key: string };
      existing.push(made.id);
      for (let c = 0; c < BULK_COMMENTS; c++)
        await jira.request({ as: person }, 'POST', `/rest/api/3/issue/${made.key}/comment`, {
          body: adf(`Existing comment ${c} on issue ${i}`),
        });
      const form = new FormData();
      form.append(
        'file',
        new Blob([Buffer.alloc(16 * 1024, i % 251)], { type: 'application/octet-stream' }),
        `existing-${i}.bin`,
      );
      await jira.request({ as: person }, 'POST', `/rest/api/3/issue/${made.key}/attachments`, form, {
        'x-atlassian-token': 'no-check',
      });
    }
    platform.discardHeldProductEvents();
    const lead = sandbox.jira.site.state.users.find((u) => u.accountId === project.leadAccountId)!;
    const context = { extension: { type: 'jira:projectSettingsPage', project: { id: project.id, key: project.key } } };
    const ceiling = await switchOnRateLimit(sandbox, name);
    const logBefore = (await remoteLog(sandbox, name)).length;
    platform.meter.reset();
    const simStart = platform.clock.now();
    const started = Date.now();
    const bulk = await platform.invokeResolver({
      installationId: sandbox.installationId,
      moduleKey: 'crosswalk-settings',
      functionKey: 'bulkSync',
      payload: { connectionId: remote.connectionId },
      accountId: lead.accountId,
      context,
    });
    if (!bulk.ok || !(bulk.body as { ok: boolean }).ok)
      throw new Error(`${name}: bulk sync refused: ${JSON.stringify(bulk)}`);
    // Until every issue has its remote item (rate-limited jobs come back after their window; the platform clock moves to them).
    const takesFiles = systemFor(name)?.capabilities.attachments.upload !== false;
    const done = (id: string) => {
      const ids = remote.remotesForIssue(id);
      if (ids.length !== 1) return false;
      const item = remote.read(ids[0]!);
      // A remote that takes no files (GitHub) keeps the file in Jira, as the issue says.
      return item.comments.length >= BULK_COMMENTS && (!takesFiles || item.files.length >= 1);
    };
    for (let round = 0; round < 2000 && !existing.every(done); round++) {
      await platform.settle({ maxAdvanceMs: RUN_TO_WHAT_IS_DUE_MS, timeoutMs: 600_000 });
      await quiet();
      if (!existing.every(done)) await platform.advanceTime(60_000);
    }
    const simMs = platform.clock.now() - simStart;
    const bulkSeconds = (Date.now() - started) / 1000;
    const synced = existing.filter(done).length;
    const log = (await remoteLog(sandbox, name)).slice(logBefore);
    const counted = ceiling.counts ?? ((r: RequestLogEntry) => r.status !== 429);
    const taken = log.filter((r) => counted(r)).length;
    const windows = windowsUsed(ceiling, simStart, simStart + simMs);
    const remoteUse = taken / (ceiling.limit * windows);
    const bulkTotals = platform.meter.totals();
    const eventWindows = windowsUsed({ windowSeconds: 60 }, simStart, simStart + simMs);
    const eventUse = bulkTotals.eventsPushed / (500 * eventWindows);
    const binding = remoteUse >= eventUse ? ceiling.label : 'Forge, 500 events a minute per installation';
    const bulkRateUsed = Math.max(remoteUse, eventUse);
    console.log(
      `${name.padEnd(13)} bulk sync          ${synced} of ${M} existing issues (${BULK_COMMENTS} comments and a file each) have their remote item, comments and file in ${(simMs / 60_000).toFixed(1)} simulated minutes (${bulkSeconds.toFixed(1)} s wall); binding limit: ${binding}, used ${(bulkRateUsed * 100).toFixed(0)}% (${taken} requests it counts, of ${log.length} answered; ${bulkTotals.eventsPushed} events); KVS ops/item ${((bulkTotals.kvs.reads + bulkTotals.kvs.writes) / M).toFixed(2)}, GB-s/item ${(bulkTotals.gbSeconds / M).toFixed(4)}`,
    );

    return {
      httpCallsPerFieldChange: round((jiraField.httpPerChange + remoteField.httpPerChange) / 2),
      httpCallsPerComment: round((jiraComment.httpPerChange + remoteComment.httpPerChange) / 2),
      httpCallsPerAttachment: round(attachment.httpPerChange),
      httpCallsPerInlineImageDescription: round(inlineImage.httpPerChange),
      echoWrites:
        jiraField.echoWrites +
        remoteField.echoWrites +
        jiraComment.echoWrites +
        remoteComment.echoWrites +
        attachment.echoWrites +
        inlineImage.echoWrites,
      kvsOpsPerChange: round(
        (jiraField.kvsOpsPerChange +
          remoteField.kvsOpsPerChange +
          jiraComment.kvsOpsPerChange +
          remoteComment.kvsOpsPerChange) /
          4,
      ),
      gbSecondsPerChange: round(
        (jiraField.gbSecondsPerChange +
          remoteField.gbSecondsPerChange +
          jiraComment.gbSecondsPerChange +
          remoteComment.gbSecondsPerChange) /
          4,
        5,
      ),
      bulkItems: M,
      bulkSynced: synced,
      bulkSeconds: round(bulkSeconds, 1),
      bulkFailures: M - synced,
      bulkSimulatedMinutes: round(simMs / 60_000, 1),
      bulkRateUsed: round(bulkRateUsed, 3),
      bulkKvsOpsPerItem: round((bulkTotals.kvs.reads + bulkTotals.kvs.writes) / M),
      bulkGbSecondsPerItem: round(bulkTotals.gbSeconds / M, 5),
      ...steady,
    };
  } finally {
    await sandbox.stop();
  }
}

/**
 * 100 mixed changes a minute (summary edits and comments on both sides) for
 * the given simulated minutes (before the bulk run switches rate limits on). Latency
 * per change: from its signal's invocation starting to the worker that copied
 * it finishing, without the time the job waited on the queue.
 */
async function steadyState(
  name: string,
  sandbox: Sandbox,
  remote: RemoteAdapter,
  issue: { id: string; key: string },
  remoteId: string,
  person: 'admin' | 'member',
): Promise<Record<string, number>> {
  const { platform } = sandbox;
  const jira = sandbox.jiraClient();
  await platform.settle({ maxAdvanceMs: RUN_TO_WHAT_IS_DUE_MS });
  platform.meter.reset();
  const latencies: number[] = [];
  const gap = Math.floor(60_000 / STEADY_RATE);
  let changes = 0;
  for (let minute = 0; minute < STEADY_MINUTES; minute++) {
    for (let k = 0; k < STEADY_RATE; k++) {
      platform.manualClock.advance(gap);
      const i = minute * STEADY_RATE + k;
      const before = platform.meter.invocations().length;
      const kind = i % 4;
      if (kind === 0)
        await jira.request({ as: person }, 'PUT', `/rest/api/3/issue/${issue.key}`, {
          fields: { summary: `Steady ${i}` },
        });
      else if (kind === 1) await remote.edit(remoteId, { summary: `Steady remote ${i}` });
      else if (kind === 2)
        await jira.request({ as: person }, 'POST', `/rest/api/3/issue/${issue.key}/comment`, {
          body: adf(`Steady comment ${i}`),
        });
      else await remote.comment(remoteId, `Steady note ${i}`, false);
      await remote.notifications.deliver();
      await platform.settle({ maxAdvanceMs: 0 });
      await remote.notifications.deliver();
      await platform.settle({ maxAdvanceMs: 0 });
      const runs = platform.meter.invocations().slice(before);
      const signal = runs.find((r) => r.moduleType === 'trigger' || r.moduleType === 'webtrigger');
      const workers = runs.filter((r) => r.functionKey === 'sync-worker');
      if (!signal || !workers.length) continue;
      // Processing only: the signal's own run plus each worker run (the queue's wait between them is the platform's delivery delay).
      latencies.push(signal.durationMs + workers.reduce((n, w) => n + w.durationMs, 0));
      changes++;
    }
  }
  const totals = platform.meter.totals();
  const row = {
    steadyChanges: changes,
    steadyLatencyP50Ms: round(percentile(latencies, 50), 0),
    steadyLatencyP95Ms: round(percentile(latencies, 95), 0),
    steadyHttpCallsPerChange: round((totals.productRequests + totals.egressRequests) / Math.max(1, changes)),
    steadyKvsOpsPerChange: round((totals.kvs.reads + totals.kvs.writes) / Math.max(1, changes)),
  };
  console.log(
    `${name.padEnd(13)} steady state       ${changes} changes over ${STEADY_MINUTES} simulated minutes: latency p50 ${row.steadyLatencyP50Ms} ms, p95 ${row.steadyLatencyP95Ms} ms (without queue delivery); ${row.steadyHttpCallsPerChange} HTTP calls, ${row.steadyKvsOpsPerChange} KVS ops per change`,
  );
  return row;
}

/**
 * Each function entry point (one handler file per manifest function), bundled
 * as a deploy bundles it (npm packages included, the Forge runtime's own
 * @forge/* packages left to the runtime): its size, and its module
 * initialisation time, the median of three fresh Node processes requiring it.
 */
async function coldStart(): Promise<Record<string, { bundleKB: number; initMs: number }>> {
  const { build } = await import('esbuild');
  const { execFileSync } = await import('node:child_process');
  const fs = await import('node:fs');
  const path = await import('node:path');
  const appDir = path.resolve(__dirname, '..');
  // Inside the app, so a bundle finds the runtime's packages as a deployed one does.
  fs.mkdirSync(path.join(appDir, '.forge-build'), { recursive: true });
  const outDir = fs.mkdtempSync(path.join(appDir, '.forge-build', 'cold-'));
  const out: Record<string, { bundleKB: number; initMs: number }> = {};
  try {
    for (const file of fs
      .readdirSync(path.join(appDir, 'src', 'handlers'))
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))) {
      const outfile = path.join(outDir, file.replace(/\.ts$/, '.cjs'));
      await build({
        entryPoints: [path.join(appDir, 'src', 'handlers', file)],
        outfile,
        bundle: true,
        platform: 'node',
        format: 'cjs',
        target: 'node20',
        external: ['@forge/*'],
        logLevel: 'silent',
      });
      const script = `const t = process.hrtime.bigint(); require(${JSON.stringify(outfile)}); process.stdout.write(String(Number(process.hrtime.bigint() - t) / 1e6));`;
      const runs = [0, 1, 2].map(() =>
        Number(execFileSync(process.execPath, ['-e', script], { cwd: appDir, encoding: 'utf8' })),
      );
      out[file.replace(/\.ts$/, '')] = {
        bundleKB: round(fs.statSync(outfile).size / 1024, 1),
        initMs: round(percentile(runs, 50), 1),
      };
    }
  } finally {
    fs.rmSync(outDir, { recursive: true, force: true });
  }
  return out;
}

async function main(): Promise<void> {
  const byConnector: Record<string, Record<string, number>> = {};
  for (const name of CONNECTORS) byConnector[name] = await benchConnector(name);
  const rows = Object.values(byConnector);
  const worst = (key: string, pick: (xs: number[]) => number = (xs) => Math.max(...xs)) =>
    pick(rows.map((r) => r[key]!));
  // The rich converters' speed on a realistic 1 MB body (bench/conversion-rate.ts; shapes in `npm run bench:content`).
  const conversion = conversionRate((run, runs = 5) => {
    let min = Infinity;
    for (let i = 0; i < runs; i++) {
      const start = process.hrtime.bigint();
      run();
      min = Math.min(min, Number(process.hrtime.bigint() - start) / 1e6);
    }
    return min;
  });
  console.log(`conversion         ${conversion.summary}`);
  const result = {
    n: N,
    conversionMsPerMb: conversion.perMb,
    connectors: CONNECTORS,
    httpCallsPerFieldChange: worst('httpCallsPerFieldChange'),
    httpCallsPerComment: worst('httpCallsPerComment'),
    httpCallsPerAttachment: worst('httpCallsPerAttachment'),
    httpCallsPerInlineImageDescription: worst('httpCallsPerInlineImageDescription'),
    echoWrites: worst('echoWrites'),
    kvsOpsPerChange: worst('kvsOpsPerChange'),
    gbSecondsPerChange: worst('gbSecondsPerChange'),
    bulkItems: M,
    bulkSynced: worst('bulkSynced', (xs) => Math.min(...xs)),
    bulkSeconds: worst('bulkSeconds'),
    bulkFailures: worst('bulkFailures'),
    bulkSimulatedMinutes: worst('bulkSimulatedMinutes'),
    bulkRateUsed: worst('bulkRateUsed', (xs) => Math.min(...xs)),
    steadyLatencyP50Ms: worst('steadyLatencyP50Ms'),
    steadyLatencyP95Ms: worst('steadyLatencyP95Ms'),
    coldStart: await coldStart().catch((e: unknown) => ({ error: String(e) })),
    byConnector,
  };
  if ('error' in result.coldStart) console.error(`cold start: ${result.coldStart.error}`);
  else
    for (const [fn, c] of Object.entries(result.coldStart))
      console.log(`cold start         ${fn.padEnd(28)} bundle ${c.bundleKB} KB, module init ${c.initMs} ms`);
  console.log(JSON.stringify(result));
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
