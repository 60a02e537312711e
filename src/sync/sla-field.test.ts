import { holdsSlaValue, slaFieldValue } from './sla-field';

const breachAt = Date.parse('2027-03-28T23:30:00Z');
const running = { name: 'Priority 2 resolution (4 hour)', stage: 'running' as const, breachAt };

describe("the SLA's value in its Jira field", () => {
  it('is the running SLA’s breach time, as Jira writes a date-time', () => {
    expect(slaFieldValue([running], { jira: 'customfield_10018', kind: 'date-time' }, 'UTC')).toBe(
      '2027-03-28T23:30:00.000+0000',
    );
  });

  it('is the breach’s day in the connection’s time zone for a date field (Berlin is already on the 29th)', () => {
    expect(slaFieldValue([running], { jira: 'duedate', kind: 'date' }, 'Europe/Berlin')).toBe('2027-03-29');
    expect(slaFieldValue([running], { jira: 'duedate', kind: 'date' }, 'America/Los_Angeles')).toBe('2027-03-28');
  });

  it('is the SLA named by the connection, and empty once it is met, cancelled, or gone', () => {
    const named = { jira: 'duedate', kind: 'date' as const, name: 'First reply time' };
    const reply = { name: 'First reply time', stage: 'paused' as const, breachAt: Date.parse('2027-01-02T10:00:00Z') };
    expect(slaFieldValue([running, reply], named, 'UTC')).toBe('2027-01-02');
    expect(slaFieldValue([running, { ...reply, stage: 'met' }], named, 'UTC')).toBeNull();
    expect(slaFieldValue([running], named, 'UTC')).toBeNull();
    expect(slaFieldValue([], { jira: 'duedate', kind: 'date' }, 'UTC')).toBeNull();
  });

  it('is already held when Jira shows the same instant in another offset, or the same day', () => {
    expect(holdsSlaValue('2027-03-29T01:30:00.000+0200', '2027-03-28T23:30:00.000+0000', 'date-time')).toBe(true);
    expect(holdsSlaValue('2027-03-29', '2027-03-29', 'date')).toBe(true);
    expect(holdsSlaValue(null, null, 'date')).toBe(true);
    expect(holdsSlaValue('2027-03-29', null, 'date')).toBe(false);
  });
});
