/**
 * Images in GitHub bodies. GitHub has no API to attach a file to an issue;
 * what a person pastes into the editor is kept at
 * `https://github.com/user-attachments/assets/<id>` and shown by that URL in
 * the Markdown. Those URLs, on the repository's own host only, are files
 * Crosswalk may copy into Jira; they are downloaded with the connection's
 * credential, which a private repository's images need. No other URL is
 * ever fetched.
 */
import { SyncError } from '../errors';
import { SYSTEM, type Authorizer } from './auth';
import type { GitHubTransport } from './transport';

const ASSET_PATH = /^\/user-attachments\/assets\/[A-Za-z0-9-]{1,100}$/;

export interface ImageAccess {
  /** The repository's web origin (https://github.com). */
  webOrigin: string;
  fetch: typeof fetch;
  authorizer: Authorizer;
  transport: GitHubTransport;
  timeoutMs: number;
}

/** The URL when it is one of GitHub's pasted images on the repository's host, else undefined. */
export function assetUrl(src: string, webOrigin: string): URL | undefined {
  let url: URL;
  try {
    url = new URL(src);
  } catch {
    return undefined;
  }
  if (url.origin !== webOrigin || url.username || url.password) return undefined;
  return ASSET_PATH.test(url.pathname) ? url : undefined;
}

/** Which file an image URL in a body is (its URL is its id), for `downloadAttachment`. */
export function inlineImage(src: string, webOrigin: string): { id: string; fileName: string } | undefined {
  const url = assetUrl(src, webOrigin);
  return url ? { id: url.toString(), fileName: url.pathname.split('/').pop()! } : undefined;
}

export async function downloadImage(
  access: ImageAccess,
  id: string,
): Promise<{ body: ReadableStream<Uint8Array>; size: number; contentType: string }> {
  const what = 'Download an image';
  const url = assetUrl(id, access.webOrigin);
  if (!url) throw new SyncError({ system: SYSTEM, kind: 'not-found', message: `${what}: not an image GitHub keeps` });
  let res: Response;
  try {
    res = await access.fetch(url.toString(), {
      method: 'GET',
      headers: { accept: '*/*', authorization: await access.authorizer.header() },
      signal: AbortSignal.timeout(access.timeoutMs),
    });
  } catch (e) {
    if (e instanceof SyncError) throw e;
    throw new SyncError({ system: SYSTEM, kind: 'transient', message: `${what} failed: ${String(e)}` });
  }
  if (!res.ok || !res.body) throw await access.transport.failure(res, what);
  return {
    body: res.body,
    size: Number(res.headers.get('content-length') ?? 0),
    contentType: res.headers.get('content-type') ?? 'application/octet-stream',
  };
}

/**
 * The name a pasted image was uploaded under: GitHub's asset URL is a bare id, and the file's own name comes back
 * in its `content-disposition` (asked with a HEAD, no bytes read). Undefined where it says none: the id is the name.
 */
export async function assetFileName(access: ImageAccess, url: URL): Promise<string | undefined> {
  try {
    const res = await access.fetch(url.toString(), {
      method: 'HEAD',
      headers: { authorization: await access.authorizer.header() },
      signal: AbortSignal.timeout(access.timeoutMs),
    });
    const named = /filename="?([^";]{1,200})"?/i.exec(res.headers.get('content-disposition') ?? '')?.[1]?.trim();
    // A name, never a path: only its last part, as a file is named in Jira.
    return res.ok && named ? named.split(/[\\/]/).pop() || undefined : undefined;
  } catch {
    return undefined;
  }
}
