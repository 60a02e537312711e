import type { FieldMapping } from './connection-config';
import { crossing, jiraKindOf, type FieldKind } from './field-kinds';
import { dayIn, startOfDayIn, type Conversion } from './field-convert';
import { readJira, readRemote, writeJira, writeRemote } from './field-values';

const GLIDE: Conversion['remoteDateTime'] = {
  format: (ms) => new Date(ms).toISOString().slice(0, 19).replace('T', ' '),
  parse: (t) => (/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(t) ? Date.parse(`${t.replace(' ', 'T')}Z`) : undefined),
};
const utc: Conversion = {
  timeZone: 'UTC',
  remoteDateTime: { format: (ms) => new Date(ms).toISOString(), parse: (t) => Date.parse(t) },
};
const berlin: Conversion = { ...utc, timeZone: 'Europe/Berlin' };
const honolulu: Conversion = { ...utc, timeZone: 'Pacific/Honolulu' };

const pair = (
  jira: string,
  remote: string,
  kinds: { jira: FieldKind; remote: FieldKind; precision?: number },
  extra: Partial<FieldMapping> = {},
) => ({ jira, remote, direction: 'both', transform: 'none', kinds, ...extra }) as FieldMapping;

describe('field kinds from live metadata', () => {
  it("reads a Jira field's kind from its schema", () => {
    expect(jiraKindOf({ id: 'duedate', schema: { type: 'date', system: 'duedate' } })).toBe('date');
    expect(jiraKindOf({ id: 'customfield_10018', schema: { type: 'datetime', custom: 'x:datetime' } })).toBe(
      'date-time',
    );
    expect(jiraKindOf({ id: 'customfield_10012', schema: { type: 'number', custom: 'x:float' } })).toBe('number');
    expect(jiraKindOf({ id: 'customfield_10013', schema: { type: 'option', custom: 'x:select' } })).toBe('option');
    expect(jiraKindOf({ id: 'customfield_10014', schema: { type: 'array', items: 'option' } })).toBe('options');
    expect(jiraKindOf({ id: 'customfield_10011', schema: { type: 'string', custom: 'x:textarea' } })).toBe('rich-text');
    expect(jiraKindOf({ id: 'customfield_10016', schema: { type: 'user', custom: 'x:userpicker' } })).toBe('user');
    expect(jiraKindOf({ id: 'attachment', schema: { type: 'array', items: 'attachment' } })).toBeUndefined();
  });

  it('lets kinds cross where values can, and says why not where they cannot', () => {
    expect(crossing('date', 'date-time')).toEqual({ ok: true, canonical: 'date' });
    expect(crossing('date-time', 'date-time')).toEqual({ ok: true, canonical: 'date-time' });
    expect(crossing('number', 'text')).toEqual({ ok: true, canonical: 'number' });
    expect(crossing('options', 'options')).toEqual({ ok: true, canonical: 'options' });
    expect(crossing('priority', 'number')).toEqual({ ok: true, canonical: 'option' });
    expect(crossing('date', 'number')).toEqual({
      ok: false,
      reason: "Jira's field holds a date and the remote's a number",
    });
    expect(crossing('user', 'date')).toMatchObject({
      ok: false,
      reason: expect.stringContaining('people are matched to people'),
    });
    expect(crossing('options', 'number')).toMatchObject({
      ok: false,
      reason: expect.stringContaining('a list cannot cross into one value'),
    });
  });
});

describe('dates and time zones', () => {
  it('takes a date-time to the day it falls on where the connection is', () => {
    const lateEvening = Date.parse('2026-12-24T23:30:00Z');
    expect(dayIn(lateEvening, 'UTC')).toBe('2026-12-24');
    expect(dayIn(lateEvening, 'Europe/Berlin')).toBe('2026-12-25');
    expect(dayIn(lateEvening, 'Pacific/Honolulu')).toBe('2026-12-24');
  });

  it('starts a day at midnight where the connection is, across daylight saving', () => {
    expect(new Date(startOfDayIn('2026-12-24', 'Europe/Berlin')).toISOString()).toBe('2026-12-23T23:00:00.000Z');
    expect(new Date(startOfDayIn('2026-07-01', 'Europe/Berlin')).toISOString()).toBe('2026-06-30T22:00:00.000Z');
    expect(new Date(startOfDayIn('2026-12-24', 'Pacific/Honolulu')).toISOString()).toBe('2026-12-24T10:00:00.000Z');
  });

  it('never shifts a date by a day on its way through a date-time field and back, in any zone', () => {
    const due = pair('duedate', 'Microsoft.VSTS.Scheduling.DueDate', { jira: 'date', remote: 'date-time' });
    for (const c of [utc, berlin, honolulu]) {
      const written = writeRemote(due, '2026-12-24', 'html', c);
      expect(written.ok).toBe(true);
      const back = readRemote(due, { 'Microsoft.VSTS.Scheduling.DueDate': written.ok ? written.value : '' }, 'html', c);
      expect(back).toEqual({ ok: true, value: '2026-12-24' });
    }
  });
});

