/**
 * Executing the comment and file crossings for one pair: read both lists,
 * plan (crossing.ts), copy, follow edits and deletes from sources to their
 * copies, and return the link with every pair recorded.
 */
import { SyncError } from '../connectors/errors';
import * as jira from '../connectors/jira/client';
import type { Connector } from '../connectors/ports';
import { systemFor } from '../connectors/registry';
import { limitBytes, type LimitedStream } from '../connectors/byte-limit';
import { bodyFromText, textFromBody } from '../content/formats';
import { textToAdf } from '../content/text-to-adf';
import type { AdfDoc } from '../content/adf';
import type { BodyFormat } from '../content/body-format';
import { parseBody, prefixed, projectionOf, renderBody, type BodyOptions, type Rendered } from '../content/rich';
import type { ConnectionConfig } from '../mapping/connection-config';
import type { Link } from '../store/links';
import {
  planAttachments,
  planComments,
  type CommentCrossing,
  type CrossedPair,
  type FileCrossing,
  type SideComment,
  type SideFile,
} from './crossing';
import { heldBack } from './hand-link';
import { bodyOptionsFor } from './body-options';
import { resolveBodyReferences } from './body-references';

const MAX_NOTICES = 10;

/** How a pair's comment bodies are read and written, given what they hold (body-references.ts resolves it). */
export type BodiesFor = (bodies: {
  jiraDocs: readonly unknown[];
  remoteBodies: readonly unknown[];
}) => Promise<BodyOptions>;

/**
 * Both comment lists read and planned (crossing.ts) for a pair; without a
 * remote item yet (the settings page's preview of a create), the remote list
 * is empty. Shared by the sync and the preview, so both read a pair alike.
 */
export async function planCommentCrossing(
  config: ConnectionConfig,
  connector: Connector,
  issueId: string | undefined,
  remoteId: string | undefined,
  crossed: readonly CrossedPair[],
  bodiesFor: BodiesFor = async () => bodyOptionsFor(connector, []),
): Promise<{ plan: CommentCrossing; jira: SideComment[]; remote: SideComment[]; bodies: BodyOptions }> {
  const system = systemFor(config.remote.type);
  const [jiraComments, remoteComments] = await Promise.all([
    issueId ? jira.listComments(issueId) : Promise.resolve([]),
    remoteId ? connector.listComments(remoteId) : Promise.resolve([]),
  ]);
  const format = connector.capabilities.commentFormat;
  const bodies = await bodiesFor({
    jiraDocs: jiraComments.map((c) => c.body),
    remoteBodies: remoteComments.map((c) => c.body),
  });
  const jiraSide: SideComment[] = jiraComments.map((c) => ({
    id: c.id,
    text: textFromBody('adf', c.body),
    ...richOf(format, c.body as AdfDoc, bodies),
    author: c.authorName,
    visibility: c.internal ? 'internal' : 'public',
    byUs: Boolean(c.copyOf),
    ...(c.copyOf ? { copyOf: c.copyOf } : {}),
    ...(c.restrictedTo ? { restrictedTo: c.restrictedTo } : {}),
    edited: c.updatedAt > c.createdAt,
  }));
  const remoteSide: SideComment[] = remoteComments.map((c) => ({
    id: c.id,
    text: textFromBody(c.format ?? format, c.body),
    ...richOfRemote(c.format ?? format, c.body, bodies),
    author: c.author.displayName,
    visibility: c.visibility,
    byUs: Boolean(connector.ownAuthorId && c.author.id === connector.ownAuthorId),
  }));
  const plan = planComments(jiraSide, remoteSide, crossed, {
    direction: config.comments.direction,
    remoteHasInternal: connector.capabilities.commentVisibilities.includes('internal'),
    remoteLabel: system?.label ?? config.remote.type,
    remoteCanEdit: connector.capabilities.commentEdit && Boolean(connector.updateComment),
    ...(connector.capabilities.commentEditVisibilities
      ? { remoteEditable: connector.capabilities.commentEditVisibilities }
      : {}),
    remoteCanDelete: connector.capabilities.commentDelete && Boolean(connector.deleteComment),
  });
  return { plan, jira: jiraSide, remote: remoteSide, bodies };
}

/**
 * Where the remote keeps rich comments (not plain text), a comment's content and its projection there: copies are
 * written from the content, and compared by the projection.
 */
