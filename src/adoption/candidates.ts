/**
 * What adoption compares (match.ts), read from both sides of one connection:
 * the issues its JQL takes in its project, with their remote links where a
 * rule asks for them, and the remote items it may see (the sweep's
 * `listChanged` from the beginning), each read whole. Whatever is particular
 * to a system (an item's URL, its title, where it keeps a correlation) comes
 * from its connector; nothing here names one.
 *
 * Both reads are bounded, and the answer says when a bound was hit: one
 * resolver call may make at most 100 requests to the remote (Forge's egress
 * limit per invocation minute), so a large remote is read in part. Only items
 * the connection could link by hand are candidates (its remote filter or link
 * filter takes them, sync/hand-link.ts); an item Crosswalk made (its
 * correlation marker) belongs to its own pair and is counted apart. An item
 * claimed through this connection, or another of the site's reaching the same
 * remote, is linked already.
 */
import type { Connector, Item } from '../connectors/ports';
import { parseJiraTime, remoteLinkUrls, searchIssuesWithFields } from '../connectors/jira/client';
import type { ConnectionConfig } from '../mapping/connection-config';
import { listConnections } from '../store/connections';
import { issuesForRemotes, linkedIssueIds } from '../store/links';
import { parseCorrelationId } from '../sync/create';
import { handLinkable } from '../sync/hand-link';
import type { JiraCandidate, MatchRule, RemoteCandidate } from './match';

export interface CandidateBounds {
  /** Issues read at most. */
  issues: number;
  /** Pages of the remote's change list read at most. */
  remotePages: number;
  /** Remote items read whole at most. */
  remoteItems: number;
}

/**
 * Within one resolver call the remote's requests stay under Forge's 100 a minute: pages, then items, leaving room
 * for the reads of the pairs an adoption makes in the same call. The preview and the adoption read alike, so what
 * one shows the other finds.
 */
export const CANDIDATE_BOUNDS: CandidateBounds = { issues: 500, remotePages: 5, remoteItems: 50 };

export interface Candidates {
  issues: JiraCandidate[];
  items: RemoteCandidate[];
  /** The remote items as read, by id (their whole state, for the baseline of a pair made from them). */
  read: Map<string, Item>;
  /** Items Crosswalk made (their correlation marker): never adopted, they belong to their own pair. */
  madeByCrosswalk: number;
  /** Items outside the connection's filters. */
  outside: number;
  /** Which bounds were hit: more issues or items exist than were compared. */
  bounded: { issues: boolean; remote: boolean };
}

/** Remote link reads in flight at once. */
const LINK_READS_AT_ONCE = 10;

const hostOf = (config: ConnectionConfig) => new URL(config.remote.baseUrl).host.toLowerCase();

/** The connection's JQL within its project, as the bulk sync reads it, oldest first. */
export function connectionJql(config: Pick<ConnectionConfig, 'jiraProjectId' | 'jql'>): string {
  return `project = ${config.jiraProjectId}${config.jql.trim() ? ` AND (${config.jql})` : ''} ORDER BY created ASC`;
}

const jiraFieldsOf = (rules: readonly MatchRule[]) => [
  ...new Set(['summary', 'created', ...rules.flatMap((r) => (r.kind === 'jira-field' ? [r.field] : []))]),
];

/** The connection's issues, with whether each is linked already and, where a rule needs them, its remote links. */
export async function readIssues(
  config: ConnectionConfig,
  rules: readonly MatchRule[],
  siteUrl: string,
  max: number,
): Promise<{ issues: JiraCandidate[]; more: boolean }> {
  const found = await searchIssuesWithFields(connectionJql(config), jiraFieldsOf(rules), max);
  const linked = await linkedIssueIds(found.issues.map((i) => i.id));
  const needLinks = rules.some((r) => r.kind === 'jira-remote-link');
  // Remote links are one read an issue: a few at a time, so hundreds fit in a call.
  const links = new Map<string, string[]>();
  const toRead = needLinks ? found.issues.filter((i) => !linked.has(i.id)) : [];
  for (let n = 0; n < toRead.length; n += LINK_READS_AT_ONCE)
    await Promise.all(
      toRead.slice(n, n + LINK_READS_AT_ONCE).map(async (i) => links.set(i.id, await remoteLinkUrls(i.id))),
    );
  const issues: JiraCandidate[] = found.issues.map((i) => ({
    id: i.id,
    key: i.key,
    url: `${siteUrl}/browse/${i.key}`,
    summary: typeof i.fields.summary === 'string' ? i.fields.summary : '',
    created: typeof i.fields.created === 'string' ? parseJiraTime(i.fields.created) : NaN,
    fields: i.fields,
    remoteLinks: links.get(i.id) ?? [],
    linked: linked.has(i.id),
  }));
  return { issues, more: found.more };
}

/** The remote items the connection may see, read whole, each with whether it is linked already. */
export async function readItems(
  config: ConnectionConfig,
  connector: Connector,
  bounds: Pick<CandidateBounds, 'remotePages' | 'remoteItems'>,
): Promise<Omit<Candidates, 'issues' | 'bounded'> & { more: boolean }> {
  const ids = new Set<string>();
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await connector.listChanged(0, cursor);
    pages += 1;
    for (const i of page.items) ids.add(i.id);
    cursor = page.cursor;
  } while (cursor && pages < bounds.remotePages && ids.size < bounds.remoteItems);
  const more = Boolean(cursor) || ids.size > bounds.remoteItems;
  const read = new Map<string, Item>();
  let madeByCrosswalk = 0;
  let outside = 0;
  for (const id of [...ids].slice(0, bounds.remoteItems)) {
    const item = await connector.getItem(id);
    if (!item) continue;
    const madeFor = parseCorrelationId(item.correlationId);
    if (madeFor) madeByCrosswalk += 1;
    // No issue is named: only the connection's filters decide (an item made for an issue was counted above).
    else if (!handLinkable(config, item, undefined, '').ok) outside += 1;
    else read.set(id, item);
  }
  const claimed = await claimedAnywhere(config, [...read.keys()]);
  const items: RemoteCandidate[] = [...read.values()].map((item) => ({
    id: item.id,
    displayKey: item.displayKey,
    url: item.url,
    title: connector.titleOf(item) ?? '',
    created: item.createdAt ?? NaN,
    fields: item.fields,
    linked: claimed.has(item.id),
  }));
  return { items, read, madeByCrosswalk, outside, more };
}

/** Which items are claimed through this connection or another of the site's reaching the same remote. */
async function claimedAnywhere(config: ConnectionConfig, remoteIds: readonly string[]): Promise<Set<string>> {
  const others = (await listConnections()).filter(
    (c) => c.id !== config.id && c.remote.type === config.remote.type && hostOf(c) === hostOf(config),
  );
  const claimed = new Set<string>();
  for (const c of [config, ...others])
    for (const id of (await issuesForRemotes(c.id, remoteIds)).keys()) claimed.add(id);
  return claimed;
}

/** Both sides of the connection, as match.ts compares them. */
export async function readCandidates(
  config: ConnectionConfig,
  connector: Connector,
  rules: readonly MatchRule[],
  siteUrl: string,
  bounds: CandidateBounds = CANDIDATE_BOUNDS,
): Promise<Candidates> {
  const jira = await readIssues(config, rules, siteUrl, bounds.issues);
  const remote = await readItems(config, connector, bounds);
  return {
    issues: jira.issues,
    items: remote.items,
    read: remote.read,
    madeByCrosswalk: remote.madeByCrosswalk,
    outside: remote.outside,
    bounded: { issues: jira.more, remote: remote.more },
  };
}
