/**
 * The security suite, over every implemented connector: what an attacker, a
 * curious admin of another project or a second Jira site must not be able to
 * do. Each case runs through the real platform and simulators.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as yaml from 'yaml';
import { startSandbox, type Sandbox } from '../../sandbox/sandbox';
import { startJiraSim, type JiraSim } from '../../sandbox/sims/jira';
import { adf, jiraClient } from '../../sandbox/sims/jira/test-client';
import { serviceNowClient } from '../../sandbox/sims/servicenow/test-client';
import { demoServiceNowConnection, DEMO_WEBHOOK_SECRET } from '../../sandbox/demo/servicenow-connection';
import { checkPublicHost, isPrivateAddress } from '../../src/resolvers/address-guard';
import { implementedSystems } from '../../src/connectors/registry';
import { demoOf } from '../../sandbox/systems';

let sandbox: Sandbox;
let jira: ReturnType<typeof jiraClient>;

beforeAll(async () => {
  sandbox = await startSandbox({ clock: 'manual' });
  jira = sandbox.jiraClient();
  await sandbox.settle();
}, 90_000);
afterAll(() => sandbox.stop());

type Answer = {
  ok: boolean;
  body: { ok: boolean; data?: any; error?: { code: string; problems?: Array<{ path: string; message: string }> } };
};
const PROJECTS = {
  DEMO: { id: '10000', key: 'DEMO' },
  OPS: { id: '10001', key: 'OPS' },
  SUP: { id: '10002', key: 'SUP' },
} as const;
const settings = (
  role: string,
  project: { id: string; key: string },
  functionKey: string,
  payload?: unknown,
  installationId = sandbox.installationId,
) =>
  sandbox.platform.invokeResolver({
    installationId,
    moduleKey: 'crosswalk-settings',
    functionKey,
    payload,
    accountId: jira.userId(role),
    context: { extension: { type: 'jira:projectSettingsPage', project } },
  }) as Promise<Answer>;
const workerRuns = () => sandbox.platform.meter.invocations({ functionKey: 'sync-worker' }).length;
const queued = () => sandbox.platform.installation(sandbox.installationId).events.all().length;

/** The demo connections' secrets, each system's as its demo kit holds them, and ServiceNow's pasted signing secret. */
const demoSecrets = () => [
  ...Object.entries(sandbox.remotes).flatMap(([kind, sim]) => Object.values(demoOf(kind).kit(sim).credential)),
  DEMO_WEBHOOK_SECRET,
];

/** Each registered system's demo project, with the role of the person who administers it. */
const pairedProjects = () =>
  implementedSystems().map((system) => {
    const key = demoOf(system.kind).project.key;
    const project = sandbox.jira.site.state.projects.find((p) => p.key === key)!;
    const admin = sandbox.jira.site.state.users.find((u) => u.accountId === project.roles.Administrators[0])!;
    return { project: { id: project.id, key }, role: admin.role };
  });

describe('every implemented system is covered', () => {
  it('pairs a demo project with each system the registry implements', async () => {
    const kinds = implementedSystems()
      .map((s) => s.kind)
      .sort();
    const paired = [];
    for (const { project, role } of pairedProjects()) {
      const answer = await settings(role, project, 'listConnections');
      paired.push(...answer.body.data.connections.map((c: any) => c.config.remote.type));
    }
    expect([...new Set(paired)].sort()).toEqual(kinds);
  });
});

describe('admin resolvers', () => {
  const adminResolvers = [
    'listConnections',
    'saveConnection',
    'deleteConnection',
    'testConnection',
    'bulkSync',
    'bulkSyncProgress',
    'cancelBulkSync',
    'countMatchingIssues',
    'connectionFailures',
    'retryFailures',
    'reorderConnections',
    'changePushSetup',
    'newSigningSecret',
    'changePushArrival',
    'connectionActivity',
    'markConflictsReviewed',
    'previewItem',
    'previewSummary',
    'statusPaths',
    'userMatches',
    'remoteFields',
    'searchRemoteUsers',
    'auditLog',
    'adoptionPreview',
    'adoptPairs',
  ];
  /** Those that answer about no existing connection (a draft, the project's list) have no other project's connection to refuse. */
  const draftOnly = [
    'listConnections',
    'saveConnection',
    'countMatchingIssues',
    'reorderConnections',
    'previewItem',
    'previewSummary',
    'statusPaths',
    'userMatches',
  ];

  it.each(adminResolvers)('%s refuses a project member', async (fn) => {
    const r = await settings('member', PROJECTS.DEMO, fn, {
      connectionId: 'demo-servicenow',
      settings: demoServiceNowConnection,
      jql: '',
    });
    expect(r.body).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });

  it.each(adminResolvers.filter((f) => !draftOnly.includes(f)))(
    "%s refuses an admin of another project acting on this project's connection",
    async (fn) => {
      // The project lead administers DEMO but not OPS: OPS's connection is not theirs, named by id or not.
      const r = await settings('project-lead', PROJECTS.DEMO, fn, { connectionId: 'ops-azure-devops' });
      expect(r.body).toMatchObject({ ok: false, error: { code: expect.stringMatching(/NOT_FOUND|FORBIDDEN/) } });
      const asOps = await settings('project-lead', PROJECTS.OPS, fn, { connectionId: 'ops-azure-devops' });
      expect(asOps.body).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    },
  );

  it('the admin page refuses everyone but Jira admins', async () => {
    for (const role of ['member', 'project-lead', 'viewer']) {
      for (const [functionKey, payload] of [
        ['adminOverview', {}],
        ['saveSiteOptions', { allowedHosts: null }],
      ] as const) {
        const r = (await sandbox.platform.invokeResolver({
          installationId: sandbox.installationId,
          moduleKey: 'crosswalk-admin',
          functionKey,
          payload,
          accountId: jira.userId(role),
          context: { extension: { type: 'jira:adminPage' } },
        })) as Answer;
        expect(r).toMatchObject({ ok: true, body: { ok: false, error: { code: 'FORBIDDEN' } } });
      }
    }
  });
});

