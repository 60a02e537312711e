/**
 * The issue hierarchy as Jira Cloud has it: issue types by level (Epic 1, the standard types 0, Sub-task -1), an
 * issue's `parent` one level up in the same project, set on create and edit and removed again, and a parent's
 * `subtasks`.
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

const member: Caller = { as: 'member' };
const admin: Caller = { as: 'admin' };
const HIERARCHY = 'Given parent work item does not belong to appropriate hierarchy.';
const NO_PARENT = 'Issue type is a sub-task but parent issue key or id not specified.';
const NOT_FOUND = 'Could not find issue by id or key.';

const createIn = (caller: Caller, project: string, type: string, extra: Record<string, unknown> = {}) =>
  jira.request(caller, 'POST', '/rest/api/3/issue', {
    fields: { project: { key: project }, issuetype: { name: type }, summary: `A ${type}`, ...extra },
  });
/** Creates an issue in DEMO as a member and answers its key and id. */
const create = async (type: string, extra: Record<string, unknown> = {}) => {
  const res = await createIn(member, 'DEMO', type, extra);
  expect(res.status).toBe(201);
  return res.json as { id: string; key: string };
};
const fields = async (key: string, list = 'parent,subtasks') =>
  (await jira.request(member, 'GET', `/rest/api/3/issue/${key}?fields=${list}`)).json.fields;
const edit = (key: string, body: Record<string, unknown>, caller: Caller = member) =>
  jira.request(caller, 'PUT', `/rest/api/3/issue/${key}`, body);
const search = async (jql: string) =>
  (await jira.request(member, 'POST', '/rest/api/3/search/jql', { jql, fields: ['key'] })).json.issues.map(
    (i: { key: string }) => i.key,
  );

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

