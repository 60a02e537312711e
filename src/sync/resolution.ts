/**
 * Resolutions both ways, as a pure plan. Jira says why an issue is done by its
 * resolution ("Won't Do"); the remote by a reason field (ServiceNow's close
 * code, Azure DevOps's resolved reason) and, where it has one, a text
 * (ServiceNow's close notes). Neither side's resolution is a mapped field: it
 * is set when the item enters a resolved state, so it crosses with the status
 * write that resolves the other side, in the same write (ServiceNow refuses a
 * Resolved incident without its code and notes).
 *
 * Level-triggered like the fields: the link keeps a snapshot of both sides'
 * resolution as last seen, and only a side that moved since crosses. What the
 * plan writes becomes the snapshot, so its own writes never come back.
 */
import type { ConnectionConfig } from '../mapping/connection-config';
import type { ResolutionDefinition } from '../connectors/registry';

/** Both sides' resolution as the link last saw them: Jira's resolution name, and the remote's code and text (null: not resolved). */
export interface ResolutionSnapshot {
  jira: string | null;
  remote: { code: string; notes: string } | null;
}

export interface ResolutionInput {
  definition: ResolutionDefinition | undefined;
  rules: ConnectionConfig['resolution'];
  /** Jira's resolution name now (null: unresolved); undefined when this run did not read it. */
  jira: string | null | undefined;
  /** The remote item's own fields as read, before this run's writes. */
  remoteRaw: Readonly<Record<string, unknown>>;
  /**
   * Whether `remoteRaw` was read in this run. A remote presumed from the link or shown by a notification holds its
   * mapped fields only: its resolution is then the snapshot's while its status stays resolved.
   */
  remoteRead: boolean;
  /** The remote's status field, and the value this run writes to it (undefined: none). */
  remoteStatus: { field: string; writing: string | undefined } | undefined;
  /** What the link recorded; undefined on a pair's first look. */
  snapshot: ResolutionSnapshot | undefined;
}

export interface ResolutionPlan {
  /** Jira's resolution goes to the remote: the reason to write, and the Jira resolution it stands for. */
  toRemote?: { code: string | undefined; jiraName: string };
  /** The remote's resolution goes to Jira: the resolution a move into done sets, and what the remote said. */
  toJira?: { jiraName: string; code: string; notes: string };
  /** The Jira resolution a move of Jira's status into done sets in this run, whoever resolved first. */
  jiraOnDone?: string;
  /** The snapshot to record when nothing crosses (a crossing's executor records what it wrote). */
  snapshot: ResolutionSnapshot;
  /** The remote entered a resolved state this run knows of only by its status: its reason and text need a read. */
  needsRemoteRead?: true;
}

const text = (v: unknown): string => (typeof v === 'string' ? v : v === null || v === undefined ? '' : String(v));

/** The remote's resolution as its fields hold it now (null when its status is not a resolved one). */
export function remoteResolution(
  definition: ResolutionDefinition,
  statusValue: string | undefined,
  raw: Readonly<Record<string, unknown>>,
): ResolutionSnapshot['remote'] {
  if (statusValue === undefined || !definition.resolvedStates.includes(statusValue)) return null;
  return {
    code: definition.code ? text(raw[definition.code.field]) : '',
    notes: definition.notes ? text(raw[definition.notes.field]) : '',
  };
}

const sameRemote = (a: ResolutionSnapshot['remote'], b: ResolutionSnapshot['remote']) =>
  a === b || (a !== null && b !== null && a.code === b.code && a.notes === b.notes);

/** The remote reason a Jira resolution goes as: the admin's pair, else the system's fallback. */
export function codeFor(
  definition: ResolutionDefinition,
  rules: ConnectionConfig['resolution'],
  jiraName: string,
): string | undefined {
  if (!definition.code) return undefined;
  return rules.codes.find((c) => c.jira.toLowerCase() === jiraName.toLowerCase())?.remote ?? definition.code.fallback;
}

/** The Jira resolution a remote reason comes back as: the first pair naming it, else Jira's "Done". */
export function jiraNameFor(rules: ConnectionConfig['resolution'], code: string): string {
  return rules.codes.find((c) => c.remote.toLowerCase() === code.toLowerCase())?.jira ?? 'Done';
}

