import { issueForRemote } from '../store/links';
import type { WorkItemRef } from './work-item';

/** Maps a remote item to its pair before enqueueing: a linked item is keyed (and reconciled) by its issue. */
export async function pairRef(connectionId: string, remoteId: string): Promise<WorkItemRef> {
  const issueId = await issueForRemote(connectionId, remoteId);
  return issueId ? { side: 'jira', issueId } : { side: 'remote', connectionId, remoteId };
}
