/**
 * GitHub's sub-issues as the connector's parent relation: an issue has at most
 * one parent, sub-issues nest (several levels), and GitHub refuses a loop. The
 * parent is a relation, not a field: the issue shows it as `parent_issue_url`,
 * and it is changed through the parent's sub-issue list, by the child's
 * global id (not its number).
 */
import * as z from 'zod';
import type { Hierarchy, Item } from '../ports';
import type { GitHubIssue } from './issue';
import type { GitHubTransport } from './transport';

export const PARENT_LABEL = 'Parent issue';

export interface IssueAccess {
  transport: GitHubTransport;
  /** `/repos/<owner>/<repo>`. */
  repoPath: string;
  /** The issue as stored now (its number), not-found when it is not one of the repository's. */
  readIssue(number: string): Promise<GitHubIssue>;
  toItem(issue: GitHubIssue): Item;
}

export function gitHubHierarchy(access: IssueAccess): Hierarchy {
  const { transport, repoPath } = access;
  return {
    label: PARENT_LABEL,
    rules: {
      oneParent: true,
      nested: true,
      refusesCycles: true,
      scope: 'the repository’s issues',
    },
    parentOf: (item) => item.parent,
    refusal(child, parent) {
      if (parent && parent.id === child.id) return 'An issue cannot be its own parent issue';
      return undefined;
    },
    async setParent(childId, parentId) {
      const child = await access.readIssue(childId);
      const current = access.toItem(child).parent;
      if (current === parentId) return access.toItem(child);
      if (parentId === undefined) {
        await transport.write(
          z.unknown(),
          'DELETE',
          `${repoPath}/issues/${current}/sub_issue`,
          { sub_issue_id: child.id },
          `Remove #${childId} from the sub-issues of #${current}`,
        );
      } else {
        // `replace_parent` moves it from its old parent in the same call.
        await transport.write(
          z.unknown(),
          'POST',
          `${repoPath}/issues/${encodeURIComponent(parentId)}/sub_issues`,
          { sub_issue_id: child.id, replace_parent: true },
          `Make #${childId} a sub-issue of #${parentId}`,
        );
      }
      // The write went to the parent's list: the child's own kept answer is stale.
      transport.forget(`${repoPath}/issues/${childId}`);
      return access.toItem(await access.readIssue(childId));
    },
  };
}
