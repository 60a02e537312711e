/**
 * The three-way field decision: given what each side holds now and what each
 * side held after the last sync, decide which side (if any) to write.
 *
 * The snapshot keeps a base per side, not one shared value, because mappings
 * are lossy (ServiceNow cuts a summary at 160 characters, a status maps many to
 * one): after we write, the base is what the target really holds, so reading
 * our own write back is "no change" and never echoes.
 */
import { canonicalEqual, type CanonicalValue } from './canonical';

export type Side = 'jira' | 'remote';
export type Direction = 'both' | 'to-jira' | 'to-remote' | 'none';
export type ConflictPolicy = 'jira-wins' | 'remote-wins' | 'newest-wins';

export interface SidePair<T> {
  jira: T;
  remote: T;
}

export interface FieldDecisionInput {
  field: string;
  direction: Direction;
  /** The connection's conflict policy. */
  policy: ConflictPolicy;
  /** The field's own policy, where the mapping sets one: it replaces the connection's for this field. */
  fieldPolicy?: ConflictPolicy;
  /** Values after the last sync; undefined when the field has never been synced. */
  base?: SidePair<CanonicalValue>;
  /** Values now, as canonical values (already mapped from each side). */
  current: SidePair<CanonicalValue>;
  /** When each side last changed (ms), for `newest-wins`. */
  updatedAt: SidePair<number | undefined>;
  /** On a link's first sync, the side the item was created from is the source of truth. */
  origin?: Side;
  /**
   * What a side holds after a value is written to it (ServiceNow cuts a
   * summary at 160): a side holding exactly that form of the other side's value
   * is in sync, even when no base records it (a crash between the write and
   * storing the base must not read as someone else's change).
   */
  storedAs?: { jira(value: CanonicalValue): CanonicalValue; remote(value: CanonicalValue): CanonicalValue };
  /**
   * When a person last changed the field in Jira since the last sync (from the
   * changelog), where known: a Jira value back at its base was still changed,
   * and, against a remote change, that is a conflict, not "Jira unchanged".
   */
  jiraTouchedAt?: number;
  /** The same for the remote, where its connector reads per-field history (a remote value back at its base). */
  remoteTouchedAt?: number;
}

export interface Conflict {
  field: string;
  base?: SidePair<CanonicalValue>;
  current: SidePair<CanonicalValue>;
  winner: Side;
  reason: string;
}

export type FieldDecision =
  | { field: string; action: 'none'; reason: 'in-sync' | 'unchanged' | 'direction-blocks' }
  | { field: string; action: 'write'; target: Side; value: CanonicalValue; conflict?: Conflict };

const allows = (direction: Direction, target: Side) =>
  direction === 'both' || (target === 'jira' ? direction === 'to-jira' : direction === 'to-remote');

const other = (side: Side): Side => (side === 'jira' ? 'remote' : 'jira');

function write(input: FieldDecisionInput, source: Side, conflict?: Conflict): FieldDecision {
  const target = other(source);
  if (!allows(input.direction, target)) return { field: input.field, action: 'none', reason: 'direction-blocks' };
  return {
    field: input.field,
    action: 'write',
    target,
    value: input.current[source],
    ...(conflict ? { conflict } : {}),
  };
}

function resolveConflict(input: FieldDecisionInput): { winner: Side; reason: string } {
  // A one-way field has only one possible source, whatever the policy says.
  if (input.direction === 'to-remote') return { winner: 'jira', reason: 'field syncs Jira → remote only' };
  if (input.direction === 'to-jira') return { winner: 'remote', reason: 'field syncs remote → Jira only' };
  const said = input.fieldPolicy ? 'field policy' : 'policy';
  switch (input.fieldPolicy ?? input.policy) {
    case 'jira-wins':
      return { winner: 'jira', reason: `${said}: Jira wins` };
    case 'remote-wins':
      return { winner: 'remote', reason: `${said}: remote wins` };
    case 'newest-wins': {
      const { jira, remote } = input.updatedAt;
      if (jira !== undefined && remote !== undefined && jira !== remote) {
        return jira > remote
          ? { winner: 'jira', reason: `${said}: newest wins (Jira changed last)` }
          : { winner: 'remote', reason: `${said}: newest wins (remote changed last)` };
      }
      // Equal or unknown times: fall back to Jira, the system the project lives in.
      return { winner: 'jira', reason: `${said}: newest wins, times equal or unknown, Jira kept` };
    }
  }
}

/** Whether one side holds what writing the other side's value to it would leave there. */
function holdsWrittenForm(input: FieldDecisionInput): boolean {
  const { current, storedAs } = input;
  if (!storedAs) return false;
  return (
    canonicalEqual(current.remote, storedAs.remote(current.jira)) ||
    canonicalEqual(current.jira, storedAs.jira(current.remote))
  );
}

export function decideField(input: FieldDecisionInput): FieldDecision {
  const { current, base, field } = input;
  if (canonicalEqual(current.jira, current.remote)) return { field, action: 'none', reason: 'in-sync' };

  if (!base) {
    if (holdsWrittenForm(input)) return { field, action: 'none', reason: 'in-sync' };
    // First sync of this field: the item's origin (or, failing that, the policy) is the source. Unless a person
    // changed the other side since the item was made (a crash between the create and its first sync left time for
    // that): both sides then moved since the create, and the change times decide, as for any conflict.
    const touchedAway =
      input.origin === 'remote' ? input.jiraTouchedAt : input.origin === 'jira' ? input.remoteTouchedAt : undefined;
    if (input.origin && touchedAway === undefined) return write(input, input.origin);
    const { winner, reason } = resolveConflict({
      ...input,
      updatedAt: {
        jira: input.jiraTouchedAt ?? input.updatedAt.jira,
        remote: input.remoteTouchedAt ?? input.updatedAt.remote,
      },
    });
    return write(input, winner, { field, current, winner, reason: `first sync: ${reason}` });
  }

  const jiraMoved = !canonicalEqual(current.jira, base.jira);
  const remoteMoved = !canonicalEqual(current.remote, base.remote);
  const jiraChanged = jiraMoved || (remoteMoved && input.jiraTouchedAt !== undefined);
  const remoteChanged = remoteMoved || (jiraMoved && input.remoteTouchedAt !== undefined);
  if (jiraChanged && !remoteChanged) return write(input, 'jira');
  if (remoteChanged && !jiraChanged) return write(input, 'remote');
  if (!jiraChanged && !remoteChanged) {
    // The sides differ but neither moved since the last sync: a lossy mapping we already reconciled.
    return { field, action: 'none', reason: 'unchanged' };
  }
  // Both moved, but one holds exactly what our write of the other leaves: our write landed and its base was never stored.
  if (holdsWrittenForm(input)) return { field, action: 'none', reason: 'in-sync' };
  // The field's own change time on a side, where its history gave it, is the better "newest".
  const { winner, reason } = resolveConflict({
    ...input,
    updatedAt: {
      jira: input.jiraTouchedAt ?? input.updatedAt.jira,
      remote: input.remoteTouchedAt ?? input.updatedAt.remote,
    },
  });
  return write(input, winner, { field, base, current, winner, reason });
}
