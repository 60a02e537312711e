/**
 * A pair adopted from what already exists starts from a baseline: both sides
 * as they are. Each mapped field's base is what each side holds now, read as
 * the reconcile reads it (sync/reconcile.ts `syncFields`), so the pair's next
 * reconcile finds neither side changed and writes nothing; where the two differ
 * they keep differing until someone changes one of them, which then crosses as
 * usual. The comments and files either side has are recorded as crossed with
 * no copy (`CrossedPair` with an empty id, as sync/hand-link.ts holds back a
 * hand link's), so none of them is copied later; those added after cross.
 *
 * Nothing is written to either side here: not the correlation marker (the item
 * is not marked), and the Jira remote link comes with the pair's first sync.
 */
import * as jira from '../connectors/jira/client';
import type { Connector, Item } from '../connectors/ports';
import type { ConnectionConfig } from '../mapping/connection-config';
import { conversionOf } from '../mapping/field-convert';
import { readJira, readRemote } from '../mapping/field-values';
import type { Link } from '../store/links';
import type { CanonicalValue } from '../sync/canonical';
import type { CrossedPair } from '../sync/crossing';
import { bodyOptionsFor } from '../sync/body-options';
import type { SidePair } from '../sync/field-decision';
import { UserMap } from '../sync/user-map';

/** Each mapped field's base: both sides' values now, where both read (a field that cannot be read has no base). */
export async function baselineOf(
  config: ConnectionConfig,
  connector: Connector,
  issue: jira.JiraIssue,
  remote: Item,
  files: readonly CrossedPair[],
): Promise<Record<string, SidePair<CanonicalValue>>> {
  const users = new UserMap(config, connector);
  const conversion = {
    ...conversionOf(config, connector.capabilities, { key: issue.key, remoteKey: remote.displayKey }),
    bodies: bodyOptionsFor(connector, files),
    ruleInputs: { jira: issue.fields, remote: remote.fields },
  };
  const base: Record<string, SidePair<CanonicalValue>> = {};
  for (const m of config.fields) {
    const j =
      m.transform === 'user' ? await users.fromJira(issue.fields[m.jira]) : readJira(m, issue.fields, conversion);
    const r = readRemote(m, remote.fields, connector.capabilities.descriptionFormat, conversion);
    if (j.ok && r.ok) base[m.jira] = { jira: j.value, remote: r.value };
  }
  return base;
}

/** Comments or files of both sides, recorded as crossed with no copy: never copied, never followed. */
export function heldAsTheyAre(jiraIds: readonly string[], remoteIds: readonly string[]): CrossedPair[] {
  return [
    ...jiraIds.map((id) => ({ jira: id, remote: '', from: 'jira' as const })),
    ...remoteIds.map((id) => ({ jira: '', remote: id, from: 'remote' as const })),
  ];
}

/** The link of an adopted pair, from both sides read now; `createLink` stores it and claims the item. */
export async function adoptedLink(
  config: ConnectionConfig,
  connector: Connector,
  issue: jira.JiraIssue,
  remote: Item,
): Promise<Omit<Link, 'generation'>> {
  const attachments = heldAsTheyAre(
    (jira.attachmentsOf(issue) ?? []).map((a) => a.id),
    (await connector.listAttachments(remote.id)).map((a) => a.id),
  );
  const comments = heldAsTheyAre(
    (await jira.listComments(issue.id)).map((c) => c.id),
    (await connector.listComments(remote.id)).map((c) => c.id),
  );
  const base = await baselineOf(config, connector, issue, remote, attachments);
  // The item's version vouches for the base only where every mapped field has one.
  const whole = config.fields.every((m) => m.jira in base);
  return {
    connectionId: config.id,
    issueId: issue.id,
    issueKey: issue.key,
    remoteId: remote.id,
    remoteKey: remote.displayKey,
    remoteUrl: remote.url,
    origin: 'linked',
    base,
    comments,
    attachments,
    remoteLinked: false,
    remoteMarked: true,
    jiraSeenAt: issue.updatedAt,
    remoteSeenAt: remote.updatedAt,
    ...(remote.version && whole ? { remoteVersion: remote.version } : {}),
    ...(connector.statusLabel(remote) ? { remoteStatus: connector.statusLabel(remote)! } : {}),
  };
}
