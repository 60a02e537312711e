/**
 * Links between issues as Jira Cloud has them: the default link types; `POST /issueLink` links an outward (source)
 * issue to an inward (destination) one and answers 201 with no body; each issue's `issuelinks` shows the link from
 * its own side; both issues' changelogs record it, both are touched, and the change is announced; `DELETE` undoes it
 * the same way.
 */
import type { ProductEventReport } from '../../platform/contracts';
import { startJiraSim, type JiraSim } from './index';
import { adf, jiraClient, type Caller } from './test-client';

const TOKEN = 'platform-secret';
const APP = '557058:app-crosswalk';

let sim: JiraSim;
let jira: ReturnType<typeof jiraClient>;
const events: ProductEventReport[] = [];
let clock = Date.UTC(2026, 4, 1, 9, 0, 0);
beforeAll(async () => {
  sim = await startJiraSim({
    platformToken: TOKEN,
    appAccountId: APP,
    onEvent: (e) => events.push(e),
    now: () => clock,
  });
  jira = jiraClient(sim, TOKEN);
});
afterAll(() => sim.stop());
beforeEach(async () => {
  await fetch(`${sim.controlUrl}/reset`, { method: 'POST' });
  events.length = 0;
});

const member: Caller = { as: 'member' };
const link = (body: Record<string, unknown>, caller: Caller = member) =>
  jira.request(caller, 'POST', '/rest/api/3/issueLink', body);
/** DEMO-1 blocks DEMO-2: DEMO-1 is the outward (source) issue, DEMO-2 the inward (destination) one. */
const blocks = (caller: Caller = member) =>
  link({ type: { name: 'Blocks' }, outwardIssue: { key: 'DEMO-1' }, inwardIssue: { key: 'DEMO-2' } }, caller);
const issuelinks = async (key: string, caller: Caller = member) =>
  (await jira.request(caller, 'GET', `/rest/api/3/issue/${key}?fields=issuelinks,updated`)).json.fields;
const lastItems = async (key: string) =>
  (await jira.request(member, 'GET', `/rest/api/3/issue/${key}/changelog`)).json.values.at(-1)?.items;

describe('link types', () => {
  it("lists Jira's default link types, each with its inward and outward reading", async () => {
    const res = await jira.request(member, 'GET', '/rest/api/3/issueLinkType');
    expect(res.json.issueLinkTypes).toEqual([
      { id: '10000', name: 'Blocks', inward: 'is blocked by', outward: 'blocks', self: expect.any(String) },
      { id: '10001', name: 'Cloners', inward: 'is cloned by', outward: 'clones', self: expect.any(String) },
      { id: '10002', name: 'Duplicate', inward: 'is duplicated by', outward: 'duplicates', self: expect.any(String) },
      { id: '10003', name: 'Relates', inward: 'relates to', outward: 'relates to', self: expect.any(String) },
    ]);
    const one = await jira.request(member, 'GET', '/rest/api/3/issueLinkType/10002');
    expect(one.json).toEqual({
      id: '10002',
      name: 'Duplicate',
      inward: 'is duplicated by',
      outward: 'duplicates',
      self: `${sim.baseUrl}/rest/api/3/issueLinkType/10002`,
    });
    expect((await jira.request(member, 'GET', '/rest/api/3/issueLinkType/1')).status).toBe(404);
    expect((await jira.request({ as: 'anonymous' }, 'GET', '/rest/api/3/issueLinkType')).status).toBe(401);
  });
});

