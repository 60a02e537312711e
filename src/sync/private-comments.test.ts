/**
 * Private Jira comments (internal, or restricted to a role or group) in the crossing plan and on the panel:
 * never public on the remote, and said when they stay in Jira.
 */
import { withheldMessage } from './content-sync';
import { planComments, textHash, type CommentRules, type SideComment } from './crossing';

const rules: CommentRules = {
  direction: 'both',
  remoteHasInternal: true,
  remoteLabel: 'Remote',
  remoteCanEdit: true,
  remoteCanDelete: true,
};
const jc = (id: string, text: string, over: Partial<SideComment> = {}): SideComment => ({
  id,
  text,
  author: 'Lee Lead',
  visibility: 'public',
  byUs: false,
  ...over,
});
const restricted = (id: string, text: string) =>
  jc(id, text, { visibility: 'internal', restrictedTo: 'the role Administrators' });

it('copies a restricted comment as an internal one where the remote has internal comments', () => {
  const plan = planComments([restricted('1', 'root cause')], [], [], rules);
  expect(plan.copies.map((c) => [c.visibility, c.text])).toEqual([['internal', 'Lee Lead (Jira): root cause']]);
  expect(plan.withheld).toEqual([]);
});

it('keeps private comments in Jira where the remote has no internal comments, and names them as withheld', () => {
  const plan = planComments(
    [restricted('1', 'root cause'), jc('2', 'open'), jc('3', 'portal only', { visibility: 'internal' })],
    [],
    [],
    {
      ...rules,
      remoteHasInternal: false,
    },
  );
  expect(plan.copies.map((c) => c.from.id)).toEqual(['2']);
  expect(plan.withheld.map((c) => c.id)).toEqual(['1', '3']);
  expect(withheldMessage('Azure DevOps', plan.withheld)).toBe(
    'Not copied to Azure DevOps, which has no internal comments, so they would be public there: Jira comment 1 (restricted to the role Administrators), Jira comment 3 (internal).',
  );
});

it('withholds nothing where comments do not go to the remote', () => {
  const plan = planComments([restricted('1', 'root cause')], [], [], {
    ...rules,
    remoteHasInternal: false,
    direction: 'to-jira',
  });
  expect(plan.withheld).toEqual([]);
  expect(withheldMessage('Azure DevOps', plan.withheld)).toBeUndefined();
});

it('names at most five withheld comments and counts the rest', () => {
  const many = Array.from({ length: 7 }, (_, i) => restricted(String(i + 1), `note ${i}`));
  expect(withheldMessage('X', many)).toMatch(/Jira comment 5 \(restricted to the role Administrators\) and 2 more\.$/);
});

it('never rewrites a copy that crossed as public with a comment restricted since (defect: only remotes without internal comments were spared)', () => {
  const crossed = [{ jira: '1', remote: 'a', from: 'jira' as const, copied: textHash('the fix ships tonight') }];
  const now = restricted('1', 'the fix ships tonight, the root cause is our certificate');
  const copy: SideComment = {
    id: 'a',
    text: 'Lee Lead (Jira): the fix ships tonight',
    author: 'Crosswalk',
    visibility: 'public',
    byUs: true,
  };
  expect(planComments([now], [copy], crossed, rules).edits).toEqual([]);
  // An internal copy of it follows its edits, as before.
  const internalCopy = { ...copy, visibility: 'internal' as const };
  expect(planComments([now], [internalCopy], crossed, rules).edits).toHaveLength(1);
});
