/**
 * Reconciling one linked item (level-triggered): read both sides, decide each
 * field three ways against the snapshot, write only the differences, store the
 * new snapshot. Running it again with nothing changed writes nothing, which is
 * why duplicate, late or reordered events and our own echoes do no harm.
 */
import { connectorFor } from '../connectors/factory';
import { SyncError } from '../connectors/errors';
import * as jira from '../connectors/jira/client';
import type { Connector, Item } from '../connectors/ports';
import type { ConnectionConfig, FieldMapping } from '../mapping/connection-config';
import { readJira, readRemote, writeJira, writeRemote } from '../mapping/field-values';
import { connectionForProject, getConnection } from '../store/connections';
import { issueForRemote, linkForIssue, saveLink, updateLink, type Link } from '../store/links';
import { canonicalEqual, type CanonicalValue } from './canonical';
import { decideField, type SidePair } from './field-decision';
import { findTransitionPath } from './transition-path';
import { matchesRemoteFilter } from './remote-filter';
import { UserMap } from './user-map';
import { copiesOfDeleted, planComments, uncopiableEdits } from './comment-plan';
import { nameWithOrigin, planAttachments } from './attachment-plan';
import { adfToText } from '../content/adf-to-text';
import { textToAdf } from '../content/text-to-adf';
import type { AdfDoc } from '../content/adf';

/** What an event says changed; a sweep or a manual sync looks at everything. */
export interface ReconcileScope {
  comments: boolean;
  attachments: boolean;
}

export const FULL_SCOPE: ReconcileScope = { comments: true, attachments: true };

export function scopeForCause(cause: string): ReconcileScope {
  const everything = /created|sync-now|sweep|bulk|insert/.test(cause);
  return { comments: everything || /comment|journal/.test(cause), attachments: everything || /attachment/.test(cause) };
}

export type ReconcileOutcome =
  | { result: 'no-connection' | 'out-of-scope' | 'issue-gone' | 'unlinked-remote' }
  | { result: 'synced'; created: boolean; wroteJira: string[]; wroteRemote: string[]; conflicts: number; problems: string[]; commentsCopied: number };

export const correlationIdFor = (config: ConnectionConfig, issueId: string) => `crosswalk:${config.id}:${issueId}`;

export async function reconcileRemoteItem(connectionId: string, remoteId: string, scope: ReconcileScope = FULL_SCOPE): Promise<ReconcileOutcome> {
  const issueId = await issueForRemote(connectionId, remoteId);
  if (issueId) return reconcileIssue(issueId, scope);
  const config = await getConnection(connectionId);
  if (!config?.enabled || config.remote.type !== 'servicenow') return { result: 'no-connection' };
  const connector = await connectorFor(config);
  const remote = await connector.getItem(remoteId);
  // Items Crosswalk created from Jira carry our correlation id: their Jira side reconciles them.
  if (!remote || remote.correlationId?.startsWith('crosswalk:') || !matchesRemoteFilter(remote.fields, config.remote.filter)) return { result: 'unlinked-remote' };
  return createFromRemote(config, connector, remote);
}

/**
 * Creates the Jira issue for a remote item once: the issue carries an indexed
 * property naming the remote item, so a retry after a crash finds it by JQL
 * instead of creating a second one.
 */
async function createFromRemote(config: ConnectionConfig, connector: Connector, remote: Item): Promise<ReconcileOutcome> {
  let issueId = await jira.issueCreatedFrom(config.jiraProjectId, remote.id);
  if (!issueId) {
    const fields: Record<string, unknown> = {};
    for (const m of config.fields.filter((f) => (f.direction === 'both' || f.direction === 'to-jira') && f.jira !== 'status' && f.transform !== 'user')) {
      const read = readRemote(m, remote.fields);
      if (!read.ok) continue;
      const write = writeJira(m, read.value);
      if (write.kind === 'field' && write.value !== null && write.value !== '') fields[write.field] = write.value;
    }
    fields.summary ??= remote.displayKey;
    issueId = (await jira.createIssue(config.jiraProjectId, config.jiraIssueType, fields, { remote: remote.id, connection: config.id })).id;
  }
  const issue = await jira.getIssue(issueId);
  if (!issue) throw new SyncError({ system: 'jira', kind: 'transient', message: 'The created issue could not be read back yet' });
  const link: Link = { connectionId: config.id, issueId, issueKey: issue.key, remoteId: remote.id, remoteKey: remote.displayKey, remoteUrl: remote.url, origin: 'remote', base: {}, remoteLinked: false };
  await saveLink(link);
  // Mark the remote item too, so both sides say where it came from.
  await connector.updateItem(remote.id, { correlation_id: correlationIdFor(config, issueId) });
  return reconcileIssue(issueId, FULL_SCOPE);
}

