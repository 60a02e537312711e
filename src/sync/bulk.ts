import { searchIssueIds } from '../connectors/jira/client';
import type { ConnectionConfig } from '../mapping/connection-config';
import { getConnection } from '../store/connections';
import { getBulkRun, saveBulkRun } from '../store/bulk-runs';
import { BULK_PAGE_SIZE, enqueueBulkPage, enqueueReconcile } from './sync-queue';
import type { BulkPageBody } from './work-item';

const MAX_BULK_ISSUES = 10_000;

/** The issues a bulk sync covers, oldest first so pages are stable while it runs. */
export function bulkSyncIssueIds(config: ConnectionConfig): Promise<string[]> {
  return searchIssueIds(`project = ${config.jiraProjectId}${config.jql.trim() ? ` AND (${config.jql})` : ''} ORDER BY created ASC`, MAX_BULK_ISSUES);
}

/** Enqueues one page of a bulk sync and schedules the next a minute later. */
export async function runBulkPage(page: BulkPageBody): Promise<void> {
  const config = await getConnection(page.bulk.connectionId);
  if (!config?.enabled) return;
  const ids = await bulkSyncIssueIds(config);
  const slice = ids.slice(page.bulk.offset, page.bulk.offset + BULK_PAGE_SIZE);
  const jobIds = await enqueueReconcile(slice.map((issueId) => ({ item: { side: 'jira' as const, issueId }, cause: 'bulk' })));
  const run = await getBulkRun(config.id);
  if (run) await saveBulkRun({ ...run, jobIds: [...run.jobIds, ...jobIds] });
  if (page.bulk.offset + BULK_PAGE_SIZE < ids.length) await enqueueBulkPage({ bulk: { connectionId: config.id, offset: page.bulk.offset + BULK_PAGE_SIZE } }, 60);
}
