import { INCIDENT_PRIORITY } from '../connectors/servicenow/derived';
import type { RemoteField } from '../connectors/ports';
import { fieldMappingSchema } from '../mapping/connection-config';
import { defaultMatrix } from '../mapping/derived-fields';
import { checkRules, createDefaultProblems, screenProblems, typeFieldPairs } from './field-typing';
import { withCreateDefaults } from '../sync/create';

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

describe('a rich text pair typed at save', () => {
  const withHtml: RemoteField[] = [
    ...remoteFields,
    { id: 'description', name: 'Description', kind: 'text' },
    { id: 'u_details', name: 'Details', kind: 'rich-text', format: 'html' },
  ];
  const rich = (remote: string, sent?: string) =>
    pair({ jira: 'description', remote, transform: 'rich-text', ...(sent ? { format: sent } : {}) });

  it("keeps its body in its remote field's own format, read from the remote whatever the page sent", () => {
    const typed = typeFieldPairs([rich('u_details'), rich('description', 'html')], jiraFields, withHtml);
    expect(typed.fields.map((f) => f.format)).toEqual(['html', undefined]);
  });

  it('crosses a Jira document as rich text where the pair was sent as plain values', () => {
    const withDescription = [...jiraFields, { id: 'description', schema: { type: 'string', system: 'description' } }];
    const typed = typeFieldPairs(
      [pair({ jira: 'description', remote: 'u_details' }), pair({ jira: 'summary', remote: 'u_details' })],
      withDescription,
      withHtml,
    );
    expect(typed.fields.map((f) => [f.transform, f.format])).toEqual([
      ['rich-text', 'html'],
      ['none', undefined],
    ]);
  });

  it('keeps the format it was saved with where the remote cannot describe its fields now', () => {
    const saved = { fields: [{ ...rich('u_details'), format: 'html' as const }] };
    const typed = typeFieldPairs([rich('u_details', 'markdown')], jiraFields, undefined, saved);
    expect(typed.fields[0]?.format).toBe('html');
    expect(typeFieldPairs([rich('u_details', 'html')], jiraFields, undefined).fields[0]?.format).toBeUndefined();
  });
});

