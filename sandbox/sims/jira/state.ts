/** The Jira site's data: users, projects, workflows, fields and issues. */
import type { AdfDoc } from './adf';

export interface JiraUser {
  accountId: string;
  displayName: string;
  emailAddress: string;
  /** API token for HTTP Basic auth (email:token), as people and scripts use on Jira Cloud. */
  apiToken: string;
  accountType: 'atlassian' | 'app' | 'customer';
  siteAdmin: boolean;
  role: 'admin' | 'project-lead' | 'member' | 'viewer' | 'app' | 'customer';
}

export interface Status {
  id: string;
  name: string;
  category: 'new' | 'indeterminate' | 'done';
}

export interface Transition {
  id: string;
  name: string;
  /** Empty = global transition, available from any status. */
  from: string[];
  to: string;
}

export interface Workflow {
  id: string;
  name: string;
  initialStatus: string;
  transitions: Transition[];
}

/**
 * An issue type and its place in the hierarchy, as Jira Cloud numbers it: Epic 1 above the standard types 0
 * (Story, Task, Bug, …), Sub-task -1 below them (`subtask: true`).
 */
export interface IssueType {
  id: string;
  name: string;
  subtask: boolean;
  hierarchyLevel: -1 | 0 | 1;
  description: string;
}

/** The priority a new issue gets when none is given (Medium). */
export const DEFAULT_PRIORITY_ID = '3';

export interface Priority {
  id: string;
  name: string;
}

export interface FieldDef {
  id: string;
  name: string;
  custom: boolean;
  schema: { type: string; items?: string; system?: string; custom?: string; customId?: number };
  /** On the edit screen (PUT /issue). */
  editable: boolean;
  options?: Array<{ id: string; value: string }>;
}

/** Project roles by name, as Jira's default schemes name them, with each role's id in the role APIs. */
export const PROJECT_ROLES = {
  Administrators: 10002,
  Members: 10001,
  Viewers: 10003,
  // Jira Cloud puts every app user in this role of every project: it is how apps get their project permissions.
  'atlassian-addons-project-access': 10004,
} as const;
export type RoleName = keyof typeof PROJECT_ROLES;

export interface Project {
  id: string;
  key: string;
  name: string;
  leadAccountId: string;
  /** Viewers may browse the project's issues and nothing else. */
  roles: {
    Administrators: string[];
    Members: string[];
    Viewers?: string[];
    'atlassian-addons-project-access'?: string[];
  };
  issueTypeIds: string[];
  /** The workflow scheme's default workflow: the one of every issue type not mapped in `typeWorkflows`. */
  workflowId: string;
  /** The workflow scheme's mappings: issue type id → the workflow that type follows in this project. */
  typeWorkflows?: Record<string, string>;
  /**
   * The fields on the project's create and edit screens, by issue type id (one screen for both, as Jira's default
   * screen scheme has it). An issue type without an entry has the site's default screen: every field that can be set.
   */
  screens?: Record<string, string[]>;
}

/** A group of users: comments restricted to it are seen by its members only. */
export interface Group {
  groupId: string;
  name: string;
  members: string[];
}

export interface CommentRecord {
  id: string;
  authorId: string;
  updateAuthorId: string;
  body: AdfDoc;
  created: number;
  updated: number;
  /** Who may see the comment: the project role (by name) or the group (by name, and by id in `identifier`) it is restricted to. */
  visibility?: { type: 'role' | 'group'; value: string; identifier: string };
  properties: Record<string, unknown>;
}

export interface AttachmentRecord {
  id: string;
  /** The file's id in Atlassian's media service: what an ADF `media` node names, and what a download redirects to. */
  mediaId: string;
  filename: string;
  mimeType: string;
  authorId: string;
  created: number;
  content: Buffer;
}

export interface RemoteLinkRecord {
  id: number;
  globalId?: string;
  application?: Record<string, unknown>;
  relationship?: string;
  object: Record<string, unknown>;
}

export interface ChangeItem {
  field: string;
  fieldtype: string;
  /** Absent where Jira names no field id (the key a move changes). */
  fieldId?: string;
  from: string | null;
  fromString: string | null;
  to: string | null;
  toString: string | null;
}

export interface History {
  id: string;
  authorId: string;
  created: number;
  items: ChangeItem[];
}

