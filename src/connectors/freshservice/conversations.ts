/**
 * Freshservice conversations as the contract's comments. Pure.
 *
 * A reply goes to the requester by email and a public note is shown to them,
 * so both read as public; a private note is internal. Only notes can be edited
 * (§2.3), which the contract cannot say per comment: `isReply` tells them apart.
 */
import type { Comment } from '../ports';
import { parseFreshserviceTime, type FreshserviceConversation } from './wire';

/** Freshservice's conversation `source` (Freshdesk's numbering, which it shares): 0 a reply, 2 a note. */
export const CONVERSATION_SOURCE = { reply: 0, note: 2 } as const;

export const REPLY_EDIT_REFUSED =
  'Freshservice replies cannot be edited once sent (they were emailed to the requester); only notes can';

/** A reply, as opposed to a note. Without a `source`, only a private conversation is surely a note. */
export function isReply(c: Pick<FreshserviceConversation, 'source' | 'private'>): boolean {
  if (c.source === CONVERSATION_SOURCE.reply) return true;
  if (c.source === CONVERSATION_SOURCE.note) return false;
  return !c.private;
}

export function toComment(c: FreshserviceConversation, names: ReadonlyMap<string, string>): Comment {
  const authorId = c.user_id ? String(c.user_id) : undefined;
  const createdAt = parseFreshserviceTime(c.created_at);
  return {
    id: String(c.id),
    body: c.body ?? '',
    visibility: c.private ? 'internal' : 'public',
    author: {
      ...(authorId ? { id: authorId } : {}),
      displayName: (authorId && names.get(authorId)) ?? (authorId ? `Freshservice user ${authorId}` : 'Freshservice'),
    },
    createdAt,
    updatedAt: c.updated_at ? parseFreshserviceTime(c.updated_at) : createdAt,
  };
}
