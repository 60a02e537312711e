/**
 * Customer-managed egress as Forge enforces it (forge-platform.md §6): a
 * function may fetch a host its manifest does not list only once an
 * administrator approved it for the installation; until then, and after the
 * approval is withdrawn, the fetch fails as an undeclared one does. Approvals
 * are checked against Forge's limits, kept per installation, and refused
 * altogether when the manifest does not enable them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EgressRequestError, startPlatform, type Platform } from '../index';
import { callProbe, FIXTURE_APP, startFixturePlatform, startRecorder } from './support';

const SERVER = 'https://devops.contoso.com/DefaultCollection/_apis/wit/workitems/1?api-version=6.0';
const refusedLikeForge = {
  error:
    'URL not included in the external fetch backend permissions: https://devops.contoso.com. Visit go.atlassian.com/forge-egress for more information.',
};
const group = (domains: string[], type = ['FETCH_BACKEND_SIDE'], key = 'azure-devops-server') => ({
  egresses: [
    {
      key,
      description: 'Azure DevOps Server at Contoso',
      configured: domains.map((domain) => ({ domain, type })),
    },
  ],
});

let platform: Platform;
let remote: Awaited<ReturnType<typeof startRecorder>>;
let installationId: string;

beforeAll(async () => {
  remote = await startRecorder((req) => ({ body: { host: req.headers['x-forwarded-host'], path: req.url } }));
  platform = await startFixturePlatform({
    egressRoutes: [
      { host: 'devops.contoso.com', target: remote.url },
      { host: '*.contoso.com', target: remote.url },
    ],
  });
  installationId = (await platform.install()).id;
});
afterAll(async () => {
  await platform.stop();
  await remote.close();
});
afterEach(() => {
  const egress = platform.customerEgress(installationId);
  for (const g of egress.get({ pageSize: 100 }).results) egress.deleteGroup({ key: g.key });
});

const fetchAs = (url: string, id = installationId) => callProbe(platform, id, 'fetch', { url });
const canFetch = async (url: string) =>
  ((await callProbe(platform, installationId, 'canFetch', { url })) as { backend: boolean }).backend;

describe('a host the manifest does not list', () => {
  it('fails as Forge fails it until an administrator approved it, then is reached', async () => {
    expect(await fetchAs(SERVER)).toEqual(refusedLikeForge);
    expect(await canFetch(SERVER)).toBe(false);
    expect(remote.requests).toHaveLength(0);

    platform.customerEgress(installationId).set(group(['devops.contoso.com']));
    expect(await fetchAs(SERVER)).toEqual({
      status: 200,
      body: JSON.stringify({
        host: 'devops.contoso.com',
        path: '/DefaultCollection/_apis/wit/workitems/1?api-version=6.0',
      }),
    });
    // The function's runtime permissions say so too (@forge/api permissions.canFetchFrom).
    expect(await canFetch(SERVER)).toBe(true);
    expect(await canFetch('https://other.example.com/')).toBe(false);
  });

  it('fails again once the approval is withdrawn, domain by domain or the whole group', async () => {
    const egress = platform.customerEgress(installationId);
    egress.set(group(['devops.contoso.com', 'tfs.contoso.com']));
    egress.deleteDomain({ key: 'azure-devops-server', domain: 'devops.contoso.com', type: 'FETCH_BACKEND_SIDE' });
    expect(await fetchAs(SERVER)).toEqual(refusedLikeForge);
    expect((await fetchAs('https://tfs.contoso.com/tfs/DefaultCollection')).status).toBe(200);
    egress.deleteGroup({ key: 'azure-devops-server' });
    expect(await fetchAs('https://tfs.contoso.com/tfs/DefaultCollection')).toEqual({
      error: expect.stringContaining('URL not included in the external fetch backend permissions'),
    });
  });

  it('is reached only through an approval for backend fetches, https only', async () => {
    platform.customerEgress(installationId).set(group(['devops.contoso.com'], ['FETCH_CLIENT_SIDE', 'IMAGES']));
    expect(await fetchAs(SERVER)).toEqual(refusedLikeForge);
    platform.customerEgress(installationId).set(group(['devops.contoso.com']));
    expect(await fetchAs('http://devops.contoso.com/DefaultCollection')).toEqual({
      error: expect.stringContaining('URL not included in the external fetch backend permissions'),
    });
  });

  it('reads a wildcard as its subdomains, not the apex', async () => {
    platform.customerEgress(installationId).set(group(['*.contoso.com']));
    expect((await fetchAs('https://ado.eu.contoso.com/DefaultCollection')).status).toBe(200);
    expect(await fetchAs('https://contoso.com/DefaultCollection')).toEqual({
      error: expect.stringContaining('URL not included in the external fetch backend permissions'),
    });
  });

  it('is approved for one installation only', async () => {
    platform.customerEgress(installationId).set(group(['devops.contoso.com']));
    const other = (await platform.install()).id;
    expect(await fetchAs(SERVER, other)).toEqual(refusedLikeForge);
    expect(platform.customerEgress(other).get({}).results).toEqual([]);
  });
});

describe("an approval, within Forge's limits", () => {
  const refused = (payload: unknown) => {
    try {
      platform.customerEgress(installationId).set(payload);
    } catch (e) {
      if (e instanceof EgressRequestError) return e.message;
      throw e;
    }
    return 'approved';
  };

  it('refuses what is not a domain: plain http, a path, credentials, a bare *', () => {
    for (const domain of ['http://devops.contoso.com', 'devops.contoso.com/tfs', 'user@devops.contoso.com', '*'])
      expect(refused(group([domain]))).toMatch(
        /^Malformed egress request: egresses\.0\.configured\.0\.domain must be a domain/,
      );
    expect(refused(group(['https://devops.contoso.com']))).toBe('approved');
  });

  it('holds at most 10 domains a group, 10 groups an installation and 40 entries other than backend fetch', () => {
    const domains = (n: number, prefix = 'd') => Array.from({ length: n }, (_, i) => `${prefix}${i}.contoso.com`);
    expect(refused(group(domains(11)))).toBe('An egress group holds at most 10 domains; azure-devops-server has 11');
    for (let i = 0; i < 10; i++) expect(refused(group(['devops.contoso.com'], undefined, `g${i}`))).toBe('approved');
    expect(refused(group(['devops.contoso.com'], undefined, 'g10'))).toBe(
      'An installation holds at most 10 egress groups',
    );
    // Replacing a group that exists is no new group.
    expect(refused(group(domains(10), undefined, 'g9'))).toBe('approved');
    const egress = platform.customerEgress(installationId);
    for (const g of egress.get({ pageSize: 100 }).results) egress.deleteGroup({ key: g.key });
    const fiveTypes = ['FETCH_CLIENT_SIDE', 'IMAGES', 'MEDIA', 'FONTS', 'STYLES'];
    for (let i = 0; i < 4; i++) expect(refused(group(domains(2, `t${i}-`), fiveTypes, `t${i}`))).toBe('approved');
    expect(refused(group(domains(1, 't4-'), fiveTypes, 't4'))).toBe(
      'An installation holds at most 40 egress entries other than backend fetch',
    );
  });

  it('lists the groups in pages, as @forge/bridge permissions.egress.get does', () => {
    const egress = platform.customerEgress(installationId);
    for (const key of ['c', 'a', 'b']) egress.set(group(['devops.contoso.com'], undefined, key));
    const first = egress.get({ pageSize: 2 });
    expect([first.results.map((g) => g.key), first.lastEvaluatedKey]).toEqual([['a', 'b'], 'b']);
    expect(egress.get({ pageSize: 2, nextPageToken: 'b' }).results.map((g) => g.key)).toEqual(['c']);
    expect(egress.get({ keys: ['b'] }).results).toEqual([
      {
        key: 'b',
        description: 'Azure DevOps Server at Contoso',
        configured: [{ domain: 'devops.contoso.com', type: ['FETCH_BACKEND_SIDE'] }],
      },
    ]);
  });
});

describe('kept', () => {
  it('across a restart with durable storage', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'forge-egress-'));
    try {
      const first = await startFixturePlatform({ dataDir });
      await first.install({ installationId: 'durable' });
      first.customerEgress('durable').set(group(['devops.contoso.com']));
      await first.stop();
      const second = await startFixturePlatform({ dataDir });
      await second.install({ installationId: 'durable' });
      expect(second.customerEgress('durable').domains('FETCH_BACKEND_SIDE')).toEqual(['devops.contoso.com']);
      await second.stop();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('an app whose manifest does not enable customer-managed egress', () => {
  it('cannot ask for any: every call fails, and its functions reach only what the manifest lists', async () => {
    const staticApp = await startPlatform({
      appDir: path.join(path.dirname(FIXTURE_APP), 'platform-app-static'),
      clock: 'manual',
      kvsRateLimits: false,
      egressRoutes: [{ host: 'devops.contoso.com', target: remote.url }],
    });
    try {
      const id = (await staticApp.install()).id;
      expect(() => staticApp.customerEgress(id)).toThrow(
        'Customer-managed egress is not enabled: the manifest must set permissions.external.configurable.enabled',
      );
      expect(await callProbe(staticApp, id, 'fetch', { url: SERVER })).toEqual(refusedLikeForge);
    } finally {
      await staticApp.stop();
    }
  });
});
