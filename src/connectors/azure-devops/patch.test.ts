import {
  attachPatch,
  fieldPatch,
  parentIn,
  parentPatch,
  parseMarker,
  relatedIn,
  relatedPatch,
  separateMarkers,
  tagsWithMarkers,
} from './patch';

describe('work item patches', () => {
  it('guard a write with test /rev first when the caller read a revision, then set each field', () => {
    expect(fieldPatch({ 'System.Title': 'New title', 'Microsoft.VSTS.Common.Priority': '2' }, '7')).toEqual([
      { op: 'test', path: '/rev', value: 7 },
      { op: 'add', path: '/fields/System.Title', value: 'New title' },
      { op: 'add', path: '/fields/Microsoft.VSTS.Common.Priority', value: '2' },
    ]);
    expect(fieldPatch({ 'System.Title': 'x' })).toEqual([{ op: 'add', path: '/fields/System.Title', value: 'x' }]);
  });

  it('write an empty value for a cleared field and refuse a field name that is not a reference name', () => {
    expect(fieldPatch({ 'System.Description': null })).toEqual([
      { op: 'add', path: '/fields/System.Description', value: '' },
    ]);
    expect(() => fieldPatch({ '../rev': 'x' })).toThrow();
  });

  it("attach a file with a relation whose comment marks it as Crosswalk's copy", () => {
    expect(
      attachPatch(
        'https://dev.azure.com/acme/_apis/wit/attachments/abc?fileName=a.png',
        'Copied from Jira by Crosswalk',
      ),
    ).toEqual([
      {
        op: 'add',
        path: '/relations/-',
        value: {
          rel: 'AttachedFile',
          url: 'https://dev.azure.com/acme/_apis/wit/attachments/abc?fileName=a.png',
          attributes: { comment: 'Copied from Jira by Crosswalk' },
        },
      },
    ]);
  });
});

describe('the correlation marker tag', () => {
  it('is any tag with the reserved crosswalk: prefix (the correlation id, of this site or another)', () => {
    expect(parseMarker('crosswalk:ops-azure-devops:10042')).toBe('crosswalk:ops-azure-devops:10042');
    expect(parseMarker('crosswalk:1a2b3c4d:ops-azure-devops:10042')).toBe('crosswalk:1a2b3c4d:ops-azure-devops:10042');
    for (const other of ['crosswalk', 'crosswalk:', 'Crosswalk:ops:1', 'crosswalked', 'x crosswalk:1'])
      expect(parseMarker(other)).toBeUndefined();
  });

  it("is kept apart from people's tags when read, and kept on every tag write", () => {
    expect(separateMarkers('backup; crosswalk:ops-azure-devops:10042;jira')).toEqual({
      tags: ['backup', 'jira'],
      markers: ['crosswalk:ops-azure-devops:10042'],
    });
    expect(tagsWithMarkers('db; prod', ['crosswalk:ops-azure-devops:10042'])).toBe(
      'db; prod; crosswalk:ops-azure-devops:10042',
    );
    // A marker can only come from the item itself: one written into the labels is dropped.
    expect(tagsWithMarkers('db; crosswalk:other:1', [])).toBe('db');
    expect(tagsWithMarkers('', ['crosswalk:ops-azure-devops:10042'])).toBe('crosswalk:ops-azure-devops:10042');
  });
});

describe('relation patches', () => {
  const url = (id: string) => `https://dev.azure.com/acme/_apis/wit/workItems/${id}`;
  const relations = [
    { rel: 'AttachedFile', url: 'https://dev.azure.com/acme/_apis/wit/attachments/x' },
    { rel: 'System.LinkTypes.Related', url: url('7') },
    { rel: 'System.LinkTypes.Hierarchy-Reverse', url: url('3') },
    { rel: 'System.LinkTypes.Related', url: url('8') },
  ];

  it('read the parent and the related items from the relations', () => {
    expect(parentIn(relations)).toBe('3');
    expect(relatedIn(relations)).toEqual(['7', '8']);
    expect(parentIn([])).toBeUndefined();
  });

  it('move a parent in one patch under test /rev: the old link removed by its index, the new one added', () => {
    expect(parentPatch(relations, 5, '4', url('4'))).toEqual([
      { op: 'test', path: '/rev', value: 5 },
      { op: 'remove', path: '/relations/2' },
      { op: 'add', path: '/relations/-', value: { rel: 'System.LinkTypes.Hierarchy-Reverse', url: url('4') } },
    ]);
    expect(parentPatch(relations, 5, undefined, '')).toEqual([
      { op: 'test', path: '/rev', value: 5 },
      { op: 'remove', path: '/relations/2' },
    ]);
    expect(parentPatch(relations, 5, '3', url('3'))).toBeUndefined();
    expect(parentPatch([], 5, undefined, '')).toBeUndefined();
  });

  it('remove related links from the highest index down, so each index names what was read', () => {
    expect(relatedPatch(relations, 5, ['9', '7'], ['7', '8'], url)).toEqual([
      { op: 'test', path: '/rev', value: 5 },
      { op: 'remove', path: '/relations/3' },
      { op: 'remove', path: '/relations/1' },
      { op: 'add', path: '/relations/-', value: { rel: 'System.LinkTypes.Related', url: url('9') } },
    ]);
    expect(relatedPatch(relations, 5, ['7'], ['1'], url)).toBeUndefined();
  });
});
