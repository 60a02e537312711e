/**
 * A connection's host must be a public address (no SSRF into the network
 * Forge runs in): a name under an allowed domain that resolves to loopback,
 * a private range or link-local is refused when the connection is saved. It
 * must also be one of the hosts a Jira admin allowed for the site, when they
 * narrowed them on the admin page (store/site-options.ts).
 */
import { lookup } from 'node:dns/promises';
import net from 'node:net';
import { getSiteOptions } from '../store/site-options';
import { hostMatches } from '../connectors/remote-hosts';

const V4_BLOCKED: Array<[number, number]> = [
  [0x00000000, 8], // 0.0.0.0/8
  [0x0a000000, 8], // 10/8
  [0x64400000, 10], // 100.64/10 carrier-grade NAT
  [0x7f000000, 8], // 127/8 loopback
  [0xa9fe0000, 16], // 169.254/16 link-local (cloud metadata)
  [0xac100000, 12], // 172.16/12
  [0xc0a80000, 16], // 192.168/16
  [0xe0000000, 4], // multicast
  [0xf0000000, 4], // reserved
];

function v4ToInt(ip: string): number {
  return ip.split('.').reduce((n, part) => (n << 8) + Number(part), 0) >>> 0;
}

export function isPrivateAddress(ip: string): boolean {
  if (net.isIPv4(ip)) {
    const n = v4ToInt(ip);
    return V4_BLOCKED.some(([base, bits]) => (n & (bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0)) >>> 0 === base);
  }
  if (net.isIPv6(ip)) {
    const lower = ip.toLowerCase();
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
    if (mapped) return isPrivateAddress(mapped[1]!);
    return lower === '::' || lower === '::1' || /^f[cd]/.test(lower) || /^fe[89ab]/.test(lower) || /^ff/.test(lower);
  }
  return true;
}

export type HostCheck = { ok: true } | { ok: false; reason: string };

/**
 * In production a host must resolve, and only to public addresses. Elsewhere
 * (the local sandbox, where vendor names do not resolve) an unresolvable name
 * passes, but one that resolves to a private address is still refused.
 */
export async function checkPublicHost(
  hostname: string,
  production: boolean,
  resolve: (host: string) => Promise<string[]> = async (h) => (await lookup(h, { all: true })).map((a) => a.address),
  allowedHosts: () => Promise<readonly string[] | undefined> = siteAllowedHosts,
): Promise<HostCheck> {
  if (net.isIP(hostname)) return { ok: false, reason: 'must be a host name, not an IP address' };
  const allowed = await allowedHosts();
  if (allowed && !allowed.some((p) => hostMatches(p, hostname.toLowerCase())))
    return {
      ok: false,
      reason: `${hostname} is not one of the hosts a Jira admin allowed for Crosswalk (${allowed.join(', ') || 'none'})`,
    };
  let addresses: string[];
  try {
    addresses = await resolve(hostname);
  } catch {
    return production ? { ok: false, reason: `${hostname} does not resolve` } : { ok: true };
  }
  const blocked = addresses.find(isPrivateAddress);
  return blocked ? { ok: false, reason: `${hostname} resolves to a private address (${blocked})` } : { ok: true };
}

/** The site's allowed hosts, as a Jira admin set them; outside a Forge invocation (a unit test) there is no site and so no such list. */
async function siteAllowedHosts(): Promise<readonly string[] | undefined> {
  if (!(globalThis as { __forge_runtime__?: unknown }).__forge_runtime__) return undefined;
  return (await getSiteOptions()).allowedHosts;
}
