/**
 * Who a request is (vendor-apis-more.md §1.1): a personal access token acting
 * as its user, a GitHub App's installation token acting as the app's bot, or
 * the app itself by an RS256 JWT signed with its private key (only on the
 * `/app` routes and the installation lookup). The app's key pair is made when
 * the simulator starts; the private key is handed out in DEMO_CREDENTIALS as
 * GitHub hands it to an app's owner.
 */
import { createVerify, generateKeyPairSync, randomBytes } from 'node:crypto';
import * as z from 'zod';
import { badCredentials, basicError } from './errors';
import { atLeast, type GhUser, type GitHubStore, type Permission, type Repo } from './store';

export const APP = {
  id: 912345,
  slug: 'crosswalk-app',
  clientId: 'Iv23liCrosswalkDemo01',
  name: 'Crosswalk',
  installationId: 55501234,
  botLogin: 'crosswalk-app[bot]',
  botId: 41898282,
  /** What the installation may do: read and write issues, manage the repository's webhooks. */
  permissions: { issues: 'write', metadata: 'read', repository_hooks: 'write' },
} as const;

/** Installation tokens last an hour of the simulator's clock (GH-OAS `apps/create-installation-access-token`). */
export const INSTALLATION_TOKEN_TTL_MS = 60 * 60 * 1000;
/** A JWT's `exp` may be at most ten minutes ahead (GitHub's JWT doc). */
const MAX_JWT_LIFETIME_S = 600;

export type Caller =
  { kind: 'user'; user: GhUser } | { kind: 'installation'; bot: GhUser; repoIds: 'all' | number[] } | { kind: 'app' };

export interface InstallationToken {
  token: string;
  expiresAt: number;
  repoIds: 'all' | number[];
}

/** The key pair is costly to make (tens of ms): one per process is enough, every simulator plays the same app. */
let keyPair: { privateKeyPem: string; publicKeyPem: string } | undefined;
export function appKeyPair(): { privateKeyPem: string; publicKeyPem: string } {
  keyPair ??= (() => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    return {
      privateKeyPem: privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
      publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    };
  })();
  return keyPair;
}

const jwtHeader = z.object({ alg: z.literal('RS256') });
const jwtClaims = z.object({
  iat: z.number(),
  exp: z.number(),
  // GitHub takes the app's id (number or string) or its client id.
  iss: z.union([z.number(), z.string()]),
});

const decodePart = (part: string): unknown => JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));

export class Credentials {
  readonly installationTokens = new Map<string, InstallationToken>();
  /** An admin revoked what the integration signs in with: its token, its installation tokens and the app's key. */
  integrationRevoked = false;

  constructor(
    private readonly store: GitHubStore,
    private readonly now: () => number,
    /** Logins whose personal tokens stop working when the integration's credentials are revoked. */
    private readonly integrationLogins: readonly string[],
  ) {}

  reset(): void {
    this.installationTokens.clear();
    this.integrationRevoked = false;
  }

  /** Who an `Authorization` header says it is, before anything is checked: faults may be aimed at one caller. */
  claimedLogin(authorization: string): string | undefined {
    const token = bearerToken(authorization);
    if (!token) return undefined;
    if (token.split('.').length === 3) return APP.slug;
    if (this.installationTokens.has(token)) return APP.botLogin;
    const userId = this.store.personalTokens.get(token);
    return userId === undefined ? undefined : this.store.users.get(userId)?.login;
  }

  /** The caller, or a 401 as GitHub answers it; undefined for an anonymous request. */
  authenticate(authorization: string | undefined): Caller | undefined {
    if (!authorization) return undefined;
    const token = bearerToken(authorization);
    if (!token) throw badCredentials();
    if (token.split('.').length === 3) return this.verifyJwt(token);
    const installation = this.installationTokens.get(token);
    if (installation) {
      if (this.integrationRevoked || installation.expiresAt <= this.now()) throw badCredentials();
      return { kind: 'installation', bot: this.store.user(APP.botId), repoIds: installation.repoIds };
    }
    const userId = this.store.personalTokens.get(token);
    const user = userId === undefined ? undefined : this.store.users.get(userId);
    if (!user) throw badCredentials();
    if (this.integrationRevoked && this.integrationLogins.includes(user.login)) throw badCredentials();
    return { kind: 'user', user };
  }

