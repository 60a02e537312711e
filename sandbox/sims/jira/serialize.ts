/** Jira REST v3 response shapes (swagger-v3.v3.json). */
import { adfHtml } from './adf';
import { childrenOf, issueTypeOf, parentOf } from './hierarchy';
import { linksOf, linkType } from './links';
import { jiraTime, type Site } from './site';
import {
  DEFAULT_PRIORITY_ID,
  type AttachmentRecord,
  type CommentRecord,
  type IssueLinkRecord,
  type IssueLinkType,
  type IssueRecord,
  type IssueType,
  type JiraUser,
  type Priority,
  type Project,
  type Status,
} from './state';

export function userJson(base: string, u: JiraUser): Record<string, unknown> {
  return {
    self: `${base}/rest/api/3/user?accountId=${encodeURIComponent(u.accountId)}`,
    accountId: u.accountId,
    accountType: u.accountType,
    ...(u.emailAddress ? { emailAddress: u.emailAddress } : {}),
    avatarUrls: {
      '48x48': `${base}/_avatar/${u.accountId}.png`,
      '24x24': `${base}/_avatar/${u.accountId}.png`,
      '16x16': `${base}/_avatar/${u.accountId}.png`,
      '32x32': `${base}/_avatar/${u.accountId}.png`,
    },
    displayName: u.displayName,
    active: true,
    timeZone: 'UTC',
  };
}

export function statusJson(base: string, s: Status): Record<string, unknown> {
  const category = {
    new: { id: 2, key: 'new', colorName: 'blue-gray', name: 'To Do' },
    indeterminate: { id: 4, key: 'indeterminate', colorName: 'yellow', name: 'In Progress' },
    done: { id: 3, key: 'done', colorName: 'green', name: 'Done' },
  }[s.category];
  return {
    self: `${base}/rest/api/3/status/${s.id}`,
    description: '',
    iconUrl: `${base}/images/icons/statuses/generic.png`,
    name: s.name,
    id: s.id,
    statusCategory: { self: `${base}/rest/api/3/statuscategory/${category.id}`, ...category },
  };
}

const PRIORITY_COLORS: Record<string, string> = {
  '1': '#d04437',
  '2': '#f15c75',
  '3': '#f79232',
  '4': '#707070',
  '5': '#999999',
};

/** A priority as `priority/search` lists it. */
export function priorityJson(base: string, p: Priority): Record<string, unknown> {
  return {
    self: `${base}/rest/api/3/priority/${p.id}`,
    id: p.id,
    name: p.name,
    description: '',
    iconUrl: `${base}/images/icons/priorities/${p.id}.svg`,
    statusColor: PRIORITY_COLORS[p.id] ?? '#999999',
    isDefault: p.id === DEFAULT_PRIORITY_ID,
  };
}

/** An issue type as Jira answers it everywhere (IssueTypeDetails): where it sits in the hierarchy included. */
export function issueTypeJson(base: string, t: IssueType): Record<string, unknown> {
  return {
    self: `${base}/rest/api/3/issuetype/${t.id}`,
    id: t.id,
    description: t.description,
    iconUrl: `${base}/images/icons/issuetypes/${t.id}.png`,
    name: t.name,
    subtask: t.subtask,
    hierarchyLevel: t.hierarchyLevel,
  };
}

export function projectJson(base: string, p: Project): Record<string, unknown> {
  return {
    self: `${base}/rest/api/3/project/${p.id}`,
    id: p.id,
    key: p.key,
    name: p.name,
    projectTypeKey: 'software',
    simplified: false,
    avatarUrls: { '48x48': `${base}/_avatar/project-${p.id}.png` },
  };
}

/** A priority as an issue's `priority` field holds it. */
function priorityRef(base: string, p: Priority): Record<string, unknown> {
  return {
    self: `${base}/rest/api/3/priority/${p.id}`,
    id: p.id,
    name: p.name,
    iconUrl: `${base}/images/icons/priorities/${p.id}.svg`,
  };
}

/**
 * Another issue as an issue's `parent`, `subtasks` and `issuelinks` carry it (LinkedIssue): its id, key and link,
 * and the few fields Jira gives there.
 */
export function linkedIssueJson(base: string, site: Site, issue: IssueRecord): Record<string, unknown> {
  const status = site.state.statuses.find((s) => s.id === issue.statusId)!;
  const priority = site.state.priorities.find((p) => p.id === issue.priorityId);
  return {
    id: issue.id,
    key: issue.key,
    self: `${base}/rest/api/3/issue/${issue.id}`,
    fields: {
      summary: issue.summary,
      status: statusJson(base, status),
      ...(priority ? { priority: priorityRef(base, priority) } : {}),
      issuetype: issueTypeJson(base, issueTypeOf(site, issue)),
    },
  };
}

export function issueLinkTypeJson(base: string, t: IssueLinkType): Record<string, unknown> {
  return {
    id: t.id,
    name: t.name,
    inward: t.inward,
    outward: t.outward,
    self: `${base}/rest/api/3/issueLinkType/${t.id}`,
  };
}

