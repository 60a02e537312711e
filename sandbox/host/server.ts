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
}

export interface Host {
  url: string;
  stop(): Promise<void>;
}

const PUBLIC = path.join(__dirname, 'public');
const MIME: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.svg': 'image/svg+xml', '.png': 'image/png', '.json': 'application/json' };
// Forge's Custom UI CSP: scripts and styles only from the resource itself.
const RESOURCE_CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'self'";

/** The design tokens' theme CSS, as Jira serves it to a frame that called view.theme.enable(). */
let tokensCss: string | undefined;
function themeCss(): string {
  tokensCss ??= ['light', 'dark', 'spacing', 'typography', 'shape', 'motion']
    .map((t) => (require(`@atlaskit/tokens/dist/cjs/artifacts/themes/atlassian-${t}.js`) as { default: string }).default)
    .join('\n');
  return tokensCss;
}

const esc = (s: unknown) => String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function cookies(req: http.IncomingMessage): Record<string, string> {
  return Object.fromEntries((req.headers.cookie ?? '').split(';').map((c) => c.trim().split('=')).filter((kv) => kv.length === 2).map(([k, v]) => [k!, decodeURIComponent(v!)]));
}

async function readBody(req: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startHost(opts: HostOptions): Promise<Host> {
  const frames = new FrameRegistry();
  let url = '';
  const deps: BridgeDeps = { platform: opts.platform, installationId: opts.installationId, jiraBaseUrl: opts.jiraBaseUrl, hostUrl: () => url };
  const manifest = opts.platform.manifest;
  const resources = new Map((manifest.raw.resources ?? []).map((r) => [r.key, path.join(manifest.appDir, r.path)]));

  const currentUser = (req: http.IncomingMessage) => opts.users.find((u) => u.accountId === cookies(req).cw_user) ?? opts.users.find((u) => u.role === 'project-lead')!;

  /** Jira REST as the signed-in person (Basic auth), for the host's own pages. */
  const jiraAs = async (user: HostUser, p: string) => {
    const res = await fetch(opts.jiraBaseUrl + p, { headers: { accept: 'application/json', authorization: `Basic ${Buffer.from(`${user.email}:${user.apiToken}`).toString('base64')}` } });
    return { status: res.status, json: (await res.json()) as Record<string, any> };
  };

  const colorModeOf = (req: http.IncomingMessage): 'light' | 'dark' => (cookies(req).cw_theme === 'dark' ? 'dark' : 'light');

  const layout = (user: HostUser, title: string, body: string, colorMode: 'light' | 'dark' = 'light') => `<!doctype html>
<html lang="en" data-cw-theme="${colorMode}"><head><meta charset="utf-8"><title>${esc(title)} - Crosswalk sandbox</title><link rel="stylesheet" href="/__host/host.css"></head>
<body>
<header><a class="brand" href="/">Jira (Crosswalk sandbox)</a><span>${esc(title)}</span>
<form method="get" action="/__host/login"><label>Signed in as <select name="accountId" id="user-switcher">${opts.users
    .map((u) => `<option value="${esc(u.accountId)}"${u.accountId === user.accountId ? ' selected' : ''}>${esc(u.displayName)} (${esc(u.role)})</option>`)
    .join('')}</select></label> <button type="submit">Switch</button></form><a href="/__host/theme?mode=${colorMode === 'dark' ? 'light' : 'dark'}">${colorMode === 'dark' ? 'Light' : 'Dark'} theme</a></header>
${body}
<div id="flags"></div>
<script src="/__host/host-page.js"></script>
</body></html>`;

  const frameTag = (user: HostUser, moduleType: string, extension: Record<string, unknown>, colorMode: 'light' | 'dark' = 'light') => {
    const mod = manifest.uiModules.find((m) => m.moduleType === moduleType);
    if (!mod?.resource) return '<p>No module of this type in manifest.yml.</p>';
    const frame = frames.open({ accountId: user.accountId, moduleKey: mod.key, moduleType, resourceKey: mod.resource, extension, colorMode });
    return `<iframe title="${esc(mod.key)}" data-frame="${esc(frame.token)}" data-module="${esc(mod.key)}" src="/__app/${esc(mod.resource)}/index.html?frame=${esc(frame.token)}"></iframe>`;
  };

  const send = (res: http.ServerResponse, status: number, body: string | Buffer, type = 'text/html; charset=utf-8', extra: Record<string, string> = {}) => {
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
        const back = req.headers.referer && new URL(req.headers.referer).host === u.host ? new URL(req.headers.referer).pathname : '/';
        return send(res, 302, '', 'text/plain', { location: back, 'set-cookie': `cw_user=${encodeURIComponent(target?.accountId ?? '')}; Path=/; HttpOnly; SameSite=Lax` });
      }
      if (p === '/__host/theme') {
        const back = req.headers.referer && new URL(req.headers.referer).host === u.host ? new URL(req.headers.referer).pathname : '/';
        return send(res, 302, '', 'text/plain', { location: back, 'set-cookie': `cw_theme=${u.searchParams.get('mode') === 'dark' ? 'dark' : 'light'}; Path=/; SameSite=Lax` });
      }
      if (p === '/__host/tokens.css') return send(res, 200, themeCss(), MIME['.css'], { 'cache-control': 'max-age=3600' });
      if (p === '/__host/bridge.js' || p === '/__host/host-page.js' || p === '/__host/host.css') {
        const file = { '/__host/bridge.js': 'bridge-iframe.js', '/__host/host-page.js': 'host-page.js', '/__host/host.css': 'host.css' }[p]!;
        return send(res, 200, readFileSync(path.join(PUBLIC, file)), MIME[path.extname(file)]);
      }
      if (p === '/__host/api/bridge' && req.method === 'POST') {
        const body = JSON.parse((await readBody(req)) || '{}') as { frame?: string; type?: string; payload?: unknown };
        const frame = frames.get(body.frame ?? '');
        // A frame answers only to the person it was opened for.
        if (!frame || frame.accountId !== user.accountId) return send(res, 403, JSON.stringify({ ok: false, error: 'This frame belongs to another session; reload the page.' }), 'application/json');
        const answer = await answerBridgeCall(deps, frame, body.type ?? '', body.payload);
        return send(res, 200, JSON.stringify(answer), 'application/json');
      }
      const app = /^\/__app\/([^/]+)\/(.*)$/.exec(p);
      if (app) {
        const root = resources.get(app[1]!);
        const file = root && path.normalize(path.join(root, app[2] || 'index.html'));
        if (!root || !file!.startsWith(root) || !existsSync(file!) || !statSync(file!).isFile()) return send(res, 404, 'Not found', 'text/plain');
        let content: string | Buffer = readFileSync(file!);
        if (file!.endsWith('.html')) content = content.toString('utf8').replace(/<script/i, '<script src="/__host/bridge.js"></script>\n<script');
        return send(res, 200, content, MIME[path.extname(file!)] ?? 'application/octet-stream', { 'content-security-policy': RESOURCE_CSP });
      }

      const settings = /^\/projects\/([A-Z][A-Z0-9]*)\/settings\/crosswalk$/.exec(p);
      if (settings) {
        const project = await jiraAs(user, `/rest/api/3/project/${settings[1]}`);
        if (project.status !== 200) return send(res, 404, layout(user, 'Not found', '<main><div class="content">Project not found.</div></main>'));
        const ext = { project: { id: project.json.id, key: project.json.key, type: project.json.projectTypeKey } };
        return send(res, 200, layout(user, `${project.json.name} · Project settings · Crosswalk`, `<main><div class="content"><h2>${esc(project.json.name)}: Crosswalk</h2>${frameTag(user, 'jira:projectSettingsPage', ext, colorModeOf(req))}</div></main>`, colorModeOf(req)));
      }

      // Jira lists admin pages only to Jira admins; the sandbox renders the frame for anyone, so the resolver's own refusal can be seen.
      if (p === '/jira/settings/apps/crosswalk') {
        return send(res, 200, layout(user, 'Jira administration · Apps · Crosswalk', `<main><div class="content"><h2>Apps: Crosswalk</h2>${frameTag(user, 'jira:adminPage', {}, colorModeOf(req))}</div></main>`, colorModeOf(req)));
      }

      const browse = /^\/browse\/([A-Z][A-Z0-9]*-\d+)$/.exec(p);
      if (browse) {
        const issue = await jiraAs(user, `/rest/api/3/issue/${browse[1]}?expand=renderedFields`);
        if (issue.status !== 200) return send(res, 404, layout(user, 'Not found', '<main><div class="content">This issue does not exist or you cannot see it.</div></main>'));
        const f = issue.json.fields;
        const comments = (f.comment?.comments ?? []) as Array<Record<string, any>>;
        const ext = { project: { id: f.project.id, key: f.project.key, type: f.project.projectTypeKey }, issue: { id: issue.json.id, key: issue.json.key, type: f.issuetype.name, typeId: f.issuetype.id } };
        const body = `<main><div class="content"><p>${esc(f.project.name)} / ${esc(issue.json.key)}</p><h2 id="summary">${esc(f.summary)}</h2>
<p><span class="lozenge" id="status">${esc(f.status.name)}</span> ${esc(f.issuetype.name)} · ${esc(f.priority?.name)}</p>
<h3>Description</h3><div id="description">${issue.json.renderedFields?.description ?? ''}</div>
<h3>Comments</h3>${comments.map((c) => `<div class="comment"><div class="meta">${esc(c.author?.displayName)} · ${esc(c.created)}${c.jsdPublic === false ? ' · internal' : ''}</div><div>${esc(adfToText(c.body))}</div></div>`).join('') || '<p>No comments.</p>'}
</div><aside class="side"><h3>Crosswalk sync</h3>${frameTag(user, 'jira:issuePanel', ext, colorModeOf(req))}</aside></main>`;
        return send(res, 200, layout(user, `${issue.json.key} ${f.summary}`, body, colorModeOf(req)));
      }

      if (p === '/') {
        const projects = await jiraAs(user, '/rest/api/3/project/search');
        const rows: string[] = [];
        for (const pr of (projects.json.values ?? []) as Array<Record<string, any>>) {
          const found = await jiraAs(user, `/rest/api/3/search/jql?jql=${encodeURIComponent(`project = ${pr.key} ORDER BY key ASC`)}&fields=summary,status&maxResults=20`);
          const issues = ((found.json.issues ?? []) as Array<Record<string, any>>).map((i) => `<tr><td><a href="/browse/${esc(i.key)}">${esc(i.key)}</a></td><td>${esc(i.fields.summary)}</td><td><span class="lozenge">${esc(i.fields.status?.name)}</span></td></tr>`);
          rows.push(`<h2>${esc(pr.name)} (${esc(pr.key)})</h2><p><a href="/projects/${esc(pr.key)}/settings/crosswalk">Project settings → Crosswalk</a></p><table>${issues.join('')}</table>`);
        }
        const admin = '<p><a href="/jira/settings/apps/crosswalk">Jira administration → Apps → Crosswalk</a></p>';
        return send(res, 200, layout(user, 'Projects', `<main><div class="content">${admin}${rows.join('') || '<p>No projects you can see.</p>'}</div></main>`, colorModeOf(req)));
      }
      return send(res, 404, layout(user, 'Not found', '<main><div class="content">Not found.</div></main>'));
    })().catch((err: unknown) => send(res, 500, `Host error: ${esc(String(err))}`, 'text/plain'));
  });

  await new Promise<void>((r) => server.listen(opts.port ?? 0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, stop: () => new Promise((r) => { server.closeAllConnections(); server.close(() => r()); }) };
}
