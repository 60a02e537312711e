/**
 * What a person sees of the account in the sandbox:
 * - the ticket page at its real path (`/a/tickets/{id}`), where the demo agent
 *   (Sam Agent) edits subject, status and priority, replies, adds a note and
 *   attaches a file, all through the API with Sam's own key, so the automator
 *   fires and the request log records it as for any agent's change;
 * - the Workflow Automator admin page (`/a/admin/workflow-automator`), where
 *   an admin adds the "Trigger Webhook" rule Crosswalk's connection page
 *   describes: URL, custom headers, events and the JSON payload.
 */
import type { Env, Hono } from 'hono';
import { esc, problemOf, redirectWithNotice, renderItemView, selfClient } from '../shared/web-view';
import { DEFAULT_PAYLOAD, type AutomatorRule } from './automator';
import { PRIORITIES, STATUSES } from './codes';
import { TICKET_EVENTS } from './tickets';

const options = (codes: Readonly<Record<number, string>>) =>
  Object.entries(codes).map(([value, label]) => ({ value, label }));

interface ViewTicket {
  subject?: string;
  status?: number;
  priority?: number;
  type?: string;
  updated_at?: string;
  tags?: string[];
  custom_fields?: Record<string, unknown>;
  attachments?: Array<{ name?: string; size?: number }>;
  conversations?: Array<{
    user_id?: number;
    created_at?: string;
    body_text?: string;
    private?: boolean;
    source?: number;
    attachments?: Array<{ name?: string; size?: number }>;
  }>;
}

export interface WebViewDeps {
  agent: { name: string; email: string; apiKey: string };
  rules(): readonly AutomatorRule[];
  addRule(body: unknown): AutomatorRule;
  removeRule(id: number): void;
}

