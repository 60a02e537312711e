/**
 * What happens when a change reaches a remote item that is closed for good
 * (a write failed with `SyncError.details.closed`, e.g. a closed Zendesk
 * ticket). Generic: any system whose connector offers `followUp` continues the
 * pair in the item it makes; otherwise the closed item is reported on the link
 * and nothing is retried (retrying cannot change a final state).
 *
 * Crash-safe: the follow-up is made once (the connector finds the one it made
 * by our correlation id), and the link moves to it in one conditional
 * transaction; a crash in between repeats the failed write, which finds the
 * follow-up and moves the link then.
 */
import { conversionOf } from '../mapping/field-convert';
import type { SyncError } from '../connectors/errors';
import * as jira from '../connectors/jira/client';
import type { Connector, Item } from '../connectors/ports';
import { systemFor } from '../connectors/registry';
import type { ConnectionConfig } from '../mapping/connection-config';
import { getLink, moveLinkToRemote, updateLink, type Link } from '../store/links';
import { readJira, remoteFieldsOf, writeRemote } from '../mapping/field-values';
import { correlationIdFor, withCreateDefaults } from './create';

export type AfterClosed =
  { kind: 'moved'; link: Link; remote: Item; issue: jira.JiraIssue } | { kind: 'reported'; message: string };

export async function afterClosedRemote(
  config: ConnectionConfig,
  connector: Connector,
  issueId: string,
  error: SyncError,
): Promise<AfterClosed> {
  const link = await getLink(issueId);
  const issue = await jira.getIssue(issueId);
  if (!link || !issue) throw error;
  const label = systemFor(config.remote.type)?.label ?? config.remote.type;
  if (!connector.followUp) {
    const message = `${link.remoteKey} is closed in ${label}, which refuses changes to it; this connection reports instead of making a follow-up, so changes from Jira are not copied.`;
    const at = new Date().toISOString();
    if (link.problems?.closed?.message !== message)
      await updateLink({ ...link, problems: { ...link.problems, closed: { kind: 'validation', message, at } } });
    return { kind: 'reported', message };
  }
  // The follow-up starts from Jira's values, so the pair continues where Jira is.
  const fields = followUpFields(config, issue, connector.capabilities);
  const followUp = await connector.followUp(link.remoteId, fields, correlationIdFor(config, issueId));
  const notice = `${link.remoteKey} was closed in ${label}; changes continue in its follow-up ${followUp.displayKey}.`;
  // Jira is the source on the follow-up's first sync (origin jira, no base); its remote link is added then.
  const { closed: _closed, ...problems } = link.problems ?? {};
  const current: Link = { ...link };
  delete current.problems;
  if (Object.keys(problems).length) current.problems = problems;
  const next = await moveLinkToRemote(current, {
    remoteId: followUp.id,
    remoteKey: followUp.displayKey,
    remoteUrl: followUp.url,
    origin: 'jira',
    base: {},
    remoteLinked: false,
    remoteMarked: true,
    notices: [...(link.notices ?? []).filter((n) => n !== notice), notice].slice(-10),
  });
  return { kind: 'moved', link: next, remote: followUp, issue };
}

/** Every mapped field Jira may write, in the remote's values (people follow in the first sync, as after a create). */
function followUpFields(
  config: ConnectionConfig,
  issue: jira.JiraIssue,
  capabilities: Connector['capabilities'],
): Record<string, string> {
  const out: Record<string, string> = {};
  const c = conversionOf(config, capabilities, { key: issue.key });
  for (const m of config.fields.filter(
    (f) => (f.direction === 'both' || f.direction === 'to-remote') && f.transform !== 'user',
  )) {
    const read = readJira(m, issue.fields, c);
    const write = read.ok ? writeRemote(m, read.value, capabilities.descriptionFormat, c) : undefined;
    if (write?.ok && write.value !== '') Object.assign(out, remoteFieldsOf(write));
  }
  // A follow-up is made as a new item is: with the connection's defaults where the mapped fields give none.
  return withCreateDefaults(config, out);
}
