/**
 * What the model harness needs from a remote system's simulator, so every
 * connector runs through the same model (test/model/harness.ts). Values cross
 * this boundary in the Jira terms of the demo mapping: summary text, the Jira
 * status name, the Jira priority name.
 */
import type { Sandbox } from '../../sandbox/sandbox';
import type { AdfDoc, AdfNode } from '../../src/content/adf';
import type { BodyFormat } from '../../src/content/body-format';
import { projectionOf } from '../../src/content/rich';
import { systemFor } from '../../src/connectors/registry';

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
  /** The typed fields the adapter maps (`typed`), each in canonical form: see `TypedField`. */
  due?: string;
  count?: string;
  tier?: string;
  comments: Array<{ text: string; internal: boolean }>;
  files: string[];
}

/**
 * The descriptions people write in the model, one of each kind of rich content: a heading, marks and a nested list;
 * a table and a code block; a panel (Jira's own: a quote where the remote has none) and a link. The model names each
 * by its index (`rich0`…) and '' an empty description; a side's description is named by its projection at the
 * remote's format (`descriptionKey`), which is what the engine compares.
 */
const t = (text: string, marks: string[] = []): AdfNode => ({
  type: 'text',
  text,
  ...(marks.length ? { marks: marks.map((type) => ({ type })) } : {}),
});
const p = (...content: AdfNode[]): AdfNode => ({ type: 'paragraph', content });
const li = (...content: AdfNode[]): AdfNode => ({ type: 'listItem', content });
export const RICH_DESCRIPTIONS: readonly AdfDoc[] = [
  [
    { type: 'heading', attrs: { level: 3 }, content: [t('Steps')] },
    p(t('Fails for '), t('every', ['strong']), t(' guest')),
    {
      type: 'bulletList',
      content: [li(p(t('Open')), { type: 'bulletList', content: [li(p(t('as guest')))] }), li(p(t('Save')))],
    },
  ],
  [
    {
      type: 'table',
      content: [
        {
          type: 'tableRow',
          content: [
            { type: 'tableHeader', content: [p(t('Browser'))] },
            { type: 'tableHeader', content: [p(t('Result'))] },
          ],
        },
        {
          type: 'tableRow',
          content: [
            { type: 'tableCell', content: [p(t('Edge'))] },
            { type: 'tableCell', content: [p(t('fails'))] },
          ],
        },
      ],
    },
    { type: 'codeBlock', attrs: { language: 'sql' }, content: [t('select 1;')] },
  ],
  [
    { type: 'panel', attrs: { panelType: 'info' }, content: [p(t('Known since 2.1'))] },
    p(t('See '), {
      type: 'text',
      text: 'the notes',
      marks: [{ type: 'link', attrs: { href: 'https://example.com/n' } }],
    }),
  ],
].map((content) => ({ version: 1 as const, type: 'doc' as const, content }));

/** The body formats a registered system declares. */
export function bodyFormatsOf(kind: string): RemoteAdapter['format'] {
  const system = systemFor(kind);
  if (!system) throw new Error(`${kind} is not registered`);
  return { description: system.capabilities.descriptionFormat, comment: system.capabilities.commentFormat };
}

/** A description in the model's terms: `rich<i>` for the i-th of RICH_DESCRIPTIONS at the same projection, '' for none. */
export function descriptionKey(format: BodyFormat, doc: AdfDoc | null): string {
  const projection = projectionOf(format, doc).body;
  if (projection === '') return '';
  const i = RICH_DESCRIPTIONS.findIndex((d) => projectionOf(format, d).body === projection);
  return i >= 0 ? `rich${i}` : `other: ${projection.slice(0, 120)}`;
}

/** Labels the model does not own: the remote filter's tag and correlation markers, kept by whoever edits. */
export const hiddenLabel = (l: string) => l === 'model' || l.startsWith('crosswalk');
/** A label list in the model's terms: its own labels, lowercase, sorted, comma-joined. */
export const canonicalLabels = (labels: readonly string[]) =>
  [...new Set(labels.filter((l) => l && !hiddenLabel(l)).map((l) => l.toLowerCase()))].sort().join(',');

