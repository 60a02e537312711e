/**
 * Issue links and link types (`/issueLink`, `/issueLinkType`), as Jira Cloud serves them. A link runs from its source
 * (`outwardIssue` in a create) to its destination (`inwardIssue`); making or removing one writes a `Link` item in both
 * issues' changelogs, touches both, and is announced as the issue link event and as each issue's update.
 */
import type { Context, Hono } from 'hono';
import * as z from 'zod';
import { checkCommentBody, commentBody, commentRestriction, pushComment } from './comments';
import type { Env } from './http';
import { linkChangeItem, linkEventFields } from './links';
import { readJson } from './routes-issues';
import { commentJson, issueLinkJson, issueLinkTypeJson } from './serialize';
import { JiraError, type Site } from './site';
import type { CommentRecord, IssueLinkRecord, IssueRecord, JiraUser } from './state';

const issueRef = z.object({ id: z.string().optional(), key: z.string().optional() }).loose();
const linkBody = z
  .object({
    type: z.object({ id: z.string().optional(), name: z.string().optional() }).loose(),
    inwardIssue: issueRef,
    outwardIssue: issueRef,
    comment: commentBody.optional(),
  })
  .loose();

export function linkRoutes(app: Hono<Env>, site: Site, base: () => string): void {
  const trace = (c: Context<Env>) => c.req.header('x-atlassian-webhook-trace');
  const requireUser = (user: JiraUser | undefined) => {
    if (!user)
      throw new JiraError(401, ['You are not authenticated. Authentication required to perform this operation.']);
    return user;
  };
  /** The link with this id, when the caller can see both its issues; otherwise it does not exist for them. */
  const findLink = (id: string, user: JiraUser | undefined) => {
    const link = site.state.issueLinks.find((l) => l.id === id);
    const issues = link && [link.sourceId, link.destinationId].map((i) => site.findIssue(i));
    if (!link || !issues?.every((i) => i && site.can(user, 'BROWSE_PROJECTS', site.projectOf(i))))
      throw new JiraError(404, [`No issue link with id '${id}' exists.`]);
    return { link, source: issues[0]!, destination: issues[1]! };
  };
  /** Both issues' changelogs record the link, both are touched, and each change is announced as Jira announces it. */
  const recordOnBoth = (
    c: Context<Env>,
    user: JiraUser,
    link: IssueLinkRecord,
    issues: IssueRecord[],
    added: boolean,
  ) => {
    site.emit(
      added ? 'avi:jira:created:issuelink' : 'avi:jira:deleted:issuelink',
      user,
      trace(c),
      linkEventFields(site, link),
    );
    for (const issue of issues) {
      issue.updated = site.now();
      const changelog = site.recordChange(issue, user, [linkChangeItem(site, link, issue, added)]);
      site.emit('avi:jira:updated:issue', user, trace(c), {
        issue: site.eventIssue(issue),
        changelog,
        jiraEventTypeName: 'issue_updated',
        associatedUsers: [{ accountId: user.accountId }],
      });
    }
  };

  app.get('/rest/api/3/issueLinkType', (c) => {
    requireUser(c.get('user'));
    return c.json({ issueLinkTypes: site.state.issueLinkTypes.map((t) => issueLinkTypeJson(base(), t)) });
  });
  app.get('/rest/api/3/issueLinkType/:id', (c) => {
    requireUser(c.get('user'));
    const type = site.state.issueLinkTypes.find((t) => t.id === c.req.param('id'));
    if (!type) throw new JiraError(404, [`No issue link type with id '${c.req.param('id')}' found.`]);
    return c.json(issueLinkTypeJson(base(), type));
  });

  /**
   * Links two issues. Jira answers 201 with no body (the new link's id is read from either issue's `issuelinks`); a
   * link that exists already is not made twice, but its comment is still added. Everything is checked first: a
   * refused comment leaves no link.
   */
  app.post('/rest/api/3/issueLink', async (c) => {
    const user = c.get('user');
    const body = await readJson(c, linkBody);
    const type = site.state.issueLinkTypes.find((t) =>
      body.type.id !== undefined ? t.id === body.type.id : t.name === body.type.name,
    );
    if (!type)
      throw new JiraError(404, [
        body.type.id !== undefined
          ? `No issue link type with id '${body.type.id}' found.`
          : `No issue link type with name '${body.type.name ?? ''}' found.`,
      ]);
    const ref = (r: z.infer<typeof issueRef>) => r.key ?? r.id ?? '';
    const source = site.issue(ref(body.outwardIssue), user);
    const destination = site.issue(ref(body.inwardIssue), user);
    // Linking is a permission in the source's project: without it the link is "not found", as the spec lists it.
    if (!site.can(user, 'LINK_ISSUES', site.projectOf(source)))
      throw new JiraError(404, [`No Link Issue Permission for issue '${source.key}'.`]);
    const actor = user!;
    if (source === destination) throw new JiraError(400, ['You cannot link an issue to itself.']);
    let visibility: CommentRecord['visibility'];
    if (body.comment) {
      site.require(
        actor,
        'ADD_COMMENTS',
        site.projectOf(source),
        'You do not have the permission to comment on this issue.',
      );
      checkCommentBody(body.comment.body);
      visibility = commentRestriction(site, source, actor, body.comment.visibility);
    }
    const exists = site.state.issueLinks.some(
      (l) => l.typeId === type.id && l.sourceId === source.id && l.destinationId === destination.id,
    );
    if (!exists) {
      const link: IssueLinkRecord = {
        id: String(site.nextId('issueLink')),
        typeId: type.id,
        sourceId: source.id,
        destinationId: destination.id,
        created: site.now(),
      };
      site.state.issueLinks.push(link);
      recordOnBoth(c, actor, link, [source, destination], true);
    }
    // The spec: the comment goes on the "from (outward)" issue.
    if (body.comment) {
      const comment = pushComment(site, source, actor, body.comment, visibility);
      site.emit('avi:jira:commented:issue', actor, trace(c), {
        issue: site.eventIssue(source),
        comment: commentJson(base(), site, source, comment),
      });
    }
    return c.body(null, 201);
  });

  app.get('/rest/api/3/issueLink/:id', (c) => {
    const { link } = findLink(c.req.param('id'), c.get('user'));
    return c.json(issueLinkJson(base(), site, link));
  });

  app.delete('/rest/api/3/issueLink/:id', (c) => {
    const user = c.get('user');
    const { link, source, destination } = findLink(c.req.param('id'), user);
    // Link Issues in either issue's project lets one remove it.
    if (![source, destination].some((i) => site.can(user, 'LINK_ISSUES', site.projectOf(i))))
      throw new JiraError(404, [`No Link Issue Permission for issue '${source.key}'.`]);
    site.state.issueLinks = site.state.issueLinks.filter((l) => l !== link);
    recordOnBoth(c, user!, link, [source, destination], false);
    return c.body(null, 204);
  });
}
