/**
 * What a run's rich bodies name that the pair does not know yet, resolved
 * before they are converted (body-options.ts then converts them alike on both
 * sides):
 *
 * - A Jira image names a file by its media id, which Jira's REST API gives only
 *   per file (jira/client.ts `mediaIdOf`): looked up for the crossed files the
 *   bodies need, once, and kept on the pair.
 * - A remote image names a file by its URL: a crossed file's URL is known from
 *   its copy; an image the remote keeps without listing it among the item's
 *   files (Azure DevOps' pasted screenshots) is copied to Jira here, from the
 *   connection's own file store only (`Connector.inlineFile`), within the
 *   connection's file size limit, and recorded in `link.images`.
 *
 *   Where only the file's own record says whose it is, the connector reads
 *   it first and answers the item's own file alone.
 *
 * A run looks up or copies at most MAX_PER_RUN files, and asks the remote
 * about at most MAX_ASKED_PER_RUN images; the rest wait for the next run, and
 * read as left out until then, alike on both sides.
 */
import * as jira from '../connectors/jira/client';
import { limitBytes } from '../connectors/byte-limit';
import type { Connector } from '../connectors/ports';
import type { AdfNode } from '../content/adf';
import type { BodyFormat } from '../content/body-format';
import type { BodyOptions, ParseOptions } from '../content/conversion';
import { parseBody } from '../content/rich';
import type { ConnectionConfig, FieldMapping } from '../mapping/connection-config';
import type { Link } from '../store/links';
import { bodyOptionsFor, imageKeyOf, type MentionedPeople } from './body-options';
import type { CrossedPair } from './crossing';

const MAX_PER_RUN = 10;
/** Images a run asks the remote about (ServiceNow reads a file's record to know it is the item's own). */
const MAX_ASKED_PER_RUN = 2 * MAX_PER_RUN;

export interface BodyReferences {
  /** The remote's format of these bodies. */
  format: BodyFormat;
  jiraDocs: readonly unknown[];
  remoteBodies: readonly unknown[];
  /** Whether these bodies may cross toward Jira (an image is then copied there). */
  toJira: boolean;
}

/**
 * A connection's rich text pairs whose bodies may name images and people: those the remote keeps as HTML (each pair
 * at its field's own format, else the item's description format); none such, all of them, at the description's.
 */
export function richPairsOf(
  config: Pick<ConnectionConfig, 'fields'>,
  descriptionFormat: BodyFormat,
): { format: BodyFormat; pairs: FieldMapping[] } {
  const rich = config.fields.filter((m) => m.transform === 'rich-text');
  const html = rich.filter((m) => (m.format ?? descriptionFormat) === 'html');
  return html.length ? { format: 'html', pairs: html } : { format: descriptionFormat, pairs: rich };
}

export async function resolveBodyReferences(
  config: ConnectionConfig,
  connector: Connector,
  link: Link,
  refs: BodyReferences,
  issueFiles?: readonly jira.JiraAttachment[],
): Promise<{ link: Link; bodies: BodyOptions }> {
  const files = [...link.attachments];
  const images = [...(link.images ?? [])];
  // Plain text names no files nor people; HTML and Markdown show images (and HTML marks people).
  if (refs.format !== 'html' && refs.format !== 'markdown') return { link, bodies: bodyOptionsFor(connector, []) };
  let budget = MAX_PER_RUN;
  const withMedia = async (i: number): Promise<string | undefined> => {
    budget--;
    const media = await jira.mediaIdOf(files[i]!.jira);
    if (media) files[i] = { ...files[i]!, media };
    return media;
  };

  // Jira's images: the crossed files they name, found by media id.
  const wanted = new Set(mediaIdsIn(refs.jiraDocs));
  for (const p of [...files, ...images]) if (p.media) wanted.delete(p.media);
  for (let i = 0; i < files.length && wanted.size && budget > 0; i++)
    if (files[i]!.src && files[i]!.jira && !files[i]!.media) {
      const media = await withMedia(i);
      if (media) wanted.delete(media);
    }

  // The remote's bodies, read once for what they name: the people their markup marks, and images no file shows yet.
  const markup = connector.mentions;
  const persons = new Set<string>();
  const sources = new Set<string>();
  const known = bodyOptionsFor(connector, [...files, ...images]).parse?.image;
  const reading: ParseOptions = {
    ...(markup
      ? {
          mention: {
            attribute: markup.attribute,
            accountOf: (value: string) => void persons.add(markup.personOf(value) ?? ''),
          },
        }
      : {}),
    // Every image no crossed file shows, relative URLs too (a ServiceNow form's own link is relative): only the
    // connector knows its own file store's URLs (`inlineFile`), and no other URL is ever fetched.
    image: (src) => {
      const file = known?.(src);
      if (!file && src) sources.add(src);
      return file;
    },
  };
  for (const body of refs.remoteBodies) parseBody(refs.format, body, reading);
  persons.delete('');
  const people = await mentionedPeople(config, connector, refs.jiraDocs, persons);

  // The remote's images: a crossed file by its URL, or a file of the remote's store shown inline only.
  let app: string | undefined;
  const keyOf = imageKeyOf(connector);
  let asked = 0;
  for (const src of sources) {
    if (budget <= 0) break;
    const key = keyOf(src);
    const crossed = files.findIndex((p) => p.src && p.jira && !p.media && keyOf(p.src) === key);
    if (crossed >= 0) {
      await withMedia(crossed);
      continue;
    }
    if (!refs.toJira || !connector.inlineFile || asked >= MAX_ASKED_PER_RUN) continue;
    asked++;
    const file = await connector.inlineFile(link.remoteId, src);
    if (!file || images.some((p) => p.remote === file.id)) continue;
    budget--;
    // A copy an earlier run made and could not record (a crash in between) is taken, not made again.
    const paired = new Set([...files, ...images].map((p) => p.jira));
    const ours = issueFiles?.filter((f) => f.fileName === file.fileName && f.authorAccountId && !paired.has(f.id));
    if (ours?.length) app ??= await jira.appAccountId();
    const orphan = ours?.find((f) => f.authorAccountId === app);
    const jiraId = orphan?.id ?? (await copyToJira(config, connector, link, file));
    if (!jiraId) continue;
    const media = await jira.mediaIdOf(jiraId);
    images.push({ jira: jiraId, remote: file.id, from: 'remote', ...(media ? { media } : {}), src });
  }
  const next: Link = { ...link, attachments: files };
  if (images.length) next.images = images;
  return { link: next, bodies: bodyOptionsFor(connector, [...files, ...images], people) };
}

