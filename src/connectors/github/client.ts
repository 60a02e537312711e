/**
 * GitHub Issues of one repository through the REST API (version 2022-11-28).
 * Thin by design: values stay GitHub's own (label names, assignee logins,
 * milestone and type by name, `state` with `state_reason`); mapping happens
 * elsewhere.
 *
 * How GitHub's particulars meet the contract:
 * - an issue's id is its number in the repository (`#12`, as people call it);
 * - there is no external id: the correlation marker is a hidden HTML comment
 *   in the body (issue.ts), found again by listing the newest issues, never
 *   through search, whose index lags behind a create;
 * - writes are last-write-wins (GitHub has no conditional write), so the
 *   engine reads before it writes; reads are conditional and cost nothing when
 *   unchanged (transport.ts);
 * - every comment is public: a Jira internal comment never crosses;
 * - files cannot be uploaded (GitHub has no API for it); images pasted into a
 *   body live at `github.com/user-attachments/assets/…` and are read from there.
 */
import * as z from 'zod';
import { probe } from '../access-checks';
import { SyncError } from '../errors';
import { Pages } from '../paging';
import type {
  AccessCheck,
  Attachment,
  Capabilities,
  ChangedItems,
  Comment,
  Connector,
  FoundItem,
  Hierarchy,
  Item,
  NewAttachment,
  NewComment,
  RemoteField,
  RemoteUser,
} from '../ports';
import { appAuthorizer, readAppSlug, SYSTEM, tokenAuthorizer, type AppCredentials, type Authorizer } from './auth';
import { GitHubComments } from './comments';
import { gitHubHierarchy } from './hierarchy';
import { assetFileName, downloadImage, inlineImage } from './images';
import {
  GITHUB_MAX_BODY,
  issueFields,
  issueSchema,
  issueWrite,
  MARKER_ROOM,
  parentNumberOf,
  splitMarker,
  stateLabel,
  withMarker,
  type GitHubIssue,
} from './issue';
import { mayStandForSpacedLabel, repositoryLabelNames } from './labels';
import { repositoryOf, type RepositoryRef } from './remote';
import { DEFAULT_API_URL, gitHubFailure, GitHubTransport } from './transport';

export const GITHUB_CAPABILITIES: Capabilities = {
  // GitHub has no private comments: everything is public to the repository's readers.
  commentVisibilities: ['public'],
  commentEdit: true,
  commentDelete: true,
  commentFormat: 'markdown',
  descriptionFormat: 'markdown',
  // No REST API attaches a file to an issue; images already in a body are read through `inlineFile`.
  attachments: { upload: false, delete: false },
  // The correlation marker rides in the body, so a body Crosswalk writes keeps room for it.
  // GitHub refuses a title over 256 characters.
  maxLengths: { body: GITHUB_MAX_BODY - MARKER_ROOM, comment: GITHUB_MAX_BODY, title: 256 },
  conditionalWrites: false,
  userSearch: true,
};

export type GitHubAuth = { kind: 'token'; token: string } | ({ kind: 'app' } & AppCredentials);

export interface GitHubConnection {
  /** https://github.com/<owner>/<repo>: the repository as people open it. */
  baseUrl: string;
  auth: GitHubAuth;
  /** Who Crosswalk acts as (`<app>[bot]` or the token's login): its own comments are known by it. */
  ownLogin: string;
  /** https://api.github.com unless a test points elsewhere. */
  apiUrl?: string;
  /** Injected for tests; Forge's global fetch (egress-checked) otherwise. */
  fetch?: typeof fetch;
  now?: () => number;
  timeoutMs?: number;
}

/** How many pages of the newest issues `findByCorrelation` reads: a create retried after a crash is among the newest. */
const CORRELATION_PAGES = 3;
const PER_PAGE = 100;
const DEFAULT_TIMEOUT_MS = 30_000;

