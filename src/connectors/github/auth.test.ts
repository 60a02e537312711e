/**
 * Signing in as a GitHub App: the JWT GitHub asks for, the installation token
 * traded for it, kept while it lasts and traded again before it expires, and
 * traded again once when GitHub refuses it.
 */
import { createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import { syncFailure } from '../../../test/support/sync-error';
import { appJwt, forgetInstallationTokens, TOKEN_REFRESH_MARGIN_MS } from './auth';
import { GitHubConnector } from './client';
import { fakeGitHub, issueJson, json, on, type Sent } from './fake-api.test-support';

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const PEM = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
const HOUR = 3_600_000;

function claimsOf(jwt: string): { header: unknown; payload: { iat: number; exp: number; iss: string } } {
  const [header, payload, signature] = jwt.split('.');
  const signed = verify(
    'sha256',
    Buffer.from(`${header}.${payload}`),
    createPublicKey(privateKey),
    Buffer.from(signature!, 'base64url'),
  );
  if (!signed) throw new Error('the JWT is not signed by the App’s key');
  return {
    header: JSON.parse(Buffer.from(header!, 'base64url').toString()) as unknown,
    payload: JSON.parse(Buffer.from(payload!, 'base64url').toString()) as { iat: number; exp: number; iss: string },
  };
}

describe('the App’s JWT', () => {
  it('is RS256, signed with the private key, issued by the App ID a minute back, and expires within GitHub’s ten minutes', () => {
    const now = Date.parse('2026-12-07T12:00:00Z');
    const { header, payload } = claimsOf(appJwt('123456', PEM, now));
    expect(header).toEqual({ alg: 'RS256', typ: 'JWT' });
    expect(payload.iss).toBe('123456');
    expect(payload.iat).toBe(now / 1000 - 60);
    expect(payload.exp).toBeGreaterThan(now / 1000);
    expect(payload.exp - payload.iat).toBeLessThanOrEqual(600);
  });
});

describe('the installation token', () => {
  beforeEach(() => forgetInstallationTokens());

  function world(clock: { now: number }) {
    let traded = 0;
    const fake = fakeGitHub(
      on('POST', '/app/installations/98765432/access_tokens', (r: Sent) => {
        traded++;
        const jwt = r.headers.authorization!.replace(/^Bearer /, '');
        expect(claimsOf(jwt).payload.iss).toBe('123456');
        return json(201, { token: `ghs_token${traded}`, expires_at: new Date(clock.now + HOUR).toISOString() });
      }),
      on('GET', '/repos/acme/website/issues/1', (r) =>
        r.headers.authorization === `Bearer ghs_token${traded}`
          ? json(200, issueJson({ number: 1, repository_url: 'https://api.github.com/repos/acme/website' }))
          : json(401, { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest', status: '401' }),
      ),
    );
    const connector = new GitHubConnector({
      baseUrl: 'https://github.com/acme/website',
      auth: { kind: 'app', appId: '123456', installationId: '98765432', privateKey: PEM },
      ownLogin: 'crosswalk-sync[bot]',
      fetch: fake.fetch,
      now: () => clock.now,
    });
    return { connector, fake, traded: () => traded };
  }

  it('is traded once and used for every request while it lasts', async () => {
    const clock = { now: Date.parse('2026-12-07T12:00:00Z') };
    const { connector, fake, traded } = world(clock);
    await connector.getItem('1');
    clock.now += 30 * 60_000;
    await connector.getItem('1');
    expect(traded()).toBe(1);
    const reads = fake.sent.filter((s) => s.method === 'GET');
    expect(reads.map((s) => s.headers.authorization)).toEqual(['Bearer ghs_token1', 'Bearer ghs_token1']);
    expect(reads.every((s) => s.headers['x-github-api-version'] === '2022-11-28')).toBe(true);
    expect(reads.every((s) => s.headers.accept === 'application/vnd.github+json')).toBe(true);
  });

  it('is traded again five minutes before it expires', async () => {
    const clock = { now: Date.parse('2026-12-07T12:00:00Z') };
    const { connector, traded } = world(clock);
    await connector.getItem('1');
    clock.now += HOUR - TOKEN_REFRESH_MARGIN_MS - 1000;
    await connector.getItem('1');
    expect(traded()).toBe(1);
    clock.now += 2000;
    await connector.getItem('1');
    expect(traded()).toBe(2);
  });

  it('is traded again once when GitHub refuses it (401), and the request repeated', async () => {
    const clock = { now: Date.parse('2026-12-07T12:00:00Z') };
    let revoked = true;
    const fake = fakeGitHub(
      on('POST', '/app/installations/98765432/access_tokens', () =>
        json(201, {
          token: revoked ? 'ghs_revoked' : 'ghs_fresh',
          expires_at: new Date(clock.now + HOUR).toISOString(),
        }),
      ),
      on('GET', '/repos/acme/website/issues/1', (r) =>
        r.headers.authorization === 'Bearer ghs_fresh'
          ? json(200, issueJson({ number: 1, repository_url: 'https://api.github.com/repos/acme/website' }))
          : ((revoked = false), json(401, { message: 'Bad credentials' })),
      ),
    );
    const connector = new GitHubConnector({
      baseUrl: 'https://github.com/acme/website',
      auth: { kind: 'app', appId: '123456', installationId: '98765432', privateKey: PEM },
      ownLogin: 'crosswalk-sync[bot]',
      fetch: fake.fetch,
      now: () => clock.now,
    });
    expect((await connector.getItem('1'))?.displayKey).toBe('#1');
    expect(fake.sent.map((s) => `${s.method} ${new URL(s.url).pathname}`)).toEqual([
      'POST /app/installations/98765432/access_tokens',
      'GET /repos/acme/website/issues/1',
      'POST /app/installations/98765432/access_tokens',
      'GET /repos/acme/website/issues/1',
    ]);
  });

  it('is an auth failure when GitHub refuses the App itself, or the key is not a key', async () => {
    const fake = fakeGitHub(
      on('POST', '/app/installations/98765432/access_tokens', () =>
        json(401, { message: 'A JSON web token could not be decoded' }),
      ),
    );
    const connector = new GitHubConnector({
      baseUrl: 'https://github.com/acme/website',
      auth: { kind: 'app', appId: '123456', installationId: '98765432', privateKey: PEM },
      ownLogin: 'crosswalk-sync[bot]',
      fetch: fake.fetch,
    });
    expect((await syncFailure(connector.getItem('1'))).kind).toBe('auth');
    const badKey = new GitHubConnector({
      baseUrl: 'https://github.com/acme/website',
      auth: { kind: 'app', appId: '123456', installationId: '98765432', privateKey: 'not a key' },
      ownLogin: 'crosswalk-sync[bot]',
      fetch: fake.fetch,
    });
    const failure = await syncFailure(badKey.getItem('1'));
    expect(failure.kind).toBe('auth');
    expect(failure.message).toMatch(/private key/);
  });
});
