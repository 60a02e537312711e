/**
 * The control routes over a simulator's outbound deliveries where Zendesk's and Freshservice's are the same shape:
 * what was sent, lost and queued; pause, lose the next N, double the next N; flush. (GitHub answers with counts and
 * takes an empty body; ServiceNow and Azure DevOps control theirs by their own knobs: each keeps its routes.)
 */
import type { Env, Hono } from 'hono';
import { deliveryFaultsSchema, type FaultableNotificationQueue } from './notifier';

export function deliveryControlRoutes<E extends Env, T>(
  app: Hono<E>,
  /** Where the routes are: `/_control/webhooks/deliveries`. */
  path: string,
  notifier: FaultableNotificationQueue<T> & { readonly sent: readonly unknown[] },
): void {
  app.get(path, (c) =>
    c.json({ sent: notifier.sent, lost: notifier.lost, queued: notifier.queue.length, paused: notifier.paused }),
  );
  app.put(path, async (c) => {
    await notifier.setFaults(deliveryFaultsSchema.parse(await c.req.json()));
    return c.json({
      paused: notifier.paused,
      lose: notifier.loseNext,
      duplicate: notifier.duplicateNext,
      queued: notifier.queue.length,
    });
  });
  app.post(`${path}/flush`, async (c) => {
    notifier.paused = false;
    await notifier.flush();
    return c.json({ sent: notifier.sent.length });
  });
}
