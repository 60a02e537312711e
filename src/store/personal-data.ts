/**
 * The index of the Atlassian accounts Crosswalk holds an id of (src/privacy/report.ts reports them to Atlassian).
 *
 * One small entry per account, kept where an account id is stored (a connection's user table, who unlinked an
 * issue, who last saved the site's options), rather than found by scanning those stores for each report: Forge
 * bills storage by the volume read, and a report is due every week while the stores holding ids change rarely. A
 * weekly scan would read every connection and every unlink marker each time; the index is read instead (one entry
 * of about 100 bytes per account), and the stores are scanned only when Atlassian says an account was closed.
 *
 * The entry is written before the data that names the account, so a crash in between leaves an account reported
 * that is not stored (Atlassian answers for it, and erasing it finds nothing), never one stored and not reported.
 */
import { kvs, WhereConditions } from '@forge/kvs';

export interface HeldAccount {
  accountId: string;
  /** When Crosswalk last stored or refreshed what it holds of this account (what the report sends as `updatedAt`). */
  updatedAt: string;
  /** When it was last reported (epoch ms); absent until the first report. */
  reportedAt?: number;
  /** Atlassian answered that the account was closed (epoch ms): its data is being erased, then the entry goes. */
  closedAt?: number;
}

/** Where the report keeps its own progress. */
export interface ReportState {
  /** The ids stored before the index existed were indexed once. */
  backfilled?: boolean;
  /** Atlassian asked to wait (429 Retry-After) until then (epoch ms). */
  retryAt?: number;
}

const PREFIX = 'personal-data:';
const key = (accountId: string) => `${PREFIX}${accountId}`;
const STATE_KEY = 'personal-data-report';
/** Forge's KVS takes at most 25 items a batch. */
const BATCH = 25;

const chunks = <T>(items: readonly T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

/**
 * Records that Crosswalk now stores these accounts' ids. An account already held keeps its entry (its report time
 * and `updatedAt` stay), so saving a connection again writes nothing here.
 */
export async function noteAccounts(accountIds: ReadonlyArray<string | undefined>, now = Date.now()): Promise<void> {
  const ids = [...new Set(accountIds.filter((id): id is string => Boolean(id) && id !== CLOSED_ACCOUNT))];
  for (const part of chunks(ids, BATCH)) {
    const got = await kvs.batchGet<HeldAccount>(part.map((id) => ({ key: key(id) })));
    const held = new Set(got.successfulKeys.filter((r) => r.value !== undefined).map((r) => r.key));
    const fresh = part.filter((id) => !held.has(key(id)));
    if (fresh.length)
      await kvs.batchSet(
        fresh.map((accountId) => ({
          key: key(accountId),
          value: { accountId, updatedAt: new Date(now).toISOString() } satisfies HeldAccount,
        })),
      );
  }
}

/** Every account held, a page of 100 at a time (the index is small: one entry per person). */
export async function listHeldAccounts(): Promise<HeldAccount[]> {
  const out: HeldAccount[] = [];
  let cursor: string | undefined;
  do {
    let q = kvs.query().where('key', WhereConditions.beginsWith(PREFIX)).limit(100);
    if (cursor) q = q.cursor(cursor);
    const page = await q.getMany<HeldAccount>();
    for (const r of page.results) if (r.value?.accountId) out.push(r.value);
    cursor = page.nextCursor;
  } while (cursor);
  return out;
}

/** Writes entries back as given (after a report: its time, a refreshed `updatedAt`, a closure). */
export async function saveHeldAccounts(entries: readonly HeldAccount[]): Promise<void> {
  for (const part of chunks(entries, BATCH)) await kvs.batchSet(part.map((e) => ({ key: key(e.accountId), value: e })));
}

/** Drops accounts whose data has been erased. */
export async function forgetAccounts(accountIds: readonly string[]): Promise<void> {
  for (const part of chunks(accountIds, BATCH)) await kvs.batchDelete(part.map((id) => ({ key: key(id) })));
}

export async function getReportState(): Promise<ReportState> {
  return ((await kvs.get<ReportState>(STATE_KEY)) as ReportState | undefined) ?? {};
}

export async function setReportState(state: ReportState): Promise<void> {
  await kvs.set(STATE_KEY, state);
}

/** What stands where a closed account's id stood. */
export const CLOSED_ACCOUNT = 'closed account';
