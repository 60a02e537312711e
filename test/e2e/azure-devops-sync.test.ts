/**
 * Crosswalk syncing OPS with the Azure DevOps simulator, end to end through
 * the local Forge platform: the project admin saves the connection through the
 * resolver (which creates the service hooks), Jira product events and service
 * hook deliveries drive the sync worker.
 */
import { startSandbox, type Sandbox } from '../../sandbox/sandbox';
import {
  demoAzureDevOpsConnection,
  OPS_CONNECTION_ID,
  OPS_PROJECT,
  pairOpsProject,
} from '../../sandbox/demo/azure-devops-connection';
import {
  azureDevOpsClient,
  patch,
  type CommentJson,
  type WorkItemJson,
} from '../../sandbox/sims/azure-devops/test-client';
import { adf, jiraClient } from '../../sandbox/sims/jira/test-client';
import { DEMO_CREDENTIALS as ADO } from '../../sandbox/sims/azure-devops';

let sandbox: Sandbox;
let jira: ReturnType<typeof jiraClient>;

const CONNECTION = { connectionId: OPS_CONNECTION_ID };
const asAdmin = (functionKey: string, payload?: unknown) =>
  sandbox.platform.invokeResolver({
    installationId: sandbox.installationId,
    moduleKey: 'crosswalk-settings',
    functionKey,
    payload,
    accountId: jira.userId('admin'),
    context: { extension: { type: 'jira:projectSettingsPage', project: OPS_PROJECT } },
  });
const panel = async (issueId: string) =>
  (
    (await sandbox.platform.invokeResolver({
      installationId: sandbox.installationId,
      moduleKey: 'crosswalk-panel',
      functionKey: 'getIssueSync',
      accountId: jira.userId('admin'),
      context: { extension: { issue: { id: issueId }, project: { id: OPS_PROJECT.id } } },
    })) as { body: { data: Record<string, unknown> } }
  ).body.data;

/** Azure DevOps as its agent Dana uses it. */
const ado = () => azureDevOpsClient(sandbox.azureDevOps, ADO.agent.pat);
const control = (path: string, body: unknown, method = 'PUT') =>
  fetch(`${sandbox.sims.azureDevOps.controlUrl}${path}`, { method, body: JSON.stringify(body) });
const items = () =>
  [...sandbox.azureDevOps.store.items(sandbox.azureDevOps.store.org('acme')!).values()].filter((i) => !i.deleted);
/** The work items Crosswalk made for an issue (found by the marker tag it writes). */
/** Crosswalk's correlation marker among a work item's tags (`crosswalk:…:<connection>:<issue>`), whatever the engine puts in between. */
const markerIn = (tags: unknown, issueId: string) =>
  String(tags ?? '')
    .split('; ')
    .find((t) => t.startsWith('crosswalk:') && t.endsWith(`:${OPS_CONNECTION_ID}:${issueId}`));
const workItemsFor = (issueId: string) => items().filter((i) => markerIn(i.fields['System.Tags'], issueId));
const workItem = async (id: number) =>
  (await ado()<WorkItemJson>('GET', `/acme/Operations/_apis/wit/workitems/${id}?$expand=all`)).json;
const commentsOf = async (id: number) =>
  (
    await ado()<{ comments: CommentJson[] }>(
      'GET',
      `/acme/Operations/_apis/wit/workItems/${id}/comments?order=asc&api-version=7.1-preview.4`,
    )
  ).json.comments;
/** Writes Crosswalk made in Azure DevOps (queries are POSTs too, but change nothing). */
const integrationWrites = async () =>
  (await requestLog()).filter(
    (r) => r.user === ADO.integration.uniqueName && r.method !== 'GET' && !/\/(wiql|workitemsbatch)$/i.test(r.path),
  ).length;
const requestLog = async () =>
  (await (await fetch(`${sandbox.sims.azureDevOps.controlUrl}/requests`)).json()) as Array<{
    method: string;
    path: string;
    status: number;
    user: string;
  }>;
/** Writes to Jira (searches are POSTs too, but change nothing). */
// Searching and matching issues against JQL are reads Jira takes as POST (the panel's guard matches the issue too).
const jiraWrites = () =>
  sandbox.jira.controls.log.filter((r) => r.method !== 'GET' && !/\/(search|jql\/match)/.test(r.path)).length;