/**
 * The people the bodies mention that the user table pairs, as the remote's markup names them: Jira's mentions by
 * account, the remote's by its markup's person (`persons`, as read), each matched once (a remote without mention
 * markup has none).
 */
async function mentionedPeople(
  config: ConnectionConfig,
  connector: Connector,
  jiraDocs: readonly unknown[],
  persons: ReadonlySet<string>,
): Promise<MentionedPeople | undefined> {
  const markup = connector.mentions;
  if (!markup) return undefined;
  const table = config.users.table;
  const accounts = new Set(nodesOf(jiraDocs, 'mention').map((n) => String(n.attrs?.id ?? '')));
  const paired = table.filter((row) => accounts.has(row.jiraAccountId));
  if (!paired.length && !persons.size) return undefined;
  const [personOfUser, userOfPerson] = await Promise.all([
    paired.length ? markup.personsOf(paired.map((row) => row.remoteUserId)) : new Map<string, string>(),
    persons.size ? markup.usersOf([...persons]) : new Map<string, string>(),
  ]);
  const personOf = new Map<string, string>();
  const accountOf = new Map<string, string>();
  for (const row of paired) {
    const person = personOfUser.get(row.remoteUserId);
    if (!person) continue;
    personOf.set(row.jiraAccountId, person);
    // Both ways, so what is written reads back as the same mention (the plan compares what a write would leave).
    accountOf.set(person, row.jiraAccountId);
  }
  for (const [person, user] of userOfPerson) {
    const row = table.find((r) => r.remoteUserId.toLowerCase() === user.toLowerCase());
    if (row) accountOf.set(person, row.jiraAccountId);
  }
  return { personOf, accountOf };
}

/** The image's bytes into the Jira issue, within the connection's file limit; undefined when it is not an image or too large. */
async function copyToJira(
  config: ConnectionConfig,
  connector: Connector,
  link: Link,
  file: { id: string; fileName: string },
): Promise<string | undefined> {
  const type = IMAGE_TYPES.get(file.fileName.toLowerCase().split('.').pop() ?? '');
  if (!type) return undefined;
  const source = await connector.downloadAttachment(link.remoteId, file.id);
  if (source.size > config.attachments.maxBytes) {
    await source.body.cancel();
    return undefined;
  }
  const counted = limitBytes(source.body, config.attachments.maxBytes, `Copying the image ${file.fileName}`);
  try {
    return await jira.uploadAttachment(link.issueId, file.fileName, type, counted.stream);
  } catch (e) {
    if (counted.over) return undefined;
    throw e;
  }
}

/** Image types a screenshot comes as, by extension (never SVG: it can carry script). */
const IMAGE_TYPES = new Map([
  ['png', 'image/png'],
  ['jpg', 'image/jpeg'],
  ['jpeg', 'image/jpeg'],
  ['gif', 'image/gif'],
  ['webp', 'image/webp'],
  ['bmp', 'image/bmp'],
]);

/** The nodes of a type in a set of Jira documents, in order; walks with its own stack. */
function nodesOf(docs: readonly unknown[], type: string): AdfNode[] {
  const out: AdfNode[] = [];
  const stack: AdfNode[] = docs.filter((d): d is AdfNode => Boolean(d) && typeof d === 'object').reverse();
  while (stack.length) {
    const node = stack.pop()!;
    if (node.type === type) out.push(node);
    if (Array.isArray(node.content)) for (let i = node.content.length - 1; i >= 0; i--) stack.push(node.content[i]!);
  }
  return out;
}

/** The media ids a set of Jira documents shows. */
const mediaIdsIn = (docs: readonly unknown[]): string[] =>
  nodesOf(docs, 'media')
    .map((n) => n.attrs?.id)
    .filter((id): id is string => typeof id === 'string');