/** A link as `GET /issueLink/{id}` answers it: the destination as `inwardIssue`, the source as `outwardIssue`. */
export function issueLinkJson(base: string, site: Site, link: IssueLinkRecord): Record<string, unknown> {
  const issue = (id: string) => site.state.issues.find((i) => i.id === id)!;
  return {
    id: link.id,
    self: `${base}/rest/api/3/issueLink/${link.id}`,
    type: issueLinkTypeJson(base, linkType(site, link)),
    inwardIssue: linkedIssueJson(base, site, issue(link.destinationId)),
    outwardIssue: linkedIssueJson(base, site, issue(link.sourceId)),
  };
}

/**
 * An issue's `issuelinks`, each link from this issue's side with only the other issue: as `outwardIssue` where this
 * issue is the source (label it with the type's `outward`: "blocks"), as `inwardIssue` where it is the destination
 * ("is blocked by"). Links to issues the viewer cannot see are left out.
 */
export function issueLinksJson(
  base: string,
  site: Site,
  issue: IssueRecord,
  viewer: JiraUser | undefined,
): Array<Record<string, unknown>> {
  return linksOf(site, issue).flatMap((link) => {
    const fromSource = link.sourceId === issue.id;
    const other = site.state.issues.find((i) => i.id === (fromSource ? link.destinationId : link.sourceId));
    if (!other || !site.can(viewer, 'BROWSE_PROJECTS', site.projectOf(other))) return [];
    return [
      {
        id: link.id,
        self: `${base}/rest/api/3/issueLink/${link.id}`,
        type: issueLinkTypeJson(base, linkType(site, link)),
        [fromSource ? 'outwardIssue' : 'inwardIssue']: linkedIssueJson(base, site, other),
      },
    ];
  });
}

export function commentJson(
  base: string,
  site: Site,
  issue: IssueRecord,
  c: CommentRecord,
  renderedBody = false,
): Record<string, unknown> {
  const author = site.user(c.authorId);
  const updater = site.user(c.updateAuthorId);
  const internal = (c.properties['sd.public.comment'] as { internal?: boolean } | undefined)?.internal === true;
  return {
    self: `${base}/rest/api/3/issue/${issue.id}/comment/${c.id}`,
    id: c.id,
    ...(author ? { author: userJson(base, author) } : {}),
    body: c.body,
    ...(renderedBody ? { renderedBody: adfHtml(c.body) } : {}),
    ...(updater ? { updateAuthor: userJson(base, updater) } : {}),
    created: jiraTime(c.created),
    updated: jiraTime(c.updated),
    ...(c.visibility ? { visibility: c.visibility } : {}),
    jsdPublic: !internal,
    ...(Object.keys(c.properties).length
      ? { properties: Object.entries(c.properties).map(([key, value]) => ({ key, value })) }
      : {}),
  };
}

export function attachmentJson(base: string, site: Site, a: AttachmentRecord): Record<string, unknown> {
  const author = site.user(a.authorId);
  return {
    self: `${base}/rest/api/3/attachment/${a.id}`,
    id: a.id,
    filename: a.filename,
    ...(author ? { author: userJson(base, author) } : {}),
    created: jiraTime(a.created),
    size: a.content.length,
    mimeType: a.mimeType,
    content: `${base}/rest/api/3/attachment/content/${a.id}`,
  };
}

/** All navigable fields of an issue, keyed by field id, as `viewer` sees them (restricted comments only for their role or group). */
export function issueFields(
  base: string,
  site: Site,
  issue: IssueRecord,
  viewer: JiraUser | undefined,
): Record<string, unknown> {
  const project = site.projectOf(issue);
  const type = site.state.issueTypes.find((t) => t.id === issue.issueTypeId)!;
  const status = site.state.statuses.find((s) => s.id === issue.statusId)!;
  const priority = site.state.priorities.find((p) => p.id === issue.priorityId);
  const parent = parentOf(site, issue);
  const user = (id: string | null) => {
    const u = id ? site.user(id) : undefined;
    return u ? userJson(base, u) : null;
  };
  const custom: Record<string, unknown> = {};
  for (const f of site.state.fields.filter((x) => x.custom)) {
    const v = issue.custom[f.id];
    if (f.schema.type === 'user') custom[f.id] = typeof v === 'string' ? user(v) : null;
    else if (f.schema.type === 'option')
      custom[f.id] = f.options?.find((o) => o.id === v)
        ? { self: `${base}/rest/api/3/customFieldOption/${String(v)}`, ...f.options.find((o) => o.id === v) }
        : null;
    else if (f.schema.type === 'array' && f.schema.items === 'option')
      custom[f.id] = Array.isArray(v)
        ? f.options
            ?.filter((o) => v.includes(o.id))
            .map((o) => ({ self: `${base}/rest/api/3/customFieldOption/${o.id}`, ...o }))
        : null;
    else custom[f.id] = v ?? null;
  }
  return {
    summary: issue.summary,
    description: issue.description,
    issuetype: issueTypeJson(base, type),
    project: projectJson(base, project),
    status: statusJson(base, status),
    priority: priority ? priorityRef(base, priority) : null,
    labels: issue.labels,
    duedate: issue.duedate ?? null,
    assignee: user(issue.assigneeId),
    reporter: user(issue.reporterId),
    creator: user(issue.creatorId),
    created: jiraTime(issue.created),
    updated: jiraTime(issue.updated),
    resolution: issue.resolution
      ? { self: `${base}/rest/api/3/resolution/${issue.resolution.id}`, ...issue.resolution, description: '' }
      : null,
    resolutiondate: issue.resolved ? jiraTime(issue.resolved) : null,
    comment: (() => {
      const visible = site.visibleComments(viewer, issue);
      return {
        comments: visible.map((c) => commentJson(base, site, issue, c)),
        self: `${base}/rest/api/3/issue/${issue.id}/comment`,
        maxResults: visible.length,
        total: visible.length,
        startAt: 0,
      };
    })(),
    attachment: issue.attachments.map((a) => attachmentJson(base, site, a)),
    // As Jira: `parent` only when there is one; `subtasks` always, listing sub-tasks only (an Epic's issues are not).
    ...(parent ? { parent: linkedIssueJson(base, site, parent) } : {}),
    subtasks: childrenOf(site, issue)
      .filter((i) => issueTypeOf(site, i).subtask)
      .map((i) => linkedIssueJson(base, site, i)),
    issuelinks: issueLinksJson(base, site, issue, viewer),
    ...custom,
  };
}

