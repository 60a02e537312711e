import {
  planAttachments,
  planComments,
  textHash,
  type CommentRules,
  type SideComment,
  type SideFile,
} from './crossing';

const rules: CommentRules = {
  direction: 'both',
  remoteHasInternal: true,
  remoteLabel: 'ServiceNow',
  remoteCanEdit: false,
  remoteCanDelete: false,
};
const jc = (id: string, text: string, over: Partial<SideComment> = {}): SideComment => ({
  id,
  text,
  author: 'Mia Member',
  visibility: 'public',
  byUs: false,
  ...over,
});
const rc = (id: string, text: string, over: Partial<SideComment> = {}): SideComment => ({
  id,
  text,
  author: 'Beth Agent',
  visibility: 'public',
  byUs: false,
  ...over,
});

describe('which comments cross', () => {
  it('copies new comments both ways, attributed by name, with visibility kept and no technical marker', () => {
    const plan = planComments(
      [jc('1', 'hello'), jc('2', 'secret', { visibility: 'internal' })],
      [rc('a', 'hi back')],
      [],
      rules,
    );
    expect(plan.copies.map((c) => [c.to, c.visibility, c.text])).toEqual([
      ['remote', 'public', 'Mia Member (Jira): hello'],
      ['remote', 'internal', 'Mia Member (Jira): secret'],
      ['jira', 'public', 'Beth Agent (ServiceNow): hi back'],
    ]);
  });

  it('never widens an internal comment where the remote has no internal comments', () => {
    expect(
      planComments([jc('2', 'secret', { visibility: 'internal' })], [], [], { ...rules, remoteHasInternal: false })
        .copies,
    ).toEqual([]);
  });

  it('does not copy again what the link records as crossed, even when the copy was deleted (defect: deleted copies came back)', () => {
    const plan = planComments([jc('1', 'hello')], [], [{ jira: '1', remote: 'gone', from: 'jira' }], rules);
    expect(plan.copies).toEqual([]);
    const back = planComments([], [rc('a', 'hi')], [{ jira: 'deleted-copy', remote: 'a', from: 'remote' }], rules);
    expect(back.copies).toEqual([]);
  });

  it('recognises its own unrecorded copies after a crash: a Jira copy by its hidden source id, a remote copy by author and exact text', () => {
    const plan = planComments(
      [jc('1', 'hello'), jc('9', 'Beth Agent (ServiceNow): hi', { byUs: true, copyOf: 'a' })],
      [rc('a', 'hi'), rc('b', 'Mia Member (Jira): hello', { byUs: true })],
      [],
      rules,
    );
    expect(plan.copies).toEqual([]);
    expect(plan.recognised).toEqual([
      { jira: '9', remote: 'a', from: 'remote', copied: textHash('hi') },
      { jira: '1', remote: 'b', from: 'jira', copied: textHash('hello') },
    ]);
  });

  it("never echoes the integration user's comments back to Jira", () => {
    expect(planComments([], [rc('b', 'Crosswalk note', { byUs: true })], [], rules).copies).toEqual([]);
  });

  it('reports edits and deletes the remote cannot take, once per crossed pair', () => {
    const plan = planComments(
      [jc('1', 'edited', { edited: true })],
      [rc('x', 'copy1'), rc('y', 'copy2')],
      [
        { jira: '1', remote: 'x', from: 'jira' },
        { jira: '2', remote: 'y', from: 'jira' },
      ],
      rules,
    );
    expect(plan.editsNotCopied.map((c) => c.id)).toEqual(['1']);
    expect(plan.deletesNotCopied).toEqual([{ jira: '2', remote: 'y', from: 'jira' }]);
  });

  it('tells, never writes, an edit of a copy the remote does not let be edited (a Freshservice reply), and follows the rest', () => {
    const plan = planComments(
      [
        jc('1', 'public edited', { edited: true }),
        jc('2', 'internal edited', { edited: true, visibility: 'internal' }),
      ],
      [rc('x', 'copy1'), rc('y', 'copy2', { visibility: 'internal' })],
      [
        { jira: '1', remote: 'x', from: 'jira', copied: 'before' },
        { jira: '2', remote: 'y', from: 'jira', copied: 'before' },
      ],
      { ...rules, remoteHasInternal: true, remoteCanEdit: true, remoteEditable: ['internal'] },
    );
    expect(plan.editsNotCopied.map((c) => c.id)).toEqual(['1']);
    expect(plan.edits.map((e) => e.id)).toEqual(['y']);
  });

  it('keeps ServiceNow-like remotes (no edits, no deletes) as they were: notices only, no edits or deletes of remote copies', () => {
    const plan = planComments(
      [jc('1', 'edited', { edited: true })],
      [rc('x', 'copy1')],
      [
        { jira: '1', remote: 'x', from: 'jira', copied: textHash('before') },
        { jira: '2', remote: 'y', from: 'jira' },
      ],
      rules,
    );
    expect(plan.edits).toEqual([]);
    expect(plan.deletes).toEqual([]);
    expect(plan.baselines).toEqual([]);
  });

  it("never deletes or rewrites Jira copies of remote comments that cannot change: one missing from the list is not deleted (defect: a Zendesk follow-up ticket lacks the closed ticket's comments)", () => {
    const jiraSide = [
      jc('9', 'Beth Agent (Zendesk): hi', { byUs: true, copyOf: 'a' }),
      jc('8', 'Beth Agent (Zendesk): hello', { byUs: true, copyOf: 'b' }),
    ];
    const plan = planComments(
      jiraSide,
      [rc('b', 'hello, rendered anew')],
      [
        { jira: '9', remote: 'a', from: 'remote', copied: textHash('hi') },
        { jira: '8', remote: 'b', from: 'remote', copied: textHash('hello') },
      ],
      { ...rules, remoteLabel: 'Zendesk' },
    );
    expect(plan.edits).toEqual([]);
    expect(plan.deletes).toEqual([]);
    expect(plan.baselines).toEqual([]);
  });

  it('records every new copy and every recognised copy with the hash of the source text it carries', () => {
    const plan = planComments(
      [jc('1', 'hello'), jc('9', 'Beth Agent (ServiceNow): hi', { byUs: true, copyOf: 'a' })],
      [rc('a', 'hi'), rc('b', 'new one')],
      [],
      rules,
    );
    expect(plan.copies.map((c) => c.hash)).toEqual([textHash('hello'), textHash('new one')]);
    expect(plan.recognised).toEqual([{ jira: '9', remote: 'a', from: 'remote', copied: textHash('hi') }]);
    expect(textHash('a  b\n')).toBe(textHash('a b'));
  });
});

