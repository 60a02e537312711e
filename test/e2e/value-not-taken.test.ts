/**
 * A value the remote does not take, end to end: Jira's Reopen (Done → To Do)
 * writes Zendesk "new" (the status map pairs To Do with new), and Zendesk,
 * which never returns an assigned ticket to New, answers "open". The engine
 * keeps Zendesk's answer (nothing flips back and forth), and the issue panel
 * says the pair does not agree on the status, what was written, what Zendesk
 * kept and why, until one side changes. The engine's rule is general (a
 * value-mapped write that reads back different, sync/not-taken.ts); Zendesk's
 * registry entry only adds the why.
 */
import { startSandbox, type Sandbox } from '../../sandbox/sandbox';
import { SUP_CONNECTION_ID, SUP_PROJECT } from '../../sandbox/demo/zendesk-connection';
import { jiraClient } from '../../sandbox/sims/jira/test-client';

let sandbox: Sandbox;
let jira: ReturnType<typeof jiraClient>;

beforeAll(async () => {
  sandbox = await startSandbox({ clock: 'manual', pair: ['zendesk'] });
  jira = sandbox.jiraClient();
}, 120_000);
afterAll(async () => {
  await sandbox?.stop();
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
const ticketFor = (issueId: string) =>
  [...sandbox.zendesk.store.tickets.values()].find((t) => t.external_id?.endsWith(`:${SUP_CONNECTION_ID}:${issueId}`))!;
const transition = (key: string, id: string) =>
  jira.request({ as: 'member' }, 'POST', `/rest/api/3/issue/${key}/transitions`, { transition: { id } });
const statusOf = async (key: string) =>
  (await jira.request({ as: 'member' }, 'GET', `/rest/api/3/issue/${key}?fields=status`)).json.fields.status.name;
/** Jira calls that only read, though they are POSTs (search, JQL matching). */
const JIRA_READS = /\/rest\/api\/3\/(search\/jql|jql\/match|jql\/parse)$/;
const writes = () =>
  [...sandbox.zendesk.store.tickets.values()].reduce((n, t) => n + t.audits.length, 0) +
  sandbox.jira.controls.log.filter((r) => r.method !== 'GET' && !JIRA_READS.test(r.path)).length;

describe('a value the remote does not take', () => {
  let issue: { id: string; key: string };

  it('is said on the issue panel, with what was written, what the remote kept and why, and the pair is not reported in agreement', async () => {
    issue = (
      await jira.request({ as: 'member' }, 'POST', '/rest/api/3/issue', {
        fields: { project: { key: 'SUP' }, issuetype: { name: 'Task' }, summary: 'Refund sent to the old card' },
      })
    ).json as { id: string; key: string };
    await sandbox.settle();
    // Start progress, request review, approve: Done solves the ticket, and solving gives it an assignee.
    for (const id of ['11', '21', '31']) await transition(issue.key, id);
    await sandbox.settle();
    expect(ticketFor(issue.id)).toMatchObject({ status: 'solved', assignee_id: expect.any(Number) });
    expect((await panel(issue.id)).problems).toEqual([]);

    await transition(issue.key, '41'); // Reopen: Done → To Do, which the status map pairs with "new".
    await sandbox.settle();
    expect(ticketFor(issue.id).status).toBe('open');
    expect(await statusOf(issue.key)).toBe('To Do');
    const shown = await panel(issue.id);
    expect(shown.problems).toEqual([
      {
        part: 'status',
        kind: 'not-taken',
        message:
          "Zendesk kept status “open” when Crosswalk wrote “new” for Jira's “To Do”: Zendesk does not return a ticket to New once someone is assigned to it. The two sides differ until one of them changes.",
        at: expect.any(String),
      },
    ]);
    // The step that wrote it names the field as not taken, with what Zendesk holds (in Zendesk's own value).
    expect(shown.timeline).toContainEqual(
      expect.objectContaining({
        kind: 'synced',
        toward: 'remote',
        fields: ['status'],
        kept: ['status'],
        values: { status: 'open' },
      }),
    );
  });

  it('stays said, with nothing written back and forth, while neither side changes', async () => {
    const before = writes();
    await sandbox.platform.advanceTime(6 * 60_000);
    await sandbox.platform.runScheduledTrigger(sandbox.installationId, 'reconcile-sweep');
    await sandbox.settle();
    // Sync now reads both sides and plans again: the same finding, and still nothing to write.
    await sandbox.platform.invokeResolver({
      installationId: sandbox.installationId,
      moduleKey: 'crosswalk-panel',
      functionKey: 'syncIssueNow',
      accountId: jira.userId('member'),
      context: { extension: { issue: { id: issue.id }, project: { id: SUP_PROJECT.id } } },
    });
    await sandbox.settle();
    expect(writes()).toBe(before);
    expect((await panel(issue.id)).problems).toEqual([expect.objectContaining({ part: 'status', kind: 'not-taken' })]);
  });

  it('clears once the sides agree again', async () => {
    await transition(issue.key, '11'); // Start progress: In Progress, which Zendesk's "open" already is.
    await sandbox.settle();
    expect(ticketFor(issue.id).status).toBe('open');
    const shown = await panel(issue.id);
    expect(shown.problems).toEqual([]);
    expect(shown.remoteState).toBe('Open');
  });
});
