/**
 * Value maps between a Jira value and a remote value (status ↔ state,
 * priority ↔ impact/urgency code, issue type ↔ category). The canonical value
 * the engine compares is the Jira side of the matching entry, so several remote
 * values may map to one Jira value (ServiceNow Resolved and Closed → Done); the
 * first entry for a value is the one written back. Several Jira values may map
 * to one remote value (Highest and High → urgency 1) when the map says which of
 * them the remote value maps back to (`reverse` on that entry).
 */
export interface ValueMapEntry {
  jira: string;
  remote: string;
  /** Where several Jira values map to this entry's remote value: this one is what the remote value maps back to. */
  reverse?: boolean;
}

export type Mapped = { ok: true; value: string } | { ok: false; reason: string };

const norm = (v: string) => v.trim().toLowerCase();

export function canonicalFromJira(map: readonly ValueMapEntry[], jiraValue: string): Mapped {
  const hit = map.find((e) => norm(e.jira) === norm(jiraValue));
  return hit ? { ok: true, value: hit.jira } : { ok: false, reason: `Jira value "${jiraValue}" has no mapping` };
}

export function canonicalFromRemote(map: readonly ValueMapEntry[], remoteValue: string): Mapped {
  const hits = map.filter((e) => norm(e.remote) === norm(remoteValue));
  const hit = hits.find((e) => e.reverse) ?? hits[0];
  return hit ? { ok: true, value: hit.jira } : { ok: false, reason: `Remote value "${remoteValue}" has no mapping` };
}

export function remoteFromCanonical(map: readonly ValueMapEntry[], canonical: string): Mapped {
  const hit = map.find((e) => e.jira === canonical);
  return hit ? { ok: true, value: hit.remote } : { ok: false, reason: `No remote value for "${canonical}"` };
}

/**
 * Problems a person should fix before saving: a remote value several Jira values map to with no choice of which one
 * it maps back to (or more than one). `remoteField` names the remote field in the words ("urgency 1 is …").
 */
export function valueMapProblems(map: readonly ValueMapEntry[], remoteField?: string): string[] {
  const problems: string[] = [];
  const byRemote = new Map<string, ValueMapEntry[]>();
  for (const e of map) byRemote.set(norm(e.remote), [...(byRemote.get(norm(e.remote)) ?? []), e]);
  for (const entries of byRemote.values()) {
    const jira = [...new Set(entries.map((e) => e.jira))];
    if (jira.length < 2) continue;
    const name = remoteField ? `${remoteField} ${entries[0]!.remote}` : `Remote value "${entries[0]!.remote}"`;
    const back = [...new Set(entries.filter((e) => e.reverse).map((e) => e.jira))];
    if (back.length === 0) problems.push(`${name} is mapped from ${listed(jira)}: choose which one it maps back to`);
    else if (back.length > 1) problems.push(`${name} maps back to ${listed(back)}: choose one`);
  }
  return problems;
}

const listed = (values: readonly string[]) =>
  values.length < 2 ? (values[0] ?? '') : `${values.slice(0, -1).join(', ')} and ${values[values.length - 1]}`;
