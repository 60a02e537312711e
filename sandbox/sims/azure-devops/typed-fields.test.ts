/**
 * Typed fields as Azure DevOps holds them: Due Date (dateTime) and an inherited process's custom fields — a string
 * picklist, an integer, a plain text field holding a Multivalue control's `a;b`, a dateTime — written, read, listed
 * and refused as the service does, through the REST API and through Microsoft's own azure-devops-node-api.
 */
import { getPersonalAccessTokenHandler, WebApi } from 'azure-devops-node-api';
import { FieldType, WorkItemTypeFieldsExpandLevel } from 'azure-devops-node-api/interfaces/WorkItemTrackingInterfaces';
import { DEMO_CREDENTIALS, startAzureDevOpsSim, type AzureDevOpsSim } from './index';
import { azureDevOpsClient, patch, type AdoErrorJson, type WorkItemJson } from './test-client';

let sim: AzureDevOpsSim;
let ado: ReturnType<typeof azureDevOpsClient>;
const P = '/acme/Operations/_apis/wit';

beforeAll(async () => {
  sim = await startAzureDevOpsSim({ now: () => Date.UTC(2026, 10, 24, 9, 0, 0) });
  ado = azureDevOpsClient(sim, DEMO_CREDENTIALS.integration.pat);
});
afterAll(() => sim.stop());
beforeEach(async () => {
  await fetch(`${sim.controlUrl}/reset`, { method: 'POST' });
});

type Fields = Record<string, unknown>;
const create = async (fields: Fields, type = 'Bug') => {
  const res = await ado<WorkItemJson>('POST', `${P}/workitems/$${encodeURIComponent(type)}`, patch(fields));
  expect(res.status).toBe(200);
  return res.json as WorkItemJson & { fields: Fields };
};
const update = (id: number, ops: unknown[]) =>
  ado<WorkItemJson & AdoErrorJson & { fields: Fields }>('PATCH', `${P}/workitems/${id}`, ops);
const read = async (id: number) => (await ado<{ fields: Fields; rev: number }>('GET', `${P}/workitems/${id}`)).json;

const TYPED = {
  'Microsoft.VSTS.Scheduling.DueDate': '2026-12-24',
  'Custom.Environment': 'Staging',
  'Custom.AffectedUsers': 1250,
  'Custom.Platforms': 'Web;Mobile',
  'Custom.CustomerDeadline': '2026-12-24T15:30:00.000+01:00',
};

describe('listing', () => {
  it('lists the fields with their types in …/_apis/wit/fields', async () => {
    const res = await ado<{ value: Array<Record<string, unknown>> }>('GET', `${P}/fields`);
    const byRef = new Map(res.json.value.map((f) => [f.referenceName, f]));
    expect(byRef.get('Microsoft.VSTS.Scheduling.DueDate')).toMatchObject({
      name: 'Due Date',
      type: 'dateTime',
      readOnly: false,
      isPicklist: false,
    });
    expect(byRef.get('Custom.Environment')).toMatchObject({
      name: 'Environment',
      type: 'picklistString',
      isPicklist: true,
    });
    expect(byRef.get('Custom.AffectedUsers')).toMatchObject({ name: 'Affected Users', type: 'integer' });
    expect(byRef.get('Custom.Platforms')).toMatchObject({ name: 'Platforms', type: 'plainText' });
    expect(byRef.get('Custom.CustomerDeadline')).toMatchObject({ name: 'Customer Deadline', type: 'dateTime' });
  });

  it.each([
    ['Operations', 'Bug'],
    ['Operations', 'User Story'],
    ['Helpdesk', 'Issue'],
  ])('puts them on %s %s, with the picklist under $expand=allowedValues', async (project, type) => {
    const res = await ado<{ value: Array<Record<string, unknown>> }>(
      'GET',
      `/acme/${project}/_apis/wit/workitemtypes/${encodeURIComponent(type)}/fields?$expand=allowedValues`,
    );
    const byRef = new Map(res.json.value.map((f) => [f.referenceName, f]));
    for (const ref of Object.keys(TYPED)) expect(byRef.has(ref)).toBe(true);
    expect(byRef.get('Custom.Environment')).toMatchObject({
      name: 'Environment',
      allowedValues: ['Production', 'Staging', 'Development'],
      alwaysRequired: false,
      defaultValue: null,
    });
    expect(byRef.get('Microsoft.VSTS.Scheduling.DueDate')).toMatchObject({ allowedValues: [] });
    const plain = await ado<{ value: Array<Record<string, unknown>> }>(
      'GET',
      `/acme/${project}/_apis/wit/workitemtypes/${encodeURIComponent(type)}/fields`,
    );
    expect(plain.json.value.find((f) => f.referenceName === 'Custom.Environment')).not.toHaveProperty('allowedValues');
  });
});