function richOf(format: BodyFormat, doc: AdfDoc, bodies: BodyOptions): Pick<SideComment, 'rich' | 'doc'> {
  if (format === 'text') return {};
  return { doc, rich: projectionOf(format, doc, bodies).body };
}

/** A remote comment's content and projection, read at its own format (plain text read as before). */
function richOfRemote(format: BodyFormat, body: unknown, bodies: BodyOptions): Pick<SideComment, 'rich' | 'doc'> {
  return format === 'text' ? {} : richOf(format, parseBody(format, body, bodies.parse).doc, bodies);
}

/**
 * A copy's body on the remote: its source's content, attributed, in the remote's format (plain text as before), and
 * what the format could not hold of it.
 */
function remoteBody(format: BodyFormat, source: SideComment, attributedText: string, bodies: BodyOptions): Rendered {
  if (!source.doc || format === 'text') return { body: bodyFromText(format, attributedText), simplified: [] };
  return renderBody(format, prefixed(source.doc, `${source.author} (Jira): `), bodies.render);
}

/** A copy's document in Jira: the remote comment's content, attributed (plain text read as before). */
function jiraBody(source: SideComment, label: string, attributedText: string): AdfDoc {
  if (!source.doc) return textToAdf(attributedText);
  return prefixed(source.doc, `${source.author} (${label}): `);
}

/** At most this many withheld comments are named on the panel; the rest are counted. */
const MAX_NAMED = 5;

/** What the issue panel says of Jira comments that stay in Jira because the remote has no internal comments. */
export function withheldMessage(remoteLabel: string, withheld: readonly SideComment[]): string | undefined {
  if (!withheld.length) return undefined;
  const named = withheld
    .slice(0, MAX_NAMED)
    .map((c) => `Jira comment ${c.id} (${c.restrictedTo ? `restricted to ${c.restrictedTo}` : 'internal'})`);
  const more = withheld.length > MAX_NAMED ? ` and ${withheld.length - MAX_NAMED} more` : '';
  return `Not copied to ${remoteLabel}, which has no internal comments, so they would be public there: ${named.join(', ')}${more}.`;
}

/**
 * Copies the pair's comments both ways. `withheld` says which private Jira comments stayed in Jira (the remote
 * cannot keep them internal), for the issue panel; undefined when none did.
 *
 * `holdBack`: the first sync of a link a person made by hand (hand-link.ts):
 * called with the connection's rules toward Jira only, it then records every
 * comment still unpaired as crossed without a copy, so what the issue held
 * before the link stays in Jira.
 */
