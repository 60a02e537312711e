/**
 * Atlassian's rules for apps that store personal data, as decisions (no I/O; report.ts acts on them).
 *
 * Crosswalk stores Atlassian account ids (a connection's user table, who unlinked an issue, who last saved the
 * site's options) and no profile data (no names, no emails: see sync/user-map.ts). Atlassian's personal data
 * reporting API asks for each stored account id at least once every 7 days, at most 90 ids a request, with the
 * time the app last updated what it holds of the account; it answers 204 (nothing to do), or 200 with the accounts
 * that were `closed` (erase what is held) or `updated` (refresh cached profile data), or 429 with `Retry-After`.
 */
import type { HeldAccount } from '../store/personal-data';

/** Accounts per request: the API refuses more (and `privacy.reportPersonalData` splits by it). */
export const REPORT_LIMIT = 90;
/** Atlassian's default cycle: every stored account is reported at least this often. */
export const REPORT_CYCLE_MS = 7 * 86_400_000;
/**
 * The daily run reports an account once its last report is this old, so each is reported about weekly (the load
 * spread over the days), and a run that did not finish (a 429, a crash) has a day to spare within the cycle.
 */
export const REPORT_AGAIN_AFTER_MS = 6 * 86_400_000;
/** Daily runs do not start to the millisecond: a run an hour early still counts as a day later. */
const RUN_DRIFT_MS = 60 * 60_000;
/** Requests one run sends at most (90 accounts each); more waits for the next day's run, still within the cycle. */
export const MAX_REQUESTS_PER_RUN = 100;
/** When a 429 names no usable wait. */
export const DEFAULT_RETRY_AFTER_MS = 60 * 60_000;

export type AccountStatus = 'closed' | 'updated';

/** Accounts due for a report now, oldest report first (never reported: first of all). */
export function dueForReport(held: readonly HeldAccount[], now: number): HeldAccount[] {
  return held
    .filter((h) => h.closedAt === undefined)
    .filter((h) => h.reportedAt === undefined || now - h.reportedAt >= REPORT_AGAIN_AFTER_MS - RUN_DRIFT_MS)
    .sort((a, b) => (a.reportedAt ?? -1) - (b.reportedAt ?? -1));
}

export function inBatches<T>(items: readonly T[], size = REPORT_LIMIT): T[][] {
  return Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));
}

/**
 * What one answer changes in the index: closed accounts are marked (their data is erased, then they go), the others
 * are recorded as reported. An `updated` account's profile would be read again here if Crosswalk cached any; it
 * caches none, so only its `updatedAt` moves (what Crosswalk holds of it, the id, is current as of now).
 */
export function afterAnswer(
  batch: readonly HeldAccount[],
  answer: ReadonlyArray<{ accountId: string; status: AccountStatus }>,
  now: number,
): { closed: HeldAccount[]; reported: HeldAccount[] } {
  const status = new Map(answer.map((a) => [a.accountId, a.status]));
  const closed: HeldAccount[] = [];
  const reported: HeldAccount[] = [];
  for (const h of batch) {
    const s = status.get(h.accountId);
    if (s === 'closed') closed.push({ ...h, closedAt: now });
    else
      reported.push({
        ...h,
        reportedAt: now,
        ...(s === 'updated' ? { updatedAt: new Date(now).toISOString() } : {}),
      });
  }
  return { closed, reported };
}

/** A `Retry-After` header (seconds, or an HTTP date) as the time to try again. */
export function retryAt(header: string | null | undefined, now: number): number {
  const text = header?.trim() ?? '';
  if (/^\d+$/.test(text)) return now + Number(text) * 1000;
  const date = Date.parse(text);
  if (Number.isFinite(date) && date > now) return date;
  return now + DEFAULT_RETRY_AFTER_MS;
}

/**
 * A problem text an earlier release stored for an unmatched Jira user named the person ("Lee Lead has no matching
 * servicenow user", or their account id without a name); today's names nobody (sync/user-map.ts). Returns the text
 * without the person, unchanged when it names nobody. The other direction ("servicenow user … has no matching Jira
 * user") names a remote user, no Atlassian account, and stays.
 */
export function withoutPersonNamed(message: string): string {
  return message.replace(
    /(^|; )[^;]*? has no matching (?!Jira user)(\S+) user(?=;|$)/g,
    (_all, lead: string, system: string) => `${lead}The Jira user in this field has no matching ${system} user`,
  );
}
