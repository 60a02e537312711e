/**
 * Crosswalk syncing SUP ("Customer support") with the Zendesk simulator, end
 * to end through the local Forge platform: the sandbox pairs SUP through the
 * `saveConnection` resolver (which provisions Zendesk's webhook and trigger),
 * Jira product events and Zendesk's signed webhooks drive the sync worker.
 */
import { startSandbox, type Sandbox } from '../../sandbox/sandbox';
import { demoZendeskConnection, SUP_CONNECTION_ID, SUP_PROJECT } from '../../sandbox/demo/zendesk-connection';
import { adf, jiraClient } from '../../sandbox/sims/jira/test-client';
import { DEMO_CREDENTIALS as ZD } from '../../sandbox/sims/zendesk';
import { zendeskClient } from '../../sandbox/sims/zendesk/test-client';
import { validateAdf } from '../support/adf-schema';

let sandbox: Sandbox;
let jira: ReturnType<typeof jiraClient>;

const asLead = (functionKey: string, payload?: unknown) =>
  sandbox.platform.invokeResolver({
    installationId: sandbox.installationId,
    moduleKey: 'crosswalk-settings',
    functionKey,
    payload,
    accountId: jira.userId('project-lead'),
    context: { extension: { type: 'jira:projectSettingsPage', project: SUP_PROJECT } },
  });
const panel = async (issueId: string) =>
  (
    (await sandbox.platform.invokeResolver({
      installationId: sandbox.installationId,
      moduleKey: 'crosswalk-panel',
      functionKey: 'getIssueSync',
      accountId: jira.userId('member'),
      context: { extension: { issue: { id: issueId }, project: { id: SUP_PROJECT.id } } },
    })) as { body: { data: Record<string, any> } }
  ).body.data;

/** Zendesk as its agent Sam uses it. */
const agent = () => zendeskClient(sandbox.sims.zendesk, ZD.agent);
/** Our correlation id names the connection and the issue (and, where the engine adds one, the site). */
const correlates = (externalId: string | null, issueId: string) =>
  externalId !== null && externalId.startsWith('crosswalk:') && externalId.endsWith(`:${SUP_CONNECTION_ID}:${issueId}`);
const ticketsFor = (issueId: string) =>
  [...sandbox.zendesk.store.tickets.values()].filter((t) => correlates(t.external_id, issueId));
const ticketFor = (issueId: string) => ticketsFor(issueId)[0]!;
let zdRequests: Array<{ method: string; path: string; status: number; user: string }> = [];
const readZdLog = async () => {
  zdRequests = (await (await fetch(`${sandbox.sims.zendesk.controlUrl}/requests`)).json()) as typeof zdRequests;
  return zdRequests;
};
const jiraWrites = () => sandbox.jira.controls.log.filter((r) => r.method !== 'GET').length;
const createIssue = async (fields: Record<string, unknown>) =>
  (
    await jira.request({ as: 'member' }, 'POST', '/rest/api/3/issue', {
      fields: { project: { key: 'SUP' }, issuetype: { name: 'Task' }, ...fields },
    })
  ).json as { id: string; key: string };
const jiraFields = async (key: string, fields: string) =>
  (await jira.request({ as: 'member' }, 'GET', `/rest/api/3/issue/${key}?fields=${fields}`)).json.fields;

beforeAll(async () => {
  sandbox = await startSandbox({ clock: 'manual' });
  jira = sandbox.jiraClient();
}, 60_000);
afterAll(async () => {
  // The API token and the signing secret never reach a log line, whatever ran.
  const lines = sandbox.platform.meter.invocations().flatMap((r) => r.logs);
  const secrets = [ZD.apiToken, ...[...sandbox.zendesk.store.webhooks.values()].map((w) => w.signing_secret)];
  for (const secret of secrets) expect(lines.filter((l) => l.includes(secret))).toEqual([]);
  await sandbox.stop();
});