const issueList = z.array(issueSchema);
const searchAnswer = z.object({ items: z.array(issueSchema) }).loose();
const milestoneList = z.array(z.object({ number: z.number(), title: z.string() }).loose());
const labelList = z.array(z.object({ name: z.string() }).loose());
const userList = z.array(z.object({ login: z.string(), name: z.string().nullable().optional() }).loose());
const issueTypeList = z.array(z.object({ name: z.string(), is_enabled: z.boolean().optional() }).loose());
export const hookSchema = z
  .object({
    id: z.number(),
    events: z.array(z.string()).default([]),
    config: z.object({ url: z.string().optional() }).loose(),
  })
  .loose();
const hookList = z.array(hookSchema);
const viewer = z.object({ login: z.string() }).loose();

const time = (iso: string | null | undefined) => (iso ? Date.parse(iso) : 0);
/** GitHub's `since` is read to the second: a time within a second reads from that second's start. */
const sinceParam = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
const isNumber = (id: string) => /^\d{1,10}$/.test(id);

function notFound(what: string): SyncError {
  return new SyncError({ system: SYSTEM, kind: 'not-found', message: `${what}: not in the repository` });
}

export class GitHubConnector implements Connector {
  readonly system = SYSTEM;
  readonly capabilities = GITHUB_CAPABILITIES;
  readonly hierarchy: Hierarchy;
  readonly repository: RepositoryRef;
  /** `/repos/<owner>/<repo>` */
  readonly repoPath: string;
  private readonly transport: GitHubTransport;
  private readonly fetchFn: typeof fetch;
  private readonly authorizer: Authorizer;
  private readonly comments: GitHubComments;
  private milestones: Promise<Map<string, number>> | undefined;
  private labels: Promise<string[]> | undefined;

  constructor(private readonly conn: GitHubConnection) {
    this.repository = repositoryOf(conn.baseUrl);
    this.repoPath = `/repos/${encodeURIComponent(this.repository.owner)}/${encodeURIComponent(this.repository.repo)}`;
    const apiUrl = (conn.apiUrl ?? DEFAULT_API_URL).replace(/\/+$/, '');
    const now = conn.now ?? Date.now;
    this.fetchFn = conn.fetch ?? ((input, init) => fetch(input, init));
    this.authorizer =
      conn.auth.kind === 'token'
        ? tokenAuthorizer(conn.auth.token)
        : appAuthorizer({
            apiUrl,
            app: conn.auth,
            fetch: this.fetchFn,
            now,
            failure: (res, text, what) => gitHubFailure(res, text, what, now()),
          });
    this.transport = new GitHubTransport({
      apiUrl,
      authorizer: this.authorizer,
      fetch: this.fetchFn,
      now,
      ...(conn.timeoutMs ? { timeoutMs: conn.timeoutMs } : {}),
    });
    this.comments = new GitHubComments(this.transport, this.repoPath);
    this.hierarchy = gitHubHierarchy({
      transport: this.transport,
      repoPath: this.repoPath,
      readIssue: (n) => this.readIssue(n),
      toItem: (i) => this.toItem(i),
    });
  }

  /** Comments Crosswalk wrote are signed with its login. */
  get ownAuthorId(): string {
    return this.conn.ownLogin;
  }

  // ---- reading issues

  private toItem(issue: GitHubIssue): Item {
    const { correlationId } = splitMarker(issue.body);
    const parent = parentNumberOf(issue.parent_issue_url, this.repository.owner, this.repository.repo);
    return {
      id: String(issue.number),
      displayKey: `#${issue.number}`,
      url: issue.html_url,
      updatedAt: time(issue.updated_at),
      createdAt: time(issue.created_at),
      version: issue.updated_at,
      fields: issueFields(issue),
      ...(correlationId ? { correlationId } : {}),
      ...(parent ? { parent } : {}),
    };
  }

  /** Whether an issue GitHub answered is one of the connection's (a transferred issue answers from its new repository). */
  private ours(issue: GitHubIssue): boolean {
    if (issue.pull_request !== undefined && issue.pull_request !== null) return false;
    if (!issue.repository_url) return true;
    return issue.repository_url.toLowerCase().endsWith(this.repoPath.toLowerCase());
  }

