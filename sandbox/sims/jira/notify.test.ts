/**
 * `POST /rest/api/3/issue/{issueIdOrKey}/notify` as Jira's OpenAPI spec gives it (operation `notify`), and the
 * record the simulator keeps of each email for tests to read.
 */
import { loadOpenApi, JIRA_SPEC } from '../../../test/support/openapi';
import { startJiraSim, type JiraSim } from './index';
import { jiraClient } from './test-client';

const TOKEN = 't';
let sim: JiraSim;
let jira: ReturnType<typeof jiraClient>;
const spec = loadOpenApi(JIRA_SPEC);

beforeAll(async () => {
  sim = await startJiraSim({ platformToken: TOKEN, appAccountId: 'app-1' });
  jira = jiraClient(sim, TOKEN);
});
afterAll(() => sim.stop());
beforeEach(async () => {
  sim.notifications().length = 0;
  await fetch(`${sim.controlUrl}/outgoing-mail`, { method: 'PUT', body: JSON.stringify({ enabled: true }) });
});

const issue = () => sim.site.state.issues.find((i) => i.key === 'DEMO-1')!;
const notify = (body: unknown, caller: Parameters<typeof jira.request>[0] = { as: 'app' }, key = 'DEMO-1') =>
  jira.request(caller, 'POST', `/rest/api/3/issue/${key}/notify`, body);

describe('POST /rest/api/3/issue/{issueIdOrKey}/notify', () => {
  it('is an operation of the spec with the answers the simulator gives', () => {
    const template = spec.match('POST', '/rest/api/3/issue/DEMO-1/notify');
    expect(template).toBe('/rest/api/3/issue/{issueIdOrKey}/notify');
    for (const status of [204, 400, 403, 404])
      expect({ status, ...spec.validate('POST', template!, status, undefined) }).toEqual({
        status,
        valid: true,
        errors: [],
      });
  });

  it('queues the email (204) and records it with the recipients as account ids, groups expanded', async () => {
    const lead = jira.userId('project-lead');
    const res = await notify({
      subject: '[Crosswalk] Zendesk connection "Support" — Zendesk refuses the API token',
      textBody: 'plain',
      htmlBody: '<p>html</p>',
      to: { users: [{ accountId: lead }], groupIds: ['c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f'] },
      restrict: { permissions: [{ key: 'BROWSE' }] },
    });
    expect([res.status, res.text]).toEqual([204, '']);
    const [n] = sim.notifications();
    expect(n).toMatchObject({
      issueKey: 'DEMO-1',
      issueId: issue().id,
      by: 'app-1',
      subject: '[Crosswalk] Zendesk connection "Support" — Zendesk refuses the API token',
      textBody: 'plain',
      htmlBody: '<p>html</p>',
    });
    // incident-managers holds Ada (site admin) and Lee (the lead): both may browse DEMO.
    expect(n!.recipients).toEqual([jira.userId('admin'), lead].sort());
    const listed = (await (await fetch(`${sim.controlUrl}/notifications`)).json()) as unknown[];
    expect(listed).toHaveLength(1);
  });

  it('drops recipients who may not browse the issue when restricted to BROWSE, and takes groups by name', async () => {
    const res = await notify({
      subject: 's',
      textBody: 't',
      to: { users: [{ accountId: jira.userId('customer') }], groups: [{ name: 'jira-administrators' }] },
      restrict: { permissions: [{ key: 'BROWSE' }] },
    });
    expect(res.status).toBe(204);
    expect(sim.notifications()[0]!.recipients).toEqual([jira.userId('admin')]);
  });

  it("sets the subject to the issue's key and summary when none is given", async () => {
    expect((await notify({ textBody: 't', to: { users: [{ accountId: jira.userId('member') }] } })).status).toBe(204);
    expect(sim.notifications()[0]!.subject).toBe(`DEMO-1: ${issue().summary}`);
  });

  it.each([
    ['no recipients', { subject: 's', textBody: 't' }],
    ['an empty recipient list', { subject: 's', to: { users: [], groupIds: [] } }],
    ['an unknown user', { subject: 's', to: { users: [{ accountId: 'nobody' }] } }],
    ['an unknown group', { subject: 's', to: { groupIds: ['00000000-0000-0000-0000-000000000000'] } }],
    ['a body off the schema', { subject: 3, to: { users: [] } }],
  ])('answers 400 for %s, recording nothing', async (_what, body) => {
    const res = await notify(body);
    expect(res.status).toBe(400);
    expect(res.json).toHaveProperty('errorMessages');
    expect(sim.notifications()).toEqual([]);
  });

  it('answers 400 when the caller names itself', async () => {
    const member = jira.userId('member');
    const res = await notify({ subject: 's', to: { users: [{ accountId: member }] } }, { as: 'member' });
    expect(res.status).toBe(400);
  });

  it('answers 404 for an unknown issue and for an issue the caller may not browse', async () => {
    const body = { subject: 's', to: { users: [{ accountId: jira.userId('admin') }] } };
    expect((await notify(body, { as: 'app' }, 'DEMO-9999')).status).toBe(404);
    expect((await notify(body, { as: 'customer' })).status).toBe(404);
    expect(sim.notifications()).toEqual([]);
  });

  it('answers 403 while the site’s outgoing mail is off', async () => {
    await fetch(`${sim.controlUrl}/outgoing-mail`, { method: 'PUT', body: JSON.stringify({ enabled: false }) });
    const res = await notify({ subject: 's', to: { users: [{ accountId: jira.userId('admin') }] } });
    expect(res.status).toBe(403);
    expect(sim.notifications()).toEqual([]);
  });
});
