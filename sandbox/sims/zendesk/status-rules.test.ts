/**
 * Zendesk's status rules as a client meets them through the Tickets API: a
 * ticket with an assignee is never New. Asked for "new", an assigned ticket
 * answers "open" (no error: the update succeeds with another status), which is
 * what the sync engine must notice (src/sync/not-taken.ts).
 */
import { DEMO_CREDENTIALS, startZendeskSim, type ZendeskSim } from './index';
import type { TicketJson } from './serialize';
import { zendeskClient } from './test-client';

let sim: ZendeskSim;
let zd: ReturnType<typeof zendeskClient>;
type TicketRes = { ticket: TicketJson };

beforeAll(async () => {
  sim = await startZendeskSim({ now: () => Date.UTC(2026, 10, 24, 9, 0, 0) });
  zd = zendeskClient(sim, DEMO_CREDENTIALS.integration, { 'x-forwarded-host': 'acme.zendesk.com' });
});
afterAll(() => sim.stop());

const create = async (ticket: Record<string, unknown> = {}) =>
  (
    await zd<TicketRes>('POST', '/api/v2/tickets.json', {
      ticket: { subject: 'Refund sent to the old card', comment: { body: 'Please check.' }, ...ticket },
    })
  ).json.ticket;
const update = async (id: number, ticket: Record<string, unknown>) => {
  const res = await zd<TicketRes>('PUT', `/api/v2/tickets/${id}.json`, { ticket });
  expect(res.status).toBe(200);
  return res.json.ticket;
};

describe('Zendesk never returns an assigned ticket to New', () => {
  it('a solved ticket (solving assigned it) asked back to "new" is open', async () => {
    const t = await create();
    expect(t).toMatchObject({ status: 'new', assignee_id: null });
    const solved = await update(t.id, { status: 'solved' });
    expect(solved.assignee_id).not.toBeNull();
    expect(await update(t.id, { status: 'new' })).toMatchObject({ status: 'open' });
  });

  it('a ticket made with an assignee starts open, and stays open when asked for "new"', async () => {
    const agent = sim.store.userByEmail(DEMO_CREDENTIALS.agent.email)!;
    const t = await create({ assignee_id: agent.id, status: 'new' });
    expect(t.status).toBe('open');
    expect(await update(t.id, { status: 'new' })).toMatchObject({ status: 'open' });
  });
});
