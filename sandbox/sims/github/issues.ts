/**
 * What happens to issues and comments, whoever asks (the REST routes, the
 * web view, the control API): validation as GitHub answers it, the silent
 * drops for a caller without push access, the search index's versions, and
 * the webhook events each change makes (one per kind of change, as GitHub
 * sends `edited`, `labeled`, `closed`… separately).
 */
import * as z from 'zod';
import { unprocessable, validationFailed } from './errors';
import * as render from './serialize';
import type { GhUser, GitHubStore, Issue, IssueComment, IssueEventRecord, Label, Repo } from './store';
import { toSecond } from './store';
import type { HookNotifier } from './webhooks';

/** GitHub refuses bodies over 65,536 characters (vendor-apis-more.md §1.2). */
export const MAX_BODY_CHARS = 65_536;
/** GitHub refuses a title over 256 characters (it does not cut it). */
export const MAX_TITLE_CHARS = 256;
/** Sub-issues: at most 100 under one parent, nested at most 8 levels (GitHub's sub-issues docs). */
export const MAX_SUB_ISSUES = 100;
export const MAX_NESTING = 8;
/** GitHub takes at most 10 assignees on an issue; more are left out. */
const MAX_ASSIGNEES = 10;

const ID_BASE = { issue: 3_000_000_000, comment: 2_500_000_000, label: 7_000_000_000, event: 15_000_000_000 } as const;

const labelInput = z
  .union([z.string(), z.object({ name: z.string() })])
  .transform((l) => (typeof l === 'string' ? l : l.name));

/** The writable fields of an issue, as the create and update operations take them (GH-OAS `issues/create`, `issues/update`). */
export const issueInput = z.object({
  title: z.union([z.string(), z.number()]).transform(String).optional(),
  body: z.string().nullable().optional(),
  state: z.enum(['open', 'closed']).optional(),
  state_reason: z.enum(['completed', 'not_planned', 'duplicate', 'reopened']).nullable().optional(),
  labels: z.array(labelInput).optional(),
  assignees: z.array(z.string()).optional(),
  /** Deprecated singular form; API version 2026-03-10 no longer takes it. */
  assignee: z.string().nullable().optional(),
  milestone: z.union([z.number(), z.string()]).nullable().optional(),
  type: z.string().nullable().optional(),
});
export type IssueInput = z.infer<typeof issueInput>;

export interface Actor {
  user: GhUser;
  /** Push access: without it labels, assignees, milestone and type are silently ignored (GH-OAS). */
  canPush: boolean;
}

export class IssueService {
  constructor(
    private readonly store: GitHubStore,
    private readonly notifier: HookNotifier,
    private readonly now: () => number,
  ) {}

  create(repo: Repo, actor: Actor, input: IssueInput, opts: { pullRequest?: boolean } = {}): Issue {
    if (input.title === undefined || input.title === '')
      throw validationFailed({ resource: 'Issue', field: 'title', code: 'missing_field' });
    checkBody('Issue', input.body);
    checkTitle(input.title);
    const at = toSecond(this.now());
    const issue: Issue = {
      id: this.store.newId(ID_BASE.issue),
      repoId: repo.id,
      number: repo.nextNumber++,
      title: input.title,
      body: input.body ?? null,
      state: 'open',
      stateReason: null,
      labelIds: [],
      assigneeIds: [],
      milestoneId: null,
      typeId: null,
      userId: actor.user.id,
      createdAt: at,
      updatedAt: at,
      closedAt: null,
      closedById: null,
      locked: false,
      isPullRequest: Boolean(opts.pullRequest),
      parentId: null,
      subIssueIds: [],
      deleted: false,
      movedTo: null,
      searchVersions: [],
    };
    if (actor.canPush) this.applyTriageFields(repo, issue, input);
    this.store.issues.set(issue.id, issue);
    this.indexForSearch(issue);
    if (!issue.isPullRequest) this.emitIssue(issue, 'opened', actor.user);
    return issue;
  }

