/**
 * GitHub label names may hold spaces ("good first issue", "help wanted": two of every repository's defaults); a Jira
 * label may not, so such a label reads in Jira with underscores for its spaces (mapping/field-values.ts
 * `asJiraLabel`). Written back, a name is the repository's own label it stands for, so the issue keeps "good first
 * issue" rather than gaining a new "good_first_issue" label.
 */

/** What a name reads as once spaces are underscores, case aside (GitHub's label names are unique regardless of case). */
const jiraFormOf = (name: string) => name.trim().replace(/\s+/g, '_').toLowerCase();

/** Whether any of the names may stand for a label with spaces: only those need the repository's labels read. */
export const mayStandForSpacedLabel = (names: readonly string[]): boolean => names.some((n) => n.includes('_'));

/**
 * Each name as the repository's label it stands for: the label of that exact name, else the one whose Jira form it
 * is (one with spaces), else the name as given (GitHub makes a label of it).
 */
export function repositoryLabelNames(names: readonly string[], repositoryLabels: readonly string[]): string[] {
  const exact = new Set(repositoryLabels.map((l) => l.toLowerCase()));
  const byJiraForm = new Map<string, string>();
  for (const label of repositoryLabels) if (/\s/.test(label)) byJiraForm.set(jiraFormOf(label), label);
  return names.map((name) => (exact.has(name.toLowerCase()) ? name : (byJiraForm.get(jiraFormOf(name)) ?? name)));
}
