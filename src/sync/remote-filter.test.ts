import { remoteFilterEntrySchema, validateConnectionSettings } from '../mapping/connection-config';
import { demoServiceNowConnection } from '../../sandbox/demo/servicenow-connection';
import { matchesRemoteFilter, type RemoteFilterEntry } from './remote-filter';

describe('the remote filter for creating Jira issues', () => {
  const incident = {
    category: 'network',
    short_description: 'VPN down in Berlin',
    assignment_group: { link: 'x', value: 'g1' },
  };
  it('needs every condition to hold', () => {
    expect(
      matchesRemoteFilter(incident, [
        { field: 'category', op: '=', value: 'network' },
        { field: 'short_description', op: 'contains', value: 'vpn' },
      ]),
    ).toBe(true);
    expect(
      matchesRemoteFilter(incident, [
        { field: 'category', op: '=', value: 'network' },
        { field: 'short_description', op: 'starts-with', value: 'printer' },
      ]),
    ).toBe(false);
    expect(matchesRemoteFilter(incident, [{ field: 'assignment_group', op: '=', value: 'g1' }])).toBe(true);
    expect(matchesRemoteFilter(incident, [{ field: 'category', op: '!=', value: 'network' }])).toBe(false);
  });
  it('creates nothing when no filter is set', () => {
    expect(matchesRemoteFilter(incident, [])).toBe(false);
  });
});

describe('"is one of" (IN) and "is not one of" (NOT IN)', () => {
  const priority = (p: unknown) => ({ priority: p, category: 'network' });

  it('IN holds when the field is any of the values: priority is 1 or 2', () => {
    const filter: RemoteFilterEntry[] = [{ field: 'priority', op: 'IN', values: ['1', '2'] }];
    expect(matchesRemoteFilter(priority('1'), filter)).toBe(true);
    expect(matchesRemoteFilter(priority('2'), filter)).toBe(true);
    expect(matchesRemoteFilter(priority('3'), filter)).toBe(false);
  });

  it('NOT IN holds when the field is none of the values', () => {
    const filter: RemoteFilterEntry[] = [{ field: 'priority', op: 'NOT IN', values: ['4', '5'] }];
    expect(matchesRemoteFilter(priority('1'), filter)).toBe(true);
    expect(matchesRemoteFilter(priority('4'), filter)).toBe(false);
    expect(matchesRemoteFilter(priority('5'), filter)).toBe(false);
  });

  it('compares whole values exactly, as "=" does: case counts, and no value is a prefix of another', () => {
    const filter: RemoteFilterEntry[] = [{ field: 'category', op: 'IN', values: ['Network', 'net'] }];
    expect(matchesRemoteFilter({ category: 'network' }, filter)).toBe(false);
    expect(matchesRemoteFilter({ category: 'net' }, filter)).toBe(true);
  });

  it('reads a reference or a number as "=" does: by its value', () => {
    expect(
      matchesRemoteFilter({ assignment_group: { link: 'x', value: 'g1' } }, [
        { field: 'assignment_group', op: 'IN', values: ['g1', 'g2'] },
      ]),
    ).toBe(true);
    expect(
      matchesRemoteFilter({ 'Microsoft.VSTS.Common.Priority': 2 }, [
        { field: 'Microsoft.VSTS.Common.Priority', op: 'IN', values: ['1', '2'] },
      ]),
    ).toBe(true);
  });

  it('takes a missing field as the empty value: outside IN, inside NOT IN', () => {
    expect(matchesRemoteFilter({}, [{ field: 'priority', op: 'IN', values: ['1'] }])).toBe(false);
    expect(matchesRemoteFilter({}, [{ field: 'priority', op: 'NOT IN', values: ['1'] }])).toBe(true);
  });
});