export interface IssueJsonOptions {
  fields?: string[];
  expand?: string[];
  properties?: string[];
  /** Who asks: what they may not see (restricted comments) is left out. */
  viewer?: JiraUser;
}

/** `GET /issue` and search results: `fields` selects (`*all`, `*navigable`, `-x`), `expand` adds sections. */
export function issueJson(
  base: string,
  site: Site,
  issue: IssueRecord,
  opts: IssueJsonOptions = {},
): Record<string, unknown> {
  const all = issueFields(base, site, issue, opts.viewer);
  const requested = opts.fields ?? ['*all'];
  let keys: string[];
  if (requested.some((f) => f === '*all' || f === '*navigable')) keys = Object.keys(all);
  else keys = requested.filter((f) => !f.startsWith('-'));
  const excluded = new Set(requested.filter((f) => f.startsWith('-')).map((f) => f.slice(1)));
  const fields: Record<string, unknown> = {};
  for (const k of keys) if (k in all && !excluded.has(k)) fields[k] = all[k];
  const expand = new Set(opts.expand ?? []);
  const out: Record<string, unknown> = {
    expand: 'renderedFields,names,schema,operations,editmeta,changelog,versionedRepresentations',
    id: issue.id,
    self: `${base}/rest/api/3/issue/${issue.id}`,
    key: issue.key,
    fields,
  };
  if (expand.has('renderedFields'))
    out.renderedFields = { description: issue.description ? adfHtml(issue.description) : null };
  if (expand.has('names'))
    out.names = Object.fromEntries(site.state.fields.filter((f) => f.id in fields).map((f) => [f.id, f.name]));
  if (expand.has('changelog')) {
    // As Jira Cloud: the most recent first, at most 40 (the changelog endpoint pages through the rest).
    const recent = issue.changelog.slice(-INLINE_CHANGELOG_MAX).reverse();
    out.changelog = {
      startAt: 0,
      maxResults: recent.length,
      total: issue.changelog.length,
      histories: recent.map((h) => historyJson(base, site, h)),
    };
  }
  if (expand.has('transitions')) out.transitions = availableTransitions(base, site, issue);
  if (opts.properties?.length) {
    out.properties = Object.fromEntries(
      Object.entries(issue.properties).filter(
        ([k]) => opts.properties!.includes(k) || opts.properties!.includes('*all'),
      ),
    );
  }
  return out;
}

/** GET issue's `expand=changelog` returns at most this many histories (the spec: "a maximum of 40 changelogs"). */
export const INLINE_CHANGELOG_MAX = 40;

export function historyJson(base: string, site: Site, h: IssueRecord['changelog'][number]): Record<string, unknown> {
  const author = site.user(h.authorId);
  // The spec types from/to as strings; an absent value is left out rather than sent as null.
  const items = h.items.map(({ from, to, ...rest }) => ({
    ...rest,
    ...(from !== null ? { from } : {}),
    ...(to !== null ? { to } : {}),
  }));
  return { id: h.id, ...(author ? { author: userJson(base, author) } : {}), created: jiraTime(h.created), items };
}

export function availableTransitions(base: string, site: Site, issue: IssueRecord): Array<Record<string, unknown>> {
  return site
    .workflowOf(issue)
    .transitions.filter((t) => (t.from.length === 0 || t.from.includes(issue.statusId)) && t.to !== issue.statusId)
    .map((t) => {
      const to = site.state.statuses.find((s) => s.id === t.to)!;
      return {
        id: t.id,
        name: t.name,
        to: statusJson(base, to),
        hasScreen: false,
        isGlobal: t.from.length === 0,
        isInitial: false,
        isAvailable: true,
        isConditional: false,
        isLooped: false,
      };
    });
}
