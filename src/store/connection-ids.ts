/**
 * The ids a new connection may take: `<project>-<system>`, then `-2` to `-9`, then a random suffix; the first one
 * never claimed before wins (store/connections.ts claims it, and a deleted connection's id stays claimed).
 *
 * The project part is one-to-one with the project: its key in lower case with `_` written as `-` (a Jira key is
 * an uppercase letter, then uppercase letters, digits and `_`, so `AB_C` is `ab-c` and `ABC` is `abc`), or, where
 * the key is unknown, the project's id (digits first, which no key gives). Dropping `_` made `AB_C` and `ABC` one.
 */
export function connectionIdCandidates(
  project: { key?: string; id: string },
  system: string,
  randomSuffix: string,
): string[] {
  const key = project.key && /^[A-Z][A-Z0-9_]*$/.test(project.key) ? project.key : undefined;
  // Ids are at most 60 characters: room for the longest system name and suffix (Jira Cloud keys have at most 10).
  const part = (key ? key.toLowerCase().replace(/_/g, '-') : project.id).slice(0, 30);
  const stem = `${part}-${system}`;
  return [stem, ...[2, 3, 4, 5, 6, 7, 8, 9].map((n) => `${stem}-${n}`), `${stem}-${randomSuffix}`];
}