export async function syncComments(
  config: ConnectionConfig,
  connector: Connector,
  link: Link,
  holdBack = false,
): Promise<{ link: Link; copied: number; withheld?: string }> {
  if (config.comments.direction === 'none' && !holdBack) return { link, copied: 0 };
  const system = systemFor(config.remote.type);
  const {
    plan,
    jira: jiraSide,
    remote: remoteSide,
    bodies,
  } = await planCommentCrossing(config, connector, link.issueId, link.remoteId, link.comments, async (held) => {
    // Images in comments are resolved as in descriptions; what that learns or copies is kept on the link.
    const resolved = await resolveBodyReferences(config, connector, link, {
      format: connector.capabilities.commentFormat,
      ...held,
      toJira: config.comments.direction === 'both' || config.comments.direction === 'to-jira',
    });
    link = resolved.link;
    return resolved.bodies;
  });
  const same = (a: CrossedPair, b: CrossedPair) => a.jira === b.jira && a.remote === b.remote;
  const recorded = (p: CrossedPair) => plan.baselines.find((b) => same(b, p)) ?? p;
  const crossed = [...link.comments.map(recorded), ...plan.recognised];
  const label = system?.label ?? config.remote.type;
  /** Jira comments whose copy the remote's format simplified, and how. */
  const simplified: string[] = [];
  const toRemote = (source: SideComment, text: string): string => {
    const rendered = remoteBody(connector.capabilities.commentFormat, source, text, bodies);
    if (rendered.simplified.length)
      simplified.push(`Jira comment ${source.id} was simplified in ${label}: ${rendered.simplified.join(', ')}.`);
    return rendered.body;
  };
  for (const copy of plan.copies) {
    if (copy.to === 'remote') {
      const written = await connector.addComment(link.remoteId, {
        body: toRemote(copy.from, copy.text),
        visibility: copy.visibility,
      });
      crossed.push({ jira: copy.from.id, remote: written.id, from: 'jira', copied: copy.hash });
    } else {
      const id = await jira.addComment(
        link.issueId,
        jiraBody(copy.from, system?.label ?? config.remote.type, copy.text),
        copy.visibility === 'internal',
        copy.from.id,
      );
      crossed.push({ jira: id, remote: copy.from.id, from: 'remote', copied: copy.hash });
    }
  }
  // Each edit is recorded once written: a crash after the write finds the copy already saying it, and only records it.
  for (const edit of plan.edits) {
    if (edit.write && edit.to === 'remote') {
      // A copy someone deleted meanwhile has nothing left to rewrite.
      const written = await connector.updateComment!(link.remoteId, edit.id, toRemote(edit.from, edit.text)).catch(
        (e: unknown) => (e instanceof SyncError && e.kind === 'not-found' ? undefined : Promise.reject(e)),
      );
      void written;
    }
    if (edit.write && edit.to === 'jira')
      await jira.updateComment(
        link.issueId,
        edit.id,
        jiraBody(edit.from, system?.label ?? config.remote.type, edit.text),
      );
    const i = crossed.findIndex((p) => same(p, edit.pair));
    crossed[i] = { ...crossed[i]!, copied: edit.hash };
  }
  for (const gone of plan.deletes) {
    if (gone.to === 'remote') await connector.deleteComment!(link.remoteId, gone.id);
    else await jira.deleteComment(link.issueId, gone.id);
  }
  const notices = [
    ...simplified,
    ...plan.editsNotCopied.map(
      (c) =>
        `The edit to Jira comment ${c.id} was not copied: ${system?.texts.commentEditRefused ?? 'the remote cannot change comments'}.`,
    ),
    ...plan.deletesNotCopied.map(
      (p) =>
        `Jira comment ${p.jira} was deleted; its copy stays: ${system?.texts.commentDeleteRefused ?? 'the remote cannot delete comments'}.`,
    ),
  ];
  const fresh = notices.filter((n) => !(link.notices ?? []).includes(n));
  if (holdBack) crossed.push(...heldBack(jiraSide, remoteSide, crossed));
  const next: Link = { ...link, comments: crossed };
  if (fresh.length) next.notices = [...(link.notices ?? []), ...fresh].slice(-MAX_NOTICES);
  const withheld = withheldMessage(system?.label ?? config.remote.type, plan.withheld);
  return {
    link: next,
    copied: plan.copies.length + plan.edits.filter((e) => e.write).length + plan.deletes.length,
    ...(withheld ? { withheld } : {}),
  };
}

/**
 * Both file lists read and planned (crossing.ts) for a pair, as syncComments
 * does for comments; undefined when the issue was read without its
 * attachment field, which says nothing about files.
 */
export async function planFileCrossing(
  config: ConnectionConfig,
  connector: Connector,
  issue: jira.JiraIssue | undefined,
  remoteId: string | undefined,
  crossed: readonly CrossedPair[],
  images?: readonly CrossedPair[],
): Promise<(FileCrossing & { jira: SideFile[]; remote: SideFile[] }) | undefined> {
  const listed = issue ? jira.attachmentsOf(issue) : [];
  if (!listed) return undefined;
  // Images copied to stand inline in a body (body-references.ts) are the body's, not files to cross.
  const inline = new Set((images ?? []).map((p) => p.jira));
  const jiraFiles = listed.filter((f) => !inline.has(f.id));
  const remoteFiles = remoteId ? await connector.listAttachments(remoteId) : [];
  // Only when an app-made file is not yet accounted for do we need to know which account is ours.
  const pairedJira = new Set(crossed.map((p) => p.jira));
  const app = jiraFiles.some((f) => !pairedJira.has(f.id) && f.authorAccountId) ? await jira.appAccountId() : undefined;
  const jiraSide: SideFile[] = jiraFiles.map((f) => ({
    id: f.id,
    fileName: f.fileName,
    contentType: f.contentType,
    size: f.size,
    byUs: Boolean(app && f.authorAccountId === app),
  }));
  const remoteSide: SideFile[] = remoteFiles.map((f) => ({
    id: f.id,
    fileName: f.fileName,
    contentType: f.contentType,
    size: f.size,
    byUs: Boolean(connector.ownAuthorId && f.authorId === connector.ownAuthorId),
    ...(f.url ? { url: f.url } : {}),
  }));
  const remoteCanDelete = connector.capabilities.attachments.delete && Boolean(connector.deleteAttachment);
  const plan = planAttachments(jiraSide, remoteSide, crossed, {
    ...config.attachments,
    remoteCanDelete,
    remoteTakesFiles: connector.capabilities.attachments.upload,
    ...(connector.capabilities.attachments.maxBytes
      ? { remoteMaxBytes: connector.capabilities.attachments.maxBytes }
      : {}),
  });
  return { ...plan, jira: jiraSide, remote: remoteSide };
}