export async function reconcileIssue(issueId: string, scope: ReconcileScope = FULL_SCOPE): Promise<ReconcileOutcome> {
  const issue = await jira.getIssue(issueId);
  if (!issue) return { result: 'issue-gone' };
  let link = await linkForIssue(issueId);
  const config = link ? await getConnection(link.connectionId) : await connectionForProject(issue.fields.project.id);
  if (!config || !config.enabled) return { result: 'no-connection' };
  const connector = await connectorFor(config);

  let remote: Item | undefined;
  let created = false;
  if (!link) {
    if (!(await jira.issueMatches(issueId, config.jiraProjectId, config.jql))) return { result: 'out-of-scope' };
    const correlationId = correlationIdFor(config, issueId);
    // A retry after a crash finds the record it already created instead of creating a second one.
    remote = await connector.findByCorrelation(correlationId);
    if (!remote) {
      remote = await connector.createItem(initialRemoteFields(config, issue.fields), correlationId);
      created = true;
    }
    link = { connectionId: config.id, issueId, issueKey: issue.key, remoteId: remote.id, remoteKey: remote.displayKey, remoteUrl: remote.url, origin: 'jira', base: {}, remoteLinked: false };
    await saveLink(link);
  } else {
    remote = await connector.getItem(link.remoteId);
    if (!remote) throw new SyncError({ system: config.remote.type, kind: 'not-found', message: `${link.remoteKey} no longer exists in ${config.remote.type}` });
  }
  let mustSave = false;
  if (!link.remoteLinked) {
    // Upserted by globalId: repeating it after a crash cannot create a second link.
    await jira.upsertRemoteLink(issueId, { globalId: globalIdFor(config, remote), url: remote.url, title: remote.displayKey, summary: config.remote.type === 'servicenow' ? `ServiceNow ${config.remote.table}` : config.remote.type });
    link = { ...link, remoteLinked: true };
    mustSave = true;
  }
  const outcome = await syncFields(config, connector, link, issue, remote, created, mustSave);
  const commentsCopied = scope.comments || created ? await syncComments(config, connector, link) : 0;
  if (scope.attachments || created) await syncAttachments(config, connector, link, issue);
  return { ...outcome, commentsCopied };
}

async function syncAttachments(config: ConnectionConfig, connector: Connector, link: Link, issue: jira.JiraIssue): Promise<void> {
  if (config.attachments.direction === 'none') return;
  const remoteFiles = await connector.listAttachments(link.remoteId);
  const { copies, skipped } = planAttachments(jira.attachmentsOf(issue), remoteFiles, config.attachments, connector.capabilities.attachments.maxBytes);
  for (const copy of copies) {
    if (copy.to === 'remote') {
      const body = await jira.downloadAttachment(copy.from.id);
      await connector.uploadAttachment(link.remoteId, { fileName: copy.from.fileName, contentType: copy.from.contentType, size: copy.from.size, body, origin: copy.origin });
    } else {
      const file = await connector.downloadAttachment(link.remoteId, copy.from.id);
      await jira.uploadAttachment(link.issueId, nameWithOrigin(copy.from.fileName, copy.origin), copy.from.contentType, file.body);
    }
  }
  if (skipped.length) {
    const stored = (await linkForIssue(link.issueId)) ?? link;
    await updateLink({ ...stored, lastError: { kind: 'validation', message: `Not copied: ${skipped.join('; ')}`, at: new Date().toISOString(), field: 'attachment' } });
  }
}

