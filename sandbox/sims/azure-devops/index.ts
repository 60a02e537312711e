/**
 * An Azure DevOps (Work Item Tracking) simulator: Services URLs
 * (`/{organization}/{project}/_apis/wit/…`) and Server URLs
 * (`/{collection}/{project}/_apis/wit/…`), api-version rules, PAT auth with
 * the sign-in page quirk, TSTU rate limits, work items, WIQL, comments,
 * attachments and service hooks. See README.md.
 */
import type { RunningSimulator, SimulatedSystem } from '../../simulated-system';
import { serve } from '@hono/node-server';
import { Hono, type Context } from 'hono';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import * as z from 'zod';
import { parseFault, takeFault, type Fault } from '../shared/faults';
import { AdoError, errors } from './errors';
import {
  buildEvent,
  deliveryHeaders,
  EVENT_TYPES,
  HookNotifier,
  MASKED,
  subscriptionJson,
  subscriptionMatches,
  type WorkItemEvent,
  type WorkItemEventType,
} from './hooks';
import {
  defaultFields,
  defaultProcesses,
  type FieldDef,
  type FieldType,
  type StateCategory,
  type WorkItemTypeDef,
} from './process';
import {
  isKnownArea,
  locationsOf,
  RESOURCE_AREAS,
  SERVER_RELEASE_NAMES,
  serverRange,
  SERVICES_RANGE,
  compareVersions,
  type ServerRelease,
  type VersionRange,
} from './locations';
import { RateLimiter, rateLimitSchema } from './ratelimit';
import {
  commentJson,
  commentVersionJson,
  identityJson,
  orgUrl,
  updateJson,
  workItemJson,
  type Expand,
  type Json,
  type JsonObject,
  type UrlContext,
} from './serialize';
import {
  adoDate,
  AdoStore,
  defaultLimits,
  type CommentRecord,
  type Identity,
  type Organization,
  type Project,
  type Subscription,
  type WorkItemRecord,
} from './store';
import { classificationNode, structureGroupOf } from './classification';
import { parseWiql, runWiql } from './wiql';
import { patchSchema, WorkItemWriter } from './workitems';
import { azureDevOpsWebView } from './web-view';

export { AdoStore } from './store';
export { HookNotifier } from './hooks';
export { SERVER_RELEASES, type ServerRelease } from './locations';

/** The Server the collections play: its release (what REST versions it answers) and its virtual directory. */
export interface ServerSettings {
  release: ServerRelease;
  /** `tfs` for a server upgraded from TFS (`https://host/tfs/DefaultCollection`); empty for `https://host/DefaultCollection`. */
  virtualDirectory: '' | 'tfs';
}

export interface AzureDevOpsSimOptions {
  port?: number;
  now?: () => number;
  /** Default: Server 2022.1 (REST 7.1) without a virtual directory. */
  server?: Partial<ServerSettings>;
}

type Env = { Variables: { user: Identity; origin: string; org: Organization; apiVersion: ApiVersion } };
type C = Context<Env>;

export interface AzureDevOpsSim {
  /** http://127.0.0.1:port */
  baseUrl: string;
  /** baseUrl + '/acme' */
  organizationUrl: string;
  controlUrl: string;
  store: AdoStore;
  notifier: HookNotifier;
  app: Hono<Env>;
  stop(): Promise<void>;
}

export const DEMO_CREDENTIALS = {
  organization: 'acme',
  project: 'Operations',
  /** A Server (on-premises) collection with the same project, reached as /DefaultCollection/Operations/_apis/…. */
  serverCollection: 'DefaultCollection',
  integration: {
    pat: 'crosswalkdemointegrationpat0000000000000000000000000',
    uniqueName: 'crosswalk@acme.example',
    displayName: 'Crosswalk Integration',
  },
  agent: {
    pat: 'danademoagentpat000000000000000000000000000000000000',
    uniqueName: 'dana@acme.example',
    displayName: 'Dana Agent',
  },
} as const;

const SIGN_IN_URL = 'https://app.vssps.visualstudio.com/_signin';
const signInPage = (replyTo: string) =>
  `<!DOCTYPE html><html lang="en-US"><head><title>Azure DevOps Services | Sign In</title><meta http-equiv="X-UA-Compatible" content="IE=11;&#32;IE=10;&#32;IE=9;&#32;IE=8" /></head><body><div class="signin-page"><h1>Azure DevOps</h1><p>Sign in to continue to Azure DevOps.</p><a id="signin" href="${SIGN_IN_URL}?realm=dev.azure.com&amp;reply_to=${encodeURIComponent(replyTo)}">Sign in</a></div></body></html>`;

// ---- api-version

interface ApiVersion {
  raw: string;
  major: number;
  minor: number;
  preview: boolean;
  resourceVersion?: number;
}

function parseApiVersion(raw: string): ApiVersion | undefined {
  const m = /^(\d+)\.(\d+)(-preview(?:\.(\d+))?)?$/i.exec(raw.trim());
  if (!m) return undefined;
  return {
    raw,
    major: Number(m[1]),
    minor: Number(m[2]),
    preview: Boolean(m[3]),
    ...(m[4] ? { resourceVersion: Number(m[4]) } : {}),
  };
}

// ---- seed

function seed(store: AdoStore, writer: WorkItemWriter): void {
  const acme = store.addOrg(DEMO_CREDENTIALS.organization, 'services');
  const ops = store.addProject(acme, DEMO_CREDENTIALS.project, 'Agile');
  store.addProject(acme, 'Helpdesk', 'Basic');
  const server = store.addOrg(DEMO_CREDENTIALS.serverCollection, 'server');
  store.addProject(server, DEMO_CREDENTIALS.project, 'Agile');
  const integration = store.addIdentity(
    DEMO_CREDENTIALS.integration.displayName,
    DEMO_CREDENTIALS.integration.uniqueName,
    DEMO_CREDENTIALS.integration.pat,
  );
  const dana = store.addIdentity(
    DEMO_CREDENTIALS.agent.displayName,
    DEMO_CREDENTIALS.agent.uniqueName,
    DEMO_CREDENTIALS.agent.pat,
  );
  store.addIdentity('Lee Requester', 'lee@acme.example');
  void integration;
  const add = (path: string, value: Json) => ({ op: 'add' as const, path, value });
  writer.write({
    org: acme,
    project: ops,
    type: store.workItemType(ops, 'Bug'),
    by: dana,
    ops: [
      add('/fields/System.Title', 'Checkout fails with a 500 for EU customers'),
      add('/fields/System.Description', '<div>Customers in the EU see an error page when paying.</div>'),
      add('/fields/System.State', 'Active'),
      add('/fields/System.AssignedTo', DEMO_CREDENTIALS.agent.uniqueName),
      add('/fields/System.Tags', 'checkout; customer-impact'),
      add('/fields/Microsoft.VSTS.Common.Priority', 1),
    ],
  });
  writer.write({
    org: acme,
    project: ops,
    type: store.workItemType(ops, 'User Story'),
    by: dana,
    ops: [
      add('/fields/System.Title', 'Export invoices as CSV'),
      add('/fields/System.Description', "<div>Finance wants a CSV export of the month's invoices.</div>"),
    ],
  });
}

function resetStore(store: AdoStore): void {
  store.orgs = [];
  store.identities = [];
  store.processes = defaultProcesses();
  store.fieldDefs = defaultFields();
  store.workItems.clear();
  store.attachments.clear();
  store.subscriptions = [];
  store.limits = defaultLimits();
  store.counters = { comment: 0, watermark: 0, link: 0 };
  store.clockOffset = 0;
}

// ---- helpers

const KEYWORDS = new Set([
  '_apis',
  'resourceareas',
  'wit',
  'workitems',
  'workitemsbatch',
  'wiql',
  'comments',
  'versions',
  'attachments',
  'updates',
  'revisions',
  'workitemtypes',
  'classificationnodes',
  'states',
  'hooks',
  'subscriptions',
  'recyclebin',
  'fields',
]);

/** The request's path without its query. */
function rawPath(req: Request): string {
  const url = req.url;
  const start = url.indexOf('/', url.indexOf('://') + 3);
  const end = url.indexOf('?', start);
  return end < 0 ? url.slice(start) : url.slice(start, end);
}

/** The path below a Server's virtual directory (`/tfs/DefaultCollection/…` → `/DefaultCollection/…`), if it has one. */
function belowVirtualDirectory(path: string, virtualDirectory: string): { path: string; under: boolean } {
  const prefix = `/${virtualDirectory}/`;
  return virtualDirectory && path.toLowerCase().startsWith(prefix)
    ? { path: path.slice(prefix.length - 1), under: true }
    : { path, under: false };
}

/**
 * Azure DevOps routes are case-insensitive (`workItems`, `workitems`); names after `_apis` are lowercased for
 * routing. A Server's virtual directory is not part of the route.
 */
function routingPath(req: Request, virtualDirectory = ''): string {
  const path = belowVirtualDirectory(rawPath(req), virtualDirectory).path;
  const segs = path.split('/');
  const at = segs.findIndex((s) => s.toLowerCase() === '_apis');
  if (at < 0) return path;
  return segs.map((s, i) => (i >= at && KEYWORDS.has(s.toLowerCase()) ? s.toLowerCase() : s)).join('/');
}

function pathMatches(pattern: string, path: string): boolean {
  if (pattern.length > 1 && pattern.startsWith('/') && pattern.endsWith('/'))
    return new RegExp(pattern.slice(1, -1), 'i').test(path);
  return path.toLowerCase().includes(pattern.toLowerCase());
}