describe('SUP ↔ Zendesk', () => {
  it('is paired by the sandbox through the resolver, which made the webhook and trigger; the token never comes back', async () => {
    const listed = await asLead('listConnections');
    expect(listed).toMatchObject({
      ok: true,
      body: {
        ok: true,
        data: {
          connections: [
            {
              config: { id: SUP_CONNECTION_ID, jiraProjectId: SUP_PROJECT.id, remote: { type: 'zendesk' } },
              credentialFields: ['token', 'webhookSecret'],
            },
          ],
        },
      },
    });
    const hooks = [...sandbox.zendesk.store.webhooks.values()];
    expect(hooks.map((h) => h.endpoint)).toEqual([
      `${sandbox.platform.webTriggerUrl(sandbox.installationId, 'remote-webhook')}/zendesk/${SUP_CONNECTION_ID}`,
    ]);
    expect([...sandbox.zendesk.store.triggers.values()].map((t) => (t.actions[0]!.value as string[])[0])).toEqual([
      hooks[0]!.id,
    ]);
    expect(await asLead('testConnection', { connectionId: SUP_CONNECTION_ID })).toMatchObject({
      body: { ok: true, data: { reachable: true, identity: ZD.integration.email } },
    });

    // Saving again (here: with a JQL filter) finds the webhook and trigger instead of making second ones.
    const saved = await asLead('saveConnection', {
      connectionId: SUP_CONNECTION_ID,
      settings: { ...demoZendeskConnection, jql: 'labels is EMPTY OR labels != no-sync' },
    });
    expect(saved).toMatchObject({ body: { ok: true, data: { pushSetup: { ok: true } } } });
    expect(sandbox.zendesk.store.webhooks.size).toBe(1);
    expect(sandbox.zendesk.store.triggers.size).toBe(1);
    for (const answer of [listed, saved]) expect(JSON.stringify(answer)).not.toContain(ZD.apiToken);
    expect(JSON.stringify(saved)).not.toContain(hooks[0]!.signing_secret);
  });

  let issue: { id: string; key: string };
  it('creates a ticket with mapped fields, the external id and a remote link back when an issue is created', async () => {
    issue = await createIssue({
      summary: 'Refund not received',
      priority: { name: 'High' },
      labels: ['billing', 'Refunds'],
      description: adf('The customer paid twice in March.'),
    });
    await sandbox.settle();
    expect(ticketsFor(issue.id)).toHaveLength(1);
    const t = ticketFor(issue.id);
    expect({
      subject: t.subject,
      priority: t.priority,
      status: t.status,
      tags: t.tags,
      description: t.description,
    }).toEqual({
      subject: 'Refund not received',
      priority: 'high',
      status: 'new',
      tags: ['billing', 'refunds'],
      description: 'The customer paid twice in March.',
    });
    const links = (await jira.request({ as: 'member' }, 'GET', `/rest/api/3/issue/${issue.key}/remotelink`)).json;
    expect(links).toEqual([
      expect.objectContaining({
        object: expect.objectContaining({ title: `#${t.id}`, url: `https://acme.zendesk.com/agent/tickets/${t.id}` }),
      }),
    ]);
    expect(await panel(issue.id)).toMatchObject({ remoteKey: `#${t.id}`, remoteState: 'New', lastError: null });
    // The description is the first comment, not a comment: nothing came back to Jira, and Zendesk lowered a tag, which is no change to undo.
    expect((await jiraFields(issue.key, 'comment,labels')).comment.comments).toEqual([]);
  });

  it('follows a Jira edit in Zendesk with one conditional write, and no echo back', async () => {
    const before = { jira: jiraWrites(), zd: (await readZdLog()).length };
    await jira.request({ as: 'member' }, 'PUT', `/rest/api/3/issue/${issue.key}`, {
      fields: { summary: 'Refund not received (March)' },
    });
    await sandbox.settle();
    expect(ticketFor(issue.id).subject).toBe('Refund not received (March)');
    expect(jiraWrites() - before.jira).toBe(1);
    const writes = (await readZdLog()).slice(before.zd).filter((r) => r.method !== 'GET');
    expect(writes.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
      `PUT /api/v2/tickets/${ticketFor(issue.id).id} 200`,
    ]);
  });

  it('follows a Zendesk edit in Jira, with no echo back to Zendesk', async () => {
    const t = ticketFor(issue.id);
    const before = (await readZdLog()).length;
    await agent()('PUT', `/api/v2/tickets/${t.id}`, {
      ticket: { subject: 'Refund missing for order 1182', priority: 'low', tags: ['billing', 'vip'] },
    });
    await sandbox.settle();
    const fields = await jiraFields(issue.key, 'summary,priority,labels');
    expect({ summary: fields.summary, priority: fields.priority.name, labels: [...fields.labels].sort() }).toEqual({
      summary: 'Refund missing for order 1182',
      priority: 'Low',
      labels: ['billing', 'vip'],
    });
    expect(
      (await readZdLog()).slice(before).filter((r) => r.method !== 'GET' && r.user === ZD.integration.email),
    ).toEqual([]);
  });

  it('shows a Jira description edit after the ticket exists as a notice on the issue (the description is the unchangeable first comment), writing nothing', async () => {
    const t = ticketFor(issue.id);
    const before = (await readZdLog()).length;
    await jira.request({ as: 'member' }, 'PUT', `/rest/api/3/issue/${issue.key}`, {
      fields: { description: adf('The customer paid twice in March and once in April.') },
    });
    await sandbox.settle();
    expect(ticketFor(issue.id).description).toBe('The customer paid twice in March.');
    expect(
      (await readZdLog()).slice(before).filter((r) => r.method !== 'GET' && r.user === ZD.integration.email),
    ).toEqual([]);
    const notice = `The Jira description changed after #${t.id} was created, and was not copied: a Zendesk ticket's description is its first comment, which cannot be changed.`;
    expect(await panel(issue.id)).toMatchObject({ lastError: null, notices: [notice] });
    // Seen again (a sweep, another edit elsewhere): the same notice is not added twice.
    await jira.request({ as: 'member' }, 'PUT', `/rest/api/3/issue/${issue.key}`, {
      fields: { description: adf('Paid twice in March, once in April.') },
    });
    await sandbox.settle();
    expect((await panel(issue.id)).notices).toEqual([notice]);
  });

  it('moves the status both ways: Zendesk open is In Progress, and Jira Done solves the ticket', async () => {
    const t = ticketFor(issue.id);
    await agent()('PUT', `/api/v2/tickets/${t.id}`, { ticket: { status: 'open' } });
    await sandbox.settle();
    expect((await jiraFields(issue.key, 'status')).status.name).toBe('In Progress');
    for (const transition of ['21', '31'])
      await jira.request({ as: 'member' }, 'POST', `/rest/api/3/issue/${issue.key}/transitions`, {
        transition: { id: transition },
      });
    await sandbox.settle();
    expect(ticketFor(issue.id).status).toBe('solved');
    expect(await panel(issue.id)).toMatchObject({ remoteState: 'Solved' });
    // Reopened in Jira, the solved ticket reopens (solved tickets still take updates); Zendesk never goes back to New,
    // so it is Open, and the base records that, so nothing flips back and forth; the panel says the status differs.
    await jira.request({ as: 'member' }, 'POST', `/rest/api/3/issue/${issue.key}/transitions`, {
      transition: { id: '41' },
    });
    await sandbox.settle();
    expect(ticketFor(issue.id).status).toBe('open');
    expect((await jiraFields(issue.key, 'status')).status.name).toBe('To Do');
    expect((await panel(issue.id)).problems).toEqual([expect.objectContaining({ part: 'status', kind: 'not-taken' })]);
  });

  it('copies public and private comments each way once, with visibility kept and the author named', async () => {
    await jira.request({ as: 'member' }, 'POST', `/rest/api/3/issue/${issue.key}/comment`, {
      body: adf('We are checking with the bank'),
    });
    await jira.request({ as: 'member' }, 'POST', `/rest/api/3/issue/${issue.key}/comment`, {
      body: adf('Agents only: ledger shows two charges'),
      properties: [{ key: 'sd.public.comment', value: { internal: true } }],
    });
    await sandbox.settle();
    const t = ticketFor(issue.id);
    await agent()('PUT', `/api/v2/tickets/${t.id}`, {
      ticket: { comment: { body: 'Customer sent the bank statement', public: true } },
    });
    await agent()('PUT', `/api/v2/tickets/${t.id}`, {
      ticket: { comment: { body: 'Internal: escalate to finance', public: false } },
    });
    await sandbox.settle();
    // A delivery Zendesk sends twice is refused the second time, and a sync of everything copies nothing again.
    await fetch(`${sandbox.sims.zendesk.controlUrl}/webhooks/deliveries`, {
      method: 'PUT',
      body: JSON.stringify({ duplicate: 1 }),
    });
    await agent()('PUT', `/api/v2/tickets/${t.id}`, { ticket: { priority: 'normal' } });
    await sandbox.settle();
    await sandbox.platform.invokeResolver({
      installationId: sandbox.installationId,
      moduleKey: 'crosswalk-panel',
      functionKey: 'syncIssueNow',
      accountId: jira.userId('member'),
      context: { extension: { issue: { id: issue.id }, project: { id: SUP_PROJECT.id } } },
    });
    await sandbox.settle();

    const zdComments = ticketFor(issue.id)
      .comments.slice(1)
      .map((c) => [c.public, c.plain_body]);
    expect(zdComments).toEqual([
      // The ticket was solved from Jira earlier: the resolution is told in an internal note (resolution.ts).
      [false, `Resolved in Jira (${issue.key}) by Mia Member as Done.`],
      [true, 'Mia Member (Jira): We are checking with the bank'],
      [false, 'Mia Member (Jira): Agents only: ledger shows two charges'],
      [true, 'Customer sent the bank statement'],
      [false, 'Internal: escalate to finance'],
    ]);
    const comments = (await jiraFields(issue.key, 'comment')).comment.comments;
    expect(comments.map((c: any) => [c.jsdPublic, c.body.content[0].content[0].text])).toEqual([
      [true, 'We are checking with the bank'],
      [false, 'Agents only: ledger shows two charges'],
      [true, 'Sam Agent (Zendesk): Customer sent the bank statement'],
      [false, 'Sam Agent (Zendesk): Internal: escalate to finance'],
    ]);

    // Zendesk comments cannot change: a Jira edit is not copied, and the issue panel says so.
    sandbox.platform.manualClock.advance(60_000);
    await jira.request({ as: 'member' }, 'PUT', `/rest/api/3/issue/${issue.key}/comment/${comments[0].id}`, {
      body: adf('We are checking with the bank (again)'),
    });
    await sandbox.settle();
    // After the description notice of an earlier test.
    expect((await panel(issue.id)).notices).toEqual([
      expect.stringMatching(/^The Jira description changed/),
      `The edit to Jira comment ${comments[0].id} was not copied: Zendesk comments cannot be changed once written.`,
    ]);
  });

  it('copies attachments each way once, and reports a file over the limit', async () => {
    const form = new FormData();
    form.append('file', new Blob([Buffer.alloc(120_000, 1)], { type: 'application/pdf' }), 'statement.pdf');
    await jira.request({ as: 'member' }, 'POST', `/rest/api/3/issue/${issue.key}/attachments`, form, {
      'x-atlassian-token': 'no-check',
    });
    await sandbox.settle();
    const t = ticketFor(issue.id);
    const up = await agent()<{ upload: { token: string } }>(
      'POST',
      '/api/v2/uploads?filename=receipt.png',
      new Uint8Array(Buffer.alloc(2048, 2)),
      { 'content-type': 'image/png' },
    );
    await agent()('PUT', `/api/v2/tickets/${t.id}`, {
      ticket: { comment: { body: 'Receipt attached', public: true, uploads: [up.json.upload.token] } },
    });
    await sandbox.settle();
    await sandbox.platform.runScheduledTrigger(sandbox.installationId, 'reconcile-sweep');
    await sandbox.settle();
    const zdFiles = ticketFor(issue.id)
      .comments.flatMap((c) => c.attachmentIds.map((a) => sandbox.zendesk.store.attachments.get(a)!))
      .map((a) => `${a.file_name} ${a.size}`);
    expect(zdFiles).toEqual(['statement.pdf 120000', 'receipt.png 2048']);
    // Files from Jira are attached in a private comment: a file's visibility is never widened.
    const integrationId = sandbox.zendesk.store.userByEmail(ZD.integration.email)!.id;
    expect(
      ticketFor(issue.id)
        .comments.filter((c) => c.attachmentIds.length && c.author_id === integrationId)
        .map((c) => c.public),
    ).toEqual([false]);
    const jiraFiles = (await jiraFields(issue.key, 'attachment')).attachment.map((a: any) => `${a.filename} ${a.size}`);
    expect(jiraFiles).toEqual(['statement.pdf 120000', 'receipt.png 2048']);

    const big = new FormData();
    big.append('file', new Blob([Buffer.alloc(1_500_000, 3)], { type: 'application/zip' }), 'dump.zip');
    await saveSettings({ attachments: { maxBytes: 1_000_000 } });
    await jira.request({ as: 'member' }, 'POST', `/rest/api/3/issue/${issue.key}/attachments`, big, {
      'x-atlassian-token': 'no-check',
    });
    await sandbox.settle();
    expect(ticketFor(issue.id).comments.flatMap((c) => c.attachmentIds)).toHaveLength(2);
    expect((await panel(issue.id)).problems).toEqual([
      expect.objectContaining({ part: 'status', kind: 'not-taken' }),
      expect.objectContaining({
        part: 'attachments',
        message: 'Not copied: dump.zip (1500000 bytes) is over the 1000000-byte limit',
      }),
    ]);
  });

  it('says on the issue that a Zendesk copy stays when its Jira file is deleted, as Zendesk cannot delete files', async () => {
    const pdf = (await jiraFields(issue.key, 'attachment')).attachment.find(
      (a: { filename: string }) => a.filename === 'statement.pdf',
    );
    expect((await jira.request({ as: 'admin' }, 'DELETE', `/rest/api/3/attachment/${pdf.id}`)).status).toBe(204);
    await sandbox.settle();
    const zdFiles = ticketFor(issue.id).comments.flatMap((c) =>
      c.attachmentIds.map((a) => sandbox.zendesk.store.attachments.get(a)!.file_name),
    );
    expect(zdFiles).toEqual(['statement.pdf', 'receipt.png']);
    expect((await panel(issue.id)).notices).toContain(
      'Jira attachment statement.pdf was deleted; its copy stays: Zendesk attachments cannot be deleted (only redacted by an agent).',
    );
    // Nor does the copy come back to Jira.
    expect((await jiraFields(issue.key, 'attachment')).attachment.map((a: { filename: string }) => a.filename)).toEqual(
      ['receipt.png', 'dump.zip'],
    );
  });

  it('continues in a follow-up ticket when a change reaches a closed ticket, and moves the link to it', async () => {
    const own = await createIssue({ summary: 'Printer offline', labels: ['hardware'] });
    await sandbox.settle();
    const closed = ticketFor(own.id);
    await agent()('PUT', `/api/v2/tickets/${closed.id}`, { ticket: { status: 'closed' } });
    await sandbox.settle();
    expect((await jiraFields(own.key, 'status')).status.name).toBe('Done');

    await jira.request({ as: 'member' }, 'POST', `/rest/api/3/issue/${own.key}/transitions`, {
      transition: { id: '41' },
    });
    await jira.request({ as: 'member' }, 'POST', `/rest/api/3/issue/${own.key}/comment`, {
      body: adf('It is offline again'),
    });
    await sandbox.settle();
    const tickets = ticketsFor(own.id);
    expect(tickets.map((t) => [t.id, t.status, t.via_followup_source_id])).toEqual([
      [closed.id, 'closed', null],
      [expect.any(Number), 'new', closed.id],
    ]);
    const followUp = tickets[1]!;
    expect(followUp.subject).toBe('Printer offline');
    expect(followUp.tags).toEqual(['hardware']);
    expect(followUp.comments.slice(1).map((c) => c.plain_body)).toEqual(['Mia Member (Jira): It is offline again']);
    expect(await panel(own.id)).toMatchObject({
      remoteKey: `#${followUp.id}`,
      remoteState: 'New',
      lastError: null,
      notices: [`#${closed.id} was closed in Zendesk; changes continue in its follow-up #${followUp.id}.`],
    });
    const links = (await jira.request({ as: 'member' }, 'GET', `/rest/api/3/issue/${own.key}/remotelink`)).json.map(
      (l: any) => l.object.title,
    );
    expect(links).toEqual([`#${closed.id}`, `#${followUp.id}`]);

    // The pair now is the issue and the follow-up, both ways.
    await agent()('PUT', `/api/v2/tickets/${followUp.id}`, { ticket: { subject: 'Printer offline (floor 3)' } });
    await sandbox.settle();
    expect((await jiraFields(own.key, 'summary')).summary).toBe('Printer offline (floor 3)');
    expect(ticketsFor(own.id)).toHaveLength(2);
  });

  // Found by the model (seed 112850): the follow-up started from Jira's values alone, so what the agent did just before
  // closing (a comment, the status) never reached Jira when a Jira change got to the closed ticket first.
  it('brings what the closed ticket still says to Jira before continuing in a follow-up', async () => {
    const own = await createIssue({ summary: 'Scanner jams' });
    await sandbox.settle();
    const closed = ticketFor(own.id);
    const deliveries = (paused: boolean) =>
      fetch(`${sandbox.sims.zendesk.controlUrl}/webhooks/deliveries`, {
        method: 'PUT',
        body: JSON.stringify({ paused }),
      });
    await deliveries(true);
    await agent()('PUT', `/api/v2/tickets/${closed.id}`, {
      ticket: { comment: { body: 'Replaced the roller', public: true } },
    });
    await agent()('PUT', `/api/v2/tickets/${closed.id}`, { ticket: { status: 'closed' } });
    await jira.request({ as: 'member' }, 'PUT', `/rest/api/3/issue/${own.key}`, {
      fields: { summary: 'Scanner jams on A3' },
    });
    await jira.request({ as: 'member' }, 'POST', `/rest/api/3/issue/${own.key}/comment`, {
      body: adf('Still jams on A3'),
    });
    await sandbox.settle();
    await deliveries(false);
    await sandbox.settle();
    const fields = await jiraFields(own.key, 'summary,status,comment');
    expect({ summary: fields.summary, status: fields.status.name }).toEqual({
      summary: 'Scanner jams on A3',
      status: 'Done',
    });
    expect(fields.comment.comments.map((c: any) => c.body.content[0].content[0].text)).toEqual([
      'Still jams on A3',
      'Sam Agent (Zendesk): Replaced the roller',
    ]);
    const followUp = ticketsFor(own.id).find((t) => t.via_followup_source_id === closed.id)!;
    expect({
      subject: followUp.subject,
      status: followUp.status,
      comments: followUp.comments.slice(1).map((c) => c.plain_body),
    }).toEqual({ subject: 'Scanner jams on A3', status: 'solved', comments: ['Mia Member (Jira): Still jams on A3'] });
    // Nothing of the closed ticket's conversation was copied again onto the follow-up, nor the Jira comment onto the closed ticket.
    expect(closed.comments.slice(1).map((c) => c.plain_body)).toEqual(['Replaced the roller']);
  });

  it("never syncs an issue outside the connection's JQL", async () => {
    const outside = await createIssue({ summary: 'Internal only', labels: ['no-sync'] });
    await sandbox.settle();
    expect(ticketsFor(outside.id)).toEqual([]);
    expect(await panel(outside.id)).toMatchObject({ linked: false });
  });

  it('shows no markup from Zendesk in Jira: remote HTML arrives as text in schema-valid ADF', async () => {
    const t = ticketFor(issue.id);
    const html =
      '<p>Hi <b>team</b><script>alert(1)</script><img src=x onerror="alert(2)"> see <a href="javascript:alert(3)">this</a> and <a href="https://status.acme.example">status</a></p><style>p{}</style><iframe src="https://evil.example"></iframe>';
    await agent()('PUT', `/api/v2/tickets/${t.id}`, { ticket: { comment: { html_body: html, public: true } } });
    await sandbox.settle();
    const last = (await jiraFields(issue.key, 'comment')).comment.comments.at(-1);
    expect(validateAdf(last.body).valid).toBe(true);
    const text = JSON.stringify(last.body);
    for (const bad of ['<', 'script', 'alert', 'onerror', 'javascript:', 'iframe', 'evil.example'])
      expect(text).not.toContain(bad);
    expect(last.body.content[0].content.map((n: any) => n.text).join('')).toContain(
      'Sam Agent (Zendesk): Hi team see this and status',
    );
  });
});

