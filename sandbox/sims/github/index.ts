/**
 * A GitHub simulator (REST API, issues subset) for the `acme` organization
 * and its `acme/website` repository: issues (pull requests among them),
 * comments, labels, milestones, issue types, sub-issues, a lagging search
 * index, GitHub App and token auth, primary and secondary rate limits,
 * conditional GETs, repository webhooks with deliveries and redelivery, and
 * the issue page at github.com's own address. See README.md.
 */
import { serve } from '@hono/node-server';
import { Hono, type Context, type Next } from 'hono';
import type { AddressInfo } from 'node:net';
import * as z from 'zod';
import type { RequestLogEntry, RunningSimulator, SimulatedSystem } from '../../simulated-system';
import { HeldRequests, takeFault } from '../shared/faults';
import { APP, appKeyPair, bucketOf, Credentials, type Caller } from './auth';
import type { SimContext } from './context';
import { controlRoutes, type Controls } from './control';
import { basicError, GhError } from './errors';
import { API_VERSIONS, type ApiVersion, type Env } from './http';
import { issueEventRoutes } from './issue-events';
import { IssueService } from './issues';
import { RateLimiter, type Resource } from './rate-limits';
import { appRoutes } from './routes-app';
import { hookRoutes } from './routes-hooks';
import { issuePartRoutes } from './routes-issue-parts';
import { issueRoutes } from './routes-issues';
import { searchRoutes } from './search';
import { PEOPLE, REPO, seed, TOKENS } from './seed';
import { etagOf } from './serialize';
import { GitHubStore } from './store';
import { HookNotifier } from './webhooks';
import { gitHubWebView } from './web-view';

export { sign, SIGNATURE_HEADER } from './webhooks';
export { APP } from './auth';
export { MAX_BODY_CHARS } from './issues';

/** The search index trails writes by this much of the simulator's clock unless the control API says otherwise. */
export const DEFAULT_SEARCH_LAG_MS = 60_000;

/**
 * What the demo hands out. The integration signs in either as the GitHub App
 * (JWT from `app.privateKeyPem`, then an installation token; it acts as
 * `crosswalk-app[bot]`) or with a fine-grained token acting as
 * `crosswalk-integration`. People: `octo-agent` (push access), `octo-reader`
 * (read only), `outsider` (no access: the repository is 404 to them).
 */
export const DEMO_CREDENTIALS = {
  owner: REPO.owner,
  repo: REPO.name,
  repository: `${REPO.owner}/${REPO.name}`,
  apiUrl: 'https://api.github.com',
  webUrl: `https://github.com/${REPO.owner}/${REPO.name}`,
  app: {
    appId: APP.id,
    clientId: APP.clientId,
    slug: APP.slug,
    installationId: APP.installationId,
    botLogin: APP.botLogin,
    /** The app's private key (PKCS#1 PEM), made when the process first asked for it, as GitHub lets an owner download one. */
    get privateKeyPem(): string {
      return appKeyPair().privateKeyPem;
    },
  },
  integration: { login: PEOPLE.integration.login, token: TOKENS.integration },
  agent: { login: PEOPLE.agent.login, name: PEOPLE.agent.name, email: PEOPLE.agent.email, token: TOKENS.agent },
  reader: { login: PEOPLE.reader.login, token: TOKENS.reader },
  outsider: { login: PEOPLE.outsider.login, token: TOKENS.outsider },
};

export interface GitHubSimOptions {
  port?: number;
  now?: () => number;
  /** Search index lag in ms of the simulator's clock (default 60 s). */
  searchLagMs?: number;
}

export interface GitHubSim extends RunningSimulator {
  store: GitHubStore;
  notifier: HookNotifier;
  /** The simulator's clock (the platform's, plus what `/_control/clock` advanced). */
  now(): number;
  app: Hono<Env>;
}

/** Paths GitHub serves on api.github.com; anything else is github.com (the web view, pasted assets). */
const API_PATH = /^\/(repos|repositories|app|search|rate_limit|user|users|orgs|installation)(\/|$)/;

/** What every API call answers while GitHub is down. */
const UNICORN =
  '<!DOCTYPE html><html><head><title>Unicorn! · GitHub</title></head><body><p>No server is currently available to service your request.</p></body></html>';

/** Marks a request a person makes through GitHub's web pages (the web view, the model's people), not its REST API. */
export const WEB_UI_HEADER = 'x-sim-web-ui';

/** Methods that create content count toward the secondary limit; minting a token is not content. */
const isContentWrite = (method: string, path: string) =>
  ['POST', 'PATCH', 'PUT', 'DELETE'].includes(method) && !/^\/app\/installations\/\d+\/access_tokens$/.test(path);

/** A single resource's `Last-Modified`: its `updated_at` as an HTTP date (lists have none). */
function lastModifiedOf(body: string): string | undefined {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return undefined;
  }
  const parsed = z.object({ updated_at: z.string() }).safeParse(json);
  return parsed.success ? new Date(parsed.data.updated_at).toUTCString() : undefined;
}

