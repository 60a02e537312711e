/** Who and what a ticket can name: agents, requesters, groups, and the ticket form's fields with their choices. */
import type { Hono } from 'hono';
import { CATEGORIES, CUSTOM_FIELDS, IMPACTS, PRIORITIES, SOURCES, STATUSES, TICKET_TYPES, URGENCIES } from './codes';
import { notFound } from './errors';
import { idParam, nextLink, pageParams, type Ctx, type Env } from './request';
import type { Agent, Requester } from './store';
import type { SimContext } from './context';
import { WORKSPACE_ID } from './serialize';

const agentJson = (a: Agent) => ({
  id: a.id,
  first_name: a.first_name,
  last_name: a.last_name,
  email: a.email,
  active: a.active,
  occasional: false,
  job_title: null,
  work_phone_number: null,
  mobile_phone_number: null,
  group_ids: a.group_ids,
  role_ids: [],
  created_at: '2026-01-05T09:00:00Z',
  updated_at: '2026-01-05T09:00:00Z',
});

const requesterJson = (r: Requester) => ({
  id: r.id,
  first_name: r.first_name,
  last_name: r.last_name,
  primary_email: r.primary_email,
  secondary_emails: [],
  active: r.active,
  job_title: null,
  department_ids: [],
  created_at: '2026-01-05T09:00:00Z',
  updated_at: '2026-01-05T09:00:00Z',
});

function paged<T>(c: Ctx, items: T[]): T[] {
  const { page, perPage } = pageParams(c);
  const start = (page - 1) * perPage;
  if (start + perPage < items.length) c.header('link', nextLink(c, page));
  return items.slice(start, start + perPage);
}

const choicesOf = (codes: Readonly<Record<number, string>>) =>
  Object.entries(codes).map(([id, value]) => ({ id: Number(id), value }));

export function lookupRoutes(app: Hono<Env>, sim: SimContext): void {
  const { store } = sim;

  app.get('/api/v2/agents', (c) => {
    const email = c.req.query('email')?.toLowerCase();
    const agents = store.agents.filter((a) => !email || a.email.toLowerCase() === email);
    return c.json({ agents: paged(c, agents).map(agentJson) });
  });
  app.get('/api/v2/agents/:id{[0-9]+}', (c) => {
    const a = store.agentById(idParam(c, 'id'));
    if (!a) throw notFound();
    return c.json({ agent: agentJson(a) });
  });
  app.get('/api/v2/requesters', (c) => {
    const email = c.req.query('email')?.toLowerCase();
    const requesters = store.requesters.filter((r) => !email || r.primary_email === email);
    return c.json({ requesters: paged(c, requesters).map(requesterJson) });
  });
  app.get('/api/v2/requesters/:id{[0-9]+}', (c) => {
    const r = store.requesterById(idParam(c, 'id'));
    if (!r) throw notFound();
    return c.json({ requester: requesterJson(r) });
  });
  app.get('/api/v2/groups', (c) =>
    c.json({
      groups: paged(c, store.groups).map((g) => ({
        id: g.id,
        name: g.name,
        description: g.description,
        members: store.agents.filter((a) => a.group_ids.includes(g.id)).map((a) => a.id),
        created_at: '2026-01-05T09:00:00Z',
        updated_at: '2026-01-05T09:00:00Z',
      })),
    }),
  );

  /** The ticket form: default fields with their numeric choices, then the custom ones (`required_for_closure` marks the mandatory-on-close field). */
  app.get('/api/v2/ticket_form_fields', (c) => {
    let id = 1000;
    const field = (
      name: string,
      label: string,
      field_type: string,
      extra: Record<string, unknown> = {},
    ): Record<string, unknown> => ({
      id: ++id,
      workspace_id: WORKSPACE_ID,
      name,
      label,
      label_for_requesters: label,
      description: null,
      field_type,
      required: false,
      required_for_closure: false,
      default_field: true,
      choices: [],
      nested_fields: [],
      created_at: '2026-01-05T09:00:00Z',
      updated_at: '2026-01-05T09:00:00Z',
      ...extra,
    });
    const fields = [
      field('requester', 'Requester', 'default_requester', { required: true }),
      field('subject', 'Subject', 'default_subject', { required: true }),
      field('ticket_type', 'Type', 'default_ticket_type', {
        choices: TICKET_TYPES.map((value, i) => ({ id: i + 1, value })),
      }),
      field('status', 'Status', 'default_status', { required: true, choices: choicesOf(STATUSES) }),
      field('priority', 'Priority', 'default_priority', { required: true, choices: choicesOf(PRIORITIES) }),
      field('urgency', 'Urgency', 'default_urgency', { choices: choicesOf(URGENCIES) }),
      field('impact', 'Impact', 'default_impact', { choices: choicesOf(IMPACTS) }),
      field('source', 'Source', 'default_source', { choices: choicesOf(SOURCES) }),
      field('group', 'Group', 'default_group', { choices: store.groups.map((g) => ({ id: g.id, value: g.name })) }),
      field('agent', 'Agent', 'default_agent', {
        choices: store.agents.map((a) => ({ id: a.id, value: `${a.first_name} ${a.last_name}`.trim() })),
      }),
      field('category', 'Category', 'default_category', {
        choices: CATEGORIES.map((value, i) => ({ id: i + 1, value })),
      }),
      field('description', 'Description', 'default_description', { required: true }),
      ...CUSTOM_FIELDS.map((f) =>
        field(f.name, f.label, f.type, {
          default_field: false,
          required_for_closure: f.requiredForClosure && sim.limits.mandatoryOnClose,
          choices: (f.choices ?? []).map((value, i) => ({ id: i + 1, value })),
        }),
      ),
    ];
    return c.json({ ticket_fields: fields });
  });
}