async function syncComments(config: ConnectionConfig, connector: Connector, link: Link): Promise<number> {
  if (config.comments.direction === 'none') return 0;
  const [jiraComments, remoteComments] = await Promise.all([jira.listComments(link.issueId), connector.listComments(link.remoteId)]);
  const jiraSide = jiraComments.map((c) => ({ id: c.id, text: adfToText(c.body as AdfDoc), author: c.authorName, visibility: c.internal ? ('internal' as const) : ('public' as const), edited: c.updatedAt > c.createdAt, ...(c.origin ? { origin: c.origin } : {}) }));
  const remoteSide = remoteComments.map((c) => ({ id: c.id, text: String(c.body), author: c.author.displayName, visibility: c.visibility, ...(c.origin ? { origin: c.origin } : {}) }));
  const plan = planComments(jiraSide, remoteSide, config.comments.direction, 'ServiceNow', connector.capabilities.commentVisibilities.includes('internal'));
  const notices = [
    ...uncopiableEdits(jiraSide, remoteSide, connector.capabilities.commentEdit).map((c) => `The edit to Jira comment ${c.id} was not copied: ServiceNow journal entries cannot be changed.`),
    ...copiesOfDeleted(jiraSide, remoteSide, connector.capabilities.commentDelete).map((c) => `A deleted Jira comment (${c.origin!.replace('jira-comment-', '')}) stays in ServiceNow: journal entries cannot be deleted.`),
  ];
  if (notices.length) {
    const stored = (await linkForIssue(link.issueId)) ?? link;
    const fresh = notices.filter((n) => !(stored.notices ?? []).includes(n));
    if (fresh.length) await updateLink({ ...stored, notices: [...(stored.notices ?? []), ...fresh].slice(-10) });
  }
  for (const copy of plan) {
    if (copy.to === 'remote') await connector.addComment(link.remoteId, { body: copy.text, visibility: copy.visibility, origin: copy.origin });
    else await jira.addComment(link.issueId, textToAdf(copy.text), copy.visibility === 'internal', copy.origin);
  }
  return plan.length;
}

/** The Jira remote link's globalId for a remote item: upserts and removals find it by this. */
export function globalIdFor(config: ConnectionConfig, remote: Pick<Item, 'id'>): string {
  return `crosswalk:${config.id}:${remote.id}`;
}

function initialRemoteFields(config: ConnectionConfig, fields: Readonly<Record<string, unknown>>): Record<string, string> {
  const out: Record<string, string> = {};
  // People need lookups: they follow in the first reconcile right after the create.
  for (const m of config.fields.filter((f) => (f.direction === 'both' || f.direction === 'to-remote') && f.transform !== 'user')) {
    const read = readJira(m, fields);
    if (!read.ok) continue;
    const write = writeRemote(m, read.value);
    if (write.ok && write.value !== '') out[write.field] = write.value;
  }
  return out;
}

