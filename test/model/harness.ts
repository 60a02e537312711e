/**
 * The model harness: random commands on both sides of a connection (edits of
 * every mapped kind, assignees included where the adapter maps people, and
 * typed fields where it pairs them: a date, a number, a single option;
 * comments public and internal; files added and deleted; remote-side creates;
 * several items interleaved, of two types: Tasks and Epics, a Task's parent
 * set, moved and cleared on either side) mixed with faults (429, 5xx, timeouts, an hour's
 * outage, rotated credentials, worker crashes, recycled instances) and
 * signal trouble (duplicated, reordered, delayed and lost events and
 * notifications). After the faults clear and the world is quiet, the promise
 * is checked: both sides agree under the mapping, every comment and file is
 * there exactly once on each side (none, for a deleted original; a deleted
 * copy alone), one remote item per issue and one issue
 * per remote item, each remote item of the type the map gives its issue's,
 * the hierarchy the same on both sides (or the child saying what it waits for), nothing is written in a further quiet period, and every
 * failure was visible on its issue while it lasted.
 *
 * Runs are deterministic: the platform runs one queue event at a time in a
 * fixed order, product events and remote notifications are delivered only
 * when a command says so, and time is the platform's manual clock, so a seed
 * replays the same interleaving on any machine.
 */
import { DEMO_SINKS } from '../../sandbox/sims/alert-sinks';
import { systemFor } from '../../src/connectors/registry';
import fc from 'fast-check';
import type { CrashInjection } from '../../sandbox/platform';
import type { Sandbox } from '../../sandbox/sandbox';
import { LONGEST_RETRY_WAIT_MS } from '../support/bounds';
import { workflowOf } from '../../sandbox/sims/jira/state';
import { adf, jiraClient } from '../../sandbox/sims/jira/test-client';
import type { AdfDoc } from '../../src/content/adf';
import { parseBody, renderBody } from '../../src/content/rich';
import {
  canonicalDay,
  canonicalLabels,
  canonicalNumber,
  descriptionKey,
  FAULTED_REQUESTS,
  RICH_DESCRIPTIONS,
  hiddenLabel,
  MODEL_TYPES,
  typeFieldOf,
  type ModelType,
  JIRA_FIELD_OF,
  TYPED_FIELDS,
  type RemoteAdapter,
  type RemoteFault,
  type TypedField,
} from './adapter';

type Side = 'jira' | 'remote';
type Field = 'summary' | 'status' | 'priority' | 'labels' | 'assignee' | 'description' | TypedField;
const FIELDS: readonly Field[] = [
  'summary',
  'status',
  'priority',
  'labels',
  'assignee',
  'description',
  ...TYPED_FIELDS,
];
/** The descriptions people pick from, in the model's terms (`descriptionKey`); '' is none. */
const DESCRIPTIONS = ['', ...RICH_DESCRIPTIONS.map((_, i) => `rich${i}`)];

/** Label sets people pick from (lowercase, as Zendesk keeps tags); '' is none. */
const LABEL_SETS = ['', 'alpha', 'alpha,beta', 'beta', 'beta,gamma'] as const;
/**
 * Typed values people pick from, canonical; '' is none. The days include daylight-saving changes of the model's
 * time zones (Los Angeles 14 March, Berlin 28 March, Auckland 4 April 2027), where a day's start is not its usual
 * offset from UTC; 0 is a number, not none.
 */
const TYPED_VALUES: Readonly<Record<TypedField, readonly string[]>> = {
  due: ['', '2026-12-24', '2027-03-14', '2027-03-28', '2027-04-04'],
  count: ['', '0', '3', '1200'],
  tier: ['', 'Production', 'Staging'],
};

export type Command =
  | { kind: 'createIssue'; type?: ModelType }
  | { kind: 'createRemote'; type?: ModelType }
  /**
   * A person gives a Task a parent Epic (`parent` picks among the Epics) or, with -1, takes its parent away: in Jira
   * (the issue's `parent`) or on the remote (its own relation), between items that exist on that side.
   */
  | { kind: 'parent'; side: Side; item: number; parent: number }
  | { kind: 'edit'; side: Side; item: number; field: Field; pick: number }
  | { kind: 'concurrentEdit'; item: number; field: Field; pick: number; first: Side }
  | { kind: 'comment'; side: Side; item: number; internal: boolean }
  | { kind: 'attach'; side: Side; item: number }
  | { kind: 'deleteFile'; side: Side; item: number; pick: number; afterSync: boolean }
  | { kind: 'deleteCopy'; item: number }
  | { kind: 'fault'; fault: Exclude<RemoteFault, 'rate-limit-lasting' | 'refuse-writes'> }
  /** Jira's admin renames the priority "Low", so Jira refuses a remote "Low" until the name comes back (in `quiet`). */
  | { kind: 'refuse'; item: number }
  | { kind: 'crash'; at: number }
  | { kind: 'deliver'; order: 'fifo' | 'reverse' }
  | { kind: 'duplicate' }
  | { kind: 'lose' }
  | { kind: 'advance'; minutes: number }
  | { kind: 'settle' };

const side = fc.constantFrom<Side>('jira', 'remote');
const field = fc.constantFrom<Field>(...FIELDS);
const item = fc.nat({ max: 5 });
/** Tasks as often as Epics: a run is short, and a parent command needs an Epic to have been made. */
const modelType = fc.constantFrom<ModelType>('Task', 'Epic');

export const commandArb: fc.Arbitrary<Command> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('createIssue' as const), type: modelType }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('createRemote' as const), type: modelType }) },
  {
    // Often: many find no Epic on their side yet (one made on the other side that has not crossed), and do nothing.
    weight: 7,
    arbitrary: fc.record({
      kind: fc.constant('parent' as const),
      side,
      item,
      parent: fc.integer({ min: -1, max: 5 }),
    }),
  },
  {
    weight: 5,
    arbitrary: fc.record({ kind: fc.constant('edit' as const), side, item, field, pick: fc.nat({ max: 99 }) }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('concurrentEdit' as const),
      item,
      field,
      pick: fc.nat({ max: 99 }),
      first: side,
    }),
  },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('comment' as const), side, item, internal: fc.boolean() }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('attach' as const), side, item }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('deleteFile' as const),
      side,
      item,
      pick: fc.nat({ max: 9 }),
      afterSync: fc.boolean(),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('deleteCopy' as const), item }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('fault' as const),
      fault: fc.constantFrom<Exclude<RemoteFault, 'rate-limit-lasting' | 'refuse-writes'>>(
        'rate-limit',
        'server-error',
        'timeout',
        'outage',
        'bad-credentials',
      ),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('crash' as const), at: fc.integer({ min: 1, max: 14 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('refuse' as const), item }) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('deliver' as const),
      order: fc.constantFrom<'fifo' | 'reverse'>('fifo', 'reverse'),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'duplicate' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'lose' as const }) },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('advance' as const), minutes: fc.integer({ min: 1, max: 20 }) }),
  },
  { weight: 3, arbitrary: fc.constant({ kind: 'settle' as const }) },
);