describe('issue panel resolvers', () => {
  const panelAs = (role: string, issueId: string, functionKey: string, payload?: unknown) =>
    sandbox.platform.invokeResolver({
      installationId: sandbox.installationId,
      moduleKey: 'crosswalk-panel',
      functionKey,
      payload,
      accountId: jira.userId(role),
      context: { extension: { issue: { id: issueId }, project: { id: PROJECTS.DEMO.id } } },
    }) as Promise<Answer>;
  let issueId: string;
  beforeAll(async () => {
    issueId = (
      (
        await jira.request({ as: 'member' }, 'POST', '/rest/api/3/issue', {
          fields: { project: { key: 'DEMO' }, issuetype: { name: 'Task' }, summary: 'Panel permissions' },
        })
      ).json as { id: string }
    ).id;
    await sandbox.settle();
  });

  it.each([
    ['linkIssue', { remoteKey: 'INC0010001' }],
    ['unlinkIssue', undefined],
    ['searchRemote', { query: 'INC' }],
    ['createInRemote', { connectionId: 'demo-servicenow' }],
    // Sync now makes the app write both sides: an action, for who may edit the issue (the README says so too).
    ['syncIssueNow', undefined],
  ])('%s refuses someone who may only browse the issue', async (fn, payload) => {
    const before = queued();
    const r = await panelAs('viewer', issueId, fn, payload);
    expect(r.body).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(queued()).toBe(before);
  });

  // Someone who cannot browse the issue gets nothing, not even whether it is linked.
  it.each(['getIssueSync'])('%s serves who may browse the issue and refuses who may not', async (fn) => {
    expect((await panelAs('viewer', issueId, fn)).body).toMatchObject({ ok: true });
    const before = queued();
    expect((await panelAs('customer', issueId, fn)).body).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(queued()).toBe(before);
  });
});

/** A panel resolver as `role`, with the context a browser could send: any project, any issue. */
const panelIn = (
  role: string,
  project: { id: string },
  issueId: string,
  functionKey: string,
  payload?: unknown,
): Promise<Answer> =>
  sandbox.platform.invokeResolver({
    installationId: sandbox.installationId,
    moduleKey: 'crosswalk-panel',
    functionKey,
    payload,
    accountId: jira.userId(role),
    context: { extension: { issue: { id: issueId }, project: { id: project.id } } },
  }) as Promise<Answer>;

const newIssue = async (as: 'admin' | 'member', key: string, summary: string, labels: string[] = []) =>
  (
    await jira.request({ as }, 'POST', '/rest/api/3/issue', {
      fields: { project: { key }, issuetype: { name: 'Task' }, summary, ...(labels.length ? { labels } : {}) },
    })
  ).json as { id: string; key: string };

const snAgent = () => serviceNowClient(sandbox.sims.servicenow, sandbox.sims.servicenow.credentials.agent);
const incidentRow = (sysId: string) => ({
  ...sandbox.servicenow.store.rows('incident').find((r) => r.sys_id === sysId)!,
});
const journalOf = (sysId: string) =>
  sandbox.servicenow.store
    .rows('sys_journal_field')
    .filter((j) => j.element_id === sysId)
    .map((j) => `${j.element}: ${j.value}`);
const jiraComments = async (key: string) =>
  (
    (await jira.request({ as: 'admin' }, 'GET', `/rest/api/3/issue/${key}/comment`)).json as {
      comments: Array<{ body: unknown; jsdPublic: boolean }>;
    }
  ).comments.map((c) => ({ text: JSON.stringify(c.body), jsdPublic: c.jsdPublic }));
const linkOf = async (issueId: string) =>
  (
    await sandbox.platform
      .installation(sandbox.installationId)
      .kvs.handle('/api/v1/entity/get', { entityName: 'link', key: issueId })
  ).body as { value?: { remoteId: string } } | { code: string };

