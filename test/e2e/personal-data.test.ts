/**
 * Personal data (issue 23): Crosswalk reports the Atlassian accounts it stores to Atlassian's personal data reporting
 * API (`privacy.reportPersonalData`, answered by the local platform as Atlassian documents it) and erases what it
 * holds of closed accounts, through its daily scheduled trigger.
 */
import { startSandbox, type Sandbox } from '../../sandbox/sandbox';
import type { jiraClient } from '../../sandbox/sims/jira/test-client';
import { demoServiceNowConnection, DEMO_WEBHOOK_SECRET } from '../../sandbox/demo/servicenow-connection';
import type { PersonalDataReporting } from '../../sandbox/platform/personal-data';

let sandbox: Sandbox;
let jira: ReturnType<typeof jiraClient>;
let atlassian: PersonalDataReporting;

const DAY = 86_400_000;
const CONNECTION = 'demo-servicenow';
/** Made-up accounts in the user table beyond the site's people (the table takes any account id). */
const extra = Array.from({ length: 95 }, (_, i) => `712020:0000-extra-${String(i).padStart(3, '0')}`);

const report = () => sandbox.platform.runScheduledTrigger(sandbox.installationId, 'personal-data-report');
const stored = (key: string) =>
  sandbox.platform
    .installation(sandbox.installationId)
    .kvs.dump()
    .find((e) => e.key === key)?.value as any;
const heldIds = () =>
  sandbox.platform
    .installation(sandbox.installationId)
    .kvs.dump()
    .filter((e) => e.key.startsWith('personal-data:'))
    .map((e) => (e.value as { accountId: string }).accountId)
    .sort();
const userTable = () =>
  (stored(`connection:${CONNECTION}`).users.table as Array<{ jiraAccountId: string }>).map((r) => r.jiraAccountId);
const reportedSince = (n: number) => atlassian.requests.slice(n);

beforeAll(async () => {
  sandbox = await startSandbox({ clock: 'manual', scheduleTriggers: false });
  jira = sandbox.jiraClient();
  atlassian = sandbox.platform.personalData(sandbox.installationId);
  const beth = sandbox.servicenow.store.userByName('beth.agent')!.sys_id;
  const saved = await sandbox.platform.invokeResolver({
    installationId: sandbox.installationId,
    moduleKey: 'crosswalk-settings',
    functionKey: 'saveConnection',
    accountId: jira.userId('project-lead'),
    payload: {
      connectionId: CONNECTION,
      settings: {
        ...demoServiceNowConnection,
        users: {
          matchByEmail: true,
          table: [jira.userId('project-lead'), ...extra].map((jiraAccountId) => ({
            jiraAccountId,
            remoteUserId: beth,
          })),
        },
      },
      credential: {
        password: sandbox.sims.servicenow.credentials.integration.password,
        webhookSecret: DEMO_WEBHOOK_SECRET,
      },
    },
    context: { extension: { project: { id: '10000' } } },
  });
  expect(saved).toMatchObject({ body: { ok: true } });

  // A member unlinks an issue (the marker names who did), and a Jira admin saves the site's options.
  const issue = (
    await jira.request({ as: 'member' }, 'POST', '/rest/api/3/issue', {
      fields: { project: { key: 'DEMO' }, issuetype: { name: 'Task' }, summary: 'Unlinked by a member' },
    })
  ).json;
  await sandbox.settle();
  const unlinked = await sandbox.platform.invokeResolver({
    installationId: sandbox.installationId,
    moduleKey: 'crosswalk-panel',
    functionKey: 'unlinkIssue',
    accountId: jira.userId('member'),
    context: { extension: { issue: { id: issue.id }, project: { id: '10000' } } },
  });
  expect(unlinked).toMatchObject({ body: { ok: true, data: { unlinked: true } } });
  const options = await sandbox.platform.invokeResolver({
    installationId: sandbox.installationId,
    moduleKey: 'crosswalk-admin',
    functionKey: 'saveSiteOptions',
    accountId: jira.userId('admin'),
    context: { extension: { type: 'jira:adminPage' } },
    payload: { allowedHosts: null },
  });
  expect(options).toMatchObject({ body: { ok: true } });
  unlinkedIssue = issue.id;
  // The lead sends the connection's alerts by Jira email to themselves and the member.
  const alerts = await sandbox.platform.invokeResolver({
    installationId: sandbox.installationId,
    moduleKey: 'crosswalk-settings',
    functionKey: 'saveAlertSettings',
    accountId: jira.userId('project-lead'),
    payload: {
      connectionId: CONNECTION,
      jiraEmail: { users: [jira.userId('project-lead'), jira.userId('member')], groups: [] },
    },
    context: { extension: { project: { id: '10000' } } },
  });
  expect(alerts).toMatchObject({ body: { ok: true } });

  // A link whose problem an earlier release stored naming the person (before names were left out).
  const linked = (
    await jira.request({ as: 'member' }, 'POST', '/rest/api/3/issue', {
      fields: { project: { key: 'DEMO' }, issuetype: { name: 'Task' }, summary: 'Stays linked' },
    })
  ).json;
  await sandbox.settle();
  const kvs = sandbox.platform.installation(sandbox.installationId).kvs;
  const record = kvs.dump().find((e) => e.ns.includes('link') && e.key === linked.id)!.value as any;
  record.state.problems = {
    assignee: { kind: 'validation', message: 'Mia Member has no matching servicenow user', at: '2026-01-01T00:00:00Z' },
  };
  await kvs.handle('/api/v1/entity/set', { key: linked.id, entityName: 'link', value: record });
  linkedIssue = linked.id;
}, 120_000);
afterAll(() => sandbox?.stop());

