/**
 * A ServiceNow instance simulator: Table API, journals, Attachment API, Basic
 * and OAuth auth, rate-limit rules, hibernation and outbound notifications.
 * See README.md.
 */
import type { RunningSimulator, SimulatedSystem } from '../../simulated-system';
import { serve } from '@hono/node-server';
import { Hono, type Context } from 'hono';
import type { AddressInfo } from 'node:net';
import * as z from 'zod';
import { HeldRequests, faultRoutes, takeFault, type Fault } from '../shared/faults';
import { Notifier, sign, SIGNATURE_HEADER, TIMESTAMP_HEADER, type ChangeNotice } from './notifications';
import { runQuery } from './query';
import { readRecord, SnError, writeRecord, type ReadOptions } from './records';
import { allFields, InstanceStore, READ_ONLY_TABLES, tableDef, type Row, type SnUser } from './store';
import { randomBytes } from 'node:crypto';
import { serviceNowWebView } from './web-view';
import { refreshSlas, seedSlaDefinitions } from './sla';

export interface ServiceNowSimOptions {
  port?: number;
  now?: () => number;
  /** Access token lifetime (s); ServiceNow's default is 1800. */
  tokenLifetimeSeconds?: number;
}

type Env = { Variables: { user: SnUser; origin: string } };

export interface ServiceNowSim {
  baseUrl: string;
  controlUrl: string;
  store: InstanceStore;
  notifier: Notifier;
  app: Hono<Env>;
  stop(): Promise<void>;
}

export const DEMO_CREDENTIALS = {
  integration: { username: 'crosswalk.integration', password: 'demo-integration-password' },
  agent: { username: 'beth.agent', password: 'demo-agent-password' },
  oauthClient: { client_id: 'crosswalk-demo-client', client_secret: 'demo-client-secret' },
} as const;

const HIBERNATING_PAGE = `<!DOCTYPE html><html><head><title>Instance Hibernating</title></head><body class="instance-hibernating-page"><h1>Your instance is hibernating</h1><p>Sign in to the site to wake your instance.</p><a href="https://developer.servicenow.com">Sign in</a></body></html>`;

function seed(store: InstanceStore): void {
  store.seedMetadata();
  seedSlaDefinitions(store);
  store.addUser({
    user_name: DEMO_CREDENTIALS.integration.username,
    name: 'Crosswalk Integration',
    email: 'crosswalk@acme.example',
    password: DEMO_CREDENTIALS.integration.password,
    roles: ['itil', 'rest_service'],
  });
  const agent = store.addUser({
    user_name: DEMO_CREDENTIALS.agent.username,
    name: 'Beth Agent',
    email: 'beth@acme.example',
    password: DEMO_CREDENTIALS.agent.password,
    roles: ['itil'],
  });
  store.addUser({
    user_name: 'abel.tuter',
    name: 'Abel Tuter',
    email: 'member@demo.example',
    password: 'demo-caller-password',
    roles: [],
  });
  store.clients.push({ ...DEMO_CREDENTIALS.oauthClient });
  const group = store.insertRaw('sys_user_group', { name: 'Service Desk', active: 'true' }, 'system');
  // More of the groups a demo instance has, one of them retired (a reference lists the active ones).
  for (const name of ['Database', 'Hardware', 'Network', 'Software'])
    store.insertRaw('sys_user_group', { name, active: 'true' }, 'system');
  store.insertRaw('sys_user_group', { name: 'Retired desk', active: 'false' }, 'system');
  const def = tableDef('incident')!;
  for (const [short, impact, urgency] of [
    ['Email delivery delayed for the sales team', '2', '2'],
    ['Laptop will not boot after update', '3', '2'],
  ] as const) {
    writeRecord(
      store,
      def,
      undefined,
      {
        short_description: short,
        description: short,
        impact,
        urgency,
        assignment_group: group.sys_id,
        caller_id: agent.sys_id,
        category: 'software',
      },
      'beth.agent',
    );
  }
}

