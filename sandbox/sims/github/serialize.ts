/**
 * GitHub's JSON shapes (the spec's `simple-user`, `repository`, `label`,
 * `milestone`, `issue-type`, `issue`, `issue-comment`, `hook`), rendered from
 * the store. Resource URLs are GitHub's own hosts whichever way the request
 * came in, so what a client stores does not depend on how it reached the sim.
 */
import { createHash } from 'node:crypto';
import {
  isoSecond,
  type GhUser,
  type GitHubStore,
  type Hook,
  type Issue,
  type IssueComment,
  type IssueType,
  type Label,
  type Milestone,
  type Repo,
} from './store';

export const API = 'https://api.github.com';
export const WEB = 'https://github.com';

/** GitHub's node ids are opaque base64; a stable one from kind and id is all a client may rely on. */
export const nodeId = (kind: string, id: number): string =>
  `${kind}_${Buffer.from(`${kind}:${id}`).toString('base64url')}`;

export function simpleUser(u: GhUser): Record<string, unknown> {
  const kind = u.type === 'Organization' ? 'orgs' : 'users';
  const url = `${API}/${kind}/${encodeURIComponent(u.login)}`;
  return {
    login: u.login,
    id: u.id,
    node_id: nodeId(u.type === 'Bot' ? 'BOT' : u.type === 'Organization' ? 'O' : 'U', u.id),
    avatar_url: `https://avatars.githubusercontent.com/u/${u.id}?v=4`,
    gravatar_id: '',
    url,
    html_url: `${WEB}/${u.type === 'Bot' ? `apps/${u.login.replace(/\[bot\]$/, '')}` : u.login}`,
    followers_url: `${url}/followers`,
    following_url: `${url}/following{/other_user}`,
    gists_url: `${url}/gists{/gist_id}`,
    starred_url: `${url}/starred{/owner}{/repo}`,
    subscriptions_url: `${url}/subscriptions`,
    organizations_url: `${url}/orgs`,
    repos_url: `${url}/repos`,
    events_url: `${url}/events{/privacy}`,
    received_events_url: `${url}/received_events`,
    type: u.type,
    site_admin: false,
    user_view_type: 'public',
  };
}

export function repository(r: Repo, openIssues: number): Record<string, unknown> {
  const full = `${r.owner.login}/${r.name}`;
  const url = `${API}/repos/${full}`;
  const at = isoSecond(r.createdAt);
  const templated = (path: string) => `${url}/${path}`;
  return {
    id: r.id,
    node_id: nodeId('R', r.id),
    name: r.name,
    full_name: full,
    owner: simpleUser(r.owner),
    private: r.private,
    html_url: `${WEB}/${full}`,
    description: null,
    fork: false,
    url,
    archive_url: templated('{archive_format}{/ref}'),
    assignees_url: templated('assignees{/user}'),
    blobs_url: templated('git/blobs{/sha}'),
    branches_url: templated('branches{/branch}'),
    collaborators_url: templated('collaborators{/collaborator}'),
    comments_url: templated('comments{/number}'),
    commits_url: templated('commits{/sha}'),
    compare_url: templated('compare/{base}...{head}'),
    contents_url: templated('contents/{+path}'),
    contributors_url: templated('contributors'),
    deployments_url: templated('deployments'),
    downloads_url: templated('downloads'),
    events_url: templated('events'),
    forks_url: templated('forks'),
    git_commits_url: templated('git/commits{/sha}'),
    git_refs_url: templated('git/refs{/sha}'),
    git_tags_url: templated('git/tags{/sha}'),
    git_url: `git://github.com/${full}.git`,
    issue_comment_url: templated('issues/comments{/number}'),
    issue_events_url: templated('issues/events{/number}'),
    issues_url: templated('issues{/number}'),
    keys_url: templated('keys{/key_id}'),
    labels_url: templated('labels{/name}'),
    languages_url: templated('languages'),
    merges_url: templated('merges'),
    milestones_url: templated('milestones{/number}'),
    notifications_url: templated('notifications{?since,all,participating}'),
    pulls_url: templated('pulls{/number}'),
    releases_url: templated('releases{/id}'),
    ssh_url: `git@github.com:${full}.git`,
    stargazers_url: templated('stargazers'),
    statuses_url: templated('statuses/{sha}'),
    subscribers_url: templated('subscribers'),
    subscription_url: templated('subscription'),
    tags_url: templated('tags'),
    teams_url: templated('teams'),
    trees_url: templated('git/trees{/sha}'),
    clone_url: `${WEB}/${full}.git`,
    mirror_url: null,
    hooks_url: templated('hooks'),
    svn_url: `${WEB}/${full}`,
    homepage: null,
    language: 'TypeScript',
    forks_count: 0,
    forks: 0,
    stargazers_count: 0,
    watchers_count: 0,
    watchers: 0,
    size: 0,
    default_branch: 'main',
    open_issues_count: openIssues,
    open_issues: openIssues,
    is_template: false,
    topics: [],
    has_issues: true,
    has_projects: false,
    has_wiki: false,
    has_pages: false,
    has_downloads: true,
    has_discussions: false,
    archived: false,
    disabled: false,
    visibility: r.private ? 'private' : 'public',
    pushed_at: at,
    created_at: at,
    updated_at: at,
    license: null,
  };
}