export interface RunResult {
  lost: number;
  duplicated: number;
  unconverged: number;
  echoLoops: number;
  invisibleFailures: number;
  /** Outages past the alert threshold that did not raise exactly one alert, cleared once after. */
  alertsWrong: number;
  problems: string[];
}

interface Pair {
  /** The side it was created on. */
  origin: Side;
  /** Its Jira issue type (the remote's is the one the map pairs with it). */
  type: ModelType;
  issueId?: string;
  issueKey?: string;
  remoteId?: string;
  /** Every value written to each field, in time order (the creation values first). */
  writes: Record<Field, Array<{ value: string; side: Side }>>;
  comments: Array<{ text: string; side: Side; internal: boolean; copyDeleted?: boolean }>;
  /**
   * Files as attached; `deleted` says on which side a person deleted one, and
   * `copyKept` whether its copy was on a remote that cannot delete files then
   * (Zendesk), where it stays.
   */
  files: Array<{ name: string; side: Side; deleted?: Side; copyKept?: boolean }>;
  summary0: string;
}

/** An alert id's episode: connection, condition and since, without the step. */
const episodeOf = (id: string) => id.replace(/:[^:]+$/, '');

/** Episodes whose start or reminder was received and whose clear was not. */
function openEpisodes(ids: readonly string[]): string[] {
  const cleared = new Set(ids.filter((id) => id.endsWith(':clear')).map(episodeOf));
  return [...new Set(ids.filter((id) => !id.endsWith(':clear')).map(episodeOf))].filter((e) => !cleared.has(e));
}

/** At most this many pairs a run: Tasks and the Epics above them. */
const MAX_PAIRS = 5;

/** The shared world of a harness: one sandbox, reused across runs (each run makes its own items). */
export class ModelHarness {
  private jira!: ReturnType<typeof jiraClient>;
  private run = 0;
  /** While the remote is down, its people cannot work in it either. */
  private outage = false;
  /** Jira's priority "Low" is renamed: Jira refuses "Low" from the remote (a refused write, sync/write-isolation.ts). */
  private lowRenamed = false;
  /** Requests the fault commands since the faults were last cleared told the remote to fail (some may not have yet). */
  private faultedRequests = 0;
  private crashes: CrashInjection[] = [];
  /** This run's outages whose alerts were not one start and its clear. */
  private alertProblems: string[] = [];

  constructor(
    readonly sandbox: Sandbox,
    readonly remote: RemoteAdapter,
  ) {}

  async setup(): Promise<void> {
    this.jira = this.sandbox.jiraClient();
    await this.sandbox.settle();
    await this.remote.setup(this.sandbox, { types: true });
    await this.alertToWebhook();
    this.sandbox.platform.holdProductEvents();
    this.sandbox.platform.pauseQueues();
  }

  /** The connection's alerts go to the customer's signed webhook (approved as customer-managed egress). */
  private async alertToWebhook(): Promise<void> {
    const { installationId, platform } = this.sandbox;
    platform.customerEgress(installationId).set({
      egresses: [
        {
          key: 'alerts',
          description: 'Alert receiver',
          configured: [{ domain: new URL(DEMO_SINKS.webhookUrl).hostname, type: ['FETCH_BACKEND_SIDE'] }],
        },
      ],
    });
    const project = this.sandbox.jira.site.state.projects.find((p) => p.key === this.remote.projectKey)!;
    const admin = project.roles.Administrators[0]!;
    const saved = (await platform.invokeResolver({
      installationId,
      moduleKey: 'crosswalk-settings',
      functionKey: 'saveAlertSettings',
      accountId: admin,
      payload: {
        connectionId: this.remote.connectionId,
        webhookUrl: DEMO_SINKS.webhookUrl,
        webhookSecret: DEMO_SINKS.webhookSecret,
      },
      context: { extension: { type: 'jira:projectSettingsPage', project: { id: project.id, key: project.key } } },
    })) as { body: { ok: boolean; error?: unknown } };
    if (!saved.body.ok) throw new Error(`Alerts not saved: ${JSON.stringify(saved.body.error)}`);
  }

  private async alertCheck(): Promise<void> {
    await this.sandbox.platform.runScheduledTrigger(this.sandbox.installationId, 'alert-check');
  }

  /** The signed webhook's alert ids for this connection's "unreachable" condition, each once. */
  private unreachableAlerts(): string[] {
    const prefix = `${this.remote.connectionId}:unreachable:`;
    return [
      ...new Set(
        this.sandbox.alertSinks
          .received('webhook')
          .filter((r) => r.verified && r.status < 300 && r.alertId?.startsWith(prefix))
          .map((r) => r.alertId!),
      ),
    ];
  }

  // ------------------------------------------------------------ world actions

  private async member(method: string, path: string, body?: unknown, headers?: Record<string, string>) {
    const res = await this.jira.request({ as: this.remote.jiraRole ?? 'member' }, method, path, body, headers);
    if (res.status >= 300) throw new Error(`Jira ${method} ${path} answered ${res.status}: ${res.text.slice(0, 200)}`);
    return res;
  }

  /** Releases held product events and the remote's notifications; queues stay paused until `work`. */
  private async deliver(order: 'fifo' | 'reverse' = 'fifo'): Promise<void> {
    await this.sandbox.platform.releaseProductEvents(order);
    this.sandbox.platform.holdProductEvents();
    await this.remote.notifications.deliver();
  }

  /** Runs what is queued, one event at a time, moving the clock to retries up to `maxAdvanceMs` (and no further). */
  private async work(maxAdvanceMs: number): Promise<void> {
    this.sandbox.platform.resumeQueues();
    await this.sandbox.platform.settle({ maxAdvanceMs, timeoutMs: 120_000 });
    this.sandbox.platform.pauseQueues();
  }

