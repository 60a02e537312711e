import { fieldMappingSchema } from '../mapping/connection-config';
import { readRemote, storedOnRemote } from '../mapping/field-values';
import { notTakenMessage, NOT_TAKEN, stillNotTaken } from './not-taken';

const status = fieldMappingSchema.parse({
  jira: 'status',
  remote: 'status',
  transform: 'value-map',
  valueMap: [
    { jira: 'To Do', remote: 'new' },
    { jira: 'In Progress', remote: 'open' },
    { jira: 'Done', remote: 'solved' },
    { jira: 'Done', remote: 'closed' },
  ],
});
const subject = fieldMappingSchema.parse({ jira: 'summary', remote: 'subject' });

/** A write of `jiraValue` and the remote's answer `answered`, as reconcile.ts sees them. */
const written = (m: typeof status, jiraValue: string, writtenRaw: string, answered: string, why?: string) =>
  notTakenMessage({
    m,
    jiraValue,
    written: writtenRaw,
    heldRaw: answered,
    held: readRemote(m, { [m.remote]: answered }),
    expected: storedOnRemote(m, jiraValue, {}),
    systemLabel: 'Zendesk',
    ...(why ? { why } : {}),
  });

describe('a value the remote does not take', () => {
  it('is said with what was written, what the remote kept, and why', () => {
    expect(
      written(status, 'To Do', 'new', 'open', 'Zendesk does not return a ticket to New once someone is assigned to it'),
    ).toBe(
      "Zendesk kept status “open” when Crosswalk wrote “new” for Jira's “To Do”: Zendesk does not return a ticket to New once someone is assigned to it. The two sides differ until one of them changes.",
    );
    // Without a reason from the system, the engine says it generally; an answer outside the map is still not taken.
    expect(written(status, 'To Do', 'new', 'hold')).toContain(
      "Zendesk did not take that value in the item's current state",
    );
  });

  it('is nothing when the remote took it, or answered another value the map reads the same', () => {
    expect(written(status, 'In Progress', 'open', 'open')).toBeUndefined();
    expect(written(status, 'Done', 'solved', 'closed')).toBeUndefined();
  });

  it('is never said of free text, which remotes normalise without disagreeing', () => {
    expect(written(subject, 'Refund', 'Refund', 'refund')).toBeUndefined();
  });

  it('is said of any field whose answer is still the value from before the write: the remote ignored it', () => {
    const message = notTakenMessage({
      m: subject,
      jiraValue: 'Refund',
      written: 'Refund',
      heldRaw: 'Old subject',
      held: readRemote(subject, { subject: 'Old subject' }),
      expected: storedOnRemote(subject, 'Refund', {}),
      before: 'Old subject',
      systemLabel: 'ServiceNow',
    });
    expect(message).toBe(
      "ServiceNow kept subject “Old subject” when Crosswalk wrote “Refund” for Jira's “Refund”: ServiceNow did not take that value in the item's current state. The two sides differ until one of them changes.",
    );
    // An answer that moved, normalised, is taken; so is one that already held the value.
    const answered = (heldRaw: string, before: string) =>
      notTakenMessage({
        m: subject,
        jiraValue: 'Refund',
        written: 'Refund',
        heldRaw,
        held: readRemote(subject, { subject: heldRaw }),
        expected: 'Refund',
        before,
        systemLabel: 'ServiceNow',
      });
    expect(answered('refund', 'Old subject')).toBeUndefined();
    expect(answered('Refund', 'Refund')).toBeUndefined();
  });

  it('says what was sent for a field the remote computes: its inputs', () => {
    const priority = fieldMappingSchema.parse({
      jira: 'priority',
      remote: 'priority',
      transform: 'value-map',
      valueMap: [
        { jira: 'High', remote: '2' },
        { jira: 'Lowest', remote: '5' },
      ],
      derived: { inputs: ['impact', 'urgency'], write: [{ value: '2', set: { impact: '3', urgency: '3' } }] },
    });
    expect(
      notTakenMessage({
        m: priority,
        jiraValue: 'High',
        written: '2',
        heldRaw: '5',
        held: readRemote(priority, { priority: '5' }),
        expected: storedOnRemote(priority, 'High', {}),
        before: 'Lowest',
        through: { impact: '3', urgency: '3' },
        systemLabel: 'ServiceNow',
      }),
    ).toBe(
      "ServiceNow kept priority “5” when Crosswalk wrote “2” (as impact “3” and urgency “3”) for Jira's “High”: ServiceNow did not take that value in the item's current state. The two sides differ until one of them changes.",
    );
  });

  it('holds while the base the write left holds, and ends when either side moves it', () => {
    const left = { jira: 'To Do', remote: 'In Progress' };
    expect(stillNotTaken({ kind: NOT_TAKEN }, left, { ...left })).toBe(true);
    expect(stillNotTaken({ kind: NOT_TAKEN }, left, { jira: 'In Progress', remote: 'In Progress' })).toBe(false);
    expect(stillNotTaken({ kind: 'validation' }, left, { ...left })).toBe(false);
  });
});
