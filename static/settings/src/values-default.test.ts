/**
 * How a field pair's values cross by default, decided the same way for every
 * field: mapped when the two sides allow different values, as is when both
 * allow any value or exactly the same ones.
 */
import { valuesNeedAMap } from './suggest';

const values = (...v: string[]) => v.map((value) => ({ value, label: value }));

describe('whether a pair of fields needs a value map', () => {
  it('maps a Jira list the remote has not listed yet (a connection not saved): priority as well as status', () => {
    expect(valuesNeedAMap(['Highest', 'High', 'Medium', 'Low', 'Lowest'], undefined)).toBe(true);
    expect(valuesNeedAMap(['To Do', 'Done'], undefined)).toBe(true);
  });

  it('maps two lists that differ, and either list against free text', () => {
    expect(valuesNeedAMap(['High', 'Medium', 'Low'], values('1', '2', '3'))).toBe(true);
    expect(valuesNeedAMap(['High', 'Low'], values('High', 'Low', 'Urgent'))).toBe(true);
    expect(valuesNeedAMap(undefined, values('hardware', 'software'))).toBe(true);
  });

  it('keeps values as they are when both sides allow any value, or exactly the same ones', () => {
    expect(valuesNeedAMap(undefined, undefined)).toBe(false);
    expect(valuesNeedAMap([], [])).toBe(false);
    expect(valuesNeedAMap(['High', 'Low'], values('Low', 'High'))).toBe(false);
  });
});
