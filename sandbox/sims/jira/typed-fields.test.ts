/** Typed fields as Jira holds them: the due date, a custom date-time, number, single and multi option. */
import { startJiraSim, type JiraSim } from './index';
import { jiraClient } from './test-client';

const TOKEN = 'platform-secret';
const APP = '557058:app-crosswalk';

describe('Jira simulator: typed fields', () => {
  let sim: JiraSim;
  let jira: ReturnType<typeof jiraClient>;
  const member = { as: 'member' as const };

  beforeAll(async () => {
    sim = await startJiraSim({ platformToken: TOKEN, appAccountId: APP, onEvent: () => undefined });
    jira = jiraClient(sim, TOKEN);
  });
  afterAll(() => sim.stop());
  beforeEach(async () => {
    await fetch(`${sim.controlUrl}/reset`, { method: 'POST' });
  });

  const create = (fields: Record<string, unknown>) =>
    jira.request(member, 'POST', '/rest/api/3/issue', {
      fields: { project: { key: 'DEMO' }, issuetype: { name: 'Task' }, summary: 'Typed', ...fields },
    });
  const edit = (key: string, fields: Record<string, unknown>) =>
    jira.request(member, 'PUT', `/rest/api/3/issue/${key}`, { fields });
  const get = async (key: string, fields: string) =>
    (await jira.request(member, 'GET', `/rest/api/3/issue/${key}?fields=${fields}`)).json.fields;
  const lastItems = async (key: string) => {
    const res = await jira.request(member, 'GET', `/rest/api/3/issue/${key}/changelog`);
    return res.json.values[res.json.values.length - 1].items as Array<Record<string, unknown>>;
  };

  it('lists the due date and the date-time field in GET /field and editmeta', async () => {
    const fields = (await jira.request(member, 'GET', '/rest/api/3/field')).json as Array<Record<string, unknown>>;
    expect(fields.find((f) => f.id === 'duedate')).toMatchObject({
      name: 'Due date',
      custom: false,
      orderable: true,
      clauseNames: ['due', 'duedate'],
      schema: { type: 'date', system: 'duedate' },
    });
    expect(fields.find((f) => f.id === 'customfield_10018')).toMatchObject({
      name: 'Customer deadline',
      custom: true,
      schema: {
        type: 'datetime',
        custom: 'com.atlassian.jira.plugin.system.customfieldtypes:datetime',
        customId: 10018,
      },
    });
    const meta = (await jira.request(member, 'GET', '/rest/api/3/issue/DEMO-1/editmeta')).json.fields;
    expect(meta.duedate).toMatchObject({ name: 'Due date', schema: { type: 'date', system: 'duedate' } });
    expect(meta.customfield_10018.schema.type).toBe('datetime');
  });

  describe('duedate', () => {
    it('is set on create and read back as the day', async () => {
      const res = await create({ duedate: '2026-12-24' });
      expect(res.status).toBe(201);
      expect((await get(res.json.key, 'duedate')).duedate).toBe('2026-12-24');
      expect((await get('DEMO-1', 'duedate')).duedate).toBeNull();
    });

    it('is edited and cleared, recorded as Jira records it', async () => {
      expect((await edit('DEMO-1', { duedate: '2026-12-24' })).status).toBe(204);
      expect(await lastItems('DEMO-1')).toEqual([
        {
          field: 'duedate',
          fieldtype: 'jira',
          fieldId: 'duedate',
          to: '2026-12-24',
          fromString: null,
          toString: '2026-12-24 00:00:00.0',
        },
      ]);
      expect((await edit('DEMO-1', { duedate: '2027-01-05' })).status).toBe(204);
      expect((await lastItems('DEMO-1'))[0]).toMatchObject({
        from: '2026-12-24',
        fromString: '2026-12-24 00:00:00.0',
        to: '2027-01-05',
        toString: '2027-01-05 00:00:00.0',
      });
      expect((await edit('DEMO-1', { duedate: null })).status).toBe(204);
      expect((await get('DEMO-1', 'duedate')).duedate).toBeNull();
      expect((await lastItems('DEMO-1'))[0]).toMatchObject({ from: '2027-01-05', fromString: '2027-01-05 00:00:00.0' });
      expect((await lastItems('DEMO-1'))[0]).not.toHaveProperty('to');
    });

    it('is set through update as well', async () => {
      const res = await jira.request(member, 'PUT', '/rest/api/3/issue/DEMO-1', {
        update: { duedate: [{ set: '2026-03-01' }] },
      });
      expect(res.status).toBe(204);
      expect((await get('DEMO-1', 'duedate')).duedate).toBe('2026-03-01');
    });

    it.each(['24/12/2026', '2026-12-24T10:00:00.000+0000', '2026-02-30', 20261224])(
      'refuses %p with a 400 naming duedate',
      async (bad) => {
        const res = await edit('DEMO-1', { duedate: bad, summary: 'Renamed' });
        expect(res.status).toBe(400);
        expect(res.json).toEqual({
          errorMessages: [],
          errors: { duedate: 'The duedate must be of the format "yyyy-MM-dd"' },
        });
        expect((await get('DEMO-1', 'summary')).summary).toBe('VPN drops every 20 minutes');
      },
    );

    it('is searchable in JQL', async () => {
      await edit('DEMO-1', { duedate: '2026-12-24' });
      await edit('DEMO-2', { duedate: '2027-01-10' });
      const keys = async (jql: string) =>
        (await jira.request(member, 'POST', '/rest/api/3/search/jql', { jql, fields: ['key'] })).json.issues.map(
          (i: { key: string }) => i.key,
        );
      expect(await keys('project = DEMO AND duedate = "2026-12-24"')).toEqual(['DEMO-1']);
      expect(await keys('project = DEMO AND due < "2027-01-01"')).toEqual(['DEMO-1']);
      expect(await keys('project = DEMO AND duedate is EMPTY ORDER BY key')).toEqual(['DEMO-3']);
    });
  });

  describe('customfield_10018 (date-time)', () => {
    it.each([
      ['2026-12-24T15:30:00.000+0000', '2026-12-24T15:30:00.000+0000'],
      ['2026-12-24T15:30:00.000+01:00', '2026-12-24T14:30:00.000+0000'],
      ['2026-12-24T15:30:00+0000', '2026-12-24T15:30:00.000+0000'],
      ['2026-12-24T10:30:00.000-0500', '2026-12-24T15:30:00.000+0000'],
    ])('takes %s and answers it in UTC as %s', async (input, stored) => {
      const res = await create({ customfield_10018: input });
      expect(res.status).toBe(201);
      expect((await get(res.json.key, 'customfield_10018')).customfield_10018).toBe(stored);
    });

    it('is edited and cleared, recorded with a readable value', async () => {
      expect((await edit('DEMO-1', { customfield_10018: '2026-12-24T15:30:00.000+0000' })).status).toBe(204);
      expect(await lastItems('DEMO-1')).toEqual([
        {
          field: 'Customer deadline',
          fieldtype: 'custom',
          fieldId: 'customfield_10018',
          fromString: null,
          toString: '24/Dec/26 3:30 PM',
        },
      ]);
      expect((await edit('DEMO-1', { customfield_10018: '2027-01-02T09:05:00.000+0000' })).status).toBe(204);
      expect((await lastItems('DEMO-1'))[0]).toMatchObject({
        fromString: '24/Dec/26 3:30 PM',
        toString: '02/Jan/27 9:05 AM',
      });
      expect((await edit('DEMO-1', { customfield_10018: null })).status).toBe(204);
      expect((await get('DEMO-1', 'customfield_10018')).customfield_10018).toBeNull();
      expect((await lastItems('DEMO-1'))[0]).toMatchObject({ fromString: '02/Jan/27 9:05 AM', toString: null });
    });

    it.each(['24/12/2026', '2026-12-24', '2026-12-24T15:30:00', '2026-13-01T00:00:00.000+0000'])(
      'refuses %p with a 400 naming the field',
      async (bad) => {
        const res = await edit('DEMO-1', { customfield_10018: bad });
        expect(res.status).toBe(400);
        expect(res.json).toEqual({ errorMessages: [], errors: { customfield_10018: `Error parsing time: ${bad}` } });
      },
    );
  });

  describe('number, option and multi option', () => {
    it('sets options by value or id and reads them back as {self, value, id}', async () => {
      const res = await create({
        customfield_10012: 1250.5,
        customfield_10013: { id: '10201' },
        customfield_10014: [{ value: 'Web' }, { id: '10212' }],
      });
      expect(res.status).toBe(201);
      const f = await get(res.json.key, 'customfield_10012,customfield_10013,customfield_10014');
      expect(f.customfield_10012).toBe(1250.5);
      expect(f.customfield_10013).toEqual({
        self: `${sim.baseUrl}/rest/api/3/customFieldOption/10201`,
        value: 'Staging',
        id: '10201',
      });
      expect(f.customfield_10014).toEqual([
        { self: `${sim.baseUrl}/rest/api/3/customFieldOption/10211`, value: 'Web', id: '10211' },
        { self: `${sim.baseUrl}/rest/api/3/customFieldOption/10212`, value: 'Mobile', id: '10212' },
      ]);
      expect((await edit(res.json.key, { customfield_10013: { value: 'Production' } })).status).toBe(204);
      expect((await lastItems(res.json.key))[0]).toMatchObject({
        field: 'Environment tier',
        fieldtype: 'custom',
        from: '10201',
        fromString: 'Staging',
        to: '10200',
        toString: 'Production',
      });
    });

    it('names every refused field, one per key, and applies none of them', async () => {
      const res = await edit('DEMO-1', {
        summary: 'Renamed',
        customfield_10012: '42',
        customfield_10013: { id: '99999' },
        customfield_10014: [{ value: 'Desktop' }],
        customfield_10018: 'tomorrow',
        duedate: 'soon',
      });
      expect(res.status).toBe(400);
      expect(res.json).toEqual({
        errorMessages: [],
        errors: {
          customfield_10012: 'Operation value must be a number',
          customfield_10013: "Option id '99999' is not valid",
          customfield_10014: 'One or more options are not valid',
          customfield_10018: 'Error parsing time: tomorrow',
          duedate: 'The duedate must be of the format "yyyy-MM-dd"',
        },
      });
      const f = await get('DEMO-1', 'summary,customfield_10012,duedate');
      expect(f).toEqual({ summary: 'VPN drops every 20 minutes', customfield_10012: null, duedate: null });
      expect((await jira.request(member, 'GET', '/rest/api/3/issue/DEMO-1/changelog')).json.values).toEqual([]);
    });
  });
});
