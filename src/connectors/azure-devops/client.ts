/**
 * Azure DevOps Work Item Tracking for one connection's project and work item
 * type (vendor-apis.md §2): work items through JSON Patch guarded by
 * `test /rev`, WIQL for search and the sweep, the comments API (preview) and
 * attachments with their `AttachedFile` relations. Values stay Azure DevOps'
 * own (identities as unique names, tags as `"a; b"`); mapping happens elsewhere.
 */
import { createHash } from 'node:crypto';
import * as z from 'zod';
import { SyncError } from '../errors';
import { failureFromResponse, readJson, retryAfterMs, transientFailure, type HttpAnswer } from '../http';
import { MAX_COMMENTS, Pages } from '../paging';
import { probe } from '../access-checks';
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
  RelatedLinks,
  MentionMarkup,
  NewAttachment,
  NewComment,
  RemoteField,
  RemoteFieldKind,
} from '../ports';
import { HOOK_EVENTS, HOOK_USER } from './hooks';
import { azureDevOpsMentions, identityAnswer } from './mentions';
import {
  attachPatch,
  detachPatch,
  fieldPatch,
  parentIn,
  parentPatch,
  relatedIn,
  relatedPatch,
  separateMarkers,
  tagsWithMarkers,
  type PatchOperation,
} from './patch';
import { buildWiql, wiqlDateTime } from './wiql';
import {
  atVersions,
  compareVersions,
  isVersionRefusal,
  latestFromRefusal,
  MINIMUM_VERSION,
  PREFERRED_VERSIONS,
  versionsFromLocations,
  versionsUpTo,
  type ApiVersions,
} from './versions';

const SYSTEM = 'azure-devops';
/** URLs are built at Crosswalk's preferred versions; `send` asks each host for its own (versions.ts). */
const API = PREFERRED_VERSIONS.api;
/** The comments API exists only as a preview (vendor-apis.md §2.6). */
const COMMENTS_API = PREFERRED_VERSIONS.comments;
const DEFAULT_TIMEOUT_MS = 30_000;
/** Files above this go up in chunks, so no single request body is huge. */
const DEFAULT_CHUNKED_ABOVE = 20 * 1024 * 1024;
const CHUNK_BYTES = 8 * 1024 * 1024;
/** workitemsbatch takes at most 200 ids; WIQL pages are kept to that size. */
const PAGE = 200;
const LABEL = 'Azure DevOps';
const COMMENTS_WHY = `Crosswalk reads at most ${MAX_COMMENTS.toLocaleString('en-US')} comments, as many as a Jira issue holds`;
/** 10,000 updates: far beyond any work item people edit; a history longer than that is not read to its end. */
const MAX_UPDATE_PAGES = 50;
const UPDATES_WHY = `Crosswalk reads at most ${(MAX_UPDATE_PAGES * PAGE).toLocaleString('en-US')} updates of a work item's history`;
/** Written as the relation comment of every file Crosswalk attaches: ADO records no uploader on a relation. */
export const OWN_FILE_COMMENT = 'Copied from Jira by Crosswalk';

export const AZURE_DEVOPS_CAPABILITIES: Capabilities = {
  conditionalWrites: true,
  versionCountsWrites: true,
  // The discussion has no private comments: internal Jira comments stay in Jira.
  commentVisibilities: ['public'],
  commentEdit: true,
  commentDelete: true,
  commentFormat: 'html',
  descriptionFormat: 'html',
  // 60 MB is the default per-attachment limit of an organization (vendor-apis.md §2.3).
  attachments: { upload: true, delete: true, maxBytes: 60 * 1024 * 1024 },
  // Azure DevOps refuses a long title (TF401320) rather than cutting it: nothing is cut silently.
  maxLengths: {},
};

export interface AzureDevOpsConnection {
  /** The organization (Services) or collection (Server) URL: https://dev.azure.com/acme. */
  baseUrl: string;
  project: string;
  workItemType: string;
  pat: string;
  /** The unique name the PAT acts as; read from connectionData when not given. */
  user?: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
  chunkedAbove?: number;
  chunkBytes?: number;
}

// ---- wire shapes (zod at the boundary; unknown extra properties are kept out of our types)

const identityRef = z
  .object({ displayName: z.string().optional(), uniqueName: z.string().optional(), id: z.string().optional() })
  .loose();
const relationJson = z.object({
  rel: z.string(),
  url: z.string(),
  attributes: z.record(z.string(), z.unknown()).nullish(),
});
const workItemJson = z.object({
  id: z.number(),
  rev: z.number(),
  fields: z.record(z.string(), z.unknown()),
  relations: z.array(relationJson).nullish(),
});
type WorkItemJson = z.infer<typeof workItemJson>;
const workItemList = z.object({ value: z.array(workItemJson.nullable()) });
const wiqlResult = z.object({ workItems: z.array(z.object({ id: z.number() })) });
const commentJson = z.object({
  id: z.number(),
  text: z.string().nullish(),
  renderedText: z.string().nullish(),
  format: z.string().nullish(),
  createdBy: identityRef,
  createdDate: z.string(),
  modifiedDate: z.string().nullish(),
  isDeleted: z.boolean().nullish(),
});
type CommentJson = z.infer<typeof commentJson>;
const updateList = z.object({
  value: z.array(
    z
      .object({
        revisedBy: identityRef.nullish(),
        fields: z.record(z.string(), z.object({ newValue: z.unknown().optional() }).loose()).nullish(),
      })
      .loose(),
  ),
});
const commentList = z.object({ comments: z.array(commentJson), continuationToken: z.string().nullish() });
const attachmentRef = z.object({ id: z.string(), url: z.string() });
const workItemTypeJson = z.object({
  name: z.string(),
  url: z.string(),
  states: z.array(z.object({ name: z.string() })).nullish(),
});
const stateList = z.object({ value: z.array(z.object({ name: z.string() })) });
const typeList = z.object({
  value: z.array(z.object({ name: z.string(), isDisabled: z.boolean().nullish() }).loose()),
});
const typeFieldList = z.object({
  value: z.array(
    z.object({ referenceName: z.string(), name: z.string(), allowedValues: z.array(z.unknown()).nullish() }).loose(),
  ),
});
const fieldList = z.object({
  value: z.array(
    z
      .object({
        referenceName: z.string(),
        type: z.string().nullish(),
        readOnly: z.boolean().nullish(),
        isIdentity: z.boolean().nullish(),
      })
      .loose(),
  ),
});
/** A classification node (an area or iteration) with its children, as deep as asked. */
interface TreeNode {
  name: string;
  children?: TreeNode[] | null | undefined;
}
const treeNode: z.ZodType<TreeNode> = z.lazy(() =>
  z.object({ name: z.string(), children: z.array(treeNode).nullish() }).loose(),
);
const subscriptionJson = z.object({ id: z.string(), consumerInputs: z.record(z.string(), z.string()).nullish() });
const subscriptionList = z.object({ value: z.array(subscriptionJson) });
const connectionData = z.object({
  authenticatedUser: z
    .object({
      properties: z
        .object({ Account: z.object({ $value: z.string() }).optional() })
        .loose()
        .optional(),
    })
    .loose(),
});

