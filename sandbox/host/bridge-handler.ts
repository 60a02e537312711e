import * as z from 'zod';
import { EgressRequestError, type Platform } from '../platform';
import { PLATFORM_PRINCIPAL_HEADER, PLATFORM_TOKEN_HEADER } from '../platform/contracts';
import type { Frame } from './frames';

/**
 * The server side of the host's bridge: the calls @forge/bridge makes that Jira
 * answers from its back end (`invoke`, `getContext`, `fetchProduct`, and
 * `permissions.egress`, whose approval dialog the host page shows).
 */
export interface BridgeDeps {
  platform: Platform;
  installationId: string;
  jiraBaseUrl: string;
  hostUrl: () => string;
}

export type BridgeAnswer = { ok: true; value: unknown } | { ok: false; error: string };

const invokePayload = z.object({
  functionKey: z.string(),
  payload: z.record(z.string(), z.unknown()).optional().nullable(),
});
const fetchPayload = z.object({
  product: z.string(),
  restPath: z.string(),
  fetchRequestInit: z
    .object({
      method: z.string().optional(),
      body: z.string().nullable().optional(),
      headers: z.array(z.tuple([z.string(), z.string()])).optional(),
    })
    .loose()
    .optional(),
  isMultipartFormData: z.boolean().optional(),
});

export function viewContext(deps: BridgeDeps, frame: Frame): Record<string, unknown> {
  const inst = deps.platform.installation(deps.installationId);
  return {
    accountId: frame.accountId,
    cloudId: inst.cloudId,
    siteUrl: inst.siteUrl,
    localId: frame.localId,
    locale: 'en-US',
    timezone: 'UTC',
    moduleKey: frame.moduleKey,
    environmentId: inst.environmentId,
    environmentType: inst.environmentType,
    extension: { type: frame.moduleType, ...frame.extension },
    theme: { colorMode: frame.colorMode ?? 'light' },
  };
}

/** Decodes what @forge/bridge sends for FormData: files as base64 with their name and type. */
function multipartBody(json: string): FormData {
  const fields = JSON.parse(json) as Record<string, string>;
  const form = new FormData();
  for (const [key, value] of Object.entries(fields)) {
    if (key.startsWith('__')) continue;
    if (`__${key}Name` in fields) {
      const base64 = value.includes(',') ? value.slice(value.indexOf(',') + 1) : value;
      form.append(
        key,
        new Blob([Buffer.from(base64, 'base64')], { type: fields[`__${key}Type`] }),
        fields[`__${key}Name`],
      );
    } else form.append(key, value);
  }
  return form;
}

/**
 * `permissions.egress.set` reaches the server twice, from the host page: once to check the request and show the
 * administrator what it asks (`review`), once after they approved it in the dialog (`apply`).
 */
const egressSetPayload = z.object({ phase: z.enum(['review', 'apply']), request: z.unknown() });

/** Whether the frame's user is a Jira administrator (the global ADMINISTER permission), asked of Jira as that user. */
async function isAdministrator(deps: BridgeDeps, frame: Frame): Promise<boolean> {
  const res = await fetch(`${deps.jiraBaseUrl}/rest/api/3/mypermissions?permissions=ADMINISTER`, {
    headers: {
      accept: 'application/json',
      [PLATFORM_TOKEN_HEADER]: deps.platform.installation(deps.installationId).platformToken,
      [PLATFORM_PRINCIPAL_HEADER]: `user:${frame.accountId}`,
    },
  });
  if (!res.ok) return false;
  const body = (await res.json()) as { permissions?: { ADMINISTER?: { havePermission?: boolean } } };
  return body.permissions?.ADMINISTER?.havePermission === true;
}

const NOT_ADMIN = 'Only an administrator can change which domains this app may reach';