  update(issue: Issue, actor: Actor, input: IssueInput): Issue {
    const repo = this.store.repo(issue.repoId);
    if (input.title === '') throw validationFailed({ resource: 'Issue', field: 'title', code: 'missing_field' });
    checkBody('Issue', input.body);
    checkTitle(input.title);
    const before = { ...issue, labelIds: [...issue.labelIds], assigneeIds: [...issue.assigneeIds] };
    if (input.title !== undefined) issue.title = input.title;
    if (input.body !== undefined) issue.body = input.body;
    if (actor.canPush) this.applyTriageFields(repo, issue, input);
    // `state_reason` means something only with a change of state (GH-OAS `issues/update`).
    if (input.state && input.state !== issue.state) {
      issue.state = input.state;
      if (input.state === 'closed') {
        issue.stateReason = input.state_reason && input.state_reason !== 'reopened' ? input.state_reason : 'completed';
        issue.closedAt = toSecond(this.now());
        issue.closedById = actor.user.id;
      } else {
        issue.stateReason = 'reopened';
        issue.closedAt = null;
        issue.closedById = null;
      }
    }
    // The events carry the issue as the change left it, its new `updated_at` included (a stamp from before would make
    // a receiver take the new values for an older state); an update that changed nothing keeps the old stamp.
    issue.updatedAt = toSecond(this.now());
    const changed = this.emitChanges(before, issue, actor.user);
    if (!changed) issue.updatedAt = before.updatedAt;
    if (changed) {
      this.indexForSearch(issue);
      this.touchParent(issue);
    }
    return issue;
  }

  addComment(issue: Issue, author: GhUser, body: string): IssueComment {
    checkBody('IssueComment', body);
    const at = toSecond(this.now());
    const c: IssueComment = {
      id: this.store.newId(ID_BASE.comment),
      issueId: issue.id,
      body,
      userId: author.id,
      createdAt: at,
      updatedAt: at,
    };
    this.store.comments.set(c.id, c);
    issue.updatedAt = at;
    this.emitComment(issue, c, 'created', author);
    return c;
  }

  editComment(c: IssueComment, editor: GhUser, body: string): IssueComment {
    checkBody('IssueComment', body);
    const issue = this.issueOf(c);
    const from = c.body;
    c.body = body;
    c.updatedAt = toSecond(this.now());
    issue.updatedAt = c.updatedAt;
    this.emitComment(issue, c, 'edited', editor, { body: { from } });
    return c;
  }

  deleteComment(c: IssueComment, by: GhUser): void {
    const issue = this.issueOf(c);
    this.store.comments.delete(c.id);
    issue.updatedAt = toSecond(this.now());
    this.emitComment(issue, c, 'deleted', by);
  }

  /** Puts `child` (by its global id) under `parent`; one parent, no cycles, same owner (GitHub's sub-issues rules). */
  addSubIssue(parent: Issue, child: Issue, replaceParent: boolean, by: GhUser): void {
    const parentRepo = this.store.repo(parent.repoId);
    if (this.store.repo(child.repoId).owner.id !== parentRepo.owner.id || child.isPullRequest)
      throw unprocessable('The provided sub-issue does not exist');
    if (child.id === parent.id) throw unprocessable('An issue cannot be a sub-issue of itself');
    if (parent.subIssueIds.includes(child.id)) throw unprocessable('Issue may not contain duplicate sub-issues');
    if (child.parentId !== null && !replaceParent) throw unprocessable('Issue may not have more than one parent');
    for (
      let up: Issue | undefined = parent;
      up;
      up = up.parentId === null ? undefined : this.store.issues.get(up.parentId)
    )
      if (up.id === child.id) throw unprocessable('Sub-issue cannot be an ancestor of the parent issue');
    if (parent.subIssueIds.length >= MAX_SUB_ISSUES)
      throw unprocessable(`Parent cannot have more than ${MAX_SUB_ISSUES} sub-issues`);
    if (this.depthAbove(parent) + 1 + this.depthBelow(child) > MAX_NESTING)
      throw unprocessable(`Sub-issues cannot be nested more than ${MAX_NESTING} levels deep`);
    const oldParent = child.parentId === null ? undefined : this.store.issues.get(child.parentId);
    if (oldParent) this.detach(oldParent, child, by);
    parent.subIssueIds.push(child.id);
    child.parentId = parent.id;
    this.relinked(parent, child, 'added', by);
  }

