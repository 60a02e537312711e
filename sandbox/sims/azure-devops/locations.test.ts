/**
 * Route discovery and the versions each host answers: Services, and the Server
 * release the collections play (README.md, "Versions and route discovery").
 */
import { DEMO_CREDENTIALS, startAzureDevOpsSim, type AzureDevOpsSim } from './index';
import { azureDevOpsClient, type AdoErrorJson, type WorkItemJson } from './test-client';

let sim: AzureDevOpsSim;
let ado: ReturnType<typeof azureDevOpsClient>;
/** Calls without an api-version, as a client discovering routes does. */
let bare: ReturnType<typeof azureDevOpsClient>;

interface Location {
  id: string;
  area: string;
  resourceName: string;
  routeTemplate: string;
  resourceVersion: number;
  minVersion: string;
  maxVersion: string;
  releasedVersion: string;
}
const WORK_ITEMS = '72c7ddf8-2cdc-4f60-90cd-ab71c14a399b';
const COMMENTS = '608aac0a-32e1-4493-a863-b9cf4566d257';

beforeAll(async () => {
  sim = await startAzureDevOpsSim();
  ado = azureDevOpsClient(sim, DEMO_CREDENTIALS.integration.pat);
  bare = azureDevOpsClient(sim, DEMO_CREDENTIALS.integration.pat, { apiVersion: '' });
});
afterAll(() => sim.stop());
beforeEach(async () => {
  await fetch(`${sim.controlUrl}/reset`, { method: 'POST' });
});

