import { count } from './words';

describe('counted nouns on the pages', () => {
  it('agrees the word with the number: one alone, every other number (none included) with the plural', () => {
    expect(count(1, 'sync')).toBe('1 sync');
    expect(count(0, 'sync')).toBe('0 syncs');
    expect(count(2, 'sync')).toBe('2 syncs');
  });

  it('takes an irregular plural, and a phrase whose verb agrees too', () => {
    expect(count(1, 'person has', 'people have')).toBe('1 person has');
    expect(count(4, 'person has', 'people have')).toBe('4 people have');
    expect(count(1, 'issue matches', 'issues match')).toBe('1 issue matches');
  });
});
