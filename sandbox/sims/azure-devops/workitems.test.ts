import { DEMO_CREDENTIALS, startAzureDevOpsSim, type AzureDevOpsSim } from './index';
import { azureDevOpsClient, patch, type AdoErrorJson, type IdentityRefJson, type WorkItemJson } from './test-client';

let sim: AzureDevOpsSim;
let ado: ReturnType<typeof azureDevOpsClient>;
const START = Date.UTC(2026, 10, 24, 9, 0, 0, 120);
let clock = START;
const P = '/acme/Operations/_apis/wit';

beforeAll(async () => {
  sim = await startAzureDevOpsSim({ now: () => clock });
  ado = azureDevOpsClient(sim, DEMO_CREDENTIALS.integration.pat);
});
afterAll(() => sim.stop());
beforeEach(async () => {
  clock = START;
  await fetch(`${sim.controlUrl}/reset`, { method: 'POST' });
});

const create = async (type: string, fields: Record<string, unknown>, project = 'Operations') => {
  const res = await ado<WorkItemJson>(
    'POST',
    `/acme/${project}/_apis/wit/workitems/$${encodeURIComponent(type)}`,
    patch(fields),
  );
  expect(res.status).toBe(200);
  return res.json;
};
const update = (id: number, ops: unknown[]) => ado<WorkItemJson & AdoErrorJson>('PATCH', `${P}/workitems/${id}`, ops);

describe('URLs and api-version', () => {
  it('serves the Services form /{organization}/{project}/_apis/wit/… and the organization-level links it hands out', async () => {
    const res = await ado<WorkItemJson>('GET', `${P}/workitems/1`);
    expect(res.status).toBe(200);
    expect(res.json.url).toBe('https://dev.azure.com/acme/_apis/wit/workItems/1');
    expect((await ado<WorkItemJson>('GET', '/acme/_apis/wit/workItems/1')).json.id).toBe(1);
    expect(
      (await ado<WorkItemJson>('GET', `/acme/${sim.store.org('acme')!.projects[0]!.id}/_apis/wit/WorkItems/1`)).status,
    ).toBe(200);
  });

  it('serves the Server form /{collection}/{project}/_apis/wit/… with its own work item ids', async () => {
    const server = azureDevOpsClient(sim, DEMO_CREDENTIALS.integration.pat, {
      host: 'tfs.acme.local:8080',
      apiVersion: '7.0',
    });
    const created = await server<WorkItemJson>(
      'POST',
      '/DefaultCollection/Operations/_apis/wit/workitems/$Task',
      patch({ 'System.Title': 'On premises' }),
    );
    expect(created.status).toBe(200);
    expect(created.json.id).toBe(1);
    expect(created.json.url).toBe('https://tfs.acme.local:8080/DefaultCollection/_apis/wit/workItems/1');
    expect(
      (
        await server<AdoErrorJson>(
          'GET',
          '/DefaultCollection/Operations/_apis/wit/workitems/1?api-version=7.2-preview.3',
        )
      ).json.typeKey,
    ).toBe('VssVersionOutOfRangeException');
  });

  it("refuses a call without api-version with 400 in the service's error shape", async () => {
    const bare = azureDevOpsClient(sim, DEMO_CREDENTIALS.integration.pat, { apiVersion: '' });
    const res = await bare<AdoErrorJson>('GET', `${P}/workitems/1`);
    expect(res.status).toBe(400);
    expect(res.json).toEqual({
      $id: '1',
      innerException: null,
      message: expect.stringContaining('No api-version was supplied for the "GET" request'),
      typeName: expect.stringContaining('VssVersionNotSpecifiedException'),
      typeKey: 'VssVersionNotSpecifiedException',
      errorCode: 0,
      eventId: 3000,
    });
    expect(
      (await bare('GET', `${P}/workitems/1`, undefined, { accept: 'application/json; api-version=7.1' })).status,
    ).toBe(200);
    expect((await ado<AdoErrorJson>('GET', `${P}/workitems/1?api-version=banana`)).status).toBe(400);
    expect((await ado<AdoErrorJson>('GET', `${P}/workitems/1?api-version=8.0`)).json.typeKey).toBe(
      'VssVersionOutOfRangeException',
    );
  });

  it('answers unknown projects and work items with 404 TF200016 / TF401232', async () => {
    expect((await ado<AdoErrorJson>('GET', '/acme/Nope/_apis/wit/workitems/1')).json.message).toMatch(
      /^TF200016: The following project does not exist: Nope/,
    );
    const missing = await ado<AdoErrorJson>('GET', `${P}/workitems/999`);
    expect(missing.status).toBe(404);
    expect(missing.json.message).toBe(
      'TF401232: Work item 999 does not exist, or you do not have permissions to read it.',
    );
  });
});

