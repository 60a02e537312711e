/**
 * Stored connections carry the version of their shape and are brought forward when read (issue 19, §8): the shapes
 * saved today read exactly as before, and the shape the first releases saved keeps doing what its project lead set
 * up, instead of losing a setting to the settings schema's silence about keys it does not know.
 */
import { demoAzureDevOpsConnection } from '../../sandbox/demo/azure-devops-connection';
import { demoServiceNowConnection } from '../../sandbox/demo/servicenow-connection';
import { demoZendeskConnection } from '../../sandbox/demo/zendesk-connection';
import { connectionConfigSchema } from '../mapping/connection-config';
import { CONNECTION_SCHEMA_VERSION, migrateStoredConnection, storedForm, storedVersion } from './connection-versions';
import { parseConnection } from './connections';

/** A connection as today's release stores it: the settings parsed as the server parses them, with its id and project. */
const savedToday = (settings: object, id: string) => ({
  ...connectionConfigSchema.parse({ ...settings, id, jiraProjectId: '10000' }),
  credentialRev: 'rev-1',
});

const today = [
  ['ServiceNow', savedToday(demoServiceNowConnection, 'demo-servicenow')],
  ['Azure DevOps', savedToday(demoAzureDevOpsConnection, 'ops-azure-devops')],
  ['Zendesk', savedToday(demoZendeskConnection, 'sup-zendesk')],
] as const;

/**
 * What the first releases stored for a ServiceNow connection (src/mapping/connection-config.ts before 4c080f6): the
 * records that create issues and the fields a resolving state needs inside `remote`, a key naming the secret, and the
 * comment fields by name.
 */
const firstReleaseServiceNow = {
  id: 'demo',
  name: 'DEMO ↔ ACME incidents',
  jiraProjectId: '10000',
  remote: {
    type: 'servicenow',
    baseUrl: 'https://acme.service-now.com',
    table: 'incident',
    filter: [{ field: 'category', op: '=', value: 'hardware' }],
    resolution: {
      states: ['6', '7'],
      fields: { close_code: 'Solution provided', close_notes: 'Resolved in Jira ({issueKey})' },
    },
    auth: { kind: 'basic', username: 'crosswalk.integration', secretRef: 'servicenow:demo' },
  },
  jql: '',
  jiraIssueType: 'Incident',
  enabled: true,
  fields: [
    { jira: 'summary', remote: 'short_description', direction: 'both', transform: 'none' },
    {
      jira: 'status',
      remote: 'state',
      direction: 'both',
      transform: 'value-map',
      valueMap: [
        { jira: 'To Do', remote: '1' },
        { jira: 'Done', remote: '6' },
      ],
    },
  ],
  comments: { direction: 'both', publicField: 'comments', internalField: 'work_notes' },
  attachments: { direction: 'both', maxBytes: 52428800, allowedTypes: [] },
  conflictPolicy: 'newest-wins',
  users: { matchByEmail: true, table: [] },
};

describe('a connection stored today', () => {
  it.each(today)('%s: reads exactly as before, and is written with the current version', (_label, stored) => {
    expect(parseConnection(stored)).toEqual(connectionConfigSchema.parse(stored));
    expect(storedForm(stored).schemaVersion).toBe(CONNECTION_SCHEMA_VERSION);
    // Written in the current version, it reads the same: the version is the store's, not a setting.
    expect(parseConnection(storedForm(parseConnection(stored)!))).toEqual(parseConnection(stored));
  });

  it.each(today)('%s: counts as version 1 until written again', (_label, stored) => {
    expect(storedVersion(stored)).toBe(1);
    expect(migrateStoredConnection(stored)).toMatchObject({ schemaVersion: CONNECTION_SCHEMA_VERSION });
  });
});

describe('a remote filter stored before lists of values and OR groups existed', () => {
  // Every condition shape the releases before them saved, in both filters: read as they were, with no new version.
  const conditions = [
    { field: 'category', op: '=', value: 'network' },
    { field: 'category', op: '!=', value: 'inquiry' },
    { field: 'short_description', op: 'starts-with', value: 'printer' },
    { field: 'short_description', op: 'contains', value: 'vpn' },
  ];
  const stored = { ...today[0][1], remoteFilter: conditions, linkFilter: conditions.slice(0, 2) };

  it('reads exactly as stored, and needs no step to a new version', () => {
    const read = parseConnection(stored)!;
    expect(read.remoteFilter).toEqual(conditions);
    expect(read.linkFilter).toEqual(conditions.slice(0, 2));
    expect(CONNECTION_SCHEMA_VERSION).toBe(2);
    expect(parseConnection(storedForm(read))).toEqual(read);
  });

  it('sits beside the new shapes in one filter', () => {
    const mixed = {
      ...stored,
      remoteFilter: [
        ...conditions,
        { field: 'priority', op: 'IN', values: ['1', '2'] },
        { anyOf: [conditions[0], { field: 'priority', op: 'NOT IN', values: ['5'] }] },
      ],
    };
    expect(parseConnection(mixed)!.remoteFilter).toEqual(mixed.remoteFilter);
  });
});

describe('a ServiceNow connection the first releases stored', () => {
  const read = parseConnection(firstReleaseServiceNow)!;

  it('still reads, and still creates issues from the records its filter named', () => {
    expect(read).toBeDefined();
    expect(read.remoteFilter).toEqual([{ field: 'category', op: '=', value: 'hardware' }]);
    expect(read.jiraIssueType).toBe('Incident');
  });

  it('still writes the close code and notes a resolving state needs', () => {
    expect(read.requiredOnEnter).toEqual([
      {
        field: 'state',
        values: ['6', '7'],
        set: { close_code: 'Solution provided', close_notes: 'Resolved in Jira ({issueKey})' },
      },
    ]);
  });

  it('keeps nothing no release reads any more', () => {
    const migrated = migrateStoredConnection(firstReleaseServiceNow) as { remote: object; comments: object };
    expect(migrated.remote).not.toHaveProperty('filter');
    expect(migrated.remote).not.toHaveProperty('resolution');
    expect((migrated.remote as { auth: object }).auth).toEqual({ kind: 'basic', username: 'crosswalk.integration' });
    expect(migrated.comments).toEqual({ direction: 'both' });
  });

  it('never overwrites what the connection already sets in the current places', () => {
    const both = {
      ...firstReleaseServiceNow,
      remoteFilter: [{ field: 'priority', op: '=', value: '1' }],
      requiredOnEnter: [{ field: 'state', values: ['7'], set: { close_code: 'Closed' } }],
    };
    const read = parseConnection(both)!;
    expect(read.remoteFilter).toEqual(both.remoteFilter);
    expect(read.requiredOnEnter).toEqual(both.requiredOnEnter);
  });
});

describe('bringing a stored connection forward', () => {
  it('changes nothing the second time', () => {
    const once = migrateStoredConnection(firstReleaseServiceNow);
    expect(migrateStoredConnection(once)).toEqual(once);
  });

  it('leaves the marker of a deleted connection, and a shape from a newer release, as they are', () => {
    const deleted = { deleted: true, at: '2026-12-01T00:00:00.000Z' };
    expect(migrateStoredConnection(deleted)).toBe(deleted);
    expect(parseConnection(deleted)).toBeUndefined();
    const newer = { ...today[0][1], schemaVersion: CONNECTION_SCHEMA_VERSION + 1 };
    expect(migrateStoredConnection(newer)).toBe(newer);
  });
});
