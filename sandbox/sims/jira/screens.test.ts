/**
 * A project's create and edit screens, per issue type, as Jira holds them: createmeta pages the fields of the create
 * screen, editmeta lists those of the edit screen, and a create or an edit setting a field an admin took off the
 * screen is refused with Jira's 400, naming that field, while the same field stays settable for other issue types.
 */
import { startJiraSim, type JiraSim } from './index';
import { jiraClient, type Caller } from './test-client';

const TOKEN = 'platform-secret';
const APP = '557058:app-crosswalk';
const BUG = '10101';
const TASK = '10100';
const offScreen = (id: string) => `Field '${id}' cannot be set. It is not on the appropriate screen, or unknown.`;

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

const screen = (method: 'PUT' | 'DELETE', project: string, type: string, field: string) =>
  fetch(`${sim.controlUrl}/projects/${project}/screens/${type}/fields/${field}`, { method });
const createmeta = (caller: Caller, project: string, type: string, query = '') =>
  jira.request(caller, 'GET', `/rest/api/3/issue/createmeta/${project}/issuetypes/${type}${query}`);
const create = (type: string, fields: Record<string, unknown>) =>
  jira.request({ as: 'member' }, 'POST', '/rest/api/3/issue', {
    fields: { project: { key: 'DEMO' }, issuetype: { id: type }, summary: 'On screen?', ...fields },
  });

describe('createmeta', () => {
  it("lists the create screen's fields with their schema, operations and allowed values", async () => {
    const res = await createmeta({ as: 'member' }, 'DEMO', BUG);
    expect(res.status).toBe(200);
    const byId = new Map((res.json.fields as Array<{ fieldId: string }>).map((f) => [f.fieldId, f]));
    expect(res.json).toMatchObject({ startAt: 0, maxResults: 50, total: byId.size });
    expect([...byId.keys()]).toEqual(
      expect.arrayContaining(['project', 'issuetype', 'summary', 'duedate', 'labels', 'customfield_10013']),
    );
    // Nothing a create cannot set: status moves by transitions, created is Jira's, 10017 is on no screen.
    for (const id of ['status', 'created', 'comment', 'attachment', 'customfield_10017'])
      expect(byId.has(id)).toBe(false);
    expect(byId.get('duedate')).toEqual({
      fieldId: 'duedate',
      key: 'duedate',
      name: 'Due date',
      required: false,
      hasDefaultValue: false,
      schema: { type: 'date', system: 'duedate' },
      operations: ['set'],
    });
    expect(byId.get('summary')).toMatchObject({ required: true });
    expect(byId.get('labels')).toMatchObject({ operations: ['add', 'set', 'remove'] });
    expect(byId.get('customfield_10013')).toMatchObject({
      allowedValues: [
        { self: `${sim.baseUrl}/rest/api/3/customFieldOption/10200`, id: '10200', value: 'Production' },
        { self: `${sim.baseUrl}/rest/api/3/customFieldOption/10201`, id: '10201', value: 'Staging' },
      ],
    });
    expect(byId.get('issuetype')).toMatchObject({ required: true, allowedValues: [{ id: BUG, name: 'Bug' }] });
    expect(byId.get('priority')).toMatchObject({ hasDefaultValue: true, defaultValue: { name: 'Medium' } });
  });

  it('pages with startAt and maxResults, and refuses a page over 200', async () => {
    const all = (await createmeta({ as: 'app' }, '10000', BUG)).json.fields as Array<{ fieldId: string }>;
    const pages: string[] = [];
    for (let startAt = 0; ; startAt += 4) {
      const page = await createmeta({ as: 'app' }, '10000', BUG, `?startAt=${startAt}&maxResults=4`);
      expect(page.json).toMatchObject({ startAt, maxResults: 4, total: all.length });
      pages.push(...(page.json.fields as Array<{ fieldId: string }>).map((f) => f.fieldId));
      if (startAt + 4 >= page.json.total) break;
    }
    expect(pages).toEqual(all.map((f) => f.fieldId));
    const over = await createmeta({ as: 'app' }, 'DEMO', BUG, '?maxResults=201');
    expect(over.status).toBe(400);
    expect(over.json.errorMessages).toEqual(["Parameter 'maxResults' must not exceed the limit '200'"]);
  });

  it('answers 404 for a project or issue type that is not there, and needs Create issues', async () => {
    expect((await createmeta({ as: 'member' }, 'NOPE', BUG)).status).toBe(404);
    // OPS has no Bug.
    const noBug = await createmeta({ as: 'admin' }, 'OPS', BUG);
    expect(noBug.status).toBe(404);
    expect(noBug.json.errorMessages).toHaveLength(1);
    // Mia is not in OPS: the project is not there for her.
    expect((await createmeta({ as: 'member' }, 'OPS', TASK)).status).toBe(404);
    expect((await createmeta({ as: 'anonymous' }, 'DEMO', BUG)).status).toBe(401);
    const viewer = sim.site.state.users.find((u) => u.role === 'viewer')!.accountId;
    const browseOnly = await createmeta({ as: 'platform-user', accountId: viewer }, 'DEMO', BUG);
    expect(browseOnly.status).toBe(403);
  });
});

