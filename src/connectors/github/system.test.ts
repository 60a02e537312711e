/** GitHub's registry entry: the settings a connection takes, and the secret each sign-in needs. */
import type { GitHubRemote } from './remote';
import { gitHubSystem } from './system';

const tokenRemote: GitHubRemote = {
  type: 'github',
  baseUrl: 'https://github.com/acme/website',
  auth: { kind: 'token', login: 'acme-crosswalk' },
};
const appRemote: GitHubRemote = {
  type: 'github',
  baseUrl: 'https://github.com/acme/website',
  auth: { kind: 'app', appId: '123456', installationId: '98765432', appSlug: 'crosswalk-sync' },
};

describe('the connection’s settings', () => {
  it('take a github.com repository’s address and one of the two sign-ins', () => {
    const { remoteSchema } = gitHubSystem;
    expect(remoteSchema.safeParse(tokenRemote).success).toBe(true);
    expect(remoteSchema.safeParse(appRemote).success).toBe(true);
    expect(remoteSchema.safeParse({ ...tokenRemote, baseUrl: 'https://github.com/acme' }).success).toBe(false);
    expect(remoteSchema.safeParse({ ...tokenRemote, baseUrl: 'https://evil.example/acme/website' }).success).toBe(
      false,
    );
    expect(remoteSchema.safeParse({ ...appRemote, auth: { ...appRemote.auth, appId: 'abc' } }).success).toBe(false);
  });

  it('need the App’s private key, or the token, as their secret', () => {
    expect(gitHubSystem.missingCredential(appRemote, { clientSecret: 'pem' })).toBeUndefined();
    expect(gitHubSystem.missingCredential(appRemote, { token: 'not the key' })).toMatch(/private key/);
    expect(gitHubSystem.missingCredential(tokenRemote, { token: 'github_pat_x' })).toBeUndefined();
    expect(gitHubSystem.missingCredential(tokenRemote, undefined)).toMatch(/token/);
  });
});
