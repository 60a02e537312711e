import { SyncError } from '../connectors/errors';
import { writeIsolated } from './write-isolation';

/** A target that refuses some fields' values, naming them or not, and applies nothing of a refused write (as Jira, Azure DevOps and Zendesk do). */
function target(refuses: Record<string, string>, names: boolean) {
  const stored: Record<string, unknown> = {};
  const writes: Array<Record<string, unknown>> = [];
  let version = 1;
  const write = async (fields: Record<string, unknown>, previous: { version: number } | undefined) => {
    writes.push({ ...fields, expected: previous?.version ?? 1 });
    const bad = Object.keys(fields).filter((f) => f in refuses);
    if (bad.length)
      throw new SyncError({
        system: 'test',
        kind: 'validation',
        message: 'refused',
        remoteMessage: bad.map((f) => refuses[f]).join('; '),
        ...(names ? { refused: Object.fromEntries(bad.map((f) => [f, refuses[f]!])) } : {}),
      });
    Object.assign(stored, fields);
    return { version: ++version };
  };
  return { stored, writes, write };
}

describe('a write with a refused field', () => {
  it('writes the rest in one more attempt when the target names what it refused', async () => {
    const t = target({ duedate: 'Error parsing date string: 24/12/2026' }, true);
    const r = await writeIsolated({ summary: 'New title', duedate: '24/12/2026', labels: ['a'] }, t.write);
    expect(t.stored).toEqual({ summary: 'New title', labels: ['a'] });
    expect(r.written.sort()).toEqual(['labels', 'summary']);
    expect(r.refused).toEqual({ duedate: 'Error parsing date string: 24/12/2026' });
    expect(r.attempts).toBe(2);
  });

  it('finds each refused field by halves when the target does not say which', async () => {
    const t = target({ b: 'no b', d: 'no d' }, false);
    const r = await writeIsolated({ a: 1, b: 2, c: 3, d: 4, e: 5 }, t.write);
    expect(t.stored).toEqual({ a: 1, c: 3, e: 5 });
    expect(Object.keys(r.refused).sort()).toEqual(['b', 'd']);
    expect(r.refused.b).toBe('no b');
  });

  it('names the version the last accepted write reached in the next one (conditional writes)', async () => {
    const t = target({ b: 'no b' }, false);
    await writeIsolated({ a: 1, b: 2, c: 3 }, t.write);
    const accepted = t.writes.filter((w) => !('b' in w));
    expect(accepted.map((w) => w.expected)).toEqual([1, 2]);
  });

  it('keeps fields that must go together (a state and what entering it needs) in one write', async () => {
    const t = target({ close_notes: 'too long' }, false);
    const r = await writeIsolated({ state: '6', close_code: 'Solved', close_notes: 'x', title: 't' }, t.write, {
      mustGoTogether: [['state', 'close_code', 'close_notes']],
    });
    expect(t.stored).toEqual({ title: 't' });
    expect(Object.keys(r.refused).sort()).toEqual(['close_code', 'close_notes', 'state']);
  });

  it('fails as it came, when told not to split, on a refusal that names no field (a create: the refusal is about the item)', async () => {
    const t = target({ b: 'no b' }, false);
    await expect(writeIsolated({ a: 1, b: 2 }, t.write, { splitUnnamed: false })).rejects.toThrow('refused');
    expect(t.writes).toHaveLength(1);
  });

  it('writes once when nothing is refused', async () => {
    const t = target({}, true);
    const r = await writeIsolated({ a: 1, b: 2 }, t.write);
    expect(r.attempts).toBe(1);
    expect(r.refused).toEqual({});
  });

  it('leaves a failure of the whole write (an outage, a closed item) to the caller', async () => {
    const down = async () => {
      throw new SyncError({ system: 'test', kind: 'transient', message: 'down' });
    };
    await expect(writeIsolated({ a: 1 }, down)).rejects.toThrow('down');
    const closed = async () => {
      throw new SyncError({ system: 'test', kind: 'validation', message: 'closed', closed: true });
    };
    await expect(writeIsolated({ a: 1, b: 2 }, closed)).rejects.toThrow('closed');
  });
});
