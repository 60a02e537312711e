/**
 * Processes (Agile, Basic), their work item types, states and the reasons a
 * state change writes, and the fields the simulator knows (vendor-apis.md §2.3).
 * Everything here is data so the control API can replace a type's states.
 */

export type StateCategory = 'Proposed' | 'InProgress' | 'Resolved' | 'Completed' | 'Removed';

export interface StateDef {
  name: string;
  category: StateCategory;
  color: string;
  /** System.Reason written when an item enters this state; `from` overrides by previous state. */
  reason: string;
  reasonFrom?: Record<string, string>;
}

export interface WorkItemTypeDef {
  name: string;
  referenceName: string;
  color: string;
  description: string;
  states: StateDef[];
  /** Field defaults written on create. */
  defaults: Record<string, string | number>;
}

export type ProcessName = 'Agile' | 'Basic';

const state = (
  name: string,
  category: StateCategory,
  reason: string,
  reasonFrom?: Record<string, string>,
): StateDef => ({
  name,
  category,
  color: { Proposed: 'b2b2b2', InProgress: '007acc', Resolved: 'ff9d00', Completed: '339933', Removed: 'ffffff' }[
    category
  ],
  reason,
  ...(reasonFrom ? { reasonFrom } : {}),
});

export function defaultProcesses(): Record<ProcessName, Record<string, WorkItemTypeDef>> {
  return {
    Agile: {
      Bug: {
        name: 'Bug',
        referenceName: 'Microsoft.VSTS.WorkItemTypes.Bug',
        color: 'CC293D',
        description:
          'Describes a divergence between required and actual behavior, and tracks the work done to correct the defect and verify the correction.',
        states: [
          state('New', 'Proposed', 'New'),
          state('Active', 'InProgress', 'Approved', { Resolved: 'Not fixed', Closed: 'Reactivated' }),
          state('Resolved', 'Resolved', 'Fixed'),
          state('Closed', 'Completed', 'Verified'),
        ],
        defaults: {
          'Microsoft.VSTS.Common.Priority': 2,
          'Microsoft.VSTS.Common.Severity': '3 - Medium',
          'Microsoft.VSTS.Common.ValueArea': 'Business',
        },
      },
      'User Story': {
        name: 'User Story',
        referenceName: 'Microsoft.VSTS.WorkItemTypes.UserStory',
        color: '009CCC',
        description: 'Tracks an activity the user will be able to perform with the product',
        states: [
          state('New', 'Proposed', 'New'),
          state('Active', 'InProgress', 'Implementation started', { Resolved: 'Reactivated', Closed: 'Reactivated' }),
          state('Resolved', 'Resolved', 'Code complete and unit tests pass'),
          state('Closed', 'Completed', 'Acceptance tests pass'),
          state('Removed', 'Removed', 'Removed from the backlog'),
        ],
        defaults: { 'Microsoft.VSTS.Common.Priority': 2, 'Microsoft.VSTS.Common.ValueArea': 'Business' },
      },
      // Agile's portfolio types: an Epic holds Features, a Feature holds User Stories (Hierarchy links).
      Epic: {
        name: 'Epic',
        referenceName: 'Microsoft.VSTS.WorkItemTypes.Epic',
        color: 'FF7B00',
        description: 'Epics help teams effectively manage and groom their product backlog',
        states: [
          state('New', 'Proposed', 'New'),
          state('Active', 'InProgress', 'Implementation started', { Resolved: 'Reactivated', Closed: 'Reactivated' }),
          state('Resolved', 'Resolved', 'Stories complete'),
          state('Closed', 'Completed', 'Acceptance tests pass'),
          state('Removed', 'Removed', 'Removed from the backlog'),
        ],
        defaults: { 'Microsoft.VSTS.Common.Priority': 2, 'Microsoft.VSTS.Common.ValueArea': 'Business' },
      },
      Feature: {
        name: 'Feature',
        referenceName: 'Microsoft.VSTS.WorkItemTypes.Feature',
        color: '773B93',
        description: 'Tracks a feature that will be released with the product',
        states: [
          state('New', 'Proposed', 'New'),
          state('Active', 'InProgress', 'Implementation started', { Resolved: 'Reactivated', Closed: 'Reactivated' }),
          state('Resolved', 'Resolved', 'Stories complete'),
          state('Closed', 'Completed', 'Acceptance tests pass'),
          state('Removed', 'Removed', 'Removed from the backlog'),
        ],
        defaults: { 'Microsoft.VSTS.Common.Priority': 2, 'Microsoft.VSTS.Common.ValueArea': 'Business' },
      },
      Task: {
        name: 'Task',
        referenceName: 'Microsoft.VSTS.WorkItemTypes.Task',
        color: 'F2CB1D',
        description: 'Tracks work that needs to be done.',
        states: [
          state('New', 'Proposed', 'New'),
          state('Active', 'InProgress', 'Work started', { Closed: 'Reactivated' }),
          state('Closed', 'Completed', 'Completed'),
          state('Removed', 'Removed', 'Removed from the backlog'),
        ],
        defaults: { 'Microsoft.VSTS.Common.Priority': 2 },
      },
    },
    Basic: {
      Issue: {
        name: 'Issue',
        referenceName: 'Microsoft.VSTS.WorkItemTypes.Issue',
        color: '339947',
        description: 'Tracks an obstacle to progress.',
        states: [
          state('To Do', 'Proposed', 'Added to backlog'),
          state('Doing', 'InProgress', 'Started'),
          state('Done', 'Completed', 'Completed', {}),
        ],
        defaults: { 'Microsoft.VSTS.Common.Priority': 2 },
      },
      Task: {
        name: 'Task',
        referenceName: 'Microsoft.VSTS.WorkItemTypes.Task',
        color: 'F2CB1D',
        description: 'Tracks work that needs to be done.',
        states: [
          state('To Do', 'Proposed', 'Added to backlog'),
          state('Doing', 'InProgress', 'Started'),
          state('Done', 'Completed', 'Completed'),
        ],
        defaults: { 'Microsoft.VSTS.Common.Priority': 2 },
      },
    },
  };
}

