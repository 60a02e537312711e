import { encodeQuery } from '../../../src/connectors/servicenow/encoded-query';
import { parseEncodedQuery, runQuery } from './query';

const rows = [
  {
    number: 'INC1',
    state: '1',
    active: 'true',
    short_description: 'VPN down',
    correlation_id: 'DEMO-1',
    sys_updated_on: '2026-11-24 09:00:00',
  },
  {
    number: 'INC2',
    state: '2',
    active: 'true',
    short_description: 'Printer jam',
    correlation_id: '',
    sys_updated_on: '2026-11-24 10:00:00',
  },
  {
    number: 'INC3',
    state: '7',
    active: 'false',
    short_description: 'vpn slow',
    correlation_id: 'DEMO-3',
    sys_updated_on: '2026-11-23 08:00:00',
  },
];
const fields = new Set(Object.keys(rows[0]!));
const numbers = (q: string) => runQuery(rows, q, fields).map((r) => r.number);

describe('ServiceNow encoded queries (instance side)', () => {
  it.each([
    ['state=1', ['INC1']],
    ['state!=1', ['INC2', 'INC3']],
    ['stateIN1,7', ['INC1', 'INC3']],
    ['stateNOT IN1,7', ['INC2']],
    ['short_descriptionLIKEvpn', ['INC1', 'INC3']],
    ['short_descriptionNOTLIKEvpn', ['INC2']],
    ['short_descriptionSTARTSWITHprinter', ['INC2']],
    ['short_descriptionENDSWITHslow', ['INC3']],
    ['correlation_idISEMPTY', ['INC2']],
    ['correlation_idISNOTEMPTY', ['INC1', 'INC3']],
    ['sys_updated_on>=2026-11-24 09:00:00', ['INC1', 'INC2']],
    ['sys_updated_on>2026-11-24 09:00:00', ['INC2']],
    ['state<2', ['INC1']],
    ['', ['INC1', 'INC2', 'INC3']],
  ])('%s → %j', (q, expected) => {
    expect(numbers(q)).toEqual(expected);
  });

  it('binds ^OR tighter than ^, and ORs ^NQ groups', () => {
    expect(numbers('active=true^state=1^ORstate=7')).toEqual(['INC1']);
    expect(numbers('state=1^NQstate=7')).toEqual(['INC1', 'INC3']);
  });

  it('sorts with ORDERBY and ORDERBYDESC', () => {
    expect(numbers('activeISNOTEMPTY^ORDERBYsys_updated_on')).toEqual(['INC3', 'INC1', 'INC2']);
    expect(numbers('ORDERBYDESCnumber')).toEqual(['INC3', 'INC2', 'INC1']);
  });

  it('silently drops a term on an unknown field, widening the query like a real instance', () => {
    expect(numbers('colour=red^state=1')).toEqual(['INC1']);
    expect(numbers('colour=red')).toEqual(['INC1', 'INC2', 'INC3']);
  });

  it('lets an unescaped ^OR inject a condition, and an escaped one stay data', () => {
    const hostile = 'nothing^ORactive=true';
    expect(numbers(`correlation_id=${hostile}`)).toEqual(['INC1', 'INC2']);
    expect(numbers(encodeQuery({ all: [{ field: 'correlation_id', op: '=', value: hostile }] }))).toEqual([]);
    expect(parseEncodedQuery('a=x^^y').groups).toEqual([[[{ field: 'a', op: '=', value: 'x^y' }]]]);
  });
});
