/** Site and project administration a test needs: new projects, group members, project role actors. */
import type { Hono } from 'hono';
import * as z from 'zod';
import type { Env } from './http';
import { readJson } from './routes-issues';
import { JiraError, type Site } from './site';
import { DEMO_TYPE_WORKFLOWS, PROJECT_ROLES, type Project, type RoleName } from './state';

const createProjectBody = z
  .object({
    key: z.string(),
    name: z.string(),
    leadAccountId: z.string().optional(),
    projectTypeKey: z.string().optional(),
    projectTemplateKey: z.string().optional(),
    description: z.string().optional(),
    assigneeType: z.enum(['PROJECT_LEAD', 'UNASSIGNED']).optional(),
  })
  .loose();

/** Jira Cloud's project key rule: an uppercase letter, then uppercase letters, digits or underscores, 2 to 10 in all. */
const PROJECT_KEY = /^[A-Z][A-Z0-9_]{1,9}$/;

export function adminRoutes(app: Hono<Env>, site: Site, base: () => string): void {
  const requireSiteAdmin = (user: Env['Variables']['user'], message: string) => {
    if (!user)
      throw new JiraError(401, ['You are not authenticated. Authentication required to perform this operation.']);
    if (!site.can(user, 'ADMINISTER')) throw new JiraError(403, [message]);
    return user;
  };

  /** A project with the demo workflow and issue types; its lead administers it, and nobody else is in it yet. */
  app.post('/rest/api/3/project', async (c) => {
    requireSiteAdmin(c.get('user'), 'You must have global administrator rights in order to create projects.');
    const body = await readJson(c, createProjectBody);
    if (!PROJECT_KEY.test(body.key))
      throw new JiraError(400, [], {
        projectKey:
          'Project keys must start with an uppercase letter, followed by one or more uppercase alphanumeric characters or underscores.',
      });
    if (site.state.projects.some((p) => p.key === body.key))
      throw new JiraError(400, [], { projectKey: `Project '${body.key}' uses this project key.` });
    if (!body.name.trim() || site.state.projects.some((p) => p.name === body.name))
      throw new JiraError(400, [], { projectName: 'A project with that name already exists.' });
    const lead = site.user(body.leadAccountId);
    if (!lead) throw new JiraError(400, [], { projectLead: 'You must specify a valid project lead.' });
    const project: Project = {
      id: String(site.nextId('project')),
      key: body.key,
      name: body.name,
      leadAccountId: lead.accountId,
      roles: {
        Administrators: [lead.accountId],
        Members: [],
        Viewers: [],
        'atlassian-addons-project-access': [site.appAccountId],
      },
      issueTypeIds: site.state.issueTypes.map((t) => t.id),
      workflowId: site.state.workflows[0]!.id,
      typeWorkflows: { ...DEMO_TYPE_WORKFLOWS },
    };
    site.state.projects.push(project);
    return c.json(
      { self: `${base()}/rest/api/3/project/${project.id}`, id: Number(project.id), key: project.key },
      201,
    );
  });

  app.post('/rest/api/3/group/user', async (c) => {
    requireSiteAdmin(c.get('user'), 'You do not have permission to add users to groups.');
    const groupId = c.req.query('groupId');
    const groupName = c.req.query('groupname');
    if (!groupId === !groupName) throw new JiraError(400, ['Provide either groupId or groupname, not both.']);
    const body = await readJson(c, z.object({ accountId: z.string().min(1) }).loose());
    const group = site.state.groups.find((g) => (groupId ? g.groupId === groupId : g.name === groupName));
    if (!group) throw new JiraError(404, ['Specified group does not exist.']);
    if (!site.user(body.accountId)) throw new JiraError(404, ['Specified user does not exist.']);
    if (!group.members.includes(body.accountId)) group.members.push(body.accountId);
    return c.json(
      { name: group.name, groupId: group.groupId, self: `${base()}/rest/api/3/group?groupId=${group.groupId}` },
      201,
    );
  });

  /** Adds people to a project role (groups as role actors are not simulated). */
  app.post('/rest/api/3/project/:key/role/:id', async (c) => {
    const user = c.get('user');
    const project = site.project(c.req.param('key'));
    if (!project || !site.can(user, 'BROWSE_PROJECTS', project))
      throw new JiraError(404, ['No project could be found with key or id.']);
    if (!site.can(user, 'ADMINISTER_PROJECTS', project))
      throw new JiraError(401, ['You cannot edit the configuration of this project.']);
    const name = (Object.keys(PROJECT_ROLES) as RoleName[]).find((r) => String(PROJECT_ROLES[r]) === c.req.param('id'));
    if (!name) throw new JiraError(404, ['The project role does not exist.']);
    const body = await readJson(
      c,
      z
        .object({
          user: z.array(z.string()).optional(),
          group: z.array(z.string()).optional(),
          groupId: z.array(z.string()).optional(),
        })
        .strict(),
    );
    if (body.group?.length || body.groupId?.length)
      throw new JiraError(400, ['Groups as project role actors are not supported by this simulator.']);
    const missing = (body.user ?? []).find((id) => !site.user(id));
    if (missing) throw new JiraError(404, [`The user ${missing} does not exist.`]);
    const members = (project.roles[name] ??= []);
    for (const id of body.user ?? []) if (!members.includes(id)) members.push(id);
    return c.json({
      self: `${base()}/rest/api/3/project/${project.key}/role/${PROJECT_ROLES[name]}`,
      name,
      id: PROJECT_ROLES[name],
      description: `The ${name} role of ${project.name}`,
      actors: members.map((id, i) => ({
        id: PROJECT_ROLES[name] * 100 + i,
        displayName: site.user(id)?.displayName ?? id,
        type: 'atlassian-user-role-actor',
        actorUser: { accountId: id },
      })),
    });
  });
}
