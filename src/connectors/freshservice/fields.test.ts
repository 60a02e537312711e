/**
 * A ticket's values as they cross: Freshservice's numeric codes as their
 * strings both ways, custom fields as `custom_<name>`, and the form's fields
 * for the mapping editor with each code named.
 */
import fc from 'fast-check';
import { ticketBody, ticketFields } from './fields';
import { describeFormFields, statusNamesOf } from './form-fields';
import { ticketSchema } from './wire';

const stored = (body: Record<string, unknown>) =>
  ticketSchema.parse({ id: 1, status: 2, updated_at: '2026-12-07T10:00:00Z', ...body });

describe('numeric codes', () => {
  it('cross as the strings of the numbers Freshservice keeps, and back to the same numbers', () => {
    fc.assert(
      fc.property(
        fc.record({
          status: fc.integer({ min: 2, max: 20 }),
          priority: fc.integer({ min: 1, max: 4 }),
          urgency: fc.integer({ min: 1, max: 3 }),
          impact: fc.integer({ min: 1, max: 3 }),
          group_id: fc.option(fc.integer({ min: 1, max: 2 ** 40 }), { nil: null }),
          responder_id: fc.option(fc.integer({ min: 1, max: 2 ** 40 }), { nil: null }),
        }),
        (codes) => {
          const fields = ticketFields(stored(codes));
          expect(fields.status).toBe(String(codes.status));
          expect(fields.group_id).toBe(codes.group_id === null ? '' : String(codes.group_id));
          expect(ticketBody(fields)).toMatchObject(codes);
        },
      ),
    );
  });

  it('leave out what Freshservice does not take, so one stray key does not fail the write', () => {
    expect(ticketBody({ requester_id: '5', updated_at: 'x', source: '2', subject: 'S' })).toEqual({ subject: 'S' });
  });

  it('read custom fields by name with the prefix, blanks as empty, and write them back by name', () => {
    const fields = ticketFields(stored({ custom_fields: { cost_center: 'IT', vip: true, crosswalk_id: null } }));
    expect(fields).toMatchObject({ custom_cost_center: 'IT', custom_vip: true, custom_crosswalk_id: '' });
    expect(ticketBody({ custom_cost_center: 'Ops', custom_crosswalk_id: '' })).toEqual({
      custom_fields: { cost_center: 'Ops', crosswalk_id: null },
    });
  });
});

describe('the ticket form', () => {
  const form = [
    {
      name: 'status',
      label: 'Status',
      field_type: 'default_status',
      default_field: true,
      choices: [
        { id: 2, value: 'Open' },
        { id: 7, value: 'On Hold' },
      ],
    },
    {
      name: 'priority',
      label: 'Priority',
      field_type: 'default_priority',
      default_field: true,
      choices: [{ id: 4, value: 'Urgent' }],
    },
    {
      name: 'ticket_type',
      label: 'Type',
      field_type: 'default_ticket_type',
      default_field: true,
      choices: [
        { id: 1, value: 'Incident' },
        { id: 2, value: 'Service Request' },
      ],
    },
    {
      name: 'group',
      label: 'Group',
      field_type: 'default_group',
      default_field: true,
      choices: [{ id: 21000100001, value: 'Service Desk' }],
    },
    {
      name: 'cost_center',
      label: 'Cost center',
      field_type: 'custom_dropdown',
      default_field: false,
      choices: [{ id: 1, value: 'IT' }],
    },
    { name: 'seats', label: 'Seats', field_type: 'custom_number', default_field: false },
  ];

  it('names each status code, the custom ones included', () => {
    expect(statusNamesOf(form)).toEqual({ '2': 'Open', '7': 'On Hold' });
  });

  it('lists coded choices by code, names and custom values by value, custom fields with the prefix', () => {
    const fields = describeFormFields(form);
    const byId = Object.fromEntries(fields.map((f) => [f.id, f]));
    expect(byId.status?.values).toEqual([
      { value: '2', label: 'Open' },
      { value: '7', label: 'On Hold' },
    ]);
    expect(byId.priority?.values).toEqual([{ value: '4', label: 'Urgent' }]);
    expect(byId.type?.values).toEqual([
      { value: 'Incident', label: 'Incident' },
      { value: 'Service Request', label: 'Service Request' },
    ]);
    expect(byId.group_id?.values).toEqual([{ value: '21000100001', label: 'Service Desk' }]);
    expect(byId.custom_cost_center).toMatchObject({ kind: 'choice', values: [{ value: 'IT', label: 'IT' }] });
    expect(byId.custom_seats).toMatchObject({ kind: 'number', precision: 0 });
    expect(byId.tags).toMatchObject({ kind: 'list' });
  });
});