describe('the issue panel reaches only what its connection syncs', () => {
  // DEMO's connection syncs the incidents Crosswalk makes for its issues, and lets software incidents be linked by
  // hand (its linkFilter); the integration account reads every incident of the instance.
  let payroll: { sys_id: string; number: string };
  let printer: { sys_id: string; number: string };
  let mine: { id: string; key: string };

  beforeAll(async () => {
    payroll = (
      await snAgent()('POST', '/api/now/table/incident', {
        short_description: 'Payroll export lists every salary',
        category: 'inquiry',
        urgency: '1',
        state: '2',
      })
    ).json.result;
    await snAgent()('PATCH', `/api/now/table/incident/${payroll.sys_id}`, {
      work_notes: 'INTERNAL: the board salaries are in the export',
    });
    printer = (
      await snAgent()('POST', '/api/now/table/incident', {
        short_description: 'Printer queue stuck on floor 3',
        category: 'software',
        urgency: '1',
        state: '2',
      })
    ).json.result;
    await snAgent()('PATCH', `/api/now/table/incident/${printer.sys_id}`, { comments: 'Restarted the spooler' });
    await snAgent()('PATCH', `/api/now/table/incident/${printer.sys_id}`, {
      work_notes: 'INTERNAL: the print server admin password was rotated',
    });
    await sandbox.settle();
    // A member's own issue, synced to its own incident and then unlinked: free to be linked again.
    sandbox.platform.manualClock.advance(60_000);
    mine = await newIssue('member', 'DEMO', 'My printing is broken');
    await jira.request({ as: 'member' }, 'POST', `/rest/api/3/issue/${mine.key}/comment`, {
      body: adf('Seen from my laptop too'),
    });
    await sandbox.settle();
    expect((await panelIn('member', PROJECTS.DEMO, mine.id, 'unlinkIssue')).body).toMatchObject({
      ok: true,
      data: { unlinked: true },
    });
  }, 60_000);

  it('a member searching "payroll" finds no incident the connection does not sync, by words or number', async () => {
    for (const text of ['payroll', payroll.number])
      expect((await panelIn('member', PROJECTS.DEMO, mine.id, 'searchRemote', { text })).body).toEqual({
        ok: true,
        data: { system: 'ServiceNow', items: [] },
      });
  });

  it('linking such an incident to their own issue is refused, and syncing then changes neither side', async () => {
    const before = incidentRow(payroll.sys_id);
    const journal = journalOf(payroll.sys_id);
    const r = await panelIn('member', PROJECTS.DEMO, mine.id, 'linkIssue', { remoteKey: payroll.number });
    expect(r.body).toEqual({
      ok: false,
      error: {
        code: 'FORBIDDEN',
        message: `${payroll.number} is not among the ServiceNow items DEMO ↔ ACME incidents syncs`,
      },
    });
    await panelIn('member', PROJECTS.DEMO, mine.id, 'syncIssueNow');
    await sandbox.settle();
    expect(incidentRow(payroll.sys_id)).toEqual(before);
    expect(journalOf(payroll.sys_id)).toEqual(journal);
    expect(JSON.stringify(await jiraComments(mine.key))).not.toContain('INTERNAL');
    expect(await linkOf(mine.id)).toMatchObject({ code: 'KEY_NOT_FOUND' });
  });

  it('an incident the connection syncs, linked by hand, starts from the incident: nothing is written to it, and its work note arrives internal', async () => {
    sandbox.platform.manualClock.advance(60_000);
    await jira.request({ as: 'member' }, 'PUT', `/rest/api/3/issue/${mine.key}`, {
      fields: { summary: 'My printing is broken, urgently' },
    });
    const before = incidentRow(printer.sys_id);
    const journal = journalOf(printer.sys_id);
    expect((await panelIn('member', PROJECTS.DEMO, mine.id, 'linkIssue', { remoteKey: printer.number })).body).toEqual({
      ok: true,
      data: { remoteKey: printer.number },
    });
    await sandbox.settle();
    // The issue, changed last, did not win: the incident is as it was, not even a comment was added to it.
    expect(incidentRow(printer.sys_id)).toEqual(before);
    expect(journalOf(printer.sys_id)).toEqual(journal);
    const issue = (
      await jira.request({ as: 'member' }, 'GET', `/rest/api/3/issue/${mine.key}?fields=summary,status,priority`)
    ).json as { fields: { summary: string; status: { name: string }; priority: { name: string } } };
    expect([issue.fields.summary, issue.fields.status.name, issue.fields.priority.name]).toEqual([
      'Printer queue stuck on floor 3',
      'In Progress',
      'High',
    ]);
    // The incident's comment is public in Jira, its work note internal; the issue's own comment stays in Jira.
    const comments = await jiraComments(mine.key);
    expect(comments.filter((c) => c.text.includes('Restarted the spooler'))).toEqual([
      expect.objectContaining({ jsdPublic: true }),
    ]);
    expect(comments.filter((c) => c.text.includes('INTERNAL: the print server'))).toEqual([
      expect.objectContaining({ jsdPublic: false }),
    ]);
    // A Jira change made after the link crosses as usual; what the issue held before still does not.
    await jira.request({ as: 'member' }, 'PUT', `/rest/api/3/issue/${mine.key}`, {
      fields: { summary: 'Printer queue stuck on floor 3 and 4' },
    });
    await sandbox.settle();
    // Sync now looks at every comment and file, as the sweep does.
    await panelIn('member', PROJECTS.DEMO, mine.id, 'syncIssueNow');
    await sandbox.settle();
    expect(incidentRow(printer.sys_id).short_description).toBe('Printer queue stuck on floor 3 and 4');
    expect(journalOf(printer.sys_id)).toEqual(journal);
  });

  describe('through another project’s connection to the same instance', () => {
    const OPS_SERVICENOW = 'ops-servicenow';
    let opsIssue: { id: string; key: string };

    beforeAll(async () => {
      // OPS also reaches ServiceNow (for issues labelled ops-incidents), with the same linking scope as DEMO.
      const saved = await settings('admin', PROJECTS.OPS, 'saveConnection', {
        settings: { ...demoServiceNowConnection, name: 'OPS ↔ ACME incidents', jql: 'labels = ops-incidents' },
        credential: { password: sandbox.sims.servicenow.credentials.integration.password },
      });
      expect(saved.body).toMatchObject({ ok: true, data: { config: { id: OPS_SERVICENOW } } });
      opsIssue = await newIssue('admin', 'OPS', 'Printers down in the warehouse');
      await sandbox.settle();
      // Synced to Azure DevOps (OPS's first connection), then unlinked: free to be linked again.
      expect((await panelIn('admin', PROJECTS.OPS, opsIssue.id, 'unlinkIssue')).body).toMatchObject({
        ok: true,
        data: { unlinked: true },
      });
    }, 60_000);

    it('an incident already linked to a DEMO issue shows as linked and cannot be linked again', async () => {
      const found = await panelIn('admin', PROJECTS.OPS, opsIssue.id, 'searchRemote', {
        text: printer.number,
        connectionId: OPS_SERVICENOW,
      });
      expect(found.body).toMatchObject({
        ok: true,
        data: { items: [{ remoteKey: printer.number, linkedTo: 'an issue of another connection' }] },
      });
      // Inside this connection's JQL, so only the incident's link stands in the way.
      await jira.request({ as: 'admin' }, 'PUT', `/rest/api/3/issue/${opsIssue.key}`, {
        fields: { labels: ['ops-incidents'] },
      });
      const r = await panelIn('admin', PROJECTS.OPS, opsIssue.id, 'linkIssue', {
        remoteKey: printer.number,
        connectionId: OPS_SERVICENOW,
      });
      expect(r.body).toEqual({
        ok: false,
        error: { code: 'BAD_REQUEST', message: `${printer.number} is already linked to another issue` },
      });
      await sandbox.settle();
      expect(await linkOf(opsIssue.id)).toMatchObject({ code: 'KEY_NOT_FOUND' });
      await jira.request({ as: 'admin' }, 'PUT', `/rest/api/3/issue/${opsIssue.key}`, { fields: { labels: [] } });
      await sandbox.settle();
    });

    it("Create in the remote stays inside the connection's JQL, when asked and when the job runs", async () => {
      const incidentsOf = (issueId: string) =>
        sandbox.servicenow.store
          .rows('incident')
          .filter((r) => (r.correlation_id ?? '').endsWith(`:${OPS_SERVICENOW}:${issueId}`));
      const r = await panelIn('admin', PROJECTS.OPS, opsIssue.id, 'createInRemote', { connectionId: OPS_SERVICENOW });
      expect(r.body).toEqual({
        ok: false,
        error: {
          code: 'BAD_REQUEST',
          message: 'This issue is outside the issues OPS ↔ ACME incidents syncs (its filter), so it cannot sync there',
        },
      });
      await sandbox.settle();
      expect(incidentsOf(opsIssue.id)).toEqual([]);
      // Asked while inside the JQL, and out of it before the job ran: the worker checks again.
      await jira.request({ as: 'admin' }, 'PUT', `/rest/api/3/issue/${opsIssue.key}`, {
        fields: { labels: ['ops-incidents'] },
      });
      await sandbox.settle();
      sandbox.platform.pauseQueues();
      try {
        expect(
          (await panelIn('admin', PROJECTS.OPS, opsIssue.id, 'createInRemote', { connectionId: OPS_SERVICENOW })).body,
        ).toMatchObject({ ok: true, data: { queued: true } });
        await jira.request({ as: 'admin' }, 'PUT', `/rest/api/3/issue/${opsIssue.key}`, { fields: { labels: [] } });
      } finally {
        sandbox.platform.resumeQueues();
      }
      await sandbox.settle();
      expect(incidentsOf(opsIssue.id)).toEqual([]);
    });
  });
});

