/**
 * The connector speaks each host's REST versions (versions.ts): Services
 * answers 7.1 as asked; a Server says which it answers through its route
 * discovery, or, where that is missing, through its refusal of a newer one.
 * Learned once per host in the warm instance.
 */
import { DEMO_CREDENTIALS, startAzureDevOpsSim, type AzureDevOpsSim } from '../../../sandbox/sims/azure-devops';
import { SyncError } from '../errors';
import { AzureDevOpsConnector } from './client';
import { atVersions, latestFromRefusal, versionsFromLocations, versionsUpTo } from './versions';

let sim: AzureDevOpsSim;
beforeAll(async () => {
  sim = await startAzureDevOpsSim();
});
afterAll(() => sim.stop());
beforeEach(async () => {
  await fetch(`${sim.controlUrl}/reset`, { method: 'POST' });
});

/** Any https host reaches the simulator, as the platform's egress routes it. */
const viaSim: typeof fetch = async (input, init) => {
  const u = new URL(String(input));
  const headers = new Headers(init?.headers);
  headers.set('x-forwarded-host', u.host);
  return fetch(`${sim.baseUrl}${u.pathname}${u.search}`, { ...init, headers });
};
const connector = (baseUrl: string) =>
  new AzureDevOpsConnector({
    baseUrl,
    project: 'Operations',
    workItemType: 'Bug',
    pat: DEMO_CREDENTIALS.integration.pat,
    user: DEMO_CREDENTIALS.integration.uniqueName,
    fetch: viaSim,
  });
const control = (path: string, body: unknown, method = 'PUT') =>
  fetch(`${sim.controlUrl}${path}`, { method, body: JSON.stringify(body) });
interface Logged {
  method: string;
  path: string;
  status: number;
  apiVersion?: string;
}
const requests = async () => (await (await fetch(`${sim.controlUrl}/requests`)).json()) as Logged[];
/** What the connector did, in order: `METHOD status version`, with each path's last segment. */
const calls = async () =>
  (await requests()).map((r) => `${r.method} ${r.path.split('/').pop()} ${r.status} ${r.apiVersion ?? '-'}`);

/** One round of what a sync does: create, update (naming the version read), comment, read comments. */
async function syncRound(c: AzureDevOpsConnector): Promise<string> {
  const item = await c.createItem({ 'System.Title': 'Versioned' }, `crosswalk:site:conn:${Math.random()}`);
  await c.updateItem(item.id, { 'System.Title': 'Versioned, again' }, item.version);
  await c.addComment(item.id, { body: '<p>hello</p>', visibility: 'public' });
  expect((await c.listComments(item.id)).map((x) => x.body)).toEqual(['<p>hello</p>']);
  return item.id;
}

describe('REST versions per host', () => {
  it('asks Services for 7.1 and the comments preview 7.1-preview.4, with no discovery call', async () => {
    await syncRound(connector('https://dev.azure.com/acme'));
    const log = await calls();
    expect(log.some((l) => l.startsWith('OPTIONS'))).toBe(false);
    expect(new Set(log.map((l) => l.split(' ').pop()))).toEqual(new Set(['7.1', '7.1-preview.4']));
  });

  it.each([
    {
      release: '2020',
      baseUrl: 'https://ado2020.contoso.example/tfs/DefaultCollection',
      virtualDirectory: 'tfs',
      api: '6.0',
      comments: '6.0-preview.3',
    },
    {
      release: '2022',
      baseUrl: 'https://ado2022.contoso.example/DefaultCollection',
      virtualDirectory: '',
      api: '7.0',
      comments: '7.0-preview.3',
    },
    {
      release: '2022.1',
      baseUrl: 'https://ado20221.contoso.example/DefaultCollection',
      virtualDirectory: '',
      api: '7.1',
      comments: '7.1-preview.4',
    },
  ])(
    'asks a Server $release ($baseUrl) its route discovery once, then speaks $api (comments $comments)',
    async ({ release, baseUrl, virtualDirectory, api, comments }) => {
      await control('/server', { release, virtualDirectory });
      const c = connector(baseUrl);
      expect((await c.testConnection()).ok).toBe(true);
      await syncRound(c);
      // A second connection to the same host, later in the same warm instance, asks nothing again.
      await syncRound(connector(baseUrl));
      const log = await calls();
      expect(log.filter((l) => l.startsWith('OPTIONS'))).toEqual(['OPTIONS wit 200 -']);
      expect(log.filter((l) => !l.startsWith('OPTIONS')).every((l) => / 20\d /.test(l))).toBe(true);
      expect(new Set(log.filter((l) => !l.startsWith('OPTIONS')).map((l) => l.split(' ').pop()))).toEqual(
        new Set([api, comments]),
      );
    },
  );

  it('learns from the refusal where route discovery is not answered (a proxy that drops OPTIONS), and asks again once', async () => {
    await control('/server', { release: '2020' });
    await control('/faults', { method: 'OPTIONS', status: 405, times: 5 }, 'POST');
    const c = connector('https://refusal.contoso.example/DefaultCollection');
    await syncRound(c);
    const log = await calls();
    expect(log.slice(0, 4)).toEqual([
      // Nothing said which versions, so the first call goes out as 7.1 …
      'OPTIONS wit 405 -',
      'POST $Bug 400 7.1',
      // … whose refusal names 6.0 ("The latest REST API version this server supports is 6.0").
      'OPTIONS wit 405 -',
      'POST $Bug 200 6.0',
    ]);
    expect(log.slice(4).every((l) => / 20\d (6\.0|6\.0-preview\.3)$/.test(l))).toBe(true);
  });

  it('refuses a host older than Server 2020 with words an admin can act on', async () => {
    await control(
      '/faults',
      {
        method: 'OPTIONS',
        status: 200,
        body: {
          count: 2,
          value: [
            {
              id: '72c7ddf8-2cdc-4f60-90cd-ab71c14a399b',
              releasedVersion: '5.0',
              maxVersion: '5.1',
              resourceVersion: 3,
            },
            {
              id: '608aac0a-32e1-4493-a863-b9cf4566d257',
              releasedVersion: '0.0',
              maxVersion: '5.1',
              resourceVersion: 3,
            },
          ],
        },
      },
      'POST',
    );
    const tested = await connector('https://tfs2019.contoso.example/DefaultCollection').testConnection();
    expect(tested.ok).toBe(false);
    expect(!tested.ok && tested.error).toMatchObject({
      kind: 'validation',
      message:
        'Azure DevOps at tfs2019.contoso.example answers REST versions up to 5.0; Crosswalk needs 6.0 (Azure DevOps Server 2020) or newer',
    });
    expect(!tested.ok && tested.error).toBeInstanceOf(SyncError);
  });
});

