/**
 * An issue's comments on GitHub: all public (GitHub has no other kind), in
 * Markdown, editable and deletable. Comments are known by id across the
 * repository, so an edit or delete names no issue; the listing is
 * forgotten after each write, as its next read must show the change.
 */
import * as z from 'zod';
import { SyncError } from '../errors';
import { MAX_COMMENTS, Pages } from '../paging';
import type { Comment, NewComment } from '../ports';
import { SYSTEM } from './auth';
import type { GitHubTransport } from './transport';

const PER_PAGE = 100;

export const commentSchema = z
  .object({
    id: z.number(),
    body: z.string().nullable().optional(),
    user: z.object({ login: z.string() }).loose().nullable().optional(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .loose();
type GitHubComment = z.infer<typeof commentSchema>;
const commentList = z.array(commentSchema);

/** An author is known by login: GitHub shows an integration no one's email. A deleted account reads as GitHub's `ghost`. */
function toComment(c: GitHubComment): Comment {
  const login = c.user?.login ?? 'ghost';
  return {
    id: String(c.id),
    body: c.body ?? '',
    visibility: 'public',
    author: { id: login, displayName: login },
    createdAt: Date.parse(c.created_at),
    updatedAt: Date.parse(c.updated_at),
  };
}

export class GitHubComments {
  constructor(
    private readonly transport: GitHubTransport,
    /** `/repos/<owner>/<repo>` */
    private readonly repoPath: string,
  ) {}

  private listing(number: string): string {
    return `${this.repoPath}/issues/${number}/comments?per_page=${PER_PAGE}`;
  }

  /** Every comment of the issue, oldest first, page by page up to as many as a Jira issue holds. */
  async list(number: string): Promise<Comment[]> {
    const what = `Read comments of #${number}`;
    const bound = new Pages({
      system: SYSTEM,
      what,
      label: 'GitHub',
      maxPages: Math.ceil(MAX_COMMENTS / PER_PAGE) + 1,
      why: 'Crosswalk reads at most 5,000 comments, as many as a Jira issue holds',
    });
    const out: Comment[] = [];
    let url: string | undefined = this.listing(number);
    while (url) {
      const page: { value: GitHubComment[]; next?: string } = await this.transport.read(commentList, url, what);
      out.push(...page.value.map(toComment));
      url = bound.more(page.next) ? page.next : undefined;
    }
    return out;
  }

  async add(number: string, comment: NewComment): Promise<Comment> {
    if (comment.visibility !== 'public')
      // Declared in the capabilities, so the engine does not ask; refused here all the same, never made public.
      throw new SyncError({
        system: SYSTEM,
        kind: 'unsupported',
        message: 'GitHub has no internal comments: an internal Jira comment is not copied to GitHub',
      });
    const written = await this.transport.write(
      commentSchema,
      'POST',
      `${this.repoPath}/issues/${number}/comments`,
      { body: String(comment.body) },
      `Comment on #${number}`,
    );
    this.transport.forget(this.listing(number));
    return toComment(written);
  }

  async update(number: string, commentId: string, body: NewComment['body']): Promise<Comment> {
    const written = await this.transport.write(
      commentSchema,
      'PATCH',
      `${this.repoPath}/issues/comments/${encodeURIComponent(commentId)}`,
      { body: String(body) },
      `Edit a comment on #${number}`,
    );
    this.transport.forget(this.listing(number));
    return toComment(written);
  }

  /** One already gone is deleted. */
  async delete(number: string, commentId: string): Promise<void> {
    try {
      await this.transport.write(
        z.unknown(),
        'DELETE',
        `${this.repoPath}/issues/comments/${encodeURIComponent(commentId)}`,
        undefined,
        `Delete a comment on #${number}`,
      );
    } catch (e) {
      if (!(e instanceof SyncError && e.kind === 'not-found')) throw e;
    }
    this.transport.forget(this.listing(number));
  }
}
