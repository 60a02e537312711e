import { fieldMappingSchema, type FieldMapping } from './connection-config';
import { readJira, readRemote, writeJira, writeRemote } from './field-values';
import { conditionHolds, describeMatch, evaluateRules, fieldsReadBy, type Rule } from './rules';
import { planFields } from '../sync/field-plan';
import type { CanonicalValue } from '../sync/canonical';

/** The seed's example: a ServiceNow category chosen by the Jira issue type and priority. */
const rules: Rule[] = [
  {
    when: [
      { side: 'jira', field: 'issuetype', op: 'is', values: ['Bug'] },
      { side: 'jira', field: 'priority', op: 'in', values: ['Highest', 'High'] },
    ],
    then: 'database',
  },
  { when: [{ side: 'jira', field: 'issuetype', op: 'is', values: ['Task'] }], then: 'inquiry' },
];
const issue = (type: string, priority?: string) => ({
  issuetype: { id: '1', name: type },
  ...(priority ? { priority: { id: '2', name: priority } } : {}),
});

describe('rules: the first rule whose conditions all hold gives the value', () => {
  it('a Bug of Highest priority is a database matter; a Task an inquiry', () => {
    expect(evaluateRules({ rules }, { jira: issue('Bug', 'Highest') })).toEqual({ rule: 0, value: 'database' });
    expect(evaluateRules({ rules }, { jira: issue('Task', 'Highest') })).toEqual({ rule: 1, value: 'inquiry' });
  });

  it('a Bug of Low priority meets no rule: the fallback, or, without one, nothing', () => {
    expect(evaluateRules({ rules, fallback: 'software' }, { jira: issue('Bug', 'Low') })).toEqual({
      rule: 'fallback',
      value: 'software',
    });
    expect(evaluateRules({ rules }, { jira: issue('Bug', 'Low') })).toEqual({ rule: 'none' });
  });

  it('compares values as people read them: trimmed, whatever the case', () => {
    expect(conditionHolds(rules[0]!.when[0]!, { jira: issue(' bug ') })).toBe(true);
  });

  it('“is not” holds for an empty field, “is” and “in” do not', () => {
    const none = { jira: issue('Bug') };
    expect(conditionHolds({ side: 'jira', field: 'priority', op: 'is not', values: ['High'] }, none)).toBe(true);
    expect(conditionHolds({ side: 'jira', field: 'priority', op: 'in', values: ['High'] }, none)).toBe(false);
  });

  it('reads a remote field as the remote stores it, and an item not made yet as empty', () => {
    const urgent = { side: 'remote' as const, field: 'urgency', op: 'is' as const, values: ['1'] };
    expect(conditionHolds(urgent, { remote: { urgency: '1' } })).toBe(true);
    expect(conditionHolds(urgent, { jira: issue('Bug') })).toBe(false);
  });

  it('says which rule held in words, for the preview', () => {
    expect(describeMatch({ rule: 0, value: 'database' }, { rules }, 'ServiceNow')).toBe(
      'rule 1 holds (Jira issuetype is “Bug” and Jira priority is one of “Highest”, “High”): “database”',
    );
    expect(fieldsReadBy({ rules }, 'jira')).toEqual(['issuetype', 'priority']);
  });
});

const pair = (extra: Record<string, unknown> = {}) =>
  fieldMappingSchema.safeParse({
    jira: 'issuetype',
    remote: 'category',
    direction: 'to-remote',
    rules,
    fallback: 'inquiry',
    ...extra,
  });

describe('rules on a pair, checked when saved', () => {
  it('takes rules on a one-way pair', () => {
    expect(pair().success).toBe(true);
  });

  it('refuses rules on a two-way pair, saying which way to set', () => {
    const parsed = pair({ direction: 'both' });
    expect(parsed.error?.issues).toEqual([
      expect.objectContaining({
        path: ['direction'],
        message:
          "rules write one side only: set the direction to Jira → remote (the rules set category) or remote → Jira (they set Jira's issuetype)",
      }),
    ]);
  });

  it('refuses a rule without conditions, “is” with two values, and a fallback without rules', () => {
    expect(pair({ rules: [{ when: [], then: 'x' }] }).error?.issues[0]?.message).toMatch(/set the fallback/);
    expect(
      pair({ rules: [{ when: [{ side: 'jira', field: 'priority', op: 'is', values: ['High', 'Low'] }], then: 'x' }] })
        .error?.issues[0],
    ).toMatchObject({ path: ['rules', 0, 'when', 0, 'values'], message: expect.stringMatching(/use “in”/) });
    expect(pair({ rules: undefined }).error?.issues[0]).toMatchObject({ path: ['fallback'] });
  });
});

