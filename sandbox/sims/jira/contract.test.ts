/**
 * Every route the simulator serves answers in the shape Jira's published
 * OpenAPI document gives for that operation (../shared/specs/jira).
 */
import { loadOpenApi, JIRA_SPEC } from '../../../test/support/openapi';
import { startJiraSim, type JiraSim } from './index';
import { adf, jiraClient } from './test-client';

const TOKEN = 't';
let sim: JiraSim;
let jira: ReturnType<typeof jiraClient>;
const spec = loadOpenApi(JIRA_SPEC);
const served = new Set<string>();

beforeAll(async () => {
  sim = await startJiraSim({ platformToken: TOKEN, appAccountId: 'app-1' });
  jira = jiraClient(sim, TOKEN);
  await jira.request({ as: 'member' }, 'POST', '/rest/api/3/issue/DEMO-1/comment', { body: adf('hello') });
  await jira.request({ as: 'member' }, 'PUT', '/rest/api/3/issue/DEMO-1', { fields: { summary: 'Changed' } });
  await jira.request({ as: 'app' }, 'PUT', '/rest/api/3/issue/DEMO-1/properties/crosswalk', { a: 1 });
  await jira.request({ as: 'app' }, 'POST', '/rest/api/3/issue/DEMO-1/remotelink', { globalId: 'g1', object: { url: 'https://x.service-now.com/1', title: 'INC1' } });
  const form = new FormData();
  form.append('file', new Blob(['log']), 'a.log');
  await jira.request({ as: 'member' }, 'POST', '/rest/api/3/issue/DEMO-1/attachments', form, { 'x-atlassian-token': 'no-check' });
});
afterAll(() => sim.stop());

const cases: Array<[string, string, unknown?, Record<string, string>?]> = [
  ['GET', '/rest/api/3/myself'],
  ['GET', '/rest/api/3/user?accountId=5b109f2e9729b51b54dc274d'],
  ['GET', '/rest/api/3/user/search?query=lee'],
  ['GET', '/rest/api/3/mypermissions?projectKey=DEMO&permissions=ADMINISTER_PROJECTS,BROWSE_PROJECTS'],
  ['GET', '/rest/api/3/project/search'],
  ['GET', '/rest/api/3/project/DEMO'],
  ['GET', '/rest/api/3/project/DEMO/statuses'],
  ['GET', '/rest/api/3/issuetype'],
  ['GET', '/rest/api/3/priority'],
  ['GET', '/rest/api/3/status'],
  ['GET', '/rest/api/3/field'],
  ['GET', '/rest/api/3/issue/DEMO-1?expand=renderedFields,names,changelog,transitions'],
  ['POST', '/rest/api/3/issue', { fields: { project: { key: 'DEMO' }, issuetype: { name: 'Bug' }, summary: 'Contract' } }],
  ['GET', '/rest/api/3/issue/DEMO-1/editmeta'],
  ['GET', '/rest/api/3/issue/DEMO-1/transitions'],
  ['GET', '/rest/api/3/issue/DEMO-1/changelog'],
  ['GET', '/rest/api/3/issue/DEMO-1/comment?expand=renderedBody'],
  ['POST', '/rest/api/3/issue/DEMO-1/comment', { body: adf('contract') }],
  ['GET', '/rest/api/3/attachment/meta'],
  ['GET', '/rest/api/3/attachment/10001'],
  ['GET', '/rest/api/3/search/jql?jql=project%3DDEMO&fields=summary,status,assignee'],
  ['POST', '/rest/api/3/search/jql', { jql: 'project = DEMO', fields: ['*navigable'], maxResults: 2 }],
  ['POST', '/rest/api/3/jql/parse', { queries: ['project = DEMO AND labels IN (a, b) ORDER BY created DESC', 'nope = 1'] }],
  ['GET', '/rest/api/3/issue/DEMO-1/properties'],
  ['GET', '/rest/api/3/issue/DEMO-1/properties/crosswalk'],
  // Without globalId Jira answers an array, which the spec does not describe; with it, the documented object.
  ['GET', '/rest/api/3/issue/DEMO-1/remotelink?globalId=g1'],
  ['POST', '/rest/api/3/issue/DEMO-1/remotelink', { globalId: 'g2', object: { url: 'https://x.service-now.com/2', title: 'INC2' } }],
  ['GET', '/rest/api/3/issue/DEMO-999'],
  ['PUT', '/rest/api/3/issue/DEMO-1', { fields: { status: { name: 'Done' } } }],
];

describe('responses agree with the Jira Cloud OpenAPI spec', () => {
  // Rows differ in length; spread keeps the callback's arity at 0 so jest does not wait for `done`.
  it.each(cases)('%s %s', async (...row) => {
    const [method, path, body, headers] = row;
    const res = await jira.request({ as: 'admin' }, method, path, body, headers);
    const template = spec.match(method, path.split('?')[0]!);
    expect(template).toBeDefined();
    served.add(`${method} ${template}`);
    const result = spec.validate(method, template!, res.status, res.json);
    expect({ status: res.status, errors: result.errors }).toEqual({ status: res.status, errors: [] });
  });

  it('covers the routes the app uses', () => {
    for (const route of ['GET /rest/api/3/mypermissions', 'POST /rest/api/3/search/jql', 'GET /rest/api/3/issue/{issueIdOrKey}', 'POST /rest/api/3/issue/{issueIdOrKey}/remotelink']) expect(served).toContain(route);
  });
});