  removeSubIssue(parent: Issue, child: Issue, by: GhUser): void {
    if (child.parentId !== parent.id) throw unprocessable('The provided sub-issue is not a sub-issue of this issue');
    this.detach(parent, child, by);
  }

  /** Moves an issue to another repository: a new number there, 301 at the old address. */
  transfer(issue: Issue, to: Repo, by: GhUser): Issue {
    const from = this.store.repo(issue.repoId);
    const at = toSecond(this.now());
    const moved: Issue = {
      ...issue,
      id: this.store.newId(ID_BASE.issue),
      repoId: to.id,
      number: to.nextNumber++,
      // Labels and milestones are the old repository's; GitHub keeps labels whose names exist in the new one.
      labelIds: issue.labelIds
        .map((id) => this.store.labels.get(id)?.name)
        .map((name) => (name === undefined ? undefined : this.store.labelByName(to.id, name)?.id))
        .filter((id): id is number => id !== undefined),
      milestoneId: null,
      updatedAt: at,
      searchVersions: [],
    };
    this.store.issues.set(moved.id, moved);
    for (const c of this.store.commentsOf(issue.id)) c.issueId = moved.id;
    issue.movedTo = { repoId: to.id, number: moved.number };
    this.indexForSearch(moved);
    this.notifier.publish(from.id, 'issues', {
      action: 'transferred',
      changes: { new_issue: this.renderForHook(moved), new_repository: render.repository(to, this.openCount(to)) },
      issue: this.renderForHook(issue),
      repository: render.repository(from, this.openCount(from)),
      sender: render.simpleUser(by),
    });
    return moved;
  }

  delete(issue: Issue, by: GhUser): void {
    const parent = issue.parentId === null ? undefined : this.store.issues.get(issue.parentId);
    if (parent) this.detach(parent, issue, by);
    for (const childId of issue.subIssueIds) {
      const child = this.store.issues.get(childId);
      if (child) child.parentId = null;
    }
    issue.subIssueIds = [];
    issue.deleted = true;
    this.emitIssue(issue, 'deleted', by);
  }

  renderForHook(issue: Issue): Record<string, unknown> {
    // Webhook payloads do not follow the REST API version: they keep the singular `assignee`.
    return render.issue(this.store, issue, { withSingularAssignee: true });
  }

  openCount(repo: Repo): number {
    return this.store.issuesOf(repo.id).filter((i) => i.state === 'open').length;
  }

  private issueOf(c: IssueComment): Issue {
    const issue = this.store.issues.get(c.issueId);
    if (!issue) throw new Error(`Comment ${c.id} has no issue`);
    return issue;
  }

  private depthAbove(issue: Issue): number {
    let depth = 1;
    for (let up = issue; up.parentId !== null; depth++) {
      const next = this.store.issues.get(up.parentId);
      if (!next) break;
      up = next;
    }
    return depth;
  }

  private depthBelow(issue: Issue): number {
    const children = issue.subIssueIds.map((id) => this.store.issues.get(id)).filter((c): c is Issue => Boolean(c));
    return children.length ? 1 + Math.max(...children.map((c) => this.depthBelow(c))) : 0;
  }

  private detach(parent: Issue, child: Issue, by: GhUser): void {
    parent.subIssueIds = parent.subIssueIds.filter((id) => id !== child.id);
    child.parentId = null;
    this.relinked(parent, child, 'removed', by);
  }

