/**
 * Which comments and files cross, as a pure decision over both sides' lists
 * and the link's record of what has crossed (id pairs). The record, not the
 * copies, says what crossed: a copy someone deleted is not copied again.
 *
 * Between a write and its record (a crash in that window) the engine knows its
 * own copy by what it wrote, not by a visible tag: a Jira comment carries the
 * source id in a comment property people do not see; on the remote, a comment
 * by Crosswalk's integration user with exactly the text Crosswalk would write,
 * or a file by it with the same name and size, is that copy.
 *
 * Edits and deletes follow a comment's source to its copy where the remote
 * has them (its capabilities; Jira always takes them). The
 * pair records a hash of the source text its copy carries, so an edit crosses
 * once, and only a source is ever followed: Crosswalk's edit of a copy, or a
 * person's, never bounces back.
 */
import { createHash } from 'node:crypto';
import type { Visibility } from '../connectors/ports';
import type { Direction } from './field-decision';
import type { AdfDoc } from '../content/adf';

export interface CrossedPair {
  /** Empty on the side a copy would have gone to when the source was held back (hand-link.ts): crossed, copy gone. */
  jira: string;
  remote: string;
  /** The side the original lives on. */
  from: 'jira' | 'remote';
  /** Hash of the source text the copy carries (see `textHash`); absent on pairs crossed before edits were followed. */
  copied?: string;
  /** A file's Jira media id (what an ADF `media` node names), where known: images in rich text refer to files by it. */
  media?: string;
  /** Where the remote shows the file inline (`Attachment.url`), where it shows files inline at all. */
  src?: string;
}

export interface SideComment {
  id: string;
  /** Its plain text: copies are recognised by it. */
  text: string;
  /**
   * Where the remote keeps rich comments: the comment's projection there (rich.ts), so an edit of its formatting
   * alone is an edit too. Absent for plain-text remotes, whose comments are their text.
   */
  rich?: string;
  /** Its content as ADF, which a copy is written from. */
  doc?: AdfDoc;
  author: string;
  visibility: Visibility;
  /** Written by Crosswalk (a copy). */
  byUs: boolean;
  /** On Jira copies: the remote comment id it was copied from (a hidden comment property). */
  copyOf?: string;
  /** Changed after it was written. */
  edited?: boolean;
  /** On Jira comments restricted to a role or group: who may read it (`the role Administrators`); such a comment is internal. */
  restrictedTo?: string;
}

export interface CommentCopy {
  from: SideComment;
  to: 'jira' | 'remote';
  visibility: Visibility;
  /** What is written: the text attributed to its author by name. */
  text: string;
  /** The source text's hash, recorded on the pair the copy makes. */
  hash: string;
}

/** A source edited since it crossed: its copy is rewritten (or, when it already says so after a crash, only the record moves). */
export interface CommentEdit {
  pair: CrossedPair;
  to: 'jira' | 'remote';
  /** The copy's id on `to`. */
  id: string;
  /** The edited source. */
  from: SideComment;
  text: string;
  hash: string;
  /** False when the copy already carries the text. */
  write: boolean;
}

/** A source deleted since it crossed: its copy goes too. */
export interface CommentDelete {
  pair: CrossedPair;
  to: 'jira' | 'remote';
  id: string;
}

export interface CommentRules {
  direction: Direction;
  /** The remote keeps internal comments apart (ServiceNow work notes, Zendesk private); otherwise internal Jira comments stay in Jira. */
  remoteHasInternal: boolean;
  remoteLabel: string;
  remoteCanEdit: boolean;
  /** Where only copies of some visibilities can be edited there (Capabilities.commentEditVisibilities); absent: all. */
  remoteEditable?: readonly Visibility[];
  remoteCanDelete: boolean;
}

export interface CommentCrossing {
  copies: CommentCopy[];
  /** Copies found written but not recorded (a crash between the write and the record). */
  recognised: CrossedPair[];
  edits: CommentEdit[];
  deletes: CommentDelete[];
  /** Crossed pairs that get their source's hash recorded without a write (crossed before edits were followed). */
  baselines: CrossedPair[];
  /** Jira comments edited after they crossed, where the remote cannot take edits. */
  editsNotCopied: SideComment[];
  /** Crossed Jira comments since deleted, whose remote copies cannot be deleted. */
  deletesNotCopied: CrossedPair[];
  /** Internal or restricted Jira comments that stay in Jira: the remote has no internal comments to hold them. */
  withheld: SideComment[];
}

