/**
 * The UI's resolvers through the platform, as each role: every one checks the
 * caller's Jira permission on the server, validates its input with field-level
 * problems, and never answers a credential.
 */
import { startSandbox, type Sandbox } from '../../sandbox/sandbox';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ clock: 'manual' });
}, 120_000);
afterAll(async () => {
  await sandbox?.stop();
});

const PASSWORD = 'never-shown-7f3a';
const accountOf = (role: string) => sandbox.users.find((u) => u.role === role)!.accountId;
const projectContext = { extension: { type: 'jira:projectSettingsPage', project: { id: '10000', key: 'DEMO' } } };
// DEMO-1, the simulator's first seeded issue: the panel's resolvers ask Jira whether it is in the project named.
const issueContext = {
  extension: { type: 'jira:issuePanel', project: { id: '10000', key: 'DEMO' }, issue: { id: '10001', key: 'DEMO-1' } },
};

async function call(
  role: string,
  functionKey: string,
  payload: Record<string, unknown> = {},
  context: Record<string, unknown> = projectContext,
  moduleKey = 'crosswalk-settings',
) {
  const r = await sandbox.platform.invokeResolver({
    installationId: sandbox.installationId,
    moduleKey,
    functionKey,
    accountId: accountOf(role),
    context,
    payload,
  });
  if (!r.ok) throw new Error(`${functionKey} failed: ${r.error}`);
  return r.body as {
    ok: boolean;
    data?: any;
    error?: { code: string; message: string; problems?: Array<{ path: string; message: string }> };
  };
}

