import * as z from 'zod';
import { enqueueReconcile } from '../sync/sync-queue';

/** The fields of a Jira product event that matter to us; the rest is read fresh at reconcile time. */
const jiraEvent = z.object({
  eventType: z.string(),
  selfGenerated: z.boolean().optional(),
  issue: z.object({ id: z.string() }).loose().optional(),
  // Attachment events carry the attachment, not the issue.
  attachment: z.object({ issueId: z.union([z.string(), z.number()]).optional() }).loose().optional(),
});

/**
 * Trigger for Jira issue, comment and attachment events. It only says "look at
 * this issue"; duplicate, late or reordered events therefore do no harm.
 */
export async function onJiraEvent(event: unknown): Promise<void> {
  const parsed = jiraEvent.safeParse(event);
  // An event without an issue (or our own write, when ignoreSelf misses it) has nothing to reconcile.
  if (!parsed.success || parsed.data.selfGenerated) return;
  const issueId = parsed.data.issue?.id ?? (parsed.data.attachment?.issueId !== undefined ? String(parsed.data.attachment.issueId) : undefined);
  if (!issueId || !/^\d+$/.test(issueId)) return;
  await enqueueReconcile([{ item: { side: 'jira', issueId }, cause: parsed.data.eventType }]);
}
