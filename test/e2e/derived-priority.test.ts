/**
 * A field the remote computes, end to end: ServiceNow looks an incident's
 * priority up from its impact and urgency and ignores a write to it. The
 * connection pairs Jira's priority with ServiceNow's priority; its registry
 * entry knows the field as derived, so the save gives the pair ServiceNow's
 * default matrix, the sync writes impact and urgency, and the priority is read
 * as ServiceNow computes it. The value map is many-to-one (Low and Lowest →
 * 4 - Low) and says which one 4 maps back to (Low).
 */
import { startSandbox, type Sandbox } from '../../sandbox/sandbox';
import { jiraClient } from '../../sandbox/sims/jira/test-client';
import { serviceNowClient } from '../../sandbox/sims/servicenow/test-client';

let sandbox: Sandbox;
let jira: ReturnType<typeof jiraClient>;
const WEBHOOK_SECRET = 'demo-webhook-secret';
const CONNECTION_ID = 'demo-servicenow';

const config = {
  name: 'DEMO ↔ ACME incidents',
  enabled: true,
  remote: {
    type: 'servicenow',
    baseUrl: 'https://acme.service-now.com',
    table: 'incident',
    auth: { kind: 'basic', username: 'crosswalk.integration' },
  },
  fields: [
    { jira: 'summary', remote: 'short_description' },
    {
      jira: 'priority',
      remote: 'priority',
      transform: 'value-map',
      valueMap: [
        { jira: 'Highest', remote: '1' },
        { jira: 'High', remote: '2' },
        { jira: 'Medium', remote: '3' },
        { jira: 'Low', remote: '4', reverse: true },
        { jira: 'Lowest', remote: '4' },
      ],
    },
  ],
};

const asLead = (functionKey: string, payload?: unknown) =>
  sandbox.platform.invokeResolver({
    installationId: sandbox.installationId,
    moduleKey: 'crosswalk-settings',
    functionKey,
    payload,
    accountId: jira.userId('project-lead'),
    context: { extension: { type: 'jira:projectSettingsPage', project: { id: '10000', key: 'DEMO' } } },
  });

const sn = async (method: string, path: string, body?: unknown) =>
  (await serviceNowClient(sandbox.sims.servicenow, sandbox.sims.servicenow.credentials.agent)(method, path, body))
    .json as { result: any };
const incidentFor = async (issueId: string) =>
  (await sn('GET', `/api/now/table/incident?sysparm_query=correlation_idENDSWITH:${CONNECTION_ID}:${issueId}`))
    .result[0];
const panel = async (issueId: string) =>
  (
    (await sandbox.platform.invokeResolver({
      installationId: sandbox.installationId,
      moduleKey: 'crosswalk-panel',
      functionKey: 'getIssueSync',
      accountId: jira.userId('member'),
      context: { extension: { issue: { id: issueId }, project: { id: '10000' } } },
    })) as { body: { data: Record<string, any> } }
  ).body.data;
/** Jira calls that only read, though they are POSTs (search, JQL matching). */
const JIRA_READS = /\/rest\/api\/3\/(search\/jql|jql\/match|jql\/parse)$/;
const jiraWrites = () => sandbox.jira.controls.log.filter((r) => r.method !== 'GET' && !JIRA_READS.test(r.path)).length;
const priorityOf = async (key: string) =>
  (await jira.request({ as: 'member' }, 'GET', `/rest/api/3/issue/${key}?fields=priority`)).json.fields.priority.name;

beforeAll(async () => {
  sandbox = await startSandbox({ clock: 'manual', pairDemo: false });
  jira = sandbox.jiraClient();
}, 60_000);
afterAll(async () => {
  await sandbox?.stop();
});