/**
 * Usage above the delay threshold is answered 200 with `X-RateLimit-Delay`
 * and `Retry-After` (vendor-apis.md §2.9): the answer counts, but the
 * invocation honours the window before its next call. Kept per organization
 * and PAT (hashed) so a warm instance honours it too.
 */
const pausedUntil = new Map<string, number>();

/**
 * The REST versions each host answers, learned once per warm instance (versions.ts): Services answers Crosswalk's
 * own; a Server is asked (its route discovery, or its refusal of a newer version). Per host, as one server answers
 * one set of versions for all its collections.
 */
const hostVersions = new Map<string, Promise<ApiVersions>>();

/** Services (dev.azure.com, {org}.visualstudio.com) answers the versions Crosswalk asks for. */
const isServicesHost = (host: string) => host === 'dev.azure.com' || host.endsWith('.visualstudio.com');

const extensionTypes: Readonly<Record<string, string>> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  svg: 'image/svg+xml',
  webp: 'image/webp',
  pdf: 'application/pdf',
  txt: 'text/plain',
  log: 'text/plain',
  csv: 'text/csv',
  json: 'application/json',
  xml: 'application/xml',
  zip: 'application/zip',
  gz: 'application/gzip',
  html: 'text/html',
  md: 'text/markdown',
  doc: 'application/msword',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xls: 'application/vnd.ms-excel',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** Azure DevOps stores no content type for attachments; the name's extension is the best guess. */
export function contentTypeFor(fileName: string): string {
  const ext = /\.([a-z0-9]+)$/i.exec(fileName)?.[1]?.toLowerCase();
  return (ext && extensionTypes[ext]) ?? 'application/octet-stream';
}

/** A field's kind from its type in the fields API (a field with allowed values is a choice whatever its type). */
function azureDevOpsKind(referenceName: string, type: string): RemoteFieldKind {
  if (referenceName === 'System.Tags') return 'list';
  switch (type) {
    case 'string':
    case 'plainText':
      return 'text';
    case 'html':
      return 'rich-text';
    case 'integer':
    case 'double':
      return 'number';
    case 'dateTime':
      return 'date-time';
    case 'treePath':
      return 'path';
    case 'identity':
      return 'user';
    case 'picklistString':
    case 'picklistInteger':
    case 'picklistDouble':
      return 'choice';
    default:
      return 'other';
  }
}

const time = (v: unknown): number => (typeof v === 'string' ? Date.parse(v) || 0 : 0);

/** Identities are objects in REST answers; the engine and the user map work with the unique name. */
function flattenIdentity(v: unknown): unknown {
  if (v && typeof v === 'object' && 'uniqueName' in v && typeof (v as { uniqueName: unknown }).uniqueName === 'string')
    return (v as { uniqueName: string }).uniqueName;
  return v;
}

/** A work item's fields as the engine sees them (identities by unique name, tags without Crosswalk's markers), and its markers. */
export function itemFieldsOf(raw: Readonly<Record<string, unknown>>): {
  fields: Record<string, unknown>;
  markers: string[];
} {
  const fields: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(raw)) fields[k] = flattenIdentity(v);
  const { tags, markers } = separateMarkers(raw['System.Tags']);
  if (tags.length) fields['System.Tags'] = tags.join('; ');
  else delete fields['System.Tags'];
  return { fields, markers };
}

/** A work item's number, alone or after its type as Azure DevOps shows it ("Bug 4", "User Story #12", "4"). */
const DISPLAY_KEY = /^(?:[\p{L}\p{N}][\p{L}\p{N} _-]{0,127}\s)?#?(\d+)$/u;

export class AzureDevOpsConnector implements Connector {
  readonly system = 'azure-devops' as const;
  readonly capabilities = AZURE_DEVOPS_CAPABILITIES;
  private readonly base: string;
  private readonly projectPath: string;
  private readonly pauseKey: string;
  private readonly host: string;
  private identity: string | undefined;
  /** Marker tags per item as last read, so a tag write keeps them without another read. */
  private readonly markers = new Map<string, string[]>();
  /** Each item as last read with its relations, so a parent write addresses its Parent link without another read. */
  private readonly lastRead = new Map<string, WorkItemJson>();

  /** People in its HTML (mentions.ts), matched through Read Identities. */
  readonly mentions: MentionMarkup;

  constructor(private readonly conn: AzureDevOpsConnection) {
    this.mentions = azureDevOpsMentions({
      byIds: async (ids) => (await this.identities({ identityIds: ids.join(',') })).value,
      byName: async (name) => (await this.identities({ searchFilter: 'General', filterValue: name })).value,
    });
    this.base = conn.baseUrl.replace(/\/+$/, '');
    this.projectPath = `${this.base}/${encodeURIComponent(conn.project)}`;
    this.identity = conn.user?.trim().toLowerCase() || undefined;
    this.pauseKey = createHash('sha256').update(`${this.base}\n${conn.pat}`).digest('hex');
    this.host = new URL(this.base).host.toLowerCase();
  }

  /** Who Crosswalk's writes appear as: the PAT's unique name (lower-cased, as comments and files are compared). */
  get ownAuthorId(): string | undefined {
    return this.identity;
  }

  // ---- HTTP

  private url(path: string, params: Record<string, string | number | boolean | undefined> = {}, version = API): string {
    const u = new URL(path.startsWith('https://') || path.startsWith('http://') ? path : `${this.projectPath}${path}`);
    for (const [k, v] of Object.entries(params)) if (v !== undefined) u.searchParams.set(k, String(v));
    u.searchParams.set('api-version', version);
    return u.toString();
  }

  /** The versions this host answers: known, Services' own, or asked once (route discovery). */
  private versions(): Promise<ApiVersions> {
    const known = hostVersions.get(this.host);
    if (known) return known;
    if (isServicesHost(this.host)) return Promise.resolve(PREFERRED_VERSIONS);
    return this.negotiate();
  }

  /**
   * Learns the host's versions from its route discovery (`OPTIONS _apis/wit`, no api-version), or else from the
   * refusal it gave; kept for the warm instance only when one of them said. A host older than Crosswalk supports is
   * refused with words an admin can act on.
   */
  private negotiate(refusal?: string): Promise<ApiVersions> {
    const learning = (async (): Promise<{ versions: ApiVersions; known: boolean }> => {
      const res = await this.send('OPTIONS', `${this.base}/_apis/wit`, 'Discover the REST versions');
      const text = await res.text();
      let discovered: ApiVersions | undefined;
      try {
        discovered = res.ok ? versionsFromLocations(JSON.parse(text)) : undefined;
      } catch {
        discovered = undefined;
      }
      const latest = refusal ? latestFromRefusal(refusal) : undefined;
      const versions = discovered ?? (latest ? versionsUpTo(latest) : undefined);
      if (versions && compareVersions(versions.api, MINIMUM_VERSION) < 0)
        throw new SyncError({
          system: SYSTEM,
          kind: 'validation',
          message: `Azure DevOps at ${this.host} answers REST versions up to ${versions.api}; Crosswalk needs ${MINIMUM_VERSION} (Azure DevOps Server 2020) or newer`,
        });
      return { versions: versions ?? PREFERRED_VERSIONS, known: Boolean(versions) };
    })();
    const versions = learning.then((l) => l.versions);
    hostVersions.set(this.host, versions);
    // Nothing learned (an unreachable host, a refused PAT): ask again next time rather than keep a guess.
    void learning.then(
      (l) => !l.known && hostVersions.get(this.host) === versions && hostVersions.delete(this.host),
      () => hostVersions.get(this.host) === versions && hostVersions.delete(this.host),
    );
    return versions;
  }

