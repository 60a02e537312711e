/**
 * The issue hierarchy, as Jira Cloud enforces it on `parent`: an issue's parent is one level up (a standard issue's
 * an Epic, a sub-task's a standard issue) and in the same project; a sub-task always has one; an Epic has none here
 * (no level above it without Premium's custom levels). Error texts are the ones a real site answers.
 */
import type { Site } from './site';
import type { IssueRecord, IssueType, JiraUser } from './state';

export const PARENT_ERRORS = {
  hierarchy: 'Given parent work item does not belong to appropriate hierarchy.',
  subtaskWithoutParent: 'Issue type is a sub-task but parent issue key or id not specified.',
  notFound: 'Could not find issue by id or key.',
} as const;

/**
 * A `parent` value as a create or an edit gives it: `{key}` or `{id}` names the parent; `null`, `{none: true}` (the
 * documented `update.parent.set.none`) or `{}` (as the agile API's docs say to clear it) takes it away.
 */
export type ParentRef = { set: string } | { remove: true } | { invalid: true };

export function parentRef(v: unknown): ParentRef {
  if (v === null) return { remove: true };
  if (typeof v !== 'object' || Array.isArray(v)) return { invalid: true };
  const ref = v as { key?: unknown; id?: unknown; none?: unknown };
  if (typeof ref.key === 'string' && ref.key) return { set: ref.key };
  if (typeof ref.id === 'string' && ref.id) return { set: ref.id };
  if (typeof ref.id === 'number') return { set: String(ref.id) };
  if (ref.none === true || (ref.key === undefined && ref.id === undefined && ref.none === undefined))
    return { remove: true };
  return { invalid: true };
}

export function issueTypeOf(site: Site, issue: Pick<IssueRecord, 'issueTypeId'>): IssueType {
  return site.state.issueTypes.find((t) => t.id === issue.issueTypeId)!;
}

/** Why `parent` cannot be the parent of `child` (an issue being created or edited), or undefined when it can. */
export function parentProblem(
  site: Site,
  child: Pick<IssueRecord, 'id' | 'projectId' | 'issueTypeId'>,
  parent: IssueRecord,
): string | undefined {
  if (parent.id === child.id || parent.projectId !== child.projectId) return PARENT_ERRORS.hierarchy;
  if (issueTypeOf(site, parent).hierarchyLevel !== issueTypeOf(site, child).hierarchyLevel + 1)
    return PARENT_ERRORS.hierarchy;
  return undefined;
}

/** The parent named by a reference, as the actor may see it (one they cannot browse is not found). */
export function findParent(site: Site, ref: string, actor: JiraUser): IssueRecord | undefined {
  const issue = site.findIssue(ref);
  return issue && site.can(actor, 'BROWSE_PROJECTS', site.projectOf(issue)) ? issue : undefined;
}

export function parentOf(site: Site, issue: IssueRecord): IssueRecord | undefined {
  return issue.parentId ? site.state.issues.find((i) => i.id === issue.parentId) : undefined;
}

/** The issues whose parent this is: an Epic's standard issues, a standard issue's sub-tasks. */
export function childrenOf(site: Site, issue: IssueRecord): IssueRecord[] {
  return site.state.issues.filter((i) => i.parentId === issue.id);
}
