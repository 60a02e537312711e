/**
 * What the issue panel may offer the caller: everyone who can browse the issue
 * sees its sync state; Sync now, linking and unlinking need Edit issues. Asked of Jira
 * on the server; the panel only hides what the resolvers would refuse anyway.
 */
import { systemFor } from '../connectors/registry';
import { userHasIssuePermission } from '../jira/permissions';
import { connectionsForProject } from '../store/connections';
import { cannotSee, ok, requireIssuePermission } from './guards';

type Call = { payload?: unknown; context: { accountId?: string } & Record<string, unknown> };

export async function issuePanelAccessResolver({ context }: Call) {
  const caller = await requireIssuePermission(context, 'BROWSE_PROJECTS');
  if (!caller) return cannotSee;
  const [canEdit, configs] = await Promise.all([
    userHasIssuePermission(caller.accountId, caller.issueId, 'EDIT_ISSUES'),
    connectionsForProject(caller.projectId),
  ]);
  return ok({
    canEdit,
    connections: configs
      .filter((c) => c.enabled)
      .map((c) => ({
        id: c.id,
        name: c.name,
        system: systemFor(c.remote.type)?.label ?? c.remote.type,
        searchHint: systemFor(c.remote.type)?.texts.searchHint ?? 'its number or words of the title',
      })),
  });
}
