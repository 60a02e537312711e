/**
 * Value maps between a Jira value and a remote value (status ↔ state,
 * priority ↔ impact/urgency code, issue type ↔ category). The canonical value
 * the engine compares is the Jira side of the matching entry, so several remote
 * values may map to one Jira value (ServiceNow Resolved and Closed → Done); the
 * first entry for a value is the one written back.
 */
export interface ValueMapEntry {
  jira: string;
  remote: string;
}

export type Mapped = { ok: true; value: string } | { ok: false; reason: string };

const norm = (v: string) => v.trim().toLowerCase();

export function canonicalFromJira(map: readonly ValueMapEntry[], jiraValue: string): Mapped {
  const hit = map.find((e) => norm(e.jira) === norm(jiraValue));
  return hit ? { ok: true, value: hit.jira } : { ok: false, reason: `Jira value "${jiraValue}" has no mapping` };
}

export function canonicalFromRemote(map: readonly ValueMapEntry[], remoteValue: string): Mapped {
  const hit = map.find((e) => norm(e.remote) === norm(remoteValue));
  return hit ? { ok: true, value: hit.jira } : { ok: false, reason: `Remote value "${remoteValue}" has no mapping` };
}

export function remoteFromCanonical(map: readonly ValueMapEntry[], canonical: string): Mapped {
  const hit = map.find((e) => e.jira === canonical);
  return hit ? { ok: true, value: hit.remote } : { ok: false, reason: `No remote value for "${canonical}"` };
}

/** Problems a person should fix before saving: a Jira or remote value listed twice in conflicting ways. */
export function valueMapProblems(map: readonly ValueMapEntry[]): string[] {
  const problems: string[] = [];
  const byRemote = new Map<string, string>();
  for (const e of map) {
    const previous = byRemote.get(norm(e.remote));
    if (previous !== undefined && previous !== e.jira)
      problems.push(`Remote value "${e.remote}" maps to both "${previous}" and "${e.jira}"`);
    byRemote.set(norm(e.remote), e.jira);
  }
  return problems;
}
