import Resolver from '@forge/resolver';
import * as z from 'zod';
import { userHasProjectPermission } from '../jira/permissions';
import { listProjectIssuesAsUser } from '../jira/issues';
import { getProjectSettings, saveProjectSettings } from '../store/project-settings';

/** The UI context names the project; it is only a hint until Jira confirms the caller's permission. */
const projectContext = z.object({ extension: z.object({ project: z.object({ id: z.string().regex(/^\d+$/) }).loose() }).loose() }).loose();

export type ResolverResponse<T> = { ok: true; data: T } | { ok: false; error: { code: 'FORBIDDEN' | 'BAD_REQUEST'; message: string } };

const forbidden = { ok: false, error: { code: 'FORBIDDEN', message: 'Only administrators of this project can change Crosswalk settings.' } } as const;

async function requireProjectAdmin(context: { accountId?: string } & Record<string, unknown>): Promise<{ accountId: string; projectId: string } | undefined> {
  const parsed = projectContext.safeParse(context);
  if (!context.accountId || !parsed.success) return undefined;
  const projectId = parsed.data.extension.project.id;
  return (await userHasProjectPermission(context.accountId, projectId, 'ADMINISTER_PROJECTS')) ? { accountId: context.accountId, projectId } : undefined;
}

const saveRequest = z.object({ syncFilterJql: z.string().max(2000) });

const resolver = new Resolver();

resolver.define('getProjectSettings', async ({ context }) => {
  const admin = await requireProjectAdmin(context);
  if (!admin) return forbidden;
  const [settings, issues] = await Promise.all([getProjectSettings(admin.projectId), listProjectIssuesAsUser(admin.accountId, admin.projectId)]);
  return { ok: true, data: { settings: settings ?? null, issues } };
});

resolver.define('saveProjectSettings', async ({ payload, context }) => {
  const admin = await requireProjectAdmin(context);
  if (!admin) return forbidden;
  const request = saveRequest.safeParse(payload);
  if (!request.success) return { ok: false, error: { code: 'BAD_REQUEST', message: request.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') } };
  const settings = { syncFilterJql: request.data.syncFilterJql.trim(), updatedBy: admin.accountId, updatedAt: new Date().toISOString() };
  await saveProjectSettings(admin.projectId, settings);
  return { ok: true, data: { settings } };
});

export const uiResolver = resolver.getDefinitions();
