/**
 * Jira as Crosswalk's home side, through `requestJira` as the app. Writes carry
 * `X-Atlassian-Webhook-Trace` so the events they cause are recognisable even
 * where `ignoreSelf` does not apply.
 */
import api, { route } from '@forge/api';
import * as z from 'zod';
import { SyncError } from '../errors';
import { readJson, transientFailure, type HttpAnswer } from '../http';

export const SYNC_TRACE = 'crosswalk-sync';

const issueSchema = z.object({
  id: z.string(),
  key: z.string(),
  fields: z
    .record(z.string(), z.unknown())
    .and(z.object({ project: z.object({ id: z.string() }).loose(), updated: z.string() }).loose()),
});
/** One change in the issue's history: when, by whom, which fields (ids where Jira gives them). */
export interface JiraHistory {
  at: number;
  authorId?: string;
  authorName?: string;
  fields: string[];
}

export type JiraIssue = z.infer<typeof issueSchema> & {
  updatedAt: number;
  /**
   * The issue's latest changes as its read carried them (`expand=changelog`: the
   * most recent first, at most 40), and whether that is all of them. History
   * questions are answered from here when it reaches back far enough, without
   * reading the changelog again.
   */
  recentHistory?: { entries: JiraHistory[]; complete: boolean };
  /** Set on issues Crosswalk created from a remote item (an indexed issue property). */
  createdFrom?: { remote: string; connection: string };
};

/** Jira answered in a shape we did not expect: say so as a typed failure instead of throwing a raw parse error. */
function parsed<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const r = schema.safeParse(value);
  if (!r.success)
    throw new SyncError({
      system: 'jira',
      kind: 'transient',
      message: `${what}: unexpected answer from Jira (${r.error.issues[0]?.path.join('.') ?? ''} ${r.error.issues[0]?.message ?? ''})`,
    });
  return r.data;
}

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

const historyEntry = z
  .object({
    author: z.object({ accountId: z.string(), displayName: z.string().optional() }).loose().optional(),
    created: z.string(),
    items: z.array(z.object({ field: z.string(), fieldId: z.string().optional() }).loose()),
  })
  .loose();
const inlineChangelog = z.object({ total: z.number(), histories: z.array(historyEntry) }).loose();
const changelogPage = z.object({ total: z.number(), values: z.array(historyEntry) }).loose();

function historyOf(h: z.infer<typeof historyEntry>): JiraHistory {
  return {
    at: parseJiraTime(h.created),
    ...(h.author ? { authorId: h.author.accountId } : {}),
    ...(h.author?.displayName ? { authorName: h.author.displayName } : {}),
    fields: h.items.map((i) => i.fieldId ?? i.field),
  };
}

/** The issue with its latest history in the same read (so a reconcile's history questions usually cost no further call). */
export async function getIssue(issueIdOrKey: string): Promise<JiraIssue | undefined> {
  const res = await call('Read issue', () =>
    api.asApp().requestJira(route`/rest/api/3/issue/${issueIdOrKey}?properties=${LINK_PROPERTY}&expand=changelog`, {
      headers: { Accept: 'application/json' },
    }),
  );
  if (res.status === 404) return undefined;
  const body = parsed(
    issueSchema.and(
      z.object({ properties: z.record(z.string(), z.unknown()).optional(), changelog: z.unknown().optional() }).loose(),
    ),
    await readJson('jira', res, `Read issue ${issueIdOrKey}`),
    'Read issue',
  );
  const link = z.object({ remote: z.string(), connection: z.string() }).safeParse(body.properties?.[LINK_PROPERTY]);
  return {
    id: body.id,
    key: body.key,
    fields: body.fields,
    updatedAt: parseJiraTime(body.fields.updated),
    ...(link.success ? { createdFrom: link.data } : {}),
    ...recentHistoryOf(body.changelog),
  };
}

function recentHistoryOf(raw: unknown): { recentHistory?: JiraIssue['recentHistory'] } {
  const changelog = inlineChangelog.safeParse(raw);
  if (!changelog.success) return {};
  // Most recent first, whatever order Jira sends them in.
  const entries = changelog.data.histories.map(historyOf).sort((a, b) => b.at - a.at);
  return { recentHistory: { entries, complete: entries.length >= changelog.data.total } };
}

/** When the issue last changed (its `updated`), read alone; undefined when it is gone. */
export async function issueUpdatedAt(issueIdOrKey: string): Promise<number | undefined> {
  const res = await call('Read issue', () =>
    api.asApp().requestJira(route`/rest/api/3/issue/${issueIdOrKey}?fields=updated`, {
      headers: { Accept: 'application/json' },
    }),
  );
  if (res.status === 404) return undefined;
  const body = parsed(
    z.object({ fields: z.object({ updated: z.string() }).loose() }).loose(),
    await readJson('jira', res, `Read issue ${issueIdOrKey}`),
    'Read issue',
  );
  return parseJiraTime(body.fields.updated);
}

