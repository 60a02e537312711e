/**
 * Moving issues to another project, as Jira Cloud does it: `POST /bulk/issues/move` submits an asynchronous task
 * (answered with its id at once), the task gives each issue the next key of the target project (its old keys keep
 * finding it), and `GET /bulk/queue/{taskId}` reports the task's progress. A `PUT` of `project` stays refused: the
 * project is not on any edit screen.
 */
import type { Context, Hono } from 'hono';
import * as z from 'zod';
import type { Env } from './http';
import { childrenOf } from './hierarchy';
import type { Site } from './site';
import { workflowOf, type BulkTask, type ChangeItem, type IssueRecord, type JiraUser, type Project } from './state';

/** The bulk APIs answer errors as `{errors: [{message}]}` (BulkOperationErrorResponse), not Jira's usual shape. */
class BulkError extends Error {
  constructor(
    readonly status: 400 | 401 | 404,
    message: string,
  ) {
    super(message);
  }
}

const targetMapping = z
  .object({
    issueIdsOrKeys: z.array(z.string()).optional(),
    inferClassificationDefaults: z.boolean().optional(),
    inferFieldDefaults: z.boolean().optional(),
    inferStatusDefaults: z.boolean().optional(),
    inferSubtaskTypeDefault: z.boolean().optional(),
    targetClassification: z.array(z.unknown()).nullable().optional(),
    targetMandatoryFields: z.array(z.unknown()).nullable().optional(),
    targetStatus: z
      .array(z.object({ statuses: z.record(z.string(), z.array(z.string())) }).loose())
      .nullable()
      .optional(),
  })
  .strict();
const moveBody = z
  .object({
    sendBulkNotification: z.boolean().nullable().optional(),
    targetToSourcesMapping: z.record(z.string(), targetMapping),
  })
  .strict();

/** "You can move up to 1,000 issues in a single operation, including any subtasks." */
const MAX_ISSUES = 1000;

interface PlannedMove {
  issue: IssueRecord;
  target: Project;
  issueTypeId: string;
  statusId: string;
}