describe('reading work items', () => {
  it('returns fields, _links and url; relations only with $expand=Relations|All; system fields with Fields|All', async () => {
    const plain = (await ado<WorkItemJson>('GET', `${P}/workitems/1`)).json;
    expect(plain).toMatchObject({
      id: 1,
      rev: 1,
      fields: {
        'System.Title': 'Checkout fails with a 500 for EU customers',
        'System.WorkItemType': 'Bug',
        'System.State': 'Active',
      },
    });
    expect(plain.relations).toBeUndefined();
    expect(plain._links?.html?.href).toContain('/acme/web/wi.aspx?pcguid=');
    expect(plain.fields['System.Rev']).toBeUndefined();
    const all = (await ado<WorkItemJson>('GET', `${P}/workitems/1?$expand=All`)).json;
    expect(all.relations).toEqual([]);
    expect(all.fields['System.Rev']).toBe(1);
    expect(all.fields['System.RevisedDate']).toBe('9999-01-01T00:00:00Z');
    expect((await ado<WorkItemJson>('GET', `${P}/workitems/1?$expand=relations`)).json.relations).toEqual([]);
  });

  it('limits fields with fields= (unknown fields are an error) and refuses fields together with $expand', async () => {
    const only = (await ado<WorkItemJson>('GET', `${P}/workitems/1?fields=System.Title,System.State,System.Rev`)).json;
    expect(only.fields).toEqual({
      'System.Title': 'Checkout fails with a 500 for EU customers',
      'System.State': 'Active',
      'System.Rev': 1,
    });
    expect((await ado<AdoErrorJson>('GET', `${P}/workitems/1?fields=System.Bogus`)).json.message).toBe(
      'TF51535: Cannot find field System.Bogus.',
    );
    expect((await ado<AdoErrorJson>('GET', `${P}/workitems/1?fields=System.Title&$expand=all`)).json.message).toBe(
      'The expand parameter can not be used with the fields parameter.',
    );
  });

  it('reads the past with asOf', async () => {
    const before = clock;
    clock += 60_000;
    await update(2, patch({ 'System.Title': 'Renamed' }));
    expect(
      (await ado<WorkItemJson>('GET', `${P}/workitems/2?asOf=${new Date(before).toISOString()}`)).json.fields[
        'System.Title'
      ],
    ).toBe('Export invoices as CSV');
  });
});