/**
 * The typed fields of the model, each paired with a Jira field of its kind (`JIRA_FIELD_OF`) and, where the remote
 * has one, a remote field the app types from live metadata when the connection is saved (resolvers/field-typing.ts):
 * - `due`: a date, canonical `yyyy-MM-dd` ('' for none); a remote date-time holds the day it falls on in the
 *   connection's time zone;
 * - `count`: a number, canonical as the number's own decimal text (`canonicalNumber`, '' for none);
 * - `tier`: a single option, canonical as Jira's option value ('' for none).
 */
export type TypedField = 'due' | 'count' | 'tier';
export const TYPED_FIELDS: readonly TypedField[] = ['due', 'count', 'tier'];
export const JIRA_FIELD_OF: Readonly<Record<TypedField, string>> = {
  due: 'duedate',
  count: 'customfield_10012',
  tier: 'customfield_10013',
};

/**
 * A number in the model's terms: `String(Number(raw))`, so 40, "40" and "40.0" read alike and compare as numbers;
 * '' for none. What is no number reads as itself, marked, and so differs from every number.
 */
export function canonicalNumber(raw: unknown): string {
  if (raw === null || raw === undefined || raw === '') return '';
  const n = typeof raw === 'number' ? raw : Number(String(raw).trim());
  return Number.isFinite(n) ? String(n) : `not a number: ${JSON.stringify(raw)}`;
}

const CALENDAR_DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The day an instant falls on in a time zone, `yyyy-MM-dd`, as the zone's own calendar (Intl) says. */
export function dayInZone(ms: number, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    new Date(ms),
  );
}

/**
 * The first whole hour of a day in a time zone, as an instant: what a person's date picker in that zone writes
 * into a date-time field. Found by asking the zone's calendar, hour by hour around the day, so that neither an
 * offset nor a daylight-saving change can shift it to a neighbouring day.
 */
export function dayStartInZone(day: string, timeZone: string): number {
  const utcMidnight = Date.parse(`${day}T00:00:00Z`);
  for (let h = -15; h <= 15; h++) {
    const ms = utcMidnight + h * 3_600_000;
    if (dayInZone(ms, timeZone) === day) return ms;
  }
  throw new Error(`No hour of ${day} in ${timeZone}`);
}

/**
 * A date in the model's terms: a calendar day as it is, a date-time (ISO 8601, or `yyyy-MM-dd HH:mm:ss` in UTC as
 * ServiceNow keeps one) as the day it falls on in the connection's time zone; '' for none.
 */
export function canonicalDay(raw: unknown, timeZone: string): string {
  if (raw === null || raw === undefined || raw === '') return '';
  const text = String(raw).trim();
  if (CALENDAR_DAY.test(text)) return text;
  const ms = Date.parse(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(text) ? `${text.replace(' ', 'T')}Z` : text);
  return Number.isNaN(ms) ? `not a date: ${JSON.stringify(raw)}` : dayInZone(ms, timeZone);
}

/**
 * The model's typed pairs as the settings page sends them (no kinds: the server reads them from both sides' live
 * metadata when the connection is saved), from the remote fields an adapter pairs its typed fields with.
 */
export function typedPairs(
  remoteOf: Partial<Record<TypedField, { remote: string; valueMap?: Array<{ jira: string; remote: string }> }>>,
) {
  return TYPED_FIELDS.flatMap((f) => {
    const pair = remoteOf[f];
    if (!pair) return [];
    return [{ jira: JIRA_FIELD_OF[f], ...pair, ...(pair.valueMap ? { transform: 'value-map' as const } : {}) }];
  });
}

/**
 * Fails the setup unless the saved connection typed each of the model's typed pairs (field-typing.ts): a pair left
 * untyped would cross as text, and the model would test nothing of typed fields.
 */
export function assertTyped(saved: unknown, fields: readonly TypedField[]): void {
  const config = (saved as { body?: { data?: { config?: { fields?: Array<{ jira: string; kinds?: unknown }> } } } })
    .body?.data?.config;
  const untyped = fields
    .map((f) => JIRA_FIELD_OF[f])
    .filter((jira) => !config?.fields?.find((m) => m.jira === jira)?.kinds);
  if (untyped.length) throw new Error(`The model connection left ${untyped.join(', ')} untyped`);
}

