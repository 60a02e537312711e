import { INCIDENT_PRIORITY } from '../connectors/servicenow/derived';
import { serviceNowSystem } from '../connectors/servicenow/system';
import { fieldMappingSchema } from './connection-config';
import { defaultMatrix, derivedValue, inputsFor, matrixDisagreements, matrixFor } from './derived-fields';
import { readRemote, remoteFieldsOf, storedOnRemote, writeRemote } from './field-values';

describe('derived fields', () => {
  it("ServiceNow declares an incident's priority as computed from impact and urgency, and nothing on other tables", () => {
    const remote = {
      type: 'servicenow' as const,
      baseUrl: 'https://acme.service-now.com',
      auth: { kind: 'basic' as const, username: 'x' },
    };
    expect(serviceNowSystem.derivedFields?.({ ...remote, table: 'incident' })).toEqual([INCIDENT_PRIORITY]);
    expect(serviceNowSystem.derivedFields?.({ ...remote, table: 'sc_task' })).toEqual([]);
  });

  it("ServiceNow's default lookup: 1-1 Critical, 1-2 and 2-1 High, 1-3, 2-2 and 3-1 Moderate, 2-3 and 3-2 Low, 3-3 Planning", () => {
    const at = (impact: string, urgency: string) => derivedValue(INCIDENT_PRIORITY, { impact, urgency });
    expect([at('1', '1'), at('1', '2'), at('2', '1')]).toEqual(['1', '2', '2']);
    expect([at('1', '3'), at('2', '2'), at('3', '1')]).toEqual(['3', '3', '3']);
    expect([at('2', '3'), at('3', '2'), at('3', '3')]).toEqual(['4', '4', '5']);
    expect(at('4', '1')).toBeUndefined();
  });

  it('the default matrix writes one pair per priority, each giving that priority by the lookup', () => {
    const matrix = defaultMatrix(INCIDENT_PRIORITY);
    expect(matrix).toEqual({
      inputs: ['impact', 'urgency'],
      write: [
        { value: '1', set: { impact: '1', urgency: '1' } },
        { value: '2', set: { impact: '1', urgency: '2' } },
        { value: '3', set: { impact: '2', urgency: '2' } },
        { value: '4', set: { impact: '2', urgency: '3' } },
        { value: '5', set: { impact: '3', urgency: '3' } },
      ],
    });
    expect(matrixDisagreements(INCIDENT_PRIORITY, matrix)).toEqual([]);
  });

  it('writes the inputs the matrix gives for a value, and says so where it has none', () => {
    const matrix = defaultMatrix(INCIDENT_PRIORITY);
    expect(inputsFor('priority', matrix, '1')).toEqual({ ok: true, fields: { impact: '1', urgency: '1' } });
    expect(inputsFor('priority', matrix, '9')).toEqual({
      ok: false,
      reason: "priority 9 has no impact and urgency to write in the connection's matrix",
    });
  });

  it("keeps the admin's choice of pair for a value, fills in the rest, and ignores a matrix of other inputs", () => {
    const mine = { inputs: ['impact', 'urgency'], write: [{ value: '3', set: { impact: '1', urgency: '3' } }] };
    const kept = matrixFor(INCIDENT_PRIORITY, mine);
    expect(kept.write.find((w) => w.value === '3')).toEqual({ value: '3', set: { impact: '1', urgency: '3' } });
    expect(kept.write).toHaveLength(5);
    expect(matrixFor(INCIDENT_PRIORITY, { inputs: ['severity'], write: [] })).toEqual(defaultMatrix(INCIDENT_PRIORITY));
  });

  it('says where a chosen pair gives another value by the lookup (the instance may have its own rules)', () => {
    const odd = matrixFor(INCIDENT_PRIORITY, {
      inputs: ['impact', 'urgency'],
      write: [{ value: '1', set: { impact: '3', urgency: '3' } }],
    });
    expect(matrixDisagreements(INCIDENT_PRIORITY, odd, 'ServiceNow')).toEqual([
      "impact 3 and urgency 3 give priority 5 by ServiceNow's default lookup, not 1",
    ]);
  });
});

describe('a pair whose remote field is derived', () => {
  const priority = fieldMappingSchema.parse({
    jira: 'priority',
    remote: 'priority',
    transform: 'value-map',
    valueMap: [
      { jira: 'Highest', remote: '1' },
      { jira: 'High', remote: '2' },
      { jira: 'Medium', remote: '3' },
      { jira: 'Low', remote: '4', reverse: true },
      { jira: 'Lowest', remote: '4' },
    ],
    derived: defaultMatrix(INCIDENT_PRIORITY),
  });

  it('is written through its inputs (Highest → impact 1 and urgency 1), and read as the remote computes it', () => {
    const w = writeRemote(priority, 'Highest');
    expect(w).toEqual({ ok: true, field: 'priority', value: '1', inputs: { impact: '1', urgency: '1' } });
    expect(w.ok && remoteFieldsOf(w)).toEqual({ impact: '1', urgency: '1' });
    expect(readRemote(priority, { priority: '1', impact: '1', urgency: '1' })).toEqual({ ok: true, value: 'Highest' });
  });

  it('writes the pair the admin chose for a value, and maps back by the reverse choice', () => {
    const mine = {
      ...priority,
      derived: matrixFor(INCIDENT_PRIORITY, {
        inputs: ['impact', 'urgency'],
        write: [{ value: '4', set: { impact: '3', urgency: '2' } }],
      }),
    };
    expect(writeRemote(mine, 'Lowest')).toMatchObject({ ok: true, value: '4', inputs: { impact: '3', urgency: '2' } });
    expect(readRemote(mine, { priority: '4' })).toEqual({ ok: true, value: 'Low' });
    // What the remote holds after the write: Lowest reads back as Low, which is no change to undo.
    expect(storedOnRemote(mine, 'Lowest', {})).toBe('Low');
  });

  it('is never emptied, and says so where the matrix has no pair for a value', () => {
    expect(writeRemote(priority, null)).toEqual({
      ok: false,
      reason: 'priority cannot be emptied: it is computed from impact and urgency',
    });
    const partial = { ...priority, derived: { inputs: ['impact', 'urgency'], write: [] } };
    expect(writeRemote(partial, 'High')).toEqual({
      ok: false,
      reason: "priority 2 has no impact and urgency to write in the connection's matrix",
    });
  });

  it('an ordinary pair still sends its one field', () => {
    const plain = fieldMappingSchema.parse({ jira: 'summary', remote: 'short_description' });
    const w = writeRemote(plain, 'Printer on fire');
    expect(w.ok && remoteFieldsOf(w)).toEqual({ short_description: 'Printer on fire' });
  });
});
