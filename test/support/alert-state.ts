/**
 * A connection's condition, as the alert check (alerts/check.ts) stores it, written straight into the platform's
 * KVS as the `alert-state` entity: the tests of what the banner, the admin page and the gadget show need a condition
 * without running the check. The stored shape is store/alert-state.ts's record (the connection id is the key).
 */
import type { ConnectionCondition, ObservedCondition } from '../../src/alerts/condition';
import { stateOf } from '../../src/alerts/condition';
import type { Sandbox } from '../../sandbox/sandbox';

export async function writeCondition(
  sandbox: Pick<Sandbox, 'platform' | 'installationId'>,
  connectionId: string,
  condition: Partial<ConnectionCondition> & { conditions: ObservedCondition[] },
): Promise<void> {
  const kvs = sandbox.platform.installation(sandbox.installationId).kvs;
  const value = {
    generation: 1,
    condition: {
      state: stateOf(condition.conditions),
      itemsFailing: 0,
      itemsWaiting: 0,
      lastSyncAt: null,
      checkedAt: sandbox.platform.clock.now(),
      ...condition,
    } satisfies ConnectionCondition,
    alerted: {},
    outbox: [],
  };
  const answer = (await kvs.handle('/api/v1/entity/set', { key: connectionId, entityName: 'alert-state', value })) as {
    status?: number;
  };
  if (answer.status !== undefined && answer.status >= 300)
    throw new Error(`Could not write the alert state: ${JSON.stringify(answer)}`);
}

export async function clearCondition(
  sandbox: Pick<Sandbox, 'platform' | 'installationId'>,
  connectionId: string,
): Promise<void> {
  await sandbox.platform
    .installation(sandbox.installationId)
    .kvs.handle('/api/v1/entity/delete', { key: connectionId, entityName: 'alert-state' });
}

/** Zendesk refusing the API token, past its threshold since `since`: a connection-wide condition the banner shows. */
export const tokenRefused = (since: number, words = 'Zendesk refuses the API token'): ObservedCondition => ({
  kind: 'credential-refused',
  since,
  itemsWaiting: 3,
  words,
  check: 'Type a new API token in the connection’s settings',
  pastThreshold: true,
});
