/**
 * A GitHub issue as the connector reads and writes it: the payload (zod at the
 * boundary), the fields Crosswalk maps (GitHub's own names and values), and
 * the hidden correlation marker in the body.
 *
 * GitHub has no external-id field, and its search index lags, so the marker
 * that says which Jira issue an issue was made for is written into the body as
 * an HTML comment GitHub does not show (`<!-- crosswalk:<id> -->`). The engine
 * never sees it: it is taken out of the body read and put back on every body
 * written, so a Jira edit of the description cannot erase it.
 */
import * as z from 'zod';
import { SyncError } from '../errors';
import { SYSTEM } from './auth';

const login = z.object({ login: z.string() }).loose();

export const issueSchema = z
  .object({
    id: z.number(),
    number: z.number(),
    html_url: z.string(),
    title: z.string(),
    body: z.string().nullable().optional(),
    state: z.string(),
    state_reason: z.string().nullable().optional(),
    labels: z.array(z.union([z.string(), z.object({ name: z.string().nullable().optional() }).loose()])).default([]),
    assignees: z.array(login).nullable().default([]),
    milestone: z.object({ number: z.number(), title: z.string() }).loose().nullable().optional(),
    type: z.object({ name: z.string() }).loose().nullable().optional(),
    /** Present on a pull request: the issues listing holds pull requests too. */
    pull_request: z.unknown().optional(),
    parent_issue_url: z.string().nullable().optional(),
    repository_url: z.string().optional(),
    user: login.nullable().optional(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .loose();
export type GitHubIssue = z.infer<typeof issueSchema>;

/** The fields a connection maps, under these names. */
export const ISSUE_FIELDS = [
  'title',
  'body',
  'state',
  'state_reason',
  'labels',
  'assignees',
  'milestone',
  'type',
] as const;

const MARKER = /<!-- crosswalk:(\S+?) -->/g;

/** The marker naming `correlationId`; the id never holds `-->` (it is ours: `crosswalk:<site>:<connection>:<issue>`). */
export const markerOf = (correlationId: string) => `<!-- crosswalk:${correlationId} -->`;

/** GitHub keeps at most this much of a body; the marker takes its room from it (see `capabilities.maxLengths`). */
export const GITHUB_MAX_BODY = 65_536;
/** What the marker and its blank line may take of a body. */
export const MARKER_ROOM = 200;

/** The body without any marker, and the marker's id (the first, if a person copied one). */
export function splitMarker(body: string | null | undefined): { body: string; correlationId?: string } {
  const text = body ?? '';
  const first = [...text.matchAll(MARKER)][0]?.[1];
  if (first === undefined) return { body: text };
  const stripped = text.replace(MARKER, '').replace(/\s+$/, '');
  return { body: stripped, correlationId: first };
}

/** The body as written to GitHub: the engine's text, then the marker on a line of its own. */
export function withMarker(body: string, correlationId: string | undefined): string {
  const clean = splitMarker(body).body;
  if (!correlationId) return clean;
  return clean ? `${clean}\n\n${markerOf(correlationId)}` : markerOf(correlationId);
}

/** The issue's mapped fields in GitHub's own values: label names, assignee logins, milestone and type by name. */
export function issueFields(issue: GitHubIssue): Record<string, unknown> {
  return {
    title: issue.title,
    body: splitMarker(issue.body).body,
    state: issue.state,
    state_reason: issue.state_reason ?? null,
    labels: issue.labels
      .map((l) => (typeof l === 'string' ? l : (l.name ?? '')))
      .filter(Boolean)
      .sort(),
    assignees: (issue.assignees ?? []).map((a) => a.login).sort(),
    milestone: issue.milestone?.title ?? null,
    type: issue.type?.name ?? null,
  };
}

/** The issue number a `parent_issue_url` names, when it is an issue of `owner/repo` (a parent elsewhere is out of the connection's scope). */
export function parentNumberOf(parentUrl: string | null | undefined, owner: string, repo: string): string | undefined {
  if (!parentUrl) return undefined;
  const match = /\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)$/.exec(parentUrl);
  if (!match) return undefined;
  const [, o, r, n] = match;
  return o!.toLowerCase() === owner.toLowerCase() && r!.toLowerCase() === repo.toLowerCase() ? n : undefined;
}

/** What people read of an issue's state: GitHub's own words on its closed issues. */
export function stateLabel(state: unknown, reason: unknown): string | undefined {
  if (state === 'open') return 'Open';
  if (state !== 'closed') return undefined;
  if (reason === 'not_planned') return 'Closed as not planned';
  if (reason === 'duplicate') return 'Closed as duplicate';
  return 'Closed as completed';
}

/**
 * A set as GitHub takes it. The engine writes a Jira label set as one text, space-separated (a Jira label holds no
 * spaces; logins hold none either), so a text is split on spaces; an array is taken as it is.
 */
const asStrings = (value: unknown): string[] =>
  Array.isArray(value)
    ? value.map((v) => String(v).trim()).filter(Boolean)
    : String(value ?? '')
        .split(/\s+/)
        .filter(Boolean);

/**
 * The request body of a create or an update from mapped fields (milestone already a number, body already with
 * its marker). `labels` and `assignees` replace the sets; an empty one clears. Fields GitHub does not know are
 * refused here rather than sent and ignored.
 */
export function issueWrite(fields: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) {
    switch (key) {
      case 'title':
        out.title = String(value ?? '');
        break;
      case 'body':
        out.body = value === null || value === undefined ? '' : String(value);
        break;
      case 'state':
      case 'state_reason':
        out[key] = value === null || value === undefined || value === '' ? null : String(value);
        break;
      case 'labels':
      case 'assignees':
        out[key] = asStrings(value);
        break;
      case 'milestone':
        out.milestone = value ?? null;
        break;
      case 'type':
        out.type = value === null || value === undefined || value === '' ? null : String(value);
        break;
      default:
        throw new SyncError({
          system: SYSTEM,
          kind: 'validation',
          refused: { [key]: 'GitHub issues have no such field' },
          message: `GitHub issues have no field “${key}”`,
        });
    }
  }
  if (out.state === null) delete out.state;
  return out;
}
