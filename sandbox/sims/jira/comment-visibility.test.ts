/**
 * Comments restricted to a project role or a group, as Jira serves them: seen only by that role's or group's
 * members, on create, read, list and search (the spec: "If the comment has visibility restrictions, belongs to the
 * group or has the role visibility is restricted to").
 */
import { startJiraSim, type JiraSim } from './index';
import { adf, jiraClient, type Caller } from './test-client';

const TOKEN = 'platform-secret';
const APP = '557058:app-crosswalk';
const MANAGERS = { id: 'c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f', name: 'incident-managers' };

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

const lead: Caller = { as: 'project-lead' };
const member: Caller = { as: 'member' };
const app: Caller = { as: 'app' };

/** DEMO-1 with a public comment, one for DEMO's Administrators (the lead) and one for the incident managers. */
async function restrictedComments() {
  const post = (text: string, visibility?: unknown) =>
    jira.request(lead, 'POST', '/rest/api/3/issue/DEMO-1/comment', {
      body: adf(text),
      ...(visibility ? { visibility } : {}),
    });
  const open = await post('Everyone reads this');
  const admins = await post('ADMINS-ONLY: the root cause', { type: 'role', value: 'Administrators' });
  const managers = await post('MANAGERS-ONLY: the customer is leaving', { type: 'group', identifier: MANAGERS.id });
  expect([open.status, admins.status, managers.status]).toEqual([201, 201, 201]);
  return { open: open.json.id as string, admins: admins.json.id as string, managers: managers.json.id as string };
}

const texts = (comments: Array<{ body: { content: Array<{ content: Array<{ text: string }> }> } }>) =>
  comments.map((c) => c.body.content[0]!.content[0]!.text);

it('stores a restriction as Jira answers it: a role by its name, a group by its id and name', async () => {
  const ids = await restrictedComments();
  const admins = await jira.request(lead, 'GET', `/rest/api/3/issue/DEMO-1/comment/${ids.admins}`);
  const managers = await jira.request(lead, 'GET', `/rest/api/3/issue/DEMO-1/comment/${ids.managers}`);
  expect(admins.json.visibility).toEqual({ type: 'role', value: 'Administrators', identifier: 'Administrators' });
  expect(managers.json.visibility).toEqual({ type: 'group', value: MANAGERS.name, identifier: MANAGERS.id });
});

it('lists and counts only the comments the caller may see', async () => {
  await restrictedComments();
  const list = async (caller: Caller) => (await jira.request(caller, 'GET', '/rest/api/3/issue/DEMO-1/comment')).json;
  const forLead = await list(lead);
  const forMember = await list(member);
  expect(texts(forLead.comments)).toEqual([
    'Everyone reads this',
    'ADMINS-ONLY: the root cause',
    'MANAGERS-ONLY: the customer is leaving',
  ]);
  expect({ total: forMember.total, texts: texts(forMember.comments) }).toEqual({
    total: 1,
    texts: ['Everyone reads this'],
  });
});

it('does not show a restricted comment to the app until an admin puts the app in its role or group', async () => {
  const ids = await restrictedComments();
  const visibleToApp = async () =>
    texts((await jira.request(app, 'GET', '/rest/api/3/issue/DEMO-1/comment')).json.comments);
  expect(await visibleToApp()).toEqual(['Everyone reads this']);
  expect((await jira.request(app, 'GET', `/rest/api/3/issue/DEMO-1/comment/${ids.admins}`)).status).toBe(404);

  const admin: Caller = { as: 'admin' };
  expect((await jira.request(lead, 'POST', '/rest/api/3/project/DEMO/role/10002', { user: [APP] })).status).toBe(200);
  expect(
    (await jira.request(admin, 'POST', `/rest/api/3/group/user?groupId=${MANAGERS.id}`, { accountId: APP })).status,
  ).toBe(201);
  expect(await visibleToApp()).toEqual([
    'Everyone reads this',
    'ADMINS-ONLY: the root cause',
    'MANAGERS-ONLY: the customer is leaving',
  ]);
});

it("hides a restricted comment from the issue's comment field and from JQL text search", async () => {
  await restrictedComments();
  const issue = await jira.request(member, 'GET', '/rest/api/3/issue/DEMO-1?fields=comment');
  expect(texts(issue.json.fields.comment.comments)).toEqual(['Everyone reads this']);
  expect(issue.json.fields.comment.total).toBe(1);
  const search = (caller: Caller, jql: string) =>
    jira.request(caller, 'POST', '/rest/api/3/search/jql', { jql, fields: ['comment'] });
  expect((await search(member, 'project = DEMO AND comment ~ "root cause"')).json.issues).toEqual([]);
  const found = await search(lead, 'project = DEMO AND comment ~ "root cause"');
  expect(found.json.issues.map((i: { key: string }) => i.key)).toEqual(['DEMO-1']);
  expect(texts(found.json.issues[0].fields.comment.comments)).toHaveLength(3);
  const searchedByMember = await search(member, 'project = DEMO AND key = DEMO-1');
  expect(texts(searchedByMember.json.issues[0].fields.comment.comments)).toEqual(['Everyone reads this']);
});

it('answers 404 to reading, editing or deleting a restricted comment from outside its role', async () => {
  const ids = await restrictedComments();
  const path = `/rest/api/3/issue/DEMO-1/comment/${ids.admins}`;
  expect((await jira.request(member, 'GET', path)).status).toBe(404);
  expect((await jira.request({ as: 'admin' }, 'PUT', path, { body: adf('overwritten') })).status).toBe(404);
  expect((await jira.request({ as: 'admin' }, 'DELETE', path)).status).toBe(404);
  expect((await jira.request(lead, 'GET', path)).json.body).toEqual(adf('ADMINS-ONLY: the root cause'));
});

it('refuses to restrict a comment to a role or group the author is not in, or that does not exist', async () => {
  const post = (caller: Caller, visibility: unknown) =>
    jira.request(caller, 'POST', '/rest/api/3/issue/DEMO-1/comment', { body: adf('secret'), visibility });
  const notInRole = await post(member, { type: 'role', value: 'Administrators' });
  expect(notInRole.status).toBe(400);
  expect(notInRole.json.errors.commentLevel).toBe(
    'You are currently not a member of the project role: Administrators.',
  );
  const notInGroup = await post(member, { type: 'group', identifier: MANAGERS.id });
  expect(notInGroup.status).toBe(400);
  expect(notInGroup.json.errors.commentLevel).toBe('You are currently not a member of the group: incident-managers.');
  expect((await post(lead, { type: 'role', value: 'Auditors' })).status).toBe(400);
  expect((await post(lead, { type: 'group', value: 'no-such-group' })).status).toBe(400);
  expect((await jira.request(lead, 'GET', '/rest/api/3/issue/DEMO-1/comment')).json.total).toBe(0);
});
