/** Calls the Azure DevOps simulator as a script with a PAT would (Basic with an empty user name), for tests and benchmarks. */
import type { AzureDevOpsSim } from './index';
import { readSimResponse, type SimResponse } from '../shared/test-client';

export type AdoResponse<T = unknown> = SimResponse<T>;

export const patAuthorization = (pat: string) => `Basic ${Buffer.from(`:${pat}`).toString('base64')}`;

export interface AdoClientOptions {
  /** Sent as X-Forwarded-Host, as the platform's egress does for https://dev.azure.com (default dev.azure.com). */
  host?: string;
  /** Appended as api-version when the path has none (default 7.1; pass '' to send none). */
  apiVersion?: string;
}

export function azureDevOpsClient(sim: Pick<AzureDevOpsSim, 'baseUrl'>, pat: string, options: AdoClientOptions = {}) {
  const host = options.host ?? 'dev.azure.com';
  const version = options.apiVersion ?? '7.1';
  return async <T = unknown>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<AdoResponse<T>> => {
    const url = new URL(sim.baseUrl + path);
    if (version && !url.searchParams.has('api-version')) url.searchParams.set('api-version', version);
    const isPatch =
      Array.isArray(body) && (method === 'PATCH' || (method === 'POST' && /\/workitems\/(\$|%24)/i.test(path)));
    const raw = body instanceof Uint8Array;
    const res = await fetch(url, {
      method,
      redirect: 'manual',
      headers: {
        accept: 'application/json',
        authorization: patAuthorization(pat),
        'x-forwarded-host': host,
        ...(body === undefined
          ? {}
          : {
              'content-type': raw
                ? 'application/octet-stream'
                : isPatch
                  ? 'application/json-patch+json'
                  : 'application/json',
            }),
        ...headers,
      },
      body: body === undefined ? undefined : raw ? Buffer.from(body) : JSON.stringify(body),
    });
    return readSimResponse<T>(res);
  };
}

/** Field ops for create/update: `patch({ 'System.Title': 'x' })` → `[{op:'add', path:'/fields/System.Title', value:'x'}]`. */
export function patch(
  fields: Record<string, unknown>,
  extra: Array<{ op: string; path: string; value?: unknown }> = [],
) {
  return [...extra, ...Object.entries(fields).map(([k, value]) => ({ op: 'add', path: `/fields/${k}`, value }))];
}

/** The work item shape tests read. */
export interface WorkItemJson {
  id: number;
  rev: number;
  fields: Record<string, unknown> & {
    'System.Title'?: string;
    'System.State'?: string;
    'System.Reason'?: string;
    'System.Rev'?: number;
    'System.ChangedDate'?: string;
    'System.Tags'?: string;
    'System.CommentCount'?: number;
  };
  relations?: Array<{ rel: string; url: string; attributes: Record<string, unknown> }>;
  _links?: Record<string, { href: string }>;
  url: string;
}

export interface IdentityRefJson {
  displayName: string;
  uniqueName: string;
  id: string;
  descriptor: string;
  url: string;
  imageUrl: string;
}

export interface CommentJson {
  id: number;
  workItemId: number;
  version: number;
  text: string;
  renderedText: string;
  format: string;
  isDeleted: boolean;
  createdBy: IdentityRefJson;
  url: string;
}

export interface AdoErrorJson {
  $id: string;
  message: string;
  typeKey: string;
  typeName: string;
  errorCode: number;
  eventId: number;
  innerException: null;
  customProperties?: Record<string, unknown>;
}
