import { existsSync, readFileSync, statSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Platform } from '../platform';
import { answerBridgeCall, type BridgeDeps } from './bridge-handler';
import { FrameRegistry } from './frames';
import { adfToText } from '../../src/content/adf-to-text';

/**
 * A Jira-like web page: a project's settings page and an issue view that embed
 * our Custom UI resources in iframes, a user switcher, and the host side of
 * @forge/bridge. See docs/SANDBOX.md.
 */
export interface HostUser {
  accountId: string;
  displayName: string;
  role: string;
  email: string;
  apiToken: string;
}

export interface HostOptions {
  platform: Platform;
  installationId: string;
  jiraBaseUrl: string;
  users: HostUser[];
  port?: number;
  /**
   * Where a remote item's web page is served in the sandbox: an item's real
   * URL (https://acme.service-now.com/…) on `host` opens on `target`, the
   * simulator that plays it, which serves a small web view at the same path.
   */
  remoteViews?: Array<{ host: string; target: string }>;
}

export interface Host {
  url: string;
  stop(): Promise<void>;
}

const PUBLIC = path.join(__dirname, 'public');
const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
};
// Forge's Custom UI CSP: scripts and styles only from the resource itself.
const RESOURCE_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'self'";

/** The design tokens' theme CSS, as Jira serves it to a frame that called view.theme.enable(). */
let tokensCss: string | undefined;
function themeCss(): string {
  tokensCss ??= ['light', 'dark', 'spacing', 'typography', 'shape', 'motion']
    .map(
      (t) => (require(`@atlaskit/tokens/dist/cjs/artifacts/themes/atlassian-${t}.js`) as { default: string }).default,
    )
    .join('\n');
  return tokensCss;
}

const esc = (s: unknown) =>
  String(s ?? '').replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

function cookies(req: http.IncomingMessage): Record<string, string> {
  return Object.fromEntries(
    (req.headers.cookie ?? '')
      .split(';')
      .map((c) => c.trim().split('='))
      .filter((kv) => kv.length === 2)
      .map(([k, v]) => [k!, decodeURIComponent(v!)]),
  );
}