/**
 * Edits the issue and answers it as the edit left it (`returnIssue`, with its latest history), so the
 * caller can tell whether the edit was the only change since what it read (sync/evidence.ts `editWasAlone`).
 */
export async function editIssue(
  issueId: string,
  fields: Record<string, unknown>,
): Promise<{ updatedAt: number; recentHistory?: JiraIssue['recentHistory'] } | undefined> {
  const res = await call('Edit issue', () =>
    api.asApp().requestJira(route`/rest/api/3/issue/${issueId}?returnIssue=true&expand=changelog`, {
      method: 'PUT',
      headers: {
        'Content-Type': 'application/json',
        Accept: 'application/json',
        'X-Atlassian-Webhook-Trace': SYNC_TRACE,
      },
      body: JSON.stringify({ fields }),
    }),
  );
  if (res.status === 204) return undefined;
  const body = await readJson('jira', res, `Edit issue ${issueId}`);
  const after = issueSchema.and(z.object({ changelog: z.unknown().optional() }).loose()).safeParse(body);
  return after.success
    ? { updatedAt: parseJiraTime(after.data.fields.updated), ...recentHistoryOf(after.data.changelog) }
    : undefined;
}

export const LINK_PROPERTY = 'crosswalk.link';

/** Creates an issue that carries, as an indexed property, the remote item it came from (so a retry finds it). */
export async function createIssue(
  projectId: string,
  issueType: string,
  fields: Record<string, unknown>,
  link?: { remote: string; connection: string },
): Promise<{ id: string; key: string }> {
  const body = {
    fields: { project: { id: projectId }, issuetype: { name: issueType }, ...fields },
    ...(link ? { properties: [{ key: LINK_PROPERTY, value: link }] } : {}),
  };
  const res = await call('Create issue', () =>
    api.asApp().requestJira(route`/rest/api/3/issue`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        Accept: 'application/json',
        'X-Atlassian-Webhook-Trace': SYNC_TRACE,
      },
      body: JSON.stringify(body),
    }),
  );
  return parsed(
    z.object({ id: z.string(), key: z.string() }),
    await readJson('jira', res, 'Create issue'),
    'Create issue',
  );
}

export interface Transition {
  id: string;
  name: string;
  to: { id: string; name: string; statusCategory?: { key?: string } };
}

export async function transitions(issueId: string): Promise<Transition[]> {
  const res = await call('Read transitions', () =>
    api
      .asApp()
      .requestJira(route`/rest/api/3/issue/${issueId}/transitions`, { headers: { Accept: 'application/json' } }),
  );
  const body = parsed(
    z.object({
      transitions: z.array(
        z
          .object({
            id: z.string(),
            name: z.string(),
            to: z
              .object({
                id: z.string(),
                name: z.string(),
                statusCategory: z.object({ key: z.string().optional() }).loose().optional(),
              })
              .loose(),
          })
          .loose(),
      ),
    }),
    await readJson('jira', res, 'Read transitions'),
    'Read transitions',
  );
  return body.transitions;
}

/** Runs a transition; `fields` go on its screen (the resolution of a transition into done). */
export async function transition(
  issueId: string,
  transitionId: string,
  fields?: Record<string, unknown>,
): Promise<void> {
  const res = await call('Transition issue', () =>
    api.asApp().requestJira(route`/rest/api/3/issue/${issueId}/transitions`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Atlassian-Webhook-Trace': SYNC_TRACE },
      body: JSON.stringify({ transition: { id: transitionId }, ...(fields ? { fields } : {}) }),
    }),
  );
  if (res.status !== 204) await readJson('jira', res, `Transition issue ${issueId}`);
}

/** Shows the linked remote ticket on the issue; upserted by globalId, so repeating it is harmless. */
export async function upsertRemoteLink(
  issueId: string,
  link: { globalId: string; url: string; title: string; summary?: string; status?: string; resolved?: boolean },
): Promise<void> {
  const body = {
    globalId: link.globalId,
    application: { type: 'com.crosswalk.remote', name: 'Crosswalk' },
    relationship: 'synced with',
    object: {
      url: link.url,
      title: link.title,
      ...(link.summary ? { summary: link.summary } : {}),
      ...(link.status ? { status: { resolved: link.resolved ?? false, icon: {} } } : {}),
    },
  };
  const res = await call('Link remote item', () =>
    api.asApp().requestJira(route`/rest/api/3/issue/${issueId}/remotelink`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify(body),
    }),
  );
  await readJson('jira', res, 'Link remote item');
}

