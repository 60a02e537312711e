/**
 * The simulator's state: people, repositories with their labels, milestones and
 * issues (pull requests among them, as GitHub keeps them), comments, the org's
 * issue types, webhooks, pasted image assets and tokens. Plain data, no HTTP:
 * the routes and the issue service change it, serialize.ts renders it.
 */

export type AccountType = 'User' | 'Bot' | 'Organization';

export interface GhUser {
  id: number;
  login: string;
  type: AccountType;
  name: string | null;
  email: string | null;
}

/** A collaborator's role on a repository, weakest first (GitHub's `pull` is read access). */
export type Permission = 'pull' | 'triage' | 'push' | 'maintain' | 'admin';
const PERMISSION_RANK: Record<Permission, number> = { pull: 0, triage: 1, push: 2, maintain: 3, admin: 4 };
export const atLeast = (held: Permission | undefined, wanted: Permission): boolean =>
  held !== undefined && PERMISSION_RANK[held] >= PERMISSION_RANK[wanted];

export interface Repo {
  id: number;
  name: string;
  owner: GhUser;
  private: boolean;
  /** Who may see and write it; anybody else gets 404 (a private repository is not admitted to exist). */
  collaborators: Map<string, Permission>;
  createdAt: number;
  /** Issue and pull request numbers share one sequence per repository. */
  nextNumber: number;
}

export interface Label {
  id: number;
  repoId: number;
  name: string;
  color: string;
  description: string | null;
}

export interface Milestone {
  id: number;
  repoId: number;
  number: number;
  title: string;
  description: string | null;
  state: 'open' | 'closed';
  dueOn: number | null;
  creatorId: number;
  createdAt: number;
  updatedAt: number;
}

/** An organization's issue type (the issue's `type`, set by name). */
export interface IssueType {
  id: number;
  name: string;
  description: string;
  color: 'gray' | 'blue' | 'green' | 'yellow' | 'orange' | 'red' | 'pink' | 'purple';
  createdAt: number;
}

export type StateReason = 'completed' | 'not_planned' | 'duplicate' | 'reopened';

export interface Issue {
  /** Global id: what sub-issues are added by (`sub_issue_id`), unlike the per-repository `number`. */
  id: number;
  repoId: number;
  number: number;
  title: string;
  body: string | null;
  state: 'open' | 'closed';
  stateReason: StateReason | null;
  labelIds: number[];
  assigneeIds: number[];
  milestoneId: number | null;
  typeId: number | null;
  userId: number;
  createdAt: number;
  updatedAt: number;
  closedAt: number | null;
  closedById: number | null;
  locked: boolean;
  isPullRequest: boolean;
  /** The global id of its parent issue (one parent at most). */
  parentId: number | null;
  /** Ordered: GitHub keeps sub-issues in the order they were added. */
  subIssueIds: number[];
  deleted: boolean;
  /** Where a transfer took it: its old address answers 301 there. */
  movedTo: { repoId: number; number: number } | null;
  /** Versions the search index holds, each from when it was written (the index lags behind). */
  searchVersions: Array<{ at: number; title: string; body: string; state: 'open' | 'closed'; labels: string[] }>;
}

export interface IssueComment {
  id: number;
  issueId: number;
  body: string;
  userId: number;
  createdAt: number;
  updatedAt: number;
}

/** One entry of an issue's event history (`GET …/issues/{n}/events`): what changed, by whom, when. */
export interface IssueEventRecord {
  id: number;
  issueId: number;
  event:
    | 'renamed'
    | 'closed'
    | 'reopened'
    | 'labeled'
    | 'unlabeled'
    | 'assigned'
    | 'unassigned'
    | 'milestoned'
    | 'demilestoned';
  actorId: number;
  createdAt: number;
  label?: { name: string; color: string };
  rename?: { from: string; to: string };
  assigneeId?: number;
  milestoneTitle?: string;
  stateReason?: string | null;
}

export interface Hook {
  id: number;
  repoId: number;
  active: boolean;
  events: string[];
  url: string;
  secret: string | null;
  contentType: 'json' | 'form';
  insecureSsl: '0' | '1';
  createdAt: number;
  updatedAt: number;
  lastResponse: { code: number | null; status: string | null; message: string | null };
}

