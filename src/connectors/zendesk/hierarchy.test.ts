/**
 * The connector's problem and incident link against the Zendesk simulator:
 * `problem_id` read with the ticket, written in one conditional PUT, and the
 * type rule said before trying and in Zendesk's words when tried.
 */
import { DEMO_CREDENTIALS as ZD, startZendeskSim, type ZendeskSim } from '../../../sandbox/sims/zendesk';
import { zendeskClient } from '../../../sandbox/sims/zendesk/test-client';
import { SyncError } from '../errors';
import { ZendeskConnector } from './client';
import { syncFailure } from '../../../test/support/sync-error';

let sim: ZendeskSim;
let calls: string[] = [];
let clock = Date.UTC(2026, 10, 24, 9, 0, 0);
const connector = () =>
  new ZendeskConnector({
    baseUrl: sim.baseUrl,
    email: ZD.integration.email,
    apiToken: ZD.apiToken,
    closedTickets: 'report',
    fetch: (input, init) => {
      calls.push(`${init?.method ?? 'GET'} ${new URL(String(input)).pathname}`);
      return fetch(input, init);
    },
  });

beforeAll(async () => {
  sim = await startZendeskSim({ now: () => clock });
});
afterAll(() => sim.stop());
beforeEach(async () => {
  calls = [];
  clock = Date.UTC(2026, 10, 24, 9, 0, 0);
  await fetch(`${sim.controlUrl}/reset`, { method: 'POST' });
});

const create = (zd: ZendeskConnector, type: string, subject: string) =>
  zd.createItem({ subject, description: `<p>${subject}</p>`, type }, `crosswalk:${subject}`);
const failure = syncFailure;

describe('Zendesk hierarchy', () => {
  it('declares problem and incident: a problem is the parent, an incident the child, one level', () => {
    expect(connector().hierarchy).toMatchObject({
      label: 'Problem',
      field: 'problem_id',
      rules: { oneParent: true, typeField: 'type', parentTypes: ['problem'], childTypes: ['incident'], nested: false },
    });
  });

  it('links, reads back and unlinks an incident, one PUT each, answering the ticket as stored', async () => {
    const zd = connector();
    const problem = await create(zd, 'problem', 'Mail is down');
    const incident = await create(zd, 'incident', 'Cannot send mail');
    expect(zd.hierarchy.parentOf(incident)).toBeUndefined();
    calls = [];
    clock += 2000;
    const linked = await zd.hierarchy.setParent(incident.id, problem.id, incident.version);
    expect(calls).toEqual([`PUT /api/v2/tickets/${incident.id}`]);
    expect(zd.hierarchy.parentOf(linked)).toBe(problem.id);
    expect(zd.hierarchy.parentOf((await zd.getItem(incident.id))!)).toBe(problem.id);
    clock += 2000;
    const unlinked = await zd.hierarchy.setParent(incident.id, undefined, linked.version);
    expect(zd.hierarchy.parentOf(unlinked)).toBeUndefined();
  });

  it('says before trying why a link cannot be made: the child must be an incident, the parent a problem', async () => {
    const zd = connector();
    const problem = await create(zd, 'problem', 'Mail is down');
    const incident = await create(zd, 'incident', 'Cannot send mail');
    const question = await create(zd, 'question', 'How do I send mail?');
    const h = zd.hierarchy;
    expect(h.refusal(incident, problem)).toBeUndefined();
    expect(h.refusal(question, problem)).toBe(
      `In Zendesk only an incident is linked to a problem; #${question.id} is a question`,
    );
    expect(h.refusal(incident, question)).toBe(
      `In Zendesk only a problem ticket has incidents; #${question.id} is a question`,
    );
    expect(h.refusal(problem, problem)).toBe(`#${problem.id} cannot be its own problem`);
    expect(h.refusal(question, undefined)).toBeUndefined();
  });

  it("passes Zendesk's refusal on in its words when tried anyway, and never changes the ticket's type", async () => {
    const zd = connector();
    const incident = await create(zd, 'incident', 'Cannot send mail');
    const question = await create(zd, 'question', 'How do I send mail?');
    const e = await failure(zd.hierarchy.setParent(incident.id, question.id));
    expect(e.kind).toBe('validation');
    expect(JSON.stringify(e.details)).toMatch(/must be a ticket of type problem/);
    const after = (await zd.getItem(incident.id))!;
    expect([after.fields.type, zd.hierarchy.parentOf(after)]).toEqual(['incident', undefined]);
  });

  it('refuses to write over a change since the version named, as a conflict', async () => {
    const zd = connector();
    const problem = await create(zd, 'problem', 'Mail is down');
    const incident = await create(zd, 'incident', 'Cannot send mail');
    clock += 2000;
    await zendeskClient(sim, ZD.agent)('PUT', `/api/v2/tickets/${incident.id}.json`, {
      ticket: { subject: 'Changed by an agent' },
    });
    const e = await failure(zd.hierarchy.setParent(incident.id, problem.id, incident.version));
    expect(e.kind).toBe('conflict');
    expect(zd.hierarchy.parentOf((await zd.getItem(incident.id))!)).toBeUndefined();
  });
});