describe('writing and reading', () => {
  it('creates with every typed field and reads them back as the service answers (dates in UTC, Z)', async () => {
    const made = await create({ 'System.Title': 'Typed', ...TYPED });
    const expected = {
      'Microsoft.VSTS.Scheduling.DueDate': '2026-12-24T00:00:00Z',
      'Custom.Environment': 'Staging',
      'Custom.AffectedUsers': 1250,
      'Custom.Platforms': 'Web;Mobile',
      'Custom.CustomerDeadline': '2026-12-24T14:30:00Z',
    };
    expect(made.fields).toMatchObject(expected);
    expect((await read(made.id)).fields).toMatchObject(expected);
  });

  it('updates and removes each field, and records the change in updates', async () => {
    const made = await create({ 'System.Title': 'Typed', ...TYPED });
    const res = await update(
      made.id,
      patch({
        'Microsoft.VSTS.Scheduling.DueDate': '2027-01-05T00:00:00Z',
        'Custom.Environment': 'Production',
        'Custom.AffectedUsers': '42',
        'Custom.Platforms': 'Web;Mobile;Desktop',
        'Custom.CustomerDeadline': '2027-01-02T09:05:00.250Z',
      }),
    );
    expect(res.status).toBe(200);
    expect(res.json.fields).toMatchObject({
      'Microsoft.VSTS.Scheduling.DueDate': '2027-01-05T00:00:00Z',
      'Custom.Environment': 'Production',
      'Custom.AffectedUsers': 42,
      'Custom.Platforms': 'Web;Mobile;Desktop',
      'Custom.CustomerDeadline': '2027-01-02T09:05:00.25Z',
    });
    const updates = await ado<{
      value: Array<{ fields?: Record<string, { oldValue?: unknown; newValue?: unknown }> }>;
    }>('GET', `${P}/workItems/${made.id}/updates`);
    expect(updates.json.value[1]!.fields).toMatchObject({
      'Custom.Environment': { oldValue: 'Staging', newValue: 'Production' },
      'Custom.AffectedUsers': { oldValue: 1250, newValue: 42 },
      'Microsoft.VSTS.Scheduling.DueDate': { oldValue: '2026-12-24T00:00:00Z', newValue: '2027-01-05T00:00:00Z' },
    });
    const removed = await update(
      made.id,
      Object.keys(TYPED).map((ref) => ({ op: 'remove', path: `/fields/${ref}` })),
    );
    expect(removed.status).toBe(200);
    for (const ref of Object.keys(TYPED)) expect(removed.json.fields).not.toHaveProperty([ref]);
  });

  it('works through azure-devops-node-api', async () => {
    const wit = await new WebApi(
      `${sim.baseUrl}/acme`,
      getPersonalAccessTokenHandler(DEMO_CREDENTIALS.integration.pat),
    ).getWorkItemTrackingApi();
    const made = await wit.createWorkItem(
      null,
      Object.entries({ 'System.Title': 'From the node client', ...TYPED }).map(([ref, value]) => ({
        op: 'add',
        path: `/fields/${ref}`,
        value,
      })),
      DEMO_CREDENTIALS.project,
      'Bug',
    );
    const item = await wit.getWorkItem(made.id!, undefined, undefined, undefined, DEMO_CREDENTIALS.project);
    expect(item.fields).toMatchObject({
      'Custom.Environment': 'Staging',
      'Custom.AffectedUsers': 1250,
      'Custom.Platforms': 'Web;Mobile',
      'Custom.CustomerDeadline': '2026-12-24T14:30:00Z',
    });
    const fields = await wit.getFields(DEMO_CREDENTIALS.project);
    expect(fields.find((f) => f.referenceName === 'Custom.Environment')).toMatchObject({
      type: FieldType.PicklistString,
      isPicklist: true,
    });
    expect(fields.find((f) => f.referenceName === 'Microsoft.VSTS.Scheduling.DueDate')?.type).toBe(FieldType.DateTime);
    const onType = await wit.getWorkItemTypeFieldsWithReferences(
      DEMO_CREDENTIALS.project,
      'Bug',
      WorkItemTypeFieldsExpandLevel.AllowedValues,
    );
    expect(onType.find((f) => f.referenceName === 'Custom.Environment')?.allowedValues).toEqual([
      'Production',
      'Staging',
      'Development',
    ]);
  });
});