describe("pairs checked against the project's screen for the issue type", () => {
  const site = [
    { id: 'summary', name: 'Summary' },
    { id: 'duedate', name: 'Due date' },
    { id: 'status', name: 'Status' },
    { id: 'comment', name: 'Comment' },
    { id: 'attachment', name: 'Attachment' },
    { id: 'issuelinks', name: 'Linked Issues' },
    { id: 'customfield_10010', name: 'Customer reference' },
  ];
  const screen = [{ id: 'project' }, { id: 'issuetype' }, { id: 'summary' }];
  const place = { issueType: 'Bug', projectKey: 'DEMO' };

  it('refuses, at its Jira field and by its name, a pair writing a field the screen does not hold', () => {
    const fields = [
      pair({ jira: 'summary', remote: 'short_description' }),
      pair({ jira: 'duedate', remote: 'due_date', direction: 'to-jira' }),
      pair({ jira: 'customfield_10010', remote: 'correlation_display' }),
    ];
    expect(screenProblems(fields, screen, site, place)).toEqual([
      {
        path: 'fields.1.jira',
        message:
          "Jira's field “Due date” is not on the Bug screen of project DEMO: add it to the screen, or map another field.",
      },
      {
        path: 'fields.2.jira',
        message:
          "Jira's field “Customer reference” is not on the Bug screen of project DEMO: add it to the screen, or map another field.",
      },
    ]);
  });

  it('takes a pair that never writes Jira, whatever the screen holds', () => {
    const fields = [
      pair({ jira: 'duedate', remote: 'due_date', direction: 'to-remote' }),
      pair({ jira: 'customfield_10010', remote: 'correlation_display', direction: 'none' }),
    ];
    expect(screenProblems(fields, screen, site, place)).toEqual([]);
  });

  it('does not check fields Jira writes through their own calls: status, comments, attachments, links', () => {
    const fields = [
      pair({ jira: 'status', remote: 'state', transform: 'value-map', valueMap: [{ jira: 'Done', remote: '6' }] }),
      pair({ jira: 'comment', remote: 'comments' }),
      pair({ jira: 'attachment', remote: 'files' }),
      pair({ jira: 'issuelinks', remote: 'links' }),
    ];
    expect(screenProblems(fields, screen, site, place)).toEqual([]);
  });

  it('says nothing where the screen could not be read, or of a field Jira does not have at all', () => {
    const dueDate = [pair({ jira: 'duedate', remote: 'due_date' })];
    expect(screenProblems(dueDate, undefined, site, place)).toEqual([]);
    expect(screenProblems([pair({ jira: 'customfield_99999', remote: 'x' })], screen, site, place)).toEqual([]);
    // Without the site's field list, the field goes by its id.
    expect(screenProblems(dueDate, screen, [], place)[0]?.message).toMatch(/^Jira's field “duedate” is not on/);
  });
});

describe('defaults on create', () => {
  const groups: RemoteField = {
    id: 'assignment_group',
    name: 'Assignment group',
    kind: 'other',
    values: [
      { value: 'g1', label: 'Service Desk' },
      { value: 'g2', label: 'Network' },
    ],
  };

  it("are checked against the remote's fields: one it has, takes a write, and one of its listed values", () => {
    const fields = [...remoteFields, groups];
    expect(
      createDefaultProblems(
        [
          { field: 'assignment_group', value: 'g2' },
          { field: 'u_nothing', value: 'x' },
          { field: 'number', value: 'INC1' },
          { field: 'assignment_group', value: 'Network' },
          { field: 'short_description', value: 'anything' },
        ],
        fields,
        'ServiceNow',
      ),
    ).toEqual([
      { path: 'createDefaults.1.field', message: 'ServiceNow has no field u_nothing' },
      { path: 'createDefaults.2.field', message: "ServiceNow's Number is read-only" },
      {
        path: 'createDefaults.3.value',
        message: 'Assignment group has no value Network: choose one of Service Desk, Network',
      },
    ]);
    expect(createDefaultProblems([{ field: 'u_nothing', value: 'x' }], undefined)).toEqual([]);
  });

  it('fill what the mapped fields leave empty, never what they give', () => {
    const defaults = {
      createDefaults: [
        { field: 'assignment_group', value: 'g1' },
        { field: 'short_description', value: 'never' },
      ],
    };
    expect(withCreateDefaults(defaults, { short_description: 'Printer jams', assignment_group: '' })).toEqual({
      short_description: 'Printer jams',
      assignment_group: 'g1',
    });
  });
});

describe('a pair’s rules checked against both sides’ metadata', () => {
  const category: RemoteField = {
    id: 'category',
    name: 'Category',
    kind: 'choice',
    values: [
      { value: 'inquiry', label: 'Inquiry / Help' },
      { value: 'database', label: 'Database' },
    ],
  };
  const pair = (then: string, when: Array<{ side: string; field: string; values: string[] }>, fallback?: string) =>
    fieldMappingSchema.parse({
      jira: 'issuetype',
      remote: 'category',
      direction: 'to-remote',
      rules: [{ when: when.map((c) => ({ ...c, op: 'in' })), then }],
      ...(fallback ? { fallback } : {}),
    });
  const types = [{ name: 'Bug' }, { name: 'Task' }];
  const fields = [...jiraFields, { id: 'issuetype', schema: { type: 'issuetype', system: 'issuetype' } }];

  it('keeps a value typed as people read it as the field stores it', () => {
    const checked = checkRules(
      [pair('Database', [{ side: 'jira', field: 'issuetype', values: ['bug'] }], 'Inquiry / Help')],
      fields,
      [category],
      types,
      'ServiceNow',
    );
    expect(checked.problems).toEqual([]);
    expect(checked.fields[0]).toMatchObject({
      rules: [{ when: [{ values: ['Bug'] }], then: 'database' }],
      fallback: 'inquiry',
    });
  });

  it('refuses a value the field does not list, and a field neither side has, naming each', () => {
    const checked = checkRules(
      [
        pair('Networking', [
          { side: 'jira', field: 'issuetype', values: ['Epic'] },
          { side: 'remote', field: 'impactt', values: ['1'] },
        ]),
      ],
      fields,
      [category],
      types,
      'ServiceNow',
    );
    expect(checked.problems).toEqual([
      {
        path: 'fields.0.rules.0.when.0.values',
        message: "Jira's issuetype has no value “Epic”: choose one of Bug, Task",
      },
      { path: 'fields.0.rules.0.when.1.field', message: 'ServiceNow has no field impactt' },
      {
        path: 'fields.0.rules.0.then',
        message: "ServiceNow's Category has no value “Networking”: choose one of Inquiry / Help, Database",
      },
    ]);
  });
});
