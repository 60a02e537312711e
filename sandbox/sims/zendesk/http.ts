/** Request plumbing shared by the routes: the Hono env, body parsing, access checks and pagination. */
import type { Context } from 'hono';
import { badRequest, forbidden, ZdError } from './errors';
import type { ZdUser } from './store';

export type Env = { Variables: { user: ZdUser; origin: string } };
export type Ctx = Context<Env>;

/** Reads a JSON body; Zendesk answers 400 for one it cannot parse. */
export async function jsonBody(c: Ctx): Promise<unknown> {
  const text = await c.req.text();
  if (!text.trim()) return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ZdError(400, { error: 'Unprocessable Entity', description: 'Server could not parse JSON' });
  }
}

export function requireAgent(c: Ctx): ZdUser {
  const u = c.get('user');
  if (u.role === 'end-user') throw forbidden();
  return u;
}

export function requireAdmin(c: Ctx): ZdUser {
  const u = c.get('user');
  if (u.role !== 'admin') throw forbidden();
  return u;
}

/** A numeric path parameter; `123.json` and `123` are the same resource. */
export function numericParam(c: Ctx, name: string, notFoundError: () => ZdError): number {
  const raw = (c.req.param(name) ?? '').replace(/\.json$/, '');
  if (!/^\d+$/.test(raw)) throw notFoundError();
  return Number(raw);
}

export function stringParam(c: Ctx, name: string): string {
  return (c.req.param(name) ?? '').replace(/\.json$/, '');
}

const encodeCursor = (id: number): string => Buffer.from(`id:${id}`).toString('base64url');
function decodeCursor(cursor: string): number {
  const m = /^id:(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!m) throw badRequest('InvalidPaginationParameter', 'Invalid cursor');
  return Number(m[1]);
}

/** Whether the request asks for cursor pagination (`page[size]`, `page[after]` or `page[before]`). */
export const wantsCursor = (c: Ctx): boolean =>
  ['page[size]', 'page[after]', 'page[before]'].some((k) => c.req.query(k) !== undefined);

function pageUrl(c: Ctx, set: Record<string, string>, drop: string[] = []): string {
  const u = new URL(c.req.url);
  for (const k of drop) u.searchParams.delete(k);
  for (const [k, v] of Object.entries(set)) u.searchParams.set(k, v);
  return `${c.get('origin')}${u.pathname}${u.search}`;
}

/**
 * Pages `items` (already in the order asked for; `descending` tells which way
 * ids run) with cursor pagination when asked for, offset pagination otherwise.
 */
export function paginate<T extends { id: number }>(
  c: Ctx,
  key: string,
  items: T[],
  render: (item: T) => unknown,
  descending = false,
): Record<string, unknown> {
  if (wantsCursor(c)) {
    const size = Number(c.req.query('page[size]') ?? 100);
    if (!Number.isInteger(size) || size < 1)
      throw badRequest('InvalidPaginationParameter', 'page[size] must be a positive integer');
    if (size > 100) throw badRequest('InvalidPaginationParameter', 'page[size] must be less than or equal to 100');
    const after = c.req.query('page[after]');
    const before = c.req.query('page[before]');
    const comesAfter = (id: number, cursorId: number) => (descending ? id < cursorId : id > cursorId);
    let start = 0;
    let end = items.length;
    if (after) {
      const cid = decodeCursor(after);
      start = items.findIndex((i) => comesAfter(i.id, cid));
      if (start < 0) start = items.length;
      end = Math.min(items.length, start + size);
    } else if (before) {
      const cid = decodeCursor(before);
      end = items.findIndex((i) => !comesAfter(cid, i.id));
      if (end < 0) end = items.length;
      start = Math.max(0, end - size);
    } else end = Math.min(items.length, size);
    const page = items.slice(start, end);
    const hasMore = end < items.length;
    const afterCursor = page.length ? encodeCursor(page[page.length - 1]!.id) : null;
    const beforeCursor = page.length ? encodeCursor(page[0]!.id) : null;
    return {
      [key]: page.map(render),
      meta: { has_more: hasMore, after_cursor: afterCursor, before_cursor: beforeCursor },
      links: {
        prev:
          beforeCursor && start > 0
            ? pageUrl(c, { 'page[size]': String(size), 'page[before]': beforeCursor }, ['page[after]'])
            : null,
        next:
          afterCursor && hasMore
            ? pageUrl(c, { 'page[size]': String(size), 'page[after]': afterCursor }, ['page[before]'])
            : null,
      },
    };
  }
  const perPage = Math.min(100, Math.max(1, Number(c.req.query('per_page') ?? 100) || 100));
  const pageNo = Math.max(1, Number(c.req.query('page') ?? 1) || 1);
  const start = (pageNo - 1) * perPage;
  const page = items.slice(start, start + perPage);
  return {
    [key]: page.map(render),
    next_page:
      start + perPage < items.length ? pageUrl(c, { page: String(pageNo + 1), per_page: String(perPage) }) : null,
    previous_page: pageNo > 1 ? pageUrl(c, { page: String(pageNo - 1), per_page: String(perPage) }) : null,
    count: items.length,
  };
}