/** A pasted image: GitHub keeps it at `https://github.com/user-attachments/assets/<uuid>`, outside any issue. */
export interface Asset {
  uuid: string;
  name: string;
  contentType: string;
  bytes: Buffer;
}

/** GitHub's timestamps have second precision; everything stored is cut to the second as GitHub keeps it. */
export const toSecond = (ms: number): number => Math.floor(ms / 1000) * 1000;
export const isoSecond = (ms: number): string => new Date(toSecond(ms)).toISOString().replace(/\.\d{3}Z$/, 'Z');

export class GitHubStore {
  readonly users = new Map<number, GhUser>();
  readonly repos = new Map<number, Repo>();
  readonly labels = new Map<number, Label>();
  readonly milestones = new Map<number, Milestone>();
  readonly issueTypes = new Map<number, IssueType>();
  readonly issues = new Map<number, Issue>();
  readonly comments = new Map<number, IssueComment>();
  readonly issueEvents: IssueEventRecord[] = [];
  readonly hooks = new Map<number, Hook>();
  readonly assets = new Map<string, Asset>();
  /** Personal access tokens (classic `ghp_` and fine-grained `github_pat_`), each acting as one user. */
  readonly personalTokens = new Map<string, number>();
  private nextId = 1;

  constructor(readonly now: () => number) {}

  /** Ids come from one sequence with a large offset per kind, so an id never reads as another kind's. */
  newId(base: number): number {
    return base + this.nextId++;
  }

  clear(): void {
    for (const m of [
      this.users,
      this.repos,
      this.labels,
      this.milestones,
      this.issueTypes,
      this.issues,
      this.comments,
      this.hooks,
      this.assets,
      this.personalTokens,
    ])
      m.clear();
    this.issueEvents.length = 0;
    this.nextId = 1;
  }

  addUser(user: GhUser): GhUser {
    this.users.set(user.id, user);
    return user;
  }

  userByLogin(login: string): GhUser | undefined {
    const wanted = login.toLowerCase();
    return [...this.users.values()].find((u) => u.login.toLowerCase() === wanted);
  }

  user(id: number): GhUser {
    const u = this.users.get(id);
    if (!u) throw new Error(`No user ${id}`);
    return u;
  }

  repoByName(owner: string, name: string): Repo | undefined {
    const [o, n] = [owner.toLowerCase(), name.toLowerCase()];
    return [...this.repos.values()].find((r) => r.owner.login.toLowerCase() === o && r.name.toLowerCase() === n);
  }

  repo(id: number): Repo {
    const r = this.repos.get(id);
    if (!r) throw new Error(`No repository ${id}`);
    return r;
  }

  labelsOf(repoId: number): Label[] {
    return [...this.labels.values()].filter((l) => l.repoId === repoId);
  }

  labelByName(repoId: number, name: string): Label | undefined {
    const wanted = name.toLowerCase();
    return this.labelsOf(repoId).find((l) => l.name.toLowerCase() === wanted);
  }

  milestoneByNumber(repoId: number, number: number): Milestone | undefined {
    return [...this.milestones.values()].find((m) => m.repoId === repoId && m.number === number);
  }

  issueTypeByName(name: string): IssueType | undefined {
    const wanted = name.toLowerCase();
    return [...this.issueTypes.values()].find((t) => t.name.toLowerCase() === wanted);
  }

  /** Any issue at that address, deleted or moved away included (the routes tell those apart). */
  issueByNumber(repoId: number, number: number): Issue | undefined {
    return [...this.issues.values()].find((i) => i.repoId === repoId && i.number === number);
  }

  issuesOf(repoId: number): Issue[] {
    return [...this.issues.values()].filter((i) => i.repoId === repoId && !i.deleted && !i.movedTo);
  }

  commentsOf(issueId: number): IssueComment[] {
    return [...this.comments.values()].filter((c) => c.issueId === issueId).sort((a, b) => a.id - b.id);
  }
}
