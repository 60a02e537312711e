import fc from 'fast-check';
import { decideField, type FieldDecisionInput } from './field-decision';
import { canonicalEqual, type CanonicalValue } from './canonical';
import { planFields } from './field-plan';
import { fieldMappingSchema } from '../mapping/connection-config';

const input = (over: Partial<FieldDecisionInput>): FieldDecisionInput => ({
  field: 'summary',
  direction: 'both',
  policy: 'jira-wins',
  base: { jira: 'old', remote: 'old' },
  current: { jira: 'old', remote: 'old' },
  updatedAt: { jira: 1000, remote: 1000 },
  ...over,
});

describe('deciding one field three ways', () => {
  it('does nothing when both sides hold the same value', () => {
    expect(decideField(input({ current: { jira: 'x', remote: 'x' } }))).toEqual({
      field: 'summary',
      action: 'none',
      reason: 'in-sync',
    });
  });

  it('writes the remote when only Jira changed', () => {
    expect(decideField(input({ current: { jira: 'new', remote: 'old' } }))).toEqual({
      field: 'summary',
      action: 'write',
      target: 'remote',
      value: 'new',
    });
  });

  it('writes Jira when only the remote changed', () => {
    expect(decideField(input({ current: { jira: 'old', remote: 'new' } }))).toEqual({
      field: 'summary',
      action: 'write',
      target: 'jira',
      value: 'new',
    });
  });

  it("a Jira value changed and changed back since the last sync, against a remote change, is a conflict decided by the field's own Jira change time (found by the model: the remote won silently over a newer Jira edit)", () => {
    const aba = input({
      policy: 'newest-wins',
      base: { jira: 'Medium', remote: 'Medium' },
      current: { jira: 'Medium', remote: 'Lowest' },
      updatedAt: { jira: 1000, remote: 2000 },
    });
    // Without the changelog's word, Jira reads as unchanged and the remote wins.
    expect(decideField(aba)).toEqual({ field: 'summary', action: 'write', target: 'jira', value: 'Lowest' });
    // Jira's field changed (back) after the remote's change: Jira's value is the newest.
    expect(decideField({ ...aba, jiraTouchedAt: 3000 })).toMatchObject({
      action: 'write',
      target: 'remote',
      value: 'Medium',
      conflict: { winner: 'jira', reason: 'policy: newest wins (Jira changed last)' },
    });
    // Changed before the remote's change: the remote is the newest, and the conflict is on record.
    expect(decideField({ ...aba, jiraTouchedAt: 1500 })).toMatchObject({
      action: 'write',
      target: 'jira',
      value: 'Lowest',
      conflict: { winner: 'remote' },
    });
    // Touched in Jira but the remote did not change: nothing to decide.
    expect(decideField({ ...aba, current: { jira: 'Medium', remote: 'Medium' }, jiraTouchedAt: 3000 })).toMatchObject({
      action: 'none',
    });
  });

  it('the same for a remote value changed and changed back, where the connector reads history (found by the model: Jira won silently over a newer remote edit)', () => {
    const aba = input({
      policy: 'newest-wins',
      base: { jira: 'Medium', remote: 'Medium' },
      current: { jira: 'Low', remote: 'Medium' },
      updatedAt: { jira: 4000, remote: 3000 },
    });
    expect(decideField(aba)).toEqual({ field: 'summary', action: 'write', target: 'remote', value: 'Low' });
    // The remote's field changed (back) after Jira's field did: the remote is the newest, whatever else changed in Jira since.
    expect(decideField({ ...aba, remoteTouchedAt: 3000, jiraTouchedAt: 1000 })).toMatchObject({
      action: 'write',
      target: 'jira',
      value: 'Medium',
      conflict: { winner: 'remote' },
    });
    expect(decideField({ ...aba, remoteTouchedAt: 3000 })).toMatchObject({
      action: 'write',
      target: 'remote',
      value: 'Low',
      conflict: { winner: 'jira' },
    });
  });

  it('does not echo our own lossy write: a truncated remote value equal to its base is no change', () => {
    const long = 'x'.repeat(200);
    const cut = long.slice(0, 160);
    expect(decideField(input({ base: { jira: long, remote: cut }, current: { jira: long, remote: cut } }))).toEqual({
      field: 'summary',
      action: 'none',
      reason: 'unchanged',
    });
  });

  describe('after a crash between our write and storing its base (defect: false conflict, the cut written back)', () => {
    const cut160 = {
      jira: (v: CanonicalValue) => v,
      remote: (v: CanonicalValue) => (typeof v === 'string' ? v.slice(0, 160) : v),
    };
    const long = 'y'.repeat(200);

    it('takes a remote holding exactly the cut of the new Jira value as in sync, not as a conflict', () => {
      expect(
        decideField(
          input({
            policy: 'remote-wins',
            base: { jira: 'old', remote: 'old' },
            current: { jira: long, remote: long.slice(0, 160) },
            storedAs: cut160,
          }),
        ),
      ).toEqual({ field: 'summary', action: 'none', reason: 'in-sync' });
    });

    it('still sees a real change on both sides as a conflict', () => {
      const d = decideField(
        input({
          policy: 'remote-wins',
          base: { jira: 'old', remote: 'old' },
          current: { jira: long, remote: 'someone else' },
          storedAs: cut160,
        }),
      );
      expect(d).toMatchObject({
        action: 'write',
        target: 'jira',
        value: 'someone else',
        conflict: { winner: 'remote' },
      });
    });

    it("takes a first sync whose sides already hold each other's written form as in sync", () => {
      expect(
        decideField(input({ base: undefined, current: { jira: long, remote: long.slice(0, 160) }, storedAs: cut160 })),
      ).toEqual({ field: 'summary', action: 'none', reason: 'in-sync' });
    });
  });

  it.each([
    ['jira-wins', { jira: 5, remote: 9 }, 'jira'],
    ['remote-wins', { jira: 9, remote: 5 }, 'remote'],
    ['newest-wins', { jira: 9, remote: 5 }, 'jira'],
    ['newest-wins', { jira: 5, remote: 9 }, 'remote'],
    ['newest-wins', { jira: 5, remote: 5 }, 'jira'],
  ] as const)(
    'resolves a change on both sides by policy %s (times %o) in favour of %s, and records it',
    (policy, updatedAt, winner) => {
      const decision = decideField(input({ policy, updatedAt, current: { jira: 'J', remote: 'R' } }));
      expect(decision).toMatchObject({
        action: 'write',
        target: winner === 'jira' ? 'remote' : 'jira',
        value: winner === 'jira' ? 'J' : 'R',
      });
      expect(decision.action === 'write' && decision.conflict).toMatchObject({
        field: 'summary',
        winner,
        base: { jira: 'old', remote: 'old' },
        current: { jira: 'J', remote: 'R' },
      });
    },
  );

  it('never writes Jira for a field that syncs to the remote only', () => {
    expect(decideField(input({ direction: 'to-remote', current: { jira: 'old', remote: 'new' } }))).toEqual({
      field: 'summary',
      action: 'none',
      reason: 'direction-blocks',
    });
    expect(decideField(input({ direction: 'to-remote', current: { jira: 'new', remote: 'old' } }))).toMatchObject({
      action: 'write',
      target: 'remote',
    });
  });

  it('never writes the remote for a field that syncs to Jira only, whatever the policy', () => {
    const d = decideField(input({ direction: 'to-jira', policy: 'jira-wins', current: { jira: 'J', remote: 'R' } }));
    expect(d).toMatchObject({ action: 'write', target: 'jira', value: 'R', conflict: { winner: 'remote' } });
  });

  it('writes nothing for a field that does not sync', () => {
    expect(decideField(input({ direction: 'none', current: { jira: 'new', remote: 'old' } }))).toMatchObject({
      action: 'none',
      reason: 'direction-blocks',
    });
  });

  it('takes the origin side on a first sync', () => {
    expect(
      decideField(input({ base: undefined, origin: 'remote', current: { jira: null, remote: 'from SN' } })),
    ).toEqual({ field: 'summary', action: 'write', target: 'jira', value: 'from SN' });
  });

  it("weighs a person's change on the other side since the create against the origin's, on a late first sync", () => {
    // The issue was made from the ticket; a crash kept the pair from its first sync while a person renamed the issue
    // (at 3000) after an agent renamed the ticket (at 2000): the person's newer change is kept.
    const late = input({
      base: undefined,
      origin: 'remote',
      policy: 'newest-wins',
      current: { jira: 'renamed in Jira', remote: 'renamed in the ticket' },
      updatedAt: { jira: 3000, remote: 2000 },
      jiraTouchedAt: 3000,
    });
    expect(decideField(late)).toMatchObject({
      action: 'write',
      target: 'remote',
      value: 'renamed in Jira',
      conflict: { winner: 'jira', reason: expect.stringContaining('first sync') },
    });
    // The ticket's change was the newer one: it wins, as a conflict said as such.
    expect(decideField({ ...late, updatedAt: { jira: 3000, remote: 4000 } })).toMatchObject({
      target: 'jira',
      value: 'renamed in the ticket',
      conflict: { winner: 'remote' },
    });
  });

  it("weighs an agent's change to an item made from Jira, found again after a crash, against Jira's", () => {
    const late = input({
      base: undefined,
      origin: 'jira',
      policy: 'newest-wins',
      current: { jira: 'as created', remote: 'renamed by the agent' },
      updatedAt: { jira: 1000, remote: 2000 },
      remoteTouchedAt: 2000,
    });
    expect(decideField(late)).toMatchObject({ target: 'jira', value: 'renamed by the agent' });
    // Untouched by anyone since the create, the item takes Jira's values, as the side the pair was made from.
    expect(decideField({ ...late, remoteTouchedAt: undefined })).toEqual({
      field: 'summary',
      action: 'write',
      target: 'remote',
      value: 'as created',
    });
  });

  it('falls back to the policy, recorded as a conflict, on a first sync with no origin', () => {
    expect(
      decideField(input({ base: undefined, policy: 'remote-wins', current: { jira: 'J', remote: 'R' } })),
    ).toMatchObject({
      action: 'write',
      target: 'jira',
      value: 'R',
      conflict: { reason: expect.stringContaining('first sync') },
    });
  });

  it('treats label sets as equal regardless of order, and empty string as null', () => {
    expect(
      decideField(
        input({ base: { jira: ['a', 'b'], remote: ['b', 'a'] }, current: { jira: ['b', 'a'], remote: ['a', 'b'] } }),
      ),
    ).toMatchObject({ action: 'none' });
    expect(canonicalEqual('', null)).toBe(true);
  });

  const value = fc.oneof(fc.constantFrom('a', 'b', 'c'), fc.constant(null));
  it('property: after applying the decision, the two sides agree or the direction forbids the write', () => {
    fc.assert(
      fc.property(
        value,
        value,
        value,
        value,
        fc.constantFrom('both', 'to-jira', 'to-remote', 'none' as const),
        fc.constantFrom('jira-wins', 'remote-wins', 'newest-wins' as const),
        (bj, br, cj, cr, direction, policy) => {
          const d = decideField(
            input({ direction, policy, base: { jira: bj, remote: br }, current: { jira: cj, remote: cr } }),
          );
          if (d.action === 'none') return canonicalEqual(cj, cr) || d.reason !== 'in-sync';
          const after = d.target === 'jira' ? { jira: d.value, remote: cr } : { jira: cj, remote: d.value };
          return canonicalEqual(after.jira, after.remote);
        },
      ),
    );
  });

  it('property: a side that did not change is never the source of a write', () => {
    fc.assert(
      fc.property(value, value, value, (b, changed, other) => {
        const d = decideField(input({ base: { jira: b, remote: b }, current: { jira: b, remote: changed } }));
        void other;
        return d.action === 'none' || (d.target === 'jira' && d.value === changed);
      }),
    );
  });
});

