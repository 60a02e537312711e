/**
 * For tests: a fetch that answers a Freshservice account's routes from a
 * table, in the documented shapes, and records every request it was sent.
 */
export interface SentRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Headers;
  body: RequestInit['body'];
}

export type Route = (request: SentRequest) => Response | undefined;

export const json = (status: number, body: unknown, headers: Record<string, string> = {}): Response =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

export function fakeAccount(...routes: Route[]): { fetch: typeof fetch; sent: SentRequest[] } {
  const sent: SentRequest[] = [];
  const fake = (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    const request: SentRequest = {
      method: init.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      headers: new Headers(init.headers),
      body: init.body,
    };
    sent.push(request);
    for (const route of routes) {
      const answer = route(request);
      if (answer) return Promise.resolve(answer);
    }
    return Promise.resolve(
      json(404, { description: 'Record not found', errors: [{ message: 'no route', code: 'not_found' }] }),
    );
  };
  return { fetch: fake as typeof fetch, sent };
}

/** A route answering `method path` (path exactly, query ignored). */
export const on =
  (method: string, path: string | RegExp, answer: (request: SentRequest) => Response): Route =>
  (request) =>
    request.method === method && (typeof path === 'string' ? request.path === path : path.test(request.path))
      ? answer(request)
      : undefined;

export const ticket = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
  id: 12,
  subject: 'Printer on fire',
  description: '<div>It smokes</div>',
  status: 2,
  priority: 3,
  urgency: 1,
  impact: 1,
  type: 'Incident',
  group_id: null,
  responder_id: null,
  requester_id: 21000000002,
  workspace_id: 2,
  tags: ['printer'],
  custom_fields: { crosswalk_id: null, cost_center: 'IT' },
  attachments: [],
  created_at: '2026-12-07T10:00:00Z',
  updated_at: '2026-12-07T10:05:00Z',
  ...over,
});

export const INTEGRATION_AGENT = {
  id: 21000000001,
  first_name: 'Crosswalk',
  last_name: 'Integration',
  email: 'crosswalk@acme.example',
  active: true,
};

/** The integration agent, found by its email. */
export const integrationAgentRoute: Route = on('GET', '/api/v2/agents', (r) =>
  json(200, { agents: r.query.get('email') === INTEGRATION_AGENT.email ? [INTEGRATION_AGENT] : [] }),
);