export function createGitHubApp(opts: GitHubSimOptions & { baseUrl: () => string }) {
  const base = opts.now ?? Date.now;
  const controls: Controls = { faults: [], held: new HeldRequests(), outage: false, log: [], offsetMs: 0 };
  const now = () => base() + controls.offsetMs;
  const store = new GitHubStore(now);
  const notifier = new HookNotifier(store);
  const issues = new IssueService(store, notifier, now);
  const credentials = new Credentials(store, now, [PEOPLE.integration.login]);
  const limiter = new RateLimiter(now);
  const sim: SimContext = {
    store,
    issues,
    credentials,
    limiter,
    notifier,
    now,
    search: { lagMs: opts.searchLagMs ?? DEFAULT_SEARCH_LAG_MS },
  };
  seed(store, issues);

  const reset = () => {
    store.clear();
    controls.offsetMs = 0;
    controls.faults.length = 0;
    controls.held.releaseAll();
    controls.outage = false;
    controls.log.length = 0;
    notifier.reset();
    credentials.reset();
    limiter.reset();
    sim.search.lagMs = opts.searchLagMs ?? DEFAULT_SEARCH_LAG_MS;
    seed(store, issues);
  };

  const app = new Hono<Env>();
  const answer = (err: GhError) =>
    new Response(JSON.stringify(err.body), {
      status: err.status,
      headers: { 'content-type': 'application/json; charset=utf-8', ...err.headers },
    });

  controlRoutes(app, sim, controls, reset);

  const guarded = async (c: Context<Env>, next: Next): Promise<void> => {
    const url = new URL(c.req.url);
    const host = c.req.header('x-forwarded-host');
    c.set('origin', host ? `${c.req.header('x-forwarded-proto') ?? 'https'}://${host}` : opts.baseUrl());
    let login = '';
    try {
      if (controls.outage) {
        c.res = new Response(UNICORN, { status: 503, headers: { 'content-type': 'text/html; charset=utf-8' } });
        return;
      }
      const authorization = c.req.header('authorization');
      login = credentials.claimedLogin(authorization ?? '') ?? '';
      const fault = takeFault(controls.faults, c.req.method, url.pathname, login);
      if (fault?.hold) await controls.held.wait();
      if (fault?.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs));
      if (fault?.drop) {
        (c.env as { incoming?: { socket?: { destroy(): void } } } | undefined)?.incoming?.socket?.destroy();
        c.res = new Response(null, { status: 500 });
        return;
      }
      if (fault?.status) {
        c.res = new Response(
          JSON.stringify(
            fault.body ?? {
              message: `Injected failure ${fault.status}`,
              documentation_url: 'https://docs.github.com/rest',
            },
          ),
          { status: fault.status, headers: { 'content-type': 'application/json; charset=utf-8', ...fault.headers } },
        );
        return;
      }
      const version = c.req.header('x-github-api-version') ?? '2022-11-28';
      if (!API_VERSIONS.includes(version as ApiVersion))
        throw basicError(400, `Invalid API version '${version}'. Supported versions: ${API_VERSIONS.join(', ')}.`);
      c.set('apiVersion', version as ApiVersion);
      const caller: Caller | undefined = credentials.authenticate(authorization);
      c.set('caller', caller);
      await counted(c, next, caller, url.pathname);
    } catch (err) {
      if (!(err instanceof GhError)) throw err;
      c.res = answer(err);
    } finally {
      controls.log.push({ method: c.req.method, path: url.pathname, query: url.search, status: c.res.status, login });
    }
  };

  /**
   * The primary limit (checked before, spent after: a 304 costs nothing), the
   * secondary limit on content writes, and the conditional GET by ETag.
   */
  const counted = async (c: Context<Env>, next: Next, caller: Caller | undefined, path: string): Promise<void> => {
    const free = path === '/rate_limit';
    const resource: Resource = path.startsWith('/search/') ? 'search' : 'core';
    const bucket = bucketOf(caller, 'loopback');
    const who =
      caller?.kind === 'user'
        ? `user ID ${caller.user.id}`
        : caller
          ? `installation ID ${APP.installationId}`
          : 'your IP';
    // A person working in GitHub's web pages is not a REST client: their edits count against no API limit. The
    // simulator's web view and the model's people say so (WEB_UI_HEADER); Crosswalk never does.
    const inWebUi = c.req.header(WEB_UI_HEADER) === 'person';
    if (!free && !inWebUi) limiter.refuseWhenSpent(bucket, resource, who);
    if (isContentWrite(c.req.method, path) && !inWebUi) limiter.refuseBurst(bucket);
    await next();
    let notModified = false;
    if (c.req.method === 'GET' && c.res.status === 200) {
      const body = await c.res.clone().text();
      const etag = etagOf(body, bucket);
      const lastModified = lastModifiedOf(body);
      const asked = c.req.header('if-none-match');
      const since = Date.parse(c.req.header('if-modified-since') ?? '');
      // `If-None-Match` decides when both are sent, as HTTP says.
      notModified = asked
        ? asked.split(',').some((t) => t.trim() === etag)
        : lastModified !== undefined && !Number.isNaN(since) && Date.parse(lastModified) <= since;
      const validators = { etag, ...(lastModified ? { 'last-modified': lastModified } : {}) };
      if (notModified) c.res = new Response(null, { status: 304, headers: validators });
      else for (const [k, v] of Object.entries(validators)) c.res.headers.set(k, v);
    }
    if (!free && !notModified) limiter.count(bucket, resource);
    for (const [k, v] of Object.entries(limiter.headers(bucket, resource))) c.res.headers.set(k, v);
    c.res.headers.set('x-github-api-version-selected', c.get('apiVersion'));
  };

  app.use('*', async (c, next) => {
    if (!API_PATH.test(new URL(c.req.url).pathname)) return next();
    return guarded(c, next);
  });

  appRoutes(app, sim);
  issueRoutes(app, sim);
  issuePartRoutes(app, sim);
  issueEventRoutes(app, sim);
  searchRoutes(app, sim);
  hookRoutes(app, sim);
  gitHubWebView(app, opts.baseUrl, store, { login: PEOPLE.agent.login, token: TOKENS.agent });

  app.onError((err, c) => {
    if (err instanceof GhError) return answer(err);
    if (err instanceof z.ZodError)
      return c.json({ message: err.message, documentation_url: 'https://docs.github.com/rest' }, 400);
    return c.json({ message: `Server Error: ${String(err)}`, documentation_url: 'https://docs.github.com/rest' }, 500);
  });
  app.notFound(() => answer(basicError(404, 'Not Found')));
  return { app, sim, controls };
}

