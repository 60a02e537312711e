import api, { route } from '@forge/api';
import * as z from 'zod';

const searchPage = z.object({
  issues: z.array(
    z.object({
      id: z.string(),
      key: z.string(),
      fields: z.object({ summary: z.string().optional(), status: z.object({ name: z.string() }).loose().optional() }).loose(),
    }).loose(),
  ),
  nextPageToken: z.string().optional(),
});

export interface IssueSummary {
  id: string;
  key: string;
  summary: string;
  status: string;
}

/** The newest issues of a project, as the user sees them (their permissions apply). */
export async function listProjectIssuesAsUser(accountId: string, projectId: string, max = 20): Promise<IssueSummary[]> {
  const jql = `project = ${projectId} ORDER BY created DESC`;
  const res = await api
    .asUser(accountId)
    .requestJira(route`/rest/api/3/search/jql?jql=${jql}&fields=summary,status&maxResults=${String(max)}`, { headers: { Accept: 'application/json' } });
  if (!res.ok) throw new Error(`Jira search failed with HTTP ${res.status}`);
  const page = searchPage.parse(await res.json());
  return page.issues.map((i) => ({ id: i.id, key: i.key, summary: i.fields.summary ?? '', status: i.fields.status?.name ?? '' }));
}
