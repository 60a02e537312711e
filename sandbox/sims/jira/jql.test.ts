import fc from 'fast-check';
import { compareIssues, isBounded, JqlError, matches, parseJql, validateFields, type JqlIssueView } from './jql';

const NOW = Date.UTC(2026, 5, 15, 12, 0);
const ctx = { now: NOW, currentAccountId: 'me', customFieldIds: ['customfield_10010'] };
const issue = (over: Partial<JqlIssueView>): JqlIssueView => ({
  id: '1',
  key: 'DEMO-1',
  projectKey: 'DEMO',
  projectId: '10000',
  projectName: 'Demo',
  issueTypeId: '10100',
  issueTypeName: 'Task',
  statusId: '10000',
  statusName: 'To Do',
  statusCategory: 'To Do',
  priorityName: 'Medium',
  priorityId: '3',
  labels: [],
  assignee: null,
  reporter: 'me',
  created: NOW - 3_600_000,
  updated: NOW - 60_000,
  resolved: null,
  summary: 'VPN drops every 20 minutes',
  description: 'Users in Berlin lose the VPN',
  comments: ['Restarted the concentrator'],
  custom: { customfield_10010: 'ACME-7' },
  properties: { 'crosswalk.link': { remote: 'abc123' } },
  ...over,
});
const hit = (jql: string, over: Partial<JqlIssueView> = {}) => matches(issue(over), parseJql(jql).where, ctx);

describe('JQL', () => {
  it.each([
    ['project = DEMO', true],
    ['project = "Demo"', true],
    ['project = 10000', true],
    ['project != DEMO', false],
    ['status IN ("To Do", Done)', true],
    ['status NOT IN (Done)', true],
    ['issuetype = Bug', false],
    ['priority = medium', true],
    ['summary ~ vpn', true],
    ['summary ~ "drops every"', true],
    ['summary !~ printer', true],
    ['text ~ concentrator', true],
    ['comment ~ restart*', true],
    ['assignee IS EMPTY', true],
    ['assignee IS NOT EMPTY', false],
    ['reporter = currentUser()', true],
    ['labels is empty', true],
    ['created >= -2h', true],
    ['created >= -30m', false],
    ['updated > "2026-06-15"', true],
    ['created < startOfDay()', false],
    ['key > DEMO-0 AND key <= DEMO-1', true],
    ['cf[10010] = ACME-7', true],
    ['customfield_10010 ~ acme', true],
    ['issue.property[crosswalk.link].remote = abc123', true],
    ['issue.property[crosswalk.link].remote = other', false],
  ])('%s → %s', (jql, expected) => {
    expect(hit(jql)).toBe(expected);
  });

  it('binds NOT tighter than AND, and AND tighter than OR', () => {
    expect(hit('project = OPS OR project = DEMO AND status = "To Do"')).toBe(true);
    expect(hit('(project = OPS OR project = DEMO) AND status = Done')).toBe(false);
    expect(hit('NOT project = OPS AND status = "To Do"')).toBe(true);
    expect(hit('NOT (project = DEMO OR status = Done)')).toBe(false);
  });

  it('orders by several keys and directions, newest first by default', () => {
    const a = issue({ key: 'DEMO-2', priorityName: 'High', created: 1 });
    const b = issue({ key: 'DEMO-10', priorityName: 'High', created: 2 });
    const c = issue({ key: 'DEMO-3', priorityName: 'Low', created: 3 });
    expect(
      [c, a, b]
        .sort(compareIssues(parseJql('project = DEMO ORDER BY priority ASC, key DESC').orderBy))
        .map((i) => i.key),
    ).toEqual(['DEMO-10', 'DEMO-2', 'DEMO-3']);
    expect([a, b, c].sort(compareIssues([])).map((i) => i.key)).toEqual(['DEMO-3', 'DEMO-10', 'DEMO-2']);
    expect([b, a].sort(compareIssues(parseJql('ORDER BY key').orderBy)).map((i) => i.key)).toEqual([
      'DEMO-2',
      'DEMO-10',
    ]);
  });

  it.each([
    [
      'project DEMO',
      "Expecting operator but got 'DEMO'. The valid operators are '=', '!=', '<', '>', '<=', '>=', '~', '!~', 'IN', 'NOT IN', 'IS' and 'IS NOT'. (line 1, character 9)",
    ],
    ['project = "DEMO', "The quoted string 'DEMO' has not been completed. (line 1, character 11)"],
    ['(project = DEMO', "Expecting ')' but got 'end of query'. (line 1, character 16)"],
    ['project = DEMO status = Done', "Expecting either 'OR' or 'AND' but got 'status'. (line 1, character 16)"],
  ])('reports %s like Jira', (jql, message) => {
    expect(() => parseJql(jql)).toThrow(new JqlError(`Error in the JQL Query: ${message}`));
  });

  it('names unknown fields and unsupported operators', () => {
    expect(validateFields(parseJql('colour = red ORDER BY size'), ctx)).toEqual([
      "Field 'colour' does not exist or you do not have permission to view it.",
      "Field 'size' does not exist or you do not have permission to view it.",
    ]);
    expect(validateFields(parseJql('summary = x'), ctx)).toEqual([
      "The operator '=' is not supported by the 'summary' field.",
    ]);
  });

  it('knows a query that restricts nothing is unbounded', () => {
    expect(isBounded(parseJql('ORDER BY created'))).toBe(false);
    expect(isBounded(parseJql('project != DEMO'))).toBe(false);
    expect(isBounded(parseJql('project = DEMO OR status != Done'))).toBe(false);
    expect(isBounded(parseJql('project = DEMO AND status != Done'))).toBe(true);
  });

  it('property: A OR B matches exactly when A or B matches, and NOT inverts', () => {
    const clause = fc.constantFrom(
      'project = DEMO',
      'status = Done',
      'summary ~ vpn',
      'labels = urgent',
      'assignee IS EMPTY',
      'created > -10m',
    );
    const view = fc.record({
      statusName: fc.constantFrom('To Do', 'Done'),
      labels: fc.constantFrom<string[][]>([], ['urgent']),
      assignee: fc.constantFrom(null, 'x'),
      projectKey: fc.constantFrom('DEMO', 'OPS'),
    });
    fc.assert(
      fc.property(clause, clause, view, (a, b, v) => {
        const one = (q: string) => hit(q, v);
        return (
          one(`${a} OR ${b}`) === (one(a) || one(b)) &&
          one(`${a} AND ${b}`) === (one(a) && one(b)) &&
          one(`NOT (${a})`) === !one(a)
        );
      }),
    );
  });
});
