/** What the route modules share: the state, the services over it and the simulator's knobs. */
import type { Credentials } from './auth';
import type { IssueService } from './issues';
import type { RateLimiter } from './rate-limits';
import type { GitHubStore } from './store';
import type { HookNotifier } from './webhooks';

export interface SimContext {
  store: GitHubStore;
  issues: IssueService;
  credentials: Credentials;
  limiter: RateLimiter;
  notifier: HookNotifier;
  now(): number;
  /** How far the search index trails writes, in ms of the simulator's clock (default 60 s). */
  search: { lagMs: number };
}