describe('a field taken off the screen', () => {
  it('leaves createmeta and editmeta for that issue type only, and comes back when put back', async () => {
    expect((await screen('DELETE', 'DEMO', 'Bug', 'duedate')).status).toBe(200);
    const ids = async (type: string) =>
      ((await createmeta({ as: 'member' }, 'DEMO', type)).json.fields as Array<{ fieldId: string }>).map(
        (f) => f.fieldId,
      );
    expect(await ids(BUG)).not.toContain('duedate');
    expect(await ids(TASK)).toContain('duedate');
    // DEMO-2 is a Bug, DEMO-3 a Task.
    const edit = async (key: string) =>
      Object.keys((await jira.request({ as: 'member' }, 'GET', `/rest/api/3/issue/${key}/editmeta`)).json.fields);
    expect(await edit('DEMO-2')).not.toContain('duedate');
    expect(await edit('DEMO-3')).toContain('duedate');

    expect((await screen('PUT', 'DEMO', BUG, 'duedate')).status).toBe(200);
    expect(await ids(BUG)).toContain('duedate');
    expect(await edit('DEMO-2')).toContain('duedate');
  });

  it('is refused in a create and an edit with Jira’s 400 naming it, and nothing is applied', async () => {
    await screen('DELETE', 'DEMO', 'Bug', 'customfield_10010');
    const refused = await create(BUG, { customfield_10010: 'REF-1', labels: ['x'] });
    expect(refused.status).toBe(400);
    expect(refused.json).toEqual({ errorMessages: [], errors: { customfield_10010: offScreen('customfield_10010') } });
    expect((await create(TASK, { customfield_10010: 'REF-1' })).status).toBe(201);

    const before = (await jira.request({ as: 'member' }, 'GET', '/rest/api/3/issue/DEMO-2')).json.fields;
    const edit = await jira.request({ as: 'member' }, 'PUT', '/rest/api/3/issue/DEMO-2', {
      fields: { summary: 'Not this either', customfield_10010: 'REF-2' },
    });
    expect(edit.status).toBe(400);
    expect(edit.json.errors).toEqual({ customfield_10010: offScreen('customfield_10010') });
    const after = (await jira.request({ as: 'member' }, 'GET', '/rest/api/3/issue/DEMO-2')).json.fields;
    expect(after.summary).toBe(before.summary);

    await screen('DELETE', 'DEMO', 'Bug', 'labels');
    const verbs = await jira.request({ as: 'member' }, 'PUT', '/rest/api/3/issue/DEMO-2', {
      update: { labels: [{ add: 'x' }] },
    });
    expect(verbs.json.errors).toEqual({ labels: offScreen('labels') });

    await screen('PUT', 'DEMO', 'Bug', 'customfield_10010');
    expect((await create(BUG, { customfield_10010: 'REF-3' })).status).toBe(201);
  });

  it('keeps the screen per project: OPS still takes the field', async () => {
    await screen('DELETE', 'DEMO', 'Task', 'duedate');
    const ops = await jira.request({ as: 'admin' }, 'POST', '/rest/api/3/issue', {
      fields: { project: { key: 'OPS' }, issuetype: { id: TASK }, summary: 'Due', duedate: '2030-01-01' },
    });
    expect(ops.status).toBe(201);
  });

  it('refuses a control call for a field no screen holds, or an issue type the project lacks', async () => {
    expect((await screen('DELETE', 'DEMO', 'Bug', 'status')).status).toBe(400);
    expect((await screen('DELETE', 'DEMO', 'Bug', 'issuetype')).status).toBe(400);
    expect((await screen('DELETE', 'OPS', 'Bug', 'duedate')).status).toBe(404);
  });

  it('is back on the screen after a reset', async () => {
    await screen('DELETE', 'DEMO', 'Bug', 'duedate');
    await fetch(`${sim.controlUrl}/reset`, { method: 'POST' });
    expect((await create(BUG, { duedate: '2030-01-01' })).status).toBe(201);
  });
});