export function bulkRoutes(app: Hono<Env>, site: Site): void {
  const bulkError = (c: Context<Env>, e: unknown) => {
    if (e instanceof BulkError) return c.json({ errors: [{ message: e.message }] }, e.status);
    throw e;
  };
  const requireBulkChange = (user: JiraUser | undefined) => {
    if (!user)
      throw new BulkError(401, 'You are not authenticated. Authentication required to perform this operation.');
    // The Bulk Change global permission: every licensed user and app has it by default; customers do not.
    if (user.accountType === 'customer') throw new BulkError(400, 'You do not have the Bulk Change global permission.');
    return user;
  };

  /** Checks the whole request before anything moves: a request that cannot be done as a whole is refused as a whole. */
  const plan = (user: JiraUser, body: z.infer<typeof moveBody>): PlannedMove[] => {
    const moves: PlannedMove[] = [];
    for (const [key, mapping] of Object.entries(body.targetToSourcesMapping)) {
      const [projectRef = '', issueTypeId = '', parent] = key.split(',').map((s) => s.trim());
      const target = site.project(projectRef);
      if (!target || !site.can(user, 'CREATE_ISSUES', target))
        throw new BulkError(400, `The target project ${projectRef} is not valid or you cannot create issues in it.`);
      if (!target.issueTypeIds.includes(issueTypeId))
        throw new BulkError(400, `The issue type ${issueTypeId} is not valid for the target project ${target.key}.`);
      // A sub-task moves only under a parent (named in the key), which the sim does not do.
      if (parent || site.state.issueTypes.find((t) => t.id === issueTypeId)?.subtask)
        throw new BulkError(400, 'Moving issues under a parent is not supported by this simulator.');
      const workflow = workflowOf(site.state, target, issueTypeId);
      const targetStatuses = new Set([workflow.initialStatus, ...workflow.transitions.map((t) => t.to)]);
      for (const ref of mapping.issueIdsOrKeys ?? []) {
        const issue = site.findIssue(ref);
        if (
          !issue ||
          !site.can(user, 'BROWSE_PROJECTS', site.projectOf(issue)) ||
          !site.can(user, 'MOVE_ISSUES', site.projectOf(issue))
        )
          throw new BulkError(400, 'Some of the issues in the issueIdsOrKeys are not valid');
        // Jira carries sub-tasks and an Epic's issues along (or re-parents them); the sim refuses rather than break the hierarchy.
        const level = (typeId: string) => site.state.issueTypes.find((t) => t.id === typeId)!.hierarchyLevel;
        if (
          (issue.parentId || childrenOf(site, issue).length) &&
          (target.id !== issue.projectId || level(issueTypeId) !== level(issue.issueTypeId))
        )
          throw new BulkError(
            400,
            `${issue.key} has a parent or child issues: moving it to another project or level is not supported by this simulator.`,
          );
        let statusId = issue.statusId;
        if (!targetStatuses.has(statusId)) {
          const mapped = (mapping.targetStatus ?? [])
            .flatMap((t) => Object.entries(t.statuses))
            .find(([, sources]) => sources.includes(statusId))?.[0];
          if (mapped && targetStatuses.has(mapped)) statusId = mapped;
          else if (mapping.inferStatusDefaults) statusId = workflow.initialStatus;
          else throw new BulkError(400, `The status of ${issue.key} needs a target status in ${target.key}.`);
        }
        moves.push({ issue, target, issueTypeId, statusId });
      }
    }
    if (!moves.length) throw new BulkError(400, 'No issues to move were given.');
    if (moves.length > MAX_ISSUES) throw new BulkError(400, `You can't move more than ${MAX_ISSUES} issues at once.`);
    return moves;
  };

  const changeOf = (field: string, fieldId: string, from: string, fromString: string, to: string, toString: string) =>
    ({ field, fieldtype: 'jira', fieldId, from, fromString, to, toString }) satisfies ChangeItem;

  /** One issue moved: the target project's next key, the old key kept, the change recorded and announced. */
  const move = (user: JiraUser, m: PlannedMove): void => {
    const { issue, target } = m;
    const from = site.projectOf(issue);
    const items: ChangeItem[] = [];
    if (from.id !== target.id) {
      const oldKey = issue.key;
      const n = (site.state.counters.keys[target.key] = (site.state.counters.keys[target.key] ?? 0) + 1);
      issue.key = `${target.key}-${n}`;
      issue.formerKeys = [...(issue.formerKeys ?? []), oldKey];
      issue.projectId = target.id;
      items.push(changeOf('project', 'project', from.id, from.name, target.id, target.name));
      items.push({
        field: 'Key',
        fieldtype: 'jira',
        fieldId: 'issuekey',
        from: null,
        fromString: oldKey,
        to: null,
        toString: issue.key,
      });
    }
    if (m.issueTypeId !== issue.issueTypeId) {
      const name = (id: string) => site.state.issueTypes.find((t) => t.id === id)?.name ?? id;
      items.push(
        changeOf(
          'issuetype',
          'issuetype',
          issue.issueTypeId,
          name(issue.issueTypeId),
          m.issueTypeId,
          name(m.issueTypeId),
        ),
      );
      issue.issueTypeId = m.issueTypeId;
    }
    if (m.statusId !== issue.statusId) {
      const name = (id: string) => site.state.statuses.find((s) => s.id === id)?.name ?? id;
      items.push(changeOf('status', 'status', issue.statusId, name(issue.statusId), m.statusId, name(m.statusId)));
      issue.statusId = m.statusId;
    }
    if (!items.length) return;
    issue.updated = site.now();
    const changelog = site.recordChange(issue, user, items);
    site.emit('avi:jira:updated:issue', user, undefined, {
      issue: site.eventIssue(issue),
      changelog,
      jiraEventTypeName: 'issue_moved',
      associatedUsers: [{ accountId: user.accountId }],
    });
  };

  app.post('/rest/api/3/bulk/issues/move', async (c) => {
    try {
      const user = requireBulkChange(c.get('user'));
      let raw: unknown;
      try {
        raw = await c.req.json();
      } catch {
        throw new BulkError(400, 'The request body is not valid JSON.');
      }
      const parsed = moveBody.safeParse(raw);
      if (!parsed.success)
        throw new BulkError(
          400,
          parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '),
        );
      const moves = plan(user, parsed.data);
      const now = site.now();
      const task: BulkTask = {
        taskId: String(site.nextId('task')),
        submittedBy: user.accountId,
        created: now,
        updated: now,
        status: 'ENQUEUED',
        totalIssueCount: moves.length,
        processedAccessibleIssues: [],
        failedAccessibleIssues: {},
        invalidOrInaccessibleIssueCount: 0,
      };
      site.state.tasks.push(task);
      // The task runs after the answer, as Jira's queue does: until then the issues are where they were.
      site.runTask(() => {
        task.status = 'RUNNING';
        task.started = site.now();
        for (const m of moves) {
          move(user, m);
          task.processedAccessibleIssues.push(Number(m.issue.id));
        }
        task.status = 'COMPLETE';
        task.updated = site.now();
      });
      return c.json({ taskId: task.taskId }, 201);
    } catch (e) {
      return bulkError(c, e);
    }
  });

  app.get('/rest/api/3/bulk/queue/:taskId', (c) => {
    try {
      const user = requireBulkChange(c.get('user'));
      const task = site.state.tasks.find((t) => t.taskId === c.req.param('taskId'));
      if (!task || (task.submittedBy !== user.accountId && !site.can(user, 'ADMINISTER')))
        throw new BulkError(404, 'The task associated with this taskId does not exist.');
      const done = task.status === 'COMPLETE' || task.status === 'FAILED';
      // Times are epoch milliseconds, as Jira sends them (the spec's own examples), though its schema says date-time.
      return c.json({
        taskId: task.taskId,
        status: task.status,
        progressPercent: done ? 100 : 0,
        submittedBy: { accountId: task.submittedBy },
        created: task.created,
        ...(task.started !== undefined ? { started: task.started } : {}),
        updated: task.updated,
        totalIssueCount: task.totalIssueCount,
        ...(done
          ? {
              processedAccessibleIssues: task.processedAccessibleIssues,
              failedAccessibleIssues: task.failedAccessibleIssues,
              invalidOrInaccessibleIssueCount: task.invalidOrInaccessibleIssueCount,
            }
          : {}),
      });
    } catch (e) {
      return bulkError(c, e);
    }
  });
}
