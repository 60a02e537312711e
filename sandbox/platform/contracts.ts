/**
 * Contracts between the local Forge platform and the things it talks to:
 * the KVS engine, product simulators (Jira) and the host page.
 *
 * Kept in one small file so the simulators and the platform can be built
 * independently and still fit together.
 */

/** A response on the KVS wire (`POST /api/v1/...`), as the real service answers it. */
export interface KvsWireResponse {
  status: number;
  /** JSON body; undefined means an empty body. Errors are `{code, message, context?}`. */
  body?: unknown;
}

/** One metered KVS operation (Forge bills reads and writes in 10 KB units). */
export interface KvsMeterEvent {
  kind: 'read' | 'write';
  /** Bytes of the request (write) or response (read) payload, before rounding to 10 KB units. */
  bytes: number;
}

/**
 * How the platform proves to a product simulator who is calling.
 * The platform adds these headers to every product request (`requestJira`);
 * the simulator trusts them only when `x-forge-platform-token` matches the token
 * it was started with, so nothing outside the platform can impersonate the app or a user.
 */
export const PLATFORM_TOKEN_HEADER = 'x-forge-platform-token';
/** `app` for asApp(), `user:<accountId>` for asUser(id); absent for unauthenticated requestJira. */
export const PLATFORM_PRINCIPAL_HEADER = 'x-forge-principal';

/**
 * A Jira product event as a simulator reports it to the platform.
 * The platform adds `timestamp`, decides delivery (ignoreSelf, filters), and
 * hands the trigger function `{eventType, selfGenerated, atlassianId, timestamp, ...fields}`.
 */
export interface ProductEventReport {
  /** e.g. `avi:jira:created:issue` */
  eventType: string;
  /** accountId of the actor, when there is one. */
  atlassianId?: string;
  /** True when the change was made by the app itself (its asApp() identity). */
  selfGenerated: boolean;
  /** Echo of an `X-Atlassian-Webhook-Trace` header sent on the causing request. */
  webhookTraceValue?: string;
  /** The event's own fields: issue, changelog, comment, attachment, associatedUsers, ... */
  fields: Record<string, unknown>;
}

/** A sink the platform gives to a product simulator. */
export type ProductEventSink = (report: ProductEventReport) => void;
