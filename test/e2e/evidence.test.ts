/**
 * Cost per change at the physical limit, and the reads that stay (sync/evidence.ts).
 *
 * A Jira event's issue is used instead of reading Jira, and a remote with
 * conditional writes is written without reading it first. Each case below is
 * one where a read is still needed; each fails if that read is dropped:
 *
 * - an older event that arrives after a newer one is not evidence (Jira is read),
 * - a remote that changed since the version the link vouches for answers the
 *   conditional write as stale, and both sides are read and planned again
 *   (evidence is for reading: a plan that would write Jira reads Jira first).
 *
 * And the figures themselves: a Jira field change toward Azure DevOps or
 * Zendesk is one HTTP call, and at most three storage operations.
 */
import { startSandbox, type Sandbox } from '../../sandbox/sandbox';
import type { RemoteAdapter } from '../model/adapter';
import { ADAPTERS } from '../model/adapters';

for (const name of ['azure-devops', 'zendesk'] as const) {
  describe(`${name}: reads only what a signal cannot prove`, () => {
    let sandbox: Sandbox;
    let remote: RemoteAdapter;
    let jira: ReturnType<Sandbox['jiraClient']>;
    let person: 'admin' | 'member';
    let issue: { id: string; key: string };
    let remoteId: string;

    /** Delivers the remote's notifications and works until nothing more happens. */
    const quiet = async () => {
      for (let round = 0; round < 10; round++) {
        const before = sandbox.platform.meter.invocations().length;
        await remote.notifications.deliver();
        await sandbox.platform.settle();
        if (sandbox.platform.meter.invocations().length === before) return;
      }
    };
    const editJira = async (fields: Record<string, unknown>) => {
      sandbox.platform.manualClock.advance(1000);
      await jira.request({ as: person }, 'PUT', `/rest/api/3/issue/${issue.key}`, { fields });
    };
    const jiraSummary = () => sandbox.jira.site.state.issues.find((i) => i.id === issue.id)!.summary;
    const workerRequests = () => sandbox.platform.meter.invocations({ functionKey: 'sync-worker' }).flatMap((r) => r.requests);

    beforeAll(async () => {
      remote = ADAPTERS[name]!();
      sandbox = await startSandbox({ clock: 'manual', pair: [name], scheduleTriggers: false });
      await sandbox.settle();
      await remote.setup(sandbox);
      jira = sandbox.jiraClient();
      const project = sandbox.jira.site.state.projects.find((p) => p.key === remote.projectKey)!;
      person = project.key === 'OPS' ? 'admin' : 'member';
      issue = (await jira.request({ as: person }, 'POST', '/rest/api/3/issue', { fields: { project: { key: remote.projectKey }, issuetype: { name: 'Task' }, summary: 'Evidence issue' } })).json as { id: string; key: string };
      await quiet();
      remoteId = remote.remotesForIssue(issue.id)[0]!;
      expect(remoteId).toBeDefined();
      // One full round trip each way, so the link knows both sides' versions.
      await editJira({ summary: 'Evidence issue, settled' });
      await quiet();
    }, 120_000);
    afterAll(async () => {
      await sandbox.stop();
    });

    it('copies a Jira field change with one HTTP call (no read of either side) and at most three storage operations', async () => {
      await quiet();
      sandbox.platform.meter.reset();
      await editJira({ summary: 'One call' });
      await quiet();
      const totals = sandbox.platform.meter.totals();
      expect(remote.read(remoteId).summary).toBe('One call');
      expect(totals.productRequests + totals.egressRequests).toBe(1);
      expect(totals.kvs.reads + totals.kvs.writes).toBeLessThanOrEqual(3);
    });

    it('reads Jira for an older event that arrives after a newer one (the older one is not evidence)', async () => {
      await quiet();
      sandbox.platform.holdProductEvents();
      await editJira({ summary: 'Older edit' });
      await editJira({ summary: 'Newer edit' });
      sandbox.platform.meter.reset();
      await sandbox.platform.releaseProductEvents('reverse');
      await quiet();
      expect(jiraSummary()).toBe('Newer edit');
      expect(remote.read(remoteId).summary).toBe('Newer edit');
      // The older event's run read the issue instead of writing what its event showed.
      expect(workerRequests().filter((r) => r.startsWith(`GET `) && r.includes(`/rest/api/3/issue/${issue.id}?`))).toHaveLength(1);
    });

    it('reads the remote and plans again when it changed since the version the link vouches for', async () => {
      await quiet();
      const priorityNow = () => {
        const i = sandbox.jira.site.state.issues.find((x) => x.id === issue.id)!;
        return sandbox.jira.site.state.priorities.find((p) => p.id === i.priorityId)?.name;
      };
      const target = remote.priorities.find((p) => p !== priorityNow())!;
      // A person on the remote changes the priority a moment later; its notification has not arrived yet. (Zendesk's
      // updated_at, the stamp safe_update compares, has second precision: a change within the second of Crosswalk's own
      // last write is invisible to it, as it is between any read and the write after it.)
      sandbox.platform.manualClock.advance(1000);
      await remote.edit(remoteId, { priority: target });
      // Jira's summary changes: the event shows it, and the link vouches for the rest, so the write goes out unread and named by version.
      await editJira({ summary: 'Jira, while the remote changed' });
      sandbox.platform.meter.reset();
      await sandbox.platform.settle();
      // The conditional write was refused as stale; both sides were read, so the remote's priority reached Jira in the same run.
      expect(priorityNow()).toBe(target);
      expect(remote.read(remoteId).summary).toBe('Jira, while the remote changed');
      expect(workerRequests().some((r) => r.startsWith('GET ') && !r.includes('/rest/api/3/'))).toBe(true);
      await quiet();
      expect(remote.read(remoteId).priority).toBe(target);
    });
  });
}
