/**
 * What the issue panel shows of the remote item, kept on the link the
 * reconcile writes anyway (no storage call of its own): its key as the remote
 * names it ("Bug 4", "#4", INC0010001), its status and its title (cut, since
 * the link record is billed by its bytes).
 */
import type { Connector, Item } from '../connectors/ports';
import type { Link } from '../store/links';

/** The longest title kept on a link; the panel links to the item for the rest. */
export const MAX_TITLE_CHARS = 120;

export function cutTitle(title: string | undefined): string | undefined {
  if (!title) return undefined;
  const flat = title.replace(/\s+/g, ' ').trim();
  return flat.length > MAX_TITLE_CHARS ? `${flat.slice(0, MAX_TITLE_CHARS - 1)}…` : flat || undefined;
}

/**
 * The link with the item as read. A remote known only as the link vouches for
 * it (`presumed`, sync/evidence.ts) keeps what was last read, except a status
 * or title its notification showed.
 */
export function withItemShown(link: Link, connector: Connector, item: Item, presumed: boolean): Link {
  const next = { ...link };
  const status = connector.statusLabel(item);
  if (!presumed || status) {
    if (status) next.remoteStatus = status;
    else delete next.remoteStatus;
  }
  const title = cutTitle(connector.titleOf(item));
  if (!presumed || title) {
    if (title) next.remoteTitle = title;
    else delete next.remoteTitle;
  }
  if (presumed) return next;
  // Links made before a system named its items differently ("4", now "Bug 4") follow the remote's own name.
  if (item.displayKey && item.id === link.remoteId) next.remoteKey = item.displayKey;
  return next;
}