/** The issues an issue relates to (its links of Jira's Relates type), each with the link's id. */
export function relatedIssuesOf(fields: Readonly<Record<string, unknown>>): Array<{ issueId: string; linkId: string }> {
  const links = z
    .array(
      z
        .object({
          id: z.string(),
          type: z.object({ name: z.string() }).loose(),
          inwardIssue: z.object({ id: z.string() }).loose().optional(),
          outwardIssue: z.object({ id: z.string() }).loose().optional(),
        })
        .loose(),
    )
    .safeParse(fields.issuelinks ?? []);
  if (!links.success) return [];
  return links.data.flatMap((l) => {
    const other = l.outwardIssue?.id ?? l.inwardIssue?.id;
    return l.type.name === RELATES && other ? [{ issueId: other, linkId: l.id }] : [];
  });
}

/** Jira's default link type for peers ("relates to" both ways). */
export const RELATES = 'Relates';

/** Links two issues as related (Jira's Relates type), as the sync (its trace keeps it from echoing). */
export async function relateIssues(issueId: string, otherId: string): Promise<void> {
  const res = await call('Link issues', () =>
    api.asApp().requestJira(route`/rest/api/3/issueLink`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        Accept: 'application/json',
        'X-Atlassian-Webhook-Trace': SYNC_TRACE,
      },
      body: JSON.stringify({ type: { name: RELATES }, inwardIssue: { id: otherId }, outwardIssue: { id: issueId } }),
    }),
  );
  if (res.status !== 201) await readJson('jira', res, 'Link issues');
}

/** Removes an issue link; one already gone is no error. */
export async function deleteIssueLink(linkId: string): Promise<void> {
  const res = await call('Unlink issues', () =>
    api.asApp().requestJira(route`/rest/api/3/issueLink/${linkId}`, {
      method: 'DELETE',
      headers: { 'X-Atlassian-Webhook-Trace': SYNC_TRACE },
    }),
  );
  if (res.status !== 204 && res.status !== 404) await readJson('jira', res, 'Unlink issues');
}

/**
 * Whether an issue matches the connection's JQL (empty = every issue of the
 * project). Asked with jql/match, which reads the issue itself: search is
 * eventually consistent and can miss a brand-new issue.
 */
export async function issueMatches(issueId: string, projectId: string, jql: string): Promise<boolean> {
  const query = `project = ${projectId}${jql.trim() ? ` AND (${jql})` : ''}`;
  const res = await call('Match issue', () =>
    api.asApp().requestJira(route`/rest/api/3/jql/match`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ issueIds: [Number(issueId)], jqls: [query] }),
    }),
  );
  const body = parsed(
    z.object({
      matches: z.array(z.object({ matchedIssues: z.array(z.number()), errors: z.array(z.string()) }).loose()),
    }),
    await readJson('jira', res, 'Match issue'),
    'Match issue',
  );
  const result = body.matches[0];
  if (result?.errors.length)
    throw new SyncError({
      system: 'jira',
      kind: 'validation',
      field: 'jql',
      message: `The connection's JQL is not valid: ${result.errors.join('; ')}`,
    });
  return Boolean(result?.matchedIssues.includes(Number(issueId)));
}

export interface JqlCheck {
  ok: boolean;
  errors: string[];
  hasOrderBy: boolean;
}

/** Checks JQL with Jira's own parser, as the admin who entered it. */
export async function parseJqlAsUser(accountId: string, jql: string): Promise<JqlCheck> {
  const res = await call('Check JQL', () =>
    api.asUser(accountId).requestJira(route`/rest/api/3/jql/parse?validation=strict`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ queries: [jql] }),
    }),
  );
  const body = parsed(
    z.object({
      queries: z.array(
        z
          .object({
            errors: z.array(z.string()).optional(),
            structure: z.object({ orderBy: z.unknown().optional() }).loose().optional(),
          })
          .loose(),
      ),
    }),
    await readJson('jira', res, 'Check JQL'),
    'Check JQL',
  );
  const q = body.queries[0];
  return { ok: !q?.errors?.length, errors: q?.errors ?? [], hasOrderBy: Boolean(q?.structure?.orderBy) };
}

export interface WorkflowGraph {
  /** `done`: the status is in Jira's done category (a transition into it may set the resolution). */
  statuses: Array<{ id: string; name: string; done?: boolean }>;
  transitions: Array<{ id: string; name: string; from: string[]; to: string }>;
}

