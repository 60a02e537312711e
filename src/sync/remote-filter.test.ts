import { matchesRemoteFilter } from './remote-filter';

describe('the remote filter for creating Jira issues', () => {
  const incident = {
    category: 'network',
    short_description: 'VPN down in Berlin',
    assignment_group: { link: 'x', value: 'g1' },
  };
  it('needs every condition to hold', () => {
    expect(
      matchesRemoteFilter(incident, [
        { field: 'category', op: '=', value: 'network' },
        { field: 'short_description', op: 'LIKE', value: 'vpn' },
      ]),
    ).toBe(true);
    expect(
      matchesRemoteFilter(incident, [
        { field: 'category', op: '=', value: 'network' },
        { field: 'short_description', op: 'STARTSWITH', value: 'printer' },
      ]),
    ).toBe(false);
    expect(matchesRemoteFilter(incident, [{ field: 'assignment_group', op: '=', value: 'g1' }])).toBe(true);
    expect(matchesRemoteFilter(incident, [{ field: 'category', op: '!=', value: 'network' }])).toBe(false);
  });
  it('creates nothing when no filter is set', () => {
    expect(matchesRemoteFilter(incident, [])).toBe(false);
  });
});
