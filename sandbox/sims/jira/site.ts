/**
 * The simulator's core: the site's state plus what every route needs: who is
 * calling, what they may do, time, ids, and the product events a change emits.
 */
import type { ProductEventReport, ProductEventSink } from '../../platform/contracts';
import { adfText } from './adf';
import type { JqlIssueView } from './jql';
import {
  workflowOf,
  type ChangeItem,
  type CommentRecord,
  type Group,
  type IssueRecord,
  type JiraState,
  type JiraUser,
  type Project,
  type RoleName,
  type Workflow,
} from './state';

export type Permission =
  | 'BROWSE_PROJECTS'
  | 'CREATE_ISSUES'
  | 'EDIT_ISSUES'
  | 'DELETE_ISSUES'
  | 'TRANSITION_ISSUES'
  | 'MOVE_ISSUES'
  | 'ASSIGN_ISSUES'
  | 'LINK_ISSUES'
  | 'ADD_COMMENTS'
  | 'EDIT_ALL_COMMENTS'
  | 'EDIT_OWN_COMMENTS'
  | 'DELETE_ALL_COMMENTS'
  | 'DELETE_OWN_COMMENTS'
  | 'CREATE_ATTACHMENTS'
  | 'DELETE_ALL_ATTACHMENTS'
  | 'DELETE_OWN_ATTACHMENTS'
  | 'ADMINISTER_PROJECTS'
  | 'ADMINISTER';

export const PERMISSION_INFO: Record<Permission, { id: string; name: string; type: 'PROJECT' | 'GLOBAL' }> = {
  BROWSE_PROJECTS: { id: '10', name: 'Browse Projects', type: 'PROJECT' },
  CREATE_ISSUES: { id: '11', name: 'Create Issues', type: 'PROJECT' },
  EDIT_ISSUES: { id: '12', name: 'Edit Issues', type: 'PROJECT' },
  DELETE_ISSUES: { id: '16', name: 'Delete Issues', type: 'PROJECT' },
  TRANSITION_ISSUES: { id: '46', name: 'Transition Issues', type: 'PROJECT' },
  MOVE_ISSUES: { id: '25', name: 'Move Issues', type: 'PROJECT' },
  ASSIGN_ISSUES: { id: '13', name: 'Assign Issues', type: 'PROJECT' },
  LINK_ISSUES: { id: '21', name: 'Link Issues', type: 'PROJECT' },
  ADD_COMMENTS: { id: '15', name: 'Add Comments', type: 'PROJECT' },
  EDIT_ALL_COMMENTS: { id: '34', name: 'Edit All Comments', type: 'PROJECT' },
  EDIT_OWN_COMMENTS: { id: '35', name: 'Edit Own Comments', type: 'PROJECT' },
  DELETE_ALL_COMMENTS: { id: '36', name: 'Delete All Comments', type: 'PROJECT' },
  DELETE_OWN_COMMENTS: { id: '37', name: 'Delete Own Comments', type: 'PROJECT' },
  CREATE_ATTACHMENTS: { id: '19', name: 'Create Attachments', type: 'PROJECT' },
  DELETE_ALL_ATTACHMENTS: { id: '38', name: 'Delete All Attachments', type: 'PROJECT' },
  DELETE_OWN_ATTACHMENTS: { id: '39', name: 'Delete Own Attachments', type: 'PROJECT' },
  ADMINISTER_PROJECTS: { id: '23', name: 'Administer Projects', type: 'PROJECT' },
  ADMINISTER: { id: '0', name: 'Administer Jira', type: 'GLOBAL' },
};

const MEMBER_PERMISSIONS: Permission[] = [
  'BROWSE_PROJECTS',
  'CREATE_ISSUES',
  'EDIT_ISSUES',
  'TRANSITION_ISSUES',
  'ASSIGN_ISSUES',
  'LINK_ISSUES',
  'ADD_COMMENTS',
  'EDIT_OWN_COMMENTS',
  'DELETE_OWN_COMMENTS',
  'CREATE_ATTACHMENTS',
  'DELETE_OWN_ATTACHMENTS',
];
const ADMIN_PERMISSIONS: Permission[] = [
  ...MEMBER_PERMISSIONS,
  'MOVE_ISSUES',
  'DELETE_ISSUES',
  'EDIT_ALL_COMMENTS',
  'DELETE_ALL_COMMENTS',
  'DELETE_ALL_ATTACHMENTS',
  'ADMINISTER_PROJECTS',
];

export class JiraError extends Error {
  constructor(
    readonly status: number,
    readonly errorMessages: string[],
    readonly errors: Record<string, string> = {},
  ) {
    super(errorMessages[0] ?? Object.values(errors)[0] ?? `HTTP ${status}`);
  }
}

