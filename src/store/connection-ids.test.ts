import { connectionIdCandidates } from './connection-ids';

const first = (key: string | undefined, id = '10000') =>
  connectionIdCandidates({ key, id }, 'servicenow', 'a1b2c3d4')[0];

it('keeps the ids the demo projects have always had', () => {
  expect([
    first('DEMO'),
    first('OPS'),
    connectionIdCandidates({ key: 'OPS', id: '1' }, 'azure-devops', 'x')[0],
  ]).toEqual(['demo-servicenow', 'ops-servicenow', 'ops-azure-devops']);
});

it('gives different projects different ids (defect: AB_C and ABC both became abc-servicenow)', () => {
  expect(first('AB_C')).toBe('ab-c-servicenow');
  expect(first('ABC')).toBe('abc-servicenow');
  const all = (key: string) => connectionIdCandidates({ key, id: '1' }, 'servicenow', 'a1b2c3d4');
  const keys = ['AB_C', 'ABC', 'A_BC', 'AB', 'AB_2', 'AB_C_2', 'P10000'];
  const ids = keys.flatMap(all);
  expect(new Set(ids).size).toBe(ids.length);
});

it('names a project whose key is unknown by its id, which no key can give', () => {
  expect(first(undefined, '10000')).toBe('10000-servicenow');
  expect(first('P10000')).toBe('p10000-servicenow');
});

it('offers the numbered ids, then a random one, all valid connection ids', () => {
  const ids = connectionIdCandidates({ key: 'AB_C', id: '1' }, 'azure-devops', 'a1b2c3d4');
  expect(ids.slice(1, 3)).toEqual(['ab-c-azure-devops-2', 'ab-c-azure-devops-3']);
  expect(ids.at(-1)).toBe('ab-c-azure-devops-a1b2c3d4');
  for (const id of ids) expect(id).toMatch(/^[a-z0-9-]{3,60}$/);
});