export function label(l: Label, repo: Repo): Record<string, unknown> {
  return {
    id: l.id,
    node_id: nodeId('LA', l.id),
    url: `${API}/repos/${repo.owner.login}/${repo.name}/labels/${encodeURIComponent(l.name)}`,
    name: l.name,
    description: l.description,
    color: l.color,
    default: false,
  };
}

export function milestone(store: GitHubStore, m: Milestone, repo: Repo): Record<string, unknown> {
  const url = `${API}/repos/${repo.owner.login}/${repo.name}/milestones/${m.number}`;
  const inIt = store.issuesOf(repo.id).filter((i) => i.milestoneId === m.id);
  return {
    url,
    html_url: `${WEB}/${repo.owner.login}/${repo.name}/milestone/${m.number}`,
    labels_url: `${url}/labels`,
    id: m.id,
    node_id: nodeId('MI', m.id),
    number: m.number,
    state: m.state,
    title: m.title,
    description: m.description,
    creator: simpleUser(store.user(m.creatorId)),
    open_issues: inIt.filter((i) => i.state === 'open').length,
    closed_issues: inIt.filter((i) => i.state === 'closed').length,
    created_at: isoSecond(m.createdAt),
    updated_at: isoSecond(m.updatedAt),
    closed_at: null,
    due_on: m.dueOn === null ? null : isoSecond(m.dueOn),
  };
}

export function issueType(t: IssueType): Record<string, unknown> {
  return {
    id: t.id,
    node_id: nodeId('IT', t.id),
    name: t.name,
    description: t.description,
    color: t.color,
    created_at: isoSecond(t.createdAt),
    updated_at: isoSecond(t.createdAt),
    is_enabled: true,
  };
}

/** What a client learns about the request's API version: 2026-03-10 dropped the singular `assignee`. */
export interface RenderOptions {
  withSingularAssignee: boolean;
}

export const issueApiUrl = (repo: Repo, number: number): string =>
  `${API}/repos/${repo.owner.login}/${repo.name}/issues/${number}`;
export const issueHtmlUrl = (repo: Repo, number: number, pull = false): string =>
  `${WEB}/${repo.owner.login}/${repo.name}/${pull ? 'pull' : 'issues'}/${number}`;

const reactions = (url: string) => ({
  url: `${url}/reactions`,
  total_count: 0,
  '+1': 0,
  '-1': 0,
  laugh: 0,
  hooray: 0,
  confused: 0,
  heart: 0,
  rocket: 0,
  eyes: 0,
});

/** GitHub's `sub_issues_summary`: direct sub-issues only, `percent_completed` rounded down. */
export function subIssuesSummary(
  store: GitHubStore,
  i: Issue,
): { total: number; completed: number; percent_completed: number } {
  const children = i.subIssueIds.map((id) => store.issues.get(id)).filter((c): c is Issue => Boolean(c && !c.deleted));
  const completed = children.filter((c) => c.state === 'closed').length;
  return {
    total: children.length,
    completed,
    percent_completed: children.length ? Math.floor((completed * 100) / children.length) : 0,
  };
}