describe('edits and deletes of crossed comments', () => {
  const editable: CommentRules = {
    ...rules,
    remoteLabel: 'Azure DevOps',
    remoteHasInternal: false,
    remoteCanEdit: true,
    remoteCanDelete: true,
  };
  const pair = (jira: string, remote: string, from: 'jira' | 'remote', text?: string) => ({
    jira,
    remote,
    from,
    ...(text === undefined ? {} : { copied: textHash(text) }),
  });

  it('rewrites the remote copy once when its Jira source is edited, attributed as a copy is', () => {
    const jiraSide = [jc('1', 'hello again', { edited: true })];
    const remoteSide = [rc('x', 'Mia Member (Jira): hello', { byUs: true })];
    const plan = planComments(jiraSide, remoteSide, [pair('1', 'x', 'jira', 'hello')], editable);
    expect(plan.edits).toEqual([
      {
        pair: pair('1', 'x', 'jira', 'hello'),
        to: 'remote',
        id: 'x',
        from: jiraSide[0],
        text: 'Mia Member (Jira): hello again',
        hash: textHash('hello again'),
        write: true,
      },
    ]);
    expect(plan.copies).toEqual([]);
    expect(plan.editsNotCopied).toEqual([]);
    // Recorded: nothing more to do.
    expect(
      planComments(
        jiraSide,
        [rc('x', 'Mia Member (Jira): hello again', { byUs: true })],
        [pair('1', 'x', 'jira', 'hello again')],
        editable,
      ).edits,
    ).toEqual([]);
  });

  it('rewrites the Jira copy when the remote source is edited, and never follows an edit of a copy back to its source (no echo)', () => {
    const plan = planComments(
      [jc('9', 'Beth Agent (Azure DevOps): hi', { byUs: true, copyOf: 'a' })],
      [rc('a', 'hi, fixed')],
      [pair('9', 'a', 'remote', 'hi')],
      editable,
    );
    expect(plan.edits.map((e) => [e.to, e.id, e.text])).toEqual([
      ['jira', '9', 'Beth Agent (Azure DevOps): hi, fixed'],
    ]);
    // Someone edits the copy (or Crosswalk just did): the source did not change, so nothing moves either way.
    const copyEdited = planComments(
      [jc('9', 'Beth Agent (Azure DevOps): hi, really', { byUs: true, copyOf: 'a', edited: true })],
      [rc('a', 'hi')],
      [pair('9', 'a', 'remote', 'hi')],
      editable,
    );
    expect([copyEdited.edits, copyEdited.copies, copyEdited.deletes]).toEqual([[], [], []]);
    const remoteCopyEdited = planComments(
      [jc('1', 'hello')],
      [rc('x', 'Mia Member (Jira): hello, changed by someone', { byUs: true })],
      [pair('1', 'x', 'jira', 'hello')],
      editable,
    );
    expect([remoteCopyEdited.edits, remoteCopyEdited.copies]).toEqual([[], []]);
  });

  it('only records the edit when the copy already says it (written before a crash)', () => {
    const plan = planComments(
      [jc('1', 'hello again')],
      [rc('x', 'Mia Member (Jira):  hello again', { byUs: true })],
      [pair('1', 'x', 'jira', 'hello')],
      editable,
    );
    expect(plan.edits.map((e) => e.write)).toEqual([false]);
  });

  it('deletes a copy whose source was deleted, on either side, and does nothing for a copy already gone', () => {
    const plan = planComments(
      [jc('9', 'copy of a', { byUs: true, copyOf: 'a' })],
      [rc('x', 'Mia Member (Jira): hello', { byUs: true })],
      [pair('1', 'x', 'jira', 'hello'), pair('9', 'a', 'remote', 'a')],
      editable,
    );
    expect(plan.deletes).toEqual([
      { pair: pair('1', 'x', 'jira', 'hello'), to: 'remote', id: 'x' },
      { pair: pair('9', 'a', 'remote', 'a'), to: 'jira', id: '9' },
    ]);
    expect(plan.deletesNotCopied).toEqual([]);
    const gone = planComments([], [], [pair('1', 'x', 'jira', 'hello'), pair('9', 'a', 'remote', 'a')], editable);
    expect([gone.deletes, gone.copies]).toEqual([[], []]);
    // A Jira copy someone deleted stays deleted even when its source changes later.
    expect(planComments([], [rc('a', 'changed')], [pair('9', 'a', 'remote', 'a')], editable)).toMatchObject({
      copies: [],
      edits: [],
      deletes: [],
    });
  });

  it('takes pairs crossed before edits were followed as carrying their source as it is now (no write)', () => {
    const plan = planComments(
      [jc('1', 'hello', { edited: true })],
      [rc('x', 'Mia Member (Jira): hello', { byUs: true }), rc('a', 'hi')],
      [pair('1', 'x', 'jira'), pair('9', 'a', 'remote')],
      { ...editable },
    );
    expect(plan.edits).toEqual([]);
    expect(plan.baselines).toEqual([pair('1', 'x', 'jira', 'hello')]);
    const withCopy = planComments(
      [jc('9', 'Beth Agent (Azure DevOps): hi', { byUs: true, copyOf: 'a' })],
      [rc('a', 'hi')],
      [pair('9', 'a', 'remote')],
      editable,
    );
    expect(withCopy.baselines).toEqual([pair('9', 'a', 'remote', 'hi')]);
  });

  it('follows an edit of formatting alone where the remote keeps rich comments (the projection changed, not the text)', () => {
    const bold = jc('1', 'hello', { rich: '<p><strong>hello</strong></p>', edited: true });
    const crossed = [{ jira: '1', remote: 'x', from: 'jira' as const, copied: textHash('<p>hello</p>') }];
    const plan = planComments([bold], [rc('x', 'Mia Member (Jira): hello', { byUs: true })], crossed, editable);
    expect(plan.edits).toEqual([expect.objectContaining({ id: 'x', hash: textHash(bold.rich!), write: true })]);
  });

  it('takes a pair recorded by its text before rich comments as carrying its unchanged source (no write)', () => {
    const source = jc('1', 'hello', { rich: '<p>hello</p>' });
    const crossed = [{ jira: '1', remote: 'x', from: 'jira' as const, copied: textHash('hello') }];
    const plan = planComments([source], [rc('x', 'Mia Member (Jira): hello', { byUs: true })], crossed, editable);
    expect(plan.edits).toEqual([]);
    expect(plan.baselines).toEqual([{ ...crossed[0], copied: textHash('<p>hello</p>') }]);
  });

  it('honours the direction, and never rewrites a public copy with a Jira comment made internal since', () => {
    const jiraSide = [jc('1', 'now secret', { visibility: 'internal', edited: true })];
    const remoteSide = [rc('x', 'Mia Member (Jira): hello', { byUs: true })];
    expect(planComments(jiraSide, remoteSide, [pair('1', 'x', 'jira', 'hello')], editable).edits).toEqual([]);
    expect(
      planComments([jc('1', 'changed')], remoteSide, [pair('1', 'x', 'jira', 'hello')], {
        ...editable,
        direction: 'to-jira',
      }).edits,
    ).toEqual([]);
    expect(
      planComments([], remoteSide, [pair('1', 'x', 'jira', 'hello')], { ...editable, direction: 'to-jira' }).deletes,
    ).toEqual([]);
    expect(
      planComments([], [rc('a', 'changed')], [pair('9', 'a', 'remote', 'a')], { ...editable, direction: 'to-remote' })
        .edits,
    ).toEqual([]);
  });
});

