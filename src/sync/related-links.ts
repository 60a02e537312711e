/**
 * Jira's "relates to" links ↔ the remote's links between peers (`Connector.related`: Azure DevOps Related links),
 * where both sides have them. A link names another item, so it crosses only between two pairs of the connection:
 * the remote item paired with the issue Jira links to, and back. Like a parent (hierarchy.ts), each side's set now
 * is compared with the set both last agreed on (`Link.related`, each in its own ids), level-triggered: what one side
 * added or removed since is added or removed on the other, and a run that finds nothing new writes nothing. A link
 * to an item without a pair is that side's own and stays there. Both items of a link are pairs, so both pairs' runs
 * see it; the second finds it there already and writes nothing.
 */
import * as jira from '../connectors/jira/client';
import type { Connector, Item } from '../connectors/ports';
import type { ConnectionConfig } from '../mapping/connection-config';
import { issueForRemote, remoteForIssue, type Link } from '../store/links';

export interface RelatedBase {
  /** The Jira issues the issue relates to, by id, sorted. */
  jira: string[];
  /** The remote items the remote item relates to, by id, sorted. */
  remote: string[];
}

export interface RelatedPlan {
  /** Links one side gained or lost since they agreed, to make or undo on the other (in the side's own ids). */
  jiraAdded: string[];
  jiraRemoved: string[];
  remoteAdded: string[];
  remoteRemoved: string[];
}

const minus = (a: readonly string[], b: readonly string[]) => a.filter((x) => !b.includes(x));

/** What each side gained and lost since the base; a side not read (undefined) gained and lost nothing. */
export function planRelated(input: {
  base: RelatedBase | undefined;
  jira: readonly string[] | undefined;
  remote: readonly string[] | undefined;
}): RelatedPlan {
  const base = input.base ?? { jira: [], remote: [] };
  const jira = input.jira ?? base.jira;
  const remote = input.remote ?? base.remote;
  return {
    jiraAdded: minus(jira, base.jira),
    jiraRemoved: minus(base.jira, jira),
    remoteAdded: minus(remote, base.remote),
    remoteRemoved: minus(base.remote, remote),
  };
}

const sorted = (ids: Iterable<string>) => [...new Set(ids)].sort();

export async function syncRelated(input: {
  config: ConnectionConfig;
  connector: Connector;
  link: Link;
  issue: jira.JiraIssue;
  remote: Item;
  known: { jira: boolean; remote: boolean };
}): Promise<{ link: Link; remoteAfter?: Item }> {
  const { config, connector, issue, remote } = input;
  const related = connector.related;
  const direction = config.relatedLinks.direction;
  if (!related || direction === 'none') return { link: input.link };
  const jiraLinks =
    input.known.jira && !('issuelinks' in issue.fields) ? undefined : jira.relatedIssuesOf(issue.fields);
  const jiraNow = jiraLinks?.map((l) => l.issueId);
  const remoteNow = input.known.remote ? undefined : related.relatedOf(remote);
  const plan = planRelated({ base: input.link.related, jira: jiraNow, remote: remoteNow });
  const jiraAfter = new Set(jiraNow ?? input.link.related?.jira ?? []);
  const remoteAfter = new Set(remoteNow ?? input.link.related?.remote ?? []);
  const toRemote = direction === 'both' || direction === 'to-remote';
  const toJira = direction === 'both' || direction === 'to-jira';

  // A link has two ends, and both pairs' runs see it change: the pair of the lower issue id writes it, so two runs
  // at once never make it twice. The other end records what it sees; its side is written by that pair's run.
  const writes = (otherIssueId: string) => BigInt(issue.id) < BigInt(otherIssueId);
  // Jira's changes, as the remote items paired with the issues linked or unlinked.
  const add: string[] = [];
  const remove: string[] = [];
  if (toRemote) {
    for (const id of plan.jiraAdded) {
      const other = await remoteForIssue(config.id, id);
      if (other && !remoteAfter.has(other) && writes(id)) add.push(other);
    }
    for (const id of plan.jiraRemoved) {
      const other = await remoteForIssue(config.id, id);
      if (other && remoteAfter.has(other) && writes(id)) remove.push(other);
    }
  }
  // The remote's changes, as the issues paired with the items linked or unlinked.
  if (toJira) {
    for (const id of plan.remoteAdded) {
      const other = await issueForRemote(config.id, id);
      if (other && !jiraAfter.has(other) && !remove.includes(id) && writes(other)) {
        await jira.relateIssues(issue.id, other);
        jiraAfter.add(other);
      }
    }
    for (const id of plan.remoteRemoved) {
      const other = await issueForRemote(config.id, id);
      const linkId = other ? jiraLinks?.find((l) => l.issueId === other)?.linkId : undefined;
      if (other && linkId && !add.includes(id) && writes(other)) {
        await jira.deleteIssueLink(linkId);
        jiraAfter.delete(other);
      }
    }
  }
  let written: Item | undefined;
  if (add.length || remove.length) {
    written = await related.setRelated(remote.id, add, remove);
    for (const id of add) remoteAfter.add(id);
    for (const id of remove) remoteAfter.delete(id);
  }
  const next: RelatedBase = { jira: sorted(jiraAfter), remote: sorted(remoteAfter) };
  const same = JSON.stringify(next) === JSON.stringify(input.link.related);
  return { link: same ? input.link : { ...input.link, related: next }, ...(written ? { remoteAfter: written } : {}) };
}