export function issue(store: GitHubStore, i: Issue, opts: RenderOptions): Record<string, unknown> {
  const repo = store.repo(i.repoId);
  const url = issueApiUrl(repo, i.number);
  const assignees = i.assigneeIds.map((id) => simpleUser(store.user(id)));
  const ms = i.milestoneId === null ? undefined : store.milestones.get(i.milestoneId);
  const type = i.typeId === null ? undefined : store.issueTypes.get(i.typeId);
  const parent = i.parentId === null ? undefined : store.issues.get(i.parentId);
  const author = store.user(i.userId);
  const repoPath = `${repo.owner.login}/${repo.name}`;
  return {
    id: i.id,
    node_id: nodeId('I', i.id),
    url,
    repository_url: `${API}/repos/${repoPath}`,
    labels_url: `${url}/labels{/name}`,
    comments_url: `${url}/comments`,
    events_url: `${url}/events`,
    html_url: issueHtmlUrl(repo, i.number, i.isPullRequest),
    number: i.number,
    state: i.state,
    state_reason: i.stateReason,
    title: i.title,
    body: i.body,
    user: simpleUser(author),
    labels: i.labelIds
      .map((id) => store.labels.get(id))
      .filter((l): l is Label => Boolean(l))
      .map((l) => label(l, repo)),
    ...(opts.withSingularAssignee ? { assignee: assignees[0] ?? null } : {}),
    assignees,
    milestone: ms ? milestone(store, ms, repo) : null,
    locked: i.locked,
    active_lock_reason: null,
    comments: store.commentsOf(i.id).length,
    ...(i.isPullRequest
      ? {
          pull_request: {
            url: `${API}/repos/${repoPath}/pulls/${i.number}`,
            html_url: issueHtmlUrl(repo, i.number, true),
            diff_url: `${issueHtmlUrl(repo, i.number, true)}.diff`,
            patch_url: `${issueHtmlUrl(repo, i.number, true)}.patch`,
            merged_at: null,
          },
          draft: false,
        }
      : {}),
    closed_at: i.closedAt === null ? null : isoSecond(i.closedAt),
    created_at: isoSecond(i.createdAt),
    updated_at: isoSecond(i.updatedAt),
    closed_by: i.closedById === null ? null : simpleUser(store.user(i.closedById)),
    author_association: authorAssociation(repo, author),
    timeline_url: `${url}/timeline`,
    type: type ? issueType(type) : null,
    performed_via_github_app: null,
    reactions: reactions(url),
    sub_issues_summary: subIssuesSummary(store, i),
    ...(parent ? { parent_issue_url: issueApiUrl(store.repo(parent.repoId), parent.number) } : {}),
  };
}

function authorAssociation(repo: Repo, author: GhUser): string {
  if (author.id === repo.owner.id) return 'OWNER';
  if (repo.collaborators.has(author.login)) return 'COLLABORATOR';
  return 'NONE';
}

export function comment(store: GitHubStore, c: IssueComment): Record<string, unknown> {
  const i = store.issues.get(c.issueId);
  if (!i) throw new Error(`Comment ${c.id} has no issue`);
  const repo = store.repo(i.repoId);
  const repoPath = `${repo.owner.login}/${repo.name}`;
  const url = `${API}/repos/${repoPath}/issues/comments/${c.id}`;
  const author = store.user(c.userId);
  return {
    id: c.id,
    node_id: nodeId('IC', c.id),
    url,
    html_url: `${issueHtmlUrl(repo, i.number, i.isPullRequest)}#issuecomment-${c.id}`,
    body: c.body,
    user: simpleUser(author),
    created_at: isoSecond(c.createdAt),
    updated_at: isoSecond(c.updatedAt),
    issue_url: issueApiUrl(repo, i.number),
    author_association: authorAssociation(repo, author),
    performed_via_github_app: null,
    reactions: reactions(url),
  };
}

export function hook(h: Hook, repo: Repo): Record<string, unknown> {
  const url = `${API}/repos/${repo.owner.login}/${repo.name}/hooks/${h.id}`;
  return {
    type: 'Repository',
    id: h.id,
    name: 'web',
    active: h.active,
    events: h.events,
    // GitHub never shows a secret back: it answers a mask when one is set.
    config: {
      url: h.url,
      content_type: h.contentType,
      insecure_ssl: h.insecureSsl,
      ...(h.secret ? { secret: '********' } : {}),
    },
    updated_at: isoSecond(h.updatedAt),
    created_at: isoSecond(h.createdAt),
    url,
    test_url: `${url}/test`,
    ping_url: `${url}/pings`,
    deliveries_url: `${url}/deliveries`,
    last_response: h.lastResponse,
  };
}

/** A weak ETag over what was answered and to whom (GitHub's differ by credentials too). */
export const etagOf = (body: string, caller: string): string =>
  `W/"${createHash('sha256').update(caller).update('\0').update(body).digest('hex').slice(0, 40)}"`;
