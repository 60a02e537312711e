/**
 * Where a system may be reached: a connection's base URL must be https on one
 * of the system's host patterns, which manifest.yml declares as egress
 * (checked in test/manifest), or, for a system a customer may host itself
 * (`customerHosts`: Azure DevOps Server, ServiceNow on its own domain), on a
 * host a Jira admin approved for the site through Forge's customer-managed
 * egress. Forge's runtime lets the app fetch an approved host and says so in
 * the invocation's permissions (`permissions.canFetchFrom`), which is what is
 * read here: an approval withdrawn is a host refused again.
 */
import { permissions } from '@forge/api';
import type { SystemDefinition } from './registry';

export function hostMatches(pattern: string, hostname: string): boolean {
  return pattern.startsWith('*.')
    ? hostname.endsWith(pattern.slice(1)) && hostname.length > pattern.length - 1
    : hostname === pattern;
}

/** Whether this invocation may fetch the URL beyond the manifest's static egress: a Jira admin approved its host. */
export function isCustomerApproved(url: string): boolean {
  // Outside a Forge invocation (a unit test) nothing is approved.
  if (!(globalThis as { __forge_runtime__?: unknown }).__forge_runtime__) return false;
  try {
    return permissions.canFetchFrom('backend', url);
  } catch {
    return false;
  }
}

/**
 * Whether a connection of `system` may use this base URL. A host under another system's patterns
 * (`sharedHosts`: every system's, which the manifest declares for all customers) is never a customer's own host.
 */
export function isAllowedRemoteUrl(
  system: Pick<SystemDefinition, 'hostPatterns' | 'customerHosts'>,
  baseUrl: string,
  options: { sharedHosts?: readonly string[]; approved?: (url: string) => boolean } = {},
): boolean {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    return false;
  }
  if (url.protocol !== 'https:' || url.username || url.password || (url.port && url.port !== '443')) return false;
  if (system.hostPatterns.some((p) => hostMatches(p, url.hostname))) return true;
  if (!system.customerHosts || (options.sharedHosts ?? []).some((p) => hostMatches(p, url.hostname))) return false;
  return (options.approved ?? isCustomerApproved)(url.origin);
}
