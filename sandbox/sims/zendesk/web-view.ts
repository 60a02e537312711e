/**
 * The ticket page a newcomer opens from a Jira issue in the sandbox, at the
 * ticket's real path (`/agent/tickets/{id}`): edit the ticket, reply publicly
 * or add an internal note, attach a file, as the demo agent (Sam Agent)
 * through the Tickets and Uploads APIs, so the trigger's webhook notifies
 * Crosswalk as for any agent's change.
 */
import type { Env, Hono } from 'hono';
import { problemOf, redirectWithNotice, renderItemView, selfClient } from '../shared/web-view';

const STATUSES = ['new', 'open', 'pending', 'hold', 'solved', 'closed'].map((s) => ({
  value: s,
  label: s.charAt(0).toUpperCase() + s.slice(1),
}));
const PRIORITIES = [
  { value: '', label: '(none)' },
  ...['low', 'normal', 'high', 'urgent'].map((p) => ({ value: p, label: p.charAt(0).toUpperCase() + p.slice(1) })),
];

export function zendeskWebView<E extends Env>(
  app: Hono<E>,
  baseUrl: () => string,
  agent: { email: string; apiToken: string; name: string },
): void {
  const api = selfClient(baseUrl, `Basic ${Buffer.from(`${agent.email}/token:${agent.apiToken}`).toString('base64')}`);
  const PATH = '/agent/tickets/:id{[0-9]+}';

  app.get(PATH, async (c) => {
    const id = c.req.param('id');
    const t = await api('GET', `/api/v2/tickets/${id}.json`);
    if (t.status !== 200) return c.html(`<p>Not found: ${problemOf(t)}</p>`, 404);
    const ticket = t.json.ticket as Record<string, any>;
    const comments = ((await api('GET', `/api/v2/tickets/${id}/comments.json`)).json?.comments ?? []) as Array<
      Record<string, any>
    >;
    const names = new Map<number, string>();
    for (const authorId of new Set(comments.map((cm) => cm.author_id as number))) {
      const u = await api('GET', `/api/v2/users/${authorId}.json`);
      names.set(authorId, u.json?.user?.name ?? String(authorId));
    }
    return c.html(
      renderItemView({
        system: 'Zendesk',
        key: `#${id}`,
        title: ticket.subject ?? '',
        actingAs: `${agent.name} (${agent.email})`,
        action: c.req.path,
        notice: c.req.query('notice') ?? null,
        facts: [
          { label: 'Status', value: ticket.status ?? '' },
          { label: 'External id', value: ticket.external_id ?? '(none)' },
          { label: 'Type', value: ticket.type ?? '(none)' },
          // An incident names its problem; a problem says whether incidents are linked to it.
          ...(ticket.problem_id ? [{ label: 'Problem', value: `#${ticket.problem_id}` }] : []),
          ...(ticket.has_incidents ? [{ label: 'Incidents', value: 'linked (see /tickets/{id}/incidents)' }] : []),
          { label: 'Updated', value: ticket.updated_at ?? '' },
        ],
        fields: [
          { name: 'subject', label: 'Subject', value: ticket.subject ?? '' },
          { name: 'status', label: 'Status', value: ticket.status ?? 'open', options: STATUSES },
          { name: 'priority', label: 'Priority', value: ticket.priority ?? '', options: PRIORITIES },
          { name: 'tags', label: 'Tags', value: ((ticket.tags ?? []) as string[]).join(' ') },
        ],
        comments: comments.map((cm) => ({
          author: names.get(cm.author_id) ?? String(cm.author_id),
          at: cm.created_at ?? '',
          text: cm.plain_body ?? cm.body ?? '',
          visibility: cm.public ? 'public reply' : 'internal note',
        })),
        commentVisibilities: [
          { value: 'public', label: 'Public reply' },
          { value: 'private', label: 'Internal note' },
        ],
        attachments: comments.flatMap((cm) =>
          ((cm.attachments ?? []) as Array<Record<string, any>>).map((a) => ({
            name: a.file_name ?? '',
            size: Number(a.size ?? 0),
            author: names.get(cm.author_id) ?? '',
          })),
        ),
      }),
    );
  });

  app.post(PATH, async (c) => {
    const id = c.req.param('id');
    const here = c.req.path;
    const form = await c.req.formData();
    const what = String(form.get('do') ?? '');
    const put = (ticket: Record<string, unknown>) => api('PUT', `/api/v2/tickets/${id}.json`, { ticket });
    if (what === 'fields') {
      // Only what the person changed.
      const now = ((await api('GET', `/api/v2/tickets/${id}.json`)).json?.ticket ?? {}) as Record<string, any>;
      const wanted: Record<string, unknown> = {
        subject: String(form.get('subject') ?? ''),
        status: String(form.get('status') ?? 'open'),
        priority: String(form.get('priority') ?? '') || null,
        tags: String(form.get('tags') ?? '')
          .split(/[\s,]+/)
          .filter(Boolean),
      };
      const changed = Object.fromEntries(
        Object.entries(wanted).filter(
          ([k, v]) => JSON.stringify(v) !== JSON.stringify(k === 'priority' ? (now[k] ?? null) : now[k]),
        ),
      );
      if (!Object.keys(changed).length) return redirectWithNotice(here, 'Nothing changed');
      const r = await put(changed);
      return redirectWithNotice(here, r.status === 200 ? 'Saved' : `Not saved: ${problemOf(r)}`);
    }
    if (what === 'comment') {
      const isPublic = form.get('visibility') !== 'private';
      const r = await put({ comment: { body: String(form.get('body') ?? ''), public: isPublic } });
      return redirectWithNotice(
        here,
        r.status === 200 ? (isPublic ? 'Reply added' : 'Internal note added') : `Not saved: ${problemOf(r)}`,
      );
    }
    if (what === 'attach') {
      const file = form.get('file');
      if (!(file instanceof File) || !file.size) return redirectWithNotice(here, 'Choose a file to attach');
      const up = await api(
        'POST',
        `/api/v2/uploads.json?filename=${encodeURIComponent(file.name)}`,
        new Uint8Array(await file.arrayBuffer()),
        { 'content-type': file.type || 'application/octet-stream' },
      );
      if (up.status !== 201) return redirectWithNotice(here, `Not attached: ${problemOf(up)}`);
      const r = await put({
        comment: { body: `Attached ${file.name}`, public: true, uploads: [up.json.upload.token] },
      });
      return redirectWithNotice(here, r.status === 200 ? 'File attached' : `Not attached: ${problemOf(r)}`);
    }
    return redirectWithNotice(here, 'Nothing to do');
  });
}