  private async send(
    method: string,
    url: string,
    what: string,
    init: { body?: BodyInit; contentType?: string; headers?: Record<string, string> } = {},
    retried = false,
  ): Promise<Response> {
    const versioned = new URL(url).searchParams.has('api-version');
    const sent = versioned ? atVersions(url, await this.versions()) : url;
    const paused = pausedUntil.get(this.pauseKey) ?? 0;
    if (paused > Date.now())
      throw new SyncError({
        system: SYSTEM,
        kind: 'rate-limited',
        retryAfterMs: paused - Date.now(),
        message: `${what} waits: Azure DevOps asked Crosswalk to slow down`,
      });
    const request: RequestInit & { duplex?: 'half' } = {
      method,
      // A bad PAT may be answered with a redirect to the sign-in page: it must be seen, not followed.
      redirect: 'manual',
      headers: {
        accept: 'application/json',
        authorization: `Basic ${Buffer.from(`:${this.conn.pat}`).toString('base64')}`,
        ...(init.contentType ? { 'content-type': init.contentType } : {}),
        ...init.headers,
      },
      signal: AbortSignal.timeout(this.conn.timeoutMs ?? DEFAULT_TIMEOUT_MS),
    };
    if (init.body !== undefined) request.body = init.body;
    if (init.body instanceof ReadableStream) request.duplex = 'half';
    let res: Response;
    try {
      res = await (this.conn.fetch ?? fetch)(sent, request);
    } catch (e) {
      const name = (e as { name?: unknown } | null)?.name;
      throw transientFailure(
        SYSTEM,
        what,
        name === 'TimeoutError' || name === 'AbortError'
          ? new Error(`no answer within ${(this.conn.timeoutMs ?? DEFAULT_TIMEOUT_MS) / 1000} s`)
          : e,
      );
    }
    if (isSignInAnswer(res)) {
      await res.body?.cancel().catch(() => undefined);
      throw new SyncError({
        system: SYSTEM,
        kind: 'auth',
        httpStatus: res.status,
        message: `${what} failed: Azure DevOps answered with its sign-in page (the personal access token is wrong, expired or revoked)`,
      });
    }
    if (res.status >= 300 && res.status < 400) {
      await res.body?.cancel().catch(() => undefined);
      throw new SyncError({
        system: SYSTEM,
        kind: 'transient',
        httpStatus: res.status,
        message: `${what} failed: unexpected redirect (HTTP ${res.status})`,
      });
    }
    notePacing(this.pauseKey, res);
    if (res.status === 429 && !res.headers.get('retry-after')) {
      // Without Retry-After the reset time says when usage is back under the limit.
      const reset = Number(res.headers.get('x-ratelimit-reset'));
      const text = await res.text();
      const error = failureFromResponse(SYSTEM, res, text, what);
      if (Number.isFinite(reset) && reset > 0) error.details.retryAfterMs = Math.max(1000, reset * 1000 - Date.now());
      throw error;
    }
    if (versioned && res.status === 400) {
      const text = await res.text();
      if (!retried && isVersionRefusal(res.status, text)) {
        // The host answers an older version than was asked (a Server, or a retired preview): learn it and ask again.
        const now = atVersions(url, await this.negotiate(text));
        if (now !== sent) {
          if (init.body instanceof ReadableStream)
            throw new SyncError({
              system: SYSTEM,
              kind: 'transient',
              message: `${what} failed: Azure DevOps at ${this.host} answers an older REST version, which Crosswalk uses from now on`,
            });
          return this.send(method, url, what, init, true);
        }
      }
      return new Response(text, { status: res.status, statusText: res.statusText, headers: res.headers });
    }
    return res;
  }

  private async json<T>(
    schema: z.ZodType<T>,
    method: string,
    url: string,
    what: string,
    init: { body?: BodyInit; contentType?: string; headers?: Record<string, string> } = {},
  ): Promise<T> {
    const res = await this.send(method, url, what, init);
    const parsed = schema.safeParse(await readJson(SYSTEM, res, what));
    if (!parsed.success)
      throw new SyncError({
        system: SYSTEM,
        kind: 'transient',
        message: `${what}: unexpected answer from Azure DevOps`,
      });
    return parsed.data;
  }

  private async patchItem(id: string, ops: PatchOperation[], what: string): Promise<WorkItemJson> {
    try {
      const w = await this.json(
        workItemJson,
        'PATCH',
        this.url(`/_apis/wit/workitems/${encodeURIComponent(id)}`, { $expand: 'all' }),
        what,
        { body: JSON.stringify(ops), contentType: 'application/json-patch+json' },
      );
      // Every write answers the work item with its relations: a file added or removed moves its revision and indexes.
      this.lastRead.set(String(w.id), w);
      return w;
    } catch (e) {
      throw await this.explained(e);
    }
  }

  /** A refused State names the states the type has, so the admin can fix the value map. */
  private async explained(e: unknown): Promise<unknown> {
    if (!(e instanceof SyncError) || e.kind !== 'validation') return e;
    const field = /Rule Error for field ([^.]+)\./i.exec(e.details.remoteMessage ?? '')?.[1]?.trim();
    if (field?.toLowerCase() !== 'state') return field ? new SyncError({ ...e.details, field }) : e;
    const states = await this.states().catch(() => undefined);
    return new SyncError({
      ...e.details,
      field: 'System.State',
      message: `${e.message}${states ? `. States of ${this.conn.workItemType}: ${states.join(', ')}` : ''}`,
    });
  }

  /**
   * The project's areas or iterations as a work item's field names them (`Operations\\Support`), from the
   * classification nodes 10 levels deep, at most 500; none where the user may not read them.
   */
  private async treePaths(group: 'Areas' | 'Iterations'): Promise<string[]> {
    const root = await this.json(
      treeNode,
      'GET',
      this.url(`/_apis/wit/classificationnodes/${group}`, { $depth: 10 }),
      `Read the ${group === 'Areas' ? 'areas' : 'iterations'}`,
    ).catch((e: unknown) => {
      if (e instanceof SyncError && (e.details.httpStatus === 403 || e.details.httpStatus === 404)) return undefined;
      throw e;
    });
    const paths: string[] = [];
    const stack: Array<{ node: TreeNode; path: string }> = root ? [{ node: root, path: root.name }] : [];
    while (stack.length && paths.length < 500) {
      const { node, path } = stack.shift()!;
      paths.push(path);
      for (const child of node.children ?? []) stack.push({ node: child, path: `${path}\\${child.name}` });
    }
    return paths;
  }

