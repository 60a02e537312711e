/**
 * Creating the other side of a pair, once, whatever crashes in between.
 *
 * Jira → remote: the remote item carries a correlation id naming the issue; a
 * retry finds it there instead of creating a second one.
 *
 * Remote → Jira: the issue carries an indexed property naming the remote item,
 * found by search on retry. Search trails writes, so a create first records
 * that it is about to happen; a retry that finds that record but no issue waits
 * out the index's lag before it concludes the issue was never made.
 */
import { kvs } from '@forge/kvs';
import { SyncError } from '../connectors/errors';
import * as jira from '../connectors/jira/client';
import type { Connector, Item } from '../connectors/ports';
import type { ConnectionConfig } from '../mapping/connection-config';
import { readJira, readRemote, remoteFieldsOf, writeJira, writeRemote } from '../mapping/field-values';
import { createLink, issueForRemote, LinkTaken, type Link } from '../store/links';
import { addRequiredOnEnter } from './field-plan';
import { siteTag } from './site';
import { writeIsolated } from './write-isolation';
import { conversionOf } from '../mapping/field-convert';

/** `crosswalk:<site>:<connection>:<issue>`: this site's issue, through this connection (at most 92 characters). */
export const correlationIdFor = (config: Pick<ConnectionConfig, 'id'>, issueId: string) =>
  `crosswalk:${siteTag()}:${config.id}:${issueId}`;

/** The issue an item's correlation marker names, when it is this site's; `other-site` for another Crosswalk installation's item. */
export function parseCorrelationId(
  value: string | undefined,
): { connectionId: string; issueId: string } | 'other-site' | undefined {
  const m = /^crosswalk:([0-9a-f]{8}):([a-z0-9-]+):(\d+)$/.exec(value ?? '');
  if (!m) return value?.startsWith('crosswalk:') ? 'other-site' : undefined;
  return m[1] === siteTag() ? { connectionId: m[2]!, issueId: m[3]! } : 'other-site';
}

/** How long Jira's search may take to show a new issue; a retry inside it must not create a second one. */
export const SEARCH_SETTLE_MS = 60_000;

/** The remote fields a new item starts with: every mapped field Jira may write, in the remote's own values. */
export function initialRemoteFields(
  config: ConnectionConfig,
  issue: jira.JiraIssue,
  capabilities: Connector['capabilities'],
): Record<string, string> {
  const fields = issue.fields;
  const richText = capabilities.descriptionFormat;
  const c = conversionOf(config, capabilities, { key: issue.key });
  const out: Record<string, string> = {};
  // People need lookups: they follow in the first reconcile right after the create.
  for (const m of config.fields.filter(
    (f) => (f.direction === 'both' || f.direction === 'to-remote') && f.transform !== 'user',
  )) {
    const read = readJira(m, fields, c);
    if (!read.ok) continue;
    const write = writeRemote(m, read.value, richText, c);
    if (write.ok && write.value !== '') Object.assign(out, remoteFieldsOf(write));
  }
  withCreateDefaults(config, out);
  // An issue already resolved when it first syncs creates a resolved item, with what resolving requires.
  addRequiredOnEnter(config.requiredOnEnter, out, {}, issue.key);
  return out;
}

/** The connection's defaults on create, where the mapped fields leave a field empty. */
export function withCreateDefaults(config: Pick<ConnectionConfig, 'createDefaults'>, fields: Record<string, string>) {
  for (const d of config.createDefaults) if (!fields[d.field]) fields[d.field] = d.value;
  return fields;
}

export async function createRemoteFor(
  config: ConnectionConfig,
  connector: Connector,
  issue: jira.JiraIssue,
): Promise<{ link: Link; remote: Item; created: boolean }> {
  const correlationId = correlationIdFor(config, issue.id);
  let remote = await connector.findByCorrelation(correlationId);
  const created = !remote;
  remote ??= await createIsolated(initialRemoteFields(config, issue, connector.capabilities), (f) =>
    connector.createItem(f, correlationId),
  );
  try {
    const link = await createLink({
      connectionId: config.id,
      issueId: issue.id,
      issueKey: issue.key,
      remoteId: remote.id,
      remoteKey: remote.displayKey,
      remoteUrl: remote.url,
      origin: 'jira',
      base: {},
      comments: [],
      attachments: [],
      remoteLinked: false,
      remoteMarked: true,
    });
    return { link, remote, created };
  } catch (e) {
    if (e instanceof LinkTaken)
      throw new SyncError({
        system: 'crosswalk',
        kind: 'validation',
        message: `${remote.displayKey} is already linked to another issue`,
      });
    throw e;
  }
}

