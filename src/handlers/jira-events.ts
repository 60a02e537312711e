import * as z from 'zod';
import { evidenceOfJiraEvent } from '../sync/evidence';
import { enqueueReconcile } from '../sync/sync-queue';

/** The fields of a Jira product event that say which issue; what it shows of the issue is evidence (sync/evidence.ts). */
const jiraEvent = z.object({
  eventType: z.string(),
  selfGenerated: z.boolean().optional(),
  issue: z.object({ id: z.string() }).loose().optional(),
  // Attachment events carry the attachment, not the issue.
  attachment: z
    .object({ issueId: z.union([z.string(), z.number()]).optional() })
    .loose()
    .optional(),
});

/**
 * Trigger for Jira issue, comment and attachment events. It only says "look at
 * this issue"; duplicate, late or reordered events therefore do no harm.
 */
export async function onJiraEvent(event: unknown): Promise<void> {
  const parsed = jiraEvent.safeParse(event);
  // An event without an issue (or our own write, when ignoreSelf misses it) has nothing to reconcile.
  if (!parsed.success || parsed.data.selfGenerated) return;
  const issueId =
    parsed.data.issue?.id ??
    (parsed.data.attachment?.issueId !== undefined ? String(parsed.data.attachment.issueId) : undefined);
  if (!issueId || !/^\d+$/.test(issueId)) return;
  // What the event shows of the issue rides along; the worker uses it only where it provably suffices (sync/evidence.ts).
  const evidence = parsed.data.issue ? evidenceOfJiraEvent(event) : undefined;
  await enqueueReconcile([
    { item: { side: 'jira', issueId }, cause: parsed.data.eventType, ...(evidence ? { jira: evidence } : {}) },
  ]);
}
