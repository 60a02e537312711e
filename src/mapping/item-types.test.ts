import type { FieldMapping, ItemType } from './connection-config';
import {
  allFieldsOf,
  fieldsOfType,
  forJiraType,
  forRemoteItem,
  forType,
  typeMapOf,
  typeMapProblems,
  typeMismatch,
} from './item-types';

const pair = (jira: string, remote: string, more: Partial<FieldMapping> = {}): FieldMapping => ({
  jira,
  remote,
  direction: 'both',
  transform: 'none',
  ...more,
});
const status = (to: Record<string, string>) =>
  pair('status', 'System.State', {
    transform: 'value-map',
    valueMap: Object.entries(to).map(([jira, remote]) => ({ jira, remote })),
  });
const type = (jira: string, remote: string, more: Partial<ItemType> = {}): ItemType => ({
  jira,
  remote,
  fields: [],
  createDefaults: [],
  ...more,
});
const TYPE_FIELD = { field: 'System.WorkItemType', label: 'Work item type' };

const connection = {
  jiraIssueType: 'Task',
  fields: [pair('summary', 'System.Title'), status({ Done: 'Closed' })],
  createDefaults: [{ field: 'System.AreaPath', value: 'Web' }],
  types: [
    type('Bug', 'Bug', {
      fields: [status({ Done: 'Resolved' }), pair('environment', 'Microsoft.VSTS.TCM.SystemInfo')],
      createDefaults: [{ field: 'System.AreaPath', value: 'Web\\Defects' }],
    }),
    type('Task', 'Task'),
  ],
};

describe('the type map', () => {
  it('is, without one, the connection issue type alone, every issue crossing as before', () => {
    const single = { ...connection, types: [] };
    expect(typeMapOf(single)).toEqual({ types: [type('Task', '')], explicit: false });
    const any = forJiraType(single, 'Bug', TYPE_FIELD);
    expect(any.ok && any.config).toBe(single);
    expect(forRemoteItem(single, { 'System.WorkItemType': 'Epic' }, TYPE_FIELD).ok).toBe(true);
  });

  it('gives a type its own pair in place of the shared pair of the same Jira field, and adds its others', () => {
    expect(fieldsOfType(connection.fields, connection.types[0]!)).toEqual([
      pair('summary', 'System.Title'),
      status({ Done: 'Resolved' }),
      pair('environment', 'Microsoft.VSTS.TCM.SystemInfo'),
    ]);
    expect(fieldsOfType(connection.fields, connection.types[1]!)).toEqual(connection.fields);
  });

  it('makes a new remote item of the type, with the type’s defaults before the shared ones', () => {
    const bug = forType(connection, connection.types[0]!, TYPE_FIELD);
    expect(bug.jiraIssueType).toBe('Bug');
    expect(bug.createDefaults).toEqual([
      { field: 'System.WorkItemType', value: 'Bug' },
      { field: 'System.AreaPath', value: 'Web\\Defects' },
    ]);
    expect(forType(connection, connection.types[1]!, TYPE_FIELD).createDefaults).toEqual([
      { field: 'System.WorkItemType', value: 'Task' },
      { field: 'System.AreaPath', value: 'Web' },
    ]);
  });

  it('finds an issue’s type by name as Jira compares names, and says which type it leaves out', () => {
    const bug = forJiraType(connection, 'bug', TYPE_FIELD);
    expect(bug.ok && bug.config.jiraIssueType).toBe('Bug');
    expect(forJiraType(connection, 'Story', TYPE_FIELD)).toEqual({ ok: false, unmapped: 'Story' });
  });

  it('never guesses a remote item’s type: one the map does not name is left out', () => {
    const task = forRemoteItem(connection, { 'System.WorkItemType': 'Task' }, TYPE_FIELD);
    expect(task.ok && task.config.jiraIssueType).toBe('Task');
    expect(forRemoteItem(connection, { 'System.WorkItemType': 'task' }, TYPE_FIELD)).toEqual({
      ok: false,
      unmapped: 'task',
    });
    expect(forRemoteItem(connection, {}, TYPE_FIELD)).toEqual({ ok: false, unmapped: '' });
  });

  it('reads every type’s pairs for what a notification may need', () => {
    expect(allFieldsOf(connection).map((m) => m.remote)).toContain('Microsoft.VSTS.TCM.SystemInfo');
  });

  it('lets a person link only an issue and an item of paired types', () => {
    const bug = { issuetype: { name: 'Bug' } };
    expect(typeMismatch(connection, bug, { 'System.WorkItemType': 'Bug' }, TYPE_FIELD)).toBeUndefined();
    expect(typeMismatch(connection, bug, { 'System.WorkItemType': 'Task' }, TYPE_FIELD)).toBe(
      'a Bug pairs with a work item type Bug, and this item is Task',
    );
    expect(typeMismatch(connection, { issuetype: { name: 'Story' } }, {}, TYPE_FIELD)).toBe(
      "the connection's type map has no Story issue type",
    );
    // Without a type map any issue links to any item, as before.
    expect(
      typeMismatch({ ...connection, types: [] }, bug, { 'System.WorkItemType': 'Task' }, TYPE_FIELD),
    ).toBeUndefined();
  });

  it('refuses a type paired twice on either side, at the later one', () => {
    expect(typeMapProblems([type('Bug', 'Bug'), type('bug', 'Issue'), type('Story', 'Bug')])).toEqual([
      { path: ['types', 1, 'jira'], message: 'bug is in the type map already' },
      {
        path: ['types', 2, 'remote'],
        message: 'Bug is paired with Bug already: an item of it could not tell which Jira type it becomes',
      },
    ]);
  });
});
