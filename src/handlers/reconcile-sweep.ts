import { connectorFor } from '../connectors/factory';
import { isSyncError } from '../connectors/errors';
import { searchIssueIds } from '../connectors/jira/client';
import { getCursor, listConnections, setCursor } from '../store/connections';
import { issueForRemote } from '../store/links';
import { enqueueReconcile } from '../sync/sync-queue';
import type { SyncJobBody } from '../sync/work-item';

/** Look back a little before the cursor: clocks differ and search results are eventually consistent. */
const OVERLAP_MS = 2 * 60_000;
const FIRST_LOOKBACK_MS = 10 * 60_000;

function jqlDate(ms: number): string {
  // JQL takes "yyyy-MM-dd HH:mm" (minute precision), so the overlap also covers the rounding.
  return new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
}

/**
 * The five-minute safety net for lost events: for each enabled connection, ask
 * both sides what changed since the last sweep and enqueue those items. The
 * reconcile is level-triggered, so items that already synced cost one read.
 */
export async function onReconcileSweep(): Promise<{ enqueued: number; failures: string[] }> {
  const now = Date.now();
  let enqueued = 0;
  const failures: string[] = [];
  for (const config of (await listConnections()).filter((c) => c.enabled)) {
    const jobs: SyncJobBody[] = [];
    try {
      const jiraSince = ((await getCursor(config.id, 'jira')) ?? now - FIRST_LOOKBACK_MS) - OVERLAP_MS;
      const jql = `project = ${config.jiraProjectId} AND updated >= "${jqlDate(jiraSince)}"${config.jql.trim() ? ` AND (${config.jql})` : ''} ORDER BY updated ASC`;
      for (const id of await searchIssueIds(jql)) jobs.push({ item: { side: 'jira', issueId: id }, cause: 'sweep:jira' });

      const remoteSince = ((await getCursor(config.id, 'remote')) ?? now - FIRST_LOOKBACK_MS) - OVERLAP_MS;
      const connector = await connectorFor(config);
      let cursor: string | undefined;
      do {
        const page = await connector.listChanged(remoteSince, cursor);
        for (const item of page.items) {
          // Only linked records sync back; unlinked ones wait for the remote-side filter.
          if (await issueForRemote(config.id, item.id)) jobs.push({ item: { side: 'remote', connectionId: config.id, remoteId: item.id }, cause: 'sweep:remote' });
        }
        cursor = page.cursor;
      } while (cursor);
      if (jobs.length) await enqueueReconcile(jobs);
      await setCursor(config.id, 'jira', now);
      await setCursor(config.id, 'remote', now);
      enqueued += jobs.length;
    } catch (e) {
      // One broken connection must not stop the sweep of the others; its cursor stays, so nothing is skipped.
      if (!isSyncError(e)) throw e;
      failures.push(`${config.id}: ${e.message}`);
    }
  }
  return { enqueued, failures };
}
