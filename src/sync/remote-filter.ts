/**
 * Whether a remote item is one the connection creates Jira issues for (or lets
 * be linked by hand). A filter is a list of entries that must all hold; an
 * entry is a condition on one field, or an OR group (`anyOf`) that holds when
 * any of its conditions holds. An empty filter means "none": creating issues
 * from a whole remote table must be chosen, never a default.
 */

/** A condition on one remote field: compared with one value, or with a list of values. */
export type RemoteCondition =
  | { field: string; op: '=' | '!=' | 'starts-with' | 'contains'; value: string }
  | { field: string; op: 'IN' | 'NOT IN'; values: readonly string[] };

/** An OR group: holds when any of its conditions holds. */
export interface RemoteAnyOf {
  anyOf: readonly RemoteCondition[];
}

export type RemoteFilterEntry = RemoteCondition | RemoteAnyOf;

export const isAnyOf = (entry: RemoteFilterEntry): entry is RemoteAnyOf => 'anyOf' in entry;

const valueOf = (raw: unknown): string =>
  raw && typeof raw === 'object' && 'value' in raw
    ? String((raw as { value: unknown }).value ?? '')
    : raw === null || raw === undefined
      ? ''
      : String(raw);

function holds(fields: Readonly<Record<string, unknown>>, c: RemoteCondition): boolean {
  const v = valueOf(fields[c.field]);
  switch (c.op) {
    case '=':
      return v === c.value;
    case '!=':
      return v !== c.value;
    case 'starts-with':
      return v.toLowerCase().startsWith(c.value.toLowerCase());
    case 'contains':
      return v.toLowerCase().includes(c.value.toLowerCase());
    // As `=` and `!=` compare: whole values, exactly.
    case 'IN':
      return c.values.includes(v);
    case 'NOT IN':
      return !c.values.includes(v);
  }
}

export function matchesRemoteFilter(
  fields: Readonly<Record<string, unknown>>,
  filter: readonly RemoteFilterEntry[],
): boolean {
  if (!filter.length) return false;
  return filter.every((entry) => (isAnyOf(entry) ? entry.anyOf.some((c) => holds(fields, c)) : holds(fields, entry)));
}
