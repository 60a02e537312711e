/**
 * Reads a real Jira client makes that the simulator serves as Jira does: repeated list parameters
 * (`?fields=a&fields=b`), the approximate count of a search, priorities a page at a time, and a custom field's
 * change named by its id in the changelog and in the product event (the app trusts both to know what changed).
 */
import type { ProductEventReport } from '../../platform/contracts';
import { startJiraSim, type JiraSim } from './index';
import { jiraClient, type Caller } from './test-client';

const TOKEN = 'platform-secret';
let sim: JiraSim;
let jira: ReturnType<typeof jiraClient>;
const events: ProductEventReport[] = [];
beforeAll(async () => {
  sim = await startJiraSim({ platformToken: TOKEN, appAccountId: 'app-1', onEvent: (e) => events.push(e) });
  jira = jiraClient(sim, TOKEN);
});
afterAll(() => sim.stop());
beforeEach(async () => {
  await fetch(`${sim.controlUrl}/reset`, { method: 'POST' });
  events.length = 0;
});

const member: Caller = { as: 'member' };

describe('repeated list parameters', () => {
  it('reads every fields parameter of an issue read, and each may list several', async () => {
    const res = await jira.request(member, 'GET', '/rest/api/3/issue/DEMO-1?fields=summary&fields=status,priority');
    expect(Object.keys(res.json.fields).sort()).toEqual(['priority', 'status', 'summary']);
  });

  it('reads every fields parameter of a search', async () => {
    const res = await jira.request(
      member,
      'GET',
      '/rest/api/3/search/jql?jql=key%3DDEMO-1&fields=summary&fields=labels',
    );
    expect(Object.keys(res.json.issues[0].fields).sort()).toEqual(['labels', 'summary']);
  });
});

describe('POST /rest/api/3/search/approximate-count', () => {
  it('counts what the caller may find with a bounded query', async () => {
    const count = (caller: Caller, jql: string) =>
      jira.request(caller, 'POST', '/rest/api/3/search/approximate-count', { jql });
    expect((await count(member, 'project = DEMO')).json).toEqual({ count: 3 });
    // OPS is not Mia's project: its issue is not counted for her.
    expect((await count(member, 'project IN (DEMO, OPS)')).json).toEqual({ count: 3 });
    expect((await count({ as: 'admin' }, 'project IN (DEMO, OPS)')).json).toEqual({ count: 4 });
  });

  it('refuses an unbounded or broken query with 400', async () => {
    const res = await jira.request(member, 'POST', '/rest/api/3/search/approximate-count', { jql: 'order by key' });
    expect(res.status).toBe(400);
    expect(
      (await jira.request(member, 'POST', '/rest/api/3/search/approximate-count', { jql: 'nope = 1' })).status,
    ).toBe(400);
  });
});

describe('GET /rest/api/3/priority/search', () => {
  it('lists priorities a page at a time, with the default marked', async () => {
    const first = await jira.request(member, 'GET', '/rest/api/3/priority/search?maxResults=2');
    expect(first.json).toMatchObject({ startAt: 0, maxResults: 2, total: 5, isLast: false });
    expect(first.json.values.map((p: { name: string }) => p.name)).toEqual(['Highest', 'High']);
    expect(first.json.nextPage).toMatch(/\/rest\/api\/3\/priority\/search\?startAt=2&maxResults=2$/);
    const last = await jira.request(member, 'GET', '/rest/api/3/priority/search?startAt=4&maxResults=2');
    expect(last.json).toMatchObject({ isLast: true, values: [{ name: 'Lowest', isDefault: false }] });
    expect(last.json.nextPage).toBeUndefined();
  });

  it('narrows by repeated ids, by name and to the default', async () => {
    const byId = await jira.request(member, 'GET', '/rest/api/3/priority/search?id=2&id=4');
    expect(byId.json.values.map((p: { name: string }) => p.name)).toEqual(['High', 'Low']);
    const byName = await jira.request(member, 'GET', '/rest/api/3/priority/search?priorityName=high');
    expect(byName.json.values.map((p: { name: string }) => p.name)).toEqual(['Highest', 'High']);
    const onlyDefault = await jira.request(member, 'GET', '/rest/api/3/priority/search?onlyDefault=true');
    expect(onlyDefault.json.values).toEqual([expect.objectContaining({ name: 'Medium', isDefault: true })]);
  });

  it('needs a signed-in caller', async () => {
    expect((await jira.request({ as: 'anonymous' }, 'GET', '/rest/api/3/priority/search')).status).toBe(401);
  });
});

describe("a custom field's change", () => {
  it('is named by its id in the changelog and in the update event', async () => {
    await jira.request(member, 'PUT', '/rest/api/3/issue/DEMO-1', { fields: { customfield_10010: 'REF-7' } });
    const log = await jira.request(member, 'GET', '/rest/api/3/issue/DEMO-1/changelog');
    const expected = {
      field: 'Customer reference',
      fieldtype: 'custom',
      fieldId: 'customfield_10010',
      toString: 'REF-7',
    };
    expect(log.json.values.at(-1).items).toEqual([expect.objectContaining(expected)]);
    const event = events.find((e) => e.eventType === 'avi:jira:updated:issue');
    expect((event?.fields.changelog as { items: unknown[] }).items).toEqual([expect.objectContaining(expected)]);
  });
});
