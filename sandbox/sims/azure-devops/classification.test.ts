/** The classification nodes API: a project's area and iteration trees, as Azure DevOps answers them. */
import { DEMO_CREDENTIALS, startAzureDevOpsSim, type AzureDevOpsSim } from './index';
import { azureDevOpsClient } from './test-client';
import type { ClassificationNode } from './classification';

let sim: AzureDevOpsSim;
let ado: ReturnType<typeof azureDevOpsClient>;
const P = '/acme/Operations/_apis/wit/classificationnodes';

beforeAll(async () => {
  sim = await startAzureDevOpsSim();
  ado = azureDevOpsClient(sim, DEMO_CREDENTIALS.integration.pat);
});
afterAll(() => sim.stop());

const names = (n: ClassificationNode): unknown => ({
  name: n.name,
  path: n.path,
  ...(n.children ? { children: n.children.map(names) } : {}),
});

describe('classification nodes', () => {
  it('answers the area tree from the project down to the depth asked, none by default', async () => {
    const root = await ado<ClassificationNode>('GET', `${P}/Areas?$depth=2&api-version=7.1`);
    expect(root.status).toBe(200);
    expect(names(root.json)).toEqual({
      name: 'Operations',
      path: '\\Operations\\Area',
      children: [{ name: 'Support', path: '\\Operations\\Area\\Support' }],
    });
    expect(root.json).toMatchObject({ structureType: 'area', hasChildren: true, id: expect.any(Number) });
    const shallow = await ado<ClassificationNode>('GET', `${P}/areas?api-version=7.1`);
    expect(shallow.json.children).toBeUndefined();
    expect(shallow.json.hasChildren).toBe(true);
    // The same node keeps its id.
    expect(shallow.json.id).toBe(root.json.id);
  });

  it('answers an iteration below the root by its path, and 404 for one the project has not', async () => {
    const sprint = await ado<ClassificationNode>('GET', `${P}/Iterations/Sprint%201?api-version=7.1`);
    expect(sprint.json).toMatchObject({ name: 'Sprint 1', structureType: 'iteration', hasChildren: false });
    expect(sprint.json.path).toBe('\\Operations\\Iteration\\Sprint 1');
    const missing = await ado<{ typeKey: string }>('GET', `${P}/Iterations/Sprint%209?api-version=7.1`);
    expect(missing.status).toBe(404);
    expect(missing.json.typeKey).toBe('WorkItemTrackingTreeNodeNotFoundException');
  });
});