describe('typed values both ways', () => {
  it('reads and writes a Jira date, and a remote date-time in its own text (ServiceNow)', () => {
    const due = pair('duedate', 'due_date', { jira: 'date', remote: 'date-time' });
    const c = { timeZone: 'UTC', remoteDateTime: GLIDE };
    expect(readJira(due, { duedate: '2026-12-24' }, c)).toEqual({ ok: true, value: '2026-12-24' });
    expect(readRemote(due, { due_date: '2026-12-24 17:00:00' }, 'text', c)).toEqual({ ok: true, value: '2026-12-24' });
    expect(writeRemote(due, '2026-12-24', 'text', c)).toEqual({
      ok: true,
      field: 'due_date',
      value: '2026-12-24 00:00:00',
    });
    expect(writeJira(due, '2026-12-24', c)).toEqual({ kind: 'field', field: 'duedate', value: '2026-12-24' });
  });

  it("keeps a date-time as the same instant, in Jira's format and the remote's", () => {
    const deadline = pair('customfield_10018', 'Custom.CustomerDeadline', { jira: 'date-time', remote: 'date-time' });
    expect(readJira(deadline, { customfield_10018: '2026-12-24T16:30:00.000+0100' })).toEqual({
      ok: true,
      value: '2026-12-24T15:30:00.000Z',
    });
    expect(readRemote(deadline, { 'Custom.CustomerDeadline': '2026-12-24T15:30:00Z' })).toEqual({
      ok: true,
      value: '2026-12-24T15:30:00.000Z',
    });
    expect(writeJira(deadline, '2026-12-24T15:30:00.000Z')).toEqual({
      kind: 'field',
      field: 'customfield_10018',
      value: '2026-12-24T15:30:00.000+0000',
    });
  });

  it("writes numbers as numbers to Jira and at the remote's precision, and refuses text that is no number", () => {
    const users = pair('customfield_10012', 'Custom.AffectedUsers', { jira: 'number', remote: 'number', precision: 0 });
    expect(readRemote(users, { 'Custom.AffectedUsers': 42 })).toEqual({ ok: true, value: 42 });
    expect(writeJira(users, 42)).toEqual({ kind: 'field', field: 'customfield_10012', value: 42 });
    expect(writeRemote(users, 41.6)).toEqual({ ok: true, field: 'Custom.AffectedUsers', value: '42' });
    const fromText = pair('customfield_10012', 'u_affected', { jira: 'number', remote: 'text' });
    expect(readRemote(fromText, { u_affected: 'many' })).toEqual({ ok: false, reason: '“many” is not a number' });
  });

  it('writes one option as {value} to a Jira select and several as a list, and reads them back', () => {
    const tier = pair('customfield_10013', 'Custom.Environment', { jira: 'option', remote: 'option' });
    expect(readJira(tier, { customfield_10013: { id: '10200', value: 'Production' } })).toEqual({
      ok: true,
      value: 'Production',
    });
    expect(writeJira(tier, 'Staging')).toEqual({
      kind: 'field',
      field: 'customfield_10013',
      value: { value: 'Staging' },
    });
    const hit = pair('customfield_10014', 'Custom.Platforms', { jira: 'options', remote: 'options' });
    expect(readRemote(hit, { 'Custom.Platforms': 'Web;Mobile' })).toEqual({ ok: true, value: ['Web', 'Mobile'] });
    expect(writeJira(hit, ['Web', 'Mobile'])).toEqual({
      kind: 'field',
      field: 'customfield_10014',
      value: [{ value: 'Web' }, { value: 'Mobile' }],
    });
    expect(writeRemote(hit, ['API', 'Web'])).toEqual({ ok: true, field: 'Custom.Platforms', value: 'API;Web' });
    expect(readJira(hit, { customfield_10014: [{ value: 'API' }, { value: 'Web' }] })).toEqual({
      ok: true,
      value: ['API', 'Web'],
    });
  });

  it('maps option names through a value map on top of the conversion (Azure DevOps priority 1–4)', () => {
    const priority = pair(
      'priority',
      'Microsoft.VSTS.Common.Priority',
      { jira: 'priority', remote: 'number', precision: 0 },
      { transform: 'value-map', valueMap: [{ jira: 'High', remote: '2' }] },
    );
    expect(readRemote(priority, { 'Microsoft.VSTS.Common.Priority': 2 })).toEqual({ ok: true, value: 'High' });
    expect(writeRemote(priority, 'High')).toEqual({ ok: true, field: 'Microsoft.VSTS.Common.Priority', value: '2' });
    expect(writeJira(priority, 'High')).toEqual({ kind: 'field', field: 'priority', value: { name: 'High' } });
  });

  it('empties a typed field with null, as Jira and the remotes take it', () => {
    const due = pair('duedate', 'due_at', { jira: 'date', remote: 'date-time' });
    expect(writeJira(due, null)).toEqual({ kind: 'field', field: 'duedate', value: null });
    expect(writeRemote(due, null)).toEqual({ ok: true, field: 'due_at', value: '' });
    expect(readRemote(due, { due_at: null })).toEqual({ ok: true, value: null });
  });
});
