/**
 * The dashboard gadget's resolver (syncHealth) through the platform, as each person calls it: every connection of
 * every project the caller may browse, with its condition as the alert check stored it or "not checked yet" before
 * one ran, and never a project the caller cannot browse (Jira decides, asked as the caller). Also the admin page's
 * answer with the same condition.
 */
import { startSandbox, type Sandbox } from '../../sandbox/sandbox';
import { DEMO_CONNECTION_ID } from '../../sandbox/demo/servicenow-connection';
import { OPS_CONNECTION_ID } from '../../sandbox/demo/azure-devops-connection';
import { clearCondition, tokenRefused, writeCondition } from '../support/alert-state';

let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ clock: 'manual', pair: ['servicenow', 'azure-devops'] });
}, 120_000);
afterAll(() => sandbox?.stop());

interface Answer {
  ok: boolean;
  data: {
    projects: Array<{
      key: string;
      name: string;
      connections: Array<{
        name: string;
        system: string;
        enabled: boolean;
        condition: { state: string; conditions: Array<{ words: string; since: string }>; [k: string]: unknown };
      }>;
    }>;
    projectsLeftOut: boolean;
  };
  error?: { code: string };
}

async function syncHealth(role: string | undefined, payload: Record<string, unknown> = {}): Promise<Answer> {
  const user = role ? sandbox.users.find((u) => u.role === role)! : undefined;
  const r = await sandbox.platform.invokeResolver({
    installationId: sandbox.installationId,
    moduleKey: 'crosswalk-sync-health',
    functionKey: 'syncHealth',
    ...(user ? { accountId: user.accountId } : {}),
    context: { extension: { type: 'jira:dashboardGadget', gadget: { id: '1' }, dashboard: { id: '1' } } },
    payload,
  });
  if (!r.ok) throw new Error(r.error);
  return r.body as Answer;
}

describe('the sync health gadget’s resolver', () => {
  it('answers "not checked yet" before any alert check ran, not an ok nobody observed', async () => {
    const answer = await syncHealth('admin');
    expect(answer.ok).toBe(true);
    expect(answer.data.projects.map((p) => p.key)).toEqual(['DEMO', 'OPS']);
    const demo = answer.data.projects[0]!.connections[0]!;
    expect(demo).toMatchObject({ system: 'ServiceNow', enabled: true });
    expect(demo.condition).toEqual({
      state: 'not-checked',
      conditions: [],
      itemsFailing: 0,
      itemsWaiting: null,
      lastSyncAt: null,
      checkedAt: null,
    });
  });

  it('lists each connection with its stored condition for someone who may browse both projects', async () => {
    const now = sandbox.platform.clock.now();
    await writeCondition(sandbox, DEMO_CONNECTION_ID, {
      conditions: [tokenRefused(now - 3_600_000, 'ServiceNow refuses the password')],
      itemsFailing: 4,
      itemsWaiting: 7,
      lastSyncAt: now - 2 * 3_600_000,
    });
    await writeCondition(sandbox, OPS_CONNECTION_ID, { conditions: [], lastSyncAt: now - 60_000 });
    const answer = await syncHealth('admin');
    const [demo, ops] = answer.data.projects;
    expect(demo).toMatchObject({ key: 'DEMO', name: 'Demo service desk' });
    expect(demo!.connections[0]!.condition).toMatchObject({
      state: 'failing',
      conditions: [{ words: 'ServiceNow refuses the password', since: new Date(now - 3_600_000).toISOString() }],
      itemsFailing: 4,
      itemsWaiting: 7,
      lastSyncAt: new Date(now - 2 * 3_600_000).toISOString(),
    });
    expect(ops).toMatchObject({ key: 'OPS', name: 'Operations' });
    expect(ops!.connections[0]).toMatchObject({ system: 'Azure DevOps', condition: { state: 'ok', conditions: [] } });
    expect(answer.data.projectsLeftOut).toBe(false);
  });

  it('never names a project the caller cannot browse', async () => {
    // The member works in DEMO, not in OPS.
    const member = await syncHealth('member');
    expect(member.data.projects.map((p) => p.key)).toEqual(['DEMO']);
    expect(JSON.stringify(member)).not.toMatch(/OPS|Operations|Azure DevOps/);
    // A viewer browses both.
    expect((await syncHealth('viewer')).data.projects.map((p) => p.key)).toEqual(['DEMO', 'OPS']);
    // A customer browses neither: the same answer as a site without connections.
    const customer = await syncHealth('customer');
    expect(customer).toEqual({ ok: true, data: { projects: [], projectsLeftOut: false, maxProjects: 50 } });
    // Without a signed-in person, nothing.
    expect(await syncHealth(undefined)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    // A payload is not a way to ask for more.
    expect(await syncHealth('member', { projectId: '10001' })).toMatchObject({
      ok: false,
      error: { code: 'BAD_REQUEST' },
    });
  });

  it('gives the admin page the same condition for each connection', async () => {
    const admin = sandbox.users.find((u) => u.role === 'admin')!;
    const r = await sandbox.platform.invokeResolver({
      installationId: sandbox.installationId,
      moduleKey: 'crosswalk-admin',
      functionKey: 'adminOverview',
      accountId: admin.accountId,
      context: { extension: { type: 'jira:adminPage' } },
      payload: {},
    });
    const body = (r.ok ? r.body : undefined) as {
      data: { connections: Array<{ id: string; condition: { state: string } }> };
    };
    expect(body.data.connections.map((c) => [c.id, c.condition.state])).toEqual([
      [DEMO_CONNECTION_ID, 'failing'],
      [OPS_CONNECTION_ID, 'ok'],
    ]);
    await clearCondition(sandbox, OPS_CONNECTION_ID);
    expect((await syncHealth('admin')).data.projects[1]!.connections[0]!.condition.state).toBe('not-checked');
  });
});
