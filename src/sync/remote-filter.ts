/**
 * Whether a remote item is one the connection creates Jira issues for. An empty
 * filter means "none": creating issues from a whole remote table must be chosen,
 * never a default.
 */
export interface RemoteCondition {
  field: string;
  op: '=' | '!=' | 'STARTSWITH' | 'LIKE';
  value: string;
}

const valueOf = (raw: unknown): string =>
  raw && typeof raw === 'object' && 'value' in raw
    ? String((raw as { value: unknown }).value ?? '')
    : raw === null || raw === undefined
      ? ''
      : String(raw);

export function matchesRemoteFilter(
  fields: Readonly<Record<string, unknown>>,
  filter: readonly RemoteCondition[],
): boolean {
  if (!filter.length) return false;
  return filter.every((c) => {
    const v = valueOf(fields[c.field]);
    switch (c.op) {
      case '=':
        return v === c.value;
      case '!=':
        return v !== c.value;
      case 'STARTSWITH':
        return v.toLowerCase().startsWith(c.value.toLowerCase());
      case 'LIKE':
        return v.toLowerCase().includes(c.value.toLowerCase());
    }
  });
}
