/**
 * Every route the simulator serves answers as a ServiceNow instance does,
 * checked against what ServiceNow published and what was captured from real
 * instances (../shared/specs/servicenow):
 *  - the Table API is the REST API Explorer's export (table.json): every
 *    Table API route the simulator serves is one of its operations, every
 *    operation is exercised, and every `sysparm_` parameter a case sends is one
 *    that operation declares;
 *  - the export gives each operation a bare "200" and no body schema, so each
 *    case names the exact status the instance answers (a create 201, as the
 *    captured create; a delete 204, vendor-apis.md §1.1) and its body is
 *    checked against the captured answers: the 201 incident field by field,
 *    the 401 and both 404s as captured;
 *  - the Attachment API has no export; its routes are checked against its
 *    documented contract (vendor-apis.md §1.5), each with its exact status.
 * A route counts as exercised only when it answered the status its case names.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as z from 'zod';
import { DEMO_CREDENTIALS, startServiceNowSim, type ServiceNowSim } from './index';

const SPECS = path.resolve(__dirname, '../../../../shared/specs/servicenow');
const readSpec = <T>(file: string): T => JSON.parse(readFileSync(path.join(SPECS, file), 'utf8')) as T;

interface Operation {
  parameters?: Array<{ name: string; in: string }>;
  responses: Record<string, unknown>;
}
const exported = readSpec<{ paths: Record<string, Record<string, Operation>> }>('table.json');
type Json = Record<string, unknown>;
const captured = {
  unauthenticated: readSpec<Json>('fixtures/table_401.json'),
  noRecord: readSpec<Json>('fixtures/table_record_404.json'),
  /** Captured for a table literally named ":tableName" (the capturing test's URL template). */
  invalidTable: (table: string) =>
    JSON.parse(
      readFileSync(path.join(SPECS, 'fixtures/table_invalid_table_404.json'), 'utf8').replace(':tableName', table),
    ) as Json,
  created: readSpec<{ result: Record<string, unknown> }>('fixtures/incident_POST_201.json').result,
};

const INSTANCE = 'acme.service-now.com';
const ORIGIN = `https://${INSTANCE}`;
const MISSING = '0123456789abcdef0123456789abcdef';

let sim: ServiceNowSim;
const vars: Record<string, string> = {};
const exercised = new Set<string>();

interface Answer {
  status: number;
  headers: Headers;
  json: unknown;
  bytes: Buffer;
}

async function call(
  method: string,
  p: string,
  body?: unknown,
  opts: { headers?: Record<string, string>; as?: { username: string; password: string } | null } = {},
): Promise<Answer> {
  const who = opts.as === undefined ? DEMO_CREDENTIALS.integration : opts.as;
  const payload: BodyInit | undefined =
    body instanceof Uint8Array
      ? Buffer.from(body)
      : body instanceof FormData
        ? body
        : body === undefined
          ? undefined
          : JSON.stringify(body);
  const res = await fetch(sim.baseUrl + p, {
    method,
    headers: {
      accept: 'application/json',
      'x-forwarded-host': INSTANCE,
      ...(who ? { authorization: `Basic ${Buffer.from(`${who.username}:${who.password}`).toString('base64')}` } : {}),
      // A JSON body says so; raw bytes carry the case's own type, a form its boundary.
      ...(typeof payload === 'string' ? { 'content-type': 'application/json' } : {}),
      ...opts.headers,
    },
    body: payload,
  });
  const bytes = Buffer.from(await res.arrayBuffer());
  let json: unknown;
  try {
    json = bytes.length ? JSON.parse(bytes.toString('utf8')) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, json, bytes };
}

const templateRegex = (template: string) => new RegExp('^' + template.replace(/\{[^}]+\}/g, '[^/]+') + '$');

/** The export's operation for a concrete request, as `METHOD template`. */
function operationOf(method: string, concretePath: string): { key: string; op: Operation } | undefined {
  for (const [template, ops] of Object.entries(exported.paths)) {
    const op = ops[method.toLowerCase()];
    if (op && templateRegex(template).test(concretePath)) return { key: `${method} ${template}`, op };
  }
  return undefined;
}

