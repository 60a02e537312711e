/** Calls the ServiceNow simulator as a person or script would (Basic auth), for tests and benchmarks. */
import type { ServiceNowSim } from './index';

export function serviceNowClient(
  sim: Pick<ServiceNowSim, 'baseUrl'>,
  credentials: { username: string; password: string },
) {
  const authorization = `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
  return async (method: string, path: string, body?: unknown): Promise<{ status: number; json: any }> => {
    const res = await fetch(sim.baseUrl + path, {
      method,
      headers: { authorization, accept: 'application/json', 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, json: text ? JSON.parse(text) : undefined };
  };
}