beforeAll(async () => {
  sandbox = await startSandbox({ clock: 'manual', pairDemo: false });
  jira = sandbox.jiraClient();
}, 60_000);
afterAll(async () => {
  // Neither the PAT nor the hook secret ever reaches a log line, whatever ran.
  const secrets = [
    sandbox.sims.azureDevOps.credentials.pat,
    ...sandbox.azureDevOps.store.subscriptions.map((s) => s.consumerInputs.basicAuthPassword ?? '').filter(Boolean),
  ];
  const lines = sandbox.platform.meter.invocations().flatMap((r) => r.logs);
  for (const secret of secrets) expect(lines.filter((l) => l.includes(secret))).toEqual([]);
  await sandbox.stop();
});

describe('Jira OPS ↔ Azure DevOps acme/Operations', () => {
  it('is paired by the project admin through the resolver, which creates the service hooks; the PAT never comes back', async () => {
    await pairOpsProject(sandbox.platform, sandbox.installationId, sandbox.jira);
    const listed = await asAdmin('listConnections');
    expect(listed).toMatchObject({
      ok: true,
      body: {
        ok: true,
        data: {
          connections: [
            {
              config: {
                id: OPS_CONNECTION_ID,
                jiraProjectId: OPS_PROJECT.id,
                remote: { type: 'azure-devops', project: 'Operations' },
              },
              credentialFields: ['token', 'webhookSecret'],
            },
          ],
        },
      },
    });
    expect(await asAdmin('testConnection', CONNECTION)).toMatchObject({
      body: { ok: true, data: { reachable: true, identity: 'crosswalk@acme.example' } },
    });
    const hooks = sandbox.azureDevOps.store.subscriptions;
    expect(hooks.map((s) => s.eventType).sort()).toEqual([
      'workitem.commented',
      'workitem.created',
      'workitem.deleted',
      'workitem.updated',
    ]);
    expect(
      hooks.every(
        (s) =>
          s.consumerInputs.url?.endsWith(`/azure-devops/${OPS_CONNECTION_ID}`) &&
          s.consumerInputs.basicAuthUsername === 'crosswalk',
      ),
    ).toBe(true);
    for (const secret of [sandbox.sims.azureDevOps.credentials.pat, hooks[0]!.consumerInputs.basicAuthPassword!])
      expect(JSON.stringify(listed)).not.toContain(secret);
  });

  let issue: { id: string; key: string };
  let wi: number;
  let marker: string;
  it('creates a Bug with the mapped fields, its marker tag and a Jira remote link back when an issue is created', async () => {
    issue = (
      await jira.request({ as: 'admin' }, 'POST', '/rest/api/3/issue', {
        fields: {
          project: { key: 'OPS' },
          issuetype: { name: 'Task' },
          summary: 'Disk full on db-02',
          priority: { name: 'High' },
          labels: ['database'],
          description: adf('The data volume on db-02 is at 100%.'),
        },
      })
    ).json;
    await sandbox.settle();
    expect(workItemsFor(issue.id)).toHaveLength(1);
    wi = workItemsFor(issue.id)[0]!.id;
    marker = markerIn(workItemsFor(issue.id)[0]!.fields['System.Tags'], issue.id)!;
    const item = await workItem(wi);
    expect(item.fields).toMatchObject({
      'System.WorkItemType': 'Bug',
      'System.Title': 'Disk full on db-02',
      'System.Description': '<p>The data volume on db-02 is at 100%.</p>',
      'System.State': 'New',
      'Microsoft.VSTS.Common.Priority': 1,
      'System.Tags': `${marker}; database`,
    });
    const links = (await jira.request({ as: 'admin' }, 'GET', `/rest/api/3/issue/${issue.key}/remotelink`)).json;
    expect(links).toEqual([
      expect.objectContaining({
        object: expect.objectContaining({
          title: `Bug ${wi}`,
          url: `https://dev.azure.com/acme/Operations/_workitems/edit/${wi}`,
        }),
      }),
    ]);
    expect(await panel(issue.id)).toMatchObject({
      remoteKey: `Bug ${wi}`,
      remoteTitle: 'Disk full on db-02',
      remoteState: 'New',
      lastError: null,
    });
  });

  it('follows a Jira edit with one guarded PATCH, and writes nothing back to Jira', async () => {
    const jiraBefore = jiraWrites();
    const adoBefore = await integrationWrites();
    await jira.request({ as: 'admin' }, 'PUT', `/rest/api/3/issue/${issue.key}`, {
      fields: { summary: 'Disk full on db-02 (prod)', labels: ['database', 'prod'] },
    });
    await sandbox.settle();
    const item = await workItem(wi);
    expect(item.fields['System.Title']).toBe('Disk full on db-02 (prod)');
    expect(item.fields['System.Tags']).toBe(`${marker}; database; prod`);
    expect((await integrationWrites()) - adoBefore).toBe(1);
    expect(jiraWrites() - jiraBefore).toBe(1);
  });

  it('follows an Azure DevOps edit in Jira, with no echo back to Azure DevOps', async () => {
    const adoBefore = await integrationWrites();
    const res = await ado()(
      'PATCH',
      `/acme/Operations/_apis/wit/workitems/${wi}`,
      patch({
        'System.Title': 'db-02 data volume full',
        'Microsoft.VSTS.Common.Priority': 3,
        'System.Tags': `${marker}; database; prod; storage`,
        'System.Description': '<div>Grown by <b>40 GB</b> overnight.</div><script>alert(1)</script>',
      }),
    );
    expect(res.status).toBe(200);
    await sandbox.settle();
    const fields = (
      await jira.request(
        { as: 'admin' },
        'GET',
        `/rest/api/3/issue/${issue.key}?fields=summary,priority,labels,description`,
      )
    ).json.fields;
    expect(fields.summary).toBe('db-02 data volume full');
    expect(fields.priority.name).toBe('Low');
    expect([...fields.labels].sort()).toEqual(['database', 'prod', 'storage']);
    // The formatting crosses as ADF; the script, and anything else outside the allow-list, does not.
    expect(fields.description.content).toEqual([
      {
        type: 'paragraph',
        content: [
          { type: 'text', text: 'Grown by ' },
          { type: 'text', text: '40 GB', marks: [{ type: 'strong' }] },
          { type: 'text', text: ' overnight.' },
        ],
      },
    ]);
    expect(JSON.stringify(fields.description)).not.toContain('alert');
    expect((await integrationWrites()) - adoBefore).toBe(0);
  });

  it('moves the Jira issue through its workflow when the state changes in Azure DevOps, and the work item when Jira moves', async () => {
    await ado()('PATCH', `/acme/Operations/_apis/wit/workitems/${wi}`, patch({ 'System.State': 'Resolved' }));
    await sandbox.settle();
    // To Do → In Progress → In Review: a path through the Jira workflow.
    expect(
      (await jira.request({ as: 'admin' }, 'GET', `/rest/api/3/issue/${issue.key}?fields=status`)).json.fields.status
        .name,
    ).toBe('In Review');
    await jira.request({ as: 'admin' }, 'POST', `/rest/api/3/issue/${issue.key}/transitions`, {
      transition: { id: '31' },
    });
    await sandbox.settle();
    const item = await workItem(wi);
    expect(item.fields).toMatchObject({ 'System.State': 'Closed', 'System.Reason': 'Verified' });
    expect(await panel(issue.id)).toMatchObject({ remoteState: 'Closed' });
  });

  it('copies comments each way once; internal Jira comments never reach Azure DevOps; duplicated deliveries change nothing', async () => {
    await jira.request({ as: 'admin' }, 'POST', `/rest/api/3/issue/${issue.key}/comment`, {
      body: adf('Extended the volume by 100 GB'),
    });
    await jira.request({ as: 'admin' }, 'POST', `/rest/api/3/issue/${issue.key}/comment`, {
      body: adf('Internal: the vendor ticket is 4711'),
      properties: [{ key: 'sd.public.comment', value: { internal: true } }],
    });
    await sandbox.settle();
    await control('/hooks', { duplicate: true });
    await ado()('POST', `/acme/Operations/_apis/wit/workItems/${wi}/comments?api-version=7.1-preview.4`, {
      text: '<p>Thanks, <i>confirmed</i> from the app side</p>',
    });
    await sandbox.settle();
    await control('/hooks', { duplicate: false });
    expect((await commentsOf(wi)).map((c) => c.text)).toEqual([
      '<p>Ada Admin (Jira): Extended the volume by 100 GB</p>',
      '<p>Thanks, <i>confirmed</i> from the app side</p>',
    ]);
    const comments = (await jira.request({ as: 'admin' }, 'GET', `/rest/api/3/issue/${issue.key}/comment`)).json
      .comments;
    // Each comment's first line as text (its formatting crosses too: the italics are checked below).
    const firstParagraph = (c: any) =>
      c.body.content[0].content
        .map((n: any) => (n.type === 'hardBreak' ? '\n' : (n.text ?? '')))
        .join('')
        .split('\n')[0];
    expect(comments.map(firstParagraph)).toEqual([
      // The work item was resolved in Azure DevOps earlier: told on the issue, internally (resolution.ts).
      `Resolved in Azure DevOps (Bug ${wi}) by Dana Agent.`,
      'Extended the volume by 100 GB',
      'Internal: the vendor ticket is 4711',
      'Dana Agent (Azure DevOps): Thanks, confirmed from the app side',
    ]);
    expect(comments.at(-1).body.content[0].content).toContainEqual({
      type: 'text',
      text: 'confirmed',
      marks: [{ type: 'em' }],
    });
  });

  it('follows comment edits and deletes from each source to its copy, once, with no echo', async () => {
    const jiraComments = async () =>
      (await jira.request({ as: 'admin' }, 'GET', `/rest/api/3/issue/${issue.key}/comment`)).json.comments as Array<{
        id: string;
        body: any;
      }>;
    const textOf = (c: { body: any }): string =>
      c.body.content[0].content
        .map((n: any) => (n.type === 'hardBreak' ? '\n' : (n.text ?? '')))
        .join('')
        .split('\n')[0];
    const syncNow = () =>
      sandbox.platform.invokeResolver({
        installationId: sandbox.installationId,
        moduleKey: 'crosswalk-panel',
        functionKey: 'syncIssueNow',
        accountId: jira.userId('admin'),
        context: { extension: { issue: { id: issue.id }, project: { id: OPS_PROJECT.id } } },
      });
    const ours = (await jiraComments()).find((c) => textOf(c) === 'Extended the volume by 100 GB')!;

    // A Jira edit rewrites the Azure DevOps copy with one PATCH, and nothing is written back to Jira.
    let [jiraBefore, adoBefore] = [jiraWrites(), await integrationWrites()];
    await jira.request({ as: 'admin' }, 'PUT', `/rest/api/3/issue/${issue.key}/comment/${ours.id}`, {
      body: adf('Extended the volume by 150 GB'),
    });
    await sandbox.settle();
    expect((await commentsOf(wi)).map((c) => c.text)).toEqual([
      '<p>Ada Admin (Jira): Extended the volume by 150 GB</p>',
      '<p>Thanks, <i>confirmed</i> from the app side</p>',
    ]);
    expect([jiraWrites() - jiraBefore, (await integrationWrites()) - adoBefore]).toEqual([1, 1]);
    expect(
      (await requestLog()).filter(
        (r) => r.user === ADO.integration.uniqueName && r.method === 'PATCH' && /\/comments\/\d+$/.test(r.path),
      ),
    ).toHaveLength(1);

    // An Azure DevOps edit (which sends no service hook) reaches the Jira copy at the item's next sync; the copy keeps its hidden source.
    const dana = (await commentsOf(wi)).find((c) => c.text.includes('confirmed'))!;
    await ado()('PATCH', `/acme/Operations/_apis/wit/workItems/${wi}/comments/${dana.id}?api-version=7.1-preview.4`, {
      text: '<p>Thanks, confirmed from the app side and the database</p>',
    });
    [jiraBefore, adoBefore] = [jiraWrites(), await integrationWrites()];
    await syncNow();
    await sandbox.settle();
    const copy = (await jiraComments()).find((c) => textOf(c).startsWith('Dana Agent'))!;
    expect(textOf(copy)).toBe('Dana Agent (Azure DevOps): Thanks, confirmed from the app side and the database');
    expect([jiraWrites() - jiraBefore, (await integrationWrites()) - adoBefore]).toEqual([1, 0]);
    // Nothing more moves: the copy's own edit does not bounce back, and a second sync writes nothing.
    [jiraBefore, adoBefore] = [jiraWrites(), await integrationWrites()];
    await syncNow();
    await sandbox.settle();
    expect([jiraWrites() - jiraBefore, (await integrationWrites()) - adoBefore]).toEqual([0, 0]);

    // Deletes: a Jira comment's copy goes with it; an Azure DevOps comment's Jira copy goes with it.
    await jira.request({ as: 'admin' }, 'DELETE', `/rest/api/3/issue/${issue.key}/comment/${ours.id}`);
    await sandbox.settle();
    expect((await commentsOf(wi)).map((c) => c.text)).toEqual([
      '<p>Thanks, confirmed from the app side and the database</p>',
    ]);
    await ado()('DELETE', `/acme/Operations/_apis/wit/workItems/${wi}/comments/${dana.id}?api-version=7.1-preview.4`);
    await sandbox.settle();
    expect((await jiraComments()).map(textOf)).toEqual([
      `Resolved in Azure DevOps (Bug ${wi}) by Dana Agent.`,
      'Internal: the vendor ticket is 4711',
    ]);
    expect(await commentsOf(wi)).toEqual([]);
    // And nothing is copied again.
    [jiraBefore, adoBefore] = [jiraWrites(), await integrationWrites()];
    await syncNow();
    await sandbox.settle();
    expect([jiraWrites() - jiraBefore, (await integrationWrites()) - adoBefore]).toEqual([0, 0]);
  });

  it('copies attachments each way once', async () => {
    const form = new FormData();
    form.append('file', new Blob([Buffer.alloc(200_000, 7)], { type: 'application/pdf' }), 'iostat.pdf');
    await jira.request({ as: 'admin' }, 'POST', `/rest/api/3/issue/${issue.key}/attachments`, form, {
      'x-atlassian-token': 'no-check',
    });
    await sandbox.settle();
    const up = await ado()<{ url: string }>(
      'POST',
      '/acme/Operations/_apis/wit/attachments?fileName=df.png',
      new Uint8Array(Buffer.alloc(3000, 9)),
    );
    await ado()('PATCH', `/acme/Operations/_apis/wit/workitems/${wi}`, [
      {
        op: 'add',
        path: '/relations/-',
        value: { rel: 'AttachedFile', url: up.json.url, attributes: { comment: 'df output' } },
      },
    ]);
    await sandbox.settle();
    await sandbox.platform.runScheduledTrigger(sandbox.installationId, 'reconcile-sweep');
    await sandbox.settle();
    const files = (await workItem(wi))
      .relations!.filter((r) => r.rel === 'AttachedFile')
      .map((r) => `${r.attributes.name} ${r.attributes.resourceSize}`);
    expect(files).toEqual(['iostat.pdf 200000', 'df.png 3000']);
    const jiraFiles = (
      await jira.request({ as: 'admin' }, 'GET', `/rest/api/3/issue/${issue.key}?fields=attachment`)
    ).json.fields.attachment.map((a: any) => `${a.filename} ${a.size}`);
    expect(jiraFiles).toEqual(['iostat.pdf 200000', 'df.png 3000']);
  });

  it('deletes the copy of a file deleted where it was attached, either way', async () => {
    const jiraFiles = async () =>
      (await jira.request({ as: 'admin' }, 'GET', `/rest/api/3/issue/${issue.key}?fields=attachment`)).json.fields
        .attachment as Array<{ id: string; filename: string }>;
    const adoFiles = async () =>
      (await workItem(wi)).relations!.filter((r) => r.rel === 'AttachedFile').map((r) => r.attributes.name);
    const pdf = (await jiraFiles()).find((a) => a.filename === 'iostat.pdf')!;
    expect((await jira.request({ as: 'admin' }, 'DELETE', `/rest/api/3/attachment/${pdf.id}`)).status).toBe(204);
    await sandbox.settle();
    expect(await adoFiles()).toEqual(['df.png']);
    // A person removes the file in the work item form: the relation goes, and with it the Jira copy.
    const index = (await workItem(wi)).relations!.findIndex(
      (r) => r.rel === 'AttachedFile' && r.attributes.name === 'df.png',
    );
    expect(
      (
        await ado()('PATCH', `/acme/Operations/_apis/wit/workitems/${wi}`, [
          { op: 'remove', path: `/relations/${index}` },
        ])
      ).status,
    ).toBe(200);
    await sandbox.settle();
    expect(await jiraFiles()).toEqual([]);
    expect(await adoFiles()).toEqual([]);
  });

  it('ignores forged and stale hook deliveries', async () => {
    await sandbox.settle();
    const runsBefore = sandbox.platform.meter.invocations({ functionKey: 'sync-worker' }).length;
    const [jiraBefore, adoBefore] = [jiraWrites(), await integrationWrites()];
    const send = async (body: unknown) =>
      (await (
        await fetch(`${sandbox.sims.azureDevOps.controlUrl}/hooks/send`, { method: 'POST', body: JSON.stringify(body) })
      ).json()) as { status: number };
    expect(await send({ workItemId: wi, forged: true })).toEqual(expect.objectContaining({ status: 401 }));
    expect(await send({ workItemId: wi, ageSeconds: 3600 })).toEqual(expect.objectContaining({ status: 401 }));
    await sandbox.platform.settle({ maxAdvanceMs: 0 });
    expect(sandbox.platform.meter.invocations({ functionKey: 'sync-worker' })).toHaveLength(runsBefore);
    // A delivery replayed later, with the right password, is just as stale.
    const earlier = sandbox.azureDevOps.notifier.sent.find((d) => d.status === 202)!;
    sandbox.platform.manualClock.advance(11 * 60_000);
    expect(
      await send({ subscriptionId: earlier.subscriptionId, replayNotificationId: earlier.notificationId }),
    ).toEqual(expect.objectContaining({ status: 401 }));
    await sandbox.settle();
    expect([jiraWrites(), await integrationWrites()]).toEqual([jiraBefore, adoBefore]);
  });

  it("never syncs an issue outside the connection's JQL", async () => {
    const saved = await asAdmin('saveConnection', {
      ...CONNECTION,
      settings: { ...demoAzureDevOpsConnection, jql: 'labels is EMPTY OR labels != no-sync' },
    });
    expect(saved).toMatchObject({ body: { ok: true, data: { pushSetup: { ok: true } } } });
    // Saving again replaces the hooks instead of adding a second set.
    expect(sandbox.azureDevOps.store.subscriptions).toHaveLength(4);
    const outside = (
      await jira.request({ as: 'admin' }, 'POST', '/rest/api/3/issue', {
        fields: {
          project: { key: 'OPS' },
          issuetype: { name: 'Task' },
          summary: 'Private runbook',
          labels: ['no-sync'],
        },
      })
    ).json;
    await sandbox.settle();
    expect(workItemsFor(outside.id)).toEqual([]);
    expect(items().filter((i) => i.fields['System.Title'] === 'Private runbook')).toEqual([]);
  });
});