/** The Jira issue types the model works with: a Task may have an Epic as its parent. */
export type ModelType = 'Task' | 'Epic';
export const MODEL_TYPES: readonly ModelType[] = ['Task', 'Epic'];

/** The remote field a system keeps an item's type in (its registry entry's `itemTypes.field`). */
export function typeFieldOf(kind: string): string {
  const field = systemFor(kind)?.itemTypes?.field;
  if (!field) throw new Error(`${kind} declares no item type field`);
  return field;
}

/**
 * The model connection's type map and parents, as the settings page sends them: the model's two types, each with
 * no pairs or defaults of its own (the shared fields hold for both: every one of them exists on both remote types),
 * and parents both ways.
 */
export function modelConnectionTypes(types: Readonly<Record<ModelType, string>>) {
  return {
    types: MODEL_TYPES.map((jira) => ({ jira, remote: types[jira], fields: [], createDefaults: [] })),
    hierarchy: { direction: 'both' as const },
  };
}

/**
 * The model connection's type settings: the map and parents with `types`, else nothing (the connection's one type).
 * Where the type field is also the filter's marker (ServiceNow's category, Zendesk's type), the adapter's filter
 * takes the model's types with them.
 */
export function modelTypeSettings(
  types: Readonly<Record<ModelType, string>>,
  opts: { types?: boolean } | undefined,
): { types?: ReturnType<typeof modelConnectionTypes>['types']; hierarchy?: { direction: 'both' } } {
  return opts?.types ? modelConnectionTypes(types) : {};
}

/** Adds the model's issue types to the Jira project's scheme (a Jira admin's change), so issues of each can be made. */
export async function addModelIssueTypes(sandbox: Sandbox, projectKey: string): Promise<void> {
  for (const type of MODEL_TYPES) {
    const added = await fetch(`${sandbox.sims.jira.controlUrl}/projects/${projectKey}/issue-types/${type}`, {
      method: 'PUT',
    });
    if (!added.ok) throw new Error(`${projectKey} did not take ${type}: ${await added.text()}`);
  }
}

export type RemoteFault =
  | 'rate-limit'
  | 'server-error'
  | 'timeout'
  | 'outage'
  | 'bad-credentials'
  /** The remote refuses every request over its rate limit until the fault is off (an account spent by others). */
  | 'rate-limit-lasting'
  /** The remote refuses every update of an item as invalid, naming no field, until the fault is off. */
  | 'refuse-writes';