const playServer = (body: { release?: string; virtualDirectory?: string }) =>
  fetch(`${sim.controlUrl}/server`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
const locationsAt = async (path: string) => {
  const res = await bare<{ count: number; value: Location[] }>('OPTIONS', path);
  expect(res.status).toBe(200);
  expect(res.json.count).toBe(res.json.value.length);
  return new Map(res.json.value.map((l) => [l.id, l]));
};

describe('route discovery (OPTIONS _apis/{area}, no api-version)', () => {
  it('answers the resource locations of an area with their route templates and version ranges', async () => {
    const wit = await locationsAt('/acme/_apis/wit');
    expect(wit.get(WORK_ITEMS)).toEqual({
      id: WORK_ITEMS,
      area: 'wit',
      resourceName: 'workItems',
      routeTemplate: '{project}/_apis/{area}/{resource}/{id}',
      resourceVersion: 3,
      minVersion: '1.0',
      maxVersion: '7.2',
      releasedVersion: '7.1',
    });
    // The comments API was never released: a client must ask for a preview of its resource version.
    expect(wit.get(COMMENTS)).toMatchObject({ resourceName: 'comments', releasedVersion: '0.0', resourceVersion: 4 });
    expect([...wit.values()].every((l) => l.area === 'wit')).toBe(true);
  });

  it('reads the area name case-insensitively, lists every area without one, and 404s an unknown area', async () => {
    expect([...(await locationsAt('/acme/_apis/location')).values()].map((l) => l.resourceName)).toEqual([
      'ResourceAreas',
      'ConnectionData',
    ]);
    const all = await locationsAt('/acme/_apis');
    expect(new Set([...all.values()].map((l) => l.area))).toEqual(new Set(['Location', 'wit', 'hooks']));
    expect((await bare('OPTIONS', '/acme/_apis/nope')).status).toBe(404);
  });

  it('still wants the PAT', async () => {
    const anonymous = azureDevOpsClient(sim, 'not-a-pat', { apiVersion: '' });
    expect((await anonymous('OPTIONS', '/acme/_apis/wit')).status).toBe(401);
  });

  it('says where an area lives on Services, and nothing on a Server (the collection URL is the place)', async () => {
    const services = await ado<{ value: Array<{ id: string; name: string; locationUrl: string }> }>(
      'GET',
      '/acme/_apis/ResourceAreas?api-version=7.2-preview.1',
    );
    expect(services.json.value).toContainEqual({
      id: '5264459e-e5e0-4bd8-b118-0985e68a4ec5',
      name: 'wit',
      locationUrl: 'https://dev.azure.com/acme/',
    });
    expect(
      (await ado('GET', '/DefaultCollection/_apis/ResourceAreas?api-version=7.0-preview.1', undefined)).json,
    ).toEqual({ count: 0, value: null });
  });
});

describe.each([
  ['2020', '6.0', 3],
  ['2022', '7.0', 3],
  ['2022.1', '7.1', 4],
] as const)('a Server %s collection', (release, version, commentsResource) => {
  beforeEach(async () => {
    await playServer({ release });
  });
  const server = () => azureDevOpsClient(sim, DEMO_CREDENTIALS.integration.pat, { host: 'devops.contoso.com' });

  it(`answers its locations up to ${version}, released`, async () => {
    const wit = await locationsAt('/DefaultCollection/_apis/wit');
    expect(wit.get(WORK_ITEMS)).toMatchObject({ maxVersion: version, releasedVersion: version });
    expect(wit.get(COMMENTS)).toMatchObject({
      maxVersion: version,
      releasedVersion: '0.0',
      resourceVersion: commentsResource,
    });
  });

  it(`serves ${version} and refuses a newer version with 400 VssVersionOutOfRangeException`, async () => {
    const item = '/DefaultCollection/Operations/_apis/wit/workitems/$Task';
    expect((await server()('GET', `${item}?api-version=${version}`)).status).toBe(200);
    const refused = await server()<AdoErrorJson>('GET', `${item}?api-version=7.2-preview.3`);
    expect(refused.status).toBe(400);
    expect(refused.json).toMatchObject({
      typeKey: 'VssVersionOutOfRangeException',
      typeName:
        'Microsoft.VisualStudio.Services.WebApi.VssVersionOutOfRangeException, Microsoft.VisualStudio.Services.WebApi',
      // The version is named as major.minor, whatever preview was asked for.
      message: `The requested REST API version of 7.2 is out of range for this server. The latest REST API version this server supports is ${version}.`,
    });
  });

  it(`serves comments as ${version}-preview.${commentsResource} and no newer resource version`, async () => {
    const comments = '/DefaultCollection/Operations/_apis/wit/workItems/1/comments';
    await server()<WorkItemJson>('POST', '/DefaultCollection/Operations/_apis/wit/workitems/$Task?api-version=6.0', [
      { op: 'add', path: '/fields/System.Title', value: 'On premises' },
    ]);
    expect((await server()('GET', `${comments}?api-version=${version}-preview.${commentsResource}`)).status).toBe(200);
    const newer = await server()<AdoErrorJson>('GET', `${comments}?api-version=${version}-preview.5`);
    expect(newer.status).toBe(400);
    expect(newer.json.typeKey).toBe('VssVersionOutOfRangeException');
  });
});

describe('a Server with the TFS virtual directory', () => {
  it('answers its collections below /tfs only, and hands out URLs that keep it', async () => {
    await playServer({ release: '2022', virtualDirectory: 'tfs' });
    const server = azureDevOpsClient(sim, DEMO_CREDENTIALS.integration.pat, {
      host: 'devops.contoso.com',
      apiVersion: '7.0',
    });
    const made = await server<WorkItemJson>('POST', '/tfs/DefaultCollection/Operations/_apis/wit/workitems/$Task', [
      { op: 'add', path: '/fields/System.Title', value: 'Below /tfs' },
    ]);
    expect(made.status).toBe(200);
    expect(made.json.url).toBe(`https://devops.contoso.com/tfs/DefaultCollection/_apis/wit/workItems/${made.json.id}`);
    expect((await locationsAt('/tfs/DefaultCollection/_apis/wit')).size).toBeGreaterThan(5);
    expect(
      (await server<AdoErrorJson>('GET', '/DefaultCollection/Operations/_apis/wit/workitems/1')).json,
    ).toMatchObject({ typeKey: 'HostDoesNotExistException' });
    // Services is not below a virtual directory.
    expect((await ado('GET', '/tfs/acme/Operations/_apis/wit/workitems/1')).status).toBe(404);
  });
});