  /**
   * A parent link changed. Both issues count as updated (our choice: it makes a sweep by `since` find the change,
   * GitHub's own bookkeeping is not documented) and the `sub_issues` event goes to hooks subscribed to it.
   */
  private relinked(parent: Issue, child: Issue, how: 'added' | 'removed', by: GhUser): void {
    const at = toSecond(this.now());
    parent.updatedAt = at;
    child.updatedAt = at;
    const repo = this.store.repo(parent.repoId);
    this.notifier.publish(repo.id, 'sub_issues', {
      action: `sub_issue_${how}`,
      parent_issue_id: parent.id,
      parent_issue: this.renderForHook(parent),
      parent_issue_repo: render.repository(repo, this.openCount(repo)),
      sub_issue_id: child.id,
      sub_issue: this.renderForHook(child),
      repository: render.repository(repo, this.openCount(repo)),
      sender: render.simpleUser(by),
    });
  }

  /** A closed or reopened sub-issue changes its parent's `sub_issues_summary`. */
  private touchParent(issue: Issue): void {
    const parent = issue.parentId === null ? undefined : this.store.issues.get(issue.parentId);
    if (parent) parent.updatedAt = issue.updatedAt;
  }

  private applyTriageFields(repo: Repo, issue: Issue, input: IssueInput): void {
    if (input.labels !== undefined)
      issue.labelIds = [...new Set(input.labels.map((name) => this.labelFor(repo, name).id))];
    const logins =
      input.assignees ?? (input.assignee === undefined ? undefined : input.assignee ? [input.assignee] : []);
    if (logins !== undefined) {
      const users = logins.map((login) => {
        const u = this.store.userByLogin(login);
        if (!u || !repo.collaborators.has(u.login))
          throw validationFailed({ resource: 'Issue', field: 'assignees', code: 'invalid', value: login });
        return u.id;
      });
      issue.assigneeIds = [...new Set(users)].slice(0, MAX_ASSIGNEES);
    }
    if (input.milestone !== undefined) {
      if (input.milestone === null) issue.milestoneId = null;
      else {
        const m = this.store.milestoneByNumber(repo.id, Number(input.milestone));
        if (!m)
          throw validationFailed({ resource: 'Issue', field: 'milestone', code: 'invalid', value: input.milestone });
        issue.milestoneId = m.id;
      }
    }
    if (input.type !== undefined) {
      if (input.type === null) issue.typeId = null;
      else {
        const t = this.store.issueTypeByName(input.type);
        if (!t) throw validationFailed({ resource: 'Issue', field: 'type', code: 'invalid', value: input.type });
        issue.typeId = t.id;
      }
    }
  }

  /** GitHub makes a label that does not exist yet when an issue is given it. */
  private labelFor(repo: Repo, name: string): Label {
    const existing = this.store.labelByName(repo.id, name);
    if (existing) return existing;
    const made: Label = {
      id: this.store.newId(ID_BASE.label),
      repoId: repo.id,
      name,
      color: 'ededed',
      description: null,
    };
    this.store.labels.set(made.id, made);
    return made;
  }

  private indexForSearch(issue: Issue): void {
    issue.searchVersions.push({
      at: this.now(),
      title: issue.title,
      body: issue.body ?? '',
      state: issue.state,
      labels: issue.labelIds.map((id) => this.store.labels.get(id)?.name ?? ''),
    });
  }