function query(c: C, name: string): string | undefined {
  const params = new URL(c.req.url).searchParams;
  for (const [k, v] of params) if (k.toLowerCase() === name.toLowerCase()) return v;
  return undefined;
}

/** The api-version a request names, as a query parameter or in its Accept header. */
const requestedVersion = (c: C): string | undefined =>
  query(c, 'api-version') ?? /api-version=([^;,\s]+)/i.exec(c.req.header('accept') ?? '')?.[1];

const bool = (v: string | undefined) => v !== undefined && v.toLowerCase() === 'true';

function intParam(c: C, name: string): number | undefined {
  const v = query(c, name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0)
    throw errors.badRequest(`The value '${v}' is not valid for ${name}.`, 'ArgumentException');
  return n;
}

/** `$expand` by name, or by its number as .NET binds an enum (`WorkItemExpand`: None 0 … All 4), which generated clients send. */
const EXPAND_NUMBERS: readonly Expand[] = ['none', 'relations', 'fields', 'links', 'all'];

function expandParam(v: string | undefined): Expand {
  if (!v) return 'none';
  const e = /^\d$/.test(v) ? (EXPAND_NUMBERS[Number(v)] ?? v) : v.toLowerCase();
  if (!['none', 'relations', 'fields', 'links', 'all'].includes(e))
    throw errors.badRequest(
      `The value '${v}' is not valid for $expand. Valid values are None, Relations, Fields, Links, All.`,
      'ArgumentException',
    );
  return e as Expand;
}

function fieldsParam(v: string | undefined): string[] | undefined {
  return v
    ? v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : undefined;
}

function conflicting(fields: string[] | undefined, expand: Expand): void {
  if (fields && expand !== 'none')
    throw errors.badRequest(
      'The expand parameter can not be used with the fields parameter.',
      'ConflictingParametersException',
    );
}

const mediaType = (c: C) => (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();

async function jsonBody(c: C, valid = 'application/json'): Promise<unknown> {
  const type = mediaType(c);
  if (type !== valid) throw errors.contentType(c.req.header('content-type') ?? '', c.req.method, valid);
  const text = await c.req.text();
  if (!text.trim()) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw errors.badRequest('The request body is not valid JSON.', 'VssPropertyValidationException');
  }
}

function parse<T>(schema: z.ZodType<T>, body: unknown, what: string): T {
  const r = schema.safeParse(body);
  if (!r.success)
    throw errors.badRequest(
      `${what}: ${r.error.issues.map((i) => `${i.path.join('.') || 'body'} ${i.message}`).join('; ')}`,
      'VssPropertyValidationException',
    );
  return r.data;
}

// ---- the app

function errorResponse(c: Context, err: unknown): Response {
  if (err instanceof AdoError) return c.json(err.body(), err.status as 400, err.headers);
  const e = new AdoError(
    500,
    `TF400898: An Internal Error Occurred. Activity Id: ${randomUUID()}.`,
    'HttpException',
    'System.Web.HttpException, System.Web',
    0,
  );
  console.error(err);
  return c.json(e.body(), 500);
}