const allows = (direction: ConnectionConfig['resolution']['direction'], to: 'jira' | 'remote') =>
  direction === 'both' || direction === `to-${to}`;

export function planResolution(input: ResolutionInput): ResolutionPlan {
  const { definition, rules, snapshot } = input;
  const statusField = input.remoteStatus?.field;
  const statusNow = statusField ? text(input.remoteRaw[statusField]) || undefined : undefined;
  const asRead = definition ? remoteResolution(definition, statusNow, input.remoteRaw) : null;
  // Not read: a status it does not show is as the link saw it, and a resolved one keeps the snapshot's reason and text.
  const remoteNow = input.remoteRead
    ? asRead
    : statusNow === undefined || asRead !== null
      ? (snapshot?.remote ?? null)
      : null;
  const jiraNow = input.jira === undefined ? (snapshot?.jira ?? null) : input.jira;
  const seen: ResolutionSnapshot = { jira: jiraNow, remote: remoteNow };
  if (!definition || rules.direction === 'none' || !input.remoteStatus) return { snapshot: seen };
  if (asRead && !input.remoteRead && !snapshot?.remote && allows(rules.direction, 'jira'))
    return { snapshot: seen, needsRemoteRead: true };

  const writing = input.remoteStatus.writing;
  const entering = writing !== undefined && definition.resolvedStates.includes(writing) && writing !== statusNow;
  const resolvedAfter = writing !== undefined ? definition.resolvedStates.includes(writing) : remoteNow !== null;
  // A pair without a snapshot has seen neither side resolved.
  const remoteMoved = !sameRemote(remoteNow, snapshot?.remote ?? null);
  const jiraMoved = input.jira !== undefined && input.jira !== (snapshot?.jira ?? null);

  // Jira's resolution goes with the write that resolves the remote, and a later change of it (one resolution to
  // another) follows while the remote's own stayed as the link saw it. A remote resolved first keeps its reason when
  // Jira then resolves too (Jira follows it), and a reason a person changed there is never overwritten.
  const resolving = entering && remoteNow === null;
  const changedInJira = remoteNow !== null && jiraMoved && (snapshot?.jira ?? null) !== null && !remoteMoved;
  if (allows(rules.direction, 'remote') && input.jira && resolvedAfter && (resolving || changedInJira))
    return { toRemote: { code: codeFor(definition, rules, input.jira), jiraName: input.jira }, snapshot: seen };

  // The remote's resolution, once it moved since the link saw it: Jira's resolution and a comment saying it.
  const jiraOnDone =
    allows(rules.direction, 'jira') && remoteNow !== null ? jiraNameFor(rules, remoteNow.code) : undefined;
  if (allows(rules.direction, 'jira') && remoteNow !== null && remoteMoved && !jiraMoved)
    return {
      toJira: { jiraName: jiraOnDone!, code: remoteNow.code, notes: remoteNow.notes },
      jiraOnDone,
      snapshot: seen,
    };
  return { ...(jiraOnDone ? { jiraOnDone } : {}), snapshot: seen };
}

/** The close notes (or internal note) a resolution made in Jira leaves on the remote. */
export function jiraResolutionText(args: { issueKey: string; jiraName: string; by: string | undefined }): string {
  return `Resolved in Jira (${args.issueKey})${args.by ? ` by ${args.by}` : ''} as ${args.jiraName}.`;
}

/** The Jira comment a resolution made in the remote leaves: who, why, and its text. */
export function remoteResolutionText(args: {
  remoteLabel: string;
  remoteKey: string;
  codeLabel: string | undefined;
  code: string;
  notes: string;
  by: string | undefined;
}): string | undefined {
  if (!args.code && !args.notes) return undefined;
  const head = `Resolved in ${args.remoteLabel} (${args.remoteKey})${args.by ? ` by ${args.by}` : ''}`;
  const why = args.code ? `${args.codeLabel ?? 'Resolution'}: ${args.code}.` : '';
  return [`${head}.`, why, args.notes.trim()].filter(Boolean).join('\n');
}