/** Customer-managed egress (sandbox/platform/customer-egress.ts); a refusal rejects the bridge's promise with its reason. */
async function answerEgress(deps: BridgeDeps, frame: Frame, type: string, payload: unknown): Promise<BridgeAnswer> {
  try {
    const egress = deps.platform.customerEgress(deps.installationId);
    if (type === '__permission__egressGet') return { ok: true, value: egress.get(payload ?? {}) };
    if (!(await isAdministrator(deps, frame))) return { ok: false, error: NOT_ADMIN };
    if (type === '__permission__egressSet') {
      const p = egressSetPayload.safeParse(payload);
      if (!p.success)
        return { ok: false, error: 'An administrator approves egress in the dialog the product shows, not the app' };
      return p.data.phase === 'review'
        ? { ok: true, value: { egresses: egress.review(p.data.request) } }
        : { ok: true, value: egress.set(p.data.request) };
    }
    if (type === '__permission__egressDeleteDomain') egress.deleteDomain(payload);
    else egress.deleteGroup(payload);
    return { ok: true, value: undefined };
  } catch (e) {
    if (e instanceof EgressRequestError) return { ok: false, error: e.message };
    throw e;
  }
}

export async function answerBridgeCall(
  deps: BridgeDeps,
  frame: Frame,
  type: string,
  payload: unknown,
): Promise<BridgeAnswer> {
  switch (type) {
    case 'getContext':
      return { ok: true, value: viewContext(deps, frame) };
    case 'invoke': {
      const p = invokePayload.safeParse(payload);
      if (!p.success) return { ok: false, error: 'functionKey must be a string!' };
      const result = await deps.platform.invokeResolver({
        installationId: deps.installationId,
        moduleKey: frame.moduleKey,
        functionKey: p.data.functionKey,
        payload: p.data.payload ?? {},
        accountId: frame.accountId,
        context: { ...viewContext(deps, frame) },
      });
      return result.ok
        ? { ok: true, value: result.body }
        : { ok: false, error: `There was an error invoking the function - ${result.error}` };
    }
    case 'fetchProduct': {
      const p = fetchPayload.safeParse(payload);
      if (!p.success || p.data.product !== 'jira') return { ok: false, error: 'Only Jira is available on this site' };
      const init = p.data.fetchRequestInit ?? {};
      const headers = new Headers(init.headers ?? []);
      // The UI always calls Jira as the signed-in user.
      headers.set(PLATFORM_TOKEN_HEADER, deps.platform.installation(deps.installationId).platformToken);
      headers.set(PLATFORM_PRINCIPAL_HEADER, `user:${frame.accountId}`);
      let body: BodyInit | undefined = init.body ?? undefined;
      if (p.data.isMultipartFormData && typeof init.body === 'string') {
        body = multipartBody(init.body);
        headers.delete('content-type');
      }
      const res = await fetch(deps.jiraBaseUrl + p.data.restPath, { method: init.method ?? 'GET', headers, body });
      const contentType = res.headers.get('content-type') ?? '';
      const isAttachment = !/json|text|xml/.test(contentType) && contentType !== '';
      const raw = Buffer.from(await res.arrayBuffer());
      return {
        ok: true,
        value: {
          status: res.status,
          statusText: res.statusText,
          headers: Object.fromEntries(res.headers.entries()),
          body: isAttachment ? raw.toString('base64') : raw.toString('utf8'),
          isAttachment,
        },
      };
    }
    case '__permission__egressGet':
    case '__permission__egressSet':
    case '__permission__egressDeleteDomain':
    case '__permission__egressDeleteGroup':
      return answerEgress(deps, frame, type, payload);
    case 'getUrl': {
      const loc = payload as { target?: string; issueKey?: string; projectKey?: string };
      const path =
        loc.target === 'issue'
          ? `/browse/${loc.issueKey}`
          : loc.target === 'projectSettingsDetails'
            ? `/projects/${loc.projectKey}/settings/crosswalk`
            : '/';
      return { ok: true, value: `${deps.hostUrl()}${path}` };
    }
    default:
      return { ok: false, error: `The bridge call '${type}' is not supported by the local host` };
  }
}
