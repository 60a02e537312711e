/**
 * Jira as Crosswalk's home side, through `requestJira` as the app. Writes carry
 * `X-Atlassian-Webhook-Trace` so the events they cause are recognisable even
 * where `ignoreSelf` does not apply.
 */
import api, { route } from '@forge/api';
import * as z from 'zod';
import { SyncError } from '../errors';
import { readJson, transientFailure, type HttpAnswer } from '../http';
import { splitOrigin } from '../../sync/attachment-plan';

export const SYNC_TRACE = 'crosswalk-sync';

const issueSchema = z.object({
  id: z.string(),
  key: z.string(),
  fields: z.record(z.string(), z.unknown()).and(z.object({ project: z.object({ id: z.string() }).loose(), updated: z.string() }).loose()),
});
export type JiraIssue = z.infer<typeof issueSchema> & { updatedAt: number };

async function call(what: string, send: () => Promise<HttpAnswer>): Promise<HttpAnswer> {
  try {
    return await send();
  } catch (e) {
    throw transientFailure('jira', what, e);
  }
}

/** Jira's `2022-10-06T07:32:47.000+0000`. */
export function parseJiraTime(value: string): number {
  return Date.parse(value.replace(/([+-]\d\d)(\d\d)$/, '$1:$2'));
}

export async function getIssue(issueIdOrKey: string): Promise<JiraIssue | undefined> {
  const res = await call('Read issue', () => api.asApp().requestJira(route`/rest/api/3/issue/${issueIdOrKey}`, { headers: { Accept: 'application/json' } }));
  if (res.status === 404) return undefined;
  const parsed = issueSchema.safeParse(await readJson('jira', res, `Read issue ${issueIdOrKey}`));
  if (!parsed.success) throw new SyncError({ system: 'jira', kind: 'transient', message: 'Unexpected issue shape from Jira' });
  return { ...parsed.data, updatedAt: parseJiraTime(parsed.data.fields.updated) };
}

export async function editIssue(issueId: string, fields: Record<string, unknown>): Promise<void> {
  const res = await call('Edit issue', () =>
    api.asApp().requestJira(route`/rest/api/3/issue/${issueId}`, { method: 'PUT', headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'X-Atlassian-Webhook-Trace': SYNC_TRACE }, body: JSON.stringify({ fields }) }),
  );
  if (res.status !== 204) await readJson('jira', res, `Edit issue ${issueId}`);
}

export const LINK_PROPERTY = 'crosswalk.link';

/** Creates an issue that carries, as an indexed property, the remote item it came from (so a retry finds it). */
export async function createIssue(projectId: string, issueType: string, fields: Record<string, unknown>, link?: { remote: string; connection: string }): Promise<{ id: string; key: string }> {
  const body = { fields: { project: { id: projectId }, issuetype: { name: issueType }, ...fields }, ...(link ? { properties: [{ key: LINK_PROPERTY, value: link }] } : {}) };
  const res = await call('Create issue', () =>
    api.asApp().requestJira(route`/rest/api/3/issue`, { method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'X-Atlassian-Webhook-Trace': SYNC_TRACE }, body: JSON.stringify(body) }),
  );
  return z.object({ id: z.string(), key: z.string() }).parse(await readJson('jira', res, 'Create issue'));
}

export interface Transition {
  id: string;
  name: string;
  to: { id: string; name: string };
}

export async function transitions(issueId: string): Promise<Transition[]> {
  const res = await call('Read transitions', () => api.asApp().requestJira(route`/rest/api/3/issue/${issueId}/transitions`, { headers: { Accept: 'application/json' } }));
  const body = z.object({ transitions: z.array(z.object({ id: z.string(), name: z.string(), to: z.object({ id: z.string(), name: z.string() }).loose() }).loose()) }).parse(await readJson('jira', res, 'Read transitions'));
  return body.transitions;
}

