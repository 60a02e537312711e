/**
 * Crosswalk syncing DEMO with the ServiceNow simulator, end to end through the
 * local Forge platform: resolvers configure the connection, Jira product events
 * and signed ServiceNow notifications drive the sync worker.
 */
import { startSandbox, type Sandbox } from '../../sandbox/sandbox';
import { jiraClient } from '../../sandbox/sims/jira/test-client';
import { serviceNowClient } from '../../sandbox/sims/servicenow/test-client';

let sandbox: Sandbox;
let jira: ReturnType<typeof jiraClient>;
const WEBHOOK_SECRET = 'demo-webhook-secret';

const CONNECTION = { connectionId: 'demo-servicenow' };
const config = {
  name: 'DEMO ↔ ACME incidents',
  enabled: true,
  jql: 'labels is EMPTY OR labels != no-sync',
  conflictPolicy: 'newest-wins',
  // Software incidents may be linked to DEMO issues by hand.
  linkFilter: [{ field: 'category', op: '=', value: 'software' }],
  attachments: { maxBytes: 1_000_000 },
  remote: {
    type: 'servicenow',
    baseUrl: 'https://acme.service-now.com',
    table: 'incident',
    auth: { kind: 'basic', username: 'crosswalk.integration' },
  },
  requiredOnEnter: [
    {
      field: 'state',
      values: ['6', '7'],
      set: { close_code: 'Solution provided', close_notes: 'Resolved in Jira ({issueKey})' },
    },
  ],
  fields: [
    { jira: 'summary', remote: 'short_description' },
    { jira: 'description', remote: 'description', transform: 'rich-text' },
    {
      jira: 'status',
      remote: 'state',
      transform: 'value-map',
      valueMap: [
        { jira: 'To Do', remote: '1' },
        { jira: 'In Progress', remote: '2' },
        { jira: 'Done', remote: '6' },
        { jira: 'Done', remote: '7' },
      ],
    },
    {
      jira: 'priority',
      remote: 'urgency',
      transform: 'value-map',
      valueMap: [
        { jira: 'High', remote: '1' },
        { jira: 'Medium', remote: '2' },
        { jira: 'Low', remote: '3' },
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

/** ServiceNow as its agent uses it; answers the `result` envelope. */
const sn = async (method: string, path: string, body?: unknown) =>
  (await serviceNowClient(sandbox.sims.servicenow, sandbox.sims.servicenow.credentials.agent)(method, path, body))
    .json as { result: any };

/** The incident Crosswalk made for an issue: its correlation id names this site (a hash of the installation), the connection and the issue. */
const incidentFor = async (issueId: string) =>
  (await sn('GET', `/api/now/table/incident?sysparm_query=correlation_idENDSWITH:demo-servicenow:${issueId}`))
    .result[0];

beforeAll(async () => {
  sandbox = await startSandbox({ clock: 'manual', pairDemo: false });
  jira = sandbox.jiraClient();
}, 60_000);
afterAll(async () => {
  // Credentials never reach a log line, whatever ran.
  const lines = sandbox.platform.meter.invocations().flatMap((r) => r.logs);
  for (const secret of [sandbox.sims.servicenow.credentials.integration.password, WEBHOOK_SECRET])
    expect(lines.filter((l) => l.includes(secret))).toEqual([]);
  await sandbox.stop();
});

describe('Jira ↔ ServiceNow', () => {
  it('lets the project lead save and test the connection; the credential never comes back', async () => {
    const saved = await asLead('saveConnection', {
      settings: config,
      credential: { password: sandbox.sims.servicenow.credentials.integration.password, webhookSecret: WEBHOOK_SECRET },
    });
    expect(saved).toMatchObject({
      ok: true,
      body: {
        ok: true,
        data: {
          config: { id: 'demo-servicenow', jiraProjectId: '10000' },
          credentialFields: ['password', 'webhookSecret'],
        },
      },
    });
    expect(JSON.stringify(saved)).not.toContain(sandbox.sims.servicenow.credentials.integration.password);
    expect(await asLead('testConnection', CONNECTION)).toMatchObject({
      ok: true,
      body: { ok: true, data: { reachable: true, identity: 'crosswalk.integration' } },
    });
    const webhook = `${sandbox.platform.webTriggerUrl(sandbox.installationId, 'remote-webhook')}/servicenow/demo-servicenow`;
    await fetch(`${sandbox.sims.servicenow.controlUrl}/notifications`, {
      method: 'PUT',
      body: JSON.stringify({ url: webhook, secret: WEBHOOK_SECRET, tables: ['incident'] }),
    });
  });

  it('refuses a member who tries to read or change the connection', async () => {
    const member = await sandbox.platform.invokeResolver({
      installationId: sandbox.installationId,
      moduleKey: 'crosswalk-settings',
      functionKey: 'listConnections',
      accountId: jira.userId('member'),
      context: { extension: { project: { id: '10000' } } },
    });
    expect(member).toMatchObject({ ok: true, body: { ok: false, error: { code: 'FORBIDDEN' } } });
    const change = await sandbox.platform.invokeResolver({
      installationId: sandbox.installationId,
      moduleKey: 'crosswalk-settings',
      functionKey: 'saveConnection',
      payload: {
        ...CONNECTION,
        settings: { ...config, remote: { ...config.remote, baseUrl: 'https://evil.service-now.com' } },
      },
      accountId: jira.userId('member'),
      context: { extension: { project: { id: '10000' } } },
    });
    expect(change).toMatchObject({ ok: true, body: { ok: false, error: { code: 'FORBIDDEN' } } });
    const lead = await asLead('listConnections');
    expect(lead).toMatchObject({
      ok: true,
      body: {
        ok: true,
        data: {
          connections: [
            {
              credentialFields: ['password', 'webhookSecret'],
              config: { remote: { baseUrl: 'https://acme.service-now.com' } },
            },
          ],
        },
      },
    });
    // No resolver answer ever carries a credential.
    for (const secret of [sandbox.sims.servicenow.credentials.integration.password, WEBHOOK_SECRET])
      expect(JSON.stringify(lead)).not.toContain(secret);
  });

  let issue: { id: string; key: string };
  it('creates an incident with mapped fields, a correlation id and a remote link back when an issue is created', async () => {
    issue = (
      await jira.request({ as: 'member' }, 'POST', '/rest/api/3/issue', {
        fields: {
          project: { key: 'DEMO' },
          issuetype: { name: 'Incident' },
          summary: 'Checkout page times out',
          priority: { name: 'High' },
          description: {
            version: 1,
            type: 'doc',
            content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Customers see a 504 at checkout.' }] }],
          },
        },
      })
    ).json;
    await sandbox.platform.settle();
    await sandbox.settle();
    const incident = await incidentFor(issue.id);
    expect(incident).toMatchObject({
      short_description: 'Checkout page times out',
      description: 'Customers see a 504 at checkout.',
      urgency: '1',
      correlation_id: expect.stringMatching(new RegExp(`^crosswalk:[0-9a-f]{8}:demo-servicenow:${issue.id}$`)),
    });
    const links = (await jira.request({ as: 'member' }, 'GET', `/rest/api/3/issue/${issue.key}/remotelink`)).json;
    expect(links).toEqual([
      expect.objectContaining({
        object: expect.objectContaining({ title: incident.number, url: expect.stringContaining(incident.sys_id) }),
      }),
    ]);
    const panel = await sandbox.platform.invokeResolver({
      installationId: sandbox.installationId,
      moduleKey: 'crosswalk-panel',
      functionKey: 'getIssueSync',
      accountId: jira.userId('member'),
      context: { extension: { issue: { id: issue.id }, project: { id: '10000' } } },
    });
    expect(panel).toMatchObject({
      ok: true,
      body: { ok: true, data: { remoteKey: incident.number, remoteState: 'New', lastError: null } },
    });
    // The remote's own name for its state, not the Jira status it maps to.
  });

  it('follows a Jira edit in ServiceNow, with no echo back', async () => {
    const before = sandbox.jira.controls.log.filter((r) => r.method !== 'GET').length;
    await jira.request({ as: 'member' }, 'PUT', `/rest/api/3/issue/${issue.key}`, {
      fields: { summary: 'Checkout page times out for EU customers' },
    });
    await sandbox.platform.settle();
    await sandbox.settle();
    expect((await incidentFor(issue.id)).short_description).toBe('Checkout page times out for EU customers');
    // The only Jira write is the person's own edit: the sync wrote nothing back.
    expect(sandbox.jira.controls.log.filter((r) => r.method !== 'GET').length - before).toBe(1);
  });

  it('follows a ServiceNow edit in Jira, and resolving the incident walks the Jira workflow to Done', async () => {
    const incident = await incidentFor(issue.id);
    await sn('PATCH', `/api/now/table/incident/${incident.sys_id}`, {
      short_description: 'Checkout times out (EU)',
      urgency: '3',
    });
    await sandbox.settle();
    let fields = (
      await jira.request({ as: 'member' }, 'GET', `/rest/api/3/issue/${issue.key}?fields=summary,priority,status`)
    ).json.fields;
    expect(fields.summary).toBe('Checkout times out (EU)');
    expect(fields.priority.name).toBe('Low');
    await sn('PATCH', `/api/now/table/incident/${incident.sys_id}`, {
      state: '6',
      close_code: 'Solution provided',
      close_notes: 'Scaled the gateway',
    });
    await sandbox.settle();
    fields = (await jira.request({ as: 'member' }, 'GET', `/rest/api/3/issue/${issue.key}?fields=status`)).json.fields;
    expect(fields.status.name).toBe('Done');
  });

  it('tells the project admin when a notification from ServiceNow arrived and what it synced, and nothing before it did', async () => {
    // The functions' time is the platform's (a manual clock here), not this process's; the last test's syncs are behind it.
    await sandbox.platform.advanceTime(60_000);
    const since = sandbox.platform.clock.now();
    const arrival = async () =>
      (
        (await asLead('changePushArrival', { connectionId: 'demo-servicenow', since })) as {
          body: { data: { arrival: unknown } };
        }
      ).body.data.arrival;
    expect(await arrival()).toBeNull();
    const incident = await incidentFor(issue.id);
    await sn('PATCH', `/api/now/table/incident/${incident.sys_id}`, {
      short_description: 'Checkout times out (EU), checked',
    });
    await sandbox.settle();
    expect(await arrival()).toEqual({
      at: expect.any(Number),
      issueKey: issue.key,
      remoteKey: incident.number,
      cause: 'servicenow:update',
    });
    // A member may not ask.
    const asMember = await sandbox.platform.invokeResolver({
      installationId: sandbox.installationId,
      moduleKey: 'crosswalk-settings',
      functionKey: 'changePushArrival',
      payload: { connectionId: 'demo-servicenow' },
      accountId: jira.userId('member'),
      context: { extension: { type: 'jira:projectSettingsPage', project: { id: '10000', key: 'DEMO' } } },
    });
    expect(asMember).toMatchObject({ body: { ok: false, error: { code: 'FORBIDDEN' } } });
  });

  it('says on the issue panel when a Jira change is waiting to sync, and not once it has synced', async () => {
    const panel = async () =>
      (
        (await sandbox.platform.invokeResolver({
          installationId: sandbox.installationId,
          moduleKey: 'crosswalk-panel',
          functionKey: 'getIssueSync',
          accountId: jira.userId('member'),
          context: { extension: { issue: { id: issue.id }, project: { id: '10000' } } },
        })) as { body: { data: { pending: unknown } } }
      ).body.data.pending;
    await sandbox.platform.advanceTime(60_000);
    expect(await panel()).toEqual({ jiraChangedAt: null, retrying: false });
    sandbox.platform.holdProductEvents();
    await jira.request({ as: 'member' }, 'PUT', `/rest/api/3/issue/${issue.key}`, {
      fields: { summary: 'Checkout times out (EU), waiting' },
    });
    expect(await panel()).toEqual({ jiraChangedAt: expect.any(String), retrying: false });
    await sandbox.platform.releaseProductEvents();
    await sandbox.settle();
    expect(await panel()).toEqual({ jiraChangedAt: null, retrying: false });
  });

  it('resolves the incident, with its close code and notes, when the Jira issue reaches Done', async () => {
    const own = (
      await jira.request({ as: 'member' }, 'POST', '/rest/api/3/issue', {
        fields: { project: { key: 'DEMO' }, issuetype: { name: 'Task' }, summary: 'To be resolved from Jira' },
      })
    ).json;
    await sandbox.platform.settle();
    for (const t of ['11', '21', '31'])
      await jira.request({ as: 'member' }, 'POST', `/rest/api/3/issue/${own.key}/transitions`, {
        transition: { id: t },
      });
    await sandbox.platform.settle();
    await sandbox.settle();
    expect(await incidentFor(own.id)).toMatchObject({
      state: '6',
      close_code: 'Solution provided',
      // Jira's resolution, and who moved the issue to Done, replace the connection's fixed close text (resolution.ts).
      close_notes: `Resolved in Jira (${own.key}) by Mia Member as Done.`,
    });
  });

  it('copies public and internal comments each way once, with the author named', async () => {
    await jira.request({ as: 'member' }, 'POST', `/rest/api/3/issue/${issue.key}/comment`, {
      body: {
        version: 1,
        type: 'doc',
        content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Customer confirmed the fix' }] }],
      },
    });
    await jira.request({ as: 'member' }, 'POST', `/rest/api/3/issue/${issue.key}/comment`, {
      body: {
        version: 1,
        type: 'doc',
        content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Agents only: gateway was at 95%' }] }],
      },
      properties: [{ key: 'sd.public.comment', value: { internal: true } }],
    });
    await sandbox.platform.settle();
    await sandbox.settle();
    const incident = await incidentFor(issue.id);
    await sn('PATCH', `/api/now/table/incident/${incident.sys_id}`, { comments: 'Thanks, closing on our side' });
    await sandbox.settle();
    // Duplicate deliveries change nothing.
    await fetch(`${sandbox.sims.servicenow.controlUrl}/notifications/send`, {
      method: 'POST',
      body: JSON.stringify({ notice: { event: 'journal', table: 'incident', sys_id: incident.sys_id } }),
    });
    await sandbox.settle();
    const journal = (
      await sn(
        'GET',
        `/api/now/table/sys_journal_field?sysparm_query=element_id=${incident.sys_id}^ORDERBYsys_created_on`,
      )
    ).result.map((e: any) => [e.element, e.value.split('\n')[0]]);
    expect(journal).toEqual([
      ['comments', 'Mia Member (Jira): Customer confirmed the fix'],
      ['work_notes', 'Mia Member (Jira): Agents only: gateway was at 95%'],
      ['comments', 'Thanks, closing on our side'],
    ]);
    const all = (await jira.request({ as: 'member' }, 'GET', `/rest/api/3/issue/${issue.key}/comment`)).json.comments;
    // First the resolution the agent made earlier (resolution.ts), told internally and never copied back.
    expect([all[0].jsdPublic, all[0].body.content[0].content[0].text]).toEqual([
      false,
      `Resolved in ServiceNow (${incident.number}) by Beth Agent.`,
    ]);
    const comments = all.slice(1);
    expect(comments.map((c: any) => [c.jsdPublic, c.body.content[0].content[0].text])).toEqual([
      [true, 'Customer confirmed the fix'],
      [false, 'Agents only: gateway was at 95%'],
      [true, 'Beth Agent (ServiceNow): Thanks, closing on our side'],
    ]);

    // ServiceNow journal entries cannot change: a Jira edit is not copied, and the issue panel says so.
    sandbox.platform.manualClock.advance(60_000);
    await jira.request({ as: 'member' }, 'PUT', `/rest/api/3/issue/${issue.key}/comment/${comments[0].id}`, {
      body: {
        version: 1,
        type: 'doc',
        content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Customer confirmed the fix (twice)' }] }],
      },
    });
    await sandbox.platform.settle();
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
          notices: [
            `The edit to Jira comment ${comments[0].id} was not copied: ServiceNow journal entries cannot be changed.`,
          ],
        },
      },
    });

    await jira.request({ as: 'member' }, 'DELETE', `/rest/api/3/issue/${issue.key}/comment/${comments[1].id}`);
    await sandbox.platform.settle();
    const after = await sandbox.platform.invokeResolver({
      installationId: sandbox.installationId,
      moduleKey: 'crosswalk-panel',
      functionKey: 'getIssueSync',
      accountId: jira.userId('member'),
      context: { extension: { issue: { id: issue.id }, project: { id: '10000' } } },
    });
    expect(after).toMatchObject({
      body: {
        data: {
          notices: expect.arrayContaining([
            `Jira comment ${comments[1].id} was deleted; its copy stays: ServiceNow journal entries cannot be deleted.`,
          ]),
        },
      },
    });
  });

  it('copies attachments each way once, streamed, and reports a file over the limit', async () => {
    const form = new FormData();
    form.append('file', new Blob([Buffer.alloc(300_000, 1)], { type: 'application/pdf' }), 'trace.pdf');
    await jira.request({ as: 'member' }, 'POST', `/rest/api/3/issue/${issue.key}/attachments`, form, {
      'x-atlassian-token': 'no-check',
    });
    await sandbox.platform.settle();
    await sandbox.settle();
    const incident = await incidentFor(issue.id);
    const { username, password } = sandbox.sims.servicenow.credentials.agent;
    await fetch(
      `${sandbox.sims.servicenow.baseUrl}/api/now/attachment/file?table_name=incident&table_sys_id=${incident.sys_id}&file_name=screenshot.png`,
      {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`,
          'content-type': 'image/png',
        },
        body: Buffer.alloc(2048, 2),
      },
    );
    await sandbox.settle();
    await sandbox.platform.runScheduledTrigger(sandbox.installationId, 'reconcile-sweep');
    await sandbox.platform.settle();
    const snFiles = sandbox.servicenow.store
      .rows('sys_attachment')
      .filter((a) => a.table_sys_id === incident.sys_id)
      .map((a) => `${a.file_name} ${a.size_bytes}`);
    // People see the names people gave the files: no technical marker in either system.
    expect(snFiles).toEqual(['trace.pdf 300000', 'screenshot.png 2048']);
    const jiraFiles = (
      await jira.request({ as: 'member' }, 'GET', `/rest/api/3/issue/${issue.key}?fields=attachment`)
    ).json.fields.attachment.map((a: any) => `${a.filename} ${a.size}`);
    expect(jiraFiles).toEqual(['trace.pdf 300000', 'screenshot.png 2048']);

    // A file over the connection's limit is not copied, and the issue panel says why.
    const big = new FormData();
    big.append('file', new Blob([Buffer.alloc(1_500_000, 3)], { type: 'application/zip' }), 'dump.zip');
    await jira.request({ as: 'member' }, 'POST', `/rest/api/3/issue/${issue.key}/attachments`, big, {
      'x-atlassian-token': 'no-check',
    });
    await sandbox.platform.settle();
    expect(
      sandbox.servicenow.store.rows('sys_attachment').filter((a) => a.table_sys_id === incident.sys_id),
    ).toHaveLength(2);
    const panel = await sandbox.platform.invokeResolver({
      installationId: sandbox.installationId,
      moduleKey: 'crosswalk-panel',
      functionKey: 'getIssueSync',
      accountId: jira.userId('member'),
      context: { extension: { issue: { id: issue.id }, project: { id: '10000' } } },
    });
    expect(panel).toMatchObject({
      ok: true,
      body: {
        data: {
          problems: [
            { part: 'attachments', message: 'Not copied: dump.zip (1500000 bytes) is over the 1000000-byte limit' },
          ],
        },
      },
    });
  });

  it('deletes the copy of a file deleted where it was attached, either way, and never copies a deleted copy again', async () => {
    const incident = await incidentFor(issue.id);
    const files = () =>
      sandbox.servicenow.store
        .rows('sys_attachment')
        .filter((a) => a.table_sys_id === incident.sys_id)
        .map((a) => a.file_name);
    const jiraFiles = async () =>
      (await jira.request({ as: 'member' }, 'GET', `/rest/api/3/issue/${issue.key}?fields=attachment`)).json.fields
        .attachment as Array<{ id: string; filename: string }>;
    // The original in Jira is deleted: its ServiceNow copy goes.
    const pdf = (await jiraFiles()).find((a) => a.filename === 'trace.pdf')!;
    expect((await jira.request({ as: 'admin' }, 'DELETE', `/rest/api/3/attachment/${pdf.id}`)).status).toBe(204);
    await sandbox.settle();
    expect(files()).toEqual(['screenshot.png']);
    // The original in ServiceNow is deleted: its Jira copy goes.
    const png = sandbox.servicenow.store
      .rows('sys_attachment')
      .find((a) => a.table_sys_id === incident.sys_id && a.file_name === 'screenshot.png')!;
    expect(
      (
        await serviceNowClient(sandbox.sims.servicenow, sandbox.sims.servicenow.credentials.agent)(
          'DELETE',
          `/api/now/attachment/${png.sys_id}`,
        )
      ).status,
    ).toBe(204);
    await sandbox.settle();
    expect((await jiraFiles()).map((a) => a.filename)).toEqual(['dump.zip']);
    // A copy deleted in Jira stays deleted, and its ServiceNow original stays.
    const { username, password } = sandbox.sims.servicenow.credentials.agent;
    await fetch(
      `${sandbox.sims.servicenow.baseUrl}/api/now/attachment/file?table_name=incident&table_sys_id=${incident.sys_id}&file_name=notes.txt`,
      {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`,
          'content-type': 'text/plain',
        },
        body: Buffer.from('notes'),
      },
    );
    await sandbox.settle();
    const copy = (await jiraFiles()).find((a) => a.filename === 'notes.txt')!;
    expect((await jira.request({ as: 'admin' }, 'DELETE', `/rest/api/3/attachment/${copy.id}`)).status).toBe(204);
    await sandbox.settle();
    await sandbox.platform.runScheduledTrigger(sandbox.installationId, 'reconcile-sweep');
    await sandbox.settle();
    expect(files()).toEqual(['notes.txt']);
    expect((await jiraFiles()).map((a) => a.filename)).toEqual(['dump.zip']);
  });

  it("never syncs an issue outside the connection's JQL", async () => {
    const outside = (
      await jira.request({ as: 'member' }, 'POST', '/rest/api/3/issue', {
        fields: {
          project: { key: 'DEMO' },
          issuetype: { name: 'Task' },
          summary: 'Internal only',
          labels: ['no-sync'],
        },
      })
    ).json;
    await sandbox.platform.settle();
    expect(await incidentFor(outside.id)).toBeUndefined();
  });

  it('links an issue the connection syncs to an existing incident by its number, starting from the incident, and unlinks it', async () => {
    const created = (
      await sn('POST', '/api/now/table/incident', {
        short_description: 'Raised by phone',
        urgency: '2',
        category: 'software',
      })
    ).result;
    const panelCall = (issueId: string, functionKey: string, payload?: unknown, role = 'member') =>
      sandbox.platform.invokeResolver({
        installationId: sandbox.installationId,
        moduleKey: 'crosswalk-panel',
        functionKey,
        payload,
        accountId: jira.userId(role),
        context: { extension: { issue: { id: issueId }, project: { id: '10000' } } },
      });
    // An issue the connection's JQL leaves out cannot be paired through it by hand either.
    const outside = (
      await jira.request({ as: 'member' }, 'POST', '/rest/api/3/issue', {
        fields: { project: { key: 'DEMO' }, issuetype: { name: 'Task' }, summary: 'Kept out', labels: ['no-sync'] },
      })
    ).json;
    expect(await panelCall(outside.id, 'linkIssue', { remoteKey: created.number })).toMatchObject({
      body: {
        ok: false,
        error: {
          message: 'This issue is outside the issues DEMO ↔ ACME incidents syncs (its filter), so it cannot sync there',
        },
      },
    });
    // One inside it, synced to its own incident and unlinked from it, links to the incident raised by phone.
    const manual = (
      await jira.request({ as: 'member' }, 'POST', '/rest/api/3/issue', {
        fields: { project: { key: 'DEMO' }, issuetype: { name: 'Task' }, summary: 'Tracked in Jira' },
      })
    ).json;
    await sandbox.platform.settle();
    const own = await incidentFor(manual.id);
    expect(await panelCall(manual.id, 'unlinkIssue')).toMatchObject({ body: { ok: true, data: { unlinked: true } } });
    expect(await panelCall(manual.id, 'linkIssue', { remoteKey: created.number }, 'customer')).toMatchObject({
      ok: true,
      body: { ok: false, error: { code: 'FORBIDDEN' } },
    });
    expect(await panelCall(manual.id, 'linkIssue', { remoteKey: created.number })).toMatchObject({
      ok: true,
      body: { ok: true, data: { remoteKey: created.number } },
    });
    await sandbox.platform.settle();
    await sandbox.settle();
    // The first sync of a hand-made link takes the incident's values, though the Jira issue was written last.
    expect((await sn('GET', `/api/now/table/incident/${created.sys_id}`)).result.short_description).toBe(
      'Raised by phone',
    );
    expect(sandbox.jira.site.state.issues.find((i) => i.id === manual.id)!.summary).toBe('Raised by phone');
    expect(
      (await jira.request({ as: 'member' }, 'GET', `/rest/api/3/issue/${manual.key}/remotelink`)).json,
    ).toHaveLength(1);
    expect(await panelCall(manual.id, 'linkIssue', { remoteKey: created.number })).toMatchObject({
      body: { ok: false, error: { message: expect.stringContaining('already linked') } },
    });

    expect(await panelCall(manual.id, 'unlinkIssue')).toMatchObject({
      ok: true,
      body: { ok: true, data: { unlinked: true } },
    });
    expect((await jira.request({ as: 'member' }, 'GET', `/rest/api/3/issue/${manual.key}/remotelink`)).json).toEqual(
      [],
    );
    await jira.request({ as: 'member' }, 'PUT', `/rest/api/3/issue/${manual.key}`, {
      fields: { summary: 'No longer synced' },
    });
    await sandbox.platform.settle();
    expect((await sn('GET', `/api/now/table/incident/${created.sys_id}`)).result.short_description).toBe(
      'Raised by phone',
    );
    // The incident Crosswalk made for this issue, outside the link filter, is still the issue's to link again.
    expect(await panelCall(manual.id, 'linkIssue', { remoteKey: own.number })).toMatchObject({
      body: { ok: true, data: { remoteKey: own.number } },
    });
    await sandbox.platform.settle();
    await sandbox.settle();
    expect(sandbox.jira.site.state.issues.find((i) => i.id === manual.id)!.summary).toBe('Tracked in Jira');
  });

  it('ignores forged and stale notifications', async () => {
    const incident = await incidentFor(issue.id);
    const runsBefore = sandbox.platform.meter.invocations({ functionKey: 'sync-worker' }).length;
    for (const variant of [{ forged: true }, { ageSeconds: 3600 }]) {
      const res = await fetch(`${sandbox.sims.servicenow.controlUrl}/notifications/send`, {
        method: 'POST',
        body: JSON.stringify({ notice: { event: 'update', table: 'incident', sys_id: incident.sys_id }, ...variant }),
      });
      expect(await res.json()).toEqual({ status: 401 });
    }
    await sandbox.platform.settle();
    expect(sandbox.platform.meter.invocations({ functionKey: 'sync-worker' })).toHaveLength(runsBefore);
  });
});

