/**
 * The GitHub connector against the GitHub simulator (sandbox/sims/github), no
 * platform: sign-in both ways, the issue's whole life, comments, sub-issues,
 * the sweep, the marker found while search lags, conditional reads, and the
 * webhook provisioned, signed and parsed as the registry entry sees it.
 */
import { DEMO_CREDENTIALS as GH, sign, startGitHubSim, type GitHubSim } from '../../../sandbox/sims/github';
import { gitHubClient } from '../../../sandbox/sims/github/test-client';
import { syncFailure } from '../../../test/support/sync-error';
import { forgetInstallationTokens } from './auth';
import { GitHubConnector, type GitHubAuth } from './client';
import type { GitHubRemote } from './remote';
import { gitHubSystem } from './system';

let sim: GitHubSim;
let clock = Date.parse('2026-12-07T12:00:00Z');

/** Forge's egress reaches api.github.com and github.com; here both are the simulator on loopback. */
const toSim: typeof fetch = (input, init) =>
  fetch(String(input).replace(/^https:\/\/(api\.)?github\.com/, sim.baseUrl), init);

function connector(auth: GitHubAuth = { kind: 'token', token: GH.integration.token }): GitHubConnector {
  return new GitHubConnector({
    baseUrl: GH.webUrl,
    auth,
    ownLogin: auth.kind === 'app' ? GH.app.botLogin : GH.integration.login,
    fetch: toSim,
    now: () => clock,
  });
}
const appAuth = (): GitHubAuth => ({
  kind: 'app',
  appId: String(GH.app.appId),
  installationId: String(GH.app.installationId),
  privateKey: GH.app.privateKeyPem,
});

beforeAll(async () => {
  sim = await startGitHubSim({ now: () => clock });
});
afterAll(() => sim.stop());
beforeEach(async () => {
  forgetInstallationTokens();
  clock += 3_600_000;
  await fetch(`${sim.controlUrl}/reset`, { method: 'POST' });
});

