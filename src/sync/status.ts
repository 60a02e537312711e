/**
 * Moving a Jira issue to a status: the whole path is computed from the
 * workflow before anything moves, and the issue moves only along a path that
 * reaches the target. An unreachable status is reported without moving.
 * `planStatusMove` is the read-only half (the settings page's preview and its
 * status mapping show the path it answers).
 */
import * as jira from '../connectors/jira/client';
import { SyncError } from '../connectors/errors';
import { findTransitionPath, type WorkflowTransition } from './transition-path';

/** `resolution`: the Jira resolution the move into done set, when it was given one. */
export type StatusMove = { ok: true; moved: boolean; resolution?: string } | { ok: false; reason: string };

/** The transitions that take the issue to `statusName` (none when it is there), or why none can; reads only. */
export type StatusPlan =
  | { ok: true; path: WorkflowTransition[]; from: string; workflowRead: boolean; intoDone?: boolean }
  | { ok: false; reason: string };

export async function planStatusMove(issue: jira.JiraIssue, statusName: string): Promise<StatusPlan> {
  const status = issue.fields.status as { id?: string; name?: string } | undefined;
  const fromId = status?.id ?? '';
  const from = status?.name ?? '';
  if (from.toLowerCase() === statusName.toLowerCase()) return { ok: true, path: [], from, workflowRead: true };
  const issueTypeId = (issue.fields.issuetype as { id?: string } | undefined)?.id ?? '';
  const workflow = await jira.workflowFor(issue.fields.project.id, issueTypeId);
  if (workflow) {
    const target = workflow.statuses.find((s) => s.name.toLowerCase() === statusName.toLowerCase());
    if (!target) return { ok: false, reason: `Status "${statusName}" is not in this issue's workflow` };
    const found = findTransitionPath(
      workflow.transitions,
      fromId,
      target.id,
      (id) => workflow.statuses.find((s) => s.id === id)?.name ?? id,
    );
    return found.ok
      ? { ok: true, path: found.transitions, from, workflowRead: true, intoDone: Boolean(target.done) }
      : { ok: false, reason: found.reason };
  }
  // Without the workflow only a direct transition is safe: exploring would run other transitions' post-functions.
  const direct = (await jira.transitions(issue.id)).find((t) => t.to.name.toLowerCase() === statusName.toLowerCase());
  if (!direct)
    return {
      ok: false,
      reason: `No direct transition from "${from}" to "${statusName}" (Crosswalk cannot read the workflow to find a longer path)`,
    };
  return {
    ok: true,
    path: [{ id: direct.id, name: direct.name, from: [fromId], to: direct.to.id }],
    from,
    workflowRead: false,
    intoDone: direct.to.statusCategory?.key === 'done',
  };
}

/**
 * `resolution`: the Jira resolution a move into a done status sets (sync/resolution.ts), sent on the screen of the
 * path's last transition; a move elsewhere ignores it.
 */
export async function moveToStatus(
  issue: jira.JiraIssue,
  statusName: string,
  resolution?: string,
): Promise<StatusMove> {
  const plan = await planStatusMove(issue, statusName);
  if (!plan.ok) return plan;
  const path = plan.path;
  for (const [i, step] of path.entries()) {
    const last = i === path.length - 1;
    try {
      await jira.transition(
        issue.id,
        step.id,
        last && plan.intoDone && resolution ? { resolution: { name: resolution } } : undefined,
      );
    } catch (e) {
      // A condition or validator refused a step: stop where we are and say why.
      if (e instanceof SyncError && e.kind === 'validation')
        return {
          ok: false,
          reason: `Transition "${step.name}" (step ${i + 1} of ${path.length} to "${statusName}") was refused: ${e.details.remoteMessage ?? e.message}`,
        };
      throw e;
    }
  }
  const resolved = path.length > 0 && plan.intoDone && resolution;
  return { ok: true, moved: path.length > 0, ...(resolved ? { resolution } : {}) };
}