const cannotSee = { ok: false, error: { code: 'FORBIDDEN', message: 'You cannot see this issue.' } };
const cannotEdit = { ok: false, error: { code: 'FORBIDDEN', message: 'You need permission to edit this issue.' } };

describe('the issue panel ties the issue to the project it names', () => {
  let opsIssue: { id: string; key: string };
  beforeAll(async () => {
    opsIssue = await newIssue('admin', 'OPS', 'Only OPS may see this');
    await sandbox.settle();
    expect(await linkOf(opsIssue.id)).toMatchObject({ value: expect.anything() });
  }, 60_000);

  it('a DEMO member naming DEMO and an OPS issue they cannot see gets nothing and unlinks nothing', async () => {
    for (const fn of ['getIssueSync', 'issuePanelAccess'])
      expect((await panelIn('member', PROJECTS.DEMO, opsIssue.id, fn)).body).toEqual(cannotSee);
    // Sync now, like every action on the panel, needs Edit issues, so it is refused as an edit.
    for (const fn of ['syncIssueNow', 'unlinkIssue'])
      expect((await panelIn('member', PROJECTS.DEMO, opsIssue.id, fn)).body).toEqual(cannotEdit);
    expect(await linkOf(opsIssue.id)).toMatchObject({ value: expect.anything() });
  });

  it("the DEMO lead, who also works in OPS, cannot pair an OPS issue with DEMO's connection", async () => {
    expect((await panelIn('admin', PROJECTS.OPS, opsIssue.id, 'unlinkIssue')).body).toMatchObject({ ok: true });
    const r = await panelIn('project-lead', PROJECTS.DEMO, opsIssue.id, 'linkIssue', { remoteKey: 'INC0010001' });
    expect(r.body).toEqual(cannotEdit);
    await sandbox.settle();
    expect(await linkOf(opsIssue.id)).toMatchObject({ code: 'KEY_NOT_FOUND' });
  });
});

