/**
 * Which files to copy, decided over both sides' lists like comments: each copy's
 * stored name carries the origin (`report~cw-jira-att-10001.pdf`), so a file
 * crosses once even across crashes and retries. Files over the size limit or of
 * a type the connection does not allow are reported, never silently dropped.
 */
import type { Direction } from './field-decision';

export interface SideFile {
  id: string;
  fileName: string;
  contentType: string;
  size: number;
  origin?: string;
}

export interface FileRules {
  direction: Direction;
  maxBytes: number;
  /** MIME types or prefixes (`image/`); empty = all. */
  allowedTypes: readonly string[];
}

export interface FileCopy {
  from: SideFile;
  to: 'jira' | 'remote';
  origin: string;
}

export const jiraFileOrigin = (id: string) => `jira-att-${id}`;
export const remoteFileOrigin = (id: string) => `remote-att-${id}`;

const allowed = (rules: FileRules, type: string) => !rules.allowedTypes.length || rules.allowedTypes.some((t) => (t.endsWith('/') || t.endsWith('*') ? type.startsWith(t.replace(/\*$/, '')) : type === t));

export function planAttachments(jira: readonly SideFile[], remote: readonly SideFile[], rules: FileRules, remoteMaxBytes?: number): { copies: FileCopy[]; skipped: string[] } {
  const copies: FileCopy[] = [];
  const skipped: string[] = [];
  const remoteOrigins = new Set(remote.map((f) => f.origin).filter(Boolean));
  const jiraOrigins = new Set(jira.map((f) => f.origin).filter(Boolean));
  const consider = (f: SideFile, to: 'jira' | 'remote', origin: string, limit: number) => {
    if (f.size > limit) skipped.push(`${f.fileName} (${f.size} bytes) is over the ${limit}-byte limit`);
    else if (!allowed(rules, f.contentType)) skipped.push(`${f.fileName} (${f.contentType}) is not an allowed type`);
    else copies.push({ from: f, to, origin });
  };
  if (rules.direction === 'both' || rules.direction === 'to-remote') {
    for (const f of jira) if (!f.origin && !remoteOrigins.has(jiraFileOrigin(f.id))) consider(f, 'remote', jiraFileOrigin(f.id), Math.min(rules.maxBytes, remoteMaxBytes ?? Infinity));
  }
  if (rules.direction === 'both' || rules.direction === 'to-jira') {
    for (const f of remote) if (!f.origin && !jiraOrigins.has(remoteFileOrigin(f.id))) consider(f, 'jira', remoteFileOrigin(f.id), rules.maxBytes);
  }
  return { copies, skipped };
}

/** `name~cw-<origin>.ext` ↔ (`name.ext`, origin). */
export function nameWithOrigin(fileName: string, origin: string): string {
  const dot = fileName.lastIndexOf('.');
  return dot > 0 ? `${fileName.slice(0, dot)}~cw-${origin}${fileName.slice(dot)}` : `${fileName}~cw-${origin}`;
}

export function splitOrigin(stored: string): { fileName: string; origin?: string } {
  const m = /^(.*)~cw-([A-Za-z0-9_-]+)(\.[^.]*)?$/.exec(stored);
  return m ? { fileName: `${m[1]}${m[3] ?? ''}`, origin: m[2] } : { fileName: stored };
}