describe('linking issues', () => {
  it('answers 201 with no body, and shows the link on each issue from its own side', async () => {
    const res = await blocks();
    expect(res.status).toBe(201);
    expect(res.text).toBe('');
    const [fromSource] = (await issuelinks('DEMO-1')).issuelinks;
    const [fromDestination] = (await issuelinks('DEMO-2')).issuelinks;
    const type = { id: '10000', name: 'Blocks', inward: 'is blocked by', outward: 'blocks', self: expect.any(String) };
    // DEMO-1 "blocks" DEMO-2: the other issue as outwardIssue; DEMO-2 "is blocked by" DEMO-1: as inwardIssue.
    expect(fromSource).toEqual({
      id: expect.stringMatching(/^\d+$/),
      self: `${sim.baseUrl}/rest/api/3/issueLink/${fromSource.id}`,
      type,
      outwardIssue: {
        id: '10002',
        key: 'DEMO-2',
        self: `${sim.baseUrl}/rest/api/3/issue/10002`,
        fields: {
          summary: 'Invoice PDF shows wrong currency',
          status: expect.objectContaining({ name: 'In Progress' }),
          priority: expect.objectContaining({ name: 'Medium' }),
          issuetype: expect.objectContaining({ name: 'Bug', hierarchyLevel: 0, subtask: false }),
        },
      },
    });
    expect(fromDestination).toEqual({
      id: fromSource.id,
      self: fromSource.self,
      type,
      inwardIssue: expect.objectContaining({ id: '10001', key: 'DEMO-1' }),
    });
  });

  it('answers GET /issueLink/{id} with the destination as inwardIssue and the source as outwardIssue', async () => {
    await blocks();
    const id = (await issuelinks('DEMO-1')).issuelinks[0].id;
    const res = await jira.request(member, 'GET', `/rest/api/3/issueLink/${id}`);
    expect(res.json).toMatchObject({
      id,
      type: { name: 'Blocks' },
      inwardIssue: { key: 'DEMO-2' },
      outwardIssue: { key: 'DEMO-1' },
    });
    expect((await jira.request(member, 'GET', '/rest/api/3/issueLink/99999')).status).toBe(404);
  });

  it('takes the link type by id as well as by name, and the issues by id as well as by key', async () => {
    const res = await link({ type: { id: '10003' }, outwardIssue: { id: '10001' }, inwardIssue: { id: '10003' } });
    expect(res.status).toBe(201);
    expect((await issuelinks('DEMO-3')).issuelinks[0]).toMatchObject({
      type: { name: 'Relates' },
      inwardIssue: { key: 'DEMO-1' },
    });
  });

  it('records the link in both changelogs as Jira writes it, and touches both issues', async () => {
    const before = (await issuelinks('DEMO-2')).updated;
    clock += 60_000;
    await blocks();
    expect(await lastItems('DEMO-1')).toEqual([
      { field: 'Link', fieldtype: 'jira', fromString: null, to: 'DEMO-2', toString: 'This issue blocks DEMO-2' },
    ]);
    expect(await lastItems('DEMO-2')).toEqual([
      { field: 'Link', fieldtype: 'jira', fromString: null, to: 'DEMO-1', toString: 'This issue is blocked by DEMO-1' },
    ]);
    const after = await issuelinks('DEMO-2');
    expect(after.updated).not.toBe(before);
    expect(after.updated).toBe((await issuelinks('DEMO-1')).updated);
  });

  it('announces the link as created:issuelink and each issue as updated with its Link change', async () => {
    await blocks({ as: 'app' });
    expect(events.map((e) => e.eventType)).toEqual([
      'avi:jira:created:issuelink',
      'avi:jira:updated:issue',
      'avi:jira:updated:issue',
    ]);
    const [created, source, destination] = events;
    expect(created).toMatchObject({
      selfGenerated: true,
      fields: {
        id: expect.any(Number),
        sourceIssueId: 10001,
        destinationIssueId: 10002,
        issueLinkType: { id: 10000, name: 'Blocks', outwardName: 'blocks', inwardName: 'is blocked by' },
        systemLink: false,
      },
    });
    expect(source!.fields).toMatchObject({
      issue: { key: 'DEMO-1' },
      changelog: { items: [{ field: 'Link', toString: 'This issue blocks DEMO-2' }] },
    });
    expect(destination!.fields).toMatchObject({ issue: { key: 'DEMO-2' } });
  });

  it('does not make a link twice, and adds a comment given with it to the outward issue', async () => {
    await blocks();
    events.length = 0;
    const res = await link({
      type: { name: 'Blocks' },
      outwardIssue: { key: 'DEMO-1' },
      inwardIssue: { key: 'DEMO-2' },
      comment: { body: adf('Blocked until the VPN is fixed') },
    });
    expect(res.status).toBe(201);
    expect((await issuelinks('DEMO-1')).issuelinks).toHaveLength(1);
    expect(events.map((e) => e.eventType)).toEqual(['avi:jira:commented:issue']);
    const comments = await jira.request(member, 'GET', '/rest/api/3/issue/DEMO-1/comment');
    expect(comments.json.comments.at(-1).body).toEqual(adf('Blocked until the VPN is fixed'));
  });

  it('refuses a comment it cannot add, and then makes no link', async () => {
    const res = await link({
      type: { name: 'Blocks' },
      outwardIssue: { key: 'DEMO-1' },
      inwardIssue: { key: 'DEMO-2' },
      comment: { body: adf('Managers only'), visibility: { type: 'group', value: 'incident-managers' } },
    });
    expect(res.status).toBe(400);
    expect(res.json.errors.commentLevel).toMatch(/not a member/);
    expect((await issuelinks('DEMO-1')).issuelinks).toEqual([]);
  });

  it('refuses an unknown link type, an issue the caller cannot see, a link to itself, and a caller who may not link', async () => {
    const unknown = await link({
      type: { name: 'Causes' },
      outwardIssue: { key: 'DEMO-1' },
      inwardIssue: { key: 'DEMO-2' },
    });
    expect(unknown.status).toBe(404);
    expect(unknown.json.errorMessages).toEqual(["No issue link type with name 'Causes' found."]);
    // Mia is not in OPS.
    const hidden = await link({
      type: { name: 'Relates' },
      outwardIssue: { key: 'DEMO-1' },
      inwardIssue: { key: 'OPS-1' },
    });
    expect(hidden.status).toBe(404);
    const self = await link({
      type: { name: 'Relates' },
      outwardIssue: { key: 'DEMO-1' },
      inwardIssue: { key: 'DEMO-1' },
    });
    expect(self.status).toBe(400);
    // A viewer browses DEMO but has no Link Issues permission.
    const viewer = sim.site.state.users.find((u) => u.role === 'viewer')!;
    const refused = await blocks({ as: 'platform-user', accountId: viewer.accountId });
    expect(refused.status).toBe(404);
    expect(refused.json.errorMessages).toEqual(["No Link Issue Permission for issue 'DEMO-1'."]);
    expect(sim.site.state.issueLinks).toEqual([]);
  });

  it('links issues of different projects for someone who sees both', async () => {
    const res = await link(
      { type: { name: 'Relates' }, outwardIssue: { key: 'OPS-1' }, inwardIssue: { key: 'DEMO-1' } },
      { as: 'admin' },
    );
    expect(res.status).toBe(201);
    // Mia sees DEMO-1 but not OPS-1: the link is left out of what she is shown.
    expect((await issuelinks('DEMO-1', { as: 'admin' })).issuelinks).toHaveLength(1);
    expect((await issuelinks('DEMO-1')).issuelinks).toEqual([]);
  });
});