describe('direction of new copies', () => {
  it('honours the direction', () => {
    expect(
      planComments([jc('1', 'a')], [rc('b', 'b')], [], { ...rules, direction: 'to-jira' }).copies.map((c) => c.to),
    ).toEqual(['jira']);
    expect(planComments([jc('1', 'a')], [rc('b', 'b')], [], { ...rules, direction: 'none' }).copies).toEqual([]);
  });
});

const file = (id: string, fileName: string, over: Partial<SideFile> = {}): SideFile => ({
  id,
  fileName,
  contentType: 'text/plain',
  size: 10,
  byUs: false,
  ...over,
});
const fileRules = { direction: 'both' as const, maxBytes: 100, allowedTypes: [] as string[], remoteCanDelete: true };

describe('which files cross', () => {
  it('copies new files both ways under their own names and reports the ones over a limit or of a type not allowed', () => {
    const plan = planAttachments(
      [file('1', 'a.log'), file('2', 'big.zip', { size: 500 })],
      [file('x', 'b.png', { contentType: 'image/png' })],
      [],
      { ...fileRules, allowedTypes: ['text/', 'application/zip'] },
    );
    expect(plan.copies.map((c) => [c.to, c.from.fileName])).toEqual([['remote', 'a.log']]);
    expect(plan.skipped).toEqual([
      'big.zip (500 bytes) is over the 100-byte limit',
      'b.png (image/png) is not an allowed type',
    ]);
  });

  it('recognises its own unrecorded upload by name and size, and never copies a recorded file again', () => {
    const plan = planAttachments(
      [file('1', 'a.log'), file('2', 'c.log')],
      [file('x', 'a.log', { byUs: true })],
      [{ jira: '2', remote: 'deleted', from: 'jira' }],
      fileRules,
    );
    expect(plan.copies).toEqual([]);
    expect(plan.recognised).toEqual([{ jira: '1', remote: 'x', from: 'jira' }]);
  });

  it('uploads nothing to a remote that takes no files (GitHub): Jira files stay in Jira, and its own files still come to Jira', () => {
    const plan = planAttachments([file('1', 'a.log')], [file('x', 'screenshot.png')], [], {
      ...fileRules,
      remoteTakesFiles: false,
    });
    expect(plan.copies.map((c) => [c.to, c.from.fileName])).toEqual([['jira', 'screenshot.png']]);
    expect(plan.stayInJira.map((f) => f.fileName)).toEqual(['a.log']);
    expect(plan.skipped).toEqual([]);
  });
});

