/**
 * Write isolation: a field the target refuses never blocks the others. A write
 * of several fields that comes back refused is tried again without the fields
 * the refusal names (Jira names every one it refused, Azure DevOps its rule's
 * field, Zendesk its `details`); a refusal that names none of them is split
 * in halves until each refused field stands alone (where the caller allows:
 * a create is not split, see sync/create.ts). So one bad value costs its
 * own field, never the title with it, and a create refused for one field
 * still makes the item.
 *
 * Only validation refusals are isolated: a closed item, a rate limit or an
 * outage is about the whole write and goes to the caller as it came.
 */
import { SyncError } from '../connectors/errors';

export interface IsolatedWrite<T> {
  /** The last accepted write's answer; undefined when every field was refused (or none was given). */
  answer?: T;
  /** The fields that went through. */
  written: string[];
  /** The fields of the last write that went through (its answer shows only that write's change). */
  lastWritten: string[];
  /** Each refused field with the target's words. */
  refused: Record<string, string>;
  /** How many writes were sent, the refused ones included. */
  attempts: number;
}

/** A refusal of the data in this write, which a write without some of the fields may avoid. */
function fieldRefusal(e: unknown): SyncError | undefined {
  return e instanceof SyncError && e.kind === 'validation' && !e.details.closed ? e : undefined;
}

/**
 * Writes `fields` with `write`, isolating refused fields. `write` gets the fields of one attempt and the answer of
 * the attempt before it that went through (a conditional write names the version that answer reached). Fields
 * named in `mustGoTogether` (a status and what entering it needs) are never split from each other.
 */
export async function writeIsolated<V, T>(
  fields: Readonly<Record<string, V>>,
  write: (fields: Record<string, V>, previous: T | undefined) => Promise<T>,
  options: {
    mustGoTogether?: readonly string[][];
    /** Whether a refusal that names no field is split in halves (default); else it fails the write as it came. */
    splitUnnamed?: boolean;
  } = {},
): Promise<IsolatedWrite<T>> {
  const result: IsolatedWrite<T> = { written: [], lastWritten: [], refused: {}, attempts: 0 };
  const groups = groupsOf(Object.keys(fields), options.mustGoTogether ?? []);
  await attempt(groups);
  return result;

  async function attempt(pending: string[][]): Promise<void> {
    if (!pending.length) return;
    const names = pending.flat();
    const some = Object.fromEntries(names.map((n) => [n, fields[n]!]));
    result.attempts++;
    try {
      result.answer = await write(some, result.answer);
      result.written.push(...names);
      result.lastWritten = names;
      return;
    } catch (e) {
      const refusal = fieldRefusal(e);
      if (!refusal) throw e;
      const named = Object.entries(refusal.details.refused ?? {}).filter(([f]) => names.includes(f));
      if (named.length) {
        // The target named what it refused: those groups stay out, the rest goes again.
        const out = new Set(named.map(([f]) => f));
        for (const group of pending.filter((g) => g.some((f) => out.has(f))))
          for (const f of group) result.refused[f] = refusal.details.refused?.[f] ?? wordsOf(refusal);
        return attempt(pending.filter((g) => !g.some((f) => out.has(f))));
      }
      if (options.splitUnnamed === false) throw e;
      if (pending.length === 1) {
        for (const f of pending[0]!) result.refused[f] = wordsOf(refusal);
        return;
      }
      // Refused without saying which field: each half on its own finds it.
      const half = Math.ceil(pending.length / 2);
      await attempt(pending.slice(0, half));
      await attempt(pending.slice(half));
    }
  }
}

/** The target's own words where it gave them, else the error's message. */
function wordsOf(e: SyncError): string {
  return e.details.remoteMessage ?? e.message;
}

/** The fields as groups that are written together: each `together` list that names them, then each alone. */
function groupsOf(names: readonly string[], together: readonly string[][]): string[][] {
  const groups: string[][] = [];
  const placed = new Set<string>();
  for (const list of together) {
    const group = list.filter((f) => names.includes(f) && !placed.has(f));
    if (!group.length) continue;
    group.forEach((f) => placed.add(f));
    groups.push(group);
  }
  for (const n of names) if (!placed.has(n)) groups.push([n]);
  return groups;
}
