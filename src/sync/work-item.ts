import * as z from 'zod';
import { remoteEvidence } from '../connectors/ports';
import { jiraEvidence } from './evidence';

/**
 * The only thing an event tells the engine: "look at this item". Everything else
 * is read fresh when the item is reconciled (level-triggered, see the design brief).
 */
export const workItemRef = z.discriminatedUnion('side', [
  z.object({ side: z.literal('jira'), issueId: z.string().regex(/^\d+$/) }),
  z.object({ side: z.literal('remote'), connectionId: z.string().min(1), remoteId: z.string().min(1) }),
]);
export type WorkItemRef = z.infer<typeof workItemRef>;

export const syncJobBody = z.object({
  item: workItemRef,
  /** Why the item was enqueued; it decides how much is read (comments, files), never what is written. */
  cause: z.string().max(100),
  /** Epoch ms the job was queued (set by enqueueReconcile), shown on the issue panel's timeline. */
  queuedAt: z.number().int().nonnegative().optional(),
  /** The connection the signal came through, when the sender knows it: the worker then reads the link and the connection in one batch. A hint only; the link decides. */
  connectionId: z.string().min(1).max(60).optional(),
  /** What a Jira event showed of the issue (sync/evidence.ts): used instead of reading it only where it provably suffices. */
  jira: jiraEvidence.optional(),
  /** What a remote notification showed of the item (sync/evidence.ts), used the same way. */
  remote: remoteEvidence.optional(),
  /** Which parts of the remote item its notification says changed (NotificationRef.touches); absent: as the cause says. */
  touches: z
    .object({ created: z.boolean(), fields: z.boolean(), comments: z.boolean(), files: z.boolean() })
    .partial()
    .optional(),
  /** The remote item's newest comment as its notification named it (NotificationRef.newestComment). */
  newestComment: z.string().min(1).max(100).optional(),
});
export type SyncJobBody = z.infer<typeof syncJobBody>;

/**
 * One linked pair has one concurrency key, whichever side speaks: a linked
 * pair is always keyed by its Jira issue. Signals are mapped to the pair before
 * they are enqueued (a remote id with a link becomes its issue), and a worker
 * that finds its item linked under another key forwards it instead of working
 * on it. Only an unlinked remote item (a remote-side create) is keyed by itself.
 */
export function concurrencyKeyFor(item: WorkItemRef): string {
  const raw = item.side === 'jira' ? `issue-${item.issueId}` : `remote-${item.connectionId}-${item.remoteId}`;
  // Forge concurrency keys are free-form, but keep them short and printable.
  return raw.replace(/[^a-zA-Z0-9_-]/g, '_').slice(0, 200);
}

/** A page of a bulk sync: enqueue the next issues of the connection's JQL, then the next page. */
export const bulkPageBody = z.object({
  bulk: z.object({
    connectionId: z.string(),
    offset: z.number().int().min(0),
    /** How many times in a row this page found the run's backlog full. */ held: z.number().int().min(0).optional(),
  }),
});
export type BulkPageBody = z.infer<typeof bulkPageBody>;

/** Ends a deleted connection's links, a page at a time (sync/end-links.ts). */
export const endLinksBody = z.object({ endLinks: z.object({ connectionId: z.string().min(1).max(60) }) });
export type EndLinksBody = z.infer<typeof endLinksBody>;
