/**
 * Children waiting for their parent to cross (sync/hierarchy.ts): a child whose parent has no pair yet cannot name
 * it on the other side. It is written down under the parent, and the parent's first sync wakes it, so a child that
 * arrives before its parent is linked once the parent crosses, whichever side it came from. A parent that never
 * crosses (outside the connection) leaves its children waiting, and their issue panels say so.
 */
import { kvs } from '@forge/kvs';
import * as z from 'zod';

/** Children kept per parent: more wait on the sweep, which looks at every item again. */
const MAX_WAITING = 100;

const waitingKey = (connectionId: string, side: 'jira' | 'remote', parentId: string) =>
  `parent-wait:${connectionId}:${side}:${parentId}`;

const waitingList = z.array(z.string());

/** Writes down that the issue waits for this parent; one already waiting writes nothing. */
export async function waitForParent(
  connectionId: string,
  parent: { side: 'jira' | 'remote'; id: string },
  childIssueId: string,
): Promise<void> {
  const key = waitingKey(connectionId, parent.side, parent.id);
  const parsed = waitingList.safeParse(await kvs.get(key));
  const waiting = parsed.success ? parsed.data : [];
  if (waiting.includes(childIssueId) || waiting.length >= MAX_WAITING) return;
  // A parent that never crosses is forgotten after a while; the child's panel still says what it waits for.
  await kvs.set(key, [...waiting, childIssueId], { ttl: { value: 30, unit: 'DAYS' } });
}

/** The issues waiting for the pair of this issue and remote item, forgotten as they are answered. */
export async function childrenWaitingFor(connectionId: string, issueId: string, remoteId: string): Promise<string[]> {
  const keys = [waitingKey(connectionId, 'jira', issueId), waitingKey(connectionId, 'remote', remoteId)];
  const found: string[] = [];
  for (const key of keys) {
    const parsed = waitingList.safeParse(await kvs.get(key));
    if (!parsed.success) continue;
    found.push(...parsed.data);
    await kvs.delete(key);
  }
  return [...new Set(found)];
}
