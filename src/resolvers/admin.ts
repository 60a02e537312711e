/**
 * The Jira admin page's resolver: every connection on the site, with its
 * health, for Jira administrators only (the global ADMINISTER permission,
 * asked of Jira as the caller on every call). Credentials are never part of
 * the answer: only which systems and hosts are used.
 */
import api, { route } from '@forge/api';
import * as z from 'zod';
import { implementedSystems, systemFor } from '../connectors/registry';
import { hostMatches, isCustomerApproved } from '../connectors/remote-hosts';
import { listConnections } from '../store/connections';
import { failuresOfConnection } from '../store/failures';
import { getConnectionCondition } from '../store/alert-state';
import { getConnectionHealth } from '../store/health';
import { usageOfConnection } from '../store/links';
import { getSiteOptions, saveSiteOptions } from '../store/site-options';
import { conditionShown } from './condition-shown';
import { badRequest, fail, ok } from './guards';

type Call = { payload?: unknown; context: { accountId?: string } & Record<string, unknown> };

export const forbiddenJiraAdmin = fail('FORBIDDEN', 'Only Jira administrators can see every Crosswalk connection.');

const myPermissions = z.object({
  permissions: z.record(z.string(), z.object({ havePermission: z.boolean() }).loose()),
});

/** Whether the caller holds Jira's global Administer permission, as Jira says to them. */
export async function isJiraAdmin(accountId: string | undefined): Promise<boolean> {
  if (!accountId) return false;
  const res = await api
    .asUser(accountId)
    .requestJira(route`/rest/api/3/mypermissions?permissions=ADMINISTER`, { headers: { Accept: 'application/json' } });
  if (res.status === 401 || res.status === 403 || res.status === 404) return false;
  if (!res.ok) throw new Error(`Jira permission check failed with HTTP ${res.status}`);
  const parsed = myPermissions.safeParse(await res.json());
  return parsed.success && parsed.data.permissions.ADMINISTER?.havePermission === true;
}

const projectSchema = z.object({ id: z.string(), key: z.string(), name: z.string() }).loose();

async function projectOf(accountId: string, projectId: string): Promise<{ key: string; name: string } | undefined> {
  const res = await api
    .asUser(accountId)
    .requestJira(route`/rest/api/3/project/${projectId}`, { headers: { Accept: 'application/json' } });
  if (!res.ok) return undefined;
  const parsed = projectSchema.safeParse(await res.json());
  return parsed.success ? { key: parsed.data.key, name: parsed.data.name } : undefined;
}

const WEEK_MS = 7 * 86_400_000;

/**
 * A connection's usage from what is already stored: its links (items in
 * sync, at most MAX_USAGE_PAGES pages read: the figure then says "at least"),
 * the sync steps each link keeps (sync/timeline.ts) within the last seven
 * days, and its failing items whose latest attempt was in that time.
 */
async function usageOf(connectionId: string, failures: Array<{ at: number }>) {
  const since = Date.now() - WEEK_MS;
  const links = await usageOfConnection(connectionId, since);
  return {
    itemsInSync: links.items,
    itemsCapped: links.capped,
    syncsLast7Days: links.stepsSince,
    failuresLast7Days: failures.filter((f) => f.at >= since).length,
  };
}

/** Whether a host is one the site's allowed hosts admit (no list = every host the systems allow). */
const admitted = (allowed: readonly string[] | undefined, host: string) =>
  !allowed || allowed.some((p) => hostMatches(p, host));