/** The workflow of a project's issue type: every status and transition, so a path can be found before moving. */
export async function workflowFor(projectId: string, issueTypeId: string): Promise<WorkflowGraph | undefined> {
  const res = await call('Read workflow', () =>
    api.asApp().requestJira(route`/rest/api/3/workflows`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ projectAndIssueTypes: [{ projectId, issueTypeId }] }),
    }),
  );
  // Without the permission to read workflows the engine falls back to the transitions it can see.
  if (res.status === 403 || res.status === 401) return undefined;
  const body = parsed(
    z.object({
      statuses: z.array(
        z
          .object({
            id: z.string(),
            name: z.string(),
            statusReference: z.string(),
            statusCategory: z.string().optional(),
          })
          .loose(),
      ),
      workflows: z.array(
        z
          .object({
            transitions: z.array(
              z
                .object({
                  id: z.string(),
                  name: z.string(),
                  toStatusReference: z.string(),
                  links: z
                    .array(z.object({ fromStatusReference: z.string().nullable().optional() }).loose())
                    .optional(),
                })
                .loose(),
            ),
          })
          .loose(),
      ),
    }),
    await readJson('jira', res, 'Read workflow'),
    'Read workflow',
  );
  const workflow = body.workflows[0];
  if (!workflow) return undefined;
  const idOf = new Map(body.statuses.map((st) => [st.statusReference, st.id]));
  return {
    statuses: body.statuses.map((st) => ({ id: st.id, name: st.name, done: st.statusCategory === 'DONE' })),
    transitions: workflow.transitions.map((t) => ({
      id: t.id,
      name: t.name,
      to: idOf.get(t.toStatusReference) ?? t.toStatusReference,
      from: (t.links ?? [])
        .map((l) => (l.fromStatusReference ? (idOf.get(l.fromStatusReference) ?? l.fromStatusReference) : ''))
        .filter(Boolean),
    })),
  };
}

/** Who made the issue's latest status change: from the history its read carried when that shows it (or is all there is), else from the changelog. */
export async function lastStatusChangeBy(
  issueId: string,
  recent?: JiraIssue['recentHistory'],
): Promise<string | undefined> {
  const answers = recent && (recent.complete || recent.entries.some((h) => h.fields.includes('status')));
  for await (const h of answers ? recent.entries : changelogNewestFirst(issueId))
    if (h.fields.includes('status')) return h.authorId;
  return undefined;
}

/** Who last changed a field (the resolution), by name: from the history the issue's read carried, else the changelog. */
export async function lastChangeByName(
  issueId: string,
  field: string,
  recent?: JiraIssue['recentHistory'],
): Promise<string | undefined> {
  const answers = recent && (recent.complete || recent.entries.some((h) => h.fields.includes(field)));
  for await (const h of answers ? recent.entries : changelogNewestFirst(issueId))
    if (h.fields.includes(field)) return h.authorName;
  return undefined;
}

let appAccount: Promise<string | undefined> | undefined;

/** The app's own Jira account (its uploads are its copies); asked once per instance. */
export function appAccountId(): Promise<string | undefined> {
  appAccount ??= (async () => {
    const res = await call('Read app user', () =>
      api.asApp().requestJira(route`/rest/api/3/myself`, { headers: { Accept: 'application/json' } }),
    );
    return parsed(
      z.object({ accountId: z.string() }).loose(),
      await readJson('jira', res, 'Read app user'),
      'Read app user',
    ).accountId;
  })().catch((e: unknown) => {
    appAccount = undefined;
    throw e;
  });
  return appAccount;
}

const ORIGIN_PROPERTY = 'crosswalk.origin';

const commentList = z.object({
  comments: z.array(
    z
      .object({
        id: z.string(),
        body: z.unknown(),
        author: z.object({ displayName: z.string().optional(), accountId: z.string().optional() }).loose().optional(),
        jsdPublic: z.boolean().optional(),
        // Read loosely: any restriction at all makes the comment private, whatever shape it comes in.
        visibility: z.unknown().optional(),
        created: z.string(),
        updated: z.string().optional(),
        properties: z.array(z.object({ key: z.string(), value: z.unknown() })).optional(),
      })
      .loose(),
  ),
  total: z.number(),
});

export interface JiraComment {
  id: string;
  body: unknown;
  authorName: string;
  authorAccountId?: string;
  /** Not for everyone who reads the issue: internal to the service desk (`jsdPublic: false`) or restricted to a role or group. */
  internal: boolean;
  /** Who the comment is restricted to (`the role Administrators`, `the group incident-managers`), when it is. */
  restrictedTo?: string;
  createdAt: number;
  updatedAt: number;
  /** On comments Crosswalk copied from a remote system: the remote comment's id (a hidden comment property). */
  copyOf?: string;
}

