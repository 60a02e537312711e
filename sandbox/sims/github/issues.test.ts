/**
 * Issues as a person and a connector meet them: closing with a reason and
 * reopening, issue types by name, sub-issues (by the child's `id`, one parent,
 * no cycles, the parent's summary), comments since a time, the search index
 * that trails writes, and the issue page at github.com's address.
 */
import { DEMO_CREDENTIALS, startGitHubSim, type GitHubSim } from './index';
import { gitHubClient } from './test-client';
import { manualClock } from './testing';

type Issue = {
  id: number;
  number: number;
  title: string;
  state: string;
  state_reason: string | null;
  closed_at: string | null;
  type: { name: string } | null;
  sub_issues_summary: { total: number; completed: number; percent_completed: number };
  parent_issue_url?: string;
  comments: number;
};

const clock = manualClock();
let sim: GitHubSim;
let agent: ReturnType<typeof gitHubClient>;
const REPO = `/repos/${DEMO_CREDENTIALS.repository}`;

beforeAll(async () => {
  sim = await startGitHubSim({ now: clock.now });
  agent = gitHubClient(sim, DEMO_CREDENTIALS.agent.token);
});
afterAll(() => sim.stop());
beforeEach(async () => {
  await fetch(`${sim.controlUrl}/reset`, { method: 'POST' });
});

const create = async (body: Record<string, unknown>): Promise<Issue> => {
  const res = await agent<Issue>('POST', `${REPO}/issues`, body);
  expect(res.status).toBe(201);
  return res.json;
};
const read = async (n: number): Promise<Issue> => (await agent<Issue>('GET', `${REPO}/issues/${n}`)).json;

describe('state and type', () => {
  it('closes as completed by default or as not planned, and reopens with `reopened`', async () => {
    const closed = (await agent<Issue>('PATCH', `${REPO}/issues/1`, { state: 'closed' })).json;
    expect(closed).toMatchObject({ state: 'closed', state_reason: 'completed', closed_at: expect.any(String) });
    const reopened = (await agent<Issue>('PATCH', `${REPO}/issues/1`, { state: 'open' })).json;
    expect(reopened).toMatchObject({ state: 'open', state_reason: 'reopened', closed_at: null });
    const notPlanned = (
      await agent<Issue>('PATCH', `${REPO}/issues/1`, { state: 'closed', state_reason: 'not_planned' })
    ).json;
    expect(notPlanned.state_reason).toBe('not_planned');
    // A reason alone, without a change of state, is ignored.
    const ignored = (await agent<Issue>('PATCH', `${REPO}/issues/1`, { state_reason: 'completed' })).json;
    expect(ignored.state_reason).toBe('not_planned');
  });

  it('refuses a title over 256 characters (422 `custom`) rather than cut it', async () => {
    const res = await agent('POST', `${REPO}/issues`, { title: 't'.repeat(257) });
    expect(res.status).toBe(422);
    expect(res.json).toMatchObject({ errors: [{ resource: 'Issue', field: 'title', code: 'custom' }] });
    expect((await agent('POST', `${REPO}/issues`, { title: 't'.repeat(256) })).status).toBe(201);
  });

  it('sets the org’s issue type by name; an unknown name is 422', async () => {
    const task = await create({ title: 'Compress images', type: 'task' });
    expect(task.type?.name).toBe('Task');
    expect((await agent<Issue>('PATCH', `${REPO}/issues/${task.number}`, { type: 'Epic' })).json.type?.name).toBe(
      'Epic',
    );
    expect((await agent<Issue>('PATCH', `${REPO}/issues/${task.number}`, { type: null })).json.type).toBeNull();
    const unknown = await agent('PATCH', `${REPO}/issues/${task.number}`, { type: 'Story' });
    expect(unknown.status).toBe(422);
    expect(unknown.json).toMatchObject({ errors: [{ field: 'type', code: 'invalid', value: 'Story' }] });
  });
});

