/**
 * Azure DevOps listings end where the service says, and nowhere else: past
 * what a Jira issue can hold, or when the service hands out a page token it
 * gave before, reading stops with an `over-limit` failure that says why (the
 * loop had no bound: a repeated token read forever).
 */
import { DEMO_CREDENTIALS, startAzureDevOpsSim, type AzureDevOpsSim } from '../../../sandbox/sims/azure-devops';
import { SyncError } from '../errors';
import { MAX_COMMENTS } from '../paging';
import { AzureDevOpsConnector } from './client';

let sim: AzureDevOpsSim;
beforeAll(async () => {
  sim = await startAzureDevOpsSim();
});
afterAll(() => sim.stop());
beforeEach(() => fetch(`${sim.controlUrl}/reset`, { method: 'POST' }));

const viaSim: typeof fetch = async (input, init) => {
  const u = new URL(String(input));
  const headers = new Headers(init?.headers);
  headers.set('x-forwarded-host', u.host);
  return fetch(`${sim.baseUrl}${u.pathname}${u.search}`, { ...init, headers });
};
const connector = () =>
  new AzureDevOpsConnector({
    baseUrl: 'https://dev.azure.com/acme',
    project: 'Operations',
    workItemType: 'Bug',
    pat: DEMO_CREDENTIALS.integration.pat,
    user: DEMO_CREDENTIALS.integration.uniqueName,
    fetch: viaSim,
  });
const fault = (body: unknown) => fetch(`${sim.controlUrl}/faults`, { method: 'POST', body: JSON.stringify(body) });
const requests = async (part: string) =>
  ((await (await fetch(`${sim.controlUrl}/requests`)).json()) as Array<{ path: string }>).filter((r) =>
    r.path.includes(part),
  ).length;
const failureOf = async (p: Promise<unknown>) => {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(SyncError);
  return (e as SyncError).details;
};

/** Work item 1 with `n` comments by Dana, written straight into the simulator's store. */
function seedComments(n: number): void {
  const org = sim.store.org('acme')!;
  const item = sim.store.items(org).get(1)!;
  const at = Date.parse('2026-01-05T10:00:00Z');
  const dana = sim.store.identityByPat(DEMO_CREDENTIALS.agent.pat)!.id;
  for (let i = 0; i < n; i++) {
    const text = `<p>note ${i + 1}</p>`;
    item.comments.push({
      id: ++sim.store.counters.comment,
      workItemId: 1,
      createdBy: dana,
      createdDate: at + i,
      versions: [
        {
          version: 1,
          text,
          renderedText: text,
          format: 'html',
          modifiedBy: dana,
          modifiedDate: at + i,
          isDeleted: false,
        },
      ],
    });
  }
}

describe('reading the comments of a work item', () => {
  it(`reads all of ${MAX_COMMENTS.toLocaleString('en-US')} comments, in pages of 200`, async () => {
    seedComments(MAX_COMMENTS);
    const comments = await connector().listComments('1');
    expect(comments).toHaveLength(MAX_COMMENTS);
    expect(comments.at(-1)!.body).toBe(`<p>note ${MAX_COMMENTS}</p>`);
    expect(await requests('/comments')).toBe(MAX_COMMENTS / 200);
  });

  it('stops with over-limit past as many comments as a Jira issue holds', async () => {
    seedComments(MAX_COMMENTS + 1);
    expect(await failureOf(connector().listComments('1'))).toEqual({
      system: 'azure-devops',
      kind: 'over-limit',
      message:
        'Read comments of work item 1 stopped: Azure DevOps still had more after 25 pages: Crosswalk reads at most 5,000 comments, as many as a Jira issue holds',
    });
    expect(await requests('/comments')).toBe(25);
  });

  it('stops with over-limit when the service gives a continuation token it gave before', async () => {
    const page = {
      totalCount: 2,
      count: 1,
      comments: [
        {
          workItemId: 1,
          id: 7,
          version: 1,
          text: '<p>again</p>',
          createdBy: { displayName: 'Dana Agent', uniqueName: DEMO_CREDENTIALS.agent.uniqueName },
          createdDate: '2026-01-05T10:00:00Z',
          isDeleted: false,
        },
      ],
      continuationToken: 'c2FtZQ',
    };
    await fault({ method: 'GET', path: '/comments', status: 200, body: page, times: 1000 });
    expect(await failureOf(connector().listComments('1'))).toEqual({
      system: 'azure-devops',
      kind: 'over-limit',
      message:
        'Read comments of work item 1 stopped: Azure DevOps gave a page token it had given before, so the listing would never end',
    });
    expect(await requests('/comments')).toBe(2);
  });
});

describe("reading a work item's history", () => {
  it('stops with over-limit when full pages of updates never end', async () => {
    const update = {
      id: 1,
      workItemId: 1,
      rev: 1,
      revisedBy: { displayName: 'Dana Agent', uniqueName: DEMO_CREDENTIALS.agent.uniqueName },
      revisedDate: '2026-01-05T10:00:00Z',
      fields: { 'System.ChangedDate': { newValue: '2026-01-05T10:00:00Z' } },
    };
    const full = { count: 200, value: Array.from({ length: 200 }, (_, i) => ({ ...update, id: i + 1, rev: i + 1 })) };
    await fault({ method: 'GET', path: '/updates', status: 200, body: full, times: 1000 });
    expect(await failureOf(connector().fieldChangesSince('1', 0))).toMatchObject({
      kind: 'over-limit',
      message:
        "Read the history of work item 1 stopped: Azure DevOps still had more after 50 pages: Crosswalk reads at most 10,000 updates of a work item's history",
    });
    expect(await requests('/updates')).toBe(50);
  });
});
