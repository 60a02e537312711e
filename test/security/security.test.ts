/**
 * The security suite, over every implemented connector: what an attacker, a
 * curious admin of another project or a second Jira site must not be able to
 * do. Each case runs through the real platform and simulators.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { startSandbox, type Sandbox } from '../../sandbox/sandbox';
import { startJiraSim, type JiraSim } from '../../sandbox/sims/jira';
import { adf, jiraClient } from '../../sandbox/sims/jira/test-client';
import { serviceNowClient } from '../../sandbox/sims/servicenow/test-client';
import { demoServiceNowConnection, DEMO_WEBHOOK_SECRET } from '../../sandbox/demo/servicenow-connection';
import { checkPublicHost, isPrivateAddress } from '../../src/connectors/address-guard';
import { implementedSystems } from '../../src/connectors/registry';

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

/** The demo connections and their secrets, one per implemented system. */
const demoSecrets = () => [
  sandbox.sims.servicenow.credentials.integration.password,
  DEMO_WEBHOOK_SECRET,
  sandbox.sims.azureDevOps.credentials.pat,
  sandbox.sims.zendesk.credentials.apiToken,
];

describe('every implemented system is covered', () => {
  it('pairs a demo project with each system the registry implements', async () => {
    const kinds = implementedSystems()
      .map((s) => s.kind)
      .sort();
    const paired = [];
    for (const project of Object.values(PROJECTS)) {
      const role = project.key === 'OPS' ? 'admin' : 'project-lead';
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
    expect((await post(`${base}/github/x-1`, body, {})).status).toBe(404);
  });
});

describe('credentials', () => {
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
    for (const [key, project] of Object.entries(PROJECTS)) {
      const role = key === 'OPS' ? 'admin' : 'project-lead';
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
    const kvs = sandbox.platform.installation(sandbox.installationId).kvs;
    const plain = (await kvs.handle('/api/v1/query', { limit: 100 })).body as { data?: Array<{ value: unknown }> };
    expect(plain.data?.length).toBeGreaterThan(5);
    const stored = JSON.stringify(plain);
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
    ['DEMO', 'INC0010001^ORactive=true'],
    ['DEMO', 'INC0010001^NQactive=true'],
    ['OPS', "1' OR [System.Id] > '0"],
    ['SUP', '1 OR 1=1'],
  ])('linking %s to %j finds nothing instead of another item', async (key, remoteKey) => {
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
    expect(r.body).toMatchObject({ ok: false });
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
