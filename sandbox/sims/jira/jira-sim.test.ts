import { startJiraSim, type JiraSim } from './index';
import { adf, jiraClient } from './test-client';
import type { ProductEventReport } from '../../platform/contracts';

const TOKEN = 'platform-secret';
const APP = '557058:app-crosswalk';

describe('Jira Cloud simulator', () => {
  let sim: JiraSim;
  let events: ProductEventReport[];
  let jira: ReturnType<typeof jiraClient>;

  beforeAll(async () => {
    events = [];
    sim = await startJiraSim({ platformToken: TOKEN, appAccountId: APP, onEvent: (e) => events.push(e) });
    jira = jiraClient(sim, TOKEN);
  });
  afterAll(() => sim.stop());
  beforeEach(async () => {
    await fetch(`${sim.controlUrl}/reset`, { method: 'POST' });
    events.length = 0;
  });

  const create = async (summary = 'Printer jammed', caller = { as: 'member' as const }) => {
    const res = await jira.request(caller, 'POST', '/rest/api/3/issue', {
      fields: { project: { key: 'DEMO' }, issuetype: { name: 'Task' }, summary, description: adf('Floor 3') },
    });
    expect(res.status).toBe(201);
    return res.json as { id: string; key: string };
  };

  describe('authentication and permissions', () => {
    it('authenticates people with email and API token, and refuses a wrong token', async () => {
      expect((await jira.request({ as: 'member' }, 'GET', '/rest/api/3/myself')).json.displayName).toBe('Mia Member');
      const bad = await fetch(`${sim.baseUrl}/rest/api/3/myself`, {
        headers: { authorization: `Basic ${Buffer.from('member@demo.example:nope').toString('base64')}` },
      });
      expect(bad.status).toBe(401);
    });

    it('trusts the platform identity headers only with the platform token', async () => {
      expect((await jira.request({ as: 'app' }, 'GET', '/rest/api/3/myself')).json.accountType).toBe('app');
      const forged = await fetch(`${sim.baseUrl}/rest/api/3/myself`, {
        headers: { 'x-forge-platform-token': 'guess', 'x-forge-principal': 'app' },
      });
      expect(forged.status).toBe(401);
    });

    it('requires the permissions parameter on mypermissions, as Jira does', async () => {
      const res = await jira.request({ as: 'member' }, 'GET', '/rest/api/3/mypermissions?projectKey=DEMO');
      expect(res.status).toBe(400);
      expect(res.json.errorMessages[0]).toMatch(/permissions/);
    });

    it.each([
      ['project-lead', true],
      ['member', false],
      ['admin', true],
    ] as const)('answers ADMINISTER_PROJECTS on DEMO for %s: %s', async (role, expected) => {
      const res = await jira.request(
        { as: role },
        'GET',
        '/rest/api/3/mypermissions?projectId=10000&permissions=ADMINISTER_PROJECTS,BROWSE_PROJECTS',
      );
      expect(res.json.permissions.ADMINISTER_PROJECTS.havePermission).toBe(expected);
      expect(res.json.permissions.BROWSE_PROJECTS.havePermission).toBe(true);
    });

    it('hides issues from anonymous callers and from people outside the project', async () => {
      expect((await jira.request({ as: 'anonymous' }, 'GET', '/rest/api/3/issue/DEMO-1')).status).toBe(404);
      expect((await jira.request({ as: 'member' }, 'GET', '/rest/api/3/issue/OPS-1')).status).toBe(404);
      expect((await jira.request({ as: 'member' }, 'GET', '/rest/api/3/issue/DEMO-1')).status).toBe(200);
    });

    it('refuses a member deleting an issue with 403', async () => {
      expect((await jira.request({ as: 'member' }, 'DELETE', '/rest/api/3/issue/DEMO-1')).status).toBe(403);
    });
  });

  describe('issues, fields and workflow', () => {
    it('creates an issue with a key, and gets it with selected fields', async () => {
      const { key } = await create();
      expect(key).toBe('DEMO-4');
      const res = await jira.request({ as: 'member' }, 'GET', `/rest/api/3/issue/${key}?fields=summary,status`);
      expect(Object.keys(res.json.fields).sort()).toEqual(['status', 'summary']);
      expect(res.json.fields.status.name).toBe('To Do');
    });

    it('formats timestamps like Jira Cloud', async () => {
      const res = await jira.request({ as: 'member' }, 'GET', '/rest/api/3/issue/DEMO-1?fields=created');
      expect(res.json.fields.created).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/);
    });

    it('ignores status in an edit: it is not on the screen, and status moves only by transition', async () => {
      const res = await jira.request({ as: 'member' }, 'PUT', '/rest/api/3/issue/DEMO-1', {
        fields: { status: { name: 'Done' } },
      });
      expect(res.status).toBe(400);
      expect(res.json.errors.status).toBe(
        "Field 'status' cannot be set. It is not on the appropriate screen, or unknown.",
      );
      expect(
        (await jira.request({ as: 'member' }, 'GET', '/rest/api/3/issue/DEMO-1?fields=status')).json.fields.status.name,
      ).toBe('To Do');
    });

    it('refuses a field not on the edit screen with the real 400', async () => {
      const res = await jira.request({ as: 'member' }, 'PUT', '/rest/api/3/issue/DEMO-1', {
        fields: { customfield_10017: 'x' },
      });
      expect(res.json).toEqual({
        errorMessages: [],
        errors: {
          customfield_10017:
            "Field 'customfield_10017' cannot be set. It is not on the appropriate screen, or unknown.",
        },
      });
    });

    it('rejects a description that is not valid ADF', async () => {
      const res = await jira.request({ as: 'member' }, 'PUT', '/rest/api/3/issue/DEMO-1', {
        fields: {
          description: {
            type: 'doc',
            version: 1,
            content: [{ type: 'paragraph', content: [{ type: 'text', text: '' }] }],
          },
        },
      });
      expect(res.status).toBe(400);
      expect(res.json.errors.description).toMatch(/Atlassian Document/);
    });

    it('lists only the transitions available from the current status, and needs two hops to reach review', async () => {
      const t = await jira.request({ as: 'member' }, 'GET', '/rest/api/3/issue/DEMO-1/transitions');
      expect(t.json.transitions.map((x: { name: string }) => x.name)).toEqual(['Start progress']);
      expect(
        (
          await jira.request({ as: 'member' }, 'POST', '/rest/api/3/issue/DEMO-1/transitions', {
            transition: { id: '21' },
          })
        ).status,
      ).toBe(400);
      expect(
        (
          await jira.request({ as: 'member' }, 'POST', '/rest/api/3/issue/DEMO-1/transitions', {
            transition: { id: '11' },
          })
        ).status,
      ).toBe(204);
      expect(
        (
          await jira.request({ as: 'member' }, 'POST', '/rest/api/3/issue/DEMO-1/transitions', {
            transition: { id: '21' },
          })
        ).status,
      ).toBe(204);
      expect(
        (
          await jira.request({ as: 'member' }, 'POST', '/rest/api/3/issue/DEMO-1/transitions', {
            transition: { id: '31' },
          })
        ).status,
      ).toBe(204);
      const issue = await jira.request({ as: 'member' }, 'GET', '/rest/api/3/issue/DEMO-1?fields=status,resolution');
      expect(issue.json.fields.status.name).toBe('Done');
      expect(issue.json.fields.resolution.name).toBe('Done');
    });

    it('applies label add/remove verbs and records the changelog', async () => {
      await jira.request({ as: 'member' }, 'PUT', '/rest/api/3/issue/DEMO-1', {
        update: { labels: [{ add: 'vpn' }, { add: 'berlin' }] },
      });
      await jira.request({ as: 'member' }, 'PUT', '/rest/api/3/issue/DEMO-1', {
        update: { labels: [{ remove: 'berlin' }] },
      });
      const res = await jira.request({ as: 'member' }, 'GET', '/rest/api/3/issue/DEMO-1/changelog');
      expect(res.json.values.map((h: { items: Array<{ toString: string }> }) => h.items[0]!.toString)).toEqual([
        'vpn berlin',
        'vpn',
      ]);
    });

    it('sets custom fields by type and refuses bad values', async () => {
      const ok = await jira.request({ as: 'member' }, 'PUT', '/rest/api/3/issue/DEMO-1', {
        fields: { customfield_10012: 42, customfield_10013: { value: 'Production' }, customfield_10015: '2026-12-01' },
      });
      expect(ok.status).toBe(204);
      const bad = await jira.request({ as: 'member' }, 'PUT', '/rest/api/3/issue/DEMO-1', {
        fields: { customfield_10012: 'many', customfield_10013: { value: 'Moon' } },
      });
      expect(Object.keys(bad.json.errors).sort()).toEqual(['customfield_10012', 'customfield_10013']);
    });
  });

  describe('comments', () => {
    it('creates, edits and deletes ADF comments, public and internal', async () => {
      const pub = await jira.request({ as: 'member' }, 'POST', '/rest/api/3/issue/DEMO-1/comment', {
        body: adf('Tried a restart'),
      });
      expect(pub.status).toBe(201);
      expect(pub.json.jsdPublic).toBe(true);
      const internal = await jira.request({ as: 'member' }, 'POST', '/rest/api/3/issue/DEMO-1/comment', {
        body: adf('Agent only'),
        properties: [{ key: 'sd.public.comment', value: { internal: true } }],
      });
      expect(internal.json.jsdPublic).toBe(false);
      const edited = await jira.request({ as: 'member' }, 'PUT', `/rest/api/3/issue/DEMO-1/comment/${pub.json.id}`, {
        body: adf('Tried two restarts'),
      });
      expect(edited.json.body).toEqual(adf('Tried two restarts'));
      expect(
        (await jira.request({ as: 'member' }, 'DELETE', `/rest/api/3/issue/DEMO-1/comment/${internal.json.id}`)).status,
      ).toBe(204);
      expect((await jira.request({ as: 'member' }, 'GET', '/rest/api/3/issue/DEMO-1/comment')).json.total).toBe(1);
    });

    it('rejects an invalid ADF body with 400', async () => {
      const res = await jira.request({ as: 'member' }, 'POST', '/rest/api/3/issue/DEMO-1/comment', {
        body: 'plain text',
      });
      expect(res.status).toBe(400);
    });
  });

  describe('attachments', () => {
    const form = (name: string, bytes: number) => {
      const f = new FormData();
      f.append('file', new Blob([Buffer.alloc(bytes, 7)], { type: 'text/plain' }), name);
      return f;
    };

    it('requires X-Atlassian-Token: no-check', async () => {
      const res = await jira.request(
        { as: 'member' },
        'POST',
        '/rest/api/3/issue/DEMO-1/attachments',
        form('a.txt', 10),
      );
      expect(res.status).toBe(403);
      expect(res.json.errorMessages).toEqual(['XSRF check failed']);
    });

    it('uploads, redirects downloads with 303, serves redirect=false and ranges', async () => {
      const up = await jira.request(
        { as: 'member' },
        'POST',
        '/rest/api/3/issue/DEMO-1/attachments',
        form('log.txt', 100),
        { 'x-atlassian-token': 'no-check' },
      );
      expect(up.status).toBe(200);
      const id = up.json[0].id as string;
      const redirect = await jira.request({ as: 'member' }, 'GET', `/rest/api/3/attachment/content/${id}`);
      expect(redirect.status).toBe(303);
      const followed = await fetch(redirect.headers.get('location')!);
      expect((await followed.arrayBuffer()).byteLength).toBe(100);
      const direct = await jira.request({ as: 'member' }, 'GET', `/rest/api/3/attachment/content/${id}?redirect=false`);
      expect(direct.status).toBe(200);
      const range = await jira.request(
        { as: 'member' },
        'GET',
        `/rest/api/3/attachment/content/${id}?redirect=false`,
        undefined,
        { range: 'bytes=10-19' },
      );
      expect(range.status).toBe(206);
      expect(range.headers.get('content-range')).toBe('bytes 10-19/100');
    });

    it('answers 413 over the upload limit from /attachment/meta', async () => {
      await fetch(`${sim.controlUrl}/attachment-limit`, { method: 'PUT', body: JSON.stringify({ bytes: 50 }) });
      expect((await jira.request({ as: 'member' }, 'GET', '/rest/api/3/attachment/meta')).json).toEqual({
        enabled: true,
        uploadLimit: 50,
      });
      expect(
        (
          await jira.request({ as: 'member' }, 'POST', '/rest/api/3/issue/DEMO-1/attachments', form('big.txt', 51), {
            'x-atlassian-token': 'no-check',
          })
        ).status,
      ).toBe(413);
    });
  });

  describe('search', () => {
    it('pages with nextPageToken, returns ids only without fields, and has no total', async () => {
      for (let i = 0; i < 5; i++) await create(`Issue ${i}`);
      const first = await jira.request(
        { as: 'member' },
        'GET',
        '/rest/api/3/search/jql?jql=project%20%3D%20DEMO%20ORDER%20BY%20key%20ASC&maxResults=3',
      );
      expect(first.json.issues).toEqual([
        { id: expect.any(String) },
        { id: expect.any(String) },
        { id: expect.any(String) },
      ]);
      expect(first.json.total).toBeUndefined();
      expect(first.json.isLast).toBe(false);
      const rest = await jira.request({ as: 'member' }, 'POST', '/rest/api/3/search/jql', {
        jql: 'project = DEMO ORDER BY key ASC',
        nextPageToken: first.json.nextPageToken,
        maxResults: 10,
        fields: ['summary'],
      });
      expect(rest.json.issues).toHaveLength(5);
      expect(rest.json.nextPageToken).toBeUndefined();
      expect(rest.json.isLast).toBe(true);
      expect(rest.json.issues[4].key).toBe('DEMO-8');
    });

    it('refuses unbounded JQL and reports syntax errors like Jira', async () => {
      expect(
        (await jira.request({ as: 'member' }, 'POST', '/rest/api/3/search/jql', { jql: 'ORDER BY created' })).json
          .errorMessages[0],
      ).toMatch(/Unbounded JQL/);
      expect(
        (await jira.request({ as: 'member' }, 'POST', '/rest/api/3/search/jql', { jql: 'project DEMO' })).json
          .errorMessages[0],
      ).toMatch(/Expecting operator but got 'DEMO'/);
      expect(
        (await jira.request({ as: 'member' }, 'POST', '/rest/api/3/search/jql', { jql: 'colour = red' })).json
          .errorMessages[0],
      ).toBe("Field 'colour' does not exist or you do not have permission to view it.");
    });

    it('only finds issues the caller may browse', async () => {
      const res = await jira.request({ as: 'member' }, 'POST', '/rest/api/3/search/jql', {
        jql: 'project in (DEMO, OPS)',
        fields: ['key'],
      });
      expect(res.json.issues.map((i: { key: string }) => i.key).every((k: string) => k.startsWith('DEMO-'))).toBe(true);
    });

    it('parses JQL into a structure', async () => {
      const res = await jira.request({ as: 'member' }, 'POST', '/rest/api/3/jql/parse', {
        queries: ['project = DEMO AND status != Done ORDER BY created DESC', 'foo = 1'],
      });
      expect(res.json.queries[0].structure.where.operator).toBe('and');
      expect(res.json.queries[1].errors).toEqual([
        "Field 'foo' does not exist or you do not have permission to view it.",
      ]);
    });
  });

  describe('remote links and properties', () => {
    it('upserts a remote link by globalId', async () => {
      const link = {
        globalId: 'servicenow:acme:incident:abc',
        object: { url: 'https://acme.service-now.com/incident.do?sys_id=abc', title: 'INC0010001' },
      };
      const a = await jira.request({ as: 'app' }, 'POST', '/rest/api/3/issue/DEMO-1/remotelink', link);
      const b = await jira.request({ as: 'app' }, 'POST', '/rest/api/3/issue/DEMO-1/remotelink', {
        ...link,
        object: { ...link.object, title: 'INC0010001 (Resolved)' },
      });
      expect(a.status).toBe(201);
      expect(b.status).toBe(200);
      expect(b.json.id).toBe(a.json.id);
      const all = await jira.request({ as: 'member' }, 'GET', '/rest/api/3/issue/DEMO-1/remotelink');
      expect(all.json).toHaveLength(1);
      expect(all.json[0].object.title).toBe('INC0010001 (Resolved)');
    });

    it('stores issue properties up to 32,768 characters', async () => {
      expect(
        (
          await jira.request({ as: 'app' }, 'PUT', '/rest/api/3/issue/DEMO-1/properties/crosswalk.link', {
            remote: 'INC1',
          })
        ).status,
      ).toBe(201);
      expect(
        (await jira.request({ as: 'app' }, 'GET', '/rest/api/3/issue/DEMO-1/properties/crosswalk.link')).json,
      ).toEqual({ key: 'crosswalk.link', value: { remote: 'INC1' } });
      expect(
        (await jira.request({ as: 'app' }, 'PUT', '/rest/api/3/issue/DEMO-1/properties/big', { v: 'x'.repeat(32_768) }))
          .status,
      ).toBe(400);
    });
  });

  describe('product events', () => {
    it('emits created, updated with changelog, assigned, commented and attachment events', async () => {
      const { key } = await create('New one');
      const lead = jira.userId('project-lead');
      await jira.request({ as: 'member' }, 'PUT', `/rest/api/3/issue/${key}`, {
        fields: { summary: 'Renamed', assignee: { accountId: lead } },
      });
      const comment = await jira.request({ as: 'member' }, 'POST', `/rest/api/3/issue/${key}/comment`, {
        body: adf('hi'),
      });
      await jira.request({ as: 'member' }, 'PUT', `/rest/api/3/issue/${key}/comment/${comment.json.id}`, {
        body: adf('hi again'),
      });
      await jira.request({ as: 'member' }, 'DELETE', `/rest/api/3/issue/${key}/comment/${comment.json.id}`);
      expect(events.map((e) => e.eventType)).toEqual([
        'avi:jira:created:issue',
        'avi:jira:updated:issue',
        'avi:jira:assigned:issue',
        'avi:jira:commented:issue',
        'avi:jira:commented:issue',
        'avi:jira:deleted:comment',
      ]);
      const updated = events[1]!;
      expect(updated.fields.changelog).toMatchObject({
        items: [
          { field: 'summary', fromString: 'New one', toString: 'Renamed' },
          expect.objectContaining({ field: 'assignee', to: lead }),
        ],
      });
      expect(updated).toMatchObject({ atlassianId: jira.userId('member'), selfGenerated: false });
      expect(updated.fields.issue).toMatchObject({ key, fields: { summary: 'Renamed', status: { name: 'To Do' } } });
    });

    it("marks the app's own changes selfGenerated and echoes the webhook trace header", async () => {
      await jira.request(
        { as: 'app' },
        'PUT',
        '/rest/api/3/issue/DEMO-1',
        { fields: { summary: 'From ServiceNow' } },
        { 'x-atlassian-webhook-trace': 'sync-42' },
      );
      expect(events.at(-1)).toMatchObject({
        eventType: 'avi:jira:updated:issue',
        selfGenerated: true,
        atlassianId: APP,
        webhookTraceValue: 'sync-42',
      });
    });

    it('emits no cascading comment events when an issue is deleted', async () => {
      await jira.request({ as: 'member' }, 'POST', '/rest/api/3/issue/DEMO-1/comment', { body: adf('x') });
      events.length = 0;
      await jira.request({ as: 'admin' }, 'DELETE', '/rest/api/3/issue/DEMO-1');
      expect(events.map((e) => e.eventType)).toEqual(['avi:jira:deleted:issue']);
    });

    it('emits status changes with associatedStatuses', async () => {
      await jira.request({ as: 'member' }, 'POST', '/rest/api/3/issue/DEMO-1/transitions', {
        transition: { id: '11' },
      });
      expect(events.at(-1)!.fields).toMatchObject({
        associatedStatuses: [{ name: 'To Do' }, { name: 'In Progress' }],
        changelog: { items: [{ field: 'status', fromString: 'To Do', toString: 'In Progress' }] },
      });
    });
  });

  describe('control API', () => {
    it('injects faults for matching requests', async () => {
      await fetch(`${sim.controlUrl}/faults`, {
        method: 'POST',
        body: JSON.stringify({ method: 'GET', path: '/issue/DEMO-1', status: 503, times: 1 }),
      });
      expect((await jira.request({ as: 'member' }, 'GET', '/rest/api/3/issue/DEMO-1')).status).toBe(503);
      expect((await jira.request({ as: 'member' }, 'GET', '/rest/api/3/issue/DEMO-1')).status).toBe(200);
    });

    it('rate limits with Retry-After and X-RateLimit headers', async () => {
      await fetch(`${sim.controlUrl}/rate-limit`, {
        method: 'PUT',
        body: JSON.stringify({ limit: 2, windowSeconds: 60 }),
      });
      await jira.request({ as: 'member' }, 'GET', '/rest/api/3/myself');
      const second = await jira.request({ as: 'member' }, 'GET', '/rest/api/3/myself');
      expect(second.headers.get('x-ratelimit-remaining')).toBe('0');
      const third = await jira.request({ as: 'member' }, 'GET', '/rest/api/3/myself');
      expect(third.status).toBe(429);
      expect(Number(third.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(third.headers.get('ratelimit-reason')).toBe('jira-burst-based');
      expect(third.headers.get('x-ratelimit-reset')).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\dZ$/);
    });

    it('counts requests per route', async () => {
      await jira.request({ as: 'member' }, 'GET', '/rest/api/3/issue/DEMO-1');
      await jira.request({ as: 'member' }, 'GET', '/rest/api/3/issue/DEMO-2');
      const counters = (await (await fetch(`${sim.controlUrl}/counters`)).json()) as {
        byRoute: Record<string, number>;
      };
      expect(counters.byRoute['GET /rest/api/3/issue/{id}']).toBe(2);
    });
  });
});