  issueInstallationToken(repoIds: 'all' | number[]): InstallationToken {
    // The `ghs_` prefix stays; the length is not promised (stateless tokens from 2026-04-27).
    const token: InstallationToken = {
      token: `ghs_${randomBytes(27).toString('base64url')}`,
      expiresAt: this.now() + INSTALLATION_TOKEN_TTL_MS,
      repoIds,
    };
    this.installationTokens.set(token.token, token);
    return token;
  }

  private verifyJwt(jwt: string): Caller {
    const [headerPart = '', claimsPart = '', signaturePart = ''] = jwt.split('.');
    const undecodable = () => basicError(401, 'A JSON web token could not be decoded');
    let claims: z.infer<typeof jwtClaims>;
    try {
      jwtHeader.parse(decodePart(headerPart));
      claims = jwtClaims.parse(decodePart(claimsPart));
    } catch {
      throw undecodable();
    }
    const verifier = createVerify('RSA-SHA256');
    verifier.update(`${headerPart}.${claimsPart}`);
    if (this.integrationRevoked || !verifier.verify(appKeyPair().publicKeyPem, Buffer.from(signaturePart, 'base64url')))
      throw basicError(401, 'A JSON web token could not be decoded');
    if (String(claims.iss) !== String(APP.id) && claims.iss !== APP.clientId)
      throw basicError(401, "'Issuer' claim ('iss') must be an Integer");
    const nowS = Math.floor(this.now() / 1000);
    if (claims.exp <= nowS || claims.exp > nowS + MAX_JWT_LIFETIME_S)
      throw basicError(
        401,
        "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires",
      );
    // A little drift is allowed, as GitHub's doc asks apps to set `iat` 60 s in the past for it.
    if (claims.iat > nowS + 60)
      throw basicError(401, "'Issued at' claim ('iat') must be an Integer representing a time in the past");
    return { kind: 'app' };
  }
}

/** `Bearer x` and the older `token x` are the same to GitHub. */
function bearerToken(authorization: string): string | undefined {
  const m = /^(?:bearer|token)\s+(\S+)\s*$/i.exec(authorization);
  return m?.[1];
}

/** The caller's role on a repository; undefined where it cannot see it (then everything about it is 404). */
export function permissionOn(caller: Caller | undefined, repo: Repo): Permission | undefined {
  if (!caller) return repo.private ? undefined : 'pull';
  if (caller.kind === 'app') return undefined;
  if (caller.kind === 'installation') {
    if (caller.repoIds !== 'all' && !caller.repoIds.includes(repo.id)) return undefined;
    // The installation's `issues: write` is push access to issues; hooks are its `repository_hooks` permission.
    return 'push';
  }
  return repo.collaborators.get(caller.user.login) ?? (repo.private ? undefined : 'pull');
}

/** May the caller manage the repository's webhooks: an admin, or the app through its `repository_hooks` permission. */
export function mayManageHooks(caller: Caller | undefined, repo: Repo): boolean {
  if (caller?.kind === 'installation') return permissionOn(caller, repo) !== undefined;
  return atLeast(permissionOn(caller, repo), 'admin');
}

export function callerUser(caller: Caller | undefined): GhUser | undefined {
  if (!caller || caller.kind === 'app') return undefined;
  return caller.kind === 'user' ? caller.user : caller.bot;
}

/** The rate-limit bucket a caller counts against: its user, or its installation. */
export function bucketOf(caller: Caller | undefined, ip: string): string {
  if (!caller) return `ip:${ip}`;
  if (caller.kind === 'app') return `app:${APP.id}`;
  return caller.kind === 'user' ? `user:${caller.user.id}` : `installation:${APP.installationId}`;
}

export const requireCaller = (caller: Caller | undefined): Caller => {
  if (!caller) throw basicError(401, 'Requires authentication');
  return caller;
};
