/**
 * Executing a pair's resolution plan (resolution.ts) around the reconcile's
 * writes: before them, Jira's resolution joins the remote write that resolves
 * the item (its reason, and its text where the remote has a field for it);
 * after them, the remote's resolution is told on the Jira issue, a resolution
 * the remote keeps no text for is told there in a note, and what both sides
 * hold becomes the link's snapshot.
 */
import * as jira from '../connectors/jira/client';
import type { Connector, Item } from '../connectors/ports';
import { systemFor, type ResolutionDefinition } from '../connectors/registry';
import { bodyFromText, textFromBody } from '../content/formats';
import { textToAdf } from '../content/text-to-adf';
import type { ConnectionConfig } from '../mapping/connection-config';
import { textHash } from './crossing';
import { NeedsRead } from './evidence';
import {
  jiraResolutionText,
  planResolution,
  remoteResolution,
  remoteResolutionText,
  type ResolutionPlan,
  type ResolutionSnapshot,
} from './resolution';

export interface ResolutionRun {
  plan: ResolutionPlan;
  definition: ResolutionDefinition | undefined;
  statusField: string | undefined;
  /** The note a resolution made in Jira leaves on a remote without a text field, posted after the write. */
  remoteNote?: string;
  /** Remote fields that go in one write with the status (the state, its reason and its text). */
  together: string[][];
}

/** Jira's resolution name as an issue read holds it; undefined when the read did not carry the field. */
function jiraResolutionOf(issue: jira.JiraIssue): string | null | undefined {
  if (!('resolution' in issue.fields)) return undefined;
  const r = issue.fields.resolution as { name?: unknown } | null | undefined;
  return r && typeof r.name === 'string' ? r.name : null;
}

/**
 * Plans the pair's resolution and adds Jira's to `remoteFields` (the one remote write). Throws NeedsRead where a
 * side known only from evidence could hold a resolution this run must weigh.
 */
export async function resolutionBeforeWrites(args: {
  config: ConnectionConfig;
  issue: jira.JiraIssue;
  remote: Item;
  /** Whether the remote was read in this run (not presumed from the link or shown by a notification). */
  remoteRead: boolean;
  snapshot: ResolutionSnapshot | undefined;
  remoteFields: Record<string, string>;
}): Promise<ResolutionRun> {
  const { config, issue, remote, remoteFields } = args;
  const definition = systemFor(config.remote.type)?.resolution;
  const status = config.fields.find((m) => m.jira === 'status' && m.direction !== 'none');
  const jiraNow = jiraResolutionOf(issue);
  const plan = planResolution({
    definition,
    rules: config.resolution,
    jira: jiraNow,
    remoteRaw: remote.fields,
    remoteRead: args.remoteRead,
    remoteStatus: status ? { field: status.remote, writing: remoteFields[status.remote] } : undefined,
    snapshot: args.snapshot,
  });
  const none: ResolutionRun = { plan, definition, statusField: status?.remote, together: [] };
  if (!definition || !status) return none;
  const entering = remoteFields[status.remote];
  // A remote resolved by what evidence says of its status alone: its reason and text are read before weighing them.
  if (plan.needsRemoteRead) throw new NeedsRead('remote');
  // The write that resolves the remote needs Jira's resolution, which an event's fields may not carry.
  if (jiraNow === undefined && entering !== undefined && definition.resolvedStates.includes(entering))
    throw new NeedsRead('jira');
  if (!plan.toRemote) return none;
  const by = await jira.lastChangeByName(issue.id, 'resolution', issue.recentHistory);
  const text = jiraResolutionText({ issueKey: issue.key, jiraName: plan.toRemote.jiraName, by });
  // Jira's resolution is more exact than a connection's fixed close text (requiredOnEnter): it replaces it.
  if (definition.code && plan.toRemote.code) remoteFields[definition.code.field] = plan.toRemote.code;
  if (definition.notes) remoteFields[definition.notes.field] = text.slice(0, definition.notes.maxLength);
  if (remoteFields[status.remote] === undefined) remoteFields[status.remote] = String(remote.fields[status.remote]);
  return {
    ...none,
    ...(definition.notes ? {} : { remoteNote: text }),
    together: [[status.remote, ...[definition.code?.field, definition.notes?.field].filter((f) => f !== undefined)]],
  };
}

/**
 * After the writes: the note for a remote without a resolution text, the Jira comment telling a remote resolution,
 * and the snapshot the link keeps (undefined: neither side resolved, nothing to keep).
 */
export async function resolutionAfterWrites(args: {
  run: ResolutionRun;
  config: ConnectionConfig;
  connector: Connector;
  issue: jira.JiraIssue;
  remote: Item;
  remoteAfter: Item;
  /** Whether this run moved Jira into a done status with the plan's resolution. */
  jiraResolvedAs: string | undefined;
}): Promise<ResolutionSnapshot | undefined> {
  const { run, connector, issue, remote, remoteAfter } = args;
  const { plan, definition, statusField } = run;
  if (!definition || !statusField) return orNothing(plan.snapshot);
  const remoteHolds = remoteResolution(definition, stringOf(remoteAfter.fields[statusField]), remoteAfter.fields);
  if (plan.toRemote) {
    // Told only once the remote holds the resolved state: a refused state leaves nothing to tell yet.
    if (remoteHolds === null) return orNothing({ jira: plan.snapshot.jira, remote: plan.snapshot.remote });
    if (run.remoteNote) {
      // Once: a run that wrote it and crashed before the link recorded it finds it there (the integration user's own).
      const note = run.remoteNote;
      const there = (await connector.listComments(remote.id)).some(
        (c) =>
          Boolean(connector.ownAuthorId && c.author.id === connector.ownAuthorId) &&
          textFromBody(connector.capabilities.commentFormat, c.body).trim() === note,
      );
      const visibility = connector.capabilities.commentVisibilities.includes('internal') ? 'internal' : 'public';
      if (!there)
        await connector.addComment(remote.id, {
          body: bodyFromText(connector.capabilities.commentFormat, note),
          visibility,
        });
    }
    return { jira: plan.toRemote.jiraName, remote: remoteHolds };
  }
  if (plan.toJira) {
    const text = remoteResolutionText({
      remoteLabel: systemFor(args.config.remote.type)?.label ?? args.config.remote.type,
      remoteKey: remote.displayKey,
      codeLabel: definition.code?.label,
      code: plan.toJira.code,
      notes: plan.toJira.notes,
      by: await connector.resolvedBy?.(remote),
    });
    // Internal on a service project: the remote's notes were written for its own people, not Jira's customers. Once:
    // the comment names the resolution it tells, so a run that wrote it and crashed before the link recorded it finds it.
    const marker = `resolution:${remote.id}:${textHash(`${plan.toJira.code}\n${plan.toJira.notes}`)}`;
    if (text && !(await jira.listComments(issue.id)).some((c) => c.copyOf === marker))
      await jira.addComment(issue.id, textToAdf(text), true, marker);
    return { jira: args.jiraResolvedAs ?? plan.snapshot.jira, remote: plan.snapshot.remote };
  }
  return orNothing({ jira: args.jiraResolvedAs ?? plan.snapshot.jira, remote: remoteHolds });
}

const stringOf = (v: unknown): string | undefined => (v === undefined || v === null ? undefined : String(v));
const orNothing = (s: ResolutionSnapshot): ResolutionSnapshot | undefined =>
  s.jira === null && s.remote === null ? undefined : s;