describe('which file deletions cross', () => {
  const fromJira = { jira: '1', remote: 'x', from: 'jira' as const };
  const fromRemote = { jira: '2', remote: 'y', from: 'remote' as const };

  it('deletes the copy of a source deleted on either side, and copies nothing again', () => {
    const jiraGone = planAttachments(
      [file('2', 'b.log', { byUs: true })],
      [file('x', 'a.log', { byUs: true }), file('y', 'b.log')],
      [fromJira, fromRemote],
      fileRules,
    );
    expect(jiraGone.deletes).toEqual([{ to: 'remote', id: 'x', fileName: 'a.log' }]);
    expect(jiraGone.copies).toEqual([]);
    const remoteGone = planAttachments(
      [file('1', 'a.log'), file('2', 'b.log', { byUs: true })],
      [file('x', 'a.log', { byUs: true })],
      [fromJira, fromRemote],
      fileRules,
    );
    expect(remoteGone.deletes).toEqual([{ to: 'jira', id: '2', fileName: 'b.log' }]);
    expect(remoteGone.copies).toEqual([]);
  });

  it('keeps the source of a deleted copy, and does not copy it again', () => {
    const plan = planAttachments([file('1', 'a.log')], [file('y', 'b.log')], [fromJira, fromRemote], fileRules);
    expect(plan.deletes).toEqual([]);
    expect(plan.copies).toEqual([]);
    expect(plan.forgotten).toEqual([]);
  });

  it('forgets a pair only once both halves are gone', () => {
    const plan = planAttachments([], [], [fromJira, fromRemote], fileRules);
    expect(plan.forgotten).toEqual([fromJira, fromRemote]);
    expect(plan.deletes).toEqual([]);
  });

  it('deletes its own unrecorded copy whose source was deleted before the copy was recorded (a crash in between)', () => {
    const plan = planAttachments([], [file('x', 'a.log', { byUs: true })], [], fileRules);
    expect(plan.deletes).toEqual([{ to: 'remote', id: 'x', fileName: 'a.log' }]);
    expect(plan.recognised).toEqual([]);
  });

  it('follows deletions only in the directions files cross', () => {
    const plan = planAttachments(
      [file('2', 'b.log', { byUs: true })],
      [file('x', 'a.log', { byUs: true })],
      [fromJira, fromRemote],
      { ...fileRules, direction: 'to-jira' },
    );
    expect(plan.deletes).toEqual([{ to: 'jira', id: '2', fileName: 'b.log' }]);
  });

  it('on a remote that cannot delete files, reports a deleted Jira source and never reads a missing remote file as deleted', () => {
    const rules = { ...fileRules, remoteCanDelete: false };
    const plan = planAttachments(
      [file('2', 'b.log', { byUs: true })],
      [file('x', 'a.log', { byUs: true })],
      [fromJira, fromRemote],
      rules,
    );
    expect(plan.deletes).toEqual([]);
    expect(plan.deletesNotCopied).toEqual([{ pair: fromJira, fileName: 'a.log' }]);
    expect(plan.forgotten).toEqual([]);
    expect(planAttachments([], [file('x', 'a.log', { byUs: true })], [], rules).deletes).toEqual([]);
  });
});