describe('reading versions (pure)', () => {
  it('takes the work items location\u2019s released version and the comments location\u2019s range, capped at 7.1', () => {
    const location = (id: string, releasedVersion: string, maxVersion: string, resourceVersion: number) => ({
      id,
      area: 'wit',
      resourceName: 'x',
      routeTemplate: '_apis/x',
      minVersion: '1.0',
      releasedVersion,
      maxVersion,
      resourceVersion,
    });
    const answer = (released: string, max: string, comments: number) => ({
      count: 2,
      value: [
        location('72c7ddf8-2cdc-4f60-90cd-ab71c14a399b', released, max, 3),
        location('608aac0a-32e1-4493-a863-b9cf4566d257', '0.0', max, comments),
      ],
    });
    expect(versionsFromLocations(answer('7.1', '7.2', 4))).toEqual({ api: '7.1', comments: '7.1-preview.4' });
    expect(versionsFromLocations(answer('7.0', '7.0', 3))).toEqual({ api: '7.0', comments: '7.0-preview.3' });
    expect(versionsFromLocations(answer('6.0', '6.0', 3))).toEqual({ api: '6.0', comments: '6.0-preview.3' });
    expect(versionsFromLocations({ value: [] })).toBeUndefined();
    expect(versionsFromLocations('<html>')).toBeUndefined();
  });

  it('reads the newest version a refusal names, and nothing from another error', () => {
    const refusal = (message: string, typeKey = 'VssVersionOutOfRangeException') =>
      JSON.stringify({ $id: '1', innerException: null, message, typeName: 'x', typeKey, errorCode: 0, eventId: 3000 });
    expect(
      latestFromRefusal(
        refusal(
          'The requested REST API version of 7.1 is out of range for this server. The latest REST API version this server supports is 7.0.',
        ),
      ),
    ).toBe('7.0');
    expect(
      latestFromRefusal(refusal('TF401232: Work item 9 does not exist', 'WorkItemUnauthorizedAccessException')),
    ).toBe(undefined);
    expect(versionsUpTo('6.0')).toEqual({ api: '6.0', comments: '6.0-preview.3' });
  });

  it("rewrites only Crosswalk's own versions in a URL", () => {
    const v = { api: '6.0', comments: '6.0-preview.3' };
    expect(atVersions('https://h/c/p/_apis/wit/workitems/1?$expand=all&api-version=7.1', v)).toBe(
      'https://h/c/p/_apis/wit/workitems/1?%24expand=all&api-version=6.0',
    );
    expect(atVersions('https://h/c/p/_apis/wit/workItems/1/comments?api-version=7.1-preview.4', v)).toContain(
      'api-version=6.0-preview.3',
    );
    expect(atVersions('https://h/c/_apis/connectionData?api-version=7.1-preview', v)).toContain(
      'api-version=6.0-preview',
    );
  });
});
