/**
 * The issue page a newcomer opens from a Jira issue in the sandbox, at the
 * issue's real address (`https://github.com/acme/website/issues/<n>`): edit
 * the title and body, close (completed or not planned) or reopen, set labels,
 * comment, and paste an image into a comment (GitHub keeps it at a
 * `user-attachments/assets` URL, there is no attachment API), acting as
 * `octo-agent` through the REST API so every change notifies as any person's.
 */
import { randomUUID } from 'node:crypto';
import type { Hono } from 'hono';
import * as z from 'zod';
import { problemOf, redirectWithNotice, renderItemView, selfClient } from '../shared/web-view';
import { assetUrl } from './control';
import type { Env } from './http';
import type { GitHubStore } from './store';

const STATES = [
  { value: 'open', label: 'Open' },
  { value: 'closed:completed', label: 'Closed as completed' },
  { value: 'closed:not_planned', label: 'Closed as not planned' },
];

const viewedIssue = z.object({
  number: z.number(),
  title: z.string(),
  body: z.string().nullable(),
  state: z.enum(['open', 'closed']),
  state_reason: z.string().nullable().optional(),
  html_url: z.string(),
  updated_at: z.string(),
  labels: z.array(z.object({ name: z.string() })),
  type: z.object({ name: z.string() }).nullable().optional(),
  sub_issues_summary: z.object({ total: z.number(), completed: z.number() }).optional(),
  parent_issue_url: z.string().optional(),
});
const viewedComments = z.array(
  z.object({ body: z.string(), created_at: z.string(), user: z.object({ login: z.string() }) }),
);

