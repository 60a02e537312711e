/**
 * Where a system may be reached: a connection's base URL must be https on one
 * of the system's host patterns, which manifest.yml declares as egress
 * (checked in test/manifest).
 */
import type { SystemDefinition } from './registry';

export function hostMatches(pattern: string, hostname: string): boolean {
  return pattern.startsWith('*.')
    ? hostname.endsWith(pattern.slice(1)) && hostname.length > pattern.length - 1
    : hostname === pattern;
}

export function isAllowedRemoteUrl(system: Pick<SystemDefinition, 'hostPatterns'>, baseUrl: string): boolean {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    return false;
  }
  if (url.protocol !== 'https:' || url.username || url.password || (url.port && url.port !== '443')) return false;
  return system.hostPatterns.some((p) => hostMatches(p, url.hostname));
}