describe('work items created in Azure DevOps', () => {
  it("create one Jira issue when they match the connection's remote filter, and only then", async () => {
    const made = (
      await ado()<WorkItemJson>(
        'POST',
        '/acme/Operations/_apis/wit/workitems/$Bug',
        patch({
          'System.Title': 'Backups fail on fs-01',
          'System.Tags': 'jira; backup',
          'Microsoft.VSTS.Common.Priority': 1,
          'System.Description': '<p>Since Monday.</p>',
        }),
      )
    ).json;
    await ado()(
      'POST',
      '/acme/Operations/_apis/wit/workitems/$Bug',
      patch({ 'System.Title': 'Team-only refactoring' }),
    );
    await sandbox.settle();
    // A duplicated delivery must not make a second issue.
    await fetch(`${sandbox.sims.azureDevOps.controlUrl}/hooks/send`, {
      method: 'POST',
      body: JSON.stringify({ workItemId: made.id, eventType: 'workitem.created' }),
    });
    await sandbox.settle();
    const found = (
      await jira.request({ as: 'admin' }, 'POST', '/rest/api/3/search/jql', {
        jql: 'project = OPS AND summary ~ "Backups fail"',
        fields: ['summary', 'priority', 'labels', 'description'],
      })
    ).json.issues;
    expect(found).toHaveLength(1);
    expect(found[0].fields).toMatchObject({ summary: 'Backups fail on fs-01', priority: { name: 'High' } });
    expect([...found[0].fields.labels].sort()).toEqual(['backup', 'jira']);
    const tags = (await workItem(made.id)).fields['System.Tags'];
    expect(tags).toBe(`backup; ${markerIn(tags, found[0].id)}; jira`);
    expect(
      (
        await jira.request({ as: 'admin' }, 'POST', '/rest/api/3/search/jql', {
          jql: 'project = OPS AND summary ~ "refactoring"',
        })
      ).json.issues,
    ).toEqual([]);
  });
});

describe('removing the connection', () => {
  it('removes the service hooks and the credential', async () => {
    expect(await asAdmin('deleteConnection', CONNECTION)).toMatchObject({
      body: { ok: true, data: { deleted: true } },
    });
    expect(sandbox.azureDevOps.store.subscriptions).toEqual([]);
    expect(sandbox.platform.installation(sandbox.installationId).kvs.dump('secret')).toEqual([]);
  });
});
