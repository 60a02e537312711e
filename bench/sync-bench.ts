/**
 * Cost of a synced change, per implemented connector, measured in the sandbox:
 * HTTP calls the app makes (to Jira and to the remote: the platform's meter of
 * product and egress requests), KVS operations and GB-seconds (the platform's
 * meter), echo writes (writes back to the side a change came from), and a bulk
 * sync of existing issues. Prints a table, then one JSON line: the top-level
 * keys are the worst figure across connectors, `byConnector` has each.
 *
 *   npm run bench                                  (N=20 changes of each kind, M=100 issues in bulk)
 *   npm run bench -- --n=5 --m=30 --connectors=servicenow
 */
import { startSandbox, type Sandbox } from '../sandbox/sandbox';
import { adf } from '../sandbox/sims/jira/test-client';
import type { RemoteAdapter } from '../test/model/adapter';
import { ADAPTERS } from '../test/model/adapters';

const arg = (name: string, fallback: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback;
const N = Number(arg('n', '20'));
const M = Number(arg('m', '100'));
const CONNECTORS = arg('connectors', Object.keys(ADAPTERS).join(',')).split(',').filter((c) => ADAPTERS[c]);

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
  const sandbox: Sandbox = await startSandbox({ clock: 'manual', pair: [name as 'servicenow' | 'azure-devops' | 'zendesk'], scheduleTriggers: false });
  try {
    await sandbox.settle();
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
        await platform.settle();
        if (platform.meter.invocations().length === before) return;
      }
    };
    const issue = (await jira.request({ as: person }, 'POST', '/rest/api/3/issue', { fields: { project: { key: remote.projectKey }, issuetype: { name: 'Task' }, summary: 'Bench issue' } })).json as { id: string; key: string };
    await quiet();
    const remoteId = remote.remotesForIssue(issue.id)[0];
    if (!remoteId) throw new Error(`${name}: the bench issue did not sync`);

    async function measure(kind: string, act: (i: number) => Promise<void>, from: 'jira' | 'remote'): Promise<Row> {
      await quiet();
      platform.meter.reset();
      const echo0 = from === 'jira' ? jiraWrites() : await remote.writesByCrosswalk();
      for (let i = 0; i < N; i++) {
        await act(i);
        await quiet();
      }
      const totals = platform.meter.totals();
      const echo = (from === 'jira' ? jiraWrites() : await remote.writesByCrosswalk()) - echo0;
      const row = { httpPerChange: (totals.productRequests + totals.egressRequests) / N, kvsOpsPerChange: (totals.kvs.reads + totals.kvs.writes) / N, gbSecondsPerChange: totals.gbSeconds / N, echoWrites: echo };
      console.log(`${name.padEnd(13)} ${kind.padEnd(18)} http/change ${row.httpPerChange.toFixed(2)}  kvs ops/change ${row.kvsOpsPerChange.toFixed(2)}  invocations/change ${(totals.invocations / N).toFixed(2)}  GB-s/change ${row.gbSecondsPerChange.toFixed(4)}  echo writes ${echo}`);
      return row;
    }

    const jiraField = await measure('Jira field edit', (i) => jira.request({ as: person }, 'PUT', `/rest/api/3/issue/${issue.key}`, { fields: { summary: `Bench summary ${i}` } }).then(() => undefined), 'jira');
    const remoteField = await measure('remote field edit', (i) => remote.edit(remoteId, { summary: `From the remote ${i}` }), 'remote');
    const jiraComment = await measure('Jira comment', (i) => jira.request({ as: person }, 'POST', `/rest/api/3/issue/${issue.key}/comment`, { body: adf(`Bench comment ${i}`) }).then(() => undefined), 'jira');
    const remoteComment = await measure('remote comment', (i) => remote.comment(remoteId, `Agent note ${i}`, false), 'remote');
    const attachment = await measure(
      'Jira file (64 KB)',
      async (i) => {
        const form = new FormData();
        form.append('file', new Blob([Buffer.alloc(64 * 1024, i)], { type: 'application/octet-stream' }), `bench-${i}.bin`);
        await jira.request({ as: person }, 'POST', `/rest/api/3/issue/${issue.key}/attachments`, form, { 'x-atlassian-token': 'no-check' });
      },
      'jira',
    );

    // Bulk: M existing issues whose creation events were lost, synced by the bulk action.
    platform.holdProductEvents();
    const existing: string[] = [];
    for (let i = 0; i < M; i++) existing.push(((await jira.request({ as: person }, 'POST', '/rest/api/3/issue', { fields: { project: { key: remote.projectKey }, issuetype: { name: 'Task' }, summary: `Existing issue ${i}` } })).json as { id: string }).id);
    platform.discardHeldProductEvents();
    const lead = sandbox.jira.site.state.users.find((u) => u.accountId === project.leadAccountId)!;
    const context = { extension: { type: 'jira:projectSettingsPage', project: { id: project.id, key: project.key } } };
    const started = Date.now();
    const bulk = await platform.invokeResolver({ installationId: sandbox.installationId, moduleKey: 'crosswalk-settings', functionKey: 'bulkSync', payload: { connectionId: remote.connectionId }, accountId: lead.accountId, context });
    if (!bulk.ok || !(bulk.body as { ok: boolean }).ok) throw new Error(`${name}: bulk sync refused: ${JSON.stringify(bulk)}`);
    await platform.settle({ timeoutMs: 600_000 });
    await quiet();
    const bulkSeconds = (Date.now() - started) / 1000;
    const synced = existing.filter((id) => remote.remotesForIssue(id).length === 1).length;
    console.log(`${name.padEnd(13)} bulk sync          ${synced} of ${M} existing issues have their remote item, ${bulkSeconds.toFixed(1)} s wall (platform time compressed by the manual clock)`);
    return {
      httpCallsPerFieldChange: round((jiraField.httpPerChange + remoteField.httpPerChange) / 2),
      httpCallsPerComment: round((jiraComment.httpPerChange + remoteComment.httpPerChange) / 2),
      httpCallsPerAttachment: round(attachment.httpPerChange),
      echoWrites: jiraField.echoWrites + remoteField.echoWrites + jiraComment.echoWrites + remoteComment.echoWrites + attachment.echoWrites,
      kvsOpsPerChange: round((jiraField.kvsOpsPerChange + remoteField.kvsOpsPerChange + jiraComment.kvsOpsPerChange + remoteComment.kvsOpsPerChange) / 4),
      gbSecondsPerChange: round((jiraField.gbSecondsPerChange + remoteField.gbSecondsPerChange + jiraComment.gbSecondsPerChange + remoteComment.gbSecondsPerChange) / 4, 5),
      bulkItems: M,
      bulkSynced: synced,
      bulkSeconds: round(bulkSeconds, 1),
      bulkFailures: M - synced,
    };
  } finally {
    await sandbox.stop();
  }
}

async function main(): Promise<void> {
  const byConnector: Record<string, Record<string, number>> = {};
  for (const name of CONNECTORS) byConnector[name] = await benchConnector(name);
  const rows = Object.values(byConnector);
  const worst = (key: string, pick: (xs: number[]) => number = (xs) => Math.max(...xs)) => pick(rows.map((r) => r[key]!));
  const result = {
    n: N,
    connectors: CONNECTORS,
    httpCallsPerFieldChange: worst('httpCallsPerFieldChange'),
    httpCallsPerComment: worst('httpCallsPerComment'),
    httpCallsPerAttachment: worst('httpCallsPerAttachment'),
    echoWrites: worst('echoWrites'),
    kvsOpsPerChange: worst('kvsOpsPerChange'),
    gbSecondsPerChange: worst('gbSecondsPerChange'),
    bulkItems: M,
    bulkSynced: worst('bulkSynced', (xs) => Math.min(...xs)),
    bulkSeconds: worst('bulkSeconds'),
    bulkFailures: worst('bulkFailures'),
    byConnector,
  };
  console.log(JSON.stringify(result));
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