/**
 * A create refused for fields the target names makes the item without them (write-isolation.ts): the pair's first
 * sync right after writes each of them again, and a field refused then stays on the issue panel in the target's
 * words (refusals.ts). A refusal that names no field (a data policy, a business rule) is about the item, not a
 * field: it fails the create as it came, to be retried whole, rather than making an item of half its fields.
 */
async function createIsolated<V, T>(
  fields: Readonly<Record<string, V>>,
  create: (fields: Record<string, V>) => Promise<T>,
): Promise<T> {
  let lastRefusal: string | undefined;
  const made = await writeIsolated(
    fields,
    async (some) => {
      try {
        return await create(some);
      } catch (e) {
        if (e instanceof SyncError) lastRefusal = e.message;
        throw e;
      }
    },
    { splitUnnamed: false },
  );
  if (made.answer !== undefined) return made.answer;
  // Nothing could be left out to make it: the create fails as the target refused it.
  if (!Object.keys(fields).length) return create({});
  throw new SyncError({
    system: 'crosswalk',
    kind: 'validation',
    message: lastRefusal ?? `The create was refused: ${Object.values(made.refused).join('; ')}`,
  });
}

const markerKey = (config: ConnectionConfig, remoteId: string) => `creating:${config.id}:${remoteId}`;

/** Creates the Jira issue for a remote item and links them; undefined when another worker linked the item meanwhile. */
export async function createFromRemote(
  config: ConnectionConfig,
  connector: Connector,
  remote: Item,
): Promise<Link | undefined> {
  let issueId = await jira.issueCreatedFrom(config.jiraProjectId, remote.id);
  if (!issueId) {
    const marker = (await kvs.get(markerKey(config, remote.id))) as { at: number } | undefined;
    const age = marker ? Date.now() - marker.at : Infinity;
    if (age < SEARCH_SETTLE_MS) {
      throw new SyncError({
        system: 'jira',
        kind: 'transient',
        retryAfterMs: SEARCH_SETTLE_MS - age,
        message: `A Jira issue for ${remote.displayKey} may already exist and not be searchable yet; checking again shortly`,
      });
    }
    await kvs.set(markerKey(config, remote.id), { at: Date.now() }, { ttl: { value: 1, unit: 'DAYS' } });
    const fields: Record<string, unknown> = {};
    const c = conversionOf(config, connector.capabilities, { remoteKey: remote.displayKey });
    for (const m of config.fields.filter(
      (f) => (f.direction === 'both' || f.direction === 'to-jira') && f.jira !== 'status' && f.transform !== 'user',
    )) {
      const read = readRemote(m, remote.fields, connector.capabilities.descriptionFormat, c);
      if (!read.ok) continue;
      const write = writeJira(m, read.value, c);
      if (write.kind === 'field' && write.value !== null && write.value !== '') fields[write.field] = write.value;
    }
    fields.summary ??= remote.displayKey;
    // Its parent where that has crossed already: a sub-task cannot be made without one, and a story is made in place.
    // One not crossed yet is set by the first sync once it has (sync/hierarchy.ts).
    const remoteParent =
      config.hierarchy.direction === 'both' || config.hierarchy.direction === 'to-jira'
        ? connector.hierarchy?.parentOf(remote)
        : undefined;
    const parentIssue = remoteParent ? await issueForRemote(config.id, remoteParent) : undefined;
    if (parentIssue) fields.parent = { id: parentIssue };
    issueId = (
      await createIsolated(fields, (f) =>
        jira.createIssue(config.jiraProjectId, config.jiraIssueType, f, { remote: remote.id, connection: config.id }),
      )
    ).id;
  }
  const issue = await jira.getIssue(issueId);
  if (!issue)
    throw new SyncError({ system: 'jira', kind: 'transient', message: 'The created issue could not be read back yet' });
  try {
    return await createLink({
      connectionId: config.id,
      issueId,
      issueKey: issue.key,
      remoteId: remote.id,
      remoteKey: remote.displayKey,
      remoteUrl: remote.url,
      origin: 'remote',
      base: {},
      comments: [],
      attachments: [],
      remoteLinked: false,
      remoteMarked: false,
    });
  } catch (e) {
    if (e instanceof LinkTaken && (await issueForRemote(config.id, remote.id))) return undefined;
    throw e;
  }
}
