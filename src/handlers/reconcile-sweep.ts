import { isSyncError } from '../connectors/errors';
import { connectorFor } from '../sync/connector-for';
import { Pages } from '../connectors/paging';
import { systemFor } from '../connectors/registry';
import { searchIssues } from '../connectors/jira/client';
import { listConnections } from '../store/connections';
import { getCappedCursor, getCursor, setCappedCursor, setCursor } from '../store/cursors';
import { failuresBefore } from '../store/failures';
import { getConnectionHealth, setConnectionHealth } from '../store/health';
import { issuesForRemotes } from '../store/links';
import { noteAnswered, noteUnanswered } from '../store/reach';
import { enqueueReconcile } from '../sync/sync-queue';
import type { SyncJobBody } from '../sync/work-item';

/** Look back a little before the cursor: clocks differ and search results are eventually consistent. */
const OVERLAP_MS = 2 * 60_000;
const FIRST_LOOKBACK_MS = 10 * 60_000;
/** Forge takes 500 events a minute per installation; the sweep leaves room for live traffic and takes the rest next time. */
export const SWEEP_EVENT_BUDGET = 300;
/** Failed items whose retries ran out are tried again once they have rested this long. */
export const FAILURE_REVISIT_MS = 15 * 60_000;
/**
 * Pages of remote changes one sweep reads per connection (100 to 1,000 items a page, by system). Jobs are bounded
 * by the event budget, but pages of items that need no job (unlinked, no remote filter) are not: a remote that
 * never ends its listing would hold the sweep forever.
 */
export const SWEEP_REMOTE_PAGES = 20;

/**
 * JQL reads dates in the searching user's time zone, so an absolute UTC time
 * would be off by hours; a relative "-Nm" is the same everywhere.
 */
export function jqlSince(sinceMs: number, nowMs: number): string {
  return `"-${Math.max(1, Math.ceil((nowMs - sinceMs) / 60_000))}m"`;
}

/**
 * The five-minute safety net: for each enabled connection, ask both sides
 * what changed since its cursors and enqueue those items (mapped to their
 * pairs); then revisit failed items. Work beyond the event budget waits for
 * the next sweep: a cursor only moves past what was enqueued, and one broken
 * connection never stops the others.
 */