describe('refusals', () => {
  const rule = (ref: string, name: string, flags: string, errorMessage: string) => ({
    message: `TF401320: Rule Error for field ${name}. Error code: ${flags}.`,
    typeKey: 'RuleValidationException',
    customProperties: {
      FieldReferenceName: ref,
      ErrorMessage: errorMessage,
      RuleValidationErrors: [expect.objectContaining({ fieldReferenceName: ref, errorMessage })],
    },
  });
  const notADate = (name: string) => `The field '${name}' contains a value that is not a valid date.`;

  it.each([
    ['Microsoft.VSTS.Scheduling.DueDate', '24/12/2026', 'Due Date', 'InvalidType', notADate('Due Date')],
    ['Microsoft.VSTS.Scheduling.DueDate', '2026-02-30', 'Due Date', 'InvalidType', notADate('Due Date')],
    ['Custom.CustomerDeadline', 'tomorrow', 'Customer Deadline', 'InvalidType', notADate('Customer Deadline')],
    ['Custom.CustomerDeadline', 1798126200000, 'Customer Deadline', 'InvalidType', notADate('Customer Deadline')],
    [
      'Custom.AffectedUsers',
      'many',
      'Affected Users',
      'InvalidType',
      "The field 'Affected Users' contains a value that is not of type Integer.",
    ],
    [
      'Custom.AffectedUsers',
      12.5,
      'Affected Users',
      'InvalidType',
      "The field 'Affected Users' contains a value that is not of type Integer.",
    ],
    [
      'Custom.Environment',
      'Moon',
      'Environment',
      'HasValues, LimitedToValues, InvalidListValue',
      "The field 'Environment' contains the value 'Moon' that is not in the list of supported values",
    ],
  ])('refuses %s = %p naming that field', async (ref, value, name, flags, errorMessage) => {
    const res = await update(1, patch({ [ref]: value }));
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject(rule(ref, name, flags, errorMessage));
  });

  it('refuses a PATCH with one bad field whole, naming only that field', async () => {
    const before = await read(1);
    const res = await update(1, [
      { op: 'test', path: '/rev', value: before.rev },
      ...patch({
        'System.Title': 'Renamed',
        'Custom.Environment': 'Production',
        'Custom.AffectedUsers': 7,
        'Microsoft.VSTS.Scheduling.DueDate': 'not-a-date',
        'Custom.Platforms': 'Web',
      }),
    ]);
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject(
      rule('Microsoft.VSTS.Scheduling.DueDate', 'Due Date', 'InvalidType', notADate('Due Date')),
    );
    expect((res.json.customProperties!.RuleValidationErrors as unknown[]).length).toBe(1);
    for (const other of ['System.Title', 'Custom.Environment', 'Custom.AffectedUsers', 'Custom.Platforms'])
      expect(JSON.stringify(res.json)).not.toContain(other);
    const after = await read(1);
    expect(after.rev).toBe(before.rev);
    expect(after.fields).toEqual(before.fields);
  });
});
