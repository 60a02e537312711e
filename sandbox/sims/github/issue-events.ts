/**
 * An issue's event history, `GET /repos/{o}/{r}/issues/{n}/events` (GH-OAS
 * `issues/list-events`), oldest first: renamed, closed and reopened (with the
 * reason), labeled and unlabeled, assigned and unassigned, milestoned and
 * demilestoned, each with its actor and time. As on GitHub, a body edit leaves
 * no event: who changed a description, and when, is not in the REST history.
 */
import type { Hono } from 'hono';
import type { SimContext } from './context';
import { issueAt, paginate, positiveInt, repoAccess, type Env } from './http';
import * as render from './serialize';
import { isoSecond, type GitHubStore, type IssueEventRecord, type Repo } from './store';

export function issueEvent(store: GitHubStore, e: IssueEventRecord, repo: Repo): Record<string, unknown> {
  const assignee = e.assigneeId === undefined ? undefined : render.simpleUser(store.user(e.assigneeId));
  return {
    id: e.id,
    node_id: render.nodeId('IE', e.id),
    url: `${render.API}/repos/${repo.owner.login}/${repo.name}/issues/events/${e.id}`,
    actor: render.simpleUser(store.user(e.actorId)),
    event: e.event,
    commit_id: null,
    commit_url: null,
    created_at: isoSecond(e.createdAt),
    performed_via_github_app: null,
    ...(e.label ? { label: e.label } : {}),
    ...(e.rename ? { rename: e.rename } : {}),
    ...(assignee ? { assignee, assigner: render.simpleUser(store.user(e.actorId)) } : {}),
    ...(e.milestoneTitle !== undefined ? { milestone: { title: e.milestoneTitle } } : {}),
    ...(e.stateReason !== undefined ? { state_reason: e.stateReason } : {}),
  };
}

export function issueEventRoutes(app: Hono<Env>, sim: SimContext): void {
  const { store } = sim;
  app.get('/repos/:owner/:repo/issues/:number{[0-9]+}/events', (c) => {
    const { repo } = repoAccess(c, store);
    const issue = issueAt(c, store, repo, positiveInt(c, 'number'));
    const history = store.issueEvents.filter((e) => e.issueId === issue.id);
    return c.json(paginate(c, history).map((e) => issueEvent(store, e, repo)));
  });
}
