import { fieldMappingSchema, type FieldMapping } from '../mapping/connection-config';
import { readJira, readRemote } from '../mapping/field-values';
import { planFields, type FieldReading } from '../sync/field-plan';
import { describePlan, outcomeOf, summarize } from './preview-plan';

const m = (over: Record<string, unknown>): FieldMapping => fieldMappingSchema.parse(over);
const summary = m({ jira: 'summary', remote: 'short_description' });
const status = m({
  jira: 'status',
  remote: 'state',
  transform: 'value-map',
  valueMap: [
    { jira: 'To Do', remote: '1' },
    { jira: 'Done', remote: '6' },
  ],
});
const priority = m({
  jira: 'priority',
  remote: 'urgency',
  transform: 'value-map',
  direction: 'to-jira',
  valueMap: [{ jira: 'High', remote: '1' }],
});
const fields = [summary, status, priority];

function planOf(
  jiraFields: Record<string, unknown>,
  remoteFields: Record<string, unknown>,
  base: Record<string, { jira: string; remote: string }>,
  origin?: 'jira' | 'remote',
) {
  const readings: FieldReading[] = fields.map((f) => ({
    m: f,
    jira: readJira(f, jiraFields),
    remote: readRemote(f, remoteFields),
  }));
  const plan = planFields({
    config: {
      fields,
      conflictPolicy: 'newest-wins',
      requiredOnEnter: [
        { field: 'state', values: ['6'], set: { close_code: 'Solved', close_notes: 'Resolved in Jira ({issueKey})' } },
      ],
    },
    readings,
    base,
    updatedAt: { jira: 2, remote: 1 },
    ...(origin ? { origin } : {}),
    remoteMaxLengths: {},
    remoteRichText: 'text',
    remoteRaw: remoteFields,
    issueKey: 'DEMO-7',
  });
  return { readings, plan, remoteRaw: remoteFields };
}

describe("what a preview shows, from the engine's own plan", () => {
  it("an update: each field with both sides' own values, the write in the target's own form, the direction, and the fields a state requires", () => {
    const base = {
      summary: { jira: 'Old', remote: 'Old' },
      status: { jira: 'To Do', remote: 'To Do' },
      priority: { jira: 'High', remote: 'High' },
    };
    const { readings, plan, remoteRaw } = planOf(
      { summary: 'New title', status: { name: 'Done' }, priority: { name: 'High' } },
      { short_description: 'Old', state: '1', urgency: '1' },
      base,
    );
    const { rows, extra } = describePlan({
      kind: 'update',
      readings,
      plan,
      base,
      systemLabel: 'ServiceNow',
      remoteRaw,
    });
    expect(rows.map((r) => [r.jiraField, r.jiraValue, r.remoteValue, r.action, r.written, r.note])).toEqual([
      ['summary', 'New title', 'Old', 'write-remote', 'New title', 'changed in Jira since the last sync'],
      // The remote's column holds the remote's own values ("1"), not Jira's names for them ("To Do", "High").
      ['status', 'Done', '1', 'write-remote', '6', 'changed in Jira since the last sync'],
      ['priority', 'High', '1', 'none', undefined, 'in sync'],
    ]);
    expect(rows[2]!.direction).toBe('to-jira');
    expect(extra).toEqual([
      { field: 'close_code', value: 'Solved', note: expect.stringContaining('required') },
      { field: 'close_notes', value: 'Resolved in Jira (DEMO-7)', note: expect.stringContaining('required') },
    ]);
    expect(outcomeOf('update', rows)).toEqual({ kind: 'update' });
  });

  it("a conflict says who wins and why; an unmapped value is a failure with the engine's reason", () => {
    const base = {
      summary: { jira: 'Old', remote: 'Old' },
      status: { jira: 'To Do', remote: 'To Do' },
      priority: { jira: 'High', remote: 'High' },
    };
    const { readings, plan, remoteRaw } = planOf(
      { summary: 'Jira title', status: { name: 'Blocked' }, priority: { name: 'High' } },
      { short_description: 'Remote title', state: '1', urgency: '1' },
      base,
    );
    const { rows } = describePlan({ kind: 'update', readings, plan, base, systemLabel: 'ServiceNow', remoteRaw });
    expect(rows[0]).toMatchObject({
      action: 'write-remote',
      written: 'Jira title',
      conflict: { winner: 'jira', reason: 'policy: newest wins (Jira changed last)' },
      note: 'both sides changed: policy: newest wins (Jira changed last)',
    });
    expect(rows[1]).toMatchObject({ action: 'problem', note: 'Jira value "Blocked" has no mapping' });
    expect(outcomeOf('update', rows)).toEqual({
      kind: 'fail',
      reasons: ['status: Jira value "Blocked" has no mapping'],
    });
  });

  it('a create on the remote: what the new item is made with, and the one-way fields it leaves out', () => {
    const created = { short_description: 'Printer on fire', state: '1' };
    const { readings, plan } = planOf(
      { summary: 'Printer on fire', status: { name: 'To Do' }, priority: { name: 'High' } },
      created,
      {},
      'jira',
    );
    const { rows } = describePlan({
      kind: 'create-remote',
      readings,
      plan,
      createdRemote: created,
      base: {},
      systemLabel: 'ServiceNow',
      remoteRaw: undefined,
    });
    expect(rows.map((r) => [r.jiraField, r.action, r.written, r.note])).toEqual([
      ['summary', 'write-remote', 'Printer on fire', 'set when the ServiceNow item is created'],
      ['status', 'write-remote', '1', 'set when the ServiceNow item is created'],
      ['priority', 'none', undefined, 'this field syncs remote → Jira only'],
    ]);
    expect(outcomeOf('create-remote', rows)).toEqual({ kind: 'create' });
  });

  it('shows a remote value the map does not know as the remote holds it, not as empty', () => {
    const base = {
      summary: { jira: 'Same', remote: 'Same' },
      status: { jira: 'To Do', remote: 'To Do' },
      priority: { jira: 'High', remote: 'High' },
    };
    const { readings, plan, remoteRaw } = planOf(
      { summary: 'Same', status: { name: 'To Do' }, priority: { name: 'High' } },
      { short_description: 'Same', state: '3', urgency: '1' },
      base,
    );
    const { rows } = describePlan({ kind: 'update', readings, plan, base, systemLabel: 'ServiceNow', remoteRaw });
    expect(rows[1]).toMatchObject({ jiraValue: 'To Do', remoteValue: '3', action: 'problem' });
  });

  it('a linked pair with nothing changed is in sync', () => {
    const base = {
      summary: { jira: 'Same', remote: 'Same' },
      status: { jira: 'To Do', remote: 'To Do' },
      priority: { jira: 'High', remote: 'High' },
    };
    const { readings, plan, remoteRaw } = planOf(
      { summary: 'Same', status: { name: 'To Do' }, priority: { name: 'High' } },
      { short_description: 'Same', state: '1', urgency: '1' },
      base,
    );
    const { rows } = describePlan({ kind: 'update', readings, plan, base, systemLabel: 'ServiceNow', remoteRaw });
    expect(rows.every((r) => r.action === 'none')).toBe(true);
    expect(outcomeOf('update', rows)).toEqual({ kind: 'unchanged' });
  });

  it('sums up the whole draft: counts, and each reason with how many items and which', () => {
    const s = summarize([
      { item: 'DEMO-1', outcome: { kind: 'create' } },
      { item: 'DEMO-2', outcome: { kind: 'update' } },
      { item: 'DEMO-3', outcome: { kind: 'fail', reasons: ['status: Jira value "Blocked" has no mapping'] } },
      { item: 'DEMO-4', outcome: { kind: 'fail', reasons: ['status: Jira value "Blocked" has no mapping'] } },
      { item: 'DEMO-5', outcome: { kind: 'skipped', reason: 'synced through another connection' } },
      { item: 'DEMO-6', outcome: { kind: 'unchanged' } },
    ]);
    expect(s.counts).toEqual({ create: 1, update: 1, unchanged: 1, fail: 2, skipped: 1 });
    expect(s.reasons[0]).toEqual({
      reason: 'status: Jira value "Blocked" has no mapping',
      count: 2,
      items: ['DEMO-3', 'DEMO-4'],
    });
  });
});

