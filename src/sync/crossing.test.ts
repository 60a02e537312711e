import { planAttachments, planComments, type CommentRules, type SideComment, type SideFile } from './crossing';

const rules: CommentRules = { direction: 'both', remoteHasInternal: true, remoteLabel: 'ServiceNow', remoteCanEdit: false, remoteCanDelete: false };
const jc = (id: string, text: string, over: Partial<SideComment> = {}): SideComment => ({ id, text, author: 'Mia Member', visibility: 'public', byUs: false, ...over });
const rc = (id: string, text: string, over: Partial<SideComment> = {}): SideComment => ({ id, text, author: 'Beth Agent', visibility: 'public', byUs: false, ...over });

describe('which comments cross', () => {
  it('copies new comments both ways, attributed by name, with visibility kept and no technical marker', () => {
    const plan = planComments([jc('1', 'hello'), jc('2', 'secret', { visibility: 'internal' })], [rc('a', 'hi back')], [], rules);
    expect(plan.copies.map((c) => [c.to, c.visibility, c.text])).toEqual([
      ['remote', 'public', 'Mia Member (Jira): hello'],
      ['remote', 'internal', 'Mia Member (Jira): secret'],
      ['jira', 'public', 'Beth Agent (ServiceNow): hi back'],
    ]);
  });

  it('never widens an internal comment where the remote has no internal comments', () => {
    expect(planComments([jc('2', 'secret', { visibility: 'internal' })], [], [], { ...rules, remoteHasInternal: false }).copies).toEqual([]);
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
      { jira: '9', remote: 'a', from: 'remote' },
      { jira: '1', remote: 'b', from: 'jira' },
    ]);
  });

  it('never echoes the integration user\'s comments back to Jira', () => {
    expect(planComments([], [rc('b', 'Crosswalk note', { byUs: true })], [], rules).copies).toEqual([]);
  });

  it('reports edits and deletes the remote cannot take, once per crossed pair', () => {
    const plan = planComments([jc('1', 'edited', { edited: true })], [rc('x', 'copy1'), rc('y', 'copy2')], [{ jira: '1', remote: 'x', from: 'jira' }, { jira: '2', remote: 'y', from: 'jira' }], rules);
    expect(plan.editsNotCopied.map((c) => c.id)).toEqual(['1']);
    expect(plan.deletesNotCopied).toEqual([{ jira: '2', remote: 'y', from: 'jira' }]);
  });

  it('honours the direction', () => {
    expect(planComments([jc('1', 'a')], [rc('b', 'b')], [], { ...rules, direction: 'to-jira' }).copies.map((c) => c.to)).toEqual(['jira']);
    expect(planComments([jc('1', 'a')], [rc('b', 'b')], [], { ...rules, direction: 'none' }).copies).toEqual([]);
  });
});

const file = (id: string, fileName: string, over: Partial<SideFile> = {}): SideFile => ({ id, fileName, contentType: 'text/plain', size: 10, byUs: false, ...over });
const fileRules = { direction: 'both' as const, maxBytes: 100, allowedTypes: [] as string[] };

describe('which files cross', () => {
  it('copies new files both ways under their own names and reports the ones over a limit or of a type not allowed', () => {
    const plan = planAttachments([file('1', 'a.log'), file('2', 'big.zip', { size: 500 })], [file('x', 'b.png', { contentType: 'image/png' })], [], { ...fileRules, allowedTypes: ['text/', 'application/zip'] });
    expect(plan.copies.map((c) => [c.to, c.from.fileName])).toEqual([['remote', 'a.log']]);
    expect(plan.skipped).toEqual(['big.zip (500 bytes) is over the 100-byte limit', 'b.png (image/png) is not an allowed type']);
  });

  it('recognises its own unrecorded upload by name and size, and never copies a recorded file again', () => {
    const plan = planAttachments([file('1', 'a.log'), file('2', 'c.log')], [file('x', 'a.log', { byUs: true })], [{ jira: '2', remote: 'deleted', from: 'jira' }], fileRules);
    expect(plan.copies).toEqual([]);
    expect(plan.recognised).toEqual([{ jira: '1', remote: 'x', from: 'jira' }]);
  });
});