export function createServiceNowApp(opts: ServiceNowSimOptions & { baseUrl: () => string }) {
  const now = opts.now ?? Date.now;
  const store = new InstanceStore(now);
  seed(store);
  const notifier = new Notifier(now);
  const tokens = new Map<string, { user: SnUser; expiresAt: number }>();
  const refreshTokens = new Map<string, SnUser>();
  const controls = {
    faults: [] as Fault[],
    hibernating: false,
    rateRules: [] as Array<{ user?: string; limit: number; windowSeconds: number; sysId: string }>,
    windows: new Map<string, { start: number; count: number }>(),
    log: [] as Array<{ method: string; path: string; query: string; status: number; user: string; ms: number }>,
  };
  const held = new HeldRequests();
  const app = new Hono<Env>();

  const fail = (
    c: Context,
    status: number,
    message: string,
    detail: string | null,
    headers: Record<string, string> = {},
  ) => c.json({ error: { message, detail }, status: 'failure' }, status as 400, headers);

  // ---- control API
  app.post('/_control/reset', (c) => {
    for (const t of store.tables.values()) t.clear();
    store.users = [];
    store.clients = [];
    store.counters = {};
    seed(store);
    controls.faults.length = 0;
    held.releaseAll();
    controls.hibernating = false;
    controls.rateRules.length = 0;
    controls.windows.clear();
    controls.log.length = 0;
    notifier.config = undefined;
    tokens.clear();
    return c.json({ ok: true });
  });
  faultRoutes(app, controls, held);
  app.get('/_control/faults', (c) =>
    c.json({ faults: controls.faults.map((f) => ({ ...f, body: undefined })), held: held.count }),
  );
  app.put('/_control/hibernate', async (c) => {
    controls.hibernating = z.object({ on: z.boolean() }).parse(await c.req.json()).on;
    return c.json({ ok: true });
  });
  app.post('/_control/rate-limit-rules', async (c) => {
    const rule = z
      .object({
        user: z.string().optional(),
        limit: z.number().int().min(1),
        windowSeconds: z.number().int().min(1).default(3600),
      })
      .parse(await c.req.json());
    controls.rateRules.push({ ...rule, sysId: randomBytes(16).toString('hex') });
    return c.json({ ok: true });
  });
  app.post('/_control/expire-tokens', (c) => {
    for (const t of tokens.values()) t.expiresAt = 0;
    return c.json({ ok: true });
  });
  app.put('/_control/notifications', async (c) => {
    notifier.config = z
      .object({
        url: z.string(),
        secret: z.string().min(1),
        tables: z.array(z.string()).default(['incident']),
        paused: z.boolean().optional(),
        duplicate: z.boolean().optional(),
      })
      .parse(await c.req.json());
    if (!notifier.config.paused) await notifier.flush();
    return c.json({ ok: true });
  });
  app.post('/_control/notifications/flush', async (c) => {
    if (notifier.config) notifier.config.paused = false;
    await notifier.flush();
    return c.json({ sent: notifier.sent.length });
  });
  app.post('/_control/notifications/send', async (c) => {
    // Forged (wrong secret) or stale (old timestamp) notifications, on demand.
    const req = z
      .object({
        notice: z.record(z.string(), z.unknown()),
        forged: z.boolean().default(false),
        ageSeconds: z.number().default(0),
      })
      .parse(await c.req.json());
    if (!notifier.config) return c.json({ error: 'notifications not configured' }, 400);
    const sentAt = Math.floor(now() / 1000) - req.ageSeconds;
    const body = JSON.stringify({ ...req.notice, sent_at: sentAt });
    const signature = sign(req.forged ? 'not-the-secret' : notifier.config.secret, body);
    return c.json({ status: await notifier.deliver(notifier.config, body, signature, sentAt) });
  });
  app.get('/_control/notifications', (c) => c.json({ sent: notifier.sent, queued: notifier.queue.length }));
  app.get('/_control/requests', (c) => c.json(controls.log));
  app.get('/_control/counters', (c) => {
    const byRoute: Record<string, number> = {};
    for (const r of controls.log) {
      const key = `${r.method} ${r.path.replace(/\/[0-9a-f]{32}(?=\/|$)/g, '/{sys_id}')}`;
      byRoute[key] = (byRoute[key] ?? 0) + 1;
    }
    return c.json({ total: controls.log.length, byRoute });
  });
  app.put('/_control/limits', async (c) => {
    store.shortDescriptionMax = z
      .object({ shortDescriptionMax: z.number().int().min(1) })
      .parse(await c.req.json()).shortDescriptionMax;
    return c.json({ ok: true });
  });

  // ---- OAuth
  app.post('/oauth_token.do', async (c) => {
    const form = new URLSearchParams(await c.req.text());
    const client = store.clients.find(
      (x) => x.client_id === form.get('client_id') && x.client_secret === form.get('client_secret'),
    );
    if (!client) return c.json({ error_description: 'access_denied', error: 'server_error' }, 401);
    let user: SnUser | undefined;
    const grant = form.get('grant_type');
    if (grant === 'password')
      user = store.users.find((u) => u.user_name === form.get('username') && u.password === form.get('password'));
    else if (grant === 'client_credentials') user = store.userByName(DEMO_CREDENTIALS.integration.username);
    else if (grant === 'refresh_token') user = refreshTokens.get(form.get('refresh_token') ?? '');
    if (!user) return c.json({ error_description: 'access_denied', error: 'server_error' }, 401);
    const lifetime = opts.tokenLifetimeSeconds ?? 1800;
    const access = randomBytes(24).toString('base64url');
    const refresh = randomBytes(24).toString('base64url');
    tokens.set(access, { user, expiresAt: now() + lifetime * 1000 });
    refreshTokens.set(refresh, user);
    return c.json({
      access_token: access,
      refresh_token: refresh,
      scope: 'useraccount',
      token_type: 'Bearer',
      expires_in: lifetime - 1,
    });
  });

  // ---- API middleware: log, hibernation, faults, auth, rate limits
  app.use('/api/*', async (c, next) => {
    const started = Date.now();
    await next();
    const u = new URL(c.req.url);
    controls.log.push({
      method: c.req.method,
      path: u.pathname,
      query: u.search,
      status: c.res.status,
      user: c.get('user')?.user_name ?? '',
      ms: Date.now() - started,
    });
  });
  app.use('/api/*', async (c, next) => {
    if (controls.hibernating) return c.html(HIBERNATING_PAGE, 200);
    const claimed = (c.req.header('authorization') ?? '').startsWith('Basic ')
      ? Buffer.from((c.req.header('authorization') ?? '').slice(6), 'base64')
          .toString('utf8')
          .split(':')[0]
      : undefined;
    const fault = takeFault(controls.faults, c.req.method, new URL(c.req.url).pathname, claimed);
    if (fault?.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs));
    if (fault?.hold) await held.wait();
    if (fault?.drop) {
      (c.env as { incoming?: { socket?: { destroy(): void } } } | undefined)?.incoming?.socket?.destroy();
      return c.body(null, 500);
    }
    if (fault?.status)
      return c.json(
        (fault.body ?? {
          error: { message: `Injected failure ${fault.status}`, detail: null },
          status: 'failure',
        }) as object,
        fault.status as 500,
        fault.headers,
      );
    const auth = c.req.header('authorization') ?? '';
    let user: SnUser | undefined;
    if (auth.startsWith('Basic ')) {
      const [name, ...rest] = Buffer.from(auth.slice(6), 'base64').toString('utf8').split(':');
      user = store.users.find((u) => u.user_name === name && u.password === rest.join(':'));
    } else if (auth.startsWith('Bearer ')) {
      const t = tokens.get(auth.slice(7));
      user = t && t.expiresAt > now() ? t.user : undefined;
    }
    if (!user) return fail(c, 401, 'User Not Authenticated', 'Required to provide Auth information');
    c.set('user', user);
    const host = c.req.header('x-forwarded-host');
    c.set('origin', host ? `https://${host}` : opts.baseUrl());
    const rule = controls.rateRules.find((r) => !r.user || r.user === user.user_name);
    if (rule) {
      const key = `${rule.sysId}:${user.user_name}`;
      const w = controls.windows.get(key);
      const window = !w || now() - w.start >= rule.windowSeconds * 1000 ? { start: now(), count: 0 } : w;
      window.count += 1;
      controls.windows.set(key, window);
      const reset = Math.ceil((window.start + rule.windowSeconds * 1000) / 1000);
      const headers = {
        'X-RateLimit-Limit': String(rule.limit),
        'X-RateLimit-Reset': String(reset),
        'X-RateLimit-Rule': rule.sysId,
      };
      if (window.count > rule.limit) {
        return fail(
          c,
          429,
          'Rate limit exceeded',
          `Rate limit of ${rule.limit} requests per hour for Table API exceeded`,
          { ...headers, 'Retry-After': String(Math.max(1, reset - Math.floor(now() / 1000))) },
        );
      }
      await next();
      for (const [k, v] of Object.entries(headers)) c.header(k, v);
      return;
    }
    await next();
  });

  const readOpts = (c: Context<Env>): ReadOptions => ({
    fields: c.req
      .query('sysparm_fields')
      ?.split(',')
      .map((f) => f.trim()),
    displayValue: (['true', 'all'].includes(c.req.query('sysparm_display_value') ?? '')
      ? c.req.query('sysparm_display_value')
      : 'false') as ReadOptions['displayValue'],
    excludeReferenceLink: c.req.query('sysparm_exclude_reference_link') === 'true',
    origin: c.get('origin'),
  });

  const notice = (event: ChangeNotice['event'], table: string, row: Row, changed: string[], user: SnUser): void => {
    // The rule sends the new values of what changed on the record (not journals, nor a file's id).
    const def = tableDef(table);
    const columns: Record<string, string> = def ? allFields(def) : {};
    // (A journal entry is the rule's update with only a journal changed: no field values.)
    const changes =
      event === 'journal'
        ? {}
        : event === 'insert' || event === 'update'
          ? Object.fromEntries(
              changed.filter((f) => f in columns && columns[f] !== 'journal').map((f) => [f, String(row[f] ?? '')]),
            )
          : undefined;
    notifier.notify({
      event,
      table,
      sys_id: row.sys_id!,
      number: row.number ?? '',
      sys_updated_on: row.sys_updated_on ?? '',
      sys_mod_count: row.sys_mod_count ?? '0',
      changed_fields: changed,
      ...(changes ? { changes } : {}),
      user: user.user_name,
    });
  };

  // ---- Table API
  const tableOr404 = (c: Context<Env>) => {
    const def = tableDef(c.req.param('table') ?? '');
    if (!def) throw new SnError(404, `Invalid table ${c.req.param('table')}`, null);
    return def;
  };

  app.get('/api/now/table/:table', (c) => {
    const def = tableOr404(c);
    if (def.name === 'task_sla') refreshSlas(store);
    const known = new Set(Object.keys(allFields(def)));
    // Plain name=value pairs work like sysparm_query terms.
    const plain = Object.entries(c.req.query())
      .filter(([k]) => !k.startsWith('sysparm_') && known.has(k))
      .map(([k, v]) => `${k}=${v}`);
    const query = [c.req.query('sysparm_query') ?? '', ...plain].filter(Boolean).join('^');
    const all = runQuery(store.rows(def.name), query, known);
    const limit = Math.max(1, Number(c.req.query('sysparm_limit') ?? 10000));
    const offset = Math.max(0, Number(c.req.query('sysparm_offset') ?? 0));
    const page = all.slice(offset, offset + limit);
    const link = (o: number, rel: string) => {
      const u = new URL(c.req.url);
      u.searchParams.set('sysparm_offset', String(o));
      u.searchParams.set('sysparm_limit', String(limit));
      return `<${c.get('origin')}${u.pathname}${u.search}>;rel="${rel}"`;
    };
    const links = [
      link(0, 'first'),
      ...(offset > 0 ? [link(Math.max(0, offset - limit), 'prev')] : []),
      ...(offset + limit < all.length ? [link(offset + limit, 'next')] : []),
      link(Math.max(0, Math.floor((all.length - 1) / limit) * limit), 'last'),
    ];
    return c.json({ result: page.map((r) => readRecord(store, def, r, readOpts(c))) }, 200, {
      'X-Total-Count': String(all.length),
      ...(c.req.query('sysparm_suppress_pagination_header') === 'true' ? {} : { Link: links.join(',') }),
    });
  });

  app.get('/api/now/table/:table/:id', (c) => {
    const def = tableOr404(c);
    if (def.name === 'task_sla') refreshSlas(store);
    const row = store.get(def.name, c.req.param('id'));
    if (!row) throw new SnError(404, 'No Record found', "Record doesn't exist or ACL restricts the record retrieval");
    return c.json({ result: readRecord(store, def, row, readOpts(c)) });
  });

  const body = async (c: Context<Env>) => {
    try {
      const b = (await c.req.json()) as unknown;
      if (!b || typeof b !== 'object' || Array.isArray(b)) throw new Error('not an object');
      return b as Record<string, unknown>;
    } catch {
      throw new SnError(400, 'Exception while reading request', 'The payload is not valid JSON.');
    }
  };

  const journalize = (
    def: { name: string },
    row: Row,
    journals: Array<{ element: 'comments' | 'work_notes'; value: string }>,
    user: SnUser,
  ) => {
    for (const j of journals) {
      const entry = store.journal(def.name, row.sys_id!, j.element, j.value, user.user_name);
      notice('journal', def.name, row, [j.element, entry.sys_id], user);
    }
  };

  app.post('/api/now/table/:table', async (c) => {
    const def = tableOr404(c);
    if (READ_ONLY_TABLES.has(def.name) || def.name === 'sys_attachment')
      throw new SnError(403, 'Operation Failed', 'Insert not allowed on this table');
    const result = writeRecord(store, def, undefined, await body(c), c.get('user').user_name);
    notice('insert', def.name, result.row, result.changed, c.get('user'));
    journalize(def, result.row, result.journals, c.get('user'));
    return c.json({ result: readRecord(store, def, result.row, readOpts(c)) }, 201, {
      Location: `${c.get('origin')}/api/now/table/${def.name}/${result.row.sys_id}`,
    });
  });

  const update = async (c: Context<Env>) => {
    const def = tableOr404(c);
    // Journal entries cannot be changed once written.
    if (READ_ONLY_TABLES.has(def.name))
      throw new SnError(403, 'Operation Failed', 'ACL Exception Update Failed due to security constraints');
    const row = store.get(def.name, c.req.param('id') ?? '');
    if (!row) throw new SnError(404, 'No Record found', "Record doesn't exist or ACL restricts the record retrieval");
    const result = writeRecord(store, def, row, await body(c), c.get('user').user_name);
    if (result.changed.length) notice('update', def.name, result.row, result.changed, c.get('user'));
    journalize(def, result.row, result.journals, c.get('user'));
    return c.json({ result: readRecord(store, def, result.row, readOpts(c)) });
  };
  app.put('/api/now/table/:table/:id', update);
  app.patch('/api/now/table/:table/:id', update);

  app.delete('/api/now/table/:table/:id', (c) => {
    const def = tableOr404(c);
    if (READ_ONLY_TABLES.has(def.name))
      throw new SnError(403, 'Operation Failed', 'ACL Exception Delete Failed due to security constraints');
    if (!store.tables.get(def.name)!.delete(c.req.param('id')))
      throw new SnError(404, 'No Record found', "Record doesn't exist or ACL restricts the record retrieval");
    return c.body(null, 204);
  });

  // ---- Attachment API
  const attachmentJson = (c: Context<Env>, row: Row) => ({
    ...readRecord(store, tableDef('sys_attachment')!, row, {
      displayValue: 'false',
      excludeReferenceLink: true,
      origin: c.get('origin'),
    }),
    download_link: `${c.get('origin')}/api/now/attachment/${row.sys_id}/file`,
    size_compressed: row.size_bytes,
    compressed: 'false',
    state: 'available',
    // What an instance answers for a file that is not an image, stored in its default chunks.
    average_image_color: '',
    image_height: '',
    image_width: '',
    chunk_size_bytes: '700000',
  });
  const addAttachment = (
    c: Context<Env>,
    tableName: string,
    recordId: string,
    fileName: string,
    contentType: string,
    content: Buffer,
  ) => {
    // An image pasted into an HTML field is stored for the record's ZZ_YY table (ZZ_YYincident): the record's own
    // file, which its attachment list and the attachment business rule leave out.
    const inline = tableName.startsWith('ZZ_YY');
    const recordTable = inline ? tableName.slice(5) : tableName;
    const target = store.get(recordTable, recordId);
    if (!tableDef(recordTable) || !target)
      throw new SnError(404, "Record doesn't exist or ACL restricts the record retrieval", null);
    const row = store.insertRaw(
      'sys_attachment',
      {
        file_name: fileName,
        content_type: contentType,
        size_bytes: String(content.length),
        table_name: tableName,
        table_sys_id: recordId,
        hash: store.fileHash(content),
      },
      c.get('user').user_name,
    );
    store.attachments.set(row.sys_id!, content);
    if (!inline) notice('attachment', tableName, target, ['attachment', row.sys_id!], c.get('user'));
    return c.json({ result: attachmentJson(c, row) }, 201, {
      Location: `${c.get('origin')}/api/now/attachment/${row.sys_id}/file`,
    });
  };

  app.post('/api/now/attachment/file', async (c) => {
    const table = c.req.query('table_name');
    const id = c.req.query('table_sys_id');
    const name = c.req.query('file_name');
    const type = c.req.header('content-type');
    if (!table || !id || !name)
      throw new SnError(
        400,
        'Failed to create the attachment. File part might be missing in the request.',
        'table_name, table_sys_id and file_name are mandatory',
      );
    if (!type) throw new SnError(400, 'Content-Type header is mandatory', null);
    return addAttachment(c, table, id, name, type, Buffer.from(await c.req.arrayBuffer()));
  });

  app.post('/api/now/attachment/upload', async (c) => {
    const form = await c.req.parseBody();
    const file = Object.values(form).find((v): v is File => v instanceof File);
    if (!file || typeof form.table_name !== 'string' || typeof form.table_sys_id !== 'string')
      throw new SnError(400, 'Failed to create the attachment. File part might be missing in the request.', null);
    return addAttachment(
      c,
      form.table_name,
      form.table_sys_id,
      file.name,
      file.type || 'application/octet-stream',
      Buffer.from(await file.arrayBuffer()),
    );
  });

  app.get('/api/now/attachment', (c) => {
    const def = tableDef('sys_attachment')!;
    const rows = runQuery(
      store.rows('sys_attachment'),
      c.req.query('sysparm_query') ?? '',
      new Set(Object.keys(allFields(def))),
    );
    const limit = Number(c.req.query('sysparm_limit') ?? 1000);
    const offset = Number(c.req.query('sysparm_offset') ?? 0);
    return c.json({ result: rows.slice(offset, offset + limit).map((r) => attachmentJson(c, r)) }, 200, {
      'X-Total-Count': String(rows.length),
    });
  });
  const attachmentOr404 = (id: string) => {
    const row = store.get('sys_attachment', id);
    if (!row) throw new SnError(404, "Record doesn't exist or ACL restricts the record retrieval", null);
    return row;
  };
  app.get('/api/now/attachment/:id', (c) => c.json({ result: attachmentJson(c, attachmentOr404(c.req.param('id'))) }));
  app.get('/api/now/attachment/:id/file', (c) => {
    const row = attachmentOr404(c.req.param('id'));
    const content = store.attachments.get(row.sys_id!) ?? Buffer.alloc(0);
    return c.body(new Uint8Array(content), 200, {
      'content-type': row.content_type ?? 'application/octet-stream',
      'x-attachment-metadata': JSON.stringify(attachmentJson(c, row)),
    });
  });
  // The form's own link to a file, as an HTML field's <img> names it: for the web view's signed-in agent (web-view.ts).
  app.get('/sys_attachment.do', (c) => {
    const row = attachmentOr404(c.req.query('sys_id') ?? '');
    return c.body(new Uint8Array(store.attachments.get(row.sys_id!) ?? Buffer.alloc(0)), 200, {
      'content-type': row.content_type ?? 'application/octet-stream',
    });
  });
  app.delete('/api/now/attachment/:id', (c) => {
    const row = attachmentOr404(c.req.param('id'));
    store.tables.get('sys_attachment')!.delete(row.sys_id!);
    store.attachments.delete(row.sys_id!);
    // The same attachment business rule that reports an upload reports a deletion (after delete on sys_attachment).
    const target = row.table_name && row.table_sys_id ? store.get(row.table_name, row.table_sys_id) : undefined;
    if (target) notice('attachment_delete', row.table_name!, target, ['attachment', row.sys_id!], c.get('user'));
    return c.body(null, 204);
  });

  app.onError((err, c) =>
    err instanceof SnError ? fail(c, err.status, err.message, err.detail) : fail(c, 500, 'Internal error', String(err)),
  );
  app.notFound((c) => fail(c, 400, 'Requested URI does not represent any resource', null));
  // The incident form a person opens from Jira in the sandbox (web-view.ts), acting as the demo agent.
  serviceNowWebView(app, opts.baseUrl, { ...DEMO_CREDENTIALS.agent, name: 'Beth Agent' });
  return { app, store, notifier, held };
}

