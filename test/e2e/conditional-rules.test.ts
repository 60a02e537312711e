/**
 * Conditional rules on a field pair, for every system the registry implements: the project admin adds a pair that
 * sets a choice field of the remote item from the Jira issue type and priority (through the settings resolver), the
 * seed's "category from type and priority": a Bug (an Incident where the project has no Bug) of Highest priority, a
 * Task, and otherwise the fallback. From then
 * on a new Bug carries the rule's value there, a change of its priority sets the value again, and nothing the rules
 * write comes back to Jira: not on the read of Crosswalk's own write, and not when a person there changes the field
 * (the rules write one way).
 */
import { implementedSystems } from '../../src/connectors/registry';
import { startEverySystem, type EverySystem, type PairedSystem } from '../support/every-system';
import type { RemoteAdapter } from '../model/adapter';

/** A choice field the system's item holds, and the values the rules set there: its model adapter's `ruleChoice`. */
type Choice = NonNullable<RemoteAdapter['ruleChoice']>;

let world: EverySystem;

beforeAll(async () => {
  world = await startEverySystem();
}, 180_000);
afterAll(() => world?.sandbox.stop());

const pairedFor = (kind: string): PairedSystem => world.paired.find((p) => p.system.kind === kind)!;

/** The project's kind of issue for things that break: a Bug where it has one (DEMO), else an Incident (OPS, SUP). */
const brokenType = async (p: PairedSystem): Promise<string> => {
  const project = await world.jira.request(p.person, 'GET', `/rest/api/3/project/${p.project.key}`);
  const names = (project.json.issueTypes as Array<{ name: string }>).map((t) => t.name);
  return ['Bug', 'Incident'].find((n) => names.includes(n))!;
};

const rulesPair = (choice: Choice, broken: string, then = choice.bugHighest) => ({
  jira: 'issuetype',
  remote: choice.field,
  direction: 'to-remote',
  rules: [
    {
      when: [
        { side: 'jira', field: 'issuetype', op: 'is', values: [broken] },
        { side: 'jira', field: 'priority', op: 'is', values: ['Highest'] },
      ],
      then,
    },
    { when: [{ side: 'jira', field: 'issuetype', op: 'is', values: ['Task'] }], then: choice.task },
  ],
  fallback: choice.fallback,
});

/** Jira's history of the issue: by the project's admin, who made and edited it, and by anyone else (echoes, if any). */
const historyOf = async (p: PairedSystem, key: string) => {
  const issue = await world.jira.request(p.person, 'GET', `/rest/api/3/issue/${key}?expand=changelog`);
  const histories = issue.json.changelog.histories as Array<{ author?: { accountId?: string }; items: unknown[] }>;
  const byAdmin = (h: (typeof histories)[number]) => h.author?.accountId === world.jira.userId(p.person.as);
  return {
    admin: histories.filter(byAdmin).length,
    others: histories.filter((h) => !byAdmin(h)).flatMap((h) => h.items),
  };
};

const setPriority = async (p: PairedSystem, key: string, name: string) => {
  world.sandbox.platform.manualClock.advance(60_000);
  const edited = await world.jira.request(p.person, 'PUT', `/rest/api/3/issue/${key}`, {
    fields: { priority: { name } },
  });
  expect(edited.status).toBe(204);
  await world.quiet();
};

