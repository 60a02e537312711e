/**
 * An issue's labels and assignees as sub-resources (GH-OAS `issues/add-labels`,
 * `set-labels`, `remove-label`, `remove-all-labels`, `add-assignees`,
 * `remove-assignees`): each is an update of the whole set, so it makes the
 * same events and silent drops as a PATCH.
 */
import type { Hono } from 'hono';
import * as z from 'zod';
import { callerUser, requireCaller } from './auth';
import type { SimContext } from './context';
import { basicError, notFound } from './errors';
import { issueAt, jsonBody, positiveInt, renderOptions, repoAccess, type Ctx, type Env } from './http';
import * as render from './serialize';
import type { GhUser, Issue, Repo } from './store';

const ISSUE = '/repos/:owner/:repo/issues/:number{[0-9]+}';
const names = z.array(
  z.union([z.string(), z.object({ name: z.string() })]).transform((l) => (typeof l === 'string' ? l : l.name)),
);
/** GitHub takes `{labels: [...]}`, a bare array of names, or `[{name}]`. */
const labelsBody = z.union([z.object({ labels: names }), names.transform((labels) => ({ labels }))]);
const assigneesBody = z.object({ assignees: z.array(z.string()).default([]) });

export function issuePartRoutes(app: Hono<Env>, sim: SimContext): void {
  const { store, issues } = sim;
  const target = (c: Ctx): { repo: Repo; issue: Issue; user: GhUser; canPush: boolean } => {
    const access = repoAccess(c, store);
    const user = callerUser(requireCaller(c.get('caller')));
    if (!user) throw basicError(403, 'Resource not accessible by integration');
    return {
      repo: access.repo,
      issue: issueAt(c, store, access.repo, positiveInt(c, 'number')),
      user,
      canPush: access.canPush,
    };
  };
  const labelNames = (issue: Issue) => issue.labelIds.map((id) => store.labels.get(id)?.name ?? '');
  const renderLabels = (repo: Repo, issue: Issue) =>
    issue.labelIds.map((id) => store.labels.get(id)).flatMap((l) => (l ? [render.label(l, repo)] : []));
  const setLabels = (c: Ctx, next: (current: string[]) => string[]) => {
    const { repo, issue, user, canPush } = target(c);
    issues.update(issue, { user, canPush }, { labels: next(labelNames(issue)) });
    return c.json(renderLabels(repo, issue));
  };

  app.post(`${ISSUE}/labels`, async (c) => {
    const { labels } = await jsonBody(c, labelsBody);
    return setLabels(c, (current) => [...current, ...labels]);
  });
  app.put(`${ISSUE}/labels`, async (c) => {
    const { labels } = await jsonBody(c, labelsBody);
    return setLabels(c, () => labels);
  });
  app.delete(`${ISSUE}/labels`, (c) => {
    setLabels(c, () => []);
    return c.body(null, 204);
  });
  app.delete(`${ISSUE}/labels/:name`, (c) => {
    const name = c.req.param('name').toLowerCase();
    const { issue } = target(c);
    if (!labelNames(issue).some((l) => l.toLowerCase() === name)) throw basicError(404, 'Label does not exist');
    return setLabels(c, (current) => current.filter((l) => l.toLowerCase() !== name));
  });

  const setAssignees = async (c: Ctx, change: (current: string[], named: string[]) => string[], status: 200 | 201) => {
    const { issue, user, canPush } = target(c);
    const { assignees } = await jsonBody(c, assigneesBody);
    const current = issue.assigneeIds.map((id) => store.user(id).login);
    // Logins that cannot be assigned are left out here (the PATCH refuses them), as GitHub's add does.
    const assignable = assignees.filter((login) => {
      const u = store.userByLogin(login);
      return u && store.repo(issue.repoId).collaborators.has(u.login);
    });
    issues.update(issue, { user, canPush }, { assignees: change(current, assignable) });
    return c.json(render.issue(store, issue, renderOptions(c)), status);
  };
  app.post(`${ISSUE}/assignees`, (c) => setAssignees(c, (current, named) => [...current, ...named], 201));
  app.delete(`${ISSUE}/assignees`, (c) =>
    setAssignees(c, (current, named) => current.filter((login) => !named.includes(login)), 200),
  );
  app.get(`${ISSUE}/assignees/:login`, (c) => {
    const { repo } = target(c);
    const u = store.userByLogin(c.req.param('login'));
    if (!u || !repo.collaborators.has(u.login)) throw notFound();
    return c.body(null, 204);
  });
}
