import { findTransitionPath, type WorkflowTransition } from './transition-path';

const t = (id: string, from: string[], to: string, name = `to ${to}`): WorkflowTransition => ({ id, name, from, to });
const workflow = [
  t('11', ['todo'], 'progress', 'Start'),
  t('21', ['progress'], 'review', 'Review'),
  t('31', ['review'], 'done', 'Approve'),
  t('41', ['done'], 'todo', 'Reopen'),
  t('51', ['progress', 'review'], 'todo', 'Stop'),
];

describe('finding a path of Jira transitions to a status', () => {
  it('needs no transition to stay where it is', () => {
    expect(findTransitionPath(workflow, 'todo', 'todo')).toEqual({ ok: true, transitions: [] });
  });

  it('takes one hop when a transition leads straight there', () => {
    expect(findTransitionPath(workflow, 'todo', 'progress')).toEqual({ ok: true, transitions: [workflow[0]] });
  });

  it('chains transitions when the target is several hops away', () => {
    const path = findTransitionPath(workflow, 'todo', 'done');
    expect(path.ok && path.transitions.map((x) => x.id)).toEqual(['11', '21', '31']);
  });

  it('finds the shortest of several paths', () => {
    const path = findTransitionPath([...workflow, t('61', ['todo'], 'review')], 'todo', 'done');
    expect(path.ok && path.transitions.map((x) => x.id)).toEqual(['61', '31']);
  });

  it('uses global transitions from any status', () => {
    const path = findTransitionPath([...workflow, t('99', [], 'cancelled', 'Cancel')], 'review', 'cancelled');
    expect(path.ok && path.transitions.map((x) => x.id)).toEqual(['99']);
  });

  it('says clearly when no path exists', () => {
    expect(findTransitionPath(workflow, 'todo', 'archived', (id) => id.toUpperCase())).toEqual({
      ok: false,
      reason: 'No workflow transition path from "TODO" to "ARCHIVED"',
    });
  });

  it('does not loop on cycles', () => {
    expect(findTransitionPath([t('1', ['a'], 'b'), t('2', ['b'], 'a')], 'a', 'c').ok).toBe(false);
  });
});