let unlinkedIssue = '';
let linkedIssue = '';

describe('the personal data report', () => {
  it('reports every account Crosswalk stores, at most 90 a request, and nothing more the same week', async () => {
    const before = atlassian.requests.length;
    const run = await report();
    expect(run.status).toBe('success');

    const sent = reportedSince(before);
    // 95 extra accounts, the lead (user table), the member (unlink marker) and the admin (site options): 98, in two.
    expect(sent.map((r) => r.accounts.length)).toEqual([90, 8]);
    expect(sent.every((r) => r.status === 204)).toBe(true);
    const ids = sent.flatMap((r) => r.accounts.map((a) => a.accountId)).sort();
    expect(ids).toEqual([...extra, jira.userId('project-lead'), jira.userId('member'), jira.userId('admin')].sort());
    expect(sent.flatMap((r) => r.accounts).every((a) => !Number.isNaN(Date.parse(a.updatedAt)))).toBe(true);
    expect(heldIds()).toEqual(ids);
    // The first run also took the person's name out of the problem an earlier release stored.
    const link = sandbox.platform
      .installation(sandbox.installationId)
      .kvs.dump()
      .find((e) => e.ns.includes('link') && e.key === linkedIssue)!.value as any;
    expect(link.state.problems.assignee.message).toBe('The Jira user in this field has no matching servicenow user');

    // Reported this week: the next day's run sends nothing.
    await sandbox.platform.advanceTime(DAY);
    await report();
    expect(reportedSince(before)).toHaveLength(2);
  });

  it('the platform refuses more than 90 accounts in one request, as Atlassian does', () => {
    const accounts = Array.from({ length: 91 }, (_, i) => ({
      accountId: `a${i}`,
      updatedAt: new Date().toISOString(),
    }));
    expect(atlassian.answer({ accounts }, ['report:personal-data']).status).toBe(400);
    expect(atlassian.answer({ accounts: accounts.slice(0, 90) }, ['report:personal-data']).status).toBe(204);
    atlassian.requests.splice(-2);
  });

  it('erases a closed account from every store that named it, and refreshes an updated one', async () => {
    const lead = jira.userId('project-lead');
    const member = jira.userId('member');
    const admin = jira.userId('admin');
    atlassian.close(lead);
    atlassian.close(member);
    atlassian.close(admin);
    atlassian.updateProfile(extra[0]!);
    const updatedAtBefore = stored(`personal-data:${extra[0]}`).updatedAt;

    await sandbox.platform.advanceTime(6 * DAY);
    const before = atlassian.requests.length;
    expect((await report()).status).toBe('success');
    const answered = reportedSince(before);
    // Each request answers only for the accounts it named: 200 where one of them was closed or updated.
    expect(answered.map((r) => r.accounts.length)).toEqual([90, 8]);
    expect(answered.some((r) => r.status === 200)).toBe(true);

    // The user table row of the lead is gone; the others stay.
    expect(userTable()).toEqual(extra);
    // The unlink marker keeps the issue unlinked, naming nobody.
    expect(stored(`unlinked:${unlinkedIssue}`)).toMatchObject({ by: 'closed account' });
    // The alerts' Jira email goes to nobody closed.
    expect(stored(`alert-settings:${CONNECTION}`).jiraEmail.users).toEqual([]);
    // The site's options stay, saved by nobody named.
    expect(stored('site-options')).toMatchObject({ updatedBy: 'closed account' });
    // The audit trail keeps what the lead and the member did (saving the connection, unlinking), by nobody named.
    const audit = sandbox.platform
      .installation(sandbox.installationId)
      .kvs.dump()
      .filter((e) => e.ns === 'entity:audit-entry')
      .map((e) => e.value as { action: string; actor: string });
    expect(audit.filter((e) => e.actor === 'closed account').map((e) => e.action)).toEqual(
      expect.arrayContaining(['connection-created', 'issue-unlinked']),
    );
    // Nothing in storage names a closed account any more.
    const everything = JSON.stringify(sandbox.platform.installation(sandbox.installationId).kvs.dump());
    for (const closed of [lead, member, admin]) expect(everything).not.toContain(closed);
    expect(everything).not.toContain('Mia Member');
    expect(heldIds()).toEqual([...extra].sort());

    // The updated account: Crosswalk caches no profile, so only what it reports as its update time moves.
    expect(Date.parse(stored(`personal-data:${extra[0]}`).updatedAt)).toBeGreaterThan(Date.parse(updatedAtBefore));
    await sandbox.platform.advanceTime(6 * DAY);
    const again = atlassian.requests.length;
    await report();
    expect(reportedSince(again).map((r) => r.status)).toEqual([204, 204]);
  });

  it('waits out a 429 for its Retry-After and carries on in a later run', async () => {
    await sandbox.platform.advanceTime(6 * DAY);
    atlassian.rateLimit({ requests: 1, retryAfterSeconds: 3 * 3600 });
    const before = atlassian.requests.length;
    const limited = await report();
    expect(limited.status === 'success' && limited.value).toMatchObject({ reported: 0 });
    expect(reportedSince(before).map((r) => r.status)).toEqual([429]);

    // Within the wait, a run asks nothing.
    await sandbox.platform.advanceTime(3600_000);
    await report();
    expect(reportedSince(before)).toHaveLength(1);

    // After it, everything still due is reported.
    await sandbox.platform.advanceTime(3 * 3600_000);
    await report();
    expect(reportedSince(before + 1).map((r) => r.accounts.length)).toEqual([90, 5]);
  });

  it('a run that crashes while erasing a closed account finishes the erasure in the next run', async () => {
    const closing = extra[1]!;
    atlassian.close(closing);
    await sandbox.platform.advanceTime(6 * DAY);
    // Crash just before the erased account leaves the index: its row is gone, the index still marks it closed.
    const crash = sandbox.platform.injectCrash({
      functionKey: 'on-personal-data-report',
      atOutboundCall: 1,
      beforeCall: /^KVS \/api\/v1\/batch\/delete personal-data:/,
    });
    const before = atlassian.requests.length;
    expect((await report()).status).toBe('crash');
    expect(crash.crashes).toHaveLength(1);
    expect(userTable()).not.toContain(closing);
    expect(stored(`personal-data:${closing}`)).toMatchObject({ closedAt: expect.any(Number) });

    // The next run finishes it without asking Atlassian about it again.
    const asked = atlassian.requests.length;
    await sandbox.platform.advanceTime(DAY);
    expect((await report()).status).toBe('success');
    expect(heldIds()).not.toContain(closing);
    expect(reportedSince(asked).flatMap((r) => r.accounts.map((a) => a.accountId))).not.toContain(closing);
    expect(reportedSince(before).length).toBeGreaterThan(0);
  });
});
