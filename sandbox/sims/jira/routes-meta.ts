/** Users, permissions, projects, fields and search. */
import type { Hono } from 'hono';
import * as z from 'zod';
import { queryList, type Env } from './http';
import {
  compareIssues,
  isBounded,
  JqlError,
  matches,
  parseJql,
  parseStructure,
  validateFields,
  type JqlQuery,
} from './jql';
import { readJson } from './routes-issues';
import { issueJson, issueTypeJson, priorityJson, projectJson, statusJson, userJson } from './serialize';
import { JiraError, PERMISSION_INFO, type Permission, type Site } from './site';
import { DEFAULT_PRIORITY_ID, workflowOf, type IssueRecord } from './state';

const searchBody = z
  .object({
    jql: z.string().optional(),
    nextPageToken: z.string().optional(),
    maxResults: z.number().int().optional(),
    fields: z.array(z.string()).optional(),
    expand: z.string().optional(),
    properties: z.array(z.string()).optional(),
    reconcileIssues: z.array(z.number()).max(50).optional(),
  })
  .loose();

export function metaRoutes(app: Hono<Env>, site: Site, base: () => string): void {
  /** Issues as the search index holds them: recent changes show only once indexed, or when reconciled by id. */
  const searchable = (reconcile: readonly number[]): IssueRecord[] => {
    if (site.searchIndexLagMs === 0) return site.state.issues;
    const now = site.now();
    const out: IssueRecord[] = [];
    for (const issue of site.state.issues) {
      let entry = site.indexed.get(issue.id);
      if (!entry) entry = { at: issue.created, snapshot: undefined };
      if (
        issue.updated > entry.at &&
        (now - issue.updated >= site.searchIndexLagMs || reconcile.includes(Number(issue.id)))
      ) {
        entry = { at: issue.updated, snapshot: structuredClone(issue) };
        site.indexed.set(issue.id, entry);
      } else if (
        !entry.snapshot &&
        (now - issue.created >= site.searchIndexLagMs || reconcile.includes(Number(issue.id)))
      ) {
        entry = { at: issue.updated, snapshot: structuredClone(issue) };
        site.indexed.set(issue.id, entry);
      }
      if (entry.snapshot) out.push(issue.updated === entry.at ? issue : entry.snapshot);
    }
    return out;
  };

  const requireUser = (user: Env['Variables']['user']) => {
    if (!user)
      throw new JiraError(401, ['You are not authenticated. Authentication required to perform this operation.']);
    return user;
  };

  // The site's address (ServerInformation in Jira's OpenAPI): what an app links people to, e.g. in an alert.
  app.get('/rest/api/3/serverInfo', (c) =>
    c.json({
      baseUrl: base(),
      displayUrl: base(),
      deploymentType: 'Cloud',
      serverTitle: 'Jira',
      version: '1001.0.0-SNAPSHOT',
      versionNumbers: [1001, 0, 0],
      buildNumber: 100000,
      serverTime: new Date().toISOString().replace('Z', '+0000'),
    }),
  );
  app.get('/rest/api/3/myself', (c) => c.json(userJson(base(), requireUser(c.get('user')))));
  app.get('/rest/api/3/user', (c) => {
    requireUser(c.get('user'));
    const u = site.user(c.req.query('accountId'));
    if (!u) throw new JiraError(404, [`Specified user does not exist or you do not have required permissions`]);
    return c.json(userJson(base(), u));
  });
  app.get('/rest/api/3/user/search', (c) => {
    requireUser(c.get('user'));
    const q = (c.req.query('query') ?? '').toLowerCase();
    return c.json(
      site.state.users
        .filter(
          (u) =>
            u.accountType !== 'app' &&
            (u.displayName.toLowerCase().includes(q) || u.emailAddress.toLowerCase().startsWith(q)),
        )
        .map((u) => userJson(base(), u)),
    );
  });

  // FoundGroups in Jira's OpenAPI: groups whose name contains the query, at most maxResults (default 20).
  app.get('/rest/api/3/groups/picker', (c) => {
    requireUser(c.get('user'));
    const q = (c.req.query('query') ?? '').toLowerCase();
    const max = Math.min(1000, Number(c.req.query('maxResults') ?? 20) || 20);
    const found = site.state.groups.filter((g) => g.name.toLowerCase().includes(q));
    return c.json({
      header: `Showing ${Math.min(max, found.length)} of ${found.length} matching groups`,
      total: found.length,
      groups: found.slice(0, max).map((g) => ({ name: g.name, html: g.name, labels: [], groupId: g.groupId })),
    });
  });

  app.get('/rest/api/3/mypermissions', (c) => {
    const user = c.get('user');
    const wanted = c.req.query('permissions');
    // The parameter is required (forge-platform.md §6).
    if (!wanted) throw new JiraError(400, ['The permissions parameter is required.']);
    const keys = wanted.split(',').map((s) => s.trim());
    const unknown = keys.find((k) => !(k in PERMISSION_INFO));
    if (unknown) throw new JiraError(400, [`The permission '${unknown}' does not exist.`]);
    let project = c.req.query('projectKey') ?? c.req.query('projectId');
    const issueRef = c.req.query('issueKey') ?? c.req.query('issueId');
    const issue = issueRef ? site.findIssue(issueRef) : undefined;
    if (issueRef && !issue) throw new JiraError(404, ['Issue does not exist or you do not have permission to see it.']);
    if (issue) project = issue.projectId;
    const p = project ? site.project(project) : undefined;
    if (project && !p) throw new JiraError(404, ['No project could be found with the given id or key.']);
    const permissions = Object.fromEntries(
      keys.map((k) => {
        const info = PERMISSION_INFO[k as Permission];
        return [
          k,
          {
            id: info.id,
            key: k,
            name: info.name,
            type: info.type,
            description: info.name,
            havePermission: site.can(user, k as Permission, p),
          },
        ];
      }),
    );
    return c.json({ permissions });
  });

  app.get('/rest/api/3/project/search', (c) => {
    const user = c.get('user');
    const values = site.state.projects
      .filter((p) => site.can(user, 'BROWSE_PROJECTS', p))
      .map((p) => projectJson(base(), p));
    return c.json({
      self: `${base()}/rest/api/3/project/search`,
      maxResults: 50,
      startAt: 0,
      total: values.length,
      isLast: true,
      values,
    });
  });
  app.get('/rest/api/3/project/:key', (c) => {
    const p = site.project(c.req.param('key'));
    if (!p || !site.can(c.get('user'), 'BROWSE_PROJECTS', p))
      throw new JiraError(404, ['No project could be found with key or id.']);
    const lead = site.user(p.leadAccountId);
    return c.json({
      ...projectJson(base(), p),
      ...(lead ? { lead: userJson(base(), lead) } : {}),
      issueTypes: site.state.issueTypes
        .filter((t) => p.issueTypeIds.includes(t.id))
        .map((t) => issueTypeJson(base(), t)),
    });
  });
  app.get('/rest/api/3/project/:key/statuses', (c) => {
    const p = site.project(c.req.param('key'));
    if (!p || !site.can(c.get('user'), 'BROWSE_PROJECTS', p))
      throw new JiraError(404, ['No project could be found with key or id.']);
    // Each issue type lists the statuses of its own workflow.
    const statusesOf = (typeId: string) => {
      const wf = workflowOf(site.state, p, typeId);
      const ids = new Set([wf.initialStatus, ...wf.transitions.map((t) => t.to)]);
      return site.state.statuses.filter((s) => ids.has(s.id)).map((s) => statusJson(base(), s));
    };
    return c.json(
      site.state.issueTypes
        .filter((t) => p.issueTypeIds.includes(t.id))
        .map((t) => ({
          self: `${base()}/rest/api/3/issuetype/${t.id}`,
          id: t.id,
          name: t.name,
          subtask: t.subtask,
          statuses: statusesOf(t.id),
        })),
    );
  });
  /**
   * The fields of the project's create screen for one issue type, a page at a time (project and issue type are
   * always there): what a create may set. The caller must be able to create issues in the project.
   */
  app.get('/rest/api/3/issue/createmeta/:project/issuetypes/:issueTypeId', (c) => {
    const user = requireUser(c.get('user'));
    const number = (name: string, fallback: number) => {
      const raw = c.req.query(name);
      const n = raw === undefined ? fallback : Number(raw);
      if (!Number.isInteger(n) || n < 0)
        throw new JiraError(400, [`Parameter '${name}' must be a non-negative integer`]);
      return n;
    };
    const startAt = number('startAt', 0);
    const maxResults = number('maxResults', 50);
    if (maxResults > 200) throw new JiraError(400, ["Parameter 'maxResults' must not exceed the limit '200'"]);
    const p = site.project(c.req.param('project'));
    if (!p || !site.can(user, 'BROWSE_PROJECTS', p))
      throw new JiraError(404, ['No project could be found with key or id.']);
    if (!site.can(user, 'CREATE_ISSUES', p))
      throw new JiraError(403, ['You do not have permission to create issues in this project.']);
    const type = site.state.issueTypes.find((t) => t.id === c.req.param('issueTypeId'));
    if (!type || !p.issueTypeIds.includes(type.id))
      throw new JiraError(404, [`Issue type with id '${c.req.param('issueTypeId')}' does not exist in this project.`]);
    const screen = site.screenFields(p, type.id);
    const allowed = (id: string, options?: Array<{ id: string; value: string }>): unknown[] | undefined => {
      if (options) return options.map((o) => ({ self: `${base()}/rest/api/3/customFieldOption/${o.id}`, ...o }));
      if (id === 'priority') return site.state.priorities.map((x) => priorityJson(base(), x));
      if (id === 'project') return [projectJson(base(), p)];
      if (id === 'issuetype') return [issueTypeJson(base(), type)];
      return undefined;
    };
    const defaultPriority = site.state.priorities.find((x) => x.id === DEFAULT_PRIORITY_ID);
    const fields = site.state.fields
      .filter((f) => f.id === 'project' || f.id === 'issuetype' || (f.editable && screen.includes(f.id)))
      .map((f) => {
        const values = allowed(f.id, f.options);
        const fallback = f.id === 'priority' && defaultPriority ? priorityJson(base(), defaultPriority) : undefined;
        return {
          required:
            f.id === 'summary' || f.id === 'project' || f.id === 'issuetype' || (f.id === 'parent' && type.subtask),
          schema: f.schema,
          name: f.name,
          key: f.id,
          fieldId: f.id,
          hasDefaultValue: fallback !== undefined,
          operations: f.id === 'labels' ? ['add', 'set', 'remove'] : ['set'],
          ...(values ? { allowedValues: values } : {}),
          ...(fallback ? { defaultValue: fallback } : {}),
        };
      });
    return c.json({ maxResults, startAt, total: fields.length, fields: fields.slice(startAt, startAt + maxResults) });
  });
  app.get('/rest/api/3/issuetype', (c) => c.json(site.state.issueTypes.map((t) => issueTypeJson(base(), t))));
  app.get('/rest/api/3/issuetype/:id', (c) => {
    requireUser(c.get('user'));
    const type = site.state.issueTypes.find((t) => t.id === c.req.param('id'));
    if (!type) throw new JiraError(404, [`The issue type with id '${c.req.param('id')}' does not exist.`]);
    return c.json(issueTypeJson(base(), type));
  });
  app.get('/rest/api/3/priority', (c) =>
    c.json(
      site.state.priorities.map((p) => ({ self: `${base()}/rest/api/3/priority/${p.id}`, id: p.id, name: p.name })),
    ),
  );
  /** Priorities a page at a time, narrowed by id (repeated), project (repeated), name or the default only. */
  app.get('/rest/api/3/priority/search', (c) => {
    requireUser(c.get('user'));
    const startAt = Math.max(0, Number(c.req.query('startAt') ?? 0) || 0);
    const maxResults = Math.max(1, Math.min(50, Number(c.req.query('maxResults') ?? 50) || 50));
    const ids = queryList(c, 'id');
    const name = (c.req.query('priorityName') ?? '').toLowerCase();
    const onlyDefault = c.req.query('onlyDefault') === 'true';
    // Every priority is available in every project here; an unknown project id is ignored, as Jira ignores it.
    const values = site.state.priorities
      .filter((p) => !ids || ids.includes(p.id))
      .filter((p) => !name || p.name.toLowerCase().includes(name))
      .filter((p) => !onlyDefault || p.id === DEFAULT_PRIORITY_ID)
      .map((p) => priorityJson(base(), p));
    const page = values.slice(startAt, startAt + maxResults);
    const isLast = startAt + maxResults >= values.length;
    const self = (at: number) => `${base()}/rest/api/3/priority/search?startAt=${at}&maxResults=${maxResults}`;
    return c.json({
      self: self(startAt),
      ...(isLast ? {} : { nextPage: self(startAt + maxResults) }),
      maxResults,
      startAt,
      total: values.length,
      isLast,
      values: page,
    });
  });
  app.get('/rest/api/3/status', (c) => c.json(site.state.statuses.map((s) => statusJson(base(), s))));
  app.get('/rest/api/3/field', (c) => {
    requireUser(c.get('user'));
    return c.json(
      site.state.fields.map((f) => ({
        id: f.id,
        key: f.id,
        name: f.name,
        custom: f.custom,
        orderable: f.editable,
        navigable: true,
        searchable: true,
        clauseNames: f.custom ? [`cf[${f.schema.customId}]`, f.name] : f.id === 'duedate' ? ['due', 'duedate'] : [f.id],
        schema: f.schema,
      })),
    );
  });

  // ---- search
  /** The issues a bounded JQL query finds for the caller, in its order (as the search index holds them). */
  const found = (user: Env['Variables']['user'], jql: string, reconcile: readonly number[]) => {
    requireUser(user);
    let query: JqlQuery;
    try {
      query = parseJql(jql);
    } catch (e) {
      if (e instanceof JqlError) throw new JiraError(400, [e.message]);
      throw e;
    }
    const ctx = {
      now: site.now(),
      currentAccountId: user?.accountId,
      customFieldIds: site.state.fields.filter((f) => f.custom).map((f) => f.id),
    };
    const fieldErrors = validateFields(query, ctx);
    if (fieldErrors.length) throw new JiraError(400, fieldErrors);
    if (!isBounded(query))
      throw new JiraError(400, [
        'Unbounded JQL queries are not allowed here. Please add a search restriction to your query.',
      ]);
    let hits;
    try {
      hits = searchable(reconcile)
        .filter((i) => site.can(user, 'BROWSE_PROJECTS', site.projectOf(i)))
        .map((i) => ({ issue: i, view: site.jqlView(i, user) }))
        .filter((x) => matches(x.view, query.where, ctx));
    } catch (e) {
      if (e instanceof JqlError) throw new JiraError(400, [e.message]);
      throw e;
    }
    const compare = compareIssues(query.orderBy);
    return hits.sort((a, b) => compare(a.view, b.view));
  };
  const search = (user: Env['Variables']['user'], p: z.infer<typeof searchBody>) => {
    const hits = found(user, p.jql ?? '', p.reconcileIssues ?? []);
    const idsOnly = !p.fields?.length || p.fields.every((f) => f === 'id' || f === 'key');
    const max = Math.max(1, Math.min(p.maxResults ?? 50, idsOnly ? 5000 : 100));
    const start = p.nextPageToken
      ? Number(
          Buffer.from(p.nextPageToken, 'base64url')
            .toString('utf8')
            .replace(/^offset:/, ''),
        )
      : 0;
    if (!Number.isInteger(start) || start < 0) throw new JiraError(400, ['The nextPageToken is not valid.']);
    const page = hits.slice(start, start + max);
    const isLast = start + max >= hits.length;
    return {
      issues: page.map(({ issue }) =>
        p.fields?.length
          ? issueJson(base(), site, issue, {
              fields: p.fields,
              expand: p.expand?.split(','),
              properties: p.properties,
              ...(user ? { viewer: user } : {}),
            })
          : { id: issue.id },
      ),
      ...(isLast ? {} : { nextPageToken: Buffer.from(`offset:${start + max}`).toString('base64url') }),
      isLast,
    };
  };
  app.get('/rest/api/3/search/jql', (c) => {
    const q = (n: string) => c.req.query(n);
    return c.json(
      search(c.get('user'), {
        jql: q('jql'),
        nextPageToken: q('nextPageToken'),
        maxResults: q('maxResults') ? Number(q('maxResults')) : undefined,
        fields: queryList(c, 'fields'),
        expand: q('expand'),
        properties: queryList(c, 'properties'),
      }),
    );
  });
  app.post('/rest/api/3/search/jql', async (c) => c.json(search(c.get('user'), await readJson(c, searchBody))));
  /** How many issues a bounded query finds, from the same (eventually consistent) index as search. */
  app.post('/rest/api/3/search/approximate-count', async (c) => {
    const body = await readJson(c, z.object({ jql: z.string().optional() }).strict());
    return c.json({ count: found(c.get('user'), body.jql ?? '', []).length });
  });
  app.get('/rest/api/3/search', () => {
    // Removed by Atlassian (CHANGE-2046).
    throw new JiraError(410, ['The requested API has been removed. Please migrate to the /rest/api/3/search/jql API.']);
  });

  /** Whether given issues match given queries: read by id, so it is consistent where search is not. */
  app.post('/rest/api/3/jql/match', async (c) => {
    const user = requireUser(c.get('user'));
    const body = await readJson(
      c,
      z
        .object({ issueIds: z.array(z.number().int()).min(1).max(1000), jqls: z.array(z.string()).min(1).max(1000) })
        .strict(),
    );
    const ctx = {
      now: site.now(),
      currentAccountId: user.accountId,
      customFieldIds: site.state.fields.filter((f) => f.custom).map((f) => f.id),
    };
    const visible = site.state.issues.filter(
      (i) => body.issueIds.includes(Number(i.id)) && site.can(user, 'BROWSE_PROJECTS', site.projectOf(i)),
    );
    const matches_ = body.jqls.map((jql) => {
      try {
        const query = parseJql(jql);
        const errors = validateFields(query, ctx);
        if (errors.length) return { matchedIssues: [], errors };
        return {
          matchedIssues: visible
            .filter((i) => matches(site.jqlView(i, user), query.where, ctx))
            .map((i) => Number(i.id)),
          errors: [],
        };
      } catch (e) {
        if (e instanceof JqlError) return { matchedIssues: [], errors: [e.message] };
        throw e;
      }
    });
    return c.json({ matches: matches_ });
  });

  /** Workflows by project and issue type (the app needs manage:jira-configuration): statuses and every transition with where it starts. */
  app.post('/rest/api/3/workflows', async (c) => {
    const user = requireUser(c.get('user'));
    if (user.accountType !== 'app' && !site.can(user, 'ADMINISTER'))
      throw new JiraError(403, ['You are not allowed to read workflows.']);
    const body = await readJson(
      c,
      z
        .object({
          projectAndIssueTypes: z
            .array(z.object({ projectId: z.string(), issueTypeId: z.string() }).strict())
            .optional(),
          workflowIds: z.array(z.string()).optional(),
          workflowNames: z.array(z.string()).optional(),
        })
        .strict(),
    );
    const wanted = new Set<string>();
    for (const pair of body.projectAndIssueTypes ?? []) {
      const project = site.project(pair.projectId);
      if (project?.issueTypeIds.includes(pair.issueTypeId))
        wanted.add(workflowOf(site.state, project, pair.issueTypeId).id);
    }
    for (const w of site.state.workflows)
      if (body.workflowIds?.includes(w.id) || body.workflowNames?.includes(w.name)) wanted.add(w.id);
    const workflows = site.state.workflows.filter((w) => wanted.has(w.id));
    const statusIds = new Set(
      workflows.flatMap((w) => [w.initialStatus, ...w.transitions.flatMap((t) => [...t.from, t.to])]),
    );
    const category = (c: string) => (c === 'new' ? 'TODO' : c === 'done' ? 'DONE' : 'IN_PROGRESS');
    return c.json({
      statuses: site.state.statuses
        .filter((s) => statusIds.has(s.id))
        .map((s) => ({
          id: s.id,
          name: s.name,
          statusCategory: category(s.category),
          statusReference: s.id,
          scope: { type: 'GLOBAL' },
        })),
      workflows: workflows.map((w) => ({
        id: w.id,
        name: w.name,
        description: '',
        isEditable: true,
        scope: { type: 'GLOBAL' },
        statuses: [...new Set([w.initialStatus, ...w.transitions.flatMap((t) => [...t.from, t.to])])].map((id) => ({
          statusReference: id,
          deprecated: false,
          properties: {},
        })),
        transitions: w.transitions.map((t) => ({
          id: t.id,
          name: t.name,
          description: '',
          type: t.from.length ? 'DIRECTED' : 'GLOBAL',
          toStatusReference: t.to,
          links: t.from.map((f) => ({ fromStatusReference: f })),
          actions: [],
          validators: [],
          triggers: [],
          properties: {},
        })),
        version: { id: `${w.id}-v1`, versionNumber: 1 },
      })),
    });
  });

  app.post('/rest/api/3/jql/parse', async (c) => {
    requireUser(c.get('user'));
    const body = await readJson(c, z.object({ queries: z.array(z.string()).min(1) }));
    const ctx = { now: site.now(), customFieldIds: site.state.fields.filter((f) => f.custom).map((f) => f.id) };
    const queries = body.queries.map((text) => {
      try {
        const query = parseJql(text);
        const errors = validateFields(query, ctx);
        return errors.length ? { query: text, errors } : { query: text, structure: parseStructure(query) };
      } catch (e) {
        if (e instanceof JqlError) return { query: text, errors: [e.message] };
        throw e;
      }
    });
    return c.json({ queries });
  });
}