export function gitHubWebView(
  app: Hono<Env>,
  baseUrl: () => string,
  store: GitHubStore,
  agent: { login: string; token: string },
): void {
  const api = selfClient(baseUrl, `Bearer ${agent.token}`);
  const PATH = '/:owner/:repo/issues/:number{[0-9]+}';
  const apiPath = (owner: string, repo: string, number: string) => `/repos/${owner}/${repo}/issues/${number}`;

  app.get(PATH, async (c) => {
    const { owner, repo, number } = c.req.param();
    const read = await api('GET', apiPath(owner, repo, number));
    if (read.status !== 200) return c.html(`<p>Not found: ${problemOf(read)}</p>`, read.status === 410 ? 410 : 404);
    const issue = viewedIssue.parse(read.json);
    // A transferred issue: the API followed the 301; the page moves to the issue's new address.
    const canonical = new URL(issue.html_url).pathname;
    if (canonical !== c.req.path) return c.redirect(canonical, 301);
    const comments = viewedComments.parse(
      (await api('GET', `${apiPath(owner, repo, number)}/comments?per_page=100`)).json,
    );
    const [state, reason] = [issue.state, issue.state_reason];
    return c.html(
      renderItemView({
        system: 'GitHub',
        key: `${owner}/${repo}#${issue.number}`,
        title: issue.title,
        actingAs: agent.login,
        action: c.req.path,
        notice: c.req.query('notice') ?? null,
        facts: [
          { label: 'State', value: reason ? `${state} (${reason})` : state },
          { label: 'Type', value: issue.type?.name ?? '(none)' },
          ...(issue.parent_issue_url
            ? [{ label: 'Parent', value: `#${issue.parent_issue_url.split('/').at(-1)}` }]
            : []),
          ...(issue.sub_issues_summary?.total
            ? [
                {
                  label: 'Sub-issues',
                  value: `${issue.sub_issues_summary.completed} of ${issue.sub_issues_summary.total} done`,
                },
              ]
            : []),
          { label: 'Updated', value: issue.updated_at },
        ],
        fields: [
          { name: 'title', label: 'Title', value: issue.title },
          { name: 'body', label: 'Description (Markdown)', value: issue.body ?? '', multiline: true },
          {
            name: 'state',
            label: 'State',
            value: state === 'open' ? 'open' : `closed:${reason === 'not_planned' ? 'not_planned' : 'completed'}`,
            options: STATES,
          },
          { name: 'labels', label: 'Labels (comma-separated)', value: issue.labels.map((l) => l.name).join(', ') },
        ],
        comments: comments.map((cm) => ({ author: cm.user.login, at: cm.created_at, text: cm.body })),
        // Every GitHub comment is public.
        commentVisibilities: [],
        attachments: [],
      }),
    );
  });

  app.post(PATH, async (c) => {
    const { owner, repo, number } = c.req.param();
    const here = c.req.path;
    const form = await c.req.formData();
    const what = String(form.get('do') ?? '');
    if (what === 'fields') {
      const current = await api('GET', apiPath(owner, repo, number));
      if (current.status !== 200) return redirectWithNotice(here, `Not saved: ${problemOf(current)}`);
      const issue = viewedIssue.parse(current.json);
      const [state, reason] = String(form.get('state') ?? 'open').split(':');
      const labels = String(form.get('labels') ?? '')
        .split(',')
        .map((l) => l.trim())
        .filter(Boolean);
      const patch: Record<string, unknown> = {};
      const title = String(form.get('title') ?? '');
      const body = String(form.get('body') ?? '').replace(/\r\n/g, '\n');
      if (title !== issue.title) patch.title = title;
      if (body !== (issue.body ?? '')) patch.body = body;
      if (state !== issue.state || (state === 'closed' && reason !== issue.state_reason)) {
        patch.state = state;
        if (state === 'closed') patch.state_reason = reason;
      }
      if (labels.join('\n') !== issue.labels.map((l) => l.name).join('\n')) patch.labels = labels;
      if (!Object.keys(patch).length) return redirectWithNotice(here, 'Nothing changed');
      // GitHub takes a new close reason only with a change of state: reopen first, as a person would.
      if (state === 'closed' && issue.state === 'closed' && patch.state)
        await api('PATCH', apiPath(owner, repo, number), { state: 'open' });
      const r = await api('PATCH', apiPath(owner, repo, number), patch);
      return redirectWithNotice(here, r.status === 200 ? 'Saved' : `Not saved: ${problemOf(r)}`);
    }
    if (what === 'comment') {
      const r = await api('POST', `${apiPath(owner, repo, number)}/comments`, { body: String(form.get('body') ?? '') });
      return redirectWithNotice(here, r.status === 201 ? 'Comment added' : `Not saved: ${problemOf(r)}`);
    }
    if (what === 'attach') {
      // GitHub has no attachment API: a pasted file becomes an asset URL in a comment's Markdown.
      const file = form.get('file');
      if (!(file instanceof File) || !file.size) return redirectWithNotice(here, 'Choose a file to attach');
      const uuid = randomUUID();
      store.assets.set(uuid, {
        uuid,
        name: file.name,
        contentType: file.type || 'application/octet-stream',
        bytes: Buffer.from(await file.arrayBuffer()),
      });
      const markdown = file.type.startsWith('image/')
        ? `![${file.name}](${assetUrl(uuid)})`
        : `[${file.name}](${assetUrl(uuid)})`;
      const r = await api('POST', `${apiPath(owner, repo, number)}/comments`, { body: markdown });
      return redirectWithNotice(here, r.status === 201 ? 'File pasted in a comment' : `Not attached: ${problemOf(r)}`);
    }
    return redirectWithNotice(here, 'Nothing to do');
  });

  app.get('/user-attachments/assets/:uuid', (c) => {
    const asset = store.assets.get(c.req.param('uuid'));
    if (!asset) return c.text('Not Found', 404);
    return c.body(new Uint8Array(asset.bytes), 200, {
      'content-type': asset.contentType,
      'content-length': String(asset.bytes.length),
      'content-disposition': `inline; filename="${asset.name.replace(/"/g, '')}"`,
    });
  });
}
