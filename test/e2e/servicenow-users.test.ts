/** People across Jira and ServiceNow: by email where Jira shows it, else by the connection's user table. */
import { startSandbox, type Sandbox } from '../../sandbox/sandbox';
import { jiraClient } from '../../sandbox/sims/jira/test-client';
import { serviceNowClient } from '../../sandbox/sims/servicenow/test-client';
import { demoServiceNowConnection, DEMO_WEBHOOK_SECRET } from '../../sandbox/demo/servicenow-connection';

let sandbox: Sandbox;
let jira: ReturnType<typeof jiraClient>;

beforeAll(async () => {
  sandbox = await startSandbox({ clock: 'manual' });
  jira = sandbox.jiraClient();
  const snUser = (name: string) => sandbox.servicenow.store.userByName(name)!.sys_id;
  const config = {
    ...demoServiceNowConnection,
    fields: [...demoServiceNowConnection.fields, { jira: 'assignee', remote: 'assigned_to', transform: 'user' }],
    users: {
      matchByEmail: true,
      table: [{ jiraAccountId: jira.userId('project-lead'), remoteUserId: snUser('beth.agent') }],
    },
  };
  const saved = await sandbox.platform.invokeResolver({
    installationId: sandbox.installationId,
    moduleKey: 'crosswalk-settings',
    functionKey: 'saveConnection',
    accountId: jira.userId('project-lead'),
    payload: {
      connectionId: 'demo-servicenow',
      settings: config,
      credential: {
        password: sandbox.sims.servicenow.credentials.integration.password,
        webhookSecret: DEMO_WEBHOOK_SECRET,
      },
    },
    context: { extension: { project: { id: '10000' } } },
  });
  expect(saved).toMatchObject({ body: { ok: true } });
}, 60_000);
afterAll(() => sandbox.stop());

const settle = () => sandbox.settle();
const incidentOf = (issueId: string) =>
  sandbox.servicenow.store
    .rows('incident')
    .find(
      (r) =>
        /^crosswalk:[0-9a-f]{8}:/.test(r.correlation_id ?? '') &&
        r.correlation_id!.endsWith(`:demo-servicenow:${issueId}`),
    )!;
const snUser = (name: string) => sandbox.servicenow.store.userByName(name)!.sys_id;

describe('user mapping', () => {
  it('maps assignees by email, by the user table, and reports a person it cannot match', async () => {
    const issue = (
      await jira.request({ as: 'member' }, 'POST', '/rest/api/3/issue', {
        fields: {
          project: { key: 'DEMO' },
          issuetype: { name: 'Task' },
          summary: 'Who owns this',
          assignee: { accountId: jira.userId('member') },
        },
      })
    ).json;
    await settle();
    // Mia Member's Jira email matches Abel Tuter's ServiceNow account.
    expect(incidentOf(issue.id).assigned_to).toBe(snUser('abel.tuter'));

    await jira.request({ as: 'member' }, 'PUT', `/rest/api/3/issue/${issue.key}`, {
      fields: { assignee: { accountId: jira.userId('project-lead') } },
    });
    await settle();
    // Lee Lead has no ServiceNow email match; the connection's user table maps him to Beth.
    expect(incidentOf(issue.id).assigned_to).toBe(snUser('beth.agent'));

    const patch = (body: unknown) =>
      serviceNowClient(sandbox.sims.servicenow, sandbox.sims.servicenow.credentials.agent)(
        'PATCH',
        `/api/now/table/incident/${incidentOf(issue.id).sys_id}`,
        body,
      );
    await patch({ assigned_to: snUser('abel.tuter') });
    await settle();
    expect(
      (await jira.request({ as: 'member' }, 'GET', `/rest/api/3/issue/${issue.key}?fields=assignee`)).json.fields
        .assignee.accountId,
    ).toBe(jira.userId('member'));

    await patch({ assigned_to: snUser('crosswalk.integration') });
    await settle();
    const panel = await sandbox.platform.invokeResolver({
      installationId: sandbox.installationId,
      moduleKey: 'crosswalk-panel',
      functionKey: 'getIssueSync',
      accountId: jira.userId('member'),
      context: { extension: { issue: { id: issue.id }, project: { id: '10000' } } },
    });
    expect(panel).toMatchObject({
      body: {
        data: {
          problems: [
            { part: 'assignee', kind: 'validation', message: expect.stringContaining('has no matching Jira user') },
          ],
        },
      },
    });
    expect(
      (await jira.request({ as: 'member' }, 'GET', `/rest/api/3/issue/${issue.key}?fields=assignee`)).json.fields
        .assignee.accountId,
    ).toBe(jira.userId('member'));
  });
});
