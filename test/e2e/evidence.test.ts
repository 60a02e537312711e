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

/** One issue paired with a remote item in a manual-clock sandbox, as each block below sets it up. */
interface PairedIssue {
  sandbox: Sandbox;
  remote: RemoteAdapter;
  jira: ReturnType<Sandbox['jiraClient']>;
  person: 'admin' | 'member';
  issue: { id: string; key: string };
  remoteId: string;
  /** Delivers the remote's notifications and works until nothing more happens. */
  quiet: () => Promise<void>;
}

/**
 * Starts the sandbox before the block's tests and stops it after: the issue is created, synced, and edited once
 * more in Jira, so the link knows both sides' versions. `use` receives the pair once it is ready.
 */
function setUpPairedIssue(name: string, summary: string, use: (pair: PairedIssue) => void): void {
  let sandbox: Sandbox | undefined;
  beforeAll(async () => {
    const remote = ADAPTERS[name]!();
    const started = await startSandbox({
      clock: 'manual',
      pair: [name as 'servicenow' | 'azure-devops' | 'zendesk'],
      scheduleTriggers: false,
    });
    sandbox = started;
    await started.settle();
    await remote.setup(started);
    const jira = started.jiraClient();
    const project = started.jira.site.state.projects.find((p) => p.key === remote.projectKey)!;
    const person = project.key === 'OPS' ? 'admin' : 'member';
    const quiet = async () => {
      for (let round = 0; round < 10; round++) {
        const before = started.platform.meter.invocations().length;
        await remote.notifications.deliver();
        await started.platform.settle();
        if (started.platform.meter.invocations().length === before) return;
      }
    };
    const issue = (
      await jira.request({ as: person }, 'POST', '/rest/api/3/issue', {
        fields: { project: { key: remote.projectKey }, issuetype: { name: 'Task' }, summary },
      })
    ).json as { id: string; key: string };
    await quiet();
    const remoteId = remote.remotesForIssue(issue.id)[0]!;
    expect(remoteId).toBeDefined();
    // One full round trip each way, so the link knows both sides' versions.
    started.platform.manualClock.advance(1000);
    await jira.request({ as: person }, 'PUT', `/rest/api/3/issue/${issue.key}`, {
      fields: { summary: `${summary}, settled` },
    });
    await quiet();
    use({ sandbox: started, remote, jira, person, issue, remoteId, quiet });
  }, 120_000);
  afterAll(async () => {
    await sandbox?.stop();
  });
}