export function createAzureDevOpsApp(opts: AzureDevOpsSimOptions & { baseUrl: () => string }) {
  const store = new AdoStore(opts.now ?? Date.now);
  const writer = new WorkItemWriter(store);
  seed(store, writer);
  const serverDefaults: ServerSettings = { release: '2022.1', virtualDirectory: '', ...opts.server };
  const server: ServerSettings = { ...serverDefaults };
  /** What a host answers: Services, or the Server release the collections play. */
  const rangeOf = (org: Organization): VersionRange =>
    org.kind === 'server' ? serverRange(server.release) : SERVICES_RANGE;
  const notifier = new HookNotifier();
  const limiter = new RateLimiter();
  const controls = {
    faults: [] as Fault[],
    log: [] as Array<{
      method: string;
      path: string;
      query: string;
      status: number;
      user: string;
      /** The api-version the request asked for (query or Accept header), served or refused; none for route discovery. */
      apiVersion?: string;
      ms: number;
      tstu: number;
    }>,
  };
  const app = new Hono<Env>({ getPath: (req) => routingPath(req, server.virtualDirectory) });

  const ctxOf = (c: C): UrlContext => ({ origin: c.get('origin'), org: c.get('org') });

  // ---- control API
  const control = new Hono<Env>();
  control.post('/reset', (c) => {
    resetStore(store);
    seed(store, writer);
    notifier.reset();
    limiter.reset();
    controls.faults.length = 0;
    controls.log.length = 0;
    Object.assign(server, serverDefaults);
    return c.json({ ok: true });
  });
  control.get('/server', (c) => c.json(server));
  control.put('/server', async (c) => {
    const body = parse(
      z
        .object({
          release: z.enum(SERVER_RELEASE_NAMES as [ServerRelease, ...ServerRelease[]]),
          virtualDirectory: z.enum(['', 'tfs']),
        })
        .partial(),
      await c.req.json(),
      'server',
    );
    Object.assign(server, body);
    return c.json(server);
  });
  control.post('/faults', async (c) => {
    controls.faults.push(parseFault(await c.req.json()));
    return c.json({ ok: true });
  });
  control.delete('/faults', (c) => {
    controls.faults.length = 0;
    return c.json({ ok: true });
  });
  control.get('/rate-limit', (c) => c.json({ config: limiter.config, usage: limiter.snapshot(store.now()) }));
  control.put('/rate-limit', async (c) => {
    const body = parse(rateLimitSchema, await c.req.json(), 'rate limit');
    limiter.config = {
      ...limiter.config,
      ...Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined)),
    };
    // A limit set without a block level blocks at the limit (no band of delays past it).
    if (body.limit !== undefined && body.blockAt === undefined) delete limiter.config.blockAt;
    return c.json({ config: limiter.config });
  });
  control.put('/sign-in-page', async (c) => {
    const body = parse(
      z.object({
        organization: z.string().default(DEMO_CREDENTIALS.organization),
        on: z.boolean(),
        mode: z.enum(['203', '302']).optional(),
        paths: z.array(z.object({ method: z.string().optional(), path: z.string() })).optional(),
      }),
      await c.req.json(),
      'sign-in page',
    );
    const org = store.org(body.organization);
    if (!org) return c.json({ error: `no organization ${body.organization}` }, 404);
    org.signInPage = { on: body.on, mode: body.mode ?? org.signInPage.mode, paths: body.paths ?? org.signInPage.paths };
    return c.json({ signInPage: org.signInPage });
  });
  control.get('/requests', (c) => c.json(controls.log));
  control.delete('/requests', (c) => {
    controls.log.length = 0;
    return c.json({ ok: true });
  });
  control.get('/counters', (c) => {
    const byRoute: Record<string, number> = {};
    const byUser: Record<string, number> = {};
    for (const r of controls.log) {
      const key = `${r.method} ${r.path.replace(/\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(?=\/|$)/gi, '/{guid}').replace(/\/\d+(?=\/|$)/g, '/{id}')}`;
      byRoute[key] = (byRoute[key] ?? 0) + 1;
      byUser[r.user || '(anonymous)'] = (byUser[r.user || '(anonymous)'] ?? 0) + 1;
    }
    return c.json({
      total: controls.log.length,
      byRoute,
      byUser,
      byStatus: controls.log.reduce<Record<string, number>>(
        (acc, r) => ({ ...acc, [r.status]: (acc[r.status] ?? 0) + 1 }),
        {},
      ),
    });
  });
  control.get('/identities', (c) =>
    c.json(
      store.identities.map((i) => ({
        id: i.id,
        displayName: i.displayName,
        uniqueName: i.uniqueName,
        descriptor: i.descriptor,
        pats: i.pats.size,
      })),
    ),
  );
  control.post('/identities', async (c) => {
    const body = parse(
      z.object({ displayName: z.string().min(1), uniqueName: z.string().min(1), pat: z.string().min(1).optional() }),
      await c.req.json(),
      'identity',
    );
    if (store.findIdentity(body.uniqueName)?.uniqueName.toLowerCase() === body.uniqueName.toLowerCase())
      return c.json({ error: 'identity exists' }, 409);
    const who = store.addIdentity(body.displayName, body.uniqueName, body.pat);
    return c.json(
      { id: who.id, displayName: who.displayName, uniqueName: who.uniqueName, descriptor: who.descriptor },
      201,
    );
  });
  control.post('/pats/revoke', async (c) => {
    const { pat } = parse(z.object({ pat: z.string() }), await c.req.json(), 'pat');
    for (const i of store.identities) i.pats.delete(pat);
    return c.json({ ok: true });
  });
  control.get('/clock', (c) => c.json({ now: adoDate(store.now()), offsetMs: store.clockOffset }));
  control.put('/clock', async (c) => {
    const body = parse(
      z.object({ now: z.union([z.string(), z.number()]).optional(), advanceMs: z.number().optional() }),
      await c.req.json(),
      'clock',
    );
    if (body.now !== undefined) {
      const target = typeof body.now === 'number' ? body.now : Date.parse(body.now);
      if (Number.isNaN(target)) return c.json({ error: 'bad date' }, 400);
      store.clockOffset += target - store.now();
    }
    if (body.advanceMs) store.clockOffset += body.advanceMs;
    return c.json({ now: adoDate(store.now()), offsetMs: store.clockOffset });
  });
  control.put('/limits', async (c) => {
    const body = parse(
      z
        .object({
          wiqlMaxResults: z.number().int().positive(),
          batchMaxIds: z.number().int().positive(),
          attachmentMaxBytes: z.number().int().positive(),
          chunkedAttachmentMaxBytes: z.number().int().positive(),
          commentsMaxTop: z.number().int().positive(),
          titleMaxLength: z.number().int().positive(),
          maxTags: z.number().int().positive(),
          maxRelations: z.number().int().positive(),
          maxAttachments: z.number().int().positive(),
        })
        .partial(),
      await c.req.json(),
      'limits',
    );
    Object.assign(store.limits, body);
    return c.json(store.limits);
  });
  control.put('/work-item-types', async (c) => {
    const body = parse(
      z.object({
        process: z.enum(['Agile', 'Basic']),
        type: z.string(),
        states: z
          .array(
            z.object({
              name: z.string(),
              category: z.enum(['Proposed', 'InProgress', 'Resolved', 'Completed', 'Removed']),
              color: z.string().default('b2b2b2'),
              reason: z.string(),
              reasonFrom: z.record(z.string(), z.string()).optional(),
            }),
          )
          .min(1),
      }),
      await c.req.json(),
      'work item type',
    );
    const types = store.processes[body.process];
    const existing = Object.values(types).find((t) => t.name.toLowerCase() === body.type.toLowerCase());
    types[existing?.name ?? body.type] = {
      name: existing?.name ?? body.type,
      referenceName: existing?.referenceName ?? `Custom.${body.type.replace(/\s/g, '')}`,
      color: existing?.color ?? '009CCC',
      description: existing?.description ?? body.type,
      defaults: existing?.defaults ?? {},
      states: body.states.map((s) => ({ ...s, category: s.category as StateCategory })),
    };
    return c.json({ ok: true });
  });
  control.post('/fields', async (c) => {
    const body = parse(
      z.object({
        referenceName: z.string().regex(/^[A-Za-z][\w]*(\.[\w]+)+$/),
        name: z.string(),
        type: z.enum(['string', 'html', 'plainText', 'integer', 'double', 'dateTime', 'identity', 'boolean']),
        allowedValues: z.array(z.union([z.string(), z.number()])).optional(),
      }),
      await c.req.json(),
      'field',
    );
    if (store.field(body.referenceName)) return c.json({ error: 'field exists' }, 409);
    store.fieldDefs.push({
      referenceName: body.referenceName,
      name: body.name,
      type: body.type as FieldType,
      ...(body.allowedValues ? { allowedValues: body.allowedValues } : {}),
    });
    return c.json({ ok: true }, 201);
  });
  control.post('/work-items', async (c) => {
    // Bulk seeding without HTTP or hooks (e.g. for the 20,000-result WIQL cap).
    const body = parse(
      z.object({
        organization: z.string().default(DEMO_CREDENTIALS.organization),
        project: z.string().default(DEMO_CREDENTIALS.project),
        type: z.string().default('Bug'),
        title: z.string().default('Seeded item'),
        count: z.number().int().min(1).max(50_000).default(1),
        as: z.string().default(DEMO_CREDENTIALS.agent.uniqueName),
      }),
      await c.req.json(),
      'work items',
    );
    const org = store.org(body.organization);
    const project = org && store.project(org, body.project);
    const type = project && store.workItemType(project, body.type);
    const who = store.findIdentity(body.as);
    if (!org || !project || !type || !who)
      return c.json({ error: 'unknown organization, project, type or identity' }, 400);
    const ids: number[] = [];
    for (let i = 0; i < body.count; i++)
      ids.push(
        writer.write({
          org,
          project,
          type,
          by: who,
          ops: [
            { op: 'add', path: '/fields/System.Title', value: body.count > 1 ? `${body.title} ${i + 1}` : body.title },
          ],
        }).item.id,
      );
    return c.json({ ids: body.count > 1000 ? [ids[0], ids[ids.length - 1]] : ids, count: ids.length });
  });
  control.get('/hooks', (c) =>
    c.json({ control: notifier.control, queued: notifier.queue.length, busy: notifier.busy, sent: notifier.sent }),
  );
  control.put('/hooks', async (c) => {
    const body = parse(
      z.object({ paused: z.boolean(), duplicate: z.boolean(), lose: z.number().int().min(0) }).partial(),
      await c.req.json(),
      'hooks',
    );
    Object.assign(notifier.control, body);
    if (!notifier.control.paused) await notifier.flush();
    return c.json({ control: notifier.control, queued: notifier.queue.length });
  });
  control.post('/hooks/flush', async (c) => {
    notifier.control.paused = false;
    await notifier.flush();
    return c.json({ sent: notifier.sent.length });
  });
  control.post('/hooks/send', async (c) => {
    // Forged (wrong secret) and stale (old createdDate, or a replay of an earlier delivery) deliveries, on demand.
    const body = parse(
      z.object({
        subscriptionId: z.string().optional(),
        workItemId: z.number().int().optional(),
        organization: z.string().default(DEMO_CREDENTIALS.organization),
        eventType: z
          .enum(['workitem.created', 'workitem.updated', 'workitem.commented', 'workitem.deleted'])
          .default('workitem.updated'),
        forged: z.boolean().default(false),
        ageSeconds: z.number().min(0).default(0),
        replayNotificationId: z.number().int().optional(),
        host: z.string().default('dev.azure.com'),
      }),
      await c.req.json(),
      'send',
    );
    const sub = store.subscriptions.find((s) =>
      body.subscriptionId
        ? s.id === body.subscriptionId
        : s.org === body.organization.toLowerCase() &&
          (body.replayNotificationId !== undefined || s.eventType === body.eventType),
    );
    if (!sub) return c.json({ error: 'no matching subscription' }, 400);
    const headers = deliveryHeaders(sub, body.forged);
    if (body.replayNotificationId !== undefined) {
      const past = notifier.sent.find(
        (d) => d.subscriptionId === sub.id && d.notificationId === body.replayNotificationId,
      );
      if (!past) return c.json({ error: 'no such delivery' }, 400);
      const d = await notifier.deliver(sub, past.body, headers, { forged: body.forged, stale: true });
      return c.json({ status: d.status, notificationId: d.notificationId });
    }
    const org = store.org(sub.org)!;
    const item =
      body.workItemId !== undefined ? store.items(org).get(body.workItemId) : [...store.items(org).values()].pop();
    if (!item) return c.json({ error: 'no such work item' }, 400);
    const ctx: UrlContext = { origin: `https://${body.host}`, org };
    const revision = item.revisions[item.revisions.length - 1]!;
    const event: WorkItemEvent = {
      type: body.eventType,
      item,
      revision,
      by: store.identity(revision.by)!,
      ctx,
      comment: item.comments[item.comments.length - 1],
    };
    const envelope = buildEvent(store, sub, event, store.now() - body.ageSeconds * 1000);
    const d = await notifier.deliver(sub, JSON.stringify(envelope), headers, {
      forged: body.forged,
      stale: body.ageSeconds > 0,
    });
    return c.json({ status: d.status, notificationId: d.notificationId });
  });
  app.route('/_control', control);
  azureDevOpsWebView(app, opts.baseUrl, DEMO_CREDENTIALS.agent);

  // ---- API middleware: log, faults, organization, auth, api-version, rate limits
  app.use('*', async (c, next) => {
    if (new URL(c.req.url).pathname.startsWith('/_control')) return next();
    // The work item web page (web-view.ts) is a person's browser, not an API client: it calls the API itself.
    if (/^\/[^/]+\/[^/]+\/_workitems\/edit\/\d+$/.test(new URL(c.req.url).pathname)) return next();
    const started = Date.now();
    const host = c.req.header('x-forwarded-host');
    c.set(
      'origin',
      host ? `${c.req.header('x-forwarded-proto') ?? 'https'}://${host.split(',')[0]!.trim()}` : opts.baseUrl(),
    );
    let tstu = 0;
    let res: Response | undefined;
    try {
      res = await gate();
    } catch (err) {
      res = errorResponse(c, err);
    }
    const u = new URL(c.req.url);
    controls.log.push({
      method: c.req.method,
      path: u.pathname,
      query: u.search,
      status: (res ?? c.res).status,
      user: c.get('user')?.uniqueName ?? '',
      ...(requestedVersion(c) ? { apiVersion: requestedVersion(c) } : {}),
      ms: Date.now() - started,
      tstu,
    });
    return res;

    async function gate(): Promise<Response | undefined> {
      const path = routingPath(c.req.raw, server.virtualDirectory);
      const auth = c.req.header('authorization') ?? '';
      let pat = '';
      if (/^basic /i.test(auth)) {
        const decoded = Buffer.from(auth.slice(6).trim(), 'base64').toString('utf8');
        pat = decoded.slice(decoded.indexOf(':') + 1);
      } else if (/^bearer /i.test(auth)) pat = auth.slice(7).trim();
      // A fault aimed at one identity (its unique name) hits only requests with that identity's PAT: the integration, not people.
      const fault = takeFault(
        controls.faults,
        c.req.method,
        path,
        pat ? store.identityByPat(pat)?.uniqueName : undefined,
      );
      if (fault?.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs));
      if (fault?.drop) {
        (c.env as { incoming?: { socket?: { destroy(): void } } } | undefined)?.incoming?.socket?.destroy();
        return c.body(null, 500);
      }
      if (fault?.status)
        return c.json(
          (fault.body ??
            new AdoError(
              fault.status,
              `Injected failure ${fault.status}`,
              'VssServiceException',
              'Microsoft.VisualStudio.Services.WebApi.VssServiceException, Microsoft.VisualStudio.Services.WebApi',
            ).body()) as object,
          fault.status as 500,
          fault.headers,
        );

      const orgName = decodeURIComponent(path.split('/')[1] ?? '');
      const org = store.org(orgName);
      // A Server with a virtual directory answers its collections below it only, and Services never does.
      const under = belowVirtualDirectory(rawPath(c.req.raw), server.virtualDirectory).under;
      if (!org || under !== (org.kind === 'server' && server.virtualDirectory !== ''))
        throw errors.notFound(
          `The organization or collection '${orgName}' could not be found.`,
          'HostDoesNotExistException',
        );
      c.set('org', org);
      if (under) c.set('origin', `${c.get('origin')}/${server.virtualDirectory}`);

      const user = pat ? store.identityByPat(pat) : undefined;
      if (!user) {
        const sp = org.signInPage;
        if (
          sp.on &&
          sp.paths.some((p) => (!p.method || p.method.toUpperCase() === c.req.method) && pathMatches(p.path, path))
        ) {
          const replyTo = `${c.get('origin')}${new URL(c.req.url).pathname}`;
          const fedAuth = {
            'X-TFS-FedAuthRealm': 'https://dev.azure.com/',
            'X-TFS-FedAuthIssuer': 'https://dev.azure.com/',
            'X-TFS-FedAuthRedirect': `${SIGN_IN_URL}?realm=dev.azure.com&reply_to=${encodeURIComponent(replyTo)}`,
          };
          if (sp.mode === '302')
            return c.body(null, 302, {
              Location: `${SIGN_IN_URL}?realm=dev.azure.com&reply_to=${encodeURIComponent(replyTo)}&redirect=1`,
              ...fedAuth,
            });
          return c.html(signInPage(replyTo), 203, fedAuth);
        }
        const e = errors.unauthorized();
        return c.json(e.body(), 401, {
          'WWW-Authenticate':
            'Bearer authorization_uri=https://login.microsoftonline.com/common, Basic realm="https://dev.azure.com/", TFS-Federated',
          'X-TFS-FedAuthRealm': 'https://dev.azure.com/',
          'X-TFS-FedAuthIssuer': 'https://dev.azure.com/',
        });
      }
      c.set('user', user);

      // Route discovery needs no api-version: it is how a client learns which versions there are.
      if (c.req.method === 'OPTIONS') {
        await next();
        return undefined;
      }
      const raw = requestedVersion(c);
      if (!raw) throw errors.versionMissing(c.req.method);
      const version = parseApiVersion(raw);
      if (!version) throw errors.versionInvalid(raw);
      const range = rangeOf(org);
      const asked = `${version.major}.${version.minor}`;
      if (compareVersions(asked, range.maxVersion) > 0 || version.major < 1)
        throw errors.versionOutOfRange(asked, range.maxVersion);
      if (compareVersions(asked, range.releasedVersion) > 0 && !version.preview) throw errors.previewRequired(raw);
      c.set('apiVersion', version);

      if (limiter.config.enabled && org.kind === 'services') {
        const d = limiter.decide(user.id, c.req.method, path, store.now());
        if (d.kind === 'block') throw errors.throttled(d.resource, d.headers);
        tstu = d.cost;
        if (d.kind === 'delay' && d.sleepMs > 0) await new Promise((r) => setTimeout(r, d.sleepMs));
        await next();
        for (const [k, v] of Object.entries(d.headers)) c.res.headers.set(k, v);
        return undefined;
      }
      await next();
      return undefined;
    }
  });

  // ---- scope helpers
  const projectOf = (c: C): Project | undefined => {
    const name = c.req.param('project');
    if (!name) return undefined;
    const p = store.project(c.get('org'), name);
    if (!p) throw errors.projectNotFound(name);
    const team = c.req.param('team');
    if (team && team.toLowerCase() !== `${p.name} team`.toLowerCase())
      throw errors.notFound(
        `The team with id or name '${team}' does not exist in project ${p.name}.`,
        'TeamNotFoundException',
      );
    return p;
  };
  const requireProject = (c: C): Project => {
    const p = projectOf(c);
    if (!p)
      throw errors.badRequest(
        'A project is required for this request. Use /{organization}/{project}/_apis/....',
        'ArgumentException',
      );
    return p;
  };
  const itemOf = (c: C, raw = c.req.param('id') ?? c.req.param('workItemId')): WorkItemRecord => {
    projectOf(c);
    const id = Number(raw);
    const item = Number.isInteger(id) ? store.items(c.get('org')).get(id) : undefined;
    if (!item || item.deleted) throw errors.workItemNotFound(raw ?? '');
    return item;
  };
  const emit = (
    c: C,
    type: WorkItemEventType,
    item: WorkItemRecord,
    revision: WorkItemRecord['revisions'][number],
    comment?: CommentRecord,
  ) => {
    if (bool(query(c, 'suppressNotifications'))) return;
    const event: WorkItemEvent = { type, item, revision, by: c.get('user'), comment, ctx: ctxOf(c) };
    for (const s of store.subscriptions)
      if (s.org === c.get('org').name.toLowerCase() && subscriptionMatches(s, event))
        notifier.enqueue(s, buildEvent(store, s, event, store.now()));
  };
  /** The comments API is a preview of resource version 3, or 4 where the host has it (Services, Server 2022.1). */
  const requirePreview = (c: C) => {
    const v = c.get('apiVersion');
    if (!v.preview) throw errors.previewRequired(v.raw);
    const latest = rangeOf(c.get('org')).commentsResourceVersion;
    if (v.resourceVersion !== undefined && (v.resourceVersion < 3 || v.resourceVersion > latest))
      throw errors.resourceVersionUnsupported(v.raw, latest);
  };
  const both = (suffix: string) => [`/:org/:project/_apis${suffix}`, `/:org/_apis${suffix}`];
  const list = (value: Json[]): JsonObject => ({ count: value.length, value });

  // ---- route discovery (OPTIONS, no api-version) and resource areas
  const locations = (c: C, area: string | undefined) => {
    if (area && !isKnownArea(area)) throw errors.routeNotFound(new URL(c.req.url).pathname);
    const value = locationsOf(area, rangeOf(c.get('org')));
    return c.json({ count: value.length, value });
  };
  app.on('OPTIONS', '/:org/_apis', (c) => locations(c, undefined));
  app.on('OPTIONS', '/:org/_apis/:area', (c) => locations(c, c.req.param('area')));
  // Services says where each area lives; a Server answers none, and a client then uses the collection URL.
  app.get('/:org/_apis/resourceareas', (c) =>
    c.get('org').kind === 'server'
      ? c.json({ count: 0, value: null })
      : c.json({
          count: RESOURCE_AREAS.length,
          value: RESOURCE_AREAS.map((a) => ({ id: a.id, name: a.name, locationUrl: `${orgUrl(ctxOf(c))}/` })),
        }),
  );

  // ---- work items
  const getMany = (
    c: C,
    ids: number[],
    fields: string[] | undefined,
    expand: Expand,
    asOf: string | undefined,
    errorPolicy: 'fail' | 'omit',
  ) => {
    if (ids.length > store.limits.batchMaxIds) throw errors.batchLimit(ids.length, store.limits.batchMaxIds);
    conflicting(fields, expand);
    const value = ids.map((id) => {
      const item = store.items(c.get('org')).get(id);
      if (!item || item.deleted) {
        if (errorPolicy === 'omit') return null;
        throw errors.workItemNotFound(id);
      }
      return workItemJson(store, ctxOf(c), item, { expand, fields, asOf });
    });
    return c.json(list(value));
  };
  for (const p of both('/wit/workitems')) {
    app.get(p, (c) => {
      projectOf(c);
      const raw = query(c, 'ids');
      if (!raw) throw errors.badRequest('The ids parameter is required: ?ids=1,2,3', 'ArgumentNullException');
      const ids = raw.split(',').map((s) => Number(s.trim()));
      if (ids.some((n) => !Number.isInteger(n) || n <= 0))
        throw errors.badRequest(`The value '${raw}' is not a valid list of work item ids.`, 'ArgumentException');
      const policy = (query(c, 'errorPolicy') ?? 'fail').toLowerCase() === 'omit' ? 'omit' : 'fail';
      return getMany(
        c,
        ids,
        fieldsParam(query(c, 'fields')),
        expandParam(query(c, '$expand')),
        query(c, 'asOf'),
        policy,
      );
    });
  }
  for (const p of both('/wit/workitemsbatch')) {
    app.post(p, async (c) => {
      projectOf(c);
      const body = parse(
        z.object({
          ids: z.array(z.number().int().positive()).min(1),
          fields: z.array(z.string()).nullish(),
          $expand: z.string().nullish(),
          asOf: z.string().nullish(),
          errorPolicy: z.string().nullish(),
        }),
        await jsonBody(c),
        'WorkItemBatchGetRequest',
      );
      const policy = (body.errorPolicy ?? 'fail').toLowerCase() === 'omit' ? 'omit' : 'fail';
      return getMany(
        c,
        body.ids,
        body.fields ?? undefined,
        expandParam(body.$expand ?? undefined),
        body.asOf ?? undefined,
        policy,
      );
    });
  }

  const patchOps = async (c: C) =>
    parse(
      patchSchema,
      (await jsonBody(c, 'application/json-patch+json')) ?? null,
      'You must pass a valid patch document in the body of the request',
    );
  const writeResponse = (c: C, item: WorkItemRecord) => {
    const expand = expandParam(query(c, '$expand'));
    const json = workItemJson(store, ctxOf(c), item, {
      expand,
      links: true,
      revision: item.revisions.length
        ? undefined
        : {
            rev: item.rev,
            fields: item.fields,
            relations: item.relations,
            changes: {},
            by: c.get('user').id,
            date: store.now(),
          },
    });
    if (item.relations.length && !json.relations)
      json.relations = item.relations.map((r) => ({ rel: r.rel, url: r.url, attributes: { ...r.attributes } }));
    return c.json(json);
  };
  const validatedResponse = (c: C, item: WorkItemRecord) => {
    const json = workItemJson(
      store,
      ctxOf(c),
      {
        ...item,
        revisions: [
          {
            rev: item.rev,
            fields: item.fields,
            relations: item.relations,
            changes: {},
            by: c.get('user').id,
            date: store.now(),
          },
        ],
      },
      { expand: 'none' },
    );
    if (item.id === 0) delete json.id;
    return c.json(json);
  };

  for (const p of both('/wit/workitems/:idOrType')) {
    app.get(p, (c) => {
      const key = c.req.param('idOrType') ?? '';
      if (key.startsWith('$')) {
        const project = requireProject(c);
        const type = store.workItemType(project, key.slice(1));
        if (!type) throw errors.workItemTypeNotFound(key.slice(1), project.name);
        const fields: JsonObject = {
          'System.AreaPath': project.name,
          'System.TeamProject': project.name,
          'System.IterationPath': project.name,
          'System.WorkItemType': type.name,
          'System.State': type.states[0]!.name,
          'System.Reason': type.states[0]!.reason,
          ...type.defaults,
        };
        return c.json({
          fields,
          _links: {
            workItemType: {
              href: `${orgUrl(ctxOf(c))}/${project.id}/_apis/wit/workItemTypes/${encodeURIComponent(type.name)}`,
            },
            fields: { href: `${orgUrl(ctxOf(c))}/_apis/wit/fields` },
          },
          url: `${orgUrl(ctxOf(c))}/${project.id}/_apis/wit/workItems/$${encodeURIComponent(type.name)}`,
        });
      }
      const item = itemOf(c, key);
      const fields = fieldsParam(query(c, 'fields'));
      const expand = expandParam(query(c, '$expand'));
      conflicting(fields, expand);
      return c.json(workItemJson(store, ctxOf(c), item, { expand, fields, asOf: query(c, 'asOf'), links: true }));
    });
    // Creating needs a project: there is no organization-level create.
    if (p.startsWith('/:org/:project/'))
      app.post(p, async (c) => {
        const key = c.req.param('idOrType') ?? '';
        const project = requireProject(c);
        if (!key.startsWith('$'))
          throw errors.badRequest(`The work item type must be given as /workitems/$${key}.`, 'ArgumentException');
        const type = store.workItemType(project, key.slice(1));
        if (!type) throw errors.workItemTypeNotFound(key.slice(1), project.name);
        const ops = await patchOps(c);
        const validateOnly = bool(query(c, 'validateOnly'));
        const result = writer.write({
          org: c.get('org'),
          project,
          type,
          ops,
          by: c.get('user'),
          bypassRules: bool(query(c, 'bypassRules')),
          validateOnly,
        });
        if (validateOnly) return validatedResponse(c, result.item);
        emit(c, 'workitem.created', result.item, result.revision!);
        if (result.comment) emit(c, 'workitem.commented', result.item, result.revision!, result.comment);
        for (const end of result.otherEnds ?? []) emit(c, 'workitem.updated', end.item, end.revision);
        return writeResponse(c, result.item);
      });
    app.patch(p, async (c) => {
      const item = itemOf(c, c.req.param('idOrType'));
      const ops = await patchOps(c);
      const validateOnly = bool(query(c, 'validateOnly'));
      const result = writer.write({
        org: c.get('org'),
        project: item.project,
        item,
        ops,
        by: c.get('user'),
        bypassRules: bool(query(c, 'bypassRules')),
        validateOnly,
      });
      if (validateOnly) return validatedResponse(c, result.item);
      if (result.revision) {
        emit(c, 'workitem.updated', item, result.revision);
        if (result.comment) emit(c, 'workitem.commented', item, result.revision, result.comment);
        for (const end of result.otherEnds ?? []) emit(c, 'workitem.updated', end.item, end.revision);
      }
      return writeResponse(c, item);
    });
    app.delete(p, (c) => {
      const item = itemOf(c, c.req.param('idOrType'));
      const user = c.get('user');
      const revision = item.revisions[item.revisions.length - 1]!;
      emit(c, 'workitem.deleted', item, revision);
      if (bool(query(c, 'destroy'))) {
        store.items(c.get('org')).delete(item.id);
        return c.body(null, 204);
      }
      item.deleted = { by: user.id, date: store.now() };
      return c.json({
        id: item.id,
        code: 200,
        deletedBy: `${user.displayName} <${user.uniqueName}>`,
        deletedDate: adoDate(item.deleted.date),
        name: String(item.fields['System.Title']),
        project: item.project.name,
        type: String(item.fields['System.WorkItemType']),
        url: `${orgUrl(ctxOf(c))}/_apis/wit/recyclebin/${item.id}`,
        resource: workItemJson(store, ctxOf(c), item, { expand: 'none' }),
      });
    });
  }

  // ---- updates and revisions
  const page = <T>(c: C, all: T[]) => {
    const skip = intParam(c, '$skip') ?? 0;
    const top = intParam(c, '$top');
    return all.slice(skip, top === undefined ? undefined : skip + top);
  };
  for (const p of both('/wit/workitems/:id/updates')) {
    app.get(p, (c) => {
      const item = itemOf(c);
      return c.json(list(page(c, item.revisions).map((r) => updateJson(store, ctxOf(c), item, r))));
    });
    app.get(`${p}/:n`, (c) => {
      const item = itemOf(c);
      const r = item.revisions.find((x) => x.rev === Number(c.req.param('n')));
      if (!r)
        throw errors.notFound(
          `Update ${c.req.param('n')} of work item ${item.id} does not exist.`,
          'WorkItemUpdateNotFoundException',
        );
      return c.json(updateJson(store, ctxOf(c), item, r));
    });
  }
  const revisionJson = (c: C, item: WorkItemRecord, r: WorkItemRecord['revisions'][number]) => {
    const expand = expandParam(query(c, '$expand'));
    const json = workItemJson(store, ctxOf(c), item, {
      revision: r,
      expand: expand === 'none' ? 'fields' : expand === 'relations' ? 'all' : expand,
    });
    if (expand === 'none' || expand === 'fields') delete json._links;
    json.url = `${orgUrl(ctxOf(c))}/_apis/wit/workItems/${item.id}/revisions/${r.rev}`;
    return json;
  };
  for (const p of both('/wit/workitems/:id/revisions')) {
    app.get(p, (c) => {
      const item = itemOf(c);
      return c.json(list(page(c, item.revisions).map((r) => revisionJson(c, item, r))));
    });
    app.get(`${p}/:n`, (c) => {
      const item = itemOf(c);
      const r = item.revisions.find((x) => x.rev === Number(c.req.param('n')));
      if (!r)
        throw errors.notFound(
          `Revision ${c.req.param('n')} of work item ${item.id} does not exist.`,
          'WorkItemRevisionNotFoundException',
        );
      return c.json(revisionJson(c, item, r));
    });
  }

  // ---- WIQL
  const wiql = async (c: C) => {
    const project = projectOf(c);
    const body = parse(z.object({ query: z.string().min(1) }), await jsonBody(c), 'Wiql');
    const timePrecision = bool(query(c, 'timePrecision'));
    const top = intParam(c, '$top');
    const q = parseWiql(store, body.query);
    const matched = runWiql(
      { store, project, me: c.get('user'), now: store.now(), timePrecision },
      q,
      store.items(c.get('org')).values(),
    );
    if (top === undefined && matched.length > store.limits.wiqlMaxResults)
      throw errors.wiqlTooMany(store.limits.wiqlMaxResults);
    const chosen = matched.slice(0, Math.min(top ?? Infinity, store.limits.wiqlMaxResults));
    const ctx = ctxOf(c);
    const col = (d: { referenceName: string; name: string }) => ({
      referenceName: d.referenceName,
      name: d.name,
      url: `${orgUrl(ctx)}/_apis/wit/fields/${d.referenceName}`,
    });
    return c.json({
      queryType: 'flat',
      queryResultType: 'workItem',
      asOf: adoDate(q.asOf ? Date.parse(q.asOf) : store.now()),
      columns: q.select.map(col),
      sortColumns: q.orderBy.map((o) => ({ field: col(o.def), descending: o.descending })),
      workItems: chosen.map((i) => ({ id: i.id, url: `${orgUrl(ctx)}/_apis/wit/workItems/${i.id}` })),
    });
  };
  for (const p of [...both('/wit/wiql'), '/:org/:project/:team/_apis/wit/wiql']) app.post(p, wiql);

  // ---- comments (preview API)
  const commentOf = (c: C, item: WorkItemRecord): CommentRecord => {
    const id = Number(c.req.param('commentId'));
    const comment = item.comments.find((x) => x.id === id);
    const deleted = comment?.versions[comment.versions.length - 1]!.isDeleted;
    if (
      !comment ||
      (deleted && !bool(query(c, 'includeDeleted')) && c.req.method === 'GET') ||
      (deleted && c.req.method !== 'GET')
    )
      throw errors.notFound(
        `VS402621: Comment ${c.req.param('commentId')} of work item ${item.id} does not exist.`,
        'WorkItemCommentNotFoundException',
      );
    return comment;
  };
  const formatParam = (c: C): 'html' | 'markdown' | undefined => {
    const f = query(c, 'format');
    if (!f) return undefined;
    if (!['html', 'markdown'].includes(f.toLowerCase()))
      throw errors.badRequest(
        `The value '${f}' is not valid for format. Valid values are markdown, html.`,
        'ArgumentException',
      );
    return f.toLowerCase() as 'html' | 'markdown';
  };
  for (const p of ['/:org/:project/_apis/wit/workitems/:workItemId/comments']) {
    app.post(p, async (c) => {
      requirePreview(c);
      const item = itemOf(c);
      const body = parse(z.object({ text: z.string() }), await jsonBody(c), 'CommentCreate');
      if (!body.text.trim()) throw errors.badRequest('The comment text cannot be empty.', 'ArgumentException');
      const { comment, revision } = writer.addComment(item, body.text, formatParam(c) ?? 'html', c.get('user'));
      emit(c, 'workitem.updated', item, revision);
      emit(c, 'workitem.commented', item, revision, comment);
      return c.json(commentJson(store, ctxOf(c), item, comment));
    });
    app.get(p, (c) => {
      requirePreview(c);
      const item = itemOf(c);
      const includeDeleted = bool(query(c, 'includeDeleted'));
      const visible = item.comments.filter((x) => includeDeleted || !x.versions[x.versions.length - 1]!.isDeleted);
      const ids = query(c, 'ids');
      if (ids) {
        const wanted = ids.split(',').map(Number);
        const picked = visible.filter((x) => wanted.includes(x.id));
        return c.json({
          totalCount: picked.length,
          count: picked.length,
          comments: picked.map((x) => commentJson(store, ctxOf(c), item, x)),
        });
      }
      const top = intParam(c, '$top') ?? store.limits.commentsMaxTop;
      if (top < 1 || top > store.limits.commentsMaxTop)
        throw errors.badRequest(
          `The value of $top must be between 1 and ${store.limits.commentsMaxTop}.`,
          'ArgumentOutOfRangeException',
        );
      const order = (query(c, 'order') ?? 'desc').toLowerCase() === 'asc' ? 'asc' : 'desc';
      const sorted = order === 'asc' ? visible : [...visible].reverse();
      const token = query(c, 'continuationToken');
      let start = 0;
      if (token) {
        const decoded = Number(Buffer.from(token, 'base64url').toString('utf8'));
        if (!Number.isInteger(decoded) || decoded < 0)
          throw errors.badRequest(`The continuation token '${token}' is not valid.`, 'ArgumentException');
        start = decoded;
      }
      const slice = sorted.slice(start, start + top);
      const json: JsonObject = {
        totalCount: visible.length,
        count: slice.length,
        comments: slice.map((x) => commentJson(store, ctxOf(c), item, x)),
      };
      if (start + top < sorted.length) {
        const next = Buffer.from(String(start + top)).toString('base64url');
        const u = new URL(c.req.url);
        u.searchParams.set('continuationToken', next);
        json.continuationToken = next;
        json.nextPage = `${c.get('origin')}${u.pathname}${u.search}`;
      }
      json.url = `${orgUrl(ctxOf(c))}/${item.project.id}/_apis/wit/workItems/${item.id}/comments`;
      return c.json(json);
    });
    app.get(`${p}/:commentId`, (c) => {
      requirePreview(c);
      const item = itemOf(c);
      return c.json(commentJson(store, ctxOf(c), item, commentOf(c, item)));
    });
    app.patch(`${p}/:commentId`, async (c) => {
      requirePreview(c);
      const item = itemOf(c);
      const comment = commentOf(c, item);
      const body = parse(z.object({ text: z.string() }), await jsonBody(c), 'CommentUpdate');
      if (!body.text.trim()) throw errors.badRequest('The comment text cannot be empty.', 'ArgumentException');
      writer.editComment(item, comment, body.text, formatParam(c), c.get('user'));
      return c.json(commentJson(store, ctxOf(c), item, comment));
    });
    app.delete(`${p}/:commentId`, (c) => {
      requirePreview(c);
      const item = itemOf(c);
      const comment = commentOf(c, item);
      const revision = writer.deleteComment(item, comment, c.get('user'));
      emit(c, 'workitem.updated', item, revision);
      return c.body(null, 204);
    });
    app.get(`${p}/:commentId/versions`, (c) => {
      requirePreview(c);
      const item = itemOf(c);
      const comment = commentOf(c, item);
      return c.json(list(comment.versions.map((v) => commentVersionJson(store, ctxOf(c), item, comment, v.version))));
    });
    app.get(`${p}/:commentId/versions/:version`, (c) => {
      requirePreview(c);
      const item = itemOf(c);
      const comment = commentOf(c, item);
      const v = Number(c.req.param('version'));
      if (!comment.versions.some((x) => x.version === v))
        throw errors.notFound(
          `Version ${c.req.param('version')} of comment ${comment.id} does not exist.`,
          'WorkItemCommentNotFoundException',
        );
      return c.json(commentVersionJson(store, ctxOf(c), item, comment, v));
    });
  }

  // ---- attachments
  const attachmentUrl = (c: C, id: string, fileName?: string) =>
    `${orgUrl(ctxOf(c))}/_apis/wit/attachments/${id}${fileName ? `?fileName=${encodeURIComponent(fileName)}` : ''}`;
  for (const p of both('/wit/attachments')) {
    app.post(p, async (c) => {
      projectOf(c);
      const fileName = query(c, 'fileName');
      if (!fileName)
        throw errors.badRequest('Value cannot be null.\r\nParameter name: fileName', 'ArgumentNullException');
      const chunked = (query(c, 'uploadType') ?? 'simple').toLowerCase() === 'chunked';
      const data = Buffer.from(await c.req.arrayBuffer());
      if (!chunked && data.length > store.limits.attachmentMaxBytes) {
        throw new AdoError(
          413,
          `VS403407: The size of the uploaded attachment (${data.length} bytes) exceeds the maximum allowed size of ${store.limits.attachmentMaxBytes} bytes. Use a chunked upload.`,
          'AttachmentSizeExceededException',
          'Microsoft.TeamFoundation.WorkItemTracking.Server.AttachmentSizeExceededException, Microsoft.TeamFoundation.WorkItemTracking.Server',
          3200,
        );
      }
      const id = randomUUID();
      store.attachments.set(id, {
        id,
        org: c.get('org').name.toLowerCase(),
        fileName,
        chunks: chunked ? [] : [data],
        size: chunked ? 0 : data.length,
        chunked,
        createdBy: c.get('user').id,
        createdDate: store.now(),
      });
      return c.json({ id, url: attachmentUrl(c, id, fileName) }, 201);
    });
    app.put(`${p}/:id`, async (c) => {
      projectOf(c);
      const att = store.attachments.get(c.req.param('id').toLowerCase());
      if (!att || att.org !== c.get('org').name.toLowerCase() || !att.chunked)
        throw errors.notFound(
          `VS402615: Attachment ${c.req.param('id')} was not found or is not a chunked upload.`,
          'AttachmentNotFoundException',
        );
      const range = /^bytes\s+(\d+)\s*-\s*(\d+)\s*\/\s*(\d+)$/i.exec((c.req.header('content-range') ?? '').trim());
      if (!range)
        throw errors.badRequest(
          'The Content-Range header is required for a chunked upload, e.g. "bytes 0-39999/50000".',
          'ArgumentException',
        );
      const [from, to, total] = [Number(range[1]), Number(range[2]), Number(range[3])];
      const data = Buffer.from(await c.req.arrayBuffer());
      if (total > store.limits.chunkedAttachmentMaxBytes)
        throw new AdoError(
          413,
          `VS403407: The size of the attachment (${total} bytes) exceeds the maximum allowed size of ${store.limits.chunkedAttachmentMaxBytes} bytes.`,
          'AttachmentSizeExceededException',
          'Microsoft.TeamFoundation.WorkItemTracking.Server.AttachmentSizeExceededException, Microsoft.TeamFoundation.WorkItemTracking.Server',
          3200,
        );
      if (
        from !== att.size ||
        to - from + 1 !== data.length ||
        to >= total ||
        (att.expectedSize !== undefined && att.expectedSize !== total)
      ) {
        throw errors.badRequest(
          `The chunk bytes ${from}-${to}/${total} does not follow the ${att.size} bytes already uploaded or does not match the body of ${data.length} bytes.`,
          'ArgumentException',
        );
      }
      att.expectedSize = total;
      att.chunks.push(data);
      att.size += data.length;
      return c.json({ id: att.id, url: attachmentUrl(c, att.id, query(c, 'fileName') ?? undefined) }, 201);
    });
    app.get(`${p}/:id`, (c) => {
      projectOf(c);
      const att = store.attachments.get(c.req.param('id').toLowerCase());
      if (!att || att.org !== c.get('org').name.toLowerCase() || (att.chunked && att.size !== att.expectedSize))
        throw errors.notFound(
          `VS402615: Attachment ${c.req.param('id')} was not found.`,
          'AttachmentNotFoundException',
        );
      const name = query(c, 'fileName') ?? att.fileName;
      const headers: Record<string, string> = { 'content-type': 'application/octet-stream' };
      if (bool(query(c, 'download')))
        headers['content-disposition'] =
          `attachment; filename="${name.replace(/"/g, '')}"; filename*=UTF-8''${encodeURIComponent(name)}`;
      return c.body(new Uint8Array(Buffer.concat(att.chunks)), 200, headers);
    });
  }

  // ---- work item types
  const typeJson = (c: C, project: Project, t: ReturnType<AdoStore['workItemType']> & object) => ({
    name: t.name,
    referenceName: t.referenceName,
    description: t.description,
    color: t.color,
    icon: {
      id: `icon_${t.name.toLowerCase().replace(/\s/g, '_')}`,
      url: `${orgUrl(ctxOf(c))}/_apis/wit/workItemIcons/icon_${t.name.toLowerCase().replace(/\s/g, '_')}?color=${t.color}&v=2`,
    },
    isDisabled: false,
    states: t.states.map((s) => ({ name: s.name, color: s.color, category: s.category })),
    url: `${orgUrl(ctxOf(c))}/${project.id}/_apis/wit/workItemTypes/${encodeURIComponent(t.name)}`,
  });
  // ---- classification nodes: the project's area and iteration trees (classification.ts)
  const classificationNodes = (c: C) => {
    const project = requireProject(c);
    const group = structureGroupOf(c.req.param('group') ?? '');
    if (!group)
      throw errors.badRequest(
        `The structure group '${c.req.param('group')}' is not valid: use Areas or Iterations.`,
        'ArgumentException',
      );
    const depth = Number(query(c, '$depth') ?? 0);
    const node = classificationNode(
      project.name,
      group === 'Areas' ? project.areas : project.iterations,
      group,
      decodeURIComponent(c.req.param('path') ?? ''),
      Number.isInteger(depth) && depth > 0 ? depth : 0,
      `${orgUrl(ctxOf(c))}/${project.id}`,
    );
    if (!node)
      throw errors.notFound(
        `VS402485: The node name ${c.req.param('path') ?? ''} could not be found under the path ${project.name}.`,
        'WorkItemTrackingTreeNodeNotFoundException',
      );
    return c.json(node);
  };
  // The roots of both trees (getRootNodes; also what a client that drops the Areas enum's 0 from the route reaches).
  app.get('/:org/:project/_apis/wit/classificationnodes', (c) => {
    const project = requireProject(c);
    const depth = Number(query(c, '$depth') ?? 0);
    const roots = (['Areas', 'Iterations'] as const).map((group) =>
      classificationNode(
        project.name,
        group === 'Areas' ? project.areas : project.iterations,
        group,
        '',
        Number.isInteger(depth) && depth > 0 ? depth : 0,
        `${orgUrl(ctxOf(c))}/${project.id}`,
      )!,
    );
    return c.json(list(roots as unknown as Json[]));
  });
  app.get('/:org/:project/_apis/wit/classificationnodes/:group', classificationNodes);
  app.get('/:org/:project/_apis/wit/classificationnodes/:group/:path{.+}', classificationNodes);

  app.get('/:org/:project/_apis/wit/workitemtypes', (c) => {
    const project = requireProject(c);
    return c.json(list(Object.values(store.processes[project.process]).map((t) => typeJson(c, project, t))));
  });
  app.get('/:org/:project/_apis/wit/workitemtypes/:type', (c) => {
    const project = requireProject(c);
    const t = store.workItemType(project, c.req.param('type'));
    if (!t) throw errors.workItemTypeNotFound(c.req.param('type'), project.name);
    return c.json(typeJson(c, project, t));
  });
  app.get('/:org/:project/_apis/wit/workitemtypes/:type/states', (c) => {
    const project = requireProject(c);
    const t = store.workItemType(project, c.req.param('type'));
    if (!t) throw errors.workItemTypeNotFound(c.req.param('type'), project.name);
    return c.json(list(t.states.map((s) => ({ name: s.name, color: s.color, category: s.category }))));
  });

  // ---- fields: of a work item type (WorkItemTypeFieldWithReferences) and of the organization (WorkItemField2)
  const fieldUrl = (c: C, referenceName: string) => `${orgUrl(ctxOf(c))}/_apis/wit/fields/${referenceName}`;
  /** `$expand` of the type's fields: none | allowedValues | dependentFields | all (case-insensitive, as the service reads it). */
  const typeFieldsExpand = (c: C) => {
    const raw = query(c, '$expand');
    const names = ['none', 'allowedvalues', 'dependentfields', 'all'];
    // By name or by the enum's number (WorkItemTypeFieldsExpandLevel), as .NET binds what generated clients send.
    const e = /^[0-3]$/.test(raw ?? '') ? names[Number(raw)]! : (raw ?? 'none').toLowerCase();
    if (!names.includes(e))
      throw errors.badRequest(
        `The value '${raw}' is not valid for $expand. Valid values are None, AllowedValues, DependentFields, All.`,
        'ArgumentException',
      );
    return { values: e === 'allowedvalues' || e === 'all', dependents: e === 'dependentfields' || e === 'all' };
  };
  /** What a field allows on this type: the type's states and reasons, the process's types, else the field's own list (as strings, as the service answers them). */
  const allowedOn = (project: Project, t: WorkItemTypeDef, d: FieldDef): string[] => {
    if (d.referenceName === 'System.State') return t.states.map((s) => s.name).sort();
    if (d.referenceName === 'System.Reason')
      return [...new Set(t.states.flatMap((s) => [s.reason, ...Object.values(s.reasonFrom ?? {})]))].sort();
    if (d.referenceName === 'System.WorkItemType') return Object.keys(store.processes[project.process]).sort();
    return (d.allowedValues ?? []).map(String);
  };
  const typeFieldJson = (
    c: C,
    project: Project,
    t: WorkItemTypeDef,
    d: FieldDef,
    expand: { values: boolean; dependents: boolean },
  ) => {
    const fallback = d.referenceName === 'System.State' ? t.states[0]?.name : undefined;
    const defaultValue = t.defaults[d.referenceName] ?? fallback;
    return {
      alwaysRequired: d.referenceName === 'System.Title' || d.referenceName === 'System.State',
      defaultValue: defaultValue === undefined ? null : String(defaultValue),
      ...(expand.values ? { allowedValues: allowedOn(project, t, d) } : {}),
      ...(expand.dependents
        ? {
            dependentFields:
              d.referenceName === 'System.State'
                ? ['System.Reason'].map((r) => ({ referenceName: r, name: store.field(r)!.name, url: fieldUrl(c, r) }))
                : [],
          }
        : {}),
      referenceName: d.referenceName,
      name: d.name,
      url: fieldUrl(c, d.referenceName),
    };
  };
  // Every field the simulator knows is on every type (writes accept them all alike).
  app.get('/:org/:project/_apis/wit/workitemtypes/:type/fields', (c) => {
    const project = requireProject(c);
    const t = store.workItemType(project, c.req.param('type'));
    if (!t) throw errors.workItemTypeNotFound(c.req.param('type'), project.name);
    const expand = typeFieldsExpand(c);
    return c.json(list(store.fieldDefs.map((d) => typeFieldJson(c, project, t, d, expand))));
  });
  /** A field's type as the fields API names it: History is `history`; a custom field with a list is a picklist. */
  const fieldType = (d: FieldDef): string => {
    if (d.referenceName === 'System.History') return 'history';
    const custom = !/^(System|Microsoft)\./.test(d.referenceName);
    if (custom && d.allowedValues?.length)
      return d.type === 'integer' ? 'picklistInteger' : d.type === 'double' ? 'picklistDouble' : 'picklistString';
    return d.type;
  };
  for (const p of both('/wit/fields')) {
    app.get(p, (c) => {
      projectOf(c);
      return c.json(
        list(
          store.fieldDefs.map((d) => {
            const type = fieldType(d);
            return {
              name: d.name,
              referenceName: d.referenceName,
              description: '',
              type,
              usage: 'workItem',
              readOnly: Boolean(d.readOnly),
              canSortBy: !['html', 'history', 'plainText'].includes(type),
              isQueryable: true,
              supportedOperations: [
                { referenceName: 'SupportedOperations.Equals', name: '=' },
                { referenceName: 'SupportedOperations.NotEquals', name: '<>' },
              ],
              isIdentity: d.type === 'identity',
              isPicklist: type.startsWith('picklist'),
              isPicklistSuggested: false,
              isLocked: false,
              url: fieldUrl(c, d.referenceName),
            };
          }),
        ),
      );
    });
  }

  // ---- service hooks subscriptions
  const subscriptionBody = z.object({
    publisherId: z.string(),
    eventType: z.string(),
    resourceVersion: z.string().default('1.0'),
    consumerId: z.string(),
    consumerActionId: z.string(),
    publisherInputs: z.record(z.string(), z.string()).default({}),
    consumerInputs: z.record(z.string(), z.string()),
    status: z
      .enum(['enabled', 'onProbation', 'disabledByUser', 'disabledBySystem', 'disabledByInactiveIdentity'])
      .optional(),
  });
  const checkSubscription = (body: z.infer<typeof subscriptionBody>) => {
    if (body.publisherId !== 'tfs')
      throw errors.badRequest(
        `VS400000: The publisher '${body.publisherId}' does not exist.`,
        'PublisherNotFoundException',
      );
    if (!(body.eventType in EVENT_TYPES))
      throw errors.badRequest(
        `The event type '${body.eventType}' is not supported by this simulator (work item events only).`,
        'EventTypeNotFoundException',
      );
    if (body.consumerId !== 'webHooks')
      throw errors.badRequest(`The consumer '${body.consumerId}' does not exist.`, 'ConsumerNotFoundException');
    if (body.consumerActionId !== 'httpRequest')
      throw errors.badRequest(
        `The action '${body.consumerActionId}' does not exist for consumer webHooks.`,
        'ConsumerActionNotFoundException',
      );
    const url = body.consumerInputs.url;
    if (!url || !/^https?:\/\/[^\s]+$/i.test(url))
      throw errors.badRequest(
        "The input 'url' is required and must be an absolute http(s) URL.",
        'InputValidationException',
      );
    for (const k of ['basicAuthUsername', 'basicAuthPassword'] as const) {
      const v = body.consumerInputs[k];
      if (v !== undefined && v !== '' && !/^\S{1,256}$/.test(v))
        throw errors.badRequest(
          `The input '${k}' must be 1 to 256 characters without spaces.`,
          'InputValidationException',
        );
    }
  };
  const subscriptionOf = (c: C): Subscription => {
    const s = store.subscriptions.find(
      (x) => x.id === (c.req.param('subscriptionId') ?? '').toLowerCase() && x.org === c.get('org').name.toLowerCase(),
    );
    if (!s)
      throw errors.notFound(
        `VS400004: The subscription ${c.req.param('subscriptionId')} does not exist.`,
        'SubscriptionNotFoundException',
      );
    return s;
  };
  // ---- identities (IMS): on Services at vssps.dev.azure.com/{org}, on a Server at the collection.
  // `identityIds` answers one entry per id asked, null where none has it; `searchFilter=General` matches a display
  // name, an account name or a unique name (case-insensitively), as Read Identities does.
  app.get('/:org/_apis/identities', (c) => {
    const ids = query(c, 'identityIds');
    const filter = query(c, 'searchFilter');
    const value = query(c, 'filterValue');
    if (!ids && !(filter && value))
      throw errors.badRequest(
        'VS403425: Specify one of descriptors, identityIds, subjectDescriptors or searchFilter with filterValue.',
        'InvalidQueryParameterException',
      );
    const found = ids
      ? ids.split(',').map((id) => store.identities.find((i) => i.id === id.trim().toLowerCase()) ?? null)
      : store.identities.filter((i) =>
          filter!.toLowerCase() === 'general'
            ? [i.displayName, i.uniqueName].some((n) => n.toLowerCase() === value!.trim().toLowerCase())
            : filter!.toLowerCase() === 'mailaddress' && i.uniqueName.toLowerCase() === value!.trim().toLowerCase(),
        );
    return c.json(list(found.map((i) => (i ? identityJson(i) : null))));
  });

  app.get('/:org/_apis/hooks/subscriptions', (c) => {
    const filters = ['publisherId', 'eventType', 'consumerId', 'consumerActionId'] as const;
    const subs = store.subscriptions.filter(
      (s) =>
        s.org === c.get('org').name.toLowerCase() &&
        filters.every((f) => !query(c, f) || s[f].toLowerCase() === query(c, f)!.toLowerCase()),
    );
    return c.json(list(subs.map((s) => subscriptionJson(store, ctxOf(c), s))));
  });
  app.post('/:org/_apis/hooks/subscriptions', async (c) => {
    const body = parse(subscriptionBody, await jsonBody(c), 'Subscription');
    checkSubscription(body);
    const now = store.now();
    const project = body.publisherInputs.projectId
      ? store.project(c.get('org'), body.publisherInputs.projectId)
      : undefined;
    if (body.publisherInputs.projectId && !project) throw errors.projectNotFound(body.publisherInputs.projectId);
    const s: Subscription = {
      id: randomUUID(),
      org: c.get('org').name.toLowerCase(),
      publisherId: body.publisherId,
      eventType: body.eventType,
      resourceVersion: body.resourceVersion,
      consumerId: body.consumerId,
      consumerActionId: body.consumerActionId,
      publisherInputs: {
        ...body.publisherInputs,
        ...(project ? { projectId: project.id } : {}),
        tfsSubscriptionId: randomUUID(),
      },
      consumerInputs: { ...body.consumerInputs },
      status: body.status ?? 'enabled',
      createdBy: c.get('user').id,
      createdDate: now,
      modifiedBy: c.get('user').id,
      modifiedDate: now,
      notificationCount: 0,
    };
    store.subscriptions.push(s);
    return c.json(subscriptionJson(store, ctxOf(c), s));
  });
  app.get('/:org/_apis/hooks/subscriptions/:subscriptionId', (c) =>
    c.json(subscriptionJson(store, ctxOf(c), subscriptionOf(c))),
  );
  app.put('/:org/_apis/hooks/subscriptions/:subscriptionId', async (c) => {
    const s = subscriptionOf(c);
    const body = parse(subscriptionBody, await jsonBody(c), 'Subscription');
    checkSubscription({
      ...body,
      consumerInputs: {
        ...body.consumerInputs,
        ...(body.consumerInputs.basicAuthPassword === MASKED
          ? { basicAuthPassword: s.consumerInputs.basicAuthPassword ?? '' }
          : {}),
      },
    });
    const project = body.publisherInputs.projectId
      ? store.project(c.get('org'), body.publisherInputs.projectId)
      : undefined;
    Object.assign(s, {
      eventType: body.eventType,
      resourceVersion: body.resourceVersion,
      publisherInputs: {
        ...body.publisherInputs,
        ...(project ? { projectId: project.id } : {}),
        tfsSubscriptionId: s.publisherInputs.tfsSubscriptionId ?? randomUUID(),
      },
      consumerInputs: {
        ...body.consumerInputs,
        ...(body.consumerInputs.basicAuthPassword === MASKED
          ? { basicAuthPassword: s.consumerInputs.basicAuthPassword }
          : {}),
      },
      status: body.status ?? s.status,
      modifiedBy: c.get('user').id,
      modifiedDate: store.now(),
    });
    return c.json(subscriptionJson(store, ctxOf(c), s));
  });
  app.delete('/:org/_apis/hooks/subscriptions/:subscriptionId', (c) => {
    const s = subscriptionOf(c);
    store.subscriptions = store.subscriptions.filter((x) => x !== s);
    return c.body(null, 204);
  });

  app.onError((err, c) => errorResponse(c, err));
  app.notFound((c) => {
    const e = errors.routeNotFound(new URL(c.req.url).pathname);
    return c.json(e.body(), 404);
  });
  return { app, store, notifier, limiter };
}

