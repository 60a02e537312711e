import { encodeQuery, escapeValue, glideDateTime } from './encoded-query';

describe('ServiceNow encoded queries', () => {
  it('joins conditions with ^ and appends the order', () => {
    expect(
      encodeQuery({
        all: [
          { field: 'active', op: '=', value: 'true' },
          { field: 'sys_updated_on', op: '>=', value: glideDateTime(Date.UTC(2026, 10, 24, 9, 5, 7)) },
          { field: 'state', op: 'IN', values: ['1', '2'] },
        ],
        orderBy: { field: 'sys_updated_on' },
      }),
    ).toBe('active=true^sys_updated_on>=2026-11-24 09:05:07^stateIN1,2^ORDERBYsys_updated_on');
  });

  it.each([
    ['ISEMPTY', { field: 'assigned_to', op: 'ISEMPTY' as const }, 'assigned_toISEMPTY'],
    [
      'NOT LIKE',
      { field: 'short_description', op: 'NOT LIKE' as const, value: 'test' },
      'short_descriptionNOTLIKEtest',
    ],
    ['NOT IN', { field: 'state', op: 'NOT IN' as const, values: ['6', '7'] }, 'stateNOT IN6,7'],
  ])('writes %s', (_name, condition, expected) => {
    expect(encodeQuery({ all: [condition] })).toBe(expected);
  });

  it('escapes ^ in values so data cannot add conditions', () => {
    const hostile = 'JIRA-1^ORactive=true^NQsys_id!=x';
    const q = encodeQuery({ all: [{ field: 'correlation_id', op: '=', value: hostile }] });
    expect(q).toBe('correlation_id=JIRA-1^^ORactive=true^^NQsys_id!=x');
    // Split on single ^ (not ^^): still exactly one term.
    expect(q.split(/(?<!\^)\^(?!\^)/)).toHaveLength(1);
    expect(escapeValue('a^^b')).toBe('a^^^^b');
  });

  it('writes a group of which one must hold with ^OR, its values escaped like any other', () => {
    const t = 'Beth^NQactive=false';
    const q = encodeQuery({
      all: [
        { field: 'active', op: '=', value: 'true' },
        {
          any: [
            { field: 'name', op: 'LIKE', value: t },
            { field: 'user_name', op: 'LIKE', value: t },
            { field: 'email', op: 'LIKE', value: t },
          ],
        },
      ],
    });
    expect(q).toBe(
      'active=true^nameLIKEBeth^^NQactive=false^ORuser_nameLIKEBeth^^NQactive=false^ORemailLIKEBeth^^NQactive=false',
    );
  });

  it('refuses field names that could change the query, and commas inside IN values', () => {
    expect(() => encodeQuery({ all: [{ field: 'active=true^ORnumber', op: '=', value: 'x' }] })).toThrow(
      /Invalid ServiceNow field name/,
    );
    expect(() => encodeQuery({ all: [{ field: 'state', op: 'IN', values: ['1,2'] }] })).toThrow(/comma/);
  });

  it('formats date-times as ServiceNow stores them, in UTC', () => {
    expect(glideDateTime(Date.UTC(2026, 0, 2, 3, 4, 5, 999))).toBe('2026-01-02 03:04:05');
  });
});