describe('an OR group (anyOf)', () => {
  const group: RemoteFilterEntry = {
    anyOf: [
      { field: 'category', op: '=', value: 'network' },
      { field: 'short_description', op: 'contains', value: 'outage' },
    ],
  };

  it('holds when any of its conditions holds', () => {
    expect(matchesRemoteFilter({ category: 'network', short_description: 'Slow' }, [group])).toBe(true);
    expect(matchesRemoteFilter({ category: 'hardware', short_description: 'Mail outage' }, [group])).toBe(true);
    expect(matchesRemoteFilter({ category: 'hardware', short_description: 'Slow' }, [group])).toBe(false);
  });

  it('is one entry of the filter: every entry must still hold', () => {
    const filter: RemoteFilterEntry[] = [group, { field: 'priority', op: 'IN', values: ['1', '2'] }];
    expect(matchesRemoteFilter({ category: 'network', priority: '1' }, filter)).toBe(true);
    expect(matchesRemoteFilter({ category: 'network', priority: '3' }, filter)).toBe(false);
    expect(matchesRemoteFilter({ category: 'hardware', short_description: 'x', priority: '1' }, filter)).toBe(false);
  });

  it('may hold lists of values itself', () => {
    const filter: RemoteFilterEntry[] = [
      {
        anyOf: [
          { field: 'priority', op: 'IN', values: ['1', '2'] },
          { field: 'category', op: 'NOT IN', values: ['inquiry', 'software'] },
        ],
      },
    ];
    expect(matchesRemoteFilter({ priority: '4', category: 'network' }, filter)).toBe(true);
    expect(matchesRemoteFilter({ priority: '2', category: 'inquiry' }, filter)).toBe(true);
    expect(matchesRemoteFilter({ priority: '4', category: 'inquiry' }, filter)).toBe(false);
  });
});

describe('the shape of a filter entry, as the settings are checked', () => {
  const problems = (remoteFilter: unknown) => {
    const checked = validateConnectionSettings({ ...demoServiceNowConnection, remoteFilter });
    return checked.ok ? [] : checked.problems;
  };

  it('still reads every shape saved before lists and OR groups existed, unchanged', () => {
    for (const old of [
      { field: 'category', op: '=', value: 'network' },
      { field: 'category', op: '!=', value: '' },
      { field: 'short_description', op: 'starts-with', value: 'printer' },
      { field: 'System.Tags', op: 'contains', value: 'jira' },
    ])
      expect(remoteFilterEntrySchema.parse(old)).toEqual(old);
  });

  it('reads a list of values and an OR group', () => {
    const entries = [
      { field: 'priority', op: 'IN', values: ['1', '2'] },
      { field: 'priority', op: 'NOT IN', values: ['5'] },
      {
        anyOf: [
          { field: 'category', op: '=', value: 'network' },
          { field: 'priority', op: 'IN', values: ['1'] },
        ],
      },
    ];
    expect(problems(entries)).toEqual([]);
    for (const e of entries) expect(remoteFilterEntrySchema.parse(e)).toEqual(e);
  });

  it('says "pick at least one value" for an empty list, and bounds a list at 50 values of 500 characters', () => {
    expect(problems([{ field: 'priority', op: 'IN', values: [] }])).toEqual([
      { path: 'remoteFilter.0.values', message: 'pick at least one value' },
    ]);
    const fifty = Array.from({ length: 50 }, (_, i) => String(i));
    expect(problems([{ field: 'priority', op: 'IN', values: fifty }])).toEqual([]);
    expect(problems([{ field: 'priority', op: 'IN', values: [...fifty, '50'] }])).toEqual([
      { path: 'remoteFilter.0.values', message: 'pick at most 50 values' },
    ]);
    expect(problems([{ field: 'priority', op: 'NOT IN', values: ['x'.repeat(501)] }])).toEqual([
      { path: 'remoteFilter.0.values.0', message: 'a value can be at most 500 characters' },
    ]);
  });

  it('asks of an OR group 2 to 10 conditions, each checked as any other', () => {
    const c = { field: 'category', op: '=', value: 'network' };
    expect(problems([{ anyOf: [c] }])).toEqual([
      { path: 'remoteFilter.0.anyOf', message: 'an OR group needs at least two conditions' },
    ]);
    expect(problems([{ anyOf: Array.from({ length: 10 }, () => c) }])).toEqual([]);
    expect(problems([{ anyOf: Array.from({ length: 11 }, () => c) }])).toEqual([
      { path: 'remoteFilter.0.anyOf', message: 'an OR group can have at most 10 conditions' },
    ]);
    expect(problems([{ anyOf: [c, { field: 'priority', op: 'IN', values: [] }] }])).toEqual([
      { path: 'remoteFilter.0.anyOf.1.values', message: 'pick at least one value' },
    ]);
  });

  it('keeps at most 20 entries, an OR group counting as one', () => {
    const c = { field: 'category', op: '=', value: 'network' };
    expect(problems(Array.from({ length: 20 }, () => c))).toEqual([]);
    expect(problems(Array.from({ length: 21 }, () => c)).map((p) => p.path)).toEqual(['remoteFilter']);
  });

  it('names what an entry must be when it is neither a condition nor an OR group', () => {
    expect(problems([{ field: 'category', op: 'BETWEEN', value: '1' }])).toEqual([
      {
        path: 'remoteFilter.0',
        message: 'must be a condition (a field, how it compares and a value) or an OR group of conditions',
      },
    ]);
  });
});