describe.each(implementedSystems().map((s) => [s.label, s.kind] as const))('%s', (label, kind) => {
  let choice: Choice | undefined;
  beforeAll(() => {
    choice = pairedFor(kind).remote.ruleChoice;
  });

  it('has a choice field the rules can set', () => {
    // A newly registered system's model adapter names one (`ruleChoice`): the rules are shown to work for every system.
    expect(choice).toBeDefined();
    expect(new Set([choice!.bugHighest, choice!.fallback, choice!.other]).size).toBe(3);
  });

  it('refuses a rule value the field does not allow, and a condition on a field there is none of, naming each', async () => {
    const p = pairedFor(kind);
    const { id, config } = await world.connectionOf(p);
    const at = config.fields.length;
    const pair = rulesPair(choice!, await brokenType(p), 'no such value');
    pair.rules[1]!.when.push({ side: 'remote', field: 'no_such_field', op: 'is', values: ['x'] });
    const saved = await world.settings(p, 'saveConnection', {
      connectionId: id,
      settings: { ...config, fields: [...config.fields, pair] },
    });
    expect(saved.ok).toBe(false);
    expect(saved.error?.problems).toEqual(
      expect.arrayContaining([
        {
          path: `fields.${at}.rules.0.then`,
          message: expect.stringMatching(/has no value “no such value”: choose one of .*, /),
        },
        { path: `fields.${at}.rules.1.when.1.field`, message: expect.stringMatching(/has no field no_such_field$/) },
      ]),
    );
  });

  it('sets the field from the issue type and priority, again when the priority changes, and never echoes', async () => {
    const p = pairedFor(kind);
    const { id, config } = await world.connectionOf(p);
    const broken = await brokenType(p);
    const saved = await world.settings(p, 'saveConnection', {
      connectionId: id,
      settings: { ...config, fields: [...config.fields, rulesPair(choice!, broken)] },
    });
    expect(saved.error?.problems ?? saved.error).toBeUndefined();

    // A Bug (or Incident) of Highest priority: the first rule.
    const bug = await world.pairedIssue(p, `Database down on ${label}`, {
      issuetype: { name: broken },
      priority: { name: 'Highest' },
    });
    expect(p.remote.field(bug.remoteId, choice!.field)).toBe(choice!.bugHighest);

    // Its priority lowered: no rule holds, so the fallback.
    await setPriority(p, bug.key, 'Low');
    expect(p.remote.field(bug.remoteId, choice!.field)).toBe(choice!.fallback);
    // And raised again: the first rule again.
    await setPriority(p, bug.key, 'Highest');
    expect(p.remote.field(bug.remoteId, choice!.field)).toBe(choice!.bugHighest);

    // The preview of the draft on this real item says which rule held.
    const { config: withRules } = await world.connectionOf(p);
    const preview = await world.settings(p, 'previewItem', {
      connectionId: id,
      settings: withRules,
      item: { issueKey: bug.key },
    });
    expect(preview.data.rows).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          jiraField: 'issuetype',
          remoteField: choice!.field,
          action: 'none',
          rule: `rule 1 holds (Jira issuetype is “${broken}” and Jira priority is “Highest”): “${choice!.bugHighest}”`,
        }),
      ]),
    );

    // A Task: the second rule, whatever its priority.
    const task = await world.pairedIssue(p, `Question on ${label}`, { priority: { name: 'Highest' } });
    expect(p.remote.field(task.remoteId, choice!.field)).toBe(choice!.task);

    // A person there sets another value: it stays there, and nothing of it reaches Jira (the rules write one way).
    world.sandbox.platform.manualClock.advance(60_000);
    await world.sandbox.platform.settle();
    const writesBefore = await p.remote.writesByCrosswalk();
    await p.remote.setFields(bug.remoteId, { [choice!.field]: choice!.other });
    await world.quiet();
    expect(p.remote.field(bug.remoteId, choice!.field)).toBe(choice!.other);
    expect(await p.remote.writesByCrosswalk()).toBe(writesBefore);

    // Crosswalk's own writes of the rules' value, read back, changed nothing in Jira.
    expect(await historyOf(p, bug.key)).toEqual({ admin: 2, others: [] });
    expect(await historyOf(p, task.key)).toEqual({ admin: 0, others: [] });
    const fields = (await world.jira.request(p.person, 'GET', `/rest/api/3/issue/${bug.key}?fields=issuetype,priority`))
      .json.fields;
    expect([fields.issuetype.name, fields.priority.name]).toEqual([broken, 'Highest']);

    // Put back as it was, for the other tests of this world.
    expect(await world.settings(p, 'saveConnection', { connectionId: id, settings: config })).toMatchObject({
      ok: true,
    });
  });
});
