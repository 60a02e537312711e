/**
 * The status mapping's transition paths, for the mapping editor: for each
 * Jira status a status map can set, the transitions the engine would take to
 * reach it from every other status of the workflow (sync/transition-path.ts,
 * as sync/status.ts plans a move), and plainly which are unreachable. Per
 * workflow of the project's issue types (types sharing one are shown once).
 * Reads the workflows as the app, as the engine does; writes nothing.
 */
import api, { route } from '@forge/api';
import * as z from 'zod';
import * as jira from '../connectors/jira/client';
import { findTransitionPath } from '../sync/transition-path';
import { badRequest, fail, forbiddenAdmin, ok, requireProjectAdmin } from './guards';

type Call = { payload?: unknown; context: { accountId?: string } & Record<string, unknown> };

export interface PathFrom {
  from: string;
  /** Transition names in order; absent when unreachable. */
  path?: string[];
  reason?: string;
}

export interface TargetPaths {
  status: string;
  inWorkflow: boolean;
  from: PathFrom[];
  unreachableFrom: string[];
}

/** For each target status, the engine's path from every other status of the workflow, or why there is none. Pure. */
export function statusPathTable(workflow: jira.WorkflowGraph, targets: readonly string[]): TargetPaths[] {
  const nameOf = (id: string) => workflow.statuses.find((s) => s.id === id)?.name ?? id;
  const once = targets.filter((t, i) => targets.findIndex((u) => u.toLowerCase() === t.toLowerCase()) === i);
  return once.map((status) => {
    const target = workflow.statuses.find((s) => s.name.toLowerCase() === status.toLowerCase());
    if (!target) return { status, inWorkflow: false, from: [], unreachableFrom: [] };
    const from = workflow.statuses
      .filter((s) => s.id !== target.id)
      .map((s): PathFrom => {
        const found = findTransitionPath(workflow.transitions, s.id, target.id, nameOf);
        return found.ok
          ? { from: s.name, path: found.transitions.map((t) => t.name) }
          : { from: s.name, reason: found.reason };
      });
    return {
      status: target.name,
      inWorkflow: true,
      from,
      unreachableFrom: from.filter((f) => !f.path).map((f) => f.from),
    };
  });
}

const request = z.object({ statuses: z.array(z.string().trim().min(1).max(255)).min(1).max(100) }).strict();

export async function statusPathsResolver({ payload, context }: Call) {
  const admin = await requireProjectAdmin(context);
  if (!admin) return forbiddenAdmin;
  const parsed = request.safeParse(payload);
  if (!parsed.success) return badRequest(parsed.error);
  const types = (await jira.projectIssueTypes(admin.projectId)).slice(0, 20);
  if (!types.length) return fail('NOT_FOUND', 'This project has no issue types Crosswalk can read');
  const groups: Array<{ issueTypes: string[]; workflowRead: boolean; statuses: TargetPaths[]; key: string }> = [];
  for (const type of types) {
    const workflow = await jira.workflowFor(admin.projectId, type.id);
    const key = workflow ? JSON.stringify(workflow) : 'unreadable';
    const same = groups.find((g) => g.key === key);
    if (same) {
      same.issueTypes.push(type.name);
      continue;
    }
    groups.push({
      key,
      issueTypes: [type.name],
      workflowRead: Boolean(workflow),
      statuses: workflow ? statusPathTable(workflow, parsed.data.statuses) : [],
    });
  }
  return ok({
    workflows: groups.map(({ key: _key, ...g }) => ({
      ...g,
      ...(g.workflowRead
        ? {}
        : {
            note: 'Crosswalk cannot read this workflow (it needs the manage:jira-configuration scope), so it takes only a direct transition from where an issue is, where one exists.',
          }),
    })),
  });
}