export async function startAzureDevOpsSim(opts: AzureDevOpsSimOptions = {}): Promise<AzureDevOpsSim> {
  let baseUrl = '';
  const { app, store, notifier } = createAzureDevOpsApp({ ...opts, baseUrl: () => baseUrl });
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, port: opts.port ?? 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    baseUrl,
    organizationUrl: `${baseUrl}/${DEMO_CREDENTIALS.organization}`,
    controlUrl: `${baseUrl}/_control`,
    store,
    notifier,
    app,
    stop: () =>
      new Promise((r) => {
        server.close(() => r());
        (server as { closeAllConnections?: () => void }).closeAllConnections?.();
      }),
  };
}

/**
 * The Azure DevOps simulator as the sandbox starts it: the app reaches https://dev.azure.com/acme through it, and
 * its people (Read Identities) at the organization's vssps host, which the same simulator plays.
 */
const switchOn = async (url: string, body: unknown, method = 'PUT') => {
  const r = await fetch(url, { method, body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
  if (!r.ok) throw new Error(`${url}: ${r.status} ${await r.text()}`);
};

export const simulatedSystem: SimulatedSystem<AzureDevOpsSim & RunningSimulator> = {
  kind: 'azure-devops',
  async start({ now }) {
    const sim = await startAzureDevOpsSim({ now });
    const instanceUrl = `https://dev.azure.com/${DEMO_CREDENTIALS.organization}`;
    return {
      ...sim,
      instanceUrl,
      simsKey: 'azureDevOps',
      // A query and a batch read are POSTs (vendor-apis.md §2.2, §2.4).
      readsByPost: /\/_apis\/wit\/(wiql|workitemsbatch)$/,
      routes: [
        { host: 'dev.azure.com', target: sim.baseUrl },
        { host: 'vssps.dev.azure.com', target: sim.baseUrl },
      ],
      summary: {
        // The organization's URL on loopback, as the app's https://dev.azure.com/acme.
        baseUrl: sim.organizationUrl,
        instanceUrl,
        organization: DEMO_CREDENTIALS.organization,
        project: DEMO_CREDENTIALS.project,
        credentials: { pat: DEMO_CREDENTIALS.integration.pat, user: DEMO_CREDENTIALS.integration.uniqueName },
      },
      async busyAccountLimit() {
        await switchOn(`${sim.controlUrl}/rate-limit`, { enabled: true });
        return { label: 'Azure DevOps, 200 TSTUs per 5 minutes (1 a request)', limit: 200, windowSeconds: 300 };
      },
      async genuineDelivery() {
        const workItemId = [...(sim.store.workItems.get(DEMO_CREDENTIALS.organization)?.keys() ?? [])][0]!;
        const sent = (await (
          await fetch(`${sim.controlUrl}/hooks/send`, { method: 'POST', body: JSON.stringify({ workItemId }) })
        ).json()) as { status: number; notificationId: number };
        const delivery = sim.notifier.sent.find((d) => d.notificationId === sent.notificationId)!;
        const subscription = sim.store.subscriptions.find((s) => s.id === delivery.subscriptionId)!;
        return { url: delivery.url, headers: deliveryHeaders(subscription), body: delivery.body, status: sent.status };
      },
    };
  },
};
