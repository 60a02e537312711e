/**
 * A connection's activity for its project's admins: syncs and failures per
 * day over the last two weeks (the health chart), and the conflicts the
 * engine decided that nobody has reviewed yet, with a way to mark them
 * reviewed. Everything is read from what is stored anyway: the steps and
 * conflicts each link keeps (sync/timeline.ts, bounded per item), and the
 * failure records.
 */
import * as z from 'zod';
import { failuresOfConnection } from '../store/failures';
import { linksOfConnection } from '../store/links';
import { conflictsReviewedAt, markConflictsReviewed } from '../store/reviews';
import { connectionIdSchema, ok, requireOwnConnection } from './guards';

type Call = { payload?: unknown; context: { accountId?: string } & Record<string, unknown> };

const request = z.object({ connectionId: connectionIdSchema }).strict();
const DAY_MS = 86_400_000;
export const ACTIVITY_DAYS = 14;
/** At most this many pages of links (100 a page) are read; the answer says when it stopped there. */
const MAX_LINK_PAGES = 20;
const MAX_CONFLICTS = 50;

export interface ActivityDay {
  /** YYYY-MM-DD, UTC. */
  day: string;
  syncs: number;
  failures: number;
}

export interface ConflictToReview {
  issueKey: string;
  remoteKey: string;
  field: string;
  winner: string;
  reason: string;
  at: string;
}

/** The last `days` UTC days, oldest first, with each count placed on its day; pure. */
export function perDay(
  now: number,
  days: number,
  syncs: readonly number[],
  failures: readonly number[],
): ActivityDay[] {
  const today = Math.floor(now / DAY_MS);
  const out: ActivityDay[] = Array.from({ length: days }, (_, i) => ({
    day: new Date((today - days + 1 + i) * DAY_MS).toISOString().slice(0, 10),
    syncs: 0,
    failures: 0,
  }));
  const place = (at: number, key: 'syncs' | 'failures') => {
    const i = Math.floor(at / DAY_MS) - (today - days + 1);
    if (i >= 0 && i < days) out[i]![key]++;
  };
  for (const at of syncs) place(at, 'syncs');
  for (const at of failures) place(at, 'failures');
  return out;
}

export async function connectionActivityResolver({ payload, context }: Call) {
  const own = await requireOwnConnection(context, payload, request);
  if (!own.ok) return own.answer;
  const now = Date.now();
  const since = now - ACTIVITY_DAYS * DAY_MS;
  const [failures, reviewedAt] = await Promise.all([
    failuresOfConnection(own.config.id),
    conflictsReviewedAt(own.config.id),
  ]);
  const syncTimes: number[] = [];
  const conflicts: ConflictToReview[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await linksOfConnection(own.config.id, cursor);
    for (const link of page.links) {
      for (const step of link.timeline ?? []) if (step.confirmedAt >= since) syncTimes.push(step.confirmedAt);
      for (const c of link.conflicts ?? [])
        if (Date.parse(c.at) > reviewedAt)
          conflicts.push({
            issueKey: link.issueKey,
            remoteKey: link.remoteKey,
            field: c.field,
            winner: c.winner,
            reason: c.reason,
            at: c.at,
          });
    }
    cursor = page.cursor;
  } while (cursor && ++pages < MAX_LINK_PAGES);
  conflicts.sort((a, b) => b.at.localeCompare(a.at));
  return ok({
    days: perDay(
      now,
      ACTIVITY_DAYS,
      syncTimes,
      failures.map((f) => f.at),
    ),
    conflicts: conflicts.slice(0, MAX_CONFLICTS),
    moreConflicts: Math.max(0, conflicts.length - MAX_CONFLICTS),
    reviewedAt: reviewedAt ? new Date(reviewedAt).toISOString() : null,
    capped: Boolean(cursor),
  });
}

/** Everything decided up to now counts as reviewed: later conflicts show again. */
export async function markConflictsReviewedResolver({ payload, context }: Call) {
  const own = await requireOwnConnection(context, payload, request);
  if (!own.ok) return own.answer;
  const at = Date.now();
  await markConflictsReviewed(own.config.id, at);
  return ok({ reviewedAt: new Date(at).toISOString() });
}