const allows = (direction: Direction, to: 'jira' | 'remote') =>
  direction === 'both' || direction === (to === 'jira' ? 'to-jira' : 'to-remote');
const normal = (text: string) => text.replace(/\s+/g, ' ').trim();

/** What a pair records of the source text its copy carries: whitespace-insensitive, as copies are compared. */
export function textHash(text: string): string {
  return createHash('sha256').update(normal(text), 'utf8').digest('hex').slice(0, 16);
}

/** What a pair records of a source: the hash of its projection where the remote keeps rich comments, else of its text. */
export function sourceHash(c: SideComment): string {
  return textHash(c.rich ?? c.text);
}

/** The text a copy carries: who wrote it, and where. */
export function attributed(author: string, system: string, text: string): string {
  return `${author} (${system}): ${text}`;
}

export function planComments(
  jira: readonly SideComment[],
  remote: readonly SideComment[],
  crossed: readonly CrossedPair[],
  rules: CommentRules,
): CommentCrossing {
  const crossedJira = new Set(crossed.map((p) => p.jira));
  const crossedRemote = new Set(crossed.map((p) => p.remote));
  const recognised: CrossedPair[] = [];
  const remoteIds = new Set(remote.map((c) => c.id));

  // Jira copies name their source in a hidden property.
  const remoteById = new Map(remote.map((c) => [c.id, c]));
  for (const c of jira) {
    if (c.copyOf && !crossedJira.has(c.id) && !crossedRemote.has(c.copyOf) && remoteIds.has(c.copyOf))
      recognised.push({
        jira: c.id,
        remote: c.copyOf,
        from: 'remote',
        copied: sourceHash(remoteById.get(c.copyOf)!),
      });
  }
  const pairedJira = new Set([...crossedJira, ...recognised.map((p) => p.jira)]);
  const pairedRemote = new Set([...crossedRemote, ...recognised.map((p) => p.remote)]);

  // Remote copies are known by author and exact text.
  const toRemoteText = (c: SideComment) => normal(attributed(c.author, 'Jira', c.text));
  for (const r of remote) {
    if (!r.byUs || pairedRemote.has(r.id)) continue;
    const source = jira.find(
      (c) => !c.byUs && !pairedJira.has(c.id) && c.visibility === r.visibility && toRemoteText(c) === normal(r.text),
    );
    if (source) {
      recognised.push({ jira: source.id, remote: r.id, from: 'jira', copied: sourceHash(source) });
      pairedJira.add(source.id);
      pairedRemote.add(r.id);
    }
  }

  const copies: CommentCopy[] = [];
  const withheld: SideComment[] = [];
  if (allows(rules.direction, 'remote')) {
    for (const c of jira) {
      if (c.byUs || pairedJira.has(c.id)) continue;
      // An internal or restricted Jira comment never becomes public on the remote side: it crosses as internal, or not at all.
      if (c.visibility === 'internal' && !rules.remoteHasInternal) {
        withheld.push(c);
        continue;
      }
      copies.push({
        from: c,
        to: 'remote',
        visibility: c.visibility,
        text: attributed(c.author, 'Jira', c.text),
        hash: sourceHash(c),
      });
    }
  }
  if (allows(rules.direction, 'jira')) {
    for (const r of remote) {
      // The integration user's own comments are Crosswalk's copies (or its own notes): never echoed back.
      if (r.byUs || pairedRemote.has(r.id)) continue;
      copies.push({
        from: r,
        to: 'jira',
        visibility: r.visibility,
        text: attributed(r.author, rules.remoteLabel, r.text),
        hash: sourceHash(r),
      });
    }
  }

  const jiraById = new Map(jira.map((c) => [c.id, c]));
  const editsNotCopied = rules.remoteCanEdit
    ? []
    : crossed.filter((p) => p.from === 'jira' && jiraById.get(p.jira)?.edited).map((p) => jiraById.get(p.jira)!);
  const deletesNotCopied = rules.remoteCanDelete
    ? []
    : crossed.filter((p) => p.from === 'jira' && !jiraById.has(p.jira) && remoteIds.has(p.remote));

  // Edits and deletes go from a source to its copy, and only where the remote has them: a remote whose comments
  // cannot change or go (ServiceNow journals, Zendesk) has no edit to follow, and a remote comment missing from its
  // list is not a deleted one there (a Zendesk pair continued in a follow-up ticket keeps the closed ticket's pairs).
  const edits: CommentEdit[] = [];
  const deletes: CommentDelete[] = [];
  const baselines: CrossedPair[] = [];
  for (const p of crossed) {
    const to = p.from === 'jira' ? 'remote' : 'jira';
    if (!allows(rules.direction, to)) continue;
    const source = p.from === 'jira' ? jiraById.get(p.jira) : remoteById.get(p.remote);
    const copy = p.from === 'jira' ? remoteById.get(p.remote) : jiraById.get(p.jira);
    const copyId = p.from === 'jira' ? p.remote : p.jira;
    // A copy already gone (deleted by someone, or by us before a crash) has nothing left to follow.
    if (!copy) continue;
    if (!source) {
      if (rules.remoteCanDelete) deletes.push({ pair: p, to, id: copyId });
      continue;
    }
    if (!rules.remoteCanEdit) continue;
    const hash = sourceHash(source);
    // Crossed before comments were compared rich: the record holds the text's hash; an unchanged text is no edit.
    const recordedAsText = source.rich !== undefined && p.copied === textHash(source.text);
    if (p.copied === undefined || recordedAsText) {
      // Crossed before edits were followed: the copy is taken to carry the source as it is now.
      baselines.push({ ...p, copied: hash });
      continue;
    }
    if (p.copied === hash) continue;
    // A copy the remote does not let be edited (a Freshservice reply): the edit is told on the issue, never retried.
    if (to === 'remote' && rules.remoteEditable && !rules.remoteEditable.includes(copy.visibility)) {
      editsNotCopied.push(source);
      continue;
    }
    // A Jira comment made internal or restricted after it crossed is never rewritten where everyone reads it: not on a
    // remote without internal comments, nor into a copy that crossed as public.
    if (
      to === 'remote' &&
      source.visibility === 'internal' &&
      (!rules.remoteHasInternal || copy.visibility !== 'internal')
    )
      continue;
    const text =
      to === 'remote'
        ? attributed(source.author, 'Jira', source.text)
        : attributed(source.author, rules.remoteLabel, source.text);
    // A rich source rewrites its copy whenever it changed: its formatting may have changed where its text did not.
    edits.push({
      pair: p,
      to,
      id: copyId,
      from: source,
      text,
      hash,
      write: source.rich !== undefined || normal(copy.text) !== normal(text),
    });
  }
  return { copies, recognised, edits, deletes, baselines, editsNotCopied, deletesNotCopied, withheld };
}

