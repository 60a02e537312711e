import { copiesOfDeleted, jiraOrigin, planComments, remoteOrigin, uncopiableEdits, type SideComment } from './comment-plan';

const j = (id: string, over: Partial<SideComment> = {}): SideComment => ({ id, text: `jira ${id}`, author: 'Mia', visibility: 'public', ...over });
const r = (id: string, over: Partial<SideComment> = {}): SideComment => ({ id, text: `sn ${id}`, author: 'beth.agent', visibility: 'public', ...over });

describe('planning comment copies', () => {
  it('copies new comments each way with attribution and visibility kept', () => {
    expect(planComments([j('1'), j('2', { visibility: 'internal' })], [r('a', { visibility: 'internal' })], 'both', 'ServiceNow', true)).toEqual([
      { from: j('1'), to: 'remote', origin: 'jira-comment-1', visibility: 'public', text: 'Mia (Jira): jira 1' },
      { from: j('2', { visibility: 'internal' }), to: 'remote', origin: 'jira-comment-2', visibility: 'internal', text: 'Mia (Jira): jira 2' },
      { from: r('a', { visibility: 'internal' }), to: 'jira', origin: 'remote-comment-a', visibility: 'internal', text: 'beth.agent (ServiceNow): sn a' },
    ]);
  });

  it('copies nothing that has already crossed, and never copies a copy back', () => {
    const jira = [j('1'), j('9', { origin: remoteOrigin('a') })];
    const remote = [r('a'), r('b', { origin: jiraOrigin('1') })];
    expect(planComments(jira, remote, 'both', 'ServiceNow', true)).toEqual([]);
  });

  it('is idempotent: applying the plan and planning again copies nothing', () => {
    const jira = [j('1'), j('2')];
    const remote = [r('a')];
    const plan = planComments(jira, remote, 'both', 'ServiceNow', true);
    const jiraAfter = [...jira, ...plan.filter((p) => p.to === 'jira').map((p, i) => j(`n${i}`, { origin: p.origin }))];
    const remoteAfter = [...remote, ...plan.filter((p) => p.to === 'remote').map((p, i) => r(`m${i}`, { origin: p.origin }))];
    expect(planComments(jiraAfter, remoteAfter, 'both', 'ServiceNow', true)).toEqual([]);
  });

  it('keeps internal Jira comments off a remote without internal notes, and honours direction', () => {
    expect(planComments([j('2', { visibility: 'internal' })], [], 'both', 'Azure DevOps', false)).toEqual([]);
    expect(planComments([j('1')], [r('a')], 'to-jira', 'ServiceNow', true).map((p) => p.to)).toEqual(['jira']);
    expect(planComments([j('1')], [r('a')], 'none', 'ServiceNow', true)).toEqual([]);
  });

  it('finds Jira edits that a remote without comment edits cannot take', () => {
    const jira = [j('1', { edited: true }), j('2', { edited: true }), j('3')];
    const remote = [r('a', { origin: jiraOrigin('1') }), r('b', { origin: jiraOrigin('3') })];
    expect(uncopiableEdits(jira, remote, false).map((c) => c.id)).toEqual(['1']);
    expect(uncopiableEdits(jira, remote, true)).toEqual([]);
  });

  it('finds copies of deleted Jira comments that the remote cannot delete', () => {
    const remote = [r('a', { origin: jiraOrigin('1') }), r('b', { origin: jiraOrigin('2') }), r('c')];
    expect(copiesOfDeleted([j('1')], remote, false).map((c) => c.id)).toEqual(['b']);
    expect(copiesOfDeleted([j('1')], remote, true)).toEqual([]);
  });
});