  /**
   * Runs what is queued until the world is quiet, and fails when it is not within the bound the retry schedules give:
   * whatever is pending runs again within one longest retry wait (the platform's backoff and a retry the engine asks
   * for are both capped at 15 minutes), and so does each failure still to come (a faulted request, an armed crash).
   * Converging only by a slower path (a retry that fails again with nothing failing it, a day of retries) fails here.
   */
  private async converge(): Promise<void> {
    const toCome = this.faultedRequests + this.crashes.filter((c) => c.armed).length;
    this.sandbox.platform.resumeQueues();
    try {
      await this.sandbox.platform.settle({ within: LONGEST_RETRY_WAIT_MS * (1 + toCome), timeoutMs: 120_000 });
    } finally {
      this.sandbox.platform.pauseQueues();
    }
  }

  private issue(id: string) {
    return this.sandbox.jira.site.state.issues.find((i) => i.id === id);
  }

  private jiraStatus(id: string): string {
    const issue = this.issue(id)!;
    return this.sandbox.jira.site.state.statuses.find((s) => s.id === issue.statusId)!.name;
  }

  /**
   * The statuses the workflow of a type has in the project (an Epic's has no "Waiting for customer"): nobody sets
   * another on an item of the type, in Jira or on the remote, where the engine could only say it cannot be reached.
   */
  private statusesOf(type: ModelType): Set<string> {
    const state = this.sandbox.jira.site.state;
    const project = state.projects.find((x) => x.key === this.remote.projectKey)!;
    const workflow = workflowOf(state, project, state.issueTypes.find((t) => t.name === type)!.id);
    const ids = new Set([workflow.initialStatus, ...workflow.transitions.flatMap((t) => [...t.from, t.to])]);
    return new Set(state.statuses.filter((x) => ids.has(x.id)).map((x) => x.name));
  }

  private async moveJira(p: Pair, target: string): Promise<void> {
    // The workflow of the issue's project and type: an Epic's may be another than a Task's.
    const issue = this.issue(p.issueId!)!;
    const state = this.sandbox.jira.site.state;
    const workflow = workflowOf(
      state,
      state.projects.find((x) => x.id === issue.projectId)!,
      issue.issueTypeId,
    );
    const statuses = state.statuses;
    const from = issue.statusId;
    const to = statuses.find((s) => s.name === target)!.id;
    // A person walks the shortest path through the workflow.
    const prev = new Map<string, { via: string; from: string }>();
    const queue = [from];
    const seen = new Set([from]);
    while (queue.length) {
      const at = queue.shift()!;
      for (const t of workflow.transitions.filter((x) => x.from.length === 0 || x.from.includes(at))) {
        if (seen.has(t.to)) continue;
        seen.add(t.to);
        prev.set(t.to, { via: t.id, from: at });
        queue.push(t.to);
      }
    }
    const path: string[] = [];
    for (let at = to; at !== from;) {
      const step = prev.get(at);
      if (!step) return;
      path.unshift(step.via);
      at = step.from;
    }
    for (const id of path)
      await this.member('POST', `/rest/api/3/issue/${p.issueKey}/transitions`, { transition: { id } });
  }

  /** Learns ids created by sync (the counterpart of a pair), without waiting. */
  private discover(p: Pair): void {
    if (p.origin === 'jira' && p.issueId && !p.remoteId) p.remoteId = this.remote.remotesForIssue(p.issueId)[0];
    if (p.origin === 'remote' && p.remoteId && !p.issueId) {
      const issue = this.sandbox.jira.site.state.issues.find(
        (i) => (i.properties['crosswalk.link'] as { remote?: string } | undefined)?.remote === p.remoteId,
      );
      if (issue) {
        p.issueId = issue.id;
        p.issueKey = issue.key;
      }
    }
  }

  /** The remote item the pair is on now (a closed item's follow-up, where the remote has them). */
  private rid(p: Pair): string | undefined {
    return p.remoteId && (this.remote.current?.(p.remoteId) ?? p.remoteId);
  }

  /** Whether the remote takes files at all (its declared capabilities): GitHub has no upload API. */
  private remoteTakesFiles(): boolean {
    return systemFor(this.remote.name)?.capabilities.attachments.upload !== false;
  }

  /** Whether a person on the remote side can change the pair's item now. */
  private remoteWritable(p: Pair): boolean {
    return Boolean(p.remoteId) && !this.outage && this.remote.writable?.(this.rid(p)!) !== false;
  }

  private valueFor(p: Pair, f: Field, pick: number, tag: string): string {
    if (f === 'summary') return `${p.summary0} ${tag}`;
    if (f === 'status') {
      const statuses = this.remote.statuses.filter((x) => this.statusesOf(p.type).has(x));
      return statuses[pick % statuses.length]!;
    }
    if (f === 'labels') return LABEL_SETS[pick % LABEL_SETS.length]!;
    if (f === 'assignee') return this.remote.people ? this.remote.people[pick % this.remote.people.length]! : '';
    if (f === 'due' || f === 'count' || f === 'tier') return TYPED_VALUES[f][pick % TYPED_VALUES[f].length]!;
    if (f === 'description') return DESCRIPTIONS[pick % DESCRIPTIONS.length]!;
    return this.remote.priorities[pick % this.remote.priorities.length]!;
  }

  /** The format the remote keeps descriptions in: both sides are compared at its projection, as the engine compares. */
  private get richFormat() {
    return this.remote.format.description;
  }

  /** The document the model's description value names (null for none). */
  private descriptionDoc(value: string): AdfDoc | null {
    return value === '' ? null : RICH_DESCRIPTIONS[Number(value.slice('rich'.length))]!;
  }

  /** A field of the remote item in the model's terms. */
  private remoteValue(remoteId: string, f: Field): string {
    if (f === 'description')
      return descriptionKey(this.richFormat, parseBody(this.richFormat, this.remote.bodies.description(remoteId)).doc);
    return this.remote.read(remoteId)[f] ?? '';
  }

  private jiraValue(issueId: string, f: Field): string {
    const issue = this.issue(issueId)!;
    if (f === 'summary') return issue.summary;
    if (f === 'description') return descriptionKey(this.richFormat, issue.description as AdfDoc | null);
    if (f === 'status') return this.jiraStatus(issueId);
    if (f === 'labels') return canonicalLabels(issue.labels);
    if (f === 'assignee') return this.personOf(issue.assigneeId);
    if (f === 'due') return canonicalDay(issue.duedate, this.remote.timeZone);
    if (f === 'count') return canonicalNumber(issue.custom[JIRA_FIELD_OF.count]);
    if (f === 'tier') {
      // Jira keeps a select's option by id; the model names it by its value.
      const id = issue.custom[JIRA_FIELD_OF.tier];
      if (id === null || id === undefined) return '';
      const def = this.sandbox.jira.site.state.fields.find((x) => x.id === JIRA_FIELD_OF.tier);
      return def?.options?.find((o) => o.id === id)?.value ?? `option ${JSON.stringify(id)}`;
    }
    return this.sandbox.jira.site.state.priorities.find((x) => x.id === issue.priorityId)?.name ?? '';
  }

