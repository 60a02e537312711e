/**
 * What the model harness needs from a remote system's simulator, so every
 * connector runs through the same model (test/model/harness.ts). Values cross
 * this boundary in the Jira terms of the demo mapping: summary text, the Jira
 * status name, the Jira priority name.
 */
import type { Sandbox } from '../../sandbox/sandbox';

export interface RemoteView {
  id: string;
  summary: string;
  /** The Jira status the remote's state maps to. */
  status: string;
  /** The Jira priority the remote's priority maps to. */
  priority: string;
  /** The item's labels or tags in the model's terms (`canonicalLabels`), where the mapping syncs them. */
  labels?: string;
  /** Who the item is assigned to, as one of the adapter's `people` ('' is nobody), where the mapping syncs assignees. */
  assignee?: string;
  comments: Array<{ text: string; internal: boolean }>;
  files: string[];
}

/** Labels the model does not own: the remote filter's tag and correlation markers, kept by whoever edits. */
export const hiddenLabel = (l: string) => l === 'model' || l.startsWith('crosswalk');
/** A label list in the model's terms: its own labels, lowercase, sorted, comma-joined. */
export const canonicalLabels = (labels: readonly string[]) =>
  [...new Set(labels.filter((l) => l && !hiddenLabel(l)).map((l) => l.toLowerCase()))].sort().join(',');

export type RemoteFault = 'rate-limit' | 'server-error' | 'timeout' | 'outage' | 'bad-credentials';

/**
 * How many requests each fault, once on, makes fail (the simulators' `times`): each may cost a retry before the world
 * is quiet again. An outage and rotated credentials last until the command that turned them on turns them off.
 */
export const FAULTED_REQUESTS = { 'rate-limit': 2, 'server-error': 2, timeout: 1 } as const;

export interface RemoteAdapter {
  name: string;
  /** The Jira project the connection pairs, and the connection's id. */
  projectKey: string;
  connectionId: string;
  /** Who works in that Jira project (a role of the demo site's users; default 'member', as in DEMO). */
  jiraRole?: 'admin' | 'project-lead' | 'member';
  /** Statuses both sides can express, and priorities. */
  statuses: readonly string[];
  priorities: readonly string[];
  /** Whether the demo mapping syncs Jira labels with the remote's tags. */
  labels?: boolean;
  /**
   * Where the model's mapping syncs assignees through the user mapping: the
   * people an item may be assigned to, by their Jira role ('' is nobody), each
   * of whom exists on both sides (matched by email or by the connection's user table).
   */
  people?: readonly string[];
  /** The remote cuts summaries at this length. */
  summaryLimit: number;
  /** Whether internal Jira comments cross (the remote has internal comments); without them, people on the remote write only public ones. */
  hasInternalComments: boolean;
  /** Pairs the project for the model (remote filter on `model` items), and holds the remote's notifications. */
  setup(sandbox: Sandbox): Promise<void>;
  /** The remote items Crosswalk created for an issue (its correlation marker). */
  remotesForIssue(issueId: string): string[];
  /**
   * The item that continues this one now: itself, unless the remote closed it
   * for good and Crosswalk continued the pair in a follow-up (Zendesk). The
   * harness compares an issue with this item. Omitted: always itself.
   */
  current?(remoteId: string): string;
  /** Whether a person can still change the item (a closed Zendesk ticket is final). Omitted: always. */
  writable?(remoteId: string): boolean;
  /** The item in Jira terms; its comments and files include those of items it continues (see `current`). */
  read(remoteId: string): RemoteView;
  /** As a person on the remote side. */
  create(summary: string): Promise<string>;
  edit(
    remoteId: string,
    change: { summary?: string; status?: string; priority?: string; labels?: string; assignee?: string },
  ): Promise<void>;
  comment(remoteId: string, text: string, internal: boolean): Promise<void>;
  attach(remoteId: string, fileName: string, bytes: Buffer): Promise<void>;
  /** As a person on the remote side, deletes the item's file of that name; absent where the remote cannot delete files (Zendesk). */
  deleteFile?(remoteId: string, fileName: string): Promise<void>;
  /** Turns a fault on (for `FAULTED_REQUESTS[kind]` requests where it counts) or off. */
  fault(kind: RemoteFault, on: boolean): Promise<void>;
  /** The remote's change notifications: delivered only when the harness says. */
  notifications: {
    deliver(): Promise<void>;
    duplicateLast(): void;
    lose(): number;
  };
  /** Writes Crosswalk made on the remote so far (for the no-echo check). */
  writesByCrosswalk(): Promise<number>;
}
