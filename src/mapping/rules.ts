/**
 * A pair's conditional rules: "when these fields of either side match, then
 * this value", in order, with a fallback. The seed's example sets a remote
 * category from the Jira issue type and priority (Bug and Highest →
 * "database", Task → "inquiry", otherwise "inquiry").
 *
 * Rules are typed data, not an expression language: a rule holds when each of
 * its conditions holds, the first rule that holds gives the value, then the
 * fallback; with neither, the target keeps what it holds (nothing is written).
 * Many combinations may give one value, so a value cannot be traced back to
 * the conditions that gave it: rules are one-way, and the pair's direction
 * says which side they write (Jira → remote: the remote field; remote → Jira:
 * the Jira field). A change a person makes to the written side stays there
 * and is not copied back; the next change of a condition's field writes the
 * rules' value again.
 *
 * Values are compared as people read them: trimmed, case-insensitive. A Jira
 * field reads as Jira shows it (an issue type or priority by its `name`, an
 * option by its `value`); a remote field as the remote stores it. Pure.
 */
import * as z from 'zod';

const conditionField = z.string().regex(/^[A-Za-z][A-Za-z0-9_.]*$/, 'must be a field name');

export const ruleConditionSchema = z.object({
  /** Whose field the condition reads. */
  side: z.enum(['jira', 'remote']),
  field: conditionField,
  op: z.enum(['is', 'is not', 'in']),
  values: z
    .array(z.string().trim().min(1, 'a value cannot be empty').max(200, 'a value can be at most 200 characters'))
    .min(1, 'pick at least one value')
    .refine((values) => values.length <= 50, 'pick at most 50 values'),
});
export type RuleCondition = z.infer<typeof ruleConditionSchema>;

export const ruleSchema = z.object({
  when: z
    .array(ruleConditionSchema)
    .min(1, 'a rule needs at least one condition: for “otherwise”, set the fallback')
    .refine((when) => when.length <= 10, 'a rule can have at most 10 conditions'),
  then: z.string().trim().min(1, 'say which value this rule sets').max(200),
});
export type Rule = z.infer<typeof ruleSchema>;

/** A pair's rules and fallback, as the mapping holds them. */
export interface RuleSet {
  rules?: readonly Rule[] | undefined;
  fallback?: string | undefined;
}

/** Both sides' fields as read, raw (the Jira issue's `fields`, the remote item's `fields`). */
export interface RuleInputs {
  jira?: Readonly<Record<string, unknown>>;
  remote?: Readonly<Record<string, unknown>>;
}

/** Which rule gave the value: its index (0-based), the fallback, or none (the target keeps what it holds). */
export type RuleMatch = { rule: number; value: string } | { rule: 'fallback'; value: string } | { rule: 'none' };

/** What a condition's field holds, as people read it: an object by its name or value, a list as its items. */
export function conditionInput(side: 'jira' | 'remote', raw: unknown): string[] {
  if (raw === null || raw === undefined) return [];
  if (Array.isArray(raw)) return raw.flatMap((x) => conditionInput(side, x));
  if (typeof raw === 'object') {
    const o = raw as { name?: unknown; value?: unknown; displayName?: unknown; display_value?: unknown };
    // Jira: an issue type or priority by its name, an option by its value. A remote reference by what it stores.
    const v = side === 'jira' ? (o.name ?? o.value ?? o.displayName) : (o.value ?? o.name ?? o.display_value);
    return v === null || v === undefined ? [] : [String(v)];
  }
  return [String(raw)];
}

const same = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

/** Whether one condition holds for both sides' fields. An empty field is no value: `is not` holds for it. */
export function conditionHolds(c: RuleCondition, inputs: RuleInputs): boolean {
  const held = conditionInput(c.side, inputs[c.side]?.[c.field]).filter((v) => v.trim() !== '');
  const any = held.some((h) => c.values.some((v) => same(h, v)));
  return c.op === 'is not' ? !any : any;
}

/** The value the rules give for these fields: the first rule whose every condition holds, else the fallback. */
export function evaluateRules(set: RuleSet, inputs: RuleInputs): RuleMatch {
  const rules = set.rules ?? [];
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i]!;
    if (rule.when.every((c) => conditionHolds(c, inputs))) return { rule: i, value: rule.then };
  }
  return set.fallback ? { rule: 'fallback', value: set.fallback } : { rule: 'none' };
}

/** The fields a pair's rules read on one side (a Jira event that names one of them changes the rules' value). */
export function fieldsReadBy(set: RuleSet, side: 'jira' | 'remote'): string[] {
  return [...new Set((set.rules ?? []).flatMap((r) => r.when.filter((c) => c.side === side).map((c) => c.field)))];
}

/** The side the rules write, from the pair's direction; undefined where the direction is not one-way. */
export function ruleTarget(direction: string): 'jira' | 'remote' | undefined {
  return direction === 'to-remote' ? 'remote' : direction === 'to-jira' ? 'jira' : undefined;
}

/** Problems of a pair's rules that the schema cannot see alone, as a project lead reads them. */
export function ruleProblems(m: {
  direction: string;
  transform: string;
  rules?: readonly Rule[] | undefined;
  fallback?: string | undefined;
  template?: unknown;
  remote: string;
  jira: string;
}): Array<{ path: (string | number)[]; message: string }> {
  const problems: Array<{ path: (string | number)[]; message: string }> = [];
  if (!m.rules?.length) {
    if (m.fallback !== undefined)
      problems.push({ path: ['fallback'], message: 'a fallback needs at least one rule before it' });
    return problems;
  }
  if (!ruleTarget(m.direction))
    problems.push({
      path: ['direction'],
      message: `rules write one side only: set the direction to Jira → remote (the rules set ${m.remote}) or remote → Jira (they set Jira's ${m.jira})`,
    });
  if (m.template) problems.push({ path: ['rules'], message: 'a pair takes rules or a template, not both' });
  if (m.transform === 'user' || m.transform === 'rich-text' || m.transform === 'list')
    problems.push({ path: ['rules'], message: 'only a pair of single values (a choice, a word) takes rules' });
  m.rules.forEach((rule, r) =>
    rule.when.forEach((c, i) => {
      if (c.op !== 'in' && c.values.length > 1)
        problems.push({
          path: ['rules', r, 'when', i, 'values'],
          message: `“${c.op}” compares with one value: use “in” for several`,
        });
    }),
  );
  return problems;
}

const OPS: Record<RuleCondition['op'], string> = { is: 'is', 'is not': 'is not', in: 'is one of' };

/** A rule in words ("issuetype is Bug and priority is Highest"), for the preview and the page. */
export function describeConditions(rule: Rule, remoteLabel = 'remote'): string {
  return rule.when
    .map(
      (c) =>
        `${c.side === 'jira' ? 'Jira' : remoteLabel} ${c.field} ${OPS[c.op]} ${c.values.map((v) => `“${v}”`).join(', ')}`,
    )
    .join(' and ');
}

/** Which rule gave a value, in words. */
export function describeMatch(match: RuleMatch, set: RuleSet, remoteLabel = 'remote'): string {
  if (match.rule === 'none') return 'no rule holds and there is no fallback: left as it is';
  if (match.rule === 'fallback') return `no rule holds: the fallback “${match.value}”`;
  const rule = set.rules?.[match.rule];
  return `rule ${match.rule + 1} holds (${rule ? describeConditions(rule, remoteLabel) : ''}): “${match.value}”`;
}