export async function listComments(issueId: string): Promise<JiraComment[]> {
  const out: JiraComment[] = [];
  for (let startAt = 0; ;) {
    const res = await call('Read comments', () =>
      api
        .asApp()
        .requestJira(
          route`/rest/api/3/issue/${issueId}/comment?startAt=${String(startAt)}&maxResults=100&orderBy=created&expand=properties`,
          { headers: { Accept: 'application/json' } },
        ),
    );
    const page = parsed(commentList, await readJson('jira', res, 'Read comments'), 'Read comments');
    for (const c of page.comments) {
      const origin = z
        .object({ copyOf: z.string() })
        .safeParse(c.properties?.find((p) => p.key === ORIGIN_PROPERTY)?.value);
      const restrictedTo = restrictionOf(c.visibility);
      out.push({
        id: c.id,
        body: c.body,
        authorName: c.author?.displayName ?? 'Someone',
        authorAccountId: c.author?.accountId,
        // A comment restricted to a role or group is private even where Jira calls it public (`jsdPublic` speaks
        // only of the service desk portal): it must never reach a remote where everyone reads it.
        internal: c.jsdPublic === false || restrictedTo !== undefined,
        ...(restrictedTo ? { restrictedTo } : {}),
        createdAt: parseJiraTime(c.created),
        updatedAt: parseJiraTime(c.updated ?? c.created),
        ...(origin.success ? { copyOf: origin.data.copyOf } : {}),
      });
    }
    startAt += page.comments.length;
    if (!page.comments.length || startAt >= page.total) return out;
  }
}

const restriction = z
  .object({
    type: z.enum(['role', 'group']),
    value: z.string().optional(),
    identifier: z.string().nullable().optional(),
  })
  .loose();

/** Who a comment's `visibility` restricts it to, in words; undefined for a comment without one. */
function restrictionOf(visibility: unknown): string | undefined {
  if (visibility === undefined || visibility === null) return undefined;
  const v = restriction.safeParse(visibility);
  if (!v.success) return 'a restricted audience';
  const name = v.data.value ?? v.data.identifier ?? 'unnamed';
  return `the ${v.data.type} ${name}`;
}

/** Adds a copy of a remote comment; the source id rides in a comment property people do not see. */
export async function addComment(issueId: string, body: unknown, internal: boolean, copyOf: string): Promise<string> {
  const properties = [
    { key: ORIGIN_PROPERTY, value: { copyOf } },
    ...(internal ? [{ key: 'sd.public.comment', value: { internal: true } }] : []),
  ];
  const res = await call('Add comment', () =>
    api.asApp().requestJira(route`/rest/api/3/issue/${issueId}/comment`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        Accept: 'application/json',
        'X-Atlassian-Webhook-Trace': SYNC_TRACE,
      },
      body: JSON.stringify({ body, properties }),
    }),
  );
  return parsed(z.object({ id: z.string() }).loose(), await readJson('jira', res, 'Add comment'), 'Add comment').id;
}

/** Rewrites a copy's body (its hidden source property and its visibility stay as they are). */
export async function updateComment(issueId: string, commentId: string, body: unknown): Promise<void> {
  const res = await call('Edit comment', () =>
    api.asApp().requestJira(route`/rest/api/3/issue/${issueId}/comment/${commentId}`, {
      method: 'PUT',
      headers: {
        'Content-Type': 'application/json',
        Accept: 'application/json',
        'X-Atlassian-Webhook-Trace': SYNC_TRACE,
      },
      body: JSON.stringify({ body }),
    }),
  );
  // A copy someone deleted meanwhile has nothing left to rewrite.
  if (res.status === 404) return;
  await readJson('jira', res, 'Edit comment');
}

/** Deletes a copy whose source is gone; one already gone is fine. */
export async function deleteComment(issueId: string, commentId: string): Promise<void> {
  const res = await call('Delete comment', () =>
    api.asApp().requestJira(route`/rest/api/3/issue/${issueId}/comment/${commentId}`, {
      method: 'DELETE',
      headers: { 'X-Atlassian-Webhook-Trace': SYNC_TRACE },
    }),
  );
  if (res.status === 404) return;
  await readJson('jira', res, 'Delete comment');
}

/** Issues matching a JQL query (id and updated time), paged through nextPageToken, at most `max`. */
export async function searchIssues(jql: string, max = 1000): Promise<Array<{ id: string; updatedAt: number }>> {
  const out: Array<{ id: string; updatedAt: number }> = [];
  let nextPageToken: string | undefined;
  do {
    const pageSize = Math.min(100, max - out.length);
    const res = await call('Search issues', () =>
      api.asApp().requestJira(route`/rest/api/3/search/jql`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify({
          jql,
          maxResults: pageSize,
          fields: ['updated'],
          ...(nextPageToken ? { nextPageToken } : {}),
        }),
      }),
    );
    const page = parsed(
      z.object({
        issues: z.array(
          z.object({ id: z.string(), fields: z.object({ updated: z.string().optional() }).loose().optional() }).loose(),
        ),
        nextPageToken: z.string().optional(),
      }),
      await readJson('jira', res, 'Search issues'),
      'Search issues',
    );
    out.push(
      ...page.issues.map((i) => ({ id: i.id, updatedAt: i.fields?.updated ? parseJiraTime(i.fields.updated) : 0 })),
    );
    nextPageToken = page.nextPageToken;
  } while (nextPageToken && out.length < max);
  return out;
}

