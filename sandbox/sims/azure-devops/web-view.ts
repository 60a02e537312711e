/**
 * The work item page a newcomer opens from a Jira issue in the sandbox, at the
 * item's real path (`/{organization}/{project}/_workitems/edit/{id}`): edit the
 * work item, comment, attach a file, as the demo agent (Dana Agent) through
 * the REST API, so service hooks notify Crosswalk as for any person's change.
 */
import type { Env, Hono } from 'hono';
import { problemOf, redirectWithNotice, renderItemView, selfClient } from '../shared/web-view';

const V = 'api-version=7.1';
const COMMENTS = 'api-version=7.1-preview.4';
const PRIORITIES = ['1', '2', '3', '4'].map((p) => ({ value: p, label: p }));
const text = (html: unknown) =>
  String(html ?? '')
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/p>\s*<p>/gi, '\n\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
const html = (t: string) =>
  t
    .split(/\r?\n\s*\r?\n/)
    .filter((p) => p.trim())
    .map((p) => `<p>${p.trim().replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')}</p>`)
    .join('');

export function azureDevOpsWebView<E extends Env>(
  app: Hono<E>,
  baseUrl: () => string,
  agent: { pat: string; displayName: string; uniqueName: string },
): void {
  const api = selfClient(baseUrl, `Basic ${Buffer.from(`:${agent.pat}`).toString('base64')}`);
  const PATH = '/:org/:project/_workitems/edit/:id{[0-9]+}';

  app.get(PATH, async (c) => {
    const { org, project, id } = c.req.param() as { org: string; project: string; id: string };
    const root = `/${encodeURIComponent(org)}/${encodeURIComponent(project)}`;
    const w = await api('GET', `${root}/_apis/wit/workitems/${id}?$expand=all&${V}`);
    if (w.status !== 200) return c.html(`<p>Not found: ${problemOf(w)}</p>`, 404);
    const f = w.json.fields as Record<string, any>;
    const [states, comments] = await Promise.all([
      api('GET', `${root}/_apis/wit/workitemtypes/${encodeURIComponent(f['System.WorkItemType'])}/states?${V}`),
      api('GET', `${root}/_apis/wit/workItems/${id}/comments?order=asc&${COMMENTS}`),
    ]);
    const files = ((w.json.relations ?? []) as Array<Record<string, any>>).filter((r) => r.rel === 'AttachedFile');
    // Work item links as the form's Related Work lists them: the parent, the children and related items, by id.
    const linked = (rel: string) =>
      ((w.json.relations ?? []) as Array<{ rel: string; url: string }>)
        .filter((r) => r.rel === rel)
        .map((r) => `#${/(\d+)\/?$/.exec(r.url)?.[1] ?? r.url}`)
        .join(', ');
    return c.html(
      renderItemView({
        system: 'Azure DevOps',
        key: `${f['System.WorkItemType']} ${id}`,
        title: f['System.Title'] ?? '',
        actingAs: `${agent.displayName} (${agent.uniqueName})`,
        action: c.req.path,
        notice: c.req.query('notice') ?? null,
        facts: [
          { label: 'Project', value: `${org}/${project}` },
          { label: 'Tags', value: f['System.Tags'] ?? '' },
          { label: 'Parent', value: linked('System.LinkTypes.Hierarchy-Reverse') || '(none)' },
          { label: 'Children', value: linked('System.LinkTypes.Hierarchy-Forward') || '(none)' },
          { label: 'Related', value: linked('System.LinkTypes.Related') || '(none)' },
          {
            label: 'Changed',
            value: `${f['System.ChangedDate'] ?? ''} by ${f['System.ChangedBy']?.displayName ?? ''}`,
          },
        ],
        fields: [
          { name: 'System.Title', label: 'Title', value: f['System.Title'] ?? '' },
          { name: 'System.Description', label: 'Description', value: text(f['System.Description']), multiline: true },
          {
            name: 'System.State',
            label: 'State',
            value: f['System.State'] ?? '',
            options: ((states.json?.value ?? []) as Array<{ name: string }>).map((s) => ({
              value: s.name,
              label: s.name,
            })),
          },
          {
            name: 'Microsoft.VSTS.Common.Priority',
            label: 'Priority',
            value: String(f['Microsoft.VSTS.Common.Priority'] ?? '2'),
            options: PRIORITIES,
          },
        ],
        comments: ((comments.json?.comments ?? []) as Array<Record<string, any>>)
          .filter((cm) => !cm.isDeleted)
          .map((cm) => ({ author: cm.createdBy?.displayName ?? '', at: cm.createdDate ?? '', text: text(cm.text) })),
        commentVisibilities: [],
        attachments: files.map((r) => ({
          name: r.attributes?.name ?? 'file',
          size: Number(r.attributes?.resourceSize ?? 0),
        })),
      }),
    );
  });

  app.post(PATH, async (c) => {
    const { org, project, id } = c.req.param() as { org: string; project: string; id: string };
    const root = `/${encodeURIComponent(org)}/${encodeURIComponent(project)}`;
    const here = c.req.path;
    const form = await c.req.formData();
    const what = String(form.get('do') ?? '');
    const patch = (ops: unknown[]) =>
      api('PATCH', `${root}/_apis/wit/workitems/${id}?${V}`, ops, { 'content-type': 'application/json-patch+json' });
    if (what === 'fields') {
      // Only what the person changed: an untouched description keeps its own markup.
      const now = (await api('GET', `${root}/_apis/wit/workitems/${id}?${V}`)).json?.fields ?? {};
      const shown = (k: string) => (k === 'System.Description' ? text(now[k]) : String(now[k] ?? ''));
      const ops = ['System.Title', 'System.State', 'Microsoft.VSTS.Common.Priority', 'System.Description']
        .filter((k) => form.has(k) && String(form.get(k)) !== shown(k))
        .map((k) => ({
          op: 'add',
          path: `/fields/${k}`,
          value:
            k === 'Microsoft.VSTS.Common.Priority'
              ? Number(form.get(k))
              : k === 'System.Description'
                ? html(String(form.get(k)))
                : String(form.get(k)),
        }));
      if (!ops.length) return redirectWithNotice(here, 'Nothing changed');
      const r = await patch(ops);
      return redirectWithNotice(here, r.status === 200 ? 'Saved' : `Not saved: ${problemOf(r)}`);
    }
    if (what === 'comment') {
      const r = await api('POST', `${root}/_apis/wit/workItems/${id}/comments?${COMMENTS}`, {
        text: html(String(form.get('body') ?? '')),
      });
      return redirectWithNotice(here, r.status === 200 ? 'Comment added' : `Not saved: ${problemOf(r)}`);
    }
    if (what === 'attach') {
      const file = form.get('file');
      if (!(file instanceof File) || !file.size) return redirectWithNotice(here, 'Choose a file to attach');
      const up = await api(
        'POST',
        `${root}/_apis/wit/attachments?fileName=${encodeURIComponent(file.name)}&${V}`,
        new Uint8Array(await file.arrayBuffer()),
        { 'content-type': 'application/octet-stream' },
      );
      if (up.status !== 201 && up.status !== 200) return redirectWithNotice(here, `Not attached: ${problemOf(up)}`);
      const r = await patch([
        {
          op: 'add',
          path: '/relations/-',
          value: { rel: 'AttachedFile', url: up.json.url, attributes: { comment: '' } },
        },
      ]);
      return redirectWithNotice(here, r.status === 200 ? 'File attached' : `Not attached: ${problemOf(r)}`);
    }
    return redirectWithNotice(here, 'Nothing to do');
  });
}
