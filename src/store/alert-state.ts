import { kvs, Filter, FilterConditions } from '@forge/kvs';
import type { ConnectionCondition } from '../alerts/condition';
import type { AlertMessage, AlertTargetKind, AlertedConditions } from '../alerts/plan';

/**
 * A connection's alert state (issue 23): its condition as the last check saw it, which conditions were alerted and
 * when, what the check observed between runs (a bulk run's progress), and the alerts planned but not yet delivered
 * (the outbox). One entity per connection, every write conditional on the generation read, so two checks running at
 * once (a duplicated scheduled invocation) plan each alert once: the second one's write fails and it sends nothing.
 */
export interface AlertState {
  connectionId: string;
  generation: number;
  condition: ConnectionCondition;
  /** Conditions alerted as started and not yet cleared, with the time of their last message (start or reminder). */
  alerted: AlertedConditions;
  /** What the check keeps between its runs to tell a stall: the bulk run's done count and since when it is unchanged. */
  bulk?: { startedAt: string; done: number; unchangedSince: number };
  /** Messages planned, each to each target: removed once delivered, sent again (same id) by the next check if not. */
  outbox: AlertMessage[];
  /** A target's last delivery that failed for good (its webhook gone…), until one succeeds: the settings page says so. */
  deliveryProblems?: Partial<Record<AlertTargetKind, { reason: string; at: number }>>;
}

const ENTITY = 'alert-state';

type Record_ = Omit<AlertState, 'connectionId'>;

export class StaleAlertState extends Error {}

export async function getAlertState(connectionId: string): Promise<AlertState | undefined> {
  const r = await kvs.entity<Record_>(ENTITY).get(connectionId);
  return r ? { connectionId, ...r } : undefined;
}

/** The connection's condition as the last alert check saw it (the banner, the admin page, the gadget). */
export async function getConnectionCondition(connectionId: string): Promise<ConnectionCondition | undefined> {
  return (await getAlertState(connectionId))?.condition;
}

/**
 * Writes the state over the generation it was read at (0: none stored yet); throws StaleAlertState when another
 * check wrote meanwhile.
 */
export async function writeAlertState(state: AlertState): Promise<AlertState> {
  const { connectionId, ...rest } = state;
  const next: Record_ = { ...rest, generation: state.generation + 1 };
  try {
    await kvs
      .transact()
      .set(connectionId, next, {
        entityName: ENTITY,
        conditions:
          state.generation === 0
            ? new Filter<Record_>().and('generation', FilterConditions.notExists())
            : new Filter<Record_>().and('generation', FilterConditions.equalTo(state.generation)),
      })
      .execute();
  } catch (e) {
    if (conditionFailed(e)) throw new StaleAlertState(connectionId);
    throw e;
  }
  return { connectionId, ...next };
}

export async function deleteAlertState(connectionId: string): Promise<void> {
  await kvs.entity<Record_>(ENTITY).delete(connectionId);
}

function conditionFailed(e: unknown): boolean {
  const code = (e as { code?: unknown } | undefined)?.code;
  return code === 'CONDITION_FAILED' || (e instanceof Error && /condition/i.test(e.message));
}