/**
 * Issues matching a JQL query with the named fields, paged through nextPageToken, at most `max`; `more` says the
 * query matched more than were read.
 */
export async function searchIssuesWithFields(
  jql: string,
  fields: readonly string[],
  max: number,
): Promise<{ issues: Array<{ id: string; key: string; fields: Record<string, unknown> }>; more: boolean }> {
  const issues: Array<{ id: string; key: string; fields: Record<string, unknown> }> = [];
  let nextPageToken: string | undefined;
  do {
    const pageSize = Math.min(100, max - issues.length);
    const res = await call('Search issues', () =>
      api.asApp().requestJira(route`/rest/api/3/search/jql`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify({ jql, maxResults: pageSize, fields, ...(nextPageToken ? { nextPageToken } : {}) }),
      }),
    );
    const page = parsed(
      z.object({
        issues: z.array(
          z.object({ id: z.string(), key: z.string(), fields: z.record(z.string(), z.unknown()).optional() }).loose(),
        ),
        nextPageToken: z.string().optional(),
      }),
      await readJson('jira', res, 'Search issues'),
      'Search issues',
    );
    issues.push(...page.issues.map((i) => ({ id: i.id, key: i.key, fields: i.fields ?? {} })));
    nextPageToken = page.nextPageToken;
  } while (nextPageToken && issues.length < max);
  return { issues: issues.slice(0, max), more: Boolean(nextPageToken) };
}

/** The URLs the issue's remote links point at (anyone's, not only Crosswalk's). */
export async function remoteLinkUrls(issueId: string): Promise<string[]> {
  const res = await call('Read remote links', () =>
    api.asApp().requestJira(route`/rest/api/3/issue/${issueId}/remotelink`, {
      headers: { Accept: 'application/json' },
    }),
  );
  if (res.status === 404) return [];
  const links = parsed(
    z.array(z.object({ object: z.object({ url: z.string().optional() }).loose().optional() }).loose()),
    await readJson('jira', res, `Read remote links of ${issueId}`),
    'Read remote links',
  );
  return links.flatMap((l) => (l.object?.url ? [l.object.url] : []));
}

export async function searchIssueIds(jql: string, max = 1000): Promise<string[]> {
  return (await searchIssues(jql, max)).map((i) => i.id);
}

export interface JiraAttachment {
  id: string;
  fileName: string;
  contentType: string;
  size: number;
  authorAccountId?: string;
}

/**
 * Attachments as the issue's `attachment` field lists them (already read with
 * the issue); undefined when the read did not carry the field, so that no one
 * mistakes an unread list for an empty one (and deletes every copy).
 */
export function attachmentsOf(issue: JiraIssue): JiraAttachment[] | undefined {
  if (!('attachment' in issue.fields)) return undefined;
  const list = z
    .array(
      z
        .object({
          id: z.string(),
          filename: z.string(),
          mimeType: z.string().optional(),
          size: z.number(),
          author: z.object({ accountId: z.string().optional() }).loose().optional(),
        })
        .loose(),
    )
    .safeParse(issue.fields.attachment ?? []);
  if (!list.success) return undefined;
  return list.data.map((a) => ({
    id: a.id,
    fileName: a.filename,
    contentType: a.mimeType ?? 'application/octet-stream',
    size: a.size,
    ...(a.author?.accountId ? { authorAccountId: a.author.accountId } : {}),
  }));
}

/** Deletes a file Crosswalk copied (its source is gone); one already gone is no error. */
export async function deleteAttachment(attachmentId: string): Promise<void> {
  const res = await call('Delete attachment', () =>
    api.asApp().requestJira(route`/rest/api/3/attachment/${attachmentId}`, {
      method: 'DELETE',
      headers: { Accept: 'application/json', 'X-Atlassian-Webhook-Trace': SYNC_TRACE },
    }),
  );
  if (res.status === 204 || res.status === 404) return;
  await readJson('jira', res, `Delete attachment ${attachmentId}`);
}

export async function downloadAttachment(attachmentId: string): Promise<ReadableStream<Uint8Array>> {
  const res = await call('Download attachment', () =>
    api.asApp().requestJira(route`/rest/api/3/attachment/content/${attachmentId}?redirect=false`, {
      headers: { Accept: '*/*' },
    }),
  );
  const body = (res as unknown as { body?: ReadableStream<Uint8Array> | null }).body;
  if (!res.ok || !body) {
    await readJson('jira', res, 'Download attachment');
    throw new SyncError({ system: 'jira', kind: 'transient', message: 'Download attachment: empty body' });
  }
  return body;
}

