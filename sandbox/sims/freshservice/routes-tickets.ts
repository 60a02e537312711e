/** `/api/v2/tickets`: create, read with includes, partial update, trash and restore, the list and the filter. */
import type { Hono } from 'hono';
import { CUSTOM_FIELDS } from './codes';
import { FsError, invalidValue } from './errors';
import { parseFilterQuery } from './filter-query';
import { idParam, nextLink, pageParams, readBody, type Env } from './request';
import { ticketJson, type TicketInclude } from './serialize';
import type { Ticket } from './store';
import { parseUtc, TicketService } from './tickets';
import type { SimContext } from './context';
import { parseCreate, parseUpdate } from './validate';

const DAY_MS = 24 * 3600_000;
const FILTER_PAGE_SIZE = 30;
const FILTERABLE = new Set([
  'status',
  'priority',
  'urgency',
  'impact',
  'source',
  'type',
  'group_id',
  'agent_id',
  'requester_id',
  'category',
  'tag',
  'created_at',
  'updated_at',
  'due_by',
  ...CUSTOM_FIELDS.map((f) => f.name),
]);

function includesOf(raw: string | undefined, allowed: readonly TicketInclude[]): Set<TicketInclude> {
  const asked = (raw ?? '').split(',').filter(Boolean);
  const unknown = asked.filter((a) => !(allowed as readonly string[]).includes(a));
  if (unknown.length) throw invalidValue('include', `It should be one of these values: '${allowed.join(',')}'`);
  return new Set(asked as TicketInclude[]);
}

export function ticketRoutes(app: Hono<Env>, sim: SimContext): void {
  const { store, tickets } = sim;

  app.post('/api/v2/tickets', async (c) => {
    const { fields, files } = await readBody(c);
    const t = tickets.create(parseCreate(fields), files, c.get('agent'));
    c.header('Location', `${c.get('origin')}/api/v2/tickets/${t.id}`);
    return c.json({ ticket: ticketJson(store, t, c.get('origin')) }, 201);
  });

  // Before /:id, which would otherwise take "filter" for an id.
  app.get('/api/v2/tickets/filter', (c) => {
    const predicate = parseFilterQuery(c.req.query('query'), FILTERABLE);
    const { page } = pageParams(c);
    // The index lags writes: each ticket is searched as it was `filterLagSeconds` ago, and a newer one is not found yet.
    const asOf = sim.now() - sim.limits.filterLagSeconds * 1000;
    const hits = [...store.tickets.values()]
      .filter((t) => {
        const indexed = TicketService.indexedAt(t, asOf);
        return indexed !== undefined && indexed.deleted !== true && predicate(indexed);
      })
      .sort((a, b) => b.created_at - a.created_at || b.id - a.id);
    const start = (page - 1) * FILTER_PAGE_SIZE;
    // What the index found, as the tickets hold it now (the index gives ids; the records are read live).
    return c.json({
      tickets: hits.slice(start, start + FILTER_PAGE_SIZE).map((t) => ticketJson(store, t, c.get('origin'))),
      total: hits.length,
    });
  });

  app.get('/api/v2/tickets', (c) => {
    const { page, perPage } = pageParams(c);
    const filter = c.req.query('filter');
    if (filter !== undefined && filter !== 'deleted')
      throw invalidValue('filter', "It should be one of these values: 'deleted'");
    const orderType = c.req.query('order_type') ?? 'desc';
    if (orderType !== 'asc' && orderType !== 'desc')
      throw invalidValue('order_type', "It should be one of these values: 'asc,desc'");
    const include = includesOf(c.req.query('include'), ['stats', 'requester']);
    const since = c.req.query('updated_since');
    const sinceMs = since === undefined ? undefined : parseUtc('updated_since', since);
    const wantDeleted = filter === 'deleted';
    // Without updated_since only tickets created in the last 30 days are listed (vendor-apis-more.md §2.5).
    const keep = (t: Ticket) =>
      t.deleted === wantDeleted &&
      (sinceMs === undefined ? t.created_at >= sim.now() - 30 * DAY_MS : t.updated_at >= sinceMs);
    const sign = orderType === 'asc' ? 1 : -1;
    const all = [...store.tickets.values()]
      .filter(keep)
      .sort((a, b) => sign * (a.created_at - b.created_at || a.id - b.id));
    const start = (page - 1) * perPage;
    if (start + perPage < all.length) c.header('link', nextLink(c, page));
    return c.json({
      tickets: all.slice(start, start + perPage).map((t) => ticketJson(store, t, c.get('origin'), include)),
    });
  });

  app.get('/api/v2/tickets/:id{[0-9]+}', (c) => {
    const include = includesOf(c.req.query('include'), ['conversations', 'requester', 'stats']);
    const t = tickets.any(idParam(c, 'id'));
    return c.json({ ticket: ticketJson(store, t, c.get('origin'), include) });
  });

  app.put('/api/v2/tickets/:id{[0-9]+}', async (c) => {
    const { fields, files } = await readBody(c);
    const bypass = c.req.query('bypass_mandatory') === 'true';
    const t = tickets.update(idParam(c, 'id'), parseUpdate(fields), files, c.get('agent'), bypass);
    return c.json({ ticket: ticketJson(store, t, c.get('origin')) });
  });

  app.delete('/api/v2/tickets/:id{[0-9]+}', (c) => {
    tickets.trash(idParam(c, 'id'));
    return c.body(null, 204);
  });

  app.put('/api/v2/tickets/:id{[0-9]+}/restore', (c) => {
    tickets.restore(idParam(c, 'id'));
    return c.body(null, 204);
  });

  // PUT or DELETE on the collection is a method the resource does not have (FS-DOC "Errors": 405).
  for (const method of ['PUT', 'DELETE', 'PATCH'] as const)
    app.on(method, '/api/v2/tickets', () => {
      throw new FsError(405, 'Method not allowed', [
        { message: `${method} is not allowed on /api/v2/tickets`, code: 'method_not_allowed' },
      ]);
    });
}
