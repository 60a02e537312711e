/**
 * The model adapter's view of the simulator, without the sandbox around it:
 * what it reads in Jira terms, how a person's edits reach GitHub (labels the
 * filter and Crosswalk own are kept, the body's marker survives), parents as
 * sub-issues, faults aimed at the integration, notifications held and
 * delivered, and the writes it counts as Crosswalk's.
 */
import { DEMO_CREDENTIALS, startGitHubSim, type GitHubSim } from './index';
import { gitHubModelAdapter } from './model';
import { gitHubClient } from './test-client';
import { manualClock, webhookReceiver } from './testing';

const clock = manualClock();
let sim: GitHubSim;
const REPO = `/repos/${DEMO_CREDENTIALS.repository}`;

beforeAll(async () => {
  sim = await startGitHubSim({ now: clock.now });
});
afterAll(() => sim.stop());
beforeEach(async () => {
  await fetch(`${sim.controlUrl}/reset`, { method: 'POST' });
});

it('reads an issue in Jira terms: open is To Do, labels canonical, comments public, no files', async () => {
  const adapter = gitHubModelAdapter(sim);
  expect(adapter.read('1')).toEqual({
    id: '1',
    summary: 'Contact form fails on Safari',
    status: 'To Do',
    priority: '',
    labels: 'bug',
    comments: [{ text: 'I can reproduce this on Safari 17.2.', internal: false }],
    files: [],
  });
  await adapter.edit('1', { status: 'Done' });
  expect(adapter.read('1').status).toBe('Done');
  expect(adapter.field('1', 'state')).toBe('closed');
});

it('a person’s label edit keeps the labels the model does not own', async () => {
  const adapter = gitHubModelAdapter(sim);
  await gitHubClient(sim, DEMO_CREDENTIALS.agent.token)('PATCH', `${REPO}/issues/1`, { labels: ['model', 'bug'] });
  await adapter.edit('1', { labels: 'question,documentation' });
  expect(adapter.field('1', 'labels').split(',').sort()).toEqual(['documentation', 'model', 'question']);
  expect(adapter.read('1').labels).toBe('documentation,question');
});

it('finds the issues Crosswalk made for a Jira issue by the marker, and keeps the marker when a person rewrites the body', async () => {
  const adapter = gitHubModelAdapter(sim);
  const marker = '<!-- crosswalk:crosswalk:0a1b2c3d:web-github:10042 -->';
  const made = await gitHubClient(sim, DEMO_CREDENTIALS.integration.token)<{ number: number }>(
    'POST',
    `${REPO}/issues`,
    {
      title: 'Made by Crosswalk',
      body: `From Jira\n\n${marker}`,
    },
  );
  expect(adapter.remotesForIssue('10042')).toEqual([String(made.json.number)]);
  expect(adapter.bodies.description(String(made.json.number))).toBe('From Jira');
  await adapter.bodies.setDescription?.(String(made.json.number), 'Rewritten on GitHub');
  expect(adapter.bodies.description(String(made.json.number))).toBe('Rewritten on GitHub');
  expect(adapter.remotesForIssue('10042')).toEqual([String(made.json.number)]);
});

it('parents are sub-issues: set, moved and taken away by the issue numbers', async () => {
  const adapter = gitHubModelAdapter(sim);
  expect(adapter.hierarchy!.parentOf('5')).toBe('4');
  const other = await adapter.create('Another epic', { type: 'Epic' });
  await adapter.hierarchy!.setParent('5', other);
  expect(adapter.hierarchy!.parentOf('5')).toBe(other);
  await adapter.hierarchy!.setParent('5', '');
  expect(adapter.hierarchy!.parentOf('5')).toBe('');
});

it('faults hit the integration only, as many times as the harness counts them', async () => {
  const adapter = gitHubModelAdapter(sim);
  const integration = gitHubClient(sim, DEMO_CREDENTIALS.integration.token);
  await adapter.fault('server-error', true);
  expect((await gitHubClient(sim, DEMO_CREDENTIALS.agent.token)('GET', `${REPO}/issues/1`)).status).toBe(200);
  expect([
    (await integration('GET', `${REPO}/issues/1`)).status,
    (await integration('GET', `${REPO}/issues/1`)).status,
  ]).toEqual([502, 502]);
  expect((await integration('GET', `${REPO}/issues/1`)).status).toBe(200);
  await adapter.fault('bad-credentials', true);
  expect((await integration('GET', `${REPO}/issues/1`)).status).toBe(401);
  await adapter.fault('bad-credentials', false);
  expect((await integration('GET', `${REPO}/issues/1`)).status).toBe(200);
});

it('holds notifications until delivered; a lost one never arrives, a duplicate repeats the last', async () => {
  const receiver = await webhookReceiver();
  try {
    const adapter = gitHubModelAdapter(sim);
    await gitHubClient(sim, DEMO_CREDENTIALS.integration.token)('POST', `${REPO}/hooks`, {
      events: ['issues'],
      config: { url: receiver.url, content_type: 'json', secret: 's' },
    });
    await sim.notifier.idle();
    sim.notifier.paused = true;
    await adapter.edit('1', { summary: 'Lost change' });
    expect(adapter.notifications.lose()).toBe(1);
    await adapter.edit('1', { summary: 'Kept change' });
    await adapter.notifications.deliver();
    adapter.notifications.duplicateLast();
    await adapter.notifications.deliver();
    const titles = receiver.received
      .filter((r) => r.headers['x-github-event'] === 'issues')
      .map((r) => (JSON.parse(r.body) as { issue: { title: string } }).issue.title);
    expect(titles).toEqual(['Kept change', 'Kept change']);
  } finally {
    await receiver.close();
  }
});

it('counts the integration’s writes, not people’s; refuses to attach a file', async () => {
  const adapter = gitHubModelAdapter(sim);
  await adapter.comment('1', 'A person writes', false);
  await gitHubClient(sim, DEMO_CREDENTIALS.integration.token)('POST', `${REPO}/issues/1/comments`, {
    body: 'Crosswalk',
  });
  expect(await adapter.writesByCrosswalk()).toBe(1);
  await expect(adapter.attach('1', 'a.txt', Buffer.from('x'))).rejects.toThrow(/no attachment API/);
});
