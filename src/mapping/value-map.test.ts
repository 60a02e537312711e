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

  it('finds a remote value mapped to two Jira values', () => {
    expect(valueMapProblems([...status, { jira: 'To Do', remote: '6' }])).toEqual([
      'Remote value "6" maps to both "Done" and "To Do"',
    ]);
    expect(valueMapProblems(status)).toEqual([]);
  });

  it('round-trips: a remote value read and written back lands on the same canonical value', () => {
    for (const e of status) {
      const canonical = canonicalFromRemote(status, e.remote);
      const written = canonical.ok ? remoteFromCanonical(status, canonical.value) : canonical;
      expect(written.ok && canonicalFromRemote(status, written.value)).toEqual(canonical);
    }
  });
});
