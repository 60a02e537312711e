/**
 * A ticket's comments are read page by page until Zendesk says there are no
 * more: a cursor it gave before, or more pages than a ticket's 5,000 comments
 * fill, stops reading with an `over-limit` failure. (Before, the connector
 * stopped after 60 pages and went on with what it had, as if that were all.)
 */
import { DEMO_CREDENTIALS as ZD, startZendeskSim, type ZendeskSim } from '../../../sandbox/sims/zendesk';
import { SyncError } from '../errors';
import { MAX_COMMENTS } from '../paging';
import { ZendeskConnector } from './client';

let sim: ZendeskSim;
beforeAll(async () => {
  sim = await startZendeskSim();
});
afterAll(() => sim.stop());
beforeEach(() => fetch(`${sim.controlUrl}/reset`, { method: 'POST' }));

const connector = () =>
  new ZendeskConnector({
    baseUrl: sim.baseUrl,
    email: ZD.integration.email,
    apiToken: ZD.apiToken,
    closedTickets: 'follow-up',
  });
const commentReads = async () =>
  ((await (await fetch(`${sim.controlUrl}/requests`)).json()) as Array<{ path: string }>).filter((r) =>
    /\/tickets\/\d+\/comments/.test(r.path),
  ).length;
const failureOf = async (p: Promise<unknown>) => {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(SyncError);
  return (e as SyncError).details;
};
/** The first ticket with `n` more comments than it has, written straight into the simulator's store. */
const seed = (n: number) => {
  const ticket = [...sim.store.tickets.values()][0]!;
  const first = ticket.comments[0]!;
  for (let i = 0; i < n; i++)
    ticket.comments.push({
      ...first,
      id: sim.store.nextId('comment'),
      body: `reply ${i}`,
      html_body: `<p>reply ${i}</p>`,
      plain_body: `reply ${i}`,
    });
  return String(ticket.id);
};

describe("reading a ticket's comments", () => {
  it(`reads a ticket holding ${MAX_COMMENTS.toLocaleString('en-US')} comments to its last`, async () => {
    const added = MAX_COMMENTS - [...sim.store.tickets.values()][0]!.comments.length;
    const id = seed(added);
    const comments = await connector().listComments(id);
    // The first comment is the description, which crosses as a field.
    expect(comments).toHaveLength(MAX_COMMENTS - 1);
    expect(comments.at(-1)!.body).toBe(`<p>reply ${added - 1}</p>`);
  });

  it('stops with over-limit when the pages go on past as many comments as a ticket holds', async () => {
    const id = seed(6500);
    expect(await failureOf(connector().listComments(id))).toEqual({
      system: 'zendesk',
      kind: 'over-limit',
      message: `Read comments of #${id} stopped: Zendesk still had more after 50 pages: Crosswalk reads at most 5,000 comments, as many as a ticket holds`,
    });
    expect(await commentReads()).toBe(50);
  });

  it('stops with over-limit when Zendesk gives a cursor it gave before', async () => {
    const id = seed(0);
    const page = { comments: [], meta: { has_more: true, after_cursor: 'same' }, links: {} };
    await fetch(`${sim.controlUrl}/faults`, {
      method: 'POST',
      body: JSON.stringify({ method: 'GET', path: '/comments', status: 200, body: page, times: 1000 }),
    });
    expect(await failureOf(connector().listComments(id))).toMatchObject({
      kind: 'over-limit',
      message: `Read comments of #${id} stopped: Zendesk gave a page token it had given before, so the listing would never end`,
    });
    expect(await commentReads()).toBe(2);
  });
});
