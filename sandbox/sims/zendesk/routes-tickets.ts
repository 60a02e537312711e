/** Tickets, comments, audits, uploads and attachments, incremental export and search. */
import type { Hono } from 'hono';
import { badRequest, notFound, recordInvalid, ZdError } from './errors';
import { jsonBody, numericParam, paginate, requireAdmin, requireAgent, stringParam, type Ctx, type Env } from './http';
import { attachmentJson, auditJson, commentJson, ticketJson } from './serialize';
import { iso, type Attachment, type Ticket, type Upload } from './store';
import { parseTicketBody, type TicketEvent } from './tickets';
import type { SimContext } from './index';
import { ticketSlas } from './slas';

export function ticketRoutes(app: Hono<Env>, sim: SimContext): void {
  const { store, tickets } = sim;
  // `include=slas` side-loads each ticket's SLA state (slas.ts); other side-loads are not simulated.
  const withSlas = (c: Ctx) => (c.req.query('include') ?? '').split(',').includes('slas');
  const render = (c: Ctx) => (t: Ticket) => ({
    ...ticketJson(store, t, c.get('origin')),
    ...(withSlas(c) ? { slas: ticketSlas(store, t, sim.now()) } : {}),
  });
  const ticketId = (c: Ctx) => numericParam(c, 'id', notFound);

  const afterWrite = (e: TicketEvent) => sim.runTriggers(e);

  for (const path of ['/api/v2/tickets', '/api/v2/tickets.json']) {
    app.get(path, (c) => {
      requireAgent(c);
      const externalId = c.req.query('external_id');
      const all = store.liveTickets().filter((t) => externalId === undefined || t.external_id === externalId);
      return c.json(paginate(c, 'tickets', all, render(c)));
    });
    app.post(path, async (c) => {
      const actor = requireAgent(c);
      const event = tickets.create(parseTicketBody(await jsonBody(c)), actor);
      afterWrite(event);
      const ticket = ticketJson(store, event.ticket, c.get('origin'));
      return c.json({ ticket, audit: auditJson(store, event.audit, c.get('origin')) }, 201, { Location: ticket.url });
    });
  }

  for (const path of ['/api/v2/tickets/show_many', '/api/v2/tickets/show_many.json']) {
    app.get(path, (c) => {
      requireAgent(c);
      const ids = (c.req.query('ids') ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      if (!ids.length) throw badRequest('InvalidEndpoint', 'ids is required');
      if (ids.length > 100) throw badRequest('InvalidEndpoint', 'Too many ids (maximum is 100)');
      const found = ids
        .map((id) => store.tickets.get(Number(id)))
        .filter((t): t is Ticket => Boolean(t) && !t!.deleted);
      return c.json({ tickets: found.map(render(c)) });
    });
  }

  app.get('/api/v2/tickets/:id', (c) => {
    requireAgent(c);
    return c.json({ ticket: render(c)(tickets.get(ticketId(c))) });
  });

  // A problem's incidents: the tickets whose problem_id names it (an unknown ticket is 404, any other ticket lists none).
  for (const path of ['/api/v2/tickets/:id/incidents', '/api/v2/tickets/:id/incidents.json'])
    app.get(path, (c) => {
      requireAgent(c);
      const id = tickets.get(ticketId(c)).id;
      return c.json(
        paginate(
          c,
          'tickets',
          store.liveTickets().filter((t) => t.problem_id === id),
          render(c),
        ),
      );
    });

  app.put('/api/v2/tickets/:id', async (c) => {
    const actor = requireAgent(c);
    const id = ticketId(c);
    tickets.get(id);
    const event = tickets.update(id, parseTicketBody(await jsonBody(c)), actor);
    const t = tickets.get(id);
    if (!event)
      return c.json({
        ticket: ticketJson(store, t, c.get('origin')),
        audit: {
          id: store.nextId('audit'),
          ticket_id: t.id,
          created_at: store.stamp(),
          author_id: actor.id,
          events: [],
        },
      });
    afterWrite(event);
    return c.json({
      ticket: ticketJson(store, t, c.get('origin')),
      audit: auditJson(store, event.audit, c.get('origin')),
    });
  });

  app.delete('/api/v2/tickets/:id', (c) => {
    requireAgent(c);
    tickets.delete(ticketId(c));
    return c.body(null, 204);
  });

  for (const path of ['/api/v2/tickets/:id/comments', '/api/v2/tickets/:id/comments.json']) {
    app.get(path, (c) => {
      requireAgent(c);
      const t = tickets.get(ticketId(c));
      const desc = c.req.query('sort') === '-created_at' || c.req.query('sort_order') === 'desc';
      const list = desc ? [...t.comments].reverse() : t.comments;
      return c.json(paginate(c, 'comments', list, (cm) => commentJson(store, cm, c.get('origin')), desc));
    });
  }

  for (const path of ['/api/v2/tickets/:id/audits', '/api/v2/tickets/:id/audits.json']) {
    app.get(path, (c) => {
      requireAgent(c);
      const t = tickets.get(ticketId(c));
      return c.json({
        audits: t.audits.map((a) => auditJson(store, a, c.get('origin'))),
        next_page: null,
        previous_page: null,
        count: t.audits.length,
      });
    });
  }

  // ---- uploads and attachments
  for (const path of ['/api/v2/uploads', '/api/v2/uploads.json']) {
    app.post(path, async (c) => {
      const filename = c.req.query('filename') ?? '';
      if (!filename.trim())
        throw recordInvalid({ filename: [{ description: 'Filename cannot be blank', error: 'BlankValue' }] });
      const contentType = (c.req.header('content-type') ?? '').split(';')[0]!.trim();
      if (!contentType)
        throw recordInvalid({ content_type: [{ description: 'Content type cannot be blank', error: 'BlankValue' }] });
      const declared = Number(c.req.header('content-length') ?? 0);
      if (declared > sim.limits.maxUploadBytes) throw tooLarge(sim.limits.maxUploadBytes);
      const content = Buffer.from(await c.req.arrayBuffer());
      if (content.length > sim.limits.maxUploadBytes) throw tooLarge(sim.limits.maxUploadBytes);
      const now = sim.now();
      const existingToken = c.req.query('token');
      let upload: Upload | undefined;
      if (existingToken) {
        upload = store.uploads.get(existingToken);
        if (!upload || upload.consumed || upload.expiresAt <= now) throw notFound();
      } else {
        upload = {
          token: store.token(),
          expiresAt: now + sim.limits.uploadTokenLifetimeSeconds * 1000,
          attachmentIds: [],
          consumed: false,
        };
        store.uploads.set(upload.token, upload);
      }
      const attachment: Attachment = {
        id: store.nextId('attachment'),
        token: store.token(),
        file_name: filename,
        content_type: contentType,
        size: content.length,
        content,
      };
      store.attachments.set(attachment.id, attachment);
      upload.attachmentIds.push(attachment.id);
      const origin = c.get('origin');
      return c.json(
        {
          upload: {
            token: upload.token,
            expires_at: iso(upload.expiresAt),
            attachment: attachmentJson(attachment, origin),
            attachments: upload.attachmentIds.map((id) => attachmentJson(store.attachments.get(id)!, origin)),
          },
        },
        201,
      );
    });
  }

  app.delete('/api/v2/uploads/:token', (c) => {
    const token = stringParam(c, 'token');
    const upload = store.uploads.get(token);
    if (!upload || upload.consumed) throw notFound();
    store.uploads.delete(token);
    for (const id of upload.attachmentIds) store.attachments.delete(id);
    return c.body(null, 204);
  });

  app.get('/api/v2/attachments/:id', (c) => {
    requireAgent(c);
    const a = store.attachments.get(numericParam(c, 'id', notFound));
    if (!a) throw notFound();
    return c.json({ attachment: attachmentJson(a, c.get('origin')) });
  });

  // ---- incremental export (cursor based)
  for (const path of ['/api/v2/incremental/tickets/cursor', '/api/v2/incremental/tickets/cursor.json']) {
    app.get(path, (c) => {
      requireAdmin(c);
      const perPage = Math.min(1000, Math.max(1, Number(c.req.query('per_page') ?? 1000) || 1000));
      const cursor = c.req.query('cursor');
      const startTime = c.req.query('start_time');
      const nowSec = Math.floor(sim.now() / 1000);
      let position: { ms: number; id: number };
      if (cursor) position = decodeExportCursor(cursor);
      else if (startTime !== undefined) {
        if (!/^\d+$/.test(startTime))
          throw badRequest('InvalidValue', 'start_time must be a unix timestamp in seconds');
        if (Number(startTime) > nowSec - 60)
          throw new ZdError(422, {
            error: 'InvalidValue',
            description: 'Too recent start_time. Use a start_time older than 1 minute.',
          });
        // Everything changed at or after start_time: position just before it.
        position = { ms: Number(startTime) * 1000 - 1, id: Number.MAX_SAFE_INTEGER };
      } else throw badRequest('InvalidValue', 'start_time or cursor is required');
      const ordered = [...store.tickets.values()].sort((a, b) => a.generated_ms - b.generated_ms || a.id - b.id);
      const rest = ordered.filter(
        (t) => t.generated_ms > position.ms || (t.generated_ms === position.ms && t.id > position.id),
      );
      const page = rest.slice(0, perPage);
      const last = page[page.length - 1];
      const afterCursor = last
        ? encodeExportCursor(last.generated_ms, last.id)
        : encodeExportCursor(position.ms, position.id);
      return c.json({
        tickets: page.map(render(c)),
        after_url: `${c.get('origin')}/api/v2/incremental/tickets/cursor.json?cursor=${encodeURIComponent(afterCursor)}`,
        after_cursor: afterCursor,
        before_url: null,
        before_cursor: null,
        end_of_stream: rest.length <= perPage,
      });
    });
  }

  // ---- search (the ticket subset a sync needs)
  for (const path of ['/api/v2/search', '/api/v2/search.json']) {
    app.get(path, (c) => {
      requireAgent(c);
      const query = c.req.query('query');
      if (!query) throw badRequest('invalid', 'query parameter is required');
      const terms = parseQuery(query);
      const type = terms.find((t) => t.key === 'type')?.value.toLowerCase();
      const visibleBefore = sim.now() - sim.limits.searchIndexDelaySeconds * 1000;
      let results: Ticket[] = [];
      if (type === undefined || type === 'ticket') {
        results = store
          .liveTickets()
          .filter((t) => t.generated_ms <= visibleBefore && terms.every((term) => searchMatches(sim, t, term)));
      }
      const sortBy = c.req.query('sort_by');
      const desc = (c.req.query('sort_order') ?? 'desc') === 'desc';
      if (sortBy === 'updated_at' || sortBy === 'created_at') {
        results.sort(
          (a, b) => (a[sortBy] < b[sortBy] ? -1 : a[sortBy] > b[sortBy] ? 1 : a.id - b.id) * (desc ? -1 : 1),
        );
      }
      const paged = paginate(c, 'results', results, (t) => ({
        ...ticketJson(store, t, c.get('origin')),
        result_type: 'ticket',
      }));
      return c.json({ ...paged, facets: null });
    });
  }
}

const tooLarge = (max: number): ZdError =>
  new ZdError(413, {
    error: 'RecordInvalid',
    description: 'Record validation errors',
    details: {
      size: [
        { description: `Attachment size exceeds the limit of ${Math.round(max / 1024 / 1024)} MB`, error: 'TooLarge' },
      ],
    },
  });

const encodeExportCursor = (ms: number, id: number): string =>
  Buffer.from(`${(ms / 1000).toFixed(3)}||${id}|`).toString('base64');
function decodeExportCursor(cursor: string): { ms: number; id: number } {
  const m = /^(\d+(?:\.\d+)?)\|\|(\d+)\|$/.exec(Buffer.from(cursor, 'base64').toString('utf8'));
  if (!m) throw badRequest('InvalidValue', 'Invalid cursor');
  return { ms: Math.round(Number(m[1]) * 1000), id: Number(m[2]) };
}

interface Term {
  key?: string;
  op: ':' | '>' | '<' | '>=' | '<=';
  value: string;
  negate: boolean;
}

/** Splits a search query into `key:value` (and `key>value`) terms and free words; quotes group words. */
export function parseQuery(q: string): Term[] {
  const out: Term[] = [];
  const re = /(-)?(?:(\w+)(:|>=|<=|>|<))?(?:"([^"]*)"|(\S+))/g;
  for (const m of q.matchAll(re)) {
    out.push({
      negate: m[1] === '-',
      key: m[2]?.toLowerCase(),
      op: (m[3] ?? ':') as Term['op'],
      value: m[4] ?? m[5] ?? '',
    });
  }
  return out;
}