  /** Whether the model's mapping syncs the field with this remote. */
  private mapped(f: Field): boolean {
    if (f === 'labels') return Boolean(this.remote.labels);
    if (f === 'assignee') return Boolean(this.remote.people);
    // A remote without priorities (GitHub issues) pairs none.
    if (f === 'priority') return this.remote.priorities.length > 0;
    if (f === 'due' || f === 'count' || f === 'tier') return this.remote.typed.includes(f);
    // A description the remote keeps as it was made (Zendesk's first comment) is no field to edit there.
    if (f === 'description') return Boolean(this.remote.bodies.setDescription);
    return true;
  }

  /** A typed value as a person enters it in Jira's REST API: a day, a number, an option by value; null for none. */
  private jiraTyped(f: TypedField, value: string): unknown {
    if (value === '') return null;
    if (f === 'count') return Number(value);
    if (f === 'tier') return { value };
    return value;
  }

  /** A Jira account as the model names people: by role ('' for nobody). */
  private personOf(accountId: string | null): string {
    if (!accountId) return '';
    return this.sandbox.jira.site.state.users.find((u) => u.accountId === accountId)?.role ?? `account ${accountId}`;
  }

  private async edit(p: Pair, s: Side, f: Field, value: string): Promise<boolean> {
    this.discover(p);
    if (!this.mapped(f)) return false;
    // Nobody in Jira picks a priority its admin renamed away.
    if (s === 'jira' && f === 'priority' && value === 'Low' && this.lowRenamed) return false;
    // Setting what a side already holds is no change at all, and no write for the model to expect.
    if (s === 'jira' && p.issueId && this.jiraValue(p.issueId, f) === value) return false;
    if (s === 'remote' && p.remoteId && !this.outage && this.remoteValue(this.rid(p)!, f) === value) return false;
    if (s === 'jira') {
      if (!p.issueKey) return false;
      if (f === 'summary') await this.member('PUT', `/rest/api/3/issue/${p.issueKey}`, { fields: { summary: value } });
      else if (f === 'description')
        await this.member('PUT', `/rest/api/3/issue/${p.issueKey}`, {
          fields: { description: this.descriptionDoc(value) },
        });
      else if (f === 'priority')
        await this.member('PUT', `/rest/api/3/issue/${p.issueKey}`, { fields: { priority: { name: value } } });
      else if (f === 'labels')
        await this.member('PUT', `/rest/api/3/issue/${p.issueKey}`, {
          fields: {
            labels: [...this.issue(p.issueId!)!.labels.filter(hiddenLabel), ...value.split(',').filter(Boolean)],
          },
        });
      else if (f === 'assignee')
        await this.member('PUT', `/rest/api/3/issue/${p.issueKey}`, {
          fields: {
            assignee: value
              ? { accountId: this.sandbox.jira.site.state.users.find((u) => u.role === value)!.accountId }
              : null,
          },
        });
      else if (f === 'due' || f === 'count' || f === 'tier')
        await this.member('PUT', `/rest/api/3/issue/${p.issueKey}`, {
          fields: { [JIRA_FIELD_OF[f]]: this.jiraTyped(f, value) },
        });
      else await this.moveJira(p, value);
    } else {
      if (!this.remoteWritable(p)) return false;
      // A person there writes the description in the remote's own format.
      if (f === 'description')
        await this.remote.bodies.setDescription!(
          this.rid(p)!,
          renderBody(this.richFormat, this.descriptionDoc(value)).body,
        );
      else await this.remote.edit(this.rid(p)!, { [f]: value });
    }
    p.writes[f].push({ value, side: s });
    return true;
  }

