/**
 * A deleted connection's links end with it: each link and its remote item's claim are removed, a page at a time
 * through the queue, so the issues are free for the project's other connections and nothing names the deleted
 * connection as a pair any more. Its id is never given again (store/connections.ts), so even a link not yet ended
 * is never taken for a later connection's. The Jira remote links stay: they point at the items as they were.
 */
import { getConnection } from '../store/connections';
import { clearFailure, failuresOfConnection, getFailure } from '../store/failures';
import { deleteLink, linksOfConnection } from '../store/links';

/** Ends one page of the connection's links (and their failures); `more` when another page may be left. */
export async function endLinksPage(connectionId: string): Promise<{ ended: number; more: boolean }> {
  // Only the links of a connection that no longer exists end.
  if (await getConnection(connectionId)) return { ended: 0, more: false };
  const page = await linksOfConnection(connectionId);
  for (const link of page.links) {
    await deleteLink(link);
    const failure = await getFailure({ side: 'jira', issueId: link.issueId });
    if (failure?.connectionId === connectionId) await clearFailure(failure.item);
  }
  // Remote items of the connection that failed before they were linked have nothing left to retry either.
  const failures = await failuresOfConnection(connectionId);
  for (const f of failures) await clearFailure(f.item);
  return { ended: page.links.length, more: Boolean(page.cursor) || page.links.length > 0 || failures.length > 0 };
}