describe('parent', () => {
  it("answers a Story's Epic as Jira does: id, key, self and its summary, status, priority and type", async () => {
    const epic = await create('Epic', { summary: 'Partner portal' });
    const story = await create('Story', { parent: { key: epic.key } });
    const { parent } = await fields(story.key, 'parent');
    expect(parent).toEqual({
      id: epic.id,
      key: epic.key,
      self: `${sim.baseUrl}/rest/api/3/issue/${epic.id}`,
      fields: {
        summary: 'Partner portal',
        status: expect.objectContaining({ name: 'To Do', statusCategory: expect.objectContaining({ key: 'new' }) }),
        priority: expect.objectContaining({ id: '3', name: 'Medium' }),
        issuetype: expect.objectContaining({ id: '10103', name: 'Epic', subtask: false, hierarchyLevel: 1 }),
      },
    });
    // By id as well as by key.
    const other = await create('Task', { parent: { id: epic.id } });
    expect((await fields(other.key, 'parent')).parent.key).toBe(epic.key);
  });

  it('leaves `parent` out of an issue that has none, and lists `subtasks` always', async () => {
    const all = await fields('DEMO-1', '*all');
    expect(all).not.toHaveProperty('parent');
    expect(all.subtasks).toEqual([]);
  });

  it("lists a standard issue's sub-tasks in `subtasks`, and not an Epic's issues", async () => {
    const epic = await create('Epic');
    const story = await create('Story', { parent: { key: epic.key } });
    const one = await create('Sub-task', { parent: { key: story.key }, summary: 'Write the spec' });
    const two = await create('Sub-task', { parent: { id: story.id } });
    const { subtasks } = await fields(story.key, 'subtasks');
    expect(subtasks.map((s: { key: string }) => s.key)).toEqual([one.key, two.key]);
    expect(subtasks[0]).toMatchObject({
      id: one.id,
      self: `${sim.baseUrl}/rest/api/3/issue/${one.id}`,
      fields: { summary: 'Write the spec', issuetype: { name: 'Sub-task', subtask: true, hierarchyLevel: -1 } },
    });
    expect((await fields(epic.key, 'subtasks')).subtasks).toEqual([]);
  });

  it('refuses a sub-task without a parent, and creates nothing', async () => {
    const res = await createIn(member, 'DEMO', 'Sub-task');
    expect(res.status).toBe(400);
    expect(res.json).toEqual({ errorMessages: [], errors: { parent: NO_PARENT } });
    // The refused create used no key.
    expect((await create('Task')).key).toBe('DEMO-4');
  });

  it('names every refused field at once, the parent among them', async () => {
    const res = await createIn(member, 'DEMO', 'Sub-task', { parent: { key: 'DEMO-404' }, priority: { name: 'Nope' } });
    expect(res.status).toBe(400);
    expect(res.json.errors).toEqual({ parent: NOT_FOUND, priority: "Specify a valid 'id' or 'name' for Priority" });
  });

  it.each([
    ['a sub-task under an Epic', 'Sub-task', 'Epic'],
    ['a sub-task under a sub-task', 'Sub-task', 'Sub-task'],
    ['a Story under a Task', 'Story', 'Task'],
    ['a Task under a Story', 'Task', 'Story'],
    ['an Epic under an Epic', 'Epic', 'Epic'],
  ])('refuses %s: a parent is one level up', async (_what, child, parentType) => {
    const story = await create('Story');
    const parent =
      parentType === 'Sub-task' ? await create('Sub-task', { parent: { key: story.key } }) : await create(parentType);
    const res = await createIn(member, 'DEMO', child, { parent: { key: parent.key } });
    expect(res.status).toBe(400);
    expect(res.json).toEqual({ errorMessages: [], errors: { parent: HIERARCHY } });
  });

  it('refuses a parent in another project', async () => {
    const epic = await createIn(admin, 'OPS', 'Epic');
    expect((await createIn(admin, 'DEMO', 'Story', { parent: { key: epic.json.key } })).json.errors).toEqual({
      parent: HIERARCHY,
    });
    expect((await createIn(admin, 'DEMO', 'Sub-task', { parent: { key: 'OPS-1' } })).json.errors).toEqual({
      parent: HIERARCHY,
    });
  });

  it('does not find a parent the caller cannot see, nor one that does not exist', async () => {
    // Mia is not in OPS: OPS-1 does not exist for her.
    expect((await createIn(member, 'DEMO', 'Sub-task', { parent: { key: 'OPS-1' } })).json.errors).toEqual({
      parent: NOT_FOUND,
    });
    expect((await createIn(member, 'DEMO', 'Story', { parent: { id: '99999' } })).json.errors).toEqual({
      parent: NOT_FOUND,
    });
  });

  it('moves an issue to another parent by edit, records IssueParentAssociation and announces the update', async () => {
    const first = await create('Epic');
    const second = await create('Epic');
    const story = await create('Story', { parent: { key: first.key } });
    events.length = 0;
    expect((await edit(story.key, { fields: { parent: { key: second.key } } })).status).toBe(204);
    expect((await fields(story.key, 'parent')).parent.key).toBe(second.key);
    const log = await jira.request(member, 'GET', `/rest/api/3/issue/${story.key}/changelog`);
    const item = log.json.values.at(-1).items[0];
    // As Jira Cloud writes it: the parents' ids in from/to, their keys in the strings, no field id.
    expect(item).toEqual({
      field: 'IssueParentAssociation',
      fieldtype: 'jira',
      from: first.id,
      fromString: first.key,
      to: second.id,
      toString: second.key,
    });
    expect(events).toEqual([
      expect.objectContaining({
        eventType: 'avi:jira:updated:issue',
        fields: expect.objectContaining({
          changelog: { id: expect.any(String), items: [expect.objectContaining({ field: 'IssueParentAssociation' })] },
        }),
      }),
    ]);
  });

  it("moves a sub-task to another standard issue: each parent's `subtasks` follows", async () => {
    const a = await create('Task');
    const b = await create('Bug');
    const sub = await create('Sub-task', { parent: { key: a.key } });
    expect((await edit(sub.key, { update: { parent: [{ set: { key: b.key } }] } })).status).toBe(204);
    expect((await fields(a.key)).subtasks).toEqual([]);
    expect((await fields(b.key)).subtasks.map((s: { key: string }) => s.key)).toEqual([sub.key]);
  });

  it.each([
    ['fields.parent: null', { fields: { parent: null } }],
    ['fields.parent: {none: true}', { fields: { parent: { none: true } } }],
    ['update.parent.set.none (the documented way)', { update: { parent: [{ set: { none: true } }] } }],
  ])("takes a standard issue's parent away with %s", async (_how, body) => {
    const epic = await create('Epic');
    const story = await create('Story', { parent: { key: epic.key } });
    expect((await edit(story.key, body)).status).toBe(204);
    expect(await fields(story.key, 'parent')).not.toHaveProperty('parent');
    const log = await jira.request(member, 'GET', `/rest/api/3/issue/${story.key}/changelog`);
    expect(log.json.values.at(-1).items[0]).toEqual({
      field: 'IssueParentAssociation',
      fieldtype: 'jira',
      from: epic.id,
      fromString: epic.key,
      toString: null,
    });
  });

  it("refuses to take a sub-task's parent away, and to give an Epic one by edit", async () => {
    const task = await create('Task');
    const sub = await create('Sub-task', { parent: { key: task.key } });
    const res = await edit(sub.key, { fields: { parent: null } });
    expect(res.status).toBe(400);
    expect(res.json).toEqual({ errorMessages: [], errors: { parent: NO_PARENT } });
    const epic = await create('Epic');
    expect((await edit(epic.key, { fields: { parent: { key: (await create('Epic')).key } } })).json.errors).toEqual({
      parent: HIERARCHY,
    });
    expect((await edit(task.key, { fields: { parent: { key: sub.key } } })).json.errors).toEqual({ parent: HIERARCHY });
  });

  it('records nothing when the parent given is the one the issue has', async () => {
    const epic = await create('Epic');
    const story = await create('Story', { parent: { key: epic.key } });
    expect((await edit(story.key, { fields: { parent: { id: epic.id } } })).status).toBe(204);
    expect((await jira.request(member, 'GET', `/rest/api/3/issue/${story.key}/changelog`)).json.total).toBe(0);
  });

  it('requires the parent on the create screen of a sub-task only, and lists it on the edit screen', async () => {
    const meta = async (type: string) =>
      (await jira.request(member, 'GET', `/rest/api/3/issue/createmeta/DEMO/issuetypes/${type}`)).json.fields.find(
        (f: { fieldId: string }) => f.fieldId === 'parent',
      );
    expect(await meta('10105')).toMatchObject({
      required: true,
      name: 'Parent',
      schema: { type: 'issuelink', system: 'parent' },
      operations: ['set'],
    });
    expect(await meta('10104')).toMatchObject({ required: false });
    const editmeta = await jira.request(member, 'GET', '/rest/api/3/issue/DEMO-1/editmeta');
    expect(editmeta.json.fields.parent).toMatchObject({ required: false, name: 'Parent' });
  });

  it('finds issues by parent in JQL: by key or id, in a list, and those without one', async () => {
    const epic = await create('Epic');
    const story = await create('Story', { parent: { key: epic.key } });
    const task = await create('Task', { parent: { key: epic.key } });
    const sub = await create('Sub-task', { parent: { key: story.key } });
    expect(await search(`parent = ${epic.key} ORDER BY key`)).toEqual([story.key, task.key]);
    expect(await search(`parent = ${epic.id} ORDER BY key`)).toEqual([story.key, task.key]);
    expect(await search(`parent in (${epic.key}, ${story.key}) ORDER BY key`)).toEqual([story.key, task.key, sub.key]);
    expect(await search(`project = DEMO AND parent is EMPTY ORDER BY key`)).toEqual([
      'DEMO-1',
      'DEMO-2',
      'DEMO-3',
      epic.key,
    ]);
  });

  it('deletes an issue with sub-tasks only with deleteSubtasks=true, and them with it', async () => {
    const task = await create('Task');
    const sub = await create('Sub-task', { parent: { key: task.key } });
    const refused = await jira.request(admin, 'DELETE', `/rest/api/3/issue/${task.key}`);
    expect(refused.status).toBe(400);
    expect((await jira.request(admin, 'GET', `/rest/api/3/issue/${sub.key}`)).status).toBe(200);
    events.length = 0;
    expect((await jira.request(admin, 'DELETE', `/rest/api/3/issue/${task.key}?deleteSubtasks=true`)).status).toBe(204);
    expect((await jira.request(admin, 'GET', `/rest/api/3/issue/${sub.key}`)).status).toBe(404);
    expect(events.map((e) => [e.eventType, (e.fields.issue as { key: string }).key])).toEqual([
      ['avi:jira:deleted:issue', sub.key],
      ['avi:jira:deleted:issue', task.key],
    ]);
  });

  it("leaves an Epic's issues in place, without a parent, when the Epic is deleted", async () => {
    const epic = await create('Epic');
    const story = await create('Story', { parent: { key: epic.key } });
    expect((await jira.request(admin, 'DELETE', `/rest/api/3/issue/${epic.key}`)).status).toBe(204);
    expect(await fields(story.key, 'parent')).not.toHaveProperty('parent');
  });

  it('refuses to move an issue with a parent or sub-tasks to another project', async () => {
    const task = await create('Task');
    await create('Sub-task', { parent: { key: task.key } });
    const res = await jira.request(admin, 'POST', '/rest/api/3/bulk/issues/move', {
      targetToSourcesMapping: { 'OPS,10100': { issueIdsOrKeys: [task.key], inferStatusDefaults: true } },
    });
    expect(res.status).toBe(400);
    expect(res.json.errors[0].message).toMatch(/parent or child issues/);
  });
});