export interface SideFile {
  id: string;
  fileName: string;
  contentType: string;
  size: number;
  byUs: boolean;
  /** Where the remote shows it inline (`Attachment.url`); remote files only. */
  url?: string;
}

export interface FileRules {
  direction: Direction;
  maxBytes: number;
  /** MIME types or prefixes (`image/`); empty = all. */
  allowedTypes: readonly string[];
  remoteMaxBytes?: number;
  /** Whether the remote deletes files (its capabilities): only then does a deletion on either side cross. */
  remoteCanDelete: boolean;
  /** Whether the remote takes files at all (its capabilities; GitHub has no upload API): absent, it does. */
  remoteTakesFiles?: boolean;
}

export interface FileCopy {
  from: SideFile;
  to: 'jira' | 'remote';
  /** The most bytes the copy may carry: `from.size` is what the source declared, the bytes that stream are counted against this. */
  limit: number;
}

/** A copy whose source is gone: deleted on `to`. */
export interface FileDelete {
  to: 'jira' | 'remote';
  id: string;
  fileName: string;
}

export interface FileCrossing {
  copies: FileCopy[];
  recognised: CrossedPair[];
  skipped: string[];
  deletes: FileDelete[];
  /** Jira files deleted whose remote copies stay, because the remote cannot delete files. */
  deletesNotCopied: Array<{ pair: CrossedPair; fileName: string }>;
  /** Pairs with nothing left on either side: the record can go. */
  forgotten: CrossedPair[];
  /** Jira files the direction would copy to a remote that takes no files: they stay in Jira, and the issue says so. */
  stayInJira: SideFile[];
}

const allowedType = (rules: FileRules, type: string) =>
  !rules.allowedTypes.length ||
  rules.allowedTypes.some((t) =>
    t.endsWith('/') || t.endsWith('*') ? type.startsWith(t.replace(/\*$/, '')) : type === t,
  );