function searchMatches(sim: SimContext, t: Ticket, term: Term): boolean {
  const v = term.value.toLowerCase();
  const user = (id: number | null) => (id === null ? undefined : sim.store.userById(id));
  const cmpDate = (stamp: string) => {
    const a = Date.parse(stamp);
    const b = Date.parse(term.value);
    return term.op === '>'
      ? a > b
      : term.op === '<'
        ? a < b
        : term.op === '>='
          ? a >= b
          : term.op === '<='
            ? a <= b
            : stamp.slice(0, 10) === term.value.slice(0, 10);
  };
  let hit: boolean;
  switch (term.key) {
    case 'type':
      return true;
    case 'external_id':
      hit = t.external_id !== null && t.external_id.toLowerCase() === v;
      break;
    case 'status':
      hit = term.op === ':' ? t.status === v : false;
      break;
    case 'priority':
      hit = t.priority === v;
      break;
    case 'ticket_type':
      hit = t.type === v;
      break;
    case 'tags':
    case 'tag':
      hit = t.tags.includes(v);
      break;
    case 'requester':
      hit = user(t.requester_id)?.email === v || String(t.requester_id) === v;
      break;
    case 'assignee':
      hit = v === 'none' ? t.assignee_id === null : user(t.assignee_id)?.email === v || String(t.assignee_id) === v;
      break;
    case 'group':
      hit = String(t.group_id) === v || sim.store.groups.find((g) => g.id === t.group_id)?.name.toLowerCase() === v;
      break;
    case 'subject':
      hit = t.subject.toLowerCase().includes(v);
      break;
    case 'created':
      hit = cmpDate(t.created_at);
      break;
    case 'updated':
      hit = cmpDate(t.updated_at);
      break;
    case undefined: {
      const text = [t.subject, ...t.comments.map((cm) => cm.plain_body)].join('\n').toLowerCase();
      hit = text.includes(v);
      break;
    }
    default:
      hit = false;
  }
  return term.negate ? !hit : hit;
}
