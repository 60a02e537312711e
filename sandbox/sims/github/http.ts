/** Request plumbing the routes share: the Hono env, JSON bodies, repository and issue lookup, `Link` paging. */
import type { Context } from 'hono';
import * as z from 'zod';
import { permissionOn, type Caller } from './auth';
import { basicError, GhError, notFound } from './errors';
import type { RenderOptions } from './serialize';
import { atLeast, type GitHubStore, type Issue, type Permission, type Repo } from './store';

export const API_VERSIONS = ['2022-11-28', '2026-03-10'] as const;
export type ApiVersion = (typeof API_VERSIONS)[number];

export type Env = {
  Variables: {
    caller: Caller | undefined;
    /** Where this request came in (the forwarded host, or the loopback): `Link` and `Location` point there. */
    origin: string;
    apiVersion: ApiVersion;
  };
};
export type Ctx = Context<Env>;

export const renderOptions = (c: Ctx): RenderOptions => ({
  withSingularAssignee: c.get('apiVersion') === '2022-11-28',
});

/** A JSON body checked by `schema`; GitHub answers 400 for JSON it cannot parse and 422 for a wrong shape. */
export async function jsonBody<T extends z.ZodType>(c: Ctx, schema: T): Promise<z.infer<T>> {
  const text = await c.req.text();
  let raw: unknown = {};
  if (text.trim()) {
    try {
      raw = JSON.parse(text);
    } catch {
      throw basicError(400, 'Problems parsing JSON');
    }
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success)
    throw new GhError(422, {
      message: `Invalid request.\n\n${parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('\n')}`,
      documentation_url: 'https://docs.github.com/rest',
      status: '422',
    });
  return parsed.data;
}

export interface RepoAccess {
  repo: Repo;
  permission: Permission;
  canPush: boolean;
}

/** The repository in the path, as the caller sees it: one it may not see is 404, never 403. */
export function repoAccess(c: Ctx, store: GitHubStore): RepoAccess {
  const repoId = c.req.param('repoId');
  const repo =
    repoId !== undefined
      ? store.repos.get(Number(repoId))
      : store.repoByName(c.req.param('owner') ?? '', c.req.param('repo') ?? '');
  const permission = repo && permissionOn(c.get('caller'), repo);
  if (!repo || !permission) throw notFound();
  return { repo, permission, canPush: atLeast(permission, 'push') };
}

/** Refuses the caller unless its role on the repository is at least `wanted` (GitHub says 403 once the repository is visible). */
export function requireWrite(access: RepoAccess, wanted: Permission = 'pull'): void {
  if (!atLeast(access.permission, wanted)) throw basicError(403, 'Resource not accessible by integration');
}

export function positiveInt(c: Ctx, name: string): number {
  const raw = c.req.param(name) ?? '';
  if (!/^\d+$/.test(raw)) throw notFound();
  return Number(raw);
}

/**
 * The issue at `number` in the repository: 404 where none ever was, 410 once
 * deleted, 301 to its new address once transferred (vendor-apis-more.md §1.2).
 */
export function issueAt(c: Ctx, store: GitHubStore, repo: Repo, number: number): Issue {
  const issue = store.issueByNumber(repo.id, number);
  if (!issue) throw notFound();
  if (issue.deleted) throw basicError(410, 'This issue was deleted');
  if (issue.movedTo) {
    const location = `${c.get('origin')}/repositories/${issue.movedTo.repoId}/issues/${issue.movedTo.number}`;
    throw new GhError(
      301,
      { message: 'Moved Permanently', url: location, documentation_url: 'https://docs.github.com/rest' },
      { location },
    );
  }
  return issue;
}

/** `per_page` (default 30, at most 100) and `page`, with GitHub's `Link` header (first, prev, next, last). */
export function paginate<T>(c: Ctx, items: readonly T[]): T[] {
  const perPage = Math.min(100, Math.max(1, Number(c.req.query('per_page') ?? 30) || 30));
  const page = Math.max(1, Number(c.req.query('page') ?? 1) || 1);
  const last = Math.max(1, Math.ceil(items.length / perPage));
  const url = new URL(c.req.url);
  const at = (n: number) => {
    url.searchParams.set('page', String(n));
    url.searchParams.set('per_page', String(perPage));
    return `<${c.get('origin')}${url.pathname}${url.search}>`;
  };
  const links: string[] = [];
  if (page > 1) links.push(`${at(page - 1)}; rel="prev"`);
  if (page < last) links.push(`${at(page + 1)}; rel="next"`, `${at(last)}; rel="last"`);
  if (page > 1) links.push(`${at(1)}; rel="first"`);
  if (links.length) c.header('link', links.join(', '));
  return items.slice((page - 1) * perPage, page * perPage);
}

/** `since`: an ISO 8601 time, `YYYY-MM-DDTHH:MM:SSZ`; GitHub compares at the second. */
export function sinceParam(c: Ctx): number | undefined {
  const raw = c.req.query('since');
  if (raw === undefined) return undefined;
  const ms = Date.parse(raw);
  if (Number.isNaN(ms)) throw basicError(422, `Invalid value for since: ${raw}`);
  return Math.floor(ms / 1000) * 1000;
}
