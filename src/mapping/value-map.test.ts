import {
  canonicalFromJira,
  canonicalFromRemote,
  remoteFromCanonical,
  valueMapProblems,
  type ValueMapEntry,
} from './value-map';

const status: ValueMapEntry[] = [
  { jira: 'To Do', remote: '1' },
  { jira: 'In Progress', remote: '2' },
  { jira: 'Done', remote: '6' },
  { jira: 'Done', remote: '7' },
];

const urgency: ValueMapEntry[] = [
  { jira: 'Highest', remote: '1' },
  { jira: 'High', remote: '1', reverse: true },
  { jira: 'Medium', remote: '2' },
  { jira: 'Low', remote: '3' },
];

describe('value maps', () => {
  it('reads both sides into the Jira value as the canonical one', () => {
    expect(canonicalFromJira(status, 'in progress')).toEqual({ ok: true, value: 'In Progress' });
    expect(canonicalFromRemote(status, '7')).toEqual({ ok: true, value: 'Done' });
  });

  it('writes the first remote value of a many-to-one mapping', () => {
    expect(remoteFromCanonical(status, 'Done')).toEqual({ ok: true, value: '6' });
  });

  it('says which value is unmapped instead of guessing', () => {
    expect(canonicalFromRemote(status, '8')).toEqual({ ok: false, reason: 'Remote value "8" has no mapping' });
    expect(canonicalFromJira(status, 'Blocked')).toEqual({ ok: false, reason: 'Jira value "Blocked" has no mapping' });
  });

  it('finds a remote value mapped from two Jira values with no choice of which one it maps back to', () => {
    expect(valueMapProblems([...status, { jira: 'To Do', remote: '6' }])).toEqual([
      'Remote value "6" is mapped from Done and To Do: choose which one it maps back to',
    ]);
    expect(
      valueMapProblems(
        urgency.map(({ reverse: _, ...e }) => e),
        'urgency',
      ),
    ).toEqual(['urgency 1 is mapped from Highest and High: choose which one it maps back to']);
    expect(valueMapProblems(status)).toEqual([]);
  });

  it('takes a many-to-one map whose remote value maps back to the one Jira value chosen, and only one', () => {
    expect(valueMapProblems(urgency, 'urgency')).toEqual([]);
    expect(valueMapProblems([...urgency, { jira: 'Highest', remote: '1', reverse: true }], 'urgency')).toEqual([
      'urgency 1 maps back to High and Highest: choose one',
    ]);
  });

  it('Jira Highest and High → urgency 1; urgency 1 → High', () => {
    expect(remoteFromCanonical(urgency, 'Highest')).toEqual({ ok: true, value: '1' });
    expect(remoteFromCanonical(urgency, 'High')).toEqual({ ok: true, value: '1' });
    expect(canonicalFromRemote(urgency, '1')).toEqual({ ok: true, value: 'High' });
    expect(canonicalFromRemote(urgency, '3')).toEqual({ ok: true, value: 'Low' });
  });

  it('round-trips: a remote value read and written back lands on the same canonical value', () => {
    for (const e of status) {
      const canonical = canonicalFromRemote(status, e.remote);
      const written = canonical.ok ? remoteFromCanonical(status, canonical.value) : canonical;
      expect(written.ok && canonicalFromRemote(status, written.value)).toEqual(canonical);
    }
  });
});