async function readBody(req: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startHost(opts: HostOptions): Promise<Host> {
  const frames = new FrameRegistry();
  let url = '';
  const deps: BridgeDeps = {
    platform: opts.platform,
    installationId: opts.installationId,
    jiraBaseUrl: opts.jiraBaseUrl,
    hostUrl: () => url,
  };
  const manifest = opts.platform.manifest;
  const resources = new Map((manifest.raw.resources ?? []).map((r) => [r.key, path.join(manifest.appDir, r.path)]));

  const currentUser = (req: http.IncomingMessage) =>
    opts.users.find((u) => u.accountId === cookies(req).cw_user) ?? opts.users.find((u) => u.role === 'project-lead')!;

  /** Jira REST as the signed-in person (Basic auth), for the host's own pages. */
  const jiraAs = async (
    user: HostUser,
    p: string,
    method = 'GET',
    body?: unknown,
    headers: Record<string, string> = {},
  ) => {
    const init: RequestInit = {
      method,
      headers: {
        accept: 'application/json',
        authorization: `Basic ${Buffer.from(`${user.email}:${user.apiToken}`).toString('base64')}`,
        ...headers,
      },
    };
    if (body instanceof FormData) init.body = body;
    else if (body !== undefined) {
      init.body = JSON.stringify(body);
      (init.headers as Record<string, string>)['content-type'] = 'application/json';
    }
    const res = await fetch(opts.jiraBaseUrl + p, init);
    const text = await res.text();
    return { status: res.status, json: (text ? JSON.parse(text) : {}) as Record<string, any> };
  };
  /** Jira's own words for a refused write (errorMessages and field errors), for the page. */
  const jiraProblem = (r: { status: number; json: Record<string, any> }) =>
    [
      ...((r.json.errorMessages as string[] | undefined) ?? []),
      ...Object.entries((r.json.errors as Record<string, string> | undefined) ?? {}).map(([k, v]) => `${k}: ${v}`),
    ].join(' ') || `Jira answered HTTP ${r.status}`;
  /** An item's real URL, opened on the simulator that plays its host (which serves a web view at the same path). */
  const viewUrl = (remote: string): string | undefined => {
    let u: URL;
    try {
      u = new URL(remote);
    } catch {
      return undefined;
    }
    const route = (opts.remoteViews ?? []).find((r) =>
      r.host.startsWith('*.') ? u.hostname.endsWith(r.host.slice(1)) : u.hostname === r.host,
    );
    return route ? `${route.target.replace(/\/+$/, '')}${u.pathname}${u.search}` : undefined;
  };
  const adfOf = (text: string) => ({
    version: 1,
    type: 'doc',
    content: text
      .split(/\r?\n\s*\r?\n/)
      .filter((p) => p.trim())
      .map((p) => ({ type: 'paragraph', content: [{ type: 'text', text: p.trim() }] })),
  });
  const formOf = async (req: http.IncomingMessage) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    return new Response(Buffer.concat(chunks), {
      headers: { 'content-type': req.headers['content-type'] ?? 'application/x-www-form-urlencoded' },
    }).formData();
  };
  const back = (res: http.ServerResponse, to: string, notice?: string) =>
    send(res, 303, '', 'text/plain', {
      location: notice ? `${to}${to.includes('?') ? '&' : '?'}notice=${encodeURIComponent(notice)}` : to,
    });

  const colorModeOf = (req: http.IncomingMessage): 'light' | 'dark' =>
    cookies(req).cw_theme === 'dark' ? 'dark' : 'light';

  const layout = (
    user: HostUser,
    title: string,
    body: string,
    colorMode: 'light' | 'dark' = 'light',
  ) => `<!doctype html>
<html lang="en" data-cw-theme="${colorMode}"><head><meta charset="utf-8"><title>${esc(title)} - Crosswalk sandbox</title><link rel="stylesheet" href="/__host/host.css"></head>
<body data-remote-views="${esc(JSON.stringify(opts.remoteViews ?? []))}">
<header><a class="brand" href="/">Jira (Crosswalk sandbox)</a><span>${esc(title)}</span>
<form method="get" action="/__host/login"><label>Signed in as <select name="accountId" id="user-switcher">${opts.users
    .map(
      (u) =>
        `<option value="${esc(u.accountId)}"${u.accountId === user.accountId ? ' selected' : ''}>${esc(u.displayName)} (${esc(u.role)})</option>`,
    )
    .join(
      '',
    )}</select></label> <button type="submit">Switch</button></form><a href="/__host/theme?mode=${colorMode === 'dark' ? 'light' : 'dark'}">${colorMode === 'dark' ? 'Light' : 'Dark'} theme</a></header>
${body}
<div id="flags"></div>
<script src="/__host/host-page.js"></script>
</body></html>`;

  const frameTag = (
    user: HostUser,
    moduleType: string,
    extension: Record<string, unknown>,
    colorMode: 'light' | 'dark' = 'light',
  ) => {
    const mod = manifest.uiModules.find((m) => m.moduleType === moduleType);
    if (!mod?.resource) return '<p>No module of this type in manifest.yml.</p>';
    const frame = frames.open({
      accountId: user.accountId,
      moduleKey: mod.key,
      moduleType,
      resourceKey: mod.resource,
      extension,
      colorMode,
    });
    // The app's name as people see it (its module's title), for the host's own dialogs about it.
    const appName = typeof mod.title === 'string' ? mod.title : mod.key;
    return `<iframe title="${esc(mod.key)}" data-frame="${esc(frame.token)}" data-module="${esc(mod.key)}" data-app="${esc(appName)}" src="/__app/${esc(mod.resource)}/index.html?frame=${esc(frame.token)}"></iframe>`;
  };

  const send = (
    res: http.ServerResponse,
    status: number,
    body: string | Buffer,
    type = 'text/html; charset=utf-8',
    extra: Record<string, string> = {},
  ) => {
    res.writeHead(status, { 'content-type': type, ...extra });
    res.end(body);
  };

  const server = http.createServer((req, res) => {
    void (async () => {
      const u = new URL(req.url ?? '/', 'http://host');
      const user = currentUser(req);
      const p = u.pathname;

      if (p === '/__host/login') {
        const target = opts.users.find((x) => x.accountId === u.searchParams.get('accountId'));
        const back =
          req.headers.referer && new URL(req.headers.referer).host === u.host
            ? new URL(req.headers.referer).pathname
            : '/';
        return send(res, 302, '', 'text/plain', {
          location: back,
          'set-cookie': `cw_user=${encodeURIComponent(target?.accountId ?? '')}; Path=/; HttpOnly; SameSite=Lax`,
        });
      }
      if (p === '/__host/theme') {
        const back =
          req.headers.referer && new URL(req.headers.referer).host === u.host
            ? new URL(req.headers.referer).pathname
            : '/';
        return send(res, 302, '', 'text/plain', {
          location: back,
          'set-cookie': `cw_theme=${u.searchParams.get('mode') === 'dark' ? 'dark' : 'light'}; Path=/; SameSite=Lax`,
        });
      }
      if (p === '/__host/tokens.css')
        return send(res, 200, themeCss(), MIME['.css'], { 'cache-control': 'max-age=3600' });
      if (p === '/__host/bridge.js' || p === '/__host/host-page.js' || p === '/__host/host.css') {
        const file = {
          '/__host/bridge.js': 'bridge-iframe.js',
          '/__host/host-page.js': 'host-page.js',
          '/__host/host.css': 'host.css',
        }[p]!;
        return send(res, 200, readFileSync(path.join(PUBLIC, file)), MIME[path.extname(file)]);
      }
      if (p === '/__host/api/bridge' && req.method === 'POST') {
        const body = JSON.parse((await readBody(req)) || '{}') as { frame?: string; type?: string; payload?: unknown };
        const frame = frames.get(body.frame ?? '');
        // A frame answers only to the person it was opened for.
        if (!frame || frame.accountId !== user.accountId)
          return send(
            res,
            403,
            JSON.stringify({ ok: false, error: 'This frame belongs to another session; reload the page.' }),
            'application/json',
          );
        const answer = await answerBridgeCall(deps, frame, body.type ?? '', body.payload);
        return send(res, 200, JSON.stringify(answer), 'application/json');
      }
      const app = /^\/__app\/([^/]+)\/(.*)$/.exec(p);
      if (app) {
        const root = resources.get(app[1]!);
        const file = root && path.normalize(path.join(root, app[2] || 'index.html'));
        if (!root || !file!.startsWith(root) || !existsSync(file!) || !statSync(file!).isFile())
          return send(res, 404, 'Not found', 'text/plain');
        let content: string | Buffer = readFileSync(file!);
        if (file!.endsWith('.html'))
          content = content.toString('utf8').replace(/<script/i, '<script src="/__host/bridge.js"></script>\n<script');
        return send(res, 200, content, MIME[path.extname(file!)] ?? 'application/octet-stream', {
          'content-security-policy': RESOURCE_CSP,
        });
      }

      // Jira's side as a person uses it: create, edit, transition, comment and attach, each as the signed-in user through Jira's REST API.
      if (p === '/__host/create' && req.method === 'POST') {
        const f = await formOf(req);
        const fields: Record<string, unknown> = {
          project: { key: String(f.get('project') ?? '') },
          issuetype: { id: String(f.get('issuetype') ?? '') },
          summary: String(f.get('summary') ?? ''),
        };
        if (f.get('priority')) fields.priority = { name: String(f.get('priority')) };
        if (String(f.get('description') ?? '').trim()) fields.description = adfOf(String(f.get('description')));
        const made = await jiraAs(user, '/rest/api/3/issue', 'POST', { fields });
        if (made.status !== 201) return back(res, '/', `Not created: ${jiraProblem(made)}`);
        return back(res, `/browse/${made.json.key}`, `${made.json.key} created`);
      }
      const write = /^\/browse\/([A-Z][A-Z0-9]*-\d+)\/(edit|transition|comment|attach)$/.exec(p);
      if (write && req.method === 'POST') {
        const [, key, what] = write as unknown as [string, string, string];
        const f = await formOf(req);
        let r: { status: number; json: Record<string, any> };
        if (what === 'edit') {
          const fields: Record<string, unknown> = {
            summary: String(f.get('summary') ?? ''),
            labels: String(f.get('labels') ?? '')
              .split(/[\s,]+/)
              .filter(Boolean),
          };
          if (f.get('priority')) fields.priority = { name: String(f.get('priority')) };
          fields.description = String(f.get('description') ?? '').trim() ? adfOf(String(f.get('description'))) : null;
          r = await jiraAs(user, `/rest/api/3/issue/${key}`, 'PUT', { fields });
        } else if (what === 'transition')
          r = await jiraAs(user, `/rest/api/3/issue/${key}/transitions`, 'POST', {
            transition: { id: String(f.get('transition') ?? '') },
          });
        else if (what === 'comment') {
          const internal = f.get('internal') === 'on';
          r = await jiraAs(user, `/rest/api/3/issue/${key}/comment`, 'POST', {
            body: adfOf(String(f.get('body') ?? '')),
            ...(internal ? { properties: [{ key: 'sd.public.comment', value: { internal: true } }] } : {}),
          });
        } else {
          const file = f.get('file');
          if (!(file instanceof File) || !file.size) return back(res, `/browse/${key}`, 'Choose a file to attach');
          const upload = new FormData();
          upload.append('file', file, file.name);
          r = await jiraAs(user, `/rest/api/3/issue/${key}/attachments`, 'POST', upload, {
            'x-atlassian-token': 'no-check',
          });
        }
        const done = { edit: 'Saved', transition: 'Moved', comment: 'Comment added', attach: 'File attached' }[what]!;
        return back(res, `/browse/${key}`, r.status < 300 ? done : `Not saved: ${jiraProblem(r)}`);
      }

      const settings = /^\/projects\/([A-Z][A-Z0-9]*)\/settings\/crosswalk$/.exec(p);
      if (settings) {
        const project = await jiraAs(user, `/rest/api/3/project/${settings[1]}`);
        if (project.status !== 200)
          return send(
            res,
            404,
            layout(user, 'Not found', '<main><div class="content">Project not found.</div></main>'),
          );
        const ext = { project: { id: project.json.id, key: project.json.key, type: project.json.projectTypeKey } };
        return send(
          res,
          200,
          layout(
            user,
            `${project.json.name} · Project settings · Crosswalk`,
            `<main><div class="content"><h2>${esc(project.json.name)}: Crosswalk</h2>${frameTag(user, 'jira:projectSettingsPage', ext, colorModeOf(req))}</div></main>`,
            colorModeOf(req),
          ),
        );
      }

      // Jira lists admin pages only to Jira admins; the sandbox renders the frame for anyone, so the resolver's own refusal can be seen.
      if (p === '/jira/settings/apps/crosswalk') {
        return send(
          res,
          200,
          layout(
            user,
            'Jira administration · Apps · Crosswalk',
            `<main><div class="content"><h2>Apps: Crosswalk</h2>${frameTag(user, 'jira:adminPage', {}, colorModeOf(req))}</div></main>`,
            colorModeOf(req),
          ),
        );
      }

      // A Jira dashboard with the app's gadget on it, in a gadget's frame as Jira draws one (its title above the app's frame).
      if (p === '/jira/dashboards/crosswalk') {
        const mod = manifest.uiModules.find((m) => m.moduleType === 'jira:dashboardGadget');
        const title = typeof mod?.title === 'string' ? mod.title : 'Gadget';
        const ext = { gadget: { id: '10100' }, dashboard: { id: '10000' }, gadgetConfiguration: {} };
        return send(
          res,
          200,
          layout(
            user,
            'Dashboards · Crosswalk',
            `<main><div class="content"><h2>Dashboard: Crosswalk</h2><section class="gadget" aria-label="${esc(title)}"><h3>${esc(title)}</h3>${frameTag(user, 'jira:dashboardGadget', ext, colorModeOf(req))}</section></div></main>`,
            colorModeOf(req),
          ),
        );
      }

      const browse = /^\/browse\/([A-Z][A-Z0-9]*-\d+)$/.exec(p);
      if (browse) {
        const issue = await jiraAs(user, `/rest/api/3/issue/${browse[1]}?expand=renderedFields`);
        if (issue.status !== 200)
          return send(
            res,
            404,
            layout(
              user,
              'Not found',
              '<main><div class="content">This issue does not exist or you cannot see it.</div></main>',
            ),
          );
        const key = issue.json.key as string;
        const f = issue.json.fields;
        const [transitions, priorities, remoteLinks, perms] = await Promise.all([
          jiraAs(user, `/rest/api/3/issue/${key}/transitions`),
          jiraAs(user, '/rest/api/3/priority'),
          jiraAs(user, `/rest/api/3/issue/${key}/remotelink`),
          jiraAs(
            user,
            `/rest/api/3/mypermissions?issueKey=${key}&permissions=EDIT_ISSUES,ADD_COMMENTS,CREATE_ATTACHMENTS`,
          ),
        ]);
        // As Jira does, only what the person may do is offered (Jira refuses the rest anyway).
        const may = (permission: string) => perms.json.permissions?.[permission]?.havePermission === true;
        const comments = (f.comment?.comments ?? []) as Array<Record<string, any>>;
        const attachments = (f.attachment ?? []) as Array<Record<string, any>>;
        const ext = {
          project: { id: f.project.id, key: f.project.key, type: f.project.projectTypeKey },
          issue: { id: issue.json.id, key, type: f.issuetype.name, typeId: f.issuetype.id },
        };
        const notice = u.searchParams.get('notice');
        const links = (Array.isArray(remoteLinks.json) ? (remoteLinks.json as Array<Record<string, any>>) : []).map(
          (l) => {
            const view = viewUrl(String(l.object?.url ?? ''));
            return `<li>${esc(l.object?.summary ?? 'Remote item')} <a href="${esc(view ?? l.object?.url)}" target="_blank" rel="noopener" class="remote-item">${esc(l.object?.title)}</a>${view ? ' (opens the simulator’s web view)' : ''}</li>`;
          },
        );
        const priorityOptions = (Array.isArray(priorities.json) ? (priorities.json as Array<Record<string, any>>) : [])
          .map((pr) => `<option${pr.name === f.priority?.name ? ' selected' : ''}>${esc(pr.name)}</option>`)
          .join('');
        const description = adfToText(f.description ?? null);
        const moves = ((transitions.json.transitions ?? []) as Array<Record<string, any>>)
          .map(
            (t) =>
              `<button type="submit" name="transition" value="${esc(t.id)}">${esc(t.name)} → ${esc(t.to?.name)}</button>`,
          )
          .join(' ');
        const body = `<main><div class="content">${notice ? `<p class="notice" role="status">${esc(notice)}</p>` : ''}<p><a href="/">Projects</a> / ${esc(f.project.name)} / ${esc(key)}</p><h2 id="summary">${esc(f.summary)}</h2>
<p><span class="lozenge" id="status">${esc(f.status.name)}</span> ${esc(f.issuetype.name)} · <span id="priority">${esc(f.priority?.name)}</span>${(f.labels ?? []).length ? ` · labels: <span id="labels">${esc((f.labels as string[]).join(', '))}</span>` : ''}</p>
${moves ? `<form method="post" action="/browse/${esc(key)}/transition" class="row" aria-label="Workflow">${moves}</form>` : ''}
<h3>Description</h3><div id="description">${issue.json.renderedFields?.description ?? ''}</div>
${
  may('EDIT_ISSUES')
    ? `<details id="edit"><summary>Edit</summary><form method="post" action="/browse/${esc(key)}/edit" class="stack">
<label>Summary <input name="summary" value="${esc(f.summary)}" required></label>
<label>Priority <select name="priority">${priorityOptions}</select></label>
<label>Labels <input name="labels" value="${esc((f.labels ?? []).join(' '))}"></label>
<label>Description <textarea name="description" rows="4">${esc(description)}</textarea></label>
<button type="submit">Save</button></form></details>`
    : ''
}
<h3>Linked items</h3>${links.length ? `<ul id="remote-links">${links.join('')}</ul>` : '<p>None yet.</p>'}
<h3>Attachments</h3>${attachments.length ? `<ul id="attachments">${attachments.map((a) => `<li>${esc(a.filename)} (${esc(a.size)} bytes, ${esc(a.author?.displayName)})</li>`).join('')}</ul>` : '<p>No files.</p>'}
${may('CREATE_ATTACHMENTS') ? `<form method="post" action="/browse/${esc(key)}/attach" enctype="multipart/form-data" class="row"><label>File <input type="file" name="file"></label> <button type="submit">Attach</button></form>` : ''}
<h3>Comments</h3>${comments.map((c) => `<div class="comment"><div class="meta">${esc(c.author?.displayName)} · ${esc(c.created)}${c.jsdPublic === false ? ' · internal' : ''}</div><div>${esc(adfToText(c.body))}</div></div>`).join('') || '<p>No comments.</p>'}
${
  may('ADD_COMMENTS')
    ? `<form method="post" action="/browse/${esc(key)}/comment" class="stack"><label>Add a comment <textarea name="body" rows="3" required></textarea></label>
<label class="inline"><input type="checkbox" name="internal"> Internal (agents only)</label><button type="submit">Comment</button></form>`
    : '<p class="meta">You may read this issue but not change it.</p>'
}
</div><aside class="side"><h3>Crosswalk sync</h3>${frameTag(user, 'jira:issuePanel', ext, colorModeOf(req))}</aside></main>`;
        return send(res, 200, layout(user, `${key} ${f.summary}`, body, colorModeOf(req)));
      }

      if (p === '/') {
        const projects = await jiraAs(user, '/rest/api/3/project/search');
        const rows: string[] = [];
        for (const pr of (projects.json.values ?? []) as Array<Record<string, any>>) {
          const found = await jiraAs(
            user,
            `/rest/api/3/search/jql?jql=${encodeURIComponent(`project = ${pr.key} ORDER BY key ASC`)}&fields=summary,status&maxResults=20`,
          );
          const issues = ((found.json.issues ?? []) as Array<Record<string, any>>).map(
            (i) =>
              `<tr><td><a href="/browse/${esc(i.key)}">${esc(i.key)}</a></td><td>${esc(i.fields.summary)}</td><td><span class="lozenge">${esc(i.fields.status?.name)}</span></td></tr>`,
          );
          const [detail, perms] = await Promise.all([
            jiraAs(user, `/rest/api/3/project/${pr.key}`),
            jiraAs(user, `/rest/api/3/mypermissions?projectKey=${pr.key}&permissions=CREATE_ISSUES`),
          ]);
          const types = ((detail.json.issueTypes ?? []) as Array<Record<string, any>>)
            .map((t) => `<option value="${esc(t.id)}">${esc(t.name)}</option>`)
            .join('');
          const create = `<details class="create"><summary>Create an issue in ${esc(pr.key)}</summary><form method="post" action="/__host/create" class="stack"><input type="hidden" name="project" value="${esc(pr.key)}">
<label>Summary <input name="summary" required></label><label>Type <select name="issuetype">${types}</select></label>
<label>Priority <select name="priority"><option>Medium</option><option>Highest</option><option>High</option><option>Low</option><option>Lowest</option></select></label>
<label>Description <textarea name="description" rows="3"></textarea></label><button type="submit">Create</button></form></details>`;
          const mayCreate = perms.json.permissions?.CREATE_ISSUES?.havePermission === true;
          rows.push(
            `<h2>${esc(pr.name)} (${esc(pr.key)})</h2><p><a href="/projects/${esc(pr.key)}/settings/crosswalk">Project settings → Crosswalk</a></p><table>${issues.join('')}</table>${mayCreate ? create : ''}`,
          );
        }
        const admin =
          '<p><a href="/jira/dashboards/crosswalk">Dashboards → Crosswalk</a> · <a href="/jira/settings/apps/crosswalk">Jira administration → Apps → Crosswalk</a></p>';
        const notice = u.searchParams.get('notice');
        return send(
          res,
          200,
          layout(
            user,
            'Projects',
            `<main><div class="content">${notice ? `<p class="notice" role="status">${esc(notice)}</p>` : ''}${admin}${rows.join('') || '<p>No projects you can see.</p>'}</div></main>`,
            colorModeOf(req),
          ),
        );
      }
      return send(res, 404, layout(user, 'Not found', '<main><div class="content">Not found.</div></main>'));
    })().catch((err: unknown) => send(res, 500, `Host error: ${esc(String(err))}`, 'text/plain'));
  });

  await new Promise<void>((r) => server.listen(opts.port ?? 0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    stop: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
