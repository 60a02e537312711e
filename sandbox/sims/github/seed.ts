/**
 * The demo organization `acme`: its people, the `acme/website` repository (and
 * `acme/archive`, where issues are transferred to), labels, milestones, the
 * org's issue types and a few issues, one a pull request, one an epic with a
 * sub-issue. Tokens are fixed so the sandbox and tests can name them.
 */
import { APP } from './auth';
import type { IssueService } from './issues';
import type { GhUser, GitHubStore, IssueType, Permission, Repo } from './store';

export const TOKENS = {
  /** The integration's fine-grained token: an alternative to the GitHub App (acts as `crosswalk-integration`). */
  integration: 'github_pat_11CROSSWALK0demo_integration0token0for0acme0website0sim',
  /** A person working the issues (push access). */
  agent: 'ghp_octoAgentDemoToken000000000000000001',
  /** A person who can read and open issues but not triage them (no push access: labels and assignees are dropped). */
  reader: 'ghp_octoReaderDemoToken00000000000000002',
  /** Somebody with no access to the private repositories: they do not exist for them (404). */
  outsider: 'ghp_outsiderDemoToken0000000000000000003',
} as const;

export const PEOPLE = {
  org: { id: 9919, login: 'acme', type: 'Organization', name: 'Acme', email: null },
  agent: { id: 583231, login: 'octo-agent', type: 'User', name: 'Octo Agent', email: 'octo.agent@acme.example' },
  integration: {
    id: 1001001,
    login: 'crosswalk-integration',
    type: 'User',
    name: 'Crosswalk Integration',
    email: 'crosswalk@acme.example',
  },
  reader: { id: 583232, login: 'octo-reader', type: 'User', name: 'Octo Reader', email: 'octo.reader@acme.example' },
  outsider: { id: 583299, login: 'outsider', type: 'User', name: 'Out Sider', email: null },
  bot: { id: APP.botId, login: APP.botLogin, type: 'Bot', name: null, email: null },
} as const satisfies Record<string, GhUser>;

export const REPO = { owner: 'acme', name: 'website', id: 700100 } as const;
export const ARCHIVE_REPO = { owner: 'acme', name: 'archive', id: 700101 } as const;

export const ISSUE_TYPES: ReadonlyArray<Pick<IssueType, 'name' | 'description' | 'color'>> = [
  { name: 'Task', description: 'A specific piece of work', color: 'yellow' },
  { name: 'Bug', description: 'An unexpected problem or behavior', color: 'red' },
  { name: 'Feature', description: 'A request, idea, or new functionality', color: 'blue' },
  { name: 'Epic', description: 'A large body of work, broken down into sub-issues', color: 'purple' },
];

const LABELS = [
  { name: 'bug', color: 'd73a4a', description: "Something isn't working" },
  { name: 'enhancement', color: 'a2eeef', description: 'New feature or request' },
  { name: 'documentation', color: '0075ca', description: 'Improvements or additions to documentation' },
  { name: 'question', color: 'd876e3', description: 'Further information is requested' },
  { name: 'good first issue', color: '7057ff', description: 'Good for newcomers' },
];

export function seed(store: GitHubStore, issues: IssueService): void {
  const at = store.now();
  for (const person of Object.values(PEOPLE)) store.addUser({ ...person });
  store.personalTokens.set(TOKENS.integration, PEOPLE.integration.id);
  store.personalTokens.set(TOKENS.agent, PEOPLE.agent.id);
  store.personalTokens.set(TOKENS.reader, PEOPLE.reader.id);
  store.personalTokens.set(TOKENS.outsider, PEOPLE.outsider.id);
  const collaborators = (): Map<string, Permission> =>
    new Map<string, Permission>([
      [PEOPLE.integration.login, 'admin'],
      [PEOPLE.agent.login, 'push'],
      [PEOPLE.reader.login, 'pull'],
    ]);
  const repo = (r: { id: number; name: string }): Repo => {
    const made: Repo = {
      id: r.id,
      name: r.name,
      owner: store.user(PEOPLE.org.id),
      private: true,
      collaborators: collaborators(),
      createdAt: at,
      nextNumber: 1,
    };
    store.repos.set(made.id, made);
    for (const l of LABELS) {
      const id = store.newId(7_000_000_000);
      store.labels.set(id, { id, repoId: made.id, ...l });
    }
    return made;
  };
  const website = repo(REPO);
  repo(ARCHIVE_REPO);
  for (const t of ISSUE_TYPES) {
    const id = store.newId(100_000);
    store.issueTypes.set(id, { id, createdAt: at, ...t });
  }
  for (const [number, title] of [
    [1, 'v1.0'],
    [2, 'v1.1'],
  ] as const) {
    const id = store.newId(9_000_000);
    store.milestones.set(id, {
      id,
      repoId: website.id,
      number,
      title,
      description: null,
      state: 'open',
      dueOn: null,
      creatorId: PEOPLE.agent.id,
      createdAt: at,
      updatedAt: at,
    });
  }
  const agent = { user: store.user(PEOPLE.agent.id), canPush: true };
  const bug = issues.create(website, agent, {
    title: 'Contact form fails on Safari',
    body: 'Submitting the contact form on Safari 17 shows a blank page.\n\n- Open /contact\n- Fill in the form\n- Press **Send**',
    labels: ['bug'],
    type: 'Bug',
    milestone: 1,
  });
  issues.addComment(bug, agent.user, 'I can reproduce this on Safari 17.2.');
  issues.create(website, agent, {
    title: 'Add a dark mode',
    body: 'Follow the system setting by default.',
    labels: ['enhancement'],
    type: 'Feature',
    milestone: 2,
  });
  issues.create(
    website,
    agent,
    { title: 'Fix the footer links', body: 'Fixes the broken links.' },
    { pullRequest: true },
  );
  const epic = issues.create(website, agent, { title: 'Website redesign', body: 'The 2027 redesign.', type: 'Epic' });
  const task = issues.create(website, agent, { title: 'Update the homepage hero', body: null, type: 'Task' });
  issues.addSubIssue(epic, task, false, agent.user);
}
