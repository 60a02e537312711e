/**
 * When a signal's view of a side replaces a read (evidence.ts), and when it
 * does not: each refusal below is a case where the engine must read.
 */
import type { Capabilities } from '../connectors/ports';
import type { ConnectionConfig } from '../mapping/connection-config';
import type { Link } from '../store/links';
import { editWasAlone, issueFromEvidence, ownWriteProven, presumedRemote, remoteFromEvidence } from './evidence';

const counting = { capabilities: { versionCountsWrites: true } as Capabilities };
const conditional = { capabilities: { conditionalWrites: true } as Capabilities };
const stamped = { capabilities: {} as Capabilities };

const config = {
  fields: [
    { jira: 'summary', remote: 'short_description', direction: 'both', transform: 'none' },
    { jira: 'priority', remote: 'urgency', direction: 'both', transform: 'value-map' },
  ],
} as unknown as ConnectionConfig;

const link = {
  issueId: '10001',
  connectionId: 'c',
  remoteId: 'r1',
  remoteKey: 'INC001',
  remoteUrl: 'https://x/INC001',
  origin: 'jira',
  base: { summary: { jira: 'A', remote: 'A' }, priority: { jira: 'High', remote: 'High' } },
  comments: [],
  attachments: [],
  generation: 1,
  remoteSeenAt: 1_000,
  remoteVersion: '7',
} as unknown as Link;

describe('a remote notification instead of a read', () => {
  it('is used when it is the one write after the version at which the remote held the base: shown fields from it, the rest from the base', () => {
    const known = remoteFromEvidence(
      { version: '8', updatedAt: 2_000, fields: { short_description: 'B' } },
      link,
      config,
      counting,
    );
    expect(known?.item).toMatchObject({ id: 'r1', version: '8', updatedAt: 2_000, fields: { short_description: 'B' } });
    expect([...known!.shown]).toEqual(['short_description']);
  });

  it('shows every mapped field when it carries the whole item (a field it leaves out is empty)', () => {
    const known = remoteFromEvidence(
      { version: '8', updatedAt: 2_000, fields: { short_description: 'B' }, complete: true },
      link,
      config,
      counting,
    );
    expect([...known!.shown].sort()).toEqual(['short_description', 'urgency']);
  });

  it('is not used when a write came between (an earlier notification lost or still on its way): the item is read', () => {
    expect(
      remoteFromEvidence(
        { version: '9', updatedAt: 3_000, fields: { short_description: 'C' } },
        link,
        config,
        counting,
      ),
    ).toBeUndefined();
  });

  it('is not used when it is a duplicate or older than what the link knows', () => {
    expect(remoteFromEvidence({ version: '7', updatedAt: 1_000, fields: {} }, link, config, counting)).toBeUndefined();
    expect(remoteFromEvidence({ version: '6', updatedAt: 900, fields: {} }, link, config, counting)).toBeUndefined();
  });

  it('is not used when its time is before what was seen of the remote', () => {
    expect(remoteFromEvidence({ version: '8', updatedAt: 999, fields: {} }, link, config, counting)).toBeUndefined();
  });

  it('is not used where versions do not count writes (nothing proves no other write came between)', () => {
    expect(remoteFromEvidence({ version: '8', updatedAt: 2_000, fields: {} }, link, config, stamped)).toBeUndefined();
    expect(
      remoteFromEvidence({ version: '8', updatedAt: 2_000, fields: {} }, link, config, conditional),
    ).toBeUndefined();
  });

  it('where versions do not count writes, is used when it shows the whole item and is newer than anything seen (as a read at its time)', () => {
    const known = remoteFromEvidence(
      {
        version: '2026-01-01T00:00:02Z',
        updatedAt: 2_000,
        fields: { short_description: 'B', urgency: '2' },
        complete: true,
      },
      link,
      config,
      stamped,
    );
    expect(known?.item.fields).toEqual({ short_description: 'B', urgency: '2' });
    expect([...known!.shown].sort()).toEqual(['short_description', 'urgency']);
  });

  it('where versions do not count writes, a whole item at the time already seen, or before it, is read instead (stamps have seconds)', () => {
    const whole = { version: 'v', fields: { short_description: 'B', urgency: '2' }, complete: true };
    expect(remoteFromEvidence({ ...whole, updatedAt: 1_000 }, link, config, stamped)).toBeUndefined();
    expect(remoteFromEvidence({ ...whole, updatedAt: 900 }, link, config, stamped)).toBeUndefined();
  });

  it('is not used when the link does not know the version at which the remote held the base', () => {
    const { remoteVersion: _v, ...unversioned } = link;
    expect(
      remoteFromEvidence({ version: '8', updatedAt: 2_000, fields: {} }, unversioned as Link, config, counting),
    ).toBeUndefined();
  });

  it('is not used when a mapped field is neither shown nor in the base', () => {
    const noBase = { ...link, base: { summary: link.base.summary! } } as Link;
    expect(
      remoteFromEvidence(
        { version: '8', updatedAt: 2_000, fields: { short_description: 'B' } },
        noBase,
        config,
        counting,
      ),
    ).toBeUndefined();
    expect(
      remoteFromEvidence(
        { version: '8', updatedAt: 2_000, fields: { short_description: 'B', urgency: '1' } },
        noBase,
        config,
        counting,
      ),
    ).toBeDefined();
  });
});

