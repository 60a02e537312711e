/**
 * Bounds on reading a remote's pages. A listing ends when the remote says so;
 * a remote that never does (a page token given twice, pages without end) is
 * stopped at a bound and answered with an `over-limit` failure that says why,
 * never with what it had read so far as if that were all.
 */
import type { SyncError } from './errors';
import { overLimit } from './http';

/**
 * Jira keeps at most 5,000 comments on an issue (and Zendesk on a ticket): no
 * pair can hold more, so no comment listing needs to read past them.
 */
export const MAX_COMMENTS = 5000;
/** Jira keeps at most 2,000 attachments on an issue. */
export const MAX_FILES = 2000;

export interface PageBound {
  system: string;
  /** What the listing is, as failures name it ("Read comments of work item 12"). */
  what: string;
  /** The remote's name for people ("Azure DevOps"). */
  label: string;
  maxPages: number;
  /** What the bound means, for people ("Crosswalk reads at most 5,000 comments, as many as a Jira issue holds"). */
  why: string;
}

/**
 * Counts the pages of one listing. Call `more` after each page with the token
 * of the next (none when the remote says the listing is complete): it answers
 * whether to read on, and throws `over-limit` when the remote repeats a token
 * (the listing would never end) or still has more after `maxPages`.
 */
export class Pages {
  private readonly tokens = new Set<string>();
  private read = 0;

  constructor(private readonly bound: PageBound) {}

  more(token: string | number | null | undefined): boolean {
    this.read++;
    if (token === undefined || token === null || token === '') return false;
    const key = String(token);
    if (this.tokens.has(key))
      throw this.failure(`${this.bound.label} gave a page token it had given before, so the listing would never end`);
    this.tokens.add(key);
    if (this.read >= this.bound.maxPages)
      throw this.failure(`${this.bound.label} still had more after ${this.bound.maxPages} pages: ${this.bound.why}`);
    return true;
  }

  private failure(detail: string): SyncError {
    return overLimit(this.bound.system, this.bound.what, detail);
  }
}
