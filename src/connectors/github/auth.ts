/**
 * How each request to GitHub's API is signed in. A fine-grained token is sent
 * as it is. A GitHub App signs a short JWT with its private key (RS256,
 * node:crypto) and trades it for an installation token, which lasts an hour:
 * the token is kept in memory and traded again five minutes before it
 * expires, so a warm instance asks GitHub for one about once an hour.
 */
import { createHash, createPrivateKey, sign, type KeyObject } from 'node:crypto';
import * as z from 'zod';
import { SyncError } from '../errors';

export const SYSTEM = 'github';

/** GitHub refuses a JWT whose `exp` is more than ten minutes after its `iat`. */
const JWT_LIFETIME_S = 9 * 60;
/** `iat` is set back a minute: GitHub's advice against clock drift between us and them. */
const JWT_BACKDATE_S = 60;
/** An installation token is traded again this long before GitHub says it expires. */
export const TOKEN_REFRESH_MARGIN_MS = 5 * 60_000;

export interface AppCredentials {
  appId: string;
  installationId: string;
  /** The App's private key, PEM (PKCS#1 as GitHub downloads it, or PKCS#8). */
  privateKey: string;
}

/** Something that answers the `Authorization` header for the next request, and can be told the last one was refused. */
export interface Authorizer {
  header(): Promise<string>;
  /** The header was refused (401): forget anything cached, so the next `header()` signs in again. Whether retrying can help. */
  refused(): boolean;
}

export function tokenAuthorizer(token: string): Authorizer {
  return {
    header: () => Promise.resolve(`Bearer ${token}`),
    // A fine-grained token does not change by asking again.
    refused: () => false,
  };
}

const base64url = (data: Buffer | string) => Buffer.from(data).toString('base64url');

/** The App's JWT (RS256): `iss` the App ID, `iat` a minute back, `exp` within GitHub's ten minutes. */
export function appJwt(appId: string, key: KeyObject | string, nowMs: number): string {
  const now = Math.floor(nowMs / 1000);
  const header = base64url(JSON.stringify({ alg: 'RS256', typ: 'JWT' }));
  const payload = base64url(JSON.stringify({ iat: now - JWT_BACKDATE_S, exp: now + JWT_LIFETIME_S, iss: appId }));
  const signature = sign('sha256', Buffer.from(`${header}.${payload}`), key);
  return `${header}.${payload}.${base64url(signature)}`;
}

/** The App's key from its PEM; one that is not a key is the admin's to fix (auth), never retried. */
function privateKeyOf(pem: string): KeyObject {
  try {
    return createPrivateKey(pem);
  } catch {
    throw new SyncError({
      system: SYSTEM,
      kind: 'auth',
      message: 'The GitHub App’s private key could not be read: paste the whole .pem file GitHub gave you',
    });
  }
}

const installationToken = z.object({ token: z.string().min(1), expires_at: z.string() }).loose();

/**
 * Installation tokens a warm instance holds, by API, installation and key:
 * connectors are made per invocation, the token outlives them. The key's
 * hash is part of the key, so a rotated private key never reuses a token
 * traded with the old one.
 */
const tokens = new Map<string, { token: string; expiresAt: number }>();

export interface AppAuthorizerOptions {
  apiUrl: string;
  app: AppCredentials;
  fetch: typeof fetch;
  now: () => number;
  /** Turns a failed answer into the SyncError it means (the transport's classifier). */
  failure: (res: Response, text: string, what: string) => SyncError;
}

export function appAuthorizer(options: AppAuthorizerOptions): Authorizer {
  const { app } = options;
  const cacheKey = [
    options.apiUrl,
    app.appId,
    app.installationId,
    createHash('sha256').update(app.privateKey).digest('hex'),
  ].join('|');
  let key: KeyObject | undefined;
  let pending: Promise<string> | undefined;

  const trade = async (): Promise<string> => {
    key ??= privateKeyOf(app.privateKey);
    const what = 'Sign in as the GitHub App installation';
    const url = `${options.apiUrl}/app/installations/${encodeURIComponent(app.installationId)}/access_tokens`;
    const res = await options.fetch(url, {
      method: 'POST',
      headers: {
        accept: 'application/vnd.github+json',
        'x-github-api-version': '2022-11-28',
        authorization: `Bearer ${appJwt(app.appId, key, options.now())}`,
      },
    });
    const text = await res.text();
    if (!res.ok) throw options.failure(res, text, what);
    const parsed = installationToken.safeParse(JSON.parse(text));
    const expiresAt = parsed.success ? Date.parse(parsed.data.expires_at) : NaN;
    if (!parsed.success || Number.isNaN(expiresAt))
      throw new SyncError({ system: SYSTEM, kind: 'transient', message: `${what}: GitHub's answer had no token` });
    tokens.set(cacheKey, { token: parsed.data.token, expiresAt });
    return parsed.data.token;
  };

  const current = async (): Promise<string> => {
    const held = tokens.get(cacheKey);
    if (held && held.expiresAt - TOKEN_REFRESH_MARGIN_MS > options.now()) return held.token;
    // Concurrent calls of one connector share one trade.
    pending ??= trade().finally(() => (pending = undefined));
    return pending;
  };

  return {
    header: async () => `Bearer ${await current()}`,
    refused: () => {
      // A revoked or early-expired token: trade again once.
      return tokens.delete(cacheKey);
    },
  };
}

const appSchema = z.object({ slug: z.string().min(1) }).loose();

/**
 * The App as GitHub knows it (`GET /app`, signed with the JWT): its slug is what names its changes (`<slug>[bot]`),
 * so the connection's settings are checked against it when an admin tests the connection.
 */
export async function readAppSlug(options: AppAuthorizerOptions): Promise<string> {
  const what = 'Read the GitHub App';
  const jwt = appJwt(options.app.appId, privateKeyOf(options.app.privateKey), options.now());
  const res = await options.fetch(`${options.apiUrl}/app`, {
    method: 'GET',
    headers: {
      accept: 'application/vnd.github+json',
      'x-github-api-version': '2022-11-28',
      authorization: `Bearer ${jwt}`,
    },
  });
  const text = await res.text();
  if (!res.ok) throw options.failure(res, text, what);
  const parsed = appSchema.safeParse(JSON.parse(text));
  if (!parsed.success)
    throw new SyncError({ system: SYSTEM, kind: 'transient', message: `${what}: GitHub's answer had no slug` });
  return parsed.data.slug;
}

/** Forgets every installation token this instance holds (tests). */
export function forgetInstallationTokens(): void {
  tokens.clear();
}
