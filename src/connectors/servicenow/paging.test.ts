/**
 * The ServiceNow journal and attachment lists are read in pages of
 * `sysparm_limit`: without it ServiceNow answers up to its default row count in
 * one body and silently leaves out the rest. Past what a Jira issue can hold,
 * reading stops with an `over-limit` failure that says why.
 */
import { DEMO_CREDENTIALS, startServiceNowSim, type ServiceNowSim } from '../../../sandbox/sims/servicenow';
import { SyncError } from '../errors';
import { MAX_COMMENTS } from '../paging';
import { ServiceNowConnector } from './client';

let sim: ServiceNowSim;
beforeAll(async () => {
  sim = await startServiceNowSim();
});
afterAll(() => sim.stop());
beforeEach(() => fetch(`${sim.controlUrl}/reset`, { method: 'POST' }));

const routed: typeof fetch = (input, init) => {
  const url = new URL(String(input));
  const headers = new Headers(init?.headers);
  headers.set('x-forwarded-host', url.host);
  return fetch(sim.baseUrl + url.pathname + url.search, { ...init, headers });
};
const connector = () =>
  new ServiceNowConnector({
    baseUrl: 'https://acme.service-now.com',
    table: 'incident',
    auth: { kind: 'basic', ...DEMO_CREDENTIALS.integration },
    fetch: routed,
  });
const requests = async (path: string) =>
  ((await (await fetch(`${sim.controlUrl}/requests`)).json()) as Array<{ path: string; query: string }>).filter(
    (r) => r.path === path,
  );
const failureOf = async (p: Promise<unknown>) => {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(SyncError);
  return (e as SyncError).details;
};
const incident = () => sim.store.rows('incident')[0]!.sys_id!;
const journal = (n: number) => {
  for (let i = 0; i < n; i++)
    sim.store.journal('incident', incident(), i % 2 ? 'work_notes' : 'comments', `entry ${i + 1}`, 'beth.agent');
};

describe("reading an incident's journal", () => {
  it('reads every entry, in pages of 500', async () => {
    journal(1200);
    const before = (await connector().listComments(incident())).length;
    expect(before).toBe(1200);
    const pages = await requests('/api/now/table/sys_journal_field');
    expect(pages.map((r) => new URLSearchParams(r.query).get('sysparm_offset'))).toEqual(['0', '500', '1000']);
    expect(pages.every((r) => new URLSearchParams(r.query).get('sysparm_limit') === '500')).toBe(true);
  });

  it(`stops with over-limit past ${MAX_COMMENTS.toLocaleString('en-US')} entries, as many comments as a Jira issue holds`, async () => {
    journal(MAX_COMMENTS + 1);
    expect(await failureOf(connector().listComments(incident()))).toEqual({
      system: 'servicenow',
      kind: 'over-limit',
      message:
        'Read journal stopped: ServiceNow still had more after 10 pages: Crosswalk reads at most 5,000 journal entries, as many comments as a Jira issue holds',
    });
  });
});

describe("listing an incident's attachments", () => {
  it('asks in pages of 500', async () => {
    await connector().listAttachments(incident());
    const [page] = await requests('/api/now/attachment');
    expect(new URLSearchParams(page!.query).get('sysparm_limit')).toBe('500');
  });
});
