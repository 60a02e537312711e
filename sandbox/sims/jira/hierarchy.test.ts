/**
 * The issue hierarchy as Jira Cloud has it: issue types by level (Epic 1, the standard types 0, Sub-task -1), an
 * issue's `parent` one level up in the same project, set on create and edit and removed again, and a parent's
 * `subtasks`.
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

const levels = (types: Array<{ name: string; hierarchyLevel: number; subtask: boolean }>) =>
  Object.fromEntries(types.map((t) => [t.name, [t.hierarchyLevel, t.subtask]]));

describe('issue types', () => {
  it('has Epic above the standard types and Sub-task below them, each saying its level and whether it is a sub-task', async () => {
    const res = await jira.request({ as: 'member' }, 'GET', '/rest/api/3/issuetype');
    expect(levels(res.json)).toEqual({
      Task: [0, false],
      Bug: [0, false],
      Incident: [0, false],
      Epic: [1, false],
      Story: [0, false],
      'Sub-task': [-1, true],
    });
    const one = await jira.request({ as: 'member' }, 'GET', '/rest/api/3/issuetype/10105');
    expect(one.json).toMatchObject({ id: '10105', name: 'Sub-task', subtask: true, hierarchyLevel: -1 });
    expect((await jira.request({ as: 'member' }, 'GET', '/rest/api/3/issuetype/99')).status).toBe(404);
  });

  it('offers the new types beside the old ones in every project, ids and names unchanged', async () => {
    const demo = await jira.request({ as: 'admin' }, 'GET', '/rest/api/3/project/DEMO');
    expect(demo.json.issueTypes.map((t: { id: string; name: string }) => `${t.id} ${t.name}`)).toEqual([
      '10100 Task',
      '10101 Bug',
      '10102 Incident',
      '10103 Epic',
      '10104 Story',
      '10105 Sub-task',
    ]);
    expect(levels(demo.json.issueTypes)).toMatchObject({ Epic: [1, false], 'Sub-task': [-1, true] });
    const ops = await jira.request({ as: 'admin' }, 'GET', '/rest/api/3/project/OPS');
    expect(ops.json.issueTypes.map((t: { name: string }) => t.name)).toEqual([
      'Task',
      'Incident',
      'Epic',
      'Story',
      'Sub-task',
    ]);
  });

  it("carries the level in an issue's issuetype and in createmeta's allowed issue type", async () => {
    const issue = await jira.request({ as: 'member' }, 'GET', '/rest/api/3/issue/DEMO-2?fields=issuetype');
    expect(issue.json.fields.issuetype).toMatchObject({ id: '10101', name: 'Bug', subtask: false, hierarchyLevel: 0 });
    const meta = await jira.request({ as: 'member' }, 'GET', '/rest/api/3/issue/createmeta/DEMO/issuetypes/10103');
    const issuetype = meta.json.fields.find((f: { fieldId: string }) => f.fieldId === 'issuetype');
    expect(issuetype.allowedValues).toEqual([expect.objectContaining({ name: 'Epic', hierarchyLevel: 1 })]);
  });
});
