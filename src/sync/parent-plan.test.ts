import { planParent, type ParentBase } from './parent-plan';

const agreed: ParentBase = { jira: '10001', remote: 'R1' };
const plan = (input: Partial<Parameters<typeof planParent>[0]>) =>
  planParent({ base: agreed, jira: undefined, remote: undefined, direction: 'both', startFrom: 'jira', ...input });

describe('which way a parent crosses', () => {
  it('writes nothing while both sides hold the parent they last agreed on, or were not read', () => {
    expect(plan({ jira: '10001', remote: 'R1' })).toEqual({ kind: 'none' });
    expect(plan({})).toEqual({ kind: 'none' });
  });

  it('moves the remote when Jira moved, and Jira when the remote moved', () => {
    expect(plan({ jira: '10002', remote: 'R1' })).toEqual({ kind: 'to-remote', jiraParent: '10002' });
    expect(plan({ jira: '10001', remote: 'R2' })).toEqual({ kind: 'to-jira', remoteParent: 'R2' });
    // A side this run did not read counts as unchanged.
    expect(plan({ jira: '10002' })).toEqual({ kind: 'to-remote', jiraParent: '10002' });
  });

  it('takes a parent away on the other side when it is taken away on one', () => {
    expect(plan({ jira: '', remote: 'R1' })).toEqual({ kind: 'to-remote', jiraParent: '' });
    expect(plan({ jira: '10001', remote: '' })).toEqual({ kind: 'to-jira', remoteParent: '' });
  });

  it("lets Jira's move win when both sides moved since they agreed", () => {
    expect(plan({ jira: '10002', remote: 'R3' })).toEqual({ kind: 'to-remote', jiraParent: '10002' });
  });

  it('starts a new pair from the side it was made on', () => {
    expect(plan({ base: undefined, jira: '10001', remote: '' })).toEqual({ kind: 'to-remote', jiraParent: '10001' });
    expect(plan({ base: undefined, jira: '', remote: 'R1', startFrom: 'remote' })).toEqual({
      kind: 'to-jira',
      remoteParent: 'R1',
    });
    expect(plan({ base: undefined, jira: '', remote: '' })).toEqual({ kind: 'none', base: { jira: '', remote: '' } });
  });

  it('writes one way only where the connection says, taking the other side’s move as its own', () => {
    expect(plan({ direction: 'to-jira', jira: '10002', remote: 'R1' })).toEqual({
      kind: 'none',
      base: { jira: '10002', remote: 'R1' },
    });
    expect(plan({ direction: 'to-remote', jira: '10001', remote: 'R2' })).toEqual({
      kind: 'none',
      base: { jira: '10001', remote: 'R2' },
    });
    expect(plan({ direction: 'none', jira: '10002' })).toEqual({ kind: 'none' });
  });
});
