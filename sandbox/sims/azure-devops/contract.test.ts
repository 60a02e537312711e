/**
 * Every route the simulator serves answers in the shape Microsoft's published
 * Swagger documents give for that operation (../shared/specs/azure-devops:
 * wit/7.1/workItemTracking.json and hooks/7.1/serviceHooks.json), read through
 * ./swagger2.ts. Each case names the status it must answer. Error answers,
 * which the specs do not describe, are checked against the service's error
 * shape, exception type and message (vendor-apis.md §2.10).
 */
import Ajv from 'ajv';
import { DEMO_CREDENTIALS, startAzureDevOpsSim, type AzureDevOpsSim } from './index';
import { ADO_HOOKS_SPEC, ADO_WIT_SPEC, loadSwagger2 } from './swagger2';
import { azureDevOpsClient, patAuthorization, patch } from './test-client';

let sim: AzureDevOpsSim;
let ado: ReturnType<typeof azureDevOpsClient>;
const wit = loadSwagger2(ADO_WIT_SPEC);
const hooks = loadSwagger2(ADO_HOOKS_SPEC);
const served = new Set<string>();
const answered = new Set<string>();
let attachmentId = '';
let chunkedId = '';
let subscriptionId = '';

const errorShape = new Ajv({ strict: false }).compile({
  type: 'object',
  required: ['$id', 'innerException', 'message', 'typeName', 'typeKey', 'errorCode', 'eventId'],
  properties: {
    $id: { const: '1' },
    innerException: { type: 'null' },
    message: { type: 'string' },
    typeName: { type: 'string' },
    typeKey: { type: 'string' },
    errorCode: { type: 'integer' },
    eventId: { type: 'integer' },
  },
});

/**
 * The Location area (route discovery and resource areas) has no spec among the published ones; its answers are
 * checked against the contract Microsoft's clients read from them (azure-devops-node-api's
 * `VsoBaseInterfaces.ApiResourceLocation` and `LocationsInterfaces.ResourceAreaInfo`, wrapped as a `{count, value}` list).
 */
const ajv = new Ajv({ strict: false });
/** A `{count, value}` list of `items` (null where the service answers none). */
const listOf = (items: object, nullable = false) => ({
  type: 'object',
  required: ['count', 'value'],
  properties: { count: { type: 'integer' }, value: { type: nullable ? ['array', 'null'] : 'array', items } },
});
const LOCATION_CONTRACTS: Array<{ method: string; path: RegExp; validate: ReturnType<typeof ajv.compile> }> = [
  {
    method: 'OPTIONS',
    path: /\/_apis(\/[A-Za-z]+)?$/,
    validate: ajv.compile({
      type: 'object',
      required: ['count', 'value'],
      properties: {
        count: { type: 'integer' },
        value: {
          type: 'array',
          minItems: 1,
          items: {
            type: 'object',
            required: [
              'id',
              'area',
              'resourceName',
              'routeTemplate',
              'resourceVersion',
              'minVersion',
              'maxVersion',
              'releasedVersion',
            ],
            properties: {
              id: { type: 'string', pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' },
              area: { type: 'string' },
              resourceName: { type: 'string' },
              routeTemplate: { type: 'string', pattern: '_apis/' },
              resourceVersion: { type: 'integer', minimum: 1 },
              minVersion: { type: 'string', pattern: '^\\d+\\.\\d+$' },
              maxVersion: { type: 'string', pattern: '^\\d+\\.\\d+$' },
              releasedVersion: { type: 'string', pattern: '^\\d+\\.\\d+$' },
            },
          },
        },
      },
    }),
  },
  {
    method: 'GET',
    path: /\/_apis\/resourceareas$/i,
    validate: ajv.compile(
      listOf(
        {
          type: 'object',
          required: ['id', 'name', 'locationUrl'],
          properties: { id: { type: 'string' }, name: { type: 'string' }, locationUrl: { type: 'string' } },
        },
        true,
      ),
    ),
  },
  // Read Identities (IMS) has no spec among the published ones either: checked against Microsoft's documented
  // Identity (learn.microsoft.com …/ims/identities/read-identities), as a `{count, value}` list.
  {
    method: 'GET',
    path: /\/_apis\/identities$/i,
    validate: ajv.compile(
      listOf({
        type: ['object', 'null'],
        required: ['id', 'descriptor', 'providerDisplayName', 'isActive', 'isContainer', 'properties'],
        properties: {
          id: { type: 'string', pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' },
          descriptor: { type: 'string' },
          subjectDescriptor: { type: 'string' },
          providerDisplayName: { type: 'string' },
          isActive: { type: 'boolean' },
          isContainer: { type: 'boolean' },
          properties: {
            type: 'object',
            properties: {
              Account: { type: 'object', required: ['$type', '$value'] },
              Mail: { type: 'object', required: ['$type', '$value'] },
            },
          },
        },
      }),
    ),
  },
];

beforeAll(async () => {
  sim = await startAzureDevOpsSim();
  ado = azureDevOpsClient(sim, DEMO_CREDENTIALS.integration.pat);
  await ado('POST', '/acme/Operations/_apis/wit/workitems/$Task', patch({ 'System.Title': 'To delete' }));
  await ado('POST', '/acme/Operations/_apis/wit/workitems/$Task', patch({ 'System.Title': 'To destroy' }));
  await ado('POST', '/acme/Operations/_apis/wit/workItems/1/comments?api-version=7.1-preview.4', { text: 'first' });
  attachmentId = (
    await ado<{ id: string }>(
      'POST',
      '/acme/Operations/_apis/wit/attachments?fileName=a.txt',
      new TextEncoder().encode('abc'),
    )
  ).json.id;
  chunkedId = (
    await ado<{ id: string }>(
      'POST',
      '/acme/Operations/_apis/wit/attachments?fileName=big.zip&uploadType=Chunked',
      new Uint8Array(0),
    )
  ).json.id;
  subscriptionId = (
    await ado<{ id: string }>('POST', '/acme/_apis/hooks/subscriptions', {
      publisherId: 'tfs',
      eventType: 'workitem.updated',
      consumerId: 'webHooks',
      consumerActionId: 'httpRequest',
      consumerInputs: { url: 'http://127.0.0.1:9/unreachable' },
    })
  ).json.id;
  await fetch(`${sim.controlUrl}/hooks`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ paused: true }),
  });
});
afterAll(() => sim.stop());