export function freshserviceWebView<E extends Env>(app: Hono<E>, baseUrl: () => string, deps: WebViewDeps): void {
  const authorization = `Basic ${Buffer.from(`${deps.agent.apiKey}:X`).toString('base64')}`;
  const api = selfClient(baseUrl, authorization);
  const PATH = '/a/tickets/:id{[0-9]+}';

  app.get(PATH, async (c) => {
    const id = c.req.param('id');
    const r = await api('GET', `/api/v2/tickets/${id}?include=conversations`);
    if (r.status !== 200) return c.html(`<p>Not found: ${esc(problemOf(r))}</p>`, 404);
    const ticket = (r.json as { ticket: ViewTicket }).ticket;
    const conversations = ticket.conversations ?? [];
    // Authors by name: agents first, then requesters (a note may be written on a requester's behalf).
    const names = new Map<number, string>();
    for (const userId of new Set(conversations.map((cv) => cv.user_id ?? 0))) {
      const asAgent = await api('GET', `/api/v2/agents/${userId}`);
      const person = (
        asAgent.status === 200
          ? asAgent.json?.agent
          : (await api('GET', `/api/v2/requesters/${userId}`)).json?.requester
      ) as { first_name?: string; last_name?: string } | undefined;
      names.set(userId, person ? `${person.first_name ?? ''} ${person.last_name ?? ''}`.trim() : String(userId));
    }
    return c.html(
      renderItemView({
        system: 'Freshservice',
        key: `#${ticket.type === 'Service Request' ? 'SR' : 'INC'}-${id}`,
        title: ticket.subject ?? '',
        actingAs: `${deps.agent.name} (${deps.agent.email})`,
        action: c.req.path,
        notice: c.req.query('notice') ?? null,
        facts: [
          { label: 'Type', value: ticket.type ?? '' },
          { label: 'Status', value: `${STATUSES[ticket.status ?? 2] ?? ''} (${ticket.status ?? ''})` },
          { label: 'Crosswalk ID', value: String(ticket.custom_fields?.crosswalk_id ?? '(none)') },
          { label: 'Updated', value: ticket.updated_at ?? '' },
        ],
        fields: [
          { name: 'subject', label: 'Subject', value: ticket.subject ?? '' },
          { name: 'status', label: 'Status', value: String(ticket.status ?? 2), options: options(STATUSES) },
          { name: 'priority', label: 'Priority', value: String(ticket.priority ?? 1), options: options(PRIORITIES) },
          { name: 'tags', label: 'Tags', value: (ticket.tags ?? []).join(' ') },
        ],
        comments: conversations.map((cv) => ({
          author: names.get(cv.user_id ?? 0) ?? String(cv.user_id ?? ''),
          at: cv.created_at ?? '',
          text: cv.body_text ?? '',
          visibility: cv.source === 0 ? 'reply' : cv.private ? 'private note' : 'public note',
        })),
        commentVisibilities: [
          { value: 'reply', label: 'Reply (emails the requester)' },
          { value: 'private', label: 'Private note' },
          { value: 'public', label: 'Public note' },
        ],
        attachments: [ticket, ...conversations].flatMap((holder) =>
          (holder.attachments ?? []).map((a) => ({ name: a.name ?? '', size: Number(a.size ?? 0) })),
        ),
      }),
    );
  });

  app.post(PATH, async (c) => {
    const id = c.req.param('id');
    const here = c.req.path;
    const form = await c.req.formData();
    const what = String(form.get('do') ?? '');
    if (what === 'fields') {
      const now =
        ((await api('GET', `/api/v2/tickets/${id}`)).json as { ticket?: ViewTicket } | undefined)?.ticket ?? {};
      const wanted: Record<string, unknown> = {
        subject: String(form.get('subject') ?? ''),
        status: Number(form.get('status') ?? 2),
        priority: Number(form.get('priority') ?? 1),
        tags: String(form.get('tags') ?? '')
          .split(/[\s,]+/)
          .filter(Boolean),
      };
      // Only what the person changed, as the agent UI sends it.
      const changed = Object.fromEntries(
        Object.entries(wanted).filter(([k, v]) => JSON.stringify(v) !== JSON.stringify(now[k as keyof ViewTicket])),
      );
      if (!Object.keys(changed).length) return redirectWithNotice(here, 'Nothing changed');
      const r = await api('PUT', `/api/v2/tickets/${id}`, changed);
      return redirectWithNotice(here, r.status === 200 ? 'Saved' : `Not saved: ${problemOf(r)}`);
    }
    if (what === 'comment') {
      const body = `<div>${esc(String(form.get('body') ?? ''))}</div>`;
      const visibility = String(form.get('visibility') ?? 'reply');
      const r =
        visibility === 'reply'
          ? await api('POST', `/api/v2/tickets/${id}/reply`, { body })
          : await api('POST', `/api/v2/tickets/${id}/notes`, { body, private: visibility === 'private' });
      return redirectWithNotice(here, r.status === 201 ? 'Added' : `Not saved: ${problemOf(r)}`);
    }
    if (what === 'attach') {
      const file = form.get('file');
      if (!(file instanceof File) || !file.size) return redirectWithNotice(here, 'Choose a file to attach');
      // Files travel only inline, as multipart parts of a ticket update.
      const upload = new FormData();
      upload.append('attachments[]', file, file.name);
      const res = await fetch(`${baseUrl()}/api/v2/tickets/${id}`, {
        method: 'PUT',
        headers: { authorization, accept: 'application/json' },
        body: upload,
      });
      const json = (await res.json().catch(() => undefined)) as unknown;
      return redirectWithNotice(
        here,
        res.status === 200 ? 'File attached' : `Not attached: ${problemOf({ status: res.status, json })}`,
      );
    }
    return redirectWithNotice(here, 'Nothing to do');
  });

  const ADMIN = '/a/admin/workflow-automator';
  app.get(ADMIN, (c) => {
    const rows = deps
      .rules()
      .map(
        (r) =>
          `<tr><td>${r.id}</td><td>${esc(r.name)}</td><td>${esc(r.url)}</td><td>${esc(Object.keys(r.headers).join(', '))}</td><td>${esc(r.events.join(', '))}</td><td><form method="post"><input type="hidden" name="do" value="remove"><input type="hidden" name="id" value="${r.id}"><button>Remove</button></form></td></tr>`,
      )
      .join('');
    const events = TICKET_EVENTS.map(
      (e) => `<label class="inline"><input type="checkbox" name="events" value="${e}" checked> ${e}</label>`,
    ).join('');
    const notice = c.req.query('notice');
    return c.html(`<!DOCTYPE html><html><head><meta charset="utf-8"><title>Workflow Automator</title></head><body><main>
<h1>Workflow Automator: Trigger Webhook</h1>${notice ? `<p class="notice">${esc(notice)}</p>` : ''}
<table><tr><th>#</th><th>Name</th><th>URL</th><th>Headers</th><th>Events</th><th></th></tr>${rows}</table>
<h2>New rule</h2>
<form method="post" class="stack"><input type="hidden" name="do" value="add">
<label>Name <input name="name" value="Notify Crosswalk"></label>
<label>Callback URL <input name="url" size="80"></label>
<label>Header name <input name="header_name" value="X-Crosswalk-Secret"></label>
<label>Header value <input name="header_value"></label>
${events}
<label>JSON payload <textarea name="payload" rows="6" cols="80">${esc(DEFAULT_PAYLOAD)}</textarea></label>
<button>Add rule</button></form></main></body></html>`);
  });
  app.post(ADMIN, async (c) => {
    const form = await c.req.formData();
    if (form.get('do') === 'remove') {
      deps.removeRule(Number(form.get('id')));
      return redirectWithNotice(ADMIN, 'Rule removed');
    }
    const headerName = String(form.get('header_name') ?? '').trim();
    try {
      deps.addRule({
        name: String(form.get('name') ?? '') || 'Notify Crosswalk',
        url: String(form.get('url') ?? ''),
        headers: headerName ? { [headerName]: String(form.get('header_value') ?? '') } : {},
        events: form.getAll('events').map(String),
        payload: String(form.get('payload') ?? '') || DEFAULT_PAYLOAD,
      });
      return redirectWithNotice(ADMIN, 'Rule added');
    } catch (err) {
      return redirectWithNotice(ADMIN, `Not added: ${err instanceof Error ? err.message.slice(0, 200) : String(err)}`);
    }
  });
}
