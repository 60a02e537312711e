import { INCIDENT_PRIORITY } from '../connectors/servicenow/derived';
import type { RemoteField } from '../connectors/ports';
import { fieldMappingSchema } from '../mapping/connection-config';
import { defaultMatrix } from '../mapping/derived-fields';
import { typeFieldPairs } from './field-typing';

const jiraFields = [
  { id: 'summary', schema: { type: 'string', system: 'summary' } },
  { id: 'priority', schema: { type: 'priority', system: 'priority' } },
  {
    id: 'customfield_10020',
    schema: { type: 'string', custom: 'com.atlassian.jira.plugin.system.customfieldtypes:textfield' },
  },
];
const remoteFields: RemoteField[] = [
  { id: 'short_description', name: 'Short description', kind: 'text' },
  { id: 'number', name: 'Number', kind: 'text', readOnly: true },
  { id: 'urgency', name: 'Urgency', kind: 'text' },
  {
    id: 'priority',
    name: 'Priority',
    kind: 'choice',
    readOnly: true,
    values: [
      { value: '1', label: '1 - Critical' },
      { value: '2', label: '2 - High' },
    ],
  },
];
const pair = (p: Record<string, unknown>) => fieldMappingSchema.parse(p);
const priority = pair({
  jira: 'priority',
  remote: 'priority',
  transform: 'value-map',
  valueMap: [
    { jira: 'Highest', remote: '1' },
    { jira: 'High', remote: '2' },
  ],
});

describe('field pairs typed at save', () => {
  it('refuses a pair that would write a read-only remote field, at its field, and takes it toward Jira only', () => {
    const typed = typeFieldPairs(
      [pair({ jira: 'summary', remote: 'number' }), pair({ jira: 'summary', remote: 'number', direction: 'to-jira' })],
      jiraFields,
      remoteFields,
      undefined,
      'ServiceNow',
    );
    expect(typed.problems).toEqual([
      { path: 'fields.0.remote', message: "ServiceNow's number is read-only: it can only sync to Jira" },
    ]);
  });

  it("takes a pair with a field the remote computes, written through its inputs with the system's matrix by default", () => {
    const typed = typeFieldPairs([priority], jiraFields, remoteFields, undefined, 'ServiceNow', [INCIDENT_PRIORITY]);
    expect(typed.problems).toEqual([]);
    expect(typed.fields[0]?.derived).toEqual(defaultMatrix(INCIDENT_PRIORITY));
    expect(typed.fields[0]?.kinds).toEqual({ jira: 'priority', remote: 'option' });
  });

  it("refuses a pair that would write one of a derived field's inputs, which the derived pair writes", () => {
    const urgency = pair({ jira: 'customfield_10020', remote: 'urgency' });
    const typed = typeFieldPairs([priority, urgency], jiraFields, remoteFields, undefined, 'ServiceNow', [
      INCIDENT_PRIORITY,
    ]);
    expect(typed.problems).toEqual([
      {
        path: 'fields.1.remote',
        message:
          'urgency is written for priority through its matrix (the priority pair): sync this pair to Jira only, or remove it',
      },
    ]);
    const toJira = typeFieldPairs(
      [priority, { ...urgency, direction: 'to-jira' as const }],
      jiraFields,
      remoteFields,
      undefined,
      'ServiceNow',
      [INCIDENT_PRIORITY],
    );
    expect(toJira.problems).toEqual([]);
  });

  it("keeps the admin's matrix, and drops a matrix sent for a field the remote does not compute", () => {
    const mine = {
      inputs: ['impact', 'urgency'],
      write: [{ value: '1', set: { impact: '1', urgency: '2' } }],
    };
    const typed = typeFieldPairs([{ ...priority, derived: mine }], jiraFields, remoteFields, undefined, 'ServiceNow', [
      INCIDENT_PRIORITY,
    ]);
    expect(typed.fields[0]?.derived?.write[0]).toEqual({ value: '1', set: { impact: '1', urgency: '2' } });
    const plain = typeFieldPairs(
      [pair({ jira: 'summary', remote: 'short_description', derived: mine })],
      jiraFields,
      remoteFields,
      undefined,
      'ServiceNow',
      [INCIDENT_PRIORITY],
    );
    expect(plain.fields[0]?.derived).toBeUndefined();
  });
});
