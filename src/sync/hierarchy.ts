/**
 * An item's parent crossing both ways: Jira's parent (an epic's stories, a story's sub-tasks) ↔ the remote's own
 * relation (`Connector.hierarchy`: Azure DevOps Hierarchy links, ServiceNow parent records, Zendesk problem and
 * incident). The decision is parent-plan.ts's; this reads both sides' parents, translates them through the pairs
 * (a parent names an item, so it crosses as the item paired with it), and writes the one side that moved.
 *
 * A parent without a pair yet cannot be named on the other side: the child waits for it (store/parent-waits.ts),
 * its panel says so, and the parent's first sync wakes it, so a child that arrives first is linked once its parent
 * crosses, and never duplicated: nothing is created for a parent here, it crosses (or not) as any item does.
 */
import { SyncError } from '../connectors/errors';
import * as jira from '../connectors/jira/client';
import type { Connector, Item } from '../connectors/ports';
import type { ConnectionConfig } from '../mapping/connection-config';
import { issueForRemote, remoteForIssue, type Link } from '../store/links';
import { childrenWaitingFor, waitForParent } from '../store/parent-waits';
import { planParent, type ParentBase } from './parent-plan';
import { enqueueReconcile } from './sync-queue';

export interface ParentOutcome {
  link: Link;
  /** Why the parent did not cross this run, in people's words; absent when it did or had nothing to do. */
  problem?: string;
  wroteJira: boolean;
  /** The remote item as the parent write left it (its version moved). */
  remoteAfter?: Item;
}

/** The Jira parent's issue id in an issue's fields: '' for none, undefined when the fields do not say. */
function jiraParentOf(fields: Readonly<Record<string, unknown>>): string | undefined {
  if (!('parent' in fields)) return undefined;
  const parent = fields.parent as { id?: unknown } | null | undefined;
  return typeof parent?.id === 'string' ? parent.id : '';
}

export async function syncParent(input: {
  config: ConnectionConfig;
  connector: Connector;
  link: Link;
  issue: jira.JiraIssue;
  remote: Item;
  /** The sides known from evidence rather than read this run: their parent is not known, so it counts as unchanged. */
  known: { jira: boolean; remote: boolean };
  /** The pair started from the remote (made there, or linked by hand). */
  startFromRemote: boolean;
  systemLabel: string;
}): Promise<ParentOutcome> {
  const { config, connector, issue, remote } = input;
  let link = input.link;
  const hierarchy = connector.hierarchy;
  const direction = config.hierarchy.direction;
  if (!hierarchy || direction === 'none') return { link, wroteJira: false };
  const jiraNow = jiraParentOf(issue.fields) ?? (input.known.jira ? undefined : '');
  const remoteNow = input.known.remote ? undefined : (hierarchy.parentOf(remote) ?? '');
  const plan = planParent({
    base: link.parent,
    jira: jiraNow,
    remote: remoteNow,
    direction,
    startFrom: input.startFromRemote ? 'remote' : 'jira',
  });
  const agreed = (base: ParentBase): Link => ({ ...link, parent: base });
  if (plan.kind === 'none') return { link: plan.base ? agreed(plan.base) : link, wroteJira: false };
  try {
    if (plan.kind === 'to-remote') {
      const target = plan.jiraParent ? await remoteForIssue(config.id, plan.jiraParent) : '';
      if (target === undefined) {
        await waitForParent(config.id, { side: 'jira', id: plan.jiraParent }, issue.id);
        const key = (issue.fields.parent as { key?: string } | undefined)?.key ?? 'its parent';
        return {
          link,
          wroteJira: false,
          problem: `Its parent ${key} is not in ${input.systemLabel} yet: the ${hierarchy.label.toLowerCase()} link follows as soon as ${key} crosses (a parent this connection does not sync never does).`,
        };
      }
      if (target === (remoteNow ?? link.parent?.remote))
        return { link: agreed({ jira: plan.jiraParent, remote: target }), wroteJira: false };
      const refused = await refusalOf(connector, remote, target);
      if (refused) return { link, wroteJira: false, problem: refused };
      const after = await hierarchy.setParent(remote.id, target || undefined);
      link = agreed({ jira: plan.jiraParent, remote: target });
      return { link, wroteJira: false, remoteAfter: after };
    }
    const target = plan.remoteParent ? await issueForRemote(config.id, plan.remoteParent) : '';
    if (target === undefined) {
      await waitForParent(config.id, { side: 'remote', id: plan.remoteParent }, issue.id);
      return {
        link,
        wroteJira: false,
        problem: `Its ${hierarchy.label.toLowerCase()} in ${input.systemLabel} has no Jira issue yet: the parent follows as soon as it crosses (one this connection does not sync never does).`,
      };
    }
    if (target === (jiraNow ?? link.parent?.jira))
      return { link: agreed({ jira: target, remote: plan.remoteParent }), wroteJira: false };
    await jira.editIssue(issue.id, { parent: target ? { id: target } : null });
    return { link: agreed({ jira: target, remote: plan.remoteParent }), wroteJira: true };
  } catch (e) {
    // A parent either side refuses (a Story under a Story, a problem under an incident) stays said on the panel, and
    // the base stays as it was: the next change of either side is tried again.
    if (e instanceof SyncError && (e.kind === 'validation' || e.kind === 'not-found'))
      return { link, wroteJira: false, problem: `The parent could not be set: ${e.message}` };
    throw e;
  }
}

/** Where the remote's rules name kinds of items (Zendesk: a problem's incidents), why this parent cannot be, read first. */
async function refusalOf(connector: Connector, child: Item, parentId: string): Promise<string | undefined> {
  const hierarchy = connector.hierarchy!;
  if (!parentId) return hierarchy.refusal(child, undefined);
  if (!hierarchy.rules.parentTypes && !hierarchy.rules.childTypes) return undefined;
  const parent = await connector.getItem(parentId);
  return parent ? hierarchy.refusal(child, parent) : undefined;
}

/** A pair's first sync: the children that arrived before it and wait for it are looked at again. */
export async function wakeWaitingChildren(config: ConnectionConfig, link: Pick<Link, 'issueId' | 'remoteId'>) {
  if (config.hierarchy.direction === 'none') return;
  const children = await childrenWaitingFor(config.id, link.issueId, link.remoteId);
  if (children.length)
    await enqueueReconcile(
      children.map((issueId) => ({ item: { side: 'jira' as const, issueId }, cause: 'parent-crossed' })),
    );
}