async function syncFields(config: ConnectionConfig, connector: Connector, link: Link, issue: jira.JiraIssue, remote: Item, created: boolean, mustSave: boolean): Promise<Omit<Extract<ReconcileOutcome, { result: 'synced' }>, 'commentsCopied'>> {
  const problems: string[] = [];
  const jiraFields: Record<string, unknown> = {};
  const remoteFields: Record<string, string> = {};
  let statusTarget: string | undefined;
  const nextBase: Record<string, SidePair<CanonicalValue>> = { ...link.base };
  const pending: Array<{ m: FieldMapping; current: SidePair<CanonicalValue>; target?: 'jira' | 'remote'; value?: CanonicalValue }> = [];
  let conflicts = 0;
  const users = new UserMap(config, connector);

  for (const m of config.fields) {
    const j = m.transform === 'user' ? await users.fromJira(issue.fields[m.jira]) : readJira(m, issue.fields);
    const r = readRemote(m, remote.fields);
    if (!j.ok || !r.ok) {
      problems.push(`${m.jira} ↔ ${m.remote}: ${!j.ok ? j.reason : ''}${!r.ok ? (!j.ok ? '; ' : '') + r.reason : ''}`);
      continue;
    }
    const current = { jira: j.value, remote: r.value };
    // On the first sync after a create, the side it was created from is the source; a hand-made link follows the policy.
    const origin = created || link.origin === 'jira' ? 'jira' : link.origin === 'remote' ? 'remote' : undefined;
    const decision = decideField({ field: m.jira, direction: m.direction, policy: config.conflictPolicy, base: link.base[m.jira], current, updatedAt: { jira: issue.updatedAt, remote: remote.updatedAt }, origin });
    if (decision.action === 'none') {
      nextBase[m.jira] = current;
      continue;
    }
    if (decision.conflict) {
      conflicts++;
      link.conflicts = [...(link.conflicts ?? []).slice(-19), { field: m.jira, winner: decision.conflict.winner, reason: decision.conflict.reason, at: new Date().toISOString() }];
    }
    if (decision.target === 'remote') {
      const w = writeRemote(m, decision.value);
      if (!w.ok) {
        problems.push(`${m.jira}: ${w.reason}`);
        continue;
      }
      remoteFields[w.field] = w.value;
    } else if (m.transform === 'user') {
      const value = decision.value;
      const accountId = value === null || value === '' ? null : await users.toJira(String(value));
      if (accountId === undefined) {
        problems.push(`${m.jira}: ${config.remote.type} user ${String(value)} has no matching Jira user`);
        continue;
      }
      jiraFields[m.jira] = accountId === null ? null : { accountId };
    } else {
      const w = writeJira(m, decision.value);
      if (w.kind === 'skip') {
        problems.push(`${m.jira}: ${w.reason}`);
        continue;
      }
      if (w.kind === 'status') statusTarget = w.statusName;
      else jiraFields[w.field] = w.value;
    }
    pending.push({ m, current, target: decision.target, value: decision.value });
  }

  // A state that resolves the remote item brings the fields the remote requires with it (close code and notes).
  if (config.remote.type === 'servicenow' && remoteFields.state !== undefined && config.remote.resolution.states.includes(remoteFields.state)) {
    for (const [field, value] of Object.entries(config.remote.resolution.fields)) {
      if (!remote.fields[field]) remoteFields[field] ??= value.replace('{issueKey}', issue.key);
    }
  }
  // Write each side at most once per reconcile: one PATCH, one PUT, and the transitions a status needs.
  let remoteAfter = remote;
  if (Object.keys(remoteFields).length) remoteAfter = await connector.updateItem(remote.id, remoteFields, remote.version);
  if (Object.keys(jiraFields).length) await jira.editIssue(issue.id, jiraFields);
  if (statusTarget) await moveToStatus(issue, statusTarget);

  for (const p of pending) {
    // The new base is what each side holds after our write, so reading it back is "no change".
    const remoteNow = p.target === 'remote' ? readRemote(p.m, remoteAfter.fields) : { ok: true as const, value: p.current.remote };
    nextBase[p.m.jira] = { jira: p.target === 'jira' ? p.value! : p.current.jira, remote: remoteNow.ok ? remoteNow.value : p.current.remote };
  }
  const wroteJira = pending.filter((p) => p.target === 'jira').map((p) => p.m.jira);
  const wroteRemote = pending.filter((p) => p.target === 'remote').map((p) => p.m.remote);
  const changed = created || wroteJira.length || wroteRemote.length || problems.length || !sameBase(link.base, nextBase) || link.lastError || mustSave;
  if (changed) {
    const next: Link = { ...link, base: nextBase, lastSyncAt: new Date().toISOString() };
    delete next.lastError;
    if (problems.length) next.lastError = { kind: 'validation', message: problems.join('; '), at: new Date().toISOString() };
    await updateLink(next);
  }
  return { result: 'synced', created, wroteJira, wroteRemote, conflicts, problems };
}

function sameBase(a: Link['base'], b: Link['base']): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].every((k) => a[k] && b[k] && canonicalEqual(a[k]!.jira, b[k]!.jira) && canonicalEqual(a[k]!.remote, b[k]!.remote));
}

/** Walks Jira's transitions to a status by name, learning the workflow one status at a time. */
async function moveToStatus(issue: jira.JiraIssue, statusName: string): Promise<void> {
  const visited = new Set<string>();
  let current = (issue.fields.status as { id?: string; name?: string } | undefined)?.name ?? '';
  for (let hop = 0; hop < 10 && current.toLowerCase() !== statusName.toLowerCase(); hop++) {
    visited.add(current);
    const available = await jira.transitions(issue.id);
    const graph = available.map((t) => ({ id: t.id, name: t.name, from: [current], to: t.to.name }));
    const direct = findTransitionPath(graph, current, statusName);
    const next = direct.ok ? direct.transitions[0] : graph.find((t) => !visited.has(t.to) && !/backlog|cancel|reject/i.test(t.name)) ?? graph.find((t) => !visited.has(t.to));
    if (!next) break;
    await jira.transition(issue.id, next.id);
    current = next.to;
  }
  if (current.toLowerCase() !== statusName.toLowerCase()) {
    throw new SyncError({ system: 'jira', kind: 'validation', field: 'status', message: `No workflow transition path from "${(issue.fields.status as { name?: string }).name}" to "${statusName}"` });
  }
}
