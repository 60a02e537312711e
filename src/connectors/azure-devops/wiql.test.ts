import { buildWiql, field, literal, wiqlDateTime } from './wiql';

describe('WIQL building', () => {
  it('quotes every string value with its quotes doubled, so a value cannot end the literal and add conditions', () => {
    expect(literal("crosswalk:x' OR [System.Id] > 0 OR 'a")).toBe("'crosswalk:x'' OR [System.Id] > 0 OR ''a'");
    expect(literal(42)).toBe('42');
    expect(() => literal(Number.NaN)).toThrow();
  });

  it('accepts only reference names as fields', () => {
    expect(field('System.ChangedDate')).toBe('[System.ChangedDate]');
    expect(field('Custom.My_Field')).toBe('[Custom.My_Field]');
    for (const bad of ['Title', 'System.Title] OR [System.Id', "System.Tags'", '1.a'])
      expect(() => field(bad)).toThrow();
  });

  it('builds the sweep query: the project, changed since a UTC instant with milliseconds, ids already seen left out, oldest first', () => {
    expect(
      buildWiql({
        where: [
          { field: 'System.TeamProject', op: '= @project' },
          { field: 'System.ChangedDate', op: '>=', value: wiqlDateTime(Date.UTC(2026, 0, 2, 3, 4, 5, 67)) },
          { field: 'System.Id', op: 'NOT IN', values: [7, 9] },
        ],
        orderBy: { field: 'System.ChangedDate' },
      }),
    ).toBe(
      "SELECT [System.Id] FROM WorkItems WHERE [System.TeamProject] = @project AND [System.ChangedDate] >= '2026-01-02T03:04:05.067Z' AND [System.Id] NOT IN (7, 9) ORDER BY [System.ChangedDate] ASC",
    );
  });

  it('refuses an empty IN list rather than sending a query the service rejects', () => {
    expect(() => buildWiql({ where: [{ field: 'System.Id', op: 'IN', values: [] }] })).toThrow();
  });
});
