/**
 * Who the caller is and what it may spend: the GitHub App (`/app`, its
 * installation and installation tokens, JWT-authenticated), `GET /user` for a
 * token's own login, `GET /rate_limit` (free against the primary limit).
 */
import type { Hono } from 'hono';
import * as z from 'zod';
import { APP, bucketOf, requireCaller, type Caller } from './auth';
import type { SimContext } from './context';
import { basicError, notFound, validationFailed } from './errors';
import { jsonBody, type Ctx, type Env } from './http';
import * as render from './serialize';
import { isoSecond, type GitHubStore } from './store';

const tokenRequest = z.object({
  repositories: z.array(z.string()).optional(),
  repository_ids: z.array(z.number().int()).optional(),
  permissions: z.record(z.string(), z.string()).optional(),
});

/** The app's own calls take its JWT, and nothing else (GitHub: "A JSON web token could not be decoded" otherwise). */
function requireApp(c: Ctx): void {
  const caller = c.get('caller');
  if (caller?.kind !== 'app') throw basicError(401, 'A JSON web token could not be decoded');
}

export function installation(store: GitHubStore): Record<string, unknown> {
  const org = [...store.users.values()].find((u) => u.type === 'Organization');
  if (!org) throw new Error('No organization to install on');
  const at = isoSecond(Date.UTC(2026, 0, 5));
  return {
    id: APP.installationId,
    account: render.simpleUser(org),
    repository_selection: 'all',
    access_tokens_url: `${render.API}/app/installations/${APP.installationId}/access_tokens`,
    repositories_url: `${render.API}/installation/repositories`,
    html_url: `${render.WEB}/organizations/${org.login}/settings/installations/${APP.installationId}`,
    app_id: APP.id,
    client_id: APP.clientId,
    app_slug: APP.slug,
    target_id: org.id,
    target_type: 'Organization',
    permissions: APP.permissions,
    events: ['issues', 'issue_comment', 'sub_issues'],
    created_at: at,
    updated_at: at,
    single_file_name: null,
    suspended_by: null,
    suspended_at: null,
  };
}

export function appRoutes(app: Hono<Env>, sim: SimContext): void {
  const { store } = sim;

  app.get('/app', (c) => {
    requireApp(c);
    const org = [...store.users.values()].find((u) => u.type === 'Organization');
    const at = isoSecond(Date.UTC(2026, 0, 5));
    return c.json({
      id: APP.id,
      slug: APP.slug,
      node_id: render.nodeId('A', APP.id),
      client_id: APP.clientId,
      owner: org ? render.simpleUser(org) : null,
      name: APP.name,
      description: 'Syncs Jira issues with GitHub issues',
      external_url: 'https://crosswalk.example',
      html_url: `${render.WEB}/apps/${APP.slug}`,
      created_at: at,
      updated_at: at,
      permissions: APP.permissions,
      events: ['issues', 'issue_comment', 'sub_issues'],
      installations_count: 1,
    });
  });

  app.get('/app/installations', (c) => {
    requireApp(c);
    return c.json([installation(store)]);
  });

  app.post('/app/installations/:id{[0-9]+}/access_tokens', async (c) => {
    requireApp(c);
    if (Number(c.req.param('id')) !== APP.installationId) throw notFound();
    const wanted = await jsonBody(c, tokenRequest);
    const orgRepos = [...store.repos.values()];
    let repoIds: 'all' | number[] = 'all';
    if (wanted.repositories || wanted.repository_ids) {
      const byName = (wanted.repositories ?? []).map((name) =>
        orgRepos.find((r) => r.name.toLowerCase() === name.toLowerCase()),
      );
      const byId = (wanted.repository_ids ?? []).map((id) => orgRepos.find((r) => r.id === id));
      if ([...byName, ...byId].some((r) => !r))
        throw validationFailed({ resource: 'Installation', field: 'repositories', code: 'invalid' });
      repoIds = [...byName, ...byId].map((r) => r!.id);
    }
    const token = sim.credentials.issueInstallationToken(repoIds);
    return c.json(
      {
        token: token.token,
        expires_at: isoSecond(token.expiresAt),
        permissions: APP.permissions,
        repository_selection: repoIds === 'all' ? 'all' : 'selected',
        ...(repoIds === 'all'
          ? {}
          : {
              repositories: repoIds.map((id) =>
                render.repository(store.repo(id), sim.issues.openCount(store.repo(id))),
              ),
            }),
      },
      201,
    );
  });

  app.get('/repos/:owner/:repo/installation', (c) => {
    requireApp(c);
    if (!store.repoByName(c.req.param('owner'), c.req.param('repo'))) throw notFound();
    return c.json(installation(store));
  });

  app.get('/installation/repositories', (c) => {
    const caller = requireCaller(c.get('caller'));
    if (caller.kind !== 'installation') throw basicError(403, 'This endpoint requires an installation token');
    const repos = [...store.repos.values()].filter((r) => caller.repoIds === 'all' || caller.repoIds.includes(r.id));
    return c.json({
      total_count: repos.length,
      repository_selection: caller.repoIds === 'all' ? 'all' : 'selected',
      repositories: repos.map((r) => render.repository(r, sim.issues.openCount(r))),
    });
  });

  app.get('/user', (c) => {
    const caller = requireCaller(c.get('caller'));
    // An installation token is no user: GitHub refuses it here; the bot's login is `<app slug>[bot]`.
    if (caller.kind !== 'user') throw basicError(403, 'Resource not accessible by integration');
    return c.json({ ...render.simpleUser(caller.user), name: caller.user.name, email: caller.user.email });
  });

  app.get('/users/:login', (c) => {
    requireCaller(c.get('caller'));
    const u = store.userByLogin(c.req.param('login'));
    if (!u) throw notFound();
    return c.json({ ...render.simpleUser(u), name: u.name });
  });

  app.get('/rate_limit', (c) =>
    c.json(rateLimitOverview(sim, c.get('caller'), c.req.header('x-real-ip') ?? 'loopback', c.get('apiVersion'))),
  );
}

function rateLimitOverview(
  sim: SimContext,
  caller: Caller | undefined,
  ip: string,
  version: string,
): Record<string, unknown> {
  const bucket = bucketOf(caller, ip);
  const core = sim.limiter.budget(bucket, 'core');
  const search = sim.limiter.budget(bucket, 'search');
  // API version 2026-03-10 removed the top-level `rate` (a copy of `core`).
  return { resources: { core, search }, ...(version === '2022-11-28' ? { rate: core } : {}) };
}
