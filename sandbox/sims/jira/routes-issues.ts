import type { Hono } from 'hono';
import * as z from 'zod';
import { applyFields } from './fields';
import { childrenOf, issueTypeOf } from './hierarchy';
import { queryList, type Env } from './http';
import { availableTransitions, historyJson, issueJson } from './serialize';
import { JiraError, type Site } from './site';
import { newIssue, type IssueRecord } from './state';

const createBody = z
  .object({
    fields: z.record(z.string(), z.unknown()),
    update: z.record(z.string(), z.array(z.record(z.string(), z.unknown()))).optional(),
    properties: z.array(z.object({ key: z.string().max(255), value: z.unknown() })).optional(),
  })
  .loose();
const editBody = z
  .object({
    fields: z.record(z.string(), z.unknown()).optional(),
    update: z.record(z.string(), z.array(z.record(z.string(), z.unknown()))).optional(),
  })
  .loose();
const transitionBody = z
  .object({
    transition: z.object({ id: z.string() }).optional(),
    fields: z.record(z.string(), z.unknown()).optional(),
    update: z.record(z.string(), z.unknown()).optional(),
  })
  .loose();
const remoteLinkBody = z.object({
  globalId: z.string().max(255).optional(),
  application: z.record(z.string(), z.unknown()).optional(),
  relationship: z.string().optional(),
  object: z.object({ url: z.string(), title: z.string() }).loose(),
});

