/** Calls the Freshservice simulator as an integration would (Basic `<apikey>:X`), for tests and the model adapter. */
import type { FreshserviceSim } from './index';
import { readSimResponse, type SimResponse } from '../shared/test-client';

export type FreshserviceAuth = { apiKey: string } | { email: string; password: string } | { none: true };

export type FreshserviceResponse<T = unknown> = SimResponse<T>;

export function authorization(auth: FreshserviceAuth): string | undefined {
  if ('none' in auth) return undefined;
  const user = 'apiKey' in auth ? `${auth.apiKey}:X` : `${auth.email}:${auth.password}`;
  return `Basic ${Buffer.from(user).toString('base64')}`;
}

/**
 * `call<T>(method, path, body?)`: a plain object is sent as JSON; a FormData
 * is sent as multipart (how files travel: `attachments[]` parts).
 */
export function freshserviceClient(
  sim: Pick<FreshserviceSim, 'baseUrl'>,
  auth: FreshserviceAuth,
  defaults: Record<string, string> = {},
) {
  const authHeader = authorization(auth);
  return async <T = Record<string, unknown>>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<FreshserviceResponse<T>> => {
    const form = body instanceof FormData;
    const res = await fetch(sim.baseUrl + path, {
      method,
      headers: {
        accept: 'application/json',
        ...(authHeader ? { authorization: authHeader } : {}),
        ...(body !== undefined && !form ? { 'content-type': 'application/json' } : {}),
        ...defaults,
        ...headers,
      },
      body: form ? body : body === undefined ? undefined : JSON.stringify(body),
    });
    return readSimResponse<T>(res);
  };
}