export class Site {
  readonly events: ProductEventReport[] = [];
  /**
   * Jira's search index trails writes (search/jql is eventually consistent):
   * an issue created or changed less than this long ago is searched as it was
   * before, unless the request names it in `reconcileIssues`. 0 = consistent.
   */
  searchIndexLagMs = 0;
  /** What search sees of each issue: its state when last indexed. */
  readonly indexed = new Map<string, { at: number; snapshot: IssueRecord | undefined }>();
  /** Asynchronous tasks (bulk moves) held back by the control API, to be run when released. */
  private heldTasks: Array<() => void> | undefined;

  /** Runs an asynchronous task after the current request has answered, or holds it while tasks are held. */
  runTask(task: () => void): void {
    if (this.heldTasks) this.heldTasks.push(task);
    else setImmediate(task);
  }

  /** Holds asynchronous tasks (`true`), or runs those held and stops holding (`false`). */
  holdTasks(hold: boolean): void {
    if (hold) {
      this.heldTasks ??= [];
      return;
    }
    const held = this.heldTasks ?? [];
    this.heldTasks = undefined;
    for (const task of held) task();
  }

  constructor(
    public state: JiraState,
    readonly appAccountId: string,
    readonly now: () => number,
    private readonly onEvent?: ProductEventSink,
  ) {}

  user(accountId: string | undefined): JiraUser | undefined {
    return accountId ? this.state.users.find((u) => u.accountId === accountId) : undefined;
  }

  projectOf(issue: IssueRecord): Project {
    return this.state.projects.find((p) => p.id === issue.projectId)!;
  }

  /** The workflow the issue follows: its type's in its project's workflow scheme. */
  workflowOf(issue: IssueRecord): Workflow {
    return workflowOf(this.state, this.projectOf(issue), issue.issueTypeId);
  }

  project(idOrKey: string): Project | undefined {
    return this.state.projects.find((p) => p.id === idOrKey || p.key.toUpperCase() === idOrKey.toUpperCase());
  }

  can(user: JiraUser | undefined, permission: Permission, project?: Project): boolean {
    if (!user) return false;
    if (permission === 'ADMINISTER') return user.siteAdmin;
    if (user.siteAdmin || user.accountType === 'app') return true;
    if (!project) return false;
    if (project.roles.Administrators.includes(user.accountId)) return ADMIN_PERMISSIONS.includes(permission);
    if (project.roles.Members.includes(user.accountId)) return MEMBER_PERMISSIONS.includes(permission);
    if (project.roles.Viewers?.includes(user.accountId)) return permission === 'BROWSE_PROJECTS';
    return false;
  }

  /** The issue with this id, key or former key (a moved issue keeps answering to its old keys), whoever asks. */
  findIssue(idOrKey: string): IssueRecord | undefined {
    const key = idOrKey.toUpperCase();
    return (
      this.state.issues.find((i) => i.id === idOrKey || i.key.toUpperCase() === key) ??
      this.state.issues.find((i) => i.formerKeys?.some((k) => k.toUpperCase() === key))
    );
  }

  /** Looks up an issue by id or key; an issue the caller may not browse does not exist for them (Jira answers 404). */
  issue(idOrKey: string, user: JiraUser | undefined): IssueRecord {
    const issue = this.findIssue(idOrKey);
    if (!issue || !this.can(user, 'BROWSE_PROJECTS', this.projectOf(issue))) {
      throw new JiraError(404, ['Issue does not exist or you do not have permission to see it.']);
    }
    return issue;
  }

  /** The fields on the project's create and edit screens for this issue type (Project.screens). */
  screenFields(project: Project, issueTypeId: string): string[] {
    return project.screens?.[issueTypeId] ?? this.state.fields.filter((f) => f.editable).map((f) => f.id);
  }

  /** An admin adding a field to, or taking it off, the project's screens for one issue type. */
  setOnScreen(project: Project, issueTypeId: string, fieldId: string, on: boolean): void {
    const now = this.screenFields(project, issueTypeId).filter((id) => id !== fieldId);
    (project.screens ??= {})[issueTypeId] = on ? [...now, fieldId] : now;
  }

  /** A group by its id or, as older clients name it, its name. */
  group(idOrName: string): Group | undefined {
    return this.state.groups.find((g) => g.groupId === idOrName) ?? this.state.groups.find((g) => g.name === idOrName);
  }

  /** The project role of this name, as a key of the project's roles (case as Jira keeps it). */
  roleName(project: Project, name: string): RoleName | undefined {
    const known: RoleName[] = ['Administrators', 'Members', 'Viewers', 'atlassian-addons-project-access'];
    return known.find((r) => r.toLowerCase() === name.toLowerCase() && (r !== 'Viewers' || project.roles.Viewers));
  }

