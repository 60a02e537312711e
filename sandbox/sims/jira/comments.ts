/** Adding a comment as Jira checks it: shared by the comment routes and by a link that carries a comment. */
import * as z from 'zod';
import { isValidAdf } from './adf';
import { JiraError, type Site } from './site';
import type { CommentRecord, IssueRecord, JiraUser } from './state';

export const commentBody = z
  .object({
    body: z.unknown(),
    visibility: z
      .object({ type: z.enum(['role', 'group']), value: z.string().optional(), identifier: z.string().optional() })
      .optional(),
    properties: z.array(z.object({ key: z.string(), value: z.unknown() })).optional(),
  })
  .loose();
export type CommentBody = z.infer<typeof commentBody>;

export function checkCommentBody(body: unknown): void {
  if (!isValidAdf(body))
    throw new JiraError(400, [], {
      comment:
        'Comment body is not valid! Operation value must be an Atlassian Document (see the Atlassian Document Format)',
    });
}

/**
 * A restriction as Jira stores it (a role by its name, a group by its id and name), accepted only from someone in
 * that role or group: nobody can post a comment they could not read.
 */
export function commentRestriction(
  site: Site,
  issue: IssueRecord,
  user: JiraUser | undefined,
  v: CommentBody['visibility'],
): CommentRecord['visibility'] {
  if (!v) return undefined;
  const named = v.type === 'group' ? (v.identifier ?? v.value ?? '') : (v.value ?? v.identifier ?? '');
  if (v.type === 'role') {
    const role = site.roleName(site.projectOf(issue), named);
    if (!role) throw new JiraError(400, [], { commentLevel: `Project role: ${named} does not exist.` });
    if (!site.inRole(user, site.projectOf(issue), role))
      throw new JiraError(400, [], { commentLevel: `You are currently not a member of the project role: ${role}.` });
    return { type: 'role', value: role, identifier: role };
  }
  const group = site.group(named);
  if (!group) throw new JiraError(400, [], { commentLevel: `Group: ${named} does not exist.` });
  if (!user || !group.members.includes(user.accountId))
    throw new JiraError(400, [], { commentLevel: `You are currently not a member of the group: ${group.name}.` });
  return { type: 'group', value: group.name, identifier: group.groupId };
}

/** Checks a new comment and, when every check passes, adds it to the issue (the caller announces it). */
export function addComment(site: Site, issue: IssueRecord, user: JiraUser, body: CommentBody): CommentRecord {
  checkCommentBody(body.body);
  if (issue.comments.length >= 5000) throw new JiraError(413, ['The issue has reached the limit of 5000 comments.']);
  const visibility = commentRestriction(site, issue, user, body.visibility);
  return pushComment(site, issue, user, body, visibility);
}

/** Adds a comment already checked (checkCommentBody, commentRestriction). */
export function pushComment(
  site: Site,
  issue: IssueRecord,
  user: JiraUser,
  body: CommentBody,
  visibility: CommentRecord['visibility'],
): CommentRecord {
  const now = site.now();
  const comment: CommentRecord = {
    id: String(site.nextId('comment')),
    authorId: user.accountId,
    updateAuthorId: user.accountId,
    body: body.body as CommentRecord['body'],
    created: now,
    updated: now,
    ...(visibility ? { visibility } : {}),
    properties: Object.fromEntries((body.properties ?? []).map((p) => [p.key, p.value])),
  };
  issue.comments.push(comment);
  issue.updated = now;
  return comment;
}
