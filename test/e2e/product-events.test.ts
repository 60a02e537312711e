/**
 * Jira changes reach Crosswalk's trigger as Forge product events, through the
 * real platform: the trigger enqueues "reconcile this issue" and the sync worker
 * runs it. The app's own writes are filtered by ignoreSelf.
 */
import { startSandbox, type Sandbox } from '../../sandbox/sandbox';
import { adf, jiraClient } from '../../sandbox/sims/jira/test-client';

let sandbox: Sandbox;
let jira: ReturnType<typeof jiraClient>;

beforeAll(async () => {
  sandbox = await startSandbox({ clock: 'manual', pairDemo: false });
  jira = sandbox.jiraClient();
}, 60_000);
afterAll(() => sandbox.stop());

/** The reconcile jobs the trigger put on the sync queue for an issue, by cause, and whether the worker ran them. */
const jobsFor = (issueId: string) =>
  sandbox.platform
    .installation(sandbox.installationId)
    .events.all()
    .filter((e) => (e.body as { item?: { issueId?: string } }).item?.issueId === issueId)
    .map((e) => ({ cause: (e.body as { cause: string }).cause, state: e.state, concurrencyKey: e.concurrency?.key }));

describe('Jira product events into Crosswalk', () => {
  it('a person creating an issue makes the trigger enqueue a reconcile that the worker runs', async () => {
    const created = await jira.request({ as: 'member' }, 'POST', '/rest/api/3/issue', {
      fields: { project: { key: 'DEMO' }, issuetype: { name: 'Task' }, summary: 'From a person' },
    });
    await sandbox.platform.settle();
    expect(jobsFor(created.json.id)).toEqual([
      { cause: 'avi:jira:created:issue', state: 'succeeded', concurrencyKey: `issue-${created.json.id}` },
    ]);
    const triggers = sandbox.platform.meter.invocations({ functionKey: 'jira-events' });
    expect(triggers.at(-1)!.outcome).toBe('success');
  });

  it('comments and edits are each one more reconcile of the same issue', async () => {
    await jira.request({ as: 'member' }, 'POST', '/rest/api/3/issue/DEMO-1/comment', { body: adf('more info') });
    await jira.request({ as: 'member' }, 'PUT', '/rest/api/3/issue/DEMO-1', {
      fields: { summary: 'VPN drops every 20 min' },
    });
    await sandbox.platform.settle();
    expect(
      jobsFor('10001')
        .map((j) => j.cause)
        .sort(),
    ).toEqual(['avi:jira:commented:issue', 'avi:jira:updated:issue']);
  });

  it("the app's own writes do not reach the trigger (filter.ignoreSelf)", async () => {
    const before = sandbox.platform.meter.invocations({ functionKey: 'jira-events' }).length;
    await jira.request({ as: 'app' }, 'PUT', '/rest/api/3/issue/DEMO-2', {
      fields: { summary: 'Written by Crosswalk' },
    });
    await sandbox.platform.settle();
    expect(sandbox.platform.meter.invocations({ functionKey: 'jira-events' })).toHaveLength(before);
    expect(jobsFor('10002')).toEqual([]);
    expect(sandbox.jira.site.events.at(-1)).toMatchObject({ selfGenerated: true });
  });
});