export async function adminOverviewResolver({ payload, context }: Call) {
  if (!(await isJiraAdmin(context.accountId))) return forbiddenJiraAdmin;
  const request = z
    .object({})
    .strict()
    .safeParse(payload ?? {});
  if (!request.success) return badRequest(request.error);
  const [configs, options] = await Promise.all([listConnections(), getSiteOptions()]);
  const projects = new Map<string, Promise<{ key: string; name: string } | undefined>>();
  const connections = await Promise.all(
    configs.map(async (c) => {
      if (!projects.has(c.jiraProjectId)) projects.set(c.jiraProjectId, projectOf(context.accountId!, c.jiraProjectId));
      const [project, health, failures, condition] = await Promise.all([
        projects.get(c.jiraProjectId)!,
        getConnectionHealth(c.id),
        failuresOfConnection(c.id),
        getConnectionCondition(c.id),
      ]);
      return {
        usage: await usageOf(c.id, failures),
        hostAllowed: admitted(options.allowedHosts, new URL(c.remote.baseUrl).hostname),
        id: c.id,
        name: c.name,
        system: systemFor(c.remote.type)?.label ?? c.remote.type,
        host: new URL(c.remote.baseUrl).host,
        project: { id: c.jiraProjectId, key: project?.key ?? null, name: project?.name ?? null },
        enabled: c.enabled,
        health: health ? { kind: health.kind, message: health.message, at: health.at } : null,
        failures: failures.length,
        // As the last alert check saw it (issue 23), or "not checked yet" with what is stored.
        condition: conditionShown(condition, { health, failures: failures.length }),
      };
    }),
  );
  connections.sort((a, b) => (a.project.key ?? '').localeCompare(b.project.key ?? '') || a.name.localeCompare(b.name));
  return ok({
    connections,
    systems: implementedSystems().map((s) => ({ kind: s.kind, label: s.label, hostPatterns: s.hostPatterns })),
    options: { allowedHosts: options.allowedHosts ?? null, updatedAt: options.updatedAt ?? null },
  });
}

const HOST = /^(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/;
const optionsRequest = z
  .object({
    /** null = every host the systems allow; a list = only these (host names or *.domain). */
    allowedHosts: z
      .array(
        z.string().trim().toLowerCase().max(200).regex(HOST, 'Write a host name (acme.service-now.com) or *.domain'),
      )
      .max(50)
      .nullable(),
  })
  .strict();

/**
 * Saves the site's options (Jira admins only). Each allowed host must lie
 * within a system's own host patterns (the manifest's egress); the answer
 * names connections already saved with a host outside the new list (they keep
 * working until they are saved again, when the list is enforced).
 */
export async function saveSiteOptionsResolver({ payload, context }: Call) {
  if (!(await isJiraAdmin(context.accountId))) return forbiddenJiraAdmin;
  const request = optionsRequest.safeParse(payload);
  if (!request.success) return badRequest(request.error);
  const allowed = request.data.allowedHosts === null ? undefined : [...new Set(request.data.allowedHosts)];
  const patterns = implementedSystems().flatMap((s) => s.hostPatterns);
  // A customer's own host (Azure DevOps Server…) may be listed once it is approved as customer-managed egress.
  const ownHostApproved = (h: string) =>
    !h.startsWith('*.') && implementedSystems().some((s) => s.customerHosts) && isCustomerApproved(`https://${h}`);
  const problems = (allowed ?? []).flatMap((h, i) =>
    patterns.some((p) => p === h || hostMatches(p, h.replace(/^\*\./, ''))) || ownHostApproved(h)
      ? []
      : [
          {
            path: `allowedHosts.${i}`,
            message: `${h} is not a host of any system Crosswalk connects to (${patterns.join(', ')})`,
          },
        ],
  );
  if (problems.length) return fail('BAD_REQUEST', 'Some hosts cannot be allowed', problems);
  await saveSiteOptions({
    ...(allowed ? { allowedHosts: allowed } : {}),
    updatedBy: context.accountId!,
    updatedAt: new Date().toISOString(),
  });
  const outside = (await listConnections())
    .filter((c) => !admitted(allowed, new URL(c.remote.baseUrl).hostname))
    .map((c) => c.name);
  return ok({ allowedHosts: allowed ?? null, outside });
}