  private async states(type = this.conn.workItemType): Promise<string[]> {
    const list = await this.json(
      stateList,
      'GET',
      this.url(`/_apis/wit/workitemtypes/${encodeURIComponent(type)}/states`),
      'Read states',
    );
    return list.value.map((s) => s.name);
  }

  /**
   * The fields of the connection's work item type with their allowed values (`workitemtypes/{type}/fields`,
   * `$expand=allowedValues`), System.State's in the workflow's order (`/states`), and each field's type and
   * whether it is read-only from the project's field list (`_apis/wit/fields`), which the type's list leaves out.
   */
  async describeFields(itemType?: string): Promise<RemoteField[]> {
    const named = itemType ?? this.conn.workItemType;
    const type = encodeURIComponent(named);
    const [typeFields, states, all, areas, iterations, types] = await Promise.all([
      this.json(
        typeFieldList,
        'GET',
        this.url(`/_apis/wit/workitemtypes/${type}/fields`, { $expand: 'allowedValues' }),
        `Read the fields of ${named}`,
      ),
      this.states(named),
      this.json(fieldList, 'GET', this.url('/_apis/wit/fields'), 'Read the field definitions'),
      this.treePaths('Areas'),
      this.treePaths('Iterations'),
      // The project's types are the values of System.WorkItemType, which a type map pairs with Jira's issue types.
      this.json(typeList, 'GET', this.url('/_apis/wit/workitemtypes'), 'Read the work item types'),
    ]);
    const defs = new Map(all.value.map((f) => [f.referenceName, f]));
    const trees = new Map([
      ['System.AreaPath', areas],
      ['System.IterationPath', iterations],
    ]);
    return typeFields.value
      .map((f): RemoteField => {
        const def = defs.get(f.referenceName);
        const values =
          f.referenceName === 'System.State'
            ? states.map((s) => ({ value: s, label: s }))
            : f.referenceName === 'System.WorkItemType'
              ? types.value.filter((t) => !t.isDisabled).map((t) => ({ value: t.name, label: t.name }))
              : (f.allowedValues ?? []).flatMap((v) => {
                  if (typeof v === 'string' || typeof v === 'number') return [{ value: String(v), label: String(v) }];
                  // A restricted identity field lists people: their unique name is what the field holds.
                  const person = identityRef.safeParse(v);
                  return person.success && person.data.uniqueName
                    ? [{ value: person.data.uniqueName, label: person.data.displayName ?? person.data.uniqueName }]
                    : [];
                });
        const kind = def?.isIdentity
          ? 'user'
          : values.length
            ? 'choice'
            : azureDevOpsKind(f.referenceName, def?.type ?? '');
        // A tree path keeps its kind; its values are the project's nodes (a default area is chosen from them).
        const listed = trees.get(f.referenceName)?.map((p) => ({ value: p, label: p })) ?? values;
        return {
          id: f.referenceName,
          name: f.name,
          kind,
          ...(def?.type === 'integer' || def?.type === 'picklistInteger' ? { precision: 0 } : {}),
          ...(def?.readOnly ? { readOnly: true } : {}),
          ...(listed.length ? { values: listed } : {}),
        };
      })
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  // ---- identity

  private async whoAmI(): Promise<string> {
    if (this.identity) return this.identity;
    // Only when the connection does not name its user: the PAT's identity as the organization knows it.
    const data = await this.json(
      connectionData,
      'GET',
      this.url(`${this.base}/_apis/connectionData`, {}, '7.1-preview'),
      'Read the PAT identity',
    );
    const account = data.authenticatedUser.properties?.Account?.$value;
    if (!account)
      throw new SyncError({
        system: SYSTEM,
        kind: 'validation',
        message:
          'Azure DevOps did not say whose personal access token this is; enter the integration user on the settings page',
      });
    this.identity = account.toLowerCase();
    return this.identity;
  }

  readonly users = {
    // A unique name is the person's sign-in address: the email is the id.
    idForEmail: async (email: string): Promise<string | undefined> => email.trim().toLowerCase() || undefined,
    emailForId: async (id: string): Promise<string | undefined> =>
      id.includes('@') ? id.trim().toLowerCase() : undefined,
  };

  /**
   * Read Identities: on Services at the organization's vssps host (dev.azure.com/acme → vssps.dev.azure.com/acme,
   * acme.visualstudio.com → acme.vssps.visualstudio.com), on a Server at the collection.
   */
  private identities(params: Record<string, string>) {
    const base = new URL(this.base);
    if (base.hostname === 'dev.azure.com') base.hostname = 'vssps.dev.azure.com';
    else if (base.hostname.endsWith('.visualstudio.com'))
      base.hostname = base.hostname.replace(/\.visualstudio\.com$/, '.vssps.visualstudio.com');
    const at = `${base.toString().replace(/\/+$/, '')}/_apis/identities`;
    return this.json(identityAnswer, 'GET', this.url(at, { ...params, queryMembership: 'None' }), 'Read identities');
  }

  // ---- items

  private toItem(w: WorkItemJson): Item {
    const id = String(w.id);
    const { fields, markers } = itemFieldsOf(w.fields);
    this.markers.set(id, markers);
    const correlationId = markers[0];
    // Azure DevOps names a work item by its type and number ("Bug 4"), in its own pages and links.
    const type = w.fields['System.WorkItemType'];
    // Every read that makes an item asks for its relations ($expand=all): its parent comes with it.
    this.lastRead.set(id, w);
    const parent = parentIn(w.relations ?? []);
    const related = relatedIn(w.relations ?? []);
    return {
      id,
      displayKey: `${typeof type === 'string' && type ? type : this.conn.workItemType} ${id}`,
      url: `${this.projectPath}/_workitems/edit/${id}`,
      updatedAt: time(w.fields['System.ChangedDate']),
      ...(time(w.fields['System.CreatedDate']) ? { createdAt: time(w.fields['System.CreatedDate']) } : {}),
      version: String(w.rev),
      fields,
      ...(correlationId ? { correlationId } : {}),
      ...(parent ? { parent } : {}),
      ...(related.length ? { related } : {}),
    };
  }

  /** Work items of this connection's project only: an id names an item anywhere in the organization. */
  private ours(w: WorkItemJson): boolean {
    const project = w.fields['System.TeamProject'];
    return typeof project !== 'string' || project.toLowerCase() === this.conn.project.toLowerCase();
  }

  async testConnection(): Promise<
    { ok: true; identity: string; checks: AccessCheck[] } | { ok: false; error: SyncError }
  > {
    try {
      await this.projectId();
      const checks = await Promise.all([
        probe('Query work items changed lately (WIQL), for the sweep', true, () =>
          this.listChanged(Date.now() - 60_000),
        ),
        probe('List service hooks, for change notifications', true, () =>
          this.json(
            subscriptionList,
            'GET',
            this.url(`${this.base}/_apis/hooks/subscriptions`, { publisherId: 'tfs', consumerId: 'webHooks' }),
            'List service hooks',
          ),
        ),
      ]);
      return {
        ok: true,
        identity: await this.whoAmI().catch(() => 'personal access token'),
        checks: [
          { what: `Read the ${this.conn.workItemType} work item type and its states`, ok: true, required: true },
          ...checks,
        ],
      };
    } catch (e) {
      if (e instanceof SyncError) return { ok: false, error: e };
      throw e;
    }
  }

  /** The project's GUID (service hooks need it), read from the work item type's URL, which names the project by id. */
  async projectId(): Promise<string> {
    const type = await this.json(
      workItemTypeJson,
      'GET',
      this.url(`/_apis/wit/workitemtypes/${encodeURIComponent(this.conn.workItemType)}`),
      `Read work item type ${this.conn.workItemType}`,
    );
    const id = /\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\/_apis\//i.exec(type.url)?.[1];
    if (!id)
      throw new SyncError({ system: SYSTEM, kind: 'transient', message: 'Azure DevOps did not name the project id' });
    return id;
  }

  /** Resolved By as people are named: the item's fields keep identities by unique name, so the field is read once. */
  async resolvedBy(item: Item): Promise<string | undefined> {
    const uniqueName = item.fields['Microsoft.VSTS.Common.ResolvedBy'];
    if (typeof uniqueName !== 'string' || !uniqueName) return undefined;
    const w = await this.json(
      workItemJson,
      'GET',
      this.url(`/_apis/wit/workitems/${item.id}`, { fields: 'Microsoft.VSTS.Common.ResolvedBy' }),
      `Read work item ${item.id}`,
    );
    const who = identityRef.safeParse(w.fields['Microsoft.VSTS.Common.ResolvedBy']);
    return who.success ? (who.data.displayName ?? uniqueName) : uniqueName;
  }

  async getItem(id: string): Promise<Item | undefined> {
    if (!/^\d+$/.test(id)) return undefined;
    try {
      const w = await this.json(
        workItemJson,
        'GET',
        this.url(`/_apis/wit/workitems/${id}`, { $expand: 'all' }),
        `Read work item ${id}`,
      );
      return this.ours(w) ? this.toItem(w) : undefined;
    } catch (e) {
      if (e instanceof SyncError && e.kind === 'not-found') return undefined;
      throw e;
    }
  }

  /** By its number as people write it: "Bug 4" (its display key), "4", "#4", or its page's address. */
  async findByDisplayKey(key: string): Promise<Item | undefined> {
    const id = DISPLAY_KEY.exec(key.trim())?.[1] ?? /\/_workitems\/edit\/(\d+)/.exec(key)?.[1];
    return id ? this.getItem(id) : undefined;
  }

  /** By id, or words of the title among this connection's project and type (WIQL CONTAINS), most recently changed first, whole. */
  async searchItems(text: string, limit: number): Promise<FoundItem[]> {
    const t = text.trim();
    if (!t) return [];
    const found = (w: Item): FoundItem => {
      const status = this.statusLabel(w);
      return { ...w, title: String(w.fields['System.Title'] ?? ''), ...(status ? { status } : {}) };
    };
    // A number, or this connection's type and a number ("Bug 4"); other words ("error 500") are searched in titles.
    const typed = DISPLAY_KEY.exec(t);
    if (/^#?\d+$/.test(t) || (typed && t.toLowerCase().startsWith(`${this.conn.workItemType.toLowerCase()} `))) {
      const item = await this.findByDisplayKey(t);
      return item && String(item.fields['System.WorkItemType'] ?? this.conn.workItemType) === this.conn.workItemType
        ? [found(item)]
        : [];
    }
    const where = [
      { field: 'System.TeamProject', op: '= @project' as const },
      { field: 'System.WorkItemType', op: '=' as const, value: this.conn.workItemType },
      { field: 'System.Title', op: 'CONTAINS' as const, value: t },
    ];
    const ids = await this.query(
      buildWiql({ where, orderBy: { field: 'System.ChangedDate', descending: true } }),
      Math.max(1, Math.min(limit, 20)),
    );
    if (!ids.length) return [];
    const batch = await this.json(
      workItemList,
      'POST',
      this.url('/_apis/wit/workitemsbatch'),
      'Read found work items',
      {
        // Every field (no `fields` list) and its relations: the item is found whole, as getItem reads it.
        body: JSON.stringify({ ids, $expand: 'all', errorPolicy: 'omit' }),
        contentType: 'application/json',
      },
    );
    const byId = new Map(batch.value.filter((w): w is WorkItemJson => Boolean(w)).map((w) => [w.id, w]));
    return ids.flatMap((id) => {
      const w = byId.get(id);
      return w && this.ours(w) ? [found(this.toItem(w))] : [];
    });
  }

  private async query(wiql: string, top: number): Promise<number[]> {
    const result = await this.json(
      wiqlResult,
      'POST',
      this.url('/_apis/wit/wiql', { timePrecision: true, $top: top }),
      'Query work items',
      { body: JSON.stringify({ query: wiql }), contentType: 'application/json' },
    );
    return result.workItems.map((w) => w.id);
  }

  async findByCorrelation(correlationId: string): Promise<Item | undefined> {
    const ids = await this.query(
      buildWiql({
        where: [
          { field: 'System.TeamProject', op: '= @project' },
          { field: 'System.Tags', op: 'CONTAINS', value: correlationId },
        ],
        orderBy: { field: 'System.Id' },
      }),
      1,
    );
    return ids[0] === undefined ? undefined : this.getItem(String(ids[0]));
  }

  async createItem(fields: Readonly<Record<string, unknown>>, correlationId: string): Promise<Item> {
    if (/[;,]/.test(correlationId)) throw new Error('A correlation id cannot hold ; or , (it is kept as a tag)');
    // A connection's type map names the type among the fields (item-types.ts); Azure DevOps takes it in the URL.
    const { 'System.WorkItemType': named, ...rest } = fields;
    const type = typeof named === 'string' && named ? named : this.conn.workItemType;
    const ops = fieldPatch({ ...rest, 'System.Tags': tagsWithMarkers(fields['System.Tags'], [correlationId]) });
    try {
      const w = await this.json(
        workItemJson,
        'POST',
        this.url(`/_apis/wit/workitems/$${encodeURIComponent(type)}`, { $expand: 'all' }),
        `Create ${type}`,
        { body: JSON.stringify(ops), contentType: 'application/json-patch+json' },
      );
      return this.toItem(w);
    } catch (e) {
      throw await this.explained(e);
    }
  }

  private async markersOf(id: string): Promise<string[]> {
    const known = this.markers.get(id);
    if (known) return known;
    const w = await this.json(
      workItemJson,
      'GET',
      this.url(`/_apis/wit/workitems/${id}`, { fields: 'System.Tags' }),
      `Read tags of work item ${id}`,
    );
    return separateMarkers(w.fields['System.Tags']).markers;
  }

  async updateItem(id: string, fields: Readonly<Record<string, unknown>>, expectedVersion?: string): Promise<Item> {
    const write: Record<string, unknown> = { ...fields };
    // ADO replaces the whole tag string: the markers the item carries go with every tag write.
    if ('System.Tags' in write) write['System.Tags'] = tagsWithMarkers(write['System.Tags'], await this.markersOf(id));
    return this.toItem(await this.patchItem(id, fieldPatch(write, expectedVersion), `Update work item ${id}`));
  }

  async markCorrelation(id: string, correlationId: string): Promise<void> {
    const item = await this.getItem(id);
    if (!item) throw new SyncError({ system: SYSTEM, kind: 'not-found', message: `Work item ${id} no longer exists` });
    if (this.markers.get(id)?.includes(correlationId)) return;
    const markers = [...(this.markers.get(id) ?? []), correlationId];
    this.toItem(
      await this.patchItem(
        id,
        fieldPatch({ 'System.Tags': tagsWithMarkers(item.fields['System.Tags'], markers) }, item.version),
        `Mark work item ${id}`,
      ),
    );
  }

  /**
   * Hierarchy links: the parent is the child's one `Hierarchy-Reverse`
   * relation (the parent holds the `Hierarchy-Forward` end, which Azure DevOps
   * writes itself). Any work item type may be the parent of any other through
   * the API (the backlog levels are advice, not a rule), across projects too;
   * the service refuses a second parent (TF201036) and a loop.
   */
  readonly hierarchy: Hierarchy = {
    label: 'Parent',
    rules: { oneParent: true, nested: true, refusesCycles: true, scope: 'work items of the organization' },
    parentOf: (item) => item.parent,
    refusal: (child, parent) =>
      parent && parent.id === child.id ? `${child.displayKey} cannot be its own parent` : undefined,
    setParent: (childId, parentId, expectedVersion) => this.setParent(childId, parentId, expectedVersion),
  };

  /** Related links: symmetric, so Azure DevOps writes the other end itself. */
  readonly related: RelatedLinks = {
    label: 'Related',
    relatedOf: (item) => item.related ?? [],
    setRelated: (id, add, remove, expectedVersion) =>
      this.relationWrite(id, expectedVersion, `Link work item ${id}`, (w) =>
        relatedPatch(w.relations ?? [], w.rev, add, remove, (other) => this.workItemUrl(other)),
      ),
  };

  private workItemUrl(id: string): string {
    if (!/^\d+$/.test(id))
      throw new SyncError({ system: SYSTEM, kind: 'validation', message: `'${id}' is not a work item id` });
    return `${this.base}/_apis/wit/workItems/${id}`;
  }

  private async setParent(childId: string, parentId: string | undefined, expectedVersion?: string): Promise<Item> {
    const parentUrl = parentId === undefined ? '' : this.workItemUrl(parentId);
    return this.relationWrite(childId, expectedVersion, `Set the parent of work item ${childId}`, (w) =>
      parentPatch(w.relations ?? [], w.rev, parentId, parentUrl),
    );
  }

  /**
   * One PATCH of a work item's relations when this connector read it at the
   * version the caller names (or, with none, at all): relations are addressed
   * by index, and the index comes from that read, under `test /rev`.
   * Otherwise the item is read first. A 412 on an index of our own read (not
   * the caller's version) reads again, once. No patch (nothing to change)
   * answers the item as read.
   */
  private async relationWrite(
    id: string,
    expectedVersion: string | undefined,
    what: string,
    opsFor: (w: WorkItemJson) => PatchOperation[] | undefined,
  ): Promise<Item> {
    for (let attempt = 0; ; attempt++) {
      let w = this.lastRead.get(id);
      if (!w || attempt > 0 || (expectedVersion !== undefined && String(w.rev) !== expectedVersion)) {
        const read = await this.getItem(id);
        if (!read)
          throw new SyncError({ system: SYSTEM, kind: 'not-found', message: `Work item ${id} no longer exists` });
        w = this.lastRead.get(id)!;
        if (expectedVersion !== undefined && String(w.rev) !== expectedVersion)
          throw new SyncError({
            system: SYSTEM,
            kind: 'conflict',
            message: `Work item ${id} changed since revision ${expectedVersion}`,
          });
      }
      const ops = opsFor(w);
      if (!ops) return this.toItem(w);
      try {
        return this.toItem(await this.patchItem(id, ops, what));
      } catch (e) {
        const ownRead = expectedVersion === undefined;
        if (!(e instanceof SyncError && e.kind === 'conflict' && ownRead) || attempt >= 1) throw e;
      }
    }
  }

  titleOf(item: Item): string | undefined {
    const title = item.fields['System.Title'];
    return typeof title === 'string' && title ? title : undefined;
  }

  statusLabel(item: Item): string | undefined {
    const state = item.fields['System.State'];
    return typeof state === 'string' && state ? state : undefined;
  }

  /**
   * Changed items of the project, oldest first. WIQL answers ids only and has
   * no continuation (and fails above 20,000 matches), so pages are `$top` 200
   * ordered by ChangedDate; the cursor is the last page's newest change and
   * the ids already seen at that instant.
   */
  async listChanged(since: number, cursor?: string): Promise<ChangedItems> {
    const from = cursor ? parseCursor(cursor) : { at: since, seen: [] };
    const where = [
      { field: 'System.TeamProject', op: '= @project' as const },
      { field: 'System.ChangedDate', op: '>=' as const, value: wiqlDateTime(from.at) },
      ...(from.seen.length ? [{ field: 'System.Id', op: 'NOT IN' as const, values: from.seen }] : []),
    ];
    const ids = await this.query(buildWiql({ where, orderBy: { field: 'System.ChangedDate' } }), PAGE);
    if (!ids.length) return { items: [] };
    const batch = await this.json(
      workItemList,
      'POST',
      this.url('/_apis/wit/workitemsbatch'),
      'Read changed work items',
      {
        body: JSON.stringify({ ids, fields: ['System.Id', 'System.ChangedDate'], errorPolicy: 'omit' }),
        contentType: 'application/json',
      },
    );
    const items = batch.value
      .filter((w): w is WorkItemJson => Boolean(w))
      .map((w) => ({ id: String(w.id), updatedAt: time(w.fields['System.ChangedDate']) }));
    items.sort((a, b) => a.updatedAt - b.updatedAt);
    if (ids.length < PAGE) return { items };
    const last = items.at(-1)?.updatedAt ?? from.at;
    const seen = [
      ...(last === from.at ? from.seen : []),
      ...items.filter((i) => i.updatedAt === last).map((i) => Number(i.id)),
    ];
    return { items, cursor: JSON.stringify({ at: last, seen }) };
  }

  /** From the item's updates (oldest first, paged): fields changed after `since` by anyone but Crosswalk's identity. */
  async fieldChangesSince(id: string, since: number): Promise<Map<string, number>> {
    const own = await this.whoAmI();
    const out = new Map<string, number>();
    const what = `Read the history of work item ${id}`;
    const pages = new Pages({ system: SYSTEM, what, label: LABEL, maxPages: MAX_UPDATE_PAGES, why: UPDATES_WHY });
    for (let skip = 0; ; skip += PAGE) {
      const page = await this.json(
        updateList,
        'GET',
        this.url(`/_apis/wit/workitems/${encodeURIComponent(id)}/updates`, { $top: PAGE, $skip: skip }),
        what,
      );
      for (const u of page.value) {
        // The latest update's revisedDate is the end of time: when it happened is its ChangedDate.
        const at = time(u.fields?.['System.ChangedDate']?.newValue);
        if (at <= since || u.revisedBy?.uniqueName?.toLowerCase() === own) continue;
        for (const field of Object.keys(u.fields ?? {})) out.set(field, Math.max(out.get(field) ?? 0, at));
      }
      if (!pages.more(page.value.length < PAGE ? undefined : skip + PAGE)) return out;
    }
  }

  // ---- comments

  async listComments(itemId: string): Promise<Comment[]> {
    await this.whoAmI();
    const out: Comment[] = [];
    const what = `Read comments of work item ${itemId}`;
    const pages = new Pages({ system: SYSTEM, what, label: LABEL, maxPages: MAX_COMMENTS / PAGE, why: COMMENTS_WHY });
    let token: string | undefined;
    do {
      const page = await this.json(
        commentList,
        'GET',
        this.url(
          `/_apis/wit/workItems/${encodeURIComponent(itemId)}/comments`,
          { $top: PAGE, order: 'asc', continuationToken: token },
          COMMENTS_API,
        ),
        what,
      );
      for (const c of page.comments) if (!c.isDeleted) out.push(this.toComment(c));
      token = page.continuationToken ?? undefined;
    } while (pages.more(token));
    return out;
  }

  private toComment(c: CommentJson): Comment {
    const uniqueName = c.createdBy.uniqueName?.toLowerCase();
    return {
      id: String(c.id),
      // A markdown comment's HTML is its rendered text.
      body: (c.format === 'markdown' ? c.renderedText : c.text) ?? c.text ?? '',
      visibility: 'public',
      author: {
        ...(uniqueName ? { id: uniqueName } : {}),
        displayName: c.createdBy.displayName ?? uniqueName ?? 'Someone',
        ...(uniqueName?.includes('@') ? { email: uniqueName } : {}),
      },
      createdAt: time(c.createdDate),
      updatedAt: time(c.modifiedDate ?? c.createdDate),
    };
  }

  async addComment(itemId: string, comment: NewComment): Promise<Comment> {
    // Azure DevOps has no private comments: an internal one must never be written where everyone reads it.
    if (comment.visibility !== 'public')
      throw new SyncError({ system: SYSTEM, kind: 'validation', message: 'Azure DevOps has no internal comments' });
    const c = await this.json(
      commentJson,
      'POST',
      this.url(`/_apis/wit/workItems/${encodeURIComponent(itemId)}/comments`, {}, COMMENTS_API),
      `Comment on work item ${itemId}`,
      { body: JSON.stringify({ text: String(comment.body) }), contentType: 'application/json' },
    );
    return this.toComment(c);
  }

  async updateComment(itemId: string, commentId: string, body: NewComment['body']): Promise<Comment> {
    const c = await this.json(
      commentJson,
      'PATCH',
      this.url(
        `/_apis/wit/workItems/${encodeURIComponent(itemId)}/comments/${encodeURIComponent(commentId)}`,
        {},
        COMMENTS_API,
      ),
      `Edit comment ${commentId}`,
      { body: JSON.stringify({ text: String(body) }), contentType: 'application/json' },
    );
    return this.toComment(c);
  }

  async deleteComment(itemId: string, commentId: string): Promise<void> {
    const res = await this.send(
      'DELETE',
      this.url(
        `/_apis/wit/workItems/${encodeURIComponent(itemId)}/comments/${encodeURIComponent(commentId)}`,
        {},
        COMMENTS_API,
      ),
      `Delete comment ${commentId}`,
    );
    if (res.status === 404) return;
    await readJson(SYSTEM, res, `Delete comment ${commentId}`);
  }

  // ---- attachments

  async listAttachments(itemId: string): Promise<Attachment[]> {
    const own = await this.whoAmI();
    const w = await this.json(
      workItemJson,
      'GET',
      this.url(`/_apis/wit/workitems/${encodeURIComponent(itemId)}`, { $expand: 'relations' }),
      `Read files of work item ${itemId}`,
    );
    return (w.relations ?? [])
      .filter((r) => r.rel === 'AttachedFile')
      .map((r) => {
        const a = r.attributes ?? {};
        const fileName = typeof a.name === 'string' ? a.name : 'attachment';
        return {
          id: attachmentIdOf(r.url),
          fileName,
          contentType: contentTypeFor(fileName),
          size: Number(a.resourceSize ?? 0),
          createdAt: time(a.resourceCreatedDate ?? a.authorizedDate),
          ...(a.comment === OWN_FILE_COMMENT ? { authorId: own } : {}),
          // The file's own URL: an <img> in a work item's HTML shows it by this (with `?fileName=`).
          url: r.url,
        };
      });
  }

  inlineFile(_itemId: string, src: string): Promise<{ id: string; fileName: string } | undefined> {
    // The URL says all: a file of this organization's store, by its id (no call).
    return Promise.resolve(this.inlineFileOf(src));
  }

  private inlineFileOf(src: string): { id: string; fileName: string } | undefined {
    let url: URL;
    try {
      url = new URL(src);
    } catch {
      return undefined;
    }
    // Only this organization's own file store (the collection URL the connection was given, any project under it).
    const base = new URL(this.base);
    const under = `${base.pathname.replace(/\/+$/, '')}/`.toLowerCase();
    if (url.origin !== base.origin || !url.pathname.toLowerCase().startsWith(under)) return undefined;
    const m = /\/_apis\/wit\/attachments\/([0-9a-fA-F-]{36})\/?$/.exec(url.pathname);
    if (!m) return undefined;
    const name = url.searchParams.get('fileName')?.trim();
    return { id: m[1]!, fileName: name && !/[\\/]/.test(name) ? name : 'image.png' };
  }

  async downloadAttachment(
    _itemId: string,
    attachmentId: string,
  ): Promise<{ body: ReadableStream<Uint8Array>; size: number; contentType: string }> {
    const res = await this.send(
      'GET',
      this.url(`${this.base}/_apis/wit/attachments/${encodeURIComponent(attachmentId)}`, { download: true }),
      'Download attachment',
      { headers: { accept: 'application/octet-stream' } },
    );
    if (!res.ok || !res.body) {
      await readJson(SYSTEM, res, 'Download attachment');
      throw new SyncError({ system: SYSTEM, kind: 'transient', message: 'Download attachment: empty body' });
    }
    return {
      body: res.body,
      size: Number(res.headers.get('content-length') ?? 0),
      contentType: res.headers.get('content-type') ?? 'application/octet-stream',
    };
  }

  async uploadAttachment(itemId: string, file: NewAttachment): Promise<Attachment> {
    const own = await this.whoAmI();
    const ref =
      file.size > (this.conn.chunkedAbove ?? DEFAULT_CHUNKED_ABOVE)
        ? await this.uploadChunked(file)
        : await this.json(
            attachmentRef,
            'POST',
            this.url('/_apis/wit/attachments', { fileName: file.fileName }),
            'Upload attachment',
            { body: file.body as BodyInit, contentType: 'application/octet-stream' },
          );
    // An upload without its relation is an orphan Azure DevOps discards; a retry simply uploads again.
    await this.patchItem(
      itemId,
      attachPatch(ref.url, OWN_FILE_COMMENT),
      `Attach ${file.fileName} to work item ${itemId}`,
    );
    return {
      id: ref.id,
      fileName: file.fileName,
      contentType: file.contentType,
      size: file.size,
      createdAt: Date.now(),
      authorId: own,
      url: ref.url,
    };
  }

  /**
   * Removes the file's `AttachedFile` relation, as deleting it in the work item
   * form does. A relation is addressed by its index, so the patch tests the
   * revision it read the index at: a work item changed in between (412) is
   * read again rather than losing the wrong relation.
   */
  async deleteAttachment(itemId: string, attachmentId: string): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      const w = await this.json(
        workItemJson,
        'GET',
        this.url(`/_apis/wit/workitems/${encodeURIComponent(itemId)}`, { $expand: 'relations' }),
        `Read files of work item ${itemId}`,
      );
      const index = (w.relations ?? []).findIndex(
        (r) => r.rel === 'AttachedFile' && attachmentIdOf(r.url) === attachmentId,
      );
      if (index < 0) return;
      try {
        await this.patchItem(itemId, detachPatch(index, w.rev), `Remove file ${attachmentId} from work item ${itemId}`);
        return;
      } catch (e) {
        if (!(e instanceof SyncError && e.kind === 'conflict') || attempt >= 2) throw e;
      }
    }
  }

  /** Large files: start a chunked upload, then PUT the bytes in order with Content-Range, holding one chunk in memory at a time. */
  private async uploadChunked(file: NewAttachment): Promise<z.infer<typeof attachmentRef>> {
    const ref = await this.json(
      attachmentRef,
      'POST',
      this.url('/_apis/wit/attachments', { fileName: file.fileName, uploadType: 'Chunked' }),
      'Start chunked upload',
      { body: new Uint8Array(0), contentType: 'application/octet-stream' },
    );
    let offset = 0;
    for await (const chunk of chunksOf(file.body, this.conn.chunkBytes ?? CHUNK_BYTES)) {
      const range = `bytes ${offset}-${offset + chunk.length - 1}/${file.size}`;
      await this.json(
        attachmentRef,
        'PUT',
        this.url(`/_apis/wit/attachments/${encodeURIComponent(ref.id)}`, {
          uploadType: 'Chunked',
          fileName: file.fileName,
        }),
        'Upload a chunk',
        { body: chunk, contentType: 'application/octet-stream', headers: { 'content-range': range } },
      );
      offset += chunk.length;
    }
    return ref;
  }

  // ---- service hooks (used by the registry entry's provision/unprovision)

  private async subscriptionsTo(url: string): Promise<string[]> {
    const list = await this.json(
      subscriptionList,
      'GET',
      this.url(`${this.base}/_apis/hooks/subscriptions`, { publisherId: 'tfs', consumerId: 'webHooks' }),
      'List service hooks',
    );
    return list.value.filter((s) => s.consumerInputs?.url === url).map((s) => s.id);
  }

  /** Replaces this URL's subscriptions with one per work item event of the project, authenticated by Basic with the secret. */
  async provisionHooks(url: string, secret: string): Promise<number> {
    const projectId = await this.projectId();
    await this.removeHooks(url);
    for (const eventType of HOOK_EVENTS) {
      const body = {
        publisherId: 'tfs',
        eventType,
        resourceVersion: '1.0',
        consumerId: 'webHooks',
        consumerActionId: 'httpRequest',
        publisherInputs: { projectId },
        consumerInputs: {
          url,
          basicAuthUsername: HOOK_USER,
          basicAuthPassword: secret,
          resourceDetailsToSend: 'all',
          messagesToSend: 'none',
          detailedMessagesToSend: 'none',
        },
      };
      await this.json(
        subscriptionJson,
        'POST',
        this.url(`${this.base}/_apis/hooks/subscriptions`),
        `Create the ${eventType} service hook`,
        { body: JSON.stringify(body), contentType: 'application/json' },
      );
    }
    return HOOK_EVENTS.length;
  }

  async removeHooks(url: string): Promise<void> {
    for (const id of await this.subscriptionsTo(url)) {
      const res = await this.send(
        'DELETE',
        this.url(`${this.base}/_apis/hooks/subscriptions/${encodeURIComponent(id)}`),
        'Remove a service hook',
      );
      if (res.status !== 404) await readJson(SYSTEM, res, 'Remove a service hook');
    }
  }
}