  /** The webhook events an update makes; whether anything changed at all. */
  private emitChanges(before: Issue, after: Issue, by: GhUser): boolean {
    let changed = false;
    const edits: Record<string, { from: string | null }> = {};
    if (before.title !== after.title) edits.title = { from: before.title };
    if (before.body !== after.body) edits.body = { from: before.body };
    if (Object.keys(edits).length) {
      changed = true;
      this.emitIssue(after, 'edited', by, { changes: edits });
    }
    // A body edit leaves no event in GitHub's REST history; a new title does.
    if (before.title !== after.title)
      this.record(after, by, 'renamed', { rename: { from: before.title, to: after.title } });
    if (before.state !== after.state) {
      changed = true;
      const action = after.state === 'closed' ? 'closed' : 'reopened';
      this.emitIssue(after, action, by);
      this.record(after, by, action, { stateReason: after.stateReason });
    }
    const repo = this.store.repo(after.repoId);
    for (const [action, ids] of [
      ['unlabeled', before.labelIds.filter((id) => !after.labelIds.includes(id))],
      ['labeled', after.labelIds.filter((id) => !before.labelIds.includes(id))],
    ] as const)
      for (const id of ids) {
        changed = true;
        const l = this.store.labels.get(id);
        this.emitIssue(after, action, by, l ? { label: render.label(l, repo) } : {});
        if (l) this.record(after, by, action, { label: { name: l.name, color: l.color } });
      }
    for (const [action, ids] of [
      ['unassigned', before.assigneeIds.filter((id) => !after.assigneeIds.includes(id))],
      ['assigned', after.assigneeIds.filter((id) => !before.assigneeIds.includes(id))],
    ] as const)
      for (const id of ids) {
        changed = true;
        this.emitIssue(after, action, by, { assignee: render.simpleUser(this.store.user(id)) });
        this.record(after, by, action, { assigneeId: id });
      }
    if (before.milestoneId !== after.milestoneId) {
      changed = true;
      const old = before.milestoneId === null ? undefined : this.store.milestones.get(before.milestoneId);
      const now = after.milestoneId === null ? undefined : this.store.milestones.get(after.milestoneId);
      if (old) {
        this.emitIssue(after, 'demilestoned', by, { milestone: render.milestone(this.store, old, repo) });
        this.record(after, by, 'demilestoned', { milestoneTitle: old.title });
      }
      if (now) {
        this.emitIssue(after, 'milestoned', by, { milestone: render.milestone(this.store, now, repo) });
        this.record(after, by, 'milestoned', { milestoneTitle: now.title });
      }
    }
    if (before.typeId !== after.typeId) {
      changed = true;
      const old = before.typeId === null ? undefined : this.store.issueTypes.get(before.typeId);
      const now = after.typeId === null ? undefined : this.store.issueTypes.get(after.typeId);
      if (now) this.emitIssue(after, 'typed', by, { type: render.issueType(now) });
      else if (old) this.emitIssue(after, 'untyped', by, { type: render.issueType(old) });
    }
    return changed;
  }

  private record(
    issue: Issue,
    by: GhUser,
    event: IssueEventRecord['event'],
    details: Omit<IssueEventRecord, 'id' | 'issueId' | 'event' | 'actorId' | 'createdAt'>,
  ): void {
    this.store.issueEvents.push({
      id: this.store.newId(ID_BASE.event),
      issueId: issue.id,
      event,
      actorId: by.id,
      createdAt: toSecond(this.now()),
      ...details,
    });
  }

  private emitIssue(issue: Issue, action: string, by: GhUser, extra: Record<string, unknown> = {}): void {
    const repo = this.store.repo(issue.repoId);
    this.notifier.publish(repo.id, 'issues', {
      action,
      issue: this.renderForHook(issue),
      ...extra,
      repository: render.repository(repo, this.openCount(repo)),
      sender: render.simpleUser(by),
    });
  }

  private emitComment(
    issue: Issue,
    c: IssueComment,
    action: 'created' | 'edited' | 'deleted',
    by: GhUser,
    changes?: Record<string, unknown>,
  ): void {
    const repo = this.store.repo(issue.repoId);
    this.notifier.publish(repo.id, 'issue_comment', {
      action,
      ...(changes ? { changes } : {}),
      issue: this.renderForHook(issue),
      comment: render.comment(this.store, c),
      repository: render.repository(repo, this.openCount(repo)),
      sender: render.simpleUser(by),
    });
  }
}

function checkTitle(title: string | undefined): void {
  if (title && [...title].length > MAX_TITLE_CHARS)
    throw validationFailed({
      resource: 'Issue',
      code: 'custom',
      field: 'title',
      message: `title is too long (maximum is ${MAX_TITLE_CHARS} characters)`,
    });
}

function checkBody(resource: 'Issue' | 'IssueComment', body: string | null | undefined): void {
  if (body && [...body].length > MAX_BODY_CHARS)
    throw validationFailed({
      resource,
      code: 'custom',
      field: 'body',
      message: `body is too long (maximum is ${MAX_BODY_CHARS} characters)`,
    });
}
