/**
 * A Jira Cloud REST v3 simulator: stateful, permission-checked, emitting the
 * Forge product events a change causes. See README.md for routes and the
 * control API.
 */
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import type { AddressInfo } from 'node:net';
import * as z from 'zod';
import type { ProductEventSink } from '../../platform/contracts';
import { authenticate, faultsAndLimits, jiraErrorResponse, requestLog, type Env, type HttpControls } from './http';
import { parseFault } from '../shared/faults';
import { adminRoutes } from './routes-admin';
import { bulkRoutes } from './routes-bulk';
import { contentRoutes } from './routes-content';
import { issueRoutes } from './routes-issues';
import { linkRoutes } from './routes-links';
import { metaRoutes } from './routes-meta';
import { notifyRoutes, type NotificationRecord, type NotifyControls } from './routes-notify';
import { Site } from './site';
import { DEMO_TYPE_WORKFLOWS, demoState, type JiraState } from './state';

export interface JiraSimOptions {
  port?: number;
  /** Shared with the Forge platform; requests carrying it are trusted to name their principal. */
  platformToken: string;
  /** The app's own account (asApp() calls act as it; its changes are selfGenerated). */
  appAccountId: string;
  onEvent?: ProductEventSink;
  now?: () => number;
  /** Base URL the sim should put in `self` links when it sits behind another address. */
  publicBaseUrl?: string;
}

export interface JiraSim {
  baseUrl: string;
  controlUrl: string;
  site: Site;
  controls: HttpControls;
  app: Hono<Env>;
  /** The emails Jira queued through `POST /rest/api/3/issue/{id}/notify`, oldest first (routes-notify.ts). */
  notifications(): NotificationRecord[];
  stop(): Promise<void>;
}

