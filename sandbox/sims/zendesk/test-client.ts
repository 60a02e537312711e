/** Calls the Zendesk simulator as an integration would (API token or OAuth), for tests and benchmarks. */
import type { ZendeskSim } from './index';
import { readSimResponse, type SimResponse } from '../shared/test-client';

export type ZendeskAuth = { email: string; apiToken: string } | { bearer: string } | { none: true };

export type ZendeskResponse<T = unknown> = SimResponse<T>;

export function authorization(auth: ZendeskAuth): string | undefined {
  if ('none' in auth) return undefined;
  if ('bearer' in auth) return `Bearer ${auth.bearer}`;
  return `Basic ${Buffer.from(`${auth.email}/token:${auth.apiToken}`).toString('base64')}`;
}

/**
 * `call<T>(method, path, body?)`: JSON bodies are sent as JSON; a Buffer or
 * Uint8Array is sent raw (uploads) with the given `content-type` header.
 */
export function zendeskClient(
  sim: Pick<ZendeskSim, 'baseUrl'>,
  auth: ZendeskAuth,
  defaults: Record<string, string> = {},
) {
  const authHeader = authorization(auth);
  return async <T = Record<string, unknown>>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<ZendeskResponse<T>> => {
    const raw = body instanceof Uint8Array;
    const res = await fetch(sim.baseUrl + path, {
      method,
      headers: {
        accept: 'application/json',
        ...(authHeader ? { authorization: authHeader } : {}),
        ...(body !== undefined && !raw ? { 'content-type': 'application/json' } : {}),
        ...defaults,
        ...headers,
      },
      body: raw ? Buffer.from(body) : body === undefined ? undefined : JSON.stringify(body),
    });
    return readSimResponse<T>(res);
  };
}
