/**
 * The simulator answers in the shape GitHub's OpenAPI description gives for
 * each operation (../shared/specs/github/issues-subset.json, see oas.ts), its
 * webhook payloads match the spec's `x-webhooks`, GitHub's own clients
 * (`@octokit/rest`, `@octokit/webhooks-methods`) work against it, and each
 * rule of vendor-apis-more.md §1.10 "Simulator must reproduce" holds.
 * Each case names the exact status it must answer.
 */
import { createHmac } from 'node:crypto';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { DEMO_CREDENTIALS, startGitHubSim, type GitHubSim } from './index';
import { loadGitHubSpec, webhookValidator } from './oas';
import { gitHubClient, type GitHubResponse } from './test-client';
import { appJwt, manualClock, webhookReceiver } from './testing';

type Json = Record<string, unknown>;

const spec = loadGitHubSpec();
const validPayload = webhookValidator();
const clock = manualClock();
let sim: GitHubSim;
let agent: ReturnType<typeof gitHubClient>;
let receiver: Awaited<ReturnType<typeof webhookReceiver>>;
const SECRET = "It's a Secret to Everybody";
const REPO = `/repos/${DEMO_CREDENTIALS.repository}`;

beforeAll(async () => {
  sim = await startGitHubSim({ now: clock.now });
  agent = gitHubClient(sim, DEMO_CREDENTIALS.agent.token);
  receiver = await webhookReceiver();
});
afterAll(async () => {
  await sim.stop();
  await receiver.close();
});
beforeEach(async () => {
  await fetch(`${sim.controlUrl}/reset`, { method: 'POST' });
  receiver.received.length = 0;
});