describe('sub-issues', () => {
  it('are added by the child’s `id`, counted in the parent’s summary and named by the child’s parent', async () => {
    const epic = await read(4);
    const child = await create({ title: 'New footer', type: 'Task' });
    const added = await agent<Issue>('POST', `${REPO}/issues/4/sub_issues`, { sub_issue_id: child.id });
    expect(added.status).toBe(201);
    expect(added.json.sub_issues_summary).toEqual({ total: 2, completed: 0, percent_completed: 0 });
    await agent('PATCH', `${REPO}/issues/${child.number}`, { state: 'closed' });
    expect((await read(4)).sub_issues_summary).toEqual({ total: 2, completed: 1, percent_completed: 50 });
    expect((await read(child.number)).parent_issue_url).toBe(`https://api.github.com/repos/acme/website/issues/4`);
    const parent = await agent<Issue>('GET', `${REPO}/issues/${child.number}/parent`);
    expect(parent.json.id).toBe(epic.id);
    const listed = await agent<Issue[]>('GET', `${REPO}/issues/4/sub_issues`);
    expect(listed.json.map((i) => i.number)).toEqual([5, child.number]);
  });

  it('a number where the id belongs is refused: `sub_issue_id` is the global id', async () => {
    const res = await agent('POST', `${REPO}/issues/4/sub_issues`, { sub_issue_id: 2 });
    expect(res.status).toBe(422);
  });

  it('one parent only, unless `replace_parent`; no cycles', async () => {
    const other = await create({ title: 'Another epic', type: 'Epic' });
    const task = await read(5);
    const second = await agent('POST', `${REPO}/issues/${other.number}/sub_issues`, { sub_issue_id: task.id });
    expect(second.status).toBe(422);
    const moved = await agent('POST', `${REPO}/issues/${other.number}/sub_issues`, {
      sub_issue_id: task.id,
      replace_parent: true,
    });
    expect(moved.status).toBe(201);
    expect((await read(4)).sub_issues_summary.total).toBe(0);
    expect((await read(5)).parent_issue_url).toMatch(new RegExp(`/issues/${other.number}$`));
    // #5 is under `other`: putting `other` under #5 would close a loop.
    const cycle = await agent('POST', `${REPO}/issues/5/sub_issues`, { sub_issue_id: other.id });
    expect(cycle.status).toBe(422);
    const self = await agent('POST', `${REPO}/issues/5/sub_issues`, { sub_issue_id: task.id });
    expect(self.status).toBe(422);
  });

  it('nest: a sub-issue may have sub-issues of its own', async () => {
    const leaf = await create({ title: 'Pick the hero image' });
    expect((await agent('POST', `${REPO}/issues/5/sub_issues`, { sub_issue_id: leaf.id })).status).toBe(201);
    expect((await read(leaf.number)).parent_issue_url).toMatch(/\/issues\/5$/);
  });

  it('are removed with `DELETE …/sub_issue`; a child without a parent answers 404 for its parent', async () => {
    const task = await read(5);
    const removed = await agent<Issue>('DELETE', `${REPO}/issues/4/sub_issue`, { sub_issue_id: task.id });
    expect(removed.status).toBe(200);
    expect(removed.json.sub_issues_summary.total).toBe(0);
    expect((await agent('GET', `${REPO}/issues/5/parent`)).status).toBe(404);
    expect(await read(5)).not.toHaveProperty('parent_issue_url');
  });
});