export async function startGitHubSim(opts: GitHubSimOptions = {}): Promise<GitHubSim> {
  let baseUrl = '';
  const { app, sim, controls } = createGitHubApp({ ...opts, baseUrl: () => baseUrl });
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, port: opts.port ?? 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    baseUrl,
    controlUrl: `${baseUrl}/_control`,
    instanceUrl: DEMO_CREDENTIALS.webUrl,
    // One loopback server answers both hosts: API and web pages are told apart by path.
    routes: [
      { host: 'api.github.com', target: baseUrl },
      { host: 'github.com', target: baseUrl },
    ],
    summary: {
      repository: DEMO_CREDENTIALS.repository,
      app: {
        appId: APP.id,
        installationId: APP.installationId,
        botLogin: APP.botLogin,
        privateKeyPem: DEMO_CREDENTIALS.app.privateKeyPem,
      },
      integrationToken: TOKENS.integration,
      agent: { login: PEOPLE.agent.login, token: TOKENS.agent },
    },
    store: sim.store,
    notifier: sim.notifier,
    now: sim.now,
    app,
    /**
     * What binds a bulk copy on GitHub: not the primary 5,000 requests an hour (a bulk run's reads are few) but the
     * secondary limit on content-creating requests, 500 an hour (and 80 a minute), which every issue and comment
     * created spends. The bench counts the writes GitHub took against it.
     */
    busyAccountLimit: () => {
      // The bulk run starts with the hour's budget whole: writes made before it (the bench's steady state) would
      // otherwise spend the first window, and the run would be charged for them.
      sim.limiter.clearUsage();
      return Promise.resolve({
        label: 'GitHub secondary limit, 500 content-creating requests an hour',
        limit: sim.limiter.config.secondary.writesPerHour,
        windowSeconds: 3600,
        counts: (r: RequestLogEntry) => isContentWrite(r.method, r.path) && r.status < 400,
      });
    },
    /** A person comments on the repository's first issue, as on GitHub: the `issue_comment` delivery it caused. */
    async genuineDelivery() {
      const first = [...sim.store.issues.values()].find((i) => i.repoId === REPO.id && !i.isPullRequest);
      if (!first) throw new Error('The demo repository has no issue');
      const made = await fetch(`${baseUrl}/repos/${DEMO_CREDENTIALS.repository}/issues/${first.number}/comments`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKENS.agent}`, 'content-type': 'application/json' },
        body: JSON.stringify({ body: 'Still seeing this on the latest build.' }),
      });
      if (made.status !== 201) throw new Error(`Could not comment: ${made.status}`);
      await sim.notifier.idle();
      const delivery = sim.notifier.deliveries.filter((d) => d.event === 'issue_comment').at(-1);
      if (!delivery) throw new Error('No hook took the comment: is the repository paired?');
      const hook = sim.store.hooks.get(delivery.hookId)!;
      return {
        url: hook.url,
        headers: delivery.requestHeaders,
        body: delivery.body,
        status: delivery.statusCode,
      };
    },
    stop: () =>
      new Promise((r) => {
        controls.held.releaseAll();
        server.close(() => r());
      }),
  };
}

export const simulatedSystem: SimulatedSystem<GitHubSim> = {
  kind: 'github',
  start: ({ now }) => startGitHubSim({ now }),
};