describe('our own remote write counts as seen only when the remote proves it alone', () => {
  it('a conditional write that named the version it read proves it', () => {
    expect(ownWriteProven(conditional, { version: '2026-01-01T00:00:00Z' }, { version: '2026-01-01T00:00:05Z' })).toBe(
      true,
    );
  });

  it('a version that counts writes must move by exactly one', () => {
    expect(ownWriteProven(counting, { version: '7' }, { version: '8' })).toBe(true);
    expect(ownWriteProven(counting, { version: '7' }, { version: '9' })).toBe(false);
    expect(ownWriteProven(counting, { version: '7' }, { version: '7' })).toBe(false);
  });

  it('nothing else proves it', () => {
    expect(ownWriteProven(stamped, { version: '7' }, { version: '8' })).toBe(false);
    expect(ownWriteProven(counting, {}, { version: '8' })).toBe(false);
  });
});

describe('our own Jira edit counts as seen only when its answer shows it alone', () => {
  const app = 'app-account';
  const history = (entries: Array<{ at: number; authorId?: string; fields: string[] }>, complete = true) => ({
    recentHistory: { entries, complete },
  });

  it('when every change after what was read is the edit itself (one author, the newest naming what was written)', () => {
    expect(
      editWasAlone(
        history([
          { at: 20, authorId: app, fields: ['summary'] },
          { at: 10, authorId: 'ann', fields: ['priority'] },
        ]),
        10,
        ['summary'],
      ),
    ).toBe(true);
  });

  it('not when someone else changed the issue between the read and the edit', () => {
    expect(
      editWasAlone(
        history([
          { at: 20, authorId: app, fields: ['summary'] },
          { at: 15, authorId: 'ann', fields: ['labels'] },
          { at: 10, authorId: 'ann', fields: ['priority'] },
        ]),
        10,
        ['summary'],
      ),
    ).toBe(false);
  });

  it('not when the newest change does not name every field written (the edit changed nothing; the newest is not ours)', () => {
    expect(editWasAlone(history([{ at: 20, authorId: 'ann', fields: ['labels'] }]), 10, ['summary'])).toBe(false);
  });

  it('not when the history it carries does not reach back to what was read', () => {
    expect(editWasAlone(history([{ at: 20, authorId: app, fields: ['summary'] }], false), 10, ['summary'])).toBe(false);
  });

  it('not without an answer', () => {
    expect(editWasAlone(undefined, 10, ['summary'])).toBe(false);
  });
});

describe('a connection with a pair’s rules reads both sides', () => {
  // A category set from the issue type and priority (rules.ts): its value depends on fields an event need not show.
  const ruled = {
    fields: [
      ...config.fields,
      {
        jira: 'issuetype',
        remote: 'category',
        direction: 'to-remote',
        transform: 'none',
        rules: [{ when: [{ side: 'jira', field: 'priority', op: 'is', values: ['High'] }], then: 'database' }],
      },
    ],
    requiredOnEnter: [],
  } as unknown as ConnectionConfig;
  const seen = {
    ...link,
    jiraSeenAt: 500,
    base: { ...link.base, issuetype: { jira: 'database', remote: 'database' } },
  } as unknown as Link;
  const event = {
    key: 'DEMO-1',
    updated: '2026-12-07T14:00:00.000+0000',
    fields: { priority: { name: 'Low' }, project: { id: '10000' } },
    changed: ['priority'],
  };

  it('a Jira event that changed a condition’s field does not stand in for the issue', () => {
    expect(issueFromEvidence(event, '10001', seen, { ...config, requiredOnEnter: [] }, false)).toBeDefined();
    expect(issueFromEvidence(event, '10001', seen, ruled, false)).toBeUndefined();
  });

  it('the remote is not presumed from the link, nor known from a notification', () => {
    expect(presumedRemote(conditional as never, seen, { ...config, requiredOnEnter: [] }, ['priority'])).toBeDefined();
    expect(presumedRemote(conditional as never, seen, ruled, ['priority'])).toBeUndefined();
    const shows = { version: '8', updatedAt: 2_000, fields: { short_description: 'B' } };
    expect(remoteFromEvidence(shows, seen, config, counting)).toBeDefined();
    expect(remoteFromEvidence(shows, seen, ruled, counting)).toBeUndefined();
  });
});
