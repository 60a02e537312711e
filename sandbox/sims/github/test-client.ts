/** Calls the GitHub simulator as a client would (a token, or nothing), for tests, adapters and benchmarks. */
import type { GitHubSim } from './index';
import { readSimResponse, type SimResponse } from '../shared/test-client';

export type GitHubResponse<T = unknown> = SimResponse<T>;

/**
 * `call<T>(method, path, body?, headers?)`: JSON in and out, with GitHub's
 * recommended `Accept` and API version unless the caller overrides them.
 */
export function gitHubClient(
  sim: Pick<GitHubSim, 'baseUrl'>,
  token: string | undefined,
  defaults: Record<string, string> = {},
) {
  return async <T = Record<string, unknown>>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<GitHubResponse<T>> => {
    const res = await fetch(sim.baseUrl + path, {
      method,
      redirect: 'manual',
      headers: {
        accept: 'application/vnd.github+json',
        'x-github-api-version': '2022-11-28',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...defaults,
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return readSimResponse<T>(res);
  };
}
