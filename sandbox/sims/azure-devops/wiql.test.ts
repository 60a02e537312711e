import { DEMO_CREDENTIALS, startAzureDevOpsSim, type AzureDevOpsSim } from './index';
import { azureDevOpsClient, patch, type AdoErrorJson, type WorkItemJson } from './test-client';

let sim: AzureDevOpsSim;
let ado: ReturnType<typeof azureDevOpsClient>;
const START = Date.UTC(2026, 10, 24, 9, 0, 0);
let clock = START;
const P = '/acme/Operations/_apis/wit';

interface WiqlResult {
  queryType: string;
  queryResultType: string;
  asOf: string;
  columns: Array<{ referenceName: string; name: string; url: string }>;
  sortColumns: Array<{ field: { referenceName: string }; descending: boolean }>;
  workItems: Array<{ id: number; url: string }>;
}

beforeAll(async () => {
  sim = await startAzureDevOpsSim({ now: () => clock });
  ado = azureDevOpsClient(sim, DEMO_CREDENTIALS.integration.pat);
});
afterAll(() => sim.stop());
beforeEach(async () => {
  clock = START;
  await fetch(`${sim.controlUrl}/reset`, { method: 'POST' });
});

const create = async (type: string, fields: Record<string, unknown>, project = 'Operations') =>
  (await ado<WorkItemJson>('POST', `/acme/${project}/_apis/wit/workitems/$${encodeURIComponent(type)}`, patch(fields)))
    .json;
const wiql = (query: string, params = '', path = `${P}/wiql`) =>
  ado<WiqlResult & AdoErrorJson>('POST', `${path}?api-version=7.1${params}`, { query });
const ids = async (query: string, params = '') => {
  const res = await wiql(query, params);
  expect({ status: res.status, message: res.json.message }).toEqual({ status: 200, message: undefined });
  return res.json.workItems.map((w) => w.id);
};