describe('notifications', () => {
  const snWebhook = () =>
    `${sandbox.platform.webTriggerUrl(sandbox.installationId, 'remote-webhook')}/servicenow/demo-servicenow`;
  const snNotice = (sentAt: number) =>
    JSON.stringify({
      event: 'update',
      table: 'incident',
      sys_id: sandbox.servicenow.store.rows('incident')[0]!.sys_id,
      user: 'beth.agent',
      sent_at: sentAt,
    });
  const post = (url: string, body: string, headers: Record<string, string>) =>
    fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  const sign = (secret: string, body: string) => createHmac('sha256', secret).update(body).digest('base64');

  it('ServiceNow: forged, stale and replayed notifications are refused and enqueue nothing', async () => {
    const now = Math.floor(sandbox.platform.clock.now() / 1000);
    const before = queued();
    const body = snNotice(now);
    expect((await post(snWebhook(), body, { 'x-servicenow-signature': sign('not-the-secret', body) })).status).toBe(
      401,
    );
    const stale = snNotice(now - 3600);
    expect(
      (await post(snWebhook(), stale, { 'x-servicenow-signature': sign(DEMO_WEBHOOK_SECRET, stale) })).status,
    ).toBe(401);
    expect(queued()).toBe(before);
    const genuine = await post(snWebhook(), body, { 'x-servicenow-signature': sign(DEMO_WEBHOOK_SECRET, body) });
    expect(genuine.status).toBe(202);
    const afterGenuine = queued();
    const replay = await post(snWebhook(), body, { 'x-servicenow-signature': sign(DEMO_WEBHOOK_SECRET, body) });
    expect(await replay.text()).toBe('Already received');
    expect(queued()).toBe(afterGenuine);
    await sandbox.settle();
  });

  it('Azure DevOps: forged and stale hook deliveries are refused and enqueue nothing', async () => {
    const wi = [...(sandbox.azureDevOps.store.workItems.get('acme')?.keys() ?? [])][0] ?? 1;
    const before = queued();
    for (const variant of [{ forged: true }, { ageSeconds: 3600 }]) {
      const res = (await (
        await fetch(`${sandbox.sims.azureDevOps.controlUrl}/hooks/send`, {
          method: 'POST',
          body: JSON.stringify({ workItemId: wi, ...variant }),
        })
      ).json()) as { status: number };
      expect(res.status).toBe(401);
    }
    expect(queued()).toBe(before);
  });

  it('Zendesk: forged and stale webhooks are refused and enqueue nothing', async () => {
    const hook = [...sandbox.zendesk.store.webhooks.values()][0]!;
    const body = JSON.stringify({
      ticket_id: '1',
      updated_at: '2026-01-01T00:00:00Z',
      event: 'ticket',
      changed_by: 'someone@acme.example',
    });
    const before = queued();
    for (const variant of [{ forged: true }, { ageSeconds: 3600 }]) {
      const res = (await (
        await fetch(`${sandbox.sims.zendesk.controlUrl}/webhooks/deliveries/send`, {
          method: 'POST',
          body: JSON.stringify({ webhook_id: hook.id, body, ...variant }),
        })
      ).json()) as { status: number };
      expect(res.status).toBe(401);
    }
    expect(queued()).toBe(before);
  });

  it('an unknown system or connection answers exactly like a bad signature', async () => {
    const base = sandbox.platform.webTriggerUrl(sandbox.installationId, 'remote-webhook');
    const body = snNotice(Math.floor(sandbox.platform.clock.now() / 1000));
    const statuses = await Promise.all(
      [`${base}/servicenow/no-such-connection`, `${base}/servicenow/ops-azure-devops`].map(
        async (u) => (await post(u, body, { 'x-servicenow-signature': sign(DEMO_WEBHOOK_SECRET, body) })).status,
      ),
    );
    expect(statuses).toEqual([401, 401]);
    // A system the registry does not implement.
    expect((await post(`${base}/asana/x-1`, body, {})).status).toBe(404);
  });
});