describe('a conflict policy per field', () => {
  const both = input({
    policy: 'newest-wins',
    base: { jira: 'old', remote: 'old' },
    current: { jira: 'J', remote: 'R' },
    updatedAt: { jira: 1000, remote: 2000 },
  });

  it("without one, the connection's policy decides (today's behaviour)", () => {
    expect(decideField(both)).toMatchObject({
      action: 'write',
      target: 'jira',
      value: 'R',
      conflict: { winner: 'remote', reason: 'policy: newest wins (remote changed last)' },
    });
  });

  it("the field's own policy replaces the connection's for that field, and the recorded reason says so", () => {
    expect(decideField({ ...both, fieldPolicy: 'jira-wins' })).toMatchObject({
      action: 'write',
      target: 'remote',
      value: 'J',
      conflict: { winner: 'jira', reason: 'field policy: Jira wins' },
    });
    expect(decideField({ ...both, policy: 'jira-wins', fieldPolicy: 'remote-wins' })).toMatchObject({
      target: 'jira',
      conflict: { winner: 'remote', reason: 'field policy: remote wins' },
    });
    expect(decideField({ ...both, policy: 'jira-wins', fieldPolicy: 'newest-wins' })).toMatchObject({
      target: 'jira',
      conflict: { winner: 'remote', reason: 'field policy: newest wins (remote changed last)' },
    });
  });

  it('decides only conflicts: a change on one side still crosses, and a one-way field still has one source', () => {
    expect(decideField({ ...both, current: { jira: 'J', remote: 'old' }, fieldPolicy: 'remote-wins' })).toEqual({
      field: 'summary',
      action: 'write',
      target: 'remote',
      value: 'J',
    });
    expect(decideField({ ...both, direction: 'to-remote', fieldPolicy: 'remote-wins' })).toMatchObject({
      target: 'remote',
      value: 'J',
      conflict: { winner: 'jira' },
    });
  });

  it("planFields takes each mapping's own policy, over the connection's", () => {
    const summary = {
      jira: 'summary',
      remote: 'short_description',
      direction: 'both',
      transform: 'none',
      conflictPolicy: 'remote-wins',
    } as const;
    const priority = { jira: 'priority', remote: 'urgency', direction: 'both', transform: 'none' } as const;
    const p = planFields({
      config: { fields: [summary, priority], conflictPolicy: 'jira-wins', requiredOnEnter: [] },
      readings: [
        { m: summary, jira: { ok: true, value: 'J' }, remote: { ok: true, value: 'R' } },
        { m: priority, jira: { ok: true, value: 'High' }, remote: { ok: true, value: 'Low' } },
      ],
      base: { summary: { jira: 'old', remote: 'old' }, priority: { jira: 'Medium', remote: 'Medium' } },
      updatedAt: { jira: 1, remote: 2 },
      remoteMaxLengths: {},
      remoteRichText: 'text',
      remoteRaw: {},
      issueKey: 'DEMO-1',
    });
    expect(p.conflicts.map((c) => [c.field, c.winner])).toEqual([
      ['summary', 'remote'],
      ['priority', 'jira'],
    ]);
    expect(p.remoteFields).toEqual({ urgency: 'High' });
  });

  it("is optional in a connection's settings: a stored connection without it still parses, and a field may set one", () => {
    expect(fieldMappingSchema.parse({ jira: 'summary', remote: 'short_description' }).conflictPolicy).toBeUndefined();
    expect(
      fieldMappingSchema.parse({ jira: 'summary', remote: 'short_description', conflictPolicy: 'jira-wins' })
        .conflictPolicy,
    ).toBe('jira-wins');
    expect(
      fieldMappingSchema.safeParse({ jira: 'summary', remote: 'short_description', conflictPolicy: 'loudest-wins' })
        .success,
    ).toBe(false);
  });
});