/** A value as the Table API writes it: a string, or a reference `{link, value}` whose link names the record on this instance. */
function valueProblems(record: Record<string, unknown>): string[] {
  return Object.entries(record).flatMap(([field, v]) => {
    if (typeof v === 'string') return [];
    const ref = v as { link?: unknown; value?: unknown };
    const ok =
      v !== null &&
      typeof v === 'object' &&
      Object.keys(v).sort().join() === 'link,value' &&
      typeof ref.value === 'string' &&
      ref.link === `${ORIGIN}/api/now/table/${String(ref.link).split('/')[6]}/${ref.value}` &&
      /^[0-9a-f]{32}$/.test(ref.value);
    return ok ? [] : [`${field}: ${JSON.stringify(v)} is neither a string nor a reference`];
  });
}

/**
 * Parameters the Table API documents (vendor-apis.md §1.1, [S1]) that the
 * instance's export leaves out.
 */
const BEYOND_THE_EXPORT: Record<string, string[]> = {
  // Paging: "Page with offset += limit"; the export lists sysparm_limit only.
  'GET /api/now/table/{tableName}': ['sysparm_offset'],
};

/** The captured 201 says how a reference to a record looks: its link is the record's Table API URL on the instance. */
const capturedReference = captured.created.opened_by as { link: string; value: string };

/**
 * Fields of the captured create that differ with each record (ids, numbers,
 * times, who made it); every other field the simulator answers must hold
 * what the instance answered for a create with no values.
 */
const PER_RECORD = new Set([
  'sys_id',
  'number',
  'sys_created_on',
  'sys_updated_on',
  'sys_created_by',
  'sys_updated_by',
]);

interface Case {
  name: string;
  method: string;
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
  as?: { username: string; password: string } | null;
  status: number;
  /** A multipart/form-data upload (the Attachment API's form variant). */
  multipart?: boolean;
  /** The exact body, where the instance's answer was captured (or follows wholly from what is documented). */
  answers?: () => unknown;
  check?: (res: Answer) => void;
}

const ONE_RESULT = (res: Answer) => {
  const body = res.json as { result: Record<string, unknown> };
  expect(Object.keys(body)).toEqual(['result']);
  expect(valueProblems(body.result)).toEqual([]);
};
const LIST_RESULT = (res: Answer) => {
  const body = res.json as { result: Array<Record<string, unknown>> };
  expect(Object.keys(body)).toEqual(['result']);
  expect(Array.isArray(body.result)).toBe(true);
  expect(body.result.flatMap(valueProblems)).toEqual([]);
  expect(res.headers.get('x-total-count')).toMatch(/^\d+$/);
};