export function createJiraApp(opts: JiraSimOptions & { baseUrl: () => string }): {
  app: Hono<Env>;
  site: Site;
  controls: HttpControls;
  notify: NotifyControls;
} {
  const now = opts.now ?? Date.now;
  const site = new Site(demoState(opts.appAccountId, now()), opts.appAccountId, now, opts.onEvent);
  const controls: HttpControls = { faults: [], rateWindows: new Map(), log: [] };
  const notify: NotifyControls = { notifications: [], outgoingMail: true };
  const app = new Hono<Env>();
  const base = opts.baseUrl;

  // ---- control API (not part of Jira; never authenticated as Jira)
  app.post('/_control/reset', (c) => {
    site.state = demoState(opts.appAccountId, now());
    site.events.length = 0;
    site.searchIndexLagMs = 0;
    site.indexed.clear();
    site.holdTasks(false);
    controls.faults.length = 0;
    controls.rateLimit = undefined;
    controls.rateWindows.clear();
    controls.log.length = 0;
    notify.notifications.length = 0;
    notify.outgoingMail = true;
    return c.json({ ok: true });
  });
  /** What `POST /rest/api/3/issue/{id}/notify` queued, with recipients as account ids; DELETE forgets them. */
  app.get('/_control/notifications', (c) => c.json(notify.notifications));
  app.delete('/_control/notifications', (c) => {
    notify.notifications.length = 0;
    return c.json({ ok: true });
  });
  /** The site's outgoing mail: off, `notify` answers 403 as Jira does. */
  app.put('/_control/outgoing-mail', async (c) => {
    notify.outgoingMail = z.object({ enabled: z.boolean() }).parse(await c.req.json()).enabled;
    return c.json({ enabled: notify.outgoingMail });
  });
  app.post('/_control/faults', async (c) => {
    controls.faults.push(parseFault(await c.req.json()));
    return c.json({ ok: true });
  });
  app.delete('/_control/faults', (c) => {
    controls.faults.length = 0;
    return c.json({ ok: true });
  });
  app.put('/_control/rate-limit', async (c) => {
    const body = z
      .object({
        limit: z.number().int().min(1),
        windowSeconds: z.number().int().min(1),
        reason: z.string().default('jira-burst-based'),
      })
      .nullable()
      .parse(await c.req.json());
    controls.rateLimit = body ?? undefined;
    controls.rateWindows.clear();
    return c.json({ ok: true });
  });
  /** Replaces a workflow's transitions (an admin editing the workflow), e.g. to make a status unreachable. */
  app.put('/_control/workflows/:id/transitions', async (c) => {
    const workflow = site.state.workflows.find((w) => w.id === c.req.param('id'));
    if (!workflow) return c.json({ error: 'no such workflow' }, 404);
    workflow.transitions = z
      .array(z.object({ id: z.string(), name: z.string(), from: z.array(z.string()), to: z.string() }))
      .parse(await c.req.json());
    return c.json(workflow);
  });
  /** A control route's project and one of its issue types (by id or name), or why there is none. */
  const projectAndType = (key: string, ref: string) => {
    const project = site.project(key);
    if (!project) return { error: `No project ${key}` };
    const type = site.state.issueTypes.find(
      (t) => (t.id === ref || t.name === ref) && project.issueTypeIds.includes(t.id),
    );
    return type ? { project, type } : { error: `Project ${project.key} has no issue type ${ref}` };
  };
  /**
   * An admin editing the project's workflow scheme: the issue type (by id or name) follows that workflow from now on,
   * or, with `{workflowId: null}`, the scheme's default. Issues keep their status (the sim does no status migration),
   * so map a type only while it has no issues in a status the workflow lacks.
   */
  app.put('/_control/projects/:key/workflows/:issueType', async (c) => {
    const found = projectAndType(c.req.param('key'), c.req.param('issueType'));
    if ('error' in found) return c.json({ error: found.error }, 404);
    const { project, type } = found;
    const { workflowId } = z.object({ workflowId: z.string().nullable() }).parse(await c.req.json());
    if (workflowId !== null && !site.state.workflows.some((w) => w.id === workflowId))
      return c.json({ error: `No workflow ${workflowId}` }, 400);
    const mappings = { ...project.typeWorkflows };
    if (workflowId === null) delete mappings[type.id];
    else mappings[type.id] = workflowId;
    project.typeWorkflows = mappings;
    return c.json({ defaultWorkflow: project.workflowId, issueTypeMappings: mappings });
  });
  /**
   * An admin adding one of the site's issue types (by id or name) to the project's issue type scheme: issues of it
   * can be created there from now on, and the project's metadata lists it. Adding one it has already changes nothing.
   */
  app.put('/_control/projects/:key/issue-types/:issueType', (c) => {
    const project = site.project(c.req.param('key'));
    if (!project) return c.json({ error: `No project ${c.req.param('key')}` }, 404);
    const ref = c.req.param('issueType');
    const type = site.state.issueTypes.find((t) => t.id === ref || t.name === ref);
    if (!type) return c.json({ error: `The site has no issue type ${ref}` }, 404);
    if (!project.issueTypeIds.includes(type.id)) project.issueTypeIds = [...project.issueTypeIds, type.id];
    return c.json({ issueTypeIds: project.issueTypeIds });
  });
  /** A new project, as a site admin makes one: the demo workflow and issue types, no issues, the roles given. */
  app.post('/_control/projects', async (c) => {
    const body = z
      .object({
        key: z.string().regex(/^[A-Z][A-Z0-9]{1,9}$/),
        name: z.string().min(1).max(80),
        administrators: z.array(z.string().min(1)).min(1),
        members: z.array(z.string().min(1)).default([]),
      })
      .parse(await c.req.json());
    if (site.project(body.key)) return c.json({ error: `A project with key ${body.key} exists` }, 409);
    const unknown = [...body.administrators, ...body.members].find((id) => !site.user(id));
    if (unknown) return c.json({ error: `No user ${unknown}` }, 400);
    const project = {
      id: String(Math.max(...site.state.projects.map((p) => Number(p.id))) + 1),
      key: body.key,
      name: body.name,
      leadAccountId: body.administrators[0]!,
      roles: { Administrators: body.administrators, Members: body.members },
      // As Jira's software template: every issue type of the site, sub-tasks included.
      issueTypeIds: site.state.issueTypes.map((t) => t.id),
      workflowId: site.state.workflows[0]!.id,
      typeWorkflows: { ...DEMO_TYPE_WORKFLOWS },
    };
    site.state.projects.push(project);
    return c.json(project, 201);
  });
  /**
   * A Jira admin taking a field off the project's create and edit screens for one issue type (by id or name), or
   * putting it back (`PUT`): Jira then refuses it in a create or an edit, and createmeta and editmeta leave it out.
   */
  app.on(['PUT', 'DELETE'], '/_control/projects/:key/screens/:issueType/fields/:fieldId', (c) => {
    const found = projectAndType(c.req.param('key'), c.req.param('issueType'));
    if ('error' in found) return c.json({ error: found.error }, 404);
    const { project, type } = found;
    const fieldId = c.req.param('fieldId');
    const field = site.state.fields.find((f) => f.id === fieldId);
    // Project and issue type are how a create names its place, not fields on a screen.
    if (!field?.editable || fieldId === 'issuetype')
      return c.json({ error: `${fieldId} is not a field a screen can hold` }, 400);
    site.setOnScreen(project, type.id, fieldId, c.req.method === 'PUT');
    return c.json({ fields: site.screenFields(project, type.id) });
  });
  app.put('/_control/search-index-lag', async (c) => {
    site.searchIndexLagMs = z.object({ ms: z.number().int().min(0) }).parse(await c.req.json()).ms;
    return c.json({ ms: site.searchIndexLagMs });
  });
  /** Holds asynchronous tasks (bulk moves) until released, so a test sees them before they run. */
  app.put('/_control/tasks', async (c) => {
    site.holdTasks(z.object({ held: z.boolean() }).parse(await c.req.json()).held);
    return c.json({ ok: true });
  });
  app.get('/_control/requests', (c) => c.json(controls.log));
  app.get('/_control/counters', (c) => {
    const counters: Record<string, number> = {};
    for (const r of controls.log) {
      const route = r.path.replace(
        /^(\/rest\/api\/3)?(.*)$/,
        (_m, prefix: string | undefined, rest: string) =>
          (prefix ?? '') + rest.replace(/\/(\d+|[A-Z][A-Z0-9]+-\d+)(?=\/|$)/g, '/{id}'),
      );
      const key = `${r.method} ${route}`;
      counters[key] = (counters[key] ?? 0) + 1;
    }
    return c.json({ total: controls.log.length, byRoute: counters });
  });
  app.get('/_control/events', (c) => c.json(site.events));
  app.get('/_control/users', (c) =>
    c.json(
      site.state.users.map(({ accountId, displayName, emailAddress, apiToken, role, accountType }) => ({
        accountId,
        displayName,
        emailAddress,
        apiToken,
        role,
        accountType,
      })),
    ),
  );
  app.put('/_control/attachment-limit', async (c) => {
    site.state.attachmentUploadLimit = z.object({ bytes: z.number().int().min(1) }).parse(await c.req.json()).bytes;
    return c.json({ ok: true });
  });

  // ---- Jira REST
  app.use('/rest/*', requestLog(site, controls));
  app.use('/rest/*', authenticate(site, opts.platformToken));
  app.use('/rest/*', faultsAndLimits(site, controls));
  app.use('/_media/*', requestLog(site, controls));
  issueRoutes(app, site, base);
  contentRoutes(app, site, base);
  linkRoutes(app, site, base);
  metaRoutes(app, site, base);
  bulkRoutes(app, site);
  adminRoutes(app, site, base);
  notifyRoutes(app, site, notify);
  app.onError((err, c) => jiraErrorResponse(c, err));
  app.notFound((c) => c.json({ errorMessages: ['Not found'], errors: {} }, 404));
  return { app, site, controls, notify };
}

export async function startJiraSim(opts: JiraSimOptions): Promise<JiraSim> {
  let baseUrl = opts.publicBaseUrl ?? '';
  const { app, site, controls, notify } = createJiraApp({ ...opts, baseUrl: () => baseUrl });
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, port: opts.port ?? 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  baseUrl ||= `http://127.0.0.1:${port}`;
  return {
    baseUrl,
    controlUrl: `${baseUrl}/_control`,
    site,
    controls,
    app,
    notifications: () => notify.notifications,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export type { JiraState };
export { demoState };
