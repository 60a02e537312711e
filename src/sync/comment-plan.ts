/**
 * Which comments to copy, as a pure decision over both sides' lists. Each copy
 * carries an origin marker naming the comment it came from, so the lists
 * themselves say what has crossed: a retry after a crash, a duplicate event or
 * our own copies coming back never copy twice.
 */
import type { Visibility } from '../connectors/ports';
import type { Direction } from './field-decision';

export interface SideComment {
  id: string;
  text: string;
  author: string;
  visibility: Visibility;
  /** Present on comments Crosswalk wrote: the id of the comment copied, prefixed by its side. */
  origin?: string;
  /** Changed after it was written. */
  edited?: boolean;
}

export interface CommentCopy {
  from: SideComment;
  to: 'jira' | 'remote';
  origin: string;
  visibility: Visibility;
  text: string;
}

export const jiraOrigin = (id: string) => `jira-comment-${id}`;
export const remoteOrigin = (id: string) => `remote-comment-${id}`;

export function planComments(jira: readonly SideComment[], remote: readonly SideComment[], direction: Direction, remoteLabel: string, supportsInternalRemote: boolean): CommentCopy[] {
  const copies: CommentCopy[] = [];
  const remoteOrigins = new Set(remote.map((c) => c.origin).filter(Boolean));
  const jiraOrigins = new Set(jira.map((c) => c.origin).filter(Boolean));
  if (direction === 'both' || direction === 'to-remote') {
    for (const c of jira) {
      if (c.origin || remoteOrigins.has(jiraOrigin(c.id))) continue;
      // An internal Jira comment never becomes public on the remote side.
      if (c.visibility === 'internal' && !supportsInternalRemote) continue;
      copies.push({ from: c, to: 'remote', origin: jiraOrigin(c.id), visibility: c.visibility, text: `${c.author} (Jira): ${c.text}` });
    }
  }
  if (direction === 'both' || direction === 'to-jira') {
    for (const c of remote) {
      if (c.origin || jiraOrigins.has(remoteOrigin(c.id))) continue;
      copies.push({ from: c, to: 'jira', origin: remoteOrigin(c.id), visibility: c.visibility, text: `${c.author} (${remoteLabel}): ${c.text}` });
    }
  }
  return copies;
}

/**
 * Jira comments edited after they were copied to a remote whose comments cannot
 * be changed (ServiceNow journals): the edit is not copied, and people are told.
 */
export function uncopiableEdits(jira: readonly SideComment[], remote: readonly SideComment[], remoteCanEdit: boolean): SideComment[] {
  if (remoteCanEdit) return [];
  const copied = new Set(remote.map((c) => c.origin).filter(Boolean));
  return jira.filter((c) => c.edited && !c.origin && copied.has(jiraOrigin(c.id)));
}

/** Remote copies whose Jira comment was deleted: a remote that cannot delete keeps them, and people are told. */
export function copiesOfDeleted(jira: readonly SideComment[], remote: readonly SideComment[], remoteCanDelete: boolean): SideComment[] {
  if (remoteCanDelete) return [];
  const live = new Set(jira.map((c) => jiraOrigin(c.id)));
  return remote.filter((c) => c.origin?.startsWith('jira-comment-') && !live.has(c.origin));
}