async function json<T>(c: { req: { json(): Promise<unknown> } }, schema: z.ZodType<T>): Promise<T> {
  let raw: unknown;
  try {
    raw = await c.req.json();
  } catch {
    throw new JiraError(400, ['Unexpected character: was expecting a JSON body.']);
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success)
    throw new JiraError(
      400,
      parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`),
    );
  return parsed.data;
}

export { json as readJson };

export function issueRoutes(app: Hono<Env>, site: Site, base: () => string): void {
  const trace = (c: { req: { header(n: string): string | undefined } }) => c.req.header('x-atlassian-webhook-trace');

  app.post('/rest/api/3/issue', async (c) => {
    const user = c.get('user');
    const body = await json(c, createBody);
    const projectRef = body.fields.project as { id?: string; key?: string } | undefined;
    const project = projectRef && site.project(projectRef.id ?? projectRef.key ?? '');
    if (!project) throw new JiraError(400, [], { project: 'Specify a valid project ID or key' });
    site.require(user, 'CREATE_ISSUES', project, 'You do not have permission to create issues in this project.');
    const typeRef = body.fields.issuetype as { id?: string; name?: string } | undefined;
    const type = site.state.issueTypes.find(
      (t) => (t.id === typeRef?.id || t.name === typeRef?.name) && project.issueTypeIds.includes(t.id),
    );
    if (!type) throw new JiraError(400, [], { issuetype: 'Specify an issue type' });
    if (typeof body.fields.summary !== 'string' || !body.fields.summary.trim())
      throw new JiraError(400, [], { summary: 'You must specify a summary of the issue.' });
    const issue = newIssue(site.state, project, type.id, user!.accountId, site.now());
    try {
      const screen = new Set(site.screenFields(project, type.id));
      applyFields(site, issue, user!, body.fields, body.update ?? {}, 'create', screen);
    } catch (e) {
      // A refused create does not use up a key or an id.
      site.state.counters.keys[project.key]! -= 1;
      site.state.counters.issue -= 1;
      throw e;
    }
    for (const p of body.properties ?? []) issue.properties[p.key] = p.value;
    site.state.issues.push(issue);
    site.emit('avi:jira:created:issue', user, trace(c), {
      issue: site.eventIssue(issue),
      associatedUsers: [{ accountId: user!.accountId }],
    });
    return c.json({ id: issue.id, key: issue.key, self: `${base()}/rest/api/3/issue/${issue.id}` }, 201);
  });

  app.get('/rest/api/3/issue/:key', (c) => {
    const user = c.get('user');
    const issue = site.issue(c.req.param('key'), user);
    return c.json(
      issueJson(base(), site, issue, {
        fields: queryList(c, 'fields'),
        expand: queryList(c, 'expand'),
        properties: queryList(c, 'properties'),
        ...(user ? { viewer: user } : {}),
      }),
    );
  });

  app.put('/rest/api/3/issue/:key', async (c) => {
    const user = c.get('user');
    const issue = site.issue(c.req.param('key'), user);
    site.require(
      user,
      'EDIT_ISSUES',
      site.projectOf(issue),
      'You do not have permission to edit issues in this project.',
    );
    const body = await json(c, editBody);
    const screen = new Set(site.screenFields(site.projectOf(issue), issue.issueTypeId));
    const { items, assigneeChanged } = applyFields(
      site,
      issue,
      user!,
      body.fields ?? {},
      body.update ?? {},
      'edit',
      screen,
    );
    if (items.length) {
      issue.updated = site.now();
      const changelog = site.recordChange(issue, user!, items);
      site.emit('avi:jira:updated:issue', user, trace(c), {
        issue: site.eventIssue(issue),
        changelog,
        jiraEventTypeName: 'issue_updated',
        associatedUsers: [{ accountId: user!.accountId }],
      });
      if (assigneeChanged)
        site.emit('avi:jira:assigned:issue', user, trace(c), { issue: site.eventIssue(issue), changelog });
    }
    // The spec: `expand` is "the Get issue API expand parameter to use in the response if the returnIssue parameter is true".
    if (c.req.query('returnIssue') === 'true')
      return c.json(issueJson(base(), site, issue, { expand: queryList(c, 'expand'), viewer: user! }));
    return c.body(null, 204);
  });

  app.delete('/rest/api/3/issue/:key', (c) => {
    const user = c.get('user');
    const issue = site.issue(c.req.param('key'), user);
    site.require(
      user,
      'DELETE_ISSUES',
      site.projectOf(issue),
      'You do not have permission to delete issues in this project.',
    );
    // The spec: an issue with sub-tasks is deleted only with `deleteSubtasks=true`, and they go with it.
    const children = childrenOf(site, issue);
    const subtasks = children.filter((i) => issueTypeOf(site, i).subtask);
    if (subtasks.length && c.req.query('deleteSubtasks') !== 'true')
      throw new JiraError(400, [
        `The issue '${issue.key}' has subtasks. Set 'deleteSubtasks' to true to delete it with its subtasks.`,
      ]);
    const gone = new Set([issue, ...subtasks]);
    site.state.issues = site.state.issues.filter((i) => !gone.has(i));
    // Their links go too, leaving nothing in the other issues' changelogs (as Jira removes links on delete).
    const goneIds = new Set([...gone].map((i) => i.id));
    site.state.issueLinks = site.state.issueLinks.filter(
      (l) => !goneIds.has(l.sourceId) && !goneIds.has(l.destinationId),
    );
    // An Epic's issues stay, without a parent.
    for (const child of children) if (!gone.has(child)) child.parentId = null;
    // Deleting an issue emits no comment or attachment events (forge-platform.md §4.1); each deleted issue is announced.
    for (const deleted of [...subtasks, issue])
      site.emit('avi:jira:deleted:issue', user, trace(c), { issue: site.eventIssue(deleted) });
    return c.body(null, 204);
  });

  /** The fields on the issue's edit screen, those a PUT may set. */
  app.get('/rest/api/3/issue/:key/editmeta', (c) => {
    const issue = site.issue(c.req.param('key'), c.get('user'));
    const screen = site.screenFields(site.projectOf(issue), issue.issueTypeId);
    const fields = Object.fromEntries(
      site.state.fields
        .filter((f) => f.editable && screen.includes(f.id))
        .map((f) => [
          f.id,
          {
            // A sub-task's parent can be changed, not taken away.
            required: f.id === 'summary' || (f.id === 'parent' && issueTypeOf(site, issue).subtask),
            schema: f.schema,
            name: f.name,
            key: f.id,
            operations: f.id === 'labels' ? ['add', 'set', 'remove'] : ['set'],
            ...(f.options ? { allowedValues: f.options } : {}),
          },
        ]),
    );
    return c.json({ fields });
  });

  app.get('/rest/api/3/issue/:key/transitions', (c) => {
    const user = c.get('user');
    const issue = site.issue(c.req.param('key'), user);
    const transitions = site.can(user, 'TRANSITION_ISSUES', site.projectOf(issue))
      ? availableTransitions(base(), site, issue)
      : [];
    const only = c.req.query('transitionId');
    return c.json({
      expand: 'transitions',
      transitions: only ? transitions.filter((t) => t.id === only) : transitions,
    });
  });

  app.post('/rest/api/3/issue/:key/transitions', async (c) => {
    const user = c.get('user');
    const issue = site.issue(c.req.param('key'), user);
    site.require(
      user,
      'TRANSITION_ISSUES',
      site.projectOf(issue),
      'You do not have permission to transition this issue.',
    );
    const body = await json(c, transitionBody);
    if (!body.transition) throw new JiraError(400, ["Missing 'transition' identifier"]);
    const available = availableTransitions(base(), site, issue);
    const chosen = available.find((t) => t.id === body.transition!.id);
    if (!chosen) throw new JiraError(400, [`Transition id '${body.transition.id}' is not valid for this issue.`]);
    const transition = site.workflowOf(issue).transitions.find((t) => t.id === body.transition!.id)!;
    const from = site.state.statuses.find((s) => s.id === issue.statusId)!;
    const to = site.state.statuses.find((s) => s.id === transition.to)!;
    // The resolution is on the screen of a transition into done (as on Jira Cloud's default workflows), not on the
    // edit screen: it is taken here, by id or name, and nowhere else.
    const { resolution: resolutionRef, ...otherFields } = body.fields ?? {};
    let named: { id: string; name: string } | undefined;
    if (resolutionRef !== undefined) {
      const ref = resolutionRef as { id?: string; name?: string } | null;
      const found = site.state.resolutions.find((r) => r.id === ref?.id || r.name === ref?.name);
      if (to.category !== 'done')
        throw new JiraError(400, [], {
          resolution: "Field 'resolution' cannot be set. It is not on the appropriate screen, or unknown.",
        });
      if (!found) throw new JiraError(400, [], { resolution: `Specify a valid 'id' or 'name' for Resolution` });
      named = { id: found.id, name: found.name };
    }
    const { items } = applyFields(site, issue, user!, otherFields, {}, 'edit');
    issue.statusId = to.id;
    const changeItems = [
      {
        field: 'status',
        fieldtype: 'jira',
        fieldId: 'status',
        from: from.id,
        fromString: from.name,
        to: to.id,
        toString: to.name,
      },
      ...items,
    ];
    if (to.category === 'done' && (!issue.resolution || (named && named.id !== issue.resolution.id))) {
      const before = issue.resolution;
      const set = named ?? site.state.resolutions[0]!;
      issue.resolution = { id: set.id, name: set.name };
      issue.resolved = site.now();
      changeItems.push({
        field: 'resolution',
        fieldtype: 'jira',
        fieldId: 'resolution',
        from: before?.id ?? null,
        fromString: before?.name ?? null,
        to: set.id,
        toString: set.name,
      });
    } else if (to.category !== 'done' && issue.resolution) {
      changeItems.push({
        field: 'resolution',
        fieldtype: 'jira',
        fieldId: 'resolution',
        from: issue.resolution.id,
        fromString: issue.resolution.name,
        to: null,
        toString: null,
      });
      issue.resolution = null;
      issue.resolved = null;
    }
    issue.updated = site.now();
    const changelog = site.recordChange(issue, user!, changeItems);
    site.emit('avi:jira:updated:issue', user, trace(c), {
      issue: site.eventIssue(issue),
      changelog,
      jiraEventTypeName: to.category === 'done' ? 'issue_resolved' : 'issue_generic',
      associatedStatuses: [
        { id: from.id, name: from.name },
        { id: to.id, name: to.name },
      ],
    });
    return c.body(null, 204);
  });

  app.get('/rest/api/3/issue/:key/changelog', (c) => {
    const issue = site.issue(c.req.param('key'), c.get('user'));
    const startAt = Number(c.req.query('startAt') ?? 0);
    const maxResults = Math.min(100, Number(c.req.query('maxResults') ?? 100));
    const values = issue.changelog.slice(startAt, startAt + maxResults).map((h) => historyJson(base(), site, h));
    return c.json({
      self: `${base()}/rest/api/3/issue/${issue.key}/changelog`,
      maxResults,
      startAt,
      total: issue.changelog.length,
      isLast: startAt + maxResults >= issue.changelog.length,
      values,
    });
  });

  // ---- issue properties
  app.get('/rest/api/3/issue/:key/properties', (c) => {
    const issue = site.issue(c.req.param('key'), c.get('user'));
    return c.json({
      keys: Object.keys(issue.properties).map((key) => ({
        key,
        self: `${base()}/rest/api/3/issue/${issue.id}/properties/${encodeURIComponent(key)}`,
      })),
    });
  });
  app.get('/rest/api/3/issue/:key/properties/:prop', (c) => {
    const issue = site.issue(c.req.param('key'), c.get('user'));
    const key = c.req.param('prop');
    if (!(key in issue.properties)) throw new JiraError(404, [`The property with key '${key}' does not exist.`]);
    return c.json({ key, value: issue.properties[key] });
  });
  app.put('/rest/api/3/issue/:key/properties/:prop', async (c) => {
    const user = c.get('user');
    const issue = site.issue(c.req.param('key'), user);
    site.require(
      user,
      'EDIT_ISSUES',
      site.projectOf(issue),
      'You do not have permission to edit issues in this project.',
    );
    const key = c.req.param('prop');
    const text = await c.req.text();
    if (key.length > 255) throw new JiraError(400, ['The property key cannot be longer than 255 characters.']);
    if (text.length > 32_768) throw new JiraError(400, ['The property value cannot be longer than 32768 characters.']);
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw new JiraError(400, ['The property value must be a valid JSON.']);
    }
    const existed = key in issue.properties;
    issue.properties[key] = value;
    site.emit('avi:jira:set:issue-property', user, trace(c), { issue: site.eventIssue(issue), property: { key } });
    return c.body(null, existed ? 200 : 201);
  });
  app.delete('/rest/api/3/issue/:key/properties/:prop', (c) => {
    const user = c.get('user');
    const issue = site.issue(c.req.param('key'), user);
    site.require(
      user,
      'EDIT_ISSUES',
      site.projectOf(issue),
      'You do not have permission to edit issues in this project.',
    );
    const key = c.req.param('prop');
    if (!(key in issue.properties)) throw new JiraError(404, [`The property with key '${key}' does not exist.`]);
    delete issue.properties[key];
    return c.body(null, 204);
  });

  // ---- remote links
  const remoteLinkJson = (issue: IssueRecord, l: IssueRecord['remoteLinks'][number]) => ({
    id: l.id,
    self: `${base()}/rest/api/3/issue/${issue.key}/remotelink/${l.id}`,
    ...(l.globalId ? { globalId: l.globalId } : {}),
    ...(l.application ? { application: l.application } : {}),
    ...(l.relationship ? { relationship: l.relationship } : {}),
    object: l.object,
  });
  app.get('/rest/api/3/issue/:key/remotelink', (c) => {
    const issue = site.issue(c.req.param('key'), c.get('user'));
    const globalId = c.req.query('globalId');
    const links = issue.remoteLinks.filter((l) => !globalId || l.globalId === globalId);
    if (globalId && !links.length) throw new JiraError(404, ['No remote link with the given globalId exists.']);
    return c.json(globalId ? remoteLinkJson(issue, links[0]!) : links.map((l) => remoteLinkJson(issue, l)));
  });
  app.get('/rest/api/3/issue/:key/remotelink/:id', (c) => {
    const issue = site.issue(c.req.param('key'), c.get('user'));
    const link = issue.remoteLinks.find((l) => String(l.id) === c.req.param('id'));
    if (!link) throw new JiraError(404, ['No remote link with the given id exists.']);
    return c.json(remoteLinkJson(issue, link));
  });
  app.post('/rest/api/3/issue/:key/remotelink', async (c) => {
    const user = c.get('user');
    const issue = site.issue(c.req.param('key'), user);
    site.require(
      user,
      'EDIT_ISSUES',
      site.projectOf(issue),
      'You do not have permission to link issues in this project.',
    );
    const body = await json(c, remoteLinkBody);
    const existing = body.globalId ? issue.remoteLinks.find((l) => l.globalId === body.globalId) : undefined;
    if (existing) {
      Object.assign(existing, { application: body.application, relationship: body.relationship, object: body.object });
      return c.json(
        { id: existing.id, self: `${base()}/rest/api/3/issue/${issue.key}/remotelink/${existing.id}` },
        200,
      );
    }
    const link = {
      id: site.nextId('remoteLink'),
      ...(body.globalId ? { globalId: body.globalId } : {}),
      application: body.application,
      relationship: body.relationship,
      object: body.object,
    };
    issue.remoteLinks.push(link);
    return c.json({ id: link.id, self: `${base()}/rest/api/3/issue/${issue.key}/remotelink/${link.id}` }, 201);
  });
  app.delete('/rest/api/3/issue/:key/remotelink', (c) => {
    const user = c.get('user');
    const issue = site.issue(c.req.param('key'), user);
    site.require(
      user,
      'EDIT_ISSUES',
      site.projectOf(issue),
      'You do not have permission to link issues in this project.',
    );
    const globalId = c.req.query('globalId');
    if (!globalId) throw new JiraError(400, ['The globalId parameter is required.']);
    const before = issue.remoteLinks.length;
    issue.remoteLinks = issue.remoteLinks.filter((l) => l.globalId !== globalId);
    if (before === issue.remoteLinks.length)
      throw new JiraError(404, ['No remote link with the given globalId exists.']);
    return c.body(null, 204);
  });
  app.delete('/rest/api/3/issue/:key/remotelink/:id', (c) => {
    const user = c.get('user');
    const issue = site.issue(c.req.param('key'), user);
    site.require(
      user,
      'EDIT_ISSUES',
      site.projectOf(issue),
      'You do not have permission to link issues in this project.',
    );
    const before = issue.remoteLinks.length;
    issue.remoteLinks = issue.remoteLinks.filter((l) => String(l.id) !== c.req.param('id'));
    if (before === issue.remoteLinks.length) throw new JiraError(404, ['No remote link with the given id exists.']);
    return c.body(null, 204);
  });
}
