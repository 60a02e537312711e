/** A small client for driving the Jira simulator in tests, as a person (Basic auth) or as the platform. */
import type { JiraSim } from './index';

export type Caller =
  | { as: 'admin' | 'project-lead' | 'member' | 'customer' }
  | { as: 'app' }
  | { as: 'anonymous' }
  | { as: 'platform-user'; accountId: string };

export function jiraClient(sim: JiraSim, platformToken: string) {
  const authHeaders = (caller: Caller): Record<string, string> => {
    if (caller.as === 'anonymous') return {};
    if (caller.as === 'app') return { 'x-forge-platform-token': platformToken, 'x-forge-principal': 'app' };
    if (caller.as === 'platform-user')
      return { 'x-forge-platform-token': platformToken, 'x-forge-principal': `user:${caller.accountId}` };
    const u = sim.site.state.users.find((x) => x.role === caller.as)!;
    return { authorization: `Basic ${Buffer.from(`${u.emailAddress}:${u.apiToken}`).toString('base64')}` };
  };
  const request = async (
    caller: Caller,
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ) => {
    const init: RequestInit = {
      method,
      headers: { accept: 'application/json', ...authHeaders(caller), ...headers },
      redirect: 'manual',
    };
    if (body instanceof FormData) init.body = body;
    else if (body !== undefined) {
      init.body = JSON.stringify(body);
      (init.headers as Record<string, string>)['content-type'] = 'application/json';
    }
    const res = await fetch(sim.baseUrl + path, init);
    const text = await res.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = text;
    }
    return { status: res.status, headers: res.headers, json: json as any, text };
  };
  const userId = (role: string) => sim.site.state.users.find((u) => u.role === role)!.accountId;
  return { request, userId };
}

export const adf = (text: string) => ({
  version: 1,
  type: 'doc',
  content: [{ type: 'paragraph', content: [{ type: 'text', text }] }],
});
