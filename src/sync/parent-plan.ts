/**
 * Which way an item's parent crosses, as a pure decision (sync/hierarchy.ts does the reads and writes).
 *
 * A parent is a reference to another item, so the two sides hold it in different ids: Jira the parent issue's id,
 * the remote its own item's id. The pair's base keeps both as they were when the parent last agreed (`ParentBase`),
 * and each side's parent now is compared with its own half: level-triggered like every field, so a run that
 * repeats, comes late or finds nothing new writes nothing. '' is no parent. A side whose parent this run did not
 * read (an event proved the rest) is `undefined`, and counts as unchanged.
 */
export interface ParentBase {
  /** The Jira parent's issue id, '' for none. */
  jira: string;
  /** The remote parent's item id, '' for none. */
  remote: string;
}

export type ParentDirection = 'both' | 'to-jira' | 'to-remote' | 'none';

export type ParentPlan =
  /** Nothing to write; `base` is what both sides agree on now, where it moved without a write (both changed alike). */
  | { kind: 'none'; base?: ParentBase }
  /** The remote's parent becomes the remote item paired with this Jira parent ('' removes it). */
  | { kind: 'to-remote'; jiraParent: string }
  /** Jira's parent becomes the issue paired with this remote parent ('' removes it). */
  | { kind: 'to-jira'; remoteParent: string };

export function planParent(input: {
  base: ParentBase | undefined;
  jira: string | undefined;
  remote: string | undefined;
  direction: ParentDirection;
  /** Which side a pair that never agreed starts from: where it was made, the remote for a hand-made link. */
  startFrom: 'jira' | 'remote';
}): ParentPlan {
  const { base, direction } = input;
  if (direction === 'none') return { kind: 'none' };
  const jira = input.jira ?? base?.jira;
  const remote = input.remote ?? base?.remote;
  const toRemote = direction === 'both' || direction === 'to-remote';
  const toJira = direction === 'both' || direction === 'to-jira';
  if (!base) {
    // Never agreed: the side the pair started from says what the parent is; a side without one writes nothing.
    if (input.startFrom === 'jira' && toRemote && jira) return { kind: 'to-remote', jiraParent: jira };
    if (input.startFrom === 'remote' && toJira && remote) return { kind: 'to-jira', remoteParent: remote };
    if (toRemote && jira) return { kind: 'to-remote', jiraParent: jira };
    if (toJira && remote) return { kind: 'to-jira', remoteParent: remote };
    return jira === undefined || remote === undefined ? { kind: 'none' } : { kind: 'none', base: { jira, remote } };
  }
  const jiraMoved = jira !== undefined && jira !== base.jira;
  const remoteMoved = remote !== undefined && remote !== base.remote;
  // Moved on both sides since they agreed: Jira's move wins where it may be written (the issue is the pair's anchor).
  if (jiraMoved && toRemote) return { kind: 'to-remote', jiraParent: jira };
  if (remoteMoved && toJira) return { kind: 'to-jira', remoteParent: remote };
  // A move that may not cross is taken as the side's own, so it is not news again on the next run.
  if (jiraMoved || remoteMoved)
    return { kind: 'none', base: { jira: jira ?? base.jira, remote: remote ?? base.remote } };
  return { kind: 'none' };
}
