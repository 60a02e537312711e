import { readJira, readRemote, writeJira, writeRemote } from './field-values';
import { DEFAULT_CONVERSION } from './field-convert';
import { fieldMappingSchema } from './connection-config';

const m = (x: Record<string, unknown>) => fieldMappingSchema.parse(x);
const adf = (t: string) => ({
  version: 1,
  type: 'doc',
  content: [{ type: 'paragraph', content: [{ type: 'text', text: t }] }],
});
const status = m({
  jira: 'status',
  remote: 'state',
  transform: 'value-map',
  valueMap: [
    { jira: 'To Do', remote: '1' },
    { jira: 'Done', remote: '6' },
    { jira: 'Done', remote: '7' },
  ],
});

describe('reading and writing mapped fields', () => {
  it('reads an ADF description and a ServiceNow text as the same canonical text', () => {
    const d = m({ jira: 'description', remote: 'description', transform: 'rich-text' });
    expect(readJira(d, { description: adf('Berlin VPN') })).toEqual(readRemote(d, { description: 'Berlin VPN\n' }));
    expect(writeJira(d, 'Line one\n\nLine two')).toEqual({
      kind: 'field',
      field: 'description',
      value: {
        version: 1,
        type: 'doc',
        content: [
          { type: 'paragraph', content: [{ type: 'text', text: 'Line one' }] },
          { type: 'paragraph', content: [{ type: 'text', text: 'Line two' }] },
        ],
      },
    });
  });

  it('maps status both ways and asks for a transition in Jira', () => {
    expect(readJira(status, { status: { name: 'Done' } })).toEqual({ ok: true, value: 'Done' });
    expect(readRemote(status, { state: '7' })).toEqual({ ok: true, value: 'Done' });
    expect(writeJira(status, 'Done')).toEqual({ kind: 'status', statusName: 'Done' });
    expect(writeRemote(status, 'Done')).toEqual({ ok: true, field: 'state', value: '6' });
    expect(readRemote(status, { state: '3' })).toEqual({ ok: false, reason: 'Remote value "3" has no mapping' });
  });

  it('reads references by their value and plain fields as strings', () => {
    const s = m({ jira: 'summary', remote: 'short_description' });
    expect(readRemote(s, { short_description: 'Printer' })).toEqual({ ok: true, value: 'Printer' });
    expect(
      readRemote(m({ jira: 'customfield_10010', remote: 'caller_id' }), { caller_id: { link: 'x', value: 'abc' } }),
    ).toEqual({ ok: true, value: 'abc' });
    expect(writeJira(s, '')).toMatchObject({ kind: 'skip' });
  });
});

describe('list mappings (labels ↔ a separated string such as Azure DevOps tags)', () => {
  const tags = m({ jira: 'labels', remote: 'System.Tags', transform: 'list', separator: ';' });
  it('read both sides as the same set, whatever the order and spacing', () => {
    expect(readJira(tags, { labels: ['prod', 'db'] })).toEqual({ ok: true, value: ['prod', 'db'] });
    expect(readRemote(tags, { 'System.Tags': 'db;  prod' })).toEqual({ ok: true, value: ['db', 'prod'] });
    // A tag may hold spaces: only the separator splits.
    expect(readRemote(tags, { 'System.Tags': 'customer impact; db' })).toEqual({
      ok: true,
      value: ['customer impact', 'db'],
    });
    expect(readRemote(tags, {})).toEqual({ ok: true, value: [] });
  });
  it('write the set joined by the separator', () => {
    expect(writeRemote(tags, ['db', 'prod'])).toEqual({ ok: true, field: 'System.Tags', value: 'db; prod' });
    expect(writeRemote(tags, [])).toEqual({ ok: true, field: 'System.Tags', value: '' });
    expect(writeJira(tags, ['db', 'prod'])).toEqual({ kind: 'field', field: 'labels', value: ['db', 'prod'] });
  });
});

describe('labels ↔ a remote set of labels (GitHub labels, Zendesk tags)', () => {
  const labels = m({ jira: 'labels', remote: 'labels' });
  it('read a remote label with spaces as Jira can hold it, so both sides read as the same set', () => {
    expect(readRemote(labels, { labels: ['good first issue', 'bug'] })).toEqual({
      ok: true,
      value: ['good_first_issue', 'bug'],
    });
    expect(readJira(labels, { labels: ['good_first_issue', 'bug'] })).toEqual({
      ok: true,
      value: ['good_first_issue', 'bug'],
    });
  });
});

describe('a templated pair', () => {
  const onRemote = m({
    jira: 'summary',
    remote: 'short_description',
    template: { side: 'remote', text: '[{key}] {summary}' },
  });
  const inJira = m({ jira: 'summary', remote: 'title', template: { side: 'jira', text: '{summary} ({remote.key})' } });
  const keys = { ...DEFAULT_CONVERSION, item: { key: 'DEMO-12', remoteKey: 'INC0010001' } };

  it('writes its side inside the template with the keys, and reads it back as the bare value', () => {
    expect(writeRemote(onRemote, 'Printer jams', 'text', keys)).toEqual({
      ok: true,
      field: 'short_description',
      value: '[DEMO-12] Printer jams',
    });
    expect(readRemote(onRemote, { short_description: '[DEMO-12] Printer jams' })).toEqual({
      ok: true,
      value: 'Printer jams',
    });
    expect(readJira(onRemote, { summary: '[not a key] words' })).toEqual({ ok: true, value: '[not a key] words' });
    expect(writeJira(inJira, 'Printer jams', keys)).toEqual({
      kind: 'field',
      field: 'summary',
      value: 'Printer jams (INC0010001)',
    });
    expect(readJira(inJira, { summary: 'Printer jams (INC0010001)' })).toEqual({ ok: true, value: 'Printer jams' });
  });

  it('is refused where it cannot hold: a rich pair, or one-way against the direction', () => {
    const problems = (x: Record<string, unknown>) =>
      fieldMappingSchema.safeParse(x).error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    expect(
      problems({
        jira: 'description',
        remote: 'description',
        transform: 'rich-text',
        template: { side: 'remote', text: '{value}' },
      }),
    ).toEqual(['template: only a plain text pair takes a template']);
    expect(
      problems({
        jira: 'summary',
        remote: 'title',
        template: { side: 'remote', text: '[{key}] {value}', reverse: 'one-way' },
      }),
    ).toEqual([
      'template.reverse: a one-way template only writes the remote: set the direction to Jira → remote, or strip it on the way back',
    ]);
  });
});
