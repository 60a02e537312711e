/**
 * Request plumbing shared by the routes: the Hono env, what a body says
 * (JSON, or multipart with `attachments[]` files), and page parameters.
 */
import type { Context } from 'hono';
import { CUSTOM_FIELD_TYPES, BOOLEAN_FIELDS, NUMERIC_FIELDS } from './validate';
import { FsError, invalidValue, notFound, validation } from './errors';
import type { Agent } from './store';

export type Env = { Variables: { agent: Agent; origin: string } };
export type Ctx = Context<Env>;

export interface UploadedFile {
  name: string;
  content_type: string;
  content: Buffer;
}

export interface ParsedBody {
  fields: Record<string, unknown>;
  files: UploadedFile[];
}

/**
 * The body of a write. JSON is taken as it is; a multipart form's parts are
 * turned into the JSON it stands for (`tags[]` into a list, `custom_fields[x]`
 * into the object, numeric codes into numbers) and its `attachments[]` files
 * kept aside. Files come only this way: Freshservice has no standalone upload.
 */
export async function readBody(c: Ctx): Promise<ParsedBody> {
  const type = (c.req.header('content-type') ?? '').toLowerCase();
  if (type.startsWith('multipart/form-data')) return readMultipart(c);
  const text = await c.req.text();
  if (!text.trim()) return { fields: {}, files: [] };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new FsError(400, 'Validation failed', [
      { field: 'body', message: 'Request body has invalid json format', code: 'invalid_json' },
    ]);
  }
  if (!json || typeof json !== 'object' || Array.isArray(json))
    throw new FsError(400, 'Validation failed', [
      { field: 'body', message: 'Request body must be a JSON object', code: 'invalid_json' },
    ]);
  if ('attachments' in json)
    throw validation({
      field: 'attachments',
      message: 'Attachments are sent as multipart/form-data parts named attachments[]',
      code: 'datatype_mismatch',
    });
  return { fields: json as Record<string, unknown>, files: [] };
}

function formValue(key: string, raw: string): unknown {
  if (NUMERIC_FIELDS.has(key) && /^-?\d+$/.test(raw)) return Number(raw);
  if (BOOLEAN_FIELDS.has(key) && (raw === 'true' || raw === 'false')) return raw === 'true';
  return raw;
}

function customValue(name: string, raw: string): unknown {
  const type = CUSTOM_FIELD_TYPES.get(name);
  if (type === 'custom_number' && /^-?\d+(\.\d+)?$/.test(raw)) return Number(raw);
  if (type === 'custom_checkbox' && (raw === 'true' || raw === 'false')) return raw === 'true';
  return raw;
}

async function readMultipart(c: Ctx): Promise<ParsedBody> {
  const form = await c.req.formData();
  const fields: Record<string, unknown> = {};
  const files: UploadedFile[] = [];
  for (const [key, value] of form.entries()) {
    if (typeof value !== 'string') {
      if (key !== 'attachments[]') throw invalidValue(key, 'Files are accepted only as attachments[]');
      files.push({
        name: value.name,
        content_type: value.type || 'application/octet-stream',
        content: Buffer.from(await value.arrayBuffer()),
      });
      continue;
    }
    const custom = /^custom_fields\[(.+)\]$/.exec(key);
    if (custom) {
      const bag = (fields.custom_fields ??= {}) as Record<string, unknown>;
      bag[custom[1]!] = customValue(custom[1]!, value);
    } else if (key.endsWith('[]')) {
      const name = key.slice(0, -2);
      const list = (fields[name] ??= []) as unknown[];
      list.push(value);
    } else fields[key] = formValue(key, value);
  }
  return { fields, files };
}

/** A numeric path parameter; anything else is a record that does not exist. */
export function idParam(c: Ctx, name: string): number {
  const raw = c.req.param(name) ?? '';
  if (!/^\d+$/.test(raw)) throw notFound();
  return Number(raw);
}

/**
 * `page` from 1 and `per_page` up to 100 (default 30): above 100 is refused
 * rather than clamped (vendor-apis-more.md §2.5; the 400 is unconfirmed).
 */
export function pageParams(c: Ctx, maxPerPage = 100): { page: number; perPage: number } {
  const perPageRaw = c.req.query('per_page');
  const pageRaw = c.req.query('page');
  const perPage = perPageRaw === undefined ? 30 : Number(perPageRaw);
  const page = pageRaw === undefined ? 1 : Number(pageRaw);
  if (!Number.isInteger(perPage) || perPage < 1 || perPage > maxPerPage)
    throw invalidValue('per_page', `It should be a Positive Integer less than or equal to ${maxPerPage}`);
  if (!Number.isInteger(page) || page < 1) throw invalidValue('page', 'It should be a Positive Integer');
  return { page, perPage };
}

/** The `link` header Freshservice answers while there is a next page. */
export function nextLink(c: Ctx, page: number): string {
  const u = new URL(c.req.url);
  u.searchParams.set('page', String(page + 1));
  return `<${c.get('origin')}${u.pathname}${u.search}>; rel="next"`;
}
