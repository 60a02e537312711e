/**
 * Every registered system (src/connectors/registry.ts) as the demo seeds it (sandbox/demo), for the browser tests
 * that iterate the registry: each system's connection as the Jira admin page lists it, the project it pairs, and who
 * works in that project.
 */
import type { Sandbox } from '../../../sandbox/sandbox';
import type { HostUser } from '../../../sandbox/host/server';
import { implementedSystems, type SystemDefinition } from '../../../src/connectors/registry';

/** What the demo seeded for a system: its connection and the project it pairs. */
export interface Seeded {
  connection: { id: string; name: string; host: string };
  project: { id: string; key: string };
  /** Who works the project's issues (its Members role), the site's Jira admin, and the project's lead. */
  member: HostUser;
  admin: HostUser;
  lead: HostUser;
  issueType: string;
}

/** Each implemented system's seeded connection by registry kind (a system the demo does not pair is left out). */
export async function seededSystems(sandbox: Sandbox): Promise<Map<string, Seeded>> {
  // The site's connections, as the Jira admin page reads them.
  const admin = sandbox.users.find((u) => u.role === 'admin')!;
  const overview = await sandbox.platform.invokeResolver({
    installationId: sandbox.installationId,
    moduleKey: 'crosswalk-admin',
    functionKey: 'adminOverview',
    accountId: admin.accountId,
    context: { extension: { type: 'jira:adminPage' } },
    payload: {},
  });
  if (!overview.ok) throw new Error(`adminOverview failed: ${overview.error}`);
  const connections = (
    overview.body as {
      data: {
        connections: Array<{
          id: string;
          name: string;
          system: string;
          host: string;
          project: { id: string; key: string };
        }>;
      };
    }
  ).data.connections;
  const seeded = new Map<string, Seeded>();
  for (const system of implementedSystems()) {
    const c = connections.find((x) => x.system === system.label);
    if (!c) continue; // Said by the test of that system, which finds nothing seeded.
    const project = sandbox.jira.site.project(c.project.key)!;
    const member = sandbox.users.find((u) => u.accountId === project.roles.Members[0])!;
    const lead = sandbox.users.find((u) => u.accountId === project.leadAccountId)!;
    seeded.set(system.kind, {
      connection: { id: c.id, name: c.name, host: c.host },
      project: { id: c.project.id, key: c.project.key },
      member,
      admin,
      lead,
      issueType: sandbox.jira.site.state.issueTypes.find((t) => t.id === project.issueTypeIds[0])!.name,
    });
  }
  return seeded;
}

/** What the demo seeded for the system; a registered system the demo does not pair fails here, by name. */
export function seededFor(seeded: ReadonlyMap<string, Seeded>, system: SystemDefinition): Seeded {
  const s = seeded.get(system.kind);
  if (!s) throw new Error(`The demo seeds no connection for ${system.label}: add one to sandbox/demo`);
  return s;
}

/** An issue made in the system's project by its member (HTTP Basic, as a person's script would); answers its key. */
export async function createIssue(sandbox: Sandbox, s: Seeded, summary: string): Promise<string> {
  const res = await fetch(`${sandbox.sims.jira.baseUrl}/rest/api/3/issue`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${s.member.email}:${s.member.apiToken}`).toString('base64')}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify({ fields: { project: { key: s.project.key }, issuetype: { name: s.issueType }, summary } }),
  });
  if (res.status !== 201) throw new Error(`Could not create an issue in ${s.project.key}: ${await res.text()}`);
  return ((await res.json()) as { key: string }).key;
}

export function literal(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
