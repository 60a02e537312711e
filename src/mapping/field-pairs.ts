/**
 * What makes a connection's list of field pairs wrong as a whole: a Jira or a
 * remote field paired twice, and a status without a value map (Jira moves a
 * status only through transitions, to a status it names). Pure and free of
 * imports: the server refuses settings with it, and the settings page shows
 * the same problems at their rows as the admin types.
 */

export interface FieldPairProblem {
  /** The pair's place in the list (zero-based). */
  index: number;
  side: 'jira' | 'remote' | 'transform';
  message: string;
}

export function fieldPairProblems(
  fields: ReadonlyArray<{ jira: string; remote: string; transform?: string | undefined }>,
): FieldPairProblem[] {
  const problems: FieldPairProblem[] = [];
  const seen = { jira: new Set<string>(), remote: new Set<string>() };
  fields.forEach((f, index) => {
    // A field not chosen yet is not a duplicate; the field itself says it is missing.
    if (f.jira && seen.jira.has(f.jira))
      problems.push({ index, side: 'jira', message: `Jira field ${f.jira} is mapped twice` });
    if (f.remote && seen.remote.has(f.remote))
      problems.push({ index, side: 'remote', message: `remote field ${f.remote} is mapped twice` });
    seen.jira.add(f.jira);
    seen.remote.add(f.remote);
    if (f.jira === 'status' && f.transform !== 'value-map')
      problems.push({
        index,
        side: 'transform',
        message: 'status needs a value map (Jira moves status only through transitions)',
      });
  });
  return problems;
}