  inRole(user: JiraUser | undefined, project: Project, name: string): boolean {
    const role = this.roleName(project, name);
    return Boolean(user && role && project.roles[role]?.includes(user.accountId));
  }

  /**
   * Whether the caller sees a comment: one restricted to a project role or a group is seen only by that role's or
   * group's members (site admins included: Jira has no override), and by nobody anonymous.
   */
  canSeeComment(user: JiraUser | undefined, issue: IssueRecord, comment: CommentRecord): boolean {
    const v = comment.visibility;
    if (!v) return true;
    if (!user) return false;
    if (v.type === 'role') return this.inRole(user, this.projectOf(issue), v.value);
    return Boolean(this.group(v.identifier)?.members.includes(user.accountId));
  }

  /** The issue's comments the caller may see, in the order stored. */
  visibleComments(user: JiraUser | undefined, issue: IssueRecord): CommentRecord[] {
    return issue.comments.filter((c) => this.canSeeComment(user, issue, c));
  }

  require(user: JiraUser | undefined, permission: Permission, project: Project, message: string): void {
    if (!user)
      throw new JiraError(401, ['You are not authenticated. Authentication required to perform this operation.']);
    if (!this.can(user, permission, project)) throw new JiraError(403, [message]);
  }

  nextId(
    kind: 'issue' | 'comment' | 'attachment' | 'remoteLink' | 'history' | 'task' | 'project' | 'issueLink',
  ): number {
    return ++this.state.counters[kind];
  }

  recordChange(
    issue: IssueRecord,
    actor: JiraUser,
    items: ChangeItem[],
  ): { id: string; items: ChangeItem[] } | undefined {
    if (!items.length) return undefined;
    const history = { id: String(this.nextId('history')), authorId: actor.accountId, created: this.now(), items };
    issue.changelog.push(history);
    return { id: history.id, items };
  }

  emit(
    eventType: string,
    actor: JiraUser | undefined,
    trace: string | undefined,
    fields: Record<string, unknown>,
  ): void {
    const report: ProductEventReport = {
      eventType,
      ...(actor ? { atlassianId: actor.accountId } : {}),
      selfGenerated: actor?.accountId === this.appAccountId,
      ...(trace ? { webhookTraceValue: trace } : {}),
      fields,
    };
    this.events.push(report);
    this.onEvent?.(report);
  }

  /** The small issue shape carried by Forge product events. */
  eventIssue(issue: IssueRecord): Record<string, unknown> {
    const project = this.projectOf(issue);
    const type = this.state.issueTypes.find((t) => t.id === issue.issueTypeId)!;
    const status = this.state.statuses.find((s) => s.id === issue.statusId)!;
    return {
      id: issue.id,
      key: issue.key,
      fields: {
        summary: issue.summary,
        issuetype: { id: type.id, name: type.name },
        project: { id: project.id, key: project.key, name: project.name },
        status: { id: status.id, name: status.name },
        assignee: issue.assigneeId ? { accountId: issue.assigneeId } : null,
        reporter: { accountId: issue.reporterId },
        creator: { accountId: issue.creatorId },
        created: jiraTime(issue.created),
        updated: jiraTime(issue.updated),
      },
    };
  }

  /** The issue as JQL sees it for this caller: comments it may not see are not searched. */
  jqlView(issue: IssueRecord, viewer: JiraUser | undefined): JqlIssueView {
    const project = this.projectOf(issue);
    const type = this.state.issueTypes.find((t) => t.id === issue.issueTypeId)!;
    const status = this.state.statuses.find((s) => s.id === issue.statusId)!;
    const priority = this.state.priorities.find((p) => p.id === issue.priorityId);
    const category = { new: 'To Do', indeterminate: 'In Progress', done: 'Done' }[status.category];
    const parent = issue.parentId ? this.state.issues.find((i) => i.id === issue.parentId) : undefined;
    return {
      id: issue.id,
      key: issue.key,
      projectKey: project.key,
      projectId: project.id,
      projectName: project.name,
      issueTypeId: type.id,
      issueTypeName: type.name,
      parentKey: parent?.key ?? null,
      parentId: parent?.id ?? null,
      statusId: status.id,
      statusName: status.name,
      statusCategory: category,
      priorityId: priority?.id,
      priorityName: priority?.name,
      labels: issue.labels,
      assignee: issue.assigneeId,
      reporter: issue.reporterId,
      created: issue.created,
      updated: issue.updated,
      resolved: issue.resolved,
      duedate: issue.duedate ?? null,
      summary: issue.summary,
      description: issue.description ? adfText(issue.description) : '',
      comments: this.visibleComments(viewer, issue).map((c) => adfText(c.body)),
      custom: issue.custom,
      properties: issue.properties,
    };
  }
}

/** Jira's timestamp format: `2022-10-06T07:32:47.000+0000`. */
export function jiraTime(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+0000');
}