  /** The issue by number, as GitHub holds it now; `not-found` for a pull request or an issue moved elsewhere. */
  async readIssue(number: string): Promise<GitHubIssue> {
    const what = `Read issue #${number}`;
    if (!isNumber(number)) throw notFound(what);
    const { value } = await this.transport.read(issueSchema, `${this.repoPath}/issues/${number}`, what);
    if (!this.ours(value)) throw notFound(what);
    return value;
  }

  async getItem(id: string): Promise<Item | undefined> {
    try {
      return this.toItem(await this.readIssue(id));
    } catch (e) {
      if (e instanceof SyncError && e.kind === 'not-found') return undefined;
      throw e;
    }
  }

  findByDisplayKey(key: string): Promise<Item | undefined> {
    return this.getItem(key.trim().replace(/^#/, ''));
  }

  /** People-facing: a number is read directly; words go to GitHub's search (its index may lag a little). */
  async searchItems(text: string, limit: number): Promise<FoundItem[]> {
    const found = (i: GitHubIssue): FoundItem => {
      const item = this.toItem(i);
      const status = stateLabel(i.state, i.state_reason);
      return { ...item, title: i.title, ...(status ? { status } : {}) };
    };
    const asNumber = text.trim().replace(/^#/, '');
    if (isNumber(asNumber)) {
      try {
        return [found(await this.readIssue(asNumber))];
      } catch (e) {
        if (!(e instanceof SyncError && e.kind === 'not-found')) throw e;
      }
    }
    // The words are one quoted phrase (quotes and backslashes dropped), so they cannot add qualifiers.
    const phrase = text.replace(/["\\]/g, ' ').replace(/\s+/g, ' ').trim();
    if (!phrase) return [];
    const { owner, repo } = this.repository;
    const q = `repo:${owner}/${repo} is:issue in:title "${phrase}"`;
    const per = Math.min(Math.max(1, limit), PER_PAGE);
    const { value } = await this.transport.read(
      searchAnswer,
      `/search/issues?q=${encodeURIComponent(q)}&sort=updated&order=desc&per_page=${per}`,
      'Search issues',
    );
    return value.items
      .filter((i) => this.ours(i))
      .slice(0, per)
      .map(found);
  }

  /**
   * The issue whose body carries the marker, among the repository's newest (by creation): a create retried after
   * a crash made its issue moments ago. Search is not used: its index lags behind a create.
   */
  async findByCorrelation(correlationId: string): Promise<Item | undefined> {
    const bound = new Pages({
      system: SYSTEM,
      what: 'Find the issue Crosswalk made',
      label: 'GitHub',
      maxPages: CORRELATION_PAGES + 1,
      why: 'only the newest issues are looked at',
    });
    let url: string | undefined = `${this.repoPath}/issues?state=all&sort=created&direction=desc&per_page=${PER_PAGE}`;
    for (let page = 0; url && page < CORRELATION_PAGES; page++) {
      const { value, next }: { value: GitHubIssue[]; next?: string } = await this.transport.read(
        issueList,
        url,
        'Find the issue Crosswalk made',
      );
      const hit = value.find((i) => this.ours(i) && splitMarker(i.body).correlationId === correlationId);
      if (hit) return this.toItem(hit);
      url = bound.more(next) ? next : undefined;
    }
    return undefined;
  }

  titleOf(item: Item): string | undefined {
    return typeof item.fields.title === 'string' ? item.fields.title : undefined;
  }

  statusLabel(item: Item): string | undefined {
    return stateLabel(item.fields.state, item.fields.state_reason);
  }

  /** Issues changed at or after `since`, oldest first; pull requests (which the listing holds too) are skipped. */
  async listChanged(since: number, cursor?: string): Promise<ChangedItems> {
    const url =
      cursor ??
      `${this.repoPath}/issues?state=all&sort=updated&direction=asc&since=${sinceParam(since)}&per_page=${PER_PAGE}`;
    const { value, next } = await this.transport.read(issueList, url, 'List changed issues');
    return {
      items: value.filter((i) => this.ours(i)).map((i) => ({ id: String(i.number), updatedAt: time(i.updated_at) })),
      ...(next ? { cursor: next } : {}),
    };
  }

  // ---- writing issues

  /** Milestone titles to numbers (open and closed), read once per connector. */
  private milestoneNumbers(): Promise<Map<string, number>> {
    this.milestones ??= (async () => {
      const { value } = await this.transport.read(
        milestoneList,
        `${this.repoPath}/milestones?state=all&per_page=${PER_PAGE}`,
        'Read milestones',
      );
      return new Map(value.map((m) => [m.title, m.number]));
    })().catch((e: unknown) => {
      this.milestones = undefined;
      throw e;
    });
    return this.milestones;
  }

  /** The write's body from mapped fields: the milestone by number, the body with its marker. */
  private async requestBody(
    fields: Readonly<Record<string, unknown>>,
    correlationId: string | undefined,
  ): Promise<Record<string, unknown>> {
    const body = issueWrite(fields);
    if ('body' in body) body.body = withMarker(String(body.body), correlationId);
    if (typeof body.milestone === 'string' && body.milestone) {
      const number = (await this.milestoneNumbers()).get(body.milestone);
      if (number === undefined)
        throw new SyncError({
          system: SYSTEM,
          kind: 'validation',
          refused: { milestone: `The repository has no milestone “${body.milestone}”` },
          message: `The repository has no milestone “${body.milestone}”`,
        });
      body.milestone = number;
    } else if ('milestone' in body) body.milestone = null;
    if (Array.isArray(body.labels) && mayStandForSpacedLabel(body.labels as string[]))
      body.labels = repositoryLabelNames(body.labels as string[], await this.labelNames());
    return body;
  }

  /** The repository's label names, read once per connector (one reconcile). */
  private labelNames(): Promise<string[]> {
    this.labels ??= (async () =>
      (await this.transport.read(labelList, `${this.repoPath}/labels?per_page=${PER_PAGE}`, 'Read labels')).value.map(
        (l) => l.name,
      ))().catch((e: unknown) => {
      this.labels = undefined;
      throw e;
    });
    return this.labels;
  }

  async createItem(fields: Readonly<Record<string, unknown>>, correlationId: string): Promise<Item> {
    // GitHub makes every issue open: a state other than open is a second write.
    const { state, state_reason, ...rest } = fields;
    const created = await this.transport.write(
      issueSchema,
      'POST',
      `${this.repoPath}/issues`,
      await this.requestBody({ body: '', ...rest }, correlationId),
      'Create issue',
    );
    if (state === undefined || state === 'open') return this.toItem(created);
    return this.updateItem(String(created.number), { state, ...(state_reason !== undefined ? { state_reason } : {}) });
  }

  async updateItem(id: string, fields: Readonly<Record<string, unknown>>): Promise<Item> {
    const what = `Update issue #${id}`;
    if (!isNumber(id)) throw notFound(what);
    let correlationId: string | undefined;
    let state: unknown = fields.state;
    // The body keeps its marker; `state_reason` counts only beside `state`: both need the issue as it is now.
    if ('body' in fields || ('state_reason' in fields && !('state' in fields))) {
      const current = await this.readIssue(id);
      correlationId = splitMarker(current.body).correlationId;
      state ??= current.state;
    }
    const body = await this.requestBody(
      { ...fields, ...(state !== undefined && 'state_reason' in fields ? { state } : {}) },
      correlationId,
    );
    if (!Object.keys(body).length) return this.toItem(await this.readIssue(id));
    const updated = await this.transport.write(issueSchema, 'PATCH', `${this.repoPath}/issues/${id}`, body, what);
    if (!this.ours(updated)) throw notFound(what);
    return this.toItem(updated);
  }

  async markCorrelation(id: string, correlationId: string): Promise<void> {
    const current = await this.readIssue(id);
    if (splitMarker(current.body).correlationId === correlationId) return;
    await this.transport.write(
      issueSchema,
      'PATCH',
      `${this.repoPath}/issues/${id}`,
      { body: withMarker(current.body ?? '', correlationId) },
      `Mark issue #${id}`,
    );
  }

  // ---- comments (comments.ts)

  listComments(itemId: string): Promise<Comment[]> {
    return isNumber(itemId) ? this.comments.list(itemId) : Promise.reject(notFound(`Read comments of #${itemId}`));
  }

  addComment(itemId: string, comment: NewComment): Promise<Comment> {
    return this.comments.add(itemId, comment);
  }

  updateComment(itemId: string, commentId: string, body: NewComment['body']): Promise<Comment> {
    return this.comments.update(itemId, commentId, body);
  }

  deleteComment(itemId: string, commentId: string): Promise<void> {
    return this.comments.delete(itemId, commentId);
  }

  // ---- files: none to list or upload; images in bodies are read where GitHub keeps them (images.ts)

  listAttachments(): Promise<Attachment[]> {
    return Promise.resolve([]);
  }

  uploadAttachment(_itemId: string, file: NewAttachment): Promise<Attachment> {
    return Promise.reject(
      new SyncError({
        system: SYSTEM,
        kind: 'unsupported',
        message: `GitHub has no way to attach a file to an issue through its API, so “${file.fileName}” is not copied`,
      }),
    );
  }

  async inlineFile(_itemId: string, src: string): Promise<{ id: string; fileName: string } | undefined> {
    const image = inlineImage(src, this.repository.webOrigin);
    if (!image) return undefined;
    const named = await assetFileName(this.imageAccess(), new URL(image.id));
    return named ? { ...image, fileName: named } : image;
  }

  downloadAttachment(
    _itemId: string,
    attachmentId: string,
  ): Promise<{ body: ReadableStream<Uint8Array>; size: number; contentType: string }> {
    return downloadImage(this.imageAccess(), attachmentId);
  }

  private imageAccess() {
    return {
      webOrigin: this.repository.webOrigin,
      fetch: this.fetchFn,
      authorizer: this.authorizer,
      transport: this.transport,
      timeoutMs: this.conn.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    };
  }

  // ---- people: GitHub shows no one's email to an integration, so people are found by login only

  readonly users = {
    idForEmail: (): Promise<string | undefined> => Promise.resolve(undefined),
    emailForId: (): Promise<string | undefined> => Promise.resolve(undefined),
    /** The repository's assignable people whose login or name holds the text. */
    search: async (text: string, limit: number): Promise<RemoteUser[]> => {
      const wanted = text.trim().toLowerCase();
      if (!wanted) return [];
      const { value } = await this.transport.read(
        userList,
        `${this.repoPath}/assignees?per_page=${PER_PAGE}`,
        'Search people',
      );
      return value
        .filter((u) => u.login.toLowerCase().includes(wanted) || (u.name ?? '').toLowerCase().includes(wanted))
        .slice(0, Math.max(1, limit))
        .map((u) => ({ id: u.login, name: u.name ? `${u.name} (${u.login})` : u.login }));
    },
  };

  // ---- the mapping editor

  async describeFields(): Promise<RemoteField[]> {
    const values = (names: readonly string[]) => names.map((n) => ({ value: n, label: n }));
    const optional = async <T>(read: () => Promise<T>, fallback: T): Promise<T> => {
      try {
        return await read();
      } catch (e) {
        // An org without issue types, a token without metadata access: the editor then takes typed names.
        if (e instanceof SyncError && (e.kind === 'not-found' || e.kind === 'auth')) return fallback;
        throw e;
      }
    };
    const [labels, milestones, types] = await Promise.all([
      optional(async () => (await this.labelNames()).map((name) => ({ name })), []),
      optional(async () => [...(await this.milestoneNumbers()).keys()], []),
      optional(
        async () =>
          (
            await this.transport.read(
              issueTypeList,
              `/orgs/${encodeURIComponent(this.repository.owner)}/issue-types`,
              'Read issue types',
            )
          ).value.filter((t) => t.is_enabled !== false),
        [],
      ),
    ]);
    return [
      { id: 'title', name: 'Title', kind: 'text' },
      { id: 'body', name: 'Description', kind: 'rich-text' },
      { id: 'state', name: 'State', kind: 'choice', values: values(['open', 'closed']) },
      {
        id: 'state_reason',
        name: 'State reason',
        kind: 'choice',
        values: values(['completed', 'not_planned', 'duplicate', 'reopened']),
      },
      { id: 'labels', name: 'Labels', kind: 'list', values: values(labels.map((l) => l.name)) },
      { id: 'assignees', name: 'Assignees', kind: 'list' },
      { id: 'milestone', name: 'Milestone', kind: 'choice', values: values(milestones) },
      { id: 'type', name: 'Type', kind: 'choice', values: values(types.map((t) => t.name)) },
    ];
  }

  // ---- sign-in check

  async testConnection(): Promise<
    { ok: true; identity: string; checks?: AccessCheck[] } | { ok: false; error: SyncError }
  > {
    try {
      if (this.conn.auth.kind === 'app') {
        // The App's own name makes its bot's login: the settings must name it, or our own changes would come back.
        const slug = await readAppSlug({
          apiUrl: this.transport.apiUrl,
          app: this.conn.auth,
          fetch: this.fetchFn,
          now: this.conn.now ?? Date.now,
          failure: (res, text, what) => gitHubFailure(res, text, what, (this.conn.now ?? Date.now)()),
        });
        if (`${slug}[bot]`.toLowerCase() !== this.conn.ownLogin.toLowerCase())
          return {
            ok: false,
            error: new SyncError({
              system: SYSTEM,
              kind: 'auth',
              message: `The App is “${slug}” (its changes show as ${slug}[bot]), not ${this.conn.ownLogin} as the settings say`,
            }),
          };
      } else {
        // The token's account must be the login the settings name, or our own changes would come back as a person's.
        const me = (await this.transport.read(viewer, '/user', 'Read the token’s account')).value;
        if (me.login.toLowerCase() !== this.conn.ownLogin.toLowerCase())
          return {
            ok: false,
            error: new SyncError({
              system: SYSTEM,
              kind: 'auth',
              message: `The token belongs to ${me.login}, not to ${this.conn.ownLogin} as the settings say`,
            }),
          };
      }
      // Reading the issues proves the repository is there for this sign-in (a private one answers 404 otherwise).
      await this.transport.read(
        issueList,
        `${this.repoPath}/issues?state=all&per_page=1`,
        'Read the repository’s issues',
      );
      const checks = [
        await probe('Manage the repository’s webhooks (changes reach Crosswalk at once)', false, () =>
          this.listHooks(),
        ),
      ];
      const { owner, repo } = this.repository;
      return { ok: true, identity: `${this.conn.ownLogin} on ${owner}/${repo}`, checks };
    } catch (e) {
      if (e instanceof SyncError) return { ok: false, error: e };
      throw e;
    }
  }

  // ---- the repository webhook (system.ts provisions it)

  async listHooks(): Promise<Array<z.infer<typeof hookSchema>>> {
    return (await this.transport.read(hookList, `${this.repoPath}/hooks?per_page=${PER_PAGE}`, 'Read webhooks')).value;
  }

  async saveHook(hook: { id?: number; url: string; secret: string; events: readonly string[] }): Promise<void> {
    const body = {
      active: true,
      events: hook.events,
      config: { url: hook.url, content_type: 'json', secret: hook.secret, insecure_ssl: '0' },
    };
    if (hook.id === undefined)
      await this.transport.write(
        hookSchema,
        'POST',
        `${this.repoPath}/hooks`,
        { name: 'web', ...body },
        'Create webhook',
      );
    else await this.transport.write(hookSchema, 'PATCH', `${this.repoPath}/hooks/${hook.id}`, body, 'Update webhook');
    this.transport.forget(`${this.repoPath}/hooks?per_page=${PER_PAGE}`);
  }

  async deleteHook(id: number): Promise<void> {
    try {
      await this.transport.write(z.unknown(), 'DELETE', `${this.repoPath}/hooks/${id}`, undefined, 'Delete webhook');
    } catch (e) {
      if (!(e instanceof SyncError && e.kind === 'not-found')) throw e;
    }
    this.transport.forget(`${this.repoPath}/hooks?per_page=${PER_PAGE}`);
  }
}
