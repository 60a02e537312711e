/** Comments and attachments. */
import type { Hono } from 'hono';
import { addComment, checkCommentBody, commentBody, commentRestriction } from './comments';
import type { Env } from './http';
import { readJson } from './routes-issues';
import { attachmentJson, commentJson } from './serialize';
import { JiraError, type Site } from './site';
import type { AttachmentRecord, CommentRecord, IssueRecord, JiraUser } from './state';

const MAX_ATTACHMENTS_PER_REQUEST = 60;

export function contentRoutes(app: Hono<Env>, site: Site, base: () => string): void {
  const trace = (c: { req: { header(n: string): string | undefined } }) => c.req.header('x-atlassian-webhook-trace');
  /** A comment the caller may see; one restricted to a role or group they are not in does not exist for them. */
  const findComment = (issue: IssueRecord, id: string, user: JiraUser | undefined) => {
    const comment = issue.comments.find((x) => x.id === id);
    if (!comment || !site.canSeeComment(user, issue, comment))
      throw new JiraError(404, [`Can not find a comment for the id: ${id}.`]);
    return comment;
  };
  const commentEvent = (issue: IssueRecord, comment: CommentRecord) => ({
    issue: site.eventIssue(issue),
    comment: commentJson(base(), site, issue, comment),
  });

  app.get('/rest/api/3/issue/:key/comment', (c) => {
    const user = c.get('user');
    const issue = site.issue(c.req.param('key'), user);
    const startAt = Number(c.req.query('startAt') ?? 0);
    const maxResults = Math.min(100, Number(c.req.query('maxResults') ?? 100));
    const order = c.req.query('orderBy') ?? 'created';
    // Only what the caller may see is listed, and counted.
    const sorted = site
      .visibleComments(user, issue)
      .sort(
        (a, b) =>
          (order.startsWith('-') ? b.created - a.created : a.created - b.created) || Number(a.id) - Number(b.id),
      );
    const rendered = (c.req.query('expand') ?? '').includes('renderedBody');
    return c.json({
      startAt,
      maxResults,
      total: sorted.length,
      comments: sorted.slice(startAt, startAt + maxResults).map((x) => commentJson(base(), site, issue, x, rendered)),
    });
  });

  app.get('/rest/api/3/issue/:key/comment/:id', (c) => {
    const issue = site.issue(c.req.param('key'), c.get('user'));
    return c.json(
      commentJson(
        base(),
        site,
        issue,
        findComment(issue, c.req.param('id'), c.get('user')),
        (c.req.query('expand') ?? '').includes('renderedBody'),
      ),
    );
  });

  app.post('/rest/api/3/issue/:key/comment', async (c) => {
    const user = c.get('user');
    const issue = site.issue(c.req.param('key'), user);
    site.require(
      user,
      'ADD_COMMENTS',
      site.projectOf(issue),
      'You do not have the permission to comment on this issue.',
    );
    const comment = addComment(site, issue, user!, await readJson(c, commentBody));
    site.emit('avi:jira:commented:issue', user, trace(c), commentEvent(issue, comment));
    return c.json(commentJson(base(), site, issue, comment), 201);
  });

  app.put('/rest/api/3/issue/:key/comment/:id', async (c) => {
    const user = c.get('user');
    const issue = site.issue(c.req.param('key'), user);
    const comment = findComment(issue, c.req.param('id'), user);
    const own = comment.authorId === user?.accountId;
    site.require(
      user,
      own ? 'EDIT_OWN_COMMENTS' : 'EDIT_ALL_COMMENTS',
      site.projectOf(issue),
      'You do not have the permission to edit this comment.',
    );
    const body = await readJson(c, commentBody);
    checkCommentBody(body.body);
    comment.body = body.body as CommentRecord['body'];
    const visibility = commentRestriction(site, issue, user, body.visibility);
    if (visibility) comment.visibility = visibility;
    for (const p of body.properties ?? []) comment.properties[p.key] = p.value;
    comment.updateAuthorId = user!.accountId;
    comment.updated = site.now();
    // There is no updated:comment event: an edit fires commented:issue again.
    site.emit('avi:jira:commented:issue', user, trace(c), commentEvent(issue, comment));
    return c.json(commentJson(base(), site, issue, comment));
  });

  app.delete('/rest/api/3/issue/:key/comment/:id', (c) => {
    const user = c.get('user');
    const issue = site.issue(c.req.param('key'), user);
    const comment = findComment(issue, c.req.param('id'), user);
    const own = comment.authorId === user?.accountId;
    site.require(
      user,
      own ? 'DELETE_OWN_COMMENTS' : 'DELETE_ALL_COMMENTS',
      site.projectOf(issue),
      'You do not have the permission to delete this comment.',
    );
    issue.comments = issue.comments.filter((x) => x !== comment);
    site.emit('avi:jira:deleted:comment', user, trace(c), commentEvent(issue, comment));
    return c.body(null, 204);
  });

  // ---- attachments
  app.get('/rest/api/3/attachment/meta', (c) =>
    c.json({ enabled: true, uploadLimit: site.state.attachmentUploadLimit }),
  );

  app.post('/rest/api/3/issue/:key/attachments', async (c) => {
    const user = c.get('user');
    // Without the header Jira's XSRF check refuses the upload.
    if (c.req.header('x-atlassian-token') !== 'no-check') throw new JiraError(403, ['XSRF check failed']);
    const issue = site.issue(c.req.param('key'), user);
    site.require(
      user,
      'CREATE_ATTACHMENTS',
      site.projectOf(issue),
      'You do not have permission to create attachments for this issue.',
    );
    const declared = Number(c.req.header('content-length') ?? 0);
    if (declared > site.state.attachmentUploadLimit * MAX_ATTACHMENTS_PER_REQUEST)
      throw new JiraError(413, ['The request exceeds the attachment size limit.']);
    let form: Record<string, unknown>;
    try {
      form = await c.req.parseBody({ all: true });
    } catch {
      throw new JiraError(400, ['Request must be multipart/form-data with a part named file.']);
    }
    const raw = form.file;
    const files = (Array.isArray(raw) ? raw : raw ? [raw] : []).filter((f): f is File => f instanceof File);
    if (!files.length)
      throw new JiraError(400, ['No file found in the request: the multipart part must be named "file".']);
    if (files.length > MAX_ATTACHMENTS_PER_REQUEST)
      throw new JiraError(413, [`At most ${MAX_ATTACHMENTS_PER_REQUEST} attachments per request.`]);
    const tooBig = files.find((f) => f.size > site.state.attachmentUploadLimit);
    if (tooBig)
      throw new JiraError(413, [
        `The file ${tooBig.name} is too large: the limit is ${site.state.attachmentUploadLimit} bytes.`,
      ]);
    const created: AttachmentRecord[] = [];
    for (const f of files) {
      const a: AttachmentRecord = {
        id: String(site.nextId('attachment')),
        mediaId: crypto.randomUUID(),
        filename: f.name,
        mimeType: f.type || 'application/octet-stream',
        authorId: user!.accountId,
        created: site.now(),
        content: Buffer.from(await f.arrayBuffer()),
      };
      issue.attachments.push(a);
      created.push(a);
    }
    issue.updated = site.now();
    for (const a of created)
      site.emit('avi:jira:created:attachment', user, trace(c), {
        attachment: { ...attachmentJson(base(), site, a), issueId: issue.id },
      });
    return c.json(created.map((a) => attachmentJson(base(), site, a)));
  });

  const findAttachment = (id: string, user: Parameters<Site['issue']>[1]) => {
    for (const issue of site.state.issues) {
      const a = issue.attachments.find((x) => x.id === id);
      if (a && site.can(user, 'BROWSE_PROJECTS', site.projectOf(issue))) return { issue, a };
    }
    throw new JiraError(404, [`The attachment with id '${id}' does not exist`]);
  };

  // Attachment metadata uses a numeric id, unlike the issue's attachment field (both as in the spec).
  app.get('/rest/api/3/attachment/:id', (c) => {
    const json = attachmentJson(base(), site, findAttachment(c.req.param('id'), c.get('user')).a);
    return c.json({ ...json, id: Number(json.id) });
  });

  app.delete('/rest/api/3/attachment/:id', (c) => {
    const user = c.get('user');
    const { issue, a } = findAttachment(c.req.param('id'), user);
    site.require(
      user,
      a.authorId === user?.accountId ? 'DELETE_OWN_ATTACHMENTS' : 'DELETE_ALL_ATTACHMENTS',
      site.projectOf(issue),
      'You do not have permission to delete this attachment.',
    );
    issue.attachments = issue.attachments.filter((x) => x !== a);
    site.emit('avi:jira:deleted:attachment', user, c.req.header('x-atlassian-webhook-trace'), {
      attachment: { id: a.id, filename: a.filename, issueId: issue.id },
    });
    return c.body(null, 204);
  });

  const media = new Map<string, string>();
  const sendBytes = (
    c: {
      req: { header(n: string): string | undefined };
      body(b: Uint8Array, s: number, h: Record<string, string>): Response;
    },
    a: AttachmentRecord,
  ) => {
    const range = /^bytes=(\d*)-(\d*)$/.exec(c.req.header('range') ?? '');
    const headers = {
      'content-type': a.mimeType,
      'content-disposition': `attachment; filename="${a.filename}"`,
      'accept-ranges': 'bytes',
    };
    if (range) {
      const size = a.content.length;
      const start = range[1] ? Number(range[1]) : size - Number(range[2]);
      const end = range[1] && range[2] ? Math.min(Number(range[2]), size - 1) : size - 1;
      if (start >= size || start > end) return c.body(new Uint8Array(), 416, { 'content-range': `bytes */${size}` });
      return c.body(new Uint8Array(a.content.subarray(start, end + 1)), 206, {
        ...headers,
        'content-range': `bytes ${start}-${end}/${size}`,
      });
    }
    return c.body(new Uint8Array(a.content), 200, headers);
  };

  app.get('/rest/api/3/attachment/content/:id', (c) => {
    const { a } = findAttachment(c.req.param('id'), c.get('user'));
    if (c.req.query('redirect') === 'false') return sendBytes(c, a);
    // Jira redirects downloads to its media service with a short-lived signed URL naming the file's media id
    // (https://api.media.atlassian.com/file/{id}/binary?token=…): the id ADF's `media` nodes carry.
    const token = crypto.randomUUID();
    media.set(token, a.mediaId);
    const name = encodeURIComponent(a.filename);
    return c.redirect(`${base()}/_media/file/${a.mediaId}/binary?token=${token}&collection=&dl=true&name=${name}`, 303);
  });

  app.get('/_media/file/:id/binary', (c) => {
    const token = c.req.query('token') ?? '';
    if (media.get(token) !== c.req.param('id')) return c.json({ error: 'invalid token' }, 401);
    const a = site.state.issues.flatMap((i) => i.attachments).find((x) => x.mediaId === c.req.param('id'));
    if (!a) return c.json({ error: 'not found' }, 404);
    return sendBytes(c, a);
  });
}