const PREVIEW = 'api-version=7.1-preview.4';
/** A refusal: its status, the service's exception type, and its message (the documented part, where one is). */
interface Refusal {
  status: number;
  typeKey: string;
  message: RegExp;
}
const notFound = (typeKey: string, message: RegExp): Refusal => ({ status: 404, typeKey, message });
/** Each case names what it must answer: the status of a success, or the refusal. */
type Case = [
  expected: number | Refusal,
  method: string,
  path: string,
  body?: unknown,
  headers?: Record<string, string>,
];
const cases = (): Case[] => [
  [200, 'OPTIONS', '/acme/_apis/wit'],
  [200, 'OPTIONS', '/acme/_apis/Location'],
  [200, 'OPTIONS', '/acme/_apis'],
  [200, 'OPTIONS', '/DefaultCollection/_apis/wit'],
  [200, 'GET', '/acme/_apis/ResourceAreas?api-version=7.2-preview.1'],
  [200, 'GET', '/DefaultCollection/_apis/ResourceAreas?api-version=7.1-preview.1'],
  [200, 'GET', '/acme/_apis/identities?searchFilter=General&filterValue=dana@acme.example&api-version=7.1'],
  [200, 'GET', '/acme/_apis/identities?identityIds=00000000-0000-4000-8000-000000000000&api-version=7.1'],
  [200, 'GET', '/acme/Operations/_apis/wit/workitems?ids=1,2&$expand=all'],
  [200, 'GET', '/acme/Operations/_apis/wit/classificationnodes?$depth=1'],
  [200, 'GET', '/acme/Operations/_apis/wit/classificationnodes/Areas?$depth=2'],
  [200, 'GET', '/acme/Operations/_apis/wit/classificationnodes/Iterations/Sprint%201'],
  [200, 'GET', '/acme/_apis/wit/workitems?ids=1&fields=System.Title'],
  [200, 'POST', '/acme/Operations/_apis/wit/workitemsbatch', { ids: [1, 2], $expand: 'relations' }],
  [200, 'POST', '/acme/_apis/wit/workitemsbatch', { ids: [1, 99], errorPolicy: 'omit' }],
  [200, 'GET', '/acme/Operations/_apis/wit/workitems/1?$expand=all'],
  [200, 'GET', '/acme/_apis/wit/workitems/1'],
  [200, 'GET', '/acme/Operations/_apis/wit/workitems/$Bug'],
  [
    notFound(
      'WorkItemUnauthorizedAccessException',
      /^TF401232: Work item 999 does not exist, or you do not have permissions to read it\.$/,
    ),
    'GET',
    '/acme/Operations/_apis/wit/workitems/999',
  ],
  [
    200,
    'POST',
    '/acme/Operations/_apis/wit/workitems/$Bug',
    patch({ 'System.Title': 'Contract', 'System.Tags': 'a; b' }),
  ],
  [
    // A create names its project: without one there is no such controller.
    notFound('HttpException', /^The controller for path '\/acme\/_apis\/wit\/workitems\/\$Bug' was not found/),
    'POST',
    '/acme/_apis/wit/workitems/$Bug',
    patch({ 'System.Title': 'No project' }),
  ],
  [
    200,
    'PATCH',
    '/acme/Operations/_apis/wit/workitems/1',
    [
      { op: 'test', path: '/rev', value: 2 },
      { op: 'add', path: '/fields/System.State', value: 'Resolved' },
      { op: 'add', path: '/relations/-', value: { rel: 'Hyperlink', url: 'https://example.com/x' } },
    ],
  ],
  [
    // A Parent link: the child's Hierarchy-Reverse relation (the parent gets the Child end).
    200,
    'PATCH',
    '/acme/Operations/_apis/wit/workitems/1',
    [
      {
        op: 'add',
        path: '/relations/-',
        value: { rel: 'System.LinkTypes.Hierarchy-Reverse', url: 'https://dev.azure.com/acme/_apis/wit/workItems/2' },
      },
    ],
  ],
  [
    {
      status: 400,
      typeKey: 'WorkItemLinkInvalidException',
      message:
        /^TF201036: You cannot add a Child link between work items 3 and 1 because a work item can have only one Parent link\.$/,
    },
    'PATCH',
    '/acme/_apis/wit/workitems/1',
    [
      {
        op: 'add',
        path: '/relations/-',
        value: { rel: 'System.LinkTypes.Hierarchy-Reverse', url: 'https://dev.azure.com/acme/_apis/wit/workItems/3' },
      },
    ],
  ],
  [
    {
      status: 412,
      typeKey: 'WorkItemRevisionMismatchException',
      message: /^TF26071: This work item has been changed by someone else/,
    },
    'PATCH',
    '/acme/_apis/wit/workitems/1',
    [{ op: 'test', path: '/rev', value: 1 }],
  ],
  [
    {
      status: 400,
      typeKey: 'RuleValidationException',
      message:
        /^TF401320: Rule Error for field State\. Error code: Required, HasValues, LimitedToValues, InvalidListValue\.$/,
    },
    'PATCH',
    '/acme/_apis/wit/workitems/2',
    patch({ 'System.State': 'Nope' }),
  ],
  [200, 'DELETE', '/acme/Operations/_apis/wit/workitems/3'],
  [204, 'DELETE', '/acme/_apis/wit/workitems/4?destroy=true'],
  [200, 'GET', '/acme/Operations/_apis/wit/workItems/1/updates'],
  [200, 'GET', '/acme/_apis/wit/workItems/1/updates?$top=1'],
  [200, 'GET', '/acme/Operations/_apis/wit/workItems/1/updates/2'],
  [200, 'GET', '/acme/_apis/wit/workItems/1/updates/1'],
  [200, 'GET', '/acme/Operations/_apis/wit/workItems/1/revisions?$expand=relations'],
  [200, 'GET', '/acme/_apis/wit/workItems/1/revisions'],
  [200, 'GET', '/acme/Operations/_apis/wit/workItems/1/revisions/2'],
  [200, 'GET', '/acme/_apis/wit/workItems/1/revisions/1'],
  [
    200,
    'POST',
    '/acme/Operations/_apis/wit/wiql?timePrecision=true',
    {
      query:
        "SELECT [System.Id], [System.Title] FROM WorkItems WHERE [System.TeamProject] = @project AND [System.ChangedDate] >= '2020-01-01T00:00:00Z' ORDER BY [System.ChangedDate] ASC",
    },
  ],
  [200, 'POST', '/acme/_apis/wit/wiql?$top=1', { query: 'SELECT [System.Id] FROM WorkItems' }],
  [
    {
      status: 400,
      typeKey: 'WorkItemTrackingQueryException',
      message: /^TF51005: The query references a field that does not exist\. The error is caused by «System\.Bogus»\.$/,
    },
    'POST',
    '/acme/Operations/Operations%20Team/_apis/wit/wiql',
    { query: 'SELECT [System.Id] FROM WorkItems WHERE [System.Bogus] = 1' },
  ],
  [200, 'POST', `/acme/Operations/_apis/wit/workItems/1/comments?${PREVIEW}`, { text: '<p>contract</p>' }],
  [200, 'GET', `/acme/Operations/_apis/wit/workItems/1/comments?${PREVIEW}&$top=1`],
  [200, 'GET', `/acme/Operations/_apis/wit/workItems/1/comments?${PREVIEW}&ids=1`],
  [200, 'GET', `/acme/Operations/_apis/wit/workItems/1/comments/1?${PREVIEW}`],
  [200, 'PATCH', `/acme/Operations/_apis/wit/workItems/1/comments/1?${PREVIEW}`, { text: 'edited' }],
  [200, 'GET', `/acme/Operations/_apis/wit/workItems/1/comments/1/versions?${PREVIEW}`],
  [200, 'GET', `/acme/Operations/_apis/wit/workItems/1/comments/1/versions/1?${PREVIEW}`],
  [204, 'DELETE', `/acme/Operations/_apis/wit/workItems/1/comments/2?${PREVIEW}`],
  [
    {
      status: 400,
      typeKey: 'VssInvalidPreviewVersionException',
      message: /^The requested version "7\.1" of the resource is under preview\./,
    },
    'GET',
    '/acme/Operations/_apis/wit/workItems/1/comments?api-version=7.1',
  ],
  [201, 'POST', '/acme/Operations/_apis/wit/attachments?fileName=b.txt', new TextEncoder().encode('contract')],
  [201, 'POST', '/acme/_apis/wit/attachments?fileName=c.txt', new TextEncoder().encode('org level')],
  [
    201,
    'PUT',
    `/acme/Operations/_apis/wit/attachments/${chunkedId}?uploadType=Chunked`,
    new TextEncoder().encode('01234'),
    { 'content-range': 'bytes 0-4/10' },
  ],
  [
    201,
    'PUT',
    `/acme/_apis/wit/attachments/${chunkedId}?uploadType=Chunked`,
    new TextEncoder().encode('56789'),
    { 'content-range': 'bytes 5-9/10' },
  ],
  [200, 'GET', `/acme/Operations/_apis/wit/attachments/${attachmentId}`],
  [200, 'GET', `/acme/_apis/wit/attachments/${chunkedId}?download=true`],
  [200, 'GET', '/acme/Operations/_apis/wit/workitemtypes'],
  [200, 'GET', '/acme/Operations/_apis/wit/workitemtypes/Bug'],
  [200, 'GET', '/acme/Operations/_apis/wit/workitemtypes/Bug/states'],
  [200, 'GET', '/acme/Operations/_apis/wit/workitemtypes/Bug/fields?$expand=allowedValues'],
  [200, 'GET', '/acme/Operations/_apis/wit/workitemtypes/User%20Story/fields?$expand=All'],
  [200, 'GET', '/acme/Operations/_apis/wit/workitemtypes/Bug/fields'],
  [200, 'GET', '/acme/Operations/_apis/wit/fields'],
  [200, 'GET', '/acme/_apis/wit/fields'],
  [200, 'GET', '/acme/_apis/hooks/subscriptions'],
  [
    200,
    'POST',
    '/acme/_apis/hooks/subscriptions',
    {
      publisherId: 'tfs',
      eventType: 'workitem.created',
      consumerId: 'webHooks',
      consumerActionId: 'httpRequest',
      publisherInputs: { projectId: 'Operations', workItemType: 'Bug' },
      consumerInputs: { url: 'https://example.com/hook', basicAuthUsername: 'u', basicAuthPassword: 'p' },
    },
  ],
  [200, 'GET', `/acme/_apis/hooks/subscriptions/${subscriptionId}`],
  [
    200,
    'PUT',
    `/acme/_apis/hooks/subscriptions/${subscriptionId}`,
    {
      publisherId: 'tfs',
      eventType: 'workitem.commented',
      consumerId: 'webHooks',
      consumerActionId: 'httpRequest',
      consumerInputs: { url: 'https://example.com/hook2' },
    },
  ],
  [204, 'DELETE', `/acme/_apis/hooks/subscriptions/${subscriptionId}`],
  // Refusals, one per family of routes (vendor-apis.md §2.10: 400 rule or validation, 401 bad PAT, 404, 412).
  [
    { status: 401, typeKey: 'UnauthorizedRequestException', message: /^TF400813: / },
    'GET',
    '/acme/_apis/wit/workitems/1',
    undefined,
    { authorization: patAuthorization('not-a-pat') },
  ],
  [
    notFound('HostDoesNotExistException', /^The organization or collection 'nowhere' could not be found\.$/),
    'GET',
    '/nowhere/_apis/wit/fields',
  ],
  [
    {
      status: 400,
      typeKey: 'VssServiceException',
      message: /^VS403474: You requested 201 work items which exceeds the limit of 200$/,
    },
    'POST',
    '/acme/_apis/wit/workitemsbatch',
    { ids: Array.from({ length: 201 }, (_, i) => i + 1) },
  ],
  [
    notFound('WorkItemCommentNotFoundException', /Comment 999 of work item 1 does not exist/),
    'GET',
    `/acme/Operations/_apis/wit/workItems/1/comments/999?${PREVIEW}`,
  ],
  [
    notFound('WorkItemTypeNotFoundException', /Work item type Nope does not exist in project Operations/),
    'GET',
    '/acme/Operations/_apis/wit/workitemtypes/Nope',
  ],
  [
    notFound('AttachmentNotFoundException', /Attachment 00000000-0000-0000-0000-000000000000 was not found/),
    'GET',
    '/acme/_apis/wit/attachments/00000000-0000-0000-0000-000000000000',
  ],
  [
    notFound('SubscriptionNotFoundException', /The subscription 00000000-0000-0000-0000-000000000000 does not exist/),
    'GET',
    '/acme/_apis/hooks/subscriptions/00000000-0000-0000-0000-000000000000',
  ],
];