export async function startServiceNowSim(opts: ServiceNowSimOptions = {}): Promise<ServiceNowSim> {
  let baseUrl = '';
  const { app, store, notifier, held } = createServiceNowApp({ ...opts, baseUrl: () => baseUrl });
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, port: opts.port ?? 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    baseUrl,
    controlUrl: `${baseUrl}/_control`,
    store,
    notifier,
    app,
    stop: () => {
      // A request still held would keep the server from closing.
      held.releaseAll();
      return new Promise((r) => server.close(() => r()));
    },
  };
}

/** The ServiceNow simulator as the sandbox starts it: the app reaches https://acme.service-now.com through it. */
const switchOn = async (url: string, body: unknown, method = 'PUT') => {
  const r = await fetch(url, { method, body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
  if (!r.ok) throw new Error(`${url}: ${r.status} ${await r.text()}`);
};

export const simulatedSystem: SimulatedSystem<ServiceNowSim & RunningSimulator> = {
  kind: 'servicenow',
  async start({ now }) {
    const sim = await startServiceNowSim({ now });
    const instanceUrl = 'https://acme.service-now.com';
    return {
      ...sim,
      instanceUrl,
      routes: [{ host: '*.service-now.com', target: sim.baseUrl }],
      summary: { instanceUrl, credentials: DEMO_CREDENTIALS },
      // ServiceNow has no rate limit until an admin adds a rule; a rule on the integration user, per hour, as its rules count.
      async busyAccountLimit() {
        const limit = 300;
        await switchOn(
          `${sim.controlUrl}/rate-limit-rules`,
          { user: DEMO_CREDENTIALS.integration.username, limit, windowSeconds: 3600 },
          'POST',
        );
        return { label: `ServiceNow rule, ${limit} requests an hour`, limit, windowSeconds: 3600 };
      },
      async genuineDelivery() {
        const config = sim.notifier.config;
        if (!config) throw new Error('ServiceNow notifications are not set up');
        const sentAt = Math.floor(now() / 1000);
        const body = JSON.stringify({
          event: 'update',
          table: 'incident',
          sys_id: sim.store.rows('incident')[0]!.sys_id,
          user: DEMO_CREDENTIALS.agent.username,
          sent_at: sentAt,
        });
        const headers = {
          'content-type': 'application/json',
          [SIGNATURE_HEADER]: sign(config.secret, body),
          [TIMESTAMP_HEADER]: String(sentAt),
        };
        const res = await fetch(config.url, { method: 'POST', headers, body });
        await res.arrayBuffer();
        return { url: config.url, headers, body, status: res.status };
      },
    };
  },
};