describe('incidents created in ServiceNow', () => {
  it("create a Jira issue once when they match the connection's remote filter, and only then", async () => {
    await asLead('saveConnection', {
      ...CONNECTION,
      settings: { ...config, remoteFilter: [{ field: 'category', op: '=', value: 'network' }] },
    });
    const matching = (
      await sn('POST', '/api/now/table/incident', {
        short_description: 'Core switch down',
        category: 'network',
        urgency: '1',
        comments: 'Reported by the NOC',
      })
    ).result;
    const other = (
      await sn('POST', '/api/now/table/incident', { short_description: 'Password reset', category: 'inquiry' })
    ).result;
    await sandbox.settle();
    // A duplicate notification must not create a second issue.
    await fetch(`${sandbox.sims.servicenow.controlUrl}/notifications/send`, {
      method: 'POST',
      body: JSON.stringify({ notice: { event: 'insert', table: 'incident', sys_id: matching.sys_id } }),
    });
    await sandbox.settle();
    const found = (
      await jira.request({ as: 'member' }, 'POST', '/rest/api/3/search/jql', {
        jql: `project = DEMO AND summary ~ "Core switch"`,
        fields: ['summary', 'priority', 'comment'],
      })
    ).json.issues;
    expect(found).toHaveLength(1);
    expect(found[0].fields.priority.name).toBe('High');
    expect(found[0].fields.comment.comments.map((c: any) => c.body.content[0].content[0].text)).toEqual([
      'Beth Agent (ServiceNow): Reported by the NOC',
    ]);
    expect((await sn('GET', `/api/now/table/incident/${matching.sys_id}`)).result.correlation_id).toMatch(
      new RegExp(`^crosswalk:[0-9a-f]{8}:demo-servicenow:${found[0].id}$`),
    );
    expect(
      (
        await jira.request({ as: 'member' }, 'POST', '/rest/api/3/search/jql', {
          jql: `project = DEMO AND summary ~ "Password reset"`,
        })
      ).json.issues,
    ).toEqual([]);
    void other;
  });
});

describe('removing the connection', () => {
  it('is for project admins only, and takes the credential with it', async () => {
    const asMember = await sandbox.platform.invokeResolver({
      installationId: sandbox.installationId,
      moduleKey: 'crosswalk-settings',
      functionKey: 'deleteConnection',
      accountId: jira.userId('member'),
      context: { extension: { project: { id: '10000' } } },
    });
    expect(asMember).toMatchObject({ body: { ok: false, error: { code: 'FORBIDDEN' } } });
    expect(await asLead('deleteConnection', CONNECTION)).toMatchObject({ body: { ok: true, data: { deleted: true } } });
    expect(await asLead('listConnections')).toMatchObject({ body: { ok: true, data: { connections: [] } } });
    expect(sandbox.platform.installation(sandbox.installationId).kvs.dump('secret')).toEqual([]);
  });
});
