/**
 * The remote's SLA, one way into a Jira date-time field, configured as a project lead does (the settings resolver):
 * ServiceNow's task_sla planned end and Zendesk's next SLA breach arrive in Jira's "Customer deadline", follow the
 * remote when the SLA changes or is met, and a field that cannot hold a time is refused at save, at the field.
 */
import { startSandbox, type Sandbox } from '../../sandbox/sandbox';
import { DEMO_CONNECTION_ID, demoServiceNowConnection } from '../../sandbox/demo/servicenow-connection';
import { demoZendeskConnection, SUP_CONNECTION_ID, SUP_PROJECT } from '../../sandbox/demo/zendesk-connection';
import { DEMO_CREDENTIALS as SN } from '../../sandbox/sims/servicenow';
import { serviceNowClient } from '../../sandbox/sims/servicenow/test-client';
import { parseJiraDateTime } from '../../src/mapping/field-convert';

let sandbox: Sandbox;
let jira: ReturnType<Sandbox['jiraClient']>;
const DEMO_PROJECT = { id: '10000', key: 'DEMO' } as const;
const DEADLINE = 'customfield_10018';

const asLead = (project: { id: string; key: string }, functionKey: string, payload?: unknown) =>
  sandbox.platform.invokeResolver({
    installationId: sandbox.installationId,
    moduleKey: 'crosswalk-settings',
    functionKey,
    payload,
    accountId: jira.userId('admin'),
    context: { extension: { type: 'jira:projectSettingsPage', project } },
  }) as Promise<{ body: { ok: boolean; error?: { problems?: unknown } } }>;
const settle = async () => {
  await sandbox.platform.settle();
  await sandbox.settle();
};
const deadlineOf = async (key: string) =>
  (await jira.request({ as: 'admin' }, 'GET', `/rest/api/3/issue/${key}?fields=${DEADLINE}`)).json.fields[DEADLINE] as
    string | null;
async function newIssue(projectKey: string, summary: string, priority: string) {
  sandbox.platform.manualClock.advance(1000);
  const created = await jira.request({ as: 'admin' }, 'POST', '/rest/api/3/issue', {
    fields: { project: { key: projectKey }, issuetype: { name: 'Task' }, summary, priority: { name: priority } },
  });
  expect(created.status).toBe(201);
  await settle();
  return created.json as { id: string; key: string };
}

beforeAll(async () => {
  sandbox = await startSandbox({ clock: 'manual', pair: ['servicenow', 'zendesk'] });
  jira = sandbox.jiraClient();
  await settle();
}, 120_000);
afterAll(async () => {
  await sandbox?.stop();
});

describe('the SLA, one way into a Jira date-time field', () => {
  it('is refused at save, at the field, when the Jira field cannot hold a time', async () => {
    const saved = await asLead(DEMO_PROJECT, 'saveConnection', {
      connectionId: DEMO_CONNECTION_ID,
      settings: { ...demoServiceNowConnection, slaField: { jira: 'customfield_10012' } },
    });
    expect(saved.body).toMatchObject({
      ok: false,
      error: {
        problems: [
          {
            path: 'slaField.jira',
            message: "Jira's field “Affected users” cannot hold an SLA's breach time: choose a date or date-time field",
          },
        ],
      },
    });
  });

  it("ServiceNow: the incident's running SLA sets its planned end in Jira, and its end empties it", async () => {
    expect(
      (
        await asLead(DEMO_PROJECT, 'saveConnection', {
          connectionId: DEMO_CONNECTION_ID,
          settings: { ...demoServiceNowConnection, slaField: { jira: DEADLINE } },
        })
      ).body.ok,
    ).toBe(true);
    const issue = await newIssue('DEMO', 'Mail relay rejects attachments', 'Medium');
    const agent = serviceNowClient(sandbox.sims.servicenow, SN.agent);
    const incident = (
      await agent(
        'GET',
        `/api/now/table/incident?sysparm_query=correlation_idENDSWITH${encodeURIComponent(`:${DEMO_CONNECTION_ID}:${issue.id}`)}`,
      )
    ).json.result[0] as { sys_id: string };
    const sla = sandbox.servicenow.store
      .rows('task_sla')
      .find((r) => r.task === incident.sys_id && r.active === 'true');
    expect(sla).toBeDefined();
    const plannedEnd = Date.parse(`${sla!.planned_end_time!.replace(' ', 'T')}Z`);
    expect(parseJiraDateTime((await deadlineOf(issue.key))!)).toBe(plannedEnd);

    // Met: the incident resolved, the SLA stops, and its breach time leaves the field.
    sandbox.platform.manualClock.advance(1000);
    await agent('PATCH', `/api/now/table/incident/${incident.sys_id}`, {
      state: '6',
      close_code: 'Solution provided',
      close_notes: 'Relay limit raised',
    });
    await settle();
    expect(await deadlineOf(issue.key)).toBeNull();
  });

  it("Zendesk: the ticket's next SLA breach is set in Jira and follows a change of priority", async () => {
    expect(
      (
        await asLead(SUP_PROJECT, 'saveConnection', {
          connectionId: SUP_CONNECTION_ID,
          settings: { ...demoZendeskConnection, slaField: { jira: DEADLINE } },
        })
      ).body.ok,
    ).toBe(true);
    const issue = await newIssue('SUP', 'Card declined twice', 'Medium');
    const first = await deadlineOf(issue.key);
    expect(first).not.toBeNull();
    // A higher priority has a shorter target: the breach moves earlier.
    sandbox.platform.manualClock.advance(1000);
    await jira.request({ as: 'admin' }, 'PUT', `/rest/api/3/issue/${issue.key}`, {
      fields: { priority: { name: 'Highest' } },
    });
    await settle();
    const second = await deadlineOf(issue.key);
    expect(parseJiraDateTime(second!)).toBeLessThan(parseJiraDateTime(first!)!);
  });
});
