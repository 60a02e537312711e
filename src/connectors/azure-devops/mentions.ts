/**
 * How Azure DevOps marks a person in its HTML (what its editors write for an
 * @mention, in descriptions, repro steps and comments alike):
 *
 *   <a href="#" data-vss-mention="version:2.0,{identity id}">@Ana Lima</a>
 *
 * The identity id is the person's storage key, not the unique name that
 * identity fields and the connection's user table hold, so the two are
 * matched by Read Identities (IMS) and kept for the warm instance.
 */
import * as z from 'zod';
import { escapeHtml } from '../../content/adf-to-html';
import type { MentionMarkup } from '../ports';

const MENTION = /^version:\d+(?:\.\d+)?,\s*([0-9a-fA-F-]{36})\s*$/;

/** An Identity as Read Identities answers it; only what a mention needs. */
export const identityAnswer = z.object({
  value: z.array(
    z
      .object({
        id: z.string(),
        properties: z
          .object({ Account: z.object({ $value: z.string() }).loose().optional() })
          .loose()
          .optional(),
      })
      .loose()
      .nullable(),
  ),
});

export interface IdentityReader {
  /** Identities by storage key (one answer per id asked, null where none). */
  byIds(ids: readonly string[]): Promise<z.infer<typeof identityAnswer>['value']>;
  /** Identities whose display, account or unique name is `name`. */
  byName(name: string): Promise<z.infer<typeof identityAnswer>['value']>;
}

export function azureDevOpsMentions(identities: IdentityReader): MentionMarkup {
  const personOfUser = new Map<string, string>();
  const userOfPerson = new Map<string, string>();
  const learn = (person: string, account: string | undefined) => {
    if (!account) return;
    personOfUser.set(account.toLowerCase(), person.toLowerCase());
    userOfPerson.set(person.toLowerCase(), account.toLowerCase());
  };
  return {
    attribute: 'data-vss-mention',
    personOf: (value) => MENTION.exec(value)?.[1]?.toLowerCase(),
    markup: (person, text) =>
      `<a href="#" data-vss-mention="version:2.0,${escapeHtml(person)}">${escapeHtml(text)}</a>`,
    async personsOf(userIds) {
      const out = new Map<string, string>();
      for (const user of userIds) {
        const key = user.toLowerCase();
        if (!personOfUser.has(key))
          for (const found of await identities.byName(user))
            if (found?.properties?.Account?.$value.toLowerCase() === key) learn(found.id, key);
        const person = personOfUser.get(key);
        if (person) out.set(user, person);
      }
      return out;
    },
    async usersOf(persons) {
      const unknown = [...new Set(persons.map((p) => p.toLowerCase()))].filter((p) => !userOfPerson.has(p));
      if (unknown.length)
        for (const found of await identities.byIds(unknown))
          if (found) learn(found.id, found.properties?.Account?.$value);
      const out = new Map<string, string>();
      for (const person of persons) {
        const user = userOfPerson.get(person.toLowerCase());
        if (user) out.set(person, user);
      }
      return out;
    },
  };
}