  async apply(pairs: Pair[], c: Command, n: number): Promise<{ invisible: string[] }> {
    const tag = `r${this.run}c${n}`;
    const pairOf = (i: number) => (pairs.length ? pairs[i % pairs.length]! : undefined);
    const invisible: string[] = [];
    switch (c.kind) {
      case 'createIssue': {
        if (pairs.length >= MAX_PAIRS) break;
        const type = c.type ?? 'Task';
        const summary = `Model ${tag}`;
        const res = await this.member('POST', '/rest/api/3/issue', {
          fields: {
            project: { key: this.remote.projectKey },
            issuetype: { name: type },
            summary,
            priority: { name: 'Medium' },
          },
        });
        const { id, key } = res.json as { id: string; key: string };
        pairs.push({
          origin: 'jira',
          type,
          issueId: id,
          issueKey: key,
          summary0: summary,
          writes: {
            summary: [{ value: summary, side: 'jira' }],
            status: [{ value: 'To Do', side: 'jira' }],
            priority: [{ value: 'Medium', side: 'jira' }],
            labels: [{ value: '', side: 'jira' }],
            assignee: [{ value: '', side: 'jira' }],
            description: [{ value: '', side: 'jira' }],
            due: [{ value: '', side: 'jira' }],
            count: [{ value: '', side: 'jira' }],
            tier: [{ value: '', side: 'jira' }],
          },
          comments: [],
          files: [],
        });
        break;
      }
      case 'createRemote': {
        if (pairs.length >= MAX_PAIRS) break;
        const type = c.type ?? 'Task';
        const summary = `Model remote ${tag}`;
        const remoteId = await this.remote.create(summary, {
          [typeFieldOf(this.remote.name)]: this.remote.modelTypes[type],
        });
        pairs.push({
          origin: 'remote',
          type,
          remoteId,
          summary0: summary,
          writes: {
            summary: [{ value: summary, side: 'remote' }],
            status: [{ value: this.remote.read(remoteId).status, side: 'remote' }],
            priority: [{ value: 'Medium', side: 'remote' }],
            labels: [{ value: '', side: 'remote' }],
            assignee: [{ value: '', side: 'remote' }],
            // What the person wrote when they made it (a remote may require a description: Freshservice).
            description: [{ value: this.remoteValue(remoteId, 'description'), side: 'remote' }],
            due: [{ value: '', side: 'remote' }],
            count: [{ value: '', side: 'remote' }],
            tier: [{ value: '', side: 'remote' }],
          },
          comments: [],
          files: [],
        });
        break;
      }
      case 'parent': {
        const tasks = pairs.filter((x) => x.type === 'Task');
        const epics = pairs.filter((x) => x.type === 'Epic');
        const child = tasks[c.item % Math.max(1, tasks.length)];
        const epic = c.parent < 0 ? undefined : epics[c.parent % Math.max(1, epics.length)];
        if (!child || (c.parent >= 0 && !epic)) break;
        this.discover(child);
        if (epic) this.discover(epic);
        if (c.side === 'jira') {
          // Only what is in Jira can be a parent there.
          if (!child.issueKey || (epic && !epic.issueKey)) break;
          await this.member('PUT', `/rest/api/3/issue/${child.issueKey}`, {
            fields: { parent: epic ? { key: epic.issueKey } : null },
          });
        } else {
          if (!this.remote.hierarchy || !this.remoteWritable(child) || (epic && !epic.remoteId)) break;
          await this.remote.hierarchy.setParent(this.rid(child)!, epic ? this.rid(epic)! : '');
        }
        break;
      }
      case 'edit': {
        const p = pairOf(c.item);
        if (p) await this.edit(p, c.side, c.field, this.valueFor(p, c.field, c.pick, tag));
        break;
      }
      case 'concurrentEdit': {
        // Both sides change the same field before either change is seen; the later one is newer.
        const p = pairOf(c.item);
        if (!p) break;
        const second: Side = c.first === 'jira' ? 'remote' : 'jira';
        await this.edit(p, c.first, c.field, this.valueFor(p, c.field, c.pick, `${tag}a`));
        await this.sandbox.platform.advanceTime(2_000);
        await this.edit(p, second, c.field, this.valueFor(p, c.field, c.pick + 1, `${tag}b`));
        break;
      }
      case 'comment': {
        const p = pairOf(c.item);
        if (!p) break;
        this.discover(p);
        // Ended by a full stop, so "says r1c1." is not found inside "says r1c12.".
        const text = `says ${tag}.`;
        if (c.side === 'jira' && p.issueKey) {
          await this.member('POST', `/rest/api/3/issue/${p.issueKey}/comment`, {
            body: adf(text),
            ...(c.internal ? { properties: [{ key: 'sd.public.comment', value: { internal: true } }] } : {}),
          });
          p.comments.push({ text, side: 'jira', internal: c.internal });
        } else if (c.side === 'remote' && this.remoteWritable(p)) {
          // Where the remote has no internal comments, people there write public ones.
          const internal = c.internal && this.remote.hasInternalComments;
          await this.remote.comment(this.rid(p)!, text, internal);
          p.comments.push({ text, side: 'remote', internal });
        }
        break;
      }
      case 'attach': {
        const p = pairOf(c.item);
        if (!p) break;
        this.discover(p);
        const name = `${tag}.log`;
        const bytes = Buffer.from(`file ${tag}\n`);
        if (c.side === 'jira' && p.issueKey) {
          const form = new FormData();
          form.append('file', new Blob([bytes], { type: 'text/plain' }), name);
          await this.member('POST', `/rest/api/3/issue/${p.issueKey}/attachments`, form, {
            'x-atlassian-token': 'no-check',
          });
          p.files.push({ name, side: 'jira' });
        } else if (c.side === 'remote' && this.remoteTakesFiles() && this.remoteWritable(p)) {
          await this.remote.attach(this.rid(p)!, name, bytes);
          p.files.push({ name, side: 'remote' });
        }
        break;
      }
      case 'deleteFile': {
        // A person deletes a file, original or copy, on either side. Where the remote cannot delete files, only Jira's go.
        // Half the time once what is pending has crossed (a copy to delete, or to delete the original of), else
        // wherever things stand; among the pairs that have files, so that a deletion has something to delete.
        if (c.afterSync) {
          await this.deliver();
          await this.converge();
        }
        const withFiles = pairs.filter((x) => x.files.some((f) => !f.deleted));
        const p = withFiles[c.item % Math.max(1, withFiles.length)];
        if (!p) break;
        this.discover(p);
        const canDelete =
          c.side === 'jira' ? Boolean(p.issueId) : this.remoteWritable(p) && Boolean(this.remote.deleteFile);
        if (!canDelete) break;
        const jiraFiles = this.issue(p.issueId ?? '')?.attachments ?? [];
        const remoteFiles = p.remoteId && !this.outage ? this.remote.read(this.rid(p)!).files : [];
        const here = (name: string) =>
          c.side === 'jira' ? jiraFiles.some((a) => a.filename === name) : remoteFiles.includes(name);
        const candidates = p.files.filter((f) => !f.deleted && here(f.name));
        const f = candidates[c.pick % Math.max(1, candidates.length)];
        if (!f) break;
        if (c.side === 'jira') {
          const a = jiraFiles.find((x) => x.filename === f.name)!;
          const res = await this.jira.request({ as: 'admin' }, 'DELETE', `/rest/api/3/attachment/${a.id}`);
          if (res.status !== 204) throw new Error(`Jira DELETE attachment answered ${res.status}`);
        } else {
          await this.remote.deleteFile!(this.rid(p)!, f.name);
        }
        f.deleted = c.side;
        // A remote that cannot delete files keeps the copy it holds now; none is made after the source is gone.
        f.copyKept =
          c.side === 'jira' && !this.remote.deleteFile && p.remoteId !== undefined && remoteFiles.includes(f.name);
        break;
      }
      case 'deleteCopy': {
        // Someone deletes, in Jira, the copy of a remote comment: it must not come back.
        const p = pairOf(c.item);
        if (!p?.issueId) break;
        const issue = this.issue(p.issueId)!;
        const copy = issue.comments.find((x) => x.properties['crosswalk.origin'] !== undefined);
        const original =
          copy &&
          p.comments.find((x) => x.side === 'remote' && !x.copyDeleted && JSON.stringify(copy.body).includes(x.text));
        if (!copy || !original) break;
        const res = await this.jira.request(
          { as: 'admin' },
          'DELETE',
          `/rest/api/3/issue/${p.issueKey}/comment/${copy.id}`,
        );
        if (res.status === 204) original.copyDeleted = true;
        break;
      }
      case 'fault': {
        await this.remote.fault(c.fault, true);
        if (c.fault !== 'outage' && c.fault !== 'bad-credentials') this.faultedRequests += FAULTED_REQUESTS[c.fault];
        this.outage = c.fault === 'outage';
        // Something to sync while the fault lasts, so the failure has an issue to show on.
        const p = pairs.find((x) => x.issueKey && x.remoteId);
        if (p) await this.edit(p, 'jira', 'summary', `${p.summary0} during ${c.fault} ${tag}`);
        await this.deliver();
        await this.work(0);
        if (p && (c.fault === 'outage' || c.fault === 'bad-credentials')) {
          // Within the platform's first retry window: a run that crashed before it could say anything is retried
          // after 5 s, and only then can the lasting fault be shown (found by the soak, seed 112649).
          await this.work(60_000);
          const shown = await this.panel(p.issueId!);
          const synced =
            this.remote.read(this.rid(p)!).summary ===
            this.issue(p.issueId!)!.summary.slice(0, this.remote.summaryLimit);
          if (!synced && !shown.lastError) invisible.push(`${c.fault} on ${p.issueKey} was not visible on the issue`);
        }
        const alertsBefore = this.unreachableAlerts().length;
        const openBefore = openEpisodes(this.unreachableAlerts());
        if (c.fault === 'outage') {
          // An hour of outage: retries keep failing and stay visible; the alert check runs as its schedule would.
          for (let i = 0; i < 4; i++) {
            await this.sandbox.platform.advanceTime(15 * 60_000);
            await this.work(0);
            await this.alertCheck();
          }
        }
        if (c.fault === 'outage' || c.fault === 'bad-credentials') await this.remote.fault(c.fault, false);
        this.outage = false;
        if (c.fault === 'outage') {
          // The remote answers again: the retries and the sweep bring the items back, and the next check clears the
          // alert. An hour with an item failing is past the threshold (30 minutes): one episode alerted during the
          // outage (started in it, or still open from a failure before it, as an earlier timeout's), at most one
          // start, and cleared once the remote answers.
          await this.sandbox.platform.advanceTime(16 * 60_000);
          await this.sandbox.platform.runScheduledTrigger(this.sandbox.installationId, 'reconcile-sweep');
          await this.drain();
          await this.alertCheck();
          const raised = this.unreachableAlerts().slice(alertsBefore);
          const starts = raised.filter((id) => id.endsWith(':start'));
          const alive = new Set([...openBefore, ...starts.map(episodeOf)]);
          const stillOpen = openEpisodes(this.unreachableAlerts());
          if (starts.length > 1 || stillOpen.length || (p && !alive.size))
            this.alertProblems.push(
              `alerts for an hour's outage: ${raised.join(', ') || 'none'}${openBefore.length ? ` (open before: ${openBefore.join(', ')})` : ''} (one episode alerted and cleared expected)`,
            );
        }
        break;
      }
      case 'refuse': {
        this.renameLow(true);
        // A remote person sets the priority Jira no longer has: the rest crosses, the priority waits, visibly.
        const p = pairOf(c.item);
        if (!p) break;
        this.discover(p);
        if (!p.issueId || !p.remoteId) break;
        if (!(await this.edit(p, 'remote', 'summary', `${p.summary0} refused ${tag}`))) break;
        if (!(await this.edit(p, 'remote', 'priority', 'Low'))) break;
        await this.deliver();
        await this.work(0);
        const shown = await this.panel(p.issueId);
        const refusedShown = shown.problems.some((x) => x.part === 'priority' && x.kind === 'refused');
        const summarySynced = this.issue(p.issueId)!.summary === `${p.summary0} refused ${tag}`;
        // Unless a crash or a fault left the run unfinished (then the sweep finishes it), both must hold.
        if (!this.crashes.length && !this.faultedRequests && (!refusedShown || !summarySynced))
          invisible.push(
            `refused priority on ${p.issueKey}: ${refusedShown ? '' : 'not shown on the panel; '}${summarySynced ? '' : 'the rest of the change did not cross'}`,
          );
        break;
      }
      case 'crash':
        this.crashes.push(
          this.sandbox.platform.injectCrash({ functionKey: 'sync-worker', atOutboundCall: c.at, times: 1 }),
        );
        break;
      case 'deliver':
        await this.deliver(c.order);
        break;
      case 'duplicate': {
        const last = this.sandbox.jira.site.events.filter((e) => !e.selfGenerated).at(-1);
        if (last) this.sandbox.platform.deliverProductEvent(this.sandbox.installationId, last);
        this.remote.notifications.duplicateLast();
        break;
      }
      case 'lose':
        this.sandbox.platform.discardHeldProductEvents();
        this.sandbox.platform.holdProductEvents();
        this.remote.notifications.lose();
        break;
      case 'advance':
        await this.sandbox.platform.advanceTime(c.minutes * 60_000);
        break;
      case 'settle':
        await this.deliver();
        await this.converge();
        break;
    }
    // Every step takes time, so "newest wins" has an answer.
    await this.sandbox.platform.advanceTime(2_000);
    return { invisible };
  }