describe('WIQL', () => {
  it('returns ids only, with queryType, asOf and columns', async () => {
    const res = await wiql(
      'SELECT [System.Id], [System.Title] FROM WorkItems WHERE [System.TeamProject] = @project ORDER BY [System.ChangedDate] ASC',
    );
    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      queryType: 'flat',
      queryResultType: 'workItem',
      asOf: '2026-11-24T09:00:00Z',
      columns: [
        { referenceName: 'System.Id', name: 'ID', url: 'https://dev.azure.com/acme/_apis/wit/fields/System.Id' },
        {
          referenceName: 'System.Title',
          name: 'Title',
          url: 'https://dev.azure.com/acme/_apis/wit/fields/System.Title',
        },
      ],
      sortColumns: [
        {
          field: {
            referenceName: 'System.ChangedDate',
            name: 'Changed Date',
            url: 'https://dev.azure.com/acme/_apis/wit/fields/System.ChangedDate',
          },
          descending: false,
        },
      ],
      workItems: [
        { id: 1, url: 'https://dev.azure.com/acme/_apis/wit/workItems/1' },
        { id: 2, url: 'https://dev.azure.com/acme/_apis/wit/workItems/2' },
      ],
    });
  });

  it('answers on the organization, project and team routes; @project needs a project', async () => {
    expect((await wiql('SELECT [System.Id] FROM WorkItems', '', '/acme/_apis/wit/wiql')).json.workItems).toHaveLength(
      2,
    );
    expect(
      (await wiql('SELECT [System.Id] FROM WorkItems', '', '/acme/Operations/Operations%20Team/_apis/wit/wiql')).json
        .workItems,
    ).toHaveLength(2);
    expect(
      (
        await wiql(
          'SELECT [System.Id] FROM WorkItems WHERE [System.TeamProject] = @project',
          '',
          '/acme/_apis/wit/wiql',
        )
      ).status,
    ).toBe(400);
  });

  it('scopes to the project only when the query says so', async () => {
    await create('Issue', { 'System.Title': 'Helpdesk issue' }, 'Helpdesk');
    expect(await ids('SELECT [System.Id] FROM WorkItems')).toEqual([1, 2, 3]);
    expect(await ids('SELECT [System.Id] FROM WorkItems WHERE [System.TeamProject] = @project')).toEqual([1, 2]);
  });

  it('filters with =, <>, comparisons, CONTAINS, IN, AND/OR and parentheses, and sorts', async () => {
    await create('Task', { 'System.Title': 'Rotate certificates', 'Microsoft.VSTS.Common.Priority': 3 });
    expect(await ids("SELECT [System.Id] FROM WorkItems WHERE [System.WorkItemType] = 'Bug'")).toEqual([1]);
    expect(
      await ids("SELECT [System.Id] FROM WorkItems WHERE [System.WorkItemType] <> 'Bug' ORDER BY [System.Id] DESC"),
    ).toEqual([3, 2]);
    expect(await ids('SELECT [System.Id] FROM WorkItems WHERE [System.Id] = 2')).toEqual([2]);
    expect(
      await ids('SELECT [System.Id] FROM WorkItems WHERE [System.Id] >= 2 AND [Microsoft.VSTS.Common.Priority] < 3'),
    ).toEqual([2]);
    expect(await ids("SELECT [System.Id] FROM WorkItems WHERE [System.Title] CONTAINS 'CERTIFICATE'")).toEqual([3]);
    expect(await ids("SELECT [System.Id] FROM WorkItems WHERE [System.State] IN ('New', 'Closed')")).toEqual([2, 3]);
    expect(
      await ids(
        "SELECT [System.Id] FROM WorkItems WHERE ([System.WorkItemType] = 'Bug' OR [System.WorkItemType] = 'Task') AND [System.State] = 'New'",
      ),
    ).toEqual([3]);
    expect(await ids("SELECT [System.Id] FROM WorkItems WHERE [System.Tags] CONTAINS 'checkout'")).toEqual([1]);
    expect(await ids("SELECT [System.Id] FROM WorkItems WHERE [System.AssignedTo] = 'dana@acme.example'")).toEqual([1]);
    expect(await ids("SELECT [System.Id] FROM WorkItems WHERE [System.AreaPath] UNDER 'Operations'")).toEqual([
      1, 2, 3,
    ]);
    expect(
      await ids("SELECT [System.Id] FROM WorkItems WHERE [Title] CONTAINS 'csv' OR [ID] = 3 ORDER BY [Title]"),
    ).toEqual([2, 3]);
  });

  it("reads string literals with '' escaping, so a quote in a value cannot widen the query", async () => {
    await create('Bug', { 'System.Title': "O'Brien's laptop" });
    const hostile = "x' OR [System.Id] > '0";
    expect(
      await ids(`SELECT [System.Id] FROM WorkItems WHERE [System.Title] = '${hostile.replace(/'/g, "''")}'`),
    ).toEqual([]);
    expect(await ids("SELECT [System.Id] FROM WorkItems WHERE [System.Title] = 'O''Brien''s laptop'")).toEqual([3]);
    // The same value pasted without escaping is valid WIQL that matches everything: that is what escaping prevents.
    expect(await ids(`SELECT [System.Id] FROM WorkItems WHERE [System.Title] = '${hostile}'`)).toEqual([1, 2, 3]);
    expect((await wiql("SELECT [System.Id] FROM WorkItems WHERE [System.Title] = 'unterminated")).status).toBe(400);
  });

  it('compares dates by day unless timePrecision=true, and refuses a time part without it', async () => {
    clock = Date.UTC(2026, 10, 25, 15, 30, 0);
    await create('Bug', { 'System.Title': 'Afternoon bug' });
    const q =
      "SELECT [System.Id] FROM WorkItems WHERE [System.TeamProject] = @project AND [System.ChangedDate] >= '2026-11-25T15:00:00Z' ORDER BY [System.ChangedDate] ASC";
    const refused = await wiql(q);
    expect(refused.status).toBe(400);
    expect(refused.json.message).toContain(
      'You cannot supply a time with the date when running a query using date precision',
    );
    expect(await ids(q, '&timePrecision=true')).toEqual([3]);
    expect(await ids("SELECT [System.Id] FROM WorkItems WHERE [System.ChangedDate] >= '2026-11-25'")).toEqual([3]);
    expect(
      await ids(
        "SELECT [System.Id] FROM WorkItems WHERE [System.ChangedDate] > '2026-11-25T15:30:00Z'",
        '&timePrecision=true',
      ),
    ).toEqual([]);
    expect(await ids('SELECT [System.Id] FROM WorkItems WHERE [System.ChangedDate] >= @today')).toEqual([3]);
    expect(await ids('SELECT [System.Id] FROM WorkItems WHERE [System.ChangedDate] >= @today - 1')).toEqual([1, 2, 3]);
  });

  it('caps results with $top and fails with VS402337 above 20,000', async () => {
    expect(await ids('SELECT [System.Id] FROM WorkItems', '&$top=1')).toEqual([1]);
    await fetch(`${sim.controlUrl}/work-items`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ count: 19_999 }),
    });
    const res = await wiql('SELECT [System.Id] FROM WorkItems');
    expect(res.status).toBe(400);
    expect(res.json.message).toBe(
      'VS402337: The number of work items returned exceeds the size limit of 20000. Change the query to return fewer items.',
    );
    expect((await wiql('SELECT [System.Id] FROM WorkItems', '&$top=50')).json.workItems).toHaveLength(50);
    expect(await ids('SELECT [System.Id] FROM WorkItems WHERE [System.Id] > 20000')).toEqual([20001]);
  });

  it('names unknown fields and syntax errors', async () => {
    expect((await wiql('SELECT [System.Id] FROM WorkItems WHERE [System.Bogus] = 1')).json.message).toBe(
      'TF51005: The query references a field that does not exist. The error is caused by «System.Bogus».',
    );
    expect((await wiql('SELECT [System.Id] FROM WorkItems WHERE')).json.message).toMatch(
      /^TF51006: Expecting field name/,
    );
    expect((await wiql("SELECT [System.Id] FROM WorkItems WHERE [System.Title] = 'x' AND")).status).toBe(400);
    expect((await ado('POST', `${P}/wiql`, {})).status).toBe(400);
  });

  it('leaves deleted work items out', async () => {
    await ado('DELETE', `${P}/workitems/1`);
    expect(await ids('SELECT [System.Id] FROM WorkItems')).toEqual([2]);
  });
});
