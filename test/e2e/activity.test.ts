/**
 * A connection's activity on the settings page: syncs and failures per day,
 * and the conflicts the engine decided that the project's admins have not
 * reviewed yet, read from what the engine stores anyway.
 */
import { startSandbox, type Sandbox } from '../../sandbox/sandbox';
import { serviceNowClient } from '../../sandbox/sims/servicenow/test-client';
import type { jiraClient } from '../../sandbox/sims/jira/test-client';

let sandbox: Sandbox;
let jira: ReturnType<typeof jiraClient>;

beforeAll(async () => {
  sandbox = await startSandbox({ clock: 'manual' });
  jira = sandbox.jiraClient();
}, 120_000);
afterAll(() => sandbox?.stop());

const CONNECTION = 'demo-servicenow';
const DEMO = { id: '10000', key: 'DEMO' };
const sn = (method: string, path: string, body?: unknown) =>
  serviceNowClient(sandbox.sims.servicenow, sandbox.sims.servicenow.credentials.agent)(method, path, body);
const incidentFor = (issueId: string) =>
  sandbox.servicenow.store
    .rows('incident')
    .find((r) => (r.correlation_id ?? '').endsWith(`:${CONNECTION}:${issueId}`))!;
const settingsAs = async (role: string, functionKey: string, payload: unknown) => {
  const r = await sandbox.platform.invokeResolver({
    installationId: sandbox.installationId,
    moduleKey: 'crosswalk-settings',
    functionKey,
    payload,
    accountId: jira.userId(role),
    context: { extension: { type: 'jira:projectSettingsPage', project: DEMO } },
  });
  if (!r.ok) throw new Error(`${functionKey}: ${r.error}`);
  return r.body as { ok: boolean; data?: any; error?: { code: string } };
};

describe('connection activity', () => {
  it("counts the day's syncs, lists a conflict until an admin marks it reviewed, and is for project admins only", async () => {
    const issue = (
      await jira.request({ as: 'member' }, 'POST', '/rest/api/3/issue', {
        fields: {
          project: { key: 'DEMO' },
          issuetype: { name: 'Task' },
          summary: 'Both sides at once',
          priority: { name: 'Medium' },
        },
      })
    ).json as { id: string; key: string };
    await sandbox.settle();
    const incident = incidentFor(issue.id);
    // Both sides change the priority before either change is seen: the later one (ServiceNow's) wins, as a conflict.
    sandbox.platform.holdProductEvents();
    await jira.request({ as: 'member' }, 'PUT', `/rest/api/3/issue/${issue.key}`, {
      fields: { priority: { name: 'High' } },
    });
    await sandbox.platform.advanceTime(2_000);
    await sn('PATCH', `/api/now/table/incident/${incident.sys_id}`, { urgency: '3' });
    await sandbox.settle();
    await sandbox.platform.releaseProductEvents();
    await sandbox.settle();

    const activity = await settingsAs('project-lead', 'connectionActivity', { connectionId: CONNECTION });
    expect(activity.ok).toBe(true);
    expect(activity.data.days).toHaveLength(14);
    const today = activity.data.days.at(-1);
    expect(today.day).toBe(new Date(sandbox.platform.clock.now()).toISOString().slice(0, 10));
    expect(today.syncs).toBeGreaterThanOrEqual(2);
    expect(activity.data.conflicts).toEqual([
      expect.objectContaining({ issueKey: issue.key, remoteKey: incident.number, field: 'priority', winner: 'remote' }),
    ]);

    // A person reviews a while later (the manual clock stands still otherwise).
    await sandbox.platform.advanceTime(60_000);
    const reviewed = await settingsAs('project-lead', 'markConflictsReviewed', { connectionId: CONNECTION });
    expect(reviewed.ok).toBe(true);
    expect(
      (await settingsAs('project-lead', 'connectionActivity', { connectionId: CONNECTION })).data.conflicts,
    ).toEqual([]);

    for (const fn of ['connectionActivity', 'markConflictsReviewed'])
      expect((await settingsAs('member', fn, { connectionId: CONNECTION })).error?.code).toBe('FORBIDDEN');
    expect((await settingsAs('project-lead', 'connectionActivity', { connectionId: 'no such one' })).error?.code).toBe(
      'BAD_REQUEST',
    );
  });
});