export interface IssueRecord {
  id: string;
  key: string;
  projectId: string;
  issueTypeId: string;
  statusId: string;
  resolution: { id: string; name: string } | null;
  summary: string;
  description: AdfDoc | null;
  priorityId: string;
  labels: string[];
  /** The system `duedate`: a calendar day `yyyy-MM-dd`, no time and no zone. */
  duedate?: string | null;
  assigneeId: string | null;
  reporterId: string;
  creatorId: string;
  created: number;
  updated: number;
  resolved: number | null;
  custom: Record<string, unknown>;
  properties: Record<string, unknown>;
  comments: CommentRecord[];
  attachments: AttachmentRecord[];
  remoteLinks: RemoteLinkRecord[];
  changelog: History[];
  /** Keys the issue had before it moved to another project: they still find it. */
  formerKeys?: string[];
  /** The parent's issue id, one level up (hierarchy.ts): an Epic for a standard issue, a standard issue for a sub-task. */
  parentId?: string | null;
}

/** A kind of link between two issues, as `GET /issueLinkType` lists it: read from the outward side and the inward. */
export interface IssueLinkType {
  id: string;
  name: string;
  inward: string;
  outward: string;
}

/**
 * A link between two issues, as Jira stores it: from a source to a destination. The source is the outward side
 * ("DEMO-1 blocks DEMO-2"), the destination the inward side ("DEMO-2 is blocked by DEMO-1"); `POST /issueLink` names
 * the source `outwardIssue` and the destination `inwardIssue`.
 */
export interface IssueLinkRecord {
  id: string;
  typeId: string;
  sourceId: string;
  destinationId: string;
  created: number;
}

/** An asynchronous bulk operation (`POST /bulk/issues/move`), as `GET /bulk/queue/{taskId}` reports it. */
export interface BulkTask {
  taskId: string;
  submittedBy: string;
  created: number;
  started?: number;
  updated: number;
  status: 'ENQUEUED' | 'RUNNING' | 'COMPLETE' | 'FAILED';
  totalIssueCount: number;
  processedAccessibleIssues: number[];
  failedAccessibleIssues: Record<string, string[]>;
  invalidOrInaccessibleIssueCount: number;
}

export interface JiraState {
  users: JiraUser[];
  projects: Project[];
  statuses: Status[];
  workflows: Workflow[];
  issueTypes: IssueType[];
  issueLinkTypes: IssueLinkType[];
  issueLinks: IssueLinkRecord[];
  priorities: Priority[];
  /** The site's resolutions (Jira Cloud's defaults); a transition into done may name one, else it sets the first. */
  resolutions: Array<{ id: string; name: string; description: string }>;
  fields: FieldDef[];
  groups: Group[];
  issues: IssueRecord[];
  tasks: BulkTask[];
  counters: {
    issue: number;
    comment: number;
    attachment: number;
    remoteLink: number;
    history: number;
    task: number;
    project: number;
    issueLink: number;
    keys: Record<string, number>;
  };
  attachmentUploadLimit: number;
}

/** The workflow an issue type follows in a project: its own in the project's scheme, else the scheme's default. */
export function workflowOf(state: JiraState, project: Project, issueTypeId: string): Workflow {
  const id = project.typeWorkflows?.[issueTypeId] ?? project.workflowId;
  return state.workflows.find((w) => w.id === id)!;
}

/**
 * The demo workflow scheme's mappings: Epics and Sub-tasks follow the simple workflow (To Do, In Progress, Done, each
 * reachable from the others), every other type the demo workflow.
 */
export const DEMO_TYPE_WORKFLOWS: Readonly<Record<string, string>> = { '10103': 'wf-2', '10105': 'wf-2' };

/** A fresh issue: the next key in its project, the workflow's initial status, nothing else set. */
export function newIssue(
  state: JiraState,
  project: Project,
  issueTypeId: string,
  reporterId: string,
  at: number,
): IssueRecord {
  const n = (state.counters.keys[project.key] = (state.counters.keys[project.key] ?? 0) + 1);
  const workflow = workflowOf(state, project, issueTypeId);
  return {
    id: String(++state.counters.issue),
    key: `${project.key}-${n}`,
    projectId: project.id,
    issueTypeId,
    statusId: workflow.initialStatus,
    resolution: null,
    summary: '',
    description: null,
    priorityId: DEFAULT_PRIORITY_ID,
    labels: [],
    duedate: null,
    assigneeId: null,
    reporterId,
    creatorId: reporterId,
    created: at,
    updated: at,
    resolved: null,
    custom: {},
    properties: {},
    comments: [],
    attachments: [],
    remoteLinks: [],
    changelog: [],
  };
}

