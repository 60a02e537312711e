/**
 * The sweep's listing of remote changes has a bound: a remote whose pages never
 * end, or that hands out a page token it gave before, is read for at most
 * SWEEP_REMOTE_PAGES pages; the connection then shows the problem where its
 * admin looks, and the cursor has moved with every page read, so the next
 * sweep reads on from there instead of starting over.
 */
import { startSandbox, type Sandbox } from '../../sandbox/sandbox';
import { glideDateTime } from '../../src/connectors/servicenow/encoded-query';
import { SWEEP_REMOTE_PAGES } from '../../src/handlers/reconcile-sweep';

let sandbox: Sandbox;

beforeAll(async () => {
  // The test runs each sweep itself: a scheduled one, due when the manual clock passes its hour, would take faults
  // meant for this one's pages (a short page ends the listing early and moves the cursor to its own time).
  sandbox = await startSandbox({ clock: 'manual', scheduleTriggers: false });
  await sandbox.settle();
}, 90_000);
afterAll(() => sandbox.stop());

const PROJECTS = { DEMO: { id: '10000', key: 'DEMO' }, SUP: { id: '10002', key: 'SUP' } } as const;
/** The connection as its project's settings page shows it (with its health). */
const connectionOf = async (project: { id: string; key: string }) => {
  const answer = (await sandbox.platform.invokeResolver({
    installationId: sandbox.installationId,
    moduleKey: 'crosswalk-settings',
    functionKey: 'listConnections',
    accountId: sandbox.jiraClient().userId('project-lead'),
    context: { extension: { type: 'jira:projectSettingsPage', project } },
  })) as {
    body: {
      data: { connections: Array<{ config: { id: string }; health: { kind: string; message: string } | null }> };
    };
  };
  return answer.body.data.connections[0]!;
};
const sweep = () => sandbox.platform.runScheduledTrigger(sandbox.installationId, 'reconcile-sweep');
const storedCursor = (connectionId: string) =>
  sandbox.platform
    .installation(sandbox.installationId)
    .kvs.dump()
    .find((e) => e.key === `cursor:${connectionId}:remote`)?.value;
const log = async (controlUrl: string) =>
  (await (await fetch(`${controlUrl}/requests`)).json()) as Array<{ path: string; query: string }>;

describe('a ServiceNow listing whose pages never end', () => {
  it(`is read for ${SWEEP_REMOTE_PAGES} pages, moves the cursor with each, and shows on the connection until a sweep completes`, async () => {
    const sn = sandbox.sims.servicenow.controlUrl;
    // A change time after every cursor the connection has (ServiceNow keeps times to the second).
    const changedAt = Math.ceil(sandbox.platform.clock.now() / 1000) * 1000 + 1000;
    // Every page is full (100 records nobody linked), so the connector always asks for the next offset.
    const page = {
      result: Array.from({ length: 100 }, (_, i) => ({
        sys_id: `ghost${i}`,
        sys_updated_on: glideDateTime(changedAt),
      })),
    };
    await fetch(`${sn}/faults`, {
      method: 'POST',
      body: JSON.stringify({
        method: 'GET',
        path: '/^\\/api\\/now\\/table\\/incident$/',
        status: 200,
        body: page,
        times: 60,
      }),
    });
    const before = (await log(sn)).length;
    expect((await sweep()).status).toBe('success');
    const listings = (await log(sn)).slice(before).filter((r) => r.path === '/api/now/table/incident');
    expect(listings).toHaveLength(SWEEP_REMOTE_PAGES);
    expect(listings.map((r) => new URLSearchParams(r.query).get('sysparm_offset'))).toEqual(
      Array.from({ length: SWEEP_REMOTE_PAGES }, (_, i) => String(i * 100)),
    );
    expect((await connectionOf(PROJECTS.DEMO)).health).toMatchObject({
      kind: 'over-limit',
      message: `Listing the ServiceNow changes for the sweep stopped: ServiceNow still had more after ${SWEEP_REMOTE_PAGES} pages: the next sweep reads on from where this one stopped`,
    });
    expect(storedCursor('demo-servicenow')).toBe(changedAt);

    // The remote answers normally again: the next sweep starts where the pages left off, completes, and the problem is gone.
    await fetch(`${sn}/faults`, { method: 'DELETE' });
    const next = (await log(sn)).length;
    expect((await sweep()).status).toBe('success');
    const resumed = (await log(sn)).slice(next).find((r) => r.path === '/api/now/table/incident')!;
    expect(new URLSearchParams(resumed.query).get('sysparm_query')).toContain(
      `sys_updated_on>=${glideDateTime(changedAt - 2 * 60_000)}`,
    );
    expect((await connectionOf(PROJECTS.DEMO)).health).toBeNull();
    await sandbox.settle();
  });
});

describe('a Zendesk export that gives the same cursor again', () => {
  it('stops at the repeated cursor and shows on the connection', async () => {
    const zd = sandbox.sims.zendesk.controlUrl;
    await fetch(`${zd}/faults`, {
      method: 'POST',
      body: JSON.stringify({
        method: 'GET',
        path: '/api/v2/incremental/tickets/cursor',
        status: 200,
        body: { tickets: [], after_cursor: 'the-same-cursor', end_of_stream: false },
        times: 60,
      }),
    });
    const before = (await log(zd)).length;
    expect((await sweep()).status).toBe('success');
    const exports = (await log(zd)).slice(before).filter((r) => r.path === '/api/v2/incremental/tickets/cursor');
    expect(exports).toHaveLength(2);
    expect((await connectionOf(PROJECTS.SUP)).health).toMatchObject({
      kind: 'over-limit',
      message:
        'Listing the Zendesk changes for the sweep stopped: Zendesk gave a page token it had given before, so the listing would never end',
    });
    await fetch(`${zd}/faults`, { method: 'DELETE' });
    await sandbox.settle();
  });
});