export async function transition(issueId: string, transitionId: string): Promise<void> {
  const res = await call('Transition issue', () =>
    api.asApp().requestJira(route`/rest/api/3/issue/${issueId}/transitions`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Atlassian-Webhook-Trace': SYNC_TRACE }, body: JSON.stringify({ transition: { id: transitionId } }) }),
  );
  if (res.status !== 204) await readJson('jira', res, `Transition issue ${issueId}`);
}

/** Shows the linked remote ticket on the issue; upserted by globalId, so repeating it is harmless. */
export async function upsertRemoteLink(issueId: string, link: { globalId: string; url: string; title: string; summary?: string; status?: string; resolved?: boolean }): Promise<void> {
  const body = {
    globalId: link.globalId,
    application: { type: 'com.crosswalk.remote', name: 'Crosswalk' },
    relationship: 'synced with',
    object: { url: link.url, title: link.title, ...(link.summary ? { summary: link.summary } : {}), ...(link.status ? { status: { resolved: link.resolved ?? false, icon: {} } } : {}) },
  };
  const res = await call('Link remote item', () =>
    api.asApp().requestJira(route`/rest/api/3/issue/${issueId}/remotelink`, { method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json' }, body: JSON.stringify(body) }),
  );
  await readJson('jira', res, 'Link remote item');
}

/** Whether an issue matches the connection's JQL (empty JQL = every issue of the project). */
export async function issueMatches(issueId: string, projectId: string, jql: string): Promise<boolean> {
  const query = `project = ${projectId} AND id = ${issueId}${jql.trim() ? ` AND (${jql})` : ''}`;
  const res = await call('Search issues', () =>
    api.asApp().requestJira(route`/rest/api/3/search/jql`, { method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json' }, body: JSON.stringify({ jql: query, maxResults: 1 }) }),
  );
  const body = z.object({ issues: z.array(z.object({ id: z.string() }).loose()) }).parse(await readJson('jira', res, 'Search issues'));
  return body.issues.length > 0;
}

const ORIGIN_PROPERTY = 'crosswalk.origin';

const commentList = z.object({
  comments: z.array(
    z.object({
      id: z.string(),
      body: z.unknown(),
      author: z.object({ displayName: z.string().optional(), accountId: z.string().optional() }).loose().optional(),
      jsdPublic: z.boolean().optional(),
      created: z.string(),
      updated: z.string().optional(),
      properties: z.array(z.object({ key: z.string(), value: z.unknown() })).optional(),
    }).loose(),
  ),
  total: z.number(),
});

export interface JiraComment {
  id: string;
  body: unknown;
  authorName: string;
  authorAccountId?: string;
  internal: boolean;
  createdAt: number;
  updatedAt: number;
  /** Set on comments Crosswalk copied from a remote system. */
  origin?: string;
}

export async function listComments(issueId: string): Promise<JiraComment[]> {
  const out: JiraComment[] = [];
  for (let startAt = 0; ; ) {
    const res = await call('Read comments', () => api.asApp().requestJira(route`/rest/api/3/issue/${issueId}/comment?startAt=${String(startAt)}&maxResults=100&orderBy=created&expand=properties`, { headers: { Accept: 'application/json' } }));
    const page = commentList.parse(await readJson('jira', res, 'Read comments'));
    for (const c of page.comments) {
      const origin = c.properties?.find((p) => p.key === ORIGIN_PROPERTY)?.value as { id?: string } | undefined;
      out.push({ id: c.id, body: c.body, authorName: c.author?.displayName ?? 'Someone', authorAccountId: c.author?.accountId, internal: c.jsdPublic === false, createdAt: parseJiraTime(c.created), updatedAt: parseJiraTime(c.updated ?? c.created), ...(origin?.id ? { origin: origin.id } : {}) });
    }
    startAt += page.comments.length;
    if (!page.comments.length || startAt >= page.total) return out;
  }
}

export async function addComment(issueId: string, body: unknown, internal: boolean, origin: string): Promise<string> {
  const properties = [{ key: ORIGIN_PROPERTY, value: { id: origin } }, ...(internal ? [{ key: 'sd.public.comment', value: { internal: true } }] : [])];
  const res = await call('Add comment', () =>
    api.asApp().requestJira(route`/rest/api/3/issue/${issueId}/comment`, { method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'X-Atlassian-Webhook-Trace': SYNC_TRACE }, body: JSON.stringify({ body, properties }) }),
  );
  return z.object({ id: z.string() }).loose().parse(await readJson('jira', res, 'Add comment')).id;
}

/** Ids of issues matching a JQL query, paged through nextPageToken. */
export async function searchIssueIds(jql: string, max = 1000): Promise<string[]> {
  const ids: string[] = [];
  let nextPageToken: string | undefined;
  do {
    const res = await call('Search issues', () =>
      api.asApp().requestJira(route`/rest/api/3/search/jql`, { method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json' }, body: JSON.stringify({ jql, maxResults: 100, ...(nextPageToken ? { nextPageToken } : {}) }) }),
    );
    const page = z.object({ issues: z.array(z.object({ id: z.string() }).loose()), nextPageToken: z.string().optional() }).parse(await readJson('jira', res, 'Search issues'));
    ids.push(...page.issues.map((i) => i.id));
    nextPageToken = page.nextPageToken;
  } while (nextPageToken && ids.length < max);
  return ids;
}

export interface JiraAttachment {
  id: string;
  fileName: string;
  contentType: string;
  size: number;
  origin?: string;
}

/** Attachments as the issue's `attachment` field lists them (already read with the issue). */
export function attachmentsOf(issue: JiraIssue): JiraAttachment[] {
  const list = z.array(z.object({ id: z.string(), filename: z.string(), mimeType: z.string().optional(), size: z.number() }).loose()).safeParse(issue.fields.attachment ?? []);
  if (!list.success) return [];
  return list.data.map((a) => {
    const { fileName, origin } = splitOrigin(a.filename);
    return { id: a.id, fileName, contentType: a.mimeType ?? 'application/octet-stream', size: a.size, ...(origin ? { origin } : {}) };
  });
}

export async function downloadAttachment(attachmentId: string): Promise<ReadableStream<Uint8Array>> {
  const res = await call('Download attachment', () => api.asApp().requestJira(route`/rest/api/3/attachment/content/${attachmentId}?redirect=false`, { headers: { Accept: '*/*' } }));
  const body = (res as unknown as { body?: ReadableStream<Uint8Array> | null }).body;
  if (!res.ok || !body) {
    await readJson('jira', res, 'Download attachment');
    throw new SyncError({ system: 'jira', kind: 'transient', message: 'Download attachment: empty body' });
  }
  return body;
}

/**
 * Uploads one file as multipart `file`, streaming: the parts around the file
 * are written by hand so the file itself never has to sit in memory.
 */
export async function uploadAttachment(issueId: string, fileName: string, contentType: string, body: ReadableStream<Uint8Array>): Promise<void> {
  const boundary = `crosswalk-${Math.random().toString(36).slice(2)}${Date.now().toString(36)}`;
  const safeName = fileName.replace(/["\r\n]/g, '_');
  const head = new TextEncoder().encode(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${safeName}"\r\nContent-Type: ${contentType}\r\n\r\n`);
  const tail = new TextEncoder().encode(`\r\n--${boundary}--\r\n`);
  const reader = body.getReader();
  let stage: 'head' | 'body' | 'done' = 'head';
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (stage === 'head') {
        controller.enqueue(head);
        stage = 'body';
        return;
      }
      if (stage === 'body') {
        const { done, value } = await reader.read();
        if (!done) {
          controller.enqueue(value);
          return;
        }
        controller.enqueue(tail);
        stage = 'done';
        return;
      }
      controller.close();
    },
  });
  const init = { method: 'POST', headers: { 'Content-Type': `multipart/form-data; boundary=${boundary}`, 'X-Atlassian-Token': 'no-check', Accept: 'application/json' }, body: stream, duplex: 'half' } as unknown as Parameters<ReturnType<typeof api.asApp>['requestJira']>[1];
  const res = await call('Upload attachment', () => api.asApp().requestJira(route`/rest/api/3/issue/${issueId}/attachments`, init));
  await readJson('jira', res, 'Upload attachment');
}

export async function deleteRemoteLink(issueId: string, globalId: string): Promise<void> {
  const res = await call('Remove remote link', () => api.asApp().requestJira(route`/rest/api/3/issue/${issueId}/remotelink?globalId=${globalId}`, { method: 'DELETE' }));
  if (res.status !== 204 && res.status !== 404) await readJson('jira', res, 'Remove remote link');
}

/** The issue Crosswalk created from a remote item, found by the indexed link property. */
export async function issueCreatedFrom(projectId: string, remoteId: string): Promise<string | undefined> {
  if (!/^[A-Za-z0-9_-]+$/.test(remoteId)) return undefined;
  const ids = await searchIssueIds(`project = ${projectId} AND issue.property[${LINK_PROPERTY}].remote = "${remoteId}"`, 1);
  return ids[0];
}

/** The Jira account with exactly this email, where Jira shows emails to the app. */
export async function accountIdForEmail(email: string): Promise<string | undefined> {
  const res = await call('Find user', () => api.asApp().requestJira(route`/rest/api/3/user/search?query=${email}`, { headers: { Accept: 'application/json' } }));
  const users = z.array(z.object({ accountId: z.string(), emailAddress: z.string().optional() }).loose()).parse(await readJson('jira', res, 'Find user'));
  return users.find((u) => u.emailAddress?.toLowerCase() === email.toLowerCase())?.accountId;
}