  private async panel(issueId: string): Promise<{
    lastError: unknown;
    conflicts: Array<{ field: string; winner: string }>;
    problems: Array<{ part: string; kind: string }>;
  }> {
    const member = this.sandbox.jira.site.state.users.find((u) => u.role === (this.remote.jiraRole ?? 'member'))!;
    const project = this.sandbox.jira.site.state.projects.find((x) => x.key === this.remote.projectKey)!;
    const res = await this.sandbox.platform.invokeResolver({
      installationId: this.sandbox.installationId,
      moduleKey: 'crosswalk-panel',
      functionKey: 'getIssueSync',
      accountId: member.accountId,
      context: { extension: { issue: { id: issueId }, project: { id: project.id } } },
    });
    const data = (
      res as {
        body?: {
          data?: {
            lastError?: unknown;
            conflicts?: Array<{ field: string; winner: string }>;
            problems?: Array<{ part: string; kind: string }>;
          };
        };
      }
    ).body?.data;
    return { lastError: data?.lastError ?? null, conflicts: data?.conflicts ?? [], problems: data?.problems ?? [] };
  }

  /** Delivers and works until a round runs nothing: every echo of the last round has been looked at. */
  private async drain(): Promise<void> {
    for (let round = 0; round < 12; round++) {
      const before = this.sandbox.platform.meter.invocations().length;
      await this.deliver();
      await this.converge();
      if (this.sandbox.platform.meter.invocations().length === before) return;
    }
    throw new Error('The world does not go quiet: signals keep coming');
  }