const cases: Case[] = [
  // ---- Table API (table.json)
  {
    name: 'a create with no values answers 201 and the fields and defaults of the captured create',
    method: 'POST',
    path: '/api/now/table/incident',
    body: {},
    status: 201,
    check: (res) => {
      ONE_RESULT(res);
      const ours = (res.json as { result: Record<string, unknown> }).result;
      // The customer's own column (an HTML field the captured base instance lacks) answers as an empty column does.
      expect(ours.u_details).toBe('');
      const base = Object.keys(ours).filter((f) => f !== 'u_details');
      expect(base.filter((f) => !(f in captured.created))).toEqual([]);
      const differing = base
        .filter((f) => !PER_RECORD.has(f) && JSON.stringify(ours[f]) !== JSON.stringify(captured.created[f]))
        .map((f) => ({ field: f, simulator: ours[f], instance: captured.created[f] }));
      expect(differing).toEqual([]);
      // The per-record fields in the captured formats.
      expect(ours.sys_id).toMatch(/^[0-9a-f]{32}$/);
      expect(String(ours.number).replace(/\d/g, '9')).toBe(String(captured.created.number).replace(/\d/g, '9'));
      for (const f of ['sys_created_on', 'sys_updated_on'])
        expect(String(ours[f]).replace(/\d/g, '9')).toBe('9999-99-99 99:99:99');
      expect(ours.sys_created_by).toBe(DEMO_CREDENTIALS.integration.username);
    },
  },
  {
    name: 'a create with a caller answers the caller as a reference, linked as the captured create links one',
    method: 'POST',
    path: '/api/now/table/incident?sysparm_exclude_reference_link=false',
    body: { short_description: 'Contract', caller_id: '{user}', urgency: '2' },
    status: 201,
    check: (res) => {
      ONE_RESULT(res);
      const caller = (res.json as { result: { caller_id: { link: string; value: string } } }).result.caller_id;
      expect(caller.link.replace(ORIGIN, '').replace(caller.value, '{sys_id}')).toBe(
        new URL(capturedReference.link).pathname.replace(capturedReference.value, '{sys_id}'),
      );
    },
  },
  {
    name: 'the list answers 200 with X-Total-Count and Link',
    method: 'GET',
    path: '/api/now/table/incident?sysparm_query=active=true^ORDERBYnumber&sysparm_limit=1&sysparm_offset=1',
    status: 200,
    check: (res) => {
      LIST_RESULT(res);
      expect((res.json as { result: unknown[] }).result).toHaveLength(1);
      const total = Number(res.headers.get('x-total-count'));
      expect(total).toBeGreaterThanOrEqual(3);
      // RFC 8288 links on the instance, each the same query at another offset.
      const links = (res.headers.get('link') ?? '').split(',').map((l) => {
        const [, href, rel] = /^<([^>]+)>;rel="(\w+)"$/.exec(l.trim()) ?? [];
        const u = new URL(href ?? 'http://invalid');
        return {
          rel,
          at: `${u.origin}${u.pathname}`,
          query: u.searchParams.get('sysparm_query'),
          limit: u.searchParams.get('sysparm_limit'),
          offset: u.searchParams.get('sysparm_offset'),
        };
      });
      const at = (rel: string, offset: number) => ({
        rel,
        at: `${ORIGIN}/api/now/table/incident`,
        query: 'active=true^ORDERBYnumber',
        limit: '1',
        offset: String(offset),
      });
      expect(links).toEqual([at('first', 0), at('prev', 0), at('next', 2), at('last', total - 1)]);
    },
  },
  {
    name: 'the list without pagination headers, fields picked, references without links',
    method: 'GET',
    path: '/api/now/table/incident?sysparm_fields=number,caller_id&sysparm_exclude_reference_link=true&sysparm_suppress_pagination_header=true&sysparm_display_value=false&sysparm_no_count=false&sysparm_view=&sysparm_query_no_domain=false&sysparm_query_category=',
    status: 200,
    check: (res) => {
      LIST_RESULT(res);
      expect(res.headers.get('link')).toBeNull();
      for (const r of (res.json as { result: Array<Record<string, unknown>> }).result)
        expect(Object.keys(r).sort()).toEqual(['caller_id', 'number']);
    },
  },
  {
    name: 'a list with nothing matching is 200 and empty (the current version, not v1)',
    method: 'GET',
    path: '/api/now/table/incident?sysparm_query=number=INC9999999',
    status: 200,
    answers: () => ({ result: [] }),
  },
  {
    name: 'one record answers 200',
    method: 'GET',
    path: '/api/now/table/incident/{incident}?sysparm_display_value=all&sysparm_fields=state,caller_id',
    status: 200,
    check: (res) => {
      const r = (res.json as { result: Record<string, { display_value: string; value: string; link?: string }> })
        .result;
      expect(r.state).toEqual({ display_value: 'New', value: '1' });
      expect(r.caller_id).toEqual({
        display_value: 'Beth Agent',
        value: expect.stringMatching(/^[0-9a-f]{32}$/),
        link: `${ORIGIN}/api/now/table/sys_user/${r.caller_id!.value}`,
      });
    },
  },
  {
    name: 'a PUT answers 200 with the record',
    method: 'PUT',
    path: '/api/now/table/incident/{incident}?sysparm_input_display_value=false&sysparm_suppress_auto_sys_field=false',
    body: { short_description: 'Put' },
    status: 200,
    check: (res) => {
      ONE_RESULT(res);
      expect((res.json as { result: Record<string, unknown> }).result).toMatchObject({
        short_description: 'Put',
        sys_mod_count: '1',
      });
    },
  },
  {
    name: 'a PATCH answers 200 with the record',
    method: 'PATCH',
    path: '/api/now/table/incident/{incident}?sysparm_fields=short_description,sys_mod_count',
    body: { short_description: 'Patched' },
    status: 200,
    answers: () => ({ result: { short_description: 'Patched', sys_mod_count: '2' } }),
  },
  {
    name: 'a DELETE answers 204 with no body',
    method: 'DELETE',
    path: '/api/now/table/incident/{doomed}',
    status: 204,
    check: (res) => expect(res.bytes.length).toBe(0),
  },
  // The captured errors.
  {
    name: 'no sign-in',
    method: 'GET',
    path: '/api/now/table/incident',
    as: null,
    status: 401,
    answers: () => captured.unauthenticated,
  },
  {
    name: 'a wrong password',
    method: 'POST',
    path: '/api/now/table/incident',
    body: { short_description: 'x' },
    as: { username: DEMO_CREDENTIALS.integration.username, password: 'wrong' },
    status: 401,
    answers: () => captured.unauthenticated,
  },
  {
    name: 'a missing record',
    method: 'GET',
    path: `/api/now/table/incident/${MISSING}`,
    status: 404,
    answers: () => captured.noRecord,
  },
  {
    name: 'a PUT of a missing record',
    method: 'PUT',
    path: `/api/now/table/incident/${MISSING}`,
    body: { short_description: 'x' },
    status: 404,
    answers: () => captured.noRecord,
  },
  {
    name: 'a PATCH of a missing record',
    method: 'PATCH',
    path: `/api/now/table/incident/${MISSING}`,
    body: { short_description: 'x' },
    status: 404,
    answers: () => captured.noRecord,
  },
  {
    name: 'a DELETE of a missing record',
    method: 'DELETE',
    path: `/api/now/table/incident/${MISSING}`,
    status: 404,
    answers: () => captured.noRecord,
  },
  {
    name: 'an invalid table',
    method: 'GET',
    path: '/api/now/table/x_nope',
    status: 404,
    answers: () => captured.invalidTable('x_nope'),
  },
  {
    name: 'a create in an invalid table',
    method: 'POST',
    path: '/api/now/table/x_nope',
    body: {},
    status: 404,
    answers: () => captured.invalidTable('x_nope'),
  },
  {
    name: 'a record of an invalid table',
    method: 'GET',
    path: `/api/now/table/x_nope/${MISSING}`,
    status: 404,
    answers: () => captured.invalidTable('x_nope'),
  },

  // ---- Attachment API (no export; vendor-apis.md §1.5)
  {
    name: 'a raw upload answers 201 with Location and the documented metadata',
    method: 'POST',
    path: '/api/now/attachment/file?table_name=incident&table_sys_id={incident}&file_name=notes.txt',
    body: new TextEncoder().encode('hello'),
    headers: { 'content-type': 'text/plain' },
    status: 201,
    check: (res) => {
      const r = (res.json as { result: Record<string, unknown> }).result;
      expect(res.headers.get('location')).toBe(`${ORIGIN}/api/now/attachment/${String(r.sys_id)}/file`);
      expect(r).toMatchObject({
        file_name: 'notes.txt',
        content_type: 'text/plain',
        size_bytes: '5',
        table_name: 'incident',
        table_sys_id: vars.incident,
        download_link: `${ORIGIN}/api/now/attachment/${String(r.sys_id)}/file`,
      });
      expect(ATTACHMENT_FIELDS.filter((f) => !(f in r))).toEqual([]);
      expect(Object.entries(r).filter(([, v]) => typeof v !== 'string')).toEqual([]);
    },
  },
  {
    name: 'a multipart upload answers 201',
    method: 'POST',
    path: '/api/now/attachment/upload',
    multipart: true,
    status: 201,
    check: (res) =>
      expect((res.json as { result: Record<string, unknown> }).result).toMatchObject({
        file_name: 'form.txt',
        table_sys_id: vars.incident,
      }),
  },
  {
    name: 'a raw upload without its mandatory parameters answers 400',
    method: 'POST',
    path: '/api/now/attachment/file?table_name=incident',
    body: new TextEncoder().encode('x'),
    headers: { 'content-type': 'text/plain' },
    status: 400,
  },
  {
    name: 'a raw upload to a missing record answers 404',
    method: 'POST',
    path: `/api/now/attachment/file?table_name=incident&table_sys_id=${MISSING}&file_name=a.txt`,
    body: new TextEncoder().encode('x'),
    headers: { 'content-type': 'text/plain' },
    status: 404,
  },
  {
    name: 'the attachment list answers 200',
    method: 'GET',
    path: '/api/now/attachment?sysparm_query=table_sys_id={incident}&sysparm_limit=10',
    status: 200,
    check: (res) => {
      const list = (res.json as { result: Array<Record<string, unknown>> }).result;
      expect(list.map((a) => a.file_name).sort()).toEqual(['first.txt', 'form.txt', 'notes.txt']);
      expect(res.headers.get('x-total-count')).toBe('3');
    },
  },
  {
    name: 'the metadata answers 200',
    method: 'GET',
    path: '/api/now/attachment/{attachment}',
    status: 200,
    check: (res) =>
      expect((res.json as { result: Record<string, unknown> }).result).toMatchObject({ sys_id: vars.attachment }),
  },
  {
    name: 'the file answers 200 with its bytes and X-Attachment-Metadata',
    method: 'GET',
    path: '/api/now/attachment/{attachment}/file',
    headers: { accept: '*/*' },
    status: 200,
    check: (res) => {
      expect(res.bytes.toString('utf8')).toBe('first file');
      expect(JSON.parse(res.headers.get('x-attachment-metadata') ?? '{}')).toMatchObject({ sys_id: vars.attachment });
    },
  },
  { name: 'a missing attachment answers 404', method: 'GET', path: `/api/now/attachment/${MISSING}`, status: 404 },
  {
    name: 'deleting an attachment answers 204',
    method: 'DELETE',
    path: '/api/now/attachment/{attachment}',
    status: 204,
    check: (res) => expect(res.bytes.length).toBe(0),
  },
];

