/**
 * Where each remote system lives. Connection base URLs must match these, and
 * manifest.yml must declare every pattern as backend egress (checked in test/manifest).
 */
export interface RemoteSystemHosts {
  system: 'servicenow' | 'azure-devops' | 'zendesk';
  /** Host patterns as Forge egress understands them (wildcard = subdomains only). */
  hostPatterns: string[];
  exampleUrls: string[];
}

export const REMOTE_SYSTEM_HOSTS: RemoteSystemHosts[] = [
  { system: 'servicenow', hostPatterns: ['*.service-now.com'], exampleUrls: ['https://acme.service-now.com/api/now/table/incident'] },
  {
    system: 'azure-devops',
    hostPatterns: ['dev.azure.com', '*.visualstudio.com'],
    exampleUrls: ['https://dev.azure.com/acme/_apis/wit/workitems/1', 'https://acme.visualstudio.com/_apis/wit/workitems/1'],
  },
  { system: 'zendesk', hostPatterns: ['*.zendesk.com'], exampleUrls: ['https://acme.zendesk.com/api/v2/tickets/1.json'] },
];

/** True when a base URL points at a host the app may reach for that system. */
export function isKnownRemoteHost(system: RemoteSystemHosts['system'], baseUrl: string): boolean {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    return false;
  }
  if (url.protocol !== 'https:') return false;
  const entry = REMOTE_SYSTEM_HOSTS.find((h) => h.system === system);
  return !!entry?.hostPatterns.some((p) => (p.startsWith('*.') ? url.hostname.endsWith(p.slice(1)) : url.hostname === p));
}