/**
 * Where the published spec and the service disagree, the simulator follows the
 * service (and Microsoft's own httpExamples), for the reason given. The body,
 * if any, is still checked against the documented 200 schema.
 */
const DEVIATIONS: Record<string, { status: number; reason: string }> = {
  'POST /{organization}/{project}/_apis/wit/attachments': {
    status: 201,
    reason: 'the service answers 201 Created (httpExamples/attachments/*.json); the spec says 200',
  },
  'PUT /{organization}/{project}/_apis/wit/attachments/{id}': {
    status: 201,
    reason: 'chunk uploads answer 201 (httpExamples/attachments/PUT_wit_attachments_filename_chunked_content1.json)',
  },
  'DELETE /{organization}/{project}/_apis/wit/workitems/{id} destroy': {
    status: 204,
    reason: 'destroy=true answers 204 No Content (httpExamples/workItems/DELETE__wit_workitems_id_.json)',
  },
  'DELETE /{organization}/{project}/_apis/wit/workItems/{workItemId}/comments/{commentId}': {
    status: 204,
    reason: 'the 7.1 service answers 204 No Content; the spec says 200 without a body',
  },
  'DELETE /{organization}/_apis/hooks/subscriptions/{subscriptionId}': {
    status: 204,
    reason: 'the service answers 204 No Content; the spec says 200 without a body',
  },
};