  /** Faults cleared, everything delivered and worked off, the sweep run twice: the world is quiet. */
  /** Jira's admin renames the priority "Low" to "Minor", or back. */
  private renameLow(renamed: boolean): void {
    if (this.lowRenamed === renamed) return;
    const priority = this.sandbox.jira.site.state.priorities.find((x) => x.name === (renamed ? 'Low' : 'Minor'));
    if (priority) priority.name = renamed ? 'Minor' : 'Low';
    this.lowRenamed = renamed;
  }

  private async quiet(): Promise<void> {
    // The refusal's cause clears: the sweep tries the rested value again (sync/refusals.ts).
    this.renameLow(false);
    this.sandbox.platform.clearFaults();
    for (const f of [
      'rate-limit',
      'server-error',
      'timeout',
      'outage',
      'bad-credentials',
      'rate-limit-lasting',
      'refuse-writes',
    ] as const)
      await this.remote.fault(f, false);
    this.faultedRequests = 0;
    this.crashes = [];
    for (let sweep = 0; sweep < 2; sweep++) {
      await this.drain();
      // Failures whose retries are over rest 15 minutes before the sweep revisits them.
      await this.sandbox.platform.advanceTime(16 * 60_000);
      await this.sandbox.platform.runScheduledTrigger(this.sandbox.installationId, 'reconcile-sweep');
    }
    await this.drain();
  }

  private jiraWrites(): number {
    return this.sandbox.jira.site.events.filter((e) => e.selfGenerated).length;
  }

  /** One run: the commands, then quiet, then the checks. */
  async runOnce(commands: readonly Command[]): Promise<RunResult> {
    this.run++;
    this.alertProblems = [];
    const result: RunResult = {
      lost: 0,
      duplicated: 0,
      unconverged: 0,
      echoLoops: 0,
      invisibleFailures: 0,
      alertsWrong: 0,
      problems: [],
    };
    const pairs: Pair[] = [];
    let n = 0;
    for (const c of [{ kind: 'createIssue', type: 'Task' } as Command, ...commands]) {
      const { invisible } = await this.apply(pairs, c, n++).catch((e: unknown) => {
        // Which command the world did not converge after (or broke in) is the first thing a counterexample needs.
        if (e instanceof Error) e.message = `After command ${n - 1} ${JSON.stringify(c)}: ${e.message}`;
        throw e;
      });
      result.invisibleFailures += invisible.length;
      result.problems.push(...invisible);
    }
    result.alertsWrong = this.alertProblems.length;
    result.problems.push(...this.alertProblems.splice(0));
    await this.quiet();
    for (const p of pairs) this.discover(p);
    for (const p of pairs) if (await this.check(p, result)) await this.checkTypeAndParent(p, pairs, result);
    // A further quiet period writes nothing: no echo loop.
    const before = { remote: await this.remote.writesByCrosswalk(), jira: this.jiraWrites() };
    await this.sandbox.platform.advanceTime(6 * 60_000);
    await this.sandbox.platform.runScheduledTrigger(this.sandbox.installationId, 'reconcile-sweep');
    await this.drain();
    const after = { remote: await this.remote.writesByCrosswalk(), jira: this.jiraWrites() };
    if (after.remote !== before.remote || after.jira !== before.jira) {
      result.echoLoops++;
      result.problems.push(
        `writes in a quiet period: remote ${before.remote}→${after.remote}, Jira ${before.jira}→${after.jira}`,
      );
    }
    return result;
  }

  /** Whether the pair is one remote item and one issue (then its type and parent are checked too). */
  private async check(p: Pair, r: RunResult): Promise<boolean> {
    this.discover(p);
    const label = p.issueKey ?? p.remoteId ?? '?';
    // One remote item per issue, one issue per remote item.
    if (p.origin === 'jira') {
      const remotes = this.remote.remotesForIssue(p.issueId!);
      if (remotes.length !== 1) {
        (remotes.length ? r.duplicated++ : r.lost++, r.problems.push(`${label}: ${remotes.length} remote items`));
        return false;
      }
    } else {
      const issues = this.sandbox.jira.site.state.issues.filter(
        (i) => (i.properties['crosswalk.link'] as { remote?: string } | undefined)?.remote === p.remoteId,
      );
      if (issues.length !== 1) {
        (issues.length ? r.duplicated++ : r.lost++,
          r.problems.push(`remote ${p.remoteId}: ${issues.length} Jira issues`));
        return false;
      }
    }
    const issue = this.issue(p.issueId!)!;
    // Compared with the item the pair is on now; a closed predecessor's conversation is read with it.
    const remote = this.remote.read(this.rid(p)!);
    // Both sides in canonical form: a date as yyyy-MM-dd, a number as a number, an option by its value.
    const jiraNow = Object.fromEntries(FIELDS.map((f) => [f, this.jiraValue(issue.id, f)])) as Record<Field, string>;
    const remoteNow = Object.fromEntries(
      FIELDS.map((f) => [f, f === 'description' ? this.remoteValue(this.rid(p)!, f) : (remote[f] ?? '')]),
    ) as Record<Field, string>;
    const conflicts = (await this.panel(issue.id)).conflicts;
    for (const f of FIELDS.filter((x) => this.mapped(x))) {
      const expectedRemote = f === 'summary' ? jiraNow[f].slice(0, this.remote.summaryLimit) : jiraNow[f];
      if (remoteNow[f] !== expectedRemote) {
        r.unconverged++;
        r.problems.push(`${label} ${f}: Jira "${jiraNow[f]}" vs remote "${remoteNow[f]}"`);
        continue;
      }
      const writes = p.writes[f];
      const last = writes.at(-1)!.value;
      const written = new Set(writes.map((w) => w.value));
      // The panel names a conflict's field as Jira does: a typed field by its Jira id.
      const jiraField = f === 'due' || f === 'count' || f === 'tier' ? JIRA_FIELD_OF[f] : f;
      const conflicted = conflicts.some((c) => c.field === jiraField);
      // The value is one somebody wrote; the last write wins unless a conflict was decided (and recorded) by the policy.
      if (!written.has(jiraNow[f]) || (!conflicted && jiraNow[f] !== last)) {
        r.lost++;
        r.problems.push(
          `${label} ${f}: ended as "${jiraNow[f]}", last written "${last}"${conflicted ? ' (conflict recorded)' : ''}`,
        );
      }
    }
    const jiraTexts = issue.comments.map((c) => ({
      text: JSON.stringify(c.body),
      internal: (c.properties['sd.public.comment'] as { internal?: boolean } | undefined)?.internal === true,
    }));
    for (const c of p.comments) {
      const onJira = jiraTexts.filter((j) => j.text.includes(c.text));
      const onRemote = remote.comments.filter((x) => x.text.includes(c.text));
      const wantRemote = c.side === 'remote' || !c.internal || this.remote.hasInternalComments ? 1 : 0;
      const wantJira = c.side === 'remote' && c.copyDeleted ? 0 : 1;
      for (const [where, found, want] of [
        ['Jira', onJira, wantJira],
        ['remote', onRemote, wantRemote],
      ] as const) {
        if (found.length !== want) {
          (found.length > want ? r.duplicated++ : r.lost++,
            r.problems.push(`${label}: comment "${c.text}" ×${found.length} in ${where}, expected ${want}`));
        } else if (found.some((x) => x.internal !== c.internal)) {
          r.lost++;
          r.problems.push(`${label}: comment "${c.text}" changed visibility in ${where}`);
        }
      }
    }
    const jiraFiles = issue.attachments.map((a) => a.filename);
    for (const f of p.files) {
      for (const [where, list, here] of [
        ['Jira', jiraFiles, 'jira'],
        ['remote', remote.files, 'remote'],
      ] as const) {
        const count = list.filter((x) => x === f.name).length;
        // A deleted original takes its copy with it; a deleted copy goes alone (its original stays, and is not copied again).
        // A remote that takes no files (GitHub) keeps none of Jira's: they stay in Jira, as the issue says.
        const want =
          here === 'remote' && f.side === 'jira' && !this.remoteTakesFiles()
            ? 0
            : !f.deleted
              ? 1
              : f.deleted === here
                ? 0
                : f.deleted !== f.side
                  ? 1
                  : f.copyKept
                    ? 1
                    : 0;
        if (count !== want)
          (count > want ? r.duplicated++ : r.lost++,
            r.problems.push(
              `${label}: file ${f.name} ×${count} in ${where}, expected ${want}${f.deleted ? ` (deleted in ${f.deleted === 'jira' ? 'Jira' : 'the remote'})` : ''}`,
            ));
      }
    }
    return true;
  }