describe('against the simulator', () => {
  it('signs in with the token as its account, and as the App’s installation', async () => {
    const byToken = await connector().testConnection();
    expect(byToken).toMatchObject({ ok: true, identity: `${GH.integration.login} on ${GH.repository}` });
    const byApp = await connector(appAuth()).testConnection();
    expect(byApp).toMatchObject({ ok: true, identity: `${GH.app.botLogin} on ${GH.repository}` });
  });

  it('refuses an App whose name is not the one the settings give', async () => {
    const misnamed = new GitHubConnector({
      baseUrl: GH.webUrl,
      auth: appAuth(),
      ownLogin: 'another-app[bot]',
      fetch: toSim,
      now: () => clock,
    });
    const result = await misnamed.testConnection();
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.error.message).toContain(GH.app.slug);
  });

  it('refuses a token that is not the account the settings name', async () => {
    const wrong = new GitHubConnector({
      baseUrl: GH.webUrl,
      auth: { kind: 'token', token: GH.agent.token },
      ownLogin: GH.integration.login,
      fetch: toSim,
    });
    const result = await wrong.testConnection();
    expect(result.ok).toBe(false);
  });

  it('makes an issue with its fields, finds it by its marker before search has it, and updates it', async () => {
    const c = connector(appAuth());
    const made = await c.createItem(
      { title: 'Pricing page typo', body: 'It says **pirce**.', labels: ['bug'], milestone: 'v1.1', type: 'Bug' },
      'crosswalk:s:web-github:10001',
    );
    expect(made.fields).toMatchObject({
      title: 'Pricing page typo',
      body: 'It says **pirce**.',
      labels: ['bug'],
      milestone: 'v1.1',
      type: 'Bug',
      state: 'open',
    });
    // Search lags behind the create; the newest issues do not.
    expect(await c.searchItems('Pricing page typo', 5)).toEqual([]);
    expect((await c.findByCorrelation('crosswalk:s:web-github:10001'))?.id).toBe(made.id);
    const closed = await c.updateItem(made.id, {
      state: 'closed',
      state_reason: 'not_planned',
      labels: [],
      assignees: ['octo-agent'],
    });
    expect(closed.fields).toMatchObject({
      state: 'closed',
      state_reason: 'not_planned',
      labels: [],
      assignees: ['octo-agent'],
    });
    expect(c.statusLabel(closed)).toBe('Closed as not planned');
    const edited = await c.updateItem(made.id, { body: 'It says *pirce*; fixed wording.' });
    expect(edited).toMatchObject({
      correlationId: 'crosswalk:s:web-github:10001',
      fields: { body: 'It says *pirce*; fixed wording.' },
    });
  });

  it('reads an unchanged issue again conditionally (304)', async () => {
    const c = connector();
    const made = await c.createItem({ title: 'Twice read' }, 'crosswalk:s:web-github:10002');
    await c.getItem(made.id);
    await c.getItem(made.id);
    const { entries: log } = (await (await fetch(`${sim.controlUrl}/log`)).json()) as {
      entries: Array<{
        method: string;
        path: string;
        status: number;
      }>;
    };
    const reads = log.filter((l) => l.method === 'GET' && l.path === `/repos/acme/website/issues/${made.id}`);
    expect(reads.map((r) => r.status)).toEqual([200, 304]);
  });

  it('keeps comments public, edits and deletes them, and knows its own', async () => {
    const c = connector();
    const made = await c.createItem({ title: 'Commented' }, 'crosswalk:s:web-github:10003');
    const comment = await c.addComment(made.id, { body: 'First **words**', visibility: 'public' });
    expect(comment).toMatchObject({ visibility: 'public', author: { id: GH.integration.login } });
    expect(c.ownAuthorId).toBe(GH.integration.login);
    await c.updateComment(made.id, comment.id, 'Second words');
    expect((await c.listComments(made.id)).map((x) => x.body)).toEqual(['Second words']);
    await c.deleteComment(made.id, comment.id);
    await c.deleteComment(made.id, comment.id);
    expect(await c.listComments(made.id)).toEqual([]);
  });

  it('nests issues as sub-issues, moves and removes a parent', async () => {
    const c = connector();
    const epic = await c.createItem({ title: 'Epic' }, 'crosswalk:s:web-github:1');
    const other = await c.createItem({ title: 'Other epic' }, 'crosswalk:s:web-github:2');
    const story = await c.createItem({ title: 'Story' }, 'crosswalk:s:web-github:3');
    expect(c.hierarchy.parentOf(await c.hierarchy.setParent(story.id, epic.id))).toBe(epic.id);
    expect(c.hierarchy.parentOf(await c.hierarchy.setParent(story.id, other.id))).toBe(other.id);
    expect((await c.getItem(story.id))?.parent).toBe(other.id);
    expect(c.hierarchy.parentOf(await c.hierarchy.setParent(story.id, undefined))).toBeUndefined();
    // GitHub refuses a loop.
    await c.hierarchy.setParent(story.id, epic.id);
    expect((await syncFailure(c.hierarchy.setParent(epic.id, story.id))).kind).toBe('validation');
  });

  it('sweeps issues changed since a time, without the pull requests the listing holds', async () => {
    const c = connector();
    clock += 2000;
    const since = clock;
    const made = await c.createItem({ title: 'Swept' }, 'crosswalk:s:web-github:10004');
    const page = await c.listChanged(since);
    expect(page.items.map((i) => i.id)).toEqual([made.id]);
    const all = await c.listChanged(0);
    const pulls = [...sim.store.issues.values()].filter((i) => i.isPullRequest).map((i) => String(i.number));
    expect(pulls.length).toBeGreaterThan(0);
    expect(all.items.some((i) => pulls.includes(i.id))).toBe(false);
  });

  const control = (method: string, path: string, body?: unknown) =>
    fetch(`${sim.controlUrl}${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });

  it('waits as GitHub asks: the hourly limit until its reset, a secondary limit for its retry-after', async () => {
    const c = connector();
    await control('PUT', '/rate-limit', { core: 2, clearUsage: true });
    await c.getItem('1');
    await c.getItem('2');
    const primary = await syncFailure(c.getItem('3'));
    expect(primary.details).toMatchObject({ kind: 'rate-limited', httpStatus: 403 });
    expect(primary.details.retryAfterMs).toBeGreaterThan(0);
    expect(primary.details.retryAfterMs).toBeLessThanOrEqual(3_600_000);

    await control('PUT', '/rate-limit', {
      core: 5000,
      clearUsage: true,
      secondary: { enabled: true, writesPerMinute: 1, status: 403, retryAfterSeconds: 90 },
    });
    await c.addComment('1', { body: 'one', visibility: 'public' });
    const secondary = await syncFailure(c.addComment('1', { body: 'two', visibility: 'public' }));
    expect(secondary.details).toMatchObject({ kind: 'rate-limited', retryAfterMs: 90_000 });
  });

  it('loses an issue transferred to another repository (301 followed) or deleted (410)', async () => {
    const c = connector();
    const moved = await c.createItem({ title: 'Moving out' }, 'crosswalk:s:web-github:20001');
    const gone = await c.createItem({ title: 'Going away' }, 'crosswalk:s:web-github:20002');
    await control('POST', `/issues/${moved.id}/transfer`);
    await control('POST', `/issues/${gone.id}/delete`);
    expect(await c.getItem(moved.id)).toBeUndefined();
    expect(await c.getItem(gone.id)).toBeUndefined();
  });

  it('copies an image pasted into a body from where GitHub keeps it, with the credential', async () => {
    const png = Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]);
    const pasted = (await (
      await control('POST', '/assets', { name: 'screenshot.png', base64: png.toString('base64') })
    ).json()) as { url: string };
    const c = connector();
    const file = await c.inlineFile('1', pasted.url);
    expect(file).toBeDefined();
    const download = await c.downloadAttachment('1', file!.id);
    expect(download.contentType).toMatch(/image\/png/);
    expect(Buffer.from(await new Response(download.body).arrayBuffer())).toEqual(png);
  });

  it('searches by number at once, and by words once GitHub’s index has the issue', async () => {
    const c = connector();
    const made = await c.createItem({ title: 'Newsletter signup double-posts' }, 'crosswalk:s:web-github:20003');
    expect((await c.searchItems(`#${made.id}`, 5)).map((f) => [f.id, f.title, f.status])).toEqual([
      [made.id, 'Newsletter signup double-posts', 'Open'],
    ]);
    expect(await c.searchItems('Newsletter signup', 5)).toEqual([]);
    clock += 120_000;
    expect((await c.searchItems('Newsletter signup', 5)).map((f) => f.id)).toEqual([made.id]);
    // Words are data: a quote cannot add a qualifier that widens the search past the repository.
    expect(await c.searchItems('" repo:acme/archive', 5)).toEqual([]);
  });

  it('describes the fields the mapping editor offers, with the repository’s labels, milestones and the org’s types', async () => {
    const fields = await connector().describeFields();
    const valuesOf = (id: string) => fields.find((f) => f.id === id)?.values?.map((v) => v.value);
    expect(fields.map((f) => f.id)).toEqual([
      'title',
      'body',
      'state',
      'state_reason',
      'labels',
      'assignees',
      'milestone',
      'type',
    ]);
    expect(valuesOf('labels')).toContain('bug');
    expect(valuesOf('milestone')).toEqual(['v1.0', 'v1.1']);
    expect(valuesOf('type')).toEqual(expect.arrayContaining(['Bug', 'Feature', 'Task', 'Epic']));
  });

  it('sets up the repository webhook once, whose signed deliveries the registry entry verifies and parses', async () => {
    const remote: GitHubRemote = {
      type: 'github',
      baseUrl: GH.webUrl,
      auth: { kind: 'token', login: GH.integration.login },
    };
    const c = connector();
    const target = {
      url: 'https://crosswalk.example/x1/hook/github/web-github',
      secret: 'a secret of sixteen or more',
    };
    // Deliveries are held so they can be read as Crosswalk would receive them.
    sim.notifier.paused = true;
    const { description } = await gitHubSystem.notifications.provision!(c, target);
    await gitHubSystem.notifications.provision!(c, target);
    expect(description).toMatch(/acme\/website/);
    const hooks = (await c.listHooks()).filter((h) => h.config.url === target.url);
    expect(hooks).toHaveLength(1);
    expect(hooks[0]?.events.sort()).toEqual(['issue_comment', 'issues', 'sub_issues']);

    const agent = gitHubClient(sim, GH.agent.token);
    const opened = await agent<{ number: number }>('POST', '/repos/acme/website/issues', {
      title: 'Menu overlaps logo',
    });
    await agent('POST', `/repos/acme/website/issues/${opened.json.number}/comments`, { body: 'On mobile only' });
    await c.addComment(String(opened.json.number), { body: 'Copied to Jira', visibility: 'public' });
    const { verify, parse, isOwnChange } = gitHubSystem.notifications;
    const received = sim.notifier.queue.map((d) => {
      const request = {
        body: d.body,
        headers: { 'x-github-event': [d.event], 'x-hub-signature-256': [sign(target.secret, d.body)] },
      };
      expect(verify(request, { webhookSecret: target.secret }, clock)).toBe(true);
      expect(verify(request, { webhookSecret: 'another secret of sixteen' }, clock)).toBe(false);
      return parse(d.body, remote, request.headers) ?? [];
    });
    const refs = received.flat();
    expect(received[0]).toEqual([]); // the ping
    expect(refs.map((r) => [r.event, r.touches, r.changedBy, isOwnChange(r, remote)])).toEqual([
      ['github:issues.opened', { created: true }, 'octo-agent', false],
      ['github:issue_comment.created', { comments: true }, 'octo-agent', false],
      ['github:issue_comment.created', { comments: true }, GH.integration.login, true],
    ]);

    await gitHubSystem.notifications.unprovision!(c, target);
    expect((await c.listHooks()).filter((h) => h.config.url === target.url)).toHaveLength(0);
  });
});
