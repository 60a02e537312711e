import { planAttachments, planComments, type SideComment, type SideFile } from './crossing';
import { handLinkable, heldBack } from './hand-link';

describe('which remote items a person may link by hand', () => {
  const config = {
    id: 'demo-servicenow',
    remoteFilter: [{ field: 'category', op: '=' as const, value: 'network' }],
    linkFilter: [{ field: 'category', op: '=' as const, value: 'software' }],
  };
  const incident = (category: string) => ({ fields: { category, short_description: 'x' } });

  it('takes what the remote filter creates issues from and what the admin opened to linking, nothing else', () => {
    expect(handLinkable(config, incident('network'), undefined, '10001')).toEqual({ ok: true });
    expect(handLinkable(config, incident('software'), undefined, '10001')).toEqual({ ok: true });
    expect(handLinkable(config, incident('hr'), undefined, '10001')).toEqual({ ok: false, reason: 'outside' });
  });

  it('reads a list of values and an OR group in either filter', () => {
    const lists = {
      ...config,
      remoteFilter: [{ field: 'category', op: 'IN' as const, values: ['network', 'database'] }],
      linkFilter: [
        {
          anyOf: [
            { field: 'category', op: '=' as const, value: 'software' },
            { field: 'short_description', op: 'contains' as const, value: 'laptop' },
          ],
        },
      ],
    };
    expect(handLinkable(lists, incident('database'), undefined, '10001')).toEqual({ ok: true });
    expect(handLinkable(lists, incident('software'), undefined, '10001')).toEqual({ ok: true });
    expect(
      handLinkable(lists, { fields: { category: 'hr', short_description: 'Laptop bag' } }, undefined, '10001'),
    ).toEqual({ ok: true });
    expect(handLinkable(lists, incident('hr'), undefined, '10001')).toEqual({ ok: false, reason: 'outside' });
  });

  it('takes nothing when the connection has neither filter (a whole table is never the default)', () => {
    const bare = { ...config, remoteFilter: [], linkFilter: [] };
    expect(handLinkable(bare, incident('software'), undefined, '10001')).toEqual({ ok: false, reason: 'outside' });
  });

  it('takes the item Crosswalk made for this very issue, and refuses one made for another issue or site', () => {
    const bare = { ...config, remoteFilter: [], linkFilter: [] };
    const own = { connectionId: 'demo-servicenow', issueId: '10001' };
    expect(handLinkable(bare, incident('hr'), own, '10001')).toEqual({ ok: true });
    expect(handLinkable(config, incident('software'), own, '10002')).toEqual({
      ok: false,
      reason: 'made-for-another',
    });
    expect(
      handLinkable(config, incident('software'), { connectionId: 'ops-servicenow', issueId: '10001' }, '10001'),
    ).toEqual({ ok: false, reason: 'made-for-another' });
    expect(handLinkable(config, incident('software'), 'other-site', '10001')).toEqual({
      ok: false,
      reason: 'made-for-another',
    });
  });
});

describe('what a hand-made link holds back', () => {
  const comment = (id: string, over: Partial<SideComment> = {}): SideComment => ({
    id,
    text: `text ${id}`,
    author: 'Mia Member',
    visibility: 'public',
    byUs: false,
    ...over,
  });
  const file = (id: string, over: Partial<SideFile> = {}): SideFile => ({
    id,
    fileName: `${id}.txt`,
    contentType: 'text/plain',
    size: 10,
    byUs: false,
    ...over,
  });
  const commentRules = {
    direction: 'both' as const,
    remoteHasInternal: true,
    remoteLabel: 'ServiceNow',
    remoteCanEdit: true,
    remoteCanDelete: true,
  };
  const fileRules = { direction: 'both' as const, maxBytes: 1000, allowedTypes: [], remoteCanDelete: true };

  it("records the issue's unpaired comments and the remote's unpaired copies of ours, and nothing already paired", () => {
    const paired = { jira: 'j-paired', remote: 'r-paired', from: 'remote' as const };
    expect(
      heldBack(
        [comment('j1'), comment('j-paired')],
        [comment('r1'), comment('r-ours', { byUs: true }), comment('r-paired')],
        [paired],
      ),
    ).toEqual([
      { jira: 'j1', remote: '', from: 'jira' },
      { jira: '', remote: 'r-ours', from: 'remote' },
    ]);
  });

  it('held-back comments are never copied, edited or deleted on the remote, later syncs included', () => {
    const jira = [comment('j1'), comment('j2', { visibility: 'internal' })];
    const remote = [comment('r-ours', { byUs: true, text: 'an earlier pair’s copy' })];
    const held = heldBack(jira, remote, []);
    // A later sync: the issue's comments were edited meanwhile, and one was deleted.
    const later = planComments([comment('j1', { text: 'edited', edited: true })], remote, held, commentRules);
    expect(later.copies).toEqual([]);
    expect(later.edits).toEqual([]);
    expect(later.deletes).toEqual([]);
    // A comment made after the link crosses as usual.
    const fresh = planComments([...jira, comment('j3')], remote, held, commentRules);
    expect(fresh.copies.map((c) => [c.from.id, c.to])).toEqual([['j3', 'remote']]);
  });

  it('held-back files are never copied, and a file of ours from an earlier pair is not deleted as an orphan', () => {
    const jira = [file('j1'), file('j-ours', { byUs: true })];
    const remote = [file('r-ours', { byUs: true })];
    // Without holding back, the remote file of ours with no source in Jira reads as a crash's orphan.
    expect(planAttachments(jira, remote, [], fileRules).deletes).toEqual(
      expect.arrayContaining([expect.objectContaining({ id: 'r-ours', to: 'remote' })]),
    );
    const held = heldBack(jira, remote, []);
    const later = planAttachments([...jira, file('j2')], remote, held, fileRules);
    expect(later.deletes).toEqual([]);
    expect(later.copies.map((c) => [c.from.id, c.to])).toEqual([['j2', 'remote']]);
    // The issue's held-back file deleted later: nothing to follow on the remote, and the record can go.
    const gone = planAttachments([file('j-ours', { byUs: true })], remote, held, fileRules);
    expect(gone.deletes).toEqual([]);
    expect(gone.forgotten).toEqual([{ jira: 'j1', remote: '', from: 'jira' }]);
  });
});
