/**
 * How callers sign in and what they may spend: the GitHub App's JWT and its
 * one-hour installation tokens, personal tokens (`Bearer` or `token`), the
 * primary limit's headers and budget (a 304 is free), `/rate_limit`, and the
 * control API's faults, outage and revoked credentials.
 */
import { DEMO_CREDENTIALS, startGitHubSim, type GitHubSim } from './index';
import { gitHubClient } from './test-client';
import { appJwt, manualClock } from './testing';

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

const control = (path: string, body: unknown, method = 'PUT') =>
  fetch(`${sim.controlUrl}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

async function installationToken(): Promise<string> {
  const app = gitHubClient(sim, appJwt(clock.now()));
  const res = await app<{ token: string; expires_at: string }>(
    'POST',
    `/app/installations/${DEMO_CREDENTIALS.app.installationId}/access_tokens`,
  );
  expect(res.status).toBe(201);
  return res.json.token;
}

describe('the GitHub App', () => {
  it('exchanges a JWT signed with its private key for an installation token that acts as its bot for an hour', async () => {
    const app = gitHubClient(sim, appJwt(clock.now()));
    const minted = await app<{ token: string; expires_at: string; repository_selection: string }>(
      'POST',
      `/app/installations/${DEMO_CREDENTIALS.app.installationId}/access_tokens`,
    );
    expect(minted.json).toMatchObject({ token: expect.stringMatching(/^ghs_/), repository_selection: 'all' });
    expect(Date.parse(minted.json.expires_at)).toBe(Math.floor(clock.now() / 1000) * 1000 + 3_600_000);
    const bot = gitHubClient(sim, minted.json.token);
    const made = await bot<{ user: { login: string; type: string } }>('POST', `${REPO}/issues`, {
      title: 'From the app',
    });
    expect(made.json.user).toMatchObject({ login: 'crosswalk-app[bot]', type: 'Bot' });
    clock.advance(3_600_000);
    const expired = await bot('GET', `${REPO}/issues/1`);
    expect(expired.status).toBe(401);
    expect(expired.json).toMatchObject({ message: 'Bad credentials' });
  });

  it('learns its own identity: `GET /app` by JWT, the installation of the repository; `GET /user` refuses an installation token', async () => {
    const app = gitHubClient(sim, appJwt(clock.now()));
    expect((await app('GET', '/app')).json).toMatchObject({ slug: 'crosswalk-app', id: DEMO_CREDENTIALS.app.appId });
    expect((await app('GET', `${REPO}/installation`)).json).toMatchObject({
      id: DEMO_CREDENTIALS.app.installationId,
      app_slug: 'crosswalk-app',
    });
    expect((await gitHubClient(sim, await installationToken())('GET', '/user')).status).toBe(403);
  });

  it('refuses a JWT that expires more than ten minutes ahead, one already expired, and one signed by another key', async () => {
    const nowS = Math.floor(clock.now() / 1000);
    const tooLong = gitHubClient(sim, appJwt(clock.now(), { exp: nowS + 3600 }));
    expect((await tooLong('GET', '/app')).status).toBe(401);
    const expired = gitHubClient(sim, appJwt(clock.now(), { iat: nowS - 700, exp: nowS - 100 }));
    expect((await expired('GET', '/app')).status).toBe(401);
    const [head, claims] = appJwt(clock.now()).split('.');
    const forged = gitHubClient(sim, `${head}.${claims}.${Buffer.from('not a signature').toString('base64url')}`);
    expect((await forged('GET', '/app')).json).toMatchObject({ message: 'A JSON web token could not be decoded' });
  });

  it('a token narrowed to other repositories does not see acme/website (404)', async () => {
    const app = gitHubClient(sim, appJwt(clock.now()));
    const narrowed = await app<{ token: string; repository_selection: string }>(
      'POST',
      `/app/installations/${DEMO_CREDENTIALS.app.installationId}/access_tokens`,
      { repositories: ['archive'] },
    );
    expect(narrowed.json.repository_selection).toBe('selected');
    expect((await gitHubClient(sim, narrowed.json.token)('GET', `${REPO}/issues/1`)).status).toBe(404);
  });
});

describe('personal tokens', () => {
  it('take `Bearer` and the older `token` scheme; `GET /user` names the login', async () => {
    for (const scheme of ['Bearer', 'token']) {
      const me = await gitHubClient(sim, undefined)<{ login: string }>('GET', '/user', undefined, {
        authorization: `${scheme} ${DEMO_CREDENTIALS.integration.token}`,
      });
      expect(me.json.login).toBe('crosswalk-integration');
    }
  });

  it('an unknown token is 401 `Bad credentials`; a revoked integration token too, while people keep working', async () => {
    expect((await gitHubClient(sim, 'ghp_nope')('GET', `${REPO}/issues`)).status).toBe(401);
    await control('/credentials', { integrationRevoked: true });
    expect((await gitHubClient(sim, DEMO_CREDENTIALS.integration.token)('GET', `${REPO}/issues`)).status).toBe(401);
    expect((await gitHubClient(sim, appJwt(clock.now()))('GET', '/app')).status).toBe(401);
    expect((await gitHubClient(sim, DEMO_CREDENTIALS.agent.token)('GET', `${REPO}/issues`)).status).toBe(200);
  });
});

describe('the primary rate limit', () => {
  it('tells every answer its budget; a 304 to `If-None-Match` costs nothing', async () => {
    const agent = gitHubClient(sim, DEMO_CREDENTIALS.agent.token);
    const first = await agent('GET', `${REPO}/issues/1`);
    expect(
      Object.fromEntries(
        ['limit', 'remaining', 'used', 'resource'].map((h) => [h, first.headers.get(`x-ratelimit-${h}`)]),
      ),
    ).toEqual({
      limit: '5000',
      remaining: '4999',
      used: '1',
      resource: 'core',
    });
    expect(Number(first.headers.get('x-ratelimit-reset'))).toBe(Math.ceil((clock.now() + 3_600_000) / 1000));
    const etag = first.headers.get('etag') ?? '';
    const again = await agent('GET', `${REPO}/issues/1`, undefined, { 'if-none-match': etag });
    expect(again.status).toBe(304);
    expect(again.headers.get('x-ratelimit-remaining')).toBe('4999');
    await agent('PATCH', `${REPO}/issues/1`, { title: 'Contact form fails on Safari 17' });
    const changed = await agent('GET', `${REPO}/issues/1`, undefined, { 'if-none-match': etag });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).not.toBe(etag);
  });

  it('`If-Modified-Since` an issue’s `Last-Modified` is a free 304 too, until the issue changes', async () => {
    const agent = gitHubClient(sim, DEMO_CREDENTIALS.agent.token);
    const first = await agent('GET', `${REPO}/issues/2`);
    const lastModified = first.headers.get('last-modified') ?? '';
    expect(lastModified).toMatch(/GMT$/);
    const again = await agent('GET', `${REPO}/issues/2`, undefined, { 'if-modified-since': lastModified });
    expect(again.status).toBe(304);
    expect(again.headers.get('x-ratelimit-used')).toBe('1');
    clock.advance(2_000);
    await agent('PATCH', `${REPO}/issues/2`, { title: 'Add a dark mode (soon)' });
    expect((await agent('GET', `${REPO}/issues/2`, undefined, { 'if-modified-since': lastModified })).status).toBe(200);
  });

  it('a spent budget answers 403 with `x-ratelimit-remaining: 0` until the window resets; `/rate_limit` stays free', async () => {
    await control('/rate-limit', { core: 2 });
    const agent = gitHubClient(sim, DEMO_CREDENTIALS.agent.token);
    await agent('GET', `${REPO}/issues/1`);
    await agent('GET', `${REPO}/issues/2`);
    const spent = await agent<{ message: string }>('GET', `${REPO}/issues/1`);
    expect(spent.status).toBe(403);
    expect(spent.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(spent.json.message).toMatch(/^API rate limit exceeded for user ID/);
    const overview = await agent<{ resources: { core: { remaining: number; used: number } } }>('GET', '/rate_limit');
    expect(overview.status).toBe(200);
    expect(overview.json.resources.core).toMatchObject({ remaining: 0, used: 2 });
    clock.advance(3_600_000);
    expect((await agent('GET', `${REPO}/issues/1`)).status).toBe(200);
  });

  it('search has its own budget (30 a minute)', async () => {
    const agent = gitHubClient(sim, DEMO_CREDENTIALS.agent.token);
    const res = await agent('GET', '/search/issues?q=repo:acme/website');
    expect(res.headers.get('x-ratelimit-resource')).toBe('search');
    expect(res.headers.get('x-ratelimit-limit')).toBe('30');
  });
});

describe('faults', () => {
  it('a fault aimed at one login fails its requests only, as many times as asked', async () => {
    await control('/faults', { user: 'crosswalk-integration', status: 502, times: 2 }, 'POST');
    const integration = gitHubClient(sim, DEMO_CREDENTIALS.integration.token);
    const agent = gitHubClient(sim, DEMO_CREDENTIALS.agent.token);
    expect((await agent('GET', `${REPO}/issues/1`)).status).toBe(200);
    expect((await integration('GET', `${REPO}/issues/1`)).status).toBe(502);
    expect((await integration('GET', `${REPO}/issues/1`)).status).toBe(502);
    expect((await integration('GET', `${REPO}/issues/1`)).status).toBe(200);
  });

  it('an outage answers 503 to everyone until it ends', async () => {
    await control('/outage', { on: true });
    expect((await gitHubClient(sim, DEMO_CREDENTIALS.agent.token)('GET', `${REPO}/issues/1`)).status).toBe(503);
    await control('/outage', { on: false });
    expect((await gitHubClient(sim, DEMO_CREDENTIALS.agent.token)('GET', `${REPO}/issues/1`)).status).toBe(200);
  });
});