describe('project settings resolvers', () => {
  it.each([
    'listConnections',
    'countMatchingIssues',
    'connectionFailures',
    'retryFailures',
    'reorderConnections',
    'changePushSetup',
    'newSigningSecret',
  ])('%s refuses a member', async (fn) => {
    const r = await call('member', fn, { connectionId: 'demo-servicenow', jql: '' });
    expect(r.error?.code).toBe('FORBIDDEN');
  });

  it('describes each registered system with its settings shape and the secret each sign-in needs', async () => {
    const r = await call('project-lead', 'listConnections');
    const sn = r.data.systems.find((s: { kind: string }) => s.kind === 'servicenow');
    expect(sn.settingsSchema.properties.baseUrl).toBeDefined();
    expect(sn.credentialFields).toEqual({ basic: ['password'], oauth: ['clientSecret'] });
    expect(r.data.connections[0].credentialFields).toContain('password');
  });

  it('never answers a credential, from any resolver', async () => {
    const saved = await call('project-lead', 'saveConnection', {
      settings: {
        name: 'Secret check',
        enabled: false,
        remote: {
          type: 'servicenow',
          baseUrl: 'https://acme.service-now.com',
          table: 'incident',
          auth: { kind: 'basic', username: 'crosswalk.integration' },
        },
        fields: [{ jira: 'summary', remote: 'short_description' }],
      },
      credential: { password: PASSWORD },
    });
    expect(saved.ok).toBe(true);
    const answers = [
      saved,
      await call('project-lead', 'listConnections'),
      await call('admin', 'adminOverview', {}, {}, 'crosswalk-admin'),
    ];
    for (const a of answers) expect(JSON.stringify(a)).not.toContain(PASSWORD);
    expect(JSON.stringify(answers)).not.toContain(sandbox.sims.servicenow.credentials.integration.password);
    // The signing secret is answered once, when an admin asks for a new one to paste, and never again.
    const fresh = await call('project-lead', 'newSigningSecret', { connectionId: saved.data.config.id });
    const setup = await call('project-lead', 'changePushSetup', { connectionId: saved.data.config.id });
    expect(setup.data).toMatchObject({ mode: 'manual', secretSet: true });
    expect(setup.data.url).toMatch(new RegExp(`/servicenow/${saved.data.config.id}$`));
    expect(JSON.stringify([setup, await call('project-lead', 'listConnections')])).not.toContain(fresh.data.secret);

    // Reordering names each of the project's connections once.
    const ids = (await call('project-lead', 'listConnections')).data.connections.map(
      (c: { config: { id: string } }) => c.config.id,
    );
    expect(
      (await call('project-lead', 'reorderConnections', { connectionIds: [ids[0]] })).error?.problems?.[0]?.path,
    ).toBe('connectionIds');
    expect((await call('project-lead', 'reorderConnections', { connectionIds: [...ids].reverse() })).ok).toBe(true);
    expect(
      (await call('project-lead', 'listConnections')).data.connections.map(
        (c: { config: { id: string } }) => c.config.id,
      ),
    ).toEqual([...ids].reverse());
    await call('project-lead', 'deleteConnection', { connectionId: saved.data.config.id });
  });

  it("counts the issues a filter selects, and answers Jira's parse errors at the field", async () => {
    const all = await call('project-lead', 'countMatchingIssues', { jql: '' });
    expect(all.data.count).toBeGreaterThan(0);
    const bad = await call('project-lead', 'countMatchingIssues', { jql: 'labels = x) OR (project = OPS' });
    expect(bad.error?.problems?.[0]?.path).toBe('jql');
    const ordered = await call('project-lead', 'countMatchingIssues', { jql: 'labels = x ORDER BY key' });
    expect(ordered.error?.problems).toEqual([{ path: 'jql', message: 'The filter cannot have ORDER BY' }]);
    const invalid = await call('project-lead', 'countMatchingIssues', { jql: 42 });
    expect(invalid.error).toMatchObject({ code: 'BAD_REQUEST', problems: [{ path: 'jql' }] });
  });

  it("validates ids and refuses another project's connection like a missing one", async () => {
    const bad = await call('project-lead', 'connectionFailures', { connectionId: '../x' });
    expect(bad.error?.problems?.[0]?.path).toBe('connectionId');
    // Lee Lead administers DEMO only; OPS's connection is not theirs.
    const opsContext = { extension: { type: 'jira:projectSettingsPage', project: { id: '10001', key: 'OPS' } } };
    expect((await call('project-lead', 'listConnections', {}, opsContext)).error?.code).toBe('FORBIDDEN');
    const other = await call('project-lead', 'retryFailures', { connectionId: 'ops-azure-devops' });
    expect(other.error?.code).toBe('NOT_FOUND');
    const unknown = await call('project-lead', 'retryFailures', {
      connectionId: 'demo-servicenow',
      failureIds: ['jira:999999'],
    });
    expect(unknown.error?.problems?.[0]?.path).toBe('failureIds');
  });

  it('remoteFields describes a saved connection with its stored credential, or says at remoteFields why it cannot', async () => {
    const described = await call('project-lead', 'remoteFields', { connectionId: 'demo-servicenow' });
    expect(described.data.fields).toContainEqual({
      id: 'state',
      name: 'State',
      kind: 'choice',
      values: expect.arrayContaining([{ value: '6', label: 'Resolved' }]),
    });
    // What the incident table computes from other fields: its priority, from impact and urgency.
    expect(described.data.derived).toEqual([
      expect.objectContaining({ field: 'priority', inputs: ['impact', 'urgency'] }),
    ]);
    expect((await call('project-lead', 'remoteFields', { connectionId: 'Not an id!' })).error).toMatchObject({
      code: 'BAD_REQUEST',
      problems: [{ path: 'connectionId' }],
    });
    expect(
      (await call('project-lead', 'remoteFields', { connectionId: 'demo-servicenow', extra: 1 })).error?.code,
    ).toBe('BAD_REQUEST');
    expect((await call('project-lead', 'remoteFields', { connectionId: 'nothing-here' })).error?.code).toBe(
      'NOT_FOUND',
    );
    // No read access to the dictionary: the page is told, and keeps typed names.
    await fetch(`${sandbox.sims.servicenow.controlUrl}/faults`, {
      method: 'POST',
      body: JSON.stringify({ path: '/api/now/table/sys_dictionary', status: 403, times: 1 }),
    });
    const denied = await call('project-lead', 'remoteFields', { connectionId: 'demo-servicenow' });
    expect(denied.error?.problems).toEqual([
      {
        path: 'remoteFields',
        message: expect.stringContaining('did not let the integration user read its field definitions'),
      },
    ]);
    // A connection saved without its secret, and one whose secret the instance refuses.
    const settings = {
      name: 'Fields check',
      enabled: false,
      remote: {
        type: 'servicenow',
        baseUrl: 'https://acme.service-now.com',
        table: 'incident',
        auth: { kind: 'basic', username: 'crosswalk.integration' },
      },
      fields: [{ jira: 'summary', remote: 'short_description' }],
    };
    const bare = await call('project-lead', 'saveConnection', { settings });
    const missing = await call('project-lead', 'remoteFields', { connectionId: bare.data.config.id });
    expect(missing.error?.problems?.[0]).toEqual({
      path: 'remoteFields',
      message: expect.stringContaining('no password'),
    });
    await call('project-lead', 'saveConnection', {
      connectionId: bare.data.config.id,
      settings,
      credential: { password: 'wrong-password' },
    });
    const refused = await call('project-lead', 'remoteFields', { connectionId: bare.data.config.id });
    expect(refused.error?.problems?.[0]?.message).toMatch(/^ServiceNow refused the connection's sign-in .*HTTP 401/);
    expect(JSON.stringify(refused)).not.toContain('wrong-password');
    await call('project-lead', 'deleteConnection', { connectionId: bare.data.config.id });
  });

  it("searchRemoteUsers finds the remote's people of a saved connection by part of a name, with the id the user table stores, or says at remoteUsers why it cannot", async () => {
    const beth = sandbox.servicenow.store.userByName('beth.agent')!;
    const found = await call('project-lead', 'searchRemoteUsers', { connectionId: 'demo-servicenow', text: 'Beth' });
    expect(found.data).toEqual({ users: [{ id: beth.sys_id, name: 'Beth Agent', email: 'beth@acme.example' }] });
    expect(
      (await call('project-lead', 'searchRemoteUsers', { connectionId: 'demo-servicenow', text: '  ' })).error,
    ).toMatchObject({ code: 'BAD_REQUEST', problems: [{ path: 'text' }] });
    expect(
      (await call('project-lead', 'searchRemoteUsers', { connectionId: 'demo-servicenow', text: 'x'.repeat(101) }))
        .error?.problems?.[0]?.path,
    ).toBe('text');
    expect(
      (await call('project-lead', 'searchRemoteUsers', { connectionId: 'demo-servicenow', text: 'Beth', extra: 1 }))
        .error?.code,
    ).toBe('BAD_REQUEST');
    expect(
      (await call('project-lead', 'searchRemoteUsers', { connectionId: 'Not an id!', text: 'Beth' })).error,
    ).toMatchObject({ code: 'BAD_REQUEST', problems: [{ path: 'connectionId' }] });
    expect(
      (await call('project-lead', 'searchRemoteUsers', { connectionId: 'nothing-here', text: 'Beth' })).error?.code,
    ).toBe('NOT_FOUND');
    // Another project's connection answers like a missing one.
    expect(
      (await call('project-lead', 'searchRemoteUsers', { connectionId: 'ops-azure-devops', text: 'Beth' })).error?.code,
    ).toBe('NOT_FOUND');
    expect(
      (await call('member', 'searchRemoteUsers', { connectionId: 'demo-servicenow', text: 'Beth' })).error?.code,
    ).toBe('FORBIDDEN');
    // A secret the instance refuses is said at remoteUsers, and never answered.
    const settings = {
      name: 'People check',
      enabled: false,
      remote: {
        type: 'servicenow',
        baseUrl: 'https://acme.service-now.com',
        table: 'incident',
        auth: { kind: 'basic', username: 'crosswalk.integration' },
      },
      fields: [{ jira: 'summary', remote: 'short_description' }],
    };
    const saved = await call('project-lead', 'saveConnection', {
      settings,
      credential: { password: 'wrong-password' },
    });
    const refused = await call('project-lead', 'searchRemoteUsers', {
      connectionId: saved.data.config.id,
      text: 'Beth',
    });
    expect(refused.error?.problems).toEqual([
      {
        path: 'remoteUsers',
        message: expect.stringMatching(/^ServiceNow refused the connection's sign-in .*HTTP 401/),
      },
    ]);
    expect(JSON.stringify(refused)).not.toContain('wrong-password');
    await call('project-lead', 'deleteConnection', { connectionId: saved.data.config.id });
  });

  it('lists each connection with its items in sync, its last sync and its failing items, after an issue syncs', async () => {
    const before = sandbox.platform.clock.now();
    await sandbox.jiraClient().request({ as: 'member' }, 'POST', '/rest/api/3/issue', {
      fields: {
        project: { key: 'DEMO' },
        issuetype: { name: 'Incident' },
        summary: 'Badge reader offline at the north door',
      },
    });
    await sandbox.platform.settle();
    await sandbox.settle();
    const r = await call('project-lead', 'listConnections');
    const demo = r.data.connections.find((c: { config: { id: string } }) => c.config.id === 'demo-servicenow');
    expect(demo.usage).toEqual({
      itemsInSync: expect.any(Number),
      itemsCapped: false,
      lastSyncAt: expect.any(String),
      itemsFailing: 0,
      failingCapped: false,
      // The demo connection has no type map: nothing is left alone for its type.
      otherTypes: [],
    });
    expect(demo.usage.itemsInSync).toBeGreaterThanOrEqual(1);
    expect(Date.parse(demo.usage.lastSyncAt)).toBeGreaterThanOrEqual(before - 1000);
    // The admin page counts the same links.
    const overview = await call('admin', 'adminOverview', {}, {}, 'crosswalk-admin');
    expect(overview.data.connections.find((c: { id: string }) => c.id === 'demo-servicenow').usage.itemsInSync).toBe(
      demo.usage.itemsInSync,
    );
    expect(JSON.stringify(r)).not.toContain(sandbox.sims.servicenow.credentials.integration.password);

    // An item the remote refuses is counted as failing while the connection stays healthy.
    await fetch(`${sandbox.sims.servicenow.controlUrl}/faults`, {
      method: 'POST',
      body: JSON.stringify({
        method: 'POST',
        path: '/api/now/table/incident',
        status: 400,
        body: { error: { message: 'Invalid value for field: category', detail: 'category' }, status: 'failure' },
        times: 1,
      }),
    });
    await sandbox.jiraClient().request({ as: 'member' }, 'POST', '/rest/api/3/issue', {
      fields: {
        project: { key: 'DEMO' },
        issuetype: { name: 'Incident' },
        summary: 'Label printer jams on every second label',
      },
    });
    await sandbox.platform.settle();
    await sandbox.settle();
    const failing = (await call('project-lead', 'listConnections')).data.connections.find(
      (c: { config: { id: string } }) => c.config.id === 'demo-servicenow',
    );
    expect(failing).toMatchObject({
      health: null,
      usage: { itemsInSync: demo.usage.itemsInSync, itemsFailing: 1, failingCapped: false },
    });
  });
});

describe('admin page resolver', () => {
  it('answers every connection to a Jira admin only', async () => {
    const r = await call('admin', 'adminOverview', {}, {}, 'crosswalk-admin');
    expect(r.data.connections.map((c: { project: { key: string } }) => c.project.key)).toContain('DEMO');
    for (const role of ['project-lead', 'member', 'customer'])
      expect((await call(role, 'adminOverview', {}, {}, 'crosswalk-admin')).error?.code).toBe('FORBIDDEN');
    expect((await call('admin', 'adminOverview', { extra: 1 }, {}, 'crosswalk-admin')).error?.code).toBe('BAD_REQUEST');
  });
});

describe('issue panel resolvers', () => {
  it('tells who may edit, and refuses whoever cannot see the issue', async () => {
    expect((await call('member', 'issuePanelAccess', {}, issueContext, 'crosswalk-panel')).data.canEdit).toBe(true);
    for (const fn of ['issuePanelAccess', 'getIssueSync', 'syncIssueNow'])
      expect((await call('customer', fn, {}, issueContext, 'crosswalk-panel')).error?.code).toBe('FORBIDDEN');
    for (const fn of ['linkIssue', 'unlinkIssue'])
      expect(
        (await call('customer', fn, { remoteKey: 'INC0010001' }, issueContext, 'crosswalk-panel')).error?.code,
      ).toBe('FORBIDDEN');
    const bad = await call('member', 'linkIssue', { remoteKey: '' }, issueContext, 'crosswalk-panel');
    expect(bad.error?.problems?.[0]?.path).toBe('remoteKey');
  });

  it('lets a viewer (browse only) see the sync state but not search, link, create or unlink', async () => {
    expect((await call('viewer', 'issuePanelAccess', {}, issueContext, 'crosswalk-panel')).data.canEdit).toBe(false);
    expect((await call('viewer', 'getIssueSync', {}, issueContext, 'crosswalk-panel')).ok).toBe(true);
    for (const fn of ['searchRemote', 'createInRemote', 'linkIssue', 'unlinkIssue'])
      expect((await call('viewer', fn, { text: 'x' }, issueContext, 'crosswalk-panel')).error?.code).toBe('FORBIDDEN');
    for (const fn of ['searchRemote', 'createInRemote'])
      expect((await call('customer', fn, { text: 'x' }, issueContext, 'crosswalk-panel')).error?.code).toBe(
        'FORBIDDEN',
      );
  });

  it('searches the remote for a member by number or words, and refuses input it does not know', async () => {
    const found = await call('member', 'searchRemote', { text: 'email' }, issueContext, 'crosswalk-panel');
    expect(found.data).toMatchObject({
      system: 'ServiceNow',
      items: [
        {
          title: 'Email delivery delayed for the sales team',
          remoteKey: expect.stringMatching(/^INC/),
          linkedTo: null,
        },
      ],
    });
    expect(
      (await call('member', 'searchRemote', { text: ' ' }, issueContext, 'crosswalk-panel')).error?.problems?.[0]?.path,
    ).toBe('text');
    expect(
      (
        await call(
          'member',
          'searchRemote',
          { text: 'x', connectionId: 'ops-azure-devops' },
          issueContext,
          'crosswalk-panel',
        )
      ).error?.problems?.[0]?.path,
    ).toBe('connectionId');
    expect(
      (await call('member', 'createInRemote', { connectionId: 'x', more: 1 }, issueContext, 'crosswalk-panel')).error
        ?.code,
    ).toBe('BAD_REQUEST');
  });

  it('searches Azure DevOps (OPS, Bugs only) and Zendesk (SUP) through the same resolver', async () => {
    // An issue of each project (OPS-1 is seeded; SUP has none yet).
    await sandbox.jiraClient().request({ as: 'member' }, 'POST', '/rest/api/3/issue', {
      fields: { project: { key: 'SUP' }, issuetype: { name: 'Task' }, summary: 'A customer asks about VAT' },
    });
    const inProject = (id: string, key: string) => {
      const issue = sandbox.jira.site.state.issues.find((i) => i.key === `${key}-1`)!;
      return { extension: { type: 'jira:issuePanel', project: { id, key }, issue: { id: issue.id, key: issue.key } } };
    };
    const ado = await call(
      'project-lead',
      'searchRemote',
      { text: 'checkout' },
      inProject('10001', 'OPS'),
      'crosswalk-panel',
    );
    expect(ado.data).toMatchObject({
      system: 'Azure DevOps',
      items: [{ title: 'Checkout fails with a 500 for EU customers', status: 'Active', linkedTo: null }],
    });
    // The user story is another type than the connection's: not offered.
    expect(
      (await call('project-lead', 'searchRemote', { text: 'invoices' }, inProject('10001', 'OPS'), 'crosswalk-panel'))
        .data.items,
    ).toEqual([]);
    const zd = await call(
      'member',
      'searchRemote',
      { text: 'VAT number' },
      inProject('10002', 'SUP'),
      'crosswalk-panel',
    );
    expect(zd.data).toMatchObject({
      system: 'Zendesk',
      items: [{ title: 'Invoice shows the wrong VAT number', remoteKey: expect.stringMatching(/^#\d+$/) }],
    });
  });
});
