/**
 * A link a person makes by hand (the issue panel's Link), as pure rules:
 * which remote items they may link an issue to, and what the pair's first
 * sync leaves where it is.
 *
 * The integration account reads far more than any one project should (every
 * incident of a table, every ticket of an account), so a person reaches through
 * a connection only what that connection syncs anyway: the items its remote
 * filter creates issues from, those its admin opened to linking by hand
 * (`linkFilter`), and the item Crosswalk made for this very issue. An item made
 * for another issue belongs to that pair.
 *
 * The first sync of such a link starts from the remote: each field takes the
 * remote's value (reconcile.ts), the remote's comments and files come to Jira,
 * and what the issue held before the link stays in Jira, so linking writes
 * nothing to the remote; Jira changes made after it cross as usual.
 */
import type { ConnectionConfig } from '../mapping/connection-config';
import type { CrossedPair, SideComment, SideFile } from './crossing';
import { matchesRemoteFilter } from './remote-filter';

/** Whose pair an item's correlation marker names (create.ts `parseCorrelationId`). */
export type MadeFor = { connectionId: string; issueId: string } | 'other-site' | undefined;

export type HandLinkVerdict =
  | { ok: true }
  /** Made by Crosswalk for another issue (or another site): it belongs to that pair. */
  | { ok: false; reason: 'made-for-another' }
  /** Neither filter of the connection takes it. */
  | { ok: false; reason: 'outside' };

export function handLinkable(
  config: Pick<ConnectionConfig, 'id' | 'remoteFilter' | 'linkFilter'>,
  item: { fields: Readonly<Record<string, unknown>> },
  madeFor: MadeFor,
  issueId: string,
): HandLinkVerdict {
  if (madeFor === 'other-site') return { ok: false, reason: 'made-for-another' };
  if (madeFor) {
    return madeFor.connectionId === config.id && madeFor.issueId === issueId
      ? { ok: true }
      : { ok: false, reason: 'made-for-another' };
  }
  return matchesRemoteFilter(item.fields, config.remoteFilter) || matchesRemoteFilter(item.fields, config.linkFilter)
    ? { ok: true }
    : { ok: false, reason: 'outside' };
}

/**
 * What a hand-made link's first sync records as crossed without copying: each
 * comment or file on Jira not paired yet (the issue's own, and copies left
 * from an earlier link) and each Crosswalk copy on the remote not paired yet
 * (left from the item's earlier pairs). Recorded with an empty id on the side
 * a copy would go to, they read as "crossed, copy gone" (crossing.ts): never
 * copied, never followed, and no copy of ours is taken for an orphan to delete.
 */
export function heldBack(
  jira: ReadonlyArray<Pick<SideComment | SideFile, 'id'>>,
  remote: ReadonlyArray<Pick<SideComment | SideFile, 'id' | 'byUs'>>,
  crossed: readonly CrossedPair[],
): CrossedPair[] {
  const pairedJira = new Set(crossed.map((p) => p.jira));
  const pairedRemote = new Set(crossed.map((p) => p.remote));
  return [
    ...jira.filter((c) => !pairedJira.has(c.id)).map((c) => ({ jira: c.id, remote: '', from: 'jira' as const })),
    ...remote
      .filter((c) => c.byUs && !pairedRemote.has(c.id))
      .map((c) => ({ jira: '', remote: c.id, from: 'remote' as const })),
  ];
}
