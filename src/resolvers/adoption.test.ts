import type { MatchResult } from '../adoption/match';
import { pairsToAdopt } from './adoption';

const match: MatchResult = {
  pair: [
    { issueId: '1', remoteId: 'a', rule: 0, kind: 'remote-field', needsConfirmation: false },
    { issueId: '2', remoteId: 'b', rule: 2, kind: 'title-window', needsConfirmation: true },
  ],
  create: ['3'],
  ambiguous: [{ issueId: '4', rule: 0, kind: 'remote-field', candidates: ['c', 'd'] }],
  refused: [{ remoteId: 'e', issueIds: ['5', '6'] }],
};

describe('pairsToAdopt', () => {
  it('adopts the rules’ pairs, and offered title pairs only once confirmed', () => {
    expect(pairsToAdopt(match, [])).toEqual([{ issueId: '1', remoteId: 'a', confirmed: false }]);
    expect(pairsToAdopt(match, [{ issueId: '2', remoteId: 'b' }])).toEqual([
      { issueId: '1', remoteId: 'a', confirmed: false },
      { issueId: '2', remoteId: 'b', confirmed: true },
    ]);
  });

  it('takes an ambiguous issue’s candidate and a refused item’s issue chosen by hand', () => {
    expect(
      pairsToAdopt(match, [
        { issueId: '4', remoteId: 'd' },
        { issueId: '6', remoteId: 'e' },
      ]).filter((p) => p.confirmed),
    ).toEqual([
      { issueId: '4', remoteId: 'd', confirmed: true },
      { issueId: '6', remoteId: 'e', confirmed: true },
    ]);
  });

  it('refuses what the match did not offer, and adopts an issue or item once', () => {
    const chosen = pairsToAdopt(match, [
      { issueId: '3', remoteId: 'c' },
      { issueId: '4', remoteId: 'z' },
      { issueId: '1', remoteId: 'b' },
      { issueId: '4', remoteId: 'a' },
      { issueId: '5', remoteId: 'e' },
      { issueId: '6', remoteId: 'e' },
    ]);
    expect(chosen).toEqual([
      { issueId: '1', remoteId: 'a', confirmed: false },
      { issueId: '5', remoteId: 'e', confirmed: true },
    ]);
  });
});