describe('tickets created in Zendesk', () => {
  it("create one Jira issue when they match the connection's remote filter, and only then", async () => {
    await saveSettings({ remoteFilter: [{ field: 'type', op: '=', value: 'incident' }] });
    const made = await agent()<{ ticket: { id: number } }>('POST', '/api/v2/tickets', {
      ticket: {
        subject: 'Checkout is down',
        type: 'incident',
        priority: 'urgent',
        tags: ['outage'],
        comment: { body: 'Nobody can pay since 09:00.' },
      },
    });
    await agent()('POST', '/api/v2/tickets', {
      ticket: { subject: 'How do I change my address?', type: 'question', comment: { body: 'Moving next month.' } },
    });
    await sandbox.settle();
    // A duplicate delivery and a sweep must not create a second issue.
    await sandbox.platform.runScheduledTrigger(sandbox.installationId, 'reconcile-sweep');
    await sandbox.settle();
    const found = (
      await jira.request({ as: 'member' }, 'POST', '/rest/api/3/search/jql', {
        jql: 'project = SUP AND summary ~ "Checkout is down"',
        fields: ['summary', 'priority', 'labels', 'description', 'comment'],
      })
    ).json.issues;
    expect(found).toHaveLength(1);
    expect(found[0].fields.priority.name).toBe('Highest');
    expect(found[0].fields.labels).toEqual(['outage']);
    expect(found[0].fields.description.content[0].content[0].text).toBe('Nobody can pay since 09:00.');
    // The first comment is the description, so it is not copied as a comment too.
    expect(found[0].fields.comment.comments).toEqual([]);
    expect(correlates(sandbox.zendesk.store.tickets.get(made.json.ticket.id)!.external_id, found[0].id)).toBe(true);
    expect(
      (
        await jira.request({ as: 'member' }, 'POST', '/rest/api/3/search/jql', {
          jql: 'project = SUP AND summary ~ "change my address"',
        })
      ).json.issues,
    ).toEqual([]);
  });
});

describe('removing the connection', () => {
  it("removes Zendesk's webhook and trigger, and the credential", async () => {
    expect(await asLead('deleteConnection', { connectionId: SUP_CONNECTION_ID })).toMatchObject({
      body: { ok: true, data: { deleted: true } },
    });
    expect(sandbox.zendesk.store.webhooks.size).toBe(0);
    expect(sandbox.zendesk.store.triggers.size).toBe(0);
    expect(JSON.stringify(sandbox.platform.installation(sandbox.installationId).kvs.dump('secret'))).not.toContain(
      ZD.apiToken,
    );
  });
});

async function saveSettings(change: Record<string, unknown>) {
  const saved = await asLead('saveConnection', {
    connectionId: SUP_CONNECTION_ID,
    settings: { ...demoZendeskConnection, jql: 'labels is EMPTY OR labels != no-sync', ...change },
  });
  expect(saved).toMatchObject({ body: { ok: true } });
}
