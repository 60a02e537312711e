/**
 * A GitHub label with spaces reads in Jira with underscores (Jira labels have no spaces); written back, it is the
 * repository's own label again, never a new one.
 */
import { mayStandForSpacedLabel, repositoryLabelNames } from './labels';

const REPOSITORY = ['bug', 'good first issue', 'help wanted', 'needs_triage'];

describe('labels written to GitHub', () => {
  it('are the repository labels with spaces that a Jira form stands for', () => {
    expect(repositoryLabelNames(['good_first_issue', 'Help_Wanted', 'bug'], REPOSITORY)).toEqual([
      'good first issue',
      'help wanted',
      'bug',
    ]);
  });

  it('keep a label whose own name has underscores, and a new name as given', () => {
    expect(repositoryLabelNames(['needs_triage', 'brand_new'], REPOSITORY)).toEqual(['needs_triage', 'brand_new']);
  });

  it('need the repository read only when a name has an underscore', () => {
    expect(mayStandForSpacedLabel(['bug', 'ui'])).toBe(false);
    expect(mayStandForSpacedLabel(['bug', 'good_first_issue'])).toBe(true);
  });
});
