import { planRelated } from './related-links';

describe('which related links cross', () => {
  const base = { jira: ['101', '102'], remote: ['7', '8'] };

  it('finds what each side gained and lost since they agreed', () => {
    expect(planRelated({ base, jira: ['101', '103'], remote: ['7', '8', '9'] })).toEqual({
      jiraAdded: ['103'],
      jiraRemoved: ['102'],
      remoteAdded: ['9'],
      remoteRemoved: [],
    });
  });

  it('counts a side not read as unchanged, and a pair that never agreed as starting from none', () => {
    expect(planRelated({ base, jira: undefined, remote: ['7'] })).toEqual({
      jiraAdded: [],
      jiraRemoved: [],
      remoteAdded: [],
      remoteRemoved: ['8'],
    });
    expect(planRelated({ base: undefined, jira: ['101'], remote: [] })).toEqual({
      jiraAdded: ['101'],
      jiraRemoved: [],
      remoteAdded: [],
      remoteRemoved: [],
    });
  });

  it('writes nothing while both sides hold what they agreed on', () => {
    expect(planRelated({ base, jira: ['102', '101'], remote: ['8', '7'] })).toEqual({
      jiraAdded: [],
      jiraRemoved: [],
      remoteAdded: [],
      remoteRemoved: [],
    });
  });
});
