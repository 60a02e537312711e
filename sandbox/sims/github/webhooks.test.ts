/**
 * Webhook deliveries as the harness drives them: paused and flushed, lost,
 * duplicated under one GUID, `busy`/`idle()` for settling, nothing sent to a
 * deleted hook or for an event it did not subscribe to, and the payloads of a
 * comment's edit and deletion.
 */
import { DEMO_CREDENTIALS, startGitHubSim, type GitHubSim } from './index';
import { gitHubClient } from './test-client';
import { manualClock, webhookReceiver } from './testing';

const clock = manualClock();
let sim: GitHubSim;
let receiver: Awaited<ReturnType<typeof webhookReceiver>>;
const REPO = `/repos/${DEMO_CREDENTIALS.repository}`;
const admin = () => gitHubClient(sim, DEMO_CREDENTIALS.integration.token);
const agent = () => gitHubClient(sim, DEMO_CREDENTIALS.agent.token);
const events = () =>
  receiver.received.map(
    (r) => `${r.headers['x-github-event']}.${(JSON.parse(r.body) as { action?: string }).action ?? ''}`,
  );
const deliveries = (body: unknown) =>
  fetch(`${sim.controlUrl}/webhooks/deliveries`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

beforeAll(async () => {
  sim = await startGitHubSim({ now: clock.now });
  receiver = await webhookReceiver();
});
afterAll(async () => {
  await sim.stop();
  await receiver.close();
});
beforeEach(async () => {
  await fetch(`${sim.controlUrl}/reset`, { method: 'POST' });
  const hook = await admin()('POST', `${REPO}/hooks`, {
    events: ['issues', 'issue_comment'],
    config: { url: receiver.url, content_type: 'json', secret: 's3cret' },
  });
  expect(hook.status).toBe(201);
  await sim.notifier.idle();
  receiver.received.length = 0;
});

it('paused deliveries wait, `busy` says so once resumed, and `idle()` resolves when they are all sent', async () => {
  await deliveries({ paused: true });
  await agent()('POST', `${REPO}/issues`, { title: 'Held back' });
  expect(receiver.received).toHaveLength(0);
  expect(sim.notifier.busy).toBe(false);
  sim.notifier.paused = false;
  void sim.notifier.flush();
  expect(sim.notifier.busy).toBe(true);
  await sim.notifier.idle();
  expect(sim.notifier.busy).toBe(false);
  expect(events()).toEqual(['issues.opened']);
});

it('a lost delivery never arrives; a duplicated one arrives twice under one GUID', async () => {
  await deliveries({ lose: 1, duplicate: 1 });
  await agent()('POST', `${REPO}/issues`, { title: 'Lost' });
  await agent()('POST', `${REPO}/issues`, { title: 'Twice' });
  await sim.notifier.idle();
  expect(receiver.received.map((r) => (JSON.parse(r.body) as { issue: { title: string } }).issue.title)).toEqual([
    'Twice',
    'Twice',
  ]);
  expect(receiver.received[0]?.headers['x-github-delivery']).toBe(receiver.received[1]?.headers['x-github-delivery']);
});

it('an event the hook does not subscribe to is not sent; a deleted hook gets nothing', async () => {
  const hooks = await admin()<Array<{ id: number }>>('GET', `${REPO}/hooks`);
  const id = hooks.json[0]?.id;
  await admin()('PATCH', `${REPO}/hooks/${id}`, { events: ['issues'] });
  await agent()('POST', `${REPO}/issues/1/comments`, { body: 'Not for this hook' });
  await sim.notifier.idle();
  expect(receiver.received).toHaveLength(0);
  expect((await admin()('DELETE', `${REPO}/hooks/${id}`)).status).toBe(204);
  await agent()('PATCH', `${REPO}/issues/1`, { title: 'Nobody listens' });
  await sim.notifier.idle();
  expect(receiver.received).toHaveLength(0);
});

it('a comment’s edit carries what it said before; its deletion names the comment', async () => {
  const made = await agent()<{ id: number }>('POST', `${REPO}/issues/1/comments`, { body: 'Draft' });
  await agent()('PATCH', `${REPO}/issues/comments/${made.json.id}`, { body: 'Final' });
  await agent()('DELETE', `${REPO}/issues/comments/${made.json.id}`);
  await sim.notifier.idle();
  expect(events()).toEqual(['issue_comment.created', 'issue_comment.edited', 'issue_comment.deleted']);
  const edited = JSON.parse(receiver.received[1]?.body ?? '{}') as { changes: unknown; comment: { body: string } };
  expect(edited).toMatchObject({ changes: { body: { from: 'Draft' } }, comment: { body: 'Final' } });
  const deleted = JSON.parse(receiver.received[2]?.body ?? '{}') as { comment: { id: number } };
  expect(deleted.comment.id).toBe(made.json.id);
});

it('a transfer and a deletion are told as `issues` events', async () => {
  await fetch(`${sim.controlUrl}/issues/2/transfer`, { method: 'POST' });
  await fetch(`${sim.controlUrl}/issues/1/delete`, { method: 'POST' });
  await sim.notifier.idle();
  expect(events()).toEqual(['issues.transferred', 'issues.deleted']);
  const transferred = JSON.parse(receiver.received[0]?.body ?? '{}') as { changes: { new_issue: { number: number } } };
  expect(transferred.changes.new_issue.number).toBe(1);
});

it('a person without admin rights does not see the hooks (404)', async () => {
  expect((await agent()('GET', `${REPO}/hooks`)).status).toBe(404);
});

it("an edit's events carry the issue as the edit left it, its new `updated_at` included", async () => {
  const made = await agent()('POST', `${REPO}/issues`, { title: 'Stamped' });
  const number = (made.json as { number: number }).number;
  await sim.notifier.idle();
  receiver.received.length = 0;
  clock.advance(5_000);
  const edited = await agent()('PATCH', `${REPO}/issues/${number}`, { title: 'Stamped again', state: 'closed' });
  const answered = (edited.json as { updated_at: string }).updated_at;
  await sim.notifier.idle();
  const issues = receiver.received.map(
    (r) => (JSON.parse(r.body) as { issue: { title: string; updated_at: string } }).issue,
  );
  expect(events()).toEqual(['issues.edited', 'issues.closed']);
  for (const issue of issues) expect(issue).toMatchObject({ title: 'Stamped again', updated_at: answered });
});