/** What the specs cannot express, adjusted before validation. */
const SPEC_GAPS: Record<string, (body: unknown) => unknown> = {
  // errorPolicy=omit answers null for a missing id; the spec's WorkItem items are not nullable.
  'POST /{organization}/{project}/_apis/wit/workitemsbatch': (body) => {
    const b = body as { count: number; value: unknown[] };
    const value = b.value.filter((v) => v !== null);
    return { count: value.length, value };
  },
};

describe('responses agree with the Azure DevOps 7.1 Swagger specs', () => {
  // Cases are built after beforeAll has created the ids they use.
  it('answers every case with the status it names, in the documented shape', async () => {
    const failures: unknown[] = [];
    for (const [expected, method, path, body, headers] of cases()) {
      const res = await ado(method, path, body, headers);
      const status = typeof expected === 'number' ? expected : expected.status;
      if (res.status !== status) {
        failures.push({ method, path, status: res.status, expected: status, body: res.json });
        continue;
      }
      answered.add(`${method} ${path.split('?')[0]}`);
      if (typeof expected !== 'number') {
        const error = res.json as { typeKey?: string; message?: string };
        if (!errorShape(res.json) || error.typeKey !== expected.typeKey || !expected.message.test(error.message ?? ''))
          failures.push({ method, path, status, expected: expected.typeKey, body: res.json });
        continue;
      }
      const url = new URL(`http://x${path}`);
      const location = LOCATION_CONTRACTS.find((l) => l.method === method && l.path.test(url.pathname));
      if (location) {
        served.add(`${method} ${url.pathname}`);
        if (!location.validate(res.json)) failures.push({ method, path, errors: location.validate.errors });
        continue;
      }
      const spec = url.pathname.includes('/_apis/hooks/') ? hooks : wit;
      const key = spec.match(method, decodeURIComponent(url.pathname), url.searchParams);
      if (!key) {
        failures.push({ method, path, problem: 'no operation in the spec' });
        continue;
      }
      served.add(`${method} ${key}`);
      // A status other than the documented 200 is one the service is known to answer, with the reason.
      const deviation = DEVIATIONS[`${method} ${key}${url.searchParams.has('destroy') ? ' destroy' : ''}`];
      if ((deviation?.status ?? 200) !== status)
        failures.push({ method, path, status, problem: 'neither the documented status nor a known deviation' });
      // No content, or attachment bytes (the spec's schema is a `string` of format Stream): the status is all there is to check.
      if (res.status === 204 || !(res.headers.get('content-type') ?? '').includes('json')) continue;
      const gap = SPEC_GAPS[`${method} ${key}`];
      const result = spec.validate(method, key, deviation ? 200 : res.status, gap ? gap(res.json) : res.json);
      if (!result.valid) failures.push({ method, path, status: res.status, errors: result.errors });
    }
    expect(failures).toEqual([]);
  });

  it('has a validator that does reject wrong shapes', () => {
    const key = wit.match('GET', '/acme/Operations/_apis/wit/workitems/1')!;
    expect(wit.validate('GET', key, 200, { id: 1, rev: 1, fields: { 'System.Title': 'x' }, url: 'u' }).valid).toBe(
      true,
    );
    expect(wit.validate('GET', key, 200, { id: '1', rev: 1, fields: {}, url: 'u' }).valid).toBe(false);
    expect(wit.validate('GET', key, 200, { id: 1, relations: [{ rel: 5 }] }).valid).toBe(false);
    const updates = wit.match('GET', '/acme/_apis/wit/workItems/1/updates')!;
    expect(
      wit.validate('GET', updates, 200, { count: 2, value: [{ id: 1, revisedDate: 'yesterday' }] }).errors.length,
    ).toBeGreaterThan(0);
    expect(wit.validate('GET', key, 201, {}).valid).toBe(false);
  });

  it('exercises every REST route the simulator serves', () => {
    // The work item web page (web-view.ts) is HTML for a person, not a REST route the specs describe.
    const routes = sim.app.routes.filter(
      (r) =>
        !r.path.startsWith('/_control') &&
        r.method !== 'ALL' &&
        r.path !== '/*' &&
        !r.path.includes('/_workitems/edit/'),
    );
    // Only a route that answered as its case named counts: one broken into a 404 is not exercised.
    const exercised = [...answered];
    const routeRegex = (route: string) =>
      new RegExp(
        '^' +
          route
            .replace(/[.$]/g, '\\$&')
            // A parameter with its own pattern (`:path{.+}`, a path of several segments) matches across slashes.
            .replace(/:[a-zA-Z]+\{[^}]*\}/g, '.+')
            .replace(/:[a-zA-Z]+/g, '[^/]+') +
          '$',
        'i',
      );
    const missing = routes
      .filter(
        (r) =>
          !exercised.some((e) => e.startsWith(`${r.method} `) && routeRegex(r.path).test(e.slice(r.method.length + 1))),
      )
      .map((r) => `${r.method} ${r.path}`);
    expect(missing).toEqual([]);
    expect(served.size).toBeGreaterThan(25);
  });
});