describe('a preview of a field the remote computes', () => {
  it('shows the priority it means and the impact and urgency written for it, which are no extra fields', () => {
    const derived = m({
      jira: 'priority',
      remote: 'priority',
      transform: 'value-map',
      valueMap: [
        { jira: 'Highest', remote: '1' },
        { jira: 'Medium', remote: '3' },
      ],
      derived: {
        inputs: ['impact', 'urgency'],
        write: [
          { value: '1', set: { impact: '1', urgency: '1' } },
          { value: '3', set: { impact: '2', urgency: '2' } },
        ],
      },
    });
    const jiraFields = { priority: { name: 'Highest' } };
    const remoteRaw = { priority: '3', impact: '2', urgency: '2' };
    const readings: FieldReading[] = [
      { m: derived, jira: readJira(derived, jiraFields), remote: readRemote(derived, remoteRaw) },
    ];
    const base = { priority: { jira: 'Medium', remote: 'Medium' } };
    const plan = planFields({
      config: { fields: [derived], conflictPolicy: 'newest-wins', requiredOnEnter: [] },
      readings,
      base,
      updatedAt: { jira: 2, remote: 1 },
      remoteMaxLengths: {},
      remoteRichText: 'text',
      remoteRaw,
      issueKey: 'DEMO-7',
    });
    expect(plan.remoteFields).toEqual({ impact: '1', urgency: '1' });
    expect(plan.remoteTogether).toEqual([['impact', 'urgency']]);
    const { rows, extra } = describePlan({
      kind: 'update',
      readings,
      plan,
      base,
      systemLabel: 'ServiceNow',
      remoteRaw,
    });
    expect(rows.map((r) => [r.action, r.written, r.note])).toEqual([
      [
        'write-remote',
        '1',
        'changed in Jira since the last sync; ServiceNow computes it from impact 1 and urgency 1, which are written',
      ],
    ]);
    expect(extra).toEqual([]);
  });
});
