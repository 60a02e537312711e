/**
 * Problem and incident tickets as Zendesk links them: an incident names its
 * problem in `problem_id`, the problem answers `has_incidents` and lists them
 * (`/tickets/{id}/incidents`), and a link Zendesk would not keep is refused
 * with 422 on `problem_id` (a ticket that is no problem, a missing one, a
 * ticket that is no incident) or dropped (a ticket whose type leaves incident).
 */
import { DEMO_CREDENTIALS, startZendeskSim, type ZendeskSim } from './index';
import type { TicketJson } from './serialize';
import { zendeskClient } from './test-client';

let sim: ZendeskSim;
let zd: ReturnType<typeof zendeskClient>;

type TicketRes = { ticket: TicketJson; audit: { events: Array<Record<string, unknown>> } };
type ErrorRes = { error: string; details?: Record<string, Array<{ description: string; error?: string }>> };

beforeAll(async () => {
  sim = await startZendeskSim({ now: () => Date.UTC(2026, 10, 24, 9, 0, 0) });
  zd = zendeskClient(sim, DEMO_CREDENTIALS.integration, { 'x-forwarded-host': 'acme.zendesk.com' });
});
afterAll(() => sim.stop());
beforeEach(async () => {
  await fetch(`${sim.controlUrl}/reset`, { method: 'POST' });
});

const create = async (ticket: Record<string, unknown>) => {
  const res = await zd<TicketRes>('POST', '/api/v2/tickets.json', {
    ticket: { subject: 'Mail', comment: { body: 'Mail is down.' }, ...ticket },
  });
  expect(res.status).toBe(201);
  return res.json.ticket;
};
const put = (id: number, ticket: Record<string, unknown>) =>
  zd<TicketRes & ErrorRes>('PUT', `/api/v2/tickets/${id}.json`, { ticket });
const get = async (id: number) => (await zd<TicketRes>('GET', `/api/v2/tickets/${id}.json`)).json.ticket;
const refusal = (description: string) => ({
  error: 'RecordInvalid',
  description: 'Record validation errors',
  details: { problem_id: [{ description, error: 'InvalidValue' }] },
});

describe('problems and incidents', () => {
  it('links an incident to its problem in one write, audited, and the problem lists it', async () => {
    const problem = await create({ type: 'problem' });
    const incident = await create({ type: 'incident' });
    expect(incident.problem_id).toBeNull();
    expect(problem.has_incidents).toBe(false);
    const res = await put(incident.id, { problem_id: problem.id });
    expect(res.status).toBe(200);
    expect(res.json.ticket.problem_id).toBe(problem.id);
    expect(res.json.audit.events).toContainEqual(
      expect.objectContaining({ type: 'Change', field_name: 'problem_id', value: problem.id, previous_value: null }),
    );
    expect((await get(problem.id)).has_incidents).toBe(true);
    const listed = await zd<{ tickets: TicketJson[]; count: number }>(
      'GET',
      `/api/v2/tickets/${problem.id}/incidents.json`,
    );
    expect(listed.json.tickets.map((t) => t.id)).toEqual([incident.id]);
  });

  it('takes the type and the link together, on create or update', async () => {
    const problem = await create({ type: 'problem' });
    expect((await create({ type: 'incident', problem_id: problem.id })).problem_id).toBe(problem.id);
    const question = await create({ type: 'question' });
    expect((await put(question.id, { type: 'incident', problem_id: problem.id })).json.ticket.problem_id).toBe(
      problem.id,
    );
  });

  it('refuses a link to a ticket that is no problem, to a missing ticket, and on a ticket that is no incident', async () => {
    const task = await create({ type: 'task' });
    const problem = await create({ type: 'problem' });
    const incident = await create({ type: 'incident' });
    const notProblem = await put(incident.id, { problem_id: task.id });
    expect(notProblem.status).toBe(422);
    expect(notProblem.json).toEqual(refusal('Problem: must be a ticket of type problem'));
    expect((await put(incident.id, { problem_id: 99999 })).json).toEqual(refusal('Problem: is invalid'));
    expect((await put(task.id, { problem_id: problem.id })).json).toEqual(
      refusal('Problem: can only be set on a ticket of type incident'),
    );
    // Nothing of a refused write is kept.
    expect((await get(incident.id)).problem_id).toBeNull();
  });

  it('unlinks with null, and drops the link when the ticket stops being an incident', async () => {
    const problem = await create({ type: 'problem' });
    const a = await create({ type: 'incident', problem_id: problem.id });
    const b = await create({ type: 'incident', problem_id: problem.id });
    expect((await put(a.id, { problem_id: null })).json.ticket.problem_id).toBeNull();
    const retyped = await put(b.id, { type: 'question' });
    expect(retyped.json.ticket.problem_id).toBeNull();
    expect(retyped.json.audit.events).toContainEqual(
      expect.objectContaining({ field_name: 'problem_id', value: null, previous_value: problem.id }),
    );
    expect((await get(problem.id)).has_incidents).toBe(false);
  });

  it('shows the problem on the incident’s page', async () => {
    const problem = await create({ type: 'problem' });
    const incident = await create({ type: 'incident', problem_id: problem.id });
    const page = await (await fetch(`${sim.baseUrl}/agent/tickets/${incident.id}`)).text();
    expect(page).toMatch(new RegExp(`Problem</dt>\\s*<dd>#${problem.id}<`));
  });
});