describe('a pair with rules syncs one way and never echoes', () => {
  const m = pair().data as FieldMapping;
  const c = (remote: Record<string, unknown>) => ({
    timeZone: 'UTC',
    remoteDateTime: { format: String, parse: () => undefined },
    ruleInputs: { remote },
  });
  const plan = (jiraFields: Record<string, unknown>, remoteFields: Record<string, unknown>, base?: CanonicalValue) =>
    planFields({
      config: { fields: [m], conflictPolicy: 'newest-wins', requiredOnEnter: [] },
      readings: [{ m, jira: readJira(m, jiraFields, c(remoteFields)), remote: readRemote(m, remoteFields) }],
      base: base === undefined ? {} : { issuetype: { jira: base, remote: base } },
      updatedAt: { jira: 2, remote: 1 },
      remoteMaxLengths: {},
      remoteRichText: 'text',
      remoteRaw: remoteFields,
      issueKey: 'DEMO-1',
    });

  it('writes the rule’s value to the remote, and says which rule held', () => {
    const p = plan(issue('Bug', 'Highest'), { category: 'inquiry' }, 'inquiry');
    expect(p.remoteFields).toEqual({ category: 'database' });
    expect(p.rules).toEqual({ issuetype: { rule: 0, value: 'database' } });
  });

  it('reads its own write back as no change', () => {
    const p = plan(issue('Bug', 'Highest'), { category: 'database' }, 'database');
    expect({ remote: p.remoteFields, jira: p.jiraWrites }).toEqual({ remote: {}, jira: [] });
  });

  it('re-evaluates when a condition’s field changes: priority Highest → Low gives the fallback', () => {
    expect(plan(issue('Bug', 'Low'), { category: 'database' }, 'database').remoteFields).toEqual({
      category: 'inquiry',
    });
  });

  it('keeps a person’s change of the remote there: nothing flows to Jira', () => {
    const p = plan(issue('Bug', 'Highest'), { category: 'hardware' }, 'database');
    expect({ remote: p.remoteFields, jira: p.jiraWrites }).toEqual({ remote: {}, jira: [] });
  });

  it('writes the remote’s own value as it is, and a Jira choice by its name', () => {
    expect(writeRemote(m, 'database')).toEqual({ ok: true, field: 'category', value: 'database' });
    const toJira = { ...m, jira: 'priority', remote: 'urgency', direction: 'to-jira' } as FieldMapping;
    expect(writeJira(toJira, 'High')).toEqual({ kind: 'field', field: 'priority', value: { name: 'High' } });
    expect(readJira(toJira, { priority: { name: 'Low' } })).toEqual({ ok: true, value: 'Low' });
  });
});

describe('rules toward Jira, from the remote’s own fields', () => {
  // Jira's priority from ServiceNow's impact, which no pair syncs: impact 1 is Highest, otherwise Medium.
  const m = fieldMappingSchema.parse({
    jira: 'priority',
    remote: 'urgency',
    direction: 'to-jira',
    rules: [{ when: [{ side: 'remote', field: 'impact', op: 'is', values: ['1'] }], then: 'Highest' }],
    fallback: 'Medium',
  }) as FieldMapping;
  const c = (jira: Record<string, unknown>) => ({
    timeZone: 'UTC',
    remoteDateTime: { format: String, parse: () => undefined },
    ruleInputs: { jira },
  });
  const plan = (jira: Record<string, unknown>, remote: Record<string, unknown>, base: string) =>
    planFields({
      config: { fields: [m], conflictPolicy: 'newest-wins', requiredOnEnter: [] },
      readings: [{ m, jira: readJira(m, jira), remote: readRemote(m, remote, 'text', c(jira)) }],
      base: { priority: { jira: base, remote: base } },
      updatedAt: { jira: 1, remote: 2 },
      remoteMaxLengths: {},
      remoteRichText: 'text',
      remoteRaw: remote,
      issueKey: 'DEMO-1',
    });

  it('writes Jira when the remote’s impact changes, and reads its own write back as no change', () => {
    const p = plan({ priority: { name: 'Medium' } }, { impact: '1', urgency: '3' }, 'Medium');
    expect(p.jiraWrites.map((w) => [w.m.jira, w.value])).toEqual([['priority', 'Highest']]);
    expect(writeJira(m, 'Highest')).toEqual({ kind: 'field', field: 'priority', value: { name: 'Highest' } });
    const after = plan({ priority: { name: 'Highest' } }, { impact: '1', urgency: '3' }, 'Highest');
    expect({ jira: after.jiraWrites, remote: after.remoteFields }).toEqual({ jira: [], remote: {} });
  });

  it('keeps a person’s change of Jira’s priority in Jira: nothing is written to the remote', () => {
    const p = plan({ priority: { name: 'Low' } }, { impact: '1', urgency: '3' }, 'Highest');
    expect({ jira: p.jiraWrites, remote: p.remoteFields }).toEqual({ jira: [], remote: {} });
  });
});