/** The custom entities the app declares, with their attributes' types (manifest.yml `app.storage.entities`). */
const declaredEntities = () =>
  (
    yaml.parse(readFileSync(path.join(__dirname, '../../manifest.yml'), 'utf8')) as {
      app: { storage: { entities: Array<{ name: string; attributes: Record<string, { type: string }> }> } };
    }
  ).app.storage.entities;

/**
 * Everything the app keeps outside secret storage, read as the SDK reads it:
 * every KVS key, page after page, and every entity the manifest declares,
 * through its implicit `by-key` index, page after page.
 */
async function storedOutsideSecrets(installationId: string) {
  const kvs = sandbox.platform.installation(installationId).kvs;
  type Page = { data?: Array<{ key: string; value: unknown }>; cursor?: string };
  const keys: Array<{ key: string; value: unknown }> = [];
  let after: string | undefined;
  do {
    const page = (await kvs.handle('/api/v1/query', { limit: 100, ...(after ? { after } : {}) })).body as Page;
    keys.push(...(page.data ?? []));
    after = page.cursor;
  } while (after);
  const entities: Record<string, Array<{ key: string; value: unknown }>> = {};
  for (const { name } of declaredEntities()) {
    entities[name] = [];
    let cursor: string | undefined;
    do {
      const page = (
        await kvs.handle('/api/v1/entity/query', {
          entityName: name,
          indexName: 'by-key',
          limit: 100,
          ...(cursor ? { cursor } : {}),
        })
      ).body as Page;
      entities[name].push(...(page.data ?? []));
      cursor = page.cursor;
    } while (cursor);
  }
  return { keys, entities };
}

describe('credentials', () => {
  it('the storage scan reads every key, past the first page, and every entity the manifest declares', async () => {
    const kvs = sandbox.platform.installation(sandbox.installationId).kvs;
    const marker = `scan-marker-${randomBytes(8).toString('hex')}`;
    // More keys than one page holds, sorted after the app's own, the last one carrying the marker; and one record of
    // each entity, every attribute of its declared type.
    const filler = Array.from({ length: 101 }, (_, i) => `zz-scan:${String(i).padStart(3, '0')}`);
    for (const key of filler) await kvs.handle('/api/v1/set', { key, value: key === filler.at(-1) ? marker : 'x' });
    const typed = { string: marker, any: marker, integer: 1, float: 1.5, boolean: true } as Record<string, unknown>;
    for (const e of declaredEntities())
      await kvs.handle('/api/v1/entity/set', {
        entityName: e.name,
        key: 'zz-scan',
        value: Object.fromEntries(Object.entries(e.attributes).map(([a, { type }]) => [a, typed[type]])),
      });
    try {
      const stored = await storedOutsideSecrets(sandbox.installationId);
      expect(stored.keys.length).toBeGreaterThan(101);
      expect(JSON.stringify(stored.keys.at(-1))).toContain(marker);
      expect(Object.keys(stored.entities).sort()).toEqual(
        declaredEntities()
          .map((e) => e.name)
          .sort(),
      );
      for (const [name, records] of Object.entries(stored.entities))
        expect([name, JSON.stringify(records).includes(marker)]).toEqual([name, true]);
    } finally {
      for (const key of filler) await kvs.handle('/api/v1/delete', { key });
      for (const e of declaredEntities())
        await kvs.handle('/api/v1/entity/delete', { entityName: e.name, key: 'zz-scan' });
    }
  });

  it('appear in no resolver answer, log line or non-secret storage value', async () => {
    // Work that touches every connection first.
    const issue = (
      await jira.request({ as: 'member' }, 'POST', '/rest/api/3/issue', {
        fields: { project: { key: 'DEMO' }, issuetype: { name: 'Task' }, summary: 'Security scan' },
      })
    ).json as { key: string };
    await jira.request({ as: 'member' }, 'POST', `/rest/api/3/issue/${issue.key}/comment`, { body: adf('scan') });
    await sandbox.settle();
    const answers: unknown[] = [];
    for (const { project, role } of pairedProjects()) {
      const listed = await settings(role, project, 'listConnections');
      answers.push(listed);
      // The remote's fields are read with the stored credential, which stays on the server.
      for (const c of listed.body.data.connections) {
        const described = await settings(role, project, 'remoteFields', { connectionId: c.config.id });
        expect(described.body).toMatchObject({ ok: true, data: { fields: expect.any(Array) } });
        answers.push(described);
      }
    }
    const logs = sandbox.platform.meter.invocations().flatMap((r) => r.logs);
    const { keys, entities } = await storedOutsideSecrets(sandbox.installationId);
    // Connections, cursors, links and their claims: the scan reads what the work above stored.
    expect(keys.some((k) => k.key.startsWith('connection:'))).toBe(true);
    expect(entities.link?.length).toBeGreaterThan(0);
    expect(entities['link-remote']?.length).toBeGreaterThan(0);
    const stored = JSON.stringify({ keys, entities });
    for (const secret of demoSecrets()) {
      expect(JSON.stringify(answers)).not.toContain(secret);
      expect(logs.filter((l) => l.includes(secret))).toEqual([]);
      expect(stored).not.toContain(secret);
    }
  });
});