  /** The pair's issue paired with a remote item (or the item it continues in), '' for none. */
  private issuePairedWith(pairs: readonly Pair[], remoteId: string): string {
    const now = this.remote.current?.(remoteId) ?? remoteId;
    return pairs.find((x) => x.issueId && x.remoteId && this.rid(x) === now)?.issueId ?? '';
  }

  /** The remote item paired with a Jira issue, as the item is now; '' for none. */
  private remotePairedWith(pairs: readonly Pair[], issueId: string): string {
    const p = pairs.find((x) => x.issueId === issueId && x.remoteId);
    return p ? this.rid(p)! : '';
  }

  /**
   * The pair's types and parents once quiet: the issue is of the type it was made as (or the map gave it), the remote
   * item of the type the map pairs with that; and its parent on each side is the item paired with its parent on the
   * other ('' with none). A parent not paired is legitimate only while the child says, on its panel, that it waits.
   */
  private async checkTypeAndParent(p: Pair, pairs: readonly Pair[], r: RunResult): Promise<void> {
    const label = p.issueKey ?? p.remoteId ?? '?';
    const issue = this.issue(p.issueId!)!;
    const rid = this.rid(p)!;
    const jiraType = this.sandbox.jira.site.state.issueTypes.find((t) => t.id === issue.issueTypeId)?.name ?? '';
    const remoteType = this.remote.field(rid, typeFieldOf(this.remote.name));
    if (jiraType !== p.type || remoteType !== this.remote.modelTypes[p.type]) {
      r.unconverged++;
      r.problems.push(
        `${label} type: made as ${p.type}, Jira "${jiraType}", remote "${remoteType}" (the map pairs ${p.type} with "${this.remote.modelTypes[p.type]}")`,
      );
    }
    // Where the remote has no parents, a Jira parent stays in Jira: nothing to compare.
    if (!this.remote.hierarchy) return;
    const jiraParent = issue.parentId ?? '';
    const remoteParent = this.remote.hierarchy.parentOf(rid);
    const remoteNow = remoteParent && (this.remote.current?.(remoteParent) ?? remoteParent);
    const jiraParentThere = jiraParent && this.remotePairedWith(pairs, jiraParent);
    const remoteParentHere = remoteParent && this.issuePairedWith(pairs, remoteParent);
    if ((jiraParent && !jiraParentThere) || (remoteParent && !remoteParentHere)) {
      // A parent with no pair yet: the child waits for it, and says so.
      const waits = (await this.panel(issue.id)).problems.some((x) => x.part === 'parent');
      if (!waits) {
        r.invisibleFailures++;
        r.problems.push(
          `${label} parent: Jira "${jiraParent}", remote "${remoteParent}", one not paired, and the panel says nothing`,
        );
      }
      return;
    }
    if (jiraParentThere !== remoteNow) {
      r.unconverged++;
      const key = (id: string) => this.issue(id)?.key ?? id;
      r.problems.push(
        `${label} parent: Jira "${jiraParent && key(jiraParent)}" (paired with "${jiraParentThere}"), remote "${remoteNow}" (paired with "${remoteParentHere && key(remoteParentHere)}")`,
      );
    }
  }
}

export function zeroFailures(r: RunResult): boolean {
  return (
    r.lost === 0 &&
    r.duplicated === 0 &&
    r.unconverged === 0 &&
    r.echoLoops === 0 &&
    r.invisibleFailures === 0 &&
    r.alertsWrong === 0
  );
}

/**
 * A run's commands: most runs open with an Epic, made in Jira or on the remote (every run's first Task is made before
 * them, in `runOnce`), so that parent commands have one to set; runs are short, and an Epic made by chance later
 * would leave most of them without.
 */
export const commandsArb = fc
  .tuple(
    fc.constantFrom<Command[]>(
      [],
      [{ kind: 'createIssue', type: 'Epic' }],
      [{ kind: 'createIssue', type: 'Epic' }],
      [{ kind: 'createRemote', type: 'Epic' }],
      [{ kind: 'createRemote', type: 'Epic' }],
    ),
    fc.array(commandArb, { minLength: 3, maxLength: 12 }),
  )
  .map(([opening, rest]) => [...opening, ...rest]);

/** A readable line per command, for a shrunk counterexample. */
export function describeCommands(commands: readonly Command[]): string {
  return commands.map((c, i) => `${i + 1}. ${JSON.stringify(c)}`).join('\n');
}
