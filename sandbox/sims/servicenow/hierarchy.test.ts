/**
 * Parent records as the Table API serves them: an incident's Parent Incident
 * (`parent_incident`, a reference to incident, counted on the parent as
 * `child_incidents`) and task's own `parent` (a reference to any task). A
 * reference is stored as written, so one naming a missing sys_id reads back
 * with its value and link, no display value, and its link answers 404.
 */
import { DEMO_CREDENTIALS, startServiceNowSim, type ServiceNowSim } from './index';
import { serviceNowClient } from './test-client';

let sim: ServiceNowSim;
let sn: ReturnType<typeof serviceNowClient>;
const MISSING = '0123456789abcdef0123456789abcdef';

beforeAll(async () => {
  sim = await startServiceNowSim();
  sn = serviceNowClient(sim, DEMO_CREDENTIALS.integration);
});
afterAll(() => sim.stop());
beforeEach(async () => {
  await fetch(`${sim.controlUrl}/reset`, { method: 'POST' });
});

const incident = async (short_description: string, extra: Record<string, string> = {}) => {
  const res = await sn('POST', '/api/now/table/incident', { short_description, ...extra });
  expect(res.status).toBe(201);
  return res.json.result as { sys_id: string; number: string; parent_incident: string; child_incidents: string };
};
const read = async (id: string, params = '') => (await sn('GET', `/api/now/table/incident/${id}${params}`)).json.result;

describe('incident parent_incident', () => {
  it('links a child to its parent in one write, as a reference with its link, and counts it on the parent', async () => {
    const parent = await incident('Mail is down for everyone');
    const child = await incident('Cannot send mail');
    expect(child.parent_incident).toBe('');
    expect(parent.child_incidents).toBe('0');
    const res = await sn('PATCH', `/api/now/table/incident/${child.sys_id}`, { parent_incident: parent.sys_id });
    expect(res.status).toBe(200);
    expect(res.json.result.parent_incident).toEqual({
      link: expect.stringMatching(new RegExp(`/api/now/table/incident/${parent.sys_id}$`)),
      value: parent.sys_id,
    });
    expect(res.json.result.sys_mod_count).toBe('1');
    expect((await read(child.sys_id, '?sysparm_exclude_reference_link=true')).parent_incident).toBe(parent.sys_id);
    expect((await read(parent.sys_id)).child_incidents).toBe('1');
    expect((await read(child.sys_id, '?sysparm_display_value=all')).parent_incident).toMatchObject({
      display_value: parent.number,
      value: parent.sys_id,
    });
    // An encoded query finds the children.
    const children = await sn(
      'GET',
      `/api/now/table/incident?sysparm_fields=number&sysparm_query=${encodeURIComponent(`parent_incident=${parent.sys_id}`)}`,
    );
    expect(children.json.result).toEqual([{ number: child.number }]);
  });

  it('clears the parent with an empty string, and never takes a write to child_incidents', async () => {
    const parent = await incident('Mail is down for everyone');
    const child = await incident('Cannot send mail', { parent_incident: parent.sys_id });
    expect((await read(parent.sys_id)).child_incidents).toBe('1');
    await sn('PATCH', `/api/now/table/incident/${child.sys_id}`, { parent_incident: '' });
    expect((await read(child.sys_id)).parent_incident).toBe('');
    await sn('PATCH', `/api/now/table/incident/${parent.sys_id}`, { child_incidents: '7' });
    expect((await read(parent.sys_id)).child_incidents).toBe('0');
  });

  it('stores a reference to a missing sys_id as written: no display value, and its link answers 404', async () => {
    const child = await incident('Cannot send mail');
    const res = await sn('PATCH', `/api/now/table/incident/${child.sys_id}`, { parent_incident: MISSING });
    expect(res.status).toBe(200);
    expect((await read(child.sys_id, '?sysparm_display_value=all')).parent_incident).toMatchObject({
      display_value: '',
      value: MISSING,
    });
    const link = await sn('GET', `/api/now/table/incident/${MISSING}`);
    expect(link.status).toBe(404);
    expect(link.json).toEqual({
      error: { message: 'No Record found', detail: "Record doesn't exist or ACL restricts the record retrieval" },
      status: 'failure',
    });
  });

  it('describes both parent columns in the dictionary as references', async () => {
    const res = await sn(
      'GET',
      `/api/now/table/sys_dictionary?sysparm_fields=element,column_label,internal_type,reference&sysparm_query=${encodeURIComponent('name=incident^elementINparent,parent_incident,child_incidents')}`,
    );
    expect(res.json.result).toEqual(
      expect.arrayContaining([
        { element: 'parent', column_label: 'Parent', internal_type: 'reference', reference: 'task' },
        {
          element: 'parent_incident',
          column_label: 'Parent Incident',
          internal_type: 'reference',
          reference: 'incident',
        },
        { element: 'child_incidents', column_label: 'Child Incidents', internal_type: 'integer', reference: '' },
      ]),
    );
  });
});

describe('the incident page', () => {
  it('shows the Parent Incident and the count of children', async () => {
    const parent = await incident('Mail is down for everyone');
    const child = await incident('Cannot send mail', { parent_incident: parent.sys_id });
    const page = async (id: string) =>
      (await fetch(`${sim.baseUrl}/nav_to.do?uri=${encodeURIComponent(`incident.do?sys_id=${id}`)}`)).text();
    expect(await page(child.sys_id)).toMatch(new RegExp(`Parent Incident</dt>\\s*<dd>${parent.sys_id}<`));
    expect(await page(parent.sys_id)).toMatch(/Child Incidents<\/dt>\s*<dd>1</);
  });
});

describe("task's parent", () => {
  it('names any task, shown by that task’s number', async () => {
    const parent = await incident('Mail is down for everyone');
    const task = await sn('POST', '/api/now/table/sc_task', {
      short_description: 'Replace the mail relay',
      parent: parent.sys_id,
    });
    expect(task.status).toBe(201);
    const shown = await sn('GET', `/api/now/table/sc_task/${task.json.result.sys_id}?sysparm_display_value=all`);
    expect(shown.json.result.parent).toMatchObject({ display_value: parent.number, value: parent.sys_id });
    expect(shown.json.result.parent.link).toMatch(new RegExp(`/api/now/table/task/${parent.sys_id}$`));
  });
});