describe('where a connection may point', () => {
  it.each([
    'https://evil.example.com',
    'http://acme.service-now.com',
    'https://acme.service-now.com.evil.example',
    'https://user:pw@acme.service-now.com',
    'https://127.0.0.1',
    'https://acme.service-now.com:8443',
  ])('refuses %s (egress only to declared hosts, https)', async (baseUrl) => {
    const r = await settings('project-lead', PROJECTS.DEMO, 'saveConnection', {
      settings: { ...demoServiceNowConnection, name: 'evil', remote: { ...demoServiceNowConnection.remote, baseUrl } },
    });
    expect(r.body).toMatchObject({
      ok: false,
      error: {
        code: 'BAD_REQUEST',
        problems: expect.arrayContaining([expect.objectContaining({ path: 'remote.baseUrl' })]),
      },
    });
  });

  it.each([
    ['127.0.0.1'],
    ['10.1.2.3'],
    ['172.20.0.1'],
    ['192.168.1.1'],
    ['169.254.169.254'],
    ['100.64.0.1'],
    ['::1'],
    ['fd00::1'],
    ['fe80::1'],
    ['::ffff:10.0.0.1'],
    ['0.0.0.0'],
  ])('treats %s as private (SSRF)', (ip) => {
    expect(isPrivateAddress(ip)).toBe(true);
  });

  it('resolves the host when saving: private addresses are refused everywhere, unresolvable names in production', async () => {
    expect(await checkPublicHost('acme.service-now.com', true, async () => ['10.0.0.5'])).toEqual({
      ok: false,
      reason: 'acme.service-now.com resolves to a private address (10.0.0.5)',
    });
    expect(await checkPublicHost('acme.service-now.com', false, async () => ['127.0.0.1'])).toMatchObject({
      ok: false,
    });
    expect(await checkPublicHost('acme.service-now.com', true, async () => ['149.96.5.10'])).toEqual({ ok: true });
    expect(
      await checkPublicHost('acme.service-now.com', true, async () => Promise.reject(new Error('ENOTFOUND'))),
    ).toMatchObject({ ok: false });
    expect(
      await checkPublicHost('acme.service-now.com', false, async () => Promise.reject(new Error('ENOTFOUND'))),
    ).toEqual({ ok: true });
    expect(isPrivateAddress('149.96.5.10')).toBe(false);
  });
});

describe('values from users cannot widen a query', () => {
  it('a JQL filter that does not parse alone is refused (it could close the project clause)', async () => {
    const r = await settings('project-lead', PROJECTS.DEMO, 'saveConnection', {
      connectionId: 'demo-servicenow',
      settings: { ...demoServiceNowConnection, jql: 'labels = x) OR (project = OPS' },
    });
    expect(r.body).toMatchObject({ ok: false, error: { problems: [expect.objectContaining({ path: 'jql' })] } });
  });

  it.each([
    ['DEMO', 'INC0010001^ORactive=true', 'ServiceNow'],
    ['DEMO', 'INC0010001^NQactive=true', 'ServiceNow'],
    ['OPS', "1' OR [System.Id] > '0", 'Azure DevOps'],
    ['SUP', '1 OR 1=1', 'Zendesk'],
  ])('linking %s to %j finds nothing instead of another item', async (key, remoteKey, system) => {
    const project = PROJECTS[key as keyof typeof PROJECTS];
    const issue = (
      await jira.request({ as: 'admin' }, 'POST', '/rest/api/3/issue', {
        fields: {
          project: { key },
          issuetype: { name: 'Task' },
          summary: `Injection ${remoteKey}`,
          labels: ['no-sync'],
        },
      })
    ).json as { id: string };
    await sandbox.settle();
    await sandbox.platform.invokeResolver({
      installationId: sandbox.installationId,
      moduleKey: 'crosswalk-panel',
      functionKey: 'unlinkIssue',
      accountId: jira.userId('admin'),
      context: { extension: { issue: { id: issue.id }, project: { id: project.id } } },
    });
    const r = (await sandbox.platform.invokeResolver({
      installationId: sandbox.installationId,
      moduleKey: 'crosswalk-panel',
      functionKey: 'linkIssue',
      payload: { remoteKey },
      accountId: jira.userId('admin'),
      context: { extension: { issue: { id: issue.id }, project: { id: project.id } } },
    })) as Answer;
    // Not found: any other refusal (outside the connection's scope, already linked) would mean the query found an item.
    expect(r.body).toEqual({
      ok: false,
      error: { code: 'NOT_FOUND', message: `${remoteKey} was not found in ${system}` },
    });
  });

  it.each(['zzz^ORactive=true', 'zzz^NQactive=true', 'zzz^ORDERBYname'])(
    'searching ServiceNow people for %j finds nobody instead of everyone',
    async (text) => {
      const r = await settings('project-lead', PROJECTS.DEMO, 'searchRemoteUsers', {
        connectionId: 'demo-servicenow',
        text,
      });
      expect(r.body).toEqual({ ok: true, data: { users: [] } });
    },
  );
});