export type FieldType =
  'string' | 'html' | 'plainText' | 'integer' | 'double' | 'dateTime' | 'identity' | 'treePath' | 'boolean';

export interface FieldDef {
  referenceName: string;
  name: string;
  type: FieldType;
  /** Written only by the service (TF401326 ReadOnly unless bypassRules). */
  readOnly?: boolean;
  /** Returned by GET only with $expand=fields|all or when asked for in `fields=`. */
  hiddenByDefault?: boolean;
  allowedValues?: Array<string | number>;
  /** Per-revision: present only in the revision that wrote it. */
  perRevision?: boolean;
}

const f = (referenceName: string, name: string, type: FieldType, extra: Partial<FieldDef> = {}): FieldDef => ({
  referenceName,
  name,
  type,
  ...extra,
});

export function defaultFields(): FieldDef[] {
  return [
    f('System.Id', 'ID', 'integer', { readOnly: true, hiddenByDefault: true }),
    f('System.Rev', 'Rev', 'integer', { readOnly: true, hiddenByDefault: true }),
    f('System.Watermark', 'Watermark', 'integer', { readOnly: true, hiddenByDefault: true }),
    f('System.AuthorizedDate', 'Authorized Date', 'dateTime', { readOnly: true, hiddenByDefault: true }),
    f('System.RevisedDate', 'Revised Date', 'dateTime', { readOnly: true, hiddenByDefault: true }),
    f('System.AuthorizedAs', 'Authorized As', 'identity', { readOnly: true, hiddenByDefault: true }),
    f('System.TeamProject', 'Team Project', 'string', { readOnly: true }),
    f('System.WorkItemType', 'Work Item Type', 'string', { readOnly: true }),
    f('System.AreaPath', 'Area Path', 'treePath'),
    f('System.IterationPath', 'Iteration Path', 'treePath'),
    f('System.State', 'State', 'string'),
    f('System.Reason', 'Reason', 'string'),
    f('System.AssignedTo', 'Assigned To', 'identity'),
    f('System.CreatedDate', 'Created Date', 'dateTime', { readOnly: true }),
    f('System.CreatedBy', 'Created By', 'identity', { readOnly: true }),
    f('System.ChangedDate', 'Changed Date', 'dateTime', { readOnly: true }),
    f('System.ChangedBy', 'Changed By', 'identity', { readOnly: true }),
    f('System.CommentCount', 'Comment Count', 'integer', { readOnly: true }),
    f('System.Title', 'Title', 'string'),
    f('System.Description', 'Description', 'html'),
    f('System.History', 'History', 'html', { perRevision: true }),
    f('System.Tags', 'Tags', 'plainText'),
    f('Microsoft.VSTS.Common.StateChangeDate', 'State Change Date', 'dateTime', { readOnly: true }),
    f('Microsoft.VSTS.Common.ActivatedDate', 'Activated Date', 'dateTime', { readOnly: true }),
    f('Microsoft.VSTS.Common.ActivatedBy', 'Activated By', 'identity', { readOnly: true }),
    f('Microsoft.VSTS.Common.ResolvedDate', 'Resolved Date', 'dateTime', { readOnly: true }),
    f('Microsoft.VSTS.Common.ResolvedBy', 'Resolved By', 'identity', { readOnly: true }),
    // Agile's Bug suggests Fixed, As Designed, Cannot Reproduce, Deferred, Duplicate, Obsolete, Copied to Backlog.
    f('Microsoft.VSTS.Common.ResolvedReason', 'Resolved Reason', 'string'),
    f('Microsoft.VSTS.Common.ClosedDate', 'Closed Date', 'dateTime', { readOnly: true }),
    f('Microsoft.VSTS.Common.ClosedBy', 'Closed By', 'identity', { readOnly: true }),
    f('Microsoft.VSTS.Common.Priority', 'Priority', 'integer', { allowedValues: [1, 2, 3, 4] }),
    f('Microsoft.VSTS.Common.Severity', 'Severity', 'string', {
      allowedValues: ['1 - Critical', '2 - High', '3 - Medium', '4 - Low'],
    }),
    f('Microsoft.VSTS.Common.ValueArea', 'Value Area', 'string', { allowedValues: ['Architectural', 'Business'] }),
    f('Microsoft.VSTS.TCM.ReproSteps', 'Repro Steps', 'html'),
    f('Microsoft.VSTS.TCM.SystemInfo', 'System Info', 'html'),
    f('Microsoft.VSTS.Common.AcceptanceCriteria', 'Acceptance Criteria', 'html'),
    f('Microsoft.VSTS.Scheduling.StoryPoints', 'Story Points', 'double'),
    f('Microsoft.VSTS.Scheduling.Effort', 'Effort', 'double'),
    f('Microsoft.VSTS.Scheduling.OriginalEstimate', 'Original Estimate', 'double'),
    f('Microsoft.VSTS.Scheduling.RemainingWork', 'Remaining Work', 'double'),
    f('Microsoft.VSTS.Scheduling.CompletedWork', 'Completed Work', 'double'),
    // Agile has it on Issue; organizations commonly add it to Bug. The simulator puts every field on every type.
    f('Microsoft.VSTS.Scheduling.DueDate', 'Due Date', 'dateTime'),
    // Custom fields as an organization's inherited process has them (reference names `Custom.<Name>`).
    f('Custom.Environment', 'Environment', 'string', { allowedValues: ['Production', 'Staging', 'Development'] }),
    f('Custom.AffectedUsers', 'Affected Users', 'integer'),
    // Azure DevOps has no multi-select field: the Multivalue control extension keeps `Web;Mobile` in a plain text field.
    f('Custom.Platforms', 'Platforms', 'plainText'),
    f('Custom.CustomerDeadline', 'Customer Deadline', 'dateTime'),
  ];
}