export function demoState(appAccountId: string, now: number): JiraState {
  const users: JiraUser[] = [
    {
      accountId: '5b10a2844c20165700ede21g',
      displayName: 'Ada Admin',
      emailAddress: 'admin@demo.example',
      apiToken: 'demo-admin-token',
      accountType: 'atlassian',
      siteAdmin: true,
      role: 'admin',
    },
    {
      accountId: '5b10ac8d82e05b22cc7d4ef5',
      displayName: 'Lee Lead',
      emailAddress: 'lead@demo.example',
      apiToken: 'demo-lead-token',
      accountType: 'atlassian',
      siteAdmin: false,
      role: 'project-lead',
    },
    {
      accountId: '5b109f2e9729b51b54dc274d',
      displayName: 'Mia Member',
      emailAddress: 'member@demo.example',
      apiToken: 'demo-member-token',
      accountType: 'atlassian',
      siteAdmin: false,
      role: 'member',
    },
    {
      accountId: '5b10d3f1a7c94e0012b6a9e3',
      displayName: 'Val Viewer',
      emailAddress: 'viewer@demo.example',
      apiToken: 'demo-viewer-token',
      accountType: 'atlassian',
      siteAdmin: false,
      role: 'viewer',
    },
    {
      accountId: 'qm:customer:7c1e',
      displayName: 'Carl Customer',
      emailAddress: 'customer@client.example',
      apiToken: 'demo-customer-token',
      accountType: 'customer',
      siteAdmin: false,
      role: 'customer',
    },
    {
      accountId: appAccountId,
      displayName: 'Crosswalk',
      emailAddress: '',
      apiToken: '',
      accountType: 'app',
      siteAdmin: false,
      role: 'app',
    },
  ];
  const [admin, lead, member, viewer, , app] = users;
  const statuses: Status[] = [
    { id: '10000', name: 'To Do', category: 'new' },
    { id: '10001', name: 'In Progress', category: 'indeterminate' },
    { id: '10002', name: 'In Review', category: 'indeterminate' },
    { id: '10003', name: 'Done', category: 'done' },
    { id: '10004', name: 'Waiting for customer', category: 'indeterminate' },
  ];
  const workflows: Workflow[] = [
    {
      id: 'wf-1',
      name: 'Crosswalk demo workflow',
      initialStatus: '10000',
      transitions: [
        { id: '11', name: 'Start progress', from: ['10000', '10004'], to: '10001' },
        { id: '21', name: 'Request review', from: ['10001'], to: '10002' },
        // Done is only reachable from review: To Do → Done takes three hops.
        { id: '31', name: 'Approve', from: ['10002'], to: '10003' },
        { id: '41', name: 'Reopen', from: ['10003'], to: '10000' },
        { id: '51', name: 'Wait for customer', from: ['10001', '10002'], to: '10004' },
        { id: '61', name: 'Back to backlog', from: ['10001', '10002', '10004'], to: '10000' },
      ],
    },
    {
      // As Jira's simplified workflow: one global transition into each status, named after it.
      id: 'wf-2',
      name: 'Crosswalk simple workflow',
      initialStatus: '10000',
      transitions: [
        { id: '11', name: 'To Do', from: [], to: '10000' },
        { id: '21', name: 'In Progress', from: [], to: '10001' },
        { id: '31', name: 'Done', from: [], to: '10003' },
      ],
    },
  ];
  // Descriptions are Jira Cloud's defaults for these types.
  const issueTypes: IssueType[] = [
    { id: '10100', name: 'Task', subtask: false, hierarchyLevel: 0, description: 'A small, distinct piece of work.' },
    { id: '10101', name: 'Bug', subtask: false, hierarchyLevel: 0, description: 'A problem or error.' },
    {
      id: '10102',
      name: 'Incident',
      subtask: false,
      hierarchyLevel: 0,
      description: 'A problem which impairs or stops the operation of a service.',
    },
    {
      id: '10103',
      name: 'Epic',
      subtask: false,
      hierarchyLevel: 1,
      description: 'A collection of related bugs, stories, and tasks.',
    },
    {
      id: '10104',
      name: 'Story',
      subtask: false,
      hierarchyLevel: 0,
      description: 'Functionality or a feature expressed as a user goal.',
    },
    {
      id: '10105',
      name: 'Sub-task',
      subtask: true,
      hierarchyLevel: -1,
      description: "A small piece of work that's part of a larger task.",
    },
  ];
  // Jira Cloud's default link types.
  const issueLinkTypes: IssueLinkType[] = [
    { id: '10000', name: 'Blocks', inward: 'is blocked by', outward: 'blocks' },
    { id: '10001', name: 'Cloners', inward: 'is cloned by', outward: 'clones' },
    { id: '10002', name: 'Duplicate', inward: 'is duplicated by', outward: 'duplicates' },
    { id: '10003', name: 'Relates', inward: 'relates to', outward: 'relates to' },
  ];
  const priorities: Priority[] = [
    { id: '1', name: 'Highest' },
    { id: '2', name: 'High' },
    { id: '3', name: 'Medium' },
    { id: '4', name: 'Low' },
    { id: '5', name: 'Lowest' },
  ];
  const sys = (id: string, name: string, type: string, editable = true, items?: string): FieldDef => ({
    id,
    name,
    custom: false,
    schema: { type, system: id, ...(items ? { items } : {}) },
    editable,
  });
  const cf = (
    n: number,
    name: string,
    type: string,
    custom: string,
    editable = true,
    options?: FieldDef['options'],
    items?: string,
  ): FieldDef => ({
    id: `customfield_${n}`,
    name,
    custom: true,
    schema: {
      type,
      custom: `com.atlassian.jira.plugin.system.customfieldtypes:${custom}`,
      customId: n,
      ...(items ? { items } : {}),
    },
    editable,
    ...(options ? { options } : {}),
  });
  const fields: FieldDef[] = [
    sys('summary', 'Summary', 'string'),
    sys('description', 'Description', 'string'),
    sys('issuetype', 'Issue Type', 'issuetype'),
    sys('project', 'Project', 'project', false),
    sys('status', 'Status', 'status', false),
    sys('priority', 'Priority', 'priority'),
    sys('labels', 'Labels', 'array', true, 'string'),
    sys('assignee', 'Assignee', 'user'),
    sys('reporter', 'Reporter', 'user'),
    sys('duedate', 'Due date', 'date'),
    sys('created', 'Created', 'datetime', false),
    sys('updated', 'Updated', 'datetime', false),
    sys('resolution', 'Resolution', 'resolution', false),
    sys('resolutiondate', 'Resolved', 'datetime', false),
    sys('comment', 'Comment', 'comments-page', false),
    sys('attachment', 'Attachment', 'array', false, 'attachment'),
    sys('issuekey', 'Key', 'issuekey', false),
    sys('parent', 'Parent', 'issuelink'),
    sys('subtasks', 'Sub-tasks', 'array', false, 'issuelinks'),
    sys('issuelinks', 'Linked Issues', 'array', false, 'issuelinks'),
    cf(10010, 'Customer reference', 'string', 'textfield'),
    cf(10011, 'Steps to reproduce', 'string', 'textarea'),
    cf(10012, 'Affected users', 'number', 'float'),
    cf(10013, 'Environment tier', 'option', 'select', true, [
      { id: '10200', value: 'Production' },
      { id: '10201', value: 'Staging' },
    ]),
    cf(
      10014,
      'Components hit',
      'array',
      'multiselect',
      true,
      [
        { id: '10210', value: 'API' },
        { id: '10211', value: 'Web' },
        { id: '10212', value: 'Mobile' },
      ],
      'option',
    ),
    cf(10015, 'Due on', 'date', 'datepicker'),
    cf(10016, 'Escalation owner', 'user', 'userpicker'),
    cf(10017, 'Internal audit note', 'string', 'textfield', false),
    cf(10018, 'Customer deadline', 'datetime', 'datetime'),
  ];
  const projects: Project[] = [
    {
      id: '10000',
      key: 'DEMO',
      name: 'Demo service desk',
      leadAccountId: lead!.accountId,
      roles: {
        Administrators: [lead!.accountId],
        Members: [member!.accountId],
        Viewers: [viewer!.accountId],
        'atlassian-addons-project-access': [app!.accountId],
      },
      issueTypeIds: ['10100', '10101', '10102', '10103', '10104', '10105'],
      workflowId: 'wf-1',
      typeWorkflows: { ...DEMO_TYPE_WORKFLOWS },
    },
    {
      id: '10001',
      key: 'OPS',
      name: 'Operations',
      leadAccountId: admin!.accountId,
      roles: {
        Administrators: [admin!.accountId],
        Members: [lead!.accountId],
        Viewers: [viewer!.accountId],
        'atlassian-addons-project-access': [app!.accountId],
      },
      issueTypeIds: ['10100', '10102', '10103', '10104', '10105'],
      workflowId: 'wf-1',
      typeWorkflows: { ...DEMO_TYPE_WORKFLOWS },
    },
    // Paired with the Zendesk simulator by `npm start`.
    {
      id: '10002',
      key: 'SUP',
      name: 'Customer support',
      leadAccountId: lead!.accountId,
      roles: {
        Administrators: [lead!.accountId],
        Members: [member!.accountId],
        Viewers: [viewer!.accountId],
        'atlassian-addons-project-access': [app!.accountId],
      },
      issueTypeIds: ['10100', '10102', '10103', '10104', '10105'],
      workflowId: 'wf-1',
      typeWorkflows: { ...DEMO_TYPE_WORKFLOWS },
    },
  ];
  // Group ids are opaque in Jira Cloud (names can change); comments restricted to a group name it by both.
  const groups: Group[] = [
    { groupId: '276f955c-63d7-42c8-9520-92d01dca0625', name: 'jira-administrators', members: [admin!.accountId] },
    {
      groupId: '952d12c3-5b5b-4d04-bb32-44d383afc4b2',
      name: 'jira-software-users',
      members: [admin!, lead!, member!, viewer!].map((u) => u.accountId),
    },
    { groupId: '8a3c5f1e-2b4d-4e6f-9a1b-3c5d7e9f1a2b', name: 'atlassian-addons-admin', members: [app!.accountId] },
    {
      groupId: 'c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f',
      name: 'incident-managers',
      members: [admin!, lead!].map((u) => u.accountId),
    },
  ];
  const state: JiraState = {
    users,
    projects,
    statuses,
    workflows,
    issueTypes,
    issueLinkTypes,
    issueLinks: [],
    priorities,
    resolutions: [
      { id: '10000', name: 'Done', description: 'Work has been completed on this issue.' },
      { id: '10001', name: "Won't Do", description: 'This issue won’t be actioned.' },
      { id: '10002', name: 'Duplicate', description: 'The problem is a duplicate of an existing issue.' },
      { id: '10003', name: 'Cannot Reproduce', description: 'This issue could not be reproduced.' },
    ],
    fields,
    groups,
    issues: [],
    tasks: [],
    counters: {
      issue: 10000,
      comment: 10000,
      attachment: 10000,
      remoteLink: 10000,
      history: 10000,
      task: 10000,
      project: 10002,
      issueLink: 10000,
      keys: {},
    },
    attachmentUploadLimit: 10 * 1024 * 1024,
  };
  const seedIssue = (
    projectKey: string,
    summary: string,
    text: string,
    typeId: string,
    ageHours: number,
    statusId = '10000',
  ) => {
    const issue = newIssue(
      state,
      projects.find((p) => p.key === projectKey)!,
      typeId,
      member!.accountId,
      now - ageHours * 3_600_000,
    );
    Object.assign(issue, {
      summary,
      statusId,
      description: { version: 1, type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] },
    });
    state.issues.push(issue);
  };
  seedIssue(
    'DEMO',
    'VPN drops every 20 minutes',
    'Users on the Berlin office VPN are disconnected every 20 minutes.',
    '10102',
    50,
  );
  seedIssue(
    'DEMO',
    'Invoice PDF shows wrong currency',
    'Invoices for Swiss customers show EUR instead of CHF.',
    '10101',
    30,
    '10001',
  );
  seedIssue(
    'DEMO',
    'Add SSO for the partner portal',
    'Partners ask to sign in with their own identity provider.',
    '10100',
    5,
  );
  seedIssue(
    'OPS',
    'Rotate the database credentials',
    'Quarterly rotation of production database credentials.',
    '10100',
    70,
  );
  return state;
}
