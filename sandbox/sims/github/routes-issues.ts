/**
 * Issues, their comments and sub-issues (GH-OAS `issues/*`, GitHub's sub-issues
 * API), plus the repository's labels, milestones, assignees and the org's
 * issue types that a connector reads to describe its fields.
 */
import type { Hono } from 'hono';
import * as z from 'zod';
import { callerUser, requireCaller } from './auth';
import type { SimContext } from './context';
import { basicError, notFound, unprocessable, validationFailed } from './errors';
import {
  issueAt,
  jsonBody,
  paginate,
  positiveInt,
  renderOptions,
  repoAccess,
  requireWrite,
  sinceParam,
  type Ctx,
  type Env,
} from './http';
import { issueInput } from './issues';
import * as render from './serialize';
import { atLeast, type GhUser, type Issue, type IssueComment } from './store';

const ISSUE = '/repos/:owner/:repo/issues/:number{[0-9]+}';
const COMMENT = '/repos/:owner/:repo/issues/comments/:commentId{[0-9]+}';

const commentInput = z.object({ body: z.string().optional() });
const subIssueInput = z.object({ sub_issue_id: z.number().int(), replace_parent: z.boolean().optional() });

export function issueRoutes(app: Hono<Env>, sim: SimContext): void {
  const { store, issues } = sim;
  const actorOf = (c: Ctx): GhUser => {
    const user = callerUser(requireCaller(c.get('caller')));
    // The app itself (a JWT) acts on nothing but its installations.
    if (!user) throw basicError(403, 'Resource not accessible by integration');
    return user;
  };
  const renderIssue = (c: Ctx, i: Issue) => render.issue(store, i, renderOptions(c));

  app.get('/repos/:owner/:repo/issues', (c) => {
    const { repo } = repoAccess(c, store);
    const q = (name: string) => c.req.query(name);
    const state = q('state') ?? 'open';
    const since = sinceParam(c);
    const wantedLabels = (q('labels') ?? '')
      .split(',')
      .map((l) => l.trim().toLowerCase())
      .filter(Boolean);
    const labelNames = (i: Issue) => i.labelIds.map((id) => store.labels.get(id)?.name.toLowerCase());
    const matchesPerson = (ids: number[], wanted: string | undefined) =>
      wanted === undefined ||
      (wanted === '*'
        ? ids.length > 0
        : wanted === 'none'
          ? ids.length === 0
          : ids.some((id) => store.user(id).login.toLowerCase() === wanted.toLowerCase()));
    const milestone = q('milestone');
    const type = q('type');
    const creator = q('creator');
    const selected = store
      .issuesOf(repo.id)
      .filter(
        (i) =>
          (state === 'all' || i.state === state) &&
          (since === undefined || i.updatedAt >= since) &&
          wantedLabels.every((l) => labelNames(i).includes(l)) &&
          matchesPerson(i.assigneeIds, q('assignee')) &&
          (creator === undefined || store.user(i.userId).login.toLowerCase() === creator.toLowerCase()) &&
          (milestone === undefined ||
            (milestone === '*'
              ? i.milestoneId !== null
              : milestone === 'none'
                ? i.milestoneId === null
                : store.milestones.get(i.milestoneId ?? -1)?.number === Number(milestone))) &&
          (type === undefined ||
            (type === '*'
              ? i.typeId !== null
              : type === 'none'
                ? i.typeId === null
                : store.issueTypes.get(i.typeId ?? -1)?.name.toLowerCase() === type.toLowerCase())),
      );
    const sort = q('sort') ?? 'created';
    const key = (i: Issue) =>
      sort === 'updated' ? i.updatedAt : sort === 'comments' ? store.commentsOf(i.id).length : i.createdAt;
    const sign = (q('direction') ?? 'desc') === 'asc' ? 1 : -1;
    // Ties (same second) fall back to the number, so a page boundary never splits them differently between calls.
    selected.sort((a, b) => sign * (key(a) - key(b) || a.number - b.number));
    return c.json(paginate(c, selected).map((i) => renderIssue(c, i)));
  });

  app.post('/repos/:owner/:repo/issues', async (c) => {
    const access = repoAccess(c, store);
    const input = await jsonBody(c, issueInput);
    const issue = issues.create(access.repo, { user: actorOf(c), canPush: access.canPush }, withVersion(c, input));
    c.header('location', render.issueApiUrl(access.repo, issue.number));
    return c.json(renderIssue(c, issue), 201);
  });

  for (const path of [ISSUE, '/repositories/:repoId{[0-9]+}/issues/:number{[0-9]+}'])
    app.get(path, (c) => {
      const { repo } = repoAccess(c, store);
      return c.json(renderIssue(c, issueAt(c, store, repo, positiveInt(c, 'number'))));
    });

  app.patch(ISSUE, async (c) => {
    const access = repoAccess(c, store);
    const issue = issueAt(c, store, access.repo, positiveInt(c, 'number'));
    const user = actorOf(c);
    // The author may edit their own issue; anyone else needs triage (GitHub's roles).
    if (issue.userId !== user.id) requireWrite(access, 'triage');
    const input = await jsonBody(c, issueInput);
    return c.json(renderIssue(c, issues.update(issue, { user, canPush: access.canPush }, withVersion(c, input))));
  });

  // ---- comments
  app.get(`${ISSUE}/comments`, (c) => {
    const { repo } = repoAccess(c, store);
    const issue = issueAt(c, store, repo, positiveInt(c, 'number'));
    const since = sinceParam(c);
    const list = store.commentsOf(issue.id).filter((cm) => since === undefined || cm.updatedAt >= since);
    return c.json(paginate(c, list).map((cm) => render.comment(store, cm)));
  });

  app.post(`${ISSUE}/comments`, async (c) => {
    const { repo } = repoAccess(c, store);
    const issue = issueAt(c, store, repo, positiveInt(c, 'number'));
    const { body } = await jsonBody(c, commentInput);
    if (!body) throw validationFailed({ resource: 'IssueComment', field: 'body', code: 'missing_field' });
    const made = issues.addComment(issue, actorOf(c), body);
    c.header('location', `${render.API}/repos/${repo.owner.login}/${repo.name}/issues/comments/${made.id}`);
    return c.json(render.comment(store, made), 201);
  });

  app.get('/repos/:owner/:repo/issues/comments', (c) => {
    const { repo } = repoAccess(c, store);
    const since = sinceParam(c);
    const list = [...store.comments.values()].filter((cm) => {
      const i = store.issues.get(cm.issueId);
      return i && i.repoId === repo.id && !i.deleted && (since === undefined || cm.updatedAt >= since);
    });
    const sort = c.req.query('sort');
    const sign = (c.req.query('direction') ?? 'asc') === 'desc' ? -1 : 1;
    const key = (cm: IssueComment) => (sort === 'updated' ? cm.updatedAt : sort === 'created' ? cm.createdAt : cm.id);
    list.sort((a, b) => sign * (key(a) - key(b) || a.id - b.id));
    return c.json(paginate(c, list).map((cm) => render.comment(store, cm)));
  });

  const commentAt = (c: Ctx): { comment: IssueComment; canPush: boolean } => {
    const access = repoAccess(c, store);
    const comment = store.comments.get(positiveInt(c, 'commentId'));
    const issue = comment && store.issues.get(comment.issueId);
    if (!comment || !issue || issue.repoId !== access.repo.id || issue.deleted) throw notFound();
    return { comment, canPush: access.canPush };
  };
  /** Its author may change a comment; anyone else needs write access. */
  const mayChange = (c: Ctx, comment: IssueComment, canPush: boolean): GhUser => {
    const user = actorOf(c);
    if (comment.userId !== user.id && !canPush) throw basicError(403, 'Resource not accessible by integration');
    return user;
  };

  app.get(COMMENT, (c) => c.json(render.comment(store, commentAt(c).comment)));

  app.patch(COMMENT, async (c) => {
    const { comment, canPush } = commentAt(c);
    const user = mayChange(c, comment, canPush);
    const { body } = await jsonBody(c, commentInput);
    if (body === undefined) throw validationFailed({ resource: 'IssueComment', field: 'body', code: 'missing_field' });
    return c.json(render.comment(store, issues.editComment(comment, user, body)));
  });

  app.delete(COMMENT, (c) => {
    const { comment, canPush } = commentAt(c);
    issues.deleteComment(comment, mayChange(c, comment, canPush));
    return c.body(null, 204);
  });

  // ---- sub-issues (by the child's global `id`, not its number)
  const subIssueById = (id: number): Issue => {
    const child = store.issues.get(id);
    if (!child || child.deleted || child.movedTo) throw unprocessable('The provided sub-issue does not exist');
    return child;
  };

  app.get(`${ISSUE}/sub_issues`, (c) => {
    const { repo } = repoAccess(c, store);
    const parent = issueAt(c, store, repo, positiveInt(c, 'number'));
    const children = parent.subIssueIds
      .map((id) => store.issues.get(id))
      .filter((i): i is Issue => Boolean(i && !i.deleted));
    return c.json(paginate(c, children).map((i) => renderIssue(c, i)));
  });

  app.post(`${ISSUE}/sub_issues`, async (c) => {
    const access = repoAccess(c, store);
    requireWrite(access, 'triage');
    const parent = issueAt(c, store, access.repo, positiveInt(c, 'number'));
    const input = await jsonBody(c, subIssueInput);
    issues.addSubIssue(parent, subIssueById(input.sub_issue_id), input.replace_parent ?? false, actorOf(c));
    return c.json(renderIssue(c, parent), 201);
  });

  app.delete(`${ISSUE}/sub_issue`, async (c) => {
    const access = repoAccess(c, store);
    requireWrite(access, 'triage');
    const parent = issueAt(c, store, access.repo, positiveInt(c, 'number'));
    const input = await jsonBody(c, subIssueInput.pick({ sub_issue_id: true }));
    issues.removeSubIssue(parent, subIssueById(input.sub_issue_id), actorOf(c));
    return c.json(renderIssue(c, parent));
  });

  app.get(`${ISSUE}/parent`, (c) => {
    const { repo } = repoAccess(c, store);
    const child = issueAt(c, store, repo, positiveInt(c, 'number'));
    const parent = child.parentId === null ? undefined : store.issues.get(child.parentId);
    if (!parent) throw notFound();
    return c.json(renderIssue(c, parent));
  });

  // ---- what a connector reads to check its repository and describe the fields
  app.get('/repos/:owner/:repo', (c) => {
    const { repo, permission } = repoAccess(c, store);
    return c.json({
      ...render.repository(repo, issues.openCount(repo)),
      // What the caller may do there, as GitHub adds it for an authenticated caller.
      permissions: Object.fromEntries(
        (['admin', 'maintain', 'push', 'triage', 'pull'] as const).map((p) => [p, atLeast(permission, p)]),
      ),
    });
  });
  app.get('/repos/:owner/:repo/labels', (c) => {
    const { repo } = repoAccess(c, store);
    return c.json(paginate(c, store.labelsOf(repo.id)).map((l) => render.label(l, repo)));
  });
  app.get('/repos/:owner/:repo/milestones', (c) => {
    const { repo } = repoAccess(c, store);
    const state = c.req.query('state') ?? 'open';
    const list = [...store.milestones.values()].filter(
      (m) => m.repoId === repo.id && (state === 'all' || m.state === state),
    );
    return c.json(paginate(c, list).map((m) => render.milestone(store, m, repo)));
  });
  app.get('/repos/:owner/:repo/assignees', (c) => {
    const { repo } = repoAccess(c, store);
    const people = [...repo.collaborators.keys()]
      .map((login) => store.userByLogin(login))
      .filter((u): u is GhUser => Boolean(u));
    return c.json(paginate(c, people).map(render.simpleUser));
  });
  app.get('/orgs/:org/issue-types', (c) => {
    const caller = requireCaller(c.get('caller'));
    const org = c.req.param('org').toLowerCase();
    const member = [...store.repos.values()].some(
      (r) =>
        r.owner.login.toLowerCase() === org &&
        (caller.kind === 'installation' || (caller.kind === 'user' && r.collaborators.has(caller.user.login))),
    );
    if (!member) throw notFound();
    return c.json([...store.issueTypes.values()].map(render.issueType));
  });
  app.get('/repos/:owner/:repo/collaborators/:login/permission', (c) => {
    const access = repoAccess(c, store);
    const user = store.userByLogin(c.req.param('login'));
    if (!user) throw notFound();
    const held = access.repo.collaborators.get(user.login);
    return c.json({
      permission:
        held === undefined ? 'none' : atLeast(held, 'admin') ? 'admin' : atLeast(held, 'push') ? 'write' : 'read',
      role_name: held ?? 'none',
      user: render.simpleUser(user),
    });
  });
}

/** API version 2026-03-10 no longer takes the singular `assignee`: it is ignored there. */
function withVersion<T extends { assignee?: string | null }>(c: Ctx, input: T): T {
  if (c.get('apiVersion') === '2022-11-28') return input;
  const { assignee: _dropped, ...rest } = input;
  return rest as T;
}
