/**
 * Microsoft's own client, azure-devops-node-api, drives the simulator as it
 * drives Azure DevOps: it discovers its routes (`OPTIONS _apis/{area}`, no
 * api-version), asks Services where the area lives (`_apis/ResourceAreas`),
 * negotiates each call's api-version from the location's version range, and
 * builds its URLs from the route templates. Against Services and against
 * Server 2020 and 2022 collections, it reads a work item, runs a WIQL query
 * and adds a comment.
 */
import { getPersonalAccessTokenHandler, WebApi } from 'azure-devops-node-api';
import {
  TreeNodeStructureType,
  TreeStructureGroup,
  WorkItemExpand,
} from 'azure-devops-node-api/interfaces/WorkItemTrackingInterfaces';
import { DEMO_CREDENTIALS, startAzureDevOpsSim, type AzureDevOpsSim } from './index';

let sim: AzureDevOpsSim;
beforeAll(async () => {
  sim = await startAzureDevOpsSim();
});
afterAll(() => sim.stop());

interface Logged {
  method: string;
  path: string;
  status: number;
  apiVersion?: string;
}
const requestLog = async () => (await (await fetch(`${sim.controlUrl}/requests`)).json()) as Logged[];
const control = (path: string, method: string, body?: unknown) =>
  fetch(`${sim.controlUrl}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

describe.each([
  // The client asks 7.1-preview.3 for a work item and for comments; each host's locations narrow that down.
  { flavour: 'Services', path: '/acme', server: undefined, workItem: '7.1-preview.3', comments: '7.1-preview.3' },
  {
    flavour: 'Server 2020 (https://host/tfs/DefaultCollection)',
    path: '/tfs/DefaultCollection',
    server: { release: '2020', virtualDirectory: 'tfs' },
    workItem: '6.0',
    comments: '6.0-preview.3',
  },
  {
    flavour: 'Server 2022 (https://host/DefaultCollection)',
    path: '/DefaultCollection',
    server: { release: '2022', virtualDirectory: '' },
    workItem: '7.0',
    comments: '7.0-preview.3',
  },
])('azure-devops-node-api against $flavour', ({ path, server, workItem, comments }) => {
  let id: number;
  beforeAll(async () => {
    await control('/reset', 'POST');
    if (server) await control('/server', 'PUT', server);
    await control('/requests', 'DELETE');
  });

  const witApi = () =>
    new WebApi(
      `${sim.baseUrl}${path}`,
      getPersonalAccessTokenHandler(DEMO_CREDENTIALS.integration.pat),
    ).getWorkItemTrackingApi();

  it('starts: discovers the Location and wit routes without an api-version', async () => {
    const wit = await witApi();
    const made = await wit.createWorkItem(
      null,
      [
        { op: 'add', path: '/fields/System.Title', value: 'Made by the node client' },
        { op: 'add', path: '/fields/System.Tags', value: 'node-api' },
      ],
      DEMO_CREDENTIALS.project,
      'Bug',
    );
    expect(made.fields?.['System.Title']).toBe('Made by the node client');
    id = made.id!;
    const log = await requestLog();
    expect(log.filter((r) => r.method === 'OPTIONS').map((r) => [r.path, r.status, r.apiVersion])).toEqual([
      [`${path}/_apis/Location`, 200, undefined],
      [`${path}/_apis/wit`, 200, undefined],
    ]);
  });

  it('gets a work item at the version the host answers', async () => {
    const wit = await witApi();
    const item = await wit.getWorkItem(id, undefined, undefined, WorkItemExpand.All, DEMO_CREDENTIALS.project);
    expect(item).toMatchObject({ id, fields: { 'System.Title': 'Made by the node client', 'System.State': 'New' } });
    const read = (await requestLog()).filter((r) => r.method === 'GET' && r.path.endsWith(`/workItems/${id}`));
    expect(read.map((r) => [r.status, r.apiVersion])).toEqual([[200, workItem]]);
  });

  it("reads the project's area and iteration trees", async () => {
    const wit = await witApi();
    const roots = await wit.getRootNodes(DEMO_CREDENTIALS.project, 2);
    expect(roots.map((r) => [r.structureType, r.children?.map((c) => c.name)])).toEqual([
      [TreeNodeStructureType.Area, ['Support']],
      [TreeNodeStructureType.Iteration, ['Sprint 1', 'Sprint 2']],
    ]);
    const sprint = await wit.getClassificationNode(DEMO_CREDENTIALS.project, TreeStructureGroup.Iterations, 'Sprint 1');
    expect(sprint).toMatchObject({ name: 'Sprint 1', hasChildren: false });
  });

  it('runs a WIQL query', async () => {
    const wit = await witApi();
    const result = await wit.queryByWiql(
      {
        query: `SELECT [System.Id] FROM WorkItems WHERE [System.TeamProject] = @project AND [System.Tags] CONTAINS 'node-api'`,
      },
      { project: DEMO_CREDENTIALS.project },
    );
    expect(result.workItems?.map((w) => w.id)).toEqual([id]);
  });

  it('adds a comment through the comments preview the host has', async () => {
    const wit = await witApi();
    const comment = await wit.addComment({ text: '<p>From the node client</p>' }, DEMO_CREDENTIALS.project, id);
    expect(comment).toMatchObject({ workItemId: id, text: '<p>From the node client</p>' });
    const added = (await requestLog()).filter(
      (r) => r.method === 'POST' && r.path.endsWith(`/workItems/${id}/comments`),
    );
    expect(added.map((r) => [r.status, r.apiVersion])).toEqual([[200, comments]]);
    expect((await wit.getComments(DEMO_CREDENTIALS.project, id)).comments?.map((c) => c.text)).toEqual([
      '<p>From the node client</p>',
    ]);
  });
});
