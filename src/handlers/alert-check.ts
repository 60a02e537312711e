import { checkConnection, quietWhilePaused } from '../alerts/check';
import { listConnections } from '../store/connections';

/**
 * Every five minutes (manifest `scheduledTrigger` alert-check): each enabled connection's condition is worked out
 * from what the sync stored, kept for the issue panel, the admin page and the gadget, and alerted where its admins
 * chose (src/alerts/check.ts). One broken connection does not stop the others.
 */
export async function onAlertCheck(): Promise<{ checked: number; delivered: number; failures: string[] }> {
  const now = Date.now();
  const failures: string[] = [];
  let checked = 0;
  let delivered = 0;
  for (const config of await listConnections()) {
    try {
      if (!config.enabled) {
        // Paused by an admin: nothing syncs, so nothing is wrong to say; what it showed before the pause is let go.
        await quietWhilePaused(config.id, now);
        continue;
      }
      const outcome = await checkConnection(config, now);
      checked++;
      delivered += outcome.delivered;
    } catch (e) {
      failures.push(`${config.id}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  if (failures.length) console.warn(`Alert check could not finish: ${failures.join('; ')}`);
  return { checked, delivered, failures };
}
