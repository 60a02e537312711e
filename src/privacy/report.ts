/**
 * The personal data report (the daily scheduled trigger, handlers/personal-data.ts): report the accounts Crosswalk
 * holds to Atlassian with `privacy.reportPersonalData`, erase what it holds of closed accounts, refresh updated ones.
 *
 * Crash-safe by order: a closed account is marked in the index before its data is erased, and leaves the index only
 * after; the next run erases marked accounts first, and erasing twice finds nothing the second time. An account is
 * recorded as reported only after Atlassian answered for its batch, so a crash before that reports it again.
 */
import { privacy } from '@forge/api';
import { dropUserRows, listConnections, userAccounts } from '../store/connections';
import {
  anonymiseUnlinkedBy,
  getLink,
  linksOfConnection,
  StaleLink,
  unlinkedBy,
  updateLink,
  type Link,
} from '../store/links';
import {
  forgetAccounts,
  getReportState,
  listHeldAccounts,
  noteAccounts,
  saveHeldAccounts,
  setReportState,
} from '../store/personal-data';
import { anonymiseAuditActors } from '../store/audit';
import { dropAlertRecipients, getAlertSettings } from '../store/alert-settings';
import { anonymiseSiteOptionsBy, getSiteOptions } from '../store/site-options';
import {
  afterAnswer,
  dueForReport,
  inBatches,
  MAX_REQUESTS_PER_RUN,
  retryAt,
  withoutPersonNamed,
} from './personal-data';

export interface ReportOutcome {
  reported: number;
  closed: number;
  updated: number;
  /** Atlassian asked to wait: the run stopped, and the next run after this time carries on (ISO). */
  waitingUntil?: string;
}

export async function reportPersonalData(now = Date.now()): Promise<ReportOutcome> {
  const outcome: ReportOutcome = { reported: 0, closed: 0, updated: 0 };
  const state = await getReportState();
  if (state.retryAt !== undefined && now < state.retryAt)
    return { ...outcome, waitingUntil: new Date(state.retryAt).toISOString() };
  if (!state.backfilled) {
    await indexStoredAccounts();
    await setReportState({ backfilled: true });
  }

  const held = await listHeldAccounts();
  // A run that stopped between marking accounts closed and erasing them is finished first.
  const leftClosed = held.filter((h) => h.closedAt !== undefined).map((h) => h.accountId);
  if (leftClosed.length) await erase(leftClosed);

  const batches = inBatches(dueForReport(held, now)).slice(0, MAX_REQUESTS_PER_RUN);
  for (const batch of batches) {
    let answer;
    try {
      answer = await privacy.reportPersonalData(batch.map((h) => ({ accountId: h.accountId, updatedAt: h.updatedAt })));
    } catch (e) {
      // The SDK rejects with the response itself for any status but 200 and 204.
      const response = e as { status?: unknown; headers?: { get?: (name: string) => string | null } };
      if (response?.status === 429) {
        // Reschedule rather than spin: the next daily run after the wait carries on with what is still due.
        const until = retryAt(response.headers?.get?.('retry-after'), now);
        await setReportState({ backfilled: true, retryAt: until });
        return { ...outcome, waitingUntil: new Date(until).toISOString() };
      }
      if (typeof response?.status === 'number')
        throw new Error(`Atlassian's personal data reporting answered ${response.status}`);
      throw e;
    }
    const { closed, reported } = afterAnswer(batch, answer, now);
    if (closed.length) {
      await saveHeldAccounts(closed);
      await erase(closed.map((h) => h.accountId));
    }
    await saveHeldAccounts(reported);
    outcome.reported += batch.length;
    outcome.closed += closed.length;
    outcome.updated += answer.filter((a) => a.status === 'updated').length;
  }
  if (state.retryAt !== undefined) await setReportState({ backfilled: true });
  return outcome;
}

/**
 * Erases closed accounts from every store that can name one, then drops them from the index. Each store keeps its
 * meaning: a user table row (a person paired with a remote user) goes whole; an unlink marker, the site options'
 * "saved by" and the audit trail's entries keep their record with "closed account" for the person.
 */
async function erase(accountIds: readonly string[]): Promise<void> {
  const closed = new Set(accountIds);
  await dropUserRows(closed);
  await anonymiseUnlinkedBy(closed);
  await anonymiseSiteOptionsBy(closed);
  await anonymiseAuditActors(closed);
  await dropAlertRecipients(
    (await listConnections()).map((c) => c.id),
    closed,
  );
  await forgetAccounts(accountIds);
}

/**
 * Once, on the first run: accounts stored before the index existed are indexed, by reading each store that can name
 * one, and problem texts earlier releases stored naming an unmatched Jira user lose the name. Every link is read
 * this once (a crash or a timeout runs it again from the start next time; it changes nothing twice).
 */
async function indexStoredAccounts(): Promise<void> {
  const connections = await listConnections();
  const unlinked = await unlinkedBy();
  const options = await getSiteOptions();
  const recipients = (await Promise.all(connections.map((c) => getAlertSettings(c.id)))).flatMap(
    (a) => a.jiraEmail.users,
  );
  await noteAccounts([
    ...connections.flatMap(userAccounts),
    ...unlinked.map((m) => m.by),
    options.updatedBy,
    ...recipients,
  ]);
  for (const config of connections) {
    let cursor: string | undefined;
    do {
      const page = await linksOfConnection(config.id, cursor);
      for (const link of page.links) await unnamePeople(link);
      cursor = page.cursor;
    } while (cursor);
  }
}

async function unnamePeople(read: Link): Promise<void> {
  let link: Link | undefined = read;
  for (let attempt = 0; link && attempt < 3; attempt++) {
    const problems = Object.entries(link.problems ?? {});
    if (!problems.some(([, p]) => withoutPersonNamed(p.message) !== p.message)) return;
    try {
      await updateLink({
        ...link,
        problems: Object.fromEntries(
          problems.map(([part, p]) => [part, { ...p, message: withoutPersonNamed(p.message) }]),
        ),
      });
      return;
    } catch (e) {
      // A reconcile wrote the link meanwhile: read it again (its own problems name nobody).
      if (!(e instanceof StaleLink)) throw e;
      link = await getLink(read.issueId);
    }
  }
}