/** The metadata fields vendor-apis.md §1.5 lists for an attachment. */
const ATTACHMENT_FIELDS = [
  'sys_id',
  'file_name',
  'content_type',
  'size_bytes',
  'size_compressed',
  'compressed',
  'download_link',
  'table_name',
  'table_sys_id',
  'sys_created_on',
  'sys_created_by',
  'sys_updated_on',
  'sys_updated_by',
  'sys_mod_count',
  'average_image_color',
  'image_height',
  'image_width',
  'hash',
  'state',
  'chunk_size_bytes',
];

const fill = (s: string) => s.replace(/\{(\w+)\}/g, (_, k: string) => vars[k] ?? `{${k}}`);
const fillBody = (b: unknown): unknown => (b === undefined ? b : JSON.parse(fill(JSON.stringify(b))));
function multipartBody(): FormData {
  const form = new FormData();
  form.set('table_name', 'incident');
  form.set('table_sys_id', vars.incident!);
  form.set('file', new Blob(['from a form'], { type: 'text/plain' }), 'form.txt');
  return form;
}

/** ServiceNow's error body (vendor-apis.md §1.7), for errors no capture covers. */
const errorShape = z
  .object({
    error: z.object({ message: z.string(), detail: z.string().nullable() }).strict(),
    status: z.literal('failure'),
  })
  .strict();