describe('ServiceNow priority, computed from impact and urgency', () => {
  it("is saved as a derived pair with ServiceNow's default matrix", async () => {
    const saved = (await asLead('saveConnection', {
      settings: config,
      credential: { password: sandbox.sims.servicenow.credentials.integration.password, webhookSecret: WEBHOOK_SECRET },
    })) as { body: { ok: boolean; data: { config: { id: string; fields: any[] } } } };
    expect(saved.body.ok).toBe(true);
    expect(saved.body.data.config.id).toBe(CONNECTION_ID);
    expect(saved.body.data.config.fields[1].derived).toEqual({
      inputs: ['impact', 'urgency'],
      write: [
        { value: '1', set: { impact: '1', urgency: '1' } },
        { value: '2', set: { impact: '1', urgency: '2' } },
        { value: '3', set: { impact: '2', urgency: '2' } },
        { value: '4', set: { impact: '2', urgency: '3' } },
        { value: '5', set: { impact: '3', urgency: '3' } },
      ],
    });
    const webhook = `${sandbox.platform.webTriggerUrl(sandbox.installationId, 'remote-webhook')}/servicenow/${CONNECTION_ID}`;
    await fetch(`${sandbox.sims.servicenow.controlUrl}/notifications`, {
      method: 'PUT',
      body: JSON.stringify({ url: webhook, secret: WEBHOOK_SECRET, tables: ['incident'] }),
    });
  });

  let issue: { id: string; key: string };
  it('ServiceNow priority set through impact and urgency with Highest → 1 - Critical', async () => {
    issue = (
      await jira.request({ as: 'member' }, 'POST', '/rest/api/3/issue', {
        fields: {
          project: { key: 'DEMO' },
          issuetype: { name: 'Incident' },
          summary: 'Payments are down',
          priority: { name: 'Highest' },
        },
      })
    ).json;
    await sandbox.platform.settle();
    await sandbox.settle();
    const incident = await incidentFor(issue.id);
    expect(incident).toMatchObject({ impact: '1', urgency: '1', priority: '1' });
    const shown = await sn('GET', `/api/now/table/incident/${incident.sys_id}?sysparm_display_value=true`);
    expect(shown.result.priority).toBe('1 - Critical');
    // The pair agrees: nothing on the panel, and Jira keeps its priority.
    const data = await panel(issue.id);
    expect(data.problems).toEqual([]);
    expect(data.lastError).toBeNull();
    expect(await priorityOf(issue.key)).toBe('Highest');
  });

  it('follows a Jira change of priority by writing impact and urgency again', async () => {
    await jira.request({ as: 'member' }, 'PUT', `/rest/api/3/issue/${issue.key}`, {
      fields: { priority: { name: 'Medium' } },
    });
    await sandbox.platform.settle();
    await sandbox.settle();
    expect(await incidentFor(issue.id)).toMatchObject({ impact: '2', urgency: '2', priority: '3' });
    expect((await panel(issue.id)).problems).toEqual([]);
    expect(await priorityOf(issue.key)).toBe('Medium');
  });

  it('moves the Jira priority when an agent changes urgency, by the reverse map where several Jira values share one', async () => {
    let incident = await incidentFor(issue.id);
    await sn('PATCH', `/api/now/table/incident/${incident.sys_id}`, { urgency: '1' });
    await sandbox.settle();
    expect(await incidentFor(issue.id)).toMatchObject({ impact: '2', urgency: '1', priority: '2' });
    expect(await priorityOf(issue.key)).toBe('High');

    // 4 - Low is mapped from both Low and Lowest; it maps back to Low, as the map says.
    incident = await incidentFor(issue.id);
    await sn('PATCH', `/api/now/table/incident/${incident.sys_id}`, { urgency: '3' });
    await sandbox.settle();
    expect(await incidentFor(issue.id)).toMatchObject({ impact: '2', urgency: '3', priority: '4' });
    expect(await priorityOf(issue.key)).toBe('Low');
    expect((await panel(issue.id)).problems).toEqual([]);
  });

  it('writes Lowest as 4 - Low, which reads back as Low with nothing written back and forth', async () => {
    await jira.request({ as: 'member' }, 'PUT', `/rest/api/3/issue/${issue.key}`, {
      fields: { priority: { name: 'Highest' } },
    });
    await sandbox.platform.settle();
    await sandbox.settle();
    expect(await incidentFor(issue.id)).toMatchObject({ impact: '1', urgency: '1', priority: '1' });
    const before = jiraWrites();
    await jira.request({ as: 'member' }, 'PUT', `/rest/api/3/issue/${issue.key}`, {
      fields: { priority: { name: 'Lowest' } },
    });
    await sandbox.platform.settle();
    await sandbox.settle();
    expect(await incidentFor(issue.id)).toMatchObject({ impact: '2', urgency: '3', priority: '4' });
    await sandbox.platform.advanceTime(6 * 60_000);
    await sandbox.platform.runScheduledTrigger(sandbox.installationId, 'reconcile-sweep');
    await sandbox.settle();
    // The only Jira write is the person's own edit: Lowest is not turned into Low.
    expect(jiraWrites() - before).toBe(1);
    expect(await priorityOf(issue.key)).toBe('Lowest');
    expect((await panel(issue.id)).problems).toEqual([]);
  });

  it('says a priority ServiceNow computed otherwise is not taken, never synced, when the matrix differs from the instance', async () => {
    // The admin's matrix writes impact 3 and urgency 3 for 2 - High; this instance computes 5 - Planning from them.
    const write = [
      { value: '1', set: { impact: '1', urgency: '1' } },
      { value: '2', set: { impact: '3', urgency: '3' } },
    ];
    const fields = config.fields.map((f) =>
      f.jira === 'priority' ? { ...f, derived: { inputs: ['impact', 'urgency'], write } } : f,
    );
    const saved = (await asLead('saveConnection', {
      connectionId: CONNECTION_ID,
      settings: { ...config, fields },
    })) as { body: { ok: boolean; data: { config: { fields: any[] } } } };
    expect(saved.body.ok).toBe(true);
    expect(saved.body.data.config.fields[1].derived.write[1]).toEqual(write[1]);
    await jira.request({ as: 'member' }, 'PUT', `/rest/api/3/issue/${issue.key}`, {
      fields: { priority: { name: 'High' } },
    });
    await sandbox.platform.settle();
    await sandbox.settle();
    expect(await incidentFor(issue.id)).toMatchObject({ impact: '3', urgency: '3', priority: '5' });
    expect(await priorityOf(issue.key)).toBe('High');
    expect((await panel(issue.id)).problems).toEqual([
      expect.objectContaining({
        part: 'priority',
        kind: 'not-taken',
        message: expect.stringContaining(
          "ServiceNow kept priority “5” when Crosswalk wrote “2” (as impact “3” and urgency “3”) for Jira's “High”",
        ),
      }),
    ]);
  });
});
