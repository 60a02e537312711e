/**
 * Cost of a synced change, measured in the sandbox: HTTP calls to Jira and
 * ServiceNow (the simulators' request logs, the app's own calls only), KVS
 * operations and GB-seconds (the platform's metering), echo writes, and a bulk
 * sync of existing issues. Prints a table, then one JSON line.
 *
 *   npm run bench                 (N=20 changes of each kind, M=100 issues in bulk)
 *   npm run bench -- --n=5 --m=30
 */
import { startSandbox } from '../sandbox/sandbox';
import { adf, jiraClient } from '../sandbox/sims/jira/test-client';
import { serviceNowClient } from '../sandbox/sims/servicenow/test-client';

const arg = (name: string, fallback: number) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const N = arg('n', 20);
const M = arg('m', 100);

async function main() {
  const sandbox = await startSandbox({ clock: 'manual' });
  const { platform, jira: jiraSim, servicenow } = sandbox;
  const jira = sandbox.jiraClient();
  const snAsAgent = serviceNowClient(sandbox.sims.servicenow, sandbox.sims.servicenow.credentials.agent);
  const settle = () => sandbox.settle();

  const appJira = () => jiraSim.controls.log.filter((r) => r.principal === 'app');
  const appSn = () => snLog.filter((r) => r.user === 'crosswalk.integration');
  let snLog: Array<{ method: string; user: string }> = [];
  const refreshSnLog = async () => {
    snLog = (await (await fetch(`${sandbox.sims.servicenow.controlUrl}/requests`)).json()) as typeof snLog;
  };

  /** Measures one kind of change: runs `act` n times and reports per-change figures. */
  async function measure(name: string, act: (i: number) => Promise<void>, echoSide: 'jira' | 'remote') {
    await settle();
    await refreshSnLog();
    const j0 = appJira().length;
    const s0 = appSn().length;
    const jw0 = appJira().filter((r) => r.method !== 'GET').length;
    const sw0 = appSn().filter((r) => r.method !== 'GET').length;
    platform.meter.reset();
    for (let i = 0; i < N; i++) {
      await act(i);
      await settle();
    }
    await refreshSnLog();
    const totals = platform.meter.totals();
    const jiraCalls = appJira().length - j0;
    const snCalls = appSn().length - s0;
    // An echo is a write back to the side the change came from.
    const echo = echoSide === 'jira' ? appJira().filter((r) => r.method !== 'GET').length - jw0 : appSn().filter((r) => r.method !== 'GET').length - sw0;
    const row = {
      kind: name,
      httpPerChange: (jiraCalls + snCalls) / N,
      jiraPerChange: jiraCalls / N,
      servicenowPerChange: snCalls / N,
      kvsOpsPerChange: (totals.kvs.reads + totals.kvs.writes) / N,
      kvsWritesPerChange: totals.kvs.writes / N,
      invocationsPerChange: totals.invocations / N,
      gbSecondsPerChange: totals.gbSeconds / N,
      echoWrites: echo,
    };
    console.log(`${name.padEnd(22)} http/change ${row.httpPerChange.toFixed(2)} (jira ${row.jiraPerChange.toFixed(2)}, sn ${row.servicenowPerChange.toFixed(2)})  kvs ops/change ${row.kvsOpsPerChange.toFixed(2)}  invocations/change ${row.invocationsPerChange.toFixed(2)}  GB-s/change ${row.gbSecondsPerChange.toFixed(4)}  echo writes ${echo}`);
    return row;
  }

  const issue = (await jira.request({ as: 'member' }, 'POST', '/rest/api/3/issue', { fields: { project: { key: 'DEMO' }, issuetype: { name: 'Task' }, summary: 'Bench issue' } })).json as { id: string; key: string };
  await settle();
  const incident = servicenow.store.rows('incident').find((r) => (r.correlation_id ?? '').endsWith(`:demo-servicenow:${issue.id}`))!;

  const jiraField = await measure('Jira field edit', (i) => jira.request({ as: 'member' }, 'PUT', `/rest/api/3/issue/${issue.key}`, { fields: { summary: `Bench summary ${i}` } }).then(() => undefined), 'jira');
  const snField = await measure('ServiceNow field edit', (i) => snAsAgent('PATCH', `/api/now/table/incident/${incident.sys_id}`, { short_description: `From ServiceNow ${i}` }).then(() => undefined), 'remote');
  const comment = await measure('Jira comment', (i) => jira.request({ as: 'member' }, 'POST', `/rest/api/3/issue/${issue.key}/comment`, { body: adf(`Bench comment ${i}`) }).then(() => undefined), 'jira');
  const snComment = await measure('ServiceNow comment', (i) => snAsAgent('PATCH', `/api/now/table/incident/${incident.sys_id}`, { comments: `Agent note ${i}` }).then(() => undefined), 'remote');
  const attachment = await measure(
    'Jira attachment (64 KB)',
    async (i) => {
      const form = new FormData();
      form.append('file', new Blob([Buffer.alloc(64 * 1024, i)], { type: 'application/octet-stream' }), `bench-${i}.bin`);
      await jira.request({ as: 'member' }, 'POST', `/rest/api/3/issue/${issue.key}/attachments`, form, { 'x-atlassian-token': 'no-check' });
    },
    'jira',
  );

  // Bulk: M existing issues whose creation events were lost, synced by the bulk action.
  platform.holdProductEvents();
  for (let i = 0; i < M; i++) await jira.request({ as: 'member' }, 'POST', '/rest/api/3/issue', { fields: { project: { key: 'DEMO' }, issuetype: { name: 'Task' }, summary: `Existing issue ${i}` } });
  platform.discardHeldProductEvents();
  const lead = jiraSim.site.state.users.find((u) => u.role === 'project-lead')!;
  const started = Date.now();
  const bulk = await platform.invokeResolver({ installationId: sandbox.installationId, moduleKey: 'crosswalk-settings', functionKey: 'bulkSync', payload: { connectionId: 'demo-servicenow' }, accountId: lead.accountId, context: { extension: { project: { id: '10000', key: 'DEMO' } } } });
  if (!bulk.ok) throw new Error(bulk.error);
  await platform.settle({ timeoutMs: 600_000 });
  const bulkSeconds = (Date.now() - started) / 1000;
  const progress = await platform.invokeResolver({ installationId: sandbox.installationId, moduleKey: 'crosswalk-settings', functionKey: 'bulkSyncProgress', payload: { connectionId: 'demo-servicenow' }, accountId: lead.accountId, context: { extension: { project: { id: '10000', key: 'DEMO' } } } });
  const p = (progress.ok ? (progress.body as { data: { total: number; success: number; failed: number } | null }).data : null) ?? { total: 0, success: 0, failed: 0 };
  const synced = servicenow.store.rows('incident').filter((r) => (r.short_description ?? '').startsWith('Existing issue')).length;
  console.log(`bulk sync              ${p.total} issues in scope, ${synced} of ${M} new ones have incidents, ${p.failed} failed jobs, ${bulkSeconds.toFixed(1)} s wall (platform time compressed by the manual clock)`);

  const result = {
    n: N,
    httpCallsPerFieldChange: round((jiraField.httpPerChange + snField.httpPerChange) / 2),
    httpCallsPerComment: round((comment.httpPerChange + snComment.httpPerChange) / 2),
    httpCallsPerAttachment: round(attachment.httpPerChange),
    echoWrites: jiraField.echoWrites + snField.echoWrites + comment.echoWrites + snComment.echoWrites + attachment.echoWrites,
    kvsOpsPerChange: round((jiraField.kvsOpsPerChange + snField.kvsOpsPerChange + comment.kvsOpsPerChange + snComment.kvsOpsPerChange) / 4),
    gbSecondsPerChange: round((jiraField.gbSecondsPerChange + snField.gbSecondsPerChange + comment.gbSecondsPerChange + snComment.gbSecondsPerChange) / 4, 5),
    bulkItems: M,
    bulkSynced: synced,
    bulkSeconds: round(bulkSeconds, 1),
    bulkFailures: p.failed + (M - synced),
  };
  await sandbox.stop();
  console.log(JSON.stringify(result));
}

function round(x: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
