/**
 * Test support: a fetch that answers as GitHub's API would, from routes a test
 * gives (each a method and a path with its query), recording every request.
 * Shapes follow the examples of GitHub's OpenAPI description
 * (/work/shared/specs/github/issues-subset.json).
 */
export interface Sent {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: unknown;
}

export type Route = (request: Sent) => Response | undefined;

export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(status === 204 || status === 304 ? null : JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
  });
}

export function fakeGitHub(...routes: Route[]): { fetch: typeof fetch; sent: Sent[] } {
  const sent: Sent[] = [];
  const fake = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries((init?.headers ?? {}) as Record<string, string>)) headers[k.toLowerCase()] = v;
    const request: Sent = {
      method: init?.method ?? 'GET',
      url: String(input),
      headers,
      ...(typeof init?.body === 'string' ? { body: JSON.parse(init.body) as unknown } : {}),
    };
    sent.push(request);
    for (const route of routes) {
      const res = route(request);
      if (res) return Promise.resolve(res);
    }
    return Promise.resolve(json(404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' }));
  };
  return { fetch: fake as typeof fetch, sent };
}

/** A route for one method and path (the path of the URL after the API origin, query included when given). */
export function on(method: string, path: string | RegExp, answer: (request: Sent) => Response): Route {
  return (request) => {
    if (request.method !== method) return undefined;
    const url = new URL(request.url);
    const target = typeof path === 'string' && path.includes('?') ? url.pathname + url.search : url.pathname;
    const hit = typeof path === 'string' ? target === path : path.test(url.pathname + url.search);
    return hit ? answer(request) : undefined;
  };
}

/** An issue as `GET /repos/{owner}/{repo}/issues/{n}` answers it (the spec's `issue` example, cut to what matters). */
export function issueJson(over: Record<string, unknown> = {}): Record<string, unknown> {
  const number = (over.number as number | undefined) ?? 1347;
  return {
    id: 1296269 + number,
    node_id: 'MDU6SXNzdWUx',
    url: `https://api.github.com/repos/octocat/Hello-World/issues/${number}`,
    repository_url: 'https://api.github.com/repos/octocat/Hello-World',
    html_url: `https://github.com/octocat/Hello-World/issues/${number}`,
    number,
    state: 'open',
    state_reason: null,
    title: 'Found a bug',
    body: "I'm having a problem with this.",
    user: { login: 'octocat', id: 1 },
    labels: [{ id: 208045946, name: 'bug', color: 'f29513' }],
    assignees: [{ login: 'octocat', id: 1 }],
    milestone: null,
    locked: false,
    comments: 0,
    created_at: '2011-04-22T13:33:48Z',
    updated_at: '2011-04-22T13:33:48Z',
    closed_at: null,
    parent_issue_url: null,
    ...over,
  };
}
