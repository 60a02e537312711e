/**
 * The incident form a newcomer opens from a Jira issue in the sandbox, at the
 * record's real path (`/nav_to.do?uri=incident.do?sys_id=…`): edit the
 * incident, add a comment or a work note, attach a file, as the demo agent
 * (Beth Agent) through the Table and Attachment APIs, so the business rule
 * notifies Crosswalk as for any agent's change.
 */
import type { Env, Hono } from 'hono';
import { problemOf, redirectWithNotice, renderItemView, selfClient } from '../shared/web-view';

const STATES = [
  { value: '1', label: 'New' },
  { value: '2', label: 'In Progress' },
  { value: '3', label: 'On Hold' },
  { value: '6', label: 'Resolved' },
  { value: '7', label: 'Closed' },
];
const URGENCIES = [
  { value: '1', label: '1 - High' },
  { value: '2', label: '2 - Medium' },
  { value: '3', label: '3 - Low' },
];

export function serviceNowWebView<E extends Env>(
  app: Hono<E>,
  baseUrl: () => string,
  agent: { username: string; password: string; name: string },
): void {
  const api = selfClient(baseUrl, `Basic ${Buffer.from(`${agent.username}:${agent.password}`).toString('base64')}`);
  const target = (uri: string | undefined) => /^([a-z_]+)\.do\?sys_id=([0-9a-f]{32})$/.exec(uri ?? '');
  const viewPath = (table: string, id: string) => `/nav_to.do?uri=${encodeURIComponent(`${table}.do?sys_id=${id}`)}`;

  app.get('/nav_to.do', async (c) => {
    const t = target(c.req.query('uri'));
    if (!t) return c.html('<p>This simulator shows incidents only: /nav_to.do?uri=incident.do?sys_id=…</p>', 404);
    const [, table, id] = t as unknown as [string, string, string];
    const rec = await api('GET', `/api/now/table/${table}/${id}?sysparm_exclude_reference_link=true`);
    if (rec.status !== 200) return c.html(`<p>Not found: ${problemOf(rec)}</p>`, 404);
    const r = rec.json.result as Record<string, string>;
    const journal = await api(
      'GET',
      `/api/now/table/sys_journal_field?sysparm_query=${encodeURIComponent(`element_id=${id}^ORDERBYsys_created_on`)}`,
    );
    const files = await api('GET', `/api/now/attachment?sysparm_query=${encodeURIComponent(`table_sys_id=${id}`)}`);
    return c.html(
      renderItemView({
        system: 'ServiceNow',
        key: r.number ?? id,
        title: r.short_description ?? '',
        actingAs: `${agent.name} (${agent.username})`,
        action: viewPath(table, id),
        notice: c.req.query('notice') ?? null,
        facts: [
          { label: 'State', value: STATES.find((s) => s.value === r.state)?.label ?? r.state ?? '' },
          { label: 'Correlation', value: r.correlation_id || '(none)' },
          // The parent record as its sys_id (its own page is /nav_to.do?uri=<table>.do?sys_id=…).
          ...(table === 'incident'
            ? [
                { label: 'Parent Incident', value: r.parent_incident || '(none)' },
                { label: 'Child Incidents', value: r.child_incidents ?? '0' },
              ]
            : [{ label: 'Parent', value: r.parent || '(none)' }]),
          { label: 'Updated', value: `${r.sys_updated_on ?? ''} by ${r.sys_updated_by ?? ''}` },
        ],
        fields: [
          { name: 'short_description', label: 'Short description', value: r.short_description ?? '' },
          { name: 'description', label: 'Description', value: r.description ?? '', multiline: true },
          { name: 'state', label: 'State', value: r.state ?? '1', options: STATES },
          { name: 'urgency', label: 'Urgency', value: r.urgency ?? '2', options: URGENCIES },
        ],
        comments: ((journal.json?.result ?? []) as Array<Record<string, string>>).map((j) => ({
          author: j.sys_created_by ?? '',
          at: j.sys_created_on ?? '',
          text: j.value ?? '',
          visibility: j.element === 'work_notes' ? 'work note (internal)' : 'additional comment (customer visible)',
        })),
        commentVisibilities: [
          { value: 'comments', label: 'Additional comment (customer visible)' },
          { value: 'work_notes', label: 'Work note (internal)' },
        ],
        attachments: ((files.json?.result ?? []) as Array<Record<string, string>>).map((a) => ({
          name: a.file_name ?? '',
          size: Number(a.size_bytes ?? 0),
          author: a.sys_created_by ?? '',
        })),
      }),
    );
  });

  app.post('/nav_to.do', async (c) => {
    const t = target(c.req.query('uri'));
    if (!t) return c.text('Not found', 404);
    const [, table, id] = t as unknown as [string, string, string];
    const here = viewPath(table, id);
    const form = await c.req.formData();
    const what = String(form.get('do') ?? '');
    if (what === 'fields') {
      // Only what the person changed.
      const now = ((await api('GET', `/api/now/table/${table}/${id}?sysparm_exclude_reference_link=true`)).json
        ?.result ?? {}) as Record<string, string>;
      const body: Record<string, string> = {};
      for (const k of ['short_description', 'description', 'state', 'urgency'])
        if (form.has(k) && String(form.get(k)) !== (now[k] ?? '')) body[k] = String(form.get(k));
      if (!Object.keys(body).length) return redirectWithNotice(here, 'Nothing changed');
      // Resolving needs a resolution code and notes: the form fills them, as an agent would.
      if (body.state === '6' || body.state === '7')
        Object.assign(body, {
          close_code: 'Solution provided',
          close_notes: `Resolved by ${agent.name} in the web view`,
        });
      const r = await api('PATCH', `/api/now/table/${table}/${id}`, body);
      return redirectWithNotice(here, r.status === 200 ? 'Saved' : `Not saved: ${problemOf(r)}`);
    }
    if (what === 'comment') {
      const element = form.get('visibility') === 'work_notes' ? 'work_notes' : 'comments';
      const r = await api('PATCH', `/api/now/table/${table}/${id}`, { [element]: String(form.get('body') ?? '') });
      return redirectWithNotice(
        here,
        r.status === 200
          ? element === 'work_notes'
            ? 'Work note added'
            : 'Comment added'
          : `Not saved: ${problemOf(r)}`,
      );
    }
    if (what === 'attach') {
      const file = form.get('file');
      if (!(file instanceof File) || !file.size) return redirectWithNotice(here, 'Choose a file to attach');
      const r = await api(
        'POST',
        `/api/now/attachment/file?table_name=${table}&table_sys_id=${id}&file_name=${encodeURIComponent(file.name)}`,
        new Uint8Array(await file.arrayBuffer()),
        { 'content-type': file.type || 'application/octet-stream' },
      );
      return redirectWithNotice(here, r.status === 201 ? 'File attached' : `Not attached: ${problemOf(r)}`);
    }
    return redirectWithNotice(here, 'Nothing to do');
  });
}
