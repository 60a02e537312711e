/**
 * Jira changes reach Crosswalk's trigger as Forge product events, through the
 * real platform: the trigger enqueues "reconcile this issue" and the sync worker
 * records it. The app's own writes are filtered by ignoreSelf.
 */
import { startSandbox, type Sandbox } from '../../sandbox/sandbox';
import { adf, jiraClient } from '../../sandbox/sims/jira/test-client';

let sandbox: Sandbox;
let jira: ReturnType<typeof jiraClient>;

beforeAll(async () => {
  sandbox = await startSandbox({ clock: 'manual', pairDemo: false });
  jira = jiraClient(sandbox.jira, sandbox.platform.installation(sandbox.installationId).platformToken);
}, 60_000);
afterAll(() => sandbox.stop());

const activity = (issueId: string) =>
  sandbox.platform
    .installation(sandbox.installationId)
    .kvs.handle('/api/v1/get', { key: `activity:jira-${issueId}` })
    .then((r) => (r.status === 200 ? ((r.body as { value: { lastCause: string; attempts: number } }).value) : undefined));

describe('Jira product events into Crosswalk', () => {
  it('a person creating an issue makes the trigger enqueue a reconcile that the worker runs', async () => {
    const created = await jira.request({ as: 'member' }, 'POST', '/rest/api/3/issue', { fields: { project: { key: 'DEMO' }, issuetype: { name: 'Task' }, summary: 'From a person' } });
    await sandbox.platform.settle();
    expect(await activity(created.json.id)).toMatchObject({ lastCause: 'avi:jira:created:issue', attempts: 1 });
    const triggers = sandbox.platform.meter.invocations({ functionKey: 'jira-events' });
    expect(triggers.at(-1)!.outcome).toBe('success');
  });

  it('comments and edits are each one more reconcile of the same issue', async () => {
    await jira.request({ as: 'member' }, 'POST', '/rest/api/3/issue/DEMO-1/comment', { body: adf('more info') });
    await jira.request({ as: 'member' }, 'PUT', '/rest/api/3/issue/DEMO-1', { fields: { summary: 'VPN drops every 20 min' } });
    await sandbox.platform.settle();
    expect(await activity('10001')).toMatchObject({ lastCause: expect.stringMatching(/commented:issue|updated:issue/), attempts: 2 });
  });

  it("the app's own writes do not reach the trigger (filter.ignoreSelf)", async () => {
    const before = sandbox.platform.meter.invocations({ functionKey: 'jira-events' }).length;
    await jira.request({ as: 'app' }, 'PUT', '/rest/api/3/issue/DEMO-2', { fields: { summary: 'Written by Crosswalk' } });
    await sandbox.platform.settle();
    expect(sandbox.platform.meter.invocations({ functionKey: 'jira-events' })).toHaveLength(before);
    expect(await activity('10002')).toBeUndefined();
    expect(sandbox.jira.site.events.at(-1)).toMatchObject({ selfGenerated: true });
  });
});