for (const name of ['azure-devops', 'zendesk'] as const) {
  describe(`${name}: reads only what a signal cannot prove`, () => {
    let sandbox: Sandbox;
    let remote: RemoteAdapter;
    let jira: ReturnType<Sandbox['jiraClient']>;
    let person: 'admin' | 'member';
    let issue: { id: string; key: string };
    let remoteId: string;
    let quiet: () => Promise<void>;
    setUpPairedIssue(
      name,
      'Evidence issue',
      (pair) => ({ sandbox, remote, jira, person, issue, remoteId, quiet } = pair),
    );

    const editJira = async (fields: Record<string, unknown>) => {
      sandbox.platform.manualClock.advance(1000);
      await jira.request({ as: person }, 'PUT', `/rest/api/3/issue/${issue.key}`, { fields });
    };
    const jiraSummary = () => sandbox.jira.site.state.issues.find((i) => i.id === issue.id)!.summary;
    const workerRequests = () =>
      sandbox.platform.meter.invocations({ functionKey: 'sync-worker' }).flatMap((r) => r.requests);

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
      expect(
        workerRequests().filter((r) => r.startsWith(`GET `) && r.includes(`/rest/api/3/issue/${issue.id}?`)),
      ).toHaveLength(1);
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

/**
 * Remote notifications as evidence (ServiceNow's business rule sends what the
 * record became; Azure DevOps' hook carries the revision): used instead of
 * reading the item only when it is the one write after the link's version.
 */
for (const name of ['servicenow', 'azure-devops'] as const) {
  describe(`${name}: a notification shows the item, and the reads that stay`, () => {
    let sandbox: Sandbox;
    let remote: RemoteAdapter;
    let jira: ReturnType<Sandbox['jiraClient']>;
    let person: 'admin' | 'member';
    let issue: { id: string; key: string };
    let remoteId: string;
    let quiet: () => Promise<void>;
    setUpPairedIssue(name, 'Shown issue', (pair) => ({ sandbox, remote, jira, person, issue, remoteId, quiet } = pair));

    const jiraSummary = () => sandbox.jira.site.state.issues.find((i) => i.id === issue.id)!.summary;
    const remoteReads = () =>
      sandbox.platform.meter
        .invocations({ functionKey: 'sync-worker' })
        .flatMap((r) => r.requests)
        .filter(
          (r) =>
            r.startsWith('GET ') &&
            !r.includes('/rest/api/3/') &&
            !r.includes('comment') &&
            !r.includes('journal') &&
            !r.includes('attachment') &&
            !r.includes('sys_user'),
        );

    it('copies a remote field change to Jira with two calls (Jira read and written), the item not read', async () => {
      sandbox.platform.manualClock.advance(1000);
      sandbox.platform.meter.reset();
      await remote.edit(remoteId, { summary: 'From the remote, shown' });
      await quiet();
      expect(jiraSummary()).toBe('From the remote, shown');
      const totals = sandbox.platform.meter.totals();
      expect(totals.productRequests + totals.egressRequests).toBe(2);
      expect(remoteReads()).toEqual([]);
    });

    it("reads the item when a notification before it was lost (its version is not the one after the link's)", async () => {
      sandbox.platform.manualClock.advance(1000);
      await remote.edit(remoteId, { summary: 'Lost change' });
      expect(remote.notifications.lose()).toBeGreaterThan(0);
      sandbox.platform.manualClock.advance(1000);
      await remote.edit(remoteId, { priority: remote.priorities.find((p) => p !== remote.read(remoteId).priority)! });
      sandbox.platform.meter.reset();
      await quiet();
      // The read found the lost change too.
      expect(jiraSummary()).toBe('Lost change');
      expect(remoteReads().length).toBeGreaterThan(0);
    });

    if (name === 'servicenow')
      it('reads the incident before writing it (ServiceNow has no conditional writes): a notification is evidence for reading only', async () => {
        sandbox.platform.holdProductEvents();
        sandbox.platform.manualClock.advance(1000);
        await jira.request({ as: person }, 'PUT', `/rest/api/3/issue/${issue.key}`, {
          fields: { summary: 'Jira, not yet told' },
        });
        sandbox.platform.manualClock.advance(1000);
        const priority = remote.priorities.find((p) => p !== remote.read(remoteId).priority)!;
        await remote.edit(remoteId, { priority });
        sandbox.platform.meter.reset();
        await quiet();
        const requests = sandbox.platform.meter.invocations({ functionKey: 'sync-worker' }).flatMap((r) => r.requests);
        const write = requests.findIndex((r) => r.startsWith('PATCH ') && r.includes('/incident/'));
        const read = requests.findIndex((r) => r.startsWith('GET ') && r.includes('/incident/'));
        expect(write).toBeGreaterThan(-1);
        expect(read).toBeGreaterThan(-1);
        expect(read).toBeLessThan(write);
        expect(remote.read(remoteId)).toMatchObject({ summary: 'Jira, not yet told', priority });
        await sandbox.platform.releaseProductEvents();
        await quiet();
      });

    it('does not take a duplicate delivery for a new change', async () => {
      sandbox.platform.manualClock.advance(1000);
      await remote.edit(remoteId, { summary: 'Once' });
      await quiet();
      await jira.request({ as: person }, 'PUT', `/rest/api/3/issue/${issue.key}`, {
        fields: { summary: 'Jira after once' },
      });
      await quiet();
      remote.notifications.duplicateLast();
      await quiet();
      expect(jiraSummary()).toBe('Jira after once');
      expect(remote.read(remoteId).summary).toBe('Jira after once');
    });
  });
}