describe('creating and updating', () => {
  it('creates with POST …/workitems/$Type and a JSON Patch document, with the process defaults', async () => {
    const bug = await create('Bug', { 'System.Title': 'Printer on fire' });
    expect(bug.rev).toBe(1);
    expect(bug.fields).toMatchObject({
      'System.AreaPath': 'Operations',
      'System.IterationPath': 'Operations',
      'System.TeamProject': 'Operations',
      'System.WorkItemType': 'Bug',
      'System.State': 'New',
      'System.Reason': 'New',
      'Microsoft.VSTS.Common.Priority': 2,
      'System.CommentCount': 0,
    });
    const createdBy = bug.fields['System.CreatedBy'] as IdentityRefJson;
    expect(createdBy).toMatchObject({
      displayName: 'Crosswalk Integration',
      uniqueName: 'crosswalk@acme.example',
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      descriptor: expect.stringMatching(/^aad\./),
    });
    expect(bug.fields['System.ChangedBy']).toEqual(createdBy);
    expect(bug.fields['System.CreatedDate']).toBe('2026-11-24T09:00:00.12Z');
  });

  it('accepts only application/json-patch+json for create and update', async () => {
    const res = await ado<AdoErrorJson>(
      'PATCH',
      `${P}/workitems/1`,
      [{ op: 'add', path: '/fields/System.Title', value: 'x' }],
      { 'content-type': 'application/json' },
    );
    expect(res.status).toBe(415);
    expect(res.json).toMatchObject({
      typeKey: 'VssRequestContentTypeNotSupportedException',
      message:
        'The request indicated a Content-Type of "application/json" for method type "PATCH" which is not supported. Valid content types for this method are: application/json-patch+json.',
    });
    expect(
      (await ado('POST', `${P}/workitems/$Bug`, patch({ 'System.Title': 'x' }), { 'content-type': 'application/json' }))
        .status,
    ).toBe(415);
    expect(
      (await ado('PATCH', `${P}/workitems/1`, { not: 'an array' }, { 'content-type': 'application/json-patch+json' }))
        .status,
    ).toBe(400);
  });

  it('bumps rev, System.Rev, System.ChangedDate (milliseconds) and System.ChangedBy on every update', async () => {
    const agent = azureDevOpsClient(sim, DEMO_CREDENTIALS.agent.pat);
    clock += 1_500;
    const res = await agent<WorkItemJson>(
      'PATCH',
      `${P}/workitems/2?$expand=all`,
      patch({ 'System.Title': 'Export invoices as CSV and XLSX' }),
      { 'content-type': 'application/json-patch+json' },
    );
    expect(res.json.rev).toBe(2);
    expect(res.json.fields['System.Rev']).toBe(2);
    expect(res.json.fields['System.ChangedDate']).toBe('2026-11-24T09:00:01.62Z');
    expect((res.json.fields['System.ChangedBy'] as IdentityRefJson).uniqueName).toBe('dana@acme.example');
    // Two updates in the same millisecond still get increasing ChangedDates.
    const again = await update(2, patch({ 'System.Title': 'Again' }));
    expect(again.json.fields['System.ChangedDate']).toBe('2026-11-24T09:00:01.621Z');
  });

  it('applies a patch atomically: a stale test /rev answers 412 and nothing is written', async () => {
    const res = await update(1, [
      { op: 'test', path: '/rev', value: 1 },
      { op: 'add', path: '/fields/System.Title', value: 'First' },
    ]);
    expect(res.json.rev).toBe(2);
    const stale = await update(1, [
      { op: 'add', path: '/fields/System.Description', value: 'sneaky' },
      { op: 'test', path: '/rev', value: 1 },
      { op: 'add', path: '/fields/System.Title', value: 'Second' },
    ]);
    expect(stale.status).toBe(412);
    expect(stale.json.message).toMatch(/^TF26071/);
    const now = (await ado<WorkItemJson>('GET', `${P}/workitems/1`)).json;
    expect(now.rev).toBe(2);
    expect(now.fields['System.Title']).toBe('First');
    expect(now.fields['System.Description']).not.toBe('sneaky');
  });

  it('supports add, replace, remove and test on fields', async () => {
    expect(
      (
        await update(1, [
          { op: 'replace', path: '/fields/System.Title', value: 'Replaced' },
          { op: 'remove', path: '/fields/System.Tags' },
        ])
      ).json.fields,
    ).toMatchObject({ 'System.Title': 'Replaced' });
    expect((await ado<WorkItemJson>('GET', `${P}/workitems/1`)).json.fields['System.Tags']).toBeUndefined();
    expect(
      (
        await update(1, [
          { op: 'test', path: '/fields/System.Title', value: 'Nope' },
          { op: 'add', path: '/fields/System.Title', value: 'x' },
        ])
      ).status,
    ).toBe(400);
    expect(
      (
        await update(1, [
          { op: 'test', path: '/fields/System.AssignedTo', value: 'dana@acme.example' },
          { op: 'add', path: '/fields/System.Title', value: 'ok' },
        ])
      ).status,
    ).toBe(200);
  });

  it('does not write a revision when a patch changes nothing', async () => {
    const res = await update(2, patch({ 'System.Title': 'Export invoices as CSV' }));
    expect(res.json.rev).toBe(1);
  });

  it('refuses unknown and read-only fields', async () => {
    expect((await update(1, patch({ 'Custom.Nope': 1 }))).json.message).toBe('TF51535: Cannot find field Custom.Nope.');
    expect((await update(1, patch({ 'System.CreatedDate': '2020-01-01' }))).json.message).toBe(
      "TF401326: Invalid field status 'ReadOnly' for field 'System.CreatedDate'.",
    );
  });

  it('validateOnly checks a patch without saving it', async () => {
    const res = await ado<WorkItemJson>(
      'PATCH',
      `${P}/workitems/1?validateOnly=true`,
      patch({ 'System.Title': 'Only checking' }),
    );
    expect(res.status).toBe(200);
    expect((await ado<WorkItemJson>('GET', `${P}/workitems/1`)).json.rev).toBe(1);
  });
});