/** How many requests a lasting fault fails: all of them, until it is turned off. */
export const LASTING_FAULT = 100_000;

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
  /** The typed fields the model's mapping pairs with this remote's typed fields (see `TypedField`). */
  typed: readonly TypedField[];
  /** The connection's time zone, in which its dates meet the remote's date-times. */
  timeZone: string;
  /** The remote cuts summaries at this length. */
  summaryLimit: number;
  /** Whether internal Jira comments cross (the remote has internal comments); without them, people on the remote write only public ones. */
  hasInternalComments: boolean;
  /**
   * A choice field of the remote's item that a pair's conditional rules can set (test/e2e/conditional-rules.test.ts),
   * with the values, as the remote stores them, that the rules set: for a Bug (an Incident where the project has no
   * Bug) of Highest priority, for a Task, and otherwise (the fallback); and `other`, a value a person there chooses
   * instead. `bugHighest`, `fallback` and `other` differ from one another.
   */
  ruleChoice?: { field: string; bugHighest: string; task: string; fallback: string; other: string };
  /**
   * The field of listed values a new item starts with where no mapped field gives one (a create default:
   * test/e2e/create-defaults.test.ts), where the remote's group or area, else the first such field it lists, cannot
   * hold one (GitHub's state reason counts only beside a closing state). Omitted: that field.
   */
  createDefaultField?: string;
  /**
   * The model's two types: Jira's Task and Epic, each ↔ a type of the remote's (its `itemTypes.field`), an Epic
   * above a Task on both sides (the remote's parent relation, `hierarchy`). The connection maps these two and no
   * other, with parents crossing both ways (`modelConnectionTypes`).
   */
  modelTypes: Readonly<Record<ModelType, string>>;
  /**
   * Pairs the project for the model (remote filter on `model` items), and holds the remote's notifications. With
   * `types` (the model harness), the connection maps the model's two types and crosses parents, and the filter takes
   * the items of those types; without (the end-to-end worlds and the bench, whose figures are of one type's
   * connection), it pairs one type as before.
   */
  setup(sandbox: Sandbox, opts?: { types?: boolean }): Promise<void>;
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
  /** One of the item's fields as the remote stores it, by the remote's own field name ('' where it holds none). */
  field(remoteId: string, name: string): string;
  /** As a person on the remote side; `raw` sets more of its fields, in the remote's own names and values (its type). */
  create(summary: string, raw?: Readonly<Record<string, string>>): Promise<string>;
  /** As a person on the remote side: sets fields in the remote's own names and values. */
  setFields(remoteId: string, raw: Readonly<Record<string, string>>): Promise<void>;
  /**
   * A type map for this remote (mapping/item-types.ts): its types for Jira's Bug, Story and Task, each with a status
   * map of its own (Jira status → the remote's stored value), and a type of its that none of them pairs with.
   */
  /**
   * Parents on this remote (sync/hierarchy.ts): its types for Jira's Epic, Story and Sub-task, as deep as the system
   * nests (Zendesk's problem and incident are one level: no Sub-task), and a person's reads and moves of a parent.
   * Absent where the system has no parent relation (Freshservice): parents then stay on their own side, and a
   * connection asking for them is refused at save.
   */
  hierarchy?: {
    levels: ReadonlyArray<{ jira: 'Epic' | 'Story' | 'Sub-task'; remote: string }>;
    /** The item's parent's id, '' for none. */
    parentOf(remoteId: string): string;
    /** As a person there: gives the item this parent ('' takes it away). */
    setParent(remoteId: string, parentId: string): Promise<void>;
  };
  /** Links between peers, where the remote has them (Azure DevOps Related links): absent where it has none. */
  related?: {
    relatedOf(remoteId: string): string[];
    /** As a person there: links the item to another, or (`remove`) takes the link away. */
    link(remoteId: string, otherId: string, remove?: boolean): Promise<void>;
  };
  typeMap: {
    /** Two or three of Jira's Bug, Story and Task, as many as the remote has types for. */
    types: ReadonlyArray<{ jira: 'Bug' | 'Story' | 'Task'; remote: string; status: Readonly<Record<string, string>> }>;
    /** A type of the remote's that none of them pairs with; '' where it has no more types (Freshservice has two). */
    unmapped: string;
  };
  edit(
    remoteId: string,
    change: {
      summary?: string;
      status?: string;
      priority?: string;
      labels?: string;
      assignee?: string;
      due?: string;
      count?: string;
      tier?: string;
    },
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
  /** The formats the remote keeps its bodies in (its connector's declared capabilities). */
  format: { description: BodyFormat; comment: BodyFormat };
  /** The item's rich bodies in the remote's own format (its declared body formats), as a person there reads and writes them. */
  bodies: RemoteBodies;
}

export interface RemoteBodies {
  /** The description as the remote stores it. */
  description(remoteId: string): string;
  /** As a person on the remote: replaces the description. Absent where the remote keeps it as it was made (Zendesk). */
  setDescription?(remoteId: string, body: string): Promise<void>;
  /** As a person on the remote: a public comment written in the remote's comment format. */
  comment(remoteId: string, body: string): Promise<void>;
  /** The item's comment bodies as stored, oldest first (a Zendesk ticket's description is not among them). */
  comments(remoteId: string): string[];
  /**
   * As a person on the remote: pastes an image into the body being written, as the remote's editor does, and returns
   * the URL the body shows it by (Azure DevOps keeps it in its file store, not among the item's attachments; Zendesk
   * sends it with the next `comment`). Absent where the remote's bodies are plain text.
   */
  pasteImage?(remoteId: string, fileName: string, bytes: Buffer): Promise<string>;
  /**
   * The markup a person there writes to mention someone, and who: the model's person the connection's user table
   * pairs (`role`, a Jira role). Absent where the remote's bodies cannot name a person (mentions are then text).
   */
  mention?: { role: 'admin' | 'project-lead' | 'member'; markup: string };
}
