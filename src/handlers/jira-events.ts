import * as z from 'zod';
import { enqueueReconcile } from '../sync/sync-queue';

/** The fields of a Jira product event that matter to us; the rest is read fresh at reconcile time. */
const jiraEvent = z.object({
  eventType: z.string(),
  selfGenerated: z.boolean().optional(),
  issue: z.object({ id: z.string() }).loose(),
});

/**
 * Trigger for Jira issue, comment and attachment events. It only says "look at
 * this issue"; duplicate, late or reordered events therefore do no harm.
 */
export async function onJiraEvent(event: unknown): Promise<void> {
  const parsed = jiraEvent.safeParse(event);
  // An event without an issue (or our own write, when ignoreSelf misses it) has nothing to reconcile.
  if (!parsed.success || parsed.data.selfGenerated) return;
  await enqueueReconcile([{ item: { side: 'jira', issueId: parsed.data.issue.id }, cause: parsed.data.eventType }]);
}
