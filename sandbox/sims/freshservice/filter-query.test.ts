/** The filter endpoint's query language, apart from HTTP: what a query finds among indexed tickets. */
import { FsError } from './errors';
import { parseFilterQuery } from './filter-query';
import type { IndexedFields } from './store';

const KNOWN = new Set(['status', 'priority', 'tag', 'created_at', 'crosswalk_id', 'group_id']);
const day = (d: string) => Date.parse(`${d}T00:00:00Z`);
const TICKETS: Record<string, IndexedFields> = {
  urgentOpen: {
    status: 2,
    priority: 4,
    tag: ['vpn'],
    created_at: day('2026-12-01') + 3_600_000,
    crosswalk_id: 'ITS-1',
    group_id: null,
  },
  lowPending: { status: 3, priority: 1, tag: [], created_at: day('2026-11-20'), crosswalk_id: null, group_id: 7 },
  highWaiting: {
    status: 6,
    priority: 3,
    tag: ['VPN', 'mfa'],
    created_at: day('2026-12-05'),
    crosswalk_id: 'its-2',
    group_id: 7,
  },
};
const found = (query: string) => {
  const matches = parseFilterQuery(`"${query}"`, KNOWN);
  return Object.entries(TICKETS)
    .filter(([, fields]) => matches(fields))
    .map(([name]) => name);
};

it('binds AND tighter than OR, and parentheses group', () => {
  expect(found('priority:4 OR priority:3 AND status:2')).toEqual(['urgentOpen']);
  expect(found('(priority:4 OR priority:3) AND status:6')).toEqual(['highWaiting']);
});

it('compares numbers inclusively with :> and :<', () => {
  expect(found('priority:>3')).toEqual(['urgentOpen', 'highWaiting']);
  expect(found('priority:<3')).toEqual(['lowPending', 'highWaiting']);
});

it('takes a date as its whole day', () => {
  expect(found("created_at:'2026-12-01'")).toEqual(['urgentOpen']);
  expect(found("created_at:<'2026-12-01'")).toEqual(['urgentOpen', 'lowPending']);
  expect(found("created_at:>'2026-12-02'")).toEqual(['highWaiting']);
});

it('matches a tag among the tags and text without regard to case; null is a blank field', () => {
  expect(found("tag:'vpn'")).toEqual(['urgentOpen', 'highWaiting']);
  expect(found("crosswalk_id:'ITS-2'")).toEqual(['highWaiting']);
  expect(found('group_id:null')).toEqual(['urgentOpen']);
});

it.each([
  ['no double quotes', 'priority:4'],
  ['a field it does not know', '"summary:\'x\'"'],
  ['an unquoted string', '"crosswalk_id:ITS-1"'],
  ['an unclosed parenthesis', '"(priority:4"'],
  ['a dangling operator', '"priority:4 AND"'],
  ['not a date', '"created_at:\'yesterday\'"'],
])('refuses %s as an invalid query', (_why, raw) => {
  let refused: unknown;
  try {
    parseFilterQuery(raw, KNOWN);
  } catch (e) {
    refused = e;
  }
  expect(refused).toBeInstanceOf(FsError);
  expect((refused as FsError).errors[0]).toMatchObject({ field: 'query', code: 'invalid_value' });
});