describe('process rules', () => {
  it.each([
    ['Bug', ['New', 'Active', 'Resolved', 'Closed']],
    ['User Story', ['New', 'Active', 'Resolved', 'Closed', 'Removed']],
    ['Task', ['New', 'Active', 'Closed', 'Removed']],
  ])('lists the Agile %s states', async (type, states) => {
    const res = await ado<{ count: number; value: Array<{ name: string; category: string }> }>(
      'GET',
      `${P}/workitemtypes/${encodeURIComponent(type)}/states`,
    );
    expect(res.json.value.map((s) => s.name)).toEqual(states);
  });

  it('lists the Basic process Issue states', async () => {
    const res = await ado<{ value: Array<{ name: string; category: string }> }>(
      'GET',
      '/acme/Helpdesk/_apis/wit/workitemtypes/Issue/states',
    );
    expect(res.json.value).toEqual([
      { name: 'To Do', color: 'b2b2b2', category: 'Proposed' },
      { name: 'Doing', color: '007acc', category: 'InProgress' },
      { name: 'Done', color: '339933', category: 'Completed' },
    ]);
    expect((await create('Issue', { 'System.Title': 'Basic' }, 'Helpdesk')).fields['System.State']).toBe('To Do');
    expect((await ado('POST', '/acme/Helpdesk/_apis/wit/workitems/$Bug', patch({ 'System.Title': 'x' }))).status).toBe(
      404,
    );
  });

  it('refuses a state the type does not have with TF401320 (RuleValidationException, 400)', async () => {
    const res = await update(1, patch({ 'System.State': 'Doing' }));
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({
      message:
        'TF401320: Rule Error for field State. Error code: Required, HasValues, LimitedToValues, InvalidListValue.',
      typeKey: 'RuleValidationException',
      customProperties: {
        FieldReferenceName: 'System.State',
        ErrorMessage: "The field 'State' contains the value 'Doing' that is not in the list of supported values",
      },
    });
  });

  it('moves System.Reason with the state', async () => {
    const bug = await create('Bug', { 'System.Title': 'Reasons' });
    const reasons: string[] = [];
    for (const state of ['Active', 'Resolved', 'Closed', 'Active', 'New'])
      reasons.push(String((await update(bug.id, patch({ 'System.State': state }))).json.fields['System.Reason']));
    expect(reasons).toEqual(['Approved', 'Fixed', 'Verified', 'Reactivated', 'New']);
    const story = await create('User Story', { 'System.Title': 'Story', 'System.State': 'Active' });
    expect(story.fields['System.Reason']).toBe('Implementation started');
    const task = await create('Task', { 'System.Title': 'Task' });
    expect((await update(task.id, patch({ 'System.State': 'Closed' }))).json.fields).toMatchObject({
      'System.Reason': 'Completed',
      'Microsoft.VSTS.Common.ClosedBy': expect.objectContaining({ uniqueName: 'crosswalk@acme.example' }),
    });
  });

  it('requires a Title of at most 255 characters', async () => {
    const missing = await ado<AdoErrorJson>('POST', `${P}/workitems/$Bug`, patch({ 'System.Description': 'no title' }));
    expect(missing.json.message).toBe('TF401320: Rule Error for field Title. Error code: Required, InvalidEmpty.');
    expect(
      (await ado<AdoErrorJson>('POST', `${P}/workitems/$Bug`, patch({ 'System.Title': 'x'.repeat(256) }))).json.message,
    ).toBe('TF401320: Rule Error for field Title. Error code: Required, InvalidTooLong.');
    expect((await create('Bug', { 'System.Title': 'x'.repeat(255) })).fields['System.Title']).toHaveLength(255);
  });

  it('keeps Description as HTML (without scripts) and Tags as one "; "-separated string', async () => {
    const bug = await create('Bug', {
      'System.Title': 'HTML',
      'System.Description': '<p onclick="x()">Hello <b>world</b></p><script>alert(1)</script>',
      'System.Tags': 'zeta;alpha; Alpha ;beta',
    });
    expect(bug.fields['System.Description']).toBe('<p>Hello <b>world</b></p>');
    expect(bug.fields['System.Tags']).toBe('alpha; beta; zeta');
  });

  it('takes Priority 1–4 as an integer', async () => {
    expect(
      (await update(1, patch({ 'Microsoft.VSTS.Common.Priority': '3' }))).json.fields['Microsoft.VSTS.Common.Priority'],
    ).toBe(3);
    expect((await update(1, patch({ 'Microsoft.VSTS.Common.Priority': 5 }))).json.message).toMatch(
      /^TF401320: Rule Error for field Priority/,
    );
    expect((await update(1, patch({ 'Microsoft.VSTS.Common.Priority': 'high' }))).status).toBe(400);
  });

  it('assigns by uniqueName, email form or display name, answers identity objects, and refuses strangers', async () => {
    for (const who of ['lee@acme.example', 'Lee Requester <lee@acme.example>', 'Lee Requester']) {
      const res = await update(2, patch({ 'System.AssignedTo': who }));
      expect(res.json.fields['System.AssignedTo']).toMatchObject({
        displayName: 'Lee Requester',
        uniqueName: 'lee@acme.example',
        descriptor: expect.any(String),
        id: expect.any(String),
      });
    }
    expect(
      (await update(2, patch({ 'System.AssignedTo': 'nobody@else.example' }))).json.customProperties,
    ).toMatchObject({
      ErrorMessage: "The identity value 'nobody@else.example' for field 'Assigned To' is an unknown identity.",
    });
    expect(
      (await update(2, [{ op: 'remove', path: '/fields/System.AssignedTo' }])).json.fields['System.AssignedTo'],
    ).toBeUndefined();
  });

  it('defaults AreaPath and IterationPath to the project and refuses unknown tree paths', async () => {
    expect(
      (
        await update(
          1,
          patch({ 'System.AreaPath': 'Operations\\Support', 'System.IterationPath': 'Operations\\Sprint 1' }),
        )
      ).json.fields,
    ).toMatchObject({ 'System.AreaPath': 'Operations\\Support', 'System.IterationPath': 'Operations\\Sprint 1' });
    expect((await update(1, patch({ 'System.AreaPath': 'Elsewhere' }))).json.customProperties).toMatchObject({
      ErrorMessage: "TF401347: Invalid tree name given for work item -1, field 'System.AreaPath'.",
    });
  });
});

