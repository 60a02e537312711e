/**
 * Every system names what its signature covers as a delivery's replay key: a
 * header outside it never makes a delivery new, a change of what is signed does.
 */
import fc from 'fast-check';
import { implementedSystems } from './registry';

describe.each(implementedSystems().map((s) => [s.label, s] as const))('%s replay key', (_label, system) => {
  it('is the same with any header added, and differs with the body', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.stringMatching(/^[a-z-]{1,20}$/), fc.array(fc.string(), { minLength: 1, maxLength: 2 })),
        fc.stringMatching(/^[a-z0-9-]{1,20}$/),
        fc.string(),
        fc.string(),
        (headers, added, body, other) => {
          const key = (h: Record<string, string[]>, b: string) =>
            system.notifications.replayKey({ headers: h, body: b });
          const withAdded = { ...headers, [`x-added-${added}`]: ['anything'] };
          return (
            key(headers, body) === key(withAdded, body) &&
            (body === other || key(headers, body) !== key(headers, other))
          );
        },
      ),
      { numRuns: 200 },
    );
  });
});