describe('removing a link', () => {
  it('answers 204, takes it off both issues, records it in both changelogs and announces it', async () => {
    await blocks();
    const id = (await issuelinks('DEMO-1')).issuelinks[0].id;
    events.length = 0;
    const res = await jira.request(member, 'DELETE', `/rest/api/3/issueLink/${id}`);
    expect(res.status).toBe(204);
    expect((await issuelinks('DEMO-1')).issuelinks).toEqual([]);
    expect((await issuelinks('DEMO-2')).issuelinks).toEqual([]);
    expect(await lastItems('DEMO-1')).toEqual([
      { field: 'Link', fieldtype: 'jira', from: 'DEMO-2', fromString: 'This issue blocks DEMO-2', toString: null },
    ]);
    expect(await lastItems('DEMO-2')).toEqual([
      {
        field: 'Link',
        fieldtype: 'jira',
        from: 'DEMO-1',
        fromString: 'This issue is blocked by DEMO-1',
        toString: null,
      },
    ]);
    expect(events.map((e) => e.eventType)).toEqual([
      'avi:jira:deleted:issuelink',
      'avi:jira:updated:issue',
      'avi:jira:updated:issue',
    ]);
    expect((await jira.request(member, 'DELETE', `/rest/api/3/issueLink/${id}`)).status).toBe(404);
  });

  it('goes with a deleted issue, leaving the other issue without it', async () => {
    await blocks();
    expect((await jira.request({ as: 'admin' }, 'DELETE', '/rest/api/3/issue/DEMO-2')).status).toBe(204);
    expect((await issuelinks('DEMO-1')).issuelinks).toEqual([]);
  });
});