/** `holdBack` as for comments. */
export async function syncAttachments(
  config: ConnectionConfig,
  connector: Connector,
  link: Link,
  issue: jira.JiraIssue,
  holdBack = false,
): Promise<{ link: Link; copied: number; skipped: string[]; wroteRemote: boolean }> {
  if (config.attachments.direction === 'none' && !holdBack) return { link, copied: 0, skipped: [], wroteRemote: false };
  const planned = await planFileCrossing(config, connector, issue, link.remoteId, link.attachments, link.images);
  // A read without the attachment field says nothing about files: never plan from it (it would look like deletions).
  if (!planned) return { link, copied: 0, skipped: [], wroteRemote: false };
  // A copy of ours that no pair names reads as a crash's orphan (crossing.ts); on a hand-made link it is older than
  // the pair (an earlier link's), so the first sync deletes nothing and holds it back instead.
  const plan = holdBack ? { ...planned, deletes: [] } : planned;
  const crossed = [...link.attachments.filter((p) => !plan.forgotten.includes(p)), ...plan.recognised];
  const skipped = [...plan.skipped];
  for (const copy of plan.copies) {
    // The plan judged the size the source declared; the bytes themselves are counted on the way and stop past the limit.
    const counted: { stream?: LimitedStream } = {};
    const limited = (body: ReadableStream<Uint8Array>) =>
      (counted.stream = limitBytes(body, copy.limit, `Copying ${copy.from.fileName}`)).stream;
    try {
      if (copy.to === 'remote') {
        const body = limited(await jira.downloadAttachment(copy.from.id));
        const written = await connector.uploadAttachment(link.remoteId, {
          fileName: copy.from.fileName,
          contentType: copy.from.contentType,
          size: copy.from.size,
          body,
        });
        crossed.push({
          jira: copy.from.id,
          remote: written.id,
          from: 'jira',
          ...(written.url ? { src: written.url } : {}),
        });
      } else {
        const file = await connector.downloadAttachment(link.remoteId, copy.from.id);
        const body = limited(file.body);
        const id = await jira.uploadAttachment(link.issueId, copy.from.fileName, copy.from.contentType, body);
        crossed.push({
          jira: id,
          remote: copy.from.id,
          from: 'remote',
          ...(copy.from.url ? { src: copy.from.url } : {}),
        });
      }
    } catch (e) {
      // However the upload reports the broken stream, a file that went past its limit is not copied and says so.
      if (!counted.stream?.over) throw e;
      skipped.push(
        `${copy.from.fileName} streamed more than the ${copy.limit}-byte limit (it declared ${copy.from.size} bytes)`,
      );
    }
  }
  // A pair stays recorded after its copy is deleted (the next run forgets it, seeing both sides gone), so a crash
  // between the delete and the record can never read the surviving half as a new file to copy.
  for (const gone of plan.deletes) {
    if (gone.to === 'remote') await connector.deleteAttachment!(link.remoteId, gone.id);
    else await jira.deleteAttachment(gone.id);
  }
  const system = systemFor(config.remote.type);
  const notices = plan.deletesNotCopied.map(
    (d) =>
      `Jira attachment ${d.fileName} was deleted; its copy stays: ${system?.texts.fileDeleteRefused ?? 'the remote cannot delete files'}.`,
  );
  if (plan.stayInJira.length)
    notices.push(
      `Jira attachments stay in Jira: ${system?.texts.fileUploadRefused ?? `${system?.label ?? 'the remote'} takes no files`}.`,
    );
  const fresh = notices.filter((n) => !(link.notices ?? []).includes(n));
  if (holdBack) crossed.push(...heldBack(plan.jira, plan.remote, crossed));
  const next: Link = { ...link, attachments: crossed };
  if (fresh.length) next.notices = [...(link.notices ?? []), ...fresh].slice(-MAX_NOTICES);
  return {
    link: next,
    copied: plan.copies.length - (skipped.length - plan.skipped.length) + plan.deletes.length,
    skipped,
    wroteRemote: [...plan.copies, ...plan.deletes].some((c) => c.to === 'remote'),
  };
}