export async function onReconcileSweep(): Promise<{ enqueued: number; failures: string[] }> {
  const now = Date.now();
  let budget = SWEEP_EVENT_BUDGET;
  let enqueued = 0;
  const failures: string[] = [];
  const configs = (await listConnections()).filter((c) => c.enabled);
  // The connection swept least recently goes first, so a busy one cannot starve the rest.
  const cursors = await Promise.all(
    configs.map(async (c) => ({ c, jiraCursor: (await getCursor(c.id, 'jira')) ?? now - FIRST_LOOKBACK_MS })),
  );
  cursors.sort((a, b) => a.jiraCursor - b.jiraCursor);
  for (const { c: config, jiraCursor } of cursors) {
    if (budget <= 0) break;
    try {
      const jiraSince = jiraCursor - OVERLAP_MS;
      const jql = `project = ${config.jiraProjectId} AND updated >= ${jqlSince(jiraSince, now)}${config.jql.trim() ? ` AND (${config.jql})` : ''} ORDER BY updated ASC`;
      // Issues a capped sweep already took are not taken again (JQL cannot page past the look-back window by time).
      const capped = await getCappedCursor(config.id);
      const before = capped?.at === jiraCursor ? capped.taken : [];
      const skip = new Set(before.map((t) => t.id));
      const issues = (await searchIssues(jql, budget + skip.size + 1)).filter((i) => !skip.has(i.id));
      const taken = issues.slice(0, budget);
      if (taken.length)
        await enqueueReconcile(
          taken.map((i) => ({
            item: { side: 'jira' as const, issueId: i.id },
            cause: 'sweep:jira',
            connectionId: config.id,
          })),
        );
      budget -= taken.length;
      enqueued += taken.length;
      if (issues.length > taken.length) {
        // Capped: continue next time from the last issue taken, not from now.
        const at = taken.at(-1)?.updatedAt ?? jiraCursor;
        const window = [...before, ...taken.map((i) => ({ id: i.id, at: i.updatedAt }))].filter(
          (t) => t.at >= at - OVERLAP_MS - 60_000,
        );
        await setCursor(config.id, 'jira', at);
        await setCappedCursor(config.id, { at, taken: window });
      } else {
        await setCursor(config.id, 'jira', now);
        if (capped) await setCappedCursor(config.id, undefined);
      }

      if (budget <= 0) continue;
      const previous = (await getCursor(config.id, 'remote')) ?? now - FIRST_LOOKBACK_MS;
      const remoteSince = previous - OVERLAP_MS;
      const connector = await connectorFor(config);
      const label = systemFor(config.remote.type)?.label ?? config.remote.type;
      const pages = new Pages({
        system: config.remote.type,
        what: `Listing the ${label} changes for the sweep`,
        label,
        maxPages: SWEEP_REMOTE_PAGES,
        why: 'the next sweep reads on from where this one stopped',
      });
      let cursor: string | undefined;
      let full = false;
      do {
        const changed = await connector.listChanged(remoteSince, cursor);
        const remoteJobs: SyncJobBody[] = [];
        let reached: number | undefined;
        const linked = await issuesForRemotes(
          config.id,
          changed.items.map((i) => i.id),
        );
        for (const item of changed.items) {
          if (remoteJobs.length >= budget) {
            reached = item.updatedAt;
            full = true;
            break;
          }
          // Linked items go to their pair (as pairRef maps them); unlinked ones to the remote-side create, which
          // checks the remote filter.
          const issueId = linked.get(item.id);
          if (issueId)
            remoteJobs.push({ item: { side: 'jira', issueId }, cause: 'sweep:remote', connectionId: config.id });
          else if (config.remoteFilter.length)
            remoteJobs.push({
              item: { side: 'remote', connectionId: config.id, remoteId: item.id },
              cause: 'sweep:remote',
              connectionId: config.id,
            });
        }
        if (remoteJobs.length) await enqueueReconcile(remoteJobs);
        budget -= remoteJobs.length;
        enqueued += remoteJobs.length;
        cursor = full ? undefined : changed.cursor;
        // The cursor moves with each page (items come oldest first), so a listing stopped later, by its bound, a
        // failure or the function's time, is not read again from its start; it never moves back.
        reached ??= cursor ? changed.items.at(-1)?.updatedAt : now;
        if (reached !== undefined && reached > previous) await setCursor(config.id, 'remote', reached);
      } while (!full && pages.more(cursor));
      await noteAnswered(config.id);
      if (!full) await clearListingProblem(config.id);
    } catch (e) {
      // One broken connection must not stop the sweep of the others; its cursors stay, so nothing is skipped.
      failures.push(`${config.id}: ${e instanceof Error ? e.message : String(e)}`);
      // A listing past its bound is the connection's problem, not one item's: it is shown where the admin looks.
      if (isSyncError(e) && e.kind === 'over-limit')
        await setConnectionHealth(config.id, { kind: e.kind, message: e.message, at: new Date(now).toISOString() });
      // A remote that does not answer the listing is down for the connection even while no item changes (alerts).
      if (
        isSyncError(e) &&
        e.details.system === config.remote.type &&
        (e.kind === 'transient' || e.kind === 'rate-limited')
      )
        await noteUnanswered(config.id, e.kind === 'transient' ? 'unreachable' : 'rate-limited', now).catch(
          () => undefined,
        );
    }
  }
  if (budget > 0) {
    try {
      const due = await failuresBefore(now - FAILURE_REVISIT_MS, budget);
      if (due.length) await enqueueReconcile(due.map((f) => ({ item: f.item, cause: 'retry:sweep' })));
      enqueued += due.length;
    } catch (e) {
      failures.push(`failed items: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  if (failures.length) console.warn(`Sweep could not finish: ${failures.join('; ')}`);
  return { enqueued, failures };
}

/** A listing that once went past its bound and now completes: the problem it showed is over. */
async function clearListingProblem(connectionId: string): Promise<void> {
  if ((await getConnectionHealth(connectionId))?.kind === 'over-limit')
    await setConnectionHealth(connectionId, undefined);
}
