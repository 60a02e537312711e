/**
 * The connector's parent record against the ServiceNow simulator: the
 * incident's Parent Incident (task's parent on other tables), read with the
 * record, written in one PATCH once the parent is known to exist.
 */
import { DEMO_CREDENTIALS, startServiceNowSim, type ServiceNowSim } from '../../../sandbox/sims/servicenow';
import { SyncError } from '../errors';
import { ServiceNowConnector } from './client';
import { syncFailure } from '../../../test/support/sync-error';

let sim: ServiceNowSim;
let calls: string[] = [];
const routed: typeof fetch = (input, init) => {
  const url = new URL(String(input));
  calls.push(`${init?.method ?? 'GET'} ${url.pathname}`);
  const headers = new Headers(init?.headers);
  headers.set('x-forwarded-host', url.host);
  return fetch(`${sim.baseUrl}${url.pathname}${url.search}`, { ...init, headers });
};
const connector = (table = 'incident') =>
  new ServiceNowConnector({
    baseUrl: 'https://acme.service-now.com',
    table,
    auth: { kind: 'basic', ...DEMO_CREDENTIALS.integration },
    fetch: routed,
  });
const MISSING = '0123456789abcdef0123456789abcdef';

beforeAll(async () => {
  sim = await startServiceNowSim();
});
afterAll(() => sim.stop());
beforeEach(async () => {
  calls = [];
  await fetch(`${sim.controlUrl}/reset`, { method: 'POST' });
});

const failure = syncFailure;

describe('ServiceNow hierarchy', () => {
  it("declares the incident's Parent Incident, and task's parent on other tables", () => {
    expect(connector().hierarchy).toMatchObject({
      label: 'Parent Incident',
      field: 'parent_incident',
      rules: { oneParent: true, nested: true, refusesCycles: false, scope: 'incident records' },
    });
    expect(connector('sc_task').hierarchy).toMatchObject({ label: 'Parent', field: 'parent' });
  });

  it('sets the parent in one PATCH after reading that the parent exists, and reads it back with the record', async () => {
    const sn = connector();
    const parent = await sn.createItem({ short_description: 'Mail is down for everyone' }, 'crosswalk:1');
    const child = await sn.createItem({ short_description: 'Cannot send mail' }, 'crosswalk:2');
    expect(sn.hierarchy.parentOf(child)).toBeUndefined();
    calls = [];
    const linked = await sn.hierarchy.setParent(child.id, parent.id);
    expect(calls).toEqual([`GET /api/now/table/incident/${parent.id}`, `PATCH /api/now/table/incident/${child.id}`]);
    expect(sn.hierarchy.parentOf(linked)).toBe(parent.id);
    expect(linked.version).toBe('1');
    expect(sn.hierarchy.parentOf((await sn.getItem(child.id))!)).toBe(parent.id);
    expect((await sn.getItem(parent.id))!.fields.child_incidents).toBe('1');
  });

  it('clears the parent in one PATCH', async () => {
    const sn = connector();
    const parent = await sn.createItem({ short_description: 'Mail is down for everyone' }, 'crosswalk:1');
    const child = await sn.createItem(
      { short_description: 'Cannot send mail', parent_incident: parent.id },
      'crosswalk:2',
    );
    expect(sn.hierarchy.parentOf(child)).toBe(parent.id);
    calls = [];
    const cleared = await sn.hierarchy.setParent(child.id, undefined);
    expect(calls).toHaveLength(1);
    expect(sn.hierarchy.parentOf(cleared)).toBeUndefined();
  });

  it('refuses a parent that does not exist, as not-found, writing nothing (the instance would store it)', async () => {
    const sn = connector();
    const child = await sn.createItem({ short_description: 'Cannot send mail' }, 'crosswalk:2');
    const e = await failure(sn.hierarchy.setParent(child.id, MISSING));
    expect(e.kind).toBe('not-found');
    expect(e.message).toMatch(/parent incident record .* does not exist/);
    expect(sn.hierarchy.parentOf((await sn.getItem(child.id))!)).toBeUndefined();
  });

  it("writes task's parent on a catalog task", async () => {
    const sn = connector('sc_task');
    const parent = await sn.createItem({ short_description: 'Replace the mail relay' }, 'crosswalk:1');
    const child = await sn.createItem({ short_description: 'Order the hardware' }, 'crosswalk:2');
    expect(sn.hierarchy.parentOf(await sn.hierarchy.setParent(child.id, parent.id))).toBe(parent.id);
  });

  it('says an item cannot be its own parent', async () => {
    const sn = connector();
    const item = await sn.createItem({ short_description: 'Cannot send mail' }, 'crosswalk:2');
    expect(sn.hierarchy.refusal(item, item)).toBe(`${item.displayKey} cannot be its own parent`);
    expect(sn.hierarchy.refusal(item, undefined)).toBeUndefined();
  });
});
