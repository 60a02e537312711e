/**
 * What a remote answers beyond the bounds Crosswalk reads stops the item
 * visibly, through the real platform and simulators: a comment listing that
 * repeats its page token, an answer larger than the cap, a file that streams
 * more than its listing declared. Nothing of it is cut short silently, and the
 * pair converges once the remote answers normally again.
 */
import { startSandbox, type Sandbox } from '../../sandbox/sandbox';
import { demoServiceNowConnection, DEMO_CONNECTION_ID } from '../../sandbox/demo/servicenow-connection';
import { OPS_PROJECT } from '../../sandbox/demo/azure-devops-connection';
import { adf, jiraClient } from '../../sandbox/sims/jira/test-client';
import { MAX_ANSWER_BYTES } from '../../src/connectors/http';

let sandbox: Sandbox;
let jira: ReturnType<typeof jiraClient>;

beforeAll(async () => {
  sandbox = await startSandbox({ clock: 'manual' });
  jira = sandbox.jiraClient();
  await sandbox.settle();
}, 90_000);
afterAll(() => sandbox.stop());

const DEMO = { id: '10000', key: 'DEMO' } as const;
const control = (controlUrl: string, path: string, body?: unknown, method = 'POST') =>
  fetch(`${controlUrl}${path}`, { method, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
const panel = async (issueId: string, project: { id: string }) =>
  (
    (await sandbox.platform.invokeResolver({
      installationId: sandbox.installationId,
      moduleKey: 'crosswalk-panel',
      functionKey: 'getIssueSync',
      accountId: jira.userId('admin'),
      context: { extension: { issue: { id: issueId }, project: { id: project.id } } },
    })) as {
      body: {
        data: {
          lastError: { kind: string; message: string } | null;
          problems?: Array<{ part: string; message: string }>;
        };
      };
    }
  ).body.data;
const createIssue = async (project: string, summary: string) =>
  (
    await jira.request({ as: 'admin' }, 'POST', '/rest/api/3/issue', {
      fields: { project: { key: project }, issuetype: { name: 'Task' }, summary },
    })
  ).json as { id: string; key: string };
const comment = (key: string, text: string) =>
  jira.request({ as: 'admin' }, 'POST', `/rest/api/3/issue/${key}/comment`, { body: adf(text) });
const workerRuns = () => sandbox.platform.meter.invocations({ functionKey: 'sync-worker' }).length;

describe('an Azure DevOps comment listing that repeats its page token', () => {
  it('stops the item with over-limit on the issue, is not retried, and clears once the listing ends', async () => {
    const ado = sandbox.sims.azureDevOps.controlUrl;
    const issue = await createIssue('OPS', 'Comments that never end');
    await sandbox.settle();
    const page = { totalCount: 1, count: 0, comments: [], continuationToken: 'c2FtZQ' };
    await control(ado, '/faults', { method: 'GET', path: '/comments', status: 200, body: page, times: 1000 });
    await comment(issue.key, 'Does this reach Azure DevOps?');
    const runs = workerRuns();
    await sandbox.settle();
    const shown = await panel(issue.id, OPS_PROJECT);
    expect(shown.lastError).toMatchObject({
      kind: 'over-limit',
      message: expect.stringMatching(
        /^Read comments of work item \d+ stopped: Azure DevOps gave a page token it had given before, so the listing would never end$/,
      ),
    });
    // Retrying unchanged cannot help: one run, no backoff chain.
    expect(workerRuns() - runs).toBe(1);

    await control(ado, '/faults', undefined, 'DELETE');
    await comment(issue.key, 'And now?');
    await sandbox.settle();
    expect((await panel(issue.id, OPS_PROJECT)).lastError).toBeNull();
  });
});

describe('a ServiceNow answer larger than Crosswalk reads', () => {
  it('stops the item with over-limit on the issue instead of reading it into memory', async () => {
    const sn = sandbox.sims.servicenow.controlUrl;
    const issue = await createIssue('DEMO', 'A journal too large to read');
    await sandbox.settle();
    const huge = { result: [{ sys_id: 'j1', element: 'comments', value: 'x'.repeat(MAX_ANSWER_BYTES) }] };
    await control(sn, '/faults', {
      method: 'GET',
      path: '/api/now/table/sys_journal_field',
      status: 200,
      body: huge,
      times: 50,
    });
    await comment(issue.key, 'Will the journal be read?');
    await sandbox.settle();
    expect((await panel(issue.id, DEMO)).lastError).toEqual(
      expect.objectContaining({
        kind: 'over-limit',
        message: 'Read journal stopped: the answer was larger than 32 MB, the most Crosswalk reads of one answer',
      }),
    );
    await control(sn, '/faults', undefined, 'DELETE');
  });
});

describe('a ServiceNow file larger than its listing declares', () => {
  it('is stopped at the limit as it streams, not copied, and the issue says why', async () => {
    const sn = sandbox.sims.servicenow;
    await sandbox.platform.invokeResolver({
      installationId: sandbox.installationId,
      moduleKey: 'crosswalk-settings',
      functionKey: 'saveConnection',
      accountId: jira.userId('project-lead'),
      payload: {
        connectionId: DEMO_CONNECTION_ID,
        settings: { ...demoServiceNowConnection, attachments: { maxBytes: 100_000 } },
      },
      context: { extension: { type: 'jira:projectSettingsPage', project: DEMO } },
    });
    const issue = await createIssue('DEMO', 'A file that is not what it says');
    await sandbox.settle();
    const incident = sandbox.servicenow.store
      .rows('incident')
      .find((r) => String(r.correlation_id ?? '').endsWith(`:${DEMO_CONNECTION_ID}:${issue.id}`))!;
    // The listing says 2,048 bytes; the file itself is 300,000.
    const listed = {
      result: [
        {
          sys_id: 'a0000000000000000000000000000001',
          file_name: 'capture.log',
          content_type: 'text/plain',
          size_bytes: '2048',
          table_name: 'incident',
          table_sys_id: incident.sys_id,
          sys_created_on: '2026-01-01 00:00:00',
          sys_created_by: 'beth.agent',
        },
      ],
    };
    await control(sn.controlUrl, '/faults', {
      method: 'GET',
      path: '/^\\/api\\/now\\/attachment$/',
      status: 200,
      body: listed,
      times: 20,
    });
    await control(sn.controlUrl, '/faults', {
      method: 'GET',
      path: '/api/now/attachment/a0000000000000000000000000000001/file',
      status: 200,
      body: { padding: 'x'.repeat(300_000) },
      times: 20,
    });
    await sandbox.platform.runScheduledTrigger(sandbox.installationId, 'reconcile-sweep');
    await sandbox.settle();
    const files = (await jira.request({ as: 'admin' }, 'GET', `/rest/api/3/issue/${issue.key}?fields=attachment`)).json
      .fields.attachment as unknown[];
    expect(files).toEqual([]);
    expect((await panel(issue.id, DEMO)).problems).toEqual([
      expect.objectContaining({
        part: 'attachments',
        message: 'Not copied: capture.log streamed more than the 100000-byte limit (it declared 2048 bytes)',
      }),
    ]);
    await control(sn.controlUrl, '/faults', undefined, 'DELETE');
  });
});