describe('relations', () => {
  it('adds Hyperlink relations through /relations/- and removes them by index', async () => {
    const res = await update(1, [
      {
        op: 'add',
        path: '/relations/-',
        value: {
          rel: 'Hyperlink',
          url: 'https://acme.atlassian.net/browse/OPS-1',
          attributes: { comment: 'Jira issue' },
        },
      },
    ]);
    expect(res.json.relations).toEqual([
      {
        rel: 'Hyperlink',
        url: 'https://acme.atlassian.net/browse/OPS-1',
        attributes: expect.objectContaining({ comment: 'Jira issue', revisedDate: '9999-01-01T00:00:00Z' }),
      },
    ]);
    expect(
      (
        await update(1, [
          {
            op: 'add',
            path: '/relations/-',
            value: { rel: 'Hyperlink', url: 'https://acme.atlassian.net/browse/OPS-1' },
          },
        ])
      ).status,
    ).toBe(400);
    expect((await update(1, [{ op: 'remove', path: '/relations/0' }])).json.relations).toBeUndefined();
    const updates = (
      await ado<{ value: Array<{ relations?: { added?: unknown[]; removed?: unknown[] } }> }>(
        'GET',
        `${P}/workitems/1/updates`,
      )
    ).json.value;
    expect(updates[1]!.relations?.added).toHaveLength(1);
    expect(updates[2]!.relations?.removed).toHaveLength(1);
  });

  it('links work items and refuses links to missing ones', async () => {
    expect(
      (
        await update(1, [
          {
            op: 'add',
            path: '/relations/-',
            value: { rel: 'System.LinkTypes.Related', url: 'https://dev.azure.com/acme/_apis/wit/workItems/2' },
          },
        ])
      ).json.relations?.[0]?.attributes,
    ).toMatchObject({ name: 'Related', isLocked: false });
    expect(
      (
        await update(1, [
          {
            op: 'add',
            path: '/relations/-',
            value: { rel: 'System.LinkTypes.Related', url: 'https://dev.azure.com/acme/_apis/wit/workItems/77' },
          },
        ])
      ).status,
    ).toBe(404);
  });
});