describe('comments', () => {
  it('list per issue since a time (by last update), oldest first, and count on the issue', async () => {
    clock.advance(5_000);
    const since = new Date(clock.now()).toISOString();
    await agent('POST', `${REPO}/issues/2/comments`, { body: 'First' });
    await agent('POST', `${REPO}/issues/2/comments`, { body: 'Second' });
    const listed = await agent<Array<{ body: string }>>('GET', `${REPO}/issues/2/comments?since=${since}`);
    expect(listed.json.map((c) => c.body)).toEqual(['First', 'Second']);
    expect((await read(2)).comments).toBe(2);
    const older = await agent<Array<{ body: string }>>('GET', `${REPO}/issues/1/comments?since=${since}`);
    expect(older.json).toEqual([]);
  });

  it('another person’s comment cannot be edited without push access', async () => {
    const made = await agent<{ id: number }>('POST', `${REPO}/issues/1/comments`, { body: 'Mine' });
    const reader = gitHubClient(sim, DEMO_CREDENTIALS.reader.token);
    expect((await reader('PATCH', `${REPO}/issues/comments/${made.json.id}`, { body: 'Yours' })).status).toBe(403);
  });
});

describe('search', () => {
  it('does not find a just-created issue until the index catches up (60 s by default)', async () => {
    const made = await create({ title: 'Newsletter signup broken', body: '<!-- jira:WEB-42 -->' });
    const q = `/search/issues?q=${encodeURIComponent('repo:acme/website in:body "jira:WEB-42"')}`;
    expect((await agent<{ total_count: number }>('GET', q)).json.total_count).toBe(0);
    clock.advance(60_000);
    const found = await agent<{ total_count: number; items: Issue[] }>('GET', q);
    expect(found.json.items.map((i) => i.number)).toEqual([made.number]);
  });

  it('finds an issue by what it said `lag` ago, and the lag is a control knob', async () => {
    clock.advance(60_000);
    await agent('PATCH', `${REPO}/issues/1`, { title: 'Contact form renamed' });
    const byOld = `/search/issues?q=${encodeURIComponent('repo:acme/website Safari in:title')}`;
    expect((await agent<{ total_count: number }>('GET', byOld)).json.total_count).toBe(1);
    await fetch(`${sim.controlUrl}/search`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ lagSeconds: 0 }),
    });
    expect((await agent<{ total_count: number }>('GET', byOld)).json.total_count).toBe(0);
  });
});

describe('the issue page at github.com/acme/website/issues/<n>', () => {
  it('shows the issue and saves a person’s changes as octo-agent through the API', async () => {
    const page = await fetch(`${sim.baseUrl}/acme/website/issues/1`, { headers: { 'x-forwarded-host': 'github.com' } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Contact form fails on Safari');
    const form = new FormData();
    form.set('do', 'fields');
    form.set('title', 'Contact form fails on Safari 17');
    form.set('body', 'Blank page.');
    form.set('state', 'closed:not_planned');
    form.set('labels', 'bug, question');
    const saved = await fetch(`${sim.baseUrl}/acme/website/issues/1`, {
      method: 'POST',
      body: form,
      redirect: 'manual',
    });
    expect(saved.status).toBe(303);
    expect(await read(1)).toMatchObject({
      title: 'Contact form fails on Safari 17',
      state: 'closed',
      state_reason: 'not_planned',
    });
  });

  it('pastes a file into a comment as a user-attachments URL the simulator serves', async () => {
    const form = new FormData();
    form.set('do', 'attach');
    form.set('file', new File([Buffer.from('PNGDATA')], 'shot.png', { type: 'image/png' }));
    await fetch(`${sim.baseUrl}/acme/website/issues/1`, {
      method: 'POST',
      body: form,
      redirect: 'manual',
    });
    const comments = await agent<Array<{ body: string }>>('GET', `${REPO}/issues/1/comments`);
    const url = /\((https:\/\/github\.com\/user-attachments\/assets\/[0-9a-f-]+)\)/.exec(
      comments.json.at(-1)?.body ?? '',
    )?.[1];
    expect(url).toBeDefined();
    const image = await fetch(`${sim.baseUrl}${new URL(url ?? '').pathname}`);
    expect(image.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await image.arrayBuffer()).toString()).toBe('PNGDATA');
  });
});