/**
 * A file's id in Atlassian's media service: what ADF `media` nodes name (an
 * image shown inline in a description or comment). Jira's REST API says it
 * only in where a download redirects to (`…/file/{id}/binary?…`), so that
 * redirect is asked for and not followed; nothing is downloaded.
 */
export async function mediaIdOf(attachmentId: string): Promise<string | undefined> {
  const res = await call('Find attachment media id', () =>
    api.asApp().requestJira(route`/rest/api/3/attachment/content/${attachmentId}`, {
      headers: { Accept: '*/*' },
      redirect: 'manual',
    }),
  );
  if (!res.ok && (res.status < 300 || res.status >= 400) && res.status !== 404)
    await readJson('jira', res, `Find media id of attachment ${attachmentId}`); // throws, as every failed call does
  await (res as unknown as { body?: ReadableStream<Uint8Array> | null }).body?.cancel();
  return /\/file\/([0-9a-fA-F-]{36})\//.exec(res.headers.get('location') ?? '')?.[1];
}

/**
 * Uploads one file as multipart `file`, streaming: the parts around the file
 * are written by hand so the file itself never has to sit in memory.
 */
export async function uploadAttachment(
  issueId: string,
  fileName: string,
  contentType: string,
  body: ReadableStream<Uint8Array>,
): Promise<string> {
  const boundary = `crosswalk-${Math.random().toString(36).slice(2)}${Date.now().toString(36)}`;
  const safeName = fileName.replace(/["\r\n]/g, '_');
  const head = new TextEncoder().encode(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${safeName}"\r\nContent-Type: ${contentType}\r\n\r\n`,
  );
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
  const init = {
    method: 'POST',
    headers: {
      'Content-Type': `multipart/form-data; boundary=${boundary}`,
      'X-Atlassian-Token': 'no-check',
      Accept: 'application/json',
    },
    body: stream,
    duplex: 'half',
  } as unknown as Parameters<ReturnType<typeof api.asApp>['requestJira']>[1];
  const res = await call('Upload attachment', () =>
    api.asApp().requestJira(route`/rest/api/3/issue/${issueId}/attachments`, init),
  );
  const uploaded = parsed(
    z.array(z.object({ id: z.string() }).loose()).min(1),
    await readJson('jira', res, 'Upload attachment'),
    'Upload attachment',
  );
  return uploaded[0]!.id;
}

export async function deleteRemoteLink(issueId: string, globalId: string): Promise<void> {
  const res = await call('Remove remote link', () =>
    api.asApp().requestJira(route`/rest/api/3/issue/${issueId}/remotelink?globalId=${globalId}`, { method: 'DELETE' }),
  );
  if (res.status !== 204 && res.status !== 404) await readJson('jira', res, 'Remove remote link');
}

/** The issue Crosswalk created from a remote item, found by the indexed link property. */
export async function issueCreatedFrom(projectId: string, remoteId: string): Promise<string | undefined> {
  if (!/^[A-Za-z0-9_-]+$/.test(remoteId)) return undefined;
  const ids = await searchIssueIds(
    `project = ${projectId} AND issue.property[${LINK_PROPERTY}].remote = "${remoteId}" ORDER BY created ASC`,
    1,
  );
  return ids[0];
}

/** The Jira account with exactly this email, where Jira shows emails to the app. */
export async function accountIdForEmail(email: string): Promise<string | undefined> {
  const res = await call('Find user', () =>
    api.asApp().requestJira(route`/rest/api/3/user/search?query=${email}`, { headers: { Accept: 'application/json' } }),
  );
  const users = parsed(
    z.array(z.object({ accountId: z.string(), emailAddress: z.string().optional() }).loose()),
    await readJson('jira', res, 'Find user'),
    'Find user',
  );
  return users.find((u) => u.emailAddress?.toLowerCase() === email.toLowerCase())?.accountId;
}

/** The issue's changelog, newest first: Jira keeps it oldest first, so its total, then pages from the end. */
async function* changelogNewestFirst(issueId: string): AsyncGenerator<JiraHistory> {
  const read = async (startAt: number, maxResults: number) => {
    const res = await call('Read changelog', () =>
      api
        .asApp()
        .requestJira(
          route`/rest/api/3/issue/${issueId}/changelog?startAt=${String(startAt)}&maxResults=${String(maxResults)}`,
          { headers: { Accept: 'application/json' } },
        ),
    );
    return parsed(changelogPage, await readJson('jira', res, `Read changelog of ${issueId}`), 'Read changelog');
  };
  const { total } = await read(0, 1);
  for (let end = total; end > 0; end -= 100) {
    const page = await read(Math.max(0, end - 100), Math.min(100, end));
    for (const h of [...page.values].reverse()) yield historyOf(h);
  }
}

/**
 * The fields people (not Crosswalk) changed after `since` (ms), with when each
 * last changed: a field changed and changed back reads as unchanged by its
 * value alone. Read from the history the issue's read carried when it reaches back to
 * `since` (or is all there is), else from the changelog.
 */
export async function fieldChangesSince(
  issueId: string,
  since: number,
  recent?: JiraIssue['recentHistory'],
): Promise<Map<string, number>> {
  const answers = recent && (recent.complete || recent.entries.some((h) => h.at <= since));
  const app = await appAccountId();
  const out = new Map<string, number>();
  for await (const h of answers ? recent.entries : changelogNewestFirst(issueId)) {
    if (h.at <= since) break;
    if (app && h.authorId === app) continue;
    for (const field of h.fields) out.set(field, Math.max(out.get(field) ?? 0, h.at));
  }
  return out;
}

const fieldList = z.array(
  z
    .object({
      id: z.string(),
      name: z.string().optional(),
      schema: z
        .object({
          type: z.string().optional(),
          items: z.string().optional(),
          system: z.string().optional(),
          custom: z.string().optional(),
        })
        .loose()
        .optional(),
    })
    .loose(),
);

/** Every field of the site with its schema (`GET /rest/api/3/field`), for typing a connection's field pairs. */
export async function fieldSchemas(): Promise<z.infer<typeof fieldList>> {
  const res = await call('Read fields', () =>
    api.asApp().requestJira(route`/rest/api/3/field`, { headers: { Accept: 'application/json' } }),
  );
  return parsed(fieldList, await readJson('jira', res, 'Read fields'), 'Read fields');
}

const projectAnswer = z
  .object({
    key: z.string().optional(),
    issueTypes: z
      .array(z.object({ id: z.string(), name: z.string(), subtask: z.boolean().optional() }).loose())
      .optional(),
  })
  .loose();

/** The project's key and issue types (not sub-tasks), as the app reads them; undefined when it cannot be read. */
export async function projectOverview(
  projectId: string,
): Promise<{ key: string | undefined; issueTypes: Array<{ id: string; name: string; subtask: boolean }> } | undefined> {
  const res = await call('Read project', () =>
    api.asApp().requestJira(route`/rest/api/3/project/${projectId}`, { headers: { Accept: 'application/json' } }),
  );
  if (!res.ok) return undefined;
  const body = projectAnswer.safeParse(await readJson('jira', res, 'Read project'));
  if (!body.success) return undefined;
  return {
    key: body.data.key,
    issueTypes: (body.data.issueTypes ?? []).map((t) => ({ id: t.id, name: t.name, subtask: Boolean(t.subtask) })),
  };
}

/** The project's issue types (not sub-tasks), as the app reads them; none when the project cannot be read. */
export async function projectIssueTypes(projectId: string): Promise<Array<{ id: string; name: string }>> {
  return ((await projectOverview(projectId))?.issueTypes ?? [])
    .filter((t) => !t.subtask)
    .map((t) => ({ id: t.id, name: t.name }));
}

const createMetaPage = z
  .object({
    startAt: z.number().int().min(0),
    maxResults: z.number().int().min(0),
    total: z.number().int().min(0),
    fields: z.array(z.object({ fieldId: z.string(), name: z.string() }).loose()),
  })
  .loose();

/** Jira's most per page of createmeta; a project's screen holds a few dozen fields, so a handful of pages at most. */
const CREATE_META_PAGE = 200;
/** Past this many pages Jira is not answering as documented: stop rather than page on. */
const CREATE_META_MAX_PAGES = 20;

/**
 * The fields on the project's create screen for one issue type (createmeta, every page): what a create may set,
 * and, with Jira's default screen scheme, an edit too. Undefined when Jira does not answer them (the project or
 * issue type gone, the app not allowed to create issues there): nothing is known then.
 */
export async function createScreenFields(
  projectId: string,
  issueTypeId: string,
): Promise<Array<{ id: string; name: string }> | undefined> {
  const out: Array<{ id: string; name: string }> = [];
  for (let page = 0, startAt = 0; page < CREATE_META_MAX_PAGES; page++) {
    const res = await call('Read create screen', () =>
      api
        .asApp()
        .requestJira(
          route`/rest/api/3/issue/createmeta/${projectId}/issuetypes/${issueTypeId}?startAt=${String(startAt)}&maxResults=${String(CREATE_META_PAGE)}`,
          { headers: { Accept: 'application/json' } },
        ),
    );
    if (!res.ok) return undefined;
    const body = parsed(createMetaPage, await readJson('jira', res, 'Read create screen'), 'Read create screen');
    out.push(...body.fields.map((f) => ({ id: f.fieldId, name: f.name })));
    startAt = body.startAt + body.fields.length;
    if (!body.fields.length || startAt >= body.total) return out;
  }
  return undefined;
}