beforeAll(async () => {
  sim = await startServiceNowSim({ now: () => Date.UTC(2026, 10, 24, 9, 0, 0) });
  const make = async (body: Json) =>
    ((await call('POST', '/api/now/table/incident', body)).json as { result: { sys_id: string } }).result.sys_id;
  vars.user = sim.store.userByName(DEMO_CREDENTIALS.agent.username)!.sys_id!;
  vars.incident = await make({ short_description: 'Contract', caller_id: vars.user });
  vars.doomed = await make({ short_description: 'To delete' });
  const file = await call(
    'POST',
    `/api/now/attachment/file?table_name=incident&table_sys_id=${vars.incident}&file_name=first.txt`,
    new TextEncoder().encode('first file'),
    { headers: { 'content-type': 'text/plain' } },
  );
  vars.attachment = (file.json as { result: { sys_id: string } }).result.sys_id;
});
afterAll(() => sim.stop());

describe('answers agree with the ServiceNow Table API export and the captured answers', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const p = fill(c.path);
    const res = c.multipart
      ? await call(c.method, p, multipartBody())
      : await call(c.method, p, c.body instanceof Uint8Array ? c.body : fillBody(c.body), {
          headers: c.headers,
          as: c.as,
        });
    // The status first, with the body when it is not the one named (a route broken into a 404 shows as such).
    expect({ status: res.status, body: res.status === c.status ? 'as named' : res.json }).toEqual({
      status: c.status,
      body: 'as named',
    });
    const url = new URL(`http://x${p}`);
    if (url.pathname.startsWith('/api/now/table/')) {
      // Every Table API request is an operation of the export, sending only the parameters it declares.
      const op = operationOf(c.method, url.pathname);
      expect({ request: `${c.method} ${url.pathname}`, operation: Boolean(op) }).toEqual({
        request: `${c.method} ${url.pathname}`,
        operation: true,
      });
      const declared = new Set([
        ...(op!.op.parameters?.filter((q) => q.in === 'query').map((q) => q.name) ?? []),
        ...(BEYOND_THE_EXPORT[op!.key] ?? []),
      ]);
      expect([...url.searchParams.keys()].filter((k) => k.startsWith('sysparm_') && !declared.has(k))).toEqual([]);
    }
    if (c.answers) expect(res.json).toEqual(c.answers());
    else if (res.status >= 400) {
      // Errors no capture covers still answer in the documented shape.
      const parsed = errorShape.safeParse(res.json);
      expect(parsed.success ? [] : parsed.error.issues).toEqual([]);
    }
    c.check?.(res);
    exercised.add(`${c.method} ${url.pathname}`);
  });

  it('serves exactly the operations of the export, and exercises each, and every Attachment API route', () => {
    const routes = sim.app.routes
      .filter((r) => r.path.startsWith('/api/') && r.method !== 'ALL')
      .map((r) => `${r.method} ${r.path.replace(/:(\w+)/g, '{$1}')}`);
    const routeRegex = (route: string) => {
      const [method, template] = route.split(' ');
      return { method: method!, re: templateRegex(template!) };
    };
    const unexercised = [...new Set(routes)].filter((route) => {
      const { method, re } = routeRegex(route);
      return ![...exercised].some((e) => e.startsWith(`${method} `) && re.test(e.slice(method.length + 1)));
    });
    expect(unexercised).toEqual([]);
    // Table API routes and the export's operations, one to one.
    const tableRoutes = routes
      .filter((r) => r.includes('/api/now/table/'))
      .map((r) => r.replace('{table}', '{tableName}').replace('{id}', '{sys_id}'))
      .sort();
    const operations = Object.entries(exported.paths)
      .flatMap(([template, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${template}`))
      .sort();
    expect(tableRoutes).toEqual(operations);
  });
});
