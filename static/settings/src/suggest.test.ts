import { suggestRemoteField, suggestValueMap } from './suggest';
import type { RemoteField } from './types';

const serviceNow: RemoteField[] = [
  { id: 'number', name: 'Number', kind: 'text', readOnly: true },
  { id: 'short_description', name: 'Short description', kind: 'text' },
  { id: 'description', name: 'Description', kind: 'text' },
  {
    id: 'state',
    name: 'State',
    kind: 'choice',
    values: [
      { value: '1', label: 'New' },
      { value: '2', label: 'In Progress' },
      { value: '3', label: 'On Hold' },
      { value: '6', label: 'Resolved' },
      { value: '7', label: 'Closed' },
    ],
  },
  {
    id: 'urgency',
    name: 'Urgency',
    kind: 'choice',
    values: [
      { value: '1', label: '1 - High' },
      { value: '2', label: '2 - Medium' },
      { value: '3', label: '3 - Low' },
    ],
  },
  { id: 'assigned_to', name: 'Assigned to', kind: 'user' },
  { id: 'caller_id', name: 'Caller', kind: 'user' },
];
const azureDevOps: RemoteField[] = [
  { id: 'System.Title', name: 'Title', kind: 'text' },
  {
    id: 'System.State',
    name: 'State',
    kind: 'choice',
    values: [
      { value: 'New', label: 'New' },
      { value: 'Active', label: 'Active' },
      { value: 'Resolved', label: 'Resolved' },
      { value: 'Closed', label: 'Closed' },
    ],
  },
  { id: 'System.Tags', name: 'Tags', kind: 'list' },
  { id: 'System.ChangedBy', name: 'Changed By', kind: 'user', readOnly: true },
];

describe('suggested remote fields', () => {
  it('pairs a Jira field with the field the remote calls the same thing, and says how its values cross', () => {
    expect(suggestRemoteField({ id: 'summary', name: 'Summary' }, serviceNow, new Set())).toMatchObject({
      remote: { id: 'short_description' },
      transform: 'none',
    });
    expect(suggestRemoteField({ id: 'status', name: 'Status' }, serviceNow, new Set())).toMatchObject({
      remote: { id: 'state' },
      transform: 'value-map',
    });
    expect(suggestRemoteField({ id: 'priority', name: 'Priority' }, serviceNow, new Set())).toMatchObject({
      remote: { id: 'urgency' },
      transform: 'value-map',
    });
    expect(suggestRemoteField({ id: 'assignee', name: 'Assignee' }, serviceNow, new Set())).toMatchObject({
      remote: { id: 'assigned_to' },
      transform: 'user',
    });
    expect(suggestRemoteField({ id: 'summary', name: 'Summary' }, azureDevOps, new Set())).toMatchObject({
      remote: { id: 'System.Title' },
    });
  });

  it("prefers the same name, and leaves labels' transform to the admin", () => {
    expect(suggestRemoteField({ id: 'description', name: 'Description' }, serviceNow, new Set())).toMatchObject({
      remote: { id: 'description' },
      why: 'same name',
    });
    const tags = suggestRemoteField({ id: 'labels', name: 'Labels' }, azureDevOps, new Set());
    expect(tags?.remote.id).toBe('System.Tags');
    expect(tags?.transform).toBeUndefined();
  });

  it('never suggests a field already paired, one the remote computes, or one of a kind the values cannot cross to', () => {
    expect(
      suggestRemoteField({ id: 'summary', name: 'Summary' }, serviceNow, new Set(['short_description'])),
    ).toBeUndefined();
    expect(suggestRemoteField({ id: 'reporter', name: 'Reporter' }, azureDevOps, new Set())).toBeUndefined();
    expect(
      suggestRemoteField({ id: 'status', name: 'Status' }, [{ id: 'status', name: 'Status', kind: 'user' }], new Set()),
    ).toBeUndefined();
    expect(suggestRemoteField({ id: 'customfield_10020', name: 'Sprint' }, serviceNow, new Set())).toBeUndefined();
  });
});

describe('suggested value maps', () => {
  it('maps each Jira value to the remote value of the same label, or one that means the same, each remote value once', () => {
    const states = serviceNow.find((f) => f.id === 'state')!.values!;
    expect(suggestValueMap(['To Do', 'In Progress', 'Waiting for customer', 'Done'], states)).toEqual([
      { jira: 'To Do', remote: '1' },
      { jira: 'In Progress', remote: '2' },
      { jira: 'Waiting for customer', remote: '3' },
      { jira: 'Done', remote: '7' },
    ]);
    const urgency = serviceNow.find((f) => f.id === 'urgency')!.values!;
    expect(suggestValueMap(['High', 'Medium', 'Low'], urgency)).toEqual([
      { jira: 'High', remote: '1' },
      { jira: 'Medium', remote: '2' },
      { jira: 'Low', remote: '3' },
    ]);
  });

  it('leaves values already mapped and remote values already used alone, and skips what has no match', () => {
    const states = azureDevOps.find((f) => f.id === 'System.State')!.values!;
    expect(
      suggestValueMap(['To Do', 'In Progress', 'Done', 'Blocked'], states, [{ jira: 'To Do', remote: 'New' }]),
    ).toEqual([
      { jira: 'In Progress', remote: 'Active' },
      { jira: 'Done', remote: 'Closed' },
    ]);
  });
});
