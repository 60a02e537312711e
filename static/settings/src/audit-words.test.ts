import { auditCsv, changeWords, csvCell, type AuditRow } from './audit-words';

const row = (r: Partial<AuditRow>): AuditRow => ({
  at: '2026-01-01T10:00:00.000Z',
  actor: '5b10ac8d82e05b22cc7d4ef5',
  action: 'settings-changed',
  connectionId: 'demo-servicenow',
  issueKey: null,
  remoteKey: null,
  changes: null,
  ...r,
});

describe('csvCell', () => {
  it('quotes every cell and doubles quotes inside', () => {
    expect(csvCell('plain')).toBe('"plain"');
    expect(csvCell('say "hi", then go')).toBe('"say ""hi"", then go"');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell(null)).toBe('""');
    expect(csvCell(3)).toBe('"3"');
  });

  it.each(['=HYPERLINK("http://evil")', '+1+1', '-2+3', '@SUM(A1)', '\t=1', '\r=1'])(
    'keeps %j text, not a formula, by leading it with a quote',
    (value) => {
      const cell = csvCell(value);
      expect(cell.startsWith(`"'`)).toBe(true);
      expect(cell).toBe(`"'${value.replace(/"/g, '""')}"`);
    },
  );

  it('leaves a value that only contains such characters later as it is', () => {
    expect(csvCell('a=b')).toBe('"a=b"');
    expect(csvCell('DEMO-1 ↔ INC0010001')).toBe('"DEMO-1 ↔ INC0010001"');
  });
});

describe('auditCsv', () => {
  it('has a header and one line per entry, CRLF-ended, with the action and changes in words', () => {
    const csv = auditCsv(
      [
        row({ changes: { settings: ['jql', 'remote.baseUrl'], secrets: ['password'] } }),
        row({ action: 'issue-linked', issueKey: 'DEMO-1', remoteKey: 'INC0010001', actor: '=cmd|calc' }),
      ],
      { '5b10ac8d82e05b22cc7d4ef5': '@Alice "Admin"' },
    );
    expect(csv.split('\r\n')).toEqual([
      '"Time (UTC)","Person","Account id","Action","Connection","Item","What changed"',
      `"2026-01-01T10:00:00.000Z","'@Alice ""Admin""","5b10ac8d82e05b22cc7d4ef5","Settings changed","demo-servicenow","","settings: jql, remote.baseUrl; secrets typed: password"`,
      `"2026-01-01T10:00:00.000Z","","'=cmd|calc","Linked by hand","demo-servicenow","DEMO-1 ↔ INC0010001",""`,
      '',
    ]);
  });
});

describe('changeWords', () => {
  it('names pairs, cut names and bulk sizes', () => {
    expect(
      changeWords(row({ changes: { pairsAdded: ['labels ↔ u_tags'], pairsRemoved: ['priority ↔ urgency'], more: 2 } })),
    ).toBe('pairs added: labels ↔ u_tags; pairs removed: priority ↔ urgency; and 2 more');
    expect(changeWords(row({ action: 'bulk-sync-started', changes: { issues: 1 } }))).toBe('1 issue');
    expect(changeWords(row({ changes: { secrets: ['webhookSecret'] } }))).toBe('secrets typed: signing secret');
  });
});
