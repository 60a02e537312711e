/**
 * A workflow per issue type, as a Jira workflow scheme maps them: in the demo projects Epics and Sub-tasks follow
 * the simple workflow (To Do, In Progress, Done, each reachable from any status), every other type the demo workflow
 * (To Do → In Progress → In Review → Done). Transitions, a project's statuses per type and `POST /workflows` answer
 * per the issue's type; the control API maps a type to another workflow.
 */
import { startJiraSim, type JiraSim } from './index';
import { jiraClient } from './test-client';

const TOKEN = 'platform-secret';
const APP = '557058:app-crosswalk';

let sim: JiraSim;
let jira: ReturnType<typeof jiraClient>;
beforeAll(async () => {
  sim = await startJiraSim({ platformToken: TOKEN, appAccountId: APP });
  jira = jiraClient(sim, TOKEN);
});
afterAll(() => sim.stop());
beforeEach(async () => {
  await fetch(`${sim.controlUrl}/reset`, { method: 'POST' });
});

const create = async (type: string, extra: Record<string, unknown> = {}) => {
  const res = await jira.request({ as: 'member' }, 'POST', '/rest/api/3/issue', {
    fields: { project: { key: 'DEMO' }, issuetype: { name: type }, summary: `A ${type}`, ...extra },
  });
  expect(res.status).toBe(201);
  return res.json.key as string;
};
const transitions = async (key: string) =>
  (await jira.request({ as: 'member' }, 'GET', `/rest/api/3/issue/${key}/transitions`)).json.transitions as Array<{
    id: string;
    name: string;
    to: { name: string };
    isGlobal: boolean;
  }>;
const move = (key: string, id: string) =>
  jira.request({ as: 'member' }, 'POST', `/rest/api/3/issue/${key}/transitions`, { transition: { id } });
const status = async (key: string) =>
  (await jira.request({ as: 'member' }, 'GET', `/rest/api/3/issue/${key}?fields=status,resolution`)).json.fields;

it('takes an Epic from To Do straight to Done, with global transitions into each status', async () => {
  const epic = await create('Epic');
  expect((await status(epic)).status.name).toBe('To Do');
  expect((await transitions(epic)).map((t) => [t.name, t.to.name, t.isGlobal])).toEqual([
    ['In Progress', 'In Progress', true],
    ['Done', 'Done', true],
  ]);
  expect((await move(epic, '31')).status).toBe(204);
  expect(await status(epic)).toMatchObject({ status: { name: 'Done' }, resolution: { name: 'Done' } });
  // Back to To Do in one step, and the resolution is cleared, as in any workflow.
  expect((await move(epic, '11')).status).toBe(204);
  expect(await status(epic)).toMatchObject({ status: { name: 'To Do' }, resolution: null });
});

it('keeps the demo workflow for Task, Bug, Incident and Story: Done only from review', async () => {
  for (const type of ['Task', 'Bug', 'Incident', 'Story']) {
    const key = await create(type);
    expect((await transitions(key)).map((t) => t.name)).toEqual(['Start progress']);
    // The simple workflow's "Done" (31) is "Approve" here, which needs review first.
    expect((await move(key, '31')).status).toBe(400);
  }
});

it('gives a Sub-task the simple workflow too', async () => {
  const sub = await create('Sub-task', { parent: { key: 'DEMO-1' } });
  expect((await transitions(sub)).map((t) => t.name)).toEqual(['In Progress', 'Done']);
});

it("lists each issue type's own statuses in the project's statuses", async () => {
  const res = await jira.request({ as: 'member' }, 'GET', '/rest/api/3/project/DEMO/statuses');
  const byType = Object.fromEntries(
    (res.json as Array<{ name: string; statuses: Array<{ name: string }> }>).map((t) => [
      t.name,
      t.statuses.map((s) => s.name),
    ]),
  );
  expect(byType.Epic).toEqual(['To Do', 'In Progress', 'Done']);
  expect(byType['Sub-task']).toEqual(['To Do', 'In Progress', 'Done']);
  expect(byType.Task).toEqual(['To Do', 'In Progress', 'In Review', 'Done', 'Waiting for customer']);
});

it('answers POST /workflows with the workflow of the project and issue type asked for', async () => {
  const read = async (issueTypeId: string) =>
    (
      await jira.request({ as: 'app' }, 'POST', '/rest/api/3/workflows', {
        projectAndIssueTypes: [{ projectId: '10000', issueTypeId }],
      })
    ).json.workflows.map((w: { name: string }) => w.name);
  expect(await read('10103')).toEqual(['Crosswalk simple workflow']);
  expect(await read('10100')).toEqual(['Crosswalk demo workflow']);
});

it('maps an issue type to another workflow through the control API, and back to the default', async () => {
  const map = (workflowId: string | null) =>
    fetch(`${sim.controlUrl}/projects/DEMO/workflows/Bug`, { method: 'PUT', body: JSON.stringify({ workflowId }) });
  expect((await map('wf-2')).status).toBe(200);
  const bug = await create('Bug');
  expect((await transitions(bug)).map((t) => t.name)).toEqual(['In Progress', 'Done']);
  expect((await map(null)).status).toBe(200);
  expect((await transitions(bug)).map((t) => t.name)).toEqual(['Start progress']);
  expect((await map('wf-9')).status).toBe(400);
});
