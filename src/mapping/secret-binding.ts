/**
 * A stored secret belongs to the instance, the sign-in and the scope it was
 * typed for. When a saved connection is pointed elsewhere (another host or
 * organization), signs in another way or as someone else, or reaches another
 * table or project, the secret must be typed again: the stored one is never
 * sent where it was not given. Settings a system declares as behaviour only
 * (`behaviourSettings` in its registry entry) may change without it.
 *
 * Pure and free of imports: the server decides with it (save, preview) and the
 * settings page uses the same rule to say, as the admin types, that the secret
 * must be retyped.
 */

type Remote = { type: string; baseUrl: string } & Record<string, unknown>;

/** The instance a URL names: scheme, host and path (an Azure DevOps organization is a path), without a trailing slash. */
function instanceOf(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname.replace(/\/+$/, '')}`.toLowerCase();
  } catch {
    return url.trim().toLowerCase();
  }
}

/** A value written the same way whatever the order of its keys; an absent key and an undefined one are the same. */
function stable(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stable).join(',')}]`;
  if (v && typeof v === 'object')
    return `{${Object.keys(v)
      .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stable((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(v) ?? 'undefined';
}

/** Whether the secret stored for `saved` may be used for `next` (same system, instance, sign-in and scope). */
export function secretStaysWith(saved: Remote, next: Remote, behaviourSettings: readonly string[] = []): boolean {
  const binding = (r: Remote) => {
    const rest: Record<string, unknown> = { ...r, baseUrl: instanceOf(r.baseUrl) };
    for (const key of behaviourSettings) delete rest[key];
    return stable(rest);
  };
  return saved.type === next.type && binding(saved) === binding(next);
}