/**
 * Files cross like comments; those over a limit or of a type not allowed are
 * reported, never silently dropped. Deletions follow a source to its copy, as
 * for comments: a file deleted where it was first attached is deleted where it
 * was copied; a deleted copy is not copied again and its source stays. A copy
 * Crosswalk uploaded but never recorded (a crash in between) whose source has
 * since gone is deleted too, or it would outlive its source forever.
 * Deletions cross only where the remote deletes files: on a remote that cannot,
 * a remote file missing from the list is not a deleted one (a Zendesk pair
 * continued in a follow-up ticket keeps the closed ticket's pairs).
 */
export function planAttachments(
  jira: readonly SideFile[],
  remote: readonly SideFile[],
  crossed: readonly CrossedPair[],
  rules: FileRules,
): FileCrossing {
  const pairedJira = new Set(crossed.map((p) => p.jira));
  const pairedRemote = new Set(crossed.map((p) => p.remote));
  const recognised: CrossedPair[] = [];
  const deletes: FileDelete[] = [];
  const same = (a: SideFile, b: SideFile) => a.fileName === b.fileName && a.size === b.size;
  // A file Crosswalk uploaded but did not record yet is known by its name and size.
  for (const [ours, theirs, from] of [
    [remote, jira, 'jira'],
    [jira, remote, 'remote'],
  ] as const) {
    for (const copy of ours) {
      if (!copy.byUs || (from === 'jira' ? pairedRemote : pairedJira).has(copy.id)) continue;
      const source = theirs.find(
        (f) => !f.byUs && !(from === 'jira' ? pairedJira : pairedRemote).has(f.id) && same(f, copy),
      );
      if (!source) {
        const to = from === 'jira' ? 'remote' : 'jira';
        if (rules.remoteCanDelete && allows(rules.direction, to))
          deletes.push({ to, id: copy.id, fileName: copy.fileName });
        continue;
      }
      const pair: CrossedPair =
        from === 'jira' ? { jira: source.id, remote: copy.id, from } : { jira: copy.id, remote: source.id, from };
      // Where the remote shows its file inline, as a copy made in this run would have recorded.
      const url = (from === 'jira' ? copy : source).url;
      if (url) pair.src = url;
      recognised.push(pair);
      pairedJira.add(pair.jira);
      pairedRemote.add(pair.remote);
    }
  }
  const copies: FileCopy[] = [];
  const skipped: string[] = [];
  const consider = (f: SideFile, to: 'jira' | 'remote', limit: number) => {
    if (f.size > limit) skipped.push(`${f.fileName} (${f.size} bytes) is over the ${limit}-byte limit`);
    else if (!allowedType(rules, f.contentType))
      skipped.push(`${f.fileName} (${f.contentType}) is not an allowed type`);
    else copies.push({ from: f, to, limit });
  };
  const stayInJira: SideFile[] = [];
  if (allows(rules.direction, 'remote'))
    for (const f of jira)
      if (f.byUs || pairedJira.has(f.id)) continue;
      // Declared, never discovered by failing: nothing is uploaded where the remote has no way to take a file.
      else if (rules.remoteTakesFiles === false) stayInJira.push(f);
      else consider(f, 'remote', Math.min(rules.maxBytes, rules.remoteMaxBytes ?? Infinity));
  if (allows(rules.direction, 'jira'))
    for (const f of remote) if (!f.byUs && !pairedRemote.has(f.id)) consider(f, 'jira', rules.maxBytes);

  const jiraById = new Map(jira.map((f) => [f.id, f]));
  const remoteById = new Map(remote.map((f) => [f.id, f]));
  const deletesNotCopied: FileCrossing['deletesNotCopied'] = [];
  const forgotten: CrossedPair[] = [];
  for (const p of crossed) {
    const source = p.from === 'jira' ? jiraById.get(p.jira) : remoteById.get(p.remote);
    const copy = p.from === 'jira' ? remoteById.get(p.remote) : jiraById.get(p.jira);
    if (source) continue;
    const to = p.from === 'jira' ? 'remote' : 'jira';
    if (!rules.remoteCanDelete) {
      if (p.from === 'jira' && copy && allows(rules.direction, to))
        deletesNotCopied.push({ pair: p, fileName: copy.fileName });
      continue;
    }
    // Both gone (deleted here, or by us before a crash): nothing is left to follow or to copy again.
    if (!copy) forgotten.push(p);
    else if (allows(rules.direction, to)) deletes.push({ to, id: copy.id, fileName: copy.fileName });
  }
  return { copies, recognised, skipped, deletes, deletesNotCopied, forgotten, stayInJira };
}
