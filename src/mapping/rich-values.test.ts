/**
 * Rich text is compared at the remote's projection and written into Jira block by block: a Jira-only feature is no
 * change, an edit made of formatting alone is one, and a remote change replaces only the blocks it changed.
 */
import type { AdfDoc, AdfNode } from '../content/adf';
import { adfToHtml } from '../content/adf-to-html';
import { planFields } from '../sync/field-plan';
import type { FieldMapping } from './connection-config';
import { readJira, readRemote, writeJira, writeRemote } from './field-values';
import { DEFAULT_CONVERSION } from './field-convert';
import { doc, para, text } from '../content/testing/adf-nodes';

const m = {
  jira: 'description',
  remote: 'System.Description',
  transform: 'rich-text',
  direction: 'both',
} as FieldMapping;
const html = { ...DEFAULT_CONVERSION, richText: 'html' as const };
const warning = { type: 'panel', attrs: { panelType: 'warning' }, content: [para(text('Careful'))] };
const value = (r: ReturnType<typeof readJira>) => (r.ok ? r.value : r.reason);

describe('rich text read at the remote projection', () => {
  it('reads a Jira panel and the quote the remote holds of it as the same value, and says what was simplified', () => {
    const jiraDoc = doc(warning, para(text('Body')));
    const jira = readJira(m, { description: jiraDoc }, html);
    const remote = readRemote(m, { 'System.Description': adfToHtml(jiraDoc).body }, 'html', html);
    expect(value(jira)).toBe(value(remote));
    expect(jira.ok && jira.simplified?.length).toBeTruthy();
  });

  it('reads formatting: a word made bold is a different value', () => {
    const plain = readJira(m, { description: doc(para(text('Body'))) }, html);
    const bold = readJira(m, { description: doc(para(text('Body', 'strong'))) }, html);
    expect(value(plain)).not.toBe(value(bold));
  });

  it('keeps the plain text it compared before rich content beside the projection (for bases taken then)', () => {
    const r = readRemote(m, { 'System.Description': '<p>Body <b>bold</b></p>' }, 'html', html);
    expect(r.ok && r.legacy).toBe('Body bold');
  });

  it('reads a plain-text remote exactly as before: its text, no legacy', () => {
    const r = readRemote(m, { 'System.Description': 'Line one\n\nLine two' }, 'text');
    expect(r).toEqual({ ok: true, value: 'Line one\n\nLine two' });
  });
});

describe('rich text written', () => {
  it('writes the projection to the remote as its body', () => {
    expect(writeRemote(m, '<p>Body</p>', 'html', html)).toEqual({
      ok: true,
      field: 'System.Description',
      value: '<p>Body</p>',
    });
  });

  it("merges into the remote's HTML: its unchanged blocks keep their own markup, an inline image included", () => {
    const current =
      '<div>Steps:</div><div><img src="https://dev.azure.com/acme/_apis/wit/attachments/1?fileName=a.png"></div><div>Old</div>';
    const projection = adfToHtml(doc(para(text('Steps:')), para(text('New')))).body;
    const w = writeRemote(m, projection, 'html', html, current);
    expect(w.ok && w.value).toBe(
      '<div>Steps:</div><div><img src="https://dev.azure.com/acme/_apis/wit/attachments/1?fileName=a.png"></div><p>New</p>',
    );
  });

  it("merges into Jira's document: unchanged blocks keep Jira's nodes, the changed one takes the remote's", () => {
    const current = doc(warning, para(text('Old')));
    const projection = adfToHtml(doc(warning, para(text('New', 'em')))).body;
    const w = writeJira(m, projection, html, current);
    expect(w).toEqual({ kind: 'field', field: 'description', value: doc(warning, para(text('New', 'em'))) });
  });
});

describe('a base taken before rich content (plain text)', () => {
  const jiraDoc = doc(para(text('Body'), text(' more', 'strong')));
  const plan = (remoteHtml: string) =>
    planFields({
      config: { fields: [m], conflictPolicy: 'jira-wins', requiredOnEnter: [] },
      readings: [
        {
          m,
          jira: readJira(m, { description: jiraDoc }, html),
          remote: readRemote(m, { 'System.Description': remoteHtml }, 'html', html),
        },
      ],
      base: { description: { jira: 'Body more', remote: 'Body more' } },
      updatedAt: { jira: 1, remote: 2 },
      remoteMaxLengths: {},
      remoteRichText: 'html',
      remoteRaw: {},
      issueKey: 'OPS-1',
    });

  it('writes nothing where neither side changed its text since', () => {
    const p = plan('<div>Body <b>more</b></div>');
    expect({ jira: p.jiraWrites, remote: p.remoteWrites, conflicts: p.conflicts }).toEqual({
      jira: [],
      remote: [],
      conflicts: [],
    });
    // The base moves to the projections, so the next run compares rich.
    expect(p.settled.description!.jira).toMatch(/^<p>/);
  });

  it('copies a remote change of text into Jira without a conflict (Jira is unchanged since)', () => {
    const p = plan('<p>Body more, and a fix</p>');
    expect(p.conflicts).toEqual([]);
    expect(p.jiraWrites.map((w) => w.m.jira)).toEqual(['description']);
  });
});

describe("a rich pair whose remote field keeps HTML where the item's description is text (a ServiceNow HTML column)", () => {
  const details = { jira: 'customfield_10011', remote: 'u_details', transform: 'rich-text', direction: 'both' };
  const column = { ...details, format: 'html' } as FieldMapping;
  const textRemote = { ...DEFAULT_CONVERSION, richText: 'text' as const };

  it("reads and writes the field as HTML at its own format, whatever the connection's description format", () => {
    const jiraDoc = doc(para(text('Body', 'strong')));
    const jira = readJira(column, { customfield_10011: jiraDoc }, textRemote);
    const remote = readRemote(column, { u_details: '<p><b>Body</b></p>' }, 'text', textRemote);
    expect(value(jira)).toBe('<p><strong>Body</strong></p>');
    expect(value(remote)).toBe(value(jira));
    const w = writeRemote(column, value(jira), 'text', textRemote);
    expect(w.ok && w.value).toBe('<p><strong>Body</strong></p>');
    const written = writeJira(column, '<p>Edited <em>there</em></p>', textRemote);
    expect(written).toMatchObject({ kind: 'field', value: doc(para(text('Edited '), text('there', 'em'))) });
    // The same pair without its format is plain text, as before.
    expect(value(readRemote(details as FieldMapping, { u_details: '<p><b>Body</b></p>' }, 'text'))).toBe(
      '<p><b>Body</b></p>',
    );
  });

  it('says what the remote field holds that Jira does not take: an image that is no file of the item', () => {
    const r = readRemote(column, { u_details: '<p>See</p><p><img src="/sys_attachment.do?sys_id=1"></p>' }, 'text');
    expect(r).toMatchObject({ ok: true, simplified: ['an inline image'] });
  });
});
