/**
 * Moving an issue to another project, as Jira Cloud does it: `POST /rest/api/3/bulk/issues/move` is an asynchronous
 * task; the issue keeps its id, gets the next key of the target project, and its old key still finds it; the
 * change is recorded and announced as an `issue_moved` update. A `PUT` of `project` stays refused.
 */
import type { ProductEventReport } from '../../platform/contracts';
import { startJiraSim, type JiraSim } from './index';
import { jiraClient, type Caller } from './test-client';

const TOKEN = 'platform-secret';
const APP = '557058:app-crosswalk';

let sim: JiraSim;
let jira: ReturnType<typeof jiraClient>;
const events: ProductEventReport[] = [];
beforeAll(async () => {
  sim = await startJiraSim({ platformToken: TOKEN, appAccountId: APP, onEvent: (e) => events.push(e) });
  jira = jiraClient(sim, TOKEN);
});
afterAll(() => sim.stop());
beforeEach(async () => {
  await fetch(`${sim.controlUrl}/reset`, { method: 'POST' });
  events.length = 0;
});

const admin: Caller = { as: 'admin' };
const lead: Caller = { as: 'project-lead' };

const moveTo = (caller: Caller, target: string, keys: string[], extra: Record<string, unknown> = {}) =>
  jira.request(caller, 'POST', '/rest/api/3/bulk/issues/move', {
    targetToSourcesMapping: { [target]: { issueIdsOrKeys: keys, inferStatusDefaults: true, ...extra } },
  });

/** Polls the task as a client must: its answer comes before the move is done. */
async function finished(caller: Caller, taskId: string) {
  for (let i = 0; i < 50; i++) {
    const res = await jira.request(caller, 'GET', `/rest/api/3/bulk/queue/${taskId}`);
    if (res.json.status === 'COMPLETE' || res.json.status === 'FAILED') return res.json;
    await new Promise((r) => setImmediate(r));
  }
  throw new Error('the move did not finish');
}

it('answers a task id at once and moves the issue when the task runs', async () => {
  const hold = (held: boolean) => fetch(`${sim.controlUrl}/tasks`, { method: 'PUT', body: JSON.stringify({ held }) });
  await hold(true);
  const submitted = await moveTo(admin, 'OPS,10102', ['DEMO-1']);
  expect(submitted.status).toBe(201);
  expect(submitted.json).toEqual({ taskId: expect.stringMatching(/^\d+$/) });
  // Until the task runs, the issue is where it was.
  const queued = await jira.request(admin, 'GET', `/rest/api/3/bulk/queue/${submitted.json.taskId}`);
  expect(queued.json).toMatchObject({ status: 'ENQUEUED', progressPercent: 0, totalIssueCount: 1 });
  expect((await jira.request(admin, 'GET', '/rest/api/3/issue/DEMO-1')).json.key).toBe('DEMO-1');
  await hold(false);
  const progress = await finished(admin, submitted.json.taskId);
  expect(progress).toMatchObject({
    status: 'COMPLETE',
    progressPercent: 100,
    totalIssueCount: 1,
    processedAccessibleIssues: [10001],
    invalidOrInaccessibleIssueCount: 0,
  });
});

it('gives the issue the next key of the target project, keeps its id, and finds it by its old key', async () => {
  await finished(admin, (await moveTo(admin, 'OPS,10102', ['DEMO-1'])).json.taskId);
  const moved = await jira.request(admin, 'GET', '/rest/api/3/issue/DEMO-1?fields=project,issuetype');
  expect(moved.status).toBe(200);
  expect(moved.json).toMatchObject({
    id: '10001',
    key: 'OPS-2',
    fields: { project: { key: 'OPS', id: '10001' }, issuetype: { id: '10102' } },
  });
  expect((await jira.request(admin, 'GET', '/rest/api/3/issue/OPS-2')).json.id).toBe('10001');
  const search = await jira.request(admin, 'POST', '/rest/api/3/search/jql', { jql: 'project = OPS', fields: ['key'] });
  expect(search.json.issues.map((i: { id: string }) => i.id)).toContain('10001');
});

it('takes the moved issue away from people of the old project who cannot browse the new one', async () => {
  await finished(admin, (await moveTo(admin, 'OPS,10100', ['DEMO-3'])).json.taskId);
  // Mia is a member of DEMO only.
  expect((await jira.request({ as: 'member' }, 'GET', '/rest/api/3/issue/DEMO-3')).status).toBe(404);
});

it('records the move in the changelog and announces it as an issue_moved update', async () => {
  await finished(admin, (await moveTo(admin, 'OPS,10102', ['DEMO-1'])).json.taskId);
  const log = await jira.request(admin, 'GET', '/rest/api/3/issue/OPS-2/changelog');
  const items = log.json.values.at(-1).items;
  expect(items).toEqual(
    expect.arrayContaining([
      expect.objectContaining({
        field: 'project',
        fieldId: 'project',
        from: '10000',
        to: '10001',
        toString: 'Operations',
      }),
      expect.objectContaining({ field: 'Key', fieldId: 'issuekey', fromString: 'DEMO-1', toString: 'OPS-2' }),
    ]),
  );
  const event = events.find((e) => e.eventType === 'avi:jira:updated:issue');
  expect(event?.fields).toMatchObject({
    jiraEventTypeName: 'issue_moved',
    issue: { id: '10001', key: 'OPS-2', fields: { project: { key: 'OPS' } } },
  });
});

it('refuses the whole request when an issue is unknown, not browsable, or the target not usable', async () => {
  const unknown = await moveTo(admin, 'OPS,10100', ['DEMO-1', 'DEMO-99']);
  expect(unknown.status).toBe(400);
  expect(unknown.json).toEqual({ errors: [{ message: 'Some of the issues in the issueIdsOrKeys are not valid' }] });
  // OPS has no Bug type (10101), and a member of DEMO may not move its issues.
  expect((await moveTo(admin, 'OPS,10101', ['DEMO-1'])).status).toBe(400);
  expect((await moveTo({ as: 'member' }, 'OPS,10100', ['DEMO-1'])).status).toBe(400);
  expect(sim.site.state.issues.find((i) => i.id === '10001')!.key).toBe('DEMO-1');
});

it('moves only with the Move Issues permission in the source project', async () => {
  const res = await moveTo({ as: 'member' }, 'DEMO,10100', ['DEMO-1']);
  expect(res.status).toBe(400);
  expect((await moveTo(lead, 'DEMO,10100', ['DEMO-2'])).status).toBe(201);
});

it('still refuses a PUT of project, as Jira does: the project is on no edit screen', async () => {
  const res = await jira.request(admin, 'PUT', '/rest/api/3/issue/DEMO-1', { fields: { project: { key: 'OPS' } } });
  expect(res.status).toBe(400);
  expect(res.json.errors.project).toBe(
    "Field 'project' cannot be set. It is not on the appropriate screen, or unknown.",
  );
  expect(sim.site.state.issues.find((i) => i.id === '10001')!.projectId).toBe('10000');
});
