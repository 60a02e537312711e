import { kvs } from '@forge/kvs';
import * as z from 'zod';

/** Per-project settings a project admin edits on the Crosswalk settings page. */
export const projectSettingsSchema = z.object({
  /** Extra JQL that narrows which of the project's issues sync; empty = all. */
  syncFilterJql: z.string().trim().max(2000),
  updatedBy: z.string(),
  updatedAt: z.string(),
});
export type ProjectSettings = z.infer<typeof projectSettingsSchema>;

const key = (projectId: string) => `project-settings:${projectId}`;

export async function getProjectSettings(projectId: string): Promise<ProjectSettings | undefined> {
  const raw = await kvs.get(key(projectId));
  const parsed = projectSettingsSchema.safeParse(raw);
  return parsed.success ? parsed.data : undefined;
}

export async function saveProjectSettings(projectId: string, settings: ProjectSettings): Promise<void> {
  await kvs.set(key(projectId), projectSettingsSchema.parse(settings));
}