/** A 203 (non-authoritative) HTML page, or a redirect to the sign-in host, is how Azure DevOps answers some requests with a bad PAT. */
export function isSignInAnswer(res: Pick<HttpAnswer, 'status' | 'headers'>): boolean {
  if (res.status === 203) return true;
  if (res.status >= 300 && res.status < 400)
    return /_signin|vssps\.visualstudio\.com|login\.microsoftonline\.com/i.test(res.headers.get('location') ?? '');
  return false;
}

/** Remembers a delayed answer's window so the next call waits it out instead of deepening the delay. */
function notePacing(key: string, res: Pick<HttpAnswer, 'headers'>): void {
  if (!res.headers.get('x-ratelimit-delay')) return;
  const wait = retryAfterMs(res.headers) ?? Number(res.headers.get('x-ratelimit-delay')) * 1000;
  if (Number.isFinite(wait) && wait > 0) pausedUntil.set(key, Date.now() + wait);
}

function attachmentIdOf(url: string): string {
  return /\/attachments\/([^/?#]+)/i.exec(url)?.[1] ?? url;
}

function parseCursor(cursor: string): { at: number; seen: number[] } {
  const parsed = z
    .object({ at: z.number(), seen: z.array(z.number().int()).max(10_000) })
    .safeParse(JSON.parse(cursor));
  if (!parsed.success) throw new SyncError({ system: SYSTEM, kind: 'validation', message: 'Bad sweep cursor' });
  return parsed.data;
}

async function* chunksOf(
  body: ReadableStream<Uint8Array> | Uint8Array,
  size: number,
): AsyncGenerator<Uint8Array<ArrayBuffer>> {
  if (body instanceof Uint8Array) {
    for (let i = 0; i < body.length; i += size) yield body.slice(i, i + size);
    return;
  }
  let pending: Uint8Array[] = [];
  let length = 0;
  const reader = body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (value) {
      pending.push(value);
      length += value.length;
    }
    while (length >= size || (done && length > 0)) {
      const all = Buffer.concat(pending);
      const take = Math.min(size, all.length);
      yield new Uint8Array(all.subarray(0, take));
      pending = take < all.length ? [all.subarray(take)] : [];
      length = all.length - take;
    }
    if (done) return;
  }
}
