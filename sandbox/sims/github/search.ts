/**
 * `GET /search/issues` over an index that trails the writes (vendor-apis-more.md
 * §1.2 marks the lag unconfirmed, so it is a knob, 60 s by default): each issue
 * is found as it was `lag` ago, and one made since is not found at all. Understood
 * qualifiers: `repo:`, `is:issue|pr|open|closed`, `type:`, `state:`, `label:`,
 * `in:title|body`, quoted phrases and bare words (all must match).
 */
import type { Hono } from 'hono';
import { permissionOn, requireCaller } from './auth';
import type { SimContext } from './context';
import { validationFailed } from './errors';
import { paginate, renderOptions, type Env } from './http';
import * as render from './serialize';
import type { Issue } from './store';

interface Query {
  repos: string[];
  kind?: 'issue' | 'pr';
  state?: 'open' | 'closed';
  labels: string[];
  fields: Array<'title' | 'body'>;
  terms: string[];
}

export function parseSearchQuery(q: string): Query {
  const query: Query = { repos: [], labels: [], fields: [], terms: [] };
  for (const m of q.matchAll(/(\w+):("[^"]*"|\S+)|"([^"]*)"|(\S+)/g)) {
    const [, qualifier, rawValue, phrase, word] = m;
    if (phrase !== undefined || word !== undefined) {
      query.terms.push((phrase ?? word ?? '').toLowerCase());
      continue;
    }
    const value = (rawValue ?? '').replace(/^"|"$/g, '');
    switch (qualifier?.toLowerCase()) {
      case 'repo':
        query.repos.push(value.toLowerCase());
        break;
      case 'is':
      case 'type':
        if (value === 'issue' || value === 'pr') query.kind = value;
        else if (value === 'open' || value === 'closed') query.state = value;
        break;
      case 'state':
        if (value === 'open' || value === 'closed') query.state = value;
        break;
      case 'label':
        query.labels.push(value.toLowerCase());
        break;
      case 'in':
        for (const f of value.split(',')) if (f === 'title' || f === 'body') query.fields.push(f);
        break;
      default:
        // An unknown qualifier reads as words, as GitHub's search does.
        query.terms.push(m[0].toLowerCase());
    }
  }
  return query;
}

export function searchRoutes(app: Hono<Env>, sim: SimContext): void {
  const { store } = sim;
  app.get('/search/issues', (c) => {
    const caller = requireCaller(c.get('caller'));
    const q = c.req.query('q');
    if (!q) throw validationFailed({ resource: 'Search', field: 'q', code: 'missing' });
    const query = parseSearchQuery(q);
    const indexedBefore = sim.now() - sim.search.lagMs;
    const fields = query.fields.length ? query.fields : (['title', 'body'] as const);
    const hits = [...store.issues.values()].filter((issue: Issue) => {
      if (issue.deleted || issue.movedTo) return false;
      const repo = store.repo(issue.repoId);
      if (!permissionOn(caller, repo)) return false;
      if (query.repos.length && !query.repos.includes(`${repo.owner.login}/${repo.name}`.toLowerCase())) return false;
      const seen = issue.searchVersions.filter((v) => v.at <= indexedBefore).at(-1);
      if (!seen) return false;
      if (query.kind && (query.kind === 'pr') !== issue.isPullRequest) return false;
      if (query.state && seen.state !== query.state) return false;
      if (!query.labels.every((l) => seen.labels.some((x) => x.toLowerCase() === l))) return false;
      const text = fields.map((f) => seen[f].toLowerCase()).join('\n');
      return query.terms.every((t) => text.includes(t));
    });
    const sign = (c.req.query('order') ?? 'desc') === 'asc' ? 1 : -1;
    const sort = c.req.query('sort');
    hits.sort(
      (a, b) => sign * ((sort === 'created' ? a.createdAt - b.createdAt : a.updatedAt - b.updatedAt) || a.id - b.id),
    );
    const page = paginate(c, hits);
    return c.json({
      total_count: hits.length,
      incomplete_results: false,
      // Only lexical search is simulated; `search_type=semantic|hybrid` is answered lexically too.
      search_type: 'lexical',
      items: page.map((i) => ({ ...render.issue(store, i, renderOptions(c)), score: 1 })),
    });
  });
}
