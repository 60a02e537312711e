/**
 * How one pair's rich text names people and shows images, both ways, so a
 * mention and an inline screenshot cross as what they are:
 *
 * - A Jira mention is the remote person the connection's user table pairs with
 *   its account, written in the markup the remote's connector declares
 *   (`Connector.mentions`; `people` says who that is, body-references.ts finds
 *   them); a person without a pair, or a remote without such markup, reads as
 *   the display text ("@Ana Lima"), never an account id.
 * - An image is a file that crossed (content-sync.ts records each file's Jira
 *   media id and the remote's inline URL): Jira's `media` node and the remote's
 *   `<img src>` name the same pair. An image that is not such a file is left out
 *   on both sides alike (and said), never hot-linked nor fetched by its URL.
 *
 * Both sides project through the same options, so what crossed reads as equal.
 */
import { escapeHtml } from '../content/adf-to-html';
import type { BodyOptions } from '../content/conversion';
import type { Connector } from '../connectors/ports';
import type { CrossedPair } from './crossing';

/**
 * People as the remote's markup names them, for the accounts the user table pairs (body-references.ts finds them):
 * each Jira account's person there, and each person's Jira account.
 */
export interface MentionedPeople {
  personOf: ReadonlyMap<string, string>;
  accountOf: ReadonlyMap<string, string>;
}

const NOBODY: MentionedPeople = { personOf: new Map(), accountOf: new Map() };

export function bodyOptionsFor(
  connector: Pick<Connector, 'mentions' | 'imageKey'>,
  files: readonly CrossedPair[],
  people: MentionedPeople = NOBODY,
): BodyOptions {
  const markup = connector.mentions;
  const sourceKey = imageKeyOf(connector);
  const byMedia = new Map<string, string>();
  const bySource = new Map<string, string>();
  for (const f of files)
    if (f.media && f.src && f.jira && f.remote) {
      byMedia.set(f.media, f.src);
      bySource.set(sourceKey(f.src), f.media);
    }
  return {
    parse: {
      ...(markup
        ? {
            mention: {
              attribute: markup.attribute,
              accountOf: (value: string) => {
                const person = markup.personOf(value);
                return person === undefined ? undefined : people.accountOf.get(person);
              },
            },
          }
        : {}),
      image: (src) => {
        const media = bySource.get(sourceKey(src));
        return media ? { type: 'file', id: media, collection: '' } : undefined;
      },
    },
    render: {
      ...(markup
        ? {
            mention: ({ id, text }) => {
              const person = people.personOf.get(id);
              return person ? markup.markup(person, text ?? '') : undefined;
            },
          }
        : {}),
      media: (attrs) => {
        const src = typeof attrs.id === 'string' ? byMedia.get(attrs.id) : undefined;
        return src ? `<img src="${escapeHtml(src)}">` : undefined;
      },
    },
  };
}

/** What names the file an image URL shows: the connector's own rule where it has one, else `sourceKey`. */
export const imageKeyOf =
  (connector: Pick<Connector, 'imageKey'>) =>
  (src: string): string =>
    connector.imageKey?.(src) ?? sourceKey(src);

/**
 * A file URL as the same file, whatever query it carries: Azure DevOps writes `?fileName=` into an `<img>` and not
 * into its relation; Zendesk's content URL and its inline `src` differ only so.
 */
export function sourceKey(src: string): string {
  try {
    const url = new URL(src.trim());
    return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
  } catch {
    return src.trim();
  }
}