const control = (p: string, body: unknown, method = 'PUT') =>
  fetch(`${sim.controlUrl}${p}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

/** Fails with the spec's complaints unless `res` has `status` and the documented shape for it. */
function expectDocumented(method: string, concretePath: string, res: GitHubResponse<unknown>, status: number): void {
  expect({ status: res.status, body: res.status === status ? 'as expected' : res.text }).toEqual({
    status,
    body: 'as expected',
  });
  const template = spec.match(method, concretePath.split('?')[0] ?? '');
  expect(template).toBeDefined();
  expect(spec.validate(method, template ?? '', status, res.json).errors).toEqual([]);
}

async function addHook(events = ['issues', 'issue_comment']): Promise<number> {
  const res = await agent<{ id: number }>(
    'POST',
    `${REPO}/hooks`,
    {
      name: 'web',
      active: true,
      events,
      config: { url: receiver.url, content_type: 'json', secret: SECRET, insecure_ssl: '0' },
    },
    { authorization: `Bearer ${DEMO_CREDENTIALS.integration.token}` },
  );
  expect(res.status).toBe(201);
  await sim.notifier.idle();
  return res.json.id;
}

describe("answers in the shape of GitHub's OpenAPI description", () => {
  it('issues: list, get, create, update', async () => {
    const list = `${REPO}/issues?state=all&per_page=100`;
    expectDocumented('GET', list, await agent('GET', list), 200);
    expectDocumented('GET', `${REPO}/issues/1`, await agent('GET', `${REPO}/issues/1`), 200);
    const created = await agent<{ number: number }>('POST', `${REPO}/issues`, {
      title: 'Checkout button is hidden',
      body: 'On small screens.',
      labels: ['bug'],
      assignees: ['octo-agent'],
      milestone: 1,
      type: 'Bug',
    });
    expectDocumented('POST', `${REPO}/issues`, created, 201);
    const path = `${REPO}/issues/${created.json.number}`;
    expectDocumented('PATCH', path, await agent('PATCH', path, { state: 'closed', state_reason: 'completed' }), 200);
  });

  it("an issue's labels and assignees as sub-resources", async () => {
    const labels = `${REPO}/issues/1/labels`;
    const added = await agent<Array<{ name: string }>>('POST', labels, { labels: ['question'] });
    expectDocumented('POST', labels, added, 200);
    expect(added.json.map((l) => l.name)).toEqual(['bug', 'question']);
    expectDocumented('PUT', labels, await agent('PUT', labels, { labels: ['documentation', 'bug'] }), 200);
    const removed = await agent<Array<{ name: string }>>('DELETE', `${labels}/bug`);
    expectDocumented('DELETE', `${labels}/bug`, removed, 200);
    expect(removed.json.map((l) => l.name)).toEqual(['documentation']);
    expect((await agent('DELETE', labels)).status).toBe(204);
    const assignees = `${REPO}/issues/1/assignees`;
    const assigned = await agent<{ assignees: Array<{ login: string }> }>('POST', assignees, {
      assignees: ['octo-agent'],
    });
    expectDocumented('POST', assignees, assigned, 201);
    expect(assigned.json.assignees.map((a) => a.login)).toEqual(['octo-agent']);
    const unassigned = await agent<{ assignees: unknown[] }>('DELETE', assignees, { assignees: ['octo-agent'] });
    expectDocumented('DELETE', assignees, unassigned, 200);
    expect(unassigned.json.assignees).toEqual([]);
  });

  it("an issue's event history", async () => {
    clock.advance(1_000);
    await agent('PATCH', `${REPO}/issues/1`, {
      title: 'Contact form fails on Safari 17',
      body: 'Edited, which GitHub does not record as an event',
      labels: ['question'],
      assignees: ['octo-agent'],
      milestone: 2,
      state: 'closed',
      state_reason: 'not_planned',
    });
    const events = `${REPO}/issues/1/events`;
    const history = await agent<Array<{ event: string; actor: { login: string } }>>('GET', events);
    expectDocumented('GET', events, history, 200);
    expect(history.json.map((e) => e.event)).toEqual([
      'renamed',
      'closed',
      'unlabeled',
      'labeled',
      'assigned',
      'demilestoned',
      'milestoned',
    ]);
    expect(new Set(history.json.map((e) => e.actor.login))).toEqual(new Set(['octo-agent']));
  });

  it('comments: per issue, repository-wide, one by id', async () => {
    const made = await agent<{ id: number }>('POST', `${REPO}/issues/1/comments`, { body: 'Seen it too.' });
    expectDocumented('POST', `${REPO}/issues/1/comments`, made, 201);
    expectDocumented('GET', `${REPO}/issues/1/comments`, await agent('GET', `${REPO}/issues/1/comments`), 200);
    expectDocumented(
      'GET',
      `${REPO}/issues/comments`,
      await agent('GET', `${REPO}/issues/comments?sort=updated&direction=asc`),
      200,
    );
    const one = `${REPO}/issues/comments/${made.json.id}`;
    expectDocumented('GET', one, await agent('GET', one), 200);
    expectDocumented('PATCH', one, await agent('PATCH', one, { body: 'Seen it too, on iOS.' }), 200);
    expect((await agent('DELETE', one)).status).toBe(204);
  });

  it('the repository, as the caller may use it', async () => {
    // Not an operation of the subset: its body is the `repository` schema, checked where the access token lists it.
    const repo = await agent<{ permissions: Record<string, boolean>; full_name: string }>('GET', REPO);
    expect(repo.status).toBe(200);
    expect(repo.json.full_name).toBe('acme/website');
    expect(repo.json.permissions).toEqual({ admin: false, maintain: false, push: true, triage: true, pull: true });
  });

  it('labels, search, rate limit', async () => {
    expectDocumented('GET', `${REPO}/labels`, await agent('GET', `${REPO}/labels`), 200);
    const q = `/search/issues?q=${encodeURIComponent('repo:acme/website Safari')}`;
    expectDocumented('GET', q, await agent('GET', q), 200);
    expectDocumented('GET', '/rate_limit', await agent('GET', '/rate_limit'), 200);
  });

  it('the GitHub App: installation of a repository, installation access tokens', async () => {
    const app = gitHubClient(sim, appJwt(clock.now()));
    expectDocumented('GET', `${REPO}/installation`, await app('GET', `${REPO}/installation`), 200);
    const tokenPath = `/app/installations/${DEMO_CREDENTIALS.app.installationId}/access_tokens`;
    expectDocumented('POST', tokenPath, await app('POST', tokenPath, { repositories: ['website'] }), 201);
  });

  it('webhooks: create, read, deliveries and one delivery, redelivery', async () => {
    const id = await addHook();
    const admin = gitHubClient(sim, DEMO_CREDENTIALS.integration.token);
    expectDocumented('GET', `${REPO}/hooks`, await admin('GET', `${REPO}/hooks`), 200);
    expectDocumented('GET', `${REPO}/hooks/${id}`, await admin('GET', `${REPO}/hooks/${id}`), 200);
    const deliveries = await admin<Array<{ id: number }>>('GET', `${REPO}/hooks/${id}/deliveries`);
    expectDocumented('GET', `${REPO}/hooks/${id}/deliveries`, deliveries, 200);
    const one = `${REPO}/hooks/${id}/deliveries/${deliveries.json[0]?.id}`;
    expectDocumented('GET', one, await admin('GET', one), 200);
    expectDocumented('POST', `${one}/attempts`, await admin('POST', `${one}/attempts`), 202);
  });

  it('refusals: 404, 410, 301, 422 in GitHub’s error shapes', async () => {
    expectDocumented('GET', `${REPO}/issues/999`, await agent('GET', `${REPO}/issues/999`), 404);
    await control('/issues/1/delete', {}, 'POST');
    expectDocumented('GET', `${REPO}/issues/1`, await agent('GET', `${REPO}/issues/1`), 410);
    await control('/issues/2/transfer', {}, 'POST');
    expectDocumented('GET', `${REPO}/issues/2`, await agent('GET', `${REPO}/issues/2`), 301);
    expectDocumented('POST', `${REPO}/issues`, await agent('POST', `${REPO}/issues`, { body: 'no title' }), 422);
  });

  it('webhook payloads match the spec’s x-webhooks', async () => {
    await addHook();
    const made = await agent<{ number: number }>('POST', `${REPO}/issues`, { title: 'Logo is blurry' });
    const n = made.json.number;
    await agent('PATCH', `${REPO}/issues/${n}`, {
      title: 'Logo is blurry on retina',
      labels: ['bug'],
      state: 'closed',
    });
    await agent('POST', `${REPO}/issues/${n}/comments`, { body: 'Fixed in the new SVG.' });
    await sim.notifier.idle();
    const names = receiver.received.map((r) => {
      const payload = JSON.parse(r.body) as Json;
      const event = r.headers['x-github-event'] ?? '';
      const name = event === 'ping' ? 'ping' : `${event.replace(/_/g, '-')}-${String(payload.action)}`;
      expect({ name, errors: validPayload(name, payload) }).toEqual({ name, errors: [] });
      return name;
    });
    expect(names).toEqual([
      'ping',
      'issues-opened',
      'issues-edited',
      'issues-closed',
      'issues-labeled',
      'issue-comment-created',
    ]);
  });
});

it('every issue and comment event the simulator sends matches its x-webhooks payload', async () => {
  await addHook();
  const n = (await agent<{ number: number }>('POST', `${REPO}/issues`, { title: 'All the events' })).json.number;
  const issue = `${REPO}/issues/${n}`;
  await agent('PATCH', issue, { labels: ['bug'], assignees: ['octo-agent'], milestone: 1, type: 'Bug' });
  await agent('PATCH', issue, { labels: [], assignees: [], milestone: null, type: null, state: 'closed' });
  await agent('PATCH', issue, { state: 'open' });
  const comment = (await agent<{ id: number }>('POST', `${issue}/comments`, { body: 'Hello' })).json.id;
  await agent('PATCH', `${REPO}/issues/comments/${comment}`, { body: 'Hello again' });
  await agent('DELETE', `${REPO}/issues/comments/${comment}`);
  await control('/issues/1/delete', {}, 'POST');
  await control('/issues/2/transfer', {}, 'POST');
  await sim.notifier.idle();
  const checked = receiver.received
    .filter((r) => r.headers['x-github-event'] !== 'ping')
    .map((r) => {
      const payload = JSON.parse(r.body) as Json;
      const name = `${(r.headers['x-github-event'] ?? '').replace(/_/g, '-')}-${String(payload.action)}`;
      expect({ name, errors: validPayload(name, payload) }).toEqual({ name, errors: [] });
      return name;
    });
  expect(new Set(checked)).toEqual(
    new Set([
      'issues-opened',
      'issues-labeled',
      'issues-assigned',
      'issues-milestoned',
      'issues-typed',
      'issues-unlabeled',
      'issues-unassigned',
      'issues-demilestoned',
      'issues-untyped',
      'issues-closed',
      'issues-reopened',
      'issue-comment-created',
      'issue-comment-edited',
      'issue-comment-deleted',
      'issues-deleted',
      'issues-transferred',
    ]),
  );
});

describe("GitHub's own clients", () => {
  it('@octokit/rest lists, paginates, creates, updates and comments; @octokit/webhooks-methods verifies a signature', async () => {
    await addHook();
    const made = await agent<{ number: number }>('POST', `${REPO}/issues`, { title: 'Signed delivery' });
    await sim.notifier.idle();
    const delivery = receiver.received.find((r) => r.headers['x-github-event'] === 'issues');
    const { stdout } = await promisify(execFile)(
      'npx',
      [
        'tsx',
        path.join(__dirname, 'octokit-script.ts'),
        JSON.stringify({
          baseUrl: sim.baseUrl,
          token: DEMO_CREDENTIALS.agent.token,
          owner: 'acme',
          repo: 'website',
          webhook: {
            secret: SECRET,
            body: delivery?.body ?? '',
            signature: delivery?.headers['x-hub-signature-256'] ?? '',
          },
        }),
      ],
      { cwd: path.resolve(__dirname, '../../..') },
    );
    const seen = JSON.parse(stdout) as Json;
    expect(seen).toMatchObject({
      firstPage: [made.json.number, made.json.number - 1],
      all: [
        { number: 6, pullRequest: false },
        { number: 5, pullRequest: false },
        { number: 4, pullRequest: false },
        { number: 3, pullRequest: true },
        { number: 2, pullRequest: false },
        { number: 1, pullRequest: false },
      ],
      created: { number: 7, labels: ['bug'] },
      updated: { state: 'closed', stateReason: 'not_planned', labels: ['documentation'] },
      comment: { body: 'Noted' },
      comments: ['Noted'],
      missingRepoStatus: 404,
      signatureAccepted: true,
      forgedSignatureAccepted: false,
    });
    expect(seen.firstPageLink).toMatch(/rel="next"/);
  }, 60_000);
});

describe('§1.10 Simulator must reproduce', () => {
  it('pull requests appear in the issue listing, told apart by their `pull_request` key', async () => {
    const list = await agent<Array<{ number: number; pull_request?: Json }>>('GET', `${REPO}/issues?state=all`);
    expect(list.json.filter((i) => i.pull_request).map((i) => i.number)).toEqual([3]);
    expect(list.json.find((i) => i.number === 1)).not.toHaveProperty('pull_request');
  });

  it('labels and assignees from someone without push access are dropped silently, and the call succeeds', async () => {
    const reader = gitHubClient(sim, DEMO_CREDENTIALS.reader.token);
    const made = await reader<{ number: number; labels: unknown[]; assignees: unknown[] }>('POST', `${REPO}/issues`, {
      title: 'Typo on the pricing page',
      labels: ['bug'],
      assignees: ['octo-agent'],
    });
    expect(made.status).toBe(201);
    expect(made.json).toMatchObject({ labels: [], assignees: [] });
    const patched = await reader<{ title: string; labels: unknown[] }>('PATCH', `${REPO}/issues/${made.json.number}`, {
      title: 'Typo on the pricing page (FAQ)',
      labels: ['documentation'],
    });
    expect(patched.status).toBe(200);
    expect(patched.json).toMatchObject({ title: 'Typo on the pricing page (FAQ)', labels: [] });
  });

  it('a body over 65,536 characters is refused with 422 `custom`; 65,536 is taken', async () => {
    const tooLong = await agent('POST', `${REPO}/issues`, { title: 'Long', body: 'x'.repeat(65_537) });
    expect(tooLong.status).toBe(422);
    expect(tooLong.json).toEqual({
      message: 'Validation Failed',
      errors: [
        { resource: 'Issue', code: 'custom', field: 'body', message: 'body is too long (maximum is 65536 characters)' },
      ],
      documentation_url: 'https://docs.github.com/rest',
      status: '422',
    });
    expect((await agent('POST', `${REPO}/issues`, { title: 'Long', body: 'x'.repeat(65_536) })).status).toBe(201);
    const comment = await agent<{ errors: Json[] }>('POST', `${REPO}/issues/1/comments`, { body: 'y'.repeat(65_537) });
    expect(comment.status).toBe(422);
    expect(comment.json.errors[0]).toMatchObject({ resource: 'IssueComment', code: 'custom', field: 'body' });
  });

  it('a transferred issue answers 301 to its new address, a deleted one 410, a repository the token cannot see 404', async () => {
    const moved = (await (await control('/issues/2/transfer', {}, 'POST')).json()) as { number: number };
    const redirect = await agent('GET', `${REPO}/issues/2`);
    expect(redirect.status).toBe(301);
    const location = redirect.headers.get('location') ?? '';
    expect(location).toBe(`${sim.baseUrl}/repositories/700101/issues/${moved.number}`);
    const followed = await agent<{ number: number; repository_url: string; title: string }>(
      'GET',
      location.replace(sim.baseUrl, ''),
    );
    expect(followed.json).toMatchObject({
      number: moved.number,
      title: 'Add a dark mode',
      repository_url: 'https://api.github.com/repos/acme/archive',
    });
    await control('/issues/1/delete', {}, 'POST');
    expect((await agent('GET', `${REPO}/issues/1`)).json).toMatchObject({ message: 'This issue was deleted' });
    const outsider = gitHubClient(sim, DEMO_CREDENTIALS.outsider.token);
    const hidden = await outsider('GET', `${REPO}/issues/4`);
    expect(hidden.status).toBe(404);
    expect(hidden.json).toMatchObject({ message: 'Not Found' });
  });

  it('a burst of writes meets the secondary limit: 403 or 429 with `retry-after`; it can be switched off', async () => {
    await control('/rate-limit', { secondary: { writesPerMinute: 3 } });
    for (let i = 0; i < 3; i++)
      expect((await agent('POST', `${REPO}/issues`, { title: `Burst ${i}` })).status).toBe(201);
    const refused = await agent<{ message: string }>('POST', `${REPO}/issues`, { title: 'One too many' });
    expect(refused.status).toBe(403);
    expect(refused.headers.get('retry-after')).toBe('60');
    expect(refused.json.message).toMatch(/secondary rate limit/);
    // Reading is not a content write: it goes on.
    expect((await agent('GET', `${REPO}/issues/1`)).status).toBe(200);
    await control('/rate-limit', { secondary: { status: 429 } });
    expect((await agent('POST', `${REPO}/issues`, { title: 'Still too many' })).status).toBe(429);
    clock.advance(61_000);
    expect((await agent('POST', `${REPO}/issues`, { title: 'A minute later' })).status).toBe(201);
    await control('/rate-limit', { secondary: { enabled: false } });
    for (let i = 0; i < 5; i++)
      expect((await agent('POST', `${REPO}/issues`, { title: `Unlimited ${i}` })).status).toBe(201);
  });

  it("a spent hour's budget of writes says in `retry-after` when its oldest write ages out", async () => {
    await control('/rate-limit', { secondary: { writesPerMinute: 100, writesPerHour: 4 } });
    for (let i = 0; i < 4; i++) {
      expect((await agent('POST', `${REPO}/issues`, { title: `Hourly ${i}` })).status).toBe(201);
      clock.advance(60_000);
    }
    // The first write was four minutes ago: the budget frees in 56 minutes.
    const refused = await agent('POST', `${REPO}/issues`, { title: 'Too many this hour' });
    expect(refused.status).toBe(403);
    expect(refused.headers.get('retry-after')).toBe(String(56 * 60));
    clock.advance(56 * 60_000 + 1);
    expect((await agent('POST', `${REPO}/issues`, { title: 'An hour on' })).status).toBe(201);
  });

  it('deliveries are signed `sha256=` + the hex HMAC-SHA256 of the raw body with the hook’s secret', async () => {
    await addHook();
    await agent('POST', `${REPO}/issues`, { title: 'Signed' });
    await sim.notifier.idle();
    const d = receiver.received.find((r) => r.headers['x-github-event'] === 'issues');
    expect(d?.headers['x-hub-signature-256']).toBe(
      `sha256=${createHmac('sha256', SECRET)
        .update(d?.body ?? '')
        .digest('hex')}`,
    );
    expect(d?.headers['x-github-delivery']).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  });

  it('a failed delivery is not retried; a redelivery sends it again under the same GUID', async () => {
    const hookId = await addHook();
    receiver.received.length = 0;
    receiver.statuses.push(500);
    await agent('POST', `${REPO}/issues`, { title: 'Delivered once' });
    await sim.notifier.idle();
    clock.advance(60 * 60 * 1000);
    await sim.notifier.idle();
    expect(receiver.received).toHaveLength(1);
    const admin = gitHubClient(sim, DEMO_CREDENTIALS.integration.token);
    const [failed] = (
      await admin<Array<{ id: number; guid: string; status_code: number; redelivery: boolean }>>(
        'GET',
        `${REPO}/hooks/${hookId}/deliveries`,
      )
    ).json;
    expect(failed).toMatchObject({ status_code: 500, redelivery: false });
    expect((await admin('POST', `${REPO}/hooks/${hookId}/deliveries/${failed?.id}/attempts`)).status).toBe(202);
    await sim.notifier.idle();
    expect(receiver.received.map((r) => r.headers['x-github-delivery'])).toEqual([failed?.guid, failed?.guid]);
    expect(receiver.received[1]?.body).toBe(receiver.received[0]?.body);
    const [again] = (
      await admin<Array<{ guid: string; redelivery: boolean; status_code: number }>>(
        'GET',
        `${REPO}/hooks/${hookId}/deliveries`,
      )
    ).json;
    expect(again).toMatchObject({ guid: failed?.guid, redelivery: true, status_code: 200 });
  });

  it('creating a hook sends it a `ping`', async () => {
    const hookId = await addHook();
    expect(receiver.received).toHaveLength(1);
    expect(receiver.received[0]?.headers['x-github-event']).toBe('ping');
    expect(JSON.parse(receiver.received[0]?.body ?? '{}')).toMatchObject({ hook_id: hookId, zen: expect.any(String) });
  });

  it('`labels` on PATCH replaces the set; `[]` clears it', async () => {
    const set = await agent<{ labels: Array<{ name: string }> }>('PATCH', `${REPO}/issues/1`, {
      labels: ['question', 'documentation'],
    });
    expect(set.json.labels.map((l) => l.name).sort()).toEqual(['documentation', 'question']);
    const cleared = await agent<{ labels: unknown[] }>('PATCH', `${REPO}/issues/1`, { labels: [] });
    expect(cleared.json.labels).toEqual([]);
  });

  it('`since` compares at the second: an update within the second of `since` is listed, fractions are cut', async () => {
    clock.advance(10_400);
    await agent('PATCH', `${REPO}/issues/2`, { title: 'Add a dark mode (auto)' });
    const updated = (await agent<{ updated_at: string }>('GET', `${REPO}/issues/2`)).json.updated_at;
    expect(updated).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    const since = (s: string) =>
      agent<Array<{ number: number }>>('GET', `${REPO}/issues?state=all&since=${encodeURIComponent(s)}`);
    expect((await since(updated)).json.map((i) => i.number)).toEqual([2]);
    expect((await since(updated.replace('Z', '.900Z'))).json.map((i) => i.number)).toEqual([2]);
    const oneSecondLater = new Date(Date.parse(updated) + 1000).toISOString().replace('.000Z', 'Z');
    expect((await since(oneSecondLater)).json).toEqual([]);
  });

  it('`X-GitHub-Api-Version` 2026-03-10 drops the singular `assignee` and `/rate_limit`’s `rate`; an unknown version is 400', async () => {
    await agent('PATCH', `${REPO}/issues/1`, { assignees: ['octo-agent'] });
    const old = await agent<Json>('GET', `${REPO}/issues/1`);
    expect(old.json.assignee).toMatchObject({ login: 'octo-agent' });
    const v2026 = { 'x-github-api-version': '2026-03-10' };
    const current = await agent<Json>('GET', `${REPO}/issues/1`, undefined, v2026);
    expect(current.json).not.toHaveProperty('assignee');
    expect(current.json.assignees).toEqual([expect.objectContaining({ login: 'octo-agent' })]);
    expect((await agent<Json>('GET', '/rate_limit')).json).toHaveProperty('rate');
    expect((await agent<Json>('GET', '/rate_limit', undefined, v2026)).json).not.toHaveProperty('rate');
    expect((await agent('GET', `${REPO}/issues/1`, undefined, { 'x-github-api-version': '2020-01-01' })).status).toBe(
      400,
    );
  });
});