describe('batches, updates, revisions, delete', () => {
  it('reads up to 200 ids with workitemsbatch and GET ?ids=, failing or omitting missing ones', async () => {
    const res = await ado<{ count: number; value: Array<WorkItemJson | null> }>('POST', `${P}/workitemsbatch`, {
      ids: [1, 2],
      fields: ['System.Title'],
    });
    expect(res.json.count).toBe(2);
    expect(res.json.value.map((w) => w?.fields)).toEqual([
      { 'System.Title': 'Checkout fails with a 500 for EU customers' },
      { 'System.Title': 'Export invoices as CSV' },
    ]);
    expect(
      (await ado<{ value: unknown[] }>('POST', `${P}/workitemsbatch`, { ids: [1, 99], errorPolicy: 'omit' })).json
        .value[1],
    ).toBeNull();
    expect((await ado('POST', `${P}/workitemsbatch`, { ids: [1, 99] })).status).toBe(404);
    const tooMany = await ado<AdoErrorJson>('POST', `${P}/workitemsbatch`, {
      ids: Array.from({ length: 201 }, (_, i) => i + 1),
    });
    expect(tooMany.status).toBe(400);
    expect(tooMany.json.message).toBe('VS403474: You requested 201 work items which exceeds the limit of 200');
    expect((await ado<{ count: number }>('GET', `${P}/workitems?ids=1,2&fields=System.State`)).json.count).toBe(2);
  });

  it('lists updates as deltas ({oldValue,newValue}, revisedBy, revisedDate) and revisions as snapshots', async () => {
    clock += 10_000;
    await update(2, patch({ 'System.State': 'Active' }));
    const updates = (
      await ado<{
        count: number;
        value: Array<{
          id: number;
          rev: number;
          workItemId: number;
          revisedDate: string;
          revisedBy: IdentityRefJson;
          fields: Record<string, { oldValue?: unknown; newValue?: unknown }>;
        }>;
      }>('GET', `${P}/workitems/2/updates`)
    ).json;
    expect(updates.count).toBe(2);
    expect(updates.value[1]).toMatchObject({
      id: 2,
      rev: 2,
      workItemId: 2,
      revisedDate: '9999-01-01T00:00:00Z',
      revisedBy: { uniqueName: 'crosswalk@acme.example' },
    });
    expect(updates.value[1]!.fields['System.State']).toEqual({ oldValue: 'New', newValue: 'Active' });
    expect(updates.value[1]!.fields['System.Reason']).toEqual({ oldValue: 'New', newValue: 'Implementation started' });
    expect(updates.value[0]!.revisedDate).toBe('2026-11-24T09:00:10.12Z');
    const revisions = (await ado<{ value: WorkItemJson[] }>('GET', `${P}/workitems/2/revisions`)).json.value;
    expect(revisions.map((r) => [r.rev, r.fields['System.State']])).toEqual([
      [1, 'New'],
      [2, 'Active'],
    ]);
    expect((await ado<WorkItemJson>('GET', `${P}/workitems/2/revisions/1`)).json.fields['System.Rev']).toBe(1);
    expect((await ado('GET', `${P}/workitems/2/updates/2`)).status).toBe(200);
    expect((await ado<{ count: number }>('GET', `${P}/workitems/2/updates?$top=1&$skip=1`)).json.count).toBe(1);
  });

  it('deletes to the recycle bin (then 404) and destroys with destroy=true', async () => {
    const res = await ado<{ id: number; code: number; url: string }>('DELETE', `${P}/workitems/2`);
    expect(res.json).toMatchObject({ id: 2, code: 200, url: 'https://dev.azure.com/acme/_apis/wit/recyclebin/2' });
    expect((await ado('GET', `${P}/workitems/2`)).status).toBe(404);
    expect((await ado('DELETE', `${P}/workitems/1?destroy=true`)).status).toBe(204);
  });

  it('gives a work item template for a type', async () => {
    const res = await ado<WorkItemJson>('GET', `${P}/workitems/$Bug`);
    expect(res.json.fields).toMatchObject({ 'System.WorkItemType': 'Bug', 'System.State': 'New' });
  });
});