describe('remote markup', () => {
  it('ServiceNow HTML and script reach Jira as text only', async () => {
    const issue = (
      await jira.request({ as: 'member' }, 'POST', '/rest/api/3/issue', {
        fields: { project: { key: 'DEMO' }, issuetype: { name: 'Task' }, summary: 'Markup from ServiceNow' },
      })
    ).json as { id: string };
    await sandbox.settle();
    const incident = sandbox.servicenow.store
      .rows('incident')
      .find((r) => (r.correlation_id ?? '').endsWith(`:demo-servicenow:${issue.id}`))!;
    await serviceNowClient(sandbox.sims.servicenow, sandbox.sims.servicenow.credentials.agent)(
      'PATCH',
      `/api/now/table/incident/${incident.sys_id}`,
      {
        comments:
          '[code]<script>alert(1)</script><img src=x onerror=alert(2)><b>bold</b> <a href="javascript:alert(3)">link</a>[/code]',
      },
    );
    await sandbox.settle();
    const body = JSON.stringify(
      sandbox.jira.site.state.issues.find((i) => i.id === issue.id)!.comments.map((c) => c.body),
    );
    expect(body).toContain('bold');
    for (const bad of ['<script', 'onerror', '<img', 'javascript:', '<b>']) expect(body).not.toContain(bad);
  });
});

describe('installations', () => {
  let siteB: JiraSim;
  let siteBId: string;

  beforeAll(async () => {
    // A second Jira site with the same project keys and issue ids, paired with the same ServiceNow instance.
    const token = randomBytes(24).toString('hex');
    siteB = await startJiraSim({
      platformToken: token,
      appAccountId: '557058:f0d1a2b3-crosswalk-app',
      now: () => sandbox.platform.clock.now(),
      onEvent: (report) => siteBId && sandbox.platform.deliverProductEvent(siteBId, report),
    });
    siteBId = (
      await sandbox.platform.install({
        installationId: 'second-site',
        cloudId: '7a1c5a7e-9d4b-4c3a-8e6f-1b2c3d4e5f61',
        siteUrl: 'https://second.atlassian.net',
        jiraBaseUrl: siteB.baseUrl,
        platformToken: token,
      })
    ).id;
    const lead = siteB.site.state.users.find((u) => u.role === 'project-lead')!;
    const saved = await sandbox.platform.invokeResolver({
      installationId: siteBId,
      moduleKey: 'crosswalk-settings',
      functionKey: 'saveConnection',
      accountId: lead.accountId,
      context: { extension: { type: 'jira:projectSettingsPage', project: PROJECTS.DEMO } },
      payload: {
        settings: demoServiceNowConnection,
        credential: { password: sandbox.sims.servicenow.credentials.integration.password },
      },
    });
    expect(saved).toMatchObject({ ok: true, body: { ok: true, data: { config: { id: 'demo-servicenow' } } } });
  }, 60_000);
  afterAll(() => siteB.stop());

  it('keep their data apart: the same issue id on two sites makes two incidents, each linked only on its own site', async () => {
    const a = (
      await jira.request({ as: 'member' }, 'POST', '/rest/api/3/issue', {
        fields: { project: { key: 'DEMO' }, issuetype: { name: 'Task' }, summary: 'Site A private summary' },
      })
    ).json as { id: string };
    const siteBClient = jiraClient(siteB, '');
    void siteBClient;
    // Site B's issue gets the same id as site A's by creating issues until the counters meet.
    let b: { id: string } = { id: '' };
    while (Number(b.id || 0) < Number(a.id)) {
      const res = await fetch(`${siteB.baseUrl}/rest/api/3/issue`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Basic ${Buffer.from(`${siteB.site.state.users.find((u) => u.role === 'member')!.emailAddress}:${siteB.site.state.users.find((u) => u.role === 'member')!.apiToken}`).toString('base64')}`,
        },
        body: JSON.stringify({
          fields: { project: { key: 'DEMO' }, issuetype: { name: 'Task' }, summary: 'Site B private summary' },
        }),
      });
      b = (await res.json()) as { id: string };
    }
    expect(b.id).toBe(a.id);
    await sandbox.settle();
    const incidents = sandbox.servicenow.store
      .rows('incident')
      .filter((r) => (r.correlation_id ?? '').endsWith(`:demo-servicenow:${a.id}`));
    expect(incidents).toHaveLength(2);
    expect(new Set(incidents.map((r) => r.correlation_id)).size).toBe(2);
    expect(incidents.map((r) => r.short_description).sort()).toEqual([
      'Site A private summary',
      'Site B private summary',
    ]);
    // Each site's link points at its own incident.
    const linkOf = async (installationId: string) =>
      (
        (
          await sandbox.platform
            .installation(installationId)
            .kvs.handle('/api/v1/entity/get', { entityName: 'link', key: a.id })
        ).body as { value: { remoteId: string } }
      ).value.remoteId;
    expect(await linkOf(sandbox.installationId)).not.toBe(await linkOf(siteBId));
  });
});
